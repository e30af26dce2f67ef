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
from typing import TYPE_CHECKING

from .. import daily
from ..errors import GradeConflict
from ..model import CardState, Item
from ..session import state_after

if TYPE_CHECKING:  # the store (and sqlite3) is imported when a command opens it, not by `--help`
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
    # per grade of this session, oldest first: (its id in the log, the card's state before it)
    given: list[tuple[int, str, CardState | None]] = field(init=False, default_factory=list)
    leech_threshold: int = 0  # lapses that make a leech (0: do not watch)
    new_leech: bool = field(init=False, default=False)  # the last grade just made its card a leech

    def __post_init__(self) -> None:
        self.load = daily.due_load(self.states.values())

    def undo(self) -> str:
        """Take back this session's last grade in the store and in memory; returns the card id."""
        review_id, card_id, before = self.given.pop()
        grade = self.store.undo(review_id, session_id=self.session_id, day=self.today)
        if not grade.repeat:
            current = self.states.get(card_id)
            if current is not None and current.due is not None:
                self.load[current.due] -= 1
            if before is None:
                self.states.pop(card_id, None)
            else:
                self.states[card_id] = before
                if before.due is not None:
                    self.load[before.due] += 1
        return card_id

    def __call__(self, item: Item, quality: int, seconds: float) -> None:
        card = item.card
        before = self.states.get(card.id)
        after = state_after(item, before, quality, self.today, self.interview, self.load)
        try:
            review_id = self._record(item, quality, seconds, before, after)
        except GradeConflict:
            # Another terminal graded this card first: adopt its state, so the rest of this
            # session (and its summary) works from what is really stored.
            fresh = self.store.states().get(card.id)
            if fresh is not None:
                self.states[card.id] = fresh
            raise
        self.given.append((review_id, card.id, before))
        lapses_before = before.lapses if before is not None else 0
        self.new_leech = (
            self.leech_threshold > 0
            and not item.repeat
            and lapses_before < self.leech_threshold <= after.lapses
        )
        if before is not None and before.due is not None:
            self.load[before.due] -= 1
        if after.due is not None:
            self.load[after.due] += 1
        self.states[card.id] = after

    def _record(
        self, item: Item, quality: int, seconds: float, before: CardState | None, after: CardState
    ) -> int:
        card = item.card
        return self.store.record_review(
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
