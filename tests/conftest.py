"""Shared fixtures: an isolated progress store, small decks and plans, a CLI runner."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studycli import config, daily

ALPHA = """\
---
title: Alpha topic
area: Foundations
category: must
levels: [mid]
skills: [alpha]
subtopics:
  - First alpha idea
  - Second alpha idea
sources: ["Someone 2020, A Paper"]
---

Alpha summary.

## What is alpha one? {#a1}
Alpha one answer.

## What is alpha two? {#a2}
Alpha two answer with `code`.

## Which is alpha? {#a3}
- [ ] beta
- [x] alpha
- [ ] gamma

Because alpha is alpha.
"""

BETA = """\
---
title: Beta topic
area: Deep Learning
subtopics: [Beta idea]
---

## What is beta one? {#b1}
Beta one answer.

## What is beta two? {#b2}
Beta two answer.
"""

GAMMA = """\
---
title: Gamma topic
area: Classical ML
---

## What is gamma one? {#g1}
Gamma one answer.
"""

PLAN = """\
title: Test plan
description: Two weeks.
weeks:
  - week: 1
    theme: Start
    topics: [t/alpha]
  - week: 2
    theme: Next
    topics: [t/beta]
"""


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def no_study_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's own STUDY_* settings (a STUDY_DECKS exported in the shell that
    runs the suite would add its decks to every collection a test loads); tests set what they need."""
    import os

    for name in [n for n in os.environ if n.startswith("STUDY_")]:
        monkeypatch.delenv(name)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty STUDY_HOME; no user content folders; no forced date."""
    path = tmp_path / "home"
    monkeypatch.setenv("STUDY_HOME", str(path))
    for name in ("STUDY_DECKS", "STUDY_PLANS", "STUDY_TODAY", "STUDY_DEBUG", "STUDY_BUNDLED"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    return path


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """Replace the bundled content with three small decks and a two-week plan called 'starter'."""
    root = _small_content(tmp_path, monkeypatch)
    # The tiny test plan (5 cards over 14 days) would pace at 1 new card a day; tests of everything
    # but the cap keep the classic check (7 new of 10). `paced_content` keeps the real pacing.
    monkeypatch.setattr(daily, "paced_new_per_day", lambda *args, **kwargs: daily.NewPace(7, None, "plan"))
    return root


@pytest.fixture
def paced_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """The small content with the real daily pacing (no override)."""
    return _small_content(tmp_path, monkeypatch)


def _small_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three small decks and a two-week plan called 'starter' in place of the bundled content."""
    root = tmp_path / "bundled"
    write(root, "decks/t/alpha.md", ALPHA)
    write(root, "decks/t/beta.md", BETA)
    write(root, "decks/t/gamma.md", GAMMA)
    write(root, "plans/starter.yaml", PLAN)
    monkeypatch.setattr(config, "_bundled", lambda name: root / name)
    monkeypatch.setattr(config, "DEFAULT_PLAN", "starter")
    return root


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run `study ARGS` in-process, optionally as of a given day and with stdin text."""
    from studycli.cli import app

    def run(*args: str, today: str | None = None, input: str | None = None) -> object:
        if today:
            monkeypatch.setenv("STUDY_TODAY", today)
        return runner.invoke(app, list(args), input=input)

    return run


@pytest.fixture
def store_factory(tmp_path: Path) -> Iterator[Callable[..., object]]:
    from studycli.store import Store

    opened: list[Store] = []

    def make(name: str = "progress.db") -> Store:
        store = Store(tmp_path / "db" / name)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def right_letters(
    card_id: str, day: str, showing: int = 0, options: int = 3, correct: tuple[int, ...] = (1,)
) -> str:
    """The letter(s) of the right option(s) of a choice card as shown on `day` at its `showing`-th
    showing that day: options are shuffled per card, day and showing (session.option_order), and
    a script finds its letter the way a person does, by the option's place on screen."""
    from datetime import date

    from studycli.model import Card, Option
    from studycli.session import option_order

    card = Card(
        card_id, card_id.split("#")[0], "?", options=tuple(Option(str(i), False) for i in range(options))
    )
    order = option_order(card, date.fromisoformat(day), showing)
    return "".join(sorted("abcdefghijklmnopqrstuvwxyz"[order.index(i)] for i in correct))


def wrong_letter(card_id: str, day: str, showing: int = 0, options: int = 3, correct: int = 1) -> str:
    right = right_letters(card_id, day, showing, options, (correct,))
    return next(c for c in "abcdefghijklmnopqrstuvwxyz"[:options] if c != right)


def pick(item: dict, right_text: str) -> str:
    """The script line answering a previewed choice item right: the letter of `right_text` among
    the options in the order the preview lists them (the order they are shown in)."""
    return "abcdefghijklmnopqrstuvwxyz"[item["options"].index(right_text)] + "\n"
