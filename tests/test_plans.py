"""Plan parsing and the calendar arithmetic of 'which week is it, which topics are today's'."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycli.plans import parse_plan, position

from .conftest import PLAN

KNOWN = {"t/alpha", "t/beta", "t/gamma", "t/delta"}
DAYS_PLAN = """\
title: Days
weeks:
  - week: 1
    topics: [t/alpha, t/gamma]
    days:
      3: [t/beta]
      5: [t/delta]
  - week: 2
    topics: [t/gamma]
"""
START = date(2026, 3, 2)


def plan_of(text: str):
    parsed = parse_plan(text, "p", "p.yaml", known_topics=KNOWN)
    assert parsed.plan is not None, parsed.diagnostics
    return parsed.plan


def test_parses_weeks() -> None:
    plan = plan_of(PLAN)
    assert plan.title == "Test plan"
    assert [w.topics for w in plan.weeks] == [("t/alpha",), ("t/beta",)]
    assert plan.topics == ("t/alpha", "t/beta")


@pytest.mark.parametrize(
    ("offset", "status", "week", "day", "today_topics", "reached"),
    [
        (-1, "not-started", 0, 0, (), ()),
        (0, "active", 1, 1, ("t/alpha",), ("t/alpha",)),
        (6, "active", 1, 7, ("t/alpha",), ("t/alpha",)),
        (7, "active", 2, 1, ("t/beta",), ("t/alpha", "t/beta")),
        (13, "active", 2, 7, ("t/beta",), ("t/alpha", "t/beta")),
        (14, "finished", 3, 1, (), ("t/alpha", "t/beta")),
    ],
)
def test_position_at_week_boundaries(offset, status, week, day, today_topics, reached) -> None:
    pos = position(plan_of(PLAN), START, START + timedelta(days=offset))
    assert (pos.status, pos.week_number, pos.day_of_week) == (status, week, day)
    assert pos.today_topics == today_topics
    assert pos.reached_topics == reached


def test_days_introduce_topics_on_their_day_and_unassigned_on_day_one() -> None:
    plan = plan_of(DAYS_PLAN)
    at = lambda n: position(plan, START, START + timedelta(days=n))  # noqa: E731
    assert at(0).today_topics == ("t/alpha", "t/gamma")
    assert at(1).today_topics == ()
    assert at(2).today_topics == ("t/beta",)
    assert at(2).reached_topics == ("t/alpha", "t/gamma", "t/beta")
    assert at(3).reached_topics == ("t/alpha", "t/gamma", "t/beta")
    assert at(4).reached_topics == ("t/alpha", "t/gamma", "t/beta", "t/delta")
    assert plan.topics == ("t/alpha", "t/gamma", "t/beta", "t/delta")


@given(st.integers(min_value=-30, max_value=200))
def test_reached_topics_only_grow(offset: int) -> None:
    plan = plan_of(DAYS_PLAN)
    today = position(plan, START, START + timedelta(days=offset))
    tomorrow = position(plan, START, START + timedelta(days=offset + 1))
    assert set(today.reached_topics) <= set(tomorrow.reached_topics)
    assert set(today.today_topics) <= set(today.reached_topics)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("title: [oops\nweeks: []\n", 2, "invalid YAML"),
        ("- a\n- b\n", 1, "must be a YAML mapping"),
        ("title: X\nweeks: []\n", 2, "at least one week"),
        ("weeks:\n  - week: 1\n    topics: [t/alpha]\n", 1, "non-empty 'title'"),
        (
            "title: X\nauthor: me\nweeks:\n  - week: 1\n    topics: [t/alpha]\n",
            2,
            "unknown plan key 'author'",
        ),
        ("title: X\nweeks:\n  - week: 1\n    topics: [t/alpha]\n    colour: red\n", 5, "unknown week key"),
        ("title: X\nweeks:\n  - week: 2\n    topics: [t/alpha]\n", 3, "numbered 1, 2, 3"),
        (
            "title: X\nweeks:\n  - week: 1\n    topics:\n      - t/alpha\n      - t/alhpa\n",
            6,
            "unknown topic 't/alhpa'",
        ),
        (
            "title: X\nweeks:\n  - week: 1\n    topics: [t/alpha]\n    days:\n      9: [t/beta]\n",
            6,
            "from 1 to 7",
        ),
        ("title: X\nweeks:\n  - week: 1\n", 3, "names no topics"),
        ("title: X\nweeks:\n  - just text\n", 3, "must be a mapping"),
    ],
)
def test_plan_errors_are_located(text: str, line: int, fragment: str) -> None:
    parsed = parse_plan(text, "p", "p.yaml", known_topics=KNOWN)
    errors = [d for d in parsed.diagnostics if d.severity == "error"]
    assert any(fragment in d.message and d.line == line for d in errors), parsed.diagnostics
    # unknown keys are reported but do not make an otherwise sound plan unusable
    assert (parsed.plan is None) == ("unknown" not in fragment or "topic" in fragment)


def test_unknown_topic_suggests_the_closest_deck() -> None:
    parsed = parse_plan("title: X\nweeks:\n  - week: 1\n    topics: [t/alhpa]\n", "p", known_topics=KNOWN)
    assert "did you mean 't/alpha'" in parsed.diagnostics[0].message


yaml_like = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 12) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.sampled_from(["title", "description", "weeks", "extra"]), yaml_like, max_size=4))
def test_parser_reports_instead_of_crashing_on_any_yaml_shape(data: dict) -> None:
    import yaml

    parsed = parse_plan(yaml.safe_dump(data), "p", "p.yaml", known_topics=KNOWN)
    assert parsed.plan is not None or any(d.severity == "error" for d in parsed.diagnostics)
    for diag in parsed.diagnostics:
        assert diag.line >= 1 and diag.message


@given(st.text(max_size=300))
def test_parser_never_crashes_on_text(text: str) -> None:
    parsed = parse_plan(text, "p", "p.yaml", known_topics=KNOWN)
    assert parsed.plan is not None or parsed.diagnostics


def test_resolve_plan_first_run_uses_the_default_from_today() -> None:
    from studycli import config
    from studycli.errors import StudyError
    from studycli.model import Collection
    from studycli.plans import resolve_plan

    starter = parse_plan(PLAN, config.DEFAULT_PLAN, known_topics=KNOWN).plan
    collection = Collection(plans=(starter,))
    today = date(2026, 4, 1)
    first = resolve_plan({}, collection, today)
    assert (first.plan, first.start, first.first_run) == (starter, today, True)
    chosen = resolve_plan({"plan": config.DEFAULT_PLAN, "plan_start": "2026-03-01"}, collection, today)
    assert (chosen.start, chosen.first_run) == (date(2026, 3, 1), False)
    with pytest.raises(StudyError, match="'gone' was not found"):
        resolve_plan({"plan": "gone"}, collection, today)
    with pytest.raises(StudyError, match="not a date"):
        resolve_plan({"plan": config.DEFAULT_PLAN, "plan_start": "March"}, collection, today)
