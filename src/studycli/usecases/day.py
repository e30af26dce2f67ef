"""Where the learner stands today: one function every daily command starts from.

`check`, `review`, `report`, `plan` and `config` all need the same facts (the active plan, the card
states, today's caps and what has been done towards them, the interview date). Computing them in
one place is what keeps `study report` and `study check --preview` from disagreeing about how many
new cards are available, and keeps that logic out of `cli/`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from .. import config, daily
from ..model import CardState, Collection, Deck, GapRating
from ..plans import ActivePlan, resolve_plan
from ..session import new_pool, plan_topic_order

if TYPE_CHECKING:  # the store (and sqlite3) is imported when a command opens it, not by `--help`
    from ..store import Store

TIMING_WINDOW_DAYS = 30


@dataclass(frozen=True)
class Day:
    today: date
    collection: Collection
    settings: dict[str, str]
    active: ActivePlan
    seen: frozenset[str]  # ids of the cards with progress
    limits: daily.Limits
    order: list[str]  # new-card topic order
    reached: tuple[str, ...]  # plan topics reached so far
    seconds: tuple[float, bool]  # seconds per item, measured?
    suspended: frozenset[str] = frozenset()  # card ids never to be asked (`study suspend`)
    shown_today: dict[str, int] = field(default_factory=dict)  # showings per card today (repeats too)
    ratings: tuple[GapRating, ...] = ()  # the standing gap rating per subtopic (`latest_gap_ratings`)
    # Every card's state, read on first use: a check preview needs only `seen` and `due`, which
    # the store answers without building 14,600 states at 20,000 cards.
    load_states: Callable[[], dict[str, CardState]] = field(default=dict, repr=False, compare=False)
    # The due reviews, in order, read on first use too: a report or a plan does not ask for them.
    load_due: Callable[[], list[str]] = field(default=list, repr=False, compare=False)

    @cached_property
    def states(self) -> dict[str, CardState]:
        return self.load_states()

    @cached_property
    def due(self) -> tuple[str, ...]:
        """Ids of the cards due today or earlier, most at risk first."""
        return tuple(self.load_due())

    @cached_property
    def decks(self) -> dict[str, Deck]:
        """The decks as sessions see them: suspended cards left out (their state is kept). Only
        a deck that holds a suspended card is rebuilt (and so decoded)."""
        out: dict[str, Deck] = {}
        for d in self.collection.decks:
            if self.suspended and not self.suspended.isdisjoint(d.card_ids):
                d = replace(d, cards=tuple(c for c in d.cards if c.id not in self.suspended))
            out[d.id] = d
        return out

    @cached_property
    def card_ids(self) -> frozenset[str]:
        """Cards that can be asked: every card of the decks but the suspended ones."""
        return frozenset(
            cid for d in self.collection.decks for cid in d.card_ids if cid not in self.suspended
        )

    @property
    def plan_last_day(self) -> date | None:
        plan = self.active.plan
        return daily.plan_end(self.active.start, len(plan.weeks)) if plan else None

    def live_states(self) -> dict[str, CardState]:
        """States of cards that still exist in the decks (orphans are kept but never asked)."""
        ids = self.card_ids
        return {cid: s for cid, s in self.states.items() if cid in ids}

    def new_available(self, scope: dict[str, Deck] | None = None) -> int:
        """New cards a check could introduce today before the daily cap: exactly the pool
        `session.build_check` draws from (topics reached so far, then decks no plan names)."""
        decks = self.decks if scope is None else {k: v for k, v in self.decks.items() if k in scope}
        return len(new_pool(decks, self.order, self.seen))

    def workload(self) -> daily.Workload:
        return daily.workload(self.live_states().values(), self.today, self.limits.new_per_day, self.seconds)


def load_day(
    store: Store, collection: Collection, settings: dict[str, str], today: date, *, states: bool = False
) -> Day:
    """Everything a daily command needs, read once. `states=True` reads every card state now, for
    a command that will ask for them anyway (the report): the seen set is then their ids, not a
    second read of the same table."""
    active = resolve_plan(settings, collection, today)
    every_state = store.states() if states else None
    seen = frozenset(every_state) if every_state is not None else store.seen_ids()
    plan = active.plan
    plan_topics = set(plan.topics) if plan else set()  # once: Plan.topics walks every week
    plan_cards = (
        [cid for d in collection.decks if d.id in plan_topics for cid in d.card_ids] if plan else None
    )
    todays = store.grades_on(today)
    interview = config.interview_date(settings)
    limits = daily.limits(
        today=today,
        plan_cards=plan_cards,
        plan_last_day=daily.plan_end(active.start, len(plan.weeks)) if plan else None,
        seen=seen,
        today_reviews=todays,
        interview=interview,
        new_setting=config.per_day_setting(settings, config.SETTING_NEW_PER_DAY),
        review_setting=config.per_day_setting(settings, config.SETTING_REVIEW_LIMIT),
        size_setting=config.check_size(settings),
    )
    ratings = tuple(store.latest_gap_ratings())
    order, reached = plan_topic_order(plan, active.start, today, collection.decks, ratings)
    timed = store.timing(today - timedelta(days=TIMING_WINDOW_DAYS - 1), today, daily.ANSWER_CAP_S)
    seconds = daily.seconds_from_totals(*timed)
    suspended = frozenset(store.suspended())
    shown: dict[str, int] = {}
    for card_id, _, _ in todays:
        shown[card_id] = shown.get(card_id, 0) + 1
    return Day(
        today,
        collection,
        settings,
        active,
        seen,
        limits,
        order,
        reached,
        seconds,
        suspended,
        shown,
        ratings,
        store.states if every_state is None else lambda: every_state,
        lambda: store.due_order(today),
    )
