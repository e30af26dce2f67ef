"""`study lint`: check decks, plans and stored progress."""

from pathlib import Path
from typing import Annotated

import typer

from .. import config
from ..ui.console import untrusted
from ..vocab import Severity
from .app import Shell, app, guarded


@app.command()
@guarded
def lint(
    shell: Shell,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Deck or plan files or folders. Default: everything studycli would load."),
    ] = None,
) -> None:
    """Check decks and plans (and stored progress) and name every problem with file and line.

    Exits 1 if there are errors, so it can guard a pre-commit hook or CI for your own decks.
    """
    from rich.text import Text

    from ..lint import count_files, lint_all, lint_paths

    store = shell.reader
    settings = store.settings()
    dirs = config.content_dirs(settings)
    from ..content import load_collection  # not at the top: `--help` parses nothing

    collection = load_collection(dirs, config.cache_path())
    if paths:
        result = lint_paths(paths, dirs, collection)
    else:
        result = lint_all(collection, store.deck_of_states(), count_files(dirs))
    for diag in result.diagnostics:
        style = "bad" if diag.severity == Severity.ERROR else "warn"
        where = f"{diag.path}:{diag.line}" if diag.line else diag.path
        shell.out.print(
            Text.assemble(
                untrusted(where),
                Text(": "),
                Text(diag.severity, style=style),
                Text(": "),
                untrusted(diag.message),
            ),
            soft_wrap=True,
        )
    verdict = Text(
        f"{result.files} file(s) checked: {result.errors} error(s), {result.warnings} warning(s)",
        style="bad" if result.errors else "good",
    )
    shell.out.print(verdict)
    if result.errors:
        raise typer.Exit(1)
