"""End to end: the installed program in a subprocess, scripted over several days and driven
through a real pseudo-terminal with single keys and Ctrl-C. Uses the bundled content."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from studycli import config
from studycli.answers import model_answer
from studycli.content import load_collection
from studycli.plans import position
from studycli.store import Store

from .conftest import right_letters

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def env_for(home: Path, today: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDY_")}
    env.update(STUDY_HOME=str(home), STUDY_TODAY=today, COLUMNS="100", NO_COLOR="1", TERM="xterm")
    env.update(extra)
    return env


def study(
    home: Path, today: str, *args: str, stdin: str = "", **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studycli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env_for(home, today, **extra),
        timeout=120,
    )


def answers_for(items: list[dict], quality: int = 5) -> str:
    """Script lines that answer every item correctly (MCQ letters, numbers and key points looked up
    in the decks; letters by where the preview lists each option: options are shuffled)."""
    collection = load_collection(config.content_dirs({}))
    cards = {c.id: c for d in collection.decks for c in d.cards}
    lines = []
    for item in items:
        card = cards[item["card_id"]]
        if item["kind"] == "basic":
            lines += ["my answer", str(quality)]
        else:  # graded from what is typed (or ticked): the fully right answer
            texts = [o.text for o in card.options]
            order = tuple(texts.index(t) for t in item.get("options", []))
            lines += model_answer(card, order)
    return "\n".join(lines) + "\n"


def preview(home: Path, today: str, command: str = "check") -> list[dict]:
    result = study(home, today, command, "--preview", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["items"]


def test_ten_days_of_check_then_review_keep_nothing_overdue(tmp_path: Path) -> None:
    """The daily loop as a person follows it, day by day: check, then review everything due."""
    home = tmp_path / "home"
    start = date(2026, 1, 5)
    used = study(home, start.isoformat(), "plan", "--use", "starter", "--start", start.isoformat())
    assert used.returncode == 0, used.stderr
    cap = -(-starter_cards() // 28)
    for n in range(10):
        today = (start + timedelta(days=n)).isoformat()
        items = preview(home, today)
        assert sum(1 for i in items if i["source"] == "new") <= cap
        check = study(home, today, "check", stdin=answers_for(items, quality=4))
        assert check.returncode == 0, check.stderr
        assert "Traceback" not in check.stdout + check.stderr
        due = preview(home, today, "review")
        if due:
            assert f"{len(due)} more review(s) due" in check.stdout  # the scripted check hints
            review = study(home, today, "review", stdin=answers_for(due, quality=4))
            assert review.returncode == 0, review.stderr
        assert preview(home, today, "review") == []  # nothing left due this evening
    with Store(home / "progress.db") as store:
        sessions = store.sessions()
        reviews = store.reviews()
    assert {s.kind for s in sessions} == {"check", "review"}
    per_day: dict[date, int] = {}
    for r in reviews:
        if r.source == "new" and not r.repeat:
            per_day[r.day] = per_day.get(r.day, 0) + 1
    assert max(per_day.values()) <= cap  # the cap held every day
    report = study(home, (start + timedelta(days=10)).isoformat(), "report", "--format", "json")
    data = json.loads(report.stdout)
    assert data["plan"]["pace"]["overdue_reviews"] == 0
    assert data["retention"]["now"] > 0.8


def starter_cards() -> int:
    """Cards of the bundled starter plan, counted from the deck files (one `## ` heading each)."""
    import yaml

    root = Path(__file__).resolve().parents[1]
    plan = yaml.safe_load((root / "plans" / "starter.yaml").read_text(encoding="utf-8"))
    topics = {t for week in plan["weeks"] for t in week["topics"]}
    count = 0
    for topic in topics:
        text = (root / "decks" / f"{topic}.md").read_text(encoding="utf-8")
        count += sum(1 for line in text.splitlines() if line.startswith("## "))
    return count


def test_scripted_checks_across_days(tmp_path: Path) -> None:
    home = tmp_path / "home"
    # Plan day 5: the first three topics of the starter plan have been reached.
    used = study(home, "2026-01-05", "plan", "--use", "starter", "--start", "2026-01-01")
    assert used.returncode == 0, used.stderr
    day1 = preview(home, "2026-01-05")
    # The daily cap paces the 4-week starter plan: its never-seen cards over its 28 days, rounded up.
    cap = -(-starter_cards() // 28)
    assert len(day1) == cap and {i["source"] for i in day1} == {"new"}
    first = study(home, "2026-01-05", "check", stdin=answers_for(day1))
    assert first.returncode == 0, first.stderr
    mcq = sum(1 for i in day1 if i["kind"] in ("mcq", "multi"))
    mean = (5 * (cap - mcq) + 4 * mcq) / cap  # right choices count as quality 4
    # Score is the share recalled (every answer right: 100%); the mean grade is shown beside it.
    assert f"Score   100% recalled  ({cap} of {cap} items graded 3+; mean grade {mean:.1f}/5)" in first.stdout
    assert "Traceback" not in first.stdout + first.stderr

    day2 = preview(home, "2026-01-06")
    # 70% of a 10-item check may be new, but the cap allows `cap`; reviews fill the rest.
    assert [i["source"] for i in day2].count("new") == min(7, cap)
    assert [i["source"] for i in day2].count("review") == 10 - min(7, cap)
    assert not {i["card_id"] for i in day2 if i["source"] == "new"} & {i["card_id"] for i in day1}
    second = study(home, "2026-01-06", "check", stdin=answers_for(day2, quality=4))
    assert second.returncode == 0, second.stderr

    with Store(home / "progress.db") as store:
        sessions = store.sessions()
        reviews = store.reviews()
        states = store.states()
    assert [s.status for s in sessions] == ["completed", "completed"]
    assert len(reviews) == cap + 10
    reviewed_twice = [c for c in states if states[c].reviews == 2]
    assert len(reviewed_twice) == 10 - min(7, cap)
    assert all(states[c].interval == 6 for c in reviewed_twice)  # second success: 6 days


def _controlling_tty() -> None:
    """In the child: a new session whose controlling terminal is the pty, so Ctrl-C sends SIGINT."""
    import fcntl
    import termios

    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A child process on a pseudo-terminal; read until text appears, with a hang guard."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        import pty  # POSIX only; imported here so the scripted tests still run elsewhere

        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            args,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
            preexec_fn=_controlling_tty,
        )
        os.close(slave)
        self.screen = ""
        self.cursor = 0

    def expect(self, text: str, guard_s: float = 60.0) -> str:
        """Wait for `text` to appear after the previous match; return the screen so far."""
        while (found := self.screen.find(text, self.cursor)) < 0:
            ready, _, _ = select.select([self.master], [], [], guard_s)
            if not ready:
                raise AssertionError(f"never saw {text!r}; screen:\n{self.screen}")
            try:
                chunk = os.read(self.master, 4096).decode("utf-8", "replace")
            except OSError:  # child closed the terminal
                raise AssertionError(f"exited before {text!r}; screen:\n{self.screen}") from None
            self.screen += ANSI.sub("", chunk)
        self.cursor = found + len(text)
        return self.screen

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self) -> int:
        try:
            while select.select([self.master], [], [], 5)[0]:
                self.screen += ANSI.sub("", os.read(self.master, 4096).decode("utf-8", "replace"))
        except OSError:
            pass
        code = self.proc.wait(timeout=60)
        os.close(self.master)
        return code


DECK = """\
---
title: Keys deck
area: Foundations
---

## First question? {#k1}
First answer.

## Second question? {#k2}
- [ ] wrong
- [x] right
- [ ] also wrong

Because.

## Third question? {#k3}
Third answer.
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_interactive_keys_and_ctrl_c_keep_grades(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    (decks / "e2e").mkdir(parents=True)
    (decks / "e2e" / "keys.md").write_text(DECK)
    home = tmp_path / "home"
    env = env_for(home, "2026-01-05", STUDY_DECKS=str(decks), STUDY_BUNDLED="0")
    term = Terminal([sys.executable, "-m", "studycli", "check", "--topic", "e2e/keys"], env)
    term.expect("Your answer")
    term.send("what I remember\r")
    term.expect("First answer.")
    term.expect("q stop")
    term.expect("> ")
    term.send("9")  # not a grade: the prompt says so and waits
    term.expect("is not a choice")
    term.send("5")
    term.expect("Choose a-c")
    term.send(right_letters("e2e/keys#k2", "2026-01-05", options=3, correct=(1,)))
    term.expect("correct")
    term.send(" ")
    term.expect("Third question?")
    term.expect("Your answer")
    term.send("\x03")  # Ctrl-C
    code = term.finish()
    assert code == 130, term.screen
    assert "Stopped with Ctrl-C: 2 of 3 items graded" in term.screen
    assert "Traceback" not in term.screen
    with Store(home / "progress.db") as store:
        assert [(r.card_id, r.quality) for r in store.reviews()] == [("e2e/keys#k1", 5), ("e2e/keys#k2", 4)]
        assert store.sessions()[0].status == "interrupted"


GAPS_DECK = """\
---
title: Gaps deck
area: Foundations
subtopics: [Alpha idea, Beta idea, Gamma idea, Delta idea]
---

## Question? {#g1}
Answer.
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_interactive_gaps_single_keys_back_and_ctrl_c_keep_ratings(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    (decks / "e2e").mkdir(parents=True)
    (decks / "e2e" / "gaps.md").write_text(GAPS_DECK)
    home = tmp_path / "home"
    env = env_for(home, "2026-01-05", STUDY_DECKS=str(decks), STUDY_BUNDLED="0")
    term = Terminal([sys.executable, "-m", "studycli", "gaps", "--topic", "e2e/gaps"], env)
    term.expect("1/4 Alpha idea")
    term.expect("[q]uit > ")
    term.send("k")
    term.expect("2/4 Beta idea")
    term.expect("[q]uit > ")
    term.send("x")  # not a key: the prompt says so and waits
    term.expect("is not a choice")
    term.send("d")
    term.expect("3/4 Gamma idea")
    term.expect("[q]uit > ")
    term.send("b")  # back to Beta, shown with the answer just given
    term.expect("2/4 Beta idea  (you just said dunno)")
    term.expect("[q]uit > ")
    term.send("u")
    term.expect("3/4 Gamma idea")
    term.expect("[q]uit > ")
    term.send("\x03")  # Ctrl-C
    code = term.finish()
    assert code == 130, term.screen
    assert "Stopped; 2 subtopic(s) rated, every answer saved." in term.screen
    assert "Readiness by area" in term.screen and "Traceback" not in term.screen
    with Store(home / "progress.db") as store:
        ratings = store.gap_ratings()
        sessions = store.sessions("gaps")
    assert [(r.subtopic, r.rating) for r in ratings] == [
        ("Alpha idea", "know"),
        ("Beta idea", "dunno"),
        ("Beta idea", "unsure"),
    ]
    assert [s.status for s in sessions] == ["interrupted"]


def test_sigint_while_waiting_for_a_line_keeps_grades(tmp_path: Path) -> None:
    """Scripted mode, interrupted by a signal between lines (as Ctrl-C in a pipeline would)."""
    home = tmp_path / "home"
    items = preview(home, "2026-01-05")[:1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "studycli", "check", "--size", "3"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_for(home, "2026-01-05"),
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(answers_for(items))
        proc.stdin.flush()
    except BrokenPipeError:
        raise AssertionError(proc.communicate()) from None
    seen = ""
    while "2/3" not in seen:  # the second item is on screen: the first grade is committed
        line = proc.stdout.readline()
        assert line, seen
        seen += line
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in out + err
    with Store(home / "progress.db") as store:
        assert len(store.reviews()) == 1


@pytest.mark.parametrize("args", [("report",), ("gaps", "--summary"), ("plan",), ("report", "-f", "json")])
def test_a_closed_output_pipe_exits_141_quietly(tmp_path: Path, args: tuple[str, ...]) -> None:
    """`study report | head -1`: the reader leaving is not an error (rich alone would exit 1)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write
    proc = subprocess.Popen(
        [sys.executable, "-m", "studycli", *args],
        stdin=subprocess.DEVNULL,
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
        env=env_for(tmp_path / "home", "2026-01-05"),
    )
    os.close(write_end)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 141, err
    assert err == ""


def test_closed_stdin_ends_the_check_cleanly(tmp_path: Path) -> None:
    """`study check <&-`: no stdin at all is the end of input, not a crash."""
    home = tmp_path / "home"
    result = subprocess.run(
        [sys.executable, "-m", "studycli", "check"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env_for(home, "2026-01-05"),
        timeout=120,
        preexec_fn=lambda: os.close(0),
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"Input ended: 0 of \d+ items graded", result.stdout)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_days_of_checks_and_two_gap_assessments_then_the_report(tmp_path: Path) -> None:
    """The issue's scenario through the real program: checks on several days, a first and a second
    self-assessment, then the report's figures checked against the store and the decks."""
    home = tmp_path / "home"
    assert study(home, "2026-01-01", "plan", "--use", "starter", "--start", "2026-01-01").returncode == 0
    collection = load_collection(config.content_dirs({}))
    foundations = [s for d in collection.decks if d.area == "Foundations" for s in dict.fromkeys(d.subtopics)]
    n = len(foundations)
    first = study(home, "2026-01-01", "gaps", "--area", "Foundations", stdin="u\n" * n)
    assert first.returncode == 0, first.stderr
    assert f"0 know, {n} unsure, 0 dunno of {n} subtopics: 0.0% ready" in first.stdout

    for day in ("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-05"):  # the 4th is missed
        done = study(home, day, "check", stdin=answers_for(preview(home, day)))
        assert done.returncode == 0, done.stderr

    know = n // 2
    second = study(
        home, "2026-01-05", "gaps", "--area", "Foundations", "--all", stdin="k\n" * know + "u\n" * (n - know)
    )
    assert second.returncode == 0, second.stderr
    gain = 100 * know / n
    row = [line for line in second.stdout.splitlines() if line.startswith("Foundations ")][-1]  # table row
    assert row.count(f"+{gain:.0f} pt") == 2, row  # against the baseline and the previous assessment

    result = study(home, "2026-01-05", "report", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    with Store(home / "progress.db") as store:
        reviews = store.reviews()
        states = store.states()
    assert [s["date"] for s in data["sessions"]] == ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-05"]
    assert all(s["score"] == 1.0 for s in data["sessions"])  # every answer was right
    # New cards a check could draw today: unseen cards of the plan topics reached by day 5, and of
    # every deck the plan does not name (they come after the plan's), counted from the decks.
    plan = collection.plan("starter")
    assert plan is not None
    reached = set(position(plan, date(2026, 1, 1), date(2026, 1, 5)).reached_topics)
    new_available = sum(
        1
        for d in collection.decks
        if d.id in reached or d.id not in set(plan.topics)
        for c in d.cards
        if c.id not in states
    )
    assert data["today"] == {
        "due_now": sum(1 for st in states.values() if st.due is not None and str(st.due) <= "2026-01-05"),
        "new_available": new_available,
        "streak": 1,
        "longest_streak": 3,
        "checked_today": True,
    }
    assert sum(d["reviews"] for d in data["activity"]["days"]) == len(reviews)
    assert data["forecast"]["next_30_days"] == len(states)
    areas = {a["area"]: a for a in data["areas"]}
    assert areas["Foundations"]["readiness"] == round(know / n, 4)
    assert areas["Foundations"]["recall"] == 1.0
    assert sum(a["cards_seen"] for a in data["areas"]) == len(states)
    assert data["plan"]["week"] == 1 and data["plan"]["day_of_week"] == 5

    shown = study(home, "2026-01-05", "report", COLUMNS="60")
    assert shown.returncode == 0, shown.stderr
    assert "streak 1 day(s)" in shown.stdout and "Traceback" not in shown.stderr
    assert max(len(line) for line in shown.stdout.splitlines()) <= 60


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_interactive_undo_then_ctrl_c_keeps_one_effective_grade(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    (decks / "e2e").mkdir(parents=True)
    (decks / "e2e" / "keys.md").write_text(DECK)
    home = tmp_path / "home"
    env = env_for(home, "2026-01-05", STUDY_DECKS=str(decks), STUDY_BUNDLED="0")
    term = Terminal([sys.executable, "-m", "studycli", "check", "--topic", "e2e/keys"], env)
    term.expect("Your answer")
    term.send("\r")
    term.expect("q stop")
    term.send("1")  # a slip: meant 5
    term.expect("Choose a-c (q stop · u undo)")
    term.send("u")
    term.expect("grade taken back")
    term.expect("First question?")
    term.expect("Your answer")
    term.send("\r")
    term.expect("q stop")  # back at the first card: nothing left to undo in this session
    term.send("5")
    term.expect("Choose a-c")
    term.send("\x03")  # Ctrl-C
    code = term.finish()
    assert code == 130, term.screen
    with Store(home / "progress.db") as store:
        assert [(r.card_id, r.quality) for r in store.reviews()] == [("e2e/keys#k1", 5)]
        assert store.states()["e2e/keys#k1"].repetitions == 1
        assert [(r.quality, undone) for r, undone in store.history("e2e/keys#k1")] == [(1, True), (5, False)]
