"""Estimated recall from a real memory model: FSRS-6 (py-fsrs) with its default parameters.

Why a model and not SM-2's own numbers: SM-2 says when to review, not how likely you are to
remember. FSRS-6's default parameters were fitted on a large public set of real review logs, so its
retrievability is the best cheap estimate of "what share of what I studied would I recall today?".
SM-2 still schedules every card; FSRS only estimates, and every screen labels it an estimate.

The replay: each card's first-attempt grades in order (same-check repeats are skipped: they follow
seeing the answer minutes earlier), mapped to FSRS ratings 0-2 Again, 3 Hard, 4 Good, 5 Easy, each
at noon UTC of its study day (days, not clock times, are what the log promises).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # imported lazily at run time: `study --help` and checks need no model
    import fsrs

MODEL = "FSRS-6"


class Attempt(NamedTuple):
    """A first attempt at a card. A named tuple, not a dataclass: a report reads every one in
    the log (68,000 at 20,000 cards), and building tuples is several times cheaper."""

    card_id: str
    day: date
    quality: int


def rating_for(quality: int) -> int:
    """FSRS rating value for an SM-2 quality: 0-2 Again (1), 3 Hard (2), 4 Good (3), 5 Easy (4)."""
    if not 0 <= quality <= 5:
        raise ValueError(f"quality must be 0-5, got {quality}")
    return {3: 2, 4: 3, 5: 4}.get(quality, 1)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.utc)


@lru_cache(maxsize=1)
def scheduler() -> fsrs.Scheduler:
    import fsrs

    return fsrs.Scheduler(enable_fuzzing=False)


@lru_cache(maxsize=1)
def fsrs_version() -> str:
    """py-fsrs's version, read once (importlib.metadata scans the installed distributions)."""
    from importlib.metadata import version

    try:
        return version("fsrs")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return ""


def model_name() -> str:
    found = fsrs_version()
    return (
        f"{MODEL} (py-fsrs {found}, default parameters)"
        if found
        else f"{MODEL} (py-fsrs, default parameters)"
    )


Memory = tuple[Any, "int | None", "float | None", "float | None"]  # (state, step, stability, difficulty)
StepKey = tuple["Memory | None", int, int]  # (memory before or None for a first review, days, rating)
Step = tuple[Memory, timedelta]  # (memory after, due minus the review's moment)


Remembered = tuple[Memory, date, timedelta]  # memory after the last attempt, its day, due offset


def replay(
    attempts: Iterable[Attempt], steps: MutableMapping[StepKey, Step] | None = None
) -> dict[str, fsrs.Card]:
    """Each card's FSRS memory state after its first attempts, given in chronological order."""
    return to_cards(replay_memories(attempts, steps))


def replay_memories(
    attempts: Iterable[Attempt], steps: MutableMapping[StepKey, Step] | None = None
) -> dict[str, Remembered]:
    """`replay` as plain values (what `stepcache.MemoryCache` keeps), in first-attempt order.

    py-fsrs's `review_card` is a pure function of the card's memory (state, learning step,
    stability, difficulty), the whole days since its last review and the rating: reviews are at
    noon of their day and fuzzing is off. Cards share those inputs often (every first grade of a
    given rating is the same step, and SM-2's early intervals are few), so each distinct step is
    computed once by py-fsrs and reused: the result is the same, field for field, as reviewing
    every card in turn, at a fraction of the cost on a long log (68,000 attempts at 20,000 cards).
    `steps` may hold steps computed before (`stepcache.StepCache` keeps them across runs); the
    steps computed here are added to it.
    """
    import fsrs

    sched = scheduler()
    current: dict[str, Remembered] = {}
    if steps is None:
        steps = {}
    for a in attempts:
        rating = rating_for(a.quality)
        before = current.get(a.card_id)
        if before is None:
            key: StepKey = (None, 0, rating)
        else:
            key = (before[0], (a.day - before[1]).days, rating)
        step = steps.get(key)
        if step is None:
            moment = _moment(a.day)
            # An explicit numeric id: py-fsrs otherwise sleeps a millisecond per new Card to make one.
            card = fsrs.Card(card_id=1) if before is None else _card(1, before[0], before[1], before[2])
            after, _ = sched.review_card(card, fsrs.Rating(rating), moment)
            step = steps[key] = (
                (after.state, after.step, after.stability, after.difficulty),
                after.due - moment,
            )
        current[a.card_id] = (step[0], a.day, step[1])
    return current


def to_cards(memories: Mapping[str, Remembered]) -> dict[str, fsrs.Card]:
    """py-fsrs cards for `memories`, numbered in their order (the number is only an identity)."""
    return {cid: _card(n, *state) for n, (cid, state) in enumerate(memories.items(), 1)}


def _card(card_id: int, memory: Memory, day: date, due_after: timedelta) -> fsrs.Card:
    import fsrs

    state, step, stability, difficulty = memory
    moment = _moment(day)
    return fsrs.Card(
        card_id=card_id,
        state=state,
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=moment + due_after,
        last_review=moment,
    )


def retrievability(card: fsrs.Card, day: date) -> float:
    return float(scheduler().get_card_retrievability(card, _moment(day)))


@dataclass(frozen=True)
class Estimate:
    cards: int
    now: float | None  # mean retrievability today
    later: float | None  # mean retrievability on `at` with no more reviews (None without `at`)


def estimate(
    memory: Mapping[str, fsrs.Card], today: date, at: date | None, card_ids: Iterable[str]
) -> Estimate:
    """Mean estimated recall over `card_ids` that have a memory state, today and on `at`.

    Exact sums (`math.fsum`): the mean must not depend on the order cards come in (a replay
    gives first-attempt order, the recall cache the store's), or a report could differ in its
    last digit with nothing changed."""
    now: list[float] = []
    later: list[float] = []
    for cid in card_ids:
        card = memory.get(cid)
        if card is None:
            continue
        now.append(retrievability(card, today))
        if at is not None:
            later.append(retrievability(card, max(at, today)))
    return Estimate(
        len(now),
        math.fsum(now) / len(now) if now else None,
        math.fsum(later) / len(later) if later else None,
    )
