"""`study mock` as a use case: draw a timed round, record its answers (never card state), sum up."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from .. import gaps, memory, mock
from ..errors import StudyError
from ..model import Card, Item
from ..session import make_item
from ..vocab import SessionKind, SessionStatus, Source
from .context import Context
from .day import Day, load_day
from .recall import recall_model
from .scope import check_topics, resolve_areas


@dataclass(frozen=True)
class Round:
    day: Day
    items: list[Item]
    seconds_per_question: float
    seed: int


def plan_round(
    ctx: Context,
    *,
    minutes: int,
    count: int | None,
    areas: Sequence[str] = (),
    topics: Sequence[str] = (),
    every_topic: bool = False,
    seed: int | None = None,
    per_question: float | None = None,
) -> Round:
    """The questions of a mock round: drawn across the topics the plan has reached (or every topic,
    or the ones named), weighted towards weak topics and low recall, seeded for reproducibility."""
    if minutes < 1:
        raise StudyError("--minutes must be at least 1")
    wanted = list(dict.fromkeys(topics))
    check_topics(wanted, ctx.collection)
    named_areas = set(resolve_areas(list(areas), ctx.collection)) if areas else set()
    day = load_day(ctx.store, ctx.collection, ctx.settings, ctx.today)
    decks = day.decks  # suspended cards left out
    if wanted or named_areas:
        pool_decks = [d for d in decks.values() if d.id in wanted or d.area in named_areas]
    elif every_topic or day.active.plan is None:
        pool_decks = list(decks.values())
    else:
        reached = set(day.reached) or {t for t in day.order[:1]}
        pool_decks = [d for d in decks.values() if d.id in reached]
    cards: list[Card] = [c for d in pool_decks for c in d.cards]
    if not cards:
        raise StudyError(
            "no cards to draw a mock round from",
            "your plan has not reached any topic yet: add --all, or name --topic / --area",
        )
    priority = gaps.topic_priority(
        gaps.inventory(ctx.collection.decks, day.active.plan.topics if day.active.plan else ()),
        gaps.latest(day.ratings),
    )
    model = recall_model(ctx.store, ctx.today) or {}
    weights = {
        c.id: mock.card_weight(
            priority.get(c.deck_id, 2),
            memory.retrievability(model[c.id], ctx.today) if c.id in model else None,
        )
        for c in cards
    }
    chosen_seed = seed if seed is not None else ctx.today.toordinal()
    how_many = count if count is not None else mock.default_count(minutes)
    drawn = mock.draw(cards, weights, how_many, random.Random(chosen_seed))
    items = [
        make_item(
            card,
            Source.REVIEW if card.id in day.seen else Source.NEW,
            ctx.today,
            day.shown_today.get(card.id, 0),
        )
        for card in drawn
    ]
    seconds = per_question if per_question is not None else minutes * 60 / max(1, len(items))
    return Round(day, items, seconds, chosen_seed)


@dataclass
class MockRecorder:
    """Logs each answer of a round in its own transaction; card state is never touched."""

    ctx: Context
    planned: int
    plan_id: str | None = None
    session_id: int = 0

    def __post_init__(self) -> None:
        self.session_id = self.ctx.store.start_session(
            SessionKind.MOCK, self.ctx.today, planned=self.planned, plan_id=self.plan_id
        )

    def __call__(self, item: Item, quality: int, seconds: float | None, timed_out: bool) -> None:
        self.ctx.store.record_mock_answer(
            session_id=self.session_id,
            day=self.ctx.today,
            card_id=item.card.id,
            deck_id=item.card.deck_id,
            quality=quality,
            seconds=seconds,
            timed_out=timed_out,
        )

    def finish(self, completed: bool) -> mock.RoundSummary:
        self.ctx.store.end_session(
            self.session_id, SessionStatus.COMPLETED if completed else SessionStatus.INTERRUPTED
        )
        return mock.summarise([a for a in self.ctx.store.mock_answers() if a.session_id == self.session_id])
