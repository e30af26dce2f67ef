"""Gap self-assessment: the subtopic inventory, which subtopics to ask, and readiness arithmetic.

Pure functions over plain data. A rating is never overwritten: the store keeps every answer, and
the *current* rating of a subtopic is its latest one. "Readiness" of an area is the share of its
subtopics whose current rating is `know`, out of all its subtopics (unrated ones count as not
ready), so readiness can only rise by learning or by rating, never by skipping.

An assessment is one `study gaps` session. Comparing assessments uses snapshots: the current
ratings as they stood after that session, so reassessing only the weak subtopics (`--only
unsure,dunno`) still compares whole areas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .model import Deck, GapRating
from .vocab import Rating

RATINGS: tuple[Rating, ...] = tuple(Rating)
KEY_TO_RATING: dict[str, Rating] = {"k": Rating.KNOW, "u": Rating.UNSURE, "d": Rating.DUNNO}
CATEGORY_RANK: dict[str, int] = {"must": 0, "good-to-know": 1, "specialisation": 2}
# How strongly a topic should be pushed into knowledge checks (lower comes first).
RATING_PRIORITY: dict[str | None, int] = {Rating.DUNNO: 0, Rating.UNSURE: 1, None: 2, Rating.KNOW: 3}
RATING_SCORE: dict[str, float] = {Rating.KNOW: 1.0, Rating.UNSURE: 0.5, Rating.DUNNO: 0.0}

Key = tuple[str, str]  # (deck id, subtopic text)


@dataclass(frozen=True)
class Subtopic:
    deck_id: str
    deck_title: str
    area: str
    category: str
    text: str

    @property
    def key(self) -> Key:
        return (self.deck_id, self.text)


def deck_order(decks: Iterable[Deck], plan_topics: Sequence[str]) -> list[Deck]:
    """Decks in plan order: areas in the order the plan first reaches them, then plan order inside
    an area; decks the plan does not name follow within their area, and areas the plan never
    touches come last (alphabetically)."""
    decks = list(decks)
    rank = {topic: n for n, topic in enumerate(plan_topics)}
    unplanned = len(rank)
    area_rank: dict[str, tuple[int, str]] = {}
    for deck in decks:
        r = rank.get(deck.id, unplanned)
        best = area_rank.get(deck.area)
        if best is None or r < best[0]:
            area_rank[deck.area] = (r, deck.area.lower())
    return sorted(decks, key=lambda d: (area_rank[d.area], rank.get(d.id, unplanned), d.id))


def inventory(decks: Iterable[Deck], plan_topics: Sequence[str]) -> list[Subtopic]:
    """Every subtopic of every deck, grouped by area in plan order; duplicates inside a deck once."""
    items: list[Subtopic] = []
    for deck in deck_order(decks, plan_topics):
        for text in dict.fromkeys(deck.subtopics):
            items.append(Subtopic(deck.id, deck.title, deck.area, deck.category or "must", text))
    return items


def latest(ratings: Iterable[GapRating], up_to_session: int | None = None) -> dict[Key, str]:
    """Current rating per subtopic, optionally as it stood after session `up_to_session`."""
    current: dict[Key, tuple[tuple[object, ...], str]] = {}
    for r in ratings:
        if up_to_session is not None and (r.session_id is None or r.session_id > up_to_session):
            continue
        order = (r.day, r.seq)
        key = (r.deck_id, r.subtopic)
        if key not in current or order >= current[key][0]:
            current[key] = (order, r.rating)
    return {key: rating for key, (_, rating) in current.items()}


def assessments(ratings: Iterable[GapRating]) -> list[int]:
    """Session ids that recorded at least one rating, oldest first."""
    return sorted({r.session_id for r in ratings if r.session_id is not None})


def select(
    items: Sequence[Subtopic],
    current: Mapping[Key, str],
    *,
    areas: Sequence[str] = (),
    topics: Sequence[str] = (),
    reached: Sequence[str] | None = None,
    only: Sequence[str] = (),
    include_rated: bool = False,
) -> list[Subtopic]:
    """The subtopics a `study gaps` run asks about.

    By default only unrated subtopics (an assessment resumes where the last one stopped);
    `only` picks subtopics whose current rating is in it; `include_rated` asks everything.
    `reached` (the plan's reached topics) narrows to what the plan has covered so far.
    """
    wanted_areas = {a.casefold() for a in areas}
    wanted_topics = set(topics)
    reached_set = set(reached) if reached is not None else None
    chosen: list[Subtopic] = []
    for item in items:
        if wanted_areas and item.area.casefold() not in wanted_areas:
            continue
        if wanted_topics and item.deck_id not in wanted_topics:
            continue
        if reached_set is not None and item.deck_id not in reached_set:
            continue
        rating = current.get(item.key)
        if only:
            if rating not in only:
                continue
        elif not include_rated and rating is not None:
            continue
        chosen.append(item)
    return chosen


@dataclass(frozen=True)
class AreaReadiness:
    area: str
    total: int
    know: int
    unsure: int
    dunno: int

    @property
    def unrated(self) -> int:
        return self.total - self.know - self.unsure - self.dunno

    @property
    def readiness(self) -> float:
        """Share of the area's subtopics rated know (0.0 for an empty area)."""
        return self.know / self.total if self.total else 0.0


def readiness(items: Sequence[Subtopic], current: Mapping[Key, str]) -> list[AreaReadiness]:
    """Counts and readiness per area, areas in inventory order, plus nothing for empty input."""
    counts: dict[str, dict[str, int]] = {}
    for item in items:
        bucket = counts.setdefault(item.area, {"total": 0, "know": 0, "unsure": 0, "dunno": 0})
        bucket["total"] += 1
        rating = current.get(item.key)
        if rating in RATINGS:
            bucket[rating] += 1
    return [AreaReadiness(area, c["total"], c["know"], c["unsure"], c["dunno"]) for area, c in counts.items()]


def overall(rows: Sequence[AreaReadiness]) -> AreaReadiness:
    return AreaReadiness(
        "All areas",
        sum(r.total for r in rows),
        sum(r.know for r in rows),
        sum(r.unsure for r in rows),
        sum(r.dunno for r in rows),
    )


@dataclass(frozen=True)
class AreaChange:
    """An area's readiness now, and its change in percentage points since two earlier snapshots."""

    now: AreaReadiness
    since_baseline: float | None  # None when there is no earlier assessment to compare with
    since_previous: float | None


def changes(items: Sequence[Subtopic], ratings: Sequence[GapRating]) -> list[AreaChange]:
    """Readiness per area now, against the first assessment (baseline) and the one before the latest,
    then the same for all areas together (last row).

    With a single assessment there is nothing to compare, so both deltas are None.
    """
    sessions = assessments(ratings)
    now_rows = readiness(items, latest(ratings))
    baseline_rows = previous_rows = None
    if len(sessions) >= 2:
        baseline_rows = readiness(items, latest(ratings, sessions[0]))
        previous_rows = readiness(items, latest(ratings, sessions[-2]))

    def delta(row: AreaReadiness, rows: list[AreaReadiness] | None) -> float | None:
        if rows is None:
            return None
        before = next((r for r in rows if r.area == row.area), None)
        return (row.readiness - before.readiness) * 100 if before else None

    result = [AreaChange(r, delta(r, baseline_rows), delta(r, previous_rows)) for r in now_rows]
    if now_rows:
        total = overall(now_rows)
        result.append(
            AreaChange(
                total,
                (total.readiness - overall(baseline_rows).readiness) * 100 if baseline_rows else None,
                (total.readiness - overall(previous_rows).readiness) * 100 if previous_rows else None,
            )
        )
    return result


@dataclass(frozen=True)
class Priority:
    subtopic: Subtopic
    rating: str
    reached: bool


def priorities(
    items: Sequence[Subtopic], current: Mapping[Key, str], reached: Sequence[str]
) -> list[Priority]:
    """What to study first: dunno before unsure, then must before good-to-know before
    specialisation, then topics the plan has already reached, then inventory (plan) order."""
    reached_set = set(reached)
    ranked: list[tuple[tuple[int, int, int, int], Priority]] = []
    for n, item in enumerate(items):
        rating = current.get(item.key)
        if rating not in (Rating.DUNNO, Rating.UNSURE):
            continue
        in_plan = item.deck_id in reached_set
        key = (RATING_PRIORITY[rating], CATEGORY_RANK.get(item.category, 3), 0 if in_plan else 1, n)
        ranked.append((key, Priority(item, rating, in_plan)))
    ranked.sort(key=lambda pair: pair[0])
    return [p for _, p in ranked]


def topic_priority(items: Sequence[Subtopic], current: Mapping[Key, str]) -> dict[str, int]:
    """Per deck, how urgently its new cards should come into checks (session.topic_order).

    A topic is as urgent as its weakest subtopic: any dunno makes it 0, else any unsure 1, else any
    unrated 2; only a topic whose every subtopic is rated know gets 3 (last).
    """
    result: dict[str, int] = {}
    for item in items:
        value = RATING_PRIORITY[current.get(item.key) if current.get(item.key) in RATINGS else None]
        result[item.deck_id] = min(result.get(item.deck_id, 3), value)
    return result


def topic_self_score(items: Sequence[Subtopic], current: Mapping[Key, str]) -> dict[str, tuple[float, int]]:
    """Per deck: mean self-rating score over its *rated* subtopics (know 1, unsure 0.5, dunno 0)
    and how many were rated. Used to compare with measured recall (calibration)."""
    sums: dict[str, list[float]] = {}
    for item in items:
        rating = current.get(item.key)
        if rating in RATING_SCORE:
            sums.setdefault(item.deck_id, []).append(RATING_SCORE[rating])
    return {deck: (sum(values) / len(values), len(values)) for deck, values in sums.items()}


@dataclass
class GapWalk:
    """The pure state machine behind `study gaps`: a cursor over the chosen subtopics.

    `answers` holds the rating given in *this* run per position (None for skipped or not yet
    reached), so going back shows what was answered and a new answer replaces it.
    """

    items: Sequence[Subtopic]
    position: int = 0
    answers: list[str | None] | None = None

    def __post_init__(self) -> None:
        if self.answers is None:
            self.answers = [None] * len(self.items)

    @property
    def done(self) -> bool:
        return self.position >= len(self.items)

    @property
    def current(self) -> Subtopic:
        return self.items[self.position]

    def rate(self, rating: str) -> Subtopic:
        if rating not in RATINGS:
            raise ValueError(f"unknown rating {rating!r}")
        item = self.current
        assert self.answers is not None
        self.answers[self.position] = rating
        self.position += 1
        return item

    def skip(self) -> None:
        self.position += 1

    def back(self) -> bool:
        """Step back one subtopic; False (and no move) at the first one."""
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def counts(self) -> dict[str, int]:
        assert self.answers is not None
        return {r: sum(1 for a in self.answers if a == r) for r in RATINGS}
