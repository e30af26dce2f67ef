"""Consoles and the few styles the UI uses.

Styles avoid fixed white/black and pale colours so they read on dark and light backgrounds; rich
drops all colour by itself when NO_COLOR is set. Deck text never goes through markup parsing: it is
wrapped in `Text` or `Markdown` (see `untrusted`), and both pass it through `textsafe.clean` first.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterable

from markdown_it.token import Token
from rich.console import Console
from rich.markdown import Markdown
from rich.text import Text
from rich.theme import Theme

from ..textsafe import clean

THEME = Theme(
    {
        "good": "green",
        "bad": "red",
        "warn": "magenta",  # yellow is unreadable on light backgrounds
        "accent": "cyan",
        "muted": "dim",
        "key": "bold",
        "heading": "bold",
    }
)


class StudyConsole(Console):
    def on_broken_pipe(self) -> None:
        """Re-raise, so the command guard exits 141 like other Unix tools (rich would exit 1)."""
        raise BrokenPipeError


def make_console(stderr: bool = False) -> Console:
    """A console on the *current* stdout/stderr (made per command so test runners can capture)."""
    stream = sys.stderr if stderr else sys.stdout
    tolerate_encoding(stream)
    return StudyConsole(theme=THEME, stderr=stderr, highlight=False, file=stream)


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
    return Text(clean(text))


class SafeMarkdown(Markdown):
    """rich's Markdown for untrusted text: no terminal hyperlinks, nothing invisible.

    Sanitising runs on the *parsed* tokens, because Markdown itself rebuilds characters a scan of
    the source cannot see (``&#x202e;``, ``&#27;``). Links show as "text (address)" rather than as
    hidden OSC 8 hyperlinks, and an image becomes "[image: alt]" in place, so the sentence around
    it keeps its words and order (rich would draw the image first, on its own).
    """

    def __init__(self, markup: str, code_theme: str = "ansi_dark") -> None:
        super().__init__(clean(markup), code_theme=code_theme, hyperlinks=False)
        _sanitise(self.parsed)


def _sanitise(tokens: Iterable[Token]) -> None:
    for token in tokens:
        token.content = clean(token.content)
        token.info = clean(token.info, line=True)
        for name, value in list(token.attrs.items()):
            if isinstance(value, str):
                token.attrs[name] = clean(value, line=True)
        if token.children:
            token.children = [_no_image(child) for child in token.children]
            _sanitise(token.children)


def _no_image(token: Token) -> Token:
    if token.type != "image":
        return token
    alt = " ".join(token.content.split()) or str(token.attrs.get("src", "")).rsplit("/", 1)[-1]
    return Token("text", "", 0, content=f"[image: {alt}]" if alt else "[image]")


def untrusted_markdown(text: str) -> Markdown:
    """Deck Markdown rendered as Markdown (never as rich markup), sanitised after parsing."""
    return SafeMarkdown(text)
