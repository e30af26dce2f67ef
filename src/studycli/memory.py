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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported lazily at run time: `study --help` and checks need no model
    import fsrs

MODEL = "FSRS-6"


@dataclass(frozen=True)
class Attempt:
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


def model_name() -> str:
    from importlib.metadata import version

    try:
        return f"{MODEL} (py-fsrs {version('fsrs')}, default parameters)"
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return f"{MODEL} (py-fsrs, default parameters)"


def replay(attempts: Iterable[Attempt]) -> dict[str, fsrs.Card]:
    """Each card's FSRS memory state after its first attempts, given in chronological order."""
    import fsrs

    sched = scheduler()
    ids: dict[str, int] = {}
    cards: dict[str, fsrs.Card] = {}
    for a in attempts:
        card = cards.get(a.card_id)
        if card is None:
            # An explicit numeric id: py-fsrs otherwise sleeps a millisecond per new Card to make one.
            ids[a.card_id] = len(ids) + 1
            card = fsrs.Card(card_id=ids[a.card_id])
        cards[a.card_id], _ = sched.review_card(card, fsrs.Rating(rating_for(a.quality)), _moment(a.day))
    return cards


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
    """Mean estimated recall over `card_ids` that have a memory state, today and on `at`."""
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
        sum(now) / len(now) if now else None,
        sum(later) / len(later) if later else None,
    )
