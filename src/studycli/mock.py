"""Mock interview rounds: drawing the questions and summing a round up. Pure functions.

A mock round is practice under time, like an interview: it never moves the SM-2 schedule. The draw
leans towards what is weakest, as an interviewer probing for gaps would: topics rated dunno or
unsure weigh more, and so do cards with the lowest estimated recall; a card never comes twice,
and two questions in a row never come from one deck (an interviewer changes subject).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .model import Card, MockAnswer
from .rules import MOCK_DEFAULT_MINUTES, PASS_QUALITY

DEFAULT_MINUTES = MOCK_DEFAULT_MINUTES
MINUTES_PER_QUESTION = 3  # the sources' rhythm: 10 questions in 30 minutes, 2-4 minutes each

# Weight of a card by its topic's gap rating (priority 0 dunno .. 3 know, as gaps.topic_priority).
PRIORITY_WEIGHT = {0: 3.0, 1: 2.0, 2: 1.0, 3: 0.5}
UNSEEN_RECALL = 0.5  # a card never studied: as uncertain as a coin flip


def default_count(minutes: int) -> int:
    return max(1, minutes // MINUTES_PER_QUESTION)


def card_weight(priority: int, recall: float | None) -> float:
    """How likely a card is drawn: its topic's gap weight times (2 - recall), so a card you would
    probably forget (recall near 0) weighs twice one you surely know (recall near 1)."""
    r = UNSEEN_RECALL if recall is None else min(1.0, max(0.0, recall))
    return PRIORITY_WEIGHT.get(priority, 1.0) * (2.0 - r)


def draw(cards: Sequence[Card], weights: Mapping[str, float], count: int, rng: random.Random) -> list[Card]:
    """Up to `count` distinct cards, drawn by weight, never two in a row from one deck.

    Stops early if only cards of the previous question's deck are left (a round of one topic is
    not a mock interview); `rng` makes it reproducible (`--seed`).
    """
    left = list(cards)
    chosen: list[Card] = []
    while left and len(chosen) < count:
        previous = chosen[-1].deck_id if chosen else None
        allowed = [c for c in left if c.deck_id != previous]
        if not allowed:
            break
        pick = rng.choices(allowed, weights=[max(weights.get(c.id, 1.0), 1e-9) for c in allowed])[0]
        chosen.append(pick)
        left.remove(pick)
    return chosen


@dataclass(frozen=True)
class RoundSummary:
    asked: int
    score: float | None  # share recalled (grade 3+), the one meaning of "score"
    mean_seconds: float | None
    slowest: tuple[tuple[str, float], ...]  # (card id, seconds), slowest first
    missed: tuple[str, ...]  # card ids graded below 3 or timed out
    timed_out: int
    study_next: tuple[str, ...]  # decks of the missed cards, most missed first


def summarise(answers: Sequence[MockAnswer]) -> RoundSummary:
    graded = list(answers)
    timed = [a for a in graded if a.seconds is not None]
    missed = [a for a in graded if a.quality < PASS_QUALITY]
    per_deck: dict[str, int] = {}
    for a in missed:
        per_deck[a.deck_id] = per_deck.get(a.deck_id, 0) + 1
    return RoundSummary(
        asked=len(graded),
        score=sum(1 for a in graded if a.quality >= PASS_QUALITY) / len(graded) if graded else None,
        mean_seconds=sum(a.seconds or 0.0 for a in timed) / len(timed) if timed else None,
        slowest=tuple(
            (a.card_id, a.seconds or 0.0) for a in sorted(timed, key=lambda a: -(a.seconds or 0.0))[:3]
        ),
        missed=tuple(a.card_id for a in missed),
        timed_out=sum(1 for a in graded if a.timed_out),
        study_next=tuple(sorted(per_deck, key=lambda d: (-per_deck[d], d))),
    )


@dataclass(frozen=True)
class MockRound:
    session_id: int
    day: date
    summary: RoundSummary


def history(answers: Sequence[MockAnswer], since: date | None = None) -> list[MockRound]:
    """Every mock round with its figures, oldest first (for the report)."""
    by_session: dict[int, list[MockAnswer]] = {}
    for a in answers:
        if since is None or a.day >= since:
            by_session.setdefault(a.session_id, []).append(a)
    return [MockRound(sid, rows[0].day, summarise(rows)) for sid, rows in sorted(by_session.items())]
