"""`study report`: where you stand, in the terminal, as Markdown for notes, or as JSON."""

from enum import Enum
from typing import Annotated

import typer

from .. import config
from ..ui.console import print_json, stdout
from . import complete
from .app import Shell, app, guarded


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
        str | None,
        typer.Option(
            "--area",
            "-a",
            metavar="AREA",
            help="Only this area (case and a unique prefix are fine).",
            autocompletion=complete.areas,
        ),
    ] = None,
) -> None:
    """Progress report: plan position and pace, today's workload and streak, recent checks and
    their trend, recall and self-rated readiness per area, calibration, a 14-day forecast, an
    activity map and the cards that keep failing.

    **Calibration** lists topics where your `study gaps` rating and your measured recall disagree:
    rated know but recalled under 60%, or rated dunno but recalled over 90% (5+ reviews needed).
    """
    # The report modules (and FSRS) are imported here, not at start-up: other commands and
    # `--help` never use them.
    from .. import report
    from ..usecases.report import build_report

    since_day = config.parse_date(since, "--since") if since else None
    built = build_report(shell.context(write=False), since_day, area)
    if fmt is Format.json:
        print_json(report.to_json(built))
    elif fmt is Format.markdown:
        stdout().write(report.to_markdown(built))
    else:
        from ..ui.report_view import render

        render(shell.out, built)
