"""Recording grades during a check or a review: the one path every grade takes into the store.

A grade is turned into the card's next state by the pure core (`session.state_after`: SM-2, then
the interview-date due rule) and committed in its own transaction before the screen acknowledges
it. The in-memory states and due-day load follow along, so the next pulled card spreads against
the cards pulled before it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from .. import daily
from ..errors import GradeConflict
from ..model import CardState, Item
from ..session import state_after
from ..store import Store


@dataclass
class Recorder:
    store: Store
    session_id: int | None
    today: date
    states: dict[str, CardState]
    interview: date | None = None
    timed: bool = True  # False when answers come from a script: its timings say nothing of a person
    load: Counter[date] = field(init=False)

    def __post_init__(self) -> None:
        self.load = daily.due_load(self.states.values())

    def __call__(self, item: Item, quality: int, seconds: float) -> None:
        card = item.card
        before = self.states.get(card.id)
        after = state_after(item, before, quality, self.today, self.interview, self.load)
        try:
            self._record(item, quality, seconds, before, after)
        except GradeConflict:
            # Another terminal graded this card first: adopt its state, so the rest of this
            # session (and its summary) works from what is really stored.
            fresh = self.store.states().get(card.id)
            if fresh is not None:
                self.states[card.id] = fresh
            raise
        if before is not None and before.due is not None:
            self.load[before.due] -= 1
        if after.due is not None:
            self.load[after.due] += 1
        self.states[card.id] = after

    def _record(
        self, item: Item, quality: int, seconds: float, before: CardState | None, after: CardState
    ) -> None:
        card = item.card
        self.store.record_review(
            session_id=self.session_id,
            day=self.today,
            card_id=card.id,
            deck_id=card.deck_id,
            source=item.source,
            quality=quality,
            seconds=seconds if self.timed else None,
            repeat=item.repeat,
            before=before,
            after=after,
        )
