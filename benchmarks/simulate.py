"""Retention benchmark: a simulated learner follows the default plan to an interview at its end.

    python benchmarks/simulate.py [--learners 3] [--seed 7] [--plan ml-engineer-12w] [--json]

The learner's memory is FSRS-6 with its default parameters (py-fsrs), plus a per-card difficulty
offset drawn from a fixed seed, so some cards are harder to keep than others. Each day the learner
does what a policy says, through the project's real code: `session.build_check` and
`session.build_review` choose the items, `daily.limits` sets the caps, `session.state_after`
(SM-2 plus the interview-date due rule) schedules them. Each answer is recalled with the learner's
true retrievability at that moment; grades follow from that (recalled: 3, 4 or 5; forgotten: 1 or
2), and a same-check repeat (rule 7) is a short-term review in the memory model too.

Policies, side by side:
* old:     the knowledge check alone, 10 items (7 new, 3 reviews), no cap, no interview date;
* default: the new daily loop: a check sized by the daily cap, then `study review` of every due
           card (review_limit 200), with the interview date set;
* anchor:  every due review every day with plain SM-2 (Anki's contract), new cards at the same
           daily pace as the default.
Reported per policy: mean and max items a day (first attempts and repeats), estimated minutes a day
(45 s a new card, 25 s a review, 15 s a repeat), reviews left undone the evening before the
interview, and mean true recall on interview day over every card introduced.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time as clock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import fsrs  # noqa: E402

from studycli import config, daily  # noqa: E402
from studycli.content import load_collection  # noqa: E402
from studycli.model import CardState, Deck, Item  # noqa: E402
from studycli.session import (  # noqa: E402
    CheckRequest,
    build_check,
    build_review,
    due_order,
    plan_topic_order,
    state_after,
)

START = date(2027, 1, 4)
SECONDS = {"new": 45.0, "review": 25.0, "repeat": 15.0}
FIRST_SIGHT_RECALL = 0.5  # a new card after the day's reading: a coin flip on first sight
SCHED = fsrs.Scheduler(enable_fuzzing=False)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.utc)


@dataclass
class Learner:
    """The simulated person's true memory: one FSRS card per studied card."""

    rng: random.Random
    offsets: dict[str, float]
    memory: dict[str, fsrs.Card] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def recall_probability(self, card_id: str, day: date) -> float:
        card = self.memory.get(card_id)
        if card is None:
            return FIRST_SIGHT_RECALL
        return float(SCHED.get_card_retrievability(card, noon(day)))

    def answer(self, card_id: str, day: date, repeat: bool) -> int:
        """Grade 0-5 as this learner would give it, and update the true memory."""
        p = 0.95 if repeat else self.recall_probability(card_id, day)
        recalled = self.rng.random() < p
        if recalled:
            quality = 5 if p > 0.95 else 4 if p > 0.8 or self.rng.random() < 0.6 else 3
        else:
            quality = 2 if self.rng.random() < 0.4 else 1
        rating = fsrs.Rating({3: 2, 4: 3, 5: 4}.get(quality, 1))
        card = self.memory.get(card_id)
        if card is None:
            self.ids[card_id] = len(self.ids) + 1
            card = fsrs.Card(card_id=self.ids[card_id])
        card, _ = SCHED.review_card(card, rating, noon(day))
        if card.difficulty is not None:  # a harder (or easier) card than FSRS's average
            card.difficulty = min(10.0, max(1.0, card.difficulty + self.offsets[card_id]))
        self.memory[card_id] = card
        return quality


@dataclass
class DayLog:
    new: int = 0
    reviews: int = 0
    repeats: int = 0

    @property
    def items(self) -> int:
        return self.new + self.reviews + self.repeats

    @property
    def minutes(self) -> float:
        return (
            self.new * SECONDS["new"] + self.reviews * SECONDS["review"] + self.repeats * SECONDS["repeat"]
        ) / 60


def run_items(
    items: list[Item],
    learner: Learner,
    states: dict[str, CardState],
    day: date,
    interview: date | None,
    log: DayLog,
) -> None:
    """A check or review session with rule-7 repeats, scheduled by the project's own code."""
    load = daily.due_load(states.values())
    queue = list(items)
    while queue:
        item = queue.pop(0)
        quality = learner.answer(item.card.id, day, item.repeat)
        before = states.get(item.card.id)
        after = state_after(item, before, quality, day, interview, load)
        if not item.repeat:
            if before is not None and before.due is not None:
                load[before.due] -= 1
            if after.due is not None:
                load[after.due] += 1
            states[item.card.id] = after
            if item.source == "new":
                log.new += 1
            else:
                log.reviews += 1
        else:
            log.repeats += 1
        if quality < 4:
            queue.append(Item(item.card, item.source, repeat=True))


Policy = Callable[[date, dict[str, CardState], list[str], daily.Limits, Learner, DayLog], None]


@dataclass(frozen=True)
class Result:
    policy: str
    items_mean: float
    items_max: int
    minutes_mean: float
    undone_eve: int
    recall: float
    seen: int
    total: int


def simulate(
    name: str, seed: int, decks: dict[str, Deck], plan_id: str, review_limit: int | None = None
) -> Result:
    collection = load_collection(config.content_dirs({"bundled": "yes"}, {}))
    plan = collection.plan(plan_id)
    assert plan is not None
    days = 7 * len(plan.weeks)
    interview = START + timedelta(days=days)
    rng = random.Random(seed)
    all_cards = [c.id for d in decks.values() for c in d.cards]
    learner = Learner(rng, {cid: rng.gauss(0.0, 1.0) for cid in all_cards})
    states: dict[str, CardState] = {}
    plan_cards = [c.id for d in decks.values() if d.id in set(plan.topics) for c in d.cards]
    logs: list[DayLog] = []
    undone_eve = 0
    for offset in range(days):
        today = START + timedelta(days=offset)
        order, _ = plan_topic_order(plan, START, today, collection.decks, [])
        order = [t for t in order if t in set(plan.topics)]  # the plan's decks only
        log = DayLog()
        use_interview = interview if name.startswith("default") else None
        limits = daily.limits(
            today=today,
            plan_cards=plan_cards,
            plan_last_day=daily.plan_end(START, len(plan.weeks)),
            seen=states,
            today_reviews=[],
            interview=use_interview,
            review_setting=review_limit,
        )
        if name == "old":
            items = build_check(CheckRequest(today, 10, 0.7), decks, states, due_order(states, today), order)
            run_items(items, learner, states, today, None, log)
        else:
            pace = limits.new_per_day
            if name == "anchor":  # the same daily pace as the default loop, plain SM-2
                pace = daily.limits(
                    today=today,
                    plan_cards=plan_cards,
                    plan_last_day=daily.plan_end(START, len(plan.weeks)),
                    seen=states,
                    today_reviews=[],
                    interview=interview,
                ).new_per_day
            request = CheckRequest(
                today, daily.default_check_size(pace), 0.7, new_left=pace, reviews_left=limits.review_limit
            )
            items = build_check(request, decks, states, due_order(states, today), order)
            run_items(items, learner, states, today, use_interview, log)
            left = limits.review_limit - log.reviews
            rest = build_review(today, decks, due_order(states, today), left)
            run_items(rest, learner, states, today, use_interview, log)
        logs.append(log)
        if offset == days - 1:
            undone_eve = sum(1 for s in states.values() if s.due is not None and s.due <= today)
    seen = list(learner.memory)
    recall = statistics.fmean(learner.recall_probability(cid, interview) for cid in seen) if seen else 0.0
    items = [log.items for log in logs]
    return Result(
        name,
        statistics.fmean(items),
        max(items),
        statistics.fmean(log.minutes for log in logs),
        undone_eve,
        recall,
        len(seen),
        len(plan_cards),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Simulated learners on the default plan, three policies.")
    parser.add_argument(
        "--learners", type=int, default=3, help="learners per policy (seeds seed, seed+1, ...)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--plan", default=config.DEFAULT_PLAN)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--sweep",
        type=int,
        nargs="*",
        default=[],
        metavar="LIMIT",
        help="also run the default loop with these review_limit values (the workload/recall trade-off)",
    )
    args = parser.parse_args(argv)
    started = clock.perf_counter()
    collection = load_collection(config.content_dirs({"bundled": "yes"}, {}))
    decks = {d.id: d for d in collection.decks}
    rows: dict[str, list[Result]] = {}
    for name in ("old", "default", "anchor"):
        rows[name] = [simulate(name, args.seed + k, decks, args.plan) for k in range(args.learners)]
    for limit in args.sweep:
        rows[f"default-{limit}"] = [
            simulate(f"default-{limit}", args.seed + k, decks, args.plan, limit) for k in range(args.learners)
        ]

    def mean(name: str, attr: str) -> float:
        return statistics.fmean(getattr(r, attr) for r in rows[name])

    summary = {
        name: {
            "items_mean": round(mean(name, "items_mean"), 1),
            "items_max": max(r.items_max for r in rows[name]),
            "minutes_mean": round(mean(name, "minutes_mean"), 1),
            "undone_eve": round(mean(name, "undone_eve")),
            "recall_at_interview": round(mean(name, "recall"), 3),
            "seen": round(mean(name, "seen")),
            "plan_cards": rows[name][0].total,
        }
        for name in rows
    }
    anchor = summary["anchor"]
    default = summary["default"]
    ratios = {
        "items_vs_anchor": round(default["items_mean"] / anchor["items_mean"], 2),
        "recall_vs_anchor": round(default["recall_at_interview"] / anchor["recall_at_interview"], 3),
    }
    elapsed = clock.perf_counter() - started
    if args.json:
        print(json.dumps({"policies": summary, "ratios": ratios, "seconds": round(elapsed, 1)}, indent=2))
        return 0
    print(f"plan {args.plan}, {args.learners} learner(s) per policy, seed {args.seed}, {elapsed:.0f} s")
    print(
        f"{'policy':11} {'items/day':>9} {'max':>5} {'min/day':>8} {'undone':>7} {'recall@interview':>17} {'seen':>9}"
    )
    for name, s in summary.items():
        print(
            f"{name:11} {s['items_mean']:>9.1f} {s['items_max']:>5} {s['minutes_mean']:>8.1f} "
            f"{s['undone_eve']:>7} {s['recall_at_interview']:>16.1%} {s['seen']:>4}/{s['plan_cards']}"
        )
    print(
        f"default vs anchor: {ratios['items_vs_anchor']}x the items a day for "
        f"{ratios['recall_vs_anchor']}x the recall (target: <= 0.8x items for >= 0.95x recall)"
    )
    if math.isnan(ratios["items_vs_anchor"]):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
