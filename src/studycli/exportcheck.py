"""Validation of an export before `study import` writes any of it.

An import is the one way data enters the store that the program did not compute itself, so every
field is checked against the same bounds the schema's CHECK constraints enforce (`schema.py`),
plus what a constraint cannot say: ids that are unique and referenced rows that exist, dates that
are real calendar days written YYYY-MM-DD, sizes within reason. Every problem is named by its JSON
path (`cards[3].ef`), so a hand-edited file can be fixed; nothing is written unless all is well.
Pure: plain data in, plain rows out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from . import schema
from .errors import StudyError
from .rules import MIN_EF

EXPORT_FORMAT = "studycli-export"
EXPORT_VERSION = 2  # 2 adds undos, suspended and mock_answers; version-1 files still import
MAX_ROWS = 2_000_000  # per list: decades of daily study
MAX_SETTINGS = 200
MAX_PROBLEMS = 10  # reported; counting goes on

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\"'`\\<>]")

TOP_LEVEL = (
    "format",
    "version",
    "schema_version",
    "exported_at",
    "settings",
    "cards",
    "reviews",
    "sessions",
    "gap_ratings",
    "undos",
    "suspended",
    "mock_answers",
)


class InvalidExport(StudyError):
    """The export breaks rules; `problems` lists the first few, each with its JSON path."""

    def __init__(self, problems: list[str], total: int) -> None:
        shown = "\n".join(f"  {p}" for p in problems)
        more = f"\n  … and {total - len(problems)} more" if total > len(problems) else ""
        super().__init__(
            f"the export is invalid ({total} problem{'s' if total != 1 else ''}); nothing was imported:\n"
            f"{shown}{more}",
            "fix the file (or export again), then import it into the empty store",
        )
        self.problems = problems
        self.total = total


class _Problems:
    def __init__(self) -> None:
        self.shown: list[str] = []
        self.total = 0

    def add(self, where: str, message: str) -> None:
        self.total += 1
        if len(self.shown) < MAX_PROBLEMS:
            self.shown.append(f"{where}: {message}")


Check = Callable[[Any], "str | None"]  # a problem in words, or None


def _int(lo: int, hi: int) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be a whole number, not {_show(value)}"
        return None if lo <= value <= hi else f"must be from {lo} to {hi}, not {value}"

    return check


def _real(lo: float, hi: float) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be a number, not {_show(value)}"
        if not math.isfinite(value) or not lo <= value <= hi:
            return f"must be from {lo:g} to {hi:g}, not {_show(value)}"
        return None

    return check


def _day(value: Any) -> str | None:
    if not isinstance(value, str) or not _DAY.match(value):
        return f"must be a date written YYYY-MM-DD, not {_show(value)}"
    try:
        date.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a real date"
    if not schema.DATE_MIN <= value <= schema.DATE_MAX:
        return f"must be between {schema.DATE_MIN} and {schema.DATE_MAX}, not {value}"
    return None


def _timestamp(value: Any) -> str | None:
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return f"must be an ISO timestamp, not {_show(value)}"
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return f"must be an ISO timestamp, not {_show(value)}"
    if not _DAY.match(value[:10]) or not schema.DATE_MIN <= stamp.date().isoformat() <= schema.DATE_MAX:
        return f"must be an ISO timestamp between {schema.DATE_MIN} and {schema.DATE_MAX}, not {_show(value)}"
    return None


def _ident(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return f"must be a non-empty text id, not {_show(value)}"
    if len(value) > schema.MAX_ID:
        return f"must be at most {schema.MAX_ID} characters"
    if value != value.strip() or _ID_FORBIDDEN.search(value):
        return f"{value!r} holds characters an id never has (quotes, backslash, <, >, control codes)"
    return None


def _text(limit: int) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str) or not value:
            return f"must be non-empty text, not {_show(value)}"
        return None if len(value) <= limit else f"must be at most {limit} characters"

    return check


def _one_of(values: tuple[str, ...]) -> Check:
    def check(value: Any) -> str | None:
        return None if value in values else f"must be one of {', '.join(values)}, not {_show(value)}"

    return check


def _flag(value: Any) -> str | None:
    return None if value in (0, 1) and not isinstance(value, float) else f"must be 0 or 1, not {_show(value)}"


def _nullable(check: Check) -> Check:
    def nullable(value: Any) -> str | None:
        return None if value is None else check(value)

    return nullable


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_EF = _real(MIN_EF, schema.MAX_EF)
_INTERVAL = _int(0, schema.MAX_INTERVAL)
_COUNT = _int(0, schema.MAX_COUNT)
_ROW_ID = _int(1, 2**53)

# field -> (check, required, default when absent)
_FIELDS: dict[str, dict[str, tuple[Check, bool, Any]]] = {
    "sessions": {
        "id": (_ROW_ID, True, None),
        "kind": (_one_of(schema.SESSION_KINDS), True, None),
        "day": (_day, True, None),
        "started_at": (_timestamp, True, None),
        "ended_at": (_nullable(_timestamp), False, None),
        "plan_id": (_nullable(_ident), False, None),
        "planned": (_COUNT, False, 0),
        "status": (_one_of(schema.SESSION_STATUSES), False, "open"),
    },
    "cards": {
        "card_id": (_ident, True, None),
        "deck_id": (_ident, True, None),
        "ef": (_EF, True, None),
        "interval": (_INTERVAL, True, None),
        "repetitions": (_COUNT, True, None),
        "due": (_nullable(_day), False, None),
        "lapses": (_COUNT, False, 0),
        "reviews": (_COUNT, False, 0),
        "last_review": (_nullable(_day), False, None),
    },
    "reviews": {
        "id": (_ROW_ID, True, None),
        "session_id": (_nullable(_ROW_ID), False, None),
        "ts": (_timestamp, True, None),
        "day": (_day, True, None),
        "card_id": (_ident, True, None),
        "deck_id": (_ident, True, None),
        "source": (_one_of(schema.REVIEW_SOURCES), True, None),
        "quality": (_int(0, 5), True, None),
        "seconds": (_nullable(_real(0, schema.MAX_SECONDS)), False, None),
        "repeat": (_flag, False, 0),
        "before_ef": (_nullable(_EF), False, None),
        "before_interval": (_nullable(_INTERVAL), False, None),
        "before_repetitions": (_nullable(_COUNT), False, None),
        "before_due": (_nullable(_day), False, None),
        "before_lapses": (_nullable(_COUNT), False, None),
        "after_ef": (_EF, True, None),
        "after_interval": (_INTERVAL, True, None),
        "after_repetitions": (_COUNT, True, None),
        "after_due": (_nullable(_day), False, None),
        "after_lapses": (_COUNT, True, None),
    },
    "gap_ratings": {
        "id": (_ROW_ID, True, None),
        "session_id": (_nullable(_ROW_ID), False, None),
        "ts": (_timestamp, True, None),
        "day": (_day, True, None),
        "deck_id": (_ident, True, None),
        "subtopic": (_text(schema.MAX_TEXT), True, None),
        "rating": (_one_of(schema.GAP_RATINGS), True, None),
    },
    "undos": {
        "id": (_ROW_ID, True, None),
        "review_id": (_ROW_ID, True, None),
        "session_id": (_nullable(_ROW_ID), False, None),
        "ts": (_timestamp, True, None),
        "day": (_day, True, None),
    },
    "suspended": {
        "card_id": (_ident, True, None),
        "deck_id": (_ident, True, None),
        "ts": (_timestamp, True, None),
    },
    "mock_answers": {
        "id": (_ROW_ID, True, None),
        "session_id": (_ROW_ID, True, None),
        "ts": (_timestamp, True, None),
        "day": (_day, True, None),
        "card_id": (_ident, True, None),
        "deck_id": (_ident, True, None),
        "quality": (_int(0, 5), True, None),
        "seconds": (_nullable(_real(0, schema.MAX_SECONDS)), False, None),
        "timed_out": (_flag, False, 0),
    },
}

# export key -> table
TABLE_OF = {
    "sessions": "sessions",
    "cards": "card_state",
    "reviews": "reviews",
    "gap_ratings": "gap_ratings",
    "undos": "undos",
    "suspended": "suspended",
    "mock_answers": "mock_answers",
}


def validate(data: Any) -> tuple[dict[str, str], dict[str, list[dict[str, Any]]]]:
    """The settings and the rows per table (keyed by export key), or InvalidExport.

    Raises a plain StudyError for a file that is not an export at all, or of a newer version.
    """
    if not isinstance(data, Mapping) or data.get("format") != EXPORT_FORMAT:
        raise StudyError("not a studycli export (its 'format' is not 'studycli-export')")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= EXPORT_VERSION:
        raise StudyError(
            f"export version {_show(version)} is not supported by this studycli",
            "upgrade studycli, or export again from the version that made it",
        )
    problems = _Problems()
    for key in data:
        if key not in TOP_LEVEL:
            problems.add(str(key)[:40], "is not part of a studycli export")
    settings = _settings(data.get("settings"), problems)
    rows: dict[str, list[dict[str, Any]]] = {}
    for key, fields in _FIELDS.items():
        rows[key] = _rows(key, data.get(key), fields, problems)
    _relations(rows, problems, _raw_ids(data.get("sessions"), "id"), _raw_ids(data.get("cards"), "card_id"))
    if problems.total:
        raise InvalidExport(problems.shown, problems.total)
    return settings, rows


def _settings(value: Any, problems: _Problems) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.add("settings", f"must be an object of texts, not {_show(value)}")
        return {}
    if len(value) > MAX_SETTINGS:
        problems.add("settings", f"holds {len(value)} keys; at most {MAX_SETTINGS}")
        return {}
    settings: dict[str, str] = {}
    for key, text in value.items():
        if not 1 <= len(key) <= 100 or _ID_FORBIDDEN.search(key):
            problems.add(f"settings.{_show(key)}", "is not a valid setting name")
        elif not isinstance(text, str) or len(text) > schema.MAX_TEXT:
            problems.add(f"settings.{key}", f"must be text of at most {schema.MAX_TEXT} characters")
        else:
            settings[key] = text
    return settings


def _rows(
    key: str, value: Any, fields: Mapping[str, tuple[Check, bool, Any]], problems: _Problems
) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(key, f"must be a list, not {_show(value)}")
        return []
    if len(value) > MAX_ROWS:
        problems.add(key, f"holds {len(value)} rows; at most {MAX_ROWS}")
        return []
    rows = []
    for index, row in enumerate(value):
        where = f"{key}[{index}]"
        if not isinstance(row, Mapping):
            problems.add(where, f"must be an object, not {_show(row)}")
            continue
        clean: dict[str, Any] = {}
        ok = True
        for name in row:
            if name not in fields:
                problems.add(f"{where}.{str(name)[:40]}", "is not a field of this record")
                ok = False
        for name, (check, required, default) in fields.items():
            if name not in row:
                if required:
                    problems.add(f"{where}.{name}", "is missing")
                    ok = False
                clean[name] = default
                continue
            problem = check(row[name])
            if problem:
                problems.add(f"{where}.{name}", problem)
                ok = False
            clean[name] = row[name]
        if ok:
            rows.append(_shape(key, where, clean, problems))
    return rows


def _shape(key: str, where: str, row: dict[str, Any], problems: _Problems) -> dict[str, Any]:
    """Rules that tie the fields of one record together."""
    if key == "cards" and not row["card_id"].startswith(row["deck_id"] + "#"):
        problems.add(f"{where}.card_id", f"{row['card_id']!r} is not a card of deck {row['deck_id']!r}")
    if key == "mock_answers":
        row["timed_out"] = int(row["timed_out"])
    if key == "reviews":
        row["repeat"] = int(row["repeat"])
        before = [row[f"before_{n}"] is None for n in ("ef", "interval", "repetitions", "lapses")]
        if any(before) and not all(before):
            problems.add(f"{where}.before_ef", "the state before a grade must be given whole or not at all")
        if row["source"] == "review" and row["before_ef"] is None:
            problems.add(f"{where}.before_ef", "a review of a card needs the card's state before it")
        if not row["card_id"].startswith(row["deck_id"] + "#"):
            problems.add(f"{where}.card_id", f"{row['card_id']!r} is not a card of deck {row['deck_id']!r}")
    return row


def _raw_ids(rows: Any, field: str) -> set[Any]:
    """Ids of every record given, valid or not: a reference to an invalid record is one problem
    (the record's), not one more per reference."""
    if not isinstance(rows, list):
        return set()
    return {
        row.get(field) for row in rows if isinstance(row, Mapping) and isinstance(row.get(field), int | str)
    }


def _relations(
    rows: dict[str, list[dict[str, Any]]], problems: _Problems, sessions: set[Any], cards: set[Any]
) -> None:
    """Unique ids, and every reference pointing at a row that is there."""
    for key, field in (
        ("sessions", "id"),
        ("cards", "card_id"),
        ("reviews", "id"),
        ("gap_ratings", "id"),
        ("undos", "id"),
        ("undos", "review_id"),
        ("suspended", "card_id"),
        ("mock_answers", "id"),
    ):
        seen: set[Any] = set()
        for index, row in enumerate(rows[key]):
            if row[field] in seen:
                problems.add(f"{key}[{index}].{field}", f"{_show(row[field])} appears twice")
            seen.add(row[field])
    review_ids = {row["id"] for row in rows["reviews"]}
    for index, row in enumerate(rows["undos"]):
        if row["review_id"] not in review_ids:
            problems.add(f"undos[{index}].review_id", f"no review has id {row['review_id']}")
    for key in ("reviews", "gap_ratings", "undos", "mock_answers"):
        for index, row in enumerate(rows[key]):
            if row["session_id"] is not None and row["session_id"] not in sessions:
                problems.add(f"{key}[{index}].session_id", f"no session has id {row['session_id']}")
    for index, row in enumerate(rows["reviews"]):
        if row["card_id"] not in cards:
            problems.add(f"reviews[{index}].card_id", f"{row['card_id']!r} has no entry in 'cards'")
