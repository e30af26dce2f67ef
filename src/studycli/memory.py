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
import os
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path
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
    """py-fsrs's version, read once. The installed package's metadata folder is named for it
    (`fsrs-6.3.2.dist-info`, beside the package); looking there first saves importing
    importlib.metadata and the email parser it reads METADATA with, a fifth of a report's start."""
    import fsrs

    folder = Path(fsrs.__file__).parent.parent
    try:
        found = [
            e.name for e in os.scandir(folder) if e.name.startswith("fsrs-") and e.name.endswith(".dist-info")
        ]
    except OSError:
        found = []
    if len(found) == 1:
        return found[0][len("fsrs-") : -len(".dist-info")]
    from importlib.metadata import version  # another layout: ask the standard way

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


class Recall(NamedTuple):
    """What an estimate reads of a card's FSRS memory: its stability and the day of its last first
    attempt (py-fsrs's retrievability reads nothing else of a card). The recall model of a report
    or mock round is one per card seen, and the recall cache keeps just these two numbers."""

    stability: float | None
    day: date  # the card's `last_review` is noon of it

    @property
    def last_review(self) -> datetime:
        return _moment(self.day)


class Remembered(NamedTuple):
    """A card's FSRS memory after its last first attempt, as plain values: what the replay gives
    (and steps on from, attempt by attempt); `to_cards` builds the `fsrs.Card` it stands for.
    `recall` is the part an estimate reads, which is all the recall cache keeps."""

    memory: Memory
    day: date  # of the last first attempt: the card's `last_review` is noon of it
    due_after: timedelta  # due minus that moment

    @property
    def stability(self) -> float | None:
        return self.memory[2]

    @property
    def last_review(self) -> datetime:
        return _moment(self.day)

    @property
    def recall(self) -> Recall:
        return Recall(self.memory[2], self.day)

    @property
    def due(self) -> datetime:
        return _moment(self.day) + self.due_after


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
        current[a.card_id] = Remembered(step[0], a.day, step[1])
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


def retrievability(card: fsrs.Card | Remembered | Recall, day: date) -> float:
    """Estimated recall of `card` on `day` (noon UTC, like every review in the replay)."""
    if isinstance(card, (Remembered, Recall)):
        return _curve()(card.stability, (day - card.day).days)
    return float(scheduler().get_card_retrievability(card, _moment(day)))


@lru_cache(maxsize=1)
def _curve() -> Callable[[float | None, int], float]:
    """py-fsrs's forgetting curve, `Scheduler.get_card_retrievability`, over the two numbers it
    reads: the card's stability and the whole days since its last review (both moments are noon
    UTC, so those are the days between the dates). The same expression with the scheduler's own
    constants, so the result is the same to the last bit (a test holds it to that); a report
    evaluates it 30,000 times and needs no `fsrs.Card` and no datetime arithmetic for that."""
    sched = scheduler()
    factor, decay = sched._FACTOR, sched._DECAY

    def curve(stability: float | None, days: int) -> float:
        if stability is None:
            return 0
        return float((1 + factor * max(0, days) / stability) ** decay)

    return curve


@dataclass(frozen=True)
class Estimate:
    cards: int
    now: float | None  # mean retrievability today
    later: float | None  # mean retrievability on `at` with no more reviews (None without `at`)


def estimate(
    memory: Mapping[str, fsrs.Card | Remembered | Recall],
    today: date,
    at: date | None,
    card_ids: Iterable[str],
) -> Estimate:
    """Mean estimated recall over `card_ids` that have a memory state, today and on `at`."""
    return estimates(memory, today, at, {cid: "" for cid in card_ids})[0]


def estimates(
    memory: Mapping[str, fsrs.Card | Remembered | Recall],
    today: date,
    at: date | None,
    groups: Mapping[str, str],
) -> tuple[Estimate, dict[str, Estimate]]:
    """`estimate` over every card in `groups` (card id -> group) that has a memory state, and
    over each group's: each card's recall is computed once, however many means it is part of.

    Exact sums (`math.fsum`): the mean must not depend on the order cards come in (a replay
    gives first-attempt order, the recall cache the store's), or a report could differ in its
    last digit with nothing changed."""
    later_day = max(at, today) if at is not None else None
    curve = _curve()
    now: dict[str, list[float]] = {}
    later: dict[str, list[float]] = {}
    for cid, group in groups.items():
        card = memory.get(cid)
        if card is None:
            continue
        if type(card) is Recall or isinstance(card, Remembered):
            stability, day = card.stability, card.day
            now.setdefault(group, []).append(curve(stability, (today - day).days))
            if later_day is not None:
                later.setdefault(group, []).append(curve(stability, (later_day - day).days))
            continue
        now.setdefault(group, []).append(retrievability(card, today))
        if later_day is not None:
            later.setdefault(group, []).append(retrievability(card, later_day))
    per_group = {group: _mean(values, later.get(group, [])) for group, values in now.items()}
    return _mean(
        [v for values in now.values() for v in values], [v for values in later.values() for v in values]
    ), per_group


def _mean(now: list[float], later: list[float]) -> Estimate:
    return Estimate(
        len(now),
        math.fsum(now) / len(now) if now else None,
        math.fsum(later) / len(later) if later else None,
    )
