"""`study report` as a use case: read what the report needs, build the `Report` (pure)."""

from __future__ import annotations

from datetime import date, timedelta

from .. import gcpause, report, stats
from ..errors import StudyError
from .context import Context
from .day import load_day
from .recall import recall_model
from .scope import resolve_areas


def build_report(ctx: Context, since: date | None, area: str | None) -> report.Report:
    """The report as of `ctx.today`, over the window from `since` (default: 30 days), in `area`."""
    with gcpause.paused():  # every card state, a month of grades, the recall model: all kept
        return _build_report(ctx, since, area)


def _build_report(ctx: Context, since: date | None, area: str | None) -> report.Report:
    if since is not None and since > ctx.today:
        raise StudyError(f"--since {since.isoformat()} is after today ({ctx.today.isoformat()})")
    area_name = resolve_areas([area], ctx.collection)[0] if area else None
    store = ctx.store
    day = load_day(store, ctx.collection, ctx.settings, ctx.today, states=True)
    scope = {d.id: d for d in ctx.collection.decks if area_name is None or d.area == area_name}
    # Only the window the report looks at: the recall and check window, and the activity map
    # (counted by SQLite, unless an area limits it to some decks).
    heat_start = stats.heatmap((), ctx.today, report.HEATMAP_WEEKS, since).start
    activity = store.grades_per_day(heat_start) if area_name is None else None
    window = (
        since or ctx.today - timedelta(days=report.RECALL_DAYS - 1) if activity is not None else heat_start
    )
    return report.build(
        report.ReportInputs(
            today=ctx.today,
            decks=ctx.collection.decks,
            states=day.states,
            reviews=store.grades(since=window),
            sessions=store.sessions(),
            ratings=day.ratings,  # the standing ones: all the report reads of the history (see build)
            plan=day.active.plan,
            plan_start=None if day.active.first_run else day.active.start,
            new_available=day.new_available(scope),  # exactly the pool `study check` draws from
            since=since,
            area=area_name,
            limits=day.limits,
            seconds=day.seconds,
            recall_model=recall_model(store, ctx.today),
            activity=activity,
            suspended=day.suspended,
            mock_answers=store.mock_answers(),
        )
    )
