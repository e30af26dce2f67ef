"""Building a check (70/30 mix, pools short, ordering) and running its rule-7 queue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycli.model import Card, CardState, Deck, GradedItem, Item
from studycli.session import (
    CheckRequest,
    CheckRun,
    build_check,
    due_order,
    interleave,
    quotas,
    summarise,
    topic_order,
)

TODAY = date(2026, 5, 10)


def deck(deck_id: str, n: int) -> Deck:
    cards = tuple(Card(id=f"{deck_id}#c{i}", deck_id=deck_id, question=f"q{i}", answer="a") for i in range(n))
    return Deck(id=deck_id, title=deck_id, area="A", cards=cards)


def seen(card_id: str, due_offset: int, ef: float = 2.5, interval: int = 1) -> CardState:
    due = TODAY + timedelta(days=due_offset)
    return CardState(
        card_id=card_id,
        ef=ef,
        interval=interval,
        repetitions=1,
        due=due,
        last_review=due - timedelta(days=interval),
    )


def test_default_mix_is_7_new_3_review() -> None:
    assert quotas(10, 0.7, 50, 50) == (7, 3)


@pytest.mark.parametrize(
    ("new_avail", "review_avail", "expected"),
    [
        (2, 50, (2, 8)),  # new short: reviews fill
        (50, 1, (9, 1)),  # reviews short: new fill
        (2, 1, (2, 1)),  # both short
        (0, 0, (0, 0)),
        (0, 12, (0, 10)),
        (12, 0, (10, 0)),
    ],
)
def test_short_pools_fill_each_other(new_avail: int, review_avail: int, expected: tuple[int, int]) -> None:
    assert quotas(10, 0.7, new_avail, review_avail) == expected


@given(
    st.integers(min_value=0, max_value=60),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=0, max_value=80),
    st.integers(min_value=0, max_value=80),
)
def test_quota_invariants(size: int, ratio: float, new_avail: int, review_avail: int) -> None:
    new, review = quotas(size, ratio, new_avail, review_avail)
    assert 0 <= new <= new_avail and 0 <= review <= review_avail
    assert new + review == min(size, new_avail + review_avail)
    want_new = int(size * ratio + 0.5)
    if new_avail >= want_new and review_avail >= size - want_new:
        assert (new, review) == (want_new, size - want_new)


def test_reviews_most_overdue_relative_to_their_interval_first() -> None:
    decks = {d.id: d for d in (deck("x/a", 3),)}
    states = {
        # 5 days late on a 30-day interval: 35/30 of the interval has passed
        "x/a#c0": seen("x/a#c0", -5, interval=30),
        # 2 days late on a 2-day interval: twice the interval has passed, the most at risk
        "x/a#c1": seen("x/a#c1", -2, interval=2),
        # due today on a 1-day interval: exactly one interval
        "x/a#c2": seen("x/a#c2", 0, interval=1),
    }
    items = build_check(
        CheckRequest(TODAY, size=3, new_ratio=0.0), decks, states, due_order(states, TODAY), ["x/a"]
    )
    assert [i.card.id for i in items] == ["x/a#c1", "x/a#c0", "x/a#c2"]


def test_reviews_most_overdue_first_and_new_in_topic_order() -> None:
    decks = {
        d.id: d for d in (deck("x/today", 5), deck("x/earlier", 5), deck("x/extra", 5), deck("x/future", 5))
    }
    states = {
        "x/earlier#c0": seen("x/earlier#c0", -1),
        "x/earlier#c1": seen("x/earlier#c1", -9),
        "x/earlier#c2": seen("x/earlier#c2", -3),
        "x/earlier#c3": seen("x/earlier#c3", +2),  # not due yet
        "x/today#c0": seen("x/today#c0", 0),
    }
    order = topic_order(["x/today"], ["x/earlier", "x/today"], decks, ["x/earlier", "x/today", "x/future"])
    assert order == ["x/today", "x/earlier", "x/extra"]  # future week's topic is not introduced early
    items = build_check(
        CheckRequest(TODAY, size=10, new_ratio=0.7), decks, states, due_order(states, TODAY), order
    )
    reviews = [i.card.id for i in items if i.source == "review"]
    new = [i.card.id for i in items if i.source == "new"]
    assert reviews == ["x/earlier#c1", "x/earlier#c2", "x/earlier#c0"]
    assert new == [
        "x/today#c1",
        "x/today#c2",
        "x/today#c3",
        "x/today#c4",
        "x/earlier#c4",
        "x/extra#c0",
        "x/extra#c1",
    ]
    assert len(items) == 10
    assert not any(i.card.deck_id == "x/future" for i in items)


def test_topic_filter_limits_both_pools() -> None:
    decks = {d.id: d for d in (deck("x/a", 5), deck("x/b", 5))}
    states = {"x/a#c0": seen("x/a#c0", -1), "x/b#c0": seen("x/b#c0", -1)}
    order = topic_order([], [], decks, [])
    items = build_check(
        CheckRequest(TODAY, size=10, topics=("x/b",)), decks, states, due_order(states, TODAY), order
    )
    assert {i.card.deck_id for i in items} == {"x/b"}
    assert len(items) == 5


def test_gap_priority_reorders_within_a_band() -> None:
    order = topic_order(["a", "b", "c"], ["a", "b", "c"], ["a", "b", "c"], ["a", "b", "c"], {"a": 3, "c": 0})
    assert order == ["c", "b", "a"]


def test_interleave_spreads_reviews() -> None:
    new = [Item(Card(f"n{i}", "d", "q"), "new") for i in range(7)]
    review = [Item(Card(f"r{i}", "d", "q"), "review") for i in range(3)]
    kinds = "".join(i.source[0] for i in interleave(new, review))
    assert kinds.count("r") == 3 and kinds.count("n") == 7
    assert "rr" not in kinds and not kinds.startswith("r") and not kinds.endswith("r")


def test_rule_7_repeats_until_graded_4_or_more() -> None:
    a, b = Card("a", "d", "qa"), Card("b", "d", "qb")
    run = CheckRun([Item(a, "new"), Item(b, "review")])
    run.grade(2)  # a fails: comes back
    run.grade(5)  # b fine
    assert run.current == Item(a, "new", repeat=True, showing=1)  # its second showing today
    run.grade(3)  # still below 4: again
    assert run.current == Item(a, "new", repeat=True, showing=2)
    run.grade(4)
    assert run.done
    assert [(g.card_id, g.quality, g.repeat) for g in run.graded] == [
        ("a", 2, False),
        ("b", 5, False),
        ("a", 3, True),
        ("a", 4, True),
    ]


def test_summary_scores_first_attempts_only() -> None:
    graded = [
        GradedItem("a", "new", 5, False),
        GradedItem("b", "new", 2, False),
        GradedItem("c", "review", 4, False),
        GradedItem("b", "new", 5, True),
    ]
    summary = summarise(graded, planned=4)
    assert summary.asked == 3 and summary.repeats == 1
    assert summary.score == pytest.approx(2 / 3)  # a and c recalled (3+), b not
    assert summary.new_score == pytest.approx(1 / 2)
    assert summary.review_score == pytest.approx(1.0)
    assert summary.mean_grade == pytest.approx(11 / 3)


def test_summary_of_nothing() -> None:
    summary = summarise([], planned=10)
    assert summary.score is None and summary.new_score is None and summary.asked == 0


def test_state_after_steps_sm2_on_first_attempts_only() -> None:
    from studycli.session import state_after

    card = Card("a", "d", "q")
    first = state_after(Item(card, "new"), None, 2, TODAY)
    assert (first.repetitions, first.interval, first.reviews) == (0, 1, 1)
    assert state_after(Item(card, "new", repeat=True), first, 5, TODAY) == first
    second = state_after(Item(card, "review"), first, 5, TODAY + timedelta(days=1))
    assert (second.repetitions, second.interval) == (1, 1)


def test_plan_topic_order_combines_plan_position_and_gap_ratings() -> None:
    from studycli.model import GapRating, Plan, Week
    from studycli.session import plan_topic_order

    decks = [Deck(id, id, "A", subtopics=(f"{id} idea",)) for id in ("w1/a", "w1/b", "w2/c", "x/extra")]
    plan = Plan("p", "P", "", (Week(1, "one", ("w1/a", "w1/b")), Week(2, "two", ("w2/c",))))
    start = date(2026, 3, 2)
    order, reached = plan_topic_order(plan, start, start, decks, [])
    assert (order, reached) == (["w1/a", "w1/b", "x/extra"], ("w1/a", "w1/b"))  # week 2 not yet
    dunno_b = [
        GapRating("w1/b", "w1/b idea", "dunno", start, 1, 1),
        GapRating("w1/a", "w1/a idea", "know", start, 1, 2),
    ]
    assert plan_topic_order(plan, start, start, decks, dunno_b)[0] == ["w1/b", "w1/a", "x/extra"]
    later, reached = plan_topic_order(plan, start, start + timedelta(days=7), decks, dunno_b)
    assert later == ["w2/c", "w1/b", "w1/a", "x/extra"] and reached == ("w1/a", "w1/b", "w2/c")
    assert plan_topic_order(None, start, start, decks, dunno_b, scope=["w1/a", "w1/b"]) == (
        ["w1/b", "w1/a"],
        (),
    )


def test_progress_bar_is_one_character_per_item_until_it_must_scale() -> None:
    from studycli.ui.check_view import progress_bar

    assert progress_bar(3, 10, 20) == (3, 7)
    assert progress_bar(0, 40, 10) == (0, 10)
    assert progress_bar(20, 40, 10) == (5, 5)
    assert progress_bar(40, 40, 10) == (10, 0)


def test_score_is_the_share_recalled_and_the_mean_grade_is_separate() -> None:
    from studycli.model import GradedItem
    from studycli.session import summarise
    from studycli.vocab import Source

    graded = [
        GradedItem("a", Source.NEW, 5, False),
        GradedItem("b", Source.NEW, 2, False),
        GradedItem("c", Source.REVIEW, 3, False),
        GradedItem("d", Source.REVIEW, 1, False),
        GradedItem("b", Source.NEW, 4, True),  # a repeat: never in the score
    ]
    s = summarise(graded, 4)
    assert (s.score, s.new_score, s.review_score) == (0.5, 0.5, 0.5)
    assert s.mean_grade == (5 + 2 + 3 + 1) / 4 and s.repeats == 1


def test_options_are_shuffled_per_card_day_and_showing() -> None:
    from studycli.model import Option
    from studycli.session import make_item, option_order
    from studycli.vocab import Source

    card = Card(
        "d#m", "d", "Which?", options=tuple(Option(t, t == "right") for t in ["right", "w1", "w2", "w3"])
    )
    orders = {option_order(card, TODAY + timedelta(days=k), s) for k in range(10) for s in range(3)}
    assert all(sorted(o) == [0, 1, 2, 3] for o in orders)  # always a permutation
    assert len(orders) > 10  # and it varies between days and showings
    assert option_order(card, TODAY, 1) == option_order(card, TODAY, 1)  # reproducible
    assert option_order(Card("d#b", "d", "Basic?"), TODAY, 0) == ()  # only choice cards
    item = make_item(card, Source.NEW, TODAY, 0)
    shown = item.shown
    assert [o.text for o in shown.options] == [card.options[i].text for i in item.order]
    assert shown.options[shown.correct_index].text == "right"  # the right option moves with its text
    run = CheckRun([item], TODAY)
    run.grade(1)
    again = run.current
    assert again is not None and again.showing == 1 and again.order == option_order(card, TODAY, 1)
