"""Policies of the daily loop around SM-2: caps, the interview-date due rule, review order, workload.

SM-2 (`sm2.py`) stays exactly the 1990 text. What a real study schedule needs on top of it is
policy, and each policy here is a pure function over plain data whose name says what it decides:

* **Daily new-card cap** (`paced_new_per_day`): new cards a day that finish the plan on time, or by
  the new-material deadline before an interview when that is earlier. Recomputed each morning from
  what is left, so a missed day raises tomorrow's pace a little instead of piling up.
* **Interview-date due rule** (`interview_due`): no grade given before the interview schedules its
  card after it. SM-2's EF, repetitions and interval are untouched; only the due date is pulled
  into the last `INTERVIEW_SPREAD_DAYS` days before the interview, onto the least loaded day, so
  that every card is seen once more shortly before the date without one day piling up. A card
  graded inside that final window is due on the interview day itself at the latest (its last look
  was already close to the date; pulling it again would review it twice in the same few days).
* **Review order** (`review_order`): most overdue *relative to its interval* first. Under any
  forgetting curve whose stability grows with the interval (SM-2's premise, and FSRS's), that is
  the card with the lowest recall now, so stopping a long review early loses the least. It needs
  no replay of the review log and is cheap for any collection size.
* **Workload** (`workload`): items a day and minutes a day, from the forecast and the seconds
  actually logged per answer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .model import CardState
from .vocab import Source

INTERVIEW_SPREAD_DAYS = 5  # pulled-forward reviews land at least in the last 5 days before the interview
MAX_SPREAD_DAYS = 14  # ... and, for well-learnt cards, up to 14 days before it
NEW_CUTOFF_DAYS = 7  # new material ends a week before the interview: the final week is reviews only
DEFAULT_NEW_PER_DAY = 10  # without a plan, or for decks past the plan's end
MAX_PACED_NEW_PER_DAY = 30  # a derived pace above this is not humane; the report says what is needed
DEFAULT_REVIEW_LIMIT = 200  # reviews a day, across checks and `study review` (Anki's default)
NEW_SHARE = 0.7  # the knowledge check's protocol: 70% new, 30% review
MIN_CHECK_SIZE = 10
DEFAULT_SECONDS_PER_ITEM = 30.0  # until enough answers have been timed
MIN_TIMED_ANSWERS = 20
ANSWER_CAP_S = 600.0  # one answer counts at most this long: the person walked away
WORKLOAD_DAYS = 7


# --- the daily new-card cap ------------------------------------------------------------------------


def new_deadline(plan_end: date | None, interview: date | None) -> date | None:
    """Last day new material should be introduced: the plan's last day, or a week before the
    interview if that is earlier (so each new card gets its 1- and 6-day reviews before the date)."""
    cutoff = interview - timedelta(days=NEW_CUTOFF_DAYS) if interview else None
    days = [d for d in (plan_end, cutoff) if d is not None]
    return min(days) if days else None


@dataclass(frozen=True)
class NewPace:
    per_day: int  # the cap in force today
    needed: int | None  # what would finish on time (None: no deadline); may exceed `per_day`
    reason: str  # plan | interview | past-deadline | final-week | no-plan | plan-done


def paced_new_per_day(remaining: int, today: date, plan_end: date | None, interview: date | None) -> NewPace:
    """The default daily new-card cap.

    `remaining` is the plan's never-seen cards as the day began (today's introductions counted back
    in), so the cap does not shrink while the day's checks run.
    """
    deadline = new_deadline(plan_end, interview)
    by_interview = interview is not None and deadline == interview - timedelta(days=NEW_CUTOFF_DAYS)
    if plan_end is None and interview is None:
        return NewPace(DEFAULT_NEW_PER_DAY, None, "no-plan")
    if remaining <= 0:
        return NewPace(DEFAULT_NEW_PER_DAY, 0, "plan-done")
    assert deadline is not None
    if today > deadline:
        if by_interview and interview is not None and today < interview:
            return NewPace(0, None, "final-week")
        return NewPace(DEFAULT_NEW_PER_DAY, None, "past-deadline")
    days_left = (deadline - today).days + 1
    needed = -(-remaining // days_left)
    return NewPace(min(needed, MAX_PACED_NEW_PER_DAY), needed, "interview" if by_interview else "plan")


def default_check_size(new_per_day: int) -> int:
    """A check whose 70% new share can hold the day's new cards (at least the classic 10)."""
    return max(MIN_CHECK_SIZE, math.ceil(round(new_per_day / NEW_SHARE, 6)))


# --- the interview-date due rule -------------------------------------------------------------------


def interview_due(
    state: CardState, graded_on: date, interview: date | None, load: Mapping[date, int]
) -> CardState:
    """`state` (fresh from SM-2) with its due date pulled before the interview when needed.

    `load` counts the cards already due on each day, so pulled cards go to the least busy day of
    the window (the later day on a tie: closer to the date, fresher on the day).
    """
    if interview is None or state.due is None or graded_on >= interview or state.due < interview:
        return state
    width = spread_days(state.interval)
    window_start = interview - timedelta(days=width)
    if graded_on >= window_start:
        return replace(state, due=interview)
    days = [window_start + timedelta(days=k) for k in range(width)]
    best = min(days, key=lambda d: (load.get(d, 0), -d.toordinal()))
    return replace(state, due=best)


def due_load(states: Iterable[CardState]) -> Counter[date]:
    """Cards due on each day, the input `interview_due` spreads against."""
    return Counter(s.due for s in states if s.due is not None)


def spread_days(interval: int) -> int:
    """How many days before the interview a pulled card may land: a third of its SM-2 interval,
    within [INTERVIEW_SPREAD_DAYS, MAX_SPREAD_DAYS]. A well-learnt card (long interval) keeps
    well over a week or two, so its last look can come earlier and the final days stay light."""
    return max(INTERVIEW_SPREAD_DAYS, min(MAX_SPREAD_DAYS, interval // 3))


# --- review order ----------------------------------------------------------------------------------


def overdue_ratio(state: CardState, today: date) -> float:
    """Days since the last review over the interval it was scheduled for: 1.0 on the due day."""
    if state.last_review is None or state.due is None:
        return 0.0
    scheduled = max(1, (state.due - state.last_review).days)
    return (today - state.last_review).days / scheduled


def review_order(states: Iterable[CardState], today: date) -> list[CardState]:
    """Due cards (due today or earlier), most overdue relative to their interval first.

    Ties go to the lower EF (harder card), then the card id, so the order is reproducible.
    """
    due = [s for s in states if s.due is not None and s.due <= today]
    return sorted(due, key=lambda s: (-overdue_ratio(s, today), s.ef, s.card_id))


# --- workload --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    due_now: int  # due today or earlier
    due_week: int  # due over the next 7 days, today's and the overdue included
    new_per_day: int
    seconds_per_item: float  # per first attempt, the same check's repeats included
    measured: bool  # False: seconds_per_item is the stated default

    @property
    def items_per_day(self) -> float:
        return self.due_week / WORKLOAD_DAYS + self.new_per_day

    @property
    def minutes_per_day(self) -> float:
        return self.items_per_day * self.seconds_per_item / 60

    def minutes_for(self, items: int) -> float:
        return items * self.seconds_per_item / 60


def seconds_per_item(timed: Sequence[tuple[float | None, bool]]) -> tuple[float, bool]:
    """Mean seconds per first attempt from logged answers `(seconds, repeat)`, repeats' time included.

    Only timed answers count (scripted sessions log none); answers over 10 minutes are capped at 10
    (the person walked away). Needs `MIN_TIMED_ANSWERS` timed first attempts, else the default.
    """
    firsts = sum(1 for s, repeat in timed if not repeat and s is not None)
    total = sum(min(s, ANSWER_CAP_S) for s, _ in timed if s is not None and s >= 0)
    return seconds_from_totals(firsts, total)


def seconds_from_totals(firsts: int, total: float) -> tuple[float, bool]:
    """`seconds_per_item` from its two sums (what `Store.timing` adds up in SQL)."""
    if firsts < MIN_TIMED_ANSWERS or total <= 0:
        return DEFAULT_SECONDS_PER_ITEM, False
    return total / firsts, True


def due_in_days(states: Iterable[CardState], today: date, days: int) -> int:
    """Reviews due from today through today + days - 1, the overdue included."""
    end = today + timedelta(days=days - 1)
    return sum(1 for s in states if s.due is not None and s.due <= end)


def workload(
    states: Iterable[CardState], today: date, new_per_day: int, seconds: tuple[float, bool]
) -> Workload:
    listed = list(states)
    due_now = sum(1 for s in listed if s.due is not None and s.due <= today)
    return Workload(
        due_now=due_now,
        due_week=due_in_days(listed, today, WORKLOAD_DAYS),
        new_per_day=new_per_day,
        seconds_per_item=seconds[0],
        measured=seconds[1],
    )


def minutes(value: float) -> str:
    """'about 6 min', 'under a minute', 'about 1 h 20 min': a duration a person reads at a glance."""
    if value < 1:
        return "under a minute"
    whole = round(value)
    if whole < 60:
        return f"about {whole} min"
    return f"about {whole // 60} h {whole % 60:02d} min"


# --- today's limits, all together ------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """What today allows, and where each number came from (shown by `study config`)."""

    today: date
    interview: date | None
    new_per_day: int
    new_source: str  # "setting" or the NewPace reason
    pace: NewPace | None
    new_today: int  # new cards introduced today so far, by any check
    review_limit: int
    review_source: str  # "setting" | "default"
    reviews_today: int  # first-attempt reviews graded today, by any check or review
    check_size: int
    size_source: str  # "setting" | "from new_per_day"

    @property
    def new_left(self) -> int:
        return max(0, self.new_per_day - self.new_today)

    @property
    def reviews_left(self) -> int:
        return max(0, self.review_limit - self.reviews_today)

    @property
    def days_to_interview(self) -> int | None:
        return None if self.interview is None else (self.interview - self.today).days


def describe_cap(lim: Limits) -> str:
    """Where today's new-card cap came from, in words."""
    needed = lim.pace.needed if lim.pace is not None else None
    return {
        "setting": "your new_per_day setting",
        "plan": "the pace that finishes your plan on time",
        "interview": "the pace that meets every card a week before your interview",
        "final-week": "the final week before your interview is for reviews only",
        "past-deadline": "past the plan's end: the default for leftover cards",
        "plan-done": "every plan card is met: the default for other decks",
        "no-plan": "the default without a plan",
    }.get(lim.new_source, lim.new_source) + (
        f"; finishing on time needs {needed} a day" if needed is not None and needed > lim.new_per_day else ""
    )


def plan_end(start: date, weeks: int) -> date:
    return start + timedelta(days=7 * weeks - 1)


def limits(
    *,
    today: date,
    plan_cards: Iterable[str] | None,
    plan_last_day: date | None,
    seen: Container[str],
    today_reviews: Iterable[tuple[str, str, bool]],
    interview: date | None,
    new_setting: int | None = None,
    review_setting: int | None = None,
    size_setting: int | None = None,
) -> Limits:
    """Today's caps. `seen` holds the ids of cards with progress; `today_reviews` today's logged
    grades as (card id, source, repeat)."""
    introduced: set[str] = set()
    reviews_today = 0
    for card_id, source, repeat in today_reviews:
        if repeat:
            continue
        if source == Source.NEW:
            introduced.add(card_id)
        else:
            reviews_today += 1
    pace: NewPace | None = None
    if new_setting is not None:
        per_day, new_source = new_setting, "setting"
    else:
        if plan_cards is None:
            final_week = interview is not None and new_deadline(None, interview) < today < interview  # type: ignore[operator]
            pace = (
                NewPace(0, None, "final-week")
                if final_week
                else NewPace(DEFAULT_NEW_PER_DAY, None, "no-plan")
            )
        else:
            remaining = sum(1 for cid in plan_cards if cid not in seen or cid in introduced)
            pace = paced_new_per_day(remaining, today, plan_last_day, interview)
        per_day, new_source = pace.per_day, pace.reason
    if size_setting is not None:
        size, size_source = size_setting, "setting"
    else:
        size, size_source = default_check_size(per_day), "from new_per_day"
    return Limits(
        today=today,
        interview=interview,
        new_per_day=per_day,
        new_source=new_source,
        pace=pace,
        new_today=len(introduced),
        review_limit=DEFAULT_REVIEW_LIMIT if review_setting is None else review_setting,
        review_source="default" if review_setting is None else "setting",
        reviews_today=reviews_today,
        check_size=size,
        size_source=size_source,
    )


def projected_forecast(
    states: Iterable[CardState],
    today: date,
    days: int,
    review_limit: int,
    recall: float | None,
) -> list[tuple[date, int]]:
    """Reviews you will face each day if you review up to `review_limit` a day and learn nothing new.

    Unlike a plain count of due dates, the overdue are not a one-day blip: whatever today's limit
    cannot take carries to the next day, and every card reviewed comes back: tomorrow with the
    chance of forgetting it (1 - `recall`, your measured review recall; 10% without data), else
    after SM-2's next interval for a grade of 4.
    """
    from . import sm2

    p_fail = 1 - (recall if recall is not None else 0.9)
    expected = [0.0] * days
    last = today + timedelta(days=days - 1)
    # Only cards due within the window can come up, in (due, card id) order; card ids are unique,
    # so the tuples never compare their states.
    dated = sorted((s.due, s.card_id, s) for s in states if s.due is not None and s.due <= last)
    intervals: dict[tuple[int, int, float], int] = {}  # SM-2 depends on these three alone
    carry = 0.0
    index = 0
    out: list[tuple[date, int]] = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        due_states: list[CardState] = []
        while index < len(dated) and dated[index][0] <= day:
            due_states.append(dated[index][2])
            index += 1
        load = carry + expected[offset] + len(due_states)
        done = min(load, float(review_limit))
        carry = load - done
        share = done / load if load else 0.0
        for state in due_states:
            key = (state.repetitions, state.interval, state.ef)
            back = intervals.get(key)
            if back is None:
                back = intervals[key] = sm2.schedule(state, 4)[2]  # the interval a grade of 4 gives
            for lag, weight in ((1, p_fail), (back, 1 - p_fail)):
                if offset + lag < days:
                    expected[offset + lag] += weight * share
        out.append((day, round(load)))
    return out
