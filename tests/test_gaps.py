"""Gap self-assessment core: inventory order, history, scopes, readiness, priorities, the walk."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycli import gaps
from studycli.model import Deck, GapRating
from studycli.session import topic_order

D = date(2026, 3, 2)


def deck(deck_id: str, area: str, subtopics: tuple[str, ...], category: str = "must") -> Deck:
    return Deck(
        id=deck_id,
        title=deck_id.split("/")[-1].title(),
        area=area,
        category=category,
        levels=(),
        skills=(),
        subtopics=subtopics,
        sources=(),
        summary="",
        cards=(),
    )


DECKS = (
    deck("f/opt", "Foundations", ("sgd", "adam")),
    deck("c/trees", "Classical ML", ("gini", "boosting"), "good-to-know"),
    deck("f/metrics", "Foundations", ("auc",)),
    deck("x/extra", "Extra", ("spec",), "specialisation"),
)
PLAN_TOPICS = ("c/trees", "f/opt", "f/metrics")


def rating(deck_id: str, sub: str, value: str, session: int, seq: int, day: date = D) -> GapRating:
    return GapRating(deck_id, sub, value, day, session, seq)


def test_inventory_groups_areas_in_plan_order_and_unplanned_last() -> None:
    items = gaps.inventory(DECKS, PLAN_TOPICS)
    assert [(i.area, i.deck_id, i.text) for i in items] == [
        ("Classical ML", "c/trees", "gini"),
        ("Classical ML", "c/trees", "boosting"),
        ("Foundations", "f/opt", "sgd"),
        ("Foundations", "f/opt", "adam"),
        ("Foundations", "f/metrics", "auc"),
        ("Extra", "x/extra", "spec"),
    ]


def test_latest_keeps_history_and_can_look_back_to_a_session() -> None:
    history = [
        rating("f/opt", "sgd", "dunno", 1, 1),
        rating("f/opt", "sgd", "unsure", 2, 2),
        rating("f/opt", "adam", "know", 2, 3),
        rating("f/opt", "sgd", "know", 3, 4),
    ]
    assert gaps.latest(history) == {("f/opt", "sgd"): "know", ("f/opt", "adam"): "know"}
    assert gaps.latest(history, up_to_session=1) == {("f/opt", "sgd"): "dunno"}
    assert gaps.latest(history, up_to_session=2)[("f/opt", "sgd")] == "unsure"
    assert gaps.assessments(history) == [1, 2, 3]
    assert gaps.latest([]) == {}


def test_latest_orders_by_study_day_then_insertion() -> None:
    # a rating logged later but for an earlier STUDY_TODAY does not override a newer day's answer
    history = [
        rating("f/opt", "sgd", "know", 1, 1, date(2026, 3, 5)),
        rating("f/opt", "sgd", "dunno", 2, 2, D),
    ]
    assert gaps.latest(history) == {("f/opt", "sgd"): "know"}


def test_select_scopes() -> None:
    items = gaps.inventory(DECKS, PLAN_TOPICS)
    current = {("f/opt", "sgd"): "know", ("f/opt", "adam"): "dunno", ("c/trees", "gini"): "unsure"}
    texts = lambda chosen: [i.text for i in chosen]  # noqa: E731
    assert texts(gaps.select(items, current)) == ["boosting", "auc", "spec"]  # unrated only by default
    assert texts(gaps.select(items, current, include_rated=True)) == [i.text for i in items]
    assert texts(gaps.select(items, current, only=("unsure", "dunno"))) == ["gini", "adam"]
    assert texts(gaps.select(items, current, areas=("foundations",), include_rated=True)) == [
        "sgd",
        "adam",
        "auc",
    ]
    assert texts(gaps.select(items, current, topics=("f/metrics",))) == ["auc"]
    assert texts(gaps.select(items, current, reached=("c/trees",), include_rated=True)) == [
        "gini",
        "boosting",
    ]
    assert gaps.select(items, current, reached=()) == []


def test_readiness_is_know_over_all_subtopics() -> None:
    """The issue's example: 8 know, 25 unsure, 8 dunno of 43 subtopics is 18.6% ready."""
    subs = tuple(f"s{i}" for i in range(43))
    items = gaps.inventory([deck("a/b", "Area", subs)], ())
    values = ["know"] * 8 + ["unsure"] * 25 + ["dunno"] * 8  # two left unrated
    current = {("a/b", s): v for s, v in zip(subs, values, strict=False)}
    (row,) = gaps.readiness(items, current)
    assert (row.know, row.unsure, row.dunno, row.unrated, row.total) == (8, 25, 8, 2, 43)
    assert round(row.readiness * 100, 1) == 18.6
    assert gaps.readiness([], {}) == []
    assert gaps.AreaReadiness("empty", 0, 0, 0, 0).readiness == 0.0


def test_changes_compare_with_first_and_previous_snapshots() -> None:
    items = gaps.inventory(DECKS, PLAN_TOPICS)
    history = [
        # assessment 1: everything in Foundations unsure
        rating("f/opt", "sgd", "unsure", 1, 1),
        rating("f/opt", "adam", "unsure", 1, 2),
        rating("f/metrics", "auc", "unsure", 1, 3),
        # assessment 2 (only the weak ones): sgd now known
        rating("f/opt", "sgd", "know", 2, 4),
        # assessment 3: adam known too
        rating("f/opt", "adam", "know", 3, 5),
    ]
    rows = {c.now.area: c for c in gaps.changes(items, history)}
    found = rows["Foundations"]
    assert found.now.know == 2 and found.now.unsure == 1
    assert found.since_baseline == pytest.approx(200 / 3)  # 0/3 -> 2/3
    assert found.since_previous == pytest.approx(100 / 3)  # 1/3 -> 2/3
    assert rows["Classical ML"].since_baseline == 0
    total = gaps.changes(items, history)[-1]
    assert total.now.area == "All areas" and total.now.total == len(items)
    assert total.since_baseline == pytest.approx(200 / 6)
    single = gaps.changes(items, history[:3])
    assert all(c.since_baseline is None and c.since_previous is None for c in single)
    assert gaps.changes([], []) == []


def test_priorities_dunno_then_unsure_then_category_then_reached() -> None:
    items = gaps.inventory(DECKS, PLAN_TOPICS)
    current = {
        ("c/trees", "gini"): "unsure",  # good-to-know, reached
        ("f/opt", "sgd"): "unsure",  # must, not reached
        ("f/metrics", "auc"): "unsure",  # must, reached
        ("x/extra", "spec"): "dunno",  # specialisation
        ("f/opt", "adam"): "know",
    }
    order = [
        (p.subtopic.text, p.rating, p.reached)
        for p in gaps.priorities(items, current, ("c/trees", "f/metrics"))
    ]
    assert order == [
        ("spec", "dunno", False),
        ("auc", "unsure", True),
        ("sgd", "unsure", False),
        ("gini", "unsure", True),
    ]


def test_topic_priority_is_the_weakest_subtopic() -> None:
    items = gaps.inventory(DECKS, PLAN_TOPICS)
    current = {
        ("f/opt", "sgd"): "know",
        ("f/opt", "adam"): "know",
        ("c/trees", "gini"): "know",
        ("f/metrics", "auc"): "dunno",
    }
    assert gaps.topic_priority(items, current) == {"c/trees": 2, "f/opt": 3, "f/metrics": 0, "x/extra": 2}
    current[("c/trees", "boosting")] = "unsure"
    assert gaps.topic_priority(items, current)["c/trees"] == 1


def test_gap_ratings_steer_new_cards_dunno_unsure_unrated_know() -> None:
    items = gaps.inventory(DECKS, PLAN_TOPICS)
    current = {
        ("f/opt", "sgd"): "know",
        ("f/opt", "adam"): "know",
        ("f/metrics", "auc"): "dunno",
        ("c/trees", "gini"): "unsure",
    }
    priority = gaps.topic_priority(items, current)
    # all three reached today: dunno (metrics), unsure (trees), know (opt) — plan order would be trees, opt, metrics
    order = topic_order(PLAN_TOPICS, PLAN_TOPICS, [d.id for d in DECKS], PLAN_TOPICS, priority)
    assert order[:3] == ["f/metrics", "c/trees", "f/opt"]


def test_topic_self_score() -> None:
    items = gaps.inventory(DECKS, PLAN_TOPICS)
    scores = gaps.topic_self_score(items, {("f/opt", "sgd"): "know", ("f/opt", "adam"): "unsure"})
    assert scores == {"f/opt": (0.75, 2)}


def test_walk_back_skip_and_rate() -> None:
    items = gaps.inventory(DECKS, PLAN_TOPICS)[:3]
    walk = gaps.GapWalk(items)
    assert walk.back() is False and walk.position == 0
    assert walk.rate("dunno") == items[0]
    walk.skip()
    assert walk.back() and walk.current == items[1]
    assert walk.back() and walk.current == items[0]
    walk.rate("know")  # replaces the earlier answer in this run
    assert walk.answers == ["know", None, None]
    walk.skip()
    walk.rate("unsure")
    assert walk.done and walk.counts() == {"know": 1, "unsure": 1, "dunno": 0}
    with pytest.raises(ValueError):
        gaps.GapWalk(items).rate("maybe")


@given(st.lists(st.sampled_from(["k", "u", "d", "s", "b"]), max_size=40), st.integers(0, 6))
def test_walk_any_key_sequence_stays_in_bounds(keys: list[str], n: int) -> None:
    items = gaps.inventory([deck("a/b", "A", tuple(f"s{i}" for i in range(n)))], ())
    walk = gaps.GapWalk(items)
    for key in keys:
        if walk.done:
            break
        if key == "b":
            walk.back()
        elif key == "s":
            walk.skip()
        else:
            walk.rate(gaps.KEY_TO_RATING[key])
        assert 0 <= walk.position <= len(items)
    assert sum(walk.counts().values()) <= len(items)


@given(st.dictionaries(st.integers(0, 9), st.sampled_from(gaps.RATINGS)))
def test_readiness_counts_always_add_up(assigned: dict[int, str]) -> None:
    items = gaps.inventory([deck("a/b", "A", tuple(f"s{i}" for i in range(10)))], ())
    current = {("a/b", f"s{i}"): r for i, r in assigned.items()}
    (row,) = gaps.readiness(items, current)
    assert row.know + row.unsure + row.dunno + row.unrated == row.total == 10
    assert 0.0 <= row.readiness <= 1.0
