"""One card on screen for `study show`: as a session shows it, answer included, then its history."""

from __future__ import annotations

import string
from datetime import date

from rich.console import Console
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..usecases.cards import CardDetail
from .check_view import print_question
from .console import untrusted, untrusted_markdown


def render_card(console: Console, detail: CardDetail, today: date) -> None:
    card, deck = detail.card, detail.deck
    console.print(
        Rule(
            Text.assemble(
                untrusted(card.id),
                Text(f" · {card.kind.value} · ", style="muted"),
                untrusted(f"{deck.area} › {deck.title}"),
            ),
            align="left",
            style="muted",
        )
    )
    print_question(console, card)
    if card.options:
        options = Table.grid(padding=(0, 1))
        options.add_column(no_wrap=True)
        options.add_column()
        for letter, option in zip(string.ascii_lowercase, card.options, strict=False):
            mark = Text(
                f"  {letter}) {'✓' if option.correct else ' '}", style="good" if option.correct else "key"
            )
            options.add_row(mark, untrusted_markdown(option.text))
        console.print(options)
    body = card.explanation if card.options else card.answer
    if body:
        console.print(
            Panel(
                untrusted_markdown(body),
                title="Why" if card.options else "Answer",
                title_align="left",
                border_style="accent",
            )
        )
    where = f"{deck.path}:{card.line}" if deck.path else deck.id
    console.print(Text.assemble(Text("file ", style="muted"), untrusted(where)), soft_wrap=True)

    state = detail.state
    if detail.suspended:
        console.print(Text("suspended: never asked until `study unsuspend`", style="warn"))
    if state is None:
        console.print(Text("new: never studied", style="muted"))
    else:
        due = state.due.isoformat() if state.due else "—"
        if state.due is not None and state.due <= today:
            due += " (due now)"
        console.print(
            Text(
                f"due {due} · interval {state.interval} d · EF {state.ef:.2f} · {state.repetitions} in a row · "
                f"{state.lapses} lapse(s) · {state.reviews} review(s)",
                style="heading",
            ),
            soft_wrap=True,
        )
    if detail.history:
        table = Table(title="History", title_justify="left")
        table.add_column("day")
        table.add_column("grade", justify="right")
        table.add_column("", style="muted")
        table.add_column("next due", style="muted")
        for review, undone in detail.history:
            note = "repeat" if review.repeat else review.source
            if undone:
                note += ", undone"
            table.add_row(
                review.day.isoformat(),
                Text(str(review.quality), style="muted" if undone else ""),
                note,
                "" if review.repeat or undone or review.after.due is None else review.after.due.isoformat(),
                style="dim" if undone else None,
            )
        console.print(table)
