"""Figures computed from card states and the review log: pure functions over plain data."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from .model import CardState, LoggedGrade, SessionRow
from .rules import LEECH_LAPSES, MIN_EF, PASS_QUALITY
from .vocab import SessionKind, Source


@dataclass(frozen=True)
class DueOutlook:
    due_now: int  # due today or earlier
    tomorrow: int
    within_week: int  # due in the next 7 days, tomorrow included
    next_date: date | None  # first due date after today, if any


def due_outlook(
    states: Mapping[str, CardState], today: date, card_ids: Collection[str] | None = None
) -> DueOutlook:
    """What the schedule holds from `today` on; `card_ids` limits it to cards that still exist."""
    due_now = tomorrow = week = 0
    next_date: date | None = None
    next_day, next_week = today + timedelta(days=1), today + timedelta(days=7)
    for card_id, state in states.items():
        due = state.due
        if due is None or (card_ids is not None and card_id not in card_ids):
            continue
        if due <= today:
            due_now += 1
            continue
        if due == next_day:
            tomorrow += 1
        if due <= next_week:
            week += 1
        if next_date is None or due < next_date:
            next_date = due
    return DueOutlook(due_now, tomorrow, week, next_date)


# --- report figures -------------------------------------------------------------------------------
#
# Conventions shared by every function below:
# - "recalled" means a first-attempt grade of 3 or more (SM-2's own pass mark). Same-check repeats
#   (rule 7) are excluded: they follow seeing the answer minutes earlier and would flatter recall.
# - Day boundaries are the `day` each review was logged under (the study day, which honours
#   STUDY_TODAY), never wall-clock timestamps.

G = TypeVar("G", bound=LoggedGrade)

RECALLED = PASS_QUALITY
EF_FLOOR = MIN_EF


def first_attempts(reviews: Iterable[G]) -> list[G]:
    return [r for r in reviews if not r.repeat]


@dataclass(frozen=True)
class Tally:
    recalled: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        """Share recalled, or None with no evidence (never a misleading 0%)."""
        return self.recalled / self.total if self.total else None

    def add(self, quality: int) -> Tally:
        return Tally(self.recalled + (quality >= RECALLED), self.total + 1)


def recall_by(
    reviews: Iterable[LoggedGrade], key: Callable[[LoggedGrade], str | None], since: date, until: date
) -> dict[str, Tally]:
    """First-attempt recall grouped by `key` (deck, area, …) over the days since..until inclusive."""
    counts: dict[str, list[int]] = {}  # [recalled, total]: a Tally per grade costs more than the rest
    for r in reviews:
        if r.repeat or not since <= r.day <= until:
            continue
        group = key(r)
        if group is None:
            continue
        count = counts.get(group)
        if count is None:
            count = counts[group] = [0, 0]
        count[0] += r.quality >= RECALLED
        count[1] += 1
    return {group: Tally(recalled, total) for group, (recalled, total) in counts.items()}


def tally(qualities: Iterable[int]) -> Tally:
    """The Tally of these first-attempt grades."""
    recalled = total = 0
    for quality in qualities:
        recalled += quality >= RECALLED
        total += 1
    return Tally(recalled, total)


@dataclass(frozen=True)
class SessionScore:
    session_id: int
    day: date
    status: str
    items: Tally
    new: Tally
    review: Tally


def session_scores(sessions: Iterable[SessionRow], reviews: Iterable[LoggedGrade]) -> list[SessionScore]:
    """Per knowledge check (oldest first): first-attempt score overall, on new cards and on reviews.

    Checks in which nothing was graded (stopped at the first card) are left out.
    """
    by_session: dict[int, list[LoggedGrade]] = {}
    for r in reviews:
        if r.session_id is not None and not r.repeat:
            by_session.setdefault(r.session_id, []).append(r)
    scores: list[SessionScore] = []
    for s in sessions:
        if s.kind != SessionKind.CHECK or s.id not in by_session:
            continue
        grades = by_session[s.id]
        items = tally(r.quality for r in grades)
        new = tally(r.quality for r in grades if r.source == Source.NEW)
        review = tally(r.quality for r in grades if r.source != Source.NEW)
        scores.append(SessionScore(s.id, s.day, s.status, items, new, review))
    return scores


@dataclass(frozen=True)
class Streak:
    current: int  # consecutive days with a completed check, ending today (or yesterday, if today is open)
    longest: int
    checked_today: bool


def streak(days: Iterable[date], today: date) -> Streak:
    """Streak of study days. Today not yet done does not break it: it is still today."""
    done = {d for d in days if d <= today}
    checked_today = today in done
    current = 0
    cursor = today if checked_today else today - timedelta(days=1)
    while cursor in done:
        current += 1
        cursor -= timedelta(days=1)
    longest = run = 0
    previous: date | None = None
    for d in sorted(done):
        run = run + 1 if previous is not None and d - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = d
    return Streak(current, longest, checked_today)


def forecast(
    states: Mapping[str, CardState], today: date, days: int = 14, card_ids: Collection[str] | None = None
) -> list[tuple[date, int]]:
    """Cards due on each of the next `days` days starting today; today's count includes the overdue."""
    counts = [0] * days
    for card_id, state in states.items():
        if state.due is None or (card_ids is not None and card_id not in card_ids):
            continue
        offset = max((state.due - today).days, 0)
        if offset < days:
            counts[offset] += 1
    return [(today + timedelta(days=n), counts[n]) for n in range(days)]


def due_within(
    states: Mapping[str, CardState], today: date, days: int = 30, card_ids: Collection[str] | None = None
) -> int:
    """Reviews falling due from today through today + days - 1, the overdue included: the sum of
    `forecast` over those days, counted in one pass."""
    last = today + timedelta(days=days - 1)
    return sum(
        1
        for card_id, state in states.items()
        if state.due is not None and state.due <= last and (card_ids is None or card_id in card_ids)
    )


@dataclass(frozen=True)
class Heatmap:
    start: date  # a Monday, so columns are calendar weeks
    end: date  # today
    counts: Mapping[date, int]

    @property
    def weeks(self) -> int:
        return (self.end - self.start).days // 7 + 1

    def count(self, day: date) -> int:
        return self.counts.get(day, 0)


def heatmap(review_days: Iterable[date], today: date, weeks: int = 13, since: date | None = None) -> Heatmap:
    """Reviews per day over at least `weeks` calendar weeks ending with today's week (or from `since`)."""
    first = today - timedelta(days=7 * (weeks - 1))
    if since is not None and since < first:
        first = since
    start = first - timedelta(days=first.weekday())
    counts: dict[date, int] = {}
    for d in review_days:
        if start <= d <= today:
            counts[d] = counts.get(d, 0) + 1
    return Heatmap(start, today, counts)


def heat_level(count: int, peak: int) -> int:
    """0 for no reviews, else 1..4 by quarter of the busiest day, so the scale suits any volume."""
    if count <= 0 or peak <= 0:
        return 0
    return min(4, max(1, -(-4 * count // peak)))


def leeches(states: Mapping[str, CardState], card_ids: Collection[str] | None = None) -> list[CardState]:
    """Cards that keep failing: 4+ lapses, or ease at SM-2's 1.3 floor. Worst first."""
    found = [
        s
        for cid, s in states.items()
        if (card_ids is None or cid in card_ids) and (s.lapses >= LEECH_LAPSES or s.ef <= EF_FLOOR + 1e-9)
    ]
    return sorted(found, key=lambda s: (-s.lapses, s.ef, s.card_id))


@dataclass(frozen=True)
class Pace:
    """New-card introduction against an even spread of the plan's cards over its days."""

    total_cards: int
    plan_days: int
    days_done: int  # study days counted so far (today counts once today's check is done)
    expected: int
    seen: int

    @property
    def per_day(self) -> float:
        return self.total_cards / self.plan_days if self.plan_days else 0.0

    @property
    def delta_cards(self) -> int:
        return self.seen - self.expected

    @property
    def delta_days(self) -> float:
        return self.delta_cards / self.per_day if self.per_day else 0.0

    @property
    def status(self) -> str:
        """on-track within one day's worth of cards either way; else behind or ahead."""
        if abs(self.delta_cards) <= max(1.0, self.per_day):
            return "on-track"
        return "behind" if self.delta_cards < 0 else "ahead"

    @property
    def needed_per_day(self) -> int | None:
        """New cards a day needed to finish on time from tomorrow; None when the plan is over."""
        left = self.plan_days - self.days_done
        if left <= 0:
            return None
        return max(0, -(-(self.total_cards - self.seen) // left))


def pace(total_cards: int, plan_days: int, day_index: int, checked_today: bool, seen: int) -> Pace:
    """`day_index` is days since the plan started (0 on the first day)."""
    days_done = min(max(day_index + (1 if checked_today else 0), 0), plan_days)
    expected = round(total_cards * days_done / plan_days) if plan_days else 0
    return Pace(total_cards, plan_days, days_done, expected, min(seen, total_cards))


@dataclass(frozen=True)
class Calibration:
    topic: str
    self_score: float  # mean self-rating over the topic's rated subtopics: know 1, unsure 0.5, dunno 0
    rated: int
    recall: float
    reviews: int

    @property
    def kind(self) -> str:
        return "overconfident" if self.self_score > self.recall else "underconfident"


OVERCONFIDENT = (0.75, 0.60)  # self-rating at least this, recall below this
UNDERCONFIDENT = (0.25, 0.90)  # self-rating at most this, recall above this
MIN_EVIDENCE = 5


def calibration(
    self_scores: Mapping[str, tuple[float, int]], recall: Mapping[str, Tally], min_reviews: int = MIN_EVIDENCE
) -> list[Calibration]:
    """Topics where the self-assessment and measured recall disagree most, biggest gap first.

    Overconfident: rated mostly know (score >= 0.75) but recalled < 60%. Underconfident: rated
    mostly dunno (score <= 0.25) but recalled > 90%. Needs `min_reviews` first attempts, so a
    single unlucky card cannot flag a topic.
    """
    found: list[Calibration] = []
    for topic, (score, rated) in self_scores.items():
        tally = recall.get(topic)
        if tally is None or tally.total < min_reviews or tally.rate is None:
            continue
        rate = tally.rate
        over = score >= OVERCONFIDENT[0] and rate < OVERCONFIDENT[1]
        under = score <= UNDERCONFIDENT[0] and rate > UNDERCONFIDENT[1]
        if over or under:
            found.append(Calibration(topic, score, rated, rate, tally.total))
    return sorted(found, key=lambda c: (-abs(c.self_score - c.recall), c.topic))


def sparkline(values: Sequence[float | None]) -> str:
    """Scores in [0, 1] as block characters (a gap for None): a trend readable without colour."""
    blocks = "▁▂▃▄▅▆▇█"
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        else:
            out.append(blocks[min(len(blocks) - 1, max(0, int(v * (len(blocks) - 1) + 0.5)))])
    return "".join(out)
