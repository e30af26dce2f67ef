"""Report maths on hand-built histories: streaks, recall, scores, forecast, heatmap, pace, calibration."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycli import stats
from studycli.model import CardState, ReviewRow, SessionRow

T = date(2026, 3, 11)  # a Wednesday


def day(offset: int) -> date:
    return T + timedelta(days=offset)


def review(
    n: int,
    offset: int,
    quality: int,
    *,
    card: str = "d/a#1",
    deck: str = "d/a",
    source: str = "review",
    session: int | None = 1,
    repeat: bool = False,
) -> ReviewRow:
    state = CardState(card)
    return ReviewRow(n, session, "ts", day(offset), card, deck, source, quality, None, repeat, None, state)


def session(n: int, offset: int, status: str = "completed", kind: str = "check") -> SessionRow:
    return SessionRow(n, kind, day(offset), "ts", None, None, 10, status)


def test_streak_counts_back_from_today_or_yesterday() -> None:
    assert stats.streak([], T) == stats.Streak(0, 0, False)
    assert stats.streak([day(0), day(-1), day(-2)], T) == stats.Streak(3, 3, True)
    # today not done yet: the streak ending yesterday is still alive
    assert stats.streak([day(-1), day(-2)], T) == stats.Streak(2, 2, False)
    # a missed day breaks it; longest remembers the old run
    assert stats.streak([day(-2), day(-3), day(-4), day(-5)], T) == stats.Streak(0, 4, False)
    # future days (a changed STUDY_TODAY) and duplicates do not count twice
    assert stats.streak([day(0), day(0), day(1)], T) == stats.Streak(1, 1, True)


def test_recall_by_uses_first_attempts_inside_the_window_inclusive() -> None:
    rows = [
        review(1, -30, 5),  # outside a 30-day window ending today
        review(2, -29, 2),  # first day of the window
        review(3, 0, 4),  # today
        review(4, 0, 1, repeat=True),  # same-check repeat: excluded
        review(5, 0, 3, deck="d/b"),
    ]
    tallies = stats.recall_by(rows, lambda r: r.deck_id, day(-29), T)
    assert tallies["d/a"] == stats.Tally(1, 2)
    assert tallies["d/a"].rate == 0.5
    assert tallies["d/b"].rate == 1.0
    assert stats.Tally().rate is None
    assert stats.recall_by([], lambda r: r.deck_id, day(-29), T) == {}


def test_session_scores_split_new_and_review_and_skip_empty_checks() -> None:
    sessions = [session(1, -1), session(2, 0, "interrupted"), session(3, 0), session(4, 0, kind="gaps")]
    rows = [
        review(1, -1, 5, source="new"),
        review(2, -1, 2, source="new"),
        review(3, -1, 4, source="review"),
        review(4, -1, 1, source="new", repeat=True),  # repeat: ignored
        review(5, 0, 0, source="review", session=2),
    ]
    scores = stats.session_scores(sessions, rows)
    assert [s.session_id for s in scores] == [1, 2]  # 3 graded nothing, 4 is not a check
    first = scores[0]
    assert (first.items.recalled, first.items.total) == (2, 3)
    assert (first.new.recalled, first.new.total) == (1, 2)
    assert first.review.rate == 1.0
    assert scores[1].status == "interrupted" and scores[1].new.rate is None


def test_forecast_puts_overdue_on_today_and_filters_cards() -> None:
    states = {
        "a": CardState("a", due=day(-5)),
        "b": CardState("b", due=day(0)),
        "c": CardState("c", due=day(13)),
        "d": CardState("d", due=day(14)),  # just outside 14 days
        "e": CardState("e", due=None),
        "gone": CardState("gone", due=day(1)),
    }
    fc = stats.forecast(states, T, 14, card_ids={"a", "b", "c", "d", "e"})
    assert len(fc) == 14 and fc[0] == (T, 2) and fc[13] == (day(13), 1)
    assert sum(n for _, n in fc) == 3
    assert stats.due_within(states, T, 30, {"a", "b", "c", "d"}) == 4
    assert stats.forecast({}, T, 3) == [(T, 0), (day(1), 0), (day(2), 0)]


def test_heatmap_starts_on_a_monday_and_counts_only_its_range() -> None:
    heat = stats.heatmap([day(0), day(0), day(-1), day(-200), day(3)], T, weeks=13)
    assert heat.start.weekday() == 0
    assert heat.start <= T - timedelta(days=7 * 12)
    assert heat.weeks == 13
    assert heat.count(T) == 2 and heat.count(day(-1)) == 1
    assert sum(heat.counts.values()) == 3  # the old day and the future day are outside
    wider = stats.heatmap([day(-200)], T, weeks=13, since=day(-200))
    assert wider.start <= day(-200) and wider.count(day(-200)) == 1


@given(st.integers(0, 500), st.integers(1, 500))
def test_heat_level_is_monotonic_and_bounded(count: int, peak: int) -> None:
    count = min(count, peak)
    level = stats.heat_level(count, peak)
    assert (level == 0) == (count == 0)
    assert 0 <= level <= 4
    assert stats.heat_level(peak, peak) == 4
    if count < peak:
        assert level <= stats.heat_level(count + 1, peak)


def test_leeches_by_lapses_or_floor_worst_first() -> None:
    states = {
        "a": CardState("a", ef=2.0, lapses=4),
        "b": CardState("b", ef=1.3, lapses=0),
        "c": CardState("c", ef=1.31, lapses=3),
        "d": CardState("d", ef=1.5, lapses=6),
    }
    assert [s.card_id for s in stats.leeches(states)] == ["d", "a", "b"]
    assert [s.card_id for s in stats.leeches(states, {"b"})] == ["b"]
    assert stats.leeches({}) == []


def test_pace_on_track_behind_ahead_and_bounds() -> None:
    # 280 cards over 28 days = 10 a day
    on = stats.pace(280, 28, day_index=9, checked_today=True, seen=95)
    assert (on.days_done, on.expected, on.status) == (10, 100, "on-track")
    behind = stats.pace(280, 28, day_index=9, checked_today=False, seen=60)
    assert (behind.expected, behind.delta_cards, behind.status) == (90, -30, "behind")
    assert behind.delta_days == pytest.approx(-3.0)
    assert behind.needed_per_day == 12  # 220 left over 19 days, rounded up
    ahead = stats.pace(280, 28, day_index=0, checked_today=True, seen=40)
    assert (ahead.expected, ahead.status) == (10, "ahead")
    finished = stats.pace(280, 28, day_index=40, checked_today=False, seen=280)
    assert finished.days_done == 28 and finished.status == "on-track" and finished.needed_per_day is None
    empty = stats.pace(0, 28, day_index=3, checked_today=False, seen=0)
    assert empty.status == "on-track" and empty.delta_days == 0.0


def test_calibration_flags_only_sharp_disagreements_with_enough_evidence() -> None:
    self_scores = {
        "over": (1.0, 4),  # rated know, recalled 2/10
        "under": (0.0, 3),  # rated dunno, recalled 10/10
        "fine": (1.0, 4),  # rated know, recalled 9/10
        "thin": (1.0, 4),  # rated know but only 4 reviews
        "mid": (0.5, 2),  # unsure: never flagged
    }
    recall = {
        "over": stats.Tally(2, 10),
        "under": stats.Tally(10, 10),
        "fine": stats.Tally(9, 10),
        "thin": stats.Tally(0, 4),
        "mid": stats.Tally(0, 10),
    }
    found = stats.calibration(self_scores, recall)
    assert [(c.topic, c.kind) for c in found] == [("under", "underconfident"), ("over", "overconfident")]
    assert stats.calibration({}, {}) == []
    # boundaries: exactly 60% recall is not overconfident; exactly 90% is not underconfident
    assert stats.calibration({"x": (1.0, 1)}, {"x": stats.Tally(6, 10)}) == []
    assert stats.calibration({"x": (0.0, 1)}, {"x": stats.Tally(9, 10)}) == []


def test_sparkline() -> None:
    assert stats.sparkline([0.0, 0.5, 1.0, None]) == "▁▅█ "
    assert stats.sparkline([]) == ""


@given(st.lists(st.integers(min_value=0, max_value=5), max_size=60))
def test_a_tally_counts_what_adding_grade_by_grade_counts(qualities: list[int]) -> None:
    folded = stats.Tally()
    for quality in qualities:
        folded = folded.add(quality)
    assert stats.tally(qualities) == folded
    assert stats.tally(iter(qualities)) == folded


@given(
    st.lists(st.one_of(st.none(), st.integers(min_value=-40, max_value=60)), max_size=40),
    st.integers(min_value=1, max_value=45),
)
def test_due_within_is_the_forecast_summed(offsets: list[int | None], days: int) -> None:
    today = date(2026, 5, 1)
    states = {
        f"c{n}": CardState(f"c{n}", due=None if off is None else today + timedelta(days=off))
        for n, off in enumerate(offsets)
    }
    some = set(list(states)[::2])
    for card_ids in (None, some):
        expected = sum(count for _, count in stats.forecast(states, today, days, card_ids))
        assert stats.due_within(states, today, days, card_ids) == expected
