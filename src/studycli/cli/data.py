"""`study export` and `study import`: all progress as JSON, and back."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ..errors import StudyError
from .app import Shell, app, guarded

MAX_IMPORT_BYTES = 1024 * 2**20  # decades of daily study are tens of MB


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
    # Read-only snapshot: works on a read-only folder or a backup copy, and cannot be torn by a
    # check grading in another terminal. The JSON is written to a temporary file first, so a
    # failure half-way (a damaged page) shows nothing rather than truncated JSON.
    handle, counts = shell.reader.export_to_temp()
    with handle:
        if output is None:
            shutil.copyfileobj(handle, sys.stdout)
            sys.stdout.flush()
            return
        tmp = output.with_name(output.name + ".tmp")
        try:
            with tmp.open("w", encoding="utf-8") as target:
                shutil.copyfileobj(handle, target)
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
    try:
        if str(file) != "-" and file.stat().st_size > MAX_IMPORT_BYTES:
            raise StudyError(f"{file} is larger than {MAX_IMPORT_BYTES // 2**20} MB; not a studycli export")
        if str(file) == "-":
            text = sys.stdin.read() if sys.stdin is not None else ""
        else:
            text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise StudyError(f"cannot read {file}: {exc.strerror}") from None
    except (UnicodeDecodeError, ValueError):
        raise StudyError(f"{file} is not UTF-8 text") from None
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
