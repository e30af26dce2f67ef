"""The progress store: per-grade commits, append-only log, migrations, damage, locks, export."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studycli import daily, gaps, sm2
from studycli.errors import StudyError
from studycli.session import due_order
from studycli.store import MIGRATIONS, SCHEMA_VERSION, Store

DAY = date(2026, 2, 1)


def grade(
    store: Store,
    card_id: str,
    quality: int,
    day: date = DAY,
    repeat: bool = False,
    session: int | None = None,
    seconds: float | None = 1.5,
) -> None:
    before = store.states().get(card_id)
    after = before if repeat and before else sm2.review(before or sm2.new_state(card_id), quality, day)
    store.record_review(
        session_id=session,
        day=day,
        card_id=card_id,
        deck_id="d",
        source="new" if before is None else "review",
        quality=quality,
        seconds=seconds,
        repeat=repeat,
        before=before,
        after=after,
    )


def test_new_store_has_current_schema_and_wal(store_factory) -> None:
    store = store_factory()
    assert store.schema_version == SCHEMA_VERSION
    mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_each_grade_is_visible_to_another_connection_at_once(store_factory) -> None:
    store = store_factory()
    grade(store, "d#1", 5)
    other = sqlite3.connect(store.path)
    assert other.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    assert other.execute("SELECT interval FROM card_state WHERE card_id='d#1'").fetchone()[0] == 1
    other.close()


def test_repeat_is_logged_but_does_not_move_the_schedule(store_factory) -> None:
    store = store_factory()
    grade(store, "d#1", 2)
    state = store.states()["d#1"]
    grade(store, "d#1", 5, repeat=True)
    assert store.states()["d#1"] == state
    rows = store.reviews()
    assert [r.repeat for r in rows] == [False, True]
    assert rows[1].before == rows[1].after


def test_review_log_is_append_only(store_factory) -> None:
    store = store_factory()
    grade(store, "d#1", 5)
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE reviews SET quality = 0")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM reviews")
    conn.close()


def test_card_state_can_be_rebuilt_from_the_log(store_factory) -> None:
    store = store_factory()
    plan = [("a", 5, 1), ("b", 2, 1), ("a", 4, 2), ("b", 4, 3), ("a", 1, 8), ("b", 5, 9)]
    for card, quality, day in plan:
        grade(store, f"d#{card}", quality, date(2026, 2, day))
    rebuilt: dict[str, object] = {}
    for row in store.reviews():
        if not row.repeat:
            rebuilt[row.card_id] = sm2.review(
                rebuilt.get(row.card_id) or sm2.new_state(row.card_id), row.quality, row.day
            )  # type: ignore[arg-type]
    assert rebuilt == store.states()


def test_sessions_open_and_close(store_factory) -> None:
    store = store_factory()
    sid = store.start_session("check", DAY, planned=10, plan_id="starter")
    store.end_session(sid, "interrupted")
    (row,) = store.sessions()
    assert (row.kind, row.day, row.planned, row.plan_id, row.status) == (
        "check",
        DAY,
        10,
        "starter",
        "interrupted",
    )
    assert row.ended_at is not None


def test_settings_round_trip(store_factory) -> None:
    store = store_factory()
    store.set_setting("plan", "a")
    store.set_settings({"plan": "b", "plan_start": "2026-01-01"})
    assert store.settings() == {"plan": "b", "plan_start": "2026-01-01"}
    assert store.delete_setting("plan") and not store.delete_setting("plan")


def test_export_import_round_trip_is_lossless(store_factory) -> None:
    source = store_factory("a.db")
    source.set_settings({"plan": "starter", "plan_start": "2026-01-05"})
    sid = source.start_session("check", DAY, planned=3)
    grade(source, "d#1", 5, session=sid)
    grade(source, "d#2", 1, session=sid)
    grade(source, "d#2", 4, repeat=True, session=sid)
    grade(source, "d#1", 3, date(2026, 2, 2))
    source.end_session(sid, "completed")
    gid = source.start_session("gaps", DAY)
    source.record_gap_rating(session_id=gid, day=DAY, deck_id="d", subtopic="x", rating="unsure")
    last = source.last_grade(date(2026, 2, 2))
    assert last is not None
    source.undo(last.id, session_id=None, day=date(2026, 2, 2))  # an undo travels too
    source.suspend({"d#2": "d"})
    mid = source.start_session("mock", DAY)
    source.record_mock_answer(
        session_id=mid, day=DAY, card_id="d#1", deck_id="d", quality=3, seconds=95.0, timed_out=True
    )
    exported = source.export()
    text = json.dumps(exported)
    target = store_factory("b.db")
    counts = target.import_data(json.loads(text))
    assert counts == {
        "settings": 2,
        "sessions": 3,
        "cards": 2,
        "reviews": 4,
        "gap_ratings": 1,
        "undos": 1,
        "suspended": 1,
        "mock_answers": 1,
    }
    again = target.export()
    exported.pop("exported_at")
    again.pop("exported_at")
    assert again == exported
    assert target.states() == source.states()
    assert (
        target.reviews() == source.reviews() and len(target.reviews()) == 3
    )  # the undone one counts nowhere
    assert target.suspended() == {"d#2": "d"} and target.mock_answers() == source.mock_answers()


def test_import_refuses_a_store_with_progress(store_factory) -> None:
    store = store_factory()
    grade(store, "d#1", 5)
    with pytest.raises(StudyError, match="already holds progress"):
        store.import_data(store.export())


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"format": "other"}, "not a studycli export"),
        ({"format": "studycli-export", "version": 99}, "not supported"),
        (
            {"format": "studycli-export", "version": 1, "cards": [{"card_id": "x", "bogus": 1}]},
            r"cards\[0\].bogus: is not a field",
        ),
        ({"format": "studycli-export", "version": 1, "reviews": [{"quality": 9}]}, "invalid"),
    ],
)
def test_import_rejects_bad_exports_and_writes_nothing(store_factory, data, fragment) -> None:
    store = store_factory()
    with pytest.raises(StudyError, match=fragment):
        store.import_data(data)
    assert not store.has_progress()


def test_an_empty_file_is_refused_not_replaced(tmp_path: Path) -> None:
    """A 0-byte file at the store's path (a failed copy, a truncation) is not silently a new store."""
    path = tmp_path / "progress.db"
    path.write_bytes(b"")
    with pytest.raises(StudyError, match="empty") as info:
        Store(path)
    assert info.value.exit_code == 74
    assert path.read_bytes() == b""
    with pytest.raises(StudyError, match="empty"):
        Store(path, readonly=True)


FIXTURES = Path(__file__).parent / "fixtures"


def test_there_is_a_saved_database_for_every_older_schema() -> None:
    saved = sorted(FIXTURES.glob("store-v*.db"))
    assert [p.name for p in saved] == [f"store-v{v}.db" for v in range(1, SCHEMA_VERSION)]
    assert SCHEMA_VERSION > 1  # so the test below has cases


def _table_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            for table in ("settings", "card_state", "sessions", "reviews", "gap_ratings")
        }
    finally:
        conn.close()


def _schema(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_each_migration_step_from_a_saved_older_database(tmp_path: Path, version: int) -> None:
    """A saved database of every older version opens: every row survives, the schema is the one a
    new store gets, the migrations are recorded by name, and a backup was taken first."""
    import shutil

    path = tmp_path / "progress.db"
    shutil.copy(FIXTURES / f"store-v{version}.db", path)
    before = _table_rows(path)
    assert before["reviews"] and before["gap_ratings"]  # the fixture holds real rows
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.migrations() == [m.name for m in MIGRATIONS]
        assert store.settings()["plan"] == "ml-engineer-12w"
    assert _table_rows(path) == before
    fresh = tmp_path / "fresh.db"
    Store(fresh).close()
    assert _schema(path) == _schema(fresh)
    assert all("STRICT" in sql for kind, _, sql in _schema(path) if kind == "table")
    for migration in MIGRATIONS[version:]:
        kept = tmp_path / "backups" / f"before-{migration.name}.db"
        assert kept.exists()
    assert _table_rows(tmp_path / "backups" / f"before-{MIGRATIONS[version].name}.db") == before


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StudyError, match="newer studycli"):
        Store(path)


def test_damaged_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StudyError, match="damaged") as info:
        Store(path)
    assert "move it aside" in info.value.hint


def test_locked_database_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import studycli.store as store_module

    path = tmp_path / "progress.db"
    Store(path).close()
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.05)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        store = Store(path)
        with pytest.raises(StudyError, match="locked") as info:
            grade(store, "d#1", 5)
        assert info.value.exit_code == 75
        store.close()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_two_processes_creating_the_store_at_once(tmp_path: Path) -> None:
    """First runs in two terminals at the same moment must not trip over each other's migration."""
    import subprocess
    import sys

    path = tmp_path / "progress.db"
    code = "import sys; from pathlib import Path; from studycli.store import Store; Store(Path(sys.argv[1])).close()"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(path)], stderr=subprocess.PIPE) for _ in range(6)
    ]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION


def test_streamed_export_is_the_same_json_as_export(store_factory) -> None:
    import io

    store = store_factory()
    store.set_settings({"plan": "starter"})
    for i in range(3):
        grade(store, f"d#{i}", 5 - i)
    empty = store_factory("empty.db")
    for source in (store, empty):
        buffer = io.StringIO()
        counts = source.write_export(buffer)
        streamed = json.loads(buffer.getvalue())
        whole = source.export()
        streamed.pop("exported_at")
        whole.pop("exported_at")
        assert streamed == whole
        assert counts["reviews"] == len(whole["reviews"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ratings=st.lists(
        st.tuples(
            st.sampled_from(["d/a", "d/b"]),
            st.sampled_from(["one", "two", "three"]),
            st.sampled_from(["know", "unsure", "dunno"]),
            st.integers(min_value=0, max_value=3),  # day offset: assessments may be back-dated
        ),
        max_size=25,
    )
)
def test_latest_gap_ratings_in_sql_match_the_pure_rule(tmp_path: Path, ratings) -> None:
    """Daily commands read only the standing rating per subtopic, chosen by SQLite; it must be
    exactly what `gaps.latest` keeps from the whole history (latest day, then latest row)."""
    store = Store(tmp_path / f"p{len(list(tmp_path.iterdir()))}.db")
    for deck_id, subtopic, rating, offset in ratings:
        store.record_gap_rating(
            session_id=None, day=date(2026, 3, 1 + offset), deck_id=deck_id, subtopic=subtopic, rating=rating
        )
    assert gaps.latest(store.latest_gap_ratings()) == gaps.latest(store.gap_ratings())
    assert len(store.latest_gap_ratings()) == len(gaps.latest(store.gap_ratings()))
    store.close()


def test_grades_are_the_review_log_without_the_schedule(store_factory) -> None:
    """The report reads `grades()`; it must hold exactly the facts of `reviews()`, undone grades
    left out as there, from `since` on."""
    store = store_factory()
    grade(store, "d#1", 4, date(2026, 3, 1), session=None)
    grade(store, "d#1", 2, date(2026, 3, 2))
    grade(store, "d#1", 5, date(2026, 3, 2), repeat=True)
    grade(store, "d#2", 3, date(2026, 3, 3))
    store.undo(store.last_grade(date(2026, 3, 3)).id, session_id=None, day=date(2026, 3, 3))
    facts = [
        (r.id, r.session_id, r.day, r.card_id, r.deck_id, r.source, r.quality, r.seconds, r.repeat)
        for r in store.reviews()
    ]
    assert [tuple(g) for g in store.grades()] == facts and len(facts) == 3
    assert [tuple(g) for g in store.grades(since=date(2026, 3, 2))] == facts[1:]
    # The report's activity map, counted by SQLite: the same grades per day (repeats too)
    counted: dict[date, int] = {}
    for g in store.grades(since=date(2026, 3, 2)):
        counted[g.day] = counted.get(g.day, 0) + 1
    assert store.grades_per_day(date(2026, 3, 2)) == counted == {date(2026, 3, 2): 2}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    answers=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=9),  # day offset
            st.none() | st.floats(min_value=0, max_value=1500, allow_nan=False),  # seconds logged
            st.booleans(),  # a same-check repeat
        ),
        max_size=30,
    ),
    undo_last=st.booleans(),
)
def test_timing_sums_in_sql_match_the_pure_rule(tmp_path: Path, answers, undo_last) -> None:
    """Daily commands add up answer times in SQL (`Store.timing`); the sums must be exactly what
    `daily.seconds_per_item` takes from the rows, undone grades and the window's ends included."""
    store = Store(tmp_path / f"t{len(list(tmp_path.iterdir()))}.db")
    for n, (offset, seconds, repeat) in enumerate(answers):
        card = f"d#{n % 4}"
        grade(
            store,
            card,
            4,
            date(2026, 3, 1 + offset),
            repeat=repeat and card in store.seen_ids(),
            seconds=seconds,
        )
    if undo_last and answers:
        last = store.last_grade(date(2026, 3, 1 + answers[-1][0]))
        if last is not None:
            store.undo(last.id, session_id=None, day=last.day)
    since, until = date(2026, 3, 3), date(2026, 3, 8)
    rows = [(r.seconds, r.repeat) for r in store.reviews() if since <= r.day <= until]
    firsts, total = store.timing(since, until, daily.ANSWER_CAP_S)
    assert firsts == sum(1 for s, repeat in rows if not repeat and s is not None)
    assert total == pytest.approx(sum(min(s, daily.ANSWER_CAP_S) for s, _ in rows if s is not None))
    assert daily.seconds_from_totals(firsts, total) == pytest.approx(daily.seconds_per_item(rows))
    store.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            st.integers(min_value=-60, max_value=20),  # due, days from today
            st.none()
            | st.integers(min_value=-3, max_value=90),  # days from last review to due (odd ones too)
            st.sampled_from([1.3, 1.96, 2.5, 2.5, 2.8]),  # EF (ties on purpose)
        ),
        max_size=40,
    ),
    today_offset=st.integers(min_value=-5, max_value=5),
)
def test_due_order_in_sql_matches_the_pure_rule(tmp_path: Path, rows, today_offset) -> None:
    """A check asks SQLite for the due reviews in order (`Store.due_order`); it must be exactly
    `daily.review_order`'s order (overdue share of the interval, then EF, then id), ties included."""
    today = date(2026, 6, 15)
    path = tmp_path / f"d{len(list(tmp_path.iterdir()))}.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    for n, (due_in, span, ef) in enumerate(rows):
        due = today + timedelta(days=due_in)
        last = None if span is None else due - timedelta(days=span)
        conn.execute(
            "INSERT INTO card_state(card_id, deck_id, ef, interval, repetitions, due, lapses, reviews,"
            " last_review) VALUES (?, 'd', ?, ?, 1, ?, 0, 1, ?)",
            (f"d#{n % 7}-{n}", ef, max(1, span or 1), due.isoformat(), last.isoformat() if last else None),
        )
    conn.commit()
    conn.close()
    with Store(path, readonly=True) as store:
        day = today + timedelta(days=today_offset)
        assert store.due_order(day) == due_order(store.states(), day)
        assert store.seen_ids() == frozenset(store.states())
