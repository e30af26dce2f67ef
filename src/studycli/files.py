"""Finding and reading content files, the same way for decks and plans."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .model import Diagnostic


def iter_content_files(root: Path, suffixes: tuple[str, ...]) -> Iterable[Path]:
    """Files under `root` with one of `suffixes`, sorted; README files and hidden folders inside
    the root are skipped (the root itself may live anywhere, e.g. inside a `.venv`)."""
    found = sorted(p for p in root.rglob("*") if p.suffix.lower() in suffixes and p.is_file())
    for path in found:
        if path.name.lower().startswith("readme."):
            continue
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        yield path


def content_id(path: Path, root: Path) -> str:
    """`decks/deep-learning/attention.md` under `decks/` -> `deep-learning/attention`."""
    return path.relative_to(root).with_suffix("").as_posix()


def read_source(path: Path) -> tuple[str | None, Diagnostic | None]:
    """The file's text, or a diagnostic saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8"), None
    except UnicodeDecodeError as exc:
        return None, Diagnostic(str(path), 0, f"not UTF-8 text: {exc.reason}")
    except OSError as exc:
        return None, Diagnostic(str(path), 0, f"cannot read: {exc.strerror}")
