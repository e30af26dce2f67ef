"""A bounded, seeded mutation fuzz over the bundled decks and plans (issue 14): parsing never
raises, and no command ends in an internal error (exit 70) on a folder of mutated files.
The long run is `tools/fuzz_content.py`."""

from __future__ import annotations

import random
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from studycli.decks import parse_deck
from studycli.plans import parse_plan

from .fuzzing import mutate, seeds
from .hostile import READ_ONLY_COMMANDS as COMMANDS


@contextmanager
def no_hang(seconds: int = 30) -> Iterator[None]:
    """Fail instead of hanging (a generous bound: the parses here take milliseconds)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expired(*_: object) -> None:
        raise TimeoutError(f"no result within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_mutated_decks_and_plans_always_parse_to_a_result() -> None:
    rng = random.Random(14)
    decks, plans = seeds()
    with no_hang():
        for _ in range(250):
            text = mutate(rng.choice(decks), rng)
            parsed = parse_deck(text, "fuzz/deck", "fuzz.md")
            assert parsed.deck is not None or any(d.severity == "error" for d in parsed.diagnostics)
        for _ in range(120):
            text = mutate(rng.choice(plans), rng)
            parsed = parse_plan(text, "fuzz-plan", "fuzz.yaml", known_topics={"foundations/probability"})
            assert parsed.plan is not None or any(d.severity == "error" for d in parsed.diagnostics)


@pytest.mark.parametrize("seed", [1, 2])
def test_no_command_ends_in_an_internal_error_on_mutated_folders(
    invoke, home, tmp_path: Path, monkeypatch, seed: int
) -> None:
    rng = random.Random(seed)
    decks, plans = seeds()
    deck_dir, plan_dir = tmp_path / "decks" / "fuzz", tmp_path / "plans"
    deck_dir.mkdir(parents=True)
    plan_dir.mkdir()
    for n in range(12):
        text = mutate(rng.choice(decks), rng)
        (deck_dir / f"d{n}.md").write_bytes(text.encode("utf-8", "surrogatepass"))
    for n in range(4):
        text = mutate(rng.choice(plans), rng)
        (plan_dir / f"p{n}.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
    monkeypatch.setenv("STUDY_DECKS", str(tmp_path / "decks"))
    monkeypatch.setenv("STUDY_PLANS", str(plan_dir))
    monkeypatch.setenv("STUDY_TODAY", "2026-03-02")
    with no_hang(120):
        invoke("plan", "--use", f"p{seed % 4}")  # may fail (a broken plan): never with 70
        for args in COMMANDS:
            result = invoke(*args)
            assert result.exit_code in (0, 1, 2), (args, result.output[-2000:])
        result = invoke("check", "--size", "5", input="\n4\na\n\n3\nb\n\n2\n\n5\n")
        assert result.exit_code in (0, 2), result.output[-2000:]
