"""FSRS review steps remembered across runs, so a report replays only what is new.

`memory.replay` computes each distinct step (memory before, whole days since the last review,
rating) -> (memory after, due offset) once per run. A step is a pure function of py-fsrs and its
parameters, so its result can be kept: on a year of history at 20,000 cards the replay needs
~33,000 py-fsrs calls, and the next day's report needs only the handful of steps that day added.

The file lives beside the deck cache in the user's cache folder (never the progress store, which
read-only commands must not touch) and is keyed on the py-fsrs version and the scheduler's
parameters: another version or configuration starts afresh. Like the deck cache it is JSON (a
planted file never runs code), every row is type-checked on the way in (a bad file is ignored
whole), and it holds only steps some grade needed, so it is bounded by the size of the log. It is never a source of truth: deleting it costs one slow report.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from .memory import Memory, Step, StepKey


def _format() -> str:
    from importlib.metadata import version

    import fsrs

    from .memory import scheduler

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
    try:
        fsrs_version = version("fsrs")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        fsrs_version = getattr(fsrs, "__version__", "unknown")
    digest = hashlib.sha256(settings.encode()).hexdigest()[:16]
    return f"studycli-fsrs-steps/1/py-fsrs-{fsrs_version}/{digest}"


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
        try:
            data = json.loads(path.read_bytes())
            if not isinstance(data, dict) or data.get("format") != self._format:
                return {}
            return _decode(data["memories"], data["steps"])
        except (OSError, ValueError, TypeError, KeyError, IndexError, RecursionError):
            return {}

    def save(self) -> None:
        """Write the table when this run added steps to it; failures are harmless."""
        if self.path is None or len(self.steps) == self._loaded:
            return
        index: dict[Memory, int] = {}
        memories: list[list[Any]] = []

        def ref(memory: Memory) -> int:
            found = index.get(memory)
            if found is None:
                found = index[memory] = len(memories)
                state, step, stability, difficulty = memory
                memories.append([int(state), step, stability, difficulty])
            return found

        steps = []
        for (before, days, rating), (after, offset) in self.steps.items():
            first = -1 if before is None else ref(before)
            steps.append([first, days, rating, ref(after), offset.days, offset.seconds, offset.microseconds])
        text = json.dumps(
            {"format": self._format, "memories": memories, "steps": steps}, separators=(",", ":")
        )
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, self.path)
            self._loaded = len(self.steps)
        except OSError:
            tmp.unlink(missing_ok=True)


def _decode(raw_memories: Any, raw_steps: Any) -> dict[StepKey, Step]:
    """Memories are stored once and steps point at them (a step's result is the next step's
    input): half the decoding of a flat table. Raises TypeError/ValueError on anything odd."""
    import fsrs

    states = {int(s): s for s in fsrs.State}
    memories: list[Memory] = []
    for state, step, stability, difficulty in raw_memories:
        if not (step is None or type(step) is int) or not (_finite(stability) and _finite(difficulty)):
            raise TypeError("not a memory")
        memories.append((states[state], step, stability, difficulty))
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


def _finite(value: Any) -> bool:
    return value is None or (type(value) is float and math.isfinite(value))
