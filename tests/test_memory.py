"""The recall estimate: a faithful replay through py-fsrs (FSRS-6, default parameters)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

import fsrs
import pytest

from studycli import memory

D0 = date(2026, 1, 5)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "grades",
    [
        [(0, 4), (1, 4), (7, 5), (25, 3)],
        [(0, 1), (1, 2), (2, 4), (8, 4), (30, 0), (31, 4)],
        [(0, 5), (0, 3), (3, 5)],  # two first attempts on one day (two checks)
    ],
)
def test_replay_matches_py_fsrs_own_scheduler_on_fixed_sequences(grades: list[tuple[int, int]]) -> None:
    attempts = [memory.Attempt("c", D0 + timedelta(days=d), q) for d, q in grades]
    ours = memory.replay(attempts)["c"]
    sched = fsrs.Scheduler(enable_fuzzing=False)
    theirs = fsrs.Card(card_id=1)
    mapping = {0: fsrs.Rating.Again, 1: fsrs.Rating.Again, 2: fsrs.Rating.Again, 3: fsrs.Rating.Hard}
    mapping |= {4: fsrs.Rating.Good, 5: fsrs.Rating.Easy}
    for d, q in grades:
        theirs, _ = sched.review_card(theirs, mapping[q], noon(D0 + timedelta(days=d)))
    assert ours.stability == pytest.approx(theirs.stability)
    assert ours.difficulty == pytest.approx(theirs.difficulty)
    later = D0 + timedelta(days=60)
    assert memory.retrievability(ours, later) == pytest.approx(
        sched.get_card_retrievability(theirs, noon(later))
    )


def test_rating_mapping() -> None:
    assert [memory.rating_for(q) for q in range(6)] == [1, 1, 1, 2, 3, 4]
    with pytest.raises(ValueError):
        memory.rating_for(6)


def test_estimate_falls_with_time_and_ignores_unseen_cards() -> None:
    attempts = [memory.Attempt(c, D0, 4) for c in ("a", "b")] + [
        memory.Attempt("a", D0 + timedelta(days=1), 4)
    ]
    model = memory.replay(attempts)
    today = D0 + timedelta(days=2)
    est = memory.estimate(model, today, today + timedelta(days=30), ["a", "b", "never-seen"])
    assert est.cards == 2
    assert est.now is not None and est.later is not None
    assert 0 < est.later < est.now <= 1
    assert memory.estimate(model, today, None, []).now is None


def _replay_one_by_one(attempts: list[memory.Attempt]) -> dict[str, object]:
    """The replay without reuse of steps: every attempt through py-fsrs in turn."""
    sched = fsrs.Scheduler(enable_fuzzing=False)
    ids: dict[str, int] = {}
    cards: dict[str, fsrs.Card] = {}
    for a in attempts:
        card = cards.get(a.card_id) or fsrs.Card(card_id=ids.setdefault(a.card_id, len(ids) + 1))
        moment = datetime.combine(a.day, time(12), tzinfo=timezone.utc)
        cards[a.card_id], _ = sched.review_card(card, fsrs.Rating(memory.rating_for(a.quality)), moment)
    return {cid: card.to_dict() for cid, card in cards.items()}


def test_replay_reusing_steps_equals_reviewing_every_card_in_turn() -> None:
    rng = random.Random(13)
    start = date(2026, 1, 1)
    attempts = []
    for offset in range(120):
        for card in rng.sample(range(40), 6):  # same-day, next-day and long gaps; shared histories
            attempts.append(memory.Attempt(f"c{card}", start + timedelta(days=offset), rng.randint(0, 5)))
    attempts += [memory.Attempt("late", start + timedelta(days=d), 4) for d in (0, 1, 7, 30, 100)]
    replayed = {cid: card.to_dict() for cid, card in memory.replay(attempts).items()}
    assert replayed == _replay_one_by_one(attempts)
    assert len(replayed) == 41
