"""The knowledge check on screen: ask, reveal, grade, and the end-of-check summary."""

from __future__ import annotations

import string
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rich.console import Console
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..errors import GradeConflict
from ..model import CardKind, Deck, Item
from ..rules import MCQ_CORRECT, MCQ_WRONG, REPEAT_BELOW
from ..session import CheckRun, CheckSummary
from ..stats import DueOutlook
from .console import untrusted, untrusted_markdown
from .prompt import Prompter

GRADE_LEGEND = (
    ("0", "blank"),
    ("1", "wrong"),
    ("2", "nearly"),
    ("3", "hard"),
    ("4", "good"),
    ("5", "easy"),
)
QUIT = "q"

Recorder = Callable[[Item, int, float], None]


@dataclass(frozen=True)
class Answer:
    quality: int
    acknowledge: Callable[[], None]  # draws the grade; called only after it is committed


@dataclass
class Outcome:
    status: str  # completed | interrupted | eof | quit


def progress_bar(done: int, total: int, width: int) -> tuple[int, int]:
    """(done, to-do) characters of a progress bar at most `width` wide: one per item while they
    fit, scaled beyond that, so a long session leaves room for the topic on a narrow terminal."""
    if total <= width:
        return done, total - done
    filled = round(done * width / total) if total else 0
    return filled, width - filled


def _header(run: CheckRun, item: Item, deck: Deck | None, total: int, width: int = 80) -> Rule:
    """A rule naming position, kind and topic, with a small bar of how far the check has got."""
    done = run.first_attempts_done
    filled, todo = progress_bar(done, total, max(5, min(20, width // 6)))
    if item.repeat:
        counter = Text(f"again ({run.pending_repeats} left)", style="warn")
    else:
        counter = Text(f"{done + 1}/{total}", style="accent")
    label = Text.assemble(
        counter,
        " ",
        # thick for done, dotted for to-do: readable without colour (NO_COLOR) too
        Text("━" * filled, style="accent"),
        Text("┄" * todo, style="muted"),
        Text(" · ", style="muted"),
        Text("repeat" if item.repeat else item.source, style="muted"),
        Text(" · ", style="muted"),
        untrusted(f"{deck.area} › {deck.title}" if deck else item.card.deck_id),
    )
    return Rule(label, align="left", style="muted")


def _grade_legend() -> Text:
    text = Text("Grade ", style="heading")
    for i, (key, meaning) in enumerate(GRADE_LEGEND):
        if i:
            text.append(" · ", style="muted")
        text.append(key, style="key")
        text.append(f" {meaning}", style="muted")
    text.append("   q", style="key")
    text.append(" stop", style="muted")
    text.append("\n> ")
    return text


def ask(
    console: Console,
    prompter: Prompter,
    run: CheckRun,
    item: Item,
    deck: Deck | None,
    total: int,
) -> Answer | None:
    """Ask one item; returns its grade, or None if the user chose to stop.

    Nothing that acknowledges the grade (the key's echo, the multiple-choice verdict) is drawn
    here: the caller draws it with `Answer.acknowledge` once the grade is committed, so what the
    screen says was graded is always on disk, even if the process dies the next instant.
    """
    card = item.card
    console.print()
    console.print(_header(run, item, deck, total, console.width))
    # Question and options are Markdown in the deck (inline code is common), so render them as
    # Markdown: never as rich markup, and control sequences were stripped at load.
    question = Table.grid(padding=(0, 1))
    question.add_column(no_wrap=True)
    question.add_column()
    question.add_row(Text("Q", style="accent bold"), untrusted_markdown(card.question))
    console.print(question)
    if card.stem:
        console.print(untrusted_markdown(card.stem))

    if card.kind is CardKind.MCQ:
        letters = string.ascii_lowercase[: len(card.options)]
        options = Table.grid(padding=(0, 1))  # a grid, so long options wrap with a hanging indent
        options.add_column(no_wrap=True)
        options.add_column()
        for letter, option in zip(letters, card.options, strict=False):
            options.add_row(Text(f"  {letter})", style="key"), untrusted_markdown(option.text))
        console.print(options)
        choice = prompter.choose(
            Text(f"Choose {letters[0]}-{letters[-1]} (q stop) > ", style="heading"),
            [*letters, QUIT],
            echo=False,
        )
        if choice == QUIT:
            console.print(choice)
            return None
        picked = letters.index(choice)
        right = card.correct_index

        def verdict() -> None:
            console.print(choice)
            if picked == right:
                console.print(Text("✓ correct", style="good bold"))
            else:
                console.print(
                    Text.assemble(
                        Text("✗ not quite", style="bad bold"),
                        Text(" — the answer is ", style="muted"),
                        Text(f"{letters[right]}) ", style="key"),
                        untrusted(card.options[right].text),
                    )
                )
            if card.explanation:
                console.print(
                    Panel(
                        untrusted_markdown(card.explanation),
                        title="Why",
                        title_align="left",
                        border_style="muted",
                    )
                )
            prompter.pause(Text("Any key to continue ", style="muted"))

        return Answer(MCQ_CORRECT if picked == right else MCQ_WRONG, verdict)

    prompter.line(Text("Your answer (optional, Enter to reveal) > ", style="muted"))
    console.print(
        Panel(untrusted_markdown(card.answer), title="Answer", title_align="left", border_style="accent")
    )
    choice = prompter.choose(_grade_legend(), [key for key, _ in GRADE_LEGEND] + [QUIT], echo=False)
    if choice == QUIT:
        console.print(choice)
        return None
    return Answer(int(choice), lambda: console.print(choice))


def run_check(
    console: Console,
    prompter: Prompter,
    run: CheckRun,
    decks: Mapping[str, Deck],
    record: Recorder,
) -> Outcome:
    """Drive the queue to the end. Every grade is handed to `record` (which commits) at once."""
    total = len(run.items)
    try:
        while not run.done:
            item = run.current
            assert item is not None
            started = time.monotonic()
            answer = ask(console, prompter, run, item, decks.get(item.card.deck_id), total)
            if answer is None:
                return Outcome("quit")
            quality = answer.quality
            try:
                record(item, quality, round(time.monotonic() - started, 1))  # commits, then:
            except GradeConflict as exc:  # another terminal graded this card first
                console.print(Text(f"⇄ {exc.message}; moving on", style="warn"))
                run.skip()  # nothing was recorded: the item leaves the queue ungraded
                continue
            answer.acknowledge()
            run.grade(quality)
            if quality < REPEAT_BELOW and not item.repeat:
                console.print(Text("↻ this one comes back at the end of the check", style="muted"))
    except KeyboardInterrupt:
        console.print()
        return Outcome("interrupted")
    except EOFError:
        console.print()
        return Outcome("eof")
    return Outcome("completed")


def _items(n: int) -> str:
    return f"{n} item" if n == 1 else f"{n} items"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def render_summary(
    console: Console,
    summary: CheckSummary,
    outcome: Outcome,
    outlook: DueOutlook,
    *,
    title: str = "Knowledge check",
    still_due: int | None = None,
    minutes: str = "",
) -> None:
    if outcome.status != "completed":
        reason = {"interrupted": "Stopped with Ctrl-C", "eof": "Input ended", "quit": "Stopped"}[
            outcome.status
        ]
        console.print(
            Text(
                f"{reason}: {summary.asked} of {summary.planned} items graded; every grade is saved.",
                style="warn",
            )
        )
    if summary.asked == 0:
        console.print(Text(f"Next: {describe_outlook(outlook, still_due, minutes)}", style="muted"))
        return
    table = Table.grid(padding=(0, 2))
    table.add_column(style="muted")
    table.add_column()
    table.add_row(
        "Score",
        Text(
            f"{_pct(summary.score)} recalled  ({_items(summary.asked)} graded 3 or more"
            + (f"; mean grade {summary.mean_grade:.1f}/5)" if summary.mean_grade is not None else ")"),
            style="heading",
        ),
    )
    table.add_row("New", f"{_pct(summary.new_score)}  ({_items(summary.new_count)})")
    table.add_row("Review", f"{_pct(summary.review_score)}  ({_items(summary.review_count)})")
    if summary.repeats:
        table.add_row("Repeats", f"{summary.repeats} (asked again until graded 4+; schedule unchanged)")
    table.add_row("Next", describe_outlook(outlook, still_due, minutes))
    console.print(Panel(table, title=title, title_align="left", border_style="accent", expand=False))


def describe_outlook(outlook: DueOutlook, still_due: int | None = None, minutes: str = "") -> str:
    """The schedule ahead in one line. `still_due` is what today's review cap still allows."""
    parts = []
    due = outlook.due_now if still_due is None else min(still_due, outlook.due_now)
    if due:
        parts.append(f"{due} still due today ({minutes + ', ' if minutes else ''}`study review`)")
    if outlook.due_now > due:
        parts.append(f"{outlook.due_now - due} more held back by today's review_limit")
    if outlook.tomorrow or outlook.within_week:
        parts.append(f"{outlook.tomorrow} due tomorrow, {outlook.within_week} within 7 days")
    elif outlook.next_date:
        parts.append(f"next review on {outlook.next_date.isoformat()}")
    return "; ".join(parts) or "nothing scheduled yet"
