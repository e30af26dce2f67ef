"""The recall model replays only cards whose first attempts changed, and equals a full replay."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from studycli import memory
from studycli.store import Store
from studycli.usecases import recall

from .test_store import grade

D0 = date(2026, 3, 2)


def history(store: Store, cards: int = 25, seed: int = 4) -> None:
    rng = random.Random(seed)
    for offset in range(30):
        day = D0 + timedelta(days=offset)
        for card in rng.sample(range(cards), 6):
            grade(store, f"d/a#c{card}", rng.randint(0, 5), day)
            if rng.random() < 0.2:
                grade(store, f"d/a#c{card}", 5, day, repeat=True)  # repeats are not replayed


def fields(model: dict | None) -> dict:
    """What an estimate reads of each card's memory (py-fsrs's retrievability reads no more)."""
    assert model is not None
    return {cid: (c.stability, c.last_review) for cid, c in model.items()}


REPLAY = memory.replay_memories  # the real one: `full` must not count as a replay by the cache


def full(store: Store, today: date) -> dict:
    """The reference: every first attempt up to `today` replayed from nothing."""
    return fields(memory.to_cards(REPLAY(memory.Attempt(*a) for a in store.attempts() if a[1] <= today)))


@pytest.fixture
def replayed(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The card ids each call of `memory.replay_memories` was given."""
    calls: list[set[str]] = []
    real = memory.replay_memories

    def spy(attempts, steps=None):
        listed = list(attempts)
        calls.append({a.card_id for a in listed})
        return real(listed, steps)

    monkeypatch.setattr(memory, "replay_memories", spy)
    return calls


def test_a_second_run_replays_nothing_and_a_new_grade_replays_one_card(home: Path, replayed) -> None:
    with Store(home / "progress.db") as store:
        history(store)
        today = D0 + timedelta(days=40)
        first = recall.recall_model(store, today)
        assert fields(first) == full(store, today) and len(replayed) == 1
        assert fields(recall.recall_model(store, today)) == full(store, today)
        assert len(replayed) == 1  # every card came from the cache
        grade(store, "d/a#c3", 4, today)
        assert fields(recall.recall_model(store, today)) == full(store, today)
        assert replayed[-1] == {"d/a#c3"}
        grade(store, "d/a#new", 2, today)
        assert fields(recall.recall_model(store, today)) == full(store, today)
        assert replayed[-1] == {"d/a#new"}


def test_an_undo_a_date_in_the_past_and_another_store_are_replayed(home: Path, replayed) -> None:
    with Store(home / "progress.db") as store:
        history(store)
        today = D0 + timedelta(days=40)
        recall.recall_model(store, today)
        grade(store, "d/a#c1", 5, today)
        recall.recall_model(store, today)
        last = store.last_grade(today)
        assert last is not None
        store.undo(last.id, session_id=None, day=today)
        assert fields(recall.recall_model(store, today)) == full(store, today)
        assert replayed[-1] == {"d/a#c1"}  # the undone grade no longer counts
        earlier = D0 + timedelta(days=10)  # STUDY_TODAY in the past: later grades are left out
        assert fields(recall.recall_model(store, earlier)) == full(store, earlier)
    (home / "progress.db").rename(home / "old.db")
    with Store(home / "progress.db") as other:  # a new store: nothing cached applies
        history(other, seed=9)
        assert fields(recall.recall_model(other, today)) == full(other, today)
        assert len(replayed[-1]) > 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["stability"].__setitem__(0, float("inf")),  # written as Infinity
        lambda d: d["stability"].__setitem__(0, "7"),  # a stability of the wrong type
        lambda d: d["stability"].__setitem__(0, True),
        lambda d: d["days"].__setitem__(0, 0),  # no such day
        lambda d: d["days"].__setitem__(0, 1.5),
        lambda d: d["mark"].__setitem__(0, "216"),  # a log mark of the wrong type
        lambda d: d.__setitem__("store", 1),  # another store's memories
        lambda d: d.__setitem__("format", d["format"].replace("fsrs-recall/2", "fsrs-recall/1")),  # older
        lambda d: d.__setitem__("cards", [[1]]),
        lambda d: d["cards"].__setitem__(1, d["cards"][0]),  # one card twice
        lambda d: d.__setitem__("days", d["days"][1:]),  # columns of different lengths
    ],
)
def test_a_damaged_memory_file_means_a_full_replay(home: Path, replayed, damage) -> None:
    with Store(home / "progress.db") as store:
        history(store)
        today = D0 + timedelta(days=40)
        recall.recall_model(store, today)
        path = home / "cache" / "fsrs-memories.json"
        data = json.loads(path.read_text())
        damage(data)
        path.write_text(json.dumps(data))
        assert fields(recall.recall_model(store, today)) == full(store, today)
        assert len(replayed[-1]) == 25


def test_nothing_graded_means_no_model(home: Path) -> None:
    with Store(home / "progress.db") as store:
        assert recall.recall_model(store, D0) is None
        grade(store, "d/a#c1", 4, D0 + timedelta(days=5))
        assert recall.recall_model(store, D0) == {}  # graded, but only after that day


def test_a_restored_older_log_is_replayed_whole(home: Path, replayed) -> None:
    """A restore puts back an older log under the same store id: later grades are gone and new
    ones take their ids. The cached memories no longer hold, though the store is the same."""
    ticks = iter(range(10**6))
    with Store(home / "progress.db", clock=lambda: f"2026-03-01T00:00:{next(ticks) % 60:02d}+00:00") as store:
        history(store)
        backup = store.backup(home / "before.db")
        today = D0 + timedelta(days=40)
        for card in ("d/a#c1", "d/a#c2", "d/a#c3"):
            grade(store, card, 5, today)
        assert fields(recall.recall_model(store, today)) == full(store, today)
        store.replace_with(Store(backup, readonly=True, copy=True))
        for card in ("d/a#c1", "d/a#c2", "d/a#c4"):  # the same ids again, other grades
            grade(store, card, 0, today)
        assert fields(recall.recall_model(store, today)) == full(store, today)
        assert len(replayed[-1]) > 4  # not only the cards graded last: everything
        assert fields(recall.recall_model(store, today)) == full(store, today)
