"""`study plan` on screen: the weeks as a table, this week marked, today's topics spelled out."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import Collection
from ..plans import PlanPosition
from .console import untrusted


def _topic_label(topic: str, collection: Collection) -> Text:
    deck = collection.deck(topic)
    if deck is None:
        return Text(f"{topic} (missing)", style="bad")
    return untrusted(deck.title)


def _bullets(items: list[Text], style: str = "") -> Table:
    """A bullet list whose items wrap with a hanging indent."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(style=style)
    for item in items:
        grid.add_row("  •", item)
    return grid


def _cell_bullets(items: list[Text]) -> Table:
    """Bullets inside a table cell, wrapped lines indented under their text, not under the bullet."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row("•", item)
    return grid


def render_plan(
    console: Console,
    pos: PlanPosition,
    collection: Collection,
    first_run: bool,
    interview: Text | None = None,
    pace: Text | None = None,
) -> None:
    plan = pos.plan
    console.print(untrusted(plan.title), style="heading")
    if plan.description:
        console.print(untrusted(plan.description), style="muted")
    status = {
        "not-started": f"starts on {pos.start.isoformat()}",
        "active": f"week {pos.week_number} of {len(plan.weeks)}, day {pos.day_of_week} "
        f"(started {pos.start.isoformat()})",
        "finished": f"finished: all {len(plan.weeks)} weeks done (started {pos.start.isoformat()})",
    }[pos.status]
    if first_run:
        status += " — not chosen yet: your first `study check` starts it today"
    console.print(Text(status, style="accent"))
    if interview is not None:
        console.print(interview)
    if pace is not None:
        console.print(pace)
    console.print()

    # Goals get their own column only when there is room; on a narrow terminal the table keeps
    # week, theme and topics, and this week's goals are listed under it.
    wide = console.width >= 100
    table = Table(show_lines=True, expand=False)
    table.add_column("", width=1, no_wrap=True)
    table.add_column("wk", justify="right", no_wrap=True)
    table.add_column("theme", ratio=2)
    table.add_column("topics", ratio=3)
    if wide:
        table.add_column("goals", ratio=3, style="muted")
    for week in plan.weeks:
        current = pos.status == "active" and week.number == pos.week_number
        topics = _cell_bullets([_topic_label(t, collection) for t in week.all_topics])
        cells: list[Text | Table | str] = [
            "▶" if current else "",
            str(week.number),
            untrusted(week.theme),
            topics,
        ]
        if wide:
            cells.append(_cell_bullets([untrusted(g) for g in week.goals]))
        table.add_row(*cells, style="bold" if current else None)
    console.print(table)
    if not wide and pos.week is not None and pos.week.goals:
        console.print(Text(f"Goals for week {pos.week_number}:", style="heading"))
        console.print(_bullets([untrusted(goal) for goal in pos.week.goals], style="muted"))

    if pos.status == "active":
        console.print(Text(f"Today (week {pos.week_number}, day {pos.day_of_week}):", style="heading"))
        if pos.today_topics:
            labels = [
                Text.assemble(_topic_label(t, collection), Text(f"  {t}", style="muted"))
                for t in pos.today_topics
            ]
            console.print(_bullets(labels))
        else:
            console.print(
                Text("  no new topic today: catch up with `study check` and `study review`", style="muted")
            )
