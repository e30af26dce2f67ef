"""`study check` and `study review` as use cases: what a sitting asks, and why it asks no more.

Pure decisions over one `Day`: the shell renders what these return and runs the queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .. import config
from ..model import Item
from ..session import CheckRequest, build_check, build_review
from ..vocab import Source
from .context import Context
from .day import Day, load_day
from .scope import check_topics, resolve_areas


@dataclass(frozen=True)
class Sitting:
    """The items of one check or review, and what to tell the person about them."""

    day: Day
    items: list[Item]
    notes: tuple[str, ...] = ()  # why there are fewer new cards than the check could hold
    empty: str = ""  # why there is nothing to ask (when `items` is empty)

    @property
    def new(self) -> int:
        return sum(1 for i in self.items if i.source == Source.NEW)

    @property
    def reviews(self) -> int:
        return len(self.items) - self.new


def plan_check(
    ctx: Context, size: int | None, new_ratio: float, topics: Sequence[str], areas: Sequence[str] = ()
) -> Sitting:
    """Today's knowledge check: `size` items (default: room for the day's new cards) at `new_ratio`,
    limited to some topics and areas when given (reached by the plan or not)."""
    wanted = list(dict.fromkeys(topics))
    check_topics(wanted, ctx.collection)
    if areas:
        named = set(resolve_areas(list(areas), ctx.collection))
        wanted += [d.id for d in ctx.collection.decks if d.area in named and d.id not in wanted]
    day = load_day(ctx.store, ctx.collection, ctx.settings, ctx.today)
    lim = day.limits
    request = CheckRequest(
        ctx.today,
        size if size is not None else lim.check_size,
        new_ratio,
        tuple(wanted),
        new_left=lim.new_left,
        reviews_left=lim.reviews_left,
        shown_today=day.shown_today,
    )
    items = build_check(request, day.decks, day.seen, day.due, day.order)
    notes: list[str] = []
    if new_ratio > 0 and day.new_available():
        if lim.new_left == 0 and lim.new_per_day > 0:
            notes.append(
                f"Today's {lim.new_per_day} new cards are done; this check is reviews only "
                "(`study config set new_per_day N` changes the cap)."
            )
        elif lim.new_per_day == 0 and lim.new_source == "final-week":
            notes.append(
                "Final week before your interview: no new cards, only reviews "
                "(`study config set new_per_day N` overrides)."
            )
    empty = ""
    if not items:
        empty = (
            "no reviews are due and today's plan topics have no new cards"
            if lim.new_left or new_ratio == 0
            else "no reviews are due and today's new cards are done"
        )
    return Sitting(day, items, tuple(notes), empty)


def start_plan_on_first_check(ctx: Context, day: Day) -> str | None:
    """A first check starts the default plan today (recorded, so tomorrow is day 2). Returns its id."""
    active = day.active
    if not active.first_run or active.plan is None:
        return None
    ctx.store.set_settings(
        {config.SETTING_PLAN: active.plan.id, config.SETTING_PLAN_START: ctx.today.isoformat()}
    )
    return active.plan.id


def plan_review(ctx: Context, limit: int | None, topics: Sequence[str], areas: Sequence[str]) -> Sitting:
    """Due reviews only, most at risk first, up to `limit` and today's review_limit."""
    wanted = list(dict.fromkeys(topics))
    check_topics(wanted, ctx.collection)
    named_areas = resolve_areas(list(areas), ctx.collection) if areas else []
    scope: set[str] | None = None
    if wanted or named_areas:
        scope = set(wanted) | {d.id for d in ctx.collection.decks if d.area in named_areas}
    day = load_day(ctx.store, ctx.collection, ctx.settings, ctx.today)
    left = day.limits.reviews_left
    cap = left if limit is None else min(limit, left)
    items = build_review(ctx.today, day.decks, day.due, cap, scope, day.shown_today)
    empty = ""
    if not items:
        if left == 0:
            empty = (
                f"today's review_limit of {day.limits.review_limit} is reached "
                "(`study config set review_limit N` raises it)"
            )
        else:
            empty = "no reviews are due" + (" in that scope" if scope else "")
    return Sitting(day, items, (), empty)


def follow_up_review(ctx: Context) -> Sitting:
    """After a check on a terminal: everything still due today, read afresh from the store."""
    day = load_day(ctx.store, ctx.collection, ctx.store.settings(), ctx.today)
    items = build_review(ctx.today, day.decks, day.due, day.limits.reviews_left, None, day.shown_today)
    return Sitting(day, items)
