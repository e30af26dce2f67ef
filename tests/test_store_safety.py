"""Nothing can brick the store or lose a grade (issue 12): bad imports, backups and restore, two
terminals, read-only use, grades committed before they are shown, foreign and damaged files."""

from __future__ import annotations

import copy
import io
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from studycli import sm2, storefiles
from studycli.errors import GradeConflict, StudyError
from studycli.exportcheck import InvalidExport, validate
from studycli.model import Card, CardKind, Deck, Item, Option
from studycli.schema import MAX_ID, SCHEMA_VERSION
from studycli.session import CheckRun
from studycli.store import KEEP_DAILY, LATEST_GAP_RATINGS, Store, newest_backup

from .test_e2e import Terminal, answers_for, env_for, preview

FIXTURES = Path(__file__).parent / "fixtures"
GOOD_EXPORT = json.loads((FIXTURES / "export-v1.json").read_text(encoding="utf-8"))
DAY = date(2026, 2, 1)


def grade(store: Store, card_id: str, quality: int, day: date = DAY) -> None:
    before = store.states().get(card_id)
    store.record_review(
        session_id=None,
        day=day,
        card_id=card_id,
        deck_id=card_id.split("#")[0],
        source="new" if before is None else "review",
        quality=quality,
        seconds=2.0,
        repeat=False,
        before=before,
        after=sm2.review(before or sm2.new_state(card_id), quality, day),
    )


def clock(day: str):
    return lambda: f"{day}T10:00:00+00:00"


# --- 1. import validates everything before writing anything ---------------------------------


def _mutated(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD_EXPORT)
    *parents, last = re.findall(r"[^.\[\]]+", path)
    node: Any = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is _DELETE:
        del node[last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return data


_DELETE = object()

BAD_IMPORTS = [
    ("cards.3.ef", "oops", "cards[3].ef: must be a number"),
    ("cards.3.due", "tomorrow", "cards[3].due: must be a date written YYYY-MM-DD"),
    ("cards.0.ef", 1.2, "cards[0].ef: must be from 1.3"),
    ("cards.0.ef", float("nan"), "cards[0].ef: must be from 1.3"),
    ("cards.1.interval", -3, "cards[1].interval: must be from 0"),
    ("cards.1.interval", 1.5, "cards[1].interval: must be a whole number"),
    ("cards.1.repetitions", True, "cards[1].repetitions: must be a whole number"),
    ("cards.2.due", "9999-12-31", "cards[2].due: must be between"),
    ("cards.2.due", "2026-02-30", "is not a real date"),
    ("cards.2.last_review", "20260105", "cards[2].last_review: must be a date written YYYY-MM-DD"),
    ("cards.0.card_id", 'x"; DROP TABLE reviews; --', "holds characters an id never has"),
    ("cards.0.card_id", "d/" + "x" * MAX_ID, "at most"),
    ("cards.0.deck_id", "other/deck", "is not a card of deck"),
    ("cards.0.extra", 1, "cards[0].extra: is not a field"),
    ("cards.0.ef", _DELETE, "cards[0].ef: is missing"),
    ("reviews.0.quality", 6, "reviews[0].quality: must be from 0 to 5"),
    ("reviews.0.quality", "5", "reviews[0].quality: must be a whole number"),
    ("reviews.0.source", "again", "reviews[0].source: must be one of new, review"),
    ("reviews.0.session_id", 999, "reviews[0].session_id: no session has id 999"),
    ("reviews.0.ts", "yesterday", "reviews[0].ts: must be an ISO timestamp"),
    ("reviews.0.seconds", -1, "reviews[0].seconds: must be from 0"),
    ("reviews.0.repeat", 2, "reviews[0].repeat: must be 0 or 1"),
    ("reviews.0.card_id", "llm/rag#nowhere", "has no entry in 'cards'"),
    ("reviews.1.id", 1, "reviews[1].id: 1 appears twice"),
    ("sessions.0.kind", "party", "sessions[0].kind: must be one of"),
    ("sessions.0.status", "done", "sessions[0].status: must be one of"),
    ("sessions.0.day", None, "sessions[0].day: must be a date"),
    ("gap_ratings.0.rating", "meh", "gap_ratings[0].rating: must be one of know"),
    ("settings.plan", 3, "settings.plan: must be text"),
    ("cards", {"a": 1}, "cards: must be a list"),
    ("cards.0", [], "cards[0]: must be an object"),
    ("surprise", [], "surprise: is not part of a studycli export"),
]


@pytest.mark.parametrize(
    ("path", "value", "message"), BAD_IMPORTS, ids=[c[0] + "=" + repr(c[1])[:20] for c in BAD_IMPORTS]
)
def test_bad_import_is_refused_with_its_json_path_and_the_store_stays_usable(
    invoke, home: Path, tmp_path: Path, path: str, value: Any, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_mutated(path, value)), encoding="utf-8")
    result = invoke("import", str(bad))
    assert result.exit_code == 2, result.output
    assert "the export is invalid" in result.output and "nothing was imported" in result.output
    assert message in result.output
    with Store(home / "progress.db", readonly=True) as store:
        assert not store.has_progress() and store.settings() == {}
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD_EXPORT), encoding="utf-8")
    result = invoke("import", str(good))
    assert result.exit_code == 0, result.output
    assert "Imported 6 cards, 18 reviews, 5 sessions, 2 gap ratings." in result.output


def test_an_export_from_the_first_release_imports_exactly(store_factory) -> None:
    store = store_factory()
    store.import_data(GOOD_EXPORT)
    again = store.export()
    for key in ("cards", "reviews", "sessions", "gap_ratings", "settings"):
        assert again[key] == GOOD_EXPORT[key]


def test_problems_are_counted_beyond_those_shown() -> None:
    data = copy.deepcopy(GOOD_EXPORT)
    for card in data["cards"]:
        card["ef"] = "x"
        card["interval"] = -1
    with pytest.raises(InvalidExport) as info:
        validate(data)
    assert info.value.total == 12 and len(info.value.problems) == 10
    assert "and 2 more" in info.value.message


def _mutate(rng: random.Random, data: Any) -> Any:
    """One random change somewhere in the tree: a value replaced, a key dropped or added."""
    nasty: list[Any] = [
        None, True, -1, 0, 2**63, 1e308, float("inf"), -0.5, "", "x", "9999-12-31", "2026-13-01",
        "2026-01-01T00:00:00", "'\"", "\x1b[31m", [], {}, [1], {"a": None}, "a" * 20_000,
    ]  # fmt: skip
    paths: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in items:
            paths.append((node, key))
            walk(child)

    walk(data)
    parent, key = rng.choice(paths)
    action = rng.random()
    if action < 0.75:
        parent[key] = rng.choice([*nasty, copy.deepcopy(rng.choice(paths)[0])])
    elif action < 0.9 and isinstance(parent, dict):
        del parent[key]
    elif isinstance(parent, list):
        parent.append(copy.deepcopy(parent[key]))  # a duplicate row
    else:
        parent["zz"] = 1
    return data


def test_fuzzed_imports_never_crash_and_never_half_import(
    invoke, home: Path, content: Path, tmp_path: Path
) -> None:
    """A bounded, seeded fuzz over mutated exports: refused (2) or imported (0), never exit 70;
    a refused one leaves the store empty, an accepted one leaves a store that reports."""
    rng = random.Random(12)
    base = copy.deepcopy(GOOD_EXPORT)
    base["settings"]["plan"] = "starter"  # the test content's plan
    counts = {"tried": 0, "refused": 0, "imported": 0}
    source = tmp_path / "fuzz.json"
    for _ in range(300):
        data = copy.deepcopy(base)
        for _ in range(rng.randint(1, 3)):
            data = _mutate(rng, data)
        source.write_text(json.dumps(data), encoding="utf-8")
        result = invoke("import", str(source))
        counts["tried"] += 1
        assert result.exit_code in (0, 2), (result.exit_code, result.output, data)
        if result.exit_code == 2:
            counts["refused"] += 1
            with Store(home / "progress.db", readonly=True) as store:
                assert not store.has_progress()
            continue
        counts["imported"] += 1
        for args in (("report",), ("check", "--preview"), ("export",)):
            after = invoke(*args, today="2026-01-20")
            assert after.exit_code not in (70, 74), (args, after.output, data)
        for leftover in home.glob("progress.db*"):
            leftover.unlink()
    print(f"import fuzz: {counts}")
    assert counts["refused"] > 200 and counts["imported"] > 0


# --- 2. schema: query plans -------------------------------------------------------------------


def test_query_plans_and_only_the_indexes_queries_use(store_factory) -> None:
    store = store_factory()
    conn = sqlite3.connect(store.path)

    def plan(sql: str, *params: Any) -> str:
        return " ".join(str(row[3]) for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params))

    assert plan("SELECT ef FROM card_state WHERE card_id = ?", "x") == (
        "SEARCH card_state USING INDEX sqlite_autoindex_card_state_1 (card_id=?)"
    )
    assert plan("SELECT * FROM reviews WHERE day >= ? ORDER BY id", "2026-01-01") == "SCAN reviews"
    effective = "id NOT IN (SELECT review_id FROM undos)"
    undos = "USING INDEX sqlite_autoindex_undos_1 FOR IN-OPERATOR"
    # a day or a window of days: the day index (the count per day from the index alone)
    assert plan(f"SELECT card_id FROM reviews WHERE {effective} AND day = ?", "2026-01-01") == (
        f"SEARCH reviews USING INDEX reviews_day (day=?) {undos}"
    )
    assert (
        plan(f"SELECT id, card_id, quality FROM reviews WHERE {effective} AND day >= ?", "2026-01-01")
        == f"SEARCH reviews USING INDEX reviews_day (day>?) {undos}"
    )
    assert (
        plan(f"SELECT day, count(*) FROM reviews WHERE {effective} AND day >= ? GROUP BY day", "2026-01-01")
        == f"SEARCH reviews USING COVERING INDEX reviews_day (day>?) {undos}"
    )
    # a few cards: the card index; the whole log up to a day: a scan, not the day index
    assert plan("SELECT id, day, quality FROM reviews WHERE card_id IN (?, ?)", "a", "b") == (
        "SEARCH reviews USING INDEX reviews_card (card_id=?)"
    )
    assert plan(f"SELECT id FROM reviews WHERE repeat = 0 AND {effective} AND +day <= ?", "2026-01-01") == (
        f"SCAN reviews {undos}"
    )
    # the standing gap rating per subtopic: the rating index alone, one search per subtopic
    assert plan(LATEST_GAP_RATINGS) == (
        "SEARCH gap_ratings USING INTEGER PRIMARY KEY (rowid=?) LIST SUBQUERY 3 CO-ROUTINE k "
        "SCAN gap_ratings USING COVERING INDEX gap_ratings_latest SCAN k CORRELATED SCALAR SUBQUERY 1 "
        "SEARCH h USING COVERING INDEX gap_ratings_latest (deck_id=? AND subtopic=?)"
    )
    indexes = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
        )
    ]
    assert indexes == ["gap_ratings_latest", "reviews_card", "reviews_day"]
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0  # per connection: the store turns it on
    assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    conn.close()


def test_check_constraints_refuse_what_the_program_never_writes(store_factory) -> None:
    store = store_factory()
    with pytest.raises(sqlite3.IntegrityError), store._tx() as conn:
        conn.execute(
            "INSERT INTO card_state(card_id, deck_id, ef, interval, repetitions) VALUES ('d#1', 'd', 1.0, 1, 1)"
        )
    with pytest.raises(sqlite3.IntegrityError), store._tx() as conn:
        conn.execute(
            "INSERT INTO card_state(card_id, deck_id, ef, interval, repetitions, due) VALUES ('d#1', 'd', 2.5, 1, 1, '2026-02-30')"
        )
    with pytest.raises(sqlite3.IntegrityError), store._tx() as conn:
        conn.execute(
            "INSERT INTO card_state(card_id, deck_id, ef, interval, repetitions) VALUES ('d#1', 'd', '2.5x', 1, 1)"
        )
    with pytest.raises(sqlite3.IntegrityError), store._tx() as conn:
        conn.execute(
            "INSERT INTO gap_ratings(session_id, ts, day, deck_id, subtopic, rating) VALUES (77, ?, '2026-01-01', 'd', 's', 'know')",
            ("2026-01-01T00:00:00",),
        )
    assert not store.has_progress()


# --- 3. backups and restore -------------------------------------------------------------------


def test_daily_backups_roll_and_keep_the_last_few(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    for day in range(1, 12):
        with Store(path, clock=clock(f"2026-03-{day:02d}")) as store:
            grade(store, f"d#{day}", 5, date(2026, 3, day))
    kept = sorted(p.name for p in (tmp_path / "backups").glob("daily-*.db"))
    assert kept == [f"daily-2026-03-{d:02d}.db" for d in range(11 - KEEP_DAILY + 1, 12)]
    # the copy of a day is the store as the day began
    with Store(tmp_path / "backups" / "daily-2026-03-11.db", readonly=True) as copy_:
        assert set(copy_.states()) == {f"d#{d}" for d in range(1, 11)}


def test_backup_and_restore_round_trip(invoke, home: Path, tmp_path: Path) -> None:
    path = home / "progress.db"
    with Store(path) as store:
        grade(store, "d#1", 5)
        grade(store, "d#2", 2)
        before = store.export()
    copy_ = tmp_path / "copy.db"
    result = invoke("backup", str(copy_))
    assert result.exit_code == 0, result.output
    assert f"Backed up the progress store to {copy_}" in result.output
    with Store(path) as store:
        grade(store, "d#1", 4, date(2026, 2, 3))
        grade(store, "d#3", 0)
    result = invoke("restore", str(copy_))
    assert result.exit_code == 0, result.output
    assert "Restored the progress store" in result.output
    with Store(path) as store:
        after = store.export()
    for key in ("cards", "reviews", "sessions", "gap_ratings", "settings"):
        assert after[key] == before[key]
    kept = list((home / "backups").glob("before-restore-*.db"))
    assert len(kept) == 1
    with Store(kept[0], readonly=True) as old:
        assert "d#3" in old.states()
    # the default place
    result = invoke("backup")
    assert result.exit_code == 0 and len(list((home / "backups").glob("manual-*.db"))) == 1


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty (0 bytes)"),
        (b"hello, not a database at all" * 100, "no SQLite header"),
        (None, "is not a studycli database"),  # an SQLite file of another program
    ],
)
def test_restore_refuses_a_file_that_is_not_a_store(
    invoke, home: Path, tmp_path: Path, content, fragment
) -> None:
    with Store(home / "progress.db") as store:
        grade(store, "d#1", 5)
        before = store.export()
    bad = tmp_path / "bad.db"
    if content is None:
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE photos (id INTEGER)")
        conn.commit()
        conn.close()
    else:
        bad.write_bytes(content)
    result = invoke("restore", str(bad))
    assert result.exit_code == 74, result.output
    assert fragment in result.output
    with Store(home / "progress.db", readonly=True) as store:
        assert store.export()["reviews"] == before["reviews"]


def test_restore_over_a_damaged_store_keeps_the_damaged_file(invoke, home: Path, tmp_path: Path) -> None:
    with Store(home / "progress.db") as store:
        grade(store, "d#1", 5)
        store.backup(tmp_path / "good.db")
    (home / "progress.db").write_bytes(b"garbage" * 1000)
    result = invoke("report")
    assert result.exit_code == 74
    result = invoke("restore", str(tmp_path / "good.db"))
    assert result.exit_code == 0, result.output
    assert "The damaged store was kept as" in result.output
    assert list(home.glob("progress.db.foreign-*"))
    with Store(home / "progress.db", readonly=True) as store:
        assert set(store.states()) == {"d#1"}


# --- 4. two terminals ---------------------------------------------------------------------------


def test_a_grade_against_a_stale_state_is_refused_and_writes_nothing(store_factory) -> None:
    store = store_factory()
    other = Store(store.path)
    try:
        grade(other, "d#1", 5)  # the other terminal introduces the card first
        with pytest.raises(GradeConflict) as info:
            store.record_review(
                session_id=None, day=DAY, card_id="d#1", deck_id="d", source="new", quality=3, seconds=1.0,
                repeat=False, before=None, after=sm2.review(sm2.new_state("d#1"), 3, DAY),
            )  # fmt: skip
        assert info.value.current == other.states()["d#1"]
        assert len(store.reviews()) == 1
        assert store.states()["d#1"].repetitions == 1
    finally:
        other.close()


def _read_until(proc: subprocess.Popen, pattern: str, seen: list[str]) -> None:
    """Read the child's stdout until `pattern` appears (no clock: blocks on the pipe)."""
    assert proc.stdout is not None
    while not re.search(pattern, "".join(seen)):
        chunk = os.read(proc.stdout.fileno(), 4096).decode("utf-8", "replace")
        if not chunk:
            raise AssertionError(f"{pattern!r} never came:\n{''.join(seen)}")
        seen.append(chunk)


def test_two_real_processes_checking_at_once_count_each_card_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    today = "2026-01-05"
    items = preview(home, today)[:4]
    script = answers_for(items)
    env = env_for(home, today, PYTHONUNBUFFERED="1")
    procs, outputs = [], []
    for _ in range(2):  # both have built the same check before either grades
        proc = subprocess.Popen(
            [sys.executable, "-m", "studycli", "check", "-n", "4"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        seen: list[str] = []
        _read_until(proc, r"Your answer|Choose", seen)
        procs.append(proc)
        outputs.append(seen)
    _, first_err = procs[0].communicate(script.encode(), timeout=120)
    second_out, second_err = procs[1].communicate(script.encode(), timeout=120)
    assert procs[0].returncode == 0, first_err
    assert procs[1].returncode == 0, second_err
    second = "".join(outputs[1]) + second_out.decode()
    assert second.count("was graded in another terminal meanwhile") == 4
    with Store(home / "progress.db", readonly=True) as store:
        first_attempts = [r.card_id for r in store.reviews() if not r.repeat]
        states = store.states()
    assert sorted(first_attempts) == sorted(i["card_id"] for i in items)  # once each
    assert all(states[i["card_id"]].reviews == 1 for i in items)


def test_two_first_runs_at_once_both_succeed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = env_for(home, "2026-01-05")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "studycli", "config"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for _ in range(2)
    ] + [
        subprocess.Popen(
            [sys.executable, "-m", "studycli", "plan", "--use", "starter"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, errors
    # No half-built store is left behind. SQLite's own -wal/-shm stay when a read-only command
    # happened to close last (a read-only connection may not remove them): they are the store's.
    left = sorted(p.name for p in home.iterdir() if p.name.startswith((".", "progress")))
    assert [name for name in left if name not in ("progress.db-wal", "progress.db-shm")] == ["progress.db"]
    with Store(home / "progress.db") as store:
        assert store.settings()["plan"] == "starter"


# --- 5. read-only use ----------------------------------------------------------------------------


def test_read_only_store_of_a_missing_file_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "progress.db"
    with Store(path, readonly=True) as store:
        assert store.states() == {} and store.settings() == {} and not store.has_progress()
        with pytest.raises(RuntimeError):
            store.set_setting("plan", "x")
    assert not path.parent.exists()


def test_reading_commands_write_nothing(invoke, home: Path, content: Path) -> None:
    path = home / "progress.db"
    with Store(path) as store:
        store.set_settings({"plan": "starter", "plan_start": "2026-01-01"})
        grade(store, "t/alpha#a1", 5)

    def files() -> dict[str, bytes]:  # SQLite's -shm/-wal of a read-only connection aside
        return {
            p.name: p.read_bytes()
            for p in home.rglob("*")
            if p.is_file() and not p.name.endswith(("-shm", "-wal"))
        }

    snapshot = files()
    for args in (("report",), ("export",), ("config",), ("plan",), ("lint",)):
        result = invoke(*args, today="2026-01-03")
        assert result.exit_code in (0, 1), (args, result.output)
    if (home / "cache").exists():
        shutil.rmtree(home / "cache")  # the parsed-deck cache is not the store
    assert files() == snapshot
    assert not storefiles.wal_path(path).exists() or storefiles.wal_path(path).stat().st_size == 0


def test_a_read_only_store_of_an_older_schema_is_read_without_touching_it(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    shutil.copy(FIXTURES / "store-v1.db", path)
    data = path.read_bytes()
    with Store(path, readonly=True) as store:
        assert len(store.reviews()) == 18 and store.schema_version == SCHEMA_VERSION
    assert path.read_bytes() == data
    # SQLite's own -wal/-shm for a read-only connection may appear, empty of data; nothing else
    assert {p.name for p in tmp_path.iterdir()} <= {"progress.db", "progress.db-wal", "progress.db-shm"}
    assert not storefiles.wal_path(path).exists() or storefiles.wal_path(path).stat().st_size == 0


def _readonly_mount_works() -> bool:
    if not shutil.which("unshare") or os.name != "posix":
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _readonly_mount_works(), reason="needs unshare to mount a read-only folder")
def test_commands_that_read_work_on_a_read_only_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Store(home / "progress.db") as store:
        store.set_settings({"plan": "starter", "plan_start": "2026-01-01"})
        grade(store, "d#1", 5)
    (home / "cache").mkdir(exist_ok=True)
    script = " && ".join(
        f"{sys.executable} -m studycli {args} > /dev/null"
        for args in ("report", "config", "plan", "check --preview")
    )
    script += f" && {sys.executable} -m studycli export"
    # The parsed-deck cache gets a writable place of its own (deckcache cannot yet cope without).
    shell = (
        f"mount --bind {home} {home} && mount -o remount,bind,ro {home} && "
        f"mount -t tmpfs none {home / 'cache'} && {script}"
    )
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", shell],
        capture_output=True,
        text=True,
        env=env_for(home, "2026-01-03"),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert [c["card_id"] for c in json.loads(result.stdout)["cards"]] == ["d#1"]


# --- 6. grades, snapshots, foreign and damaged files ---------------------------------------------


class _Prompter:
    """Like LinePrompter: prints the prompt, and echoes the choice unless told not to."""

    def __init__(self, console: Any, keys: list[str]) -> None:
        self.console = console
        self.keys = keys

    def choose(self, prompt: Any, valid: Any, echo: bool = True) -> str:
        self.console.print(prompt, end="")
        key = self.keys.pop(0)
        if echo:
            self.console.print(key)
        return key

    def line(self, prompt: Any) -> str:
        return "my answer"

    def pause(self, prompt: Any) -> None:
        return None


def test_a_grade_is_shown_only_after_it_is_recorded() -> None:
    from rich.console import Console

    from studycli.ui.check_view import run_check
    from studycli.ui.console import THEME

    basic = Card(id="d#b", deck_id="d", question="Q?", answer="A.")
    mcq = Card(
        id="d#m", deck_id="d", question="Which?", kind=CardKind.MCQ,
        options=(Option("right", True), Option("wrong", False)),
    )  # fmt: skip
    deck = Deck(id="d", title="D", area="A", cards=(basic, mcq))
    screen = io.StringIO()
    console = Console(file=screen, width=80, no_color=True, theme=THEME)
    at_record: list[str] = []

    def record(item: Item, quality: int, seconds: float) -> None:
        at_record.append(screen.getvalue())

    run = CheckRun([Item(basic, "new"), Item(mcq, "new")])
    outcome = run_check(console, _Prompter(console, ["5", "a"]), run, {"d": deck}, record)
    assert outcome.status == "completed"
    assert at_record[0].endswith("> ") and "> 5" in at_record[1]  # echoed after, not before
    assert "✓ correct" not in at_record[1] and "✓ correct" in screen.getvalue()


def test_ctrl_c_while_an_explanation_is_shown_counts_the_grade_already_saved() -> None:
    """A choice card's grade is committed before its explanation is shown; Ctrl-C at that
    explanation's pause must leave the sitting's count agreeing with the store (found in tmux:
    the summary said 1 graded while 2 grades were saved)."""
    from rich.console import Console

    from studycli.ui.check_view import run_check
    from studycli.ui.console import THEME

    mcq = Card(
        id="d#m", deck_id="d", question="Which?", kind=CardKind.MCQ,
        options=(Option("right", True), Option("wrong", False)), explanation="Because.",
    )  # fmt: skip
    deck = Deck(id="d", title="D", area="A", cards=(mcq,))
    console = Console(file=io.StringIO(), width=80, no_color=True, theme=THEME)

    class Interrupting(_Prompter):
        def pause(self, prompt: Any) -> None:
            raise KeyboardInterrupt

    saved: list[int] = []
    run = CheckRun([Item(mcq, "new")])
    outcome = run_check(
        console, Interrupting(console, ["b"]), run, {"d": deck}, lambda i, q, s: saved.append(q)
    )
    assert outcome.status == "interrupted"
    assert saved == [1] and [g.quality for g in run.graded] == saved


def test_sigkill_right_after_the_acknowledgement_keeps_the_grade(tmp_path: Path) -> None:
    """A question card of its own deck (the bundled decks' first card may be any kind): the grade
    key is echoed only after the commit, so killing the process the instant it shows keeps it."""
    from .test_e2e import DECK

    decks = tmp_path / "decks"
    (decks / "e2e").mkdir(parents=True)
    (decks / "e2e" / "keys.md").write_text(DECK)
    home = tmp_path / "home"
    today = "2026-01-05"
    env = env_for(home, today, STUDY_DECKS=str(decks), STUDY_BUNDLED="0")
    term = Terminal([sys.executable, "-m", "studycli", "check", "--topic", "e2e/keys", "-n", "1"], env)
    try:
        term.expect("Enter to reveal) > ")
        term.send("x\r")
        term.expect("stop\r\n> ")
        term.send("4")
        term.expect("4")
        term.proc.send_signal(signal.SIGKILL)  # the instant the grade is on screen
        term.proc.wait(timeout=60)
    finally:
        os.close(term.master)
    with Store(home / "progress.db", readonly=True) as store:
        assert [(r.card_id, r.quality) for r in store.reviews()] == [("e2e/keys#k1", 4)]


def test_export_reads_one_snapshot_while_a_check_grades(store_factory) -> None:
    store = store_factory()
    for i in range(3):
        grade(store, f"d#{i}", 5)
    other = Store(store.path)

    class Meddling(io.StringIO):
        graded = False

        def write(self, text: str) -> int:
            if not self.graded and '"reviews"' in text:  # half-way: another terminal grades
                self.graded = True
                grade(other, "d#9", 5)
                grade(other, "d#0", 4, date(2026, 2, 2))
            return super().write(text)

    out = Meddling()
    try:
        store.write_export(out)
    finally:
        other.close()
    data = json.loads(out.getvalue())
    assert len(data["reviews"]) == 3 and len(data["cards"]) == 3
    assert {c["card_id"]: c["reviews"] for c in data["cards"]} == {"d#0": 1, "d#1": 1, "d#2": 1}
    assert len(store.export()["reviews"]) == 5


def _store_with_progress(path: Path, day: str = "2026-02-01") -> None:
    with Store(path, clock=clock(day)) as store:
        store.set_settings({"plan": "starter"})
        for i in range(40):
            grade(store, f"d#{i}", 5)
    Store(path, clock=clock(day)).close()  # the day's backup: the first open with progress takes it


def _foreign_wal(tmp_path: Path, page_size: int = 4096) -> Path:
    """A committed WAL of another studycli store, kept by copying it while its writer is open."""
    other = tmp_path / "other" / "progress.db"
    _store_with_progress(other)
    writer = Store(other)
    try:
        writer._conn.execute("PRAGMA wal_autocheckpoint = 0")
        if page_size != 4096:  # another database with another page size
            conn = sqlite3.connect(tmp_path / "other" / "odd.db", isolation_level=None)
            conn.execute(f"PRAGMA page_size = {page_size}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA wal_autocheckpoint = 0")
            conn.execute("CREATE TABLE t (x)")
            conn.execute("INSERT INTO t VALUES (1)")
            wal = storefiles.wal_path(tmp_path / "other" / "odd.db")
            kept = tmp_path / "foreign-wal"
            shutil.copy(wal, kept)
            conn.close()
            return kept
        grade(writer, "d#99", 0)
        kept = tmp_path / "foreign-wal"
        shutil.copy(storefiles.wal_path(other), kept)
        return kept
    finally:
        writer.close()


@pytest.mark.parametrize("page_size", [4096, 1024])
def test_a_wal_from_another_database_is_moved_aside_never_merged(
    invoke, home: Path, tmp_path: Path, page_size
) -> None:
    path = home / "progress.db"
    _store_with_progress(path)
    with Store(path, readonly=True) as store:
        before = store.export()
    shutil.copy(_foreign_wal(tmp_path, page_size), storefiles.wal_path(path))
    read = invoke("report")  # a read-only command ignores it and says so
    assert "does not belong to this database" in read.output
    result = invoke("config")
    assert result.exit_code == 0, result.output
    result = invoke("config", "set", "check_size", "7")  # a writing command moves it aside
    assert result.exit_code == 0, result.output
    assert "does not belong to this database" in result.output and "moved it aside, unmerged" in result.output
    assert list(home.glob("progress.db-wal.foreign-*"))
    with Store(path, readonly=True) as store:
        after = store.export()
        assert store.quick_check() == ["ok"]
    assert after["reviews"] == before["reviews"] and after["cards"] == before["cards"]


def test_a_wal_beside_a_missing_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    shutil.copy(_foreign_wal(tmp_path), storefiles.wal_path(path))
    with Store(path) as store:
        assert not store.has_progress()
        assert "without its database" in store.notices[0]
    assert list(tmp_path.glob("progress.db-wal.foreign-*"))


def test_a_crash_left_wal_is_this_databases_own_and_is_kept(tmp_path: Path) -> None:
    """The other side: a WAL of this very store (a crash before checkpoint) is replayed."""
    path = tmp_path / "progress.db"
    _store_with_progress(path)
    writer = Store(path)
    writer._conn.execute("PRAGMA wal_autocheckpoint = 0")
    grade(writer, "d#crash", 3)
    saved = {s: storefiles.wal_path(path).with_name(path.name + s).read_bytes() for s in ("-wal",)}
    db = path.read_bytes()
    writer.close()  # clean close checkpoints; put the crash state back
    path.write_bytes(db)
    storefiles.wal_path(path).write_bytes(saved["-wal"])
    with Store(path, clock=clock("2026-02-01")) as store:
        assert "d#crash" in store.states() and store.notices == []


def _corrupt_page_of(path: Path, table: str) -> None:
    conn = sqlite3.connect(path)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((page - 1) * 4096 + 8)
        handle.write(os.urandom(2000))


def test_a_corrupt_page_is_exit_74_naming_the_newest_backup(invoke, home: Path) -> None:
    path = home / "progress.db"
    _store_with_progress(path)
    newest = newest_backup(path)
    assert newest is not None and newest.name == "daily-2026-02-01.db"
    _corrupt_page_of(path, "reviews")
    result = invoke("report")
    assert result.exit_code == 74, result.output
    assert "is damaged" in result.output and f"study restore '{newest}'" in result.output
    export = invoke("export")  # never a truncated JSON on stdout
    assert export.exit_code == 74 and export.stdout == ""


def test_quick_check_on_the_days_first_open_finds_damage_no_query_touches(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    _store_with_progress(path, "2026-02-01")
    _corrupt_page_of(path, "sqlite_autoindex_settings_1")  # an index page no read of states touches
    with Store(path, clock=clock("2026-02-01")) as store:  # the same day: no check due yet
        assert store.states()
    with pytest.raises(StudyError, match="quick_check") as info:
        Store(path, clock=clock("2026-02-02"))
    assert info.value.exit_code == 74 and "daily-2026-02-01.db" in info.value.hint
    assert not (tmp_path / "backups" / "daily-2026-02-02.db").exists()  # no damaged copy rotated in


@pytest.mark.parametrize(
    ("setup", "fragment"),
    [
        ("empty", "empty (0 bytes)"),
        ("foreign", "is not a studycli database"),
        ("version-minus-one", "is not a studycli database"),
    ],
)
def test_an_empty_or_foreign_file_is_refused_not_replaced(
    invoke, home: Path, setup: str, fragment: str
) -> None:
    path = home / "progress.db"
    home.mkdir(parents=True)
    if setup == "empty":
        path.write_bytes(b"")
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE settings (key, value)" if setup == "foreign" else "CREATE TABLE x (y)")
        if setup == "version-minus-one":
            conn.execute("PRAGMA user_version = -1")
        conn.commit()
        conn.close()
    data = path.read_bytes()
    for args in (("config",), ("check",), ("report",)):
        result = invoke(*args)
        assert result.exit_code == 74, (args, result.output)
        assert fragment in result.output
    assert path.read_bytes() == data


def test_a_reader_sees_one_snapshot_while_another_terminal_grades(tmp_path: Path) -> None:
    """A read-only store reads the file in one read transaction (no copy of it): a grade written
    meanwhile by a writer is not half-seen by a report in progress, and the next reader sees it."""
    path = tmp_path / "progress.db"
    with Store(path) as writer:
        grade(writer, "t/alpha#a1", 4)
        with Store(path, readonly=True) as reader:
            before = reader.states()
            assert list(before) == ["t/alpha#a1"]
            grade(writer, "t/alpha#a2", 4)
            assert reader.states() == before and len(reader.reviews()) == 1
        with Store(path, readonly=True) as later:
            assert sorted(later.states()) == ["t/alpha#a1", "t/alpha#a2"]


def test_text_that_is_not_utf8_is_reported_as_damage(invoke, home: Path) -> None:
    """Every value is written from a Python str, so undecodable text can only be damage: exit 74
    naming the store, never a generic database error (random page damage found this, 1 run in 20)."""
    path = home / "progress.db"
    _store_with_progress(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE settings SET value = CAST(x'ff6e6577' AS TEXT) WHERE key = 'plan'")
    conn.commit()
    conn.close()
    result = invoke("export")
    assert result.exit_code == 74 and result.stdout == ""
    assert "is damaged (Could not decode to UTF-8" in result.output
