"""Deck files parsed in worker processes: the same collection, in the same order, as a parse here;
and any trouble with the workers means a parse here, never a different result or a crash."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from studycli import parsepool
from studycli.config import ContentDirs
from studycli.content import load_collection
from studycli.decks import load_deck_file

from .conftest import ALPHA, BETA, GAMMA, write

needs_fork = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork (Linux only)")
PARENT = os.getpid()


def _collection_dirs(root: Path) -> ContentDirs:
    """Decks of different sizes, a broken one, one with a tab in its name and one that is not UTF-8, so
    order, diagnostics and overrides are all exercised."""
    write(root, "decks/t/alpha.md", ALPHA)
    write(root, "decks/t/beta.md", BETA)
    write(root, "decks/t/gamma.md", GAMMA)
    write(root, "decks/u/tab\tname.md", ALPHA)
    write(root, "decks/u/broken.md", "---\ntitle: [unclosed\n---\n## Q\nA\n")
    write(
        root,
        "decks/u/long.md",
        BETA + "".join(f"\n## Extra question {i}?\nAnswer {i}.\n" for i in range(300)),
    )
    (root / "decks" / "u" / "latin1.md").write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    write(root, "more/t/alpha.md", GAMMA.replace("Gamma", "Override"))  # a later root overrides
    return ContentDirs(decks=((root / "decks", False), (root / "more", False)), plans=())


@pytest.fixture
def workers_always(monkeypatch):
    """Workers for any amount of text, and a record of each time they were used."""
    used: list[int] = []
    real = parsepool._in_workers

    def spy(jobs, sizes, workers, load):
        used.append(workers)
        return real(jobs, sizes, workers, load)

    monkeypatch.setattr(parsepool, "MIN_BYTES", 0)
    monkeypatch.setattr(parsepool, "_in_workers", spy)
    monkeypatch.setattr(parsepool.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    return used


@needs_fork
def test_workers_give_the_collection_a_parse_here_gives(tmp_path, workers_always) -> None:
    dirs = _collection_dirs(tmp_path)
    in_workers = load_collection(dirs, None)
    assert workers_always == [2]
    workers_always.clear()
    parsepool.MIN_BYTES = 10**12  # type: ignore[misc]  (restored by monkeypatch)
    here = load_collection(dirs, None)
    assert workers_always == []
    assert in_workers == here
    assert [d.id for d in in_workers.decks] == [d.id for d in here.decks]
    assert in_workers.diagnostics == here.diagnostics  # the same problems, in the same order
    assert any("Override" in d.title for d in in_workers.decks)
    assert len(in_workers.diagnostics) >= 3  # the name, the YAML, the encoding: all come back


def test_no_workers_for_little_text_one_file_or_one_core(monkeypatch) -> None:
    monkeypatch.setattr(parsepool.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    big = parsepool.MIN_BYTES
    assert parsepool._workers(files=10, total_bytes=big - 1) == 1
    assert parsepool._workers(files=1, total_bytes=big * 10) == 1
    if sys.platform.startswith("linux"):
        assert parsepool._workers(files=3, total_bytes=big) == 3
        assert parsepool._workers(files=200, total_bytes=big) == 4
        monkeypatch.setattr(parsepool.os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
        assert parsepool._workers(files=200, total_bytes=big) == parsepool.MAX_WORKERS
        monkeypatch.setattr(parsepool.os, "sched_getaffinity", lambda pid: {0}, raising=False)
        assert parsepool._workers(files=200, total_bytes=big) == 1


def test_workers_that_cannot_start_mean_a_parse_here(tmp_path, workers_always, monkeypatch) -> None:
    dirs = _collection_dirs(tmp_path)
    monkeypatch.setattr(parsepool, "MIN_BYTES", 10**12)
    expected = load_collection(dirs, None)  # parsed here
    monkeypatch.setattr(parsepool, "MIN_BYTES", 0)

    def refuse(*args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", refuse)
    assert load_collection(dirs, None) == expected
    assert workers_always == [2]  # they were tried


def _die_in_a_worker(path: Path, root: Path, bundled: bool):
    """A parse that kills the worker process running it (as the OOM killer would)."""
    if os.getpid() != PARENT:
        os._exit(9)
    return load_deck_file(path, root, bundled)


def _interrupted_in_a_worker(path: Path, root: Path, bundled: bool):
    raise KeyboardInterrupt


@needs_fork
def test_a_worker_that_dies_means_a_parse_here(tmp_path, workers_always) -> None:
    dirs = _collection_dirs(tmp_path)
    jobs = [(p, tmp_path / "decks", False) for p in sorted((tmp_path / "decks").rglob("*.md"))]
    expected = [load_deck_file(*job) for job in jobs]
    assert parsepool.parse_deck_files(jobs, [10**9] * len(jobs), _die_in_a_worker) == expected
    assert workers_always == [2]
    assert dirs.decks  # (the fixture wrote the files)


@needs_fork
def test_ctrl_c_during_a_parse_in_workers_reaches_the_command(tmp_path, workers_always) -> None:
    _collection_dirs(tmp_path)
    jobs = [(p, tmp_path / "decks", False) for p in sorted((tmp_path / "decks").rglob("*.md"))]
    with pytest.raises(KeyboardInterrupt):
        parsepool.parse_deck_files(jobs, [10**9] * len(jobs), _interrupted_in_a_worker)
