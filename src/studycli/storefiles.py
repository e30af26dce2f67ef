"""The files around the progress database, checked before SQLite is allowed to open them.

SQLite trusts whatever `progress.db-wal` sits beside the database: on open it replays every valid
frame into it. A WAL left there from *another* database (a copied folder, a restored file beside
a stale WAL) is merged page by page and destroys the store. SQLite does not bind a WAL to its
database, so studycli does it itself:

* every store has a random 31-bit id in its header's `application_id` field (page 1), and every
  write transaction re-writes it, so each committed transaction in a studycli WAL carries a copy
  of page 1 with that id;
* before opening, a WAL that no running program is using is read frame by frame (the salts and
  the checksum chain, as SQLite does, so only frames SQLite would replay count). It belongs to
  the database only if its page size matches and its newest page-1 frame carries the database's
  id. Otherwise it and the `-shm` are moved aside, named in a notice, and never merged;
* a WAL or `-shm` beside a missing or empty database is moved aside the same way.

A WAL in use by a running program (another terminal: its connection holds a lock on the `-shm`)
is left alone: it is live, and it is this database's, since it was opened through this path.

Also here: the cheap header check run on every open, and the names of backup files.
"""

from __future__ import annotations

import os
import struct
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

HEADER_MAGIC = b"SQLite format 3\x00"
WAL_MAGIC = (0x377F0682, 0x377F0683)
_SHM_DMS_BYTE = 128  # unix VFS: every open connection holds a shared lock on this byte of -shm


def wal_path(db: Path) -> Path:
    return db.with_name(db.name + "-wal")


def shm_path(db: Path) -> Path:
    return db.with_name(db.name + "-shm")


@dataclass(frozen=True)
class Header:
    page_size: int
    application_id: int
    user_version: int
    page_count: int  # from the header; valid only if `counts_valid`
    counts_valid: bool


def read_header(path: Path) -> Header | None:
    """The database header, or None when the file is not an SQLite database."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(100)
    except OSError:
        return None
    if len(raw) < 100 or not raw.startswith(HEADER_MAGIC):
        return None
    page_size = struct.unpack(">H", raw[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return None
    change_counter, page_count = struct.unpack(">II", raw[24:32])
    valid_for = struct.unpack(">I", raw[92:96])[0]
    user_version, application_id = struct.unpack(">iI", raw[60:64] + raw[68:72])
    return Header(page_size, application_id, user_version, page_count, valid_for == change_counter)


def header_anomaly(path: Path, header: Header) -> str | None:
    """Something cheap to see that says the file was cut short or overwritten; None if it looks fine."""
    size = path.stat().st_size
    if size % header.page_size:
        return f"its size ({size} bytes) is not a whole number of {header.page_size}-byte pages"
    if header.counts_valid and header.page_count and header.page_count * header.page_size > size:
        return f"its header counts {header.page_count} pages but the file holds {size // header.page_size}"
    return None


def _checksum(data: bytes, big_endian: bool, s0: int, s1: int) -> tuple[int, int]:
    """SQLite's WAL checksum: pairs of 32-bit words, Fibonacci-weighted."""
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


@dataclass(frozen=True)
class WalSummary:
    page_size: int
    commits: int  # committed transactions SQLite would replay
    page1_ids: tuple[int, ...]  # application_id in each committed page-1 frame, oldest first


def read_wal(path: Path) -> WalSummary | None:
    """The committed content of a WAL file; None if it is not a WAL (or has no header yet)."""
    with path.open("rb") as handle:
        header = handle.read(32)
        if len(header) < 32:
            return WalSummary(0, 0, ())
        magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", header)
        if magic not in WAL_MAGIC:
            return None if any(header) else WalSummary(0, 0, ())
        if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
            return None
        big_endian = magic & 1 == 1
        s0, s1 = _checksum(header[:24], big_endian, 0, 0)
        if (s0, s1) != (c0, c1):
            return WalSummary(page_size, 0, ())  # SQLite ignores a WAL with a bad header
        commits, page1_ids, pending = 0, [], []
        while True:
            frame_header = handle.read(24)
            page = handle.read(page_size)
            if len(frame_header) < 24 or len(page) < page_size:
                break
            pgno, commit_size, f_salt1, f_salt2, f0, f1 = struct.unpack(">6I", frame_header)
            if (f_salt1, f_salt2) != (salt1, salt2):
                break
            s0, s1 = _checksum(frame_header[:8], big_endian, s0, s1)
            s0, s1 = _checksum(page, big_endian, s0, s1)
            if (s0, s1) != (f0, f1):
                break
            if pgno == 1:
                pending.append(struct.unpack(">I", page[68:72])[0])
            if commit_size:
                commits += 1
                page1_ids.extend(pending)
                pending = []
        return WalSummary(page_size, commits, tuple(page1_ids))


# POSIX drops every lock a process holds on a file when it closes *any* descriptor of it, which
# would silently unlock SQLite's own connection in this process: probe descriptors stay open.
_PROBES: dict[str, int] = {}


def wal_in_use(db: Path) -> bool:
    """True if another running program has this database open (it holds a lock on the -shm).

    Where this cannot be told (no POSIX locks, an unknown `struct flock`), say True: leaving a WAL
    alone is always safe.
    """
    shm = shm_path(db)
    if not shm.exists():
        return False
    if sys.platform.startswith("linux"):
        layout, type_at = "hhqqixxxx", 0  # l_type, l_whence, l_start, l_len, l_pid
    elif sys.platform == "darwin":
        layout, type_at = "qqihh", 3  # l_start, l_len, l_pid, l_type, l_whence
    else:
        return True
    import fcntl

    try:
        key = f"{shm.resolve()}:{shm.stat().st_ino}"
        if key not in _PROBES:
            _PROBES[key] = os.open(shm, os.O_RDONLY)
        if sys.platform == "darwin":
            probe = struct.pack(layout, _SHM_DMS_BYTE, 1, 0, fcntl.F_WRLCK, os.SEEK_SET)
        else:
            probe = struct.pack(layout, fcntl.F_WRLCK, os.SEEK_SET, _SHM_DMS_BYTE, 1, 0)
        result = fcntl.fcntl(_PROBES[key], fcntl.F_GETLK, probe)
        return bool(struct.unpack(layout, result)[type_at] != fcntl.F_UNLCK)
    except OSError:
        return True


def foreign_wal(db: Path, header: Header) -> str | None:
    """Why the WAL beside `db` is not this database's, or None if it is (or there is none)."""
    wal = wal_path(db)
    if not wal.exists() or wal_in_use(db):
        return None
    try:
        summary = read_wal(wal)
    except OSError:
        return None
    if summary is None:
        return "it is not a WAL file"
    if not summary.commits:
        return None  # nothing SQLite would replay
    if summary.page_size != header.page_size:
        return f"its page size ({summary.page_size}) is not the database's ({header.page_size})"
    if header.application_id:  # a store from schema 2 on: every transaction wrote its id
        if not summary.page1_ids:
            return "none of its transactions carries the database's id"
        if summary.page1_ids[-1] != header.application_id:
            return "it was written by another database (its id differs)"
    return None


def move_aside(path: Path) -> Path:
    """Rename `path` to `<name>.foreign-<UTC time>`; returns the new path."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    target = path.with_name(f"{path.name}.foreign-{stamp}")
    os.replace(path, target)
    return target


def move_companions_aside(db: Path) -> list[Path]:
    moved = []
    for companion in (wal_path(db), shm_path(db)):
        if companion.exists():
            moved.append(move_aside(companion))
    return moved
