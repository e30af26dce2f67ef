"""Shared by `study check` and `study review`: the intro line, the preview, running the queue, and
the offer to go on reviewing. Decisions (what to ask, how a grade moves a card) live in the core."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from .. import daily, plans
from ..errors import StudyError
from ..model import Item
from ..session import CheckRun, summarise
from ..ui.console import print_json, untrusted
from ..usecases.context import Context
from ..usecases.day import Day
from ..vocab import SessionStatus, Source
from .app import Shell

if TYPE_CHECKING:
    from rich.text import Text


def stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def interview_text(day: Day) -> Text | None:
    from rich.text import Text

    left = day.limits.days_to_interview
    if left is None or left < 0:
        return None
    assert day.limits.interview is not None
    when = "today" if left == 0 else ("tomorrow" if left == 1 else f"in {left} days")
    return Text(f"Interview {when} ({day.limits.interview.isoformat()})", style="accent")


def _preview_item(item: Item) -> dict[str, object]:
    """An item of `--preview --json`; a choice card also lists its options in display order."""
    out: dict[str, object] = {
        "card_id": item.card.id,
        "deck": item.card.deck_id,
        "source": item.source,
        "kind": item.card.kind.value,
    }
    if item.shown.options:
        out["options"] = [o.text for o in item.shown.options]
    return out


def print_preview(shell: Shell, items: list[Item], day: Day, as_json: bool, title: str, empty: str) -> None:
    """What a sitting would ask, without asking: JSON for scripts (an empty list when nothing is
    due), else a table, or, when there is nothing to ask, why and when the next review falls due
    (the line the sitting itself would print, not an empty table)."""
    if as_json:
        payload = {
            "date": day.today.isoformat(),
            "plan": day.active.plan.id if day.active.plan else None,
            "items": [_preview_item(i) for i in items],
        }
        print_json(payload)
        return
    if not items:
        nothing_to_do(shell, day, empty)
        return
    from rich.table import Table

    table = Table(title=f"{title} for {day.today.isoformat()}", title_justify="left")
    table.add_column("#", justify="right", style="muted")
    table.add_column("kind")
    table.add_column("deck", style="accent")
    table.add_column("question", overflow="fold")
    for n, item in enumerate(items, 1):
        table.add_row(str(n), item.source, untrusted(item.card.deck_id), untrusted(item.card.question))
    shell.out.print(table)


def run_session(shell: Shell, day: Day, items: list[Item], kind: str, title: str) -> int:
    """Ask `items`, committing every grade as it is given; print the summary. Returns the reviews
    still due afterwards. Exits 130 after Ctrl-C (every grade is already saved)."""
    from ..ui.check_view import render_summary, run_check
    from ..ui.prompt import KeyPrompter, LinePrompter

    store = shell.store
    plan_id = day.active.plan.id if day.active.plan else None
    session_id = store.start_session(kind, day.today, planned=len(items), plan_id=plan_id)
    states = dict(day.states)
    interactive = stdin_is_terminal()
    from ..usecases.cards import leech_threshold  # a sitting, not a preview, needs these
    from ..usecases.grading import Recorder

    threshold = leech_threshold(day.settings)
    record = Recorder(
        store,
        session_id,
        day.today,
        states,
        day.limits.interview,
        timed=interactive,
        leech_threshold=threshold,
    )
    prompter = KeyPrompter(shell.out) if interactive else LinePrompter(shell.out, shell.err)
    run = CheckRun(items, day.today)

    def after_grade(item: Item, current: CheckRun) -> None:
        if record.new_leech:
            handle_leech(shell, day, item, current, threshold, interactive)

    status = SessionStatus.INTERRUPTED  # what the session row says if anything below blows up
    try:
        outcome = run_check(shell.out, prompter, run, day.decks, record, record.undo, after_grade)
        status = SessionStatus.COMPLETED if outcome.status == "completed" else SessionStatus.INTERRUPTED
    finally:
        store.end_session(session_id, status)
    card_ids = day.card_ids
    from ..stats import due_outlook

    outlook = due_outlook(states, day.today, card_ids)
    done_reviews = sum(1 for g in run.graded if not g.repeat and g.source == Source.REVIEW)
    reviews_left = max(0, day.limits.reviews_left - done_reviews)
    still_due = min(outlook.due_now, reviews_left)
    render_summary(
        shell.out,
        summarise(run.graded, len(items)),
        outcome,
        outlook,
        title=title,
        still_due=still_due,
        minutes=daily.minutes(day.workload().minutes_for(still_due)),
    )
    if outcome.status == "interrupted":
        raise typer.Exit(130)
    return still_due if outcome.status == "completed" else 0


def handle_leech(
    shell: Shell, day: Day, item: Item, run: CheckRun, threshold: int, interactive: bool
) -> None:
    """A card just reached the leech threshold: say so now, and on a terminal offer to edit it,
    suspend it, or go on. Scripts are told the commands instead (they cannot answer a question
    they were not written for)."""
    from rich.text import Text

    card = item.card
    shell.out.print(
        Text.assemble(
            Text("⚑ leech: ", style="warn bold"),
            Text(f"forgotten {threshold} times after being learnt. ", style="warn"),
            Text("Rewriting or splitting it usually beats a fifth lapse.", style="muted"),
        ),
        soft_wrap=True,
    )
    if not interactive:
        shell.out.print(
            Text.assemble(
                Text("`study edit ", style="muted"),
                untrusted(card.id),
                Text("` fixes it; `study suspend ", style="muted"),
                untrusted(card.id),
                Text("` sets it aside.", style="muted"),
            ),
            soft_wrap=True,
        )
        return
    from ..ui.prompt import KeyPrompter

    prompt = Text.assemble(
        Text("[e]", style="key"),
        Text("dit it now · ", style="muted"),
        Text("[s]", style="key"),
        Text("uspend it · ", style="muted"),
        Text("[g]", style="key"),
        Text("o on > ", style="muted"),
    )
    try:
        choice = KeyPrompter(shell.out).choose(prompt, ["e", "s", "g"])
    except (EOFError, KeyboardInterrupt):
        shell.out.print()
        return
    if choice == "s":
        context = Context(shell.store, day.collection, day.settings, day.today)
        from ..usecases.cards import suspend as suspend_cards

        suspend_cards(context, [card.id])
        dropped = run.drop(card.id)
        shell.out.print(
            Text(
                "Suspended: never asked until `study unsuspend`"
                + (" (its repeat in this session is dropped)." if dropped else "."),
                style="good",
            )
        )
    elif choice == "e":
        from .cards import open_in_editor

        try:
            open_in_editor(shell, Context(shell.store, day.collection, day.settings, day.today), card.id)
        except StudyError as exc:
            shell.out.print(Text(f"Could not edit: {exc.message}", style="bad"), soft_wrap=True)
        else:
            shell.out.print(Text("Saved; the edit shows from the next session on.", style="muted"))


def nothing_to_do(shell: Shell, day: Day, what: str) -> None:
    from rich.text import Text

    from ..stats import due_outlook

    outlook = due_outlook(day.states, day.today, day.card_ids)
    nxt = f" The next review is due on {outlook.next_date.isoformat()}." if outlook.next_date else ""
    if day.active.plan is not None and day.today < day.active.start:
        nxt += f" Your plan starts on {day.active.start.isoformat()} (change it with `study plan --start`)."
    shell.out.print(Text(f"Nothing to study right now: {what}.{nxt}", style="good"), soft_wrap=False)


def today_line(day: Day, new: int, reviews: int, reviews_only: bool = False) -> Text:
    """What this sitting asks and what today holds beyond it, stated before the first question."""
    from rich.text import Text

    lim = day.limits
    text = Text("Today: ", style="heading")
    if not reviews_only:
        text.append(f"{new} new", style="accent")
        cap = f" (cap {lim.new_per_day}/day"
        cap += f", {lim.new_today} done)" if lim.new_today else ")"
        text.append(cap, style="muted")
        text.append(" · ")
    text.append(f"{reviews} review{'s' if reviews != 1 else ''}", style="accent")
    due = min(daily.due_in_days(day.live_states().values(), day.today, 1), lim.reviews_left)
    after = max(0, due - reviews)
    if after:
        text.append(f" · {after} more due after this", style="muted")
    work = day.workload()
    text.append(f" · {daily.minutes(work.minutes_for(new + reviews + after))} in all", style="muted")
    interview = interview_text(day)
    if interview is not None:
        text.append(" · ")
        text.append_text(interview)
    also = also_today(day)
    if also is not None:
        text.append("\n")
        text.append_text(also)
    return text


def also_today(day: Day) -> Text | None:
    """Today's checkpoint and activities from the plan, on one line, or None when it has none."""
    from rich.text import Text

    plan = day.active.plan
    if plan is None:
        return None
    pos = plans.position(plan, day.active.start, day.today)
    parts = [plans.describe_checkpoint(plan, pos.week_number, cp) for cp in pos.today_checkpoints]
    parts += [plans.describe_activity(a) for a in pos.today_activities]
    if not parts:
        return None
    return Text.assemble(Text("Also today: ", style="heading"), untrusted(" · ".join(parts)))


def offer_review(shell: Shell, still_due: int, minutes: str) -> bool:
    """On a terminal, ask whether to go straight on with the due reviews. Scripted runs never do."""
    from rich.text import Text

    if still_due <= 0:
        return False
    if not stdin_is_terminal():
        shell.out.print(
            Text(f"{still_due} more review(s) due ({minutes}): run `study review`.", style="muted")
        )
        return False
    from ..ui.prompt import KeyPrompter

    prompt = Text.assemble(
        Text(f"{still_due} more review{'s' if still_due != 1 else ''} due, {minutes}. ", style="heading"),
        Text("Review now? ", style="heading"),
        Text("[Y/n] ", style="muted"),
    )
    try:
        return KeyPrompter(shell.out).confirm(prompt)
    except (EOFError, KeyboardInterrupt):
        shell.out.print()
        return False
