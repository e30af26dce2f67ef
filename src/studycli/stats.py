"""Figures computed from card states and the review log: pure functions over plain data."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from .model import CardState


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
    for card_id, state in states.items():
        if state.due is None or (card_ids is not None and card_id not in card_ids):
            continue
        if state.due <= today:
            due_now += 1
            continue
        if state.due == today + timedelta(days=1):
            tomorrow += 1
        if state.due <= today + timedelta(days=7):
            week += 1
        if next_date is None or state.due < next_date:
            next_date = state.due
    return DueOutlook(due_now, tomorrow, week, next_date)
