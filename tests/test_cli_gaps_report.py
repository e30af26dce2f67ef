"""`study gaps` and `study report` through typer's CliRunner, on the small test content."""

from __future__ import annotations

import json
from pathlib import Path

from studycli import gaps
from studycli.store import Store

from .conftest import pick, write
from .test_report import tables

DAY = "2026-03-02"


def db(home: Path) -> Store:
    return Store(home / "progress.db")


def test_gaps_scripted_rates_every_subtopic_and_summarises(invoke, content, home) -> None:
    result = invoke("gaps", today=DAY, input="k\nd\nu\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "3 subtopic(s) to rate" in out
    assert "First alpha idea" in out and "Beta idea" in out
    assert "1 know, 1 unsure, 1 dunno of 3 subtopics: 33.3% ready" in out
    assert "Study first" in out and out.index("Second alpha idea", out.index("Study first")) < out.index(
        "Beta idea", out.index("Study first")
    )  # dunno before unsure
    with db(home) as store:
        current = gaps.latest(store.gap_ratings())
        assert current == {
            ("t/alpha", "First alpha idea"): "know",
            ("t/alpha", "Second alpha idea"): "dunno",
            ("t/beta", "Beta idea"): "unsure",
        }
        assert [s.status for s in store.sessions("gaps")] == ["completed"]


def test_gaps_resumes_then_reassesses_weak_ones_with_deltas(invoke, content, home) -> None:
    assert invoke("gaps", today=DAY, input="k\n").exit_code == 0  # stops at end of input after one
    again = invoke("gaps", today=DAY, input="d\nd\n")
    assert "2 subtopic(s) to rate" in again.stdout  # only the unrated ones
    done = invoke("gaps", today=DAY, input="")
    assert "Every subtopic in scope is already rated" in done.stdout
    weak = invoke("gaps", "--only", "dunno", "--area", "found", today="2026-03-20", input="k\n")
    assert weak.exit_code == 0, weak.output
    assert "1 subtopic(s) to rate" in weak.stdout and "(last time: dunno)" in weak.stdout
    summary = invoke("gaps", "--summary", today="2026-03-20", input="k\nk\nk\n")
    assert "to rate" not in summary.stdout  # --summary asks nothing
    foundations = next(line for line in summary.stdout.splitlines() if line.startswith("Foundations"))
    # Foundations was 1/2 know after the first assessments, now 2/2: +50 points on both comparisons
    assert foundations.count("+50 pt") == 2, foundations
    with db(home) as store:
        history = [r for r in store.gap_ratings() if r.subtopic == "Second alpha idea"]
        assert [r.rating for r in history] == ["dunno", "know"]  # history kept


def test_gaps_back_skip_quit_and_invalid_keys(invoke, content, home) -> None:
    result = invoke("gaps", "--all", today=DAY, input="d\nb\nx\nk\ns\nq\n")
    assert result.exit_code == 0, result.output
    assert "invalid answer 'x'" in result.output
    assert "Stopped after 1 subtopic(s), every answer saved" in result.stdout
    with db(home) as store:
        ratings = store.gap_ratings()
        assert [r.rating for r in ratings] == ["dunno", "know"]
        assert gaps.latest(ratings) == {("t/alpha", "First alpha idea"): "know"}
        assert [s.status for s in store.sessions("gaps")] == ["interrupted"]


def test_gaps_scope_errors_are_clear(invoke, content) -> None:
    unknown = invoke("gaps", "--area", "Astrology", today=DAY)
    assert unknown.exit_code == 2 and "unknown area 'Astrology'" in unknown.output
    assert "Foundations" in unknown.output  # lists the areas that exist
    bad_only = invoke("gaps", "--only", "maybe", today=DAY)
    assert bad_only.exit_code == 2 and "--only takes ratings from know, unsure, dunno" in bad_only.output
    both = invoke("gaps", "--only", "dunno", "--all", today=DAY)
    assert both.exit_code == 2 and "use one of them" in both.output
    topic = invoke("gaps", "--topic", "t/alpah", today=DAY)
    assert topic.exit_code == 2 and "did you mean: t/alpha" in topic.output
    not_started = invoke("gaps", "--plan-to-date", today=DAY)
    assert not_started.exit_code == 2 and "has not reached any topic yet" in not_started.output


def test_gaps_plan_to_date_and_topic_scopes(invoke, content) -> None:
    assert invoke("check", today=DAY, input="\n5\n").exit_code == 0  # starts the plan (week 1: alpha)
    reached = invoke("gaps", "--plan-to-date", today=DAY, input="k\nk\n")
    assert (
        "2 subtopic(s) to rate" in reached.stdout and "Beta idea" not in reached.stdout.split("Readiness")[0]
    )
    topic = invoke("gaps", "--topic", "t/beta", today=DAY, input="u\n")
    assert "1 subtopic(s) to rate" in topic.stdout


def test_gap_ratings_steer_which_topic_new_cards_come_from(
    invoke, content, home, tmp_path, monkeypatch
) -> None:
    plans = tmp_path / "myplans"
    write(plans, "both.yaml", "title: Both\nweeks:\n  - week: 1\n    topics: [t/alpha, t/beta]\n")
    monkeypatch.setenv("STUDY_PLANS", str(plans))
    assert invoke("plan", "--use", "both", today=DAY).exit_code == 0

    def first_topic() -> str:
        result = invoke("check", "--preview", "--json", "--size", "1", "--new-ratio", "1", today=DAY)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["items"][0]["deck"]

    assert first_topic() == "t/alpha"  # plan order
    assert invoke("gaps", today=DAY, input="k\nk\nd\n").exit_code == 0  # alpha known, beta dunno
    assert first_topic() == "t/beta"
    assert invoke("gaps", "--topic", "t/beta", "--all", today=DAY, input="k\n").exit_code == 0
    assert first_topic() == "t/alpha"  # both known: plan order again


def test_report_on_an_empty_store_is_friendly_in_every_format(invoke, content) -> None:
    rich = invoke("report", today=DAY)
    assert rich.exit_code == 0, rich.output
    assert "Nothing yet: run `study check`" in rich.stdout
    assert "starts with your first `study check`" in rich.stdout
    md = invoke("report", "--format", "markdown", today=DAY)
    assert (
        md.exit_code == 0
        and md.stdout.startswith("# Study report, 2026-03-02")
        and "Nothing yet" in md.stdout
    )
    data = json.loads(invoke("report", "-f", "json", today=DAY).stdout)
    assert data["sessions"] == [] and data["today"]["streak"] == 0 and data["plan"]["status"] == "not-started"


def _study_two_days(invoke) -> None:
    """Two days of checks: a2 is forgotten (1), then repeated at 3 and 5; the rest are known."""
    for day in ("2026-03-02", "2026-03-03"):
        items = json.loads(invoke("check", "--preview", "--json", today=day).stdout)["items"]
        script = ""
        for i in items:
            if i["kind"] != "basic":
                script += pick(i, "alpha")
            else:
                script += "no idea\n1\n" if i["card_id"] == "t/alpha#a2" else "my answer\n5\n"
        result = invoke("check", today=day, input=script + "\n3\n\n5\n")
        assert result.exit_code == 0, result.output


def test_report_after_checks_and_gaps_in_all_formats(invoke, content) -> None:
    _study_two_days(invoke)
    assert invoke("gaps", today="2026-03-03", input="k\nk\nd\n").exit_code == 0
    rich = invoke("report", today="2026-03-03")
    assert rich.exit_code == 0, rich.output
    for heading in (
        "Plan",
        "Today",
        "Knowledge checks",
        "Areas",
        "Calibration",
        "Forecast",
        "Activity",
        "Weak items",
    ):
        assert heading in rich.stdout
    assert "Test plan · week 1 of 2, day 2" in rich.stdout
    assert "streak 2 day(s)" in rich.stdout

    data = json.loads(invoke("report", "--format", "json", today="2026-03-03").stdout)
    assert data["today"]["streak"] == 2 and data["today"]["checked_today"] is True
    assert [s["date"] for s in data["sessions"]] == ["2026-03-02", "2026-03-03"]
    first = data["sessions"][0]
    assert first["new_items"] == first["items"] and first["items"] >= 4
    areas = {a["area"]: a for a in data["areas"]}
    assert areas["Foundations"]["readiness"] == 1.0 and areas["Deep Learning"]["readiness"] == 0.0
    assert sum(d["reviews"] for d in data["activity"]["days"]) >= 8

    md = invoke("report", "--format", "markdown", today="2026-03-03").stdout
    assert len(tables(md)) >= 3

    scoped = json.loads(
        invoke("report", "-f", "json", "--area", "deep", "--since", "2026-03-03", today="2026-03-03").stdout
    )
    assert scoped["area"] == "Deep Learning" and [a["area"] for a in scoped["areas"]] == ["Deep Learning"]
    assert scoped["since"] == "2026-03-03"


def test_report_option_errors(invoke, content) -> None:
    bad = invoke("report", "--since", "yesterday", today=DAY)
    assert bad.exit_code == 2 and "is not a date" in bad.output
    future = invoke("report", "--since", "2026-04-01", today=DAY)
    assert future.exit_code == 2 and "is after today" in future.output
    area = invoke("report", "--area", "nope", today=DAY)
    assert area.exit_code == 2 and "unknown area" in area.output
    fmt = invoke("report", "--format", "html", today=DAY)
    assert fmt.exit_code == 2


def test_report_and_gaps_fit_60_columns_without_colour(invoke, content, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("NO_COLOR", "1")
    _study_two_days(invoke)
    for args, stdin in ((("report",), None), (("gaps",), "k\nu\nd\n")):
        result = invoke(*args, today="2026-03-03", input=stdin)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout
        too_wide = [line for line in result.stdout.splitlines() if len(line) > 60]
        assert not too_wide, too_wide
