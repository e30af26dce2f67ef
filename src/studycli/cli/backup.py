"""`study backup` and `study restore`: copies of the progress store, and getting one back."""

from pathlib import Path
from typing import Annotated

import typer

from .app import Shell, app, guarded


@app.command()
@guarded
def backup(
    shell: Shell,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Write the copy here (default: the backups folder beside the store).", show_default=False
        ),
    ] = None,
) -> None:
    """Copy the progress store now, consistently, even while a check is running.

    studycli also keeps a copy of each of the last few days by itself, in the `backups` folder
    beside the store; `study restore FILE` brings any copy back.
    """
    from rich.text import Text

    target = shell.store.backup(file)
    shell.err.print(Text(f"Backed up the progress store to {target}", style="good"), soft_wrap=True)


@app.command()
@guarded
def restore(
    shell: Shell,
    file: Annotated[
        Path, typer.Argument(help="A backup copy (`study backup`, or one in the backups folder).")
    ],
) -> None:
    """Replace all progress with a backup copy; the current store is kept as a copy first.

    Refuses a file that is not a readable studycli store. To restore a JSON export instead, use
    `study import` on an empty store.
    """
    from rich.text import Text

    from ..usecases.backup import restore as restore_backup  # not at the top: `--help` loads none

    result = restore_backup(file, lambda: shell.store)
    for moved in result.moved:
        shell.err.print(Text(f"moved {moved}", style="muted"), soft_wrap=True)
    if result.damaged:
        shell.err.print(Text(f"The damaged store was kept as {result.kept}", style="warn"), soft_wrap=True)
    elif result.kept is not None:
        shell.err.print(Text(f"The store as it was is kept in {result.kept}", style="muted"), soft_wrap=True)
    shell.out.print(Text(f"Restored the progress store from {file}.", style="good"), soft_wrap=True)
