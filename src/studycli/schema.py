"""The progress database's schema, as named forward-only migrations.

`MIGRATIONS[i]` takes a database from schema version i to i + 1 (`PRAGMA user_version`), and its
name is recorded in the `migrations` table. A new store is made by running every migration in
order, so the path an old store takes and the schema a new one gets are the same code.
Never edit a released migration: add the next one.

The current schema is the one `0002_strict_schema` creates (`_V2_TABLES` below, frozen with
that migration): STRICT tables, a CHECK for every invariant the program relies on, foreign keys
on (the store turns them on per connection), and only the indexes a query uses: since
`0004_log_indexes`, the review log's `reviews_day` and `reviews_card`; since
`0005_standing_ratings_index`, `gap_ratings_latest`. The queries and their plans
(tests/test_store_safety.py checks them):

* `record_review`'s conflict check, ``SELECT ... FROM card_state WHERE card_id = ?``: SEARCH
  card_state USING INDEX sqlite_autoindex_card_state_1 (the primary key).
* a day or a few days of the log (`grades_on`, `timing`, `grades(since)`, `grades_per_day`,
  `cards_changed`): SEARCH reviews USING INDEX reviews_day (the day count from the index alone).
* a few cards' attempts (`attempts(cards=...)`, `history`): SEARCH USING INDEX reviews_card.
* the whole log (`attempts()`, `reviews(since)` for export, which is ordered by id): SCAN
  reviews; `attempts` writes its day bound as ``+day`` so the planner does not walk the day index
  for nearly every row (three times slower than the scan).
* the standing gap rating per subtopic (`latest_gap_ratings`, read by every daily command): the
  distinct subtopics from `gap_ratings_latest` alone, then one SEARCH of it per subtopic for its
  latest (day, id).
* everything else reads whole tables (states, sessions, the rating history, export): full scans.

Schema 1's `card_state_due`, `reviews_day`, `reviews_card` and `gap_ratings_subtopic` were
dropped with it when no query used them; the log's two came back when queries did.
"""

from __future__ import annotations

from dataclasses import dataclass

# The bounds that CHECK constraints and import validation share (validation says them in words).
FROZEN_MIN_EF = 1.3  # rules.MIN_EF as migration 0002 spelt it (a test keeps them equal)
MAX_EF = 100.0  # ~1000 perfect answers in a row; anything above is corrupt data
MAX_INTERVAL = 365_000  # days; SM-2 cannot get here in a lifetime
MAX_COUNT = 1_000_000  # repetitions, lapses, reviews, planned
MAX_SECONDS = 31_536_000.0  # a year on one card: a left-open terminal, clamped, never refused
DATE_MIN = "1970-01-01"
DATE_MAX = "2999-12-31"  # room for SM-2's longest intervals, far from date arithmetic overflow
MAX_ID = 300  # card, deck and plan ids
MAX_TEXT = 10_000  # setting values, subtopics
# Frozen with migration 0002 (its CHECKs spell these out): never derived from the Enums in
# vocab.py, so adding a member there cannot silently change a released migration. A test checks
# that vocab.py and these agree; a new member needs a new migration.
SESSION_KINDS = ("check", "gaps", "review", "mock")
SESSION_STATUSES = ("open", "completed", "interrupted")
REVIEW_SOURCES = ("new", "review")
GAP_RATINGS = ("know", "unsure", "dunno")


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str


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


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _checked(column: str, check: str, nullable: bool) -> str:
    """The column's CHECK clause: NULL allowed only where the column is optional."""
    return f"CHECK ({column} IS NULL OR {check})" if nullable else f"NOT NULL CHECK {check}"


def _day(column: str, nullable: bool = False) -> str:
    """A real calendar day written YYYY-MM-DD ('+0 days' normalises 2026-02-30, so it differs)."""
    check = f"(date({column}, '+0 days') IS {column} AND {column} BETWEEN '{DATE_MIN}' AND '{DATE_MAX}')"
    return _checked(column, check, nullable)


def _ts(column: str, nullable: bool = False) -> str:
    return _checked(column, f"(datetime({column}) IS NOT NULL AND length({column}) <= 40)", nullable)


def _id(column: str, nullable: bool = False) -> str:
    return _checked(column, f"(length({column}) BETWEEN 1 AND {MAX_ID})", nullable)


def _count(column: str, nullable: bool = False) -> str:
    return _checked(column, f"({column} BETWEEN 0 AND {MAX_COUNT})", nullable)


def _ef(column: str, nullable: bool = False) -> str:
    return _checked(column, f"({column} BETWEEN {FROZEN_MIN_EF} AND {MAX_EF})", nullable)


def _interval(column: str, nullable: bool = False) -> str:
    return _checked(column, f"({column} BETWEEN 0 AND {MAX_INTERVAL})", nullable)


_V2_TABLES = f"""
CREATE TABLE migrations (
    name       TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
    applied_at TEXT {_ts("applied_at")}
) STRICT;
CREATE TABLE settings (
    key   TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 100),
    value TEXT NOT NULL CHECK (length(value) <= {MAX_TEXT})
) STRICT;
CREATE TABLE card_state (
    card_id     TEXT PRIMARY KEY CHECK (length(card_id) BETWEEN 1 AND {MAX_ID}),
    deck_id     TEXT {_id("deck_id")},
    ef          REAL {_ef("ef")},
    interval    INTEGER {_interval("interval")},
    repetitions INTEGER {_count("repetitions")},
    due         TEXT {_day("due", nullable=True)},
    lapses      INTEGER DEFAULT 0 {_count("lapses")},
    reviews     INTEGER DEFAULT 0 {_count("reviews")},
    last_review TEXT {_day("last_review", nullable=True)}
) STRICT;
CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN {_in(SESSION_KINDS)}),
    day        TEXT {_day("day")},
    started_at TEXT {_ts("started_at")},
    ended_at   TEXT {_ts("ended_at", nullable=True)},
    plan_id    TEXT {_id("plan_id", nullable=True)},
    planned    INTEGER DEFAULT 0 {_count("planned")},
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN {_in(SESSION_STATUSES)})
) STRICT;
CREATE TABLE reviews (
    id                 INTEGER PRIMARY KEY,
    session_id         INTEGER REFERENCES sessions(id),
    ts                 TEXT {_ts("ts")},
    day                TEXT {_day("day")},
    card_id            TEXT {_id("card_id")},
    deck_id            TEXT {_id("deck_id")},
    source             TEXT NOT NULL CHECK (source IN {_in(REVIEW_SOURCES)}),
    quality            INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 5),
    seconds            REAL CHECK (seconds IS NULL OR seconds BETWEEN 0 AND {MAX_SECONDS}),
    repeat             INTEGER NOT NULL DEFAULT 0 CHECK (repeat IN (0, 1)),
    before_ef          REAL {_ef("before_ef", nullable=True)},
    before_interval    INTEGER {_interval("before_interval", nullable=True)},
    before_repetitions INTEGER {_count("before_repetitions", nullable=True)},
    before_due         TEXT {_day("before_due", nullable=True)},
    before_lapses      INTEGER {_count("before_lapses", nullable=True)},
    after_ef           REAL {_ef("after_ef")},
    after_interval     INTEGER {_interval("after_interval")},
    after_repetitions  INTEGER {_count("after_repetitions")},
    after_due          TEXT {_day("after_due", nullable=True)},
    after_lapses       INTEGER {_count("after_lapses")},
    -- the state before a grade is all there (a card with progress) or all absent (a new card)
    CHECK ((before_ef IS NULL) = (before_interval IS NULL)
       AND (before_ef IS NULL) = (before_repetitions IS NULL)
       AND (before_ef IS NULL) = (before_lapses IS NULL)),
    -- a review is of a card with progress; only a new card comes without a state before
    CHECK (source = 'new' OR before_ef IS NOT NULL)
) STRICT;
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
    BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
    BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
CREATE TABLE gap_ratings (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER REFERENCES sessions(id),
    ts         TEXT {_ts("ts")},
    day        TEXT {_day("day")},
    deck_id    TEXT {_id("deck_id")},
    subtopic   TEXT NOT NULL CHECK (length(subtopic) BETWEEN 1 AND {MAX_TEXT}),
    rating     TEXT NOT NULL CHECK (rating IN {_in(GAP_RATINGS)})
) STRICT;
"""

_COPY = ("settings", "card_state", "sessions", "reviews", "gap_ratings")

# Schema 1 -> 2: move the old tables aside, create the strict ones, copy every row, drop the old.
# A row that breaks a new CHECK aborts the whole migration (the store stays at schema 1, and the
# error names the constraint): nothing is silently dropped or changed.
_V2 = (
    "DROP TRIGGER reviews_no_update;\nDROP TRIGGER reviews_no_delete;\n"
    + "\n".join(f"ALTER TABLE {t} RENAME TO v1_{t};" for t in _COPY)
    + "\nDROP INDEX card_state_due;\nDROP INDEX reviews_day;\nDROP INDEX reviews_card;"
    + "\nDROP INDEX gap_ratings_subtopic;\n"
    + _V2_TABLES
    + "\n".join(f"INSERT INTO {t} SELECT * FROM v1_{t};" for t in ("settings", "card_state", "sessions"))
    + "\nINSERT INTO reviews SELECT * FROM v1_reviews;\nINSERT INTO gap_ratings SELECT * FROM v1_gap_ratings;\n"
    + "\n".join(
        f"DROP TABLE v1_{t};" for t in ("reviews", "gap_ratings", "card_state", "sessions", "settings")
    )
)

# Schema 2 -> 3: undo as rows of their own (the review log stays append-only: an undone grade is
# a review with a row in `undos`, and every reader leaves it out), suspended cards, and the
# answers of mock rounds, which never touch card state. New tables only: nothing to copy.
_V3 = f"""
CREATE TABLE undos (
    id         INTEGER PRIMARY KEY,
    review_id  INTEGER NOT NULL UNIQUE REFERENCES reviews(id),
    session_id INTEGER REFERENCES sessions(id),
    ts         TEXT {_ts("ts")},
    day        TEXT {_day("day")}
) STRICT;
CREATE TRIGGER undos_no_update BEFORE UPDATE ON undos
    BEGIN SELECT RAISE(ABORT, 'undos are append-only'); END;
CREATE TRIGGER undos_no_delete BEFORE DELETE ON undos
    BEGIN SELECT RAISE(ABORT, 'undos are append-only'); END;
CREATE TABLE suspended (
    card_id TEXT PRIMARY KEY CHECK (length(card_id) BETWEEN 1 AND {MAX_ID}),
    deck_id TEXT {_id("deck_id")},
    ts      TEXT {_ts("ts")}
) STRICT;
CREATE TABLE mock_answers (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    ts         TEXT {_ts("ts")},
    day        TEXT {_day("day")},
    card_id    TEXT {_id("card_id")},
    deck_id    TEXT {_id("deck_id")},
    quality    INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 5),
    seconds    REAL CHECK (seconds IS NULL OR seconds BETWEEN 0 AND {MAX_SECONDS}),
    timed_out  INTEGER NOT NULL DEFAULT 0 CHECK (timed_out IN (0, 1))
) STRICT;
"""

# Schema 3 -> 4: the review log's two indexes. Every daily command now asks the log about a
# day or a few (today's grades, the 30-day answer times, the report's window and activity map,
# the cards a changed STUDY_TODAY moves) or a few cards (the recall cache's changed cards, a
# card's history); at a year of reviews each full scan cost ~15 ms, five of them per command.
_V4 = """
CREATE INDEX reviews_day ON reviews(day);
CREATE INDEX reviews_card ON reviews(card_id);
"""

# Schema 4 -> 5: the standing gap rating per subtopic, read by every daily command, was a GROUP
# BY over the whole rating history computing a sort key per row (~7 ms at 7,200 ratings, ~40 ms at
# 36,000: a weekly `study gaps` over every subtopic adds ~1,200). With this index SQLite reads
# each subtopic's latest (day, id) from its end: ~2 ms and ~15 ms.
_V5 = """
CREATE INDEX gap_ratings_latest ON gap_ratings(deck_id, subtopic, day, id);
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_initial", _V1),
    Migration("0002_strict_schema", _V2),
    Migration("0003_undo_suspend_mock", _V3),
    Migration("0004_log_indexes", _V4),
    Migration("0005_standing_ratings_index", _V5),
)
SCHEMA_VERSION = len(MIGRATIONS)
BASE_TABLES = ("settings", "card_state", "sessions", "reviews", "gap_ratings")  # every schema has these
TABLES = (*BASE_TABLES, "undos", "suspended", "mock_answers")
