"""Consoles and the few styles the UI uses.

Styles avoid fixed white/black and pale colours so they read on dark and light backgrounds; rich
drops all colour by itself when NO_COLOR is set. Deck text never goes through markup parsing: it is
wrapped in `Text` or `Markdown` (see `untrusted`, and `safe_markdown`), and both pass it through `textsafe.clean` first.
"""

from __future__ import annotations

import contextlib
import io
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.text import Text
    from rich.theme import Theme

# rich itself is imported on first use, like everything a command may not need: a command that
# writes JSON (`report --format json`, every `--preview --json`) never loads it (~30 ms).
STYLES = {
    "good": "green",
    "bad": "red",
    "warn": "magenta",  # yellow is unreadable on light backgrounds
    "accent": "cyan",
    "muted": "dim",
    "key": "bold",
    "heading": "bold",
}


@lru_cache(maxsize=1)
def theme() -> Theme:
    from rich.theme import Theme

    return Theme(STYLES)


def __getattr__(name: str) -> Any:
    """`THEME`, made on first use (tests and views that build their own console read it)."""
    if name == "THEME":
        return theme()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@lru_cache(maxsize=1)
def _console_class() -> type[Console]:
    from rich.console import Console

    class StudyConsole(Console):
        def on_broken_pipe(self) -> None:
            """Re-raise, so the command guard exits 141 like other Unix tools (rich would exit 1)."""
            raise BrokenPipeError

    return StudyConsole


def make_console(stderr: bool = False) -> Console:
    """A console on the *current* stdout/stderr (made per command so test runners can capture)."""
    stream = sys.stderr if stderr else sys.stdout
    tolerate_encoding(stream)
    return _console_class()(theme=theme(), stderr=stderr, highlight=False, file=stream)


def stdout() -> Any:
    """The current stdout for output written as it is (JSON, Markdown), made as tolerant of its
    encoding as a console's: no console (and no rich) is needed to write it."""
    tolerate_encoding(sys.stdout)
    return sys.stdout


def print_json(value: object) -> None:
    """`value` as indented JSON on stdout, every control, bidi or invisible character in it
    written as a \\u escape (`textsafe.json_safe`): ids and text came from decks, plans and
    imports. The one way every `--json` form prints."""
    import json

    from ..textsafe import write_json

    write_json(stdout(), json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def tolerate_encoding(stream: object) -> None:
    """On a stdout that is not UTF-8 (PYTHONIOENCODING=ascii, a latin-1 locale), print `?` for a
    character it cannot encode instead of failing with UnicodeEncodeError mid-command."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    if encoding in ("utf-8", "utf8") or not isinstance(stream, io.TextIOWrapper):
        return
    with contextlib.suppress(ValueError, OSError):
        stream.reconfigure(errors="replace")


def untrusted(text: str) -> Text:
    """Untrusted text (decks, plans, file names, settings) as literal characters: `[red]` stays
    `[red]`, and terminal controls are removed (`textsafe.clean`)."""
    from rich.text import Text

    from ..textsafe import clean

    return Text(clean(text))


def untrusted_markdown(text: str) -> Markdown:
    """Deck Markdown rendered as Markdown (never as rich markup), sanitised after parsing.

    Imported on first use: rich's Markdown brings markdown-it and pygments (about a third of the
    start-up imports), which `--help`, previews and JSON output never need."""
    from .safe_markdown import SafeMarkdown

    return SafeMarkdown(text)
