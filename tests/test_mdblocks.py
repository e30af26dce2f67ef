"""The fast reading of deck bodies (`mdblocks.blocks`) against markdown-it's own (`markdown_blocks`).

`blocks` may only ever differ from markdown-it in speed: on every input, the blocks (kinds, line
maps, paragraph and heading text, list items) must be exactly markdown-it's. Generated documents
are built from the shapes the fast reading handles and from every shape that must make it hand a
section or the whole file to markdown-it, mixed in any order, so a rule that is wrong either way
shows up as a difference. Other tests check that the fast reading is really used (it would be
equal, and useless, if it always declined).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studycli import decks, mdblocks
from studycli.mdblocks import Block, blocks, markdown_blocks

REPO = Path(__file__).resolve().parent.parent

# Lines the fast reading handles, in the contexts it handles them.
PLAIN = [
    "",
    "   ",
    "## Question one {#q1}",
    "##",
    "## What is C#",
    "## Closed heading ##",
    "## Trailing hashes #",
    "##\ttabbed",
    "### A sub-heading",
    "# Title",
    "####### seven is text",
    "#hashtag is text",
    "```",
    "```python",
    "````",
    "~~~",
    "~~~ info with `backticks`",
    "- item text",
    "- [ ] an option",
    "- [x] the answer",
    "- [X] also right",
    "- **bold** start",
    "  wrapped continuation",
    "  - nested bullet",
    "  * nested star",
    "    deeper nested text",
    "      code-deep text",
    "1. first step",
    "2. second step",
    "10. tenth step",
    "1) paren step",
    "   continued at three",
    "Plain text line.",
    "= 42",
    "= 3.5 ± 0.5 GB",
    "=> an arrow is prose",
    "Time: 90 s",
    "time : 2 min",
    "Key points:",
    "**Key points:**",
    "*emphasis* starts a line",
    "_underscore_ line",
    "| a | b |",
    "2.5 is a number, not a list",
    "-1 is negative",
    "+1 is positive",
    "\u00a0non-breaking space first",
    "trailing spaces  ",
    "  ```python",
    "  ```",
    "< 0.4 is a comparison, not a tag",
    "  1. a nested step",
    "  2. the next step",
    "  2) a paren step",
    "     wrapped at the step's text",
    "  10. a tenth step",
    "      wrapped at the tenth's text",
    "<function <lambda> at 0x7f>: in prose",
    "<b>bold</b> starts a line",
]
# Lines that make the fast reading decline a section or the whole file (or could, in some places).
TRICKY = [
    "<div>",
    "<!-- a comment",
    "-->",
    "  <span>",
    "[ref]: /url",
    "[ref]:",
    '"a title"',
    "  [x]: y",
    "---",
    "===",
    "  ---",
    "-",
    "- ",
    "-\ttab marker",
    "-  two spaces",
    "* star item",
    "+ plus item",
    "* * *",
    "- - -",
    "***",
    "___",
    "> a quote",
    "  > nested quote",
    "  1. nested numbered",
    "  2) nested paren",
    " one space",
    "  ",
    "\ttab indented",
    "  \ttab after spaces",
    "   ## indented heading",
    "  # indented hash",
    "  ```",
    "   ~~~",
    "```with`backtick",
    "01. zero-led",
    "3.",
    "1.x",
    "- # heading item",
    "- - nested at once",
    "- 1. numbered at once",
    "- ```",
    "- <b>",
    "- [link](url) first",
    "1. - bullet in number",
    "\r",
    "a\x00b",
    "    ```",
    "\t```",
    "  ~~~~",
    " ```",
    "<?php",
    " </p>",
    "  <b>bold</b>",
    "<span class=x>",
    "<custom-element>",
    "<DIV>",
    "<div-like text",
    "<x> and then text",
    "<lambda>",
    "  1. nested step",
    "  - [x] nested task",
    "- - - - - - - - - - deep",
    "                  - deep item",
    ">>>>>>>>>>>>>>>>>>>> deep quote",
    "1\u0663. arabic-indic digit",
    "  1\uff11. full-width digit",
]


def _document(lines: list[str], final_newline: bool) -> str:
    return "\n".join(lines) + ("\n" if final_newline else "")


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PLAIN), max_size=40), st.booleans())
def test_plain_shapes_read_exactly_as_markdown_it(lines: list[str], final_newline: bool) -> None:
    content = _document(lines, final_newline)
    assert blocks(content) == markdown_blocks(content)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.sampled_from(PLAIN), st.sampled_from(TRICKY)), max_size=40),
    st.booleans(),
)
def test_every_shape_mixed_reads_exactly_as_markdown_it(lines: list[str], final_newline: bool) -> None:
    content = _document(lines, final_newline)
    assert blocks(content) == markdown_blocks(content)


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(PLAIN),
            st.text(alphabet=st.sampled_from(" \t#-*+=_>`~<[]:.)0123456789axX\u00a0"), max_size=12),
        ),
        max_size=30,
    ),
    st.booleans(),
)
def test_lines_of_markdown_punctuation_read_exactly_as_markdown_it(
    lines: list[str], final_newline: bool
) -> None:
    content = _document(lines, final_newline)
    assert blocks(content) == markdown_blocks(content)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_reads_exactly_as_markdown_it(content: str) -> None:
    assert blocks(content) == markdown_blocks(content)


@pytest.mark.parametrize(
    "path", sorted((REPO / "decks").rglob("*.md")), ids=lambda p: str(p.relative_to(REPO / "decks"))
)
def test_bundled_decks_read_exactly_as_markdown_it(path: Path) -> None:
    _, content = decks._frontmatter().split(path.read_text(encoding="utf-8"))
    assert blocks(content) == markdown_blocks(content)


def test_the_bundled_decks_are_read_without_markdown_it_nearly_everywhere(asked: list[int]) -> None:
    """Not a speed test: a count of what the fast reading declines. If it declined everything it
    would still be exact, and the cold start as slow as before."""
    sections = files = 0
    for path in sorted((REPO / "decks").rglob("*.md")):
        _, content = decks._frontmatter().split(path.read_text(encoding="utf-8"))
        files += 1
        sections += sum(block.kind == "card" for block in blocks(content))
    assert files > 80 and sections > 1000
    # whole files and single sections together: none of 1,259 sections when this was written
    declined = len(asked)
    assert declined * 50 <= sections, (declined, sections)


def test_plain_deck_shapes_take_the_fast_reading(monkeypatch) -> None:
    def refuse(content: str, offset: int = 0) -> list[Block]:
        raise AssertionError(f"declined: {content!r}")

    monkeypatch.setattr(mdblocks, "markdown_blocks", refuse)
    content = (
        "Summary line.\n\n"
        "## What is the derivative of x^2? {#d1}\n"
        "It is `2x`:\n\n```python\ndef grad(x):\n    return 2 * x\n```\n\n"
        "## Which is right? {#d2}\n"
        "Pick one.\n- [ ] a wrong option\n- [x] the right option\n- [ ] another wrong one\n\n"
        "Because.\n\n"
        "## How many? {#d3}\n= 42 ± 1\nTime: 60 s\n\nWorked: 6 × 7.\n\n"
        "## Explain it {#d4}\nKey points:\n\n- [ ] first point\n- [ ] second point\n\n"
        "- A bullet that wraps\n  onto a second line\n  - with a nested bullet\n"
        "1. A numbered step\n   wrapped\n2. Another\n### Aside\nText.\n"
    )
    found = blocks(content)
    assert [(b.kind, b.start, b.end) for b in found] == [
        ("paragraph", 0, 1),
        ("card", 2, 3),
        ("paragraph", 3, 4),
        ("other", 5, 9),  # the fence, its closing line included
        ("card", 10, 11),
        ("paragraph", 11, 12),
        ("list", 12, 16),  # a list interrupts a paragraph; the blank line after it is the list's
        ("paragraph", 16, 17),
        ("card", 18, 19),
        ("paragraph", 19, 21),  # '= 42 ± 1' and its Time line: one paragraph
        ("paragraph", 22, 23),
        ("card", 24, 25),
        ("paragraph", 25, 26),
        ("list", 27, 33),  # a blank line between items keeps one (loose) list
        ("other", 33, 36),  # a numbered list
        ("other", 36, 37),  # a third-level heading
        ("paragraph", 37, 38),
    ]
    assert found[6].items == (
        (12, "[ ] a wrong option"),
        (13, "[x] the right option"),
        (14, "[ ] another wrong one"),
    )
    assert found[13].items == (
        (27, "[ ] first point"),
        (28, "[ ] second point"),
        (30, "A bullet that wraps\nonto a second line"),  # its nested bullet is not an item
    )
    assert found[9].text == "= 42 ± 1\nTime: 60 s"


@pytest.fixture
def asked(monkeypatch) -> list[int]:
    """The line offset of each text `blocks` hands to markdown-it (the test's own calls to
    `markdown_blocks`, made through the module's name here, are not counted)."""
    offsets: list[int] = []
    real = markdown_blocks

    def spy(text: str, offset: int = 0) -> list[Block]:
        offsets.append(offset)
        return real(text, offset)

    monkeypatch.setattr(mdblocks, "markdown_blocks", spy)
    return offsets


@pytest.mark.parametrize(
    "content",
    [
        "<div>\n## hidden in HTML\n</div>\n",  # an HTML block swallows the heading line
        "<!--\n## in a comment\n-->\n",  # so does a comment
        "- item\n  ```\n## at the margin\n  ```\n",  # in the item, or a top-level fence?
        "Underlined\n---\n## Real\n",  # a setext heading
        "- item\n\n   ## three-space heading\n",  # indented heading
        "~~~\n## in code\n\t~~~\n## after\n",  # a closing fence behind a tab
    ],
)
def test_a_file_that_could_hide_a_heading_is_read_by_markdown_it(content: str, asked: list[int]) -> None:
    assert blocks(content) == markdown_blocks(content)
    assert asked == [0] and len(content) > 0  # once, for the whole file


@pytest.mark.parametrize(
    "content",
    [
        # A fence indented 1-3 spaces at the top level is closed by a marker at another indent,
        # which in a list item it would not be: the cut must not pair it with a later one.
        " ```\n  ```\n ```\n## x",
        " ```\n  ```\n <p>\n ```\n## x",
        " ~~~\n  ~~~\n ~~~\n## x",
        "- a\n\n ```\n  ```\n ```\n## x",
        # markdown-it numbers lists with ASCII digits only (Python's \d and int() take any digit)
        "1\u0663. x",
        "1\uff11. x",
        "a\n0\u0661. b",
        "- a\n1\u0663. b",
        # Containers 20 levels deep: markdown-it stops there and the outer list runs to the end
        "- " * 10 + "x\n## y",
        "1. " * 11 + "x\n## y",
        "- a\n  " + "- " * 9 + "b\n\nc",
        "- a\n  " + "- " * 9 + "b\n- c",
        "".join("  " * k + f"- level {k}\n" for k in range(10)) + "## y\n",
        "-\n" + "".join("  " * k + "-\n" for k in range(1, 11)) + "## y\n",
        "- a\n" + "".join("\t" * k + "- b\n" for k in range(1, 11)) + "## y\n",
        ">" * 21 + " x\n## y\n",
    ],
)
def test_cases_a_review_found_read_exactly_as_markdown_it(content: str) -> None:
    """Each of these once read differently from markdown-it (found by an adversarial review)."""
    assert blocks(content) == markdown_blocks(content)


def test_a_reference_definition_cannot_hide_a_heading() -> None:
    """Why the cut does not stop at a '[': a heading line ends a reference definition (even one
    whose title is still open), just as it ends a paragraph."""
    content = "[a]: /url 'title\n## inside a title?\n'\n\n## Next\nText.\n"
    found = blocks(content)
    assert found == markdown_blocks(content)
    assert [b.text for b in found if b.kind == "card"] == ["inside a title?", "Next"]


def test_a_section_of_another_shape_goes_alone_to_markdown_it(asked: list[int]) -> None:
    content = "## Plain\nText.\n\n## Quoted\n> a quote\n\n## Plain again\nMore.\n"
    assert blocks(content) == markdown_blocks(content)
    assert asked == [4]  # the second section alone, its lines shifted to their place


def test_decks_parse_the_same_through_either_reading(monkeypatch) -> None:
    """Whole `parse_deck` results (cards, kinds, diagnostics and their lines) with the fast reading
    and with markdown-it alone, on every bundled deck and test fixture."""
    paths = sorted((REPO / "decks").rglob("*.md")) + sorted((REPO / "tests" / "fixtures").rglob("*.md"))
    fast = [decks.load_deck_file(p, p.parent, False) for p in paths]
    monkeypatch.setattr(mdblocks, "blocks", markdown_blocks)
    slow = [decks.load_deck_file(p, p.parent, False) for p in paths]
    assert len(paths) > 80
    assert fast == slow
