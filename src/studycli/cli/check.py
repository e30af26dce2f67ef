"""`study check`: today's knowledge check."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from .. import config
from ..errors import StudyError
from ..model import CardState, Deck, Item
from ..plans import ActivePlan, resolve_plan
from ..session import CheckRequest, CheckRun, build_check, plan_topic_order, state_after, summarise
from ..stats import due_outlook
from ..store import Store
from ..textsafe import write_json
from ..ui.console import untrusted
from .app import Shell, app, guarded
from .scope import check_topics


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
            help="How many items to ask (default: the check_size setting, else 10).",
            show_default=False,
        ),
    ] = None,
    new_ratio: Annotated[
        float,
        typer.Option("--new-ratio", min=0.0, max=1.0, help="Share of new cards; the rest are due reviews."),
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

    When stdin is not a terminal, answers are read as lines: for a question card, one line with
    your typed answer (may be empty) and one with the grade; for multiple choice, one line with
    the letter.
    """
    if as_json and not preview:
        raise StudyError("--json goes with --preview", "use `study check --preview --json`")
    today = config.today()
    store = shell.store
    settings = store.settings()
    collection = shell.collection(settings)
    shell.warn_content(collection)
    active = resolve_plan(settings, collection, today)
    topics = list(dict.fromkeys(topic or []))
    check_topics(topics, collection)

    decks = {deck.id: deck for deck in collection.decks}
    # Plan position first; gap ratings then put dunno topics before unsure, unrated and know.
    order, _ = plan_topic_order(active.plan, active.start, today, collection.decks, store.gap_ratings())
    states = store.states()
    size = size if size is not None else config.check_size(settings)
    items = build_check(CheckRequest(today, size, new_ratio, tuple(topics)), decks, states, order)

    if preview:
        _print_preview(shell, items, active, today, as_json)
        return

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
    card_ids = {card.id for deck in collection.decks for card in deck.cards}
    if not items:
        outlook = due_outlook(states, today, card_ids)
        nxt = f" The next review is due on {outlook.next_date.isoformat()}." if outlook.next_date else ""
        if active.plan is not None and today < active.start:
            nxt += f" Your plan starts on {active.start.isoformat()} (change it with `study plan --start`)."
        shell.out.print(
            Text(
                "Nothing to study right now: no reviews are due and today's plan topics have no new cards."
                + nxt,
                style="good",
            )
        )
        return
    _run_check(shell, store, items, decks, states, today, active.plan.id if active.plan else None, card_ids)


def _print_preview(shell: Shell, items: list[Item], active: ActivePlan, today: date, as_json: bool) -> None:
    if as_json:
        payload = {
            "date": today.isoformat(),
            "plan": active.plan.id if active.plan else None,
            "items": [
                {"card_id": i.card.id, "deck": i.card.deck_id, "source": i.source, "kind": i.card.kind.value}
                for i in items
            ],
        }
        write_json(shell.out.file, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"Knowledge check for {today.isoformat()}", title_justify="left")
    table.add_column("#", justify="right", style="muted")
    table.add_column("kind")
    table.add_column("deck", style="accent")
    table.add_column("question", overflow="fold")
    for n, item in enumerate(items, 1):
        table.add_row(str(n), item.source, untrusted(item.card.deck_id), untrusted(item.card.question))
    shell.out.print(table)


def _run_check(
    shell: Shell,
    store: Store,
    items: list[Item],
    decks: dict[str, Deck],
    states: dict[str, CardState],
    today: date,
    plan_id: str | None,
    card_ids: set[str],
) -> None:
    from ..ui.check_view import render_summary, run_check
    from ..ui.prompt import KeyPrompter, LinePrompter

    session_id = store.start_session("check", today, planned=len(items), plan_id=plan_id)

    def record(item: Item, quality: int, seconds: float) -> None:
        card = item.card
        before = states.get(card.id)
        after = state_after(item, before, quality, today)
        store.record_review(
            session_id=session_id,
            day=today,
            card_id=card.id,
            deck_id=card.deck_id,
            source=item.source,
            quality=quality,
            seconds=seconds,
            repeat=item.repeat,
            before=before,
            after=after,
        )
        states[card.id] = after

    interactive = sys.stdin is not None and sys.stdin.isatty()
    prompter = KeyPrompter(shell.out) if interactive else LinePrompter(shell.out, shell.err)
    run = CheckRun(items)
    status = "interrupted"  # what the session row says if anything below blows up
    try:
        outcome = run_check(shell.out, prompter, run, decks, record)
        status = "completed" if outcome.status == "completed" else "interrupted"
    finally:
        store.end_session(session_id, status)
    summary = summarise(run.graded, len(items))
    render_summary(shell.out, summary, outcome, due_outlook(states, today, card_ids))
    if outcome.status == "interrupted":
        raise typer.Exit(130)
