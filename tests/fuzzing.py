"""Seeded mutation of real decks and plans, shared by the in-suite fuzz test and
`tools/fuzz_content.py` (the long run). Mutations are the ones that broke studycli before issue 14:
YAML escapes and tags, bad dates and numbers, anchors and aliases, deep nesting, control and bidi
characters, Markdown structure (headings, task lists, anchors), and plain byte damage."""

from __future__ import annotations

import random
from pathlib import Path

from studycli import config

TOKENS = [
    "&a ",
    "*a",
    "<<: *a",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!binary ",
    "!!timestamp ",
    "!!set ",
    "!!python/object:os.system ",
    "!!str ",
    "? ",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "---\n",
    "...\n",
    '"\\e[2J"',
    '"\\x9b"',
    '"\\u202e"',
    '"\\U000E0041"',
    '"\\N"',
    "\\",
    "'",
    '"',
    "#",
    "|\n",
    ">\n",
    "2026-02-30",
    "2026-13-01",
    "0000-01-01",
    "9" * 4400,
    "0x_",
    "0o9",
    ".nan",
    "-.inf",
    "1e999",
    "~",
    "null",
    "\t",
    "\r",
    "\r\n",
    "\x00",
    "\x1b[31m",
    "\x1b]8;;http://e\x1b\\",
    "\x9b",
    "\u202e",
    "\u2066",
    "\u200b",
    "\ufeff",
    "\u2028",
    "\ud800",
    "\U000e0041",
    "&#x202e;",
    "&#27;",
    "&rlm;",
    "\n## ",
    "\n## Q {#x}\n",
    "{#dup}",
    "{#Bad Id}",
    "\n- [x] ",
    "\n- [ ] ",
    "\n- ",
    "```",
    "~~~",
    "![i](http://e/p.png)",
    "[l](http://e)",
    "<img src=x onerror=1>",
    "`",
    "|",
    "\n===\n",
    "week: ",
    "topics: ",
    "days: ",
    "goals: ",
    "theme: ",
    "title: ",
    "area: ",
    "subtopics: ",
    "category: ",
    "levels: ",
    "  ",
    "\n    ",
    "\n",
    "á",
    "😀",
]


def seeds() -> tuple[list[str], list[str]]:
    """The bundled decks and plans: realistic starting points."""
    decks_root = config._bundled("decks")
    plans_root = config._bundled("plans")
    decks = [p.read_text(encoding="utf-8") for p in sorted(Path(decks_root).rglob("*.md"))]
    plans = [p.read_text(encoding="utf-8") for p in sorted(Path(plans_root).rglob("*.yaml"))]
    return [d for d in decks if d.startswith("---")], plans


def mutate(text: str, rng: random.Random, rounds: int | None = None) -> str:
    """`text` with a few random edits; some grow it (nesting, duplication), most are local."""
    for _ in range(rounds or rng.randint(1, 6)):
        if not text:
            text = rng.choice(TOKENS)
            continue
        pos = rng.randrange(len(text) + 1)
        op = rng.random()
        if op < 0.45:
            text = text[:pos] + rng.choice(TOKENS) + text[pos:]
        elif op < 0.6:
            end = min(len(text), pos + rng.randint(1, 200))
            text = text[:pos] + text[end:]
        elif op < 0.7:
            end = min(len(text), pos + rng.randint(1, 400))
            text = text[:pos] + text[pos:end] * rng.randint(2, 20) + text[end:]
        elif op < 0.78:
            depth = rng.choice([5, 40, 200, 2000])
            opener, closer = rng.choice([("[", "]"), ("{a: ", "}"), ("- ", "")])
            text = text[:pos] + opener * depth + "x" + closer * depth + text[pos:]
        elif op < 0.86:
            line_start = text.rfind("\n", 0, pos) + 1
            text = (
                text[:line_start]
                + rng.choice(["&a ", "*a ", "<<: *a\n", "? ", "  ", "\t"])
                + text[line_start:]
            )
        elif op < 0.93:
            chars = list(text[pos : pos + 50])
            for i in range(len(chars)):
                if rng.random() < 0.3:
                    chars[i] = chr(
                        rng.choice([rng.randrange(0, 0x20), rng.randrange(0x7F, 0xA0), 0x202E, 0x200B])
                    )
            text = text[:pos] + "".join(chars) + text[pos + 50 :]
        else:
            n = rng.randint(2, 9)
            bomb = "\n".join(
                f"b{i}: &b{i} [{', '.join([f'*b{i - 1}'] * n) if i else 'lol'}]"
                for i in range(rng.randint(3, 15))
            )
            text = text[:pos] + "\n" + bomb + "\n" + text[pos:]
    return text
