"""Building a knowledge check and running its queue: pure functions and a pure state machine.

A check asks `size` items: `round(size * new_ratio)` never-seen cards from the plan and the rest
due reviews. If either pool is short, the other fills the gap, except that a new-ratio of 0 means
no new cards at all, and neither pool goes past what today's caps leave (`new_left`,
`reviews_left`). Review order is most overdue relative to the interval first (`daily.review_order`);
new order is today's topics, then earlier topics of the plan that still have unseen cards, then
decks the plan does not name. Within those groups, optional gap-rating priorities (dunno, unsure,
unrated, know) reorder topics.

During the check, SM-2's rule 7 applies: an item graded below 4 comes back at the end of the same
check until it is graded 4 or more. Those repeats are logged but never move the schedule again.
"""

from __future__ import annotations

import hashlib
import random
from collections import deque
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from . import daily, gaps, sm2
from .model import Card, CardState, Deck, GapRating, GradedItem, Item, Plan
from .plans import position
from .rules import PASS_QUALITY, REPEAT_BELOW
from .vocab import Source


def quotas(size: int, new_ratio: float, new_available: int, review_available: int) -> tuple[int, int]:
    """(new, review) counts for a check; each pool tops up the other when it runs short."""
    if size < 0 or not 0.0 <= new_ratio <= 1.0:
        raise ValueError("size must be >= 0 and new_ratio within [0, 1]")
    want_new = int(size * new_ratio + 0.5)
    new = min(want_new, new_available)
    review = min(size - want_new, review_available)
    spare = size - new - review
    extra_review = min(spare, review_available - review)
    review += extra_review
    new += min(spare - extra_review, new_available - new)
    return new, review


def topic_order(
    today_topics: Sequence[str],
    reached_topics: Sequence[str],
    all_deck_ids: Iterable[str],
    plan_topics: Sequence[str],
    priority: Mapping[str, int] | None = None,
) -> list[str]:
    """Topics whose new cards may be introduced today, best first.

    Three bands: today's topics, then the plan's earlier topics, then decks the plan never names.
    Future weeks' topics are not introduced early. Within a band, a lower `priority` value (from
    gap ratings: dunno 0, unsure 1, unrated 2, know 3) comes first; ties keep plan order.
    """
    priority = priority or {}
    in_plan = set(plan_topics)
    in_today = set(today_topics)
    bands = [
        list(dict.fromkeys(today_topics)),
        [t for t in dict.fromkeys(reached_topics) if t not in in_today],
        sorted(d for d in all_deck_ids if d not in in_plan),
    ]
    ordered: dict[str, None] = {}  # ordered set: linear in the number of decks (100k files)
    for band in bands:
        ranked = sorted(enumerate(band), key=lambda pair: (priority.get(pair[1], 2), pair[0]))
        for _, t in ranked:
            ordered.setdefault(t, None)
    return list(ordered)


def plan_topic_order(
    plan: Plan | None,
    start: date,
    today: date,
    decks: Sequence[Deck],
    ratings: Iterable[GapRating],
    scope: Iterable[str] | None = None,
) -> tuple[list[str], tuple[str, ...]]:
    """The new-card topic order for `today` and the plan topics reached so far.

    The plan's position gives the bands; the latest gap ratings of `decks` reorder within them
    (dunno, unsure, unrated, know). `scope` limits the order to some deck ids (report --area).
    """
    plan_topics = plan.topics if plan else ()
    priority = gaps.topic_priority(gaps.inventory(decks, plan_topics), gaps.latest(ratings))
    ids = [d.id for d in decks] if scope is None else list(scope)
    if plan is None:
        return topic_order((), (), ids, (), priority), ()
    pos = position(plan, start, today)
    return topic_order(pos.today_topics, pos.reached_topics, ids, plan_topics, priority), pos.reached_topics


CardRef = tuple[str, str]  # (deck id, card id): a card named without decoding its deck


def card_refs(decks: Iterable[Deck]) -> Iterator[CardRef]:
    return ((d.id, cid) for d in decks for cid in d.card_ids)


def resolve(decks: Mapping[str, Deck], refs: Iterable[CardRef]) -> list[Card]:
    """The cards behind `refs`, decoding only the decks they are in."""
    found = (decks[deck_id].card(card_id) for deck_id, card_id in refs)
    return [card for card in found if card is not None]


def due_order(states: Mapping[str, CardState], today: date) -> list[str]:
    """Ids of the cards due today or earlier, most at risk first: `daily.review_order` (the most
    overdue relative to its interval, then the lower EF, then id, for stability). The store
    answers the same question in SQL (`Store.due_order`), tested equal."""
    return [s.card_id for s in daily.review_order(states.values(), today)]


def review_pool(refs: Iterable[CardRef], due: Sequence[str]) -> list[CardRef]:
    """The due cards among `refs` (the decks in scope, suspended cards left out), in `due`'s order."""
    deck_of = {card_id: deck_id for deck_id, card_id in refs}
    return [(deck_of[cid], cid) for cid in due if cid in deck_of]


def new_pool(decks: Mapping[str, Deck], order: Sequence[str], seen: Container[str]) -> list[CardRef]:
    """Unseen cards of the topics in `order`, in that order (ids only: the few asked are resolved)."""
    pool: list[CardRef] = []
    for topic in order:
        deck = decks.get(topic)
        if deck is None:
            continue
        pool.extend((deck.id, cid) for cid in deck.card_ids if cid not in seen)
    return pool


def option_order(card: Card, day: date, showing: int) -> tuple[int, ...]:
    """The order a choice card's options are shown in: a permutation, reproducible from the card,
    the day and the showing (so previews and scripts can know it), different from one showing to
    the next (so a card missed minutes ago tests the answer, not the letter). () for other cards."""
    count = len(card.options)
    if count < 2:
        return ()
    digest = hashlib.sha256(f"{card.id}|{day.isoformat()}|{showing}".encode()).digest()
    order = list(range(count))
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)
    return tuple(order)


def make_item(card: Card, source: Source, day: date, showing: int = 0, repeat: bool = False) -> Item:
    return Item(card, source, repeat, option_order(card, day, showing), showing)


def interleave(new: Sequence[Item], review: Sequence[Item]) -> list[Item]:
    """Spread reviews evenly among new items, so the check does not end on a block of one kind."""
    out: list[Item] = []
    i = j = 0
    while i < len(new) or j < len(review):
        take_new = j >= len(review) or (
            i < len(new) and (i + 1) / (len(new) + 1) <= (j + 1) / (len(review) + 1)
        )
        if take_new:
            out.append(new[i])
            i += 1
        else:
            out.append(review[j])
            j += 1
    return out


@dataclass(frozen=True)
class CheckRequest:
    today: date
    size: int = 10
    new_ratio: float = 0.7
    topics: tuple[str, ...] = ()  # limit to these deck ids; empty means all
    new_left: int | None = None  # today's new-card cap still open (None: no cap)
    reviews_left: int | None = None  # today's review cap still open (None: no cap)
    shown_today: Mapping[str, int] = field(default_factory=dict)  # showings per card so far today


def build_check(
    request: CheckRequest,
    decks: Mapping[str, Deck],
    seen: Container[str],
    due: Sequence[str],
    order: Sequence[str],
) -> list[Item]:
    """The items of one check: new cards are the unseen (`seen`: ids with progress) of the topics
    in `order` (from `topic_order`); reviews come in `due`'s order (`due_order`)."""
    allowed = set(request.topics) if request.topics else None
    if allowed is not None:
        order = [t for t in order if t in allowed] + sorted(allowed - set(order))
        visible = [decks[d] for d in decks if d in allowed]
    else:
        visible = list(decks.values())
    reviews = review_pool(card_refs(visible), due)
    fresh = new_pool(decks, order, seen)
    new_available = 0 if request.new_ratio == 0 else len(fresh)
    if request.new_left is not None:
        new_available = min(new_available, request.new_left)
    review_available = len(reviews)
    if request.reviews_left is not None:
        review_available = min(review_available, request.reviews_left)
    n_new, n_review = quotas(request.size, request.new_ratio, new_available, review_available)
    return interleave(
        [
            make_item(card, Source.NEW, request.today, request.shown_today.get(card.id, 0))
            for card in resolve(decks, fresh[:n_new])
        ],
        [
            make_item(card, Source.REVIEW, request.today, request.shown_today.get(card.id, 0))
            for card in resolve(decks, reviews[:n_review])
        ],
    )


def build_review(
    today: date,
    decks: Mapping[str, Deck],
    due: Sequence[str],
    limit: int | None = None,
    topics: Iterable[str] | None = None,
    shown_today: Mapping[str, int] | None = None,
) -> list[Item]:
    """A review-only session: due cards only, never a new card, most at risk first."""
    allowed = set(topics) if topics else None
    visible = (d for d in decks.values() if allowed is None or d.id in allowed)
    pool = review_pool(card_refs(visible), due)
    if limit is not None:
        pool = pool[: max(0, limit)]
    shown = shown_today or {}
    return [make_item(card, Source.REVIEW, today, shown.get(card.id, 0)) for card in resolve(decks, pool)]


def state_after(
    item: Item,
    before: CardState | None,
    quality: int,
    today: date,
    interview: date | None = None,
    load: Mapping[date, int] | None = None,
) -> CardState:
    """The card state a grade leaves: an SM-2 step on a first attempt, unchanged on a repeat.

    With an interview date, `daily.interview_due` then pulls the due date before the interview
    (SM-2's EF, repetitions and interval untouched); `load` is the cards due per day it spreads over.
    """
    if item.repeat and before is not None:
        return before
    after = sm2.review(before or sm2.new_state(item.card.id), quality, today)
    return daily.interview_due(after, today, interview, load or {})


@dataclass
class CheckRun:
    """The queue of one check while it is being asked, with rule-7 repeats.

    Pure: it never touches storage. The shell asks `current`, records the grade it gets, and calls
    `grade`, which says whether the grade should move the schedule (first attempts only).
    """

    items: Sequence[Item]
    day: date | None = None  # with a day, each repeat shows a choice card's options anew
    queue: deque[Item] = field(init=False)
    graded: list[GradedItem] = field(init=False, default_factory=list)
    _asked: list[Item] = field(init=False, default_factory=list)  # the items `graded` came from

    def __post_init__(self) -> None:
        self.queue = deque(self.items)

    @property
    def current(self) -> Item | None:
        return self.queue[0] if self.queue else None

    @property
    def done(self) -> bool:
        return not self.queue

    @property
    def first_attempts_done(self) -> int:
        return sum(1 for g in self.graded if not g.repeat)

    @property
    def pending_repeats(self) -> int:
        return sum(1 for item in self.queue if item.repeat)

    @property
    def can_undo(self) -> bool:
        return bool(self.graded)

    def undo(self) -> Item:
        """Take back the last grade of this session: its item is asked again next, as it was asked
        (a repeat stays a repeat), and the repeat that grade queued at the end, if any, is dropped."""
        last = self.graded.pop()
        if last.quality < REPEAT_BELOW:
            for index in range(len(self.queue) - 1, -1, -1):
                queued = self.queue[index]
                if queued.repeat and queued.card.id == last.card_id:
                    del self.queue[index]
                    break
        item = self._asked.pop()
        self.queue.appendleft(item)
        return item

    def drop(self, card_id: str) -> int:
        """Remove every pending showing of a card (it was just suspended); returns how many."""
        kept = deque(item for item in self.queue if item.card.id != card_id)
        dropped = len(self.queue) - len(kept)
        self.queue = kept
        return dropped

    def skip(self) -> Item:
        """Drop the current item ungraded (another terminal graded that card meanwhile)."""
        return self.queue.popleft()

    def grade(self, quality: int) -> Item:
        """Grade the current item; returns it. Items below 4 go to the back as repeats."""
        item = self.queue.popleft()
        self._asked.append(item)
        self.graded.append(GradedItem(item.card.id, item.source, quality, item.repeat))
        if quality < REPEAT_BELOW:
            if self.day is None:
                again = Item(item.card, item.source, True, item.order, item.showing + 1)
            else:
                again = make_item(item.card, item.source, self.day, item.showing + 1, repeat=True)
            self.queue.append(again)
        return item


@dataclass(frozen=True)
class CheckSummary:
    """A session's result. Score means one thing everywhere (here, the report and its JSON): the
    share of first attempts recalled, a grade of 3 or more (SM-2's pass mark)."""

    asked: int  # first attempts graded
    planned: int
    repeats: int
    score: float | None  # share of first attempts recalled (grade >= 3)
    new_score: float | None
    new_count: int
    review_score: float | None
    review_count: int
    mean_grade: float | None = None  # mean first-attempt grade, 0-5, shown labelled as such
    recalled: int = 0  # first attempts graded 3 or more


def summarise(graded: Sequence[GradedItem], planned: int) -> CheckSummary:
    first = [g for g in graded if not g.repeat]
    new = [g.quality for g in first if g.source == Source.NEW]
    review = [g.quality for g in first if g.source == Source.REVIEW]

    def score(qualities: Sequence[int]) -> float | None:
        return sum(1 for q in qualities if q >= PASS_QUALITY) / len(qualities) if qualities else None

    grades = [g.quality for g in first]

    return CheckSummary(
        asked=len(first),
        planned=planned,
        repeats=len(graded) - len(first),
        score=score([g.quality for g in first]),
        new_score=score(new),
        new_count=len(new),
        review_score=score(review),
        review_count=len(review),
        mean_grade=sum(grades) / len(grades) if grades else None,
        recalled=sum(1 for q in grades if q >= PASS_QUALITY),
    )
