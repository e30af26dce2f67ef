"""`study review`: due reviews only, most at risk first, never a new card (parse, call, render)."""

from typing import Annotated

import typer

from .. import config
from ..errors import StudyError
from ..vocab import SessionKind
from . import complete
from .app import Shell, app, guarded


@app.command()
@guarded
def review(
    shell: Shell,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=1,
            max=config.MAX_PER_DAY,
            help="Ask at most N reviews (default: every due review up to today's review_limit).",
            show_default=False,
        ),
    ] = None,
    topic: Annotated[list[str] | None, complete.topic_option()] = None,
    area: Annotated[list[str] | None, complete.area_option()] = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="Show what would be asked; ask nothing.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --preview: print JSON (the same items as `check`).")
    ] = False,
) -> None:
    """Due reviews only: what the knowledge check's 30% review share could not hold.

    Spaced repetition works only if due cards are reviewed when they fall due. The knowledge check
    keeps its 70/30 mix; `study review` does the rest. Cards come most overdue *relative to their
    interval* first (the ones you are most likely to have forgotten), so stopping early loses the
    least. Grading, keys and repeats work as in `study check`; every grade is saved as it is given.

    Reviews a day stop at the `review_limit` setting (default 200), counting the check's reviews.
    """
    if as_json and not preview:
        raise StudyError("--json goes with --preview", "use `study review --preview --json`")
    from ..usecases.check import plan_review  # not at the top: `--help` loads no use case
    from .studying import nothing_to_do, print_preview, run_session, today_line

    ctx = shell.context(write=not preview)
    sitting = plan_review(ctx, limit, topic or [], area or [])
    if preview:
        print_preview(shell, sitting.items, sitting.day, as_json, "Review", sitting.empty)
        return
    if not sitting.items:
        nothing_to_do(shell, sitting.day, sitting.empty)
        return
    shell.out.print(today_line(sitting.day, 0, len(sitting.items), reviews_only=True))
    run_session(shell, sitting.day, sitting.items, SessionKind.REVIEW, "Review")
