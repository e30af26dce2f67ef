"""rich's Markdown made safe for untrusted deck text (imported only when a card is rendered)."""

from __future__ import annotations

from collections.abc import Iterable

from markdown_it.token import Token
from rich.markdown import Markdown

from ..textsafe import clean


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
