"""A cache of parsed deck files, so a large collection does not cost a full parse on every run.

Parsing Markdown is the dominant start-up cost (a 20,000-card collection takes seconds). A file's
parse depends only on its bytes and its id, so the cache key is the file's path, size and
modification/change times (nanoseconds) plus its id; any change re-parses that file alone.

The cache is a pickle in the user's own data folder, written atomically. Anything unexpected in it
(another version, corruption, a partial write) means it is ignored and rebuilt: it is never a
source of truth. It holds only what the user's own deck files already contain.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from . import __version__

# Bump when the parser or the shape of ParsedDeck changes.
FORMAT = f"studycli-deck-cache/1/{__version__}"

Key = tuple[str, str, bool]  # (resolved path, deck id, bundled)
Stamp = tuple[int, int, int]  # (size, mtime_ns, ctime_ns)


def stamp(path: Path) -> Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class DeckCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._old: dict[Key, tuple[Stamp, Any]] = {}
        self._new: dict[Key, tuple[Stamp, Any]] = {}
        self._dirty = False
        if path is not None:
            self._old = self._read(path)

    @staticmethod
    def _read(path: Path) -> dict[Key, tuple[Stamp, Any]]:
        try:
            with path.open("rb") as handle:
                data = pickle.load(handle)
        except Exception:  # missing, truncated, from another version: start afresh
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, key: Key, current: Stamp | None) -> Any | None:
        found = self._old.get(key)
        if found is None or current is None or found[0] != current:
            return None
        self._new[key] = found
        return found[1]

    def put(self, key: Key, current: Stamp | None, value: Any) -> None:
        if current is None:
            return
        self._new[key] = (current, value)
        self._dirty = True

    def save(self) -> None:
        """Write the entries used this run (dropping deleted files); failures are harmless."""
        if self.path is None or not (self._dirty or len(self._new) != len(self._old)):
            return
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as handle:
                pickle.dump(
                    {"format": FORMAT, "entries": self._new}, handle, protocol=pickle.HIGHEST_PROTOCOL
                )
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)
