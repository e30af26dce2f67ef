"""What every use case works on: the store, the content, the settings and the day.

The CLI builds one `Context` per command (a read-only store for commands that only look) and
hands it to a use case; tests build one from a temporary store and small decks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..model import Collection

if TYPE_CHECKING:  # the store (and sqlite3) is imported when a command opens it, not by `--help`
    from ..store import Store


@dataclass(frozen=True)
class Context:
    store: Store
    collection: Collection
    settings: dict[str, str]
    today: date
