"""`study export` and `study import`: all progress as JSON, and back."""

import os
import shutil
import sys
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from ..errors import StudyError
from .app import Shell, app, guarded


@app.command()
@guarded
def export(
    shell: Shell,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout.", metavar="FILE"),
    ] = None,
) -> None:
    """Write all progress (card states, reviews, sessions, gap ratings, settings) as JSON.

    Use it for backups or to move to another machine; `study import` restores it.
    """
    from rich.text import Text

    from ..textsafe import JsonSafeWriter

    # Read-only snapshot: works on a read-only folder or a backup copy, and cannot be torn by a
    # check grading in another terminal. The JSON is written to a temporary file first, so a
    # failure half-way (a damaged page) shows nothing rather than truncated JSON. JsonSafeWriter:
    # ids and settings came from decks, plans or an import, so controls, bidi and invisible
    # characters are written as \u escapes, never raw.
    handle, counts = shell.reader.export_to_temp()
    with handle:
        if output is None:
            shutil.copyfileobj(handle, JsonSafeWriter(sys.stdout))
            sys.stdout.flush()
            return
        tmp = output.with_name(output.name + ".tmp")
        try:
            with tmp.open("w", encoding="utf-8") as target:
                shutil.copyfileobj(handle, JsonSafeWriter(target))
            os.replace(tmp, output)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StudyError(f"cannot write {output}: {exc.strerror}") from None
    shell.err.print(
        Text(f"Exported {counts['cards']} cards and {counts['reviews']} reviews to {output}", style="good")
    )


@app.command("import")
@guarded
def import_(
    shell: Shell,
    file: Annotated[Path, typer.Argument(help="A file written by `study export`, or - for stdin.")],
) -> None:
    """Restore an export into an empty progress store (it never merges or overwrites).

    The whole file is checked first (types, ranges, dates, ids, references); if anything is
    wrong, the first problems are named by their place in the JSON and nothing is written.
    """
    import json

    from rich.text import Text

    text = _read_bounded(file)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StudyError(f"{file}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise StudyError(f"{file}: not a studycli export (nested too deeply)") from None
    counts = shell.store.import_data(data)
    shell.out.print(
        Text(
            f"Imported {counts.get('cards', 0)} cards, {counts.get('reviews', 0)} reviews, "
            f"{counts.get('sessions', 0)} sessions, {counts.get('gap_ratings', 0)} gap ratings.",
            style="good",
        )
    )


MAX_IMPORT_BYTES = 256 * 1024 * 1024  # a year of daily study exports to a few MiB
_CHUNK = 1024 * 1024


def _read_bounded(file: Path) -> str:
    """The import's text, read to at most MAX_IMPORT_BYTES (so `study import /dev/zero` stops)."""
    too_big = StudyError(
        f"{file} is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB: not a studycli export",
        "`study export` writes a few MiB for years of study; check the file name",
    )
    try:
        if str(file) == "-":
            if sys.stdin is None:
                return ""
            stream = getattr(sys.stdin, "buffer", None)
            if stream is None:  # a text-only stdin (test runners)
                text = sys.stdin.read(MAX_IMPORT_BYTES + 1)
                if len(text) > MAX_IMPORT_BYTES:
                    raise too_big
                return text
            data = _read_chunks(stream, too_big)
        else:
            with file.open("rb") as handle:
                data = _read_chunks(handle, too_big)
    except IsADirectoryError:
        raise StudyError(f"cannot read {file}: it is a folder") from None
    except OSError as exc:
        raise StudyError(f"cannot read {file}: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise StudyError(f"{file} is not UTF-8 text") from None


def _read_chunks(stream: BinaryIO, too_big: StudyError) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > MAX_IMPORT_BYTES:
            raise too_big
        chunks.append(chunk)
