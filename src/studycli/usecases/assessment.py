"""`study gaps` as a use case: which subtopics to ask, recording answers, and the summary's figures.

(Named `assessment` so it does not shadow the pure `gaps` module it builds on.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .. import gaps, plans
from ..errors import StudyError
from ..plans import resolve_plan
from ..vocab import Rating, SessionKind, SessionStatus
from .context import Context
from .scope import check_topics, resolve_areas


def parse_only(only: str | None) -> tuple[Rating, ...]:
    """`--only unsure,dunno` as ratings; anything else is a usage error."""
    if not only:
        return ()
    names = tuple(dict.fromkeys(v.strip().lower() for v in only.split(",") if v.strip()))
    bad = [v for v in names if v not in gaps.RATINGS]
    if bad or not names:
        raise StudyError(
            f"--only takes ratings from know, unsure, dunno; got {only!r}", "e.g. --only unsure,dunno"
        )
    return tuple(Rating(v) for v in names)


@dataclass(frozen=True)
class Assessment:
    scope: list[gaps.Subtopic]  # everything in scope, rated or not (the summary covers it all)
    chosen: list[gaps.Subtopic]  # what to ask now
    current: dict[gaps.Key, str]  # the latest rating of each subtopic
    reached: tuple[str, ...]  # plan topics reached so far
    nothing: str = ""  # why nothing is asked, when `chosen` is empty


def prepare(
    ctx: Context,
    areas: Sequence[str],
    topics: Sequence[str],
    plan_to_date: bool,
    only: str | None,
    include_rated: bool,
) -> Assessment:
    if only and include_rated:
        raise StudyError("--only and --all pick different subtopics; use one of them")
    wanted_ratings = parse_only(only)
    named_areas = resolve_areas(list(areas), ctx.collection)
    wanted = list(dict.fromkeys(topics))
    check_topics(wanted, ctx.collection)
    active = resolve_plan(ctx.settings, ctx.collection, ctx.today)
    plan_topics = active.plan.topics if active.plan else ()
    reached: tuple[str, ...] = ()
    if active.plan is not None and not active.first_run:
        reached = plans.position(active.plan, active.start, ctx.today).reached_topics
    items = gaps.inventory(ctx.collection.decks, plan_topics)
    if not items:
        raise StudyError("no deck has subtopics to assess", "add `subtopics:` to your decks' frontmatter")
    if plan_to_date and not reached:
        raise StudyError(
            "your plan has not reached any topic yet",
            "run `study check` to start the plan, or leave out --plan-to-date",
        )
    current = gaps.latest(ctx.store.gap_ratings())
    scope = gaps.select(
        items,
        current,
        areas=named_areas,
        topics=wanted,
        reached=reached if plan_to_date else None,
        include_rated=True,
    )
    chosen = gaps.select(scope, current, only=wanted_ratings, include_rated=include_rated)
    nothing = ""
    if not chosen:
        if wanted_ratings:
            nothing = f"No subtopic in scope is currently rated {' or '.join(wanted_ratings)}."
        else:
            nothing = (
                "Every subtopic in scope is already rated. `--all` reassesses them all, "
                "`--only unsure,dunno` just the weak ones."
            )
    return Assessment(scope, chosen, current, reached, nothing)


@dataclass
class RatingRecorder:
    """Records each answer of a walk in its own transaction, within one `gaps` session."""

    ctx: Context
    planned: int
    session_id: int = 0

    def __post_init__(self) -> None:
        self.session_id = self.ctx.store.start_session(SessionKind.GAPS, self.ctx.today, planned=self.planned)

    def __call__(self, item: gaps.Subtopic, rating: str) -> None:
        self.ctx.store.record_gap_rating(
            session_id=self.session_id,
            day=self.ctx.today,
            deck_id=item.deck_id,
            subtopic=item.text,
            rating=rating,
        )

    def finish(self, completed: bool) -> None:
        status = SessionStatus.COMPLETED if completed else SessionStatus.INTERRUPTED
        self.ctx.store.end_session(self.session_id, status)


@dataclass(frozen=True)
class Summary:
    rows: list[gaps.AreaChange]
    todo: list[gaps.Priority]
    assessments: int


def summary(ctx: Context, assessment: Assessment) -> Summary:
    """Readiness per area with its changes, and what to study first, from the ratings as they are now."""
    ratings = ctx.store.gap_ratings()
    current = gaps.latest(ratings)
    return Summary(
        gaps.changes(assessment.scope, ratings),
        gaps.priorities(assessment.scope, current, assessment.reached),
        len(gaps.assessments(ratings)),
    )
