"""End to end on a pseudo-terminal: a numeric, a multiple-answer and a rubric card with real keys."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from studycli.store import Store

from .conftest import right_letters
from .test_cli_card_types import TYPES
from .test_e2e import Terminal, env_for


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_each_new_kind_answered_with_keys(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    (decks / "e2e").mkdir(parents=True)
    # A time target no slow machine misses: the grade must not depend on machine speed.
    (decks / "e2e" / "types.md").write_text(TYPES.replace("Time: 30 s", "Time: 60 min"))
    home = tmp_path / "home"
    env = env_for(home, "2026-01-05", STUDY_DECKS=str(decks), STUDY_BUNDLED="0")
    term = Terminal([sys.executable, "-m", "studycli", "check", "--topic", "e2e/types"], env)

    term.expect("aim for 60 min) > ")
    term.send("a lot\r")  # unreadable: said, and asked again
    term.expect("does not start with a number; try again")
    term.expect("aim for 60 min) > ")
    term.send("1.75e11\r")
    term.expect("the answer is 175 billion (170 billion to 180 billion)")
    term.expect("From the GPT-3 paper.")
    term.expect("Any key to continue")
    term.send(" ")

    term.expect("Choose all that apply, e.g. ac (a-d, q stop · u undo) > ")
    right = right_letters("e2e/types#m", "2026-01-05", options=4, correct=(0, 2))  # options shuffled
    term.send(",".join(right) + "\r")
    term.expect("✓ all right")
    term.expect("Any key to continue")
    term.send(" ")

    term.expect("Your answer (optional, Enter to reveal · u undo the last grade) > ")
    term.send("\r")
    term.expect("Key points")
    term.expect("Enter done, q stop > ")
    term.send("1")
    term.expect("Ticked 1 (1 of 4)")
    term.send("3")
    term.expect("Ticked 1 3 (2 of 4)")
    term.send("7")  # not a point
    term.expect("7 is not a choice")
    term.send("3")  # untick
    term.expect("Ticked 1 (1 of 4)")
    term.send("24")  # two keys in one read
    term.expect("Ticked 1 2 4 (3 of 4)")
    term.send("\r")
    term.expect("3 of 4 key points (75%) → grade 4")
    term.expect("Knowledge check")
    code = term.finish()
    assert code == 0, term.screen
    assert "Traceback" not in term.screen
    with Store(home / "progress.db") as store:
        graded = [(r.card_id, r.quality) for r in store.reviews()]
    assert graded == [("e2e/types#n", 5), ("e2e/types#m", 4), ("e2e/types#r", 4)]
