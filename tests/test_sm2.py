"""SM-2 as published (Wozniak 1990): exact sequences and invariants."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycli import sm2
from studycli.model import CardState

DAY0 = date(2026, 1, 1)


def run(qualities: list[int], start: date = DAY0, on_time: bool = True) -> list[CardState]:
    state = sm2.new_state("c")
    today = start
    states = []
    for q in qualities:
        state = sm2.review(state, q, today)
        states.append(state)
        if on_time:
            assert state.due is not None
            today = state.due
    return states


def test_three_perfect_reviews_give_1_6_17_and_ef_2_8() -> None:
    states = run([5, 5, 5])
    assert [s.interval for s in states] == [1, 6, 17]
    assert states[-1].ef == pytest.approx(2.8)
    assert [s.repetitions for s in states] == [1, 2, 3]


def test_quality_4_keeps_ef_and_multiplies_interval() -> None:
    states = run([4, 4, 4, 4])
    assert [s.ef for s in states] == [2.5, 2.5, 2.5, 2.5]
    assert [s.interval for s in states] == [1, 6, 15, 38]  # ceil(6*2.5)=15, ceil(15*2.5)=38


def test_quality_3_lowers_ef_by_0_14() -> None:
    states = run([3, 3, 3])
    assert [round(s.ef, 2) for s in states] == [2.36, 2.22, 2.08]
    assert [s.interval for s in states] == [1, 6, 13]  # ceil(6 * 2.08) = ceil(12.48)


def test_failure_resets_repetitions_and_keeps_ef() -> None:
    states = run([5, 5, 2, 4])
    failed = states[2]
    assert failed.repetitions == 0
    assert failed.interval == 1
    assert failed.ef == pytest.approx(states[1].ef)  # "without changing the E-Factor"
    assert failed.lapses == 1
    assert states[3].interval == 1 and states[3].repetitions == 1  # starts over: 1, 6, ...


def test_failing_a_new_card_is_not_a_lapse() -> None:
    assert run([0])[0].lapses == 0


def test_ef_floor_is_1_3() -> None:
    states = run([3] * 12)
    assert min(s.ef for s in states) == pytest.approx(1.3)
    assert states[-1].ef == pytest.approx(1.3)


def test_late_review_uses_stored_interval_without_bonus() -> None:
    state = sm2.review(sm2.new_state("c"), 5, DAY0)
    state = sm2.review(state, 5, DAY0 + timedelta(days=1))  # interval 6, due day 7
    late = DAY0 + timedelta(days=40)
    after = sm2.review(state, 5, late)
    assert after.interval == 17  # ceil(6 * 2.8), not based on the 39 days actually elapsed
    assert after.due == late + timedelta(days=17)


@pytest.mark.parametrize("bad", [-1, 6, 3.5, "4", None, True])
def test_rejects_qualities_outside_0_to_5(bad: object) -> None:
    with pytest.raises(sm2.InvalidQuality):
        sm2.review(sm2.new_state("c"), bad, DAY0)  # type: ignore[arg-type]


qualities = st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=60)


@given(qualities, st.integers(min_value=0, max_value=30))
def test_invariants(qs: list[int], lateness: int) -> None:
    state = sm2.new_state("c")
    today = DAY0
    for q in qs:
        before = state
        state = sm2.review(state, q, today)
        assert state.ef >= 1.3
        assert state.interval >= 1
        assert state.due == today + timedelta(days=state.interval)
        assert state.reviews == before.reviews + 1
        if q < 3:
            assert state.repetitions == 0 and state.interval == 1 and state.ef == before.ef
        else:
            assert state.repetitions == before.repetitions + 1
            assert state.ef <= 2.5 + 0.1 * state.reviews + 1e-9
            if state.repetitions >= 3:
                assert state.interval >= before.interval  # EF >= 1.3 never shrinks an interval
        assert state.due is not None
        today = state.due + timedelta(days=lateness)


@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=130, max_value=400))
def test_interval_is_exact_ceiling(previous: int, ef_hundredths: int) -> None:
    ef = ef_hundredths / 100
    got = sm2.next_interval(3, previous, ef)
    exact_times_100 = previous * ef_hundredths
    assert got == -(-exact_times_100 // 100)  # integer ceil, immune to float noise


@given(
    st.builds(
        CardState,
        card_id=st.text(min_size=1, max_size=8),
        ef=st.floats(1.3, 3.0),
        interval=st.integers(0, 400),
        repetitions=st.integers(0, 30),
        due=st.none() | st.dates(),
        lapses=st.integers(0, 20),
        reviews=st.integers(0, 60),
        last_review=st.none() | st.dates(),
    )
)
def test_a_state_read_from_the_store_is_the_same_value_as_one_built_normally(state: CardState) -> None:
    """`CardState.from_row` skips the dataclass __init__ for speed; the result must not differ."""
    fast = CardState.from_row(
        state.card_id,
        state.ef,
        state.interval,
        state.repetitions,
        state.due,
        state.lapses,
        state.reviews,
        state.last_review,
    )
    assert fast == state and hash(fast) == hash(state) and repr(fast) == repr(state)
    assert sm2.review(fast, 4, date(2026, 1, 1)) == sm2.review(state, 4, date(2026, 1, 1))
