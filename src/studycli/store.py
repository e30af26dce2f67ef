"""The progress database: the only module that speaks SQL.

One SQLite file. WAL mode so a report can read while a check writes; a busy timeout so two
terminals wait for each other instead of failing; ``PRAGMA user_version`` numbers the schema, and
migrations only ever go forward, each after a backup copy of the file. The review log is
append-only (triggers refuse UPDATE and DELETE) and stores the card state before and after every
grade, so card state can always be rebuilt from it. Every grade is its own committed transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from .errors import StudyError
from .model import CardState, GapRating, ReviewRow, SessionRow

BUSY_TIMEOUT_S = 5.0
EXPORT_FORMAT = "studycli-export"
EXPORT_VERSION = 1

_V1 = """
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE card_state (
    card_id     TEXT PRIMARY KEY,
    deck_id     TEXT NOT NULL,
    ef          REAL NOT NULL,
    interval    INTEGER NOT NULL,
    repetitions INTEGER NOT NULL,
    due         TEXT,
    lapses      INTEGER NOT NULL DEFAULT 0,
    reviews     INTEGER NOT NULL DEFAULT 0,
    last_review TEXT
);
CREATE INDEX card_state_due ON card_state(due);
CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('check', 'gaps')),
    day        TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at   TEXT,
    plan_id    TEXT,
    planned    INTEGER NOT NULL DEFAULT 0,
    status     TEXT NOT NULL DEFAULT 'open'
               CHECK (status IN ('open', 'completed', 'interrupted'))
);
CREATE TABLE reviews (
    id                 INTEGER PRIMARY KEY,
    session_id         INTEGER REFERENCES sessions(id),
    ts                 TEXT NOT NULL,
    day                TEXT NOT NULL,
    card_id            TEXT NOT NULL,
    deck_id            TEXT NOT NULL,
    source             TEXT NOT NULL CHECK (source IN ('new', 'review')),
    quality            INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 5),
    seconds            REAL,
    repeat             INTEGER NOT NULL DEFAULT 0,
    before_ef          REAL,
    before_interval    INTEGER,
    before_repetitions INTEGER,
    before_due         TEXT,
    before_lapses      INTEGER,
    after_ef           REAL NOT NULL,
    after_interval     INTEGER NOT NULL,
    after_repetitions  INTEGER NOT NULL,
    after_due          TEXT,
    after_lapses       INTEGER NOT NULL
);
CREATE INDEX reviews_day ON reviews(day);
CREATE INDEX reviews_card ON reviews(card_id);
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
    BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
    BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
CREATE TABLE gap_ratings (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER REFERENCES sessions(id),
    ts         TEXT NOT NULL,
    day        TEXT NOT NULL,
    deck_id    TEXT NOT NULL,
    subtopic   TEXT NOT NULL,
    rating     TEXT NOT NULL CHECK (rating IN ('know', 'unsure', 'dunno'))
);
CREATE INDEX gap_ratings_subtopic ON gap_ratings(deck_id, subtopic);
"""

# Forward-only: MIGRATIONS[i] takes the schema from version i to i + 1. Never edit a released one.
MIGRATIONS: tuple[str, ...] = (_V1,)
SCHEMA_VERSION = len(MIGRATIONS)

_TABLES = ("settings", "card_state", "sessions", "reviews", "gap_ratings")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _parse_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class Store:
    """An open progress database. Use as a context manager, or call `close()`."""

    def __init__(self, path: Path, *, clock: Callable[[], str] = _now) -> None:
        self.path = path
        self._clock = clock
        self._conn = self._connect()

    # --- connection and schema ------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StudyError(
                f"cannot create the data folder {self.path.parent}: {exc.strerror}",
                "set STUDY_HOME to a folder you can write to",
            ) from None
        with self._errors():
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            with self._errors():
                conn.execute("PRAGMA foreign_keys = ON")
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise StudyError(
                        f"{self.path} was written by a newer studycli (schema {version}, "
                        f"this one knows {SCHEMA_VERSION})",
                        "upgrade studycli: `pip install --upgrade studycli`",
                    )
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":  # e.g. a network file system; still correct, slower
                    conn.execute("PRAGMA journal_mode = DELETE")
                if version < SCHEMA_VERSION:
                    self._migrate(conn, version)
        except BaseException:
            conn.close()
            raise
        return conn

    def _migrate(self, conn: sqlite3.Connection, version: int) -> None:
        if version > 0:  # an existing database: keep a copy of it as it was
            backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
            target = sqlite3.connect(backup)
            try:
                conn.backup(target)
            finally:
                target.close()
        while True:
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Re-read under the write lock: another process may have migrated meanwhile
                # (two terminals starting studycli for the first time at once).
                step = conn.execute("PRAGMA user_version").fetchone()[0]
                if step >= SCHEMA_VERSION:
                    conn.execute("COMMIT")
                    return
                for statement in _statements(MIGRATIONS[step]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {step + 1}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn SQLite failures into messages that say what to do."""
        try:
            yield
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
            raise StudyError(f"progress database error in {self.path}: {text}") from None
        except sqlite3.DatabaseError as exc:
            raise StudyError(
                f"the progress database {self.path} is damaged or is not a studycli database ({exc})",
                f"move it aside (e.g. `mv '{self.path}' '{self.path}.broken'`) and restore from "
                "`study import` of an export, or from a .bak copy next to it",
                exit_code=74,
            ) from None

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._errors():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
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
        rows = self._query(
            "SELECT card_id, ef, interval, repetitions, due, lapses, reviews, last_review FROM card_state"
        )
        return {row["card_id"]: _state(row) for row in rows}

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
    ) -> None:
        """Log one grade and, unless it is a same-session repeat, store the new card state.

        One transaction, committed before this returns: a crash after a grade never loses it.
        """
        with self._tx() as conn:
            conn.execute(
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
        return [
            GapRating(
                deck_id=row["deck_id"],
                subtopic=row["subtopic"],
                rating=row["rating"],
                day=date.fromisoformat(row["day"]),
                session_id=row["session_id"],
                seq=row["id"],
            )
            for row in self._query("SELECT * FROM gap_ratings ORDER BY id")
        ]

    def reviews(self, since: date | None = None) -> list[ReviewRow]:
        sql = "SELECT * FROM reviews"
        params: tuple[Any, ...] = ()
        if since is not None:
            sql += " WHERE day >= ?"
            params = (since.isoformat(),)
        return [_review(row) for row in self._query(sql + " ORDER BY id", params)]

    def attempts(self) -> list[tuple[str, date, int]]:
        """Every first attempt (same-check repeats left out) as (card id, day, quality), oldest first:
        the input of the recall estimate, read as plain tuples because it is the whole log."""
        rows = self._query("SELECT card_id, day, quality FROM reviews WHERE repeat = 0 ORDER BY id")
        return [(row[0], date.fromisoformat(row[1]), row[2]) for row in rows]

    def sessions(self, kind: str | None = None) -> list[SessionRow]:
        sql = "SELECT * FROM sessions"
        params: tuple[Any, ...] = ()
        if kind:
            sql += " WHERE kind = ?"
            params = (kind,)
        return [
            SessionRow(
                id=row["id"],
                kind=row["kind"],
                day=date.fromisoformat(row["day"]),
                started_at=row["started_at"],
                ended_at=row["ended_at"],
                plan_id=row["plan_id"],
                planned=row["planned"],
                status=row["status"],
            )
            for row in self._query(sql + " ORDER BY id", params)
        ]

    def has_progress(self) -> bool:
        for table in ("card_state", "reviews", "sessions", "gap_ratings"):
            if self._query(f"SELECT 1 FROM {table} LIMIT 1"):
                return True
        return False

    # --- export / import -------------------------------------------------------------------

    _EXPORT_TABLES = (
        ("card_state", "cards", "card_id"),
        ("reviews", "reviews", "id"),
        ("sessions", "sessions", "id"),
        ("gap_ratings", "gap_ratings", "id"),
    )

    def _export_header(self) -> dict[str, Any]:
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
        """Everything in the store as JSON-ready data; `import_data` restores it exactly."""
        data = self._export_header()
        for table, key, order in self._EXPORT_TABLES:
            data[key] = list(self._rows(table, order))
        return data

    def write_export(self, out: TextIO) -> dict[str, int]:
        """Stream the same JSON as `export()` with one record per line, in bounded memory.

        A year of reviews is tens of thousands of rows: building one big indented string costs
        hundreds of megabytes and seconds; writing row by row with the C encoder does not.
        """
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

    def import_data(self, data: Mapping[str, Any]) -> dict[str, int]:
        if not isinstance(data, Mapping) or data.get("format") != EXPORT_FORMAT:
            raise StudyError("not a studycli export (its 'format' is not 'studycli-export')")
        if not isinstance(data.get("version"), int) or data["version"] > EXPORT_VERSION:
            raise StudyError(
                f"export version {data.get('version')!r} is not supported by this studycli",
                "upgrade studycli, or export again from the version that made it",
            )
        if self.has_progress():
            raise StudyError(
                f"the progress database {self.path} already holds progress; import only restores "
                "into an empty store",
                "point STUDY_HOME at an empty folder, or move the database aside first",
            )
        counts: dict[str, int] = {}
        with self._tx() as conn:
            settings = data.get("settings") or {}
            if not isinstance(settings, Mapping):
                raise StudyError("export's 'settings' must be an object")
            conn.execute("DELETE FROM settings")
            conn.executemany(
                "INSERT INTO settings(key, value) VALUES (?, ?)",
                [(str(k), str(v)) for k, v in settings.items()],
            )
            counts["settings"] = len(settings)
            # sessions before the rows that reference them
            for table, key in (
                ("sessions", "sessions"),
                ("card_state", "cards"),
                ("reviews", "reviews"),
                ("gap_ratings", "gap_ratings"),
            ):
                rows = data.get(key) or []
                if not isinstance(rows, list):
                    raise StudyError(f"export's {key!r} must be a list")
                columns = self._columns(table)
                for index, row in enumerate(rows):
                    if not isinstance(row, Mapping) or set(row) - set(columns):
                        raise StudyError(
                            f"export's {key!r} entry {index + 1} has unexpected fields",
                            f"expected only: {', '.join(columns)}",
                        )
                    names = [c for c in columns if c in row]
                    try:
                        conn.execute(
                            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                            [row[c] for c in names],
                        )
                    except sqlite3.IntegrityError as exc:
                        raise StudyError(f"export's {key!r} entry {index + 1} is invalid: {exc}") from None
                counts[key] = len(rows)
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
        source=row["source"],
        quality=row["quality"],
        seconds=row["seconds"],
        repeat=bool(row["repeat"]),
        before=before,
        after=after,
    )
