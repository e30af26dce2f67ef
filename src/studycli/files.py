"""Finding and reading content files, the same way for decks and plans; writing the caches.

Content folders are untrusted too: names may not be UTF-8, folders may vanish while we scan, a
"deck" may be a FIFO or a 10 GB file. Every such case becomes a `Diagnostic`; none stops a command.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .model import Diagnostic
from .textsafe import clean, describe_unsafe, has_unsafe
from .vocab import Severity

MAX_FILE_BYTES = 16 * 1024 * 1024  # far above any real deck (the largest bundled one is ~60 kB)


def iter_content_files(
    root: Path, suffixes: tuple[str, ...], problems: list[Diagnostic] | None = None
) -> Iterable[Path]:
    """Files under `root` with one of `suffixes`, sorted; README files and hidden files and folders
    inside the root are skipped (the root itself may live anywhere, e.g. inside a `.venv`).

    One `os.scandir` per folder, so the cost is linear in the number of entries. A folder that
    cannot be read (removed mid-scan, no permission) is reported in `problems` and skipped.
    Symbolic links to folders are not followed (no loops).
    """
    found: list[str] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith("."):
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            pending.append(Path(entry.path))
                        elif (
                            os.path.splitext(name)[1].lower() in suffixes
                            and not name.lower().startswith("readme.")
                            and entry.is_file()
                        ):
                            found.append(entry.path)
                    except OSError:  # vanished between listing and looking
                        continue
        except OSError as exc:
            if problems is not None:
                shown = clean(str(folder), line=True)
                problems.append(Diagnostic(shown, 0, f"cannot read folder: {_reason(exc)}", Severity.WARNING))
    found.sort(key=lambda name: name.split(os.sep))  # the order sorting the Paths would give
    return [Path(name) for name in found]


def content_id(path: Path, root: Path) -> str:
    """`decks/deep-learning/attention.md` under `decks/` -> `deep-learning/attention`.

    Cleaned like any displayed text (`textsafe.clean`): a name that is not UTF-8 shows U+FFFD, and
    controls, bidi and zero-width characters are dropped. `name_problem` says so for lint.
    """
    full, base = str(path), str(root)
    if full.startswith(base + os.sep):  # the common case, without pathlib's parsing (100k files)
        rel = os.path.splitext(full[len(base) + 1 :])[0]
        return clean(rel.replace(os.sep, "/") if os.sep != "/" else rel, line=True)
    return clean(path.relative_to(root).with_suffix("").as_posix(), line=True)


def name_problem(path: Path, root: Path) -> Diagnostic | None:
    """A warning if the file's id (its path under `root`) carried characters `content_id` removed."""
    raw = path.relative_to(root).with_suffix("").as_posix()
    if not has_unsafe(raw) and "\n" not in raw and "\t" not in raw:
        return None
    return Diagnostic(
        clean(str(path), line=True),
        0,
        f"file or folder name holds characters that are not shown ({describe_unsafe(raw)}); "
        f"its id is {content_id(path, root)!r}: rename it",
        Severity.WARNING,
    )


def read_source(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[str | None, Diagnostic | None]:
    """The file's text, or a diagnostic saying why it cannot be read.

    Opened without blocking and checked to be a regular file (a FIFO named `x.md` must not hang
    the program), and read to at most `limit` bytes.
    """
    shown = clean(str(path), line=True)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, Diagnostic(shown, 0, f"cannot read: {_reason(exc)}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, Diagnostic(shown, 0, "not a regular file")
        if info.st_size > limit:
            return None, Diagnostic(shown, 0, f"file is larger than {limit // (1024 * 1024)} MiB; skipped")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return None, Diagnostic(shown, 0, f"cannot read: {_reason(exc)}")
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)
    if len(data) > limit:
        return None, Diagnostic(shown, 0, f"file is larger than {limit // (1024 * 1024)} MiB; skipped")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Diagnostic(shown, line, f"not UTF-8 text: {exc.reason} at byte {exc.start}")
    if text.startswith("\ufeff"):  # a UTF-8 byte-order mark some editors add: not content
        text = text[1:]
    return text, None


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def replace_file(path: Path, chunks: Iterable[bytes]) -> None:
    """Replace `path` with `chunks`, atomically: written beside it under a name of this process,
    then renamed over it, so a reader (another terminal, a crash mid-write) sees the old file or
    the new one, never half of one. Raises OSError, and then nothing changed. The caches' write
    (`deckcache`, `stepcache`): each file is derived data, rebuilt whenever it is not there."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as out:
            out.writelines(chunks)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
