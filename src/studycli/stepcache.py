"""FSRS replay results remembered across runs, so a report replays only what is new.

Two caches, one rule for both. `MemoryCache` keeps what an estimate reads of each card's memory
(`memory.Recall`) with where the append-only log stood (`Store.log_mark`), so only the cards the
store names as graded (or ungraded) since (`Store.cards_changed`) are replayed. `StepCache` keeps the replay's distinct steps (memory before, whole days since the last
review, rating) -> (memory after, due offset), a pure function of py-fsrs and its parameters, so
those replays, and a first report, call py-fsrs only for steps never seen: a year of history at
20,000 cards needs ~33,000 calls from nothing.

The files live beside the deck cache in the user's cache folder (never the progress store, which
read-only commands must not touch) and are keyed on the py-fsrs version and a digest of the
scheduler's settings, the memories also on the store's identity: anything else starts afresh.
Like the deck cache they are JSON (a planted file never runs code), every value is checked on
the way in (a bad file is ignored whole), and they are bounded by the log. Neither is a source
of truth: deleting them costs one slower report.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import replace_file
from .memory import Memory, Recall, Step, StepKey

if TYPE_CHECKING:
    from .store import LogMark


# Each file's layout, versioned on its own: a file of another layout is ignored whole.
STEPS_LAYOUT = "fsrs-steps/1"
RECALL_LAYOUT = "fsrs-recall/2"  # 1 was per-card memories with per-card fingerprints


@lru_cache(maxsize=2)
def _format(layout: str) -> str:
    """A cache's key: its layout, py-fsrs's version and a digest of the scheduler's settings."""
    from .memory import fsrs_version, scheduler

    sched = scheduler()
    settings = repr(
        (
            tuple(sched.parameters),
            sched.desired_retention,
            sched.learning_steps,
            sched.relearning_steps,
            sched.maximum_interval,
        )
    )
    digest = hashlib.sha256(settings.encode()).hexdigest()[:16]
    return f"studycli-{layout}/py-fsrs-{fsrs_version() or 'unknown'}/{digest}"


class StepCache:
    """The step table `memory.replay` reads and fills (`steps`, a plain dict: the replay looks
    up every attempt in it), loaded from and saved to `path`.

    Every step kept was used by some grade once, so the file is bounded by the number of grades
    ever given; steps that no grade in the log uses any more (after an undo or an import) are
    harmless and dropped whenever the format changes.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._format = _format(STEPS_LAYOUT)
        self.steps: dict[StepKey, Step] = self._read(path) if path is not None else {}
        self._loaded = len(self.steps)

    def _read(self, path: Path) -> dict[StepKey, Step]:
        """The steps in `path`, or none at all if anything in it is not what `save` writes."""
        data = _load(path, format=self._format)
        try:
            return _decode(data["memories"], data["steps"]) if data is not None else {}
        except BAD_FILE:
            return {}

    def save(self) -> None:
        """Write the table when this run added steps to it; failures are harmless."""
        if self.path is None or len(self.steps) == self._loaded:
            return
        table = _MemoryTable()
        steps = []
        for (before, days, rating), (after, offset) in self.steps.items():
            first = -1 if before is None else table.ref(before)
            steps.append([first, days, rating, table.ref(after), *_offset_out(offset)])
        if _write(self.path, {"format": self._format, "memories": table.rows, "steps": steps}):
            self._loaded = len(self.steps)


def _decode(raw_memories: Any, raw_steps: Any) -> dict[StepKey, Step]:
    """Memories are stored once and steps point at them (a step's result is the next step's
    input): half the decoding of a flat table. Raises TypeError/ValueError on anything odd."""
    memories = _memories(raw_memories)
    steps: dict[StepKey, Step] = {}
    count = len(memories)
    for first, days, rating, after, *offset in raw_steps:
        if not (type(first) is int and -1 <= first < count and type(after) is int and 0 <= after < count):
            raise ValueError("memory out of range")
        if not (type(days) is int and days >= 0 and type(rating) is int and 1 <= rating <= 4):
            raise ValueError("days or rating out of range")
        if len(offset) != 3 or not all(type(n) is int for n in offset):
            raise TypeError("not an offset")
        key = (None if first < 0 else memories[first], days, rating)
        steps[key] = (memories[after], timedelta(days=offset[0], seconds=offset[1], microseconds=offset[2]))
    return steps


def _memories(raw: Any) -> list[Memory]:
    """The shared table of FSRS memories (state, step, stability, difficulty), checked."""
    import fsrs

    states = {int(s): s for s in fsrs.State}
    memories: list[Memory] = []
    isfinite = math.isfinite
    for state, step, stability, difficulty in raw:
        if step is not None and type(step) is not int:
            raise TypeError("not a memory")
        for value in (stability, difficulty):
            if value is not None and not (type(value) is float and isfinite(value)):
                raise TypeError("not a memory")
        memories.append((states[state], step, stability, difficulty))
    return memories


@dataclass(frozen=True)
class Kept:
    """What `MemoryCache` holds: what each card's estimate reads (`memory.Recall`) after its first
    attempts up to `until`, when the log stood at `mark` (`Store.log_mark`)."""

    mark: LogMark
    until: date
    recalls: dict[str, Recall]


class MemoryCache:
    """Each card's FSRS memory after its first attempts, as much of it as an estimate reads (its
    stability and the day of its last attempt), kept between runs with where the log stood
    (`Store.log_mark`) and the day it runs to: the store names the cards graded (or ungraded)
    since (`Store.cards_changed`), and only those are replayed. Keyed like the step table on
    py-fsrs and its settings, and on the store's identity; the same rules apply (JSON, every
    value checked, any oddity drops the file, deleting it costs one slower report).

    Stored as three columns (ids, stabilities, days): a year at 20,000 cards reads and checks in
    a few milliseconds, at C speed, and is written in about ten."""

    def __init__(self, path: Path | None, store: int) -> None:
        self.path = path
        self._format = _format(RECALL_LAYOUT)
        self._store = store

    def read(self) -> Kept | None:
        """The memories kept, or None when there are none or the file is not what `save` wrote."""
        if self.path is None:
            return None
        data = _load(self.path, format=self._format, store=self._store)
        try:
            return _decode_kept(data) if data is not None else None
        except BAD_FILE:
            return None

    def save(self, kept: Kept) -> None:
        """Replace the file with `kept`; failures are harmless (the next run replays more)."""
        if self.path is None:
            return
        _write(
            self.path,
            {
                "format": self._format,
                "store": self._store,
                "mark": list(kept.mark),
                "until": kept.until.toordinal(),
                "cards": list(kept.recalls),
                "stability": [recall.stability for recall in kept.recalls.values()],
                "days": [recall.day.toordinal() for recall in kept.recalls.values()],
            },
        )


class _MemoryTable:
    """The shared table of FSRS memories as `save` writes it (`_memories` reads it back): each
    distinct memory once, referred to by its index (a step's result is the next step's input,
    and many cards share a memory)."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self._index: dict[Memory, int] = {}

    def ref(self, memory: Memory) -> int:
        found = self._index.get(memory)
        if found is None:
            found = self._index[memory] = len(self.rows)
            state, step, stability, difficulty = memory
            self.rows.append([int(state), step, stability, difficulty])
        return found


def _offset_out(offset: timedelta) -> tuple[int, int, int]:
    return offset.days, offset.seconds, offset.microseconds


# What a file `save` did not write can raise while it is decoded: it is then ignored whole.
BAD_FILE = (ValueError, TypeError, KeyError, IndexError, OverflowError)


def _load(path: Path, **expected: Any) -> dict[str, Any] | None:
    """The JSON object in `path` if it holds each `expected` key with that value, else None."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or any(data.get(key) != value for key, value in expected.items()):
        return None
    return data


def _write(path: Path, data: dict[str, Any]) -> bool:
    """Replace `path` with `data` as JSON, atomically; False (and nothing changed) on failure."""
    try:
        replace_file(path, [json.dumps(data, separators=(",", ":")).encode("utf-8")])
    except OSError:
        return False
    return True


def _decode_kept(data: dict[str, Any]) -> Kept:
    """`MemoryCache.save`'s file back. Raises TypeError/ValueError/... on anything odd; every
    check runs over a whole column at C speed (the set of the types met must be the one expected)."""
    review_id, review_print, undo_id, undo_print = data["mark"]
    if not (type(review_id) is int and type(undo_id) is int):
        raise TypeError("not a log mark")
    if not (type(review_print) is str and type(undo_print) is str):
        raise TypeError("not a log mark")
    if type(data["until"]) is not int:
        raise TypeError("not a day")
    until = date.fromordinal(data["until"])
    cards, stability, days = data["cards"], data["stability"], data["days"]
    if not (type(cards) is list and type(stability) is list and type(days) is list):
        raise TypeError("not a column")
    if not len(cards) == len(stability) == len(days):
        raise ValueError("columns differ in length")
    if not (set(map(type, cards)) <= {str} and set(map(type, days)) <= {int}):
        raise TypeError("not a card")
    if not set(map(type, stability)) <= {float, type(None)}:
        raise TypeError("not a stability")
    if not all(map(math.isfinite, [value for value in stability if value is not None])):
        raise ValueError("not a finite stability")
    new = tuple.__new__  # Recall's own __new__ is a Python function; same tuple, no call
    recalls = {
        cid: new(Recall, pair)
        for cid, pair in zip(cards, zip(stability, map(date.fromordinal, days), strict=True), strict=True)
    }
    if len(recalls) != len(cards):
        raise ValueError("a card twice")
    return Kept((review_id, review_print, undo_id, undo_print), until, recalls)
