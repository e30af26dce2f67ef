"""Week-by-week plans: YAML to `Plan`, and the calendar arithmetic of "where am I today".

A plan starts on a date the user picks (default: the day they first study). Day 0 is week 1 day 1;
weeks are 7 days long. Before the start the plan has not begun and nothing is due from it; after the
last week it is finished and every topic counts as reached.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import config, yamlsrc
from .config import SETTING_PLAN, SETTING_PLAN_START, parse_date
from .errors import StudyError
from .files import content_id, iter_content_files, name_problem, read_source
from .model import Collection as CollectionOfContent
from .model import Diagnostic, Plan, Week
from .textsafe import clean, describe_unsafe, has_unsafe, unsafe_lines
from .vocab import Severity

PLAN_KEYS = ("title", "description", "weeks")
WEEK_KEYS = ("week", "theme", "topics", "goals", "days")


@dataclass(frozen=True)
class ParsedPlan:
    plan: Plan | None
    diagnostics: tuple[Diagnostic, ...]


def parse_plan(
    text: str,
    plan_id: str,
    path: str = "<plan>",
    bundled: bool = False,
    known_topics: Collection[str] | None = None,
) -> ParsedPlan:
    """Parse one plan. With `known_topics`, topics that name no deck are reported too."""
    diags: list[Diagnostic] = []
    path = clean(path, line=True)
    plan_id = clean(plan_id, line=True)

    def report(line: int, message: str, severity: Severity = Severity.ERROR) -> None:
        diags.append(Diagnostic(path, line, message, severity))

    lines, total = unsafe_lines(text)
    for line in lines:
        report(
            line,
            "terminal control characters, bidi or invisible characters found; they are not shown",
            Severity.WARNING,
        )
    if total > len(lines):
        report(lines[-1], f"… and {total - len(lines)} more line(s) like that", Severity.WARNING)
    try:
        doc = yamlsrc.load(clean(text))
    except yamlsrc.YamlError as exc:
        report(exc.line, exc.message)
        return ParsedPlan(None, tuple(diags))

    def shown(value: Any, *where: Any, multiline: bool = False) -> str:
        """A displayed plan field after parsing: cleaned, with a warning if it carried anything."""
        text = value if isinstance(value, str) else str(value)
        if has_unsafe(text):
            report(
                doc.line(*where),
                f"{next(p for p in reversed(where) if isinstance(p, str))!r} holds characters that are "
                f"not shown ({describe_unsafe(text)}); removed",
                Severity.WARNING,
            )
        return clean(text, line=not multiline).strip()

    data = doc.value
    if not isinstance(data, dict):
        report(1, "a plan must be a YAML mapping with 'title' and 'weeks'")
        return ParsedPlan(None, tuple(diags))
    for key in data:
        if key not in PLAN_KEYS:
            report(doc.line(key), f"unknown plan key {key!r} (allowed: {', '.join(PLAN_KEYS)})")
    title = shown(data.get("title") or "", "title")
    if not title:
        report(doc.line("title"), "plan needs a non-empty 'title'")
    raw_weeks = data.get("weeks")
    if not isinstance(raw_weeks, list) or not raw_weeks:
        report(doc.line("weeks"), "plan needs 'weeks': a list with at least one week")
        return ParsedPlan(None, tuple(diags))

    weeks: list[Week] = []
    for index, raw in enumerate(raw_weeks):
        week = _parse_week(raw, index, doc, report, known_topics, shown)
        if week is not None:
            weeks.append(week)
    if not title or len(weeks) != len(raw_weeks):
        return ParsedPlan(None, tuple(diags))
    plan = Plan(
        id=plan_id,
        title=title,
        description=shown(data.get("description") or "", "description", multiline=True),
        weeks=tuple(weeks),
        path=Path(path),
        bundled=bundled,
    )
    return ParsedPlan(plan, tuple(diags))


def _parse_week(
    raw: Any,
    index: int,
    doc: yamlsrc.Located,
    report: Any,
    known_topics: Collection[str] | None,
    shown: Any,
) -> Week | None:
    where = ("weeks", index)
    if not isinstance(raw, dict):
        report(doc.line(*where), f"week {index + 1} must be a mapping with 'week' and 'topics'")
        return None
    ok = True
    for key in raw:
        if key not in WEEK_KEYS:
            report(doc.line(*where, key), f"unknown week key {key!r} (allowed: {', '.join(WEEK_KEYS)})")
    number = raw.get("week")
    if number != index + 1 or isinstance(number, bool):
        report(
            doc.line(*where, "week"),
            f"weeks must be numbered 1, 2, 3… in order: expected 'week: {index + 1}', got {number!r}",
        )
        ok = False
    topics = _topic_list(raw.get("topics"), (*where, "topics"), doc, report, known_topics)
    if topics is None:
        ok = False
    goals_raw = raw.get("goals") or []
    if isinstance(goals_raw, str):
        goals_raw = [goals_raw]
    if not isinstance(goals_raw, list):
        report(doc.line(*where, "goals"), "'goals' must be a list of text")
        goals_raw = []
    days: list[tuple[int, tuple[str, ...]]] = []
    raw_days = raw.get("days")
    if raw_days is not None:
        if not isinstance(raw_days, dict):
            report(doc.line(*where, "days"), "'days' must map day numbers 1-7 to topic lists")
            ok = False
        else:
            for day, day_topics in raw_days.items():
                if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:
                    report(doc.line(*where, "days", day), f"day {day!r} must be a number from 1 to 7")
                    ok = False
                    continue
                parsed = _topic_list(day_topics, (*where, "days", day), doc, report, known_topics)
                if parsed is None:
                    ok = False
                    continue
                days.append((day, parsed))
    if not ok or topics is None:
        return None
    if not topics and not days:
        report(doc.line(*where), f"week {index + 1} names no topics")
        return None
    goals = (shown(g, *where, "goals", i) for i, g in enumerate(goals_raw))
    return Week(
        number=index + 1,
        theme=shown(raw.get("theme") or "", *where, "theme"),
        topics=topics,
        goals=tuple(g for g in goals if g),
        days=tuple(sorted(days)),
        line=doc.line(*where),
    )


def _topic_list(
    raw: Any,
    where: tuple[Any, ...],
    doc: yamlsrc.Located,
    report: Any,
    known_topics: Collection[str] | None,
) -> tuple[str, ...] | None:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        report(doc.line(*where), "topics must be a list of deck ids such as 'foundations/optimisation'")
        return None
    topics: dict[str, None] = {}  # ordered and O(1) membership: a week may list 100,000 topics
    ok = True
    unknown = 0
    for i, topic in enumerate(raw):
        if not isinstance(topic, str) or not topic.strip():
            report(doc.line(*where, i), f"topic {topic!r} must be a deck id")
            ok = False
            continue
        if has_unsafe(topic):
            report(
                doc.line(*where, i), f"topic {topic!r} holds characters that are not shown", Severity.WARNING
            )
        topic = clean(topic, line=True).strip()
        if known_topics is not None and topic not in known_topics:
            unknown += 1
            hint = _closest(topic, known_topics) if unknown <= MAX_HINTS else None
            report(
                doc.line(*where, i),
                f"unknown topic {topic!r}: no deck has that id"
                + (f" (did you mean {hint!r}?)" if hint else ""),
            )
            ok = False
            continue
        topics.setdefault(topic, None)
    return tuple(topics) if ok else None


MAX_HINTS = 5  # "did you mean" costs a scan of every deck id: only for the first few unknown topics
_HINT_POOL = 5000


def _closest(name: str, choices: Iterable[str]) -> str | None:
    """The closest deck id, looked for among ids in the same folder when there are very many."""
    import difflib

    pool = list(choices)
    if len(pool) > _HINT_POOL:
        folder = name.split("/", 1)[0] + "/"
        pool = [c for c in pool if c.startswith(folder)][:_HINT_POOL]
    found = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    return found[0] if found else None


def load_plan_file(
    path: Path, root: Path, bundled: bool, known_topics: Collection[str] | None = None
) -> ParsedPlan:
    named = name_problem(path, root)
    text, problem = read_source(path)
    if text is None:
        return ParsedPlan(None, tuple(d for d in (named, problem) if d))
    parsed = parse_plan(text, content_id(path, root), str(path), bundled, known_topics)
    return ParsedPlan(parsed.plan, (named, *parsed.diagnostics) if named else parsed.diagnostics)


def iter_plan_files(root: Path, problems: list[Diagnostic] | None = None) -> Iterable[Path]:
    return iter_content_files(root, (".yaml", ".yml"), problems)


# --- calendar arithmetic -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanPosition:
    """Where `today` falls in a plan started on `start`."""

    plan: Plan
    start: date
    today: date
    day_index: int  # days since start; negative before the start

    @property
    def status(self) -> str:
        if self.day_index < 0:
            return "not-started"
        if self.week_number > len(self.plan.weeks):
            return "finished"
        return "active"

    @property
    def week_number(self) -> int:
        """1-based week; 0 before the start; len(weeks) + 1 or more once finished."""
        return self.day_index // 7 + 1 if self.day_index >= 0 else 0

    @property
    def day_of_week(self) -> int:
        return self.day_index % 7 + 1 if self.day_index >= 0 else 0

    @property
    def week(self) -> Week | None:
        if self.status != "active":
            return None
        return self.plan.weeks[self.week_number - 1]

    @property
    def today_topics(self) -> tuple[str, ...]:
        week = self.week
        return week.topics_for_day(self.day_of_week) if week else ()

    @property
    def reached_topics(self) -> tuple[str, ...]:
        """Every topic introduced up to and including today, in plan order."""
        if self.status == "not-started":
            return ()
        if self.status == "finished":
            return self.plan.topics
        seen: dict[str, None] = {}
        for week in self.plan.weeks[: self.week_number - 1]:
            for topic in week.topics_up_to_day(7):
                seen.setdefault(topic, None)
        current = self.plan.weeks[self.week_number - 1]
        for topic in current.topics_up_to_day(self.day_of_week):
            seen.setdefault(topic, None)
        return tuple(seen)


def position(plan: Plan, start: date, today: date) -> PlanPosition:
    return PlanPosition(plan=plan, start=start, today=today, day_index=(today - start).days)


# --- the active plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivePlan:
    plan: Plan | None
    start: date
    first_run: bool


def resolve_plan(settings: Mapping[str, str], collection: CollectionOfContent, today: date) -> ActivePlan:
    """The plan the user is following, and from when; `first_run` if they never chose one."""
    plan_id = settings.get(SETTING_PLAN)
    first_run = plan_id is None
    plan_id = plan_id or config.DEFAULT_PLAN
    plan = collection.plan(plan_id)
    if plan is None and not first_run:
        raise StudyError(
            f"the active plan {plan_id!r} was not found",
            "list plans with `study plan --list`, then pick one with `study plan --use NAME`",
        )
    start_text = settings.get(SETTING_PLAN_START)
    start = parse_date(start_text, "plan_start setting") if start_text else today
    return ActivePlan(plan, start, first_run)
