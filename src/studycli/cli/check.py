"""`study check`: today's knowledge check."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from .. import config
from ..daily import minutes
from ..errors import StudyError
from ..session import CheckRequest, build_check, build_review
from ..ui.console import untrusted
from ..usecases.day import load_day
from ..vocab import SessionKind, Source
from .app import Shell, app, guarded
from .scope import check_topics
from .studying import cap_notes, nothing_to_do, offer_review, print_preview, run_session, today_line


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
        typer.Option(
            "--topic",
            "-t",
            metavar="DECK_ID",
            help="Only this topic (deck id, e.g. deep-learning/attention), even if the plan has not reached it yet. Repeatable.",
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
    today = config.today()
    store = shell.reader if preview else shell.store
    settings = store.settings()
    collection = shell.collection(settings)
    shell.warn_content(collection)
    topics = list(dict.fromkeys(topic or []))
    check_topics(topics, collection)
    day = load_day(store, collection, settings, today)

    request = CheckRequest(
        today,
        size if size is not None else day.limits.check_size,
        new_ratio,
        tuple(topics),
        new_left=day.limits.new_left,
        reviews_left=day.limits.reviews_left,
    )
    items = build_check(request, day.decks, day.states, day.order)

    if preview:
        print_preview(shell, items, day, as_json, "Knowledge check")
        return

    active = day.active
    if active.first_run and active.plan is not None:
        store.set_settings(
            {config.SETTING_PLAN: active.plan.id, config.SETTING_PLAN_START: today.isoformat()}
        )
        shell.out.print(
            Text.assemble(
                Text("First run: plan ", style="muted"),
                untrusted(repr(active.plan.id)),
                Text(
                    " starts today; `study plan` shows it, `study plan --list` offers others.", style="muted"
                ),
            ),
            soft_wrap=True,
        )
    new = sum(1 for i in items if i.source == Source.NEW)
    for note in cap_notes(day, new_ratio, new, day.new_available()):
        shell.out.print(note)
    if not items:
        nothing_to_do(
            shell,
            day,
            "no reviews are due and today's plan topics have no new cards"
            if day.limits.new_left or new_ratio == 0
            else "no reviews are due and today's new cards are done",
        )
        return
    shell.out.print(today_line(day, new, len(items) - new))
    still_due = run_session(shell, day, items, SessionKind.CHECK, "Knowledge check")
    if still_due and offer_review(shell, still_due, minutes(day.workload().minutes_for(still_due))):
        day = load_day(store, collection, store.settings(), today)
        reviews = build_review(today, day.decks, day.states, day.limits.reviews_left)
        if reviews:
            run_session(shell, day, reviews, SessionKind.REVIEW, "Review")
