"""`study find`, `show`, `edit`, `topics`, `suspend`, `unsuspend` and `undo` (parse, call, render)."""

import os
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import StudyError
from ..ui.console import print_json, untrusted
from . import complete
from .app import Shell, app, guarded

if TYPE_CHECKING:
    from ..usecases.context import Context

TopicOption = Annotated[list[str] | None, complete.topic_option()]
AreaOption = Annotated[list[str] | None, complete.area_option()]
CardIds = Annotated[
    list[str],
    typer.Argument(
        metavar="CARD_ID...",
        help="Card ids, e.g. deep-learning/attention#scale-factor.",
        autocompletion=complete.card_ids,
    ),
]
CardId = Annotated[
    str,
    typer.Argument(
        metavar="CARD_ID", help="The card's id (see `study find`).", autocompletion=complete.card_ids
    ),
]


@app.command()
@guarded
def find(
    shell: Shell,
    text: Annotated[
        str, typer.Argument(help="Words to look for in questions, answers and options; '' for every card.")
    ] = "",
    area: AreaOption = None,
    topic: TopicOption = None,
    due: Annotated[bool, typer.Option("--due", help="Only cards due today or earlier.")] = False,
    new: Annotated[bool, typer.Option("--new", help="Only cards never studied.")] = False,
    leech: Annotated[
        bool, typer.Option("--leech", help="Only leeches (lapses at the leech threshold).")
    ] = False,
    suspended: Annotated[bool, typer.Option("--suspended", help="Only suspended cards.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON: card_id, deck, kind and status of each.")
    ] = False,
) -> None:
    """Find cards by their text, any case, with where each stands: new, due, interval, lapses.

    `study show ID` then shows one card with its history; `study edit ID` opens it in your editor.
    """
    from ..usecases import cards  # here, not at the top: `--help` loads no use case

    ctx = shell.context(write=False)
    found = cards.find(
        ctx, text, areas=area or [], topics=topic or [], due=due, new=new, leech=leech, suspended=suspended
    )
    if as_json:
        rows = [
            {
                "card_id": s.card.id,
                "deck": s.card.deck_id,
                "kind": s.card.kind.value,
                "status": "suspended" if s.suspended else ("new" if s.state is None else "seen"),
                "due": s.due.isoformat() if s.due else None,
                "interval": s.state.interval if s.state else None,
                "lapses": s.state.lapses if s.state else 0,
                "leech": s.leech,
            }
            for s in found
        ]
        print_json(rows)
        return
    from rich.table import Table
    from rich.text import Text

    if not found:
        shell.out.print(Text("No card matches.", style="muted"))
        return
    table = Table(title=f"{len(found)} card(s)", title_justify="left")
    table.add_column("id", style="accent", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("question", overflow="fold", ratio=3, min_width=20)
    table.add_column("status", overflow="fold", ratio=2, min_width=10)
    for s in found:
        table.add_row(
            untrusted(s.card.id), s.card.kind.value, untrusted(s.card.question), s.describe(ctx.today)
        )
    shell.out.print(table)


@app.command()
@guarded
def show(
    shell: Shell,
    card_id: CardId,
) -> None:
    """One card as a session shows it, answer included, with every grade it was given."""
    from ..ui.cards_view import render_card
    from ..usecases import cards  # here, not at the top: `--help` loads no use case

    ctx = shell.context(write=False)
    render_card(shell.out, cards.show(ctx, card_id), ctx.today)


@app.command()
@guarded
def edit(
    shell: Shell,
    card_id: CardId,
) -> None:
    """Open a card in $VISUAL or $EDITOR at its line; lint the file when the editor closes.

    A bundled card is first copied, with its whole deck, into your own deck folder (the first of
    the `decks` setting, else `decks` in the data folder), where it overrides the bundled deck.
    The card keeps its id, so its progress stays.
    """
    errors = open_in_editor(shell, shell.context(), card_id)
    if errors:
        raise typer.Exit(1)


def open_in_editor(shell: Shell, ctx: "Context", card_id: str) -> int:
    """Open the card in the user's editor at its line, then lint the file; returns the errors."""
    from rich.text import Text

    from ..lint import lint_paths
    from ..usecases import cards  # here, not at the top: `--help` loads no use case

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise StudyError("no editor: set VISUAL or EDITOR", "e.g. `export EDITOR=vi`, then try again")
    target = cards.edit_target(ctx, card_id)
    if target.copied_from is not None:
        shell.out.print(
            Text.assemble(
                Text("Bundled deck copied to ", style="muted"),
                untrusted(str(target.path)),
                Text(" (your copy now overrides it; progress is kept).", style="muted"),
            ),
            soft_wrap=True,
        )
    import shlex
    import subprocess

    command = [*shlex.split(editor), f"+{max(1, target.line)}", str(target.path)]
    try:
        done = subprocess.run(command, check=False)
    except OSError as exc:
        raise StudyError(
            f"could not run the editor {editor!r}: {exc.strerror}", "check VISUAL / EDITOR"
        ) from None
    if done.returncode != 0:
        raise StudyError(
            f"the editor {editor!r} exited with status {done.returncode}; the file is as it left it"
        )
    from .. import config

    result = lint_paths([target.path], config.content_dirs(ctx.store.settings()), ctx.collection)
    for diag in result.diagnostics:
        shell.out.print(
            Text.assemble(untrusted(str(diag)), style="bad" if diag.severity == "error" else "warn"),
            soft_wrap=True,
        )
    verdict = f"{target.path}: {result.errors} error(s), {result.warnings} warning(s)"
    shell.out.print(Text(verdict, style="bad" if result.errors else "good"), soft_wrap=True)
    return result.errors


@app.command()
@guarded
def topics(
    shell: Shell,
    area: AreaOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every topic (deck id) with its title, area, cards, how many seen and due, and its plan week.

    The deck ids are what `--topic` takes in `check`, `review`, `gaps` and `find`.
    """
    from ..usecases import cards  # here, not at the top: `--help` loads no use case

    ctx = shell.context(write=False)
    rows = cards.topics(ctx, area or [])
    if as_json:
        data = [
            {
                "id": r.deck.id,
                "title": r.deck.title,
                "area": r.deck.area,
                "cards": r.cards,
                "seen": r.seen,
                "due": r.due,
                "week": r.week,
            }
            for r in rows
        ]
        print_json(data)
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} topic(s)", title_justify="left")
    table.add_column("wk", justify="right", style="muted")
    table.add_column("topic", style="accent", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("area", style="muted", overflow="fold")
    table.add_column("cards", justify="right")
    table.add_column("seen", justify="right")
    table.add_column("due", justify="right")
    for r in rows:
        table.add_row(
            str(r.week) if r.week else "–",
            untrusted(r.deck.id),
            untrusted(r.deck.title),
            untrusted(r.deck.area),
            str(r.cards),
            str(r.seen),
            str(r.due) if r.due else "",
        )
    shell.out.print(table)


@app.command()
@guarded
def suspend(shell: Shell, card_ids: CardIds) -> None:
    """Never ask these cards again (until `study unsuspend`); their progress is kept as it is."""
    from ..usecases import cards  # here, not at the top: `--help` loads no use case

    _report(shell, *cards.suspend(shell.context(), card_ids), "suspended", "already suspended")


@app.command()
@guarded
def unsuspend(shell: Shell, card_ids: CardIds) -> None:
    """Ask these cards again, from where their schedule stood."""
    from ..usecases import cards  # here, not at the top: `--help` loads no use case

    _report(shell, *cards.unsuspend(shell.context(), card_ids), "unsuspended", "was not suspended")


def _report(shell: Shell, done: list[str], unchanged: list[str], did: str, did_not: str) -> None:
    """One line per card: what was done to it, or why nothing was."""
    from rich.text import Text

    for cid in done:
        shell.out.print(Text.assemble(Text(f"{did} ", style="good"), untrusted(cid)))
    for cid in unchanged:
        shell.out.print(Text.assemble(Text(f"{did_not} ", style="muted"), untrusted(cid)))


@app.command()
@guarded
def undo(shell: Shell) -> None:
    """Take back the last grade given today, from any check or review.

    The card returns exactly to its state before that grade, and the grade counts nowhere (scores,
    recall, streak, lapses, the estimate). Run it again to take back the one before. Inside a
    check or review, `u` at the next prompt does the same for that session.
    """
    from rich.text import Text

    from ..usecases import cards  # here, not at the top: `--help` loads no use case

    grade = cards.undo_last(shell.context())
    shell.out.print(
        Text.assemble(
            Text("Undone: ", style="good"),
            untrusted(grade.card_id),
            Text(f" graded {grade.quality} on {grade.day.isoformat()}", style="muted"),
            Text(" (a same-check repeat)" if grade.repeat else "", style="muted"),
        ),
        soft_wrap=True,
    )
