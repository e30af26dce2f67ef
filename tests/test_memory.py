"""The recall estimate: a faithful replay through py-fsrs (FSRS-6, default parameters)."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, time, timedelta, timezone

import fsrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycli import memory
from studycli.stepcache import StepCache

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


def _history(seed: int, cards: int = 30) -> list[memory.Attempt]:
    rng = random.Random(seed)
    attempts = []
    for card in range(cards):
        day = D0
        for _ in range(rng.randint(1, 6)):
            attempts.append(memory.Attempt(f"c{card}", day, rng.randint(0, 5)))
            day += timedelta(days=rng.choice([0, 1, 3, 8, 20]))
    return sorted(attempts, key=lambda a: a.day)


def _fields(model: dict[str, fsrs.Card]) -> dict[str, tuple[object, ...]]:
    return {
        cid: (c.state, c.step, c.stability, c.difficulty, c.due, c.last_review) for cid, c in model.items()
    }


def test_saved_steps_give_the_same_replay_without_calling_py_fsrs(tmp_path, monkeypatch) -> None:
    path = tmp_path / "cache" / "fsrs-steps.json"
    attempts = _history(3)
    first = StepCache(path)
    expected = memory.replay(attempts, first.steps)
    assert _fields(expected) == _fields(memory.replay(attempts))  # the cache changes nothing
    first.save()
    calls = []
    real = memory.scheduler().review_card
    monkeypatch.setattr(memory.scheduler(), "review_card", lambda *a, **k: calls.append(1) or real(*a, **k))
    again = StepCache(path)
    assert _fields(memory.replay(attempts, again.steps)) == _fields(expected)
    assert calls == []  # every step came from the file
    more = [*attempts, memory.Attempt("c0", D0 + timedelta(days=400), 4)]
    memory.replay(more, again.steps)
    assert len(calls) == 1  # only the new step was computed
    again.save()
    assert len(StepCache(path).steps) == len(again.steps)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["memories"][0].__setitem__(2, float("nan")),  # a stability that is not a number
        lambda d: d["memories"][0].__setitem__(0, 9),  # no such FSRS state
        lambda d: d["steps"][0].__setitem__(3, 10**6),  # points past the memories
        lambda d: d["steps"][0].__setitem__(2, 7),  # no such rating
        lambda d: d["steps"][0].__setitem__(4, "1"),  # an offset of the wrong type
        lambda d: d.__setitem__("format", "studycli-fsrs-steps/0"),  # another version's file
        lambda d: d.__setitem__("steps", {}),
    ],
)
def test_a_damaged_or_foreign_step_file_is_ignored_whole(tmp_path, damage) -> None:
    path = tmp_path / "fsrs-steps.json"
    attempts = _history(5)
    cache = StepCache(path)
    expected = memory.replay(attempts, cache.steps)
    cache.save()
    data = json.loads(path.read_text())
    damage(data)
    path.write_text(json.dumps(data))
    reread = StepCache(path)
    assert reread.steps == {}
    assert _fields(memory.replay(attempts, reread.steps)) == _fields(expected)


def test_an_unreadable_step_file_is_ignored(tmp_path) -> None:
    path = tmp_path / "fsrs-steps.json"
    path.write_bytes(b"\x80garbage")
    assert StepCache(path).steps == {}
    path.write_text("[" * 100_000)
    assert StepCache(path).steps == {}


def test_the_estimate_does_not_depend_on_the_order_of_cards() -> None:
    """The recall cache hands cards over in the store's order, a replay in first-attempt order:
    the mean must come out the same to the last bit."""
    model = memory.replay(_history(11, cards=60))
    ids = list(model)
    shuffled = dict(random.Random(2).sample(list(model.items()), len(model)))
    today = D0 + timedelta(days=50)
    at = today + timedelta(days=30)
    assert memory.estimate(model, today, at, ids) == memory.estimate(shuffled, today, at, reversed(ids))


@given(
    stability=st.floats(min_value=0.001, max_value=100_000, allow_nan=False),
    days=st.integers(min_value=-30, max_value=20_000),
)
def test_the_estimate_reads_py_fsrs_own_forgetting_curve_to_the_last_bit(stability: float, days: int) -> None:
    """The estimate evaluates the curve without building py-fsrs cards; it must not differ from
    `Scheduler.get_card_retrievability` on the card it stands for, in any digit."""
    remembered = memory.Remembered((fsrs.State.Review, None, stability, 5.0), D0, timedelta(days=9))
    card = memory.to_cards({"c": remembered})["c"]
    day = D0 + timedelta(days=days)
    ours = memory.retrievability(remembered, day)
    assert ours == fsrs.Scheduler(enable_fuzzing=False).get_card_retrievability(card, noon(day))
    assert ours == memory.retrievability(card, day)
    assert ours == memory.retrievability(remembered.recall, day)  # what the recall cache keeps
    assert memory.estimate({"c": remembered.recall}, day, None, ["c"]).now == ours
    assert (remembered.stability, remembered.last_review, remembered.due) == (
        card.stability,
        card.last_review,
        card.due,
    )


def test_a_memory_without_stability_is_not_recalled() -> None:
    remembered = memory.Remembered((fsrs.State.Learning, 0, None, None), D0, timedelta(minutes=10))
    assert memory.retrievability(remembered, D0) == 0
    assert memory.retrievability(memory.to_cards({"c": remembered})["c"], D0) == 0


def test_the_fsrs_version_read_from_its_folder_is_the_metadata_one() -> None:
    from importlib.metadata import version

    memory.fsrs_version.cache_clear()
    assert memory.fsrs_version() == version("fsrs")
    assert memory.model_name() == f"FSRS-6 (py-fsrs {version('fsrs')}, default parameters)"
