"""The knowledge check on screen: ask, reveal, grade, and the end-of-check summary."""

from __future__ import annotations

import string
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from rich.console import Console
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .. import answers, rules
from ..errors import GradeConflict
from ..model import Card, CardKind, Deck, Item
from ..rules import MCQ_CORRECT, MCQ_WRONG, REPEAT_BELOW
from ..session import CheckRun, CheckSummary
from ..stats import DueOutlook
from .console import untrusted, untrusted_markdown
from .prompt import Prompter, TimeUp

GRADE_LEGEND = (
    ("0", "blank"),
    ("1", "wrong"),
    ("2", "nearly"),
    ("3", "hard"),
    ("4", "good"),
    ("5", "easy"),
)
QUIT = "q"
LETTERS = string.ascii_lowercase
T = TypeVar("T")

Recorder = Callable[[Item, int, float], None]


@dataclass(frozen=True)
class Answer:
    quality: int
    acknowledge: Callable[[], None]  # draws the grade; called only after it is committed
    timed_out: bool = False  # a mock round's question clock ran out before the answer came


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


def _grade_legend(can_undo: bool = False) -> Text:
    text = Text("Grade ", style="heading")
    for i, (key, meaning) in enumerate(GRADE_LEGEND):
        if i:
            text.append(" · ", style="muted")
        text.append(key, style="key")
        text.append(f" {meaning}", style="muted")
    text.append("   q", style="key")
    text.append(" stop", style="muted")
    if can_undo:
        text.append(" · ", style="muted")
        text.append("u", style="key")
        text.append(" undo", style="muted")
    text.append("\n> ")
    return text


class Undo:
    """What `ask` returns when the person asked to take back the previous grade (`u`)."""


UNDO = Undo()
UNDO_KEY = "u"


def ask(
    console: Console,
    prompter: Prompter,
    run: CheckRun,
    item: Item,
    deck: Deck | None,
    total: int,
    clock: Callable[[], float] = time.monotonic,
    can_undo: bool = False,
) -> Answer | Undo | None:
    """Ask one item; returns its grade, or None if the user chose to stop.

    Nothing that acknowledges the grade (the key's echo, the verdict of a card graded from what
    was typed) is drawn here: the caller draws it with `Answer.acknowledge` once the grade is
    committed, so what the screen says was graded is always on disk, even if the process dies the
    next instant. `clock` times a numeric answer against the card's time target.
    """
    card = item.shown  # a choice card's options in this showing's order
    console.print()
    console.print(_header(run, item, deck, total, console.width))
    print_question(console, card)
    started = clock()

    if card.kind is CardKind.MCQ:
        return _ask_mcq(console, prompter, card, can_undo)
    if card.kind is CardKind.MULTI:
        return _ask_multi(console, prompter, card, can_undo)
    if card.kind is CardKind.NUMERIC:
        return _ask_numeric(console, prompter, card, lambda: clock() - started, can_undo)

    hint = " · u undo the last grade" if can_undo else ""
    timed_out = False
    try:
        typed = prompter.line(Text(f"Your answer (optional, Enter to reveal{hint}) > ", style="muted"))
    except TimeUp:
        typed, timed_out = "", True
        console.print()
        console.print(Text("⏱ time is up: here is the answer", style="warn bold"))
    if can_undo and typed.strip().lower() == UNDO_KEY:
        return UNDO
    if card.answer:
        console.print(
            Panel(untrusted_markdown(card.answer), title="Answer", title_align="left", border_style="accent")
        )
    if card.kind is CardKind.RUBRIC:
        rubric = _ask_rubric(console, prompter, card)
        if rubric is not None and timed_out:
            return Answer(rubric.quality, rubric.acknowledge, timed_out=True)
        return rubric
    keys = [key for key, _ in GRADE_LEGEND] + [QUIT] + ([UNDO_KEY] if can_undo else [])
    choice = prompter.choose(_grade_legend(can_undo), keys, echo=False)
    if choice in (QUIT, UNDO_KEY):
        console.print(choice)
        return None if choice == QUIT else UNDO
    return Answer(int(choice), lambda: console.print(choice), timed_out)


def print_question(console: Console, card: Card) -> None:
    """The question and its stem, the same in a session and in `study show`.

    Question and options are Markdown in the deck (inline code is common), so they render as
    Markdown: never as rich markup, and control sequences were stripped at load.
    """
    question = Table.grid(padding=(0, 1))
    question.add_column(no_wrap=True)
    question.add_column()
    question.add_row(Text("Q", style="accent bold"), untrusted_markdown(card.question))
    console.print(question)
    if card.stem:
        console.print(untrusted_markdown(card.stem))


def _options(card: Card) -> Table:
    """The lettered options, in a grid so long options wrap with a hanging indent."""
    options = Table.grid(padding=(0, 1))
    options.add_column(no_wrap=True)
    options.add_column()
    for letter, option in zip(LETTERS, card.options, strict=False):
        options.add_row(Text(f"  {letter})", style="key"), untrusted_markdown(option.text))
    return options


def _explain(console: Console, prompter: Prompter, text: str, title: str) -> None:
    if text:
        console.print(Panel(untrusted_markdown(text), title=title, title_align="left", border_style="muted"))
    prompter.pause(Text("Any key to continue ", style="muted"))


def _read_answer(
    prompter: Prompter, prompt: Text, read: Callable[[str], T], can_undo: bool = False
) -> T | Undo | None:
    """Ask for a line until `read` accepts it (or `q` stops: None; `u` undoes: UNDO). A line
    `read` rejects is reported, never fatal: the learner just types again."""
    while True:
        text = prompter.line(prompt)
        if text.strip().lower() == QUIT:
            return None
        if can_undo and text.strip().lower() == UNDO_KEY:
            return UNDO
        try:
            return read(text)
        except answers.AnswerError as exc:
            prompter.invalid(Text(f"invalid answer {text.strip()[:40]!r}: {exc}; try again", style="bad"))


def _ask_mcq(
    console: Console, prompter: Prompter, card: Card, can_undo: bool = False
) -> Answer | Undo | None:
    letters = LETTERS[: len(card.options)]
    console.print(_options(card))
    undo = can_undo and UNDO_KEY not in letters
    try:
        choice = prompter.choose(
            Text(
                f"Choose {letters[0]}-{letters[-1]} (q stop{' · u undo' if undo else ''}) > ", style="heading"
            ),
            [*letters, QUIT, *([UNDO_KEY] if undo else [])],
            echo=False,
        )
    except TimeUp:
        return _time_up(console, prompter, card, MCQ_WRONG)
    if choice in (QUIT, UNDO_KEY):
        console.print(choice)
        return None if choice == QUIT else UNDO
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
        _explain(console, prompter, card.explanation, "Why")

    return Answer(MCQ_CORRECT if picked == right else MCQ_WRONG, verdict)


def _ask_multi(
    console: Console, prompter: Prompter, card: Card, can_undo: bool = False
) -> Answer | Undo | None:
    letters = LETTERS[: len(card.options)]
    console.print(_options(card))
    undo = can_undo and UNDO_KEY not in letters
    prompt = Text(
        f"Choose all that apply, e.g. ac ({letters[0]}-{letters[-1]}, q stop{' · u undo' if undo else ''}) > ",
        style="heading",
    )
    try:
        picked = _read_answer(prompter, prompt, lambda text: answers.parse_letters(text, len(letters)), undo)
    except TimeUp:
        return _time_up(console, prompter, card, rules.MULTI_WRONG)
    if picked is None or isinstance(picked, Undo):  # the line itself showed the q or u
        return picked
    right = card.correct_indexes
    grade = answers.grade_multi(picked, right)

    def verdict() -> None:
        if grade == rules.MULTI_ALL_RIGHT:
            console.print(Text("✓ all right", style="good bold"))
        else:
            missed, extra = len(right - picked), len(picked - right)
            parts = [f"{n} {what}" for n, what in ((missed, "missed"), (extra, "wrong")) if n]
            style = "warn bold" if grade == rules.MULTI_ONE_OFF else "bad bold"
            console.print(Text(f"✗ not quite: {', '.join(parts)} (grade {grade})", style=style))
        marks = Table.grid(padding=(0, 1))
        marks.add_column(no_wrap=True)
        marks.add_column(no_wrap=True)
        marks.add_column()
        for i, option in enumerate(card.options):
            if i in right:
                mark = Text("✓", style="good") if i in picked else Text("○", style="warn")
                note = "" if i in picked else " (missed)"
            else:
                mark = Text("✗", style="bad") if i in picked else Text(" ")
                note = " (not right)" if i in picked else ""
            marks.add_row(
                mark,
                Text(f"{LETTERS[i]})", style="key"),
                Text.assemble(untrusted(option.text), (note, "muted")),
            )
        console.print(marks)
        _explain(console, prompter, card.explanation, "Why")

    return Answer(grade, verdict)


def _ask_numeric(
    console: Console, prompter: Prompter, card: Card, elapsed: Callable[[], float], can_undo: bool = False
) -> Answer | Undo | None:
    spec = card.numeric
    assert spec is not None
    prompt = Text(
        f"Your answer{' in ' + spec.unit if spec.unit else ''} (a number; q stop{' · u undo' if can_undo else ''}",
        style="heading",
    )
    if spec.seconds is not None:
        prompt.append(f" · aim for {_seconds(spec.seconds)}", style="muted")
    prompt.append(") > ", style="heading")
    try:
        value = _read_answer(prompter, prompt, lambda text: answers.read_number(text, spec), can_undo)
    except TimeUp:
        return _time_up(console, prompter, card, rules.NUMERIC_WRONG)
    if value is None or isinstance(value, Undo):  # the line itself showed the q or u
        return value
    seconds = elapsed() if prompter.timed else None
    grade = answers.grade_numeric(value, spec, seconds)

    def verdict() -> None:
        if grade == rules.NUMERIC_WITHIN:
            head = Text("✓ right", style="good bold")
        elif grade == rules.NUMERIC_WITHIN_SLOW:
            assert spec.seconds is not None and seconds is not None
            head = Text(
                f"✓ right, but in {_seconds(seconds)} against {_seconds(spec.seconds)} (grade 4)",
                style="good bold",
            )
        elif grade == rules.NUMERIC_NEAR:
            head = Text("≈ close: within twice the tolerance (grade 3)", style="warn bold")
        else:
            head = Text("✗ not quite", style="bad bold")
        console.print(
            Text.assemble(
                head,
                Text(f" — you said {answers.format_amount(value, spec)}; the answer is ", style="muted"),
                Text(answers.describe_numeric(spec), style="key"),
            )
        )
        _explain(console, prompter, card.explanation, "Solution")

    return Answer(grade, verdict)


def _time_up(console: Console, prompter: Prompter, card: Card, grade: int) -> Answer:
    """A typed-answer card whose clock ran out: graded as not answered, then the answer shown."""

    def verdict() -> None:
        console.print()
        console.print(Text("⏱ time is up", style="bad bold"))
        if card.kind is CardKind.NUMERIC and card.numeric is not None:
            console.print(
                Text.assemble(
                    Text("the answer is ", style="muted"),
                    Text(answers.describe_numeric(card.numeric), style="key"),
                )
            )
        elif card.options:
            right = [f"{LETTERS[i]}) {card.options[i].text}" for i in sorted(card.correct_indexes)]
            console.print(Text.assemble(Text("the answer: ", style="muted"), untrusted("; ".join(right))))
        _explain(console, prompter, card.explanation, "Why" if card.options else "Solution")

    return Answer(grade, verdict, timed_out=True)


def _seconds(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.0f} min" if seconds % 60 == 0 else f"{seconds / 60:.1f} min"
    return f"{seconds:.0f} s"


def _ask_rubric(console: Console, prompter: Prompter, card: Card) -> Answer | None:
    count = len(card.points)
    points = Table.grid(padding=(0, 1))
    points.add_column(no_wrap=True, justify="right")
    points.add_column()
    for n, point in enumerate(card.points, 1):
        points.add_row(Text(f"{n}.", style="key"), untrusted_markdown(point))
    console.print(Panel(points, title="Key points", title_align="left", border_style="accent"))

    def status(ticked: frozenset[int]) -> Text:
        got = " ".join(str(i + 1) for i in sorted(ticked)) or "none"
        return Text.assemble(
            Text("Ticked ", style="heading"),
            Text(got, style="key"),
            Text(f" ({len(ticked)} of {count}) · Enter done > ", style="muted"),
        )

    prompt = Text.assemble(
        Text("Which did you make? ", style="heading"),
        Text(f"1-{count} tick or untick, Enter done, q stop > ", style="muted"),
    )
    ticked = prompter.toggle(prompt, count, status)
    if ticked is None:
        return None
    grade = answers.grade_rubric(len(ticked), count)

    def verdict() -> None:
        share = len(ticked) / count
        console.print(
            Text(
                f"{len(ticked)} of {count} key points ({share:.0%}) → grade {grade}",
                style="good bold" if grade >= 4 else ("warn bold" if grade >= 2 else "bad bold"),
            )
        )

    return Answer(grade, verdict)


def run_check(
    console: Console,
    prompter: Prompter,
    run: CheckRun,
    decks: Mapping[str, Deck],
    record: Recorder,
    undo: Callable[[], object] | None = None,
    after_grade: Callable[[Item, CheckRun], None] | None = None,
) -> Outcome:
    """Drive the queue to the end. Every grade is handed to `record` (which commits) at once.

    With `undo` (which takes the last grade back in the store), `u` at a prompt undoes the
    previous grade of this session and asks that card again. `after_grade` runs after each
    committed grade (the leech check).
    """
    total = len(run.items)
    try:
        while not run.done:
            item = run.current
            assert item is not None
            started = time.monotonic()
            can_undo = undo is not None and run.can_undo
            answer = ask(console, prompter, run, item, decks.get(item.card.deck_id), total, can_undo=can_undo)
            if answer is None:
                return Outcome("quit")
            if isinstance(answer, Undo):
                assert undo is not None
                undo()  # in the store first, then the queue: the screen never runs ahead of the disk
                again = run.undo()
                console.print(
                    Text.assemble(
                        Text("↶ grade taken back: ", style="warn"),
                        untrusted(again.card.question),
                        Text(" is asked again", style="muted"),
                    )
                )
                continue
            quality = answer.quality
            try:
                record(item, quality, round(time.monotonic() - started, 1))  # commits, then:
            except GradeConflict as exc:  # another terminal graded this card first
                console.print(Text(f"⇄ {exc.message}; moving on", style="warn"))
                run.skip()  # nothing was recorded: the item leaves the queue ungraded
                continue
            run.grade(quality)  # the sitting counts what the store holds before anything can stop it
            answer.acknowledge()  # may pause on an explanation, where Ctrl-C is fair
            if quality < REPEAT_BELOW and not item.repeat:
                console.print(Text("↻ this one comes back at the end of the check", style="muted"))
            if after_grade is not None:
                after_grade(item, run)
    except KeyboardInterrupt:
        console.print()
        return Outcome("interrupted")
    except EOFError:
        console.print()
        return Outcome("eof")
    return Outcome("completed")


STOPPED = {"interrupted": "Stopped with Ctrl-C", "eof": "Input ended", "quit": "Stopped"}


def say_stopped(console: Console, outcome: Outcome, what: str) -> None:
    """One line when a session ended early: how, and what was kept (every answer always is)."""
    if outcome.status in STOPPED:
        console.print(Text(f"{STOPPED[outcome.status]}: {what}.", style="warn"))


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
    say_stopped(console, outcome, f"{summary.asked} of {summary.planned} items graded; every grade is saved")
    if summary.asked == 0:
        console.print(Text(f"Next: {describe_outlook(outlook, still_due, minutes)}", style="muted"))
        return
    table = Table.grid(padding=(0, 2))
    table.add_column(style="muted")
    table.add_column()
    table.add_row(
        "Score",
        Text(
            f"{_pct(summary.score)} recalled  ({summary.recalled} of {_items(summary.asked)} graded 3+"
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
