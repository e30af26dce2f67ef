"""Deck parsing: cards, ids, multiple choice, and one test per diagnostic."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycli.decks import derived_card_id, normalise_question, parse_deck
from studycli.model import CardKind

from .conftest import ALPHA

FM = "---\ntitle: T\narea: Foundations\n---\n"


def parse(body: str, fm: str = FM):
    return parse_deck(fm + textwrap.dedent(body), "area/topic", "deck.md")


def messages(parsed) -> list[tuple[int, str, str]]:
    return [(d.line, d.severity, d.message) for d in parsed.diagnostics]


def test_parses_frontmatter_summary_and_cards() -> None:
    parsed = parse_deck(ALPHA, "t/alpha", "alpha.md")
    assert parsed.diagnostics == ()
    deck = parsed.deck
    assert deck is not None
    assert (deck.title, deck.area, deck.category, deck.levels) == (
        "Alpha topic",
        "Foundations",
        "must",
        ("mid",),
    )
    assert deck.subtopics == ("First alpha idea", "Second alpha idea")
    assert deck.sources == ("Someone 2020, A Paper",)
    assert deck.summary == "Alpha summary."
    assert [c.id for c in deck.cards] == ["t/alpha#a1", "t/alpha#a2", "t/alpha#a3"]
    basic, _, mcq = deck.cards
    assert basic.kind is CardKind.BASIC and basic.answer == "Alpha one answer."
    assert basic.line == 15
    assert mcq.kind is CardKind.MCQ
    assert [o.text for o in mcq.options] == ["beta", "alpha", "gamma"]
    assert mcq.correct_index == 1
    assert mcq.explanation == "Because alpha is alpha."


def test_code_fence_with_hash_lines_stays_in_the_answer() -> None:
    parsed = parse(
        """
        ## Show a comment {#c}
        ```python
        ## not a heading
        x = 1
        ```
        """
    )
    assert parsed.diagnostics == ()
    assert len(parsed.deck.cards) == 1
    assert "## not a heading" in parsed.deck.cards[0].answer


def test_mcq_stem_and_options_with_code() -> None:
    parsed = parse(
        """
        ## What does this print? {#p}
        ```python
        print(2 ** 3)
        ```
        - [ ] `6`
        - [x] `8`
        - [ ] `9`

        Exponent.
        """
    )
    card = parsed.deck.cards[0]
    assert card.kind is CardKind.MCQ
    assert "print(2 ** 3)" in card.stem
    assert card.options[1].text == "`8`"


def test_derived_ids_ignore_case_and_whitespace() -> None:
    a = parse("## What  is   BIAS?\nAnswer.\n").deck.cards[0]
    b = parse("## what is bias?\nAnswer.\n").deck.cards[0]
    assert a.id == b.id == derived_card_id("area/topic", "what is bias?")
    assert a.id.startswith("area/topic#q-")


@given(st.text(min_size=1, max_size=80))
def test_normalise_is_idempotent_and_blind_to_outer_and_repeated_whitespace(text: str) -> None:
    once = normalise_question(text)
    assert normalise_question(once) == once
    assert normalise_question("  " + text.replace(" ", " \t ") + "\n") == once


@given(st.text(alphabet="abcXYZ ?", min_size=1, max_size=40))
def test_derived_id_is_case_blind(text: str) -> None:
    assert derived_card_id("d", text.upper()) == derived_card_id("d", text.lower())


@given(st.text(max_size=400))
def test_parser_never_crashes(body: str) -> None:
    parsed = parse_deck(FM + body, "a/b", "x.md")
    for diag in parsed.diagnostics:
        assert diag.line >= 0 and diag.message


# --- every diagnostic --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("no frontmatter\n## Q\nA\n", 1, "no YAML frontmatter"),
        ("---\ntitle: T\narea: X\n## Q\nA\n", 1, "not closed"),
        ("---\ntitle: [unclosed\narea: X\n---\n## Q\nA\n", 3, "invalid YAML"),
        ("---\n- a list\n---\n## Q\nA\n", 1, "must be a mapping"),
        ("---\ntitle: T\n---\n## Q\nA\n", 1, "non-empty 'area'"),
        ("---\ntitle: T\narea: X\ncolour: red\n---\n## Q\nA\n", 4, "unknown frontmatter key 'colour'"),
        ("---\ntitle: T\narea: X\ncategory: nice\n---\n## Q\nA\n", 4, "category 'nice'"),
        ("---\ntitle: T\narea: X\nlevels:\n  - mid\n  - guru\n---\n## Q\nA\n", 6, "level 'guru'"),
        ("---\ntitle: T\narea: X\nskills: 3\n---\n## Q\nA\n", 4, "'skills' must be a list"),
        (FM + "## Empty card {#e}\n\n## Next {#n}\nA\n", 5, "has no answer"),
        (FM + "## {#only-id}\nA\n", 5, "no question text"),
        (FM + "## Q {#Bad Id}\nA\n", 5, "may only hold"),
        (FM + "## Q1 {#same}\nA\n## Q2 {#same}\nB\n", 7, "duplicate card id"),
        (FM + "## Q {#m}\n- [x] a\n- [x] b\n- [x] c\n", 6, "all 3 options are [x]"),
        (FM + "## Q {#m}\n- [ ] a\n- [ ] b\n- [ ] c\n", 6, "needs an [x] option, found none"),
        (FM + "## Q {#m}\n- [x] a\n- [ ] b\n\nWhy.\n", 6, "at least two wrong options"),
        (FM + "## Q {#m}\n- [x] a\n- b\n- [ ] c\n", 6, "mixes"),
    ],
)
def test_errors_are_located(text: str, line: int, fragment: str) -> None:
    parsed = parse_deck(text, "a/b", "deck.md")
    errors = [d for d in parsed.diagnostics if d.severity == "error"]
    assert errors, parsed.diagnostics
    assert any(fragment in d.message and d.line == line for d in errors), errors


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (FM + "Only a summary.\n", "deck has no cards"),
        (FM + "## Q {#m}\n- [x] a\n- [ ] b\n- [ ] c\n", "no explanation"),
        (FM + "Setext\n------\n\n## Q {#q}\nA\n", "setext"),
        ("---\ntitle: T\narea: X\nskills: [a, a]\n---\n## Q\nA\n", "duplicate skills"),
        (FM + "## Q {#q}\nA \x1b[31mred\x1b[0m\n", "control characters"),
    ],
)
def test_warnings(text: str, fragment: str) -> None:
    parsed = parse_deck(text, "a/b", "deck.md")
    assert any(d.severity == "warning" and fragment in d.message for d in parsed.diagnostics), (
        parsed.diagnostics
    )
    assert parsed.deck is not None


def test_bad_card_is_dropped_but_the_deck_survives() -> None:
    parsed = parse(
        """
        ## Good {#good}
        Fine.

        ## Bad {#bad}
        - [x] a
        - [ ] b
        """
    )
    assert [c.id for c in parsed.deck.cards] == ["area/topic#good"]


def test_escape_sequences_are_removed_at_load() -> None:
    parsed = parse("## Q \x1b]0;pwned\x07title {#q}\nA \x1b[2Jclear \x9b31m\u202eevil\n")
    card = parsed.deck.cards[0]
    for text in (card.question, card.answer):
        assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
    assert card.answer == "A clear 31mevil"


def test_lint_warns_when_the_right_option_gives_itself_away() -> None:
    from studycli.decks import parse_deck

    text = (
        "---\ntitle: T\narea: X\n---\n\n## Which? {#q}\n"
        "- [ ] Adam\n- [x] AdamW, because it decouples weight decay from the adaptive gradient scaling\n"
        "- [ ] SGD\n\nBecause.\n"
    )
    parsed = parse_deck(text, "t/t", "t.md")
    warnings = [d for d in parsed.diagnostics if d.severity == "warning"]
    assert len(warnings) == 1 and warnings[0].line == 7
    assert "markedly longer than every other" in warnings[0].message
    balanced = text.replace(
        "- [ ] Adam\n", "- [ ] Adam, because its moment estimates already include an L2 penalty term\n"
    )
    assert not [d for d in parse_deck(balanced, "t/t", "t.md").diagnostics if d.severity == "warning"]
