"""`study gaps`: the know / unsure / dunno self-assessment over every subtopic."""

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from . import complete
from .app import Shell, app, guarded

if TYPE_CHECKING:
    from ..usecases import assessment
    from ..usecases.context import Context


@app.command("gaps")
@guarded
def gaps_command(
    shell: Shell,
    area: Annotated[
        list[str] | None,
        complete.area_option(
            "Only this area (e.g. 'Deep Learning'; case and a unique prefix are fine). Repeatable."
        ),
    ] = None,
    topic: Annotated[
        list[str] | None, complete.topic_option("Only this topic's subtopics. Repeatable.")
    ] = None,
    plan_to_date: Annotated[
        bool, typer.Option("--plan-to-date", help="Only topics your plan has reached so far.")
    ] = False,
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            metavar="RATINGS",
            help="Reassess subtopics currently rated so, e.g. `--only unsure,dunno`.",
        ),
    ] = None,
    include_rated: Annotated[
        bool, typer.Option("--all", help="Ask every subtopic in scope, including ones already rated.")
    ] = False,
    summary: Annotated[
        bool, typer.Option("--summary", help="Ask nothing; show readiness per area and the priority list.")
    ] = False,
) -> None:
    """Self-assessment: rate each subtopic **know**, **unsure** or **dunno**, one key each.

    Keys: `k` know · `u` unsure · `d` dunno · `s` skip · `b` back · `q` quit. Every answer is saved
    the moment you give it, and older answers are kept as history, so you can reassess weeks later
    and see the change. By default only subtopics you have not rated yet are asked, so a long
    assessment can be done in several sittings.

    At the end (or with `--summary`): per area, the counts and readiness (share of subtopics rated
    know), the change since your first assessment and since the previous one, and what to study
    first. Your ratings also steer `study check`: new cards from topics rated dunno come first,
    then unsure, then unrated, then know.

    When stdin is not a terminal, answers are read one key per line (k, u, d, s, b or q).
    """
    from rich.text import Text

    from ..usecases import assessment  # not at the top: `--help` loads no use case

    ctx = shell.context(write=not summary)
    plan = assessment.prepare(ctx, area or [], topic or [], plan_to_date, only, include_rated)
    interrupted = False
    if not summary:
        if not plan.chosen:
            shell.out.print(Text(plan.nothing, style="good"), soft_wrap=True)
        else:
            interrupted = _walk(shell, ctx, plan)

    from ..ui.gaps_view import render_summary

    figures = assessment.summary(ctx, plan)
    render_summary(shell.out, figures.rows, figures.todo, figures.assessments)
    if interrupted:
        raise typer.Exit(130)


def _walk(shell: Shell, ctx: "Context", plan: "assessment.Assessment") -> bool:
    """Run the assessment; True if it was stopped with Ctrl-C (every answer so far is saved)."""
    from rich.text import Text

    from .. import gaps
    from ..ui.gaps_view import run_walk
    from ..ui.prompt import KeyPrompter, LinePrompter
    from ..usecases import assessment

    chosen = plan.chosen
    record = assessment.RatingRecorder(ctx, len(chosen))
    interactive = sys.stdin is not None and sys.stdin.isatty()
    prompter = KeyPrompter(shell.out) if interactive else LinePrompter(shell.out, shell.err)
    shell.out.print(
        Text(
            f"{len(chosen)} subtopic(s) to rate. Be honest: 'know' means you could explain it in an "
            "interview now."
            + (
                " Long walk? Every answer is saved as you go: `q` stops, and `study gaps` later "
                "continues where you left off (`--area` or `--plan-to-date` narrow it)."
                if len(chosen) > 60
                else ""
            ),
            style="muted",
        )
    )
    walk = gaps.GapWalk(chosen)
    completed = False
    try:
        outcome = run_walk(shell.out, prompter, walk, plan.current, record)
        completed = walk.done
    finally:
        record.finish(completed)
    if outcome.status == "interrupted":
        shell.out.print(
            Text(f"\nStopped; {outcome.rated} subtopic(s) rated, every answer saved.", style="warn")
        )
        return True
    elif outcome.status in ("quit", "eof") and not walk.done:
        shell.out.print(
            Text(
                f"Stopped after {outcome.rated} subtopic(s), every answer saved. Run `study gaps` again to continue "
                "where you left off.",
                style="muted",
            ),
        )
    return False
