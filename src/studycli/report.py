"""`study report` as data: one pure function from progress to a `Report`, and its two text forms.

The rich terminal view lives in `ui/report_view.py`; JSON and Markdown are produced here, because
they are plain text with a contract (JSON keys are documented in the README and pinned by a test;
Markdown must paste into notes as valid tables).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from . import daily, gaps, memory, mock, stats
from .model import CardState, Deck, GapRating, LoggedGrade, MockAnswer, Plan, SessionRow
from .plans import checkpoints as dated_checkpoints
from .plans import position
from .textsafe import md_code, md_text
from .vocab import SessionKind, SessionStatus, Source

SCHEMA_VERSION = 3
RECALL_DAYS = 30
FORECAST_DAYS = 14
HEATMAP_WEEKS = 13
SESSIONS_SHOWN = 10
BACKLOG = 30  # due reviews above which the report says reviews are piling up
RECALL_TARGET = 0.9  # what the product promises on interview day


def catch_up(due: int, review_limit: int, minutes: str) -> str:
    """Advice that can actually catch up: `study review` takes every due card, up to the day's limit."""
    if due <= review_limit:
        return f"`study review` clears them today ({minutes})"
    days = -(-due // review_limit)
    return (
        f"`study review` takes {review_limit} a day (your review_limit), so the backlog needs {days} "
        f"days; raise it with `study config set review_limit {min(due, 1000)}` to clear it sooner"
    )


@dataclass(frozen=True)
class ReportInputs:
    today: date
    decks: Sequence[Deck]  # every deck the user can see (the area filter is applied here)
    states: Mapping[str, CardState]
    reviews: Sequence[LoggedGrade]  # the window the report looks at (`Store.grades`)
    sessions: Sequence[SessionRow]
    ratings: Sequence[GapRating]
    plan: Plan | None = None
    plan_start: date | None = None  # None: the plan has not been started (no check yet)
    new_available: int = 0
    since: date | None = None
    area: str | None = None
    limits: daily.Limits | None = None
    seconds: tuple[float, bool] = (daily.DEFAULT_SECONDS_PER_ITEM, False)
    attempts: Sequence[memory.Attempt] = ()  # every first attempt, oldest first (for the estimate)
    # Grades per day from the first day the activity map shows (`Store.grades_per_day`), when
    # `reviews` holds only the report's window; None: counted from `reviews`.
    activity: Mapping[date, int] | None = None
    suspended: frozenset[str] = frozenset()  # never asked: out of due counts, listed on their own
    mock_answers: Sequence[MockAnswer] = ()  # every mock-round answer (`study mock`)
    # Each card's FSRS memory as of `today`, computed already (`usecases.recall`); when given,
    # `attempts` is not replayed. None and no attempts: nothing graded yet, no estimate.
    recall_model: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class PlanSection:
    id: str
    title: str
    status: str  # not-started | active | finished
    start: date | None
    week: int
    weeks: int
    day_of_week: int
    theme: str
    today_topics: tuple[str, ...]
    pace: stats.Pace | None


@dataclass(frozen=True)
class AreaRow:
    area: str
    cards_total: int
    cards_seen: int
    recall: stats.Tally
    readiness: float | None  # None: no subtopic of the area has been rated yet
    subtopics: gaps.AreaReadiness


@dataclass(frozen=True)
class Leech:
    card_id: str
    deck_id: str
    question: str
    lapses: int
    ef: float


@dataclass(frozen=True)
class AreaRetention:
    area: str
    cards: int
    now: float | None
    at_interview: float | None


@dataclass(frozen=True)
class Retention:
    """Estimated recall (FSRS-6) of every card seen: now, and on interview day with no more reviews."""

    model: str
    cards: int
    now: float | None
    at_interview: float | None
    areas: tuple[AreaRetention, ...]


@dataclass(frozen=True)
class Interview:
    day: date
    days_left: int
    new_deadline: date  # new material should be met by then (a review-only final week)
    plan_ends_after: bool  # the plan's last day falls after the interview
    unseen_at_deadline: int  # plan cards the current pace leaves unseen at the deadline
    needed_per_day: int | None  # new cards a day that would finish by the deadline


@dataclass(frozen=True)
class CheckpointArea:
    area: str
    readiness: float | None  # share of the area's subtopics rated know; None: none rated yet
    reassessed: bool  # some subtopic of the area was rated on or after the checkpoint's date


@dataclass(frozen=True)
class CheckpointResult:
    """The latest readiness of some areas against the target of the most recent checkpoint (that
    has passed) naming them."""

    day: date
    week: int
    target: float
    note: str
    areas: tuple[CheckpointArea, ...]
    readiness: float | None  # pooled over the areas' subtopics; None when none of them is rated

    @property
    def met(self) -> bool | None:
        return None if self.readiness is None else self.readiness >= self.target


@dataclass(frozen=True)
class Report:
    today: date
    since: date
    area: str | None
    plan: PlanSection | None
    due_now: int
    new_available: int
    streak: stats.Streak
    sessions: tuple[stats.SessionScore, ...]
    areas: tuple[AreaRow, ...]
    calibration: tuple[stats.Calibration, ...]
    forecast: tuple[tuple[date, int], ...]
    due_30: int
    heatmap: stats.Heatmap
    leeches: tuple[Leech, ...]
    deck_titles: Mapping[str, str]
    deck_areas: Mapping[str, str]
    suspended: tuple[Leech, ...] = ()  # suspended cards in scope, with their lapses
    mocks: tuple[mock.MockRound, ...] = ()  # mock rounds in the window, oldest first
    overdue: int = 0  # due before today: reviews that were not done on their day
    interview: Interview | None = None
    retention: Retention | None = None
    workload: daily.Workload | None = None
    review_limit: int = daily.DEFAULT_REVIEW_LIMIT
    checkpoints: tuple[CheckpointResult, ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing studied and nothing rated yet (in scope): the report has only a plan to show."""
        return not self.sessions and not any(a.cards_seen or a.readiness is not None for a in self.areas)


def build(inp: ReportInputs) -> Report:
    today = inp.today
    since = inp.since or today - timedelta(days=RECALL_DAYS - 1)
    decks = [d for d in inp.decks if inp.area is None or d.area == inp.area]
    deck_ids = {d.id for d in decks}
    card_ids = {cid for d in decks for cid in d.card_ids}
    deck_area = {d.id: d.area for d in inp.decks}
    states = {cid: s for cid, s in inp.states.items() if cid in card_ids and cid not in inp.suspended}
    reviews = [r for r in inp.reviews if r.deck_id in deck_ids] if inp.area else list(inp.reviews)

    # Plan position and pace
    plan_section: PlanSection | None = None
    if inp.plan is not None:
        plan = inp.plan
        plan_topic_ids = set(plan.topics)  # once: Plan.topics is recomputed on each access
        plan_cards = {cid for d in inp.decks if d.id in plan_topic_ids for cid in d.card_ids}
        checked_today = any(
            s.kind == SessionKind.CHECK and s.day == today and s.status == SessionStatus.COMPLETED
            for s in inp.sessions
        )
        if inp.plan_start is None:
            plan_section = PlanSection(
                plan.id, plan.title, "not-started", None, 0, len(plan.weeks), 0, "", (), None
            )
        else:
            pos = position(plan, inp.plan_start, today)
            seen = sum(1 for cid in plan_cards if cid in inp.states)
            the_pace = (
                stats.pace(len(plan_cards), 7 * len(plan.weeks), pos.day_index, checked_today, seen)
                if pos.status != "not-started"
                else None
            )
            week = pos.week
            plan_section = PlanSection(
                plan.id,
                plan.title,
                pos.status,
                inp.plan_start,
                pos.week_number,
                len(plan.weeks),
                pos.day_of_week,
                week.theme if week else "",
                pos.today_topics,
                the_pace,
            )

    # Today
    completed_days = [
        s.day for s in inp.sessions if s.kind == SessionKind.CHECK and s.status == SessionStatus.COMPLETED
    ]
    due_now = stats.due_outlook(states, today).due_now  # `states` holds only cards in scope

    # Sessions (first attempts only; scoped to the area's cards when --area is given)
    scores = [s for s in stats.session_scores(inp.sessions, reviews) if since <= s.day <= today]

    # Areas: coverage, measured recall, self-rated readiness
    items = gaps.inventory(decks, inp.plan.topics if inp.plan else ())
    current = gaps.latest(inp.ratings)
    readiness_rows = {r.area: r for r in gaps.readiness(items, current)}
    recall_by_area = stats.recall_by(reviews, lambda r: deck_area.get(r.deck_id), since, today)
    area_names = list(
        dict.fromkeys(d.area for d in gaps.deck_order(decks, inp.plan.topics if inp.plan else ()))
    )
    areas: list[AreaRow] = []
    for area in area_names:
        area_cards = [cid for d in decks if d.area == area for cid in d.card_ids]
        sub = readiness_rows.get(area, gaps.AreaReadiness(area, 0, 0, 0, 0))
        rated = sub.know + sub.unsure + sub.dunno
        areas.append(
            AreaRow(
                area,
                len(area_cards),
                sum(1 for cid in area_cards if cid in states),
                recall_by_area.get(area, stats.Tally()),
                sub.readiness if rated else None,
                sub,
            )
        )

    # Calibration per topic
    recall_by_deck = stats.recall_by(
        reviews, lambda r: r.deck_id if r.deck_id in deck_ids else None, since, today
    )
    calibration = stats.calibration(gaps.topic_self_score(items, current), recall_by_deck)

    # Forecast, activity, leeches
    fc: Sequence[tuple[date, int]] = ()  # a plain count of due dates without limits, else projected
    due_30 = stats.due_within(states, today, RECALL_DAYS)
    if inp.activity is not None and inp.area is None:
        heat = stats.heatmap((), today, HEATMAP_WEEKS, inp.since)
        heat = replace(heat, counts={d: n for d, n in inp.activity.items() if heat.start <= d <= today})
    else:
        heat = stats.heatmap((r.day for r in reviews), today, HEATMAP_WEEKS, inp.since)
    deck_of = {cid: d for d in decks for cid in d.card_ids}  # the few cards named are decoded

    def question(cid: str) -> str:
        card = deck_of[cid].card(cid)
        return card.question if card is not None else ""

    leeches = tuple(
        Leech(s.card_id, deck_of[s.card_id].id, question(s.card_id), s.lapses, s.ef)
        for s in stats.leeches(states)
    )
    held = tuple(
        Leech(
            cid,
            deck_of[cid].id,
            question(cid),
            inp.states[cid].lapses if cid in inp.states else 0,
            inp.states[cid].ef if cid in inp.states else 2.5,
        )
        for cid in sorted(inp.suspended)
        if cid in deck_of
    )

    overdue = sum(1 for s in states.values() if s.due is not None and s.due < today)
    limits = inp.limits
    interview = _interview(inp, limits) if limits is not None and limits.interview is not None else None
    graded = bool(inp.attempts) or inp.recall_model is not None
    retention = _retention(inp, decks, interview.day if interview else None) if graded else None
    work = None
    review_limit = daily.DEFAULT_REVIEW_LIMIT
    if limits is None:
        fc = stats.forecast(states, today, FORECAST_DAYS)
    else:
        review_limit = limits.review_limit
        work = daily.workload(states.values(), today, limits.new_per_day, inp.seconds)
        review_recall = stats.tally(
            r.quality
            for r in reviews
            if not r.repeat and r.source == Source.REVIEW and since <= r.day <= today
        )
        fc = daily.projected_forecast(states.values(), today, FORECAST_DAYS, review_limit, review_recall.rate)

    mocks = tuple(mock.history([a for a in inp.mock_answers if a.deck_id in deck_ids or not inp.area], since))

    checkpoints: tuple[CheckpointResult, ...] = ()
    if inp.plan is not None and inp.plan_start is not None:
        checkpoints = _checkpoints(inp, inp.plan, inp.plan_start, areas, readiness_rows, deck_area)

    return Report(
        mocks=mocks,
        checkpoints=checkpoints,
        overdue=overdue,
        interview=interview,
        retention=retention,
        workload=work,
        review_limit=review_limit,
        today=today,
        since=since,
        area=inp.area,
        plan=plan_section,
        due_now=due_now,
        new_available=inp.new_available,
        streak=stats.streak(completed_days, today),
        sessions=tuple(scores),
        areas=tuple(areas),
        calibration=tuple(calibration),
        forecast=tuple(fc),
        due_30=due_30,
        heatmap=heat,
        leeches=leeches,
        suspended=held,
        deck_titles={d.id: d.title for d in inp.decks},
        deck_areas=deck_area,
    )


def _checkpoints(
    inp: ReportInputs,
    plan: Plan,
    start: date,
    areas: Sequence[AreaRow],
    readiness_rows: Mapping[str, gaps.AreaReadiness],
    deck_area: Mapping[str, str],
) -> tuple[CheckpointResult, ...]:
    """Per area in scope, the most recent checkpoint with a target that has passed and names it
    (a checkpoint without areas names all); areas are grouped under their checkpoint, oldest first."""
    passed = [
        c for c in dated_checkpoints(plan, start) if c.day <= inp.today and c.checkpoint.target is not None
    ]
    chosen: dict[int, list[AreaRow]] = {}
    for row in areas:
        if row.subtopics.total == 0:
            continue
        latest = None
        for n, dated in enumerate(passed):
            if not dated.checkpoint.areas or row.area in dated.checkpoint.areas:
                latest = n
        if latest is not None:
            chosen.setdefault(latest, []).append(row)
    results: list[CheckpointResult] = []
    for n in sorted(chosen):
        dated = passed[n]
        assert dated.checkpoint.target is not None
        rated_since = {deck_area.get(r.deck_id) for r in inp.ratings if r.day >= dated.day}
        rows = [readiness_rows[r.area] for r in chosen[n] if r.area in readiness_rows]
        pooled = gaps.overall(rows)
        any_rated = any(r.readiness is not None for r in chosen[n])
        results.append(
            CheckpointResult(
                day=dated.day,
                week=dated.week,
                target=dated.checkpoint.target,
                note=dated.checkpoint.note,
                areas=tuple(CheckpointArea(r.area, r.readiness, r.area in rated_since) for r in chosen[n]),
                readiness=pooled.readiness if any_rated else None,
            )
        )
    return tuple(results)


def _interview(inp: ReportInputs, limits: daily.Limits) -> Interview:
    assert limits.interview is not None
    interview = limits.interview
    plan = inp.plan
    plan_last = daily.plan_end(inp.plan_start or inp.today, len(plan.weeks)) if plan else None
    deadline = daily.new_deadline(plan_last, interview) or interview
    unseen = 0
    needed: int | None = None
    if plan is not None:
        topics = set(plan.topics)  # once: Plan.topics walks every week
        plan_cards = [cid for d in inp.decks if d.id in topics for cid in d.card_ids]
        left = sum(1 for cid in plan_cards if cid not in inp.states)
        days = (deadline - inp.today).days + 1
        if left and days > 0:
            needed = -(-left // days)
            unseen = max(0, left - limits.new_per_day * days)
        elif left:
            unseen = left
    return Interview(
        day=interview,
        days_left=(interview - inp.today).days,
        new_deadline=deadline,
        plan_ends_after=plan_last is not None and plan_last >= interview,
        unseen_at_deadline=unseen,
        needed_per_day=needed,
    )


def _retention(inp: ReportInputs, decks: Sequence[Deck], interview: date | None) -> Retention:
    """The FSRS estimate over every card seen in scope, overall and per area."""
    in_scope = {cid: d.area for d in decks for cid in d.card_ids}
    model: Mapping[str, Any]
    if inp.recall_model is not None:
        model = inp.recall_model
    else:
        model = memory.replay_memories(
            a for a in inp.attempts if a.card_id in in_scope and a.day <= inp.today
        )
    at = interview if interview is not None and interview >= inp.today else None
    overall, per_area = memory.estimates(model, inp.today, at, in_scope)
    areas = [
        AreaRetention(area, e.cards, e.now, e.later)
        for area in dict.fromkeys(in_scope.values())  # the decks' order, as everywhere in the report
        for e in (per_area.get(area),)
        if e is not None
    ]
    return Retention(memory.model_name(), overall.cards, overall.now, overall.later, tuple(areas))


# --- JSON -----------------------------------------------------------------------------------------


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def to_json(report: Report) -> dict[str, Any]:
    """The documented, versioned JSON form (README "Report JSON"); keys are pinned by a test."""
    plan: dict[str, Any] | None = None
    if report.plan is not None:
        p = report.plan
        pace = None
        if p.pace is not None:
            pace = {
                "status": p.pace.status,
                "total_cards": p.pace.total_cards,
                "plan_days": p.pace.plan_days,
                "days_done": p.pace.days_done,
                "expected_seen": p.pace.expected,
                "seen": p.pace.seen,
                "delta_cards": p.pace.delta_cards,
                "delta_days": round(p.pace.delta_days, 1),
                "needed_per_day": p.pace.needed_per_day,
                "overdue_reviews": report.overdue,
            }
        plan = {
            "id": p.id,
            "title": p.title,
            "status": p.status,
            "start": p.start.isoformat() if p.start else None,
            "week": p.week,
            "weeks": p.weeks,
            "day_of_week": p.day_of_week,
            "theme": p.theme,
            "today_topics": list(p.today_topics),
            "pace": pace,
        }
    return {
        "schema": SCHEMA_VERSION,
        "date": report.today.isoformat(),
        "since": report.since.isoformat(),
        "area": report.area,
        "plan": plan,
        "today": {
            "due_now": report.due_now,
            "new_available": report.new_available,
            "streak": report.streak.current,
            "longest_streak": report.streak.longest,
            "checked_today": report.streak.checked_today,
        },
        "sessions": [
            {
                "date": s.day.isoformat(),
                "status": s.status,
                "items": s.items.total,
                "score": _ratio(s.items.rate),
                "new_items": s.new.total,
                "new_score": _ratio(s.new.rate),
                "review_items": s.review.total,
                "review_score": _ratio(s.review.rate),
            }
            for s in report.sessions
        ],
        "areas": [
            {
                "area": a.area,
                "cards_total": a.cards_total,
                "cards_seen": a.cards_seen,
                "recall": _ratio(a.recall.rate),
                "recall_reviews": a.recall.total,
                "readiness": _ratio(a.readiness),
                "subtopics": a.subtopics.total,
                "know": a.subtopics.know,
                "unsure": a.subtopics.unsure,
                "dunno": a.subtopics.dunno,
            }
            for a in report.areas
        ],
        "calibration": [
            {
                "topic": c.topic,
                "area": report.deck_areas.get(c.topic),
                "self_score": _ratio(c.self_score),
                "rated_subtopics": c.rated,
                "recall": _ratio(c.recall),
                "reviews": c.reviews,
                "kind": c.kind,
            }
            for c in report.calibration
        ],
        "forecast": {
            "days": [{"date": d.isoformat(), "due": n} for d, n in report.forecast],
            "next_30_days": report.due_30,
        },
        "activity": {
            "start": report.heatmap.start.isoformat(),
            "end": report.heatmap.end.isoformat(),
            "days": [
                {
                    "date": (report.heatmap.start + timedelta(days=n)).isoformat(),
                    "reviews": report.heatmap.count(report.heatmap.start + timedelta(days=n)),
                }
                for n in range((report.heatmap.end - report.heatmap.start).days + 1)
            ],
        },
        "interview": None
        if report.interview is None
        else {
            "date": report.interview.day.isoformat(),
            "days_left": report.interview.days_left,
            "new_deadline": report.interview.new_deadline.isoformat(),
            "unseen_at_deadline": report.interview.unseen_at_deadline,
            "needed_per_day": report.interview.needed_per_day,
        },
        "retention": None
        if report.retention is None
        else {
            "model": report.retention.model,
            "estimate": True,
            "cards": report.retention.cards,
            "now": _ratio(report.retention.now),
            "at_interview": _ratio(report.retention.at_interview),
            "areas": [
                {
                    "area": a.area,
                    "cards": a.cards,
                    "now": _ratio(a.now),
                    "at_interview": _ratio(a.at_interview),
                }
                for a in report.retention.areas
            ],
        },
        "workload": None
        if report.workload is None
        else {
            "due_now": report.workload.due_now,
            "overdue": report.overdue,
            "due_next_7_days": report.workload.due_week,
            "new_per_day": report.workload.new_per_day,
            "review_limit": report.review_limit,
            "items_per_day": round(report.workload.items_per_day, 1),
            "minutes_per_day": round(report.workload.minutes_per_day, 1),
            "seconds_per_item": round(report.workload.seconds_per_item, 1),
            "seconds_measured": report.workload.measured,
        },
        "mocks": [
            {
                "date": m.day.isoformat(),
                "questions": m.summary.asked,
                "score": _ratio(m.summary.score),
                "mean_seconds": None if m.summary.mean_seconds is None else round(m.summary.mean_seconds, 1),
                "timed_out": m.summary.timed_out,
            }
            for m in report.mocks
        ],
        "checkpoints": [
            {
                "date": cp.day.isoformat(),
                "week": cp.week,
                "target": cp.target,
                "readiness": _ratio(cp.readiness),
                "met": cp.met,
                "note": cp.note,
                "areas": [
                    {
                        "area": a.area,
                        "readiness": _ratio(a.readiness),
                        "met": None if a.readiness is None else a.readiness >= cp.target,
                        "reassessed": a.reassessed,
                    }
                    for a in cp.areas
                ],
            }
            for cp in report.checkpoints
        ],
        "leeches": [
            {
                "card_id": lc.card_id,
                "deck": lc.deck_id,
                "question": lc.question,
                "lapses": lc.lapses,
                "ef": lc.ef,
            }
            for lc in report.leeches
        ],
        "suspended": [
            {"card_id": sc.card_id, "deck": sc.deck_id, "question": sc.question, "lapses": sc.lapses}
            for sc in report.suspended
        ],
    }


# --- Markdown -------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Untrusted text in Markdown (a table cell or a line): sanitised, on one line, and inert (see
    `textsafe.md_text`): no link, image, HTML, code span or cell break can start."""
    return md_text(text)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _bar(fraction: float | None, width: int = 10) -> str:
    if fraction is None:
        return ""
    full = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * full + "░" * (width - full)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: Sequence[str]) -> list[str]:
    marks = {"l": ":---", "r": "---:", "c": ":---:"}
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks[a] for a in align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def describe_pace(pace: stats.Pace, overdue: int = 0) -> str:
    """New-card pace and review debt in one honest line: new cards met on time mean nothing if
    the reviews that keep them are not done."""
    if pace.status == "on-track":
        head = f"on track for new cards ({pace.seen} met, {pace.expected} planned by now)"
    else:
        n = abs(pace.delta_cards)
        days = abs(pace.delta_days)
        head = f"{pace.status} by {n} new card(s) (about {days:.1f} day(s)): {pace.seen} met, {pace.expected} planned by now"
    if overdue:
        head += f", but {overdue} review(s) overdue"
    if pace.needed_per_day is not None:
        head += f"; {pace.needed_per_day} new a day finishes on time"
    return head


def pace_ok(report: Report) -> bool:
    """On track means both: new cards at pace and no review left undone from an earlier day."""
    p = report.plan
    return report.overdue == 0 and (p is None or p.pace is None or p.pace.status != "behind")


def _pct0(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def workload_sentence(report: Report) -> str | None:
    w = report.workload
    if w is None:
        return None
    reviews = w.due_week / daily.WORKLOAD_DAYS
    basis = "your logged average" if w.measured else "a stated default until 20 answers are timed"
    return (
        f"about {w.items_per_day:.0f} items a day ({w.new_per_day} new + {reviews:.0f} reviews, the average "
        f"of the {w.due_week} due over the next 7 days), {daily.minutes(w.minutes_per_day)} a day at "
        f"{w.seconds_per_item:.0f} s an item ({basis})"
    )


def interview_sentences(report: Report) -> list[str]:
    iv = report.interview
    if iv is None:
        return []
    if iv.days_left < 0:
        return [f"Interview was on {iv.day.isoformat()}: scheduling is plain SM-2 again."]
    when = "today" if iv.days_left == 0 else f"in {iv.days_left} day(s)"
    out = [
        f"Interview on {iv.day.isoformat()}, {when}. New material should be met by "
        f"{iv.new_deadline.isoformat()} so every card is reviewed at least twice before the date; "
        "no review is scheduled after it."
    ]
    if iv.plan_ends_after:
        out.append(
            "Your plan runs past that deadline, so its last topics will not be reached in time: choose a "
            "shorter plan (`study plan --list`) or restart it earlier with `study plan --start`."
        )
    elif iv.unseen_at_deadline and iv.needed_per_day is not None:
        out.append(
            f"At the current cap {iv.unseen_at_deadline} plan card(s) stay unseen by then; "
            f"{iv.needed_per_day} new a day would finish (`study config set new_per_day {iv.needed_per_day}`)."
        )
    return out


def checkpoint_lines(report: Report, name: Callable[[str], str] = str) -> list[tuple[str, str]]:
    """One line per checkpoint area ("Foundations 52% ready vs target 60% at the week-4 checkpoint
    (2026-03-29): below target"), each checkpoint's note, and how to re-rate when it is due; each
    with its tone: "met", "below" or "" (information). `name` renders untrusted text (area names,
    notes) for the output format."""
    out: list[tuple[str, str]] = []
    stale = False
    for cp in report.checkpoints:
        at = f"target {cp.target * 100:.0f}% at the week-{cp.week} checkpoint ({cp.day.isoformat()})"
        for a in cp.areas:
            if a.readiness is None:
                out.append((f"{name(a.area)} not rated yet vs {at}", "below"))
                stale = True
                continue
            verdict = "met" if a.readiness >= cp.target else "below target"
            line = f"{name(a.area)} {a.readiness * 100:.0f}% ready vs {at}: {verdict}"
            if not a.reassessed:
                line += ", not re-rated since"
                stale = True
            out.append((line, "met" if verdict == "met" else "below"))
        if cp.note:
            out.append((f"Week-{cp.week} checkpoint: {name(cp.note)}", ""))
    if stale:
        out.append(
            ("Rate the areas again with `study gaps --all --area NAME` to measure against the target.", "")
        )
    return out


def retention_sentence(report: Report) -> str | None:
    r = report.retention
    if r is None or r.now is None:
        return None
    text = f"{_pct0(r.now)} now of the {r.cards} card(s) seen"
    if r.at_interview is not None:
        text += f"; {_pct0(r.at_interview)} on interview day if no more reviews were done"
        text += " (target 90%)"
    return text + f". An estimate by {r.model}."


def to_markdown(report: Report) -> str:
    out: list[str] = [f"# Study report, {report.today.isoformat()}"]
    if report.area:
        out.append(f"\nArea: {_cell(report.area)}")
    p = report.plan
    out.append("\n## Plan")
    if p is None:
        out.append("\nNo plan is active.")
    elif p.status == "not-started":
        out.append(f"\n{_cell(p.title)} ({p.weeks} weeks) starts with your first `study check`.")
    else:
        week = f"week {p.week} of {p.weeks}, day {p.day_of_week}" if p.status == "active" else "finished"
        out.append(f"\n**{_cell(p.title)}**: {week}" + (f", *{_cell(p.theme)}*" if p.theme else ""))
        if p.today_topics:
            out.append("\nToday's topics: " + ", ".join(md_code(t) for t in p.today_topics))
        if p.pace is not None:
            out.append(f"\nPace: {describe_pace(p.pace, report.overdue)}.")
        lines = checkpoint_lines(report, _cell)
        if lines:
            out.append("\nCheckpoints:\n")
            out += [f"- {line}" for line, _ in lines]
    for sentence in interview_sentences(report):
        out.append(f"\n{sentence}")
    out.append("\n## Today\n")
    advice = ""
    if report.due_now > BACKLOG and report.workload is not None:
        minutes = daily.minutes(report.workload.minutes_for(report.due_now))
        advice = f" ({catch_up(report.due_now, report.review_limit, minutes)})"
    out.append(
        f"- Due now: {report.due_now}"
        + (f", {report.overdue} of them overdue" if report.overdue else "")
        + advice
    )
    work = workload_sentence(report)
    if work:
        out.append(f"- Workload: {work}")
    out.append(f"- New available: {report.new_available}")
    s = report.streak
    out.append(
        f"- Streak: {s.current} day(s)"
        + ("" if s.checked_today else " (today's check not done yet)")
        + f", longest {s.longest}"
    )
    if report.empty:
        out.append(
            "\nNothing yet: run `study check` (and `study gaps`) and the rest of this report fills in."
        )
        return "\n".join(out) + "\n"

    out.append("\n## Knowledge checks\n")
    if report.sessions:
        shown = report.sessions[-SESSIONS_SHOWN:]
        rows = [
            [x.day.isoformat(), str(x.items.total), _pct(x.items.rate), _pct(x.new.rate), _pct(x.review.rate)]
            for x in reversed(shown)
        ]
        out += _table(["date", "items", "score", "new", "review"], rows, "lrrrr")
        out.append(
            f"\nTrend (oldest → newest): `{stats.sparkline([x.items.rate for x in report.sessions[-30:]])}`"
        )
    else:
        out.append(f"No checks since {report.since.isoformat()}.")

    retention = retention_sentence(report)
    if retention:
        out.append(f"\n## Estimated recall\n\n{retention}\n")
        assert report.retention is not None
        rows = [
            [_cell(a.area), str(a.cards), _pct(a.now), _pct(a.at_interview)] for a in report.retention.areas
        ]
        out += _table(["area", "cards", "now", "interview day"], rows, "lrrr")

    out.append(
        f"\n## Areas\n\nRecall: first-attempt grades of 3+ since {report.since.isoformat()}. "
        "Readiness: share of subtopics you rated *know*.\n"
    )
    rows = [
        [
            _cell(a.area),
            f"{a.cards_seen}/{a.cards_total}",
            _pct(a.recall.rate) + (f" ({a.recall.total})" if a.recall.total else ""),
            _bar(a.recall.rate),
            _pct(a.readiness),
            _bar(a.readiness),
        ]
        for a in report.areas
    ]
    out += _table(["area", "seen", "recall", "", "ready", ""], rows, "lrrlrl")

    out.append("\n## Calibration\n")
    if report.calibration:
        rows = [
            [md_code(c.topic), c.kind, f"{c.self_score * 100:.0f}%", f"{c.recall * 100:.0f}% ({c.reviews})"]
            for c in report.calibration
        ]
        out += _table(["topic", "", "self-rating", "recall"], rows, "llrr")
    else:
        out.append("No topic where your self-rating and your recall disagree sharply.")

    out.append("\n## Forecast\n")
    peak = max((n for _, n in report.forecast), default=0)
    rows = [
        [d.isoformat(), d.strftime("%a"), str(n), _bar(n / peak if peak else 0.0, 20)]
        for d, n in report.forecast
    ]
    out += _table(["date", "", "due", ""], rows, "llrl")
    out.append(
        f"\nDue in the next 30 days (overdue included): {report.due_30}. Each day counts what the review "
        "limit carried over and the reviewed cards coming back."
    )

    out.append("\n## Activity\n")
    out.append("```text")
    out += heatmap_lines(report.heatmap)
    out.append("```")

    if report.mocks:
        out.append("\n## Mock rounds\n")
        rows = [
            [
                m.day.isoformat(),
                str(m.summary.asked),
                _pct(m.summary.score),
                "–" if m.summary.mean_seconds is None else f"{m.summary.mean_seconds:.0f} s",
                str(m.summary.timed_out),
            ]
            for m in reversed(report.mocks[-SESSIONS_SHOWN:])
        ]
        out += _table(["date", "questions", "score", "time a question", "time-outs"], rows, "lrrrr")

    out.append("\n## Weak items\n")
    if report.leeches:
        rows = [
            [_cell(lc.question), md_code(lc.deck_id), str(lc.lapses), f"{lc.ef:.2f}"] for lc in report.leeches
        ]
        out += _table(["card", "deck", "lapses", "ease"], rows, "llrr")
    else:
        out.append("None: no card has 4+ lapses or ease at the 1.3 floor.")
    if report.suspended:
        out.append(f"\nSuspended (never asked until `study unsuspend`): {len(report.suspended)}\n")
        rows = [[_cell(sc.question), md_code(sc.deck_id), str(sc.lapses)] for sc in report.suspended]
        out += _table(["card", "deck", "lapses"], rows, "llr")
    return "\n".join(out) + "\n"


HEAT_CHARS = "·░▒▓█"


def month_labels(heat: stats.Heatmap) -> str:
    """Month names above the heatmap columns (two characters per week), the later one winning a clash."""
    marks: list[tuple[int, str]] = []
    for w in range(heat.weeks):
        monday = heat.start + timedelta(days=7 * w)
        previous = monday - timedelta(days=7)
        if w == 0 or monday.month != previous.month:
            marks.append((2 * w, monday.strftime("%b")))
    kept = [m for n, m in enumerate(marks) if n + 1 == len(marks) or marks[n + 1][0] > m[0] + len(m[1])]
    line = ""
    for pos, name in kept:
        line = line.ljust(pos) + name
    return line


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def heat_rows(heat: stats.Heatmap) -> list[tuple[str, list[int]]]:
    """Per weekday, the heat level (0-4) of each week's day up to today: the grid both views draw."""
    peak = max(heat.counts.values(), default=0)
    rows: list[tuple[str, list[int]]] = []
    for wd, name in enumerate(WEEKDAYS):
        days = (heat.start + timedelta(days=7 * w + wd) for w in range(heat.weeks))
        rows.append((name, [stats.heat_level(heat.count(d), peak) for d in days if d <= heat.end]))
    return rows


def heat_legend(heat: stats.Heatmap) -> str:
    active = sum(1 for v in heat.counts.values() if v)
    peak = max(heat.counts.values(), default=0)
    return f"{sum(heat.counts.values())} reviews on {active} day(s), busiest {peak} · "


def heatmap_lines(heat: stats.Heatmap) -> list[str]:
    """A calendar grid, one row per weekday and one column per week, as plain characters."""
    lines = ["    " + month_labels(heat)]
    lines += [
        f"{name} " + " ".join(HEAT_CHARS[level] for level in levels) for name, levels in heat_rows(heat)
    ]
    lines.append("    " + heat_legend(heat) + "· none ░▒▓█ more")
    return lines
