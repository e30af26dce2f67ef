"""Make untrusted text safe to show: the one sanitiser, and the escaping each output form needs.

Decks, plans, their file and folder names, settings and imported progress may come from anyone.
Dangers, and where each is handled:

* terminal control: ESC sequences (CSI, OSC 8 hyperlinks, OSC 52 clipboard…), C0 and C1 controls,
  bidi overrides and isolates, zero-width characters and the BOM, and lone surrogates (a file name
  that is not UTF-8). `clean` removes them (a lone surrogate becomes U+FFFD, so a broken file name
  stays visibly broken). It runs on every string *after* parsing, because YAML double-quoted
  strings (``"\\e[2J"``) and HTML entities in Markdown (``&#x202e;``) rebuild the bytes a raw scan
  would have removed. The loaders clean every field they produce; the terminal helpers in
  `ui.console` clean again (it is idempotent and cheap), so text from settings or the store is
  covered too.
* rich console markup such as ``[red]``: deck text is never parsed as markup (`rich.text.Text` or
  the sanitised `Markdown` in `ui.console` only).
* JSON: `json_safe` escapes the same characters as ``\\uXXXX`` in already-serialised JSON, so a
  string that reached the store raw still cannot reach a terminal through `export` or `--json`.
* Markdown output (`report --format markdown`): `md_text` backslash-escapes every character that
  opens inline Markdown, so deck text can never become a link, image, HTML, emphasis or a
  table-cell break;
  `md_code` puts an id in a code span only when it is plain.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte escapes.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?            # CSI (possibly cut short)
  | \x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?  # OSC, terminated by BEL or ST (or cut at a newline)
  | \x1b[PX^_][^\x1b\n]*(?:\x1b\\)?      # DCS, SOS, PM, APC strings
  | \x1b.?                             # any other escape and its next char
    """,
    re.VERBOSE,
)
# Characters that are never shown: C0 controls (tab and newline are handled separately), DEL and C1
# controls; bidi marks, embeddings, overrides and isolates; zero-width characters, word joiner and
# invisible operators; the BOM; interlinear annotations; Unicode tag characters (invisible text).
_INVISIBLE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb"
    "\U000e0000-\U000e007f"
)
_DROP = re.compile(f"[{_INVISIBLE}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = re.compile("[\t\n\u2028\u2029]+")
# One search to decide whether any work is needed (the common case is: none).
_ANY = re.compile(f"[\x1b{_INVISIBLE}\ud800-\udfff\u2028\u2029]")
_ANY_LINE = re.compile(f"[\x1b{_INVISIBLE}\ud800-\udfff\u2028\u2029\t\n]")
_REPORTED = re.compile(f"[\x1b{_INVISIBLE}\ud800-\udfff]")

_NAMES = (
    (re.compile("\x1b"), "ESC"),
    (re.compile("[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]"), "control character"),
    (re.compile("[\x80-\x9f]"), "C1 control"),
    (re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"), "bidi control"),
    (re.compile("[\u180e\u200b-\u200d\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb]"), "zero-width"),
    (re.compile("[\U000e0000-\U000e007f]"), "tag character"),
    (re.compile("[\ud800-\udfff]"), "not UTF-8"),
)


def clean(text: str, *, line: bool = False) -> str:
    """`text` with everything that could control a terminal or hide itself removed.

    Kept: every visible character, and tabs and newlines unless `line` (single-line fields such
    as titles and ids, where they become one space). CRLF becomes LF; U+2028/U+2029 become a
    newline (a space with `line`). Idempotent.
    """
    if (_ANY_LINE if line else _ANY).search(text) is None and "\r" not in text:
        return text
    text = text.replace("\r\n", "\n")
    text = _ESCAPES.sub("", text)
    text = _DROP.sub("", text)
    text = _SURROGATE.sub("\ufffd", text)
    if line:
        return _LINE_BREAKS.sub(" ", text)
    return text.replace("\u2028", "\n").replace("\u2029", "\n")


def has_unsafe(text: str) -> bool:
    """True if `clean` would remove or replace something other than line endings."""
    return _REPORTED.search(text.replace("\r\n", "\n")) is not None


def describe_unsafe(text: str) -> str:
    """What kinds of unsafe characters `text` holds, for a lint message: 'ESC, bidi control'."""
    return ", ".join(name for pattern, name in _NAMES if pattern.search(text)) or "invisible character"


# --- JSON -----------------------------------------------------------------------------------------

_JSON_UNSAFE = re.compile(f"[{_INVISIBLE}\ud800-\udfff\u2028\u2029]")
_JSON_NON_ASCII = re.compile("[^\x00-\x7f]")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # JSON has only \uXXXX: write the UTF-16 surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_safe(serialised: str, ascii_only: bool = False) -> str:
    """Already-serialised JSON with every unsafe character written as a ``\\uXXXX`` escape.

    Valid because JSON's own syntax is ASCII: such characters can only sit inside strings, where
    the escape means the same character. `ascii_only` escapes all non-ASCII (for a stdout whose
    encoding is not UTF-8), which keeps the JSON lossless.
    """
    return (_JSON_NON_ASCII if ascii_only else _JSON_UNSAFE).sub(_json_escape, serialised)


class JsonSafeWriter:
    """A text stream wrapper applying `json_safe` to everything written (for streamed JSON)."""

    def __init__(self, stream: object) -> None:
        self._stream = stream
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
        self._ascii = encoding not in ("utf-8", "utf8")

    def write(self, text: str) -> int:
        self._stream.write(json_safe(text, self._ascii))  # type: ignore[attr-defined]
        return len(text)

    def flush(self) -> None:
        flush = getattr(self._stream, "flush", None)
        if flush is not None:
            flush()


def write_json(stream: object, serialised: str) -> None:
    """Write serialised JSON text to `stream`, escaped with `json_safe` for that stream."""
    JsonSafeWriter(stream).write(serialised)


# --- Markdown -------------------------------------------------------------------------------------

# Everything that can open inline Markdown (code, emphasis, links and images, autolinks and HTML,
# entities, strikethrough) or split a table cell; any of them, escaped, is literal (CommonMark 2.4).
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
# What can start a block when the text begins a line: heading, list, quote, setext underline.
_MD_BLOCK_START = re.compile(r"^(?:[#>+=-]|\d+[.)])")
_MD_PLAIN_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./#+-]*")


def md_text(text: str) -> str:
    """Untrusted text as inert inline Markdown on one line.

    CommonMark lets ASCII punctuation be backslash-escaped, and an escaped character is always
    literal. Escaping the characters that open inline constructs means no link, image, autolink,
    raw HTML, entity, emphasis or code span can start, and an escaped ``|`` never splits a table
    cell (GFM); a leading block marker is escaped too, in case the text starts a line. Commas,
    colons and the like stay as they are, so the raw Markdown still reads well in notes.
    (A forge that turns bare URLs into links, such as GitHub, may still link one; it shows its
    own address, so nothing is hidden.)
    """
    text = _MD_INLINE.sub(r"\\\1", " ".join(clean(text, line=True).split()))
    start = _MD_BLOCK_START.match(text)
    if start:
        end = start.end()
        text = text[: end - 1] + "\\" + text[end - 1 :]
    return text


def md_code(text: str) -> str:
    """An id as a code span when it is plain (letters, digits, ``_./#+-``), else as `md_text`.

    Backslash escapes do not work inside code spans, and a ``|`` in one still splits a GFM table
    row, so anything unusual (a backtick, a pipe, a space) is written as escaped text instead.
    """
    text = " ".join(clean(text, line=True).split())
    if _MD_PLAIN_CODE.fullmatch(text):
        return f"`{text}`"
    return md_text(text)


# --- locating unsafe characters in a source file (for lint) ---------------------------------------

_ENTITY = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")


def unsafe_lines(text: str, limit: int = 10) -> tuple[list[int], int]:
    """1-based lines of `text` holding unsafe characters, or Markdown/HTML entities that decode to
    one (``&#x202e;``): at most `limit` of them, and how many such lines there are in all."""
    import html

    text = text.replace("\r\n", "\n")
    hits: set[int] = set()
    line, pos = 1, 0
    for match in _REPORTED.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        hits.add(line)
    if "&" in text:
        line, pos = 1, 0
        for match in _ENTITY.finditer(text):
            if has_unsafe(html.unescape(match.group())):
                line += text.count("\n", pos, match.start())
                pos = match.start()
                hits.add(line)
    ordered = sorted(hits)
    return ordered[:limit], len(ordered)
