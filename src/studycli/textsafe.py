"""Make untrusted deck and plan text safe to put on a terminal.

Deck files may come from anyone. Two separate dangers:

* terminal control sequences (ESC, CSI, OSC, C1 controls, bidi overrides) that could move the
  cursor, retitle the window, hide text or smuggle hyperlinks: these are removed here, once, when
  the text is loaded, so no later code path can forget;
* rich console markup such as ``[red]`` or ``list[i]``: that is handled at render time by never
  passing deck text through markup parsing (``rich.text.Text`` or ``rich.markdown.Markdown`` only).
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte escapes.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]          # CSI
  | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?  # OSC, terminated by BEL or ST (or unterminated)
  | \x1b[PX^_][^\x1b]*(?:\x1b\\)?    # DCS, SOS, PM, APC strings
  | \x1b.?                           # any other escape and its next char
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, C1 controls, and bidi embedding/override/isolate marks.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text with every terminal control sequence removed; tabs, newlines and Unicode kept."""
    text = text.replace("\r\n", "\n")
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def has_controls(text: str) -> bool:
    return clean(text) != text.replace("\r\n", "\n")
