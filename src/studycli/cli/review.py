"""`study review`: due reviews only, most at risk first, never a new card."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import config
from ..errors import StudyError
from ..session import build_review
from ..usecases.day import load_day
from ..vocab import SessionKind
from .app import Shell, app, guarded
from .scope import check_topics, resolve_areas
from .studying import nothing_to_do, print_preview, run_session, today_line


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
    topic: Annotated[
        list[str] | None,
        typer.Option("--topic", "-t", metavar="DECK_ID", help="Only this topic (deck id). Repeatable."),
    ] = None,
    area: Annotated[
        list[str] | None,
        typer.Option("--area", "-a", help="Only this area (case and a unique prefix are fine). Repeatable."),
    ] = None,
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
    today = config.today()
    store = shell.reader if preview else shell.store
    settings = store.settings()
    collection = shell.collection(settings)
    shell.warn_content(collection)
    topics = list(dict.fromkeys(topic or []))
    check_topics(topics, collection)
    areas = resolve_areas(area, collection) if area else []
    scope: set[str] | None = None
    if topics or areas:
        scope = set(topics) | {d.id for d in collection.decks if d.area in areas}
    day = load_day(store, collection, settings, today)
    cap = day.limits.reviews_left if limit is None else min(limit, day.limits.reviews_left)
    items = build_review(today, day.decks, day.states, cap, scope)
    if preview:
        print_preview(shell, items, day, as_json, "Review")
        return
    if not items:
        if day.limits.reviews_left == 0:
            nothing_to_do(
                shell,
                day,
                f"today's review_limit of {day.limits.review_limit} is reached "
                "(`study config set review_limit N` raises it)",
            )
        else:
            nothing_to_do(shell, day, "no reviews are due" + (" in that scope" if scope else ""))
        return
    shell.out.print(today_line(day, 0, len(items), reviews_only=True))
    run_session(shell, day, items, SessionKind.REVIEW, "Review")
