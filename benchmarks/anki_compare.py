"""Paired comparison with Anki's own library on collections of the same size.

    python benchmarks/anki_compare.py [--cards 20000] [--runs 7] [--anki-python PATH]

Needs the `anki` package (it installs from the package index: `pip install anki`), in this Python
or in the one given by `--anki-python` (a separate venv keeps it out of studycli's). Builds, in a
temporary folder:

* a studycli collection with `benchmarks/run.py`'s generator (the cards, a plan, a year of history
  imported), and
* an Anki collection with the same number of cards, 60% of them in review with due dates spread
  like a year of daily study, the rest new.

Then it times, in alternating fresh processes (so neither side gets a warmer machine), what a
person waits for: studycli's `study check --preview --json` (parse cache warm) against opening the
Anki collection and building its queue (`get_queued_cards`), and `study report --format json`
against Anki's statistics for the deck (the backend's `graphs`, its stats screen's data). Prints
the medians and the ratios. Wall time includes the interpreter start on both sides.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ANKI_BUILD = textwrap.dedent(
    """
    import random, sys
    from anki.collection import Collection
    path, n = sys.argv[1], int(sys.argv[2])
    col = Collection(path)
    model = col.models.by_name("Basic")
    deck = col.decks.id("bench")
    col.decks.select(deck)
    rng = random.Random(7)
    for i in range(n):
        note = col.new_note(model)
        note["Front"] = f"Question {i}: " + " ".join(rng.choice(["alpha", "beta", "gamma"]) for _ in range(12))
        note["Back"] = f"Answer {i}"
        col.add_note(note, deck)
    today = col.sched.today
    ids = col.db.list("select id from cards")
    rng.shuffle(ids)
    review = ids[: int(len(ids) * 0.6)]
    for cid in review:
        ivl = rng.choice([1, 3, 6, 14, 30, 60, 120])
        col.db.execute(
            "update cards set type=2, queue=2, ivl=?, due=?, factor=2500, reps=? where id=?",
            ivl, today + rng.randint(-ivl // 3, ivl), rng.randint(2, 12), cid,
        )
    col.close()
    """
)

ANKI_QUEUE = textwrap.dedent(
    """
    import sys
    from anki.collection import Collection
    col = Collection(sys.argv[1])
    col.decks.select(col.decks.id("bench"))
    queued = col.sched.get_queued_cards(fetch_limit=10)
    assert len(queued.cards) > 0
    col.close()
    """
)

ANKI_STATS = textwrap.dedent(
    """
    import sys
    from anki.collection import Collection
    col = Collection(sys.argv[1])
    data = col._backend.graphs(search="deck:bench", days=365)  # the stats screen's data
    col.close()
    """
)


def timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description="studycli vs Anki's library, same-size collections")
    parser.add_argument("--cards", type=int, default=20_000)
    parser.add_argument("--decks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--anki-python", default=sys.executable, help="a Python that has `anki` installed")
    args = parser.parse_args()
    check = subprocess.run([args.anki_python, "-c", "import anki"], capture_output=True)
    if check.returncode != 0:
        print("anki is not installed for", args.anki_python, "- `pip install anki` (or --anki-python)")
        return 2

    import run as generator  # benchmarks/run.py

    root = Path(tempfile.mkdtemp(prefix="studycli-vs-anki-"))
    deck_ids = generator.write_decks(root / "decks", args.decks, args.cards)
    generator.write_plan(root / "plans", deck_ids)
    export = generator.simulate_year(deck_ids, args.cards // args.decks)
    (root / "history.json").write_text(json.dumps(export), encoding="utf-8")
    env = generator.environment(root)
    study = [sys.executable, "-m", "studycli"]
    subprocess.run(
        [*study, "import", str(root / "history.json")], env=env, check=True, stdout=subprocess.DEVNULL
    )
    anki_path = str(root / "anki" / "collection.anki2")
    (root / "anki").mkdir()
    subprocess.run([args.anki_python, "-c", ANKI_BUILD, anki_path, str(args.cards)], check=True)
    timed([*study, "check", "--preview", "--json"], env)  # warm the parse cache once

    pairs = {
        "queue: check --preview --json vs get_queued_cards": (
            [*study, "check", "--preview", "--json"],
            [args.anki_python, "-c", ANKI_QUEUE, anki_path],
        ),
        "stats: report --format json vs backend graphs": (
            [*study, "report", "--format", "json"],
            [args.anki_python, "-c", ANKI_STATS, anki_path],
        ),
    }
    print(f"{args.cards} cards each ({len(export['reviews'])} studycli reviews), {args.runs} paired runs")
    for name, (ours, theirs) in pairs.items():
        a: list[float] = []
        b: list[float] = []
        for _ in range(args.runs):  # alternate, so load on the machine hits both alike
            a.append(timed(ours, env))
            b.append(timed(theirs, dict(os.environ)))
        ma, mb = statistics.median(a), statistics.median(b)
        print(f"{name:55} studycli {ma:6.3f} s  anki {mb:6.3f} s  ratio {ma / mb:5.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
