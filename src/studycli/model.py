"""Plain, frozen data shared by the pure core and the shell.

Everything here is immutable so the core functions can be tested by building values by hand and
comparing them, with no database or terminal in sight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from pathlib import Path
from typing import NamedTuple, Protocol, overload

from .vocab import Rating, SessionKind, SessionStatus, Severity, Source

CATEGORIES = ("must", "good-to-know", "specialisation")
LEVELS = ("mid", "senior", "principal")


class CardKind(str, Enum):
    BASIC = "basic"  # self-graded question and answer
    MCQ = "mcq"  # one right option
    NUMERIC = "numeric"  # a number within a tolerance, graded from what is typed
    MULTI = "multi"  # two or more right options, graded from the overlap
    RUBRIC = "rubric"  # key points ticked after the reveal, graded from the share ticked


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool


@dataclass(frozen=True)
class NumericAnswer:
    """The '=' line of a numeric card, resolved to plain numbers.

    `value` and `tolerance` are in the base unit of `family` (bytes, seconds, a count…), so any
    unit the learner types converts to the same scale; `unit` and `factor` are how the card wrote
    it, so the answer is shown back in the card's own unit. A tolerance of 0 means exact.
    """

    value: float
    tolerance: float
    unit: str = ""  # the card's unit as shown ("GB", "%", ""); "" for a plain number
    family: str = "count"
    factor: float = 1.0  # base units per card unit
    seconds: float | None = None  # time target ("Time: 90 s"), if any


@dataclass(frozen=True)
class Card:
    """One question. `id` is global: `<deck id>#<anchor>`."""

    id: str
    deck_id: str
    question: str
    answer: str = ""
    kind: CardKind = CardKind.BASIC
    stem: str = ""  # Markdown shown under the question (MCQ code snippets and the like)
    options: tuple[Option, ...] = ()
    explanation: str = ""
    line: int = 0
    numeric: NumericAnswer | None = None  # numeric cards only
    points: tuple[str, ...] = ()  # rubric cards only: the key points, in order

    @property
    def correct_indexes(self) -> frozenset[int]:
        return frozenset(i for i, option in enumerate(self.options) if option.correct)

    @property
    def correct_index(self) -> int:
        for i, option in enumerate(self.options):
            if option.correct:
                return i
        raise ValueError(f"card {self.id} has no correct option")


class LazyCards(Sequence[Card]):
    """A deck's cards whose ids are known now and whose bodies are decoded on first use.

    A daily command over a large collection needs every card id (what is new, what is due) but
    the text of only the ten cards it asks; building 20,000 `Card` objects to read 10 of them was
    most of a warm `study check`. The parsed-deck cache hands decks over with this sequence; it
    behaves as the tuple it stands for (length, indexing, iteration, equality) and decodes the
    whole deck the first time a card's content is needed.
    """

    __slots__ = ("_cards", "_index", "_load", "_one", "ids")

    def __init__(
        self,
        ids: tuple[str, ...],
        load: Callable[[], tuple[Card, ...]],
        one: Callable[[int], Card | None] | None = None,
    ) -> None:
        self.ids = ids
        self._load: Callable[[], tuple[Card, ...]] | None = load
        # Decodes the card at an index alone (None if that fails: then the whole deck is loaded,
        # with its fallback): a report names a card or two in each of dozens of decks.
        self._one = one
        self._cards: tuple[Card, ...] | None = None
        self._index: dict[str, Card] | None = None

    @property
    def decoded(self) -> bool:
        return self._cards is not None

    def materialise(self) -> tuple[Card, ...]:
        if self._cards is None:
            assert self._load is not None
            self._cards = self._load()
            self._load = None
            self.ids = tuple(c.id for c in self._cards)  # the truth, should the load have fallen back
        return self._cards

    def by_id(self, card_id: str) -> Card | None:
        if self._cards is None and self._one is not None:
            try:
                index = self.ids.index(card_id)
            except ValueError:
                return None
            card = self._one(index)
            if card is not None:
                return card
        if self._index is None:
            self._index = {c.id: c for c in self.materialise()}
        return self._index.get(card_id)

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Card: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Card, ...]: ...
    def __getitem__(self, index: int | slice) -> Card | tuple[Card, ...]:
        return self.materialise()[index]

    def __iter__(self) -> Iterator[Card]:
        return iter(self.materialise())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyCards):
            return self.materialise() == other.materialise()
        if isinstance(other, tuple):
            return self.materialise() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.materialise())

    def __repr__(self) -> str:
        return repr(self.materialise())


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    area: str
    category: str = "must"
    levels: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    subtopics: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    summary: str = ""
    cards: Sequence[Card] = ()  # a tuple, or `LazyCards` from the parsed-deck cache
    path: Path | None = None
    bundled: bool = True

    @property
    def card_ids(self) -> tuple[str, ...]:
        """The ids of the cards, in deck order, without decoding a cached deck's card bodies."""
        cards = self.cards
        if isinstance(cards, LazyCards):
            return cards.ids
        return tuple(c.id for c in cards)

    def card(self, card_id: str) -> Card | None:
        cards = self.cards
        if isinstance(cards, LazyCards):
            return cards.by_id(card_id)
        return next((c for c in cards if c.id == card_id), None)


@dataclass(frozen=True)
class Activity:
    """Something to do on a plan day besides cards: a mock round, a timed coding task, a reading.

    The plan states it and `study plan` and the check's header show it on its day; it is not
    tracked, because the work happens outside the tool."""

    day: int  # 1-7 within its week
    kind: str  # one of plans.ACTIVITY_KINDS, or "" when the plan names none
    text: str
    line: int = 0


@dataclass(frozen=True)
class Checkpoint:
    """A planned `study gaps` assessment: which areas, on which day, and the readiness aimed for.

    Readiness is the share of an area's subtopics rated know; the report compares the latest
    ratings with the target of the most recent checkpoint that has passed."""

    day: int  # 1-7 within its week
    areas: tuple[str, ...] = ()  # area names; () means every area
    target: float | None = None  # share of subtopics rated know, 0-1; None: a baseline, no target
    note: str = ""  # what to decide from the result
    line: int = 0


@dataclass(frozen=True)
class Week:
    number: int
    theme: str
    topics: tuple[str, ...]
    goals: tuple[str, ...] = ()
    # (day 1-7, topics introduced that day); week topics named under no day start on day 1
    days: tuple[tuple[int, tuple[str, ...]], ...] = ()
    line: int = 0
    activities: tuple[Activity, ...] = ()  # sorted by day, in file order within a day
    checkpoints: tuple[Checkpoint, ...] = ()  # sorted by day, at most one a day

    def activities_on(self, day: int) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities if a.day == day)

    def checkpoints_on(self, day: int) -> tuple[Checkpoint, ...]:
        return tuple(c for c in self.checkpoints if c.day == day)

    @property
    def all_topics(self) -> tuple[str, ...]:
        seen = dict.fromkeys(self.topics)
        for _, topics in self.days:
            seen.update(dict.fromkeys(topics))
        return tuple(seen)

    def _unassigned(self) -> tuple[str, ...]:
        named = {t for _, topics in self.days for t in topics}
        return tuple(t for t in self.topics if t not in named)

    def topics_for_day(self, day: int) -> tuple[str, ...]:
        """Topics introduced on `day` (1-7). Without `days`, every day is the whole week's."""
        if not self.days:
            return self.topics
        found = list(self._unassigned()) if day == 1 else []
        for number, topics in self.days:
            if number == day:
                found.extend(t for t in topics if t not in found)
        return tuple(found)

    def topics_up_to_day(self, day: int) -> tuple[str, ...]:
        if not self.days:
            return self.topics
        seen = list(self._unassigned())
        for number, topics in self.days:  # sorted by day number at parse time
            if number <= day:
                seen.extend(t for t in topics if t not in seen)
        return tuple(seen)


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    description: str
    weeks: tuple[Week, ...]
    path: Path | None = None
    bundled: bool = True

    @property
    def topics(self) -> tuple[str, ...]:
        """Every topic the plan names, in first-appearance order."""
        seen: dict[str, None] = {}
        for week in self.weeks:
            seen.update(dict.fromkeys(week.all_topics))
        return tuple(seen)


@dataclass(frozen=True)
class CardState:
    """SM-2 memory of one card. A card with no state has never been reviewed."""

    card_id: str
    ef: float = 2.5
    interval: int = 0
    repetitions: int = 0
    due: date | None = None
    lapses: int = 0
    reviews: int = 0
    last_review: date | None = None

    @classmethod
    def from_row(
        cls,
        card_id: str,
        ef: float,
        interval: int,
        repetitions: int,
        due: date | None,
        lapses: int,
        reviews: int,
        last_review: date | None,
    ) -> CardState:
        """The same value as `CardState(...)`, built without the frozen dataclass `__init__`'s
        eight `object.__setattr__` calls: every daily command reads one state per card seen
        (14,600 at 20,000 cards), where that `__init__` was a third of the read."""
        state = object.__new__(cls)
        state.__dict__.update(
            card_id=card_id,
            ef=ef,
            interval=interval,
            repetitions=repetitions,
            due=due,
            lapses=lapses,
            reviews=reviews,
            last_review=last_review,
        )
        return state


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in a deck, plan or the store, located for a human to fix."""

    path: str
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Item:
    """One question to ask in a knowledge check.

    `order` is the order its options are shown in this time (indexes into `card.options`; empty:
    as written), `showing` how many times the card was shown today before this one.
    """

    card: Card
    source: Source
    repeat: bool = False
    order: tuple[int, ...] = ()
    showing: int = 0

    @property
    def shown(self) -> Card:
        """The card as shown this time: its options in `order`, so letters run a, b, c in display
        order and the right option(s) move with their text."""
        if not self.order:
            return self.card
        return replace(self.card, options=tuple(self.card.options[i] for i in self.order))


@dataclass(frozen=True)
class GradedItem:
    card_id: str
    source: Source
    quality: int
    repeat: bool


@dataclass(frozen=True)
class Collection:
    """All content visible to the user: bundled plus their own folders, overrides applied."""

    decks: tuple[Deck, ...] = ()
    plans: tuple[Plan, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    def deck(self, deck_id: str) -> Deck | None:
        for deck in self.decks:
            if deck.id == deck_id:
                return deck
        return None

    def plan(self, plan_id: str) -> Plan | None:
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        return None


@dataclass(frozen=True)
class GapRating:
    """One self-assessment answer. Ratings are history: the latest per subtopic is the current one."""

    deck_id: str
    subtopic: str
    rating: Rating
    day: date
    session_id: int | None = None
    seq: int = 0  # insertion order, breaks ties between ratings given on the same day


class LoggedGrade(Protocol):
    """What the report and statistics read of a grade: a `ReviewRow` or a lighter `Grade`."""

    @property
    def session_id(self) -> int | None: ...
    @property
    def day(self) -> date: ...
    @property
    def card_id(self) -> str: ...
    @property
    def deck_id(self) -> str: ...
    @property
    def source(self) -> Source: ...
    @property
    def quality(self) -> int: ...
    @property
    def repeat(self) -> bool: ...


class Grade(NamedTuple):
    """A grade without the schedule before and after it: how the report reads the log window
    (16,000 rows at 20,000 cards), where two `CardState`s per row were most of the cost."""

    id: int
    session_id: int | None
    day: date
    card_id: str
    deck_id: str
    source: Source
    quality: int
    seconds: float | None
    repeat: bool


@dataclass(frozen=True)
class ReviewRow:
    """One row of the review log, as the report and tests read it."""

    id: int
    session_id: int | None
    ts: str
    day: date
    card_id: str
    deck_id: str
    source: Source
    quality: int
    seconds: float | None
    repeat: bool
    before: CardState | None
    after: CardState


@dataclass(frozen=True)
class SessionRow:
    id: int
    kind: SessionKind
    day: date
    started_at: str
    ended_at: str | None
    plan_id: str | None
    planned: int
    status: SessionStatus


@dataclass(frozen=True)
class MockAnswer:
    """One answer in a mock round (`study mock`): its grade and time; card state is never touched."""

    session_id: int
    day: date
    card_id: str
    deck_id: str
    quality: int
    seconds: float | None
    timed_out: bool
