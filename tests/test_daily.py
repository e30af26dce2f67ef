"""The daily-loop policies: the new-card cap, review order, the interview-date due rule, workload."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from studycli import daily, sm2
from studycli.model import CardState

T = date(2026, 3, 2)


def state(card_id: str, due_offset: int, interval: int = 1, ef: float = 2.5) -> CardState:
    due = T + timedelta(days=due_offset)
    return CardState(
        card_id, ef=ef, interval=interval, repetitions=2, due=due, last_review=due - timedelta(days=interval)
    )


# --- the cap ----------------------------------------------------------------------------------------


def test_cap_is_the_pace_that_finishes_the_plan_on_time() -> None:
    # 793 cards over an 84-day plan starting today: ceil(793 / 84) = 10 a day.
    pace = daily.paced_new_per_day(793, T, T + timedelta(days=83), None)
    assert (pace.per_day, pace.needed, pace.reason) == (10, 10, "plan")


def test_an_earlier_interview_moves_the_deadline_a_week_before_it() -> None:
    interview = T + timedelta(days=37)  # new material must end on T + 30: 31 days for 310 cards
    pace = daily.paced_new_per_day(310, T, T + timedelta(days=83), interview)
    assert (pace.per_day, pace.reason) == (10, "interview")
    assert daily.new_deadline(T + timedelta(days=83), interview) == T + timedelta(days=30)


def test_the_final_week_before_the_interview_has_no_new_cards() -> None:
    interview = T + timedelta(days=5)
    pace = daily.paced_new_per_day(100, T, T + timedelta(days=83), interview)
    assert (pace.per_day, pace.reason) == (0, "final-week")


def test_an_impossible_pace_is_capped_and_says_what_is_needed() -> None:
    pace = daily.paced_new_per_day(1000, T, T + timedelta(days=9), None)
    assert pace.per_day == daily.MAX_PACED_NEW_PER_DAY and pace.needed == 100


def test_default_check_size_holds_the_days_new_cards_in_its_70_percent() -> None:
    assert daily.default_check_size(7) == 10
    assert daily.default_check_size(10) == 15  # round(15 * 0.7) = 11 >= 10
    assert daily.default_check_size(0) == 10
    for n in range(0, 60):
        size = daily.default_check_size(n)
        assert int(size * daily.NEW_SHARE + 0.5) >= n


def test_limits_count_todays_new_cards_and_reviews_across_checks() -> None:
    states = {f"p#{i}": state(f"p#{i}", 1) for i in range(4)}  # p#0..3 introduced today
    lim = daily.limits(
        today=T,
        plan_cards=[f"p#{i}" for i in range(20)],
        plan_last_day=T + timedelta(days=1),
        seen=states,
        today_reviews=[
            ("p#0", "new", False),
            ("p#0", "new", True),
            ("p#1", "new", False),
            ("x", "review", False),
        ],
        interview=None,
    )
    # Remaining as the day began: 16 never seen + the 2 introduced today = 18 over 2 days = 9.
    assert (lim.new_per_day, lim.new_today, lim.new_left) == (9, 2, 7)
    assert (lim.reviews_today, lim.reviews_left) == (1, daily.DEFAULT_REVIEW_LIMIT - 1)
    assert lim.check_size == daily.default_check_size(9)


def test_settings_override_the_derived_values() -> None:
    lim = daily.limits(
        today=T,
        plan_cards=[],
        plan_last_day=T,
        seen=set(),
        today_reviews=[],
        interview=None,
        new_setting=3,
        review_setting=50,
        size_setting=12,
    )
    assert (lim.new_per_day, lim.new_source, lim.review_limit, lim.check_size) == (3, "setting", 50, 12)


# --- review order ----------------------------------------------------------------------------------


def test_review_order_is_most_overdue_relative_to_the_interval() -> None:
    cards = [state("a", -5, interval=30), state("b", -2, interval=2), state("c", 0), state("d", 3)]
    assert [s.card_id for s in daily.review_order(cards, T)] == ["b", "a", "c"]


@given(st.lists(st.tuples(st.integers(-60, 30), st.integers(1, 200)), max_size=40))
def test_review_order_holds_exactly_the_due_cards(specs: list[tuple[int, int]]) -> None:
    cards = [state(f"c{i}", off, interval) for i, (off, interval) in enumerate(specs)]
    ordered = daily.review_order(cards, T)
    assert {s.card_id for s in ordered} == {s.card_id for s in cards if s.due is not None and s.due <= T}
    ratios = [daily.overdue_ratio(s, T) for s in ordered]
    assert ratios == sorted(ratios, reverse=True)


# --- the interview-date due rule -------------------------------------------------------------------


def test_no_interview_means_sm2_untouched() -> None:
    after = sm2.review(sm2.new_state("x"), 5, T)
    assert daily.interview_due(after, T, None, {}) == after


def test_a_due_date_after_the_interview_is_pulled_into_the_last_days_least_loaded_first() -> None:
    interview = T + timedelta(days=20)
    after = state("x", 30, interval=12)  # SM-2 says 30 days from now: after the interview
    assert daily.spread_days(12) == daily.INTERVIEW_SPREAD_DAYS  # a young card: the last 5 days
    window = [interview - timedelta(days=k) for k in range(daily.INTERVIEW_SPREAD_DAYS, 0, -1)]
    load = {d: 5 for d in window}
    load[window[1]] = 2
    pulled = daily.interview_due(after, T, interview, load)
    assert pulled.due == window[1]
    # Only the due date moves: SM-2's own state is exactly as published.
    assert (pulled.ef, pulled.interval, pulled.repetitions) == (after.ef, after.interval, after.repetitions)
    # Empty load: the latest day of the window (freshest on the day).
    assert daily.interview_due(after, T, interview, {}).due == interview - timedelta(days=1)


def test_spread_window_grows_with_the_interval_up_to_two_weeks() -> None:
    assert [daily.spread_days(i) for i in (1, 6, 15, 21, 30, 42, 300)] == [5, 5, 5, 7, 10, 14, 14]


def test_spreading_never_piles_up_on_one_day() -> None:
    interview = T + timedelta(days=30)
    load: dict[date, int] = {}
    for i in range(140):
        pulled = daily.interview_due(state(f"c{i}", 60, interval=70), T, interview, load)
        assert pulled.due is not None and interview - timedelta(days=14) <= pulled.due < interview
        load[pulled.due] = load.get(pulled.due, 0) + 1
    assert sorted(load.values()) == [10] * daily.MAX_SPREAD_DAYS


def test_a_card_graded_in_the_final_window_is_due_on_the_interview_day_at_the_latest() -> None:
    interview = T + timedelta(days=3)
    pulled = daily.interview_due(state("x", 9, interval=10), T, interview, {})
    assert pulled.due == interview


def test_due_dates_before_the_interview_and_grades_after_it_are_plain_sm2() -> None:
    interview = T + timedelta(days=10)
    early = state("x", 4)
    assert daily.interview_due(early, T, interview, {}) == early
    late = state("y", 30, interval=30)
    assert daily.interview_due(late, interview, interview, {}) == late  # on the day: plain SM-2
    assert daily.interview_due(late, interview + timedelta(days=1), interview, {}) == late


@given(st.integers(0, 60), st.integers(1, 400), st.integers(1, 90))
def test_no_grade_before_the_interview_schedules_after_it(graded: int, interval: int, until: int) -> None:
    day = T + timedelta(days=graded)
    interview = T + timedelta(days=until)
    after = CardState(
        "x", interval=interval, repetitions=3, due=day + timedelta(days=interval), last_review=day
    )
    pulled = daily.interview_due(after, day, interview, {})
    assert pulled.due is not None and pulled.due > day
    if day < interview:
        assert pulled.due <= interview
    else:
        assert pulled == after


# --- workload --------------------------------------------------------------------------------------


def test_seconds_per_item_needs_evidence_and_counts_repeats_time() -> None:
    assert daily.seconds_per_item([(10.0, False)] * 5) == (daily.DEFAULT_SECONDS_PER_ITEM, False)
    timed = [(20.0, False)] * 20 + [(10.0, True)] * 10  # 400 s + 100 s of repeats over 20 firsts
    assert daily.seconds_per_item(timed) == (25.0, True)


def test_workload_minutes_from_the_weeks_due_and_the_new_cap() -> None:
    states = [state(f"c{i}", i % 7) for i in range(70)]  # 10 due on each of the next 7 days
    work = daily.workload(states, T, 10, (30.0, True))
    assert work.due_week == 70 and work.items_per_day == 20
    assert work.minutes_per_day == 10.0
    assert daily.minutes(work.minutes_per_day) == "about 10 min"
    assert daily.minutes(0.4) == "under a minute" and daily.minutes(80) == "about 1 h 20 min"


def test_projected_forecast_carries_a_backlog_past_the_review_limit() -> None:
    backlog = [state(f"c{i}", -3, interval=10) for i in range(250)]
    days = daily.projected_forecast(backlog, T, 3, review_limit=100, recall=1.0)
    assert [n for _, n in days] == [250, 150, 50]  # the overdue do not vanish after today


def test_untimed_answers_do_not_count_towards_seconds_per_item() -> None:
    scripted = [(None, False)] * 50
    assert daily.seconds_per_item(scripted) == (daily.DEFAULT_SECONDS_PER_ITEM, False)
    mixed = scripted + [(30.0, False)] * 20
    assert daily.seconds_per_item(mixed) == (30.0, True)
