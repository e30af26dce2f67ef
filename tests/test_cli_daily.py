"""The daily loop through the CLI: caps, study review, the interview date, settings, the closed world."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studycli.store import Store

from .conftest import pick, right_letters, write


def db(home: Path) -> Store:
    return Store(home / "progress.db")


def preview(invoke, today: str, *args: str, command: str = "check") -> list[dict]:
    result = invoke(command, "--preview", "--json", *args, today=today)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["items"]


# --- --new-ratio 0, the daily cap -----------------------------------------------------------------


def test_new_ratio_zero_means_no_new_cards_even_with_nothing_due(invoke, content, home) -> None:
    assert preview(invoke, "2026-03-02", "--new-ratio", "0") == []
    result = invoke("check", "--new-ratio", "0", today="2026-03-02")
    assert result.exit_code == 0
    assert "Nothing to study right now: no reviews are due" in result.stdout
    with db(home) as store:
        assert not store.reviews()


def test_the_daily_cap_spans_every_check_of_the_day(invoke, paced_content, home) -> None:
    # The starter test plan: 5 cards over 14 days paces at ceil(5/14) = 1 new card a day.
    first = preview(invoke, "2026-03-02")
    assert [i["source"] for i in first] == ["new"]
    assert invoke("check", today="2026-03-02", input="\n5\n").exit_code == 0
    assert preview(invoke, "2026-03-02") == []  # the cap is met: no second new card today
    second = invoke("check", today="2026-03-02")
    assert second.exit_code == 0
    assert "Today's 1 new cards are done; this check is reviews only" in second.stdout
    assert "Nothing to study right now: no reviews are due and today's new cards are done." in second.stdout
    # The next day the pace allows one more, and yesterday's card is due.
    day2 = preview(invoke, "2026-03-03")
    assert sorted(i["source"] for i in day2) == ["new", "review"]


def test_new_per_day_setting_overrides_the_pace(invoke, paced_content, home) -> None:
    assert invoke("config", "set", "new_per_day", "3").exit_code == 0
    assert [i["source"] for i in preview(invoke, "2026-03-02")] == ["new"] * 3
    bad = invoke("config", "set", "new_per_day", "lots")
    assert (
        bad.exit_code == 2 and "new_per_day must be a whole number from 0 to 1000, not 'lots'" in bad.stderr
    )


def test_config_shows_each_effective_value_and_its_source(invoke, paced_content, home, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # one line per setting: the table folds nothing
    result = invoke("config", today="2026-03-02")
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    assert "1 (the pace that finishes your plan on time)" in flat
    assert "200 (default)" in flat
    assert "10 (room for the day’s new cards at 70%)" in flat


# --- study review -------------------------------------------------------------------------------


def learn_everything(invoke) -> None:
    """Day 1: grade the whole small collection 4 (MCQ right), so everything is due on day 2."""
    mcq = right_letters("t/alpha#a3", "2026-03-02")
    result = invoke("check", "--size", "10", today="2026-03-02", input=f"\n4\n\n4\n{mcq}\n\n4\n")
    assert result.exit_code == 0, result.output


def test_review_asks_only_due_cards_most_at_risk_first(invoke, content, home) -> None:
    assert preview(invoke, "2026-03-02", command="review") == []
    learn_everything(invoke)
    items = preview(invoke, "2026-03-03", command="review")
    assert {i["source"] for i in items} == {"review"} and len(items) == 4
    base = {"card_id", "deck", "source", "kind"}
    assert all(set(i) == (base | {"options"} if i["kind"] in ("mcq", "multi") else base) for i in items)
    limited = preview(invoke, "2026-03-03", "--limit", "2", command="review")
    assert limited == items[:2]
    scoped = preview(invoke, "2026-03-03", "--topic", "t/gamma", command="review")
    assert [i["card_id"] for i in scoped] == ["t/gamma#g1"]
    area = preview(invoke, "2026-03-03", "--area", "classical", command="review")
    assert [i["card_id"] for i in area] == ["t/gamma#g1"]


def test_review_grades_repeats_and_records_a_review_session(invoke, content, home) -> None:
    learn_everything(invoke)
    items = preview(invoke, "2026-03-03", command="review")
    # Basic cards graded 2 come back at the end (rule 7), in order, and are then graded 4.
    answers = "".join("\n2\n" if i["kind"] == "basic" else pick(i, "alpha") for i in items)
    answers += "".join("\n4\n" for i in items if i["kind"] == "basic")
    result = invoke("review", today="2026-03-03", input=answers)
    assert result.exit_code == 0, result.output
    assert "Review" in result.stdout and "Repeats" in result.stdout
    with db(home) as store:
        sessions = store.sessions()
        day2 = [r for r in store.reviews() if r.day.isoformat() == "2026-03-03"]
    assert [s.kind for s in sessions] == ["check", "review"]
    assert sessions[1].status == "completed"
    firsts = [r for r in day2 if not r.repeat]
    assert len(firsts) == 4 and {r.source for r in firsts} == {"review"}
    assert sum(1 for r in day2 if r.repeat) == sum(1 for i in items if i["kind"] == "basic")


def test_review_respects_the_review_limit_across_the_day(invoke, content, home) -> None:
    learn_everything(invoke)
    assert invoke("config", "set", "review_limit", "3").exit_code == 0
    assert len(preview(invoke, "2026-03-03", command="review")) == 3
    first = preview(invoke, "2026-03-03", "--limit", "2", command="review")
    script = "".join("\n4\n" if i["kind"] == "basic" else pick(i, "alpha") for i in first)
    assert invoke("review", "--limit", "2", today="2026-03-03", input=script).exit_code == 0
    assert len(preview(invoke, "2026-03-03", command="review")) == 1
    rest = preview(invoke, "2026-03-03", command="review")
    script = "".join("\n4\n" if i["kind"] == "basic" else pick(i, "alpha") for i in rest)
    assert invoke("review", today="2026-03-03", input=script).exit_code == 0
    done = invoke("review", today="2026-03-03")
    assert done.exit_code == 0
    assert "today's review_limit of 3 is reached" in " ".join(done.stdout.split())


def test_a_scripted_check_never_continues_into_review_on_its_own(invoke, content, home) -> None:
    learn_everything(invoke)
    result = invoke("check", "--size", "1", "--new-ratio", "0", today="2026-03-03", input="\n4\n")
    assert result.exit_code == 0, result.output
    assert "3 more review(s) due" in result.stdout and "run `study review`" in result.stdout
    with db(home) as store:
        assert [s.kind for s in store.sessions()] == ["check", "check"]


def test_review_errors(invoke, content) -> None:
    assert invoke("review", "--json").exit_code == 2
    unknown = invoke("review", "--topic", "t/nope", today="2026-03-02")
    assert unknown.exit_code == 2 and "unknown topic 't/nope'" in unknown.stderr
    area = invoke("review", "--area", "zzz", today="2026-03-02")
    assert area.exit_code == 2 and "unknown area 'zzz'" in area.stderr
    assert invoke("review", "--limit", "0").exit_code == 2


# --- the interview date ---------------------------------------------------------------------------


def test_plan_interview_sets_the_date_and_shows_days_left(invoke, content, home) -> None:
    result = invoke("plan", "--interview", "2026-03-20", today="2026-03-02")
    assert result.exit_code == 0, result.output
    assert "Interview in 18 days (2026-03-20)" in result.stdout
    with db(home) as store:
        assert store.settings()["interview_date"] == "2026-03-20"
    check = invoke("check", "--size", "1", today="2026-03-02", input="\n4\n")
    assert "Interview in 18 days (2026-03-20)" in check.stdout
    assert invoke("config", "unset", "interview_date").exit_code == 0
    with db(home) as store:
        assert "interview_date" not in store.settings()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-03-02", "the interview date 2026-03-02 is not after today (2026-03-02)"),
        ("2026-02-01", "the interview date 2026-02-01 is not after today (2026-03-02)"),
        ("2026-02-30", "--interview '2026-02-30' is not a date"),
        ("soon", "--interview 'soon' is not a date"),
    ],
)
def test_bad_interview_dates_change_nothing(invoke, content, home, value: str, message: str) -> None:
    result = invoke("plan", "--interview", value, today="2026-03-02")
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (home / "progress.db").exists() or "interview_date" not in db(home).settings()


def test_interview_before_the_plan_start_is_refused(invoke, content, home) -> None:
    result = invoke(
        "plan", "--use", "starter", "--start", "2026-04-01", "--interview", "2026-03-20", today="2026-03-02"
    )
    assert result.exit_code == 2
    assert "the interview date 2026-03-20 is before the plan starts (2026-04-01)" in result.stderr
    with db(home) as store:
        assert store.settings() == {}


def test_no_grade_before_the_interview_is_scheduled_after_it(invoke, content, home) -> None:
    assert invoke("plan", "--interview", "2026-03-05", today="2026-03-02").exit_code == 0
    learn_everything(invoke)
    items = preview(invoke, "2026-03-03", command="review")
    answers = "".join("\n5\n" if i["kind"] == "basic" else pick(i, "alpha") for i in items)
    assert invoke("review", today="2026-03-03", input=answers).exit_code == 0
    with db(home) as store:
        states = store.states()
    # SM-2 says 6 days (2026-03-09); the interview rule makes it the interview day at the latest.
    assert {s.due.isoformat() for s in states.values()} == {"2026-03-05"}
    assert {s.interval for s in states.values()} == {6}  # SM-2's own state untouched


def test_report_json_has_interview_retention_and_workload(invoke, content, home) -> None:
    assert invoke("plan", "--interview", "2026-04-01", today="2026-03-02").exit_code == 0
    learn_everything(invoke)
    result = invoke("report", "--format", "json", today="2026-03-04")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == 3 and data["checkpoints"] == []  # the test plan has none
    assert data["interview"]["date"] == "2026-04-01" and data["interview"]["days_left"] == 28
    assert data["retention"]["estimate"] is True and data["retention"]["model"].startswith("FSRS-6")
    assert 0 < data["retention"]["at_interview"] < data["retention"]["now"] < 1
    assert data["workload"]["overdue"] == 4  # due on 03-03, not done by 03-04
    assert data["plan"]["pace"]["overdue_reviews"] == 4
    text = invoke("report", today="2026-03-04")
    flat = " ".join(text.stdout.split())
    assert "but 4 review(s) overdue" in flat
    assert "An estimate by FSRS-6" in flat


# --- a closed world -------------------------------------------------------------------------------


def test_study_bundled_0_leaves_the_bundled_content_out(invoke, content, home, tmp_path, monkeypatch) -> None:
    mine = tmp_path / "mine"
    write(
        mine, "decks/own/deck.md", "---\ntitle: Own\narea: Mine\n---\n\n## Own question? {#q}\nOwn answer.\n"
    )
    monkeypatch.setenv("STUDY_DECKS", str(mine / "decks"))
    monkeypatch.setenv("STUDY_BUNDLED", "0")
    items = preview(invoke, "2026-03-02")
    assert [i["card_id"] for i in items] == ["own/deck#q"]
    monkeypatch.setenv("STUDY_BUNDLED", "maybe")
    bad = invoke("check", "--preview", today="2026-03-02")
    assert bad.exit_code == 2 and "STUDY_BUNDLED must be yes or no" in bad.stderr


def test_bundled_setting_leaves_the_bundled_content_out(invoke, content, home, tmp_path) -> None:
    assert invoke("config", "set", "bundled", "no").exit_code == 0
    result = invoke("check", "--preview", "--json", today="2026-03-02")
    # No plan and no decks left: a friendly error, not a crash.
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output


def test_a_preview_with_nothing_to_ask_says_why_instead_of_an_empty_table(invoke, content) -> None:
    """The text preview says what the sitting itself would say; JSON keeps its empty list."""
    result = invoke("review", "--preview", today="2026-03-02")
    assert result.exit_code == 0
    assert result.stdout == "Nothing to study right now: no reviews are due.\n"
    result = invoke("check", "--preview", "--new-ratio", "0", today="2026-03-02")
    assert result.exit_code == 0
    assert (
        result.stdout
        == "Nothing to study right now: no reviews are due and today's plan topics have no new cards.\n"
    )
    assert preview(invoke, "2026-03-02", command="review") == []
