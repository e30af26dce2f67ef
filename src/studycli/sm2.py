"""SuperMemo-2, exactly as Wozniak published it in 1990, as one pure function.

The rules (also in README.md):

* a new item starts with EF = 2.5 and n = 0 repetitions;
* quality q >= 3 (a correct response): EF' = EF + (0.1 - (5-q)*(0.08 + (5-q)*0.02)), floored at
  1.3; n += 1; the interval is 1 day when n = 1, 6 days when n = 2, else ceil(I * EF') where I is
  the previous interval and EF' the updated factor;
* q < 3: n = 0 and the interval is 1 day, "without changing the E-Factor";
* due = day of review + interval. A late review is scheduled from the stored interval: being late
  earns no bonus.

Floating point: EF only ever moves in steps of 0.02, so it is rounded to 6 decimals after each
update, and I * EF' is rounded to 6 decimals before ceil(). Without that, 6 * 2.8000000000000003
style noise could push an interval one day too far.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from .model import CardState
from .rules import INITIAL_EF, MIN_EF, PASS_QUALITY, QUALITY_MAX, QUALITY_MIN, REPEAT_BELOW

__all__ = ["INITIAL_EF", "MIN_EF", "PASS_QUALITY", "REPEAT_BELOW", "new_state", "review"]


class InvalidQuality(ValueError):
    pass


def new_state(card_id: str) -> CardState:
    return CardState(card_id=card_id, ef=INITIAL_EF, interval=0, repetitions=0, due=None)


def updated_ef(ef: float, quality: int) -> float:
    miss = 5 - quality
    return max(MIN_EF, round(ef + (0.1 - miss * (0.08 + miss * 0.02)), 6))


def next_interval(repetitions: int, previous_interval: int, ef: float) -> int:
    """Interval after the `repetitions`-th successful review in a row."""
    if repetitions == 1:
        return 1
    if repetitions == 2:
        return 6
    return max(1, math.ceil(round(previous_interval * ef, 6)))


def schedule(state: CardState, quality: int) -> tuple[float, int, int, int]:
    """(EF, repetitions, interval in days, lapses) after grading `state` with `quality`: the
    algorithm itself, which `review` dates and the workload forecast asks for cheaply."""
    if isinstance(quality, bool) or not isinstance(quality, int) or not QUALITY_MIN <= quality <= QUALITY_MAX:
        raise InvalidQuality(f"quality must be an integer from 0 to 5, got {quality!r}")
    if quality >= PASS_QUALITY:
        ef = updated_ef(state.ef, quality)
        repetitions = state.repetitions + 1
        return ef, repetitions, next_interval(repetitions, state.interval, ef), state.lapses
    # A lapse is forgetting something that had been learnt; failing a brand-new card is not.
    return state.ef, 0, 1, state.lapses + (1 if state.repetitions > 0 else 0)


def review(state: CardState, quality: int, today: date) -> CardState:
    """The state after grading `state` with `quality` on `today`."""
    ef, repetitions, interval, lapses = schedule(state, quality)
    return replace(
        state,
        ef=ef,
        repetitions=repetitions,
        interval=interval,
        due=today + timedelta(days=interval),
        lapses=lapses,
        reviews=state.reviews + 1,
        last_review=today,
    )
