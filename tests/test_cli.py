"""The `study` commands through typer's CliRunner, on small controlled content."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from studycli.store import Store

from .conftest import right_letters, write, wrong_letter


def db(home: Path) -> Store:
    return Store(home / "progress.db")


def preview(invoke, today: str, *args: str) -> list[dict]:
    result = invoke("check", "--preview", "--json", *args, today=today)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["items"]


def test_help_lists_exactly_the_commands_in_order(invoke) -> None:
    import re

    import typer

    from studycli.cli import app

    expected = [
        "check",
        "review",
        "mock",
        "gaps",
        "report",
        "plan",
        "find",
        "show",
        "edit",
        "topics",
        "suspend",
        "unsuspend",
        "undo",
        "lint",
        "export",
        "import",
        "backup",
        "restore",
        "config",
    ]
    assert list(typer.main.get_command(app).commands) == expected  # type: ignore[attr-defined]
    result = invoke("--help")
    assert result.exit_code == 0
    # Each command has its own row in the help's command panel ("│ name   description"), in order:
    # a removed command, or a name that only appears inside another's description, fails here.
    rows = [
        m.group(1) for line in result.output.splitlines() if (m := re.match(r"│ ([a-z][a-z-]*)\s{2,}", line))
    ]
    assert rows == expected


def test_preview_json_asks_nothing_and_writes_no_grades(invoke, content, home) -> None:
    items = preview(invoke, "2026-03-02")
    assert [i["card_id"] for i in items] == ["t/alpha#a1", "t/alpha#a2", "t/alpha#a3", "t/gamma#g1"]
    assert {i["source"] for i in items} == {"new"}
    base = {"card_id", "deck", "source", "kind"}
    assert all(set(i) == (base | {"options"} if i["kind"] in ("mcq", "multi") else base) for i in items)
    assert [i["kind"] for i in items] == ["basic", "basic", "mcq", "basic"]
    with db(home) as store:
        assert not store.has_progress()
        assert store.settings() == {}  # preview does not even start the plan


def test_first_run_starts_the_default_plan_today(invoke, content, home) -> None:
    result = invoke("check", today="2026-03-02", input="\n4\n\n4\na\n\n4\n")
    assert result.exit_code == 0, result.output
    assert "First run: plan 'starter' starts today" in result.stdout
    with db(home) as store:
        assert store.settings() == {"plan": "starter", "plan_start": "2026-03-02"}


def test_scripted_check_grades_and_schedules(invoke, content, home) -> None:
    # a1: basic, 5; a2: basic, 2 -> repeat at end; a3: MCQ wrong -> repeat; g1: 4; then repeats.
    # The MCQ's options are shuffled per showing: its letters are looked up for each showing.
    wrong = wrong_letter("t/alpha#a3", "2026-03-02", 0)
    right = right_letters("t/alpha#a3", "2026-03-02", 1)
    script = f"typed\n5\n\n2\n{wrong}\n\n4\n\n4\n{right}\n"
    result = invoke("check", today="2026-03-02", input=script)
    assert result.exit_code == 0, result.output
    assert "Score" in result.stdout and "Repeats" in result.stdout
    with db(home) as store:
        states = store.states()
        reviews = store.reviews()
        (session,) = store.sessions()
    assert states["t/alpha#a1"].interval == 1 and states["t/alpha#a1"].ef == 2.6
    assert states["t/alpha#a2"].repetitions == 0  # graded 2: the repeat (4) did not move it
    assert states["t/alpha#a3"].repetitions == 0  # MCQ wrong = quality 1
    assert [(r.card_id.split("#")[1], r.quality, r.repeat) for r in reviews] == [
        ("a1", 5, False),
        ("a2", 2, False),
        ("a3", 1, False),
        ("g1", 4, False),
        ("a2", 4, True),
        ("a3", 4, True),
    ]
    assert session.status == "completed" and session.planned == 4


def test_eof_mid_session_keeps_earlier_grades(invoke, content, home) -> None:
    result = invoke("check", today="2026-03-02", input="first\n5\nsecond\n")
    assert result.exit_code == 0, result.output
    assert "Input ended: 1 of 4 items graded" in result.stdout
    with db(home) as store:
        assert [r.card_id for r in store.reviews()] == ["t/alpha#a1"]
        assert store.sessions()[0].status == "interrupted"


def test_quit_key_stops_and_keeps_grades(invoke, content, home) -> None:
    result = invoke("check", today="2026-03-02", input="\n3\n\nq\n")
    assert result.exit_code == 0, result.output
    assert "Stopped: 1 of 4" in result.stdout
    with db(home) as store:
        assert len(store.reviews()) == 1


def test_invalid_grade_lines_are_reported_and_skipped(invoke, content, home) -> None:
    result = invoke("check", "--size", "1", today="2026-03-02", input="\n7\nx\n4\n")
    assert result.exit_code == 0, result.output
    assert "invalid answer '7'" in result.stderr and "invalid answer 'x'" in result.stderr
    with db(home) as store:
        assert [r.quality for r in store.reviews()] == [4]


def test_several_days_mix_new_and_due_reviews(invoke, content, home) -> None:
    """Day 1 learns week-1 cards; day 2 reviews them; week 2 brings beta as new."""
    day1 = invoke("check", today="2026-03-02", input="\n5\n\n5\nb\n\n5\n")
    assert day1.exit_code == 0, day1.output
    day2 = preview(invoke, "2026-03-03")
    assert {i["source"] for i in day2} == {"review"}
    assert len(day2) == 4  # all four due after one day; no new cards left in reached topics
    week2 = preview(invoke, "2026-03-09", "--size", "3", "--new-ratio", "0.67")
    assert [(i["deck"], i["source"]) for i in week2].count(("t/beta", "new")) == 2
    assert sum(1 for i in week2 if i["source"] == "review") == 1


def test_nothing_due_says_when_the_next_review_is(invoke, content, home) -> None:
    assert invoke("check", "-t", "t/gamma", today="2026-03-02", input="\n5\n").exit_code == 0
    result = invoke("check", "-t", "t/gamma", today="2026-03-02")
    assert result.exit_code == 0
    assert "Nothing to study right now" in result.stdout and "2026-03-03" in result.stdout


def test_unknown_topic_is_a_clear_error(invoke, content) -> None:
    result = invoke("check", "--topic", "t/alhpa", today="2026-03-02")
    assert result.exit_code == 2
    assert "unknown topic 't/alhpa'" in result.stderr and "t/alpha" in result.stderr
    assert "Traceback" not in result.output


def test_bad_options_are_rejected_by_the_parser(invoke, content) -> None:
    assert invoke("check", "--size", "0").exit_code == 2
    assert invoke("check", "--new-ratio", "1.5").exit_code == 2
    result = invoke("check", "--json")
    assert result.exit_code == 2 and "--preview" in result.stderr


def test_bad_study_today_is_a_clear_error(invoke, content) -> None:
    result = invoke("check", today="2026-13-40")
    assert result.exit_code == 2 and "STUDY_TODAY" in result.stderr and "YYYY-MM-DD" in result.stderr


def test_markup_and_escapes_in_cards_are_shown_literally(
    invoke, content, home, tmp_path, monkeypatch
) -> None:
    user = tmp_path / "mine"
    write(
        user,
        "evil/deck.md",
        "---\ntitle: Evil [bold]deck[/bold]\narea: X\n---\n"
        "## What does [red]x[/red] and list[i] print? {#e1}\n"
        "Answer with [link=http://x]click[/link] and \x1b[31mred\x1b[0m and \x1b]0;title\x07 done.\n",
    )
    monkeypatch.setenv("STUDY_DECKS", str(user))
    result = invoke("check", "-t", "evil/deck", today="2026-03-02", input="\n4\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[red]x[/red]" in out and "list[i]" in out
    assert "[link=http://x]click[/link]" in out
    assert "Evil [bold]deck[/bold]" in out
    assert "\x1b" not in out and "\x07" not in out


def test_user_deck_overrides_a_bundled_id(invoke, content, tmp_path, monkeypatch) -> None:
    user = tmp_path / "mine"
    write(user, "t/gamma.md", "---\ntitle: My gamma\narea: X\n---\n## Mine? {#m1}\nYes.\n")
    monkeypatch.setenv("STUDY_DECKS", str(user))
    items = preview(invoke, "2026-03-02", "-t", "t/gamma")
    assert [i["card_id"] for i in items] == ["t/gamma#m1"]


def test_plan_list_use_and_show(invoke, content, tmp_path, monkeypatch, home) -> None:
    plans = tmp_path / "myplans"
    write(plans, "fast.yaml", "title: Fast\nweeks:\n  - week: 1\n    topics: [t/beta]\n")
    monkeypatch.setenv("STUDY_PLANS", str(plans))
    listing = invoke("plan", "--list", today="2026-03-02")
    assert listing.exit_code == 0 and "fast" in listing.stdout and "starter" in listing.stdout
    used = invoke("plan", "--use", "fast", "--start", "2026-03-01", today="2026-03-02")
    assert used.exit_code == 0, used.output
    assert "week 1 of 1, day 2" in used.stdout and "Beta topic" in used.stdout
    with db(home) as store:
        assert store.settings() == {"plan": "fast", "plan_start": "2026-03-01"}
    assert preview(invoke, "2026-03-02")[0]["deck"] == "t/beta"
    missing = invoke("plan", "--use", "fats")
    assert missing.exit_code == 2 and "did you mean: fast" in missing.stderr


def test_plan_before_first_check_explains_itself(invoke, content) -> None:
    result = invoke("plan", today="2026-03-02")
    assert result.exit_code == 0, result.output
    assert "Test plan" in result.stdout and "first `study check` starts it today" in result.stdout


def test_lint_clean_and_broken(invoke, content, tmp_path) -> None:
    clean = invoke("lint")
    assert clean.exit_code == 0, clean.output
    assert "0 error(s)" in clean.stdout
    broken = write(
        tmp_path / "x", "bad.md", "---\ntitle: B\narea: X\n---\n## Q {#q}\n- [ ] a\n- [ ] b\n- [ ] c\n"
    )
    plan = write(tmp_path / "x", "p.yaml", "title: P\nweeks:\n  - week: 1\n    topics: [t/nope]\n")
    result = invoke("lint", str(broken), str(plan), str(tmp_path / "missing.md"))
    assert result.exit_code == 1
    assert f"{broken}:6: error: multiple choice needs an [x] option, found none" in result.stdout
    assert f"{plan}:4: error: unknown topic 't/nope'" in result.stdout
    assert "no such file or folder" in result.stdout
    other = write(tmp_path / "y", "notes.txt", "hello")
    empty = tmp_path / "empty"
    empty.mkdir()
    odd = invoke("lint", str(other), str(empty))
    assert odd.exit_code == 1
    assert f"{other}: error: not a deck (.md) or a plan (.yaml, .yml)" in odd.stdout
    assert f"{empty}: warning: folder holds no decks" in odd.stdout


def test_lint_reports_orphaned_progress_and_keeps_it(invoke, content, home, tmp_path, monkeypatch) -> None:
    user = tmp_path / "mine"
    deck = write(user, "tmp/deck.md", "---\ntitle: Tmp\narea: X\n---\n## Q {#q}\nA\n")
    monkeypatch.setenv("STUDY_DECKS", str(user))
    assert invoke("check", "-t", "tmp/deck", today="2026-03-02", input="\n5\n").exit_code == 0
    deck.unlink()
    result = invoke("lint")
    assert result.exit_code == 0  # a warning, not an error
    assert "1 card(s) of 'tmp/deck' have progress but that deck no longer exists" in result.stdout
    assert "tmp/deck#q" in result.stdout
    with db(home) as store:
        assert "tmp/deck#q" in store.states()


def test_export_and_import_through_the_cli(invoke, content, home, tmp_path, monkeypatch) -> None:
    assert invoke("check", today="2026-03-02", input="\n5\n\n4\nb\n\n3\n\n5\n").exit_code == 0
    out = tmp_path / "backup.json"
    exported = invoke("export", "-o", str(out))
    assert exported.exit_code == 0, exported.output
    data = json.loads(out.read_text())
    assert {"cards", "reviews", "sessions", "gap_ratings", "settings"} <= set(data)
    assert {"ef", "interval", "repetitions", "due"} <= set(data["cards"][0])
    monkeypatch.setenv("STUDY_HOME", str(tmp_path / "other"))
    restored = invoke("import", str(out))
    assert restored.exit_code == 0, restored.output
    again = invoke("export")
    reimported = json.loads(again.stdout)
    data.pop("exported_at")
    reimported.pop("exported_at")
    assert reimported == data
    refused = invoke("import", str(out))
    assert refused.exit_code == 2 and "already holds progress" in refused.stderr


def test_import_of_broken_json_names_the_line(invoke, content, tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "format": "studycli-export",\n  oops\n}\n')
    result = invoke("import", str(bad))
    assert result.exit_code == 2 and f"{bad}:3: not valid JSON" in result.stderr


def test_damaged_database_is_reported_without_traceback(invoke, content, home) -> None:
    home.mkdir(parents=True)
    (home / "progress.db").write_bytes(b"garbage" * 1000)
    result = invoke("check", today="2026-03-02")
    assert result.exit_code == 74
    assert "damaged" in result.stderr and "Traceback" not in result.output


def test_locked_database_is_reported(invoke, content, home, monkeypatch) -> None:
    import studycli.store as store_module

    Store(home / "progress.db").close()
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.05)
    blocker = sqlite3.connect(home / "progress.db", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        result = invoke("check", today="2026-03-02", input="\n5\n")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert result.exit_code == 75 and "locked" in result.stderr


def test_config_show_set_unset(invoke, content, tmp_path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    shown = invoke("config")
    assert shown.exit_code == 0 and "database" in shown.stdout
    assert invoke("config", "set", "decks", str(folder)).exit_code == 0
    assert str(folder) in invoke("config").stdout
    assert invoke("config", "set", "decks", str(tmp_path / "nope")).exit_code == 2
    assert invoke("config", "set", "colour", "x").exit_code == 2
    assert invoke("config", "set", "plan_start", "soon").exit_code == 2
    assert "removed" in invoke("config", "unset", "decks").stdout


def test_a_plan_that_has_not_started_says_when_it_starts(invoke, content) -> None:
    assert invoke("plan", "--use", "starter", "--start", "2026-04-01", today="2026-03-02").exit_code == 0
    # before the start only decks outside the plan are new (gamma); --topic still studies any topic
    assert [i["deck"] for i in preview(invoke, "2026-03-02")] == ["t/gamma"]
    assert {i["deck"] for i in preview(invoke, "2026-03-02", "-t", "t/beta")} == {"t/beta"}
    assert invoke("check", today="2026-03-02", input="\n5\n").exit_code == 0
    result = invoke("check", today="2026-03-02")
    assert result.exit_code == 0, result.output
    assert "Nothing to study right now" in result.stdout
    assert "Your plan starts on 2026-04-01" in result.stdout


def test_lint_accepts_a_relative_path_under_a_content_root(invoke, content, tmp_path, monkeypatch) -> None:
    """Regression: a relative file argument was compared with absolute roots and crashed."""
    user = tmp_path / "mine"
    write(user, "tmp/deck.md", "---\ntitle: Tmp\narea: X\nsubtopics: [S]\n---\n## Q {#q}\nA\n")
    monkeypatch.setenv("STUDY_DECKS", str(user))
    monkeypatch.chdir(tmp_path)
    result = invoke("lint", "mine/tmp/deck.md")
    assert result.exit_code == 0, result.output
    assert "1 file(s) checked: 0 error(s), 0 warning(s)" in result.stdout


def test_check_size_setting_is_the_default_size(invoke, content) -> None:
    assert len(preview(invoke, "2026-03-02")) == 4  # every new card the plan offers, under 10
    changed = invoke("config", "set", "check_size", "2", today="2026-03-02")
    assert changed.exit_code == 0, changed.output
    assert len(preview(invoke, "2026-03-02")) == 2
    assert len(preview(invoke, "2026-03-02", "--size", "3")) == 3  # the option still wins
    bad = invoke("config", "set", "check_size", "lots", today="2026-03-02")
    assert bad.exit_code == 2 and "check_size must be a whole number from 1 to 200" in bad.output
    assert invoke("config", "unset", "check_size").exit_code == 0
    assert len(preview(invoke, "2026-03-02")) == 4
