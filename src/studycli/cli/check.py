"""`study check`: today's knowledge check (parse, call `usecases.check`, render)."""

from typing import Annotated

import typer

from .. import config
from ..errors import StudyError
from ..ui.console import untrusted
from ..vocab import SessionKind
from . import complete
from .app import Shell, app, guarded


@app.command()
@guarded
def check(
    shell: Shell,
    size: Annotated[
        int | None,
        typer.Option(
            "--size",
            "-n",
            min=1,
            max=config.MAX_CHECK_SIZE,
            help="How many items to ask (default: the check_size setting, else enough for the day's new cards: 15 at 10 new a day).",
            show_default=False,
        ),
    ] = None,
    new_ratio: Annotated[
        float,
        typer.Option(
            "--new-ratio",
            min=0.0,
            max=1.0,
            help="Share of new cards; the rest are due reviews. 0 means no new cards at all.",
        ),
    ] = 0.7,
    topic: Annotated[
        list[str] | None,
        complete.topic_option(
            "Only this topic (deck id, e.g. deep-learning/attention), even if the plan has not reached it yet. Repeatable."
        ),
    ] = None,
    area: Annotated[
        list[str] | None,
        complete.area_option(
            "Only topics of this area (case and a unique prefix are fine), reached or not. Repeatable."
        ),
    ] = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="Show what would be asked; ask nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --preview: print JSON.")] = False,
) -> None:
    """Today's knowledge check: new cards from your plan plus due reviews.

    On a terminal, grade each card with one key: 0 blackout, 1 wrong but recognised, 2 wrong but
    nearly, 3 right with effort, 4 right after hesitation, 5 perfect. Multiple-choice cards are
    graded for you (right 4, wrong 1). Anything graded below 4 comes back at the end of the check.
    Ctrl-C stops at any time; every grade already given is saved.

    New cards stop at the daily cap (`new_per_day`, default: the pace that finishes your plan on
    time) across all of the day's checks. When reviews are still due after the check, a terminal
    session offers to go straight on with `study review`.

    When stdin is not a terminal, answers are read as lines: for a question card, one line with
    your typed answer (may be empty) and one with the grade; for multiple choice, one line with
    the letter.
    """
    if as_json and not preview:
        raise StudyError("--json goes with --preview", "use `study check --preview --json`")
    # Imported here, not at the top: `study --help` lists every command without loading any.
    from ..daily import minutes
    from ..usecases.check import follow_up_review, plan_check, start_plan_on_first_check
    from .studying import nothing_to_do, offer_review, print_preview, run_session, today_line

    ctx = shell.context(write=not preview)
    sitting = plan_check(ctx, size, new_ratio, topic or [], area or [])
    if preview:
        print_preview(shell, sitting.items, sitting.day, as_json, "Knowledge check", sitting.empty)
        return
    from rich.text import Text  # on first use: a JSON preview writes without rich

    started = start_plan_on_first_check(ctx, sitting.day)
    if started is not None:
        shell.out.print(
            Text.assemble(
                Text("First run: plan ", style="muted"),
                untrusted(repr(started)),
                Text(
                    " starts today; `study plan` shows it, `study plan --list` offers others.", style="muted"
                ),
            ),
            soft_wrap=True,
        )
    for note in sitting.notes:
        shell.out.print(Text(note, style="muted"))
    if not sitting.items:
        nothing_to_do(shell, sitting.day, sitting.empty)
        return
    shell.out.print(today_line(sitting.day, sitting.new, sitting.reviews))
    day = sitting.day
    still_due = run_session(shell, day, sitting.items, SessionKind.CHECK, "Knowledge check")
    if still_due and offer_review(shell, still_due, minutes(day.workload().minutes_for(still_due))):
        follow = follow_up_review(ctx)
        if follow.items:
            run_session(shell, follow.day, follow.items, SessionKind.REVIEW, "Review")
