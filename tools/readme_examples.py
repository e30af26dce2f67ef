"""Regenerate the example outputs in README.md from the real program, so the README stays true.

    python tools/readme_examples.py          # rewrite the blocks between the example markers
    python tools/readme_examples.py --check  # exit 1 if README.md is out of date

A deterministic three-week history of the daily loop (fixed dates via STUDY_TODAY, fixed grades:
check then review each day, an interview date at the plan's end) is studied into a throw-away
STUDY_HOME, with two gap assessments, then `study gaps`, `study report` and a short `study review`
are run.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START = date(2026, 11, 2)
TODAY = date(2026, 11, 23)


def study(home: Path, day: date, *args: str, stdin: str = "", columns: int = 100) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDY_")}
    env.update(
        STUDY_HOME=str(home), STUDY_TODAY=day.isoformat(), NO_COLOR="1", COLUMNS=str(columns), TERM="dumb"
    )
    done = subprocess.run(
        [sys.executable, "-m", "studycli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode not in (0, 130):
        raise SystemExit(f"study {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


WEAK = "foundations/probability"  # the learner believes they know it; their grades say otherwise


def answers(home: Path, day: date, rng: random.Random, *args: str, command: str = "check") -> str:
    """Script a check or review: mostly right, sometimes wrong, like a real learner (weaker on WEAK).

    After the first pass come a few rounds of passing answers for the same-check repeats of the
    cards graded below 4 (lines that do not fit a prompt are skipped as invalid by the program).
    """
    from studycli import config
    from studycli.answers import model_answer
    from studycli.content import load_collection
    from studycli.session import option_order

    items = json.loads(study(home, day, command, "--preview", "--json", *args))["items"]
    cards = {c.id: c for d in load_collection(config.content_dirs({})).decks for c in d.cards}
    lines: list[str] = []
    for item in items:
        card = cards[item["card_id"]]
        weak = card.deck_id == WEAK
        order = option_order(card, day, 0)  # options are shuffled per card, day and showing
        if item["kind"] == "mcq":
            right = rng.random() < (0.2 if weak else 0.8)
            shown = order.index(card.correct_index)
            lines.append("abcdefgh"[shown if right else (shown + 1) % len(card.options)])
        elif item["kind"] != "basic":
            lines += model_answer(card, order)
        else:
            lines += ["", str(rng.choice([1, 1, 2, 2, 3] if weak else [2, 3, 4, 4, 5, 5]))]
    for again in range(1, 5):  # the repeats: each a new showing, so a new order of options
        for item in items:
            card = cards[item["card_id"]]
            lines += (
                ["", "4"] if item["kind"] == "basic" else model_answer(card, option_order(card, day, again))
            )
    return "\n".join(lines) + "\n"


# What a learner might type before revealing the first card of the default plan.
TYPED = {
    "foundations/linear-algebra#rank-nullspace": "rank = dim of the column space; null space = {x : Ax = 0}; rank + nullity = n",
}


def first_check(home: Path) -> str:
    """A new user's first `study check --size 2` with the bundled default plan."""
    from studycli import config
    from studycli.answers import model_answer
    from studycli.content import load_collection

    items = json.loads(study(home, TODAY, "check", "--preview", "--json", "--size", "2"))["items"]
    cards = {c.id: c for d in load_collection(config.content_dirs({})).decks for c in d.cards}
    lines: list[str] = []
    from studycli.session import option_order

    for item in items:
        card = cards[item["card_id"]]
        if item["kind"] == "basic":
            lines += [TYPED.get(card.id, ""), "4"]
        elif item["kind"] == "rubric":  # the typed answer, then the key points ticked
            lines += [TYPED.get(card.id, ""), " ".join(str(n) for n in range(1, len(card.points) + 1))]
        else:
            lines += model_answer(card, option_order(card, TODAY, 0))
    return study(home, TODAY, "check", "--size", "2", stdin="\n".join(lines) + "\n", columns=80)


INTERVIEW = START + timedelta(days=84)  # the day after the 12-week plan ends


def history(home: Path) -> None:
    """Three weeks of the daily loop on the default plan (check, then review), with an interview
    date at the plan's end; two Sundays off early on, and one skipped review the day before TODAY."""
    rng = random.Random(7)
    study(
        home,
        START,
        "plan",
        "--use",
        "ml-engineer-12w",
        "--start",
        START.isoformat(),
        "--interview",
        INTERVIEW.isoformat(),
    )
    study(home, START, "gaps", "--area", "Foundations", "--area", "Classical ML", stdin="u\nd\nu\nk\n" * 40)
    study(home, START, "gaps", "--topic", WEAK, "--all", stdin="k\n" * 12)
    day = START
    while day < TODAY:
        if day.weekday() != 6 or day >= START + timedelta(days=14):  # two Sundays off early on
            study(home, day, "check", stdin=answers(home, day, rng))
            if day < TODAY - timedelta(days=1):  # yesterday: the check only, reviews left for today
                study(home, day, "review", stdin=answers(home, day, rng, command="review"))
        day += timedelta(days=1)
    study(
        home,
        TODAY - timedelta(days=1),
        "gaps",
        "--area",
        "Foundations",
        "--only",
        "unsure,dunno",
        stdin="k\nu\n" * 40,
    )


def block(text: str) -> str:
    return "```text\n" + "\n".join(line.rstrip() for line in text.strip("\n").splitlines()) + "\n```"


def generate() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        check = first_check(Path(tmp) / "first")
        home = Path(tmp) / "history"
        history(home)
        walk = study(
            home,
            TODAY,
            "gaps",
            "--topic",
            "transformers-llms/decoding",
            stdin="k\nu\nd\nk\nb\nu\nq\n",
            columns=80,
        )
        summary = study(
            home, TODAY, "gaps", "--summary", "--area", "Foundations", "--area", "Classical ML", columns=80
        )
        report = study(home, TODAY, "report", columns=100)
        markdown = study(home, TODAY, "report", "--format", "markdown")
        rng = random.Random(11)
        review = study(
            home,
            TODAY,
            "review",
            "--limit",
            "2",
            stdin=answers(home, TODAY, rng, "--limit", "2", command="review"),
            columns=80,
        )
    return {
        "check": block(check),
        "review": block(review),
        "gaps-walk": block(walk),
        "gaps-summary": block(summary),
        "report": block(report),
        "report-markdown": "```markdown\n" + markdown.split("\n## Areas")[0].strip() + "\n```",
    }


def splice(readme: str, blocks: dict[str, str]) -> str:
    for name, body in blocks.items():
        pattern = re.compile(
            rf"(<!-- BEGIN example:{name} -->\n)(?:.*?\n)?(<!-- END example:{name} -->)", re.S
        )
        if not pattern.search(readme):
            raise SystemExit(f"README.md has no markers for example {name!r}")
        readme = pattern.sub(lambda m, body=body: m.group(1) + body + "\n" + m.group(2), readme)
    return readme


def main() -> int:
    current = README.read_text(encoding="utf-8")
    updated = splice(current, generate())
    if "--check" in sys.argv:
        if updated != current:
            print("README.md examples are out of date: run python tools/readme_examples.py")
            return 1
        return 0
    README.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
