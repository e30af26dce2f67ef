"""Undo: a grade taken back leaves the card exactly as before it and counts nowhere."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studycli import sm2
from studycli.errors import StudyError
from studycli.model import Card, Item
from studycli.session import CheckRun
from studycli.store import Store
from studycli.usecases.grading import Recorder
from studycli.vocab import SessionKind, Source

D0 = date(2026, 3, 2)


def grade(store: Store, card_id: str, quality: int, day: date, session: int | None = None) -> int:
    before = store.states().get(card_id)
    after = sm2.review(before or sm2.new_state(card_id), quality, day)
    return store.record_review(
        session_id=session,
        day=day,
        card_id=card_id,
        deck_id="d",
        source=Source.NEW if before is None else Source.REVIEW,
        quality=quality,
        seconds=None,
        repeat=False,
        before=before,
        after=after,
    )


# Each step: grade card k with quality q on day offset t, or undo the latest grade.
steps = st.lists(
    st.one_of(
        st.tuples(st.just("grade"), st.integers(0, 2), st.integers(0, 5), st.integers(0, 3)),
        st.tuples(st.just("undo"), st.just(0), st.just(0), st.just(0)),
    ),
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
def test_any_grades_and_undos_leave_the_state_of_the_grades_that_stand(tmp_path: Path, plan: list) -> None:
    path = tmp_path / f"u{abs(hash(str(plan)))}.db"
    kept: list[tuple[str, int, date]] = []
    day = D0
    with Store(path) as store:
        for op, k, q, t in plan:
            if op == "grade":
                day = max(day, D0 + timedelta(days=t))  # the log moves forward in time
                grade(store, f"d#{k}", q, day)
                kept.append((f"d#{k}", q, day))
            else:
                last = store.last_grade(day)
                if last is None:
                    continue
                store.undo(last.id, session_id=None, day=day)
                kept.pop()
        states = store.states()
        effective = [(r.card_id, r.quality, r.day) for r in store.reviews()]
    with Store(tmp_path / f"r{abs(hash(str(plan)))}.db") as replay:
        for card_id, q, d in kept:
            grade(replay, card_id, q, d)
        assert replay.states() == states
    assert effective == kept


def test_undo_refused_when_already_undone_or_graded_again(tmp_path: Path) -> None:
    with Store(tmp_path / "p.db") as store:
        first = grade(store, "d#1", 4, D0)
        grade(store, "d#1", 5, D0 + timedelta(days=1))
        with pytest.raises(StudyError, match="has been graded again since"):
            store.undo(first, session_id=None, day=D0 + timedelta(days=1))
        latest = store.last_grade(D0 + timedelta(days=1))
        assert latest is not None
        store.undo(latest.id, session_id=None, day=D0 + timedelta(days=1))
        with pytest.raises(StudyError, match="already undone"):
            store.undo(latest.id, session_id=None, day=D0 + timedelta(days=1))
        store.undo(first, session_id=None, day=D0 + timedelta(days=1))  # now it is the latest
        assert store.states() == {} and store.reviews() == []
        assert [undone for _, undone in store.history("d#1")] == [True, True]


def card(n: int) -> Card:
    return Card(f"d#{n}", "d", f"Question {n}?", "Answer.")


def test_check_run_undo_puts_the_item_back_and_drops_its_repeat() -> None:
    run = CheckRun([Item(card(1), Source.NEW), Item(card(2), Source.NEW)])
    run.grade(2)  # d#1 below 4: its repeat goes to the end
    assert [(i.card.id, i.repeat) for i in run.queue] == [("d#2", False), ("d#1", True)]
    assert run.undo().card.id == "d#1"
    assert [(i.card.id, i.repeat) for i in run.queue] == [("d#1", False), ("d#2", False)]
    assert not run.can_undo
    run.grade(5)
    run.grade(5)
    run.undo()
    run.undo()
    assert [(i.card.id, i.repeat) for i in run.queue] == [("d#1", False), ("d#2", False)]


def test_recorder_undo_restores_store_and_memory(tmp_path: Path) -> None:
    with Store(tmp_path / "p.db") as store:
        grade(store, "d#1", 5, D0 - timedelta(days=1))
        states = store.states()
        session = store.start_session(SessionKind.REVIEW, D0)
        record = Recorder(store, session, D0, dict(states))
        record(Item(card(1), Source.REVIEW), 1, 10.0)
        record(Item(card(2), Source.NEW), 4, 10.0)
        assert record.undo() == "d#2" and "d#2" not in record.states
        assert record.undo() == "d#1" and record.states["d#1"] == states["d#1"]
        assert store.states() == states
        assert [r.card_id for r in store.reviews()] == ["d#1"]  # the day-before grade stands
