"""`study gaps`: the know / unsure / dunno self-assessment over every subtopic."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

import typer
from rich.text import Text

from .. import config, gaps, plans
from ..errors import StudyError
from ..plans import resolve_plan
from ..vocab import SessionKind, SessionStatus
from .app import Shell, app, guarded
from .scope import check_topics, resolve_areas


def _parse_only(only: str | None) -> tuple[str, ...]:
    if not only:
        return ()
    values = tuple(dict.fromkeys(v.strip().lower() for v in only.split(",") if v.strip()))
    bad = [v for v in values if v not in gaps.RATINGS]
    if bad or not values:
        raise StudyError(
            f"--only takes ratings from know, unsure, dunno; got {only!r}", "e.g. --only unsure,dunno"
        )
    return values


@app.command("gaps")
@guarded
def gaps_command(
    shell: Shell,
    area: Annotated[
        list[str] | None,
        typer.Option(
            "--area",
            "-a",
            help="Only this area (e.g. 'Deep Learning'; case and a unique prefix are fine). Repeatable.",
        ),
    ] = None,
    topic: Annotated[
        list[str] | None,
        typer.Option("--topic", "-t", metavar="DECK_ID", help="Only this topic's subtopics. Repeatable."),
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
    if only and include_rated:
        raise StudyError("--only and --all pick different subtopics; use one of them")
    wanted_ratings = _parse_only(only)
    today = config.today()
    store = shell.store
    settings = store.settings()
    collection = shell.collection(settings)
    shell.warn_content(collection)
    areas = resolve_areas(list(area or []), collection)
    topics = list(dict.fromkeys(topic or []))
    check_topics(topics, collection)

    active = resolve_plan(settings, collection, today)
    plan_topics = active.plan.topics if active.plan else ()
    reached: tuple[str, ...] = ()
    if active.plan is not None and not active.first_run:
        reached = plans.position(active.plan, active.start, today).reached_topics
    items = gaps.inventory(collection.decks, plan_topics)
    if not items:
        raise StudyError("no deck has subtopics to assess", "add `subtopics:` to your decks' frontmatter")

    ratings = store.gap_ratings()
    current = gaps.latest(ratings)
    scope = gaps.select(  # everything in scope, rated or not: the summary covers all of it
        items,
        current,
        areas=areas,
        topics=topics,
        reached=reached if plan_to_date else None,
        include_rated=True,
    )
    if plan_to_date and not reached:
        raise StudyError(
            "your plan has not reached any topic yet",
            "run `study check` to start the plan, or leave out --plan-to-date",
        )

    interrupted = False
    if not summary:
        chosen = gaps.select(scope, current, only=wanted_ratings, include_rated=include_rated)
        if not chosen:
            if wanted_ratings:
                message = f"No subtopic in scope is currently rated {' or '.join(wanted_ratings)}."
            else:
                message = (
                    "Every subtopic in scope is already rated. `--all` reassesses them all, "
                    "`--only unsure,dunno` just the weak ones."
                )
            shell.out.print(Text(message, style="good"), soft_wrap=True)
        else:
            interrupted = _walk(shell, chosen, current, today)
            ratings = store.gap_ratings()
            current = gaps.latest(ratings)

    from ..ui.gaps_view import render_summary

    rows = gaps.changes(scope, ratings)
    todo = gaps.priorities(scope, current, reached)
    render_summary(shell.out, rows, todo, len(gaps.assessments(ratings)))
    if interrupted:
        raise typer.Exit(130)


def _walk(shell: Shell, chosen: list[gaps.Subtopic], current: dict[gaps.Key, str], today: date) -> bool:
    """Run the assessment; True if it was stopped with Ctrl-C (every answer so far is saved)."""
    from ..ui.gaps_view import run_walk
    from ..ui.prompt import KeyPrompter, LinePrompter

    store = shell.store
    session_id = store.start_session(SessionKind.GAPS, today, planned=len(chosen))

    def record(item: gaps.Subtopic, rating: str) -> None:
        store.record_gap_rating(
            session_id=session_id, day=today, deck_id=item.deck_id, subtopic=item.text, rating=rating
        )

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
    status = SessionStatus.INTERRUPTED
    try:
        outcome = run_walk(shell.out, prompter, walk, current, record)
        status = SessionStatus.COMPLETED if walk.done else SessionStatus.INTERRUPTED
    finally:
        store.end_session(session_id, status)
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
