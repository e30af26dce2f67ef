"""`study plan`: show, list and choose week-by-week plans."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from .. import config, plans
from ..daily import NEW_CUTOFF_DAYS, describe_cap
from ..errors import StudyError
from ..model import Collection
from ..plans import resolve_plan
from ..ui.console import untrusted
from ..usecases.day import load_day
from .app import Shell, app, guarded
from .studying import interview_text


@app.command()
@guarded
def plan(
    shell: Shell,
    list_plans: Annotated[bool, typer.Option("--list", "-l", help="List the available plans.")] = False,
    use: Annotated[
        str | None, typer.Option("--use", help="Make plan NAME the active one.", metavar="NAME")
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
    today = config.today()
    writes = use is not None or start is not None or interview is not None
    store = shell.store if writes else shell.reader
    settings = store.settings()
    collection = shell.collection(settings)
    if list_plans:
        _list_plans(shell, collection, settings)
        return
    start_date = config.parse_date(start, "--start") if start else None
    interview_day = config.parse_date(interview, "--interview") if interview else None
    if interview_day is not None:
        # Validate against the plan start this command will leave in place, before writing anything.
        planned_start = start_date or (today if use is not None else None)
        if planned_start is None and settings.get(config.SETTING_PLAN_START):
            planned_start = config.parse_date(settings[config.SETTING_PLAN_START], "plan_start setting")
        check_interview(interview_day, today, planned_start)
    if use is not None:
        chosen = collection.plan(use)
        if chosen is None:
            import difflib

            close = difflib.get_close_matches(use, [p.id for p in collection.plans], n=3, cutoff=0.4)
            raise StudyError(
                f"no plan called {use!r}",
                ("did you mean: " + ", ".join(close) + "? " if close else "") + "see `study plan --list`",
            )
        store.set_settings(
            {config.SETTING_PLAN: chosen.id, config.SETTING_PLAN_START: (start_date or today).isoformat()}
        )
        settings = store.settings()
        shell.out.print(
            Text.assemble(
                Text("Active plan: ", style="good"),
                untrusted(chosen.title),
                Text(f" (from {(start_date or today).isoformat()})", style="muted"),
            )
        )
    elif start_date is not None:
        if config.SETTING_PLAN not in settings:
            settings[config.SETTING_PLAN] = config.DEFAULT_PLAN
        store.set_settings(
            {
                config.SETTING_PLAN: settings[config.SETTING_PLAN],
                config.SETTING_PLAN_START: start_date.isoformat(),
            }
        )
        settings = store.settings()
    if interview_day is not None:
        store.set_setting(config.SETTING_INTERVIEW, interview_day.isoformat())
        settings = store.settings()
    active = resolve_plan(settings, collection, today)
    if active.plan is None:
        raise StudyError("no plan is available", "add a plan file to a plans folder, see README")
    from ..ui.plan_view import render_plan

    day = load_day(store, collection, settings, today)
    pace = Text.assemble(
        Text("New cards: ", style="muted"),
        Text(f"{day.limits.new_per_day} a day", style="heading"),
        Text(f" ({describe_cap(day.limits)})", style="muted"),
    )
    render_plan(
        shell.out,
        plans.position(active.plan, active.start, today),
        collection,
        active.first_run,
        interview_text(day),
        pace,
    )
    last_day = day.plan_last_day
    deadline = day.limits.interview
    if (
        last_day is not None
        and deadline is not None
        and last_day >= deadline - timedelta(days=NEW_CUTOFF_DAYS)
    ):
        shell.out.print(
            Text(
                f"This plan runs until {last_day.isoformat()}, past a week before your interview: its last "
                "topics will not be reached in time. Choose a shorter plan (`study plan --list`) or start "
                "this one earlier (`study plan --start YYYY-MM-DD`).",
                style="warn",
            )
        )


def check_interview(interview: date, today: date, start: date | None) -> None:
    """An interview date must be a real future day on or after the plan's start."""
    if interview <= today:
        raise StudyError(
            f"the interview date {interview.isoformat()} is not after today ({today.isoformat()})",
            "give a future day, or `study config unset interview_date` to remove it",
        )
    if start is not None and interview < start:
        raise StudyError(
            f"the interview date {interview.isoformat()} is before the plan starts ({start.isoformat()})",
            "start the plan earlier with `--start YYYY-MM-DD`",
        )


def _list_plans(shell: Shell, collection: Collection, settings: dict[str, str]) -> None:
    active = settings.get(config.SETTING_PLAN, config.DEFAULT_PLAN)
    table = Table(title="Plans", title_justify="left")
    table.add_column("", width=1)
    table.add_column("name", style="accent", no_wrap=True)
    table.add_column("weeks", justify="right")
    table.add_column("title", overflow="fold")
    table.add_column("from", style="muted", overflow="fold")
    for p in sorted(collection.plans, key=lambda p: (len(p.weeks), p.id)):
        table.add_row(
            "▶" if p.id == active else "",
            untrusted(p.id),
            str(len(p.weeks)),
            untrusted(p.title),
            "bundled" if p.bundled else untrusted(str(p.path)),
        )
    shell.out.print(table)
    shell.out.print(Text("Switch with `study plan --use NAME [--start YYYY-MM-DD]`.", style="muted"))
