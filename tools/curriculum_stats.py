"""Curriculum figures: cards per area and type, and how often the correct option is the longest.

Why: a multiple-choice card whose right answer is visibly the longest (or the only qualified one)
can be answered from surface cues, which inflates recall in every report. This script prints the
share of single-answer multiple-choice cards whose correct option is *strictly* the longest, per
area and per deck, so the targets (at most 30% overall, at most 40% in any area, no deck where it is
always longest) can be checked, and the README's curriculum table regenerated.

Usage: python tools/curriculum_stats.py [--decks DIR] [--json] [--worst N] [--readme [--check]]

`--readme` rewrites the curriculum tables in README.md (between `<!-- BEGIN curriculum -->` and
`<!-- END curriculum -->`) from the decks and plans themselves; with `--check` it only says whether
they are out of date (exit 1).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from studycli.decks import iter_deck_files, load_deck_file  # noqa: E402
from studycli.model import Card, CardKind  # noqa: E402


def correct_is_longest(card: Card) -> bool:
    """True when the one correct option is strictly longer (in characters) than every distractor."""
    correct = [o for o in card.options if o.correct]
    wrong = [o for o in card.options if not o.correct]
    if len(correct) != 1 or not wrong:
        return False
    return len(correct[0].text) > max(len(o.text) for o in wrong)


def length_ratio(card: Card) -> float:
    """Correct option length over the longest distractor's (1.0 = as long)."""
    correct = [o for o in card.options if o.correct]
    wrong = [o for o in card.options if not o.correct]
    if len(correct) != 1 or not wrong:
        return 0.0
    return len(correct[0].text) / max(1, max(len(o.text) for o in wrong))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decks", type=Path, default=ROOT / "decks")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worst", type=int, default=0, help="list the N decks with the highest share")
    parser.add_argument("--readme", action="store_true", help="rewrite README.md's curriculum tables")
    parser.add_argument("--check", action="store_true", help="with --readme: exit 1 if README.md is stale")
    args = parser.parse_args(argv)
    if args.readme:
        return readme(args.check)

    per_area: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_deck: dict[str, dict[str, int]] = {}
    errors = 0
    for path in iter_deck_files(args.decks):
        parsed = load_deck_file(path, args.decks, bundled=True)
        errors += sum(1 for d in parsed.diagnostics if d.severity == "error")
        deck = parsed.deck
        if deck is None:
            continue
        area = per_area[deck.area]
        d = per_deck[deck.id] = defaultdict(int)
        area["decks"] += 1
        for card in deck.cards:
            for bucket in (area, d):
                bucket["cards"] += 1
                bucket[card.kind.value] += 1
                if card.kind is CardKind.MCQ and sum(o.correct for o in card.options) == 1:
                    bucket["mcq_single"] += 1
                    bucket["longest"] += correct_is_longest(card)
                words = len(card.answer.split())
                if card.kind is CardKind.BASIC and words > 150:
                    bucket["basic_over_150_words"] += 1

    total: dict[str, int] = defaultdict(int)
    for area in per_area.values():
        for key, value in area.items():
            total[key] += value

    def share(bucket: dict[str, int]) -> float:
        return bucket["longest"] / bucket["mcq_single"] if bucket["mcq_single"] else 0.0

    always = sorted(k for k, v in per_deck.items() if v["mcq_single"] and v["longest"] == v["mcq_single"])
    if args.json:
        out = {
            "total": dict(total),
            "longest_share": round(share(total), 4),
            "areas": {k: {**v, "longest_share": round(share(v), 4)} for k, v in sorted(per_area.items())},
            "decks_always_longest": always,
            "errors": errors,
        }
        print(json.dumps(out, indent=2))
    else:
        head = f"{'area':22} {'decks':>5} {'cards':>5} {'basic':>5} {'mcq':>4} {'multi':>5} {'num':>4} {'rubric':>6}"
        print(head + f" {'longest':>7} {'>150w':>5}")
        for name, v in [*sorted(per_area.items()), ("TOTAL", total)]:
            print(
                f"{name:22} {v['decks']:>5} {v['cards']:>5} {v['basic']:>5} {v['mcq']:>4} {v['multi']:>5} "
                f"{v['numeric']:>4} {v['rubric']:>6} {share(v):>7.0%} {v['basic_over_150_words']:>5}"
            )
        print(f"decks where the correct option is always the longest: {', '.join(always) or 'none'}")
        if args.worst:
            ranked = sorted(per_deck.items(), key=lambda kv: -share(kv[1]))[: args.worst]
            for deck_id, v in ranked:
                print(f"  {deck_id:50} {v['longest']:>3}/{v['mcq_single']:<3} {share(v):.0%}")
        if errors:
            print(f"{errors} deck error(s): run `study lint`", file=sys.stderr)
    return 1 if errors else 0


AREA_ORDER = (
    "Foundations",
    "Classical ML",
    "Deep Learning",
    "Transformers & LLMs",
    "LLM Systems",
    "MLOps",
    "ML System Design",
    "GenAI Applications",
    "Python for ML",
    "Coding & Behavioural",
)


def curriculum_markdown() -> str:
    """The README's curriculum section body: totals, a table per area, a table per plan."""
    import math

    from studycli import config
    from studycli.content import load_collection

    collection = load_collection(config.content_dirs({"bundled": "yes"}, {}))
    decks = collection.decks
    cards = [c for d in decks for c in d.cards]
    kinds: dict[str, int] = defaultdict(int)
    for c in cards:
        kinds[c.kind.value] += 1
    subtopics = sum(len(d.subtopics) for d in decks)
    single = [c for c in cards if c.kind is CardKind.MCQ]
    longest = sum(1 for c in single if correct_is_longest(c)) / len(single) if single else 0.0
    out = [
        f"{len(decks)} topic decks ({len(cards)} cards, {subtopics} subtopics) in ten areas, written for senior ML",
        "engineer, applied scientist and LLM engineer loops, and reviewed by a second reader for errors and",
        f"ambiguity. Cards by type: {kinds['basic']} question and answer, {kinds['rubric']} with key points,",
        f"{kinds['mcq']} multiple choice, {kinds['multi']} multiple answers, {kinds['numeric']} numeric. In "
        f"{longest:.0%} of the multiple-choice",
        "cards the right option is the longest (`python tools/curriculum_stats.py` prints every figure).",
        "",
        "| area | decks | cards | topics |",
        "| --- | ---: | ---: | --- |",
    ]
    areas = sorted({d.area for d in decks}, key=lambda a: (AREA_ORDER.index(a) if a in AREA_ORDER else 99, a))
    for area in areas:
        mine = sorted(d.id.split("/", 1)[-1] for d in decks if d.area == area)
        count = sum(len(d.cards) for d in decks if d.area == area)
        out.append(f"| {area} | {len(mine)} | {count} | {', '.join(mine)} |")
    out += [
        "",
        "| plan | weeks | decks | cards | new cards a day | title |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    by_id = {d.id: d for d in decks}
    for plan in sorted(collection.plans, key=lambda p: (p.id != config.DEFAULT_PLAN, -len(p.weeks), p.id)):
        plan_cards = sum(len(by_id[t].cards) for t in plan.topics if t in by_id)
        per_day = plan_cards / (7 * len(plan.weeks))
        name = f"`{plan.id}`" + (" (default)" if plan.id == config.DEFAULT_PLAN else "")
        out.append(
            f"| {name} | {len(plan.weeks)} | {len(plan.topics)} | {plan_cards} | ≈ {math.ceil(per_day * 10) / 10} "
            f"| {plan.title} |"
        )
    return "\n".join(out)


def readme(check: bool) -> int:
    import re

    path = ROOT / "README.md"
    current = path.read_text(encoding="utf-8")
    pattern = re.compile(r"(<!-- BEGIN curriculum -->\n)(?:.*?\n)?(<!-- END curriculum -->)", re.S)
    if not pattern.search(current):
        print("README.md has no curriculum markers", file=sys.stderr)
        return 1
    updated = pattern.sub(lambda m: m.group(1) + curriculum_markdown() + "\n" + m.group(2), current)
    if check:
        if updated != current:
            print("README.md curriculum tables are out of date: python tools/curriculum_stats.py --readme")
            return 1
        return 0
    path.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
