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


def render_plan(console: Console, pos: PlanPosition, collection: Collection, first_run: bool) -> None:
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
    console.print()

    table = Table(show_lines=False, expand=False)
    table.add_column("", width=1, no_wrap=True)
    table.add_column("wk", justify="right", no_wrap=True)
    table.add_column("theme", overflow="fold", ratio=2)
    table.add_column("topics", overflow="fold", ratio=3)
    table.add_column("goals", overflow="fold", ratio=3, style="muted")
    for week in plan.weeks:
        current = pos.status == "active" and week.number == pos.week_number
        topics = Text("\n").join(_topic_label(t, collection) for t in week.all_topics)
        goals = Text("\n").join(untrusted(f"• {g}") for g in week.goals)
        table.add_row(
            "▶" if current else "",
            str(week.number),
            untrusted(week.theme),
            topics,
            goals,
            style="bold" if current else None,
        )
    console.print(table)

    if pos.status == "active":
        console.print(Text(f"Today (week {pos.week_number}, day {pos.day_of_week}):", style="heading"))
        if pos.today_topics:
            for topic in pos.today_topics:
                console.print(
                    Text.assemble("  • ", _topic_label(topic, collection), Text(f"  {topic}", style="muted"))
                )
        else:
            console.print(Text("  no new topic today: catch up on reviews with `study check`", style="muted"))
