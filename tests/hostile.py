"""A corpus of hostile decks and plans, one small file per attack class (generated where big).

Shared by `test_untrusted.py`, `test_fuzz.py` and `tools/fuzz_content.py`. Every string a person would see carries
escape sequences rebuilt by YAML double-quoted escapes, Markdown that would link, embed or inject
HTML, and invisible or bidi characters; file and folder names carry them too.
"""

from __future__ import annotations

import os
from pathlib import Path

# A YAML double-quoted scalar: ESC clear-screen, OSC 52 clipboard write, an OSC 8 hyperlink, a C1
# CSI, bidi override and isolate, zero-width space, BOM, NEL and a tag character.
Y = (
    r'"X\e[2J\e]52;c;ZXZpbA==\a\e]8;;http://evil.example/\e\\hidden\e]8;;\e\\'
    r'\x9b31m\u202eevil\u2066\u200bzw\ufeff\N\U000E0041|`x`|<img src=x onerror=alert(1)>"'
)
# The same in Markdown card text: entities for the invisible ones, a link, an image, raw HTML.
MD = (
    "[click me](http://evil.example/track) ![pixel](http://evil.example/p.png) "
    "<img src=x onerror=alert(1)> &#x202e;rev &#27;[2J &rlm; &ZeroWidthSpace; `a|b` x | y"
)
# Raw bytes in a Markdown body (the file itself holds them).
RAW = "raw \x1b[31mred\x1b[0m \x9b2J \u202ebidi \u200bzw \x07bell \x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\"

# Every character no output may contain (ESC, C1, bidi, zero-width, BOM, tag characters).
FORBIDDEN = (
    ["\x1b", "\x07", "\x9b", "\x9d"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\U000e0041"]
)

GOOD_DECK = f"""\
---
title: {Y}
area: {Y}
category: must
skills: [{Y}]
subtopics:
  - {Y}
  - "plain subtopic"
sources: [{Y}]
---

Summary {MD}

## Question {MD} {{#q1}}
Answer {MD}

## Second {RAW} {{#q2}}
Answer with {RAW}

```python
print("\\x1b[2J")
```

## Which one? {MD} {{#q3}}
Stem {MD}

- [ ] wrong {MD}
- [x] right {MD}
- [ ] also wrong

Because {MD}.

## What is ![only an image](http://evil.example/i.png) in this question? {{#q4}}
The text around the image must stay.
"""

GOOD_PLAN = f"""\
title: {Y}
description: {Y}
weeks:
  - week: 1
    theme: {Y}
    topics: [hostile/evil, "hostile/a`|b", hostile/bidi, hostile/x]
    goals: [{Y}, "**bold** [link](http://evil.example)"]
"""

MINIMAL = "---\ntitle: Fine\narea: Hostile\n---\n\n## Q {#q}\nA.\n"

# name -> frontmatter line; each must be a located error and leave every command working
BAD_VALUES = {
    "date-feb30": "title: 2026-02-30",
    "month13": "title: 2026-13-01",
    "year0": "title: 0000-01-01",
    "int-abc": "title: !!int abc",
    "float-abc": "title: !!float abc",
    "bool-maybe": "title: !!bool maybe",
    "hex-empty": "title: 0x_",
    "int-4301": "title: " + "9" * 4301,
    "deep": "title: " + "[" * 990 + "]" * 990,
    "tz": "title: 2026-01-01 10:00:00 +99:00",
    "timestamp-tag": "title: !!timestamp abc",
    "python-tag": "title: !!python/object/apply:os.system [echo pwned]",
    "binary": "title: !!binary 'a'",
    "complex-key": "? [a, b]\n: c\ntitle: t",
}


def alias_bomb(levels: int = 12) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        prev = f"*a{n - 1}"
        lines.append(f"a{n}: &a{n} [{', '.join([prev] * 9)}]")
    return "\n".join(lines) + "\n"


def mcq(options: int) -> str:
    items = "\n".join(f"- [{'x' if i == 0 else ' '}] option {i}" for i in range(options))
    return f"---\ntitle: Many options\narea: Hostile\n---\n\n## Pick one {{#many}}\n{items}\n\nWhy.\n"


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def build(root: Path) -> tuple[Path, Path]:
    """Write the corpus under `root`; returns (decks folder, plans folder)."""
    decks = root / "decks"
    plans = root / "plans"
    h = decks / "hostile"
    _write(h / "x.md", GOOD_DECK)
    # ids from file and folder names: escape, bidi, zero-width, backtick and pipe, not UTF-8
    _write(h / "evil\x1b[2J\x1b]0;title\x07.md", MINIMAL)
    _write(h / "bidi\u202e.md", MINIMAL.replace("Fine", "Bidi"))
    _write(h / "zw\u200b.md", MINIMAL.replace("Fine", "Zero width"))
    _write(h / "a`|b.md", MINIMAL.replace("Fine", "Tick pipe"))
    _write(decks / "fold\x1b[31mer" / "deck.md", MINIMAL.replace("Fine", "In a hostile folder"))
    if os.name == "posix":
        _write(Path(os.fsdecode(os.fsencode(h) + b"/latin\xe9.md")), MINIMAL.replace("Fine", "Latin name"))
        fifo = h / "fifo.md"
        if not fifo.exists():
            os.mkfifo(fifo)
    # broken values, aliases, nesting, too many options, not UTF-8, controls in raw frontmatter
    for name, line in BAD_VALUES.items():
        _write(decks / "bad" / f"{name}.md", f"---\n{line}\narea: Hostile\n---\n\n## Q {{#q}}\nA.\n")
    _write(decks / "bad" / "alias-bomb.md", "---\n" + alias_bomb() + "title: t\narea: a\n---\n## Q\nA\n")
    _write(decks / "bad" / "mcq27.md", mcq(27))
    _write(decks / "bad" / "latin1.md", "---\ntitle: caf\xe9\narea: a\n---\n".encode("latin-1"))
    _write(
        decks / "bad" / "raw-fm.md", "---\ntitle: raw \x1b[2J\x9b title\narea: Hostile\n---\n## Q {#q}\nA.\n"
    )

    _write(plans / "hostile.yaml", GOOD_PLAN)
    _write(plans / "evil\x1b]0;x\x07.yaml", GOOD_PLAN.replace("hostile/evil, ", ""))
    for name, line in BAD_VALUES.items():
        _write(plans / "bad" / f"{name}.yaml", f"{line}\nweeks:\n  - week: 1\n    topics: [hostile/x]\n")
    _write(
        plans / "bad" / "alias-bomb.yaml",
        alias_bomb() + "title: t\nweeks: [{week: 1, topics: [hostile/x]}]\n",
    )
    return decks, plans


# Every command that only reads: each must end 0, 1 or 2 on any deck or plan, never 70.
READ_ONLY_COMMANDS = [
    ["check", "--preview"],
    ["check", "--preview", "--json"],
    ["gaps", "--summary"],
    ["report"],
    ["report", "--format", "markdown"],
    ["report", "--format", "json"],
    ["plan"],
    ["plan", "--list"],
    ["lint"],
    ["export"],
    ["config"],
]
