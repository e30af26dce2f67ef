"""A mock round on screen: one question after another against the clock, then the round's figures."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..mock import RoundSummary
from ..model import Card, Deck, Item
from ..session import CheckRun
from .check_view import Outcome, Undo, ask, say_stopped
from .console import untrusted
from .prompt import Clock, Prompter

MockRecorder = Callable[[Item, int, "float | None", bool], None]


def run_round(
    console: Console,
    prompter: Prompter,
    items: Sequence[Item],
    decks: Mapping[str, Deck],
    record: MockRecorder,
    seconds_per_question: float,
    now: Callable[[], float] = time.monotonic,
) -> Outcome:
    """Ask each question once against its clock; every answer is recorded as it is given."""
    run = CheckRun(items)
    round_ends = now() + seconds_per_question * len(items)
    try:
        for item in items:
            if now() >= round_ends:
                console.print(Text("⏱ The round's time is up.", style="warn bold"))
                return Outcome("completed")
            started = now()
            prompter.clock = Clock(min(started + seconds_per_question, round_ends), round_ends, now)
            try:
                answer = ask(console, prompter, run, item, decks.get(item.card.deck_id), len(items))
            finally:
                prompter.clock = None
            if answer is None:
                return Outcome("quit")
            assert not isinstance(answer, Undo)  # no undo in a mock: nothing is scheduled
            seconds = round(now() - started, 1) if prompter.timed else None
            record(item, answer.quality, seconds, answer.timed_out)
            answer.acknowledge()
            run.grade(answer.quality)
            run.drop(item.card.id)  # a mock asks each question once: no repeats
    except KeyboardInterrupt:
        console.print()
        return Outcome("interrupted")
    except EOFError:
        console.print()
        return Outcome("eof")
    return Outcome("completed")


def render_round(
    console: Console, summary: RoundSummary, planned: int, outcome: Outcome, cards: Mapping[str, Card]
) -> None:
    say_stopped(console, outcome, f"{summary.asked} of {planned} questions answered; every answer is saved")
    if summary.asked == 0:
        return
    table = Table.grid(padding=(0, 2))
    table.add_column(style="muted")
    table.add_column()
    score = "—" if summary.score is None else f"{summary.score * 100:.0f}%"
    table.add_row(
        "Score",
        Text(f"{score} recalled  ({summary.asked} question(s); the schedule is unchanged)", style="heading"),
    )
    if summary.mean_seconds is not None:
        table.add_row("Time", f"{summary.mean_seconds:.0f} s a question on average")
    if summary.timed_out:
        table.add_row("Time-outs", str(summary.timed_out))
    if summary.slowest:
        slow = Text()
        for n, (card_id, seconds) in enumerate(summary.slowest):
            if n:
                slow.append("\n")
            slow.append(f"{seconds:.0f} s  ", style="muted")
            slow.append_text(untrusted(cards[card_id].question if card_id in cards else card_id))
        table.add_row("Slowest", slow)
    if summary.missed:
        missed = Text()
        for n, card_id in enumerate(summary.missed):
            if n:
                missed.append("\n")
            missed.append_text(untrusted(cards[card_id].question if card_id in cards else card_id))
        table.add_row("Missed", missed)
    if summary.study_next:
        nxt = Text()
        for n, deck in enumerate(summary.study_next[:3]):
            if n:
                nxt.append("\n")
            nxt.append("study check --topic ", style="muted")
            nxt.append_text(untrusted(deck))
        table.add_row("Study next", nxt)
    console.print(Panel(table, title="Mock round", title_align="left", border_style="accent", expand=False))
