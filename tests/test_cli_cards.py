"""find, show, edit, topics, suspend, unsuspend and undo through the CLI, with their bad inputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from studycli.store import Store

from .conftest import right_letters


def db(home: Path) -> Store:
    return Store(home / "progress.db")


def learn(invoke, day: str = "2026-03-02", script: str | None = None) -> None:
    if script is None:
        script = f"\n4\n\n4\n{right_letters('t/alpha#a3', day)}\n\n4\n"
    result = invoke("check", today=day, input=script)
    assert result.exit_code == 0, result.output


def test_find_searches_questions_answers_and_options_in_any_case(invoke, content) -> None:
    result = invoke("find", "ALPHA", "--json", today="2026-03-02")
    assert result.exit_code == 0, result.output
    assert [r["card_id"] for r in json.loads(result.stdout)] == ["t/alpha#a1", "t/alpha#a2", "t/alpha#a3"]
    options = json.loads(invoke("find", "gamma", "--json", today="2026-03-02").stdout)
    # "gamma" is an option of the alpha MCQ and the text of the gamma deck's card
    assert [r["card_id"] for r in options] == ["t/alpha#a3", "t/gamma#g1"]
    every = json.loads(invoke("find", "--json", today="2026-03-02").stdout)
    assert len(every) == 6 and {r["status"] for r in every} == {"new"}
    assert set(every[0]) == {"card_id", "deck", "kind", "status", "due", "interval", "lapses", "leech"}


def test_find_filters_and_table(invoke, content) -> None:
    learn(invoke)
    due = json.loads(invoke("find", "--due", "--json", today="2026-03-03").stdout)
    assert len(due) == 4 and all(r["due"] == "2026-03-03" for r in due)
    new = json.loads(invoke("find", "--new", "--area", "deep", "--json", today="2026-03-03").stdout)
    assert [r["card_id"] for r in new] == ["t/beta#b1", "t/beta#b2"]
    table = invoke("find", "two", today="2026-03-03")
    assert "t/alpha#a2" in table.stdout and "t/beta#b2" in table.stdout and "2 card(s)" in table.stdout
    assert invoke("find", "zzz-nothing", today="2026-03-03").stdout.strip() == "No card matches."
    bad = invoke("find", "--topic", "t/alhpa")
    assert bad.exit_code == 2 and "unknown topic 't/alhpa'" in bad.stderr


def test_show_renders_the_card_and_its_history(invoke, content) -> None:
    learn(invoke)
    result = invoke("show", "t/alpha#a3", today="2026-03-03")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Which is alpha?" in out and "b) ✓" in out and "Because alpha is alpha." in out
    assert "due 2026-03-03 (due now) · interval 1 d" in out
    assert "2026-03-02" in out and "History" in out


def test_unknown_card_id_suggests_the_closest(invoke, content) -> None:
    result = invoke("show", "t/alpha#a4", today="2026-03-02")
    assert result.exit_code == 2
    assert "error: no card with id 't/alpha#a4'" in result.stderr
    assert "did you mean: t/alpha#a3, t/alpha#a2, t/alpha#a1?" in result.stderr  # closest first


def test_suspended_cards_are_never_asked_and_keep_their_state(invoke, content, home) -> None:
    learn(invoke)
    with db(home) as store:
        before = store.states()["t/alpha#a1"]
    result = invoke("suspend", "t/alpha#a1", "t/beta#b1", today="2026-03-03")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["suspended t/alpha#a1", "suspended t/beta#b1"]
    assert invoke("suspend", "t/alpha#a1").stdout.strip() == "already suspended t/alpha#a1"
    review = json.loads(invoke("review", "--preview", "--json", today="2026-03-03").stdout)["items"]
    assert "t/alpha#a1" not in {i["card_id"] for i in review} and len(review) == 3
    later = json.loads(invoke("check", "--preview", "--json", today="2026-03-09").stdout)["items"]
    assert "t/beta#b1" not in {i["card_id"] for i in later}
    report = json.loads(invoke("report", "--format", "json", today="2026-03-03").stdout)
    assert [s["card_id"] for s in report["suspended"]] == ["t/alpha#a1", "t/beta#b1"]
    assert report["today"]["due_now"] == 3
    with db(home) as store:
        assert store.states()["t/alpha#a1"] == before
    assert invoke("unsuspend", "t/alpha#a1").stdout.strip() == "unsuspended t/alpha#a1"
    assert invoke("unsuspend", "t/alpha#a1").stdout.strip() == "was not suspended t/alpha#a1"
    bad = invoke("suspend", "t/nope#x")
    assert bad.exit_code == 2 and "no card with id 't/nope#x'" in bad.stderr


def test_undo_takes_back_todays_grades_one_by_one(invoke, content, home) -> None:
    nothing = invoke("undo", today="2026-03-02")
    assert nothing.exit_code == 2
    assert "nothing to undo: no grade given today (2026-03-02) is left to take back" in nothing.stderr
    learn(invoke, script="\n4\n\n2\n")  # a1: 4; a2: 2, then input ends before its repeat
    first = invoke("undo", today="2026-03-02")
    assert first.exit_code == 0
    assert first.stdout.strip() == "Undone: t/alpha#a2 graded 2 on 2026-03-02"
    with db(home) as store:
        assert "t/alpha#a2" not in store.states()
        assert [r.card_id for r in store.reviews()] == ["t/alpha#a1"]
    assert invoke("undo", today="2026-03-02").exit_code == 0
    with db(home) as store:
        assert store.states() == {} and store.reviews() == []
    # the next day's undo sees nothing of yesterday's: a day's grades are undone on that day
    assert invoke("undo", today="2026-03-03").exit_code == 2


def test_topics_lists_deck_ids_with_plan_weeks(invoke, content) -> None:
    learn(invoke)
    rows = json.loads(invoke("topics", "--json", today="2026-03-03").stdout)
    assert [(r["id"], r["week"], r["cards"], r["seen"], r["due"]) for r in rows] == [
        ("t/alpha", 1, 3, 3, 3),
        ("t/beta", 2, 2, 0, 0),
        ("t/gamma", None, 1, 1, 1),
    ]
    table = invoke("topics", "--area", "classical", today="2026-03-03")
    assert "t/gamma" in table.stdout and "t/alpha" not in table.stdout


def write_editor(tmp_path: Path, body: str) -> str:
    """A tiny 'editor': a Python script that records its arguments and edits the file."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "args = sys.argv[1:]\n"
        "pathlib.Path(sys.argv[0]).with_name('editor-args.txt').write_text(' '.join(args))\n"
        "path = pathlib.Path(args[-1])\n" + body
    )
    return f"{sys.executable} {script}"


def test_edit_copies_a_bundled_deck_opens_the_line_and_lints(
    invoke, content, home, tmp_path, monkeypatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv(
        "EDITOR",
        write_editor(
            tmp_path, "path.write_text(path.read_text().replace('Alpha two answer', 'Alpha two, edited'))\n"
        ),
    )
    result = invoke("edit", "t/alpha#a2", today="2026-03-02")
    assert result.exit_code == 0, result.output
    copy = home / "decks" / "t" / "alpha.md"
    assert "Bundled deck copied to" in result.stdout and str(copy) in " ".join(result.stdout.split())
    assert "0 error(s)" in result.stdout
    args = (tmp_path / "editor-args.txt").read_text().split()
    assert args[0].startswith("+") and int(args[0][1:]) > 1 and args[1] == str(copy)
    assert "Alpha two, edited" in copy.read_text()
    shown = invoke("show", "t/alpha#a2", today="2026-03-02")
    assert "Alpha two, edited" in shown.stdout  # the copy overrides the bundled deck; same id


def test_edit_errors_are_clear(invoke, content, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    unset = invoke("edit", "t/alpha#a1", today="2026-03-02")
    assert unset.exit_code == 2 and "no editor: set VISUAL or EDITOR" in unset.stderr
    monkeypatch.setenv("EDITOR", write_editor(tmp_path, "sys.exit(3)\n"))
    failing = invoke("edit", "t/alpha#a1", today="2026-03-02")
    assert failing.exit_code == 2 and "exited with status 3" in failing.stderr
    monkeypatch.setenv("EDITOR", "/no/such/editor")
    missing = invoke("edit", "t/alpha#a1", today="2026-03-02")
    assert missing.exit_code == 2 and "could not run the editor" in missing.stderr
    monkeypatch.setenv(
        "EDITOR",
        write_editor(tmp_path, "path.write_text(path.read_text().replace('- [x] alpha', '- [ ] alpha'))\n"),
    )
    broken = invoke("edit", "t/alpha#a3", today="2026-03-02")
    assert broken.exit_code == 1 and "1 error(s)" in broken.stdout and "alpha.md:" in broken.stdout


def test_u_at_the_next_prompt_undoes_the_previous_grade_of_the_session(invoke, content, home) -> None:
    # a1 graded 2 by mistake; `u` at a2's answer line takes it back; a1 is asked again and gets 5.
    script = "\n2\nu\n\n5\n\n4\n"
    result = invoke("check", "--size", "2", "--topic", "t/alpha", today="2026-03-02", input=script)
    assert result.exit_code == 0, result.output
    assert "↶ grade taken back: What is alpha one? is asked again" in result.stdout
    with db(home) as store:
        assert [(r.card_id, r.quality) for r in store.reviews()] == [("t/alpha#a1", 5), ("t/alpha#a2", 4)]
        assert [undone for _, undone in store.history("t/alpha#a1")] == [True, False]
        assert store.states()["t/alpha#a1"].ef == 2.6  # one SM-2 step of 5 from 2.5: the 2 is gone


def test_u_at_the_grade_prompt_and_back_to_the_first(invoke, content, home) -> None:
    # a1: 4; a2: 4; at the next card's grade prompt `u` twice goes back to a1; both regraded 5.
    wrong_first = "\n4\n\n4\n"
    mcq = right_letters("t/alpha#a3", "2026-03-02")
    script = wrong_first + "u\n" + "\nu\n" + "\n5\n\n5\n" + f"{mcq}\n"
    result = invoke("check", "--size", "3", "--topic", "t/alpha", today="2026-03-02", input=script)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("↶ grade taken back") == 2
    with db(home) as store:
        assert [(r.card_id.split("#")[1], r.quality) for r in store.reviews()] == [
            ("a1", 5),
            ("a2", 5),
            ("a3", 4),
        ]


def test_no_undo_before_the_first_grade_of_a_session(invoke, content, home) -> None:
    result = invoke("check", "--size", "1", "--topic", "t/alpha", today="2026-03-02", input="u\n5\n")
    assert result.exit_code == 0
    assert "u undo" not in result.stdout  # nothing to take back yet: `u` is just a typed answer
    with db(home) as store:
        assert [r.quality for r in store.reviews()] == [5]


def test_a_scripted_check_names_a_new_leech_and_how_to_deal_with_it(invoke, content, home) -> None:
    assert invoke("config", "set", "leech_threshold", "1").exit_code == 0
    day1 = invoke("check", "--size", "1", "--topic", "t/gamma", today="2026-03-02", input="\n5\n")
    assert day1.exit_code == 0
    day2 = invoke("check", "--size", "1", "--topic", "t/gamma", today="2026-03-03", input="\n1\n\n4\n")
    assert day2.exit_code == 0, day2.output
    flat = " ".join(day2.stdout.split())
    assert "⚑ leech: forgotten 1 times after being learnt." in flat
    assert "`study edit t/gamma#g1` fixes it; `study suspend t/gamma#g1` sets it aside." in flat
    bad = invoke("config", "set", "leech_threshold", "0")
    assert bad.exit_code == 2 and "leech_threshold must be 1 or more" in bad.stderr
