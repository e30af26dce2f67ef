"""`study plan` on screen: the weeks as a table, this week marked, today's topics spelled out."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..model import Checkpoint, Collection, Plan, Week
from ..plans import PlanPosition, describe_activity, describe_checkpoint
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


def _day_items(plan: Plan, week: Week, day: int) -> list[Text]:
    """One day's checkpoints (with the command to run and the note) and activities, in full."""
    items: list[Text] = []
    for cp in week.checkpoints_on(day):
        text = untrusted(describe_checkpoint(plan, week.number, cp))
        if cp.note:
            text.append_text(Text.assemble(Text(" — ", style="muted"), untrusted(cp.note)))
        items.append(text)
    items += [untrusted(describe_activity(a)) for a in week.activities_on(day)]
    return items


def _checkpoint_label(cp: Checkpoint) -> str:
    """A checkpoint in a table cell: target first, as the areas may be cut off."""
    head = "baseline checkpoint" if cp.target is None else f"checkpoint, target {cp.target * 100:.0f}%"
    return f"{head}: {', '.join(cp.areas) if cp.areas else 'every area'}"


def _topics_cell(plan: Plan, week: Week, collection: Collection) -> RenderableType:
    """The week's topics as bullets, then what its days hold besides cards, one line each, cut
    with an ellipsis: the whole text, a checkpoint's command and its note are shown on the day,
    under "Today"."""
    topics = _cell_bullets([_topic_label(t, collection) for t in week.all_topics])
    items = [(cp.day, untrusted(_checkpoint_label(cp))) for cp in week.checkpoints]
    items += [(a.day, untrusted(describe_activity(a))) for a in week.activities]
    items.sort(key=lambda item: item[0])  # stable: a day's checkpoint before its activities
    if not items:
        return topics
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=5)
    grid.add_column(overflow="ellipsis")  # the table may narrow it; the text then ends in …
    for day, text in items:
        text.no_wrap = True
        text.overflow = "ellipsis"
        grid.add_row(Text(f"day {day}", style="accent"), text)
    return Group(topics, grid) if week.all_topics else grid


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
    practice = any(w.activities or w.checkpoints for w in plan.weeks)
    table.add_column("topics and activities" if practice else "topics", ratio=3)
    if wide:
        table.add_column("goals", ratio=3, style="muted")
    for week in plan.weeks:
        current = pos.status == "active" and week.number == pos.week_number
        topics = _topics_cell(plan, week, collection)
        cells: list[RenderableType] = [
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
        assert pos.week is not None
        also = _day_items(plan, pos.week, pos.day_of_week)
        if also:
            console.print(Text("Also today:", style="heading"))
            console.print(_bullets(also))
