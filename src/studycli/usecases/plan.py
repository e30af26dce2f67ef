"""`study plan` as a use case: choose a plan, a start and an interview date; say where today falls.

Every value is checked before anything is written, so a bad `--interview` leaves the plan as it was.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, timedelta

from .. import config, plans
from ..daily import NEW_CUTOFF_DAYS
from ..errors import StudyError
from ..model import Plan
from ..plans import PlanPosition, resolve_plan
from .context import Context
from .day import Day, load_day


def check_interview(interview: date, today: date, start: date | None) -> None:
    """An interview date must be a real future day on or after the plan's start."""
    if interview <= today:
        raise StudyError(
            f"the interview date {interview.isoformat()} is not after today ({today.isoformat()})",
            "give a future day, or `study config unset interview_date` to remove it",
        )
    if start is not None and interview < start:
        raise StudyError(
            f"the interview date {interview.isoformat()} is before the plan starts ({start.isoformat()})",
            "start the plan earlier with `--start YYYY-MM-DD`",
        )


def find_plan(ctx: Context, name: str) -> Plan:
    chosen = ctx.collection.plan(name)
    if chosen is None:
        close = difflib.get_close_matches(name, [p.id for p in ctx.collection.plans], n=3, cutoff=0.4)
        raise StudyError(
            f"no plan called {name!r}",
            ("did you mean: " + ", ".join(close) + "? " if close else "") + "see `study plan --list`",
        )
    return chosen


@dataclass(frozen=True)
class PlanChange:
    chosen: Plan | None  # the plan made active by --use
    start: date | None  # its start, when --use or --start set one


def change_plan(ctx: Context, use: str | None, start: date | None, interview: date | None) -> PlanChange:
    """Apply --use, --start and --interview together, after checking all of them."""
    chosen = find_plan(ctx, use) if use is not None else None
    new_start = start or (ctx.today if chosen is not None else None)
    if interview is not None:
        current = ctx.settings.get(config.SETTING_PLAN_START)
        effective = new_start or (config.parse_date(current, "plan_start setting") if current else None)
        check_interview(interview, ctx.today, effective)
    values: dict[str, str] = {}
    if chosen is not None:
        values[config.SETTING_PLAN] = chosen.id
    elif start is not None:
        values[config.SETTING_PLAN] = ctx.settings.get(config.SETTING_PLAN, config.DEFAULT_PLAN)
    if new_start is not None:
        values[config.SETTING_PLAN_START] = new_start.isoformat()
    if interview is not None:
        values[config.SETTING_INTERVIEW] = interview.isoformat()
    if values:
        ctx.store.set_settings(values)
    return PlanChange(chosen, new_start)


@dataclass(frozen=True)
class PlanView:
    position: PlanPosition
    first_run: bool
    day: Day
    runs_past_deadline: bool  # the plan's last day is after the new-material deadline of an interview


def view_plan(ctx: Context) -> PlanView:
    settings = ctx.store.settings()  # as just changed, if it was
    active = resolve_plan(settings, ctx.collection, ctx.today)
    if active.plan is None:
        raise StudyError("no plan is available", "add a plan file to a plans folder, see README")
    day = load_day(ctx.store, ctx.collection, settings, ctx.today)
    last_day, interview = day.plan_last_day, day.limits.interview
    past = (
        last_day is not None
        and interview is not None
        and last_day >= interview - timedelta(days=NEW_CUTOFF_DAYS)
    )
    return PlanView(plans.position(active.plan, active.start, ctx.today), active.first_run, day, past)


def available_plans(ctx: Context) -> list[tuple[Plan, bool]]:
    """Every plan, shortest first, and whether it is the active one."""
    active = ctx.settings.get(config.SETTING_PLAN, config.DEFAULT_PLAN)
    return [(p, p.id == active) for p in sorted(ctx.collection.plans, key=lambda p: (len(p.weeks), p.id))]
