"""Week-by-week plans: YAML to `Plan`, and the calendar arithmetic of "where am I today".

A plan starts on a date the user picks (default: the day they first study). Day 0 is week 1 day 1;
weeks are 7 days long. Before the start the plan has not begun and nothing is due from it; after the
last week it is finished and every topic counts as reached.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import config
from .config import SETTING_PLAN, SETTING_PLAN_START, parse_date
from .errors import StudyError
from .files import content_id, iter_content_files, name_problem, read_source
from .model import Activity, Checkpoint, Diagnostic, Plan, Week
from .model import Collection as CollectionOfContent
from .textsafe import clean, describe_unsafe, has_unsafe, unsafe_lines
from .vocab import Severity

if TYPE_CHECKING:
    from . import yamlsrc

PLAN_KEYS = ("title", "description", "weeks")
WEEK_KEYS = ("week", "theme", "topics", "goals", "days", "activities", "checkpoint")
CHECKPOINT_KEYS = ("day", "areas", "target", "note")
# What a plan day can hold besides cards, as the source study plans use them: a gap assessment,
# a timed coding task, a system-design drill, a mock interview, project work, a reading.
ACTIVITY_KINDS = ("assessment", "coding", "design", "mock", "project", "reading")


PARSER_VERSION = 1  # bump whenever parse_plan's output can change: cached plans are then re-parsed


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
    known_areas: Collection[str] | None = None,
) -> ParsedPlan:
    """Parse one plan. With `known_topics`, topics that name no deck are reported too; with
    `known_areas`, checkpoint areas that no deck belongs to."""
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
    from . import yamlsrc  # on first use: `--help` and the plan arithmetic need no YAML parser

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
        week = _parse_week(raw, index, doc, report, known_topics, known_areas, shown)
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
    known_areas: Collection[str] | None,
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
    activities = _parse_activities(raw.get("activities"), where, doc, report, shown)
    checkpoints = _parse_checkpoints(raw.get("checkpoint"), where, doc, report, known_areas, shown)
    if not ok or topics is None or activities is None or checkpoints is None:
        return None
    if not topics and not days and not activities and not checkpoints:
        report(doc.line(*where), f"week {index + 1} names no topics, activities or checkpoint")
        return None
    goals = (shown(g, *where, "goals", i) for i, g in enumerate(goals_raw))
    return Week(
        number=index + 1,
        theme=shown(raw.get("theme") or "", *where, "theme"),
        topics=topics,
        goals=tuple(g for g in goals if g),
        days=tuple(sorted(days)),
        line=doc.line(*where),
        activities=activities,
        checkpoints=checkpoints,
    )


def _day_number(day: Any) -> int | None:
    return day if isinstance(day, int) and not isinstance(day, bool) and 1 <= day <= 7 else None


def _parse_activities(
    raw: Any, week: tuple[Any, ...], doc: yamlsrc.Located, report: Any, shown: Any
) -> tuple[Activity, ...] | None:
    """`activities: {3: ["text", {coding: "text"}]}`: day number to a list of activities, each
    plain text or one `kind: text` pair. None when any is malformed (the week is not used)."""
    if raw is None:
        return ()
    where = (*week, "activities")
    if not isinstance(raw, dict):
        report(doc.line(*where), "'activities' must map day numbers 1-7 to lists of activities")
        return None
    found: list[Activity] = []
    ok = True
    for day, items in raw.items():
        number = _day_number(day)
        if number is None:
            report(doc.line(*where, day), f"activity day {day!r} must be a number from 1 to 7")
            ok = False
            continue
        if not isinstance(items, list):
            items = [items]
            paths = [(*where, day)]
        else:
            paths = [(*where, day, i) for i in range(len(items))]
        for item, path in zip(items, paths, strict=True):
            activity = _parse_activity(item, number, path, doc, report, shown)
            if activity is None:
                ok = False
            else:
                found.append(activity)
    if not ok:
        return None
    return tuple(sorted(found, key=lambda a: a.day))  # stable: file order within a day


def _parse_activity(
    item: Any, day: int, path: tuple[Any, ...], doc: yamlsrc.Located, report: Any, shown: Any
) -> Activity | None:
    line = doc.line(*path)
    kind = ""
    text_path = path
    if isinstance(item, dict):
        if len(item) != 1:
            report(
                line,
                "an activity is text, or one 'kind: text' pair such as "
                f"'coding: Implement k-means in 25 minutes' (kinds: {', '.join(ACTIVITY_KINDS)})",
            )
            return None
        kind_raw, item = next(iter(item.items()))
        kind = str(kind_raw)
        text_path = (*path, kind_raw)
        if kind not in ACTIVITY_KINDS:
            hint = _closest(kind, ACTIVITY_KINDS)
            report(
                doc.line(*text_path),
                f"unknown activity kind {kind!r} (kinds: {', '.join(ACTIVITY_KINDS)})"
                + (f"; did you mean {hint!r}?" if hint else ""),
            )
            return None
    if isinstance(item, (dict, list, bool)):
        report(line, f"activity on day {day} must be text, got {type(item).__name__}")
        return None
    text = shown("" if item is None else item, *text_path)
    if not text:
        report(line, f"activity on day {day} has no text")
        return None
    return Activity(day=day, kind=kind, text=text, line=line)


def _parse_checkpoints(
    raw: Any,
    week: tuple[Any, ...],
    doc: yamlsrc.Located,
    report: Any,
    known_areas: Collection[str] | None,
    shown: Any,
) -> tuple[Checkpoint, ...] | None:
    """`checkpoint: {day: 7, areas: [...], target: 0.6, note: ...}`, or a list of such mappings on
    different days. None when any is malformed."""
    if raw is None:
        return ()
    where = (*week, "checkpoint")
    if isinstance(raw, dict):
        entries = [(raw, where)]
    elif isinstance(raw, list) and raw:
        entries = [(entry, (*where, i)) for i, entry in enumerate(raw)]
    else:
        report(
            doc.line(*where),
            "'checkpoint' must be a mapping such as {day: 7, areas: [Foundations], target: 0.6}, "
            "or a list of them",
        )
        return None
    found: list[Checkpoint] = []
    first_on: dict[int, int] = {}
    ok = True
    for entry, path in entries:
        checkpoint = _parse_checkpoint(entry, path, doc, report, known_areas, shown)
        if checkpoint is None:
            ok = False
            continue
        if checkpoint.day in first_on:
            report(
                checkpoint.line,
                f"a second checkpoint on day {checkpoint.day} (the first is at line "
                f"{first_on[checkpoint.day]}): put its areas into one checkpoint",
            )
            ok = False
            continue
        first_on[checkpoint.day] = checkpoint.line
        found.append(checkpoint)
    if not ok:
        return None
    return tuple(sorted(found, key=lambda c: c.day))


def _parse_checkpoint(
    raw: Any,
    path: tuple[Any, ...],
    doc: yamlsrc.Located,
    report: Any,
    known_areas: Collection[str] | None,
    shown: Any,
) -> Checkpoint | None:
    line = doc.line(*path)
    if not isinstance(raw, dict):
        report(line, "a checkpoint must be a mapping with 'day' and optionally 'areas', 'target', 'note'")
        return None
    for key in raw:
        if key not in CHECKPOINT_KEYS:
            report(
                doc.line(*path, key),
                f"unknown checkpoint key {key!r} (allowed: {', '.join(CHECKPOINT_KEYS)})",
            )
    ok = True
    day = _day_number(raw.get("day"))
    if day is None:
        got = f", got {raw['day']!r}" if "day" in raw else ""
        report(doc.line(*path, "day"), f"a checkpoint needs 'day': a number from 1 to 7{got}")
        ok = False
    target = raw.get("target")
    number = isinstance(target, (int, float)) and not isinstance(target, bool)
    if target is not None and not (number and 0 <= target <= 1):
        hint = f" ({target / 100:g} for {target:g}%)" if number and 1 < target <= 100 else ""
        report(
            doc.line(*path, "target"),
            f"checkpoint target {target!r} must be a share of subtopics rated know, from 0 to 1{hint}",
        )
        ok = False
    if isinstance(raw.get("note"), (dict, list)):
        report(doc.line(*path, "note"), "checkpoint 'note' must be text")
        ok = False
    areas = _checkpoint_areas(raw.get("areas", ()), (*path, "areas"), doc, report, known_areas)
    if areas is None or not ok or day is None:
        return None
    note = shown(raw.get("note") or "", *path, "note")
    return Checkpoint(
        day=day,
        areas=areas,
        target=None if target is None else float(target),
        note=note,
        line=line,
    )


def _checkpoint_areas(
    raw: Any,
    path: tuple[Any, ...],
    doc: yamlsrc.Located,
    report: Any,
    known_areas: Collection[str] | None,
) -> tuple[str, ...] | None:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)):
        report(doc.line(*path), "checkpoint 'areas' must be a list of area names such as [Foundations]")
        return None
    if isinstance(raw, list) and not raw:
        report(doc.line(*path), "checkpoint 'areas' is empty: leave it out to assess every area")
        return None
    areas: dict[str, None] = {}
    ok = True
    for i, area in enumerate(raw):
        item_line = doc.line(*path, i)  # a single `areas: Name` falls back to the key's line
        if not isinstance(area, str) or not clean(area, line=True).strip():
            report(item_line, f"checkpoint area {area!r} must be an area name such as 'Foundations'")
            ok = False
            continue
        area = clean(area, line=True).strip()
        if known_areas is not None and area not in known_areas:
            hint = _closest_area(area, known_areas)
            report(
                item_line,
                f"unknown area {area!r}: no deck is in that area"
                + (f" (did you mean {hint!r}?)" if hint else ""),
            )
            ok = False
            continue
        areas.setdefault(area, None)
    return tuple(areas) if ok else None


def _closest_area(name: str, known: Collection[str]) -> str | None:
    for area in known:
        if area.lower() == name.lower():
            return area
    return _closest(name, known)


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
    path: Path,
    root: Path,
    bundled: bool,
    known_topics: Collection[str] | None = None,
    known_areas: Collection[str] | None = None,
) -> ParsedPlan:
    named = name_problem(path, root)
    text, problem = read_source(path)
    if text is None:
        return ParsedPlan(None, tuple(d for d in (named, problem) if d))
    parsed = parse_plan(text, content_id(path, root), str(path), bundled, known_topics, known_areas)
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
    def today_activities(self) -> tuple[Activity, ...]:
        week = self.week
        return week.activities_on(self.day_of_week) if week else ()

    @property
    def today_checkpoints(self) -> tuple[Checkpoint, ...]:
        week = self.week
        return week.checkpoints_on(self.day_of_week) if week else ()

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


def day_date(start: date, week: int, day: int) -> date:
    """The calendar date of day `day` (1-7) of week `week` (1-based) of a plan started on `start`."""
    return start + timedelta(days=7 * (week - 1) + day - 1)


@dataclass(frozen=True)
class DatedCheckpoint:
    day: date
    week: int
    checkpoint: Checkpoint


def _overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return not a or not b or bool(set(a) & set(b))  # () is every area


def checkpoints(plan: Plan, start: date) -> tuple[DatedCheckpoint, ...]:
    """Every checkpoint of the plan with its date, in plan order."""
    return tuple(
        DatedCheckpoint(day_date(start, week.number, cp.day), week.number, cp)
        for week in plan.weeks
        for cp in week.checkpoints
    )


def _reassess(plan: Plan, week: int, checkpoint: Checkpoint) -> bool:
    for w in plan.weeks:
        for cp in w.checkpoints:
            if (w.number, cp.day) >= (week, checkpoint.day):
                return False
            if _overlaps(checkpoint.areas, cp.areas):
                return True
    return False


def gaps_command(plan: Plan, week: int, checkpoint: Checkpoint) -> str:
    """The `study gaps` command a checkpoint asks for. The first assessment of an area rates what is
    not rated yet (it may take several sittings); a later one re-asks everything (`--all`)."""
    import shlex

    parts = ["study gaps"]
    if _reassess(plan, week, checkpoint):
        parts.append("--all")
    parts += [f"--area {shlex.quote(area)}" for area in checkpoint.areas]
    return " ".join(parts)


def describe_checkpoint(plan: Plan, week: int, checkpoint: Checkpoint) -> str:
    """One line for a checkpoint: the command and the target, e.g.
    "checkpoint: `study gaps --all --area Foundations` (target 60% ready)"."""
    text = f"checkpoint: `{gaps_command(plan, week, checkpoint)}`"
    if not checkpoint.areas:
        text += " over every area"
    if checkpoint.target is None:
        return text + (" (baseline)" if not _reassess(plan, week, checkpoint) else "")
    return text + f" (target {checkpoint.target * 100:.0f}% ready)"


def describe_activity(activity: Activity) -> str:
    return f"{activity.kind}: {activity.text}" if activity.kind else activity.text


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
