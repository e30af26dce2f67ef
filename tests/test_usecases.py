"""The use cases called directly: a Context of a temporary store and small decks, no terminal."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from studycli import config
from studycli.content import load_collection
from studycli.errors import StudyError
from studycli.store import Store
from studycli.usecases import assessment, check, plan, report, settings
from studycli.usecases.context import Context
from studycli.usecases.grading import Recorder
from studycli.vocab import SessionKind, Source

T = date(2026, 3, 2)


@pytest.fixture
def ctx(content: Path, home: Path, tmp_path: Path):
    """A writable Context over the small test content (7 new a day: the `content` fixture)."""
    store = Store(tmp_path / "db" / "progress.db")
    collection = load_collection(config.content_dirs({}))
    yield Context(store, collection, {}, T)
    store.close()


def at(ctx: Context, day: date) -> Context:
    return Context(ctx.store, ctx.collection, ctx.store.settings(), day)


def grade_all(ctx: Context, sitting: check.Sitting, quality: int = 4) -> None:
    session = ctx.store.start_session(SessionKind.CHECK, ctx.today)
    record = Recorder(ctx.store, session, ctx.today, dict(sitting.day.states))
    for item in sitting.items:
        record(item, quality, 10.0)


def test_first_check_starts_the_plan_and_asks_the_reached_topics(ctx: Context) -> None:
    sitting = check.plan_check(ctx, None, 0.7, [])
    assert [i.card.id for i in sitting.items] == ["t/alpha#a1", "t/alpha#a2", "t/alpha#a3", "t/gamma#g1"]
    assert (sitting.new, sitting.reviews, sitting.empty) == (4, 0, "")
    assert check.start_plan_on_first_check(ctx, sitting.day) == "starter"
    assert ctx.store.settings() == {"plan": "starter", "plan_start": T.isoformat()}
    assert (
        check.start_plan_on_first_check(at(ctx, T), check.plan_check(at(ctx, T), None, 0.7, []).day) is None
    )


def test_review_sitting_after_a_day_and_its_empty_reasons(ctx: Context) -> None:
    first = check.plan_check(ctx, None, 0.7, [])
    check.start_plan_on_first_check(ctx, first.day)
    grade_all(ctx, first)
    assert check.plan_review(ctx, None, [], []).empty == "no reviews are due"
    tomorrow = at(ctx, T + timedelta(days=1))
    due = check.plan_review(tomorrow, None, [], [])
    assert len(due.items) == 4 and {i.source for i in due.items} == {Source.REVIEW}
    assert [i.card.id for i in check.plan_review(tomorrow, 1, ["t/gamma"], []).items] == ["t/gamma#g1"]
    assert check.plan_review(tomorrow, None, ["t/beta"], []).empty == "no reviews are due in that scope"
    with pytest.raises(StudyError, match="unknown topic 't/nope'"):
        check.plan_review(tomorrow, None, ["t/nope"], [])


def test_change_plan_checks_everything_before_writing(ctx: Context) -> None:
    with pytest.raises(StudyError, match="no plan called 'startr'"):
        plan.change_plan(ctx, "startr", None, None)
    with pytest.raises(StudyError, match="is before the plan starts"):
        plan.change_plan(ctx, "starter", T + timedelta(days=10), T + timedelta(days=5))
    assert ctx.store.settings() == {}
    change = plan.change_plan(ctx, "starter", None, T + timedelta(days=30))
    assert change.chosen is not None and change.start == T
    view = plan.view_plan(at(ctx, T))
    assert view.day.limits.days_to_interview == 30 and not view.first_run
    assert view.runs_past_deadline is False  # the 2-week test plan ends well before the deadline


def test_settings_in_force_and_checked_values(ctx: Context) -> None:
    assert settings.effective(ctx)[config.SETTING_REVIEW_LIMIT] == "200 (default)"
    assert settings.set_setting(ctx, "review_limit", " 40 ") == "40"
    assert settings.effective(at(ctx, T))[config.SETTING_REVIEW_LIMIT] == "40 (your setting)"
    with pytest.raises(StudyError, match="unknown setting 'colour'"):
        settings.set_setting(ctx, "colour", "blue")
    assert settings.unset_setting(ctx, "review_limit") is True
    assert settings.unset_setting(ctx, "review_limit") is False


def test_assessment_scope_and_summary(ctx: Context) -> None:
    prepared = assessment.prepare(ctx, ["Foundations"], [], False, None, False)
    assert [s.text for s in prepared.chosen] == ["First alpha idea", "Second alpha idea"]
    record = assessment.RatingRecorder(ctx, len(prepared.chosen))
    record(prepared.chosen[0], "know")
    record.finish(completed=False)
    again = assessment.prepare(ctx, ["Foundations"], [], False, None, False)
    assert [s.text for s in again.chosen] == ["Second alpha idea"]
    assert assessment.summary(ctx, again).assessments == 1
    with pytest.raises(StudyError, match="--only takes ratings"):
        assessment.prepare(ctx, [], [], False, "maybe", False)


def test_report_use_case_reads_the_window_and_refuses_a_future_since(ctx: Context) -> None:
    first = check.plan_check(ctx, None, 0.7, [])
    check.start_plan_on_first_check(ctx, first.day)
    grade_all(ctx, first)
    built = report.build_report(at(ctx, T + timedelta(days=2)), None, None)
    assert built.overdue == 4 and built.retention is not None and built.retention.cards == 4
    with pytest.raises(StudyError, match="is after today"):
        report.build_report(ctx, T + timedelta(days=1), None)
