"""Benchmark studycli on a large synthetic collection.

    python benchmarks/run.py [--runs 5] [--cards 20000] [--decks 200] [--keep DIR]

Generates, in a temporary folder: 200 decks holding 20,000 cards (a quarter multiple choice), a
12-week plan over them, and a year of daily study simulated with the real SM-2 code (imported
through `study import`). Then it runs each command several times in a fresh process and reports
the median and fastest wall time and the peak resident memory of the child process.

Figures depend on the machine; nothing here asserts a speed. Run it with the Python that has
studycli installed (e.g. `.venv/bin/python benchmarks/run.py`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from studycli import sm2
from studycli.model import CardState

AREAS = [
    "foundations",
    "classical-ml",
    "deep-learning",
    "transformers-llms",
    "llm-systems",
    "ml-systems",
    "ml-system-design",
    "genai",
    "python-ml",
    "behavioural",
]
TODAY = date(2026, 11, 23)
COMMANDS = {
    "study --help": ["--help"],
    "study check --preview --json": ["check", "--preview", "--json"],
    "study lint": ["lint"],
    "study export": ["export"],
    "study report": ["report"],
    "study report --format json": ["report", "--format", "json"],
    "study gaps --summary": ["gaps", "--summary"],
}


def write_decks(root: Path, n_decks: int, n_cards: int) -> list[str]:
    per_deck = n_cards // n_decks
    ids = []
    for d in range(n_decks):
        area = AREAS[d % len(AREAS)]
        deck_id = f"{area}/bench-{d:03d}"
        ids.append(deck_id)
        lines = [
            "---",
            f"title: Benchmark deck {d}",
            f"area: {area.replace('-', ' ').title()}",
            "category: must",
            "levels: [mid, senior]",
            "skills: [benchmark]",
            "subtopics:",
            *[f"  - Subtopic {s} of deck {d}" for s in range(6)],
            'sources: ["Synthetic"]',
            "---",
            "",
            f"Synthetic deck {d} for benchmarking.",
            "",
        ]
        for c in range(per_deck):
            lines.append(f"## Question {c} of deck {d}: what is the gradient of x^{c}? {{#c{c}}}")
            if c % 4 == 3:
                lines += [
                    f"- [ ] {c - 1}·x^{c - 2}",
                    f"- [x] {c}·x^{c - 1}",
                    f"- [ ] x^{c + 1}/{c + 1}",
                    "",
                    "The power rule: d/dx x^n = n·x^(n-1). The others differentiate the wrong power",
                    "or integrate instead.",
                    "",
                ]
            else:
                lines += [
                    f"By the power rule the derivative is `{c}·x^{c - 1}`.",
                    "",
                    "```python",
                    f"def grad(x):\n    return {c} * x ** {c - 1}",
                    "```",
                    "",
                ]
        path = root / f"{deck_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")
    return ids


def write_plan(root: Path, deck_ids: list[str]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    # Twelve weeks, or fewer with fewer decks: every week must name at least one topic (a plan
    # with an empty week is invalid), so the decks are split as evenly as they go.
    n_weeks = max(1, min(12, len(deck_ids)))
    weeks = []
    for w in range(n_weeks):
        topics = deck_ids[w * len(deck_ids) // n_weeks : (w + 1) * len(deck_ids) // n_weeks]
        weeks.append({"week": w + 1, "theme": f"Week {w + 1}", "topics": topics, "goals": ["Benchmark"]})
    text = json.dumps({"title": "Benchmark 12 weeks", "description": "Synthetic", "weeks": weeks}, indent=1)
    (root / "bench-12-weeks.yaml").write_text(text, encoding="utf-8")  # JSON is valid YAML


def simulate_year(deck_ids: list[str], per_deck: int, seed: int = 7) -> dict:
    """A year of daily study: 40 new cards a day and every due review, graded with noise."""
    rng = random.Random(seed)
    cards = [f"{d}#c{c}" for d in deck_ids for c in range(per_deck)]
    deck_of = {card: card.split("#")[0] for card in cards}
    start = TODAY - timedelta(days=365)
    states: dict[str, CardState] = {}
    reviews, sessions = [], []
    cursor = 0
    for offset in range(365):
        day = start + timedelta(days=offset)
        due = sorted((s.due, cid) for cid, s in states.items() if s.due is not None and s.due <= day)
        todays = [cid for _, cid in due[:150]] + cards[cursor : cursor + 40]
        cursor += 40
        session_id = len(sessions) + 1
        sessions.append(
            {
                "id": session_id,
                "kind": "check",
                "day": day.isoformat(),
                "started_at": f"{day.isoformat()}T20:00:00+00:00",
                "ended_at": f"{day.isoformat()}T20:15:00+00:00",
                "plan_id": "bench-12-weeks",
                "planned": len(todays),
                "status": "completed",
            }
        )
        for cid in todays:
            before = states.get(cid)
            quality = rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 3, 4, 3])[0]
            after = sm2.review(before or sm2.new_state(cid), quality, day)
            states[cid] = after
            reviews.append(
                {
                    "id": len(reviews) + 1,
                    "session_id": session_id,
                    "ts": f"{day.isoformat()}T20:05:00+00:00",
                    "day": day.isoformat(),
                    "card_id": cid,
                    "deck_id": deck_of[cid],
                    "source": "new" if before is None else "review",
                    "quality": quality,
                    "seconds": round(rng.uniform(3, 40), 1),
                    "repeat": 0,
                    "before_ef": before.ef if before else None,
                    "before_interval": before.interval if before else None,
                    "before_repetitions": before.repetitions if before else None,
                    "before_due": before.due.isoformat() if before and before.due else None,
                    "before_lapses": before.lapses if before else None,
                    "after_ef": after.ef,
                    "after_interval": after.interval,
                    "after_repetitions": after.repetitions,
                    "after_due": after.due.isoformat() if after.due else None,
                    "after_lapses": after.lapses,
                }
            )
    card_rows = [
        {
            "card_id": cid,
            "deck_id": deck_of[cid],
            "ef": s.ef,
            "interval": s.interval,
            "repetitions": s.repetitions,
            "due": s.due.isoformat() if s.due else None,
            "lapses": s.lapses,
            "reviews": s.reviews,
            "last_review": s.last_review.isoformat() if s.last_review else None,
        }
        for cid, s in sorted(states.items())
    ]
    return {
        "format": "studycli-export",
        "version": 1,
        "schema_version": 1,
        "exported_at": "benchmark",
        "settings": {"plan": "bench-12-weeks", "plan_start": (TODAY - timedelta(days=50)).isoformat()},
        "cards": card_rows,
        "reviews": reviews,
        "sessions": sessions,
        "gap_ratings": gap_history(deck_ids, sessions, rng),
    }


def gap_history(deck_ids: list[str], sessions: list[dict], rng: random.Random) -> list[dict]:
    """Six full self-assessments over the year (every subtopic of every deck), each its own session."""
    ratings: list[dict] = []
    for n in range(6):
        day = TODAY - timedelta(days=360 - 60 * n)
        session_id = len(sessions) + 1
        sessions.append(
            {
                "id": session_id,
                "kind": "gaps",
                "day": day.isoformat(),
                "started_at": f"{day.isoformat()}T21:00:00+00:00",
                "ended_at": f"{day.isoformat()}T21:30:00+00:00",
                "plan_id": None,
                "planned": 0,
                "status": "completed",
            }
        )
        for d, deck_id in enumerate(deck_ids):
            for s in range(6):
                ratings.append(
                    {
                        "id": len(ratings) + 1,
                        "session_id": session_id,
                        "ts": f"{day.isoformat()}T21:10:00+00:00",
                        "day": day.isoformat(),
                        "deck_id": deck_id,
                        "subtopic": f"Subtopic {s} of deck {d}",
                        "rating": rng.choices(["know", "unsure", "dunno"], weights=[n + 1, 3, 6 - n])[0],
                    }
                )
    return ratings


def measure(args: list[str], env: dict[str, str], runs: int, cache: Path) -> dict:
    """One cold run (no caches: parsed decks, FSRS steps) then `runs` warm runs, each in a fresh process."""

    def once() -> tuple[float, float]:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "studycli", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            error = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"study {' '.join(args)} exited {code}: {error}")
        return wall, usage.ru_maxrss / 1024  # Linux reports KiB

    shutil.rmtree(cache, ignore_errors=True)
    cold, cold_peak = once()
    warm = [once() for _ in range(runs)]
    walls = [w for w, _ in warm]
    return {
        "cold_s": round(cold, 3),
        "median_s": round(statistics.median(walls), 3),
        "min_s": round(min(walls), 3),
        "peak_rss_mib": round(max([cold_peak] + [m for _, m in warm]), 1),
        "runs": runs,
    }


def user_environment() -> dict[str, str]:
    """This environment as on a user's machine: bytecode caching on. A sandbox that sets
    PYTHONDONTWRITEBYTECODE makes every run of an editable install compile studycli's sources
    (~40 modules), which no installed copy does; Anki's installed modules have their .pyc."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def environment(root: Path) -> dict[str, str]:
    env = {k: v for k, v in user_environment().items() if not k.startswith("STUDY_")}
    env.update(
        STUDY_HOME=str(root / "home"),
        STUDY_DECKS=str(root / "decks"),
        STUDY_PLANS=str(root / "plans"),
        STUDY_TODAY=TODAY.isoformat(),
        NO_COLOR="1",
    )
    return env


def measure_all(root: Path, runs: int) -> None:
    """Runs in its own small process: a child's peak memory counts what it inherits at fork."""
    env = environment(root)
    cache = root / "home" / "cache"  # the parsed decks and the FSRS replay steps
    results = {name: measure(args, env, runs, cache) for name, args in COMMANDS.items()}
    width = max(map(len, results))
    print(f"\n{'command':<{width}}  cold s  median s   min s   peak MiB   (warm runs: {runs})")
    for name, r in results.items():
        print(
            f"{name:<{width}}  {r['cold_s']:>6.3f}  {r['median_s']:>8.3f}  {r['min_s']:>6.3f}  {r['peak_rss_mib']:>9.1f}"
        )
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out / f"{stamp}.json").write_text(json.dumps({"collection": str(root), "results": results}, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cards", type=int, default=20_000)
    parser.add_argument("--decks", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="build the collection here and keep it")
    parser.add_argument("--measure-only", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure_only:
        measure_all(options.measure_only, options.runs)
        return

    root = options.keep or Path(tempfile.mkdtemp(prefix="studycli-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    print(f"collection: {root}")
    started = time.perf_counter()
    deck_ids = write_decks(root / "decks", options.decks, options.cards)
    write_plan(root / "plans", deck_ids)
    export = simulate_year(deck_ids, options.cards // options.decks)
    (root / "history.json").write_text(json.dumps(export), encoding="utf-8")
    env = environment(root)
    subprocess.run(
        [sys.executable, "-m", "studycli", "import", str(root / "history.json")],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(
        f"generated {options.decks} decks, {options.cards} cards, {len(export['reviews'])} reviews "
        f"over {len(export['sessions'])} days in {time.perf_counter() - started:.1f}s"
    )

    subprocess.run(
        [sys.executable, __file__, "--measure-only", str(root), "--runs", str(options.runs)], check=True
    )


if __name__ == "__main__":
    main()
