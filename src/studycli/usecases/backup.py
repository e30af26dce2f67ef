"""`study restore` as a use case: check a backup copy, keep the current store, bring the copy back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config, storefiles
from ..errors import StudyError

if TYPE_CHECKING:
    from ..store import Store


@dataclass(frozen=True)
class Restored:
    kept: Path | None  # the store as it was (None: there was none)
    damaged: bool  # the store as it was could not be opened; it was moved aside whole
    moved: tuple[Path, ...] = field(default=())  # its -wal/-shm, moved aside with it


def restore(file: Path, open_store: Callable[[], Store]) -> Restored:
    """Replace the progress store with the backup copy `file`, refusing anything not a sound store.

    `open_store` opens the current store for writing (the shell's, so it is closed with the rest).
    """
    from ..store import Store, backup_dir  # here, not at start-up: `--help` needs no sqlite3

    if not file.is_file():
        raise StudyError(f"no such file: {file}", f"backups live in {backup_dir(config.db_path())}")
    with Store(file, readonly=True, copy=True) as source:
        problems = source.quick_check()
        if problems != ["ok"]:
            raise StudyError(f"{file} is damaged ({'; '.join(problems)}); nothing was restored")
        path = config.db_path()
        try:
            store = open_store()
        except StudyError as exc:
            if exc.exit_code != 74 or not path.exists():
                raise
            # The current store is damaged: keep it (and its WAL) under a new name, start afresh.
            kept = storefiles.move_aside(path)
            moved = tuple(storefiles.move_companions_aside(path))
            open_store().replace_with(source)
            return Restored(kept, True, moved)
        return Restored(store.replace_with(source), False)
