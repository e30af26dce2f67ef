"""FSRS replay results remembered across runs, so a report replays only what is new.

Two caches, one rule for both. `MemoryCache` keeps each card's memory with a fingerprint of the
attempts it came from (`Store.attempt_marks`), so only cards graded (or ungraded) since are
replayed. `StepCache` keeps the replay's distinct steps (memory before, whole days since the last
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
import os
from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from .memory import Memory, Remembered, Step, StepKey


@lru_cache(maxsize=1)
def _format() -> str:
    """The caches' key: py-fsrs's version and a digest of the scheduler's settings."""
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
    return f"studycli-fsrs-steps/1/py-fsrs-{fsrs_version() or 'unknown'}/{digest}"


class StepCache:
    """The step table `memory.replay` reads and fills (`steps`, a plain dict: the replay looks
    up every attempt in it), loaded from and saved to `path`.

    Every step kept was used by some grade once, so the file is bounded by the number of grades
    ever given; steps that no grade in the log uses any more (after an undo or an import) are
    harmless and dropped whenever the format changes.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._format = _format()
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
    for state, step, stability, difficulty in raw:
        if not (step is None or type(step) is int) or not (_finite(stability) and _finite(difficulty)):
            raise TypeError("not a memory")
        memories.append((states[state], step, stability, difficulty))
    return memories


def _finite(value: Any) -> bool:
    return value is None or (type(value) is float and math.isfinite(value))


Mark = tuple[int, int, int, int, str]  # Store.attempt_marks: count, first id, last id, grade sum, last day


class MemoryCache:
    """Each card's FSRS memory after its first attempts, kept between runs with the fingerprint of
    the attempts it came from (`Store.attempt_marks`): a report replays only the cards graded (or
    ungraded) since the last one. Keyed like the step table on py-fsrs and its settings, and on the
    store's identity; the same rules apply (JSON, every value checked, any oddity drops the file,
    deleting it costs one slower report)."""

    def __init__(self, path: Path | None, store: int) -> None:
        self.path = path
        self._format = _format()
        self._store = store
        self._cards: dict[str, tuple[Mark, Remembered]] = self._read(path) if path is not None else {}

    def _read(self, path: Path) -> dict[str, tuple[Mark, Remembered]]:
        data = _load(path, format=self._format, store=self._store)
        try:
            return _decode_cards(data["memories"], data["cards"]) if data is not None else {}
        except BAD_FILE:
            return {}

    def kept(self, marks: Mapping[str, Mark]) -> dict[str, Remembered]:
        """The cached memories still valid: cards whose attempts have not changed."""
        found: dict[str, Remembered] = {}
        for cid, mark in marks.items():
            cached = self._cards.get(cid)
            if cached is not None and cached[0] == mark:
                found[cid] = cached[1]
        return found

    def save(self, marks: Mapping[str, Mark], memories: Mapping[str, Remembered], replayed: int) -> None:
        """Keep exactly `memories` (with their marks). Written only when `replayed` cards were
        replayed or some cached card is gone: the same marks mean the same memories."""
        if self.path is None or (not replayed and len(memories) == len(self._cards)):
            return
        table = _MemoryTable()
        rows = []
        for cid, (memory, day, offset) in memories.items():
            count, first, last, total, last_day = marks[cid]
            ref = table.ref(memory)
            rows.append(
                [cid, count, first, last, total, last_day, ref, day.toordinal(), *_offset_out(offset)]
            )
        _write(
            self.path, {"format": self._format, "store": self._store, "memories": table.rows, "cards": rows}
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
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True


def _decode_cards(raw_memories: Any, raw_cards: Any) -> dict[str, tuple[Mark, Remembered]]:
    memories = _memories(raw_memories)
    cards: dict[str, tuple[Mark, Remembered]] = {}
    for cid, count, first, last, total, last_day, ref, ordinal, *offset in raw_cards:
        if type(cid) is not str or type(last_day) is not str:
            raise TypeError("not a card")
        numbers = (count, first, last, total, ref, ordinal, *offset)
        if len(offset) != 3 or not all(type(n) is int for n in numbers) or not 0 <= ref < len(memories):
            raise ValueError("not a card")
        remembered = (
            memories[ref],
            date.fromordinal(ordinal),
            timedelta(days=offset[0], seconds=offset[1], microseconds=offset[2]),
        )
        cards[cid] = ((count, first, last, total, last_day), remembered)
    return cards
