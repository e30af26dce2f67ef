"""`study report`: where you stand, in the terminal, as Markdown for notes, or as JSON."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from .. import config, memory, report, stats
from ..errors import StudyError
from ..textsafe import write_json
from ..usecases.day import load_day
from .app import Shell, app, guarded
from .scope import resolve_areas


class Format(str, Enum):
    rich = "rich"
    markdown = "markdown"
    json = "json"


@app.command("report")
@guarded
def report_command(
    shell: Shell,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="rich: for the terminal · markdown: paste into notes · json: for scripts (keys documented in the README).",
        ),
    ] = Format.rich,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="YYYY-MM-DD",
            help="Start of the window for checks and recall (default: the last 30 days); also widens the activity map.",
        ),
    ] = None,
    area: Annotated[
        str | None, typer.Option("--area", "-a", help="Only this area (case and a unique prefix are fine).")
    ] = None,
) -> None:
    """Progress report: plan position and pace, today's workload and streak, recent checks and
    their trend, recall and self-rated readiness per area, calibration, a 14-day forecast, an
    activity map and the cards that keep failing.

    **Calibration** lists topics where your `study gaps` rating and your measured recall disagree:
    rated know but recalled under 60%, or rated dunno but recalled over 90% (5+ reviews needed).
    """
    today = config.today()
    since_day = config.parse_date(since, "--since") if since else None
    if since_day is not None and since_day > today:
        raise StudyError(f"--since {since_day.isoformat()} is after today ({today.isoformat()})")
    store = shell.reader
    settings = store.settings()
    collection = shell.collection(settings)
    shell.warn_content(collection)
    area_name = resolve_areas([area], collection)[0] if area else None

    day = load_day(store, collection, settings, today)
    active = day.active
    states = day.states
    ratings = store.gap_ratings()
    decks = {d.id: d for d in collection.decks if area_name is None or d.area == area_name}
    built = report.build(
        report.ReportInputs(
            today=today,
            decks=collection.decks,
            states=states,
            # Only the window the report looks at: the recall/check window and the activity map.
            reviews=store.reviews(
                since=min(since_day or today, stats.heatmap((), today, report.HEATMAP_WEEKS).start)
            ),
            sessions=store.sessions(),
            ratings=ratings,
            plan=active.plan,
            plan_start=None if active.first_run else active.start,
            # Exactly the pool `study check` draws new cards from (before today's cap).
            new_available=day.new_available(decks),
            since=since_day,
            area=area_name,
            limits=day.limits,
            seconds=day.seconds,
            attempts=[memory.Attempt(*a) for a in store.attempts()],
        )
    )
    if fmt is Format.json:
        write_json(shell.out.file, json.dumps(report.to_json(built), indent=2, ensure_ascii=False) + "\n")
    elif fmt is Format.markdown:
        shell.out.file.write(report.to_markdown(built))
    else:
        from ..ui.report_view import render

        render(shell.out, built)
