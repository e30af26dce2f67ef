"""`study report` in the terminal: the same `Report` as the Markdown and JSON forms, drawn with rich.

Every chart uses characters that carry meaning without colour (block bars, sparkline, heat
characters), so NO_COLOR and light themes lose nothing; below 80 columns bars are dropped first.
"""

from __future__ import annotations

from rich import box
from rich.bar import Bar
from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .. import daily, stats
from ..report import (
    BACKLOG,
    HEAT_CHARS,
    SESSIONS_SHOWN,
    Report,
    catch_up,
    checkpoint_lines,
    describe_pace,
    heat_legend,
    heat_rows,
    interview_sentences,
    month_labels,
    pace_ok,
    retention_sentence,
    workload_sentence,
)
from .console import untrusted


def _pct(value: float | None) -> Text:
    return Text("–", style="muted") if value is None else Text(f"{value * 100:.0f}%")


def _score(value: float | None) -> Text:
    if value is None:
        return Text("–", style="muted")
    style = "good" if value >= 0.8 else "bad" if value < 0.6 else ""
    return Text(f"{value * 100:.0f}%", style=style)


def _section(console: Console, title: str) -> None:
    console.print()
    console.print(Rule(Text(title, style="heading"), align="left", style="muted"))


def _table(**kwargs: object) -> Table:
    return Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, **kwargs)  # type: ignore[arg-type]


def render(console: Console, report: Report) -> None:
    wide = console.width >= 80
    title = Text.assemble(Text(f"Study report · {report.today.isoformat()}", style="heading"))
    if report.area:
        title.append(" · ", style="muted")
        title.append_text(untrusted(report.area))
    console.print(title)

    _section(console, "Plan")
    p = report.plan
    if p is None:
        console.print(Text("No plan is active. `study plan --list` shows the bundled plans.", style="muted"))
    elif p.status == "not-started":
        console.print(
            Text.assemble(
                untrusted(p.title),
                Text(f" ({p.weeks} weeks) starts with your first `study check`.", style="muted"),
            )
        )
    else:
        where = f"week {p.week} of {p.weeks}, day {p.day_of_week}" if p.status == "active" else "finished"
        line = Text.assemble(untrusted(p.title), Text(f" · {where}", style="accent"))
        if p.theme:
            line.append(" · ", style="muted")
            line.append_text(untrusted(p.theme))
        console.print(line)
        if p.today_topics:
            console.print(
                Text.assemble(Text("Today's topics: ", style="muted"), untrusted(", ".join(p.today_topics)))
            )
        if p.pace is not None:
            style = "good" if pace_ok(report) and p.pace.status == "on-track" else "bad"
            if pace_ok(report) and p.pace.status == "ahead":
                style = "accent"
            console.print(
                Text.assemble(
                    Text("Pace: ", style="muted"), Text(describe_pace(p.pace, report.overdue), style=style)
                )
            )
        for sentence, tone in checkpoint_lines(report):
            text = untrusted(sentence)
            text.stylize({"met": "good", "below": "bad"}.get(tone, "muted"))
            console.print(text)
    for sentence in interview_sentences(report):
        console.print(Text(sentence, style="accent"))

    _section(console, "Today")
    s = report.streak
    streak = f"{s.current} day(s)" + (
        "" if s.checked_today or not s.current else ", today's check still to do"
    )
    due = Text(str(report.due_now), style="heading")
    if report.overdue:
        due.append(f" ({report.overdue} overdue)", style="bad")
    console.print(
        Text.assemble(
            Text("due now ", style="muted"),
            due,
            Text(" · new available ", style="muted"),
            Text(str(report.new_available), style="heading"),
            Text(" · streak ", style="muted"),
            Text(streak, style="heading"),
            Text(f" (longest {s.longest})", style="muted"),
        )
    )
    work = workload_sentence(report)
    if work:
        console.print(Text.assemble(Text("workload ", style="muted"), Text(work)))
    if report.due_now > BACKLOG and report.workload is not None:
        minutes = daily.minutes(report.workload.minutes_for(report.due_now))
        console.print(
            Text(
                f"Reviews are piling up; {catch_up(report.due_now, report.review_limit, minutes)}.",
                style="warn",
            )
        )
    if report.empty:
        console.print()
        console.print(
            Text("Nothing yet: run `study check` (and `study gaps`) and this report fills in.", style="good")
        )
        return

    retention = retention_sentence(report)
    if retention and report.retention is not None:
        _section(console, "Estimated recall")
        r = report.retention
        target_met = r.at_interview is None or r.at_interview >= 0.9
        console.print(Text(retention, style="" if target_met else "warn"))
        if r.areas:
            table = _table()
            table.add_column("area")
            table.add_column("cards", justify="right")
            table.add_column("now", justify="right")
            if r.at_interview is not None:
                table.add_column("interview day", justify="right")
            for est in r.areas:
                row = [untrusted(est.area), Text(str(est.cards)), _pct(est.now)]
                if r.at_interview is not None:
                    row.append(_pct(est.at_interview))
                table.add_row(*row)
            console.print(table)

    _section(console, "Knowledge checks")
    if report.sessions:
        table = _table()
        for name, justify in (
            ("date", "left"),
            ("items", "right"),
            ("score", "right"),
            ("new", "right"),
            ("review", "right"),
        ):
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        for x in reversed(report.sessions[-SESSIONS_SHOWN:]):
            table.add_row(
                x.day.isoformat() + ("" if x.status == "completed" else " *"),
                str(x.items.total),
                _score(x.items.rate),
                _score(x.new.rate),
                _score(x.review.rate),
            )
        console.print(table)
        trend = stats.sparkline([x.items.rate for x in report.sessions[-30:]])
        console.print(
            Text.assemble(
                Text("trend ", style="muted"),
                Text(trend, style="accent"),
                Text(
                    " (oldest → newest"
                    + (
                        "; * stopped early)" if any(x.status != "completed" for x in report.sessions) else ")"
                    ),
                    style="muted",
                ),
            )
        )
    else:
        console.print(Text(f"No checks since {report.since.isoformat()}.", style="muted"))

    _section(console, "Areas")
    table = _table()
    table.add_column("area", overflow="fold")
    table.add_column("seen", justify="right")
    table.add_column("recall", justify="right")
    if wide:
        table.add_column("", width=10, no_wrap=True)
    table.add_column("ready", justify="right")
    if wide:
        table.add_column("", width=10, no_wrap=True)
    for a in report.areas:
        cells: list[Text | Bar | str] = [
            untrusted(a.area),
            f"{a.cards_seen}/{a.cards_total}",
            _score(a.recall.rate),
        ]
        if wide:
            cells.append(Bar(1.0, 0.0, a.recall.rate or 0.0, width=10, color="cyan"))
        cells.append(_pct(a.readiness))
        if wide:
            cells.append(Bar(1.0, 0.0, a.readiness or 0.0, width=10, color="green"))
        table.add_row(*cells)
    console.print(table)
    console.print(
        Text(
            f"recall: first-attempt grades of 3+ since {report.since.isoformat()} · ready: subtopics rated know "
            "(`study gaps`)",
            style="muted",
        )
    )

    _section(console, "Calibration")
    if report.calibration:
        table = _table()
        table.add_column("topic", overflow="fold")
        table.add_column("", no_wrap=True)
        table.add_column("self", justify="right")
        table.add_column("recall", justify="right")
        for c in report.calibration:
            table.add_row(
                untrusted(c.topic),
                Text(c.kind, style="bad" if c.kind == "overconfident" else "accent"),
                f"{c.self_score * 100:.0f}%",
                f"{c.recall * 100:.0f}% ({c.reviews})",
            )
        console.print(table)
        console.print(
            Text(
                "overconfident: rated know, recalled < 60% · underconfident: rated dunno, recalled > 90%",
                style="muted",
            )
        )
    else:
        console.print(
            Text(
                "Your self-ratings and your recall agree (or there is not enough evidence yet).",
                style="muted",
            )
        )

    _section(console, "Forecast")
    peak = max((n for _, n in report.forecast), default=0)
    table = _table(show_header=False)
    table.add_column("date")
    table.add_column("due", justify="right")
    table.add_column("", no_wrap=True, width=max(10, min(40, console.width - 24)))
    for d, n in report.forecast:
        label = "today" if d == report.today else d.strftime("%a %d %b")
        table.add_row(label, str(n), Bar(1.0, 0.0, n / peak if peak else 0.0, color="cyan") if n else "")
    console.print(table)
    console.print(
        Text(
            f"{report.due_30} due in the next 30 days (overdue included). Each day counts what the "
            "review limit carried over and the reviewed cards coming back.",
            style="muted",
        )
    )

    _section(console, "Activity")
    console.print(_heatmap(report))

    if report.mocks:
        _section(console, "Mock rounds")
        table = _table()
        for name, justify in (
            ("date", "left"),
            ("questions", "right"),
            ("score", "right"),
            ("time a question", "right"),
            ("time-outs", "right"),
        ):
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        for m in reversed(report.mocks[-SESSIONS_SHOWN:]):
            table.add_row(
                m.day.isoformat(),
                str(m.summary.asked),
                _score(m.summary.score),
                "–" if m.summary.mean_seconds is None else f"{m.summary.mean_seconds:.0f} s",
                str(m.summary.timed_out),
            )
        console.print(table)

    _section(console, "Weak items")
    if report.leeches:
        table = _table()
        table.add_column("card", overflow="fold", ratio=3)
        table.add_column("deck", overflow="fold", style="accent", ratio=1)
        table.add_column("lapses", justify="right")
        table.add_column("ease", justify="right")
        for lc in report.leeches[:15]:
            table.add_row(untrusted(lc.question), untrusted(lc.deck_id), str(lc.lapses), f"{lc.ef:.2f}")
        console.print(table)
        if len(report.leeches) > 15:
            console.print(
                Text(f"… and {len(report.leeches) - 15} more (`--format json` lists all).", style="muted")
            )
    else:
        console.print(Text("None: no card has 4+ lapses or ease at the 1.3 floor.", style="good"))
    if report.suspended:
        console.print(
            Text(
                f"Suspended ({len(report.suspended)}), never asked until `study unsuspend ID`:",
                style="muted",
            )
        )
        table = _table()
        table.add_column("card", overflow="fold", ratio=3)
        table.add_column("deck", overflow="fold", style="accent", ratio=1)
        table.add_column("lapses", justify="right")
        for sc in report.suspended[:15]:
            table.add_row(untrusted(sc.question), untrusted(sc.deck_id), str(sc.lapses))
        console.print(table)


def _heatmap(report: Report) -> Text:
    heat = report.heatmap
    text = Text()
    text.append("    " + month_labels(heat) + "\n", style="muted")
    styles = ("muted", "green", "green", "bold green", "bold green")
    for name, levels in heat_rows(heat):
        text.append(f"{name} ", style="muted")
        for level in levels:
            text.append(HEAT_CHARS[level], style=styles[level])
            text.append(" ")
        text.append("\n")
    text.append("    " + heat_legend(heat) + "· none ", style="muted")
    text.append("░▒▓█", style="green")
    text.append(" more", style="muted")
    return text
