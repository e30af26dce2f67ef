"""Consoles and the few styles the UI uses.

Styles avoid fixed white/black and pale colours so they read on dark and light backgrounds; rich
drops all colour by itself when NO_COLOR is set. Deck text never goes through markup parsing: it is
wrapped in `Text` or `Markdown` (see `untrusted`).
"""

from __future__ import annotations

import sys

from rich.console import Console
from rich.markdown import Markdown
from rich.text import Text
from rich.theme import Theme

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
    return StudyConsole(
        theme=THEME, stderr=stderr, highlight=False, file=sys.stderr if stderr else sys.stdout
    )


def untrusted(text: str) -> Text:
    """Deck or plan text as literal characters: `[red]` stays `[red]`."""
    return Text(text)


def untrusted_markdown(text: str) -> Markdown:
    """Deck Markdown rendered as Markdown (never as rich markup)."""
    return Markdown(text, code_theme="ansi_dark", hyperlinks=True)
