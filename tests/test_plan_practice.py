"""Checkpoints and activities in plans: parsing, lint with file:line, which day they fall on, and
where they show (`study plan`, the check's intro line, `study lint`, the bundled plans)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycli import config
from studycli.content import load_collection
from studycli.model import Activity, Checkpoint
from studycli.plans import (
    checkpoints,
    day_date,
    describe_activity,
    describe_checkpoint,
    gaps_command,
    parse_plan,
    position,
)

from .conftest import write

KNOWN = {"t/alpha", "t/beta", "t/gamma"}
AREAS = {"Foundations", "Deep Learning", "Classical ML"}
START = date(2026, 3, 2)  # a Monday

PRACTICE = """\
title: Practice
weeks:
  - week: 1
    theme: Start
    topics: [t/alpha]
    checkpoint: {day: 1, note: Baseline first}
    activities:
      3:
        - coding: Implement k-means in 25 min
        - Read the k-means++ paper
      5: {mock: "Mock round: `study mock --minutes 30`"}
  - week: 2
    theme: Practice only
    activities: {2: [design: Sketch a churn model in 30 min]}
    checkpoint:
      - {day: 7, areas: [Foundations, Classical ML], target: 0.6, note: "Below 50%: add a week"}
      - {day: 3, areas: Deep Learning, target: 0.5}
"""


def parse(text: str):
    return parse_plan(text, "p", "p.yaml", known_topics=KNOWN, known_areas=AREAS)


def plan_of(text: str = PRACTICE):
    parsed = parse(text)
    assert parsed.plan is not None, parsed.diagnostics
    assert parsed.diagnostics == ()
    return parsed.plan


def test_activities_and_checkpoints_parse_in_every_accepted_form() -> None:
    week1, week2 = plan_of().weeks
    assert week1.activities == (
        Activity(3, "coding", "Implement k-means in 25 min", 9),
        Activity(3, "", "Read the k-means++ paper", 10),
        Activity(5, "mock", "Mock round: `study mock --minutes 30`", 11),
    )
    assert week1.checkpoints == (Checkpoint(1, (), None, "Baseline first", 6),)
    # a week with activities and checkpoints but no topics is a valid week
    assert week2.topics == () and week2.activities == (
        Activity(2, "design", "Sketch a churn model in 30 min", 14),
    )
    # sorted by day; a single area may be written without brackets
    assert week2.checkpoints == (
        Checkpoint(3, ("Deep Learning",), 0.5, "", 17),
        Checkpoint(7, ("Foundations", "Classical ML"), 0.6, "Below 50%: add a week", 16),
    )


def test_plans_without_the_new_keys_are_unchanged() -> None:
    parsed = parse("title: X\nweeks:\n  - week: 1\n    topics: [t/alpha]\n")
    assert parsed.plan is not None and parsed.plan.weeks[0].activities == ()
    assert parsed.plan.weeks[0].checkpoints == ()


def week(body: str) -> str:
    return "title: X\nweeks:\n  - week: 1\n    topics: [t/alpha]\n" + body


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            week("    activities: [a, b]\n"),
            5,
            "'activities' must map day numbers 1-7 to lists of activities",
        ),
        (week("    activities:\n      8: [x]\n"), 6, "activity day 8 must be a number from 1 to 7"),
        (week("    activities:\n      0: [x]\n"), 6, "activity day 0 must be a number from 1 to 7"),
        (
            week("    activities:\n      2:\n        - mok: Mock round\n"),
            7,
            "unknown activity kind 'mok' (kinds: assessment, coding, design, mock, project, reading); "
            "did you mean 'mock'?",
        ),
        (week("    activities:\n      2:\n        - coding: ''\n"), 7, "activity on day 2 has no text"),
        (week("    activities:\n      2: ['  ']\n"), 6, "activity on day 2 has no text"),
        (
            week("    activities:\n      2:\n        - {coding: a, mock: b}\n"),
            7,
            "an activity is text, or one 'kind: text' pair such as 'coding: Implement k-means in 25 "
            "minutes' (kinds: assessment, coding, design, mock, project, reading)",
        ),
        (
            week("    activities:\n      2:\n        - [a, b]\n"),
            7,
            "activity on day 2 must be text, got list",
        ),
        (
            week("    checkpoint: 7\n"),
            5,
            "'checkpoint' must be a mapping such as {day: 7, areas: [Foundations], target: 0.6}, "
            "or a list of them",
        ),
        (
            week("    checkpoint: [7]\n"),
            5,
            "a checkpoint must be a mapping with 'day' and optionally 'areas', 'target', 'note'",
        ),
        (week("    checkpoint: {target: 0.5}\n"), 5, "a checkpoint needs 'day': a number from 1 to 7"),
        (week("    checkpoint:\n      day: 2\n      note: [a, b]\n"), 7, "checkpoint 'note' must be text"),
        (
            week("    checkpoint:\n      day: 8\n"),
            6,
            "a checkpoint needs 'day': a number from 1 to 7, got 8",
        ),
        (
            week("    checkpoint:\n      day: 7\n      target: 60\n"),
            7,
            "checkpoint target 60 must be a share of subtopics rated know, from 0 to 1 (0.6 for 60%)",
        ),
        (
            week("    checkpoint:\n      day: 7\n      target: -0.1\n"),
            7,
            "checkpoint target -0.1 must be a share of subtopics rated know, from 0 to 1",
        ),
        (
            week("    checkpoint:\n      day: 7\n      target: high\n"),
            7,
            "checkpoint target 'high' must be a share of subtopics rated know, from 0 to 1",
        ),
        (
            week(
                "    checkpoint:\n      day: 7\n      areas:\n        - Foundations\n        - Foundation\n"
            ),
            9,
            "unknown area 'Foundation': no deck is in that area (did you mean 'Foundations'?)",
        ),
        (
            week("    checkpoint:\n      day: 7\n      areas: classical ml\n"),
            7,
            "unknown area 'classical ml': no deck is in that area (did you mean 'Classical ML'?)",
        ),
        (
            week("    checkpoint:\n      day: 7\n      areas: []\n"),
            7,
            "checkpoint 'areas' is empty: leave it out to assess every area",
        ),
        (
            week("    checkpoint:\n      day: 7\n      areas: {a: 1}\n"),
            7,
            "checkpoint 'areas' must be a list of area names such as [Foundations]",
        ),
        (
            week("    checkpoint:\n      - {day: 7}\n      - {day: 7, target: 0.5}\n"),
            7,
            "a second checkpoint on day 7 (the first is at line 6): put its areas into one checkpoint",
        ),
        (
            "title: X\nweeks:\n  - week: 1\n    theme: Nothing\n",
            3,
            "week 1 names no topics, activities or checkpoint",
        ),
    ],
)
def test_malformed_keys_are_errors_at_their_line(text: str, line: int, message: str) -> None:
    parsed = parse(text)
    errors = [(d.path, d.line, d.message) for d in parsed.diagnostics if d.severity == "error"]
    assert errors == [("p.yaml", line, message)]
    assert parsed.plan is None  # a broken week is not half-used


def test_unknown_checkpoint_key_is_reported_but_the_plan_still_works() -> None:
    parsed = parse(week("    checkpoint:\n      day: 7\n      colour: red\n"))
    assert [(d.line, d.message) for d in parsed.diagnostics] == [
        (7, "unknown checkpoint key 'colour' (allowed: day, areas, target, note)")
    ]
    assert parsed.plan is not None and parsed.plan.weeks[0].checkpoints[0].day == 7


def test_areas_are_not_checked_without_a_list_of_known_areas() -> None:
    parsed = parse_plan(week("    checkpoint: {day: 2, areas: [Anything]}\n"), "p", known_topics=KNOWN)
    assert parsed.plan is not None and parsed.plan.weeks[0].checkpoints[0].areas == ("Anything",)


def test_activity_text_is_cleaned_and_warned_about() -> None:
    parsed = parse(week('    activities:\n      2: ["Read \\u202e this"]\n'))
    assert parsed.plan is not None
    assert parsed.plan.weeks[0].activities[0].text == "Read  this"
    assert [(d.line, d.severity) for d in parsed.diagnostics] == [(6, "warning")]


# --- which day they fall on -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "activities", "checkpoint_days"),
    [
        (0, (), (1,)),  # week 1 day 1: the baseline
        (1, (), ()),
        (2, ("coding: Implement k-means in 25 min", "Read the k-means++ paper"), ()),
        (4, ("mock: Mock round: `study mock --minutes 30`",), ()),
        (8, ("design: Sketch a churn model in 30 min",), ()),  # week 2 day 2
        (9, (), (3,)),
        (13, (), (7,)),  # week 2 day 7
        (14, (), ()),  # finished
        (-1, (), ()),  # not started
    ],
)
def test_what_falls_on_each_day(
    offset: int, activities: tuple[str, ...], checkpoint_days: tuple[int, ...]
) -> None:
    pos = position(plan_of(), START, START + timedelta(days=offset))
    assert tuple(describe_activity(a) for a in pos.today_activities) == activities
    assert tuple(c.day for c in pos.today_checkpoints) == checkpoint_days


def test_checkpoint_dates_and_commands() -> None:
    plan = plan_of()
    assert day_date(START, 2, 7) == date(2026, 3, 15)
    dated = checkpoints(plan, START)
    assert [(d.day, d.week, d.checkpoint.day) for d in dated] == [
        (date(2026, 3, 2), 1, 1),
        (date(2026, 3, 11), 2, 3),
        (date(2026, 3, 15), 2, 7),
    ]
    first, dl, fc = (d.checkpoint for d in dated)
    # the baseline rates what is unrated; a later checkpoint of areas assessed before re-asks all
    assert gaps_command(plan, 1, first) == "study gaps"
    assert gaps_command(plan, 2, fc) == "study gaps --all --area Foundations --area 'Classical ML'"
    assert describe_checkpoint(plan, 1, first) == "checkpoint: `study gaps` over every area (baseline)"
    assert describe_checkpoint(plan, 2, dl) == (
        "checkpoint: `study gaps --all --area 'Deep Learning'` (target 50% ready)"
    )


def test_a_first_assessment_of_an_area_is_not_a_reassessment() -> None:
    plan = plan_of(
        "title: X\nweeks:\n  - week: 1\n    checkpoint: {day: 1, areas: [Foundations]}\n"
        "  - week: 2\n    checkpoint: {day: 1, areas: [Classical ML], target: 0.5}\n"
    )
    second = plan.weeks[1].checkpoints[0]
    assert gaps_command(plan, 2, second) == "study gaps --area 'Classical ML'"


@given(st.integers(min_value=-10, max_value=30))
def test_every_activity_falls_on_exactly_one_date(shift: int) -> None:
    plan = plan_of()
    start = START + timedelta(days=shift)
    shown: list[Activity] = []
    for n in range(-3, 7 * len(plan.weeks) + 3):
        shown += position(plan, start, start + timedelta(days=n)).today_activities
    assert sorted(shown, key=lambda a: a.line) == sorted(
        (a for w in plan.weeks for a in w.activities), key=lambda a: a.line
    )


# --- where they show ------------------------------------------------------------------------------

SHOWN_PLAN = """\
title: Shown
weeks:
  - week: 1
    theme: Start
    topics: [t/alpha]
    checkpoint: {day: 1, areas: [Foundations], target: 0.6, note: "Below 50%: add a week"}
    activities:
      2:
        - mock: "Mock round: `study mock --minutes 30`"
        - Read [red]this[/red]
  - week: 2
    theme: Practice
    activities: {1: [design: Churn model drill]}
"""


@pytest.fixture
def practice(content):
    write(content, "plans/starter.yaml", SHOWN_PLAN)
    return content


def test_plan_view_shows_activities_in_the_table_and_today(invoke, practice, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    invoke("plan", "--start", "2026-03-02", today="2026-03-02")
    result = invoke("plan", today="2026-03-03")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "topics and activities" in out
    assert "day 1 checkpoint, target 60%: Foundations " in out
    assert "day 2 mock: Mock round: `study mock --minutes 30` " in out
    assert "day 2 Read [red]this[/red] " in out  # plan text is shown literally, never as markup
    assert "day 1 design: Churn model drill " in out  # week 2 holds activities only
    today = out[out.index("Today (week 1, day 2):") :]
    assert "Also today:" in today
    assert "• mock: Mock round: `study mock --minutes 30`" in today
    assert "• Read [red]this[/red]" in today
    assert "checkpoint" not in today


def test_a_narrow_plan_table_cuts_activities_to_one_line(invoke, practice, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    invoke("plan", "--start", "2026-03-02", today="2026-03-02")
    out = invoke("plan", today="2026-03-03").stdout
    table = out[: out.index("Today (week 1, day 2):")]
    assert "│ day 1 checkpoint, target 60%: Found… │" in table
    assert "│ day 2 mock: Mock round: `study mock… │" in table
    today = out[out.index("Today (week 1, day 2):") :]
    assert "• mock: Mock round: `study mock --minutes 30`" in today  # in full on its day


def test_plan_view_shows_the_checkpoint_note_on_its_day(invoke, practice) -> None:
    invoke("plan", "--start", "2026-03-02", today="2026-03-02")
    out = invoke("plan", today="2026-03-02").stdout
    today = out[out.index("Today (week 1, day 1):") :]
    assert "• checkpoint: `study gaps --area Foundations` (target 60% ready) — Below 50%: add a week" in today


def test_the_check_intro_line_names_todays_activities(invoke, practice) -> None:
    invoke("plan", "--start", "2026-03-02", today="2026-03-02")
    result = invoke("check", today="2026-03-03", input="q\n")
    assert result.exit_code == 0, result.output
    assert "Also today: mock: Mock round: `study mock --minutes 30` · Read [red]this[/red]\n" in result.stdout


def test_the_check_intro_line_names_a_checkpoint_and_nothing_on_a_quiet_day(invoke, practice) -> None:
    invoke("plan", "--start", "2026-03-02", today="2026-03-02")
    result = invoke("check", today="2026-03-02", input="q\n")
    assert result.exit_code == 0, result.output
    assert "Also today: checkpoint: `study gaps --area Foundations` (target 60% ready)\n" in result.stdout
    quiet = invoke("check", today="2026-03-04", input="q\n")
    assert quiet.exit_code == 0, quiet.output
    assert "Today: " in quiet.stdout and "Also today" not in quiet.stdout


def test_lint_names_file_and_line_of_a_bad_activity(invoke, content, tmp_path, monkeypatch) -> None:
    plans = tmp_path / "myplans"
    path = write(
        plans,
        "bad.yaml",
        "title: Bad\nweeks:\n  - week: 1\n    activities:\n      3: [{drill: x}]\n"
        "    checkpoint: {day: 2, areas: [Foundatons], target: 1.5}\n",
    )
    monkeypatch.setenv("STUDY_PLANS", str(plans))
    result = invoke("lint", str(path))
    assert result.exit_code == 1
    assert f"{path}:5: error: unknown activity kind 'drill'" in result.stdout
    assert f"{path}:6: error: checkpoint target 1.5 must be a share of subtopics rated know" in result.stdout
    assert f"{path}:6: error: unknown area 'Foundatons': no deck is in that area" in result.stdout


def test_report_compares_readiness_with_the_checkpoint_target(invoke, practice, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    invoke("plan", "--start", "2026-03-02", today="2026-03-02")
    rated = invoke("gaps", "--area", "Foundations", today="2026-03-02", input="k\nd\n")
    assert rated.exit_code == 0, rated.output
    result = invoke("report", today="2026-03-03")
    assert result.exit_code == 0, result.output
    assert (
        "Foundations 50% ready vs target 60% at the week-1 checkpoint (2026-03-02): below target\n"
        "Week-1 checkpoint: Below 50%: add a week\n"
    ) in result.stdout
    data = json.loads(invoke("report", "--format", "json", today="2026-03-03").stdout)
    assert data["checkpoints"] == [
        {
            "date": "2026-03-02",
            "week": 1,
            "target": 0.6,
            "readiness": 0.5,
            "met": False,
            "note": "Below 50%: add a week",
            "areas": [{"area": "Foundations", "readiness": 0.5, "met": False, "reassessed": True}],
        }
    ]


# --- the bundled plans ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled():
    return load_collection(config.content_dirs({}, env={}))


def kinds_by_week(plan) -> dict[int, set[str]]:
    return {w.number: {a.kind for a in w.activities} for w in plan.weeks}


@pytest.mark.parametrize("plan_id", ["ml-engineer-12w", "senior-8w", "foundations-to-genai-10w", "crash-4w"])
def test_bundled_plans_work_like_prep_plans(bundled, plan_id: str) -> None:
    plan = bundled.plan(plan_id)
    assert plan is not None
    first = plan.weeks[0].checkpoints
    assert first and first[0].day == 1 and first[0].areas == () and first[0].target is None  # baseline
    targeted = [(w.number, c) for w in plan.weeks for c in w.checkpoints if c.target is not None]
    assert len(targeted) >= 2 and all(c.note for _, c in targeted)  # a re-assessment and a last one
    kinds = kinds_by_week(plan)
    last = len(plan.weeks)
    assert "coding" in kinds[1] and "coding" in kinds[last] | kinds[last - 1]  # from scratch early and late
    assert "mock" in kinds[last] and "mock" in kinds[last - 1]  # mock days in the last weeks
    early_design = [n for n, k in kinds.items() if "design" in k and n <= max(2, last // 2)]
    late_design = [n for n, k in kinds.items() if "design" in k and n > last // 2]
    assert early_design and late_design  # system design practised early and again late
    mocks = [a.text for w in plan.weeks for a in w.activities if a.kind == "mock"]
    assert any("`study mock --minutes 30`" in text for text in mocks)


def test_the_12_week_plan_has_its_reassessment_at_week_4_and_coding_in_weeks_1_8_9(bundled) -> None:
    plan = bundled.plan("ml-engineer-12w")
    (week4,) = plan.weeks[3].checkpoints
    assert week4.target is not None and 0 < week4.target < 1 and "below 50%" in week4.note
    kinds = kinds_by_week(plan)
    assert {1, 8, 9} <= {n for n, k in kinds.items() if "coding" in k}
    assert {2, 3, 4} & {n for n, k in kinds.items() if "design" in k}
    assert "project" in kinds[11]
