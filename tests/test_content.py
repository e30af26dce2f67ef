"""The bundled decks and plans: they ship inside the package, lint clean, and meet the bar."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

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


def test_curriculum_counts(bundled) -> None:
    """The full curriculum v2: 95+ decks, 1,100+ cards; choice cards a quarter or more; every card
    type used; every long answer with key points; every area covered."""
    cards = [card for deck in bundled.decks for card in deck.cards]
    kinds = Counter(card.kind for card in cards)
    choice = kinds[CardKind.MCQ] + kinds[CardKind.MULTI]
    areas = Counter(deck.area for deck in bundled.decks)
    assert len(bundled.decks) >= 95
    assert len(cards) >= 1100
    assert choice / len(cards) >= 0.25, f"{choice} of {len(cards)} cards are choice cards"
    assert kinds[CardKind.NUMERIC] >= 100 and kinds[CardKind.RUBRIC] >= 500 and kinds[CardKind.MULTI] >= 2
    long_basic = [c.id for c in cards if c.kind is CardKind.BASIC and len(c.answer.split()) > 150]
    assert long_basic == [], long_basic
    assert set(areas) == set(AREAS), areas
    assert min(areas.values()) >= 3, areas
    assert len({card.id for card in cards}) == len(cards)


AREAS = (
    "Foundations",
    "Classical ML",
    "Deep Learning",
    "Transformers & LLMs",
    "LLM Systems",
    "MLOps",
    "ML System Design",
    "GenAI Applications",
    "Python for ML",
    "Coding & Behavioural",
)


def test_every_deck_meets_the_bar(bundled) -> None:
    for deck in bundled.decks:
        assert 8 <= len(deck.cards) <= 20, (deck.id, len(deck.cards))
        assert deck.category in ("must", "good-to-know", "specialisation"), deck.id
        assert deck.levels and deck.skills and deck.summary, deck.id
        assert 4 <= len(deck.subtopics) <= 10, deck.id
        assert deck.sources, deck.id
        for card in deck.cards:
            assert not card.id.split("#", 1)[1].startswith("q-"), f"{card.id}: bundled cards need {{#id}}"
            if card.kind is CardKind.MCQ:
                assert card.explanation, card.id


# Which areas each bundled plan promises (in its description) to reach.
PLAN_AREAS = {
    "ml-engineer-12w": set(AREAS),
    "senior-8w": set(AREAS),
    "foundations-to-genai-10w": set(AREAS),
    "crash-4w": set(AREAS) - {"Python for ML"},
}
PLAN_WEEKS = {"ml-engineer-12w": 12, "senior-8w": 8, "foundations-to-genai-10w": 10, "crash-4w": 4}


def test_each_plan_has_its_length_and_reaches_every_area_it_claims(bundled) -> None:
    area_of = {deck.id: deck.area for deck in bundled.decks}
    for plan_id, areas in PLAN_AREAS.items():
        plan = bundled.plan(plan_id)
        assert plan is not None, plan_id
        assert len(plan.weeks) == PLAN_WEEKS[plan_id], plan_id
        assert {area_of[t] for t in plan.topics} >= areas, (
            plan_id,
            areas - {area_of[t] for t in plan.topics},
        )
        assert all(week.topics and week.goals and week.theme for week in plan.weeks), plan_id
    # the flagship plan covers the whole curriculum
    assert set(bundled.plan("ml-engineer-12w").topics) == set(area_of)


def test_lint_passes_on_the_bundled_content(tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from studycli.cli import app

    monkeypatch.setenv("STUDY_HOME", str(tmp_path))
    for name in ("STUDY_DECKS", "STUDY_PLANS"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(app, ["lint"])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.stdout


def test_default_plan_exists_and_every_deck_is_in_some_plan(bundled) -> None:
    assert bundled.plan(config.DEFAULT_PLAN) is not None
    used = {topic for plan in bundled.plans for topic in plan.topics}
    assert {deck.id for deck in bundled.decks} <= used


def test_readme_curriculum_tables_are_generated_from_the_content() -> None:
    """README's curriculum section is `tools/curriculum_stats.py --readme`'s output: never hand-kept."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, str(root / "tools" / "curriculum_stats.py"), "--readme", "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
