"""The top-level blocks of a deck body: everything card parsing reads from its Markdown.

A card's kind and parts follow from a few facts about the body's top-level blocks: where each
`## ` heading is, each paragraph's lines and text, and each bullet list's lines and the first text
of its items. markdown-it computes them exactly, but builds the whole token tree to do it: about two
thirds of the cost of parsing a deck with no cache. Most deck text is made of a few plain shapes
(paragraphs, fenced code, `- ` lists with wrapped items, headings) whose blocks follow from the
lines alone, so `blocks` reads those shapes itself and hands everything else to markdown-it:

- the body is cut at its `## ` headings. That cut is exact only when nothing in the file can hide a
  heading or make one (a line that may open an HTML block, an underlined heading, an indented
  heading, an indented fence whose extent depends on the list it may sit in, containers nested
  deep enough to reach markdown-it's nesting limit); a file holding any of those is parsed whole
  by markdown-it;
- a section is read line by line when every line outside its fences has one of the plain shapes;
  any other line (a quote, a `*` list, text indented off its item's column...) sends that
  section, alone, to markdown-it. A section starts after a top-level heading, where markdown-it's
  state is fresh, so parsing it alone gives the tokens the whole parse gives it.

Anything this module cannot be sure of goes to markdown-it: the fast reading is never a guess.
`tests/test_mdblocks.py` holds it to `markdown_blocks` (markdown-it's own answer) on the bundled
decks and on generated Markdown built from every shape above and every one that makes it decline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

BlockKind = Literal["card", "setext", "paragraph", "list", "other"]


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level block. `start`/`end` are markdown-it's line map (0-based, end exclusive).

    kinds: `card` a `## ` heading (`text` is its title), `setext` an underlined second-level
    heading, `paragraph` (`text` is its text), `list` a bullet list (`items` holds each item's first
    line and the text of its first paragraph), `other` any other block (code, quotes, headings of
    other levels, ordered lists...).
    """

    kind: BlockKind
    start: int
    end: int
    text: str = ""
    items: tuple[tuple[int, str], ...] = ()


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Only block structure is needed; skipping inline parsing (emphasis, links…) halves the cost.
    return MarkdownIt("commonmark").disable(["inline", "text_join"], ignoreInvalid=True)


def blocks(content: str) -> list[Block]:
    """The top-level blocks of `content`, exactly as `markdown_blocks` gives them, in order."""
    lines = content.split("\n")
    # markdown-it's line count: a last line with nothing but spaces or tabs (or nothing) is not one
    total = len(lines) if lines[-1].strip(" \t") else len(lines) - 1
    cut = _cut(content, lines, total)
    if cut is None:
        return markdown_blocks(content)
    segments, fence_ends, titles = cut
    found: list[Block] = []
    for heading, start, end in segments:
        if heading >= 0:
            found.append(Block("card", heading, heading + 1, titles[heading]))
        section = _read_section(lines, start, end, fence_ends)
        if section is None:
            # One newline per line, the last included: markdown-it does not count a final empty line.
            section = markdown_blocks("\n".join(lines[start:end]) + "\n", start)
        found.extend(section)
    return found


def markdown_blocks(content: str, offset: int = 0) -> list[Block]:
    """markdown-it's answer: the top-level blocks of its token stream, lines shifted by `offset`."""
    tokens = _markdown().parse(content)
    found: list[Block] = []
    for i, token in enumerate(tokens):
        if token.level != 0 or token.nesting < 0:
            continue
        assert token.map is not None  # every block token carries its lines
        start, end = token.map[0] + offset, token.map[1] + offset
        if token.type == "paragraph_open":
            found.append(Block("paragraph", start, end, tokens[i + 1].content))
        elif token.type == "bullet_list_open":
            items = tuple((line + offset, text) for line, text in _list_items(tokens, i))
            found.append(Block("list", start, end, items=items))
        elif token.type == "heading_open" and token.tag == "h2":
            if token.markup == "##":
                found.append(Block("card", start, end, tokens[i + 1].content))
            else:
                found.append(Block("setext", start, end))
        else:
            found.append(Block("other", start, end))
    return found


def _list_items(tokens: Sequence[Any], start: int) -> list[tuple[int, str]]:
    """(line, inline text) of each item of the list opened at tokens[start].

    Only bullet lists count as nesting here, so the items of a numbered list inside an item count
    as this list's own: the card parser has always read lists this way (see `_COUNTED`)."""
    items: list[tuple[int, str]] = []
    depth = 0
    for token in tokens[start:]:
        if token.type == "bullet_list_open":
            depth += 1
        elif token.type == "bullet_list_close":
            depth -= 1
            if depth == 0:
                break
        elif token.type == "list_item_open" and depth == 1:
            items.append((token.map[0] if token.map else 0, ""))
        elif token.type == "inline" and depth == 1 and items and not items[-1][1]:
            items[-1] = (items[-1][0], token.content)
    return items


# --- the fast reading ------------------------------------------------------------------------------

_FENCE = re.compile(r"(`{3,}|~{3,})(.*)")
# Every HTML element name, current and obsolete. CommonMark opens an HTML block at a tag with one
# of some of these names (its list has grown between versions), at '<!' or '<?', or at a line
# that is one complete tag; `_html_start` says yes to all of those and to more.
_HTML_NAMES = frozenset(
    [
        "a",
        "abbr",
        "acronym",
        "address",
        "applet",
        "area",
        "article",
        "aside",
        "audio",
        "b",
        "base",
        "basefont",
        "bdi",
        "bdo",
        "bgsound",
        "big",
        "blink",
        "blockquote",
        "body",
        "br",
        "button",
        "canvas",
        "caption",
        "center",
        "cite",
        "code",
        "col",
        "colgroup",
        "data",
        "datalist",
        "dd",
        "del",
        "details",
        "dfn",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "em",
        "embed",
        "fieldset",
        "figcaption",
        "figure",
        "font",
        "footer",
        "form",
        "frame",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "i",
        "iframe",
        "image",
        "img",
        "input",
        "ins",
        "isindex",
        "kbd",
        "keygen",
        "label",
        "legend",
        "li",
        "link",
        "listing",
        "main",
        "map",
        "mark",
        "marquee",
        "math",
        "menu",
        "menuitem",
        "meta",
        "meter",
        "multicol",
        "nav",
        "nextid",
        "nobr",
        "noembed",
        "noframes",
        "noscript",
        "object",
        "ol",
        "optgroup",
        "option",
        "output",
        "p",
        "param",
        "picture",
        "plaintext",
        "pre",
        "progress",
        "q",
        "rb",
        "rp",
        "rt",
        "rtc",
        "ruby",
        "s",
        "samp",
        "script",
        "search",
        "section",
        "select",
        "slot",
        "small",
        "source",
        "spacer",
        "span",
        "strike",
        "strong",
        "style",
        "sub",
        "summary",
        "sup",
        "svg",
        "table",
        "tbody",
        "td",
        "template",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "time",
        "title",
        "tr",
        "track",
        "tt",
        "u",
        "ul",
        "var",
        "video",
        "wbr",
        "xmp",
    ]
)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")


def _html_start(text: str) -> bool:
    """True if `text` (from its first '<') might open an HTML block in some CommonMark version:
    '<!' or '<?', a tag named like an HTML element, or a tag on a line that ends in '>' (a lone
    complete tag). `<function <lambda>>: ...` in prose is text."""
    if text[1:2] in ("!", "?"):
        return True
    match = _TAG.match(text)
    return match is not None and (match.group(1).lower() in _HTML_NAMES or text.rstrip().endswith(">"))


# markdown-it stops reading containers nested 20 levels deep (a list is two, a quote one) and
# lets the outermost run to the end of the file, over any heading. Each level takes at least
# about a column of the line that opens it (indent, '>' or a list marker), so a file with a line
# whose container prefix spans MAX_PREFIX columns (a tab counted as four) goes to markdown-it.
MAX_PREFIX = 16
_PREFIX = re.compile(r"(?:[ >\t]|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$))*")
_NESTS = frozenset(" \t>-*+0123456789")


def _nesting(line: str) -> int:
    """The width in columns of `line`'s leading indent, quote and list markers (tabs as four)."""
    match = _PREFIX.match(line)
    end = match.end() if match is not None else 0  # it always matches, if only ""
    return end + 3 * line.count("\t", 0, end)


# Outside fences, a line that starts (after any indent) like one of these can hide a heading from
# the cut or make one, so the file goes to markdown-it: an HTML block, an underline, an indented
# '#' (a heading, if its indent is not a list item's). Link reference definitions cannot: a
# heading line ends one, as it ends a paragraph.
_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*$")
# A line (with no indent) that starts a block other than a paragraph line, or that might.
_NOT_PLAIN = re.compile(
    r"[ \t]|#{1,6}(?:[ \t]|$)|[>\[]|`{3}|~{3}|[-*+](?:[ \t]|$)|[0-9]{1,9}[.)](?:[ \t]|$)"
    r"|(?:\*[ \t]*){3,}$|(?:-[ \t]*){3,}$|(?:_[ \t]*){3,}$|=+[ \t]*$"
)
_STARTS = frozenset(" \t#>[<`~-*+_=0123456789")
_TASK_ITEM = re.compile(r"\[[ xX]\][ \t]+\S")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")


def _trimmed(text: str) -> str | None:
    """`text` (its first character not a space or tab) without trailing spaces and tabs; None if
    either end is a character some version of markdown-it trims and another does not (Python's
    `strip` and markdown-it-py 4's CommonMark set differ on controls and some Unicode spaces)."""
    text = text.rstrip(" \t")
    if text and not (_firm(text[0]) and _firm(text[-1])):
        return None
    return text


def _firm(char: str) -> bool:
    return "!" <= char <= "~" or (char.isprintable() and not char.isspace())


def _plain(text: str) -> bool:
    """True if `text` (not blank) is a line of paragraph text wherever it stands."""
    if text[0] == "<":
        return not _html_start(text)
    return text[0] not in _STARTS or _NOT_PLAIN.match(text) is None


def _continues(text: str) -> bool:
    """True if `text` (not blank), right after a line of a paragraph at the same indent, is more
    of that paragraph: plain text, or what only starts a block where no paragraph is open (a link
    reference definition, a numbered list not starting at 1)."""
    if _plain(text) or text[0] == "[":
        return True
    match = _ORDERED_ANY.match(text)
    return match is not None and int(match.group(1)) != 1


def _heading_text(line: str) -> str | None:
    """The title of a `## ` line as markdown-it reads it (a closing run of '#' after a space goes);
    None where markdown-it versions could trim it differently (see `_trimmed`)."""
    text = line[2:].rstrip(" \t")
    bare = text.rstrip("#")
    if len(bare) < len(text) and bare and bare[-1] in " \t":
        text = bare
    return _trimmed(text.lstrip(" \t"))


Cut = tuple[list[tuple[int, int, int]], dict[int, int], dict[int, str]]


def _cut(content: str, lines: list[str], total: int) -> Cut | None:
    """The body's sections as (heading line or -1, first line, end line), each fence's end by its
    opening line and each heading's title by its line; None if the file holds something that
    could hide or fake a heading."""
    if "\r" in content or "\0" in content:  # markdown-it rewrites these, shifting its lines
        return None
    headings: list[int] = []
    titles: dict[int, str] = {}
    fence_ends: dict[int, int] = {}
    i = 0
    while i < total:
        line = lines[i]
        if not line:
            i += 1
            continue
        first = line[0]
        if first in _NESTS and _nesting(line) >= MAX_PREFIX:
            return None
        if first == "#":
            if line.startswith("##") and (len(line) == 2 or line[2] in " \t"):
                title = _heading_text(line)
                if title is None:
                    return None
                titles[i] = title
                headings.append(i)
        elif first in "`~":
            match = _FENCE.match(line)
            if match is not None:
                marker = match.group(1)
                if first == "`" and "`" in match.group(2):
                    return None  # not a fence but inline code: rare enough to leave to markdown-it
                j = _fence_end(lines, i + 1, total, first, len(marker))
                if j < 0:
                    return None
                fence_ends[i] = j
                i = j
                continue
        elif first in " \t":
            rest = line.lstrip(" \t")
            if rest.startswith(("```", "~~~")):
                j = _indented_fence_end(lines, i, total)
                if j < 0:
                    return None
                i = j
                continue
            if rest and (rest[0] == "#" or (rest[0] == "<" and _html_start(rest)) or _UNDERLINE.match(rest)):
                return None
        elif (first == "<" and _html_start(line)) or (first in "=-" and _UNDERLINE.match(line)):
            return None
        i += 1
    edges = [-1, *headings]
    ends = [*headings, total]
    return [(h, h + 1, end) for h, end in zip(edges, ends, strict=True)], fence_ends, titles


def _fence_end(lines: list[str], i: int, total: int, char: str, length: int) -> int:
    """The line after the fence that opened above line `i` (`total` if never closed); -1 if a
    fence marker behind a tab inside it might close it."""
    while i < total:
        line = lines[i]
        if line:
            if line[0] == char:
                if _closes(line, char, length):
                    return i + 1
            elif line[0] in " \t":
                rest = line.lstrip(" ")
                if rest.startswith("\t") and rest.lstrip(" \t").startswith(char * 3):
                    return -1  # how far a tab indents is for markdown-it to work out
                if len(line) - len(rest) <= 3 and rest.startswith(char * 3) and _closes(rest, char, length):
                    return i + 1  # a closing fence may be indented up to three spaces
        i += 1
    return total


def _closes(text: str, char: str, length: int) -> bool:
    """True if `text` (from its first non-space) is a closing fence for `length` × `char`."""
    bare = text.rstrip(" \t")
    return len(bare) >= length and bare.count(char) == len(bare)


def _indented_fence_end(lines: list[str], i: int, total: int) -> int:
    """The line after an indented fence marker's block, or -1 if where it ends is unclear.

    Indented, the marker opens a fence inside a list item, or a top-level fence (up to three
    spaces), or is text or code: which one takes container rules this module does not follow.
    Whichever it is, if a closing marker at the same indent follows and no line in between is
    less indented, those lines hold no line at the margin: no heading can hide there, and the
    fence (if it is one) is closed. Otherwise markdown-it decides.
    """
    opener = lines[i]
    bare = opener.lstrip(" ")
    lead = len(opener) - len(bare)
    match = _FENCE.match(bare)
    if not match or (bare[0] == "`" and "`" in match.group(2)):
        return -1  # a tab in the indent, or not a fence (inline code)
    char, length = bare[0], len(match.group(1))
    j = i + 1
    while j < total:
        line = lines[j]
        if line.strip(" \t"):
            inner = line.lstrip(" ")
            if len(line) - len(inner) < lead or inner[0] == "\t":
                return -1
            if inner.startswith(char * 3):
                if len(line) - len(inner) != lead:
                    return -1  # at the top level it could close the fence, in an item not
                if _closes(inner, char, length):
                    return j + 1
        j += 1
    return -1


def _read_section(lines: list[str], start: int, end: int, fence_ends: dict[int, int]) -> list[Block] | None:
    """The blocks of lines[start:end] if every line has a shape read here; None to ask markdown-it."""
    found: list[Block] = []
    i = start
    while i < end:
        line = lines[i]
        if not line or (line[0] in " \t" and not line.strip(" \t")):
            i += 1
            continue
        fence = fence_ends.get(i)
        if fence is not None:
            found.append(Block("other", i, fence))
            i = fence
            continue
        marker = _marker(line)
        if marker is not None:
            listed = _read_list(lines, i, end, fence_ends, marker)
            if listed is None:
                return None
            found.append(listed)
            i = listed.end
            continue
        if line[0] == "#" and _HEADING.match(line):
            found.append(Block("other", i, i + 1))
            i += 1
            continue
        if not _plain(line):
            return None
        j = i + 1
        while j < end:
            following = lines[j]
            if not following or not _continues(following):
                break
            j += 1
        if j < end and lines[j].strip(" \t") and not _ends_paragraph(lines[j], j, fence_ends):
            return None  # continuation text of another shape, or a list that cannot interrupt
        text = _trimmed("\n".join(lines[i:j]))
        if text is None:
            return None
        found.append(Block("paragraph", i, j, text))
        i = j
    return found


_ORDERED_ANY = re.compile(r"([0-9]{1,9})[.)](?:[ \t]|$)")
_ORDERED = re.compile(r"([0-9]{1,9})([.)]) (?=[^ \t])")
# What ends the first paragraph of an item when it stands at the item's text column: a nested
# list (a bullet, or an ordered one starting at 1; both with text) or a thematic break.
_NESTED = re.compile(r"(?:[-*+]|1[.)])[ \t]+[^ \t]")

# Inside a bullet item, the items of a numbered list nested there count as items of the bullet
# list itself in what `markdown_blocks` reads from the tokens (only bullet lists count as nesting:
# the card parser has always read lists this way). The fast reading does the same for one shape,
# a numbered list right at the item's text column after its first paragraph (`_read_counted`);
# any other line that could hold a numbered list there (a number, a quote) is left to markdown-it.
_COUNTED = re.compile(r">|[0-9]{1,9}[.)](?:[ \t]|$)")

Marker = tuple[str, int, int]  # list kind ('-' a bullet, '.' or ')' ordered), number, text column


def _marker(line: str) -> Marker | None:
    """The marker of a list item line read here: `- ` or `N. `/`N) ` with one space, then text."""
    if line.startswith("- "):
        return ("-", 0, 2) if len(line) > 2 and line[2] not in " \t" else None
    if line[0] in "0123456789":
        match = _ORDERED.match(line)
        if match is not None:
            return match.group(2), int(match.group(1)), match.end()
    return None


def _ends_paragraph(line: str, i: int, fence_ends: dict[int, int]) -> bool:
    """True if `line` (after a top-level paragraph line, not plain) starts a block that may cut a
    paragraph short: a fence, a heading, a `- ` item or an ordered item numbered 1."""
    if i in fence_ends or (line[0] == "#" and _HEADING.match(line)):
        return True
    marker = _marker(line)
    return marker is not None and (marker[0] == "-" or marker[1] == 1)


def _read_counted(
    lines: list[str], i: int, end: int, column: int, marker: Marker
) -> tuple[int, bool, list[tuple[int, str]]] | None:
    """A numbered list nested in a bullet item at the item's text `column`, starting at line `i`:
    each of its items' first line and first-paragraph text, as `markdown_blocks` counts them into
    the bullet list (see _COUNTED). Items are `N. text` at `column`, wrapped at their own text
    column; a blank line may end the list. Returns the first line after it, whether a blank line
    came last, and the items; None for any other shape (a lazy line, a second paragraph in an
    item, a deeper list)."""
    delimiter = marker[0]
    found: list[tuple[int, str]] = []
    while True:  # lines[i] is an item: `column` spaces, then its marker and text
        text_column = column + marker[2]
        content = lines[i][text_column:]
        if not _plain(content):
            return None
        texts = [content]
        first, blank = i, False
        i += 1
        while i < end:
            line = lines[i]
            if not line.strip(" \t"):
                blank = True
            elif not blank and line.startswith(" " * text_column) and line[text_column] not in " \t":
                if not _continues(line[text_column:]):
                    break
                texts.append(line[text_column:])
            else:
                break
            i += 1
        text = _trimmed("\n".join(texts))
        if text is None:
            return None
        found.append((first, text))
        if i >= end:
            return i, blank, found
        line = lines[i]
        lead = len(line) - len(line.lstrip(" "))
        if lead == column and line[column] not in " \t":
            following = _marker(line[column:])
            if following is not None and following[0] == delimiter:
                marker = following
                continue  # the next item (a blank line between keeps one, loose, list)
            if blank and following is None and _plain(line[column:]):
                return i, blank, found  # a paragraph of the bullet item: its caller reads on
            return None
        if lead == 0 and (blank or _marker(line) is not None):
            return i, blank, found  # the next bullet item, or a block at the margin after a blank
        return None


def _read_list(
    lines: list[str], start: int, end: int, fence_ends: dict[int, int], marker: Marker
) -> Block | None:
    """A list of `- ` (or `N. `) items whose first paragraph is plain text, wrapped at the item's
    text column or lazily; what follows that paragraph inside an item (a nested list, another
    paragraph) is indented past the column and not read. None if a line has any other shape."""
    kind, _, column = marker
    items: list[tuple[int, str]] = []
    i = start
    while True:  # lines[i] starts an item of this list
        first = i
        content = lines[i][column:]
        if not (_plain(content) or (kind == "-" and _TASK_ITEM.match(content))):
            return None
        texts = [content]
        counted: list[tuple[int, str]] = []  # a nested numbered list's items: see _COUNTED
        in_paragraph = True  # still in the item's first paragraph
        blank = False
        unread = False  # whether anything after that paragraph has been passed over unread
        i += 1
        while i < end:
            line = lines[i]
            if not line or (line[0] in " \t" and not line.strip(" \t")):
                blank, in_paragraph = True, False
            elif line[0] in " \t":
                lead = len(line) - len(line.lstrip(" "))
                if line[lead] == "\t" or lead < column:
                    return None  # a tab, or less than the item's indent: left to markdown-it
                nested = _marker(line[column:]) if kind == "-" and lead == column and not unread else None
                if nested is not None and nested[0] != "-" and (blank or nested[1] == 1):
                    read = _read_counted(lines, i, end, column, nested)
                    if read is None:
                        return None
                    i, blank, found = read
                    counted.extend(found)
                    in_paragraph, unread = False, True
                    continue
                if in_paragraph:
                    if lead > column:
                        return None
                    rest = line[column:]
                    if _continues(rest):
                        texts.append(rest)
                        i += 1
                        continue
                    if not (_NESTED.match(rest) or rest.startswith(("```", "~~~"))):
                        return None
                    in_paragraph = False  # a nested list or a fence starts: not read
                if kind == "-" and _COUNTED.match(line, lead):
                    return None  # see _COUNTED
                blank, unread = False, True
            elif _marker(line) is not None or i in fence_ends or (line[0] == "#" and _HEADING.match(line)):
                break  # the next item, another list, or a block that ends this one
            elif blank:
                break  # after a blank line, a line at the margin ends the list
            elif in_paragraph and (_plain(line) or line[0] == "["):
                texts.append(line)  # a lazy continuation of the item's paragraph
            else:
                return None
            i += 1
        text = _trimmed("\n".join(texts))
        if text is None:
            return None
        items.append((first, text))
        items.extend(counted)
        following = _marker(lines[i]) if i < end else None
        if following is not None and following[0] == kind and following[2] == column:
            continue
        if following is not None and following[0] == kind:
            return None  # an item of this list with its text at another column: markdown-it's
        if kind != "-":
            return Block("other", start, i)
        return Block("list", start, i, items=tuple(items))
