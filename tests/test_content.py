"""The bundled decks and plans: they ship inside the package, lint clean, and meet the bar."""

from __future__ import annotations

from collections import Counter

import pytest

from studycli import config
from studycli.content import load_collection
from studycli.model import CardKind


@pytest.fixture(scope="module")
def bundled():
    return load_collection(config.content_dirs({}, env={}))


def test_bundled_content_is_found_where_studycli_runs_from() -> None:
    decks = config._bundled("decks")
    assert decks.is_dir() and any(decks.rglob("*.md")), decks
    assert any(config._bundled("plans").glob("*.yaml"))


def test_bundled_content_has_no_diagnostics(bundled) -> None:
    assert [str(d) for d in bundled.diagnostics] == []


def test_starter_content_meets_the_minimum(bundled) -> None:
    areas = Counter(deck.area for deck in bundled.decks)
    assert len(bundled.decks) >= 8 and len(areas) >= 3
    for deck in bundled.decks:
        assert len(deck.cards) >= 8, deck.id
        assert 4 <= len(deck.subtopics) <= 10, deck.id
        assert deck.sources, deck.id
        for card in deck.cards:
            assert not card.id.split("#", 1)[1].startswith("q-"), f"{card.id}: bundled cards need {{#id}}"
            if card.kind is CardKind.MCQ:
                assert card.explanation, card.id


def test_default_plan_exists_and_every_deck_is_in_some_plan(bundled) -> None:
    assert bundled.plan(config.DEFAULT_PLAN) is not None
    used = {topic for plan in bundled.plans for topic in plan.topics}
    assert {deck.id for deck in bundled.decks} <= used
