"""The progress database: the only module that speaks SQL.

One SQLite file. WAL mode so a report can read while a check writes; a busy timeout so two
terminals wait for each other instead of failing. The schema (STRICT tables, CHECK constraints,
named forward-only migrations) is in `schema.py`; import validation in `exportcheck.py`; the
checks on the files around the database (a WAL from another database, the header) in
`storefiles.py`. The review log is append-only (triggers refuse UPDATE and DELETE) and stores the
card state before and after every grade, so card state can always be rebuilt from it. Every grade
is its own committed transaction, finished before `record_review` returns.

How the store keeps its promises:

* **Creating**: a new store is built complete in a temporary file and hard-linked into place, so
  two first runs at once never see a half-made or 0-byte file: one link wins, the other opens it.
  A 0-byte or non-studycli file at the store's path is refused (exit 74), never replaced.
* **Two terminals** (optimistic concurrency): `record_review` is given the card state the caller
  graded against, and inside its write transaction checks it still is the stored state. If another
  terminal graded the card in between, it writes nothing and raises `GradeConflict`; the check
  says so and moves on. This was chosen over a session lease because it needs no lock files that
  a crash can leave behind, lets `report` and `gaps` run beside a check, and covers every writer
  (check, review, restore) with one rule at the one place a grade is written.
* **Reading only**: `Store(path, readonly=True)` opens the file with SQLite's `mode=ro` (or
  `immutable=1` on a read-only folder that holds no live WAL) and reads it inside one read
  transaction: commands that only read see one consistent snapshot, never write a byte (no WAL
  switch, no migration, no backup), work on a read-only folder or a backup copy, and a missing
  store reads as an empty one without creating it. An older schema (and a restore's source, with
  `copy=True`) is copied into memory with the online backup API and changed there only; copying
  every store, as this once did, cost a full read of the file on every preview and report.
* **Backups**: the first writable open of a day runs `PRAGMA quick_check` and then keeps a copy
  (`backups/daily-YYYY-MM-DD.db`, the newest `KEEP_DAILY`), made with SQLite's online backup API.
  Migrations and restores take a copy first too. A damaged-database message names the newest one.
* **Damage**: every open checks the header cheaply (magic, page size, file size against the page
  count). `PRAGMA quick_check` runs when something looks wrong: the header check found an
  anomaly, SQLite had to replay a WAL that no running program owned (a crash), or it is the
  day's first writable open (before the daily backup, so a damaged file never rotates good
  copies out). Any "malformed" error later is exit 74 with the newest backup named.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import sqlite3
import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from . import storefiles
from .errors import GradeConflict, StudyError
from .model import CardState, GapRating, Grade, MockAnswer, ReviewRow, SessionRow
from .schema import BASE_TABLES, MAX_SECONDS, MIGRATIONS, SCHEMA_VERSION
from .vocab import Rating, SessionKind, SessionStatus, Source

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "GradeConflict",
    "Store",
]

BUSY_TIMEOUT_S = 5.0
KEEP_DAILY = 7  # daily backups kept beside the store
BACKUP_DIR = "backups"
MIN_SQLITE = (3, 37, 0)  # STRICT tables


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _day_reader() -> Callable[[str], date]:
    """`date.fromisoformat` that parses each distinct day once: a read of thousands of rows
    (every state, the whole log) spans a few hundred days."""
    days: dict[str, date] = {}

    def parse(value: str) -> date:
        found = days.get(value)
        if found is None:
            found = days[value] = date.fromisoformat(value)
        return found

    return parse


def _parse_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")


def is_backup(path: Path) -> bool:
    return path.is_file() and storefiles.read_header(path) is not None


def backup_dir(db: Path) -> Path:
    return db.parent / BACKUP_DIR


def newest_backup(db: Path) -> Path | None:
    """The most recent backup copy beside the store that is at least an SQLite file."""
    folder = backup_dir(db)
    try:
        found = [p for p in folder.glob("*.db") if is_backup(p)]
    except OSError:
        return None
    return max(found, key=lambda p: (p.stat().st_mtime, p.name), default=None)


def _damaged(db: Path, what: str) -> StudyError:
    newest = newest_backup(db)
    if newest is not None:
        hint = (
            f"restore the newest backup with `study restore '{newest}'` (the damaged file is kept), "
            "or move the file aside and `study import` an export"
        )
    else:
        hint = (
            f"move it aside (e.g. `mv '{db}' '{db}.broken'`) and restore from an export with "
            "`study import`; no backup copy exists yet"
        )
    return StudyError(f"the progress database {db} {what}", hint, exit_code=74)


# The standing rating per subtopic: per distinct subtopic, the id at the end of its run in the
# index `gap_ratings_latest` (deck, subtopic, day, id), so no sort and no per-row key over the
# whole rating history (schema.py; the plan is pinned in tests/test_store_safety.py).
LATEST_GAP_RATINGS = (
    "SELECT * FROM gap_ratings WHERE id IN ("
    " SELECT (SELECT id FROM gap_ratings h WHERE h.deck_id = k.deck_id AND h.subtopic = k.subtopic"
    " ORDER BY day DESC, id DESC LIMIT 1)"
    " FROM (SELECT DISTINCT deck_id, subtopic FROM gap_ratings) k"
    ") ORDER BY id"
)


class Store:
    """An open progress database. Use as a context manager, or call `close()`.

    `readonly=True` reads one consistent snapshot of the file and never writes to it (see the
    module docstring); with `copy=True` the snapshot is a copy in memory, which may be changed. `notices` holds things the user should hear about (moved-aside files).
    """

    def __init__(
        self, path: Path, *, clock: Callable[[], str] = _now, readonly: bool = False, copy: bool = False
    ) -> None:
        self.path = path
        self.readonly = readonly
        self._copy = copy  # readonly: work on a copy in memory (a restore's source is re-stamped)
        self.notices: list[str] = []
        self._clock = clock
        self._store_id = 0
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise StudyError(
                f"studycli needs SQLite {'.'.join(map(str, MIN_SQLITE))} or newer; this Python has "
                f"{sqlite3.sqlite_version}",
                "use a Python built with a newer SQLite (e.g. python.org builds or Python 3.11+)",
            )
        self._conn = self._open_readonly() if readonly else self._open_writable()

    # --- opening ----------------------------------------------------------------------------

    def _open_writable(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StudyError(
                f"cannot create the data folder {self.path.parent}: {exc.strerror}",
                "set STUDY_HOME to a folder you can write to",
            ) from None
        with self._errors():
            if not self.path.exists():
                self._set_aside_orphans()
                self._create()
            header = self._check_file()
            suspicious = storefiles.header_anomaly(self.path, header) is not None
            reason = storefiles.foreign_wal(self.path, header)
            if reason:
                moved = storefiles.move_companions_aside(self.path)
                self.notices.append(
                    f"{storefiles.wal_path(self.path).name} does not belong to this database ({reason}); "
                    f"moved it aside, unmerged: {', '.join(str(p) for p in moved)}"
                )
            wal = storefiles.wal_path(self.path)
            recovering = wal.exists() and wal.stat().st_size > 0 and not storefiles.wal_in_use(self.path)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            with self._errors():
                conn.execute("PRAGMA foreign_keys = ON")
                version = self._identify(conn)
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() != "wal":  # a store from before WAL, or copied in DELETE mode
                    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                    if str(mode).lower() != "wal":  # e.g. a network file system; correct, slower
                        conn.execute("PRAGMA journal_mode = DELETE")
                self._conn = conn
                if version < SCHEMA_VERSION:
                    self._migrate(conn, backups=True)
                self._store_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
                if suspicious or recovering:
                    self._quick_check()
                self._daily_backup()
        except BaseException:
            conn.close()
            raise
        return conn

    def _set_aside_orphans(self) -> None:
        moved = storefiles.move_companions_aside(self.path)
        if moved:
            self.notices.append(
                f"found {', '.join(p.name.split('.foreign-')[0] for p in moved)} without its database; "
                f"moved aside, unmerged: {', '.join(str(p) for p in moved)}"
            )

    def _check_file(self) -> storefiles.Header:
        """Refuse an empty or non-SQLite file at the store's path (never replace it)."""
        if self.path.stat().st_size == 0:
            raise _damaged(self.path, "is empty (0 bytes), so it is not a studycli store; it was left as is")
        header = storefiles.read_header(self.path)
        if header is None:
            raise _damaged(self.path, "is damaged or is not a studycli database (no SQLite header)")
        return header

    def _identify(self, conn: sqlite3.Connection) -> int:
        """The schema version, after making sure this is a studycli store we can read."""
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version > SCHEMA_VERSION:
            raise StudyError(
                f"{self.path} was written by a newer studycli (schema {version}, "
                f"this one knows {SCHEMA_VERSION})",
                "upgrade studycli: `pip install --upgrade studycli`",
            )
        if version < 0 or (version == 0 and tables) or (version > 0 and not set(BASE_TABLES) <= tables):
            raise _damaged(
                self.path,
                f"is not a studycli database (schema {version}, tables: {sorted(tables) or 'none'})",
            )
        return version

    def _create(self) -> None:
        """Build a complete new store beside the path, then link it into place atomically."""
        tmp = self.path.with_name(f".{self.path.name}.new-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                self._migrate(conn, backups=False)
            finally:
                conn.close()
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                pass  # another first run won the race: use its store
            except OSError:  # a file system without hard links: not atomic, but not clobbering
                if not self.path.exists():
                    os.replace(tmp, self.path)
        finally:
            for leftover in (tmp, storefiles.wal_path(tmp), storefiles.shm_path(tmp)):
                leftover.unlink(missing_ok=True)

    def _open_readonly(self) -> sqlite3.Connection:
        """A read-only view of the store that never writes to the data folder.

        The file is read inside one read transaction, which is one consistent snapshot however
        long the command takes, even while another terminal writes (WAL). Only a store of an older
        schema is copied into memory, where it is migrated without touching the file: copying
        every store would cost a full read of it on every `check --preview` and `report`.
        """
        memory = sqlite3.connect(":memory:", isolation_level=None)
        try:
            with self._errors():
                if not self.path.exists():
                    self._migrate(memory, backups=False)
                    return memory
                header = self._check_file()
                uri = f"file:{self.path.resolve().as_posix()}?mode=ro"
                reason = storefiles.foreign_wal(self.path, header)
                if reason:
                    uri = uri.replace("mode=ro", "immutable=1")
                    self.notices.append(
                        f"ignored {storefiles.wal_path(self.path).name}: it does not belong to this "
                        f"database ({reason}); a command that writes will move it aside"
                    )
                try:
                    source = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
                    source.execute("BEGIN")  # the snapshot starts at the first read below
                    source.execute("PRAGMA user_version").fetchone()
                except sqlite3.OperationalError as exc:
                    if "unable to open" not in str(exc):
                        raise
                    # A read-only folder and no -shm: no program can be writing, read the file as is
                    source = sqlite3.connect(
                        uri.replace("mode=ro", "immutable=1"), uri=True, isolation_level=None
                    )
                    source.execute("BEGIN")
                try:
                    version = self._identify(source)
                    in_memory = self._copy or version < SCHEMA_VERSION
                    if in_memory:
                        source.backup(memory)  # changed (migrated) in memory: the file stays as it is
                except BaseException:
                    source.close()
                    raise
                if in_memory:
                    source.close()
                    self._conn = memory
                    self._migrate(memory, backups=False)
                else:
                    memory.close()
                    memory = self._conn = source
                if storefiles.header_anomaly(self.path, header):
                    self._quick_check()
        except BaseException:
            memory.close()
            raise
        return memory

    # --- schema -----------------------------------------------------------------------------

    def _migrate(self, conn: sqlite3.Connection, *, backups: bool) -> None:
        """Run each missing migration in its own transaction, after a backup copy of the store."""
        while True:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version >= SCHEMA_VERSION:
                return
            migration = MIGRATIONS[version]
            if backups and version > 0:
                target = backup_dir(self.path) / f"before-{migration.name}.db"
                if target.exists():
                    target = target.with_name(f"before-{migration.name}-{_stamp()}.db")
                self._backup_into(conn, target)
            conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    # Re-read under the write lock: another process may have migrated meanwhile.
                    if int(conn.execute("PRAGMA user_version").fetchone()[0]) != version:
                        conn.execute("ROLLBACK")
                        continue
                    for statement in _statements(migration.sql):
                        conn.execute(statement)
                    if version + 1 >= 2:  # the migrations table exists from schema 2 on
                        conn.executemany(
                            "INSERT OR IGNORE INTO migrations(name, applied_at) VALUES (?, ?)",
                            [(m.name, self._clock()) for m in MIGRATIONS[: version + 1]],
                        )
                        if not conn.execute("PRAGMA application_id").fetchone()[0]:
                            conn.execute(
                                f"PRAGMA application_id = {random.SystemRandom().randint(1, 2**31 - 1)}"
                            )
                    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise sqlite3.IntegrityError(f"foreign key check failed: {broken[:3]}")
                    conn.execute(f"PRAGMA user_version = {version + 1}")
                    conn.execute("COMMIT")
                except sqlite3.IntegrityError as exc:
                    conn.execute("ROLLBACK")
                    raise _damaged(
                        self.path,
                        f"cannot be upgraded by migration {migration.name}: a stored row breaks one of "
                        f"its rules ({exc}); nothing was changed",
                    ) from None
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            finally:
                conn.execute("PRAGMA foreign_keys = ON")

    def migrations(self) -> list[str]:
        """Names of the migrations applied to this store, in order."""
        return [row["name"] for row in self._query("SELECT name FROM migrations ORDER BY name")]

    def _quick_check(self) -> None:
        rows = [row[0] for row in self._conn.execute("PRAGMA quick_check(5)").fetchall()]
        if rows != ["ok"]:
            raise _damaged(self.path, f"is damaged (SQLite's quick_check: {'; '.join(map(str, rows))})")

    # --- backups ----------------------------------------------------------------------------

    def _backup_into(self, conn: sqlite3.Connection, target: Path) -> Path:
        """A consistent copy of the store through SQLite's online backup API, written atomically."""
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            copy = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                copy.close()
            with tmp.open("rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return target

    def backup(self, target: Path | None = None) -> Path:
        """Copy the store now: to `target`, or to the backups folder beside it."""
        if target is not None and target.exists():
            raise StudyError(f"{target} already exists", "choose a new file name, or remove it first")
        target = target or backup_dir(self.path) / f"manual-{_stamp()}.db"
        with self._errors():
            try:
                return self._backup_into(self._conn, target)
            except OSError as exc:
                raise StudyError(f"cannot write the backup {target}: {exc.strerror}") from None

    def _daily_backup(self) -> None:
        """Once a day, before the first write: quick_check, then keep a copy; rotate old ones."""
        folder = backup_dir(self.path)
        today = self._clock()[:10]
        target = folder / f"daily-{today}.db"
        if target.exists():
            return
        self._quick_check()
        if not self.has_progress() and not self.settings():
            return  # nothing worth a copy yet
        try:
            self._backup_into(self._conn, target)
            dailies = sorted(folder.glob("daily-????-??-??.db"))
            for old in dailies[:-KEEP_DAILY]:
                old.unlink(missing_ok=True)
        except OSError as exc:
            self.notices.append(f"could not write today's backup copy in {folder}: {exc.strerror}")

    def replace_with(self, source: Store) -> Path:
        """Restore: make this store hold exactly `source`'s data, after a copy of the current one.

        Done through SQLite's backup API into the open store, so another terminal that has it
        open sees the restored data (and a grade it gives against the old state is refused).
        """
        if self.readonly or not source.readonly:
            raise ValueError("restore goes from a read-only snapshot into a writable store")
        kept = self.backup(backup_dir(self.path) / f"before-restore-{_stamp()}.db")
        with self._errors():
            # The restored pages carry this store's id, so the WAL check keeps recognising them.
            source._conn.execute(f"PRAGMA application_id = {self._store_id}")
            source._conn.backup(self._conn)
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return kept

    def quick_check(self) -> list[str]:
        with self._errors():
            return [str(row[0]) for row in self._conn.execute("PRAGMA quick_check(5)").fetchall()]

    # --- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn SQLite failures into messages that say what to do."""
        try:
            yield
        except sqlite3.IntegrityError:
            raise  # a CHECK the program itself broke: a bug, not damage
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise StudyError(
                    f"the progress database {self.path} is locked by another program",
                    "close other `study` sessions (or whatever holds the file) and try again",
                    exit_code=75,
                ) from None
            if "unable to open" in text or "readonly" in text:
                raise StudyError(
                    f"cannot open the progress database {self.path} for writing: {text}",
                    "check the folder's permissions, or set STUDY_HOME to another folder",
                ) from None
            # Text that is not UTF-8 can only be damage: every value is written from a Python str.
            if "malformed" in text or "corrupt" in text or "decode to UTF-8" in text:
                raise _damaged(self.path, f"is damaged ({text})") from None
            raise StudyError(f"progress database error in {self.path}: {text}") from None
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, f"is damaged or is not a studycli database ({exc})") from None

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise RuntimeError("a read-only store was asked to write")
        with self._errors():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                # Every transaction re-writes page 1 with the store's id: see storefiles.
                self._conn.execute(f"PRAGMA application_id = {self._store_id}")
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """One read transaction: every query inside sees the same committed state."""
        with self._errors():
            if self._conn.in_transaction:
                yield
                return
            self._conn.execute("BEGIN")
            try:
                yield
            finally:
                self._conn.execute("COMMIT")

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._errors():
            cursor = self._conn.execute(sql, params)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._query("PRAGMA user_version")[0][0])

    # --- settings --------------------------------------------------------------------------

    def settings(self) -> dict[str, str]:
        return {row["key"]: row["value"] for row in self._query("SELECT key, value FROM settings")}

    def set_setting(self, key: str, value: str) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def set_settings(self, values: Mapping[str, str]) -> None:
        with self._tx() as conn:
            conn.executemany(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    def delete_setting(self, key: str) -> bool:
        with self._tx() as conn:
            return conn.execute("DELETE FROM settings WHERE key = ?", (key,)).rowcount > 0

    # --- card state and reviews ------------------------------------------------------------

    def states(self) -> dict[str, CardState]:
        # Plain tuples and positional arguments: every daily command reads every state, and at
        # 20,000 cards name lookups on sqlite3.Row cost more than the query itself.
        with self._errors():
            rows = self._conn.execute(
                "SELECT card_id, ef, interval, repetitions, due, lapses, reviews, last_review FROM card_state"
            ).fetchall()
        parse = _day_reader()
        make = CardState.from_row
        return {
            cid: make(
                cid,
                ef,
                interval,
                reps,
                parse(due) if due else None,
                lapses or 0,
                reviews,
                parse(last) if last else None,
            )
            for cid, ef, interval, reps, due, lapses, reviews, last in rows
        }

    def seen_ids(self) -> frozenset[str]:
        """Ids of every card with progress: what a check needs to know which cards are new."""
        with self._errors():
            return frozenset(row[0] for row in self._conn.execute("SELECT card_id FROM card_state"))

    def due_order(self, today: date) -> list[str]:
        """Ids of the cards due on or before `today`, most at risk first: `daily.review_order`'s
        order (overdue days over the scheduled interval, descending; then EF; then id), computed
        by SQLite so a check builds no state for the cards it does not ask. Tested equal to the
        pure rule. Dates are whole days, so both sides divide the same exact integers."""
        day = today.isoformat()
        with self._errors():
            rows = self._conn.execute(
                "SELECT card_id FROM card_state WHERE due IS NOT NULL AND due <= ? ORDER BY"
                " CASE WHEN last_review IS NULL THEN 0.0 ELSE"
                " (julianday(?) - julianday(last_review)) / max(1, julianday(due) - julianday(last_review))"
                " END DESC, ef, card_id",
                (day, day),
            ).fetchall()
        return [row[0] for row in rows]

    def deck_of_states(self) -> dict[str, str]:
        """card id -> deck id, for every card with progress (orphan checks, reports)."""
        return {
            row["card_id"]: row["deck_id"] for row in self._query("SELECT card_id, deck_id FROM card_state")
        }

    def start_session(self, kind: str, day: date, planned: int = 0, plan_id: str | None = None) -> int:
        with self._tx() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions(kind, day, started_at, plan_id, planned) VALUES (?, ?, ?, ?, ?)",
                (kind, day.isoformat(), self._clock(), plan_id, planned),
            )
            return int(cursor.lastrowid or 0)

    def end_session(self, session_id: int, status: str) -> None:
        with self._tx() as conn:
            conn.execute(
                "UPDATE sessions SET ended_at = ?, status = ? WHERE id = ?",
                (self._clock(), status, session_id),
            )

    def record_review(
        self,
        *,
        session_id: int | None,
        day: date,
        card_id: str,
        deck_id: str,
        source: str,
        quality: int,
        seconds: float | None,
        repeat: bool,
        before: CardState | None,
        after: CardState,
    ) -> int:
        """Log one grade and, unless it is a same-session repeat, store the new card state; returns
        the grade's id in the log (what an undo names).

        One transaction, committed before this returns: a crash after a grade never loses it.
        `before` is the state the grade was given against (None for a new card); if the stored
        state differs (another terminal graded the card meanwhile), nothing is written and
        `GradeConflict` is raised.
        """
        if seconds is not None:
            seconds = min(max(seconds, 0.0), MAX_SECONDS)  # a terminal left open all weekend
        with self._tx() as conn:
            cursor = conn.execute(
                "SELECT card_id, ef, interval, repetitions, due, lapses, reviews, last_review"
                " FROM card_state WHERE card_id = ?",
                (card_id,),
            )
            cursor.row_factory = sqlite3.Row
            row = cursor.fetchone()
            current = _state(row) if row is not None else None
            if current != before:
                raise GradeConflict(card_id, current)
            cursor = conn.execute(
                "INSERT INTO reviews(session_id, ts, day, card_id, deck_id, source, quality, seconds,"
                " repeat, before_ef, before_interval, before_repetitions, before_due, before_lapses,"
                " after_ef, after_interval, after_repetitions, after_due, after_lapses)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    self._clock(),
                    day.isoformat(),
                    card_id,
                    deck_id,
                    source,
                    quality,
                    seconds,
                    int(repeat),
                    before.ef if before else None,
                    before.interval if before else None,
                    before.repetitions if before else None,
                    _day(before.due) if before else None,
                    before.lapses if before else None,
                    after.ef,
                    after.interval,
                    after.repetitions,
                    _day(after.due),
                    after.lapses,
                ),
            )
            review_id = int(cursor.lastrowid or 0)
            if not repeat:
                conn.execute(
                    "INSERT INTO card_state(card_id, deck_id, ef, interval, repetitions, due, lapses,"
                    " reviews, last_review) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(card_id) DO UPDATE SET deck_id = excluded.deck_id, ef = excluded.ef,"
                    " interval = excluded.interval, repetitions = excluded.repetitions,"
                    " due = excluded.due, lapses = excluded.lapses, reviews = excluded.reviews,"
                    " last_review = excluded.last_review",
                    (
                        card_id,
                        deck_id,
                        after.ef,
                        after.interval,
                        after.repetitions,
                        _day(after.due),
                        after.lapses,
                        after.reviews,
                        _day(after.last_review),
                    ),
                )
        return review_id

    def record_gap_rating(
        self, *, session_id: int | None, day: date, deck_id: str, subtopic: str, rating: str
    ) -> None:
        """Append one self-assessment answer, committed before this returns (history is kept)."""
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO gap_ratings(session_id, ts, day, deck_id, subtopic, rating)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, self._clock(), day.isoformat(), deck_id, subtopic, rating),
            )

    def gap_ratings(self) -> list[GapRating]:
        return self._gap_ratings("SELECT * FROM gap_ratings ORDER BY id")

    def latest_gap_ratings(self) -> list[GapRating]:
        """Only the rating that stands per subtopic (the latest day, then the latest row: what
        `gaps.latest` keeps), chosen by SQLite: daily commands need no assessment history."""
        return self._gap_ratings(LATEST_GAP_RATINGS)

    def _gap_ratings(self, sql: str) -> list[GapRating]:
        return [
            GapRating(
                deck_id=row["deck_id"],
                subtopic=row["subtopic"],
                rating=Rating(row["rating"]),
                day=date.fromisoformat(row["day"]),
                session_id=row["session_id"],
                seq=row["id"],
            )
            for row in self._query(sql)
        ]

    def reviews(self, since: date | None = None) -> list[ReviewRow]:
        """The review log as it counts: undone grades are left out (they count nowhere)."""
        sql = f"SELECT * FROM reviews WHERE {_EFFECTIVE}"
        params: tuple[Any, ...] = ()
        if since is not None:
            sql += " AND day >= ?"
            params = (since.isoformat(),)
        return [_review(row) for row in self._query(sql + " ORDER BY id", params)]

    def grades(self, since: date | None = None) -> list[Grade]:
        """The review log as it counts (undone grades left out), without the schedule before and
        after each grade: what the report reads, as plain tuples."""
        sql = (
            "SELECT id, session_id, day, card_id, deck_id, source, quality, seconds, repeat FROM reviews"
            f" WHERE {_EFFECTIVE}"
        )
        params: tuple[Any, ...] = ()
        if since is not None:
            sql += " AND day >= ?"
            params = (since.isoformat(),)
        with self._errors():
            # No ORDER BY: with one, the planner scans the whole log in id order to skip a sort
            # instead of reading the window through the day index; tuples sort by id here.
            rows = self._conn.execute(sql, params).fetchall()
        rows.sort()
        parse = _day_reader()
        sources = {s.value: s for s in Source}
        return [
            Grade(
                rid,
                sid,
                parse(day),
                cid,
                did,
                sources[src],
                quality,
                sec,
                bool(rep),
            )
            for rid, sid, day, cid, did, src, quality, sec, rep in rows
        ]

    def grades_per_day(self, since: date) -> dict[date, int]:
        """Grades that count per day from `since` on (repeats too): the report's activity map,
        counted here rather than from 10,000 rows read for it."""
        with self._errors():
            rows = self._conn.execute(
                f"SELECT day, count(*) FROM reviews WHERE {_EFFECTIVE} AND day >= ? GROUP BY day",
                (since.isoformat(),),
            ).fetchall()
        parse = _day_reader()
        return {parse(day): count for day, count in rows}

    def grades_on(self, day: date) -> list[tuple[str, Source, bool]]:
        """(card id, source, repeat) of every grade that counts given on `day`, oldest first: what
        today's caps and showings need."""
        with self._errors():
            rows = self._conn.execute(
                f"SELECT card_id, source, repeat FROM reviews WHERE {_EFFECTIVE} AND day = ? ORDER BY id",
                (day.isoformat(),),
            ).fetchall()
        return [(cid, Source(src), bool(rep)) for cid, src, rep in rows]

    def timing(self, since: date, until: date, cap: float) -> tuple[int, float]:
        """`daily.seconds_per_item`'s two sums over the grades from `since` to `until`, added up by
        SQLite: first attempts with a logged time, and every logged time capped at `cap`."""
        with self._errors():
            firsts, total = self._conn.execute(
                "SELECT coalesce(sum(repeat = 0 AND seconds IS NOT NULL), 0),"
                " coalesce(sum(CASE WHEN seconds >= 0 THEN min(seconds, ?) END), 0.0)"
                f" FROM reviews WHERE {_EFFECTIVE} AND day BETWEEN ? AND ?",
                (cap, since.isoformat(), until.isoformat()),
            ).fetchone()
        return int(firsts), float(total)

    def attempts(
        self, until: date | None = None, cards: Collection[str] | None = None
    ) -> list[tuple[str, date, int]]:
        """Every first attempt (same-check repeats left out) as (card id, day, quality), oldest first:
        the input of the recall estimate, read as plain tuples because it is the whole log.
        `until` leaves out later days; `cards` limits the read to those cards."""
        sql = f"SELECT id, card_id, day, quality FROM reviews WHERE repeat = 0 AND {_EFFECTIVE}"
        params: list[Any] = []
        if until is not None:
            sql += " AND +day <= ?"  # nearly every row: a scan, not the day index (see schema.py)
            params.append(until.isoformat())
        with self._errors():
            if cards is None:
                rows = self._conn.execute(sql, params).fetchall()
            else:
                wanted = sorted(cards)
                rows = []
                for start in range(0, len(wanted), _IN_CHUNK):
                    chunk = wanted[start : start + _IN_CHUNK]
                    where = f" AND card_id IN ({', '.join('?' * len(chunk))})"
                    rows += self._conn.execute(sql + where, [*params, *chunk]).fetchall()
        rows.sort()  # by id: the order the grades were given
        parse = _day_reader()
        return [(cid, parse(day), quality) for _, cid, day, quality in rows]

    def log_mark(self) -> LogMark:
        """Where the append-only log stands: the last review and the last undo, each as its id
        and a fingerprint of its row (card, time, day and grade; review and time).
        `usecases.recall` keeps it beside the FSRS memories it derived, and asks `cards_changed`
        what happened since."""
        with self._errors():
            review = self._conn.execute(
                f"SELECT id, {_REVIEW_PRINT} FROM reviews ORDER BY id DESC LIMIT 1"
            ).fetchone()
            undo = self._conn.execute(
                f"SELECT id, {_UNDO_PRINT} FROM undos ORDER BY id DESC LIMIT 1"
            ).fetchone()
        review_id, review_print = review or (0, "")
        undo_id, undo_print = undo or (0, "")
        return (int(review_id), str(review_print), int(undo_id), str(undo_print))

    def cards_changed(self, mark: LogMark, until: date, today: date) -> set[str] | None:
        """Cards whose first attempts up to `today` may differ from what they were up to `until`
        when the log stood at `mark`: those graded or ungraded since, and those graded on a day
        between the two (STUDY_TODAY moved). None when the log is no longer an extension of
        `mark` (a restore or another store replaced it): then nothing derived from it holds.

        Exact because rows are never updated or deleted (triggers refuse it): the rows up to a
        mark stay as they were as long as the row the mark ends on is still there, unchanged."""
        review_id, review_print, undo_id, undo_print = mark
        with self._errors():
            for table, row_id, fingerprint, columns in (
                ("reviews", review_id, review_print, _REVIEW_PRINT),
                ("undos", undo_id, undo_print, _UNDO_PRINT),
            ):
                if row_id:
                    found = self._conn.execute(f"SELECT {columns} FROM {table} WHERE id = ?", (row_id,))
                    if found.fetchone() != (fingerprint,):
                        return None
            rows = self._conn.execute(
                "SELECT card_id FROM reviews WHERE id > ?"
                " UNION SELECT reviews.card_id FROM undos JOIN reviews ON reviews.id = undos.review_id"
                " WHERE undos.id > ?",
                (review_id, undo_id),
            ).fetchall()
            if until != today:
                low, high = sorted((until, today))
                rows += self._conn.execute(
                    "SELECT DISTINCT card_id FROM reviews WHERE day > ? AND day <= ?",
                    (low.isoformat(), high.isoformat()),
                ).fetchall()
        return {cid for (cid,) in rows}

    def has_attempts(self) -> bool:
        with self._errors():
            return bool(
                self._conn.execute(
                    f"SELECT 1 FROM reviews WHERE repeat = 0 AND {_EFFECTIVE} LIMIT 1"
                ).fetchone()
            )

    def identity(self) -> int:
        """This store's random id (SQLite's application_id, set at creation and kept by restores):
        caches of derived data are dropped when it changes (another store, a deleted one)."""
        with self._errors():
            return int(self._conn.execute("PRAGMA application_id").fetchone()[0])

    def history(self, card_id: str) -> list[tuple[ReviewRow, bool]]:
        """Every grade a card was given, oldest first, each with whether it was undone."""
        rows = self._query(
            "SELECT reviews.*, undos.id IS NOT NULL AS undone FROM reviews"
            " LEFT JOIN undos ON undos.review_id = reviews.id WHERE card_id = ? ORDER BY reviews.id",
            (card_id,),
        )
        return [(_review(row), bool(row["undone"])) for row in rows]

    def last_grade(self, day: date, session_id: int | None = None) -> ReviewRow | None:
        """The latest grade given on `day` (in `session_id`, if given) that is not undone yet."""
        sql = f"SELECT * FROM reviews WHERE day = ? AND {_EFFECTIVE}"
        params: tuple[Any, ...] = (day.isoformat(),)
        if session_id is not None:
            sql += " AND session_id = ?"
            params += (session_id,)
        rows = self._query(sql + " ORDER BY id DESC LIMIT 1", params)
        return _review(rows[0]) if rows else None

    def undo(self, review_id: int, *, session_id: int | None, day: date) -> ReviewRow:
        """Take a grade back: the card returns exactly to its state before it, and an undo row is
        appended (the review log itself is never changed). Refused, with nothing written, when the
        grade is already undone, or the card was graded again since (undo that grade first)."""
        with self._tx() as conn:
            cursor = conn.execute("SELECT * FROM reviews WHERE id = ?", (review_id,))
            cursor.row_factory = sqlite3.Row
            row = cursor.fetchone()
            if row is None:
                raise StudyError(f"no grade with id {review_id}")
            grade = _review(row)
            if conn.execute("SELECT 1 FROM undos WHERE review_id = ?", (review_id,)).fetchone():
                raise StudyError(f"that grade of {grade.card_id} is already undone")
            later = conn.execute(
                f"SELECT 1 FROM reviews WHERE card_id = ? AND id > ? AND {_EFFECTIVE} LIMIT 1",
                (grade.card_id, review_id),
            ).fetchone()
            if later:
                raise StudyError(
                    f"{grade.card_id} has been graded again since; only its latest grade can be undone",
                    "undo the later grade first (`study undo` takes the most recent one)",
                )
            if not grade.repeat:
                self._restore_state(conn, grade)
            conn.execute(
                "INSERT INTO undos(review_id, session_id, ts, day) VALUES (?, ?, ?, ?)",
                (review_id, session_id, self._clock(), day.isoformat()),
            )
        return grade

    def _restore_state(self, conn: sqlite3.Connection, grade: ReviewRow) -> None:
        """Put the card back as it was before `grade` (a first attempt): no state for a new card."""
        if grade.before is None:
            conn.execute("DELETE FROM card_state WHERE card_id = ?", (grade.card_id,))
            return
        previous = conn.execute(
            f"SELECT day FROM reviews WHERE card_id = ? AND id < ? AND repeat = 0 AND {_EFFECTIVE}"
            " ORDER BY id DESC LIMIT 1",
            (grade.card_id, grade.id),
        ).fetchone()
        b = grade.before
        conn.execute(
            "UPDATE card_state SET ef = ?, interval = ?, repetitions = ?, due = ?, lapses = ?,"
            " reviews = max(reviews - 1, 0), last_review = ? WHERE card_id = ?",
            (
                b.ef,
                b.interval,
                b.repetitions,
                _day(b.due),
                b.lapses,
                previous[0] if previous else None,
                grade.card_id,
            ),
        )

    def suspended(self) -> dict[str, str]:
        """Suspended cards: card id -> deck id. Never asked; their state is kept as it is."""
        return {row[0]: row[1] for row in self._query("SELECT card_id, deck_id FROM suspended")}

    def suspend(self, cards: Mapping[str, str]) -> list[str]:
        """Suspend cards (card id -> deck id); returns the ids that were not suspended already."""
        with self._tx() as conn:
            done = []
            for card_id, deck_id in cards.items():
                cursor = conn.execute(
                    "INSERT INTO suspended(card_id, deck_id, ts) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    (card_id, deck_id, self._clock()),
                )
                if cursor.rowcount:
                    done.append(card_id)
            return done

    def unsuspend(self, card_ids: list[str]) -> list[str]:
        with self._tx() as conn:
            return [
                card_id
                for card_id in card_ids
                if conn.execute("DELETE FROM suspended WHERE card_id = ?", (card_id,)).rowcount
            ]

    def record_mock_answer(
        self,
        *,
        session_id: int,
        day: date,
        card_id: str,
        deck_id: str,
        quality: int,
        seconds: float | None,
        timed_out: bool,
    ) -> None:
        """One answer of a mock round: logged for the round's report, never touching card state."""
        if seconds is not None:
            seconds = min(max(seconds, 0.0), MAX_SECONDS)
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO mock_answers(session_id, ts, day, card_id, deck_id, quality, seconds, timed_out)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    self._clock(),
                    day.isoformat(),
                    card_id,
                    deck_id,
                    quality,
                    seconds,
                    int(timed_out),
                ),
            )

    def mock_answers(self) -> list[MockAnswer]:
        return [
            MockAnswer(
                session_id=row["session_id"],
                day=date.fromisoformat(row["day"]),
                card_id=row["card_id"],
                deck_id=row["deck_id"],
                quality=row["quality"],
                seconds=row["seconds"],
                timed_out=bool(row["timed_out"]),
            )
            for row in self._query("SELECT * FROM mock_answers ORDER BY id")
        ]

    def sessions(self, kind: str | None = None) -> list[SessionRow]:
        sql = "SELECT * FROM sessions"
        params: tuple[Any, ...] = ()
        if kind:
            sql += " WHERE kind = ?"
            params = (kind,)
        return [
            SessionRow(
                id=row["id"],
                kind=SessionKind(row["kind"]),
                day=date.fromisoformat(row["day"]),
                started_at=row["started_at"],
                ended_at=row["ended_at"],
                plan_id=row["plan_id"],
                planned=row["planned"],
                status=SessionStatus(row["status"]),
            )
            for row in self._query(sql + " ORDER BY id", params)
        ]

    def has_progress(self) -> bool:
        for table in ("card_state", "reviews", "sessions", "gap_ratings", "suspended"):
            if self._query(f"SELECT 1 FROM {table} LIMIT 1"):
                return True
        return False

    # --- export / import -------------------------------------------------------------------

    _EXPORT_TABLES = (
        ("card_state", "cards", "card_id"),
        ("reviews", "reviews", "id"),
        ("sessions", "sessions", "id"),
        ("gap_ratings", "gap_ratings", "id"),
        ("undos", "undos", "id"),
        ("suspended", "suspended", "card_id"),
        ("mock_answers", "mock_answers", "id"),
    )

    def _export_header(self) -> dict[str, Any]:
        from .exportcheck import EXPORT_FORMAT, EXPORT_VERSION  # only export and import need it

        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "schema_version": self.schema_version,
            "exported_at": self._clock(),
            "settings": self.settings(),
        }

    def _rows(self, table: str, order: str) -> Iterator[dict[str, Any]]:
        with self._errors():
            cursor = self._conn.execute(f"SELECT * FROM {table} ORDER BY {order}")
            cursor.row_factory = sqlite3.Row
            for row in cursor:
                yield dict(row)

    def export(self) -> dict[str, Any]:
        """Everything in the store as JSON-ready data; `import_data` restores it exactly.

        Read in one transaction: a check grading in another terminal cannot tear it.
        """
        with self._snapshot():
            data = self._export_header()
            for table, key, order in self._EXPORT_TABLES:
                data[key] = list(self._rows(table, order))
        return data

    def write_export(self, out: TextIO) -> dict[str, int]:
        """Stream the same JSON as `export()` with one record per line, in bounded memory.

        A year of reviews is tens of thousands of rows: building one big indented string costs
        hundreds of megabytes and seconds; writing row by row with the C encoder does not. One
        read transaction, as `export()`. The caller decides where partial output may go: the
        command writes to a temporary file and shows nothing unless all of it was written.
        """
        with self._snapshot():
            header = self._export_header()
            out.write("{\n")
            for key, value in header.items():
                out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)},\n")
            counts: dict[str, int] = {}
            for index, (table, key, order) in enumerate(self._EXPORT_TABLES):
                out.write(f"  {json.dumps(key)}: [")
                count = 0
                for row in self._rows(table, order):
                    out.write(",\n    " if count else "\n    ")
                    out.write(json.dumps(row, ensure_ascii=False, separators=(", ", ": ")))
                    count += 1
                out.write("\n  ]" if count else "]")
                out.write(",\n" if index < len(self._EXPORT_TABLES) - 1 else "\n")
                counts[key] = count
            out.write("}\n")
        return counts

    def export_to_temp(self) -> tuple[TextIO, dict[str, int]]:
        """The streamed export in an unnamed temporary file, rewound; the caller closes it."""
        handle = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (returned open)
        try:
            counts = self.write_export(handle)
            handle.flush()
            handle.seek(0)
        except BaseException:
            handle.close()
            raise
        return handle, counts

    def import_data(self, data: Mapping[str, Any]) -> dict[str, int]:
        """Restore an export into an empty store: validated whole first, then one transaction.

        Raises `exportcheck.InvalidExport` (exit 2, problems named by JSON path) and writes
        nothing when anything is wrong.
        """
        from .exportcheck import TABLE_OF, validate

        settings, rows = validate(data)
        if self.has_progress():
            raise StudyError(
                f"the progress database {self.path} already holds progress; import only restores "
                "into an empty store",
                "point STUDY_HOME at an empty folder, or move the database aside first",
            )
        counts: dict[str, int] = {"settings": len(settings)}
        with self._tx() as conn:
            conn.execute("DELETE FROM settings")
            conn.executemany("INSERT INTO settings(key, value) VALUES (?, ?)", list(settings.items()))
            # sessions before the rows that reference them
            for key in ("sessions", "cards", "reviews", "gap_ratings", "undos", "suspended", "mock_answers"):
                table = TABLE_OF[key]
                columns = self._columns(table)
                names = ", ".join(columns)
                marks = ", ".join("?" * len(columns))
                try:
                    conn.executemany(
                        f"INSERT INTO {table} ({names}) VALUES ({marks})",
                        [[row[c] for c in columns] for row in rows[key]],
                    )
                except sqlite3.IntegrityError as exc:  # validation should have caught it: say so
                    raise StudyError(f"export's {key!r} is invalid: {exc}; nothing was imported") from None
                counts[key] = len(rows[key])
        return counts

    def _columns(self, table: str) -> list[str]:
        return [row["name"] for row in self._query(f"PRAGMA table_info({table})")]


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (trigger bodies contain semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


# (last review id, its card and time, last undo id, its review and time): `Store.log_mark`
LogMark = tuple[int, str, int, str]
_REVIEW_PRINT = "card_id || ' ' || ts || ' ' || day || ' ' || quality"
_UNDO_PRINT = "review_id || ' ' || ts"
_IN_CHUNK = 500  # ids per `IN (...)` list, well under SQLite's limit on bound parameters

# A review that counts: not taken back by `study undo` or `u`.
_EFFECTIVE = "id NOT IN (SELECT review_id FROM undos)"


def _state(row: sqlite3.Row, prefix: str = "") -> CardState:
    """A CardState from `card_state` columns, or from a review's `before_`/`after_` columns."""
    return CardState(
        card_id=row["card_id"],
        ef=row[f"{prefix}ef"],
        interval=row[f"{prefix}interval"],
        repetitions=row[f"{prefix}repetitions"],
        due=_parse_day(row[f"{prefix}due"]),
        lapses=row[f"{prefix}lapses"] or 0,
        reviews=row["reviews"] if not prefix else 0,
        last_review=_parse_day(row["last_review"]) if not prefix else None,
    )


def _review(row: sqlite3.Row) -> ReviewRow:
    before = _state(row, "before_") if row["before_ef"] is not None else None
    after = _state(row, "after_")
    return ReviewRow(
        id=row["id"],
        session_id=row["session_id"],
        ts=row["ts"],
        day=date.fromisoformat(row["day"]),
        card_id=row["card_id"],
        deck_id=row["deck_id"],
        source=Source(row["source"]),
        quality=row["quality"],
        seconds=row["seconds"],
        repeat=bool(row["repeat"]),
        before=before,
        after=after,
    )
