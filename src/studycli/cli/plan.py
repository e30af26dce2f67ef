"""`study plan`: show, list and choose week-by-week plans."""

from typing import TYPE_CHECKING, Annotated

import typer

from .. import config
from ..ui.console import untrusted
from . import complete
from .app import Shell, app, guarded

if TYPE_CHECKING:
    from ..usecases.context import Context


@app.command()
@guarded
def plan(
    shell: Shell,
    list_plans: Annotated[bool, typer.Option("--list", "-l", help="List the available plans.")] = False,
    use: Annotated[
        str | None,
        typer.Option(
            "--use", help="Make plan NAME the active one.", metavar="NAME", autocompletion=complete.plan_names
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", help="Day the plan starts, YYYY-MM-DD (default: today).", metavar="DATE"),
    ] = None,
    interview: Annotated[
        str | None,
        typer.Option(
            "--interview",
            help="Your interview day, YYYY-MM-DD: new cards are paced to end a week before it, and no "
            "review is scheduled after it. Remove it with `study config unset interview_date`.",
            metavar="DATE",
        ),
    ] = None,
) -> None:
    """Show your week-by-week plan, with this week marked and today's topics listed.

    Switching plans keeps all progress: cards you have studied stay scheduled, and the new plan
    only decides which new cards come next. With `--interview`, the daily new-card cap finishes
    the plan's material a week before the date, and every card is due once more in the last days
    before it.
    """
    from rich.text import Text

    from ..daily import describe_cap  # not at the top: `--help` loads no use case
    from ..usecases.plan import change_plan, view_plan
    from .studying import interview_text

    start_date = config.parse_date(start, "--start") if start else None
    interview_day = config.parse_date(interview, "--interview") if interview else None
    writes = use is not None or start_date is not None or interview_day is not None
    ctx = shell.context(write=writes)
    if list_plans:
        _list_plans(shell, ctx)
        return
    change = change_plan(ctx, use, start_date, interview_day)
    if change.chosen is not None and change.start is not None:
        shell.out.print(
            Text.assemble(
                Text("Active plan: ", style="good"),
                untrusted(change.chosen.title),
                Text(f" (from {change.start.isoformat()})", style="muted"),
            )
        )
    from ..ui.plan_view import render_plan

    view = view_plan(ctx)
    pace = Text.assemble(
        Text("New cards: ", style="muted"),
        Text(f"{view.day.limits.new_per_day} a day", style="heading"),
        Text(f" ({describe_cap(view.day.limits)})", style="muted"),
    )
    render_plan(shell.out, view.position, ctx.collection, view.first_run, interview_text(view.day), pace)
    if view.runs_past_deadline and view.day.plan_last_day is not None:
        shell.out.print(
            Text(
                f"This plan runs until {view.day.plan_last_day.isoformat()}, past a week before your "
                "interview: its last topics will not be reached in time. Choose a shorter plan "
                "(`study plan --list`) or start this one earlier (`study plan --start YYYY-MM-DD`).",
                style="warn",
            )
        )


def _list_plans(shell: Shell, ctx: "Context") -> None:
    from rich.table import Table
    from rich.text import Text

    from ..usecases.plan import available_plans

    table = Table(title="Plans", title_justify="left")
    table.add_column("", width=1)
    table.add_column("name", style="accent", no_wrap=True)
    table.add_column("weeks", justify="right")
    table.add_column("title", overflow="fold")
    table.add_column("from", style="muted", overflow="fold")
    for p, active in available_plans(ctx):
        table.add_row(
            "▶" if active else "",
            untrusted(p.id),
            str(len(p.weeks)),
            untrusted(p.title),
            "bundled" if p.bundled else untrusted(str(p.path)),
        )
    shell.out.print(table)
    shell.out.print(Text("Switch with `study plan --use NAME [--start YYYY-MM-DD]`.", style="muted"))
