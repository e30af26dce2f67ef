"""`study gaps` on screen: one key per subtopic, then readiness per area and what to study first."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rich import box
from rich.bar import Bar
from rich.console import Console, Group
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..gaps import KEY_TO_RATING, AreaChange, GapWalk, Priority, Subtopic
from .console import untrusted
from .prompt import Prompter

KEYS = ("k", "u", "d", "s", "b", "q")
RATING_STYLE = {"know": "good", "unsure": "warn", "dunno": "bad"}

Recorder = Callable[[Subtopic, str], None]


@dataclass
class WalkOutcome:
    status: str  # completed | quit | eof | interrupted
    rated: int


def _legend(indent: int) -> Text:
    """`[k]now [u]nsure …` on one short line: the keys explain themselves."""
    text = Text(" " * indent)
    for i, (key, rest) in enumerate(
        (("k", "now"), ("u", "nsure"), ("d", "unno"), ("s", "kip"), ("b", "ack"), ("q", "uit"))
    ):
        if i:
            text.append(" ")
        text.append("[", style="muted")
        text.append(key, style="key")
        text.append("]", style="muted")
        text.append(rest, style="muted")
    text.append(" > ")
    return text


def run_walk(
    console: Console,
    prompter: Prompter,
    walk: GapWalk,
    previous: Mapping[tuple[str, str], str],
    record: Recorder,
) -> WalkOutcome:
    """Ask every subtopic in `walk`; `record` is called (and commits) for each answer as it is given.

    Two lines per subtopic (the text, then the keys); the area and the topic are shown only when
    they change, so a long inventory stays readable as it scrolls.
    """
    shown_area: str | None = None
    shown_deck: str | None = None
    width = len(str(len(walk.items)))
    counter_width = 2 * width + 4  # "  12/345 " before the subtopic text
    legend = _legend(counter_width)
    try:
        while not walk.done:
            item = walk.current
            if item.area != shown_area:
                console.print(Rule(untrusted(item.area), align="left", style="accent"))
                shown_area, shown_deck = item.area, None
            if item.deck_id != shown_deck:
                console.print(
                    Text.assemble(untrusted(item.deck_title), Text(f" · {item.category}", style="muted")),
                    style="heading",
                )
                shown_deck = item.deck_id
            text = untrusted(item.text)
            assert walk.answers is not None
            given = walk.answers[walk.position]
            before = previous.get(item.key)
            if given is not None:
                text.append(f"  (you just said {given})", style="muted")
            elif before is not None:
                text.append(f"  (last time: {before})", style=RATING_STYLE.get(before, "muted"))
            row = Table.grid(padding=(0, 1))
            row.add_column(width=counter_width - 1, justify="right", style="accent", no_wrap=True)
            row.add_column(overflow="fold")
            row.add_row(f"{walk.position + 1}/{len(walk.items)}", text)
            console.print(row)
            key = prompter.choose(legend, KEYS, echo=False)
            if key not in KEY_TO_RATING:
                console.print(key)
            if key == "q":
                return WalkOutcome("quit", _answered(walk))
            if key == "b":
                if not walk.back():
                    console.print(Text("  already at the first subtopic", style="muted"))
                continue
            if key == "s":
                walk.skip()
                continue
            rating = KEY_TO_RATING[key]
            record(item, rating)  # committed before the key is echoed: what the screen shows is saved
            console.print(key)
            walk.rate(rating)
    except EOFError:
        return WalkOutcome("eof", _answered(walk))
    except KeyboardInterrupt:
        return WalkOutcome("interrupted", _answered(walk))
    return WalkOutcome("completed", _answered(walk))


def _answered(walk: GapWalk) -> int:
    """Subtopics rated in this run (a rating changed after `b` counts once)."""
    return sum(walk.counts().values())


def _delta(value: float | None) -> Text:
    if value is None:
        return Text("–", style="muted")
    if abs(value) < 0.05:
        return Text("±0", style="muted")
    return Text(
        f"{value:+.0f} pt" if abs(value) >= 1 else f"{value:+.1f} pt", style="good" if value > 0 else "bad"
    )


def readiness_table(rows: Sequence[AreaChange], width: int) -> Table:
    """Per area: counts, a readiness bar, and change since the first and the previous assessment."""
    narrow = width < 80  # short headers
    with_bar = width >= 100  # room for the unrated count and a bar
    table = Table(
        title="Readiness by area (share of subtopics rated know)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )
    table.add_column("area", overflow="fold", min_width=12 if narrow else 20)
    table.add_column("know", justify="right", style="good", no_wrap=True)
    table.add_column("unsure" if not narrow else "uns", justify="right", style="warn", no_wrap=True)
    table.add_column("dunno" if not narrow else "dun", justify="right", style="bad", no_wrap=True)
    if with_bar:
        table.add_column("unrated", justify="right", style="muted", no_wrap=True)
    table.add_column("ready", justify="right", no_wrap=True)
    if with_bar:
        table.add_column("", width=12, no_wrap=True)
    table.add_column("vs first" if not narrow else "Δ1st", justify="right", no_wrap=True)
    table.add_column("vs last" if not narrow else "Δlast", justify="right", no_wrap=True)
    if len(rows) == 2:  # one area: its total row would repeat it
        rows = rows[:1]
    for n, change in enumerate(rows):
        row = change.now
        is_total = n == len(rows) - 1 and len(rows) > 1
        cells: list[Text | Bar | str] = [
            Text(row.area, style="heading" if is_total else ""),
            str(row.know),
            str(row.unsure),
            str(row.dunno),
            *([str(row.unrated)] if with_bar else []),
            Text(f"{row.readiness * 100:.1f}%"),
        ]
        if with_bar:
            cells.append(Bar(1.0, 0.0, row.readiness, width=12, color="green"))
        cells += [_delta(change.since_baseline), _delta(change.since_previous)]
        table.add_row(*cells, end_section=(n == len(rows) - 2 and len(rows) > 1))
    return table


def priority_list(items: Sequence[Priority], limit: int = 12) -> Group | Text:
    """Two lines per entry (the subtopic, then its topic id for `--topic`), readable at any width."""
    if not items:
        return Text("No subtopic is rated unsure or dunno.", style="good")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="muted", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    label_later = any(p.reached for p in items)  # before the plan starts, nothing is "later"
    for n, p in enumerate(items[:limit], 1):
        where = Text(p.subtopic.deck_id, style="accent")
        if label_later and not p.reached:
            where.append(" · later in your plan", style="muted")
        grid.add_row(
            str(n),
            Text(p.rating, style=RATING_STYLE[p.rating]),
            Text.assemble(untrusted(p.subtopic.text), "\n", where),
        )
    parts: list[Table | Text] = [
        Text(
            "Study first: dunno before unsure, must before good-to-know, reached topics first",
            style="heading",
        ),
        grid,
    ]
    if len(items) > limit:
        parts.append(Text(f"… and {len(items) - limit} more.", style="muted"))
    return Group(*parts)


def render_summary(
    console: Console, rows: Sequence[AreaChange], todo: Sequence[Priority], assessments: int
) -> None:
    if not rows:
        console.print(Text("No subtopics in scope.", style="muted"))
        return
    console.print()
    console.print(readiness_table(rows, console.width))
    total = rows[-1].now
    console.print(
        Text(
            f"{total.know} know, {total.unsure} unsure, {total.dunno} dunno of {total.total} subtopics: "
            f"{total.readiness * 100:.1f}% ready"
            + (f" · {assessments} assessment(s) so far" if assessments else ""),
            style="heading",
        )
    )
    if assessments < 2:
        console.print(Text("Reassess in a few weeks (`study gaps --all`) to see the change.", style="muted"))
    console.print()
    console.print(priority_list(todo))
