"""Mock rounds: the draw (weights, no repeats, no two in a row from a deck, seeded), the summary,
`study mock` scripted and on a pseudo-terminal, and card state left untouched."""

from __future__ import annotations

import itertools
import json
import random
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycli import mock
from studycli.model import Card, MockAnswer
from studycli.store import Store

from .conftest import right_letters


def cards(decks: int, per: int) -> list[Card]:
    return [Card(f"d{d}#c{i}", f"d{d}", f"Q{d}.{i}?", "A.") for d in range(decks) for i in range(per)]


@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 40), st.integers(0, 10_000))
def test_draw_never_repeats_and_never_two_in_a_row_from_a_deck(
    decks: int, per: int, count: int, seed: int
) -> None:
    pool = cards(decks, per)
    drawn = mock.draw(pool, {}, count, random.Random(seed))
    assert len({c.id for c in drawn}) == len(drawn) <= count
    assert all(a.deck_id != b.deck_id for a, b in itertools.pairwise(drawn))
    if decks > 1 and count <= per:  # with two decks or more there is always another deck to go to
        assert len(drawn) == count
    assert drawn == mock.draw(pool, {}, count, random.Random(seed))  # seeded: reproducible


def test_draw_leans_towards_heavy_cards() -> None:
    pool = cards(2, 50)
    weights = {c.id: (20.0 if c.id.endswith("#c0") or c.id.endswith("#c1") else 1.0) for c in pool}
    hits = sum(
        sum(1 for c in mock.draw(pool, weights, 4, random.Random(seed)) if c.id.endswith(("#c0", "#c1")))
        for seed in range(300)
    )
    # 4 heavy cards of 100 carry 80 of 176 weight units: far more often drawn than 4% of the time
    assert hits / (300 * 4) > 0.4


def test_card_weight_prefers_weak_topics_and_low_recall() -> None:
    assert mock.card_weight(0, 0.2) > mock.card_weight(2, 0.2) > mock.card_weight(3, 0.2)
    assert mock.card_weight(2, 0.1) > mock.card_weight(2, 0.9)
    assert mock.card_weight(2, None) == mock.card_weight(2, mock.UNSEEN_RECALL)
    assert mock.default_count(30) == 10 and mock.default_count(2) == 1


def test_summary() -> None:
    d = date(2026, 3, 2)
    answers = [
        MockAnswer(1, d, "a#1", "a", 5, 40.0, False),
        MockAnswer(1, d, "b#1", "b", 1, 180.0, True),
        MockAnswer(1, d, "a#2", "a", 2, 100.0, False),
    ]
    s = mock.summarise(answers)
    assert (s.asked, s.score, s.timed_out) == (3, 1 / 3, 1)
    assert s.mean_seconds == pytest.approx(320 / 3)
    assert s.slowest[0] == ("b#1", 180.0) and s.missed == ("b#1", "a#2")
    assert s.study_next == ("a", "b")  # one missed in each deck: a tie, broken by name
    assert [r.session_id for r in mock.history(answers)] == [1]


def test_mock_round_scripted_leaves_card_state_untouched(invoke, content, home) -> None:
    first = invoke(
        "check", today="2026-03-02", input=f"\n4\n\n4\n{right_letters('t/alpha#a3', '2026-03-02')}\n\n4\n"
    )
    assert first.exit_code == 0, first.output
    with Store(home / "progress.db") as store:
        states, reviews = store.states(), store.reviews()
    preview = json.loads(
        invoke(
            "mock", "--count", "3", "--seed", "1", "--all", "--preview", "--json", today="2026-03-03"
        ).stdout
    )
    items = preview["items"]
    assert len(items) == 3 and preview["seed"] == 1 and preview["seconds_per_question"] == 600.0
    script = "".join("\n4\n" if i["kind"] == "basic" else "a\n" for i in items)
    result = invoke("mock", "--count", "3", "--seed", "1", "--all", today="2026-03-03", input=script)
    assert result.exit_code == 0, result.output
    assert "Mock round: 3 question(s)" in result.stdout and "untimed" in result.stdout
    assert "the schedule is unchanged" in result.stdout
    with Store(home / "progress.db") as store:
        assert store.states() == states and store.reviews() == reviews  # nothing scheduled moved
        answers = store.mock_answers()
        assert [a.card_id for a in answers] == [i["card_id"] for i in items]
        assert all(a.seconds is None for a in answers)  # a script is not timed
        assert [s.kind for s in store.sessions()][-1] == "mock"
    report = json.loads(invoke("report", "--format", "json", today="2026-03-03").stdout)
    assert [m["questions"] for m in report["mocks"]] == [3]


def test_mock_quit_and_errors(invoke, content, home) -> None:
    quit_early = invoke("mock", "--count", "2", "--all", today="2026-03-02", input="\nq\n")
    assert quit_early.exit_code == 0 and "Stopped: 0 of 2 questions answered" in quit_early.stdout
    assert invoke("mock", "--json").exit_code == 2
    bad = invoke("mock", "--topic", "t/nope", today="2026-03-02")
    assert bad.exit_code == 2 and "unknown topic 't/nope'" in bad.stderr
    assert invoke("mock", "--minutes", "0").exit_code == 2


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_mock_on_a_terminal_times_out_then_ctrl_c(tmp_path: Path) -> None:
    from .test_e2e import DECK, Terminal, env_for

    decks = tmp_path / "decks"
    (decks / "e2e").mkdir(parents=True)
    (decks / "e2e" / "keys.md").write_text(DECK)
    (decks / "e2e" / "other.md").write_text(DECK.replace("Keys deck", "Other deck"))
    home = tmp_path / "home"
    env = env_for(home, "2026-01-05", STUDY_DECKS=str(decks), STUDY_BUNDLED="0")
    args = ["mock", "--topic", "e2e/keys", "--topic", "e2e/other", "--count", "3", "--per-question", "1"]
    term = Terminal([sys.executable, "-m", "studycli", *args], env)
    term.expect("1/3")
    term.expect("time is up")  # no key pressed: the one-second clock runs out, the answer shows
    term.expect("> ")
    term.send("\x03")  # Ctrl-C
    code = term.finish()
    assert code == 130, term.screen
    with Store(home / "progress.db") as store:
        answers = store.mock_answers()
        assert len(answers) <= 1 and store.states() == {}
        assert all(a.timed_out for a in answers)


def test_a_mock_round_asks_every_card_type(invoke, content, home) -> None:
    from .conftest import write
    from .test_cli_card_types import TYPES

    write(content, "decks/t/types.md", TYPES)
    write(
        content,
        "decks/t/other.md",
        "---\ntitle: O\narea: Foundations\n---\n\n## Other? {#o1}\nOther.\n\n## More? {#o2}\nMore.\n\n## Last? {#o3}\nLast.\n",
    )
    preview = json.loads(
        invoke(
            "mock",
            "--topic",
            "t/types",
            "--topic",
            "t/other",
            "--count",
            "6",
            "--seed",
            "3",
            "--preview",
            "--json",
            today="2026-03-02",
        ).stdout
    )
    # three type cards and three basic ones alternate (never two in a row from one deck)
    kinds = [i["kind"] for i in preview["items"]]
    assert len(kinds) == 6 and sorted(k for k in kinds if k != "basic") == ["multi", "numeric", "rubric"]
    lines = {"numeric": ["175B"], "rubric": ["", "1 2 3 4"], "basic": ["", "4"]}
    script: list[str] = []
    for item in preview["items"]:
        if item["kind"] == "multi":
            script.append(
                " ".join(
                    c for c, t in zip("abcd", item["options"], strict=False) if t in ("GQA", "An FP8 cache")
                )
            )
        else:
            script += lines[item["kind"]]
    result = invoke(
        "mock",
        "--topic",
        "t/types",
        "--topic",
        "t/other",
        "--count",
        "6",
        "--seed",
        "3",
        today="2026-03-02",
        input="\n".join(script) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "100% recalled  (6 question(s)" in result.stdout
    with Store(home / "progress.db") as store:
        assert sorted(a.quality for a in store.mock_answers()) == [4, 4, 4, 4, 5, 5]
        assert store.states() == {}
