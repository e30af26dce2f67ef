"""Numeric, multiple-answer and rubric cards through the CLI: scripted check and review, preview
JSON, lint, export and import, and the view's time target with a fake clock."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from studycli.decks import parse_deck
from studycli.model import Item
from studycli.session import CheckRun
from studycli.store import Store
from studycli.ui import check_view
from studycli.ui.console import THEME
from studycli.ui.prompt import LinePrompter

from .conftest import right_letters, write


def multi(showing: int = 0, correct: tuple[int, ...] = (0, 2), day: str = "2026-03-02") -> str:
    """Letters of options of the multi card m (GQA, 4-bit, FP8, vocab) as shown that time."""
    return right_letters("t/types#m", day, showing, options=4, correct=correct)


TYPES = """\
---
title: Card types
area: Foundations
---

## How many parameters has GPT-3? {#n}
= 175 ± 5 B

Time: 30 s

From the GPT-3 paper.

## Which of these shrink the KV cache? {#m}
- [x] GQA
- [ ] 4-bit weights
- [x] An FP8 cache
- [ ] A bigger vocabulary

Weights are not the cache.

## Explain dropout. {#r}
Dropout zeroes activations at random.

Key points:

- [ ] Zeroes units with probability p in training
- [ ] Rescales by 1/(1 − p)
- [ ] Off at inference
- [ ] [red]A regulariser[/red]
"""

DAY = "2026-03-02"


@pytest.fixture
def types(content: Path) -> Path:
    write(content, "decks/t/types.md", TYPES)
    return content


def reviews(home: Path) -> list[tuple[str, int, bool]]:
    with Store(home / "progress.db") as store:
        return [(r.card_id.split("#")[1], r.quality, r.repeat) for r in store.reviews()]


def test_preview_json_names_the_new_kinds(invoke, types) -> None:
    result = invoke("check", "--topic", "t/types", "--preview", "--json", today=DAY)
    assert result.exit_code == 0, result.output
    kinds = {i["card_id"]: i["kind"] for i in json.loads(result.stdout)["items"]}
    assert kinds == {"t/types#n": "numeric", "t/types#m": "multi", "t/types#r": "rubric"}


def test_scripted_check_grades_each_kind_from_its_line(invoke, types, home) -> None:
    script = "\n".join(
        [
            "lots",  # not a number: said on stderr, the next line is read
            "1.75e11",  # numeric: right (5; a script is never timed)
            "ax",  # not an option
            " ".join(multi()),  # multi: all right (4)
            "some typed answer",  # rubric: the optional typed answer
            "1 3 9",  # 9 is not a key point
            "1 3 4",  # 3 of 4 ticked: 75% → 4
        ]
    )
    result = invoke("check", "--topic", "t/types", today=DAY, input=script + "\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Your answer (a number; q stop · aim for 30 s) > 1.75e11" in out
    assert "✓ right — you said 175 billion; the answer is 175 billion (170 billion to 180 billion)" in out
    assert "From the GPT-3 paper." in out
    assert f"Choose all that apply, e.g. ac (a-d, q stop · u undo) > {' '.join(multi())}" in out
    assert "✓ all right" in out and "Weights are not the cache." in out
    assert "4. [red]A regulariser[/red]" in out  # deck text is never rich markup
    assert "3 of 4 key points (75%) → grade 4" in out
    assert "invalid answer 'lots': 'lots' does not start with a number" in result.stderr
    assert "invalid answer 'ax': x is not an option: pick letters a-d" in result.stderr
    assert "invalid answer '1 3 9': '9' is not a key point: type numbers 1-4" in result.stderr
    assert "Score   100% recalled  (3 of 3 items graded 3+; mean grade 4.3/5)" in out
    assert reviews(home) == [("n", 5, False), ("m", 4, False), ("r", 4, False)]


def test_partial_answers_come_back_at_the_end(invoke, types, home) -> None:
    # multi: only GQA picked (FP8 missed); its repeat (a new showing, a new order) all right
    script = ["171 billion", multi(correct=(0,)), "", "", multi(showing=1), "", "1 2 3 4"]
    result = invoke("check", "--topic", "t/types", today=DAY, input="\n".join(script) + "\n")
    assert result.exit_code == 0, result.output
    assert "✓ right — you said 171 billion" in result.stdout  # 171B is inside 175 ± 5 B
    assert "✗ not quite: 1 missed (grade 2)" in result.stdout
    assert "○" in result.stdout and f"{multi(correct=(2,))}) An FP8 cache (missed)" in result.stdout
    assert "0 of 4 key points (0%) → grade 1" in result.stdout
    assert "4 of 4 key points (100%) → grade 5" in result.stdout
    assert reviews(home) == [
        ("n", 5, False),
        ("m", 2, False),
        ("r", 1, False),
        ("m", 4, True),
        ("r", 5, True),
    ]


def test_q_stops_on_a_typed_answer_and_on_the_ticks(invoke, types, home) -> None:
    first = invoke("check", "--topic", "t/types", today=DAY, input="q\n")
    assert first.exit_code == 0 and "Stopped: 0 of 3 items graded" in first.stdout
    second = invoke("check", "--topic", "t/types", today=DAY, input=f"175B\n{multi()}\n\nq\n")
    assert second.exit_code == 0 and "Stopped: 2 of 3 items graded" in second.stdout
    assert reviews(home) == [("n", 5, False), ("m", 4, False)]


def test_study_review_asks_the_new_kinds_too(invoke, types, home) -> None:
    assert invoke("check", "--topic", "t/types", today=DAY, input=f"175B\n{multi()}\n\n1234\n").exit_code == 0
    due = invoke("review", "--preview", "--json", today="2026-03-03")
    order = [i["kind"] for i in json.loads(due.stdout)["items"]]
    assert sorted(order) == ["multi", "numeric", "rubric"]
    # multi: both right ones and the 4-bit one picked (one wrong); a blank line first is refused
    picked = multi(correct=(0, 1, 2), day="2026-03-03")
    lines = {"numeric": ["200B"], "multi": ["", picked], "rubric": ["", "2"]}  # 200B is 25B off
    script = "\n".join(line for kind in order for line in lines[kind])
    result = invoke("review", today="2026-03-03", input=script + "\n")
    assert result.exit_code == 0, result.output
    assert "✗ not quite — you said 200 billion" in result.stdout
    assert "invalid answer '': pick one or more letters a-d" in result.stderr
    assert "✗ not quite: 1 wrong (grade 2)" in result.stdout
    assert "1 of 4 key points (25%) → grade 2" in result.stdout
    graded = {c: q for c, q, repeat in reviews(home)[3:] if not repeat}
    assert graded == {"n": 1, "m": 2, "r": 2}


def test_lint_names_file_and_line_for_the_new_forms(invoke, content, tmp_path) -> None:
    broken = write(
        tmp_path / "x",
        "bad.md",
        "---\ntitle: B\narea: X\n---\n## N {#n}\n= 5 ± 0\n\n## M {#m}\n- [x] a\n- [x] b\n\n"
        "## R {#r}\nKey points:\n- [ ] only\n",
    )
    result = invoke("lint", str(broken))
    assert result.exit_code == 1
    assert f"{broken}:6: error: numeric answer '= 5 ± 0': a tolerance of zero" in result.stdout
    assert f"{broken}:9: error: all 2 options are [x]" in result.stdout
    assert f"{broken}:14: error: a rubric needs at least two key points" in result.stdout


def test_export_and_import_carry_the_grades_of_new_kinds(invoke, types, home, tmp_path, monkeypatch) -> None:
    assert invoke("check", "--topic", "t/types", today=DAY, input=f"175B\n{multi()}\n\n1234\n").exit_code == 0
    exported = invoke("export", today=DAY)
    assert exported.exit_code == 0, exported.output
    dump = tmp_path / "export.json"
    dump.write_text(exported.stdout)
    monkeypatch.setenv("STUDY_HOME", str(tmp_path / "other"))
    imported = invoke("import", str(dump), today=DAY)
    assert imported.exit_code == 0, imported.output
    assert reviews(tmp_path / "other") == reviews(home) == [("n", 5, False), ("m", 4, False), ("r", 5, False)]


# --- the view with a fake clock (a time target, never a real wait) -------------------------------


class Script(LinePrompter):
    """A LinePrompter that counts as a person at a terminal, so the time target applies."""

    timed = True


@pytest.mark.parametrize(("seconds", "grade"), [(29.0, 5), (31.0, 4)])
def test_numeric_time_target(seconds: float, grade: int) -> None:
    deck = parse_deck(TYPES, "t/types", "types.md").deck
    assert deck is not None
    card = deck.cards[0]
    out = Console(file=io.StringIO(), width=80, no_color=True, theme=THEME)
    prompter = Script(out, out, io.StringIO("175B\n"))
    ticks = iter([100.0, 100.0 + seconds])
    answer = check_view.ask(
        out, prompter, CheckRun([Item(card, "new")]), Item(card, "new"), deck, 1, lambda: next(ticks)
    )
    assert answer is not None and answer.quality == grade
    answer.acknowledge()
    shown = out.file.getvalue()  # type: ignore[attr-defined]
    if grade == 4:
        assert "✓ right, but in 31 s against 30 s (grade 4)" in shown
    else:
        assert "✓ right — you said 175 billion" in shown
