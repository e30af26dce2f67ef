"""Deck files (Markdown + YAML frontmatter) to `Deck` values, with located diagnostics.

Parsing is a pure function of the file text, so every format rule is tested on strings. The body is
read as Markdown blocks exactly as markdown-it (the parser rich itself uses) reads them, not with
ad-hoc line rules, so a `## ` inside a fenced code block stays code and a task list is only a task
list where Markdown says so. `mdblocks` gives those blocks: it reads the common plain shapes itself
(a cold start over 20,000 cards spent two thirds of its time in markdown-it) and asks markdown-it
for everything else, held to markdown-it's answer by tests.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import content_id, iter_content_files, name_problem, read_source
from .model import CATEGORIES, LEVELS, Card, CardKind, Deck, Diagnostic, Option
from .textsafe import clean, describe_unsafe, has_unsafe, unsafe_lines
from .vocab import Severity

if TYPE_CHECKING:
    from frontmatter.default_handlers import YAMLHandler

    from . import yamlsrc
    from .mdblocks import Block

DECK_KEYS = ("title", "area", "category", "levels", "skills", "subtopics", "sources")
REQUIRED_KEYS = ("title", "area")
_ANCHOR = re.compile(r"\s*\{#([^}]*)\}\s*$")
_ANCHOR_OK = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TASK = re.compile(r"^\[( |x|X)\]\s+(.*)$", re.DOTALL)
MAX_OPTIONS = 26  # one letter a-z each
# Bump whenever parsing can give a different result for the same file: it keys the deck cache.
PARSER_VERSION = 4  # 3: numeric, multiple-answer and rubric cards; 4: the give-away warning


# The parsers are made on first use: with the deck cache warm, a command parses no deck at all and
# should not pay for importing markdown-it, python-frontmatter and PyYAML.
@lru_cache(maxsize=1)
def _frontmatter() -> YAMLHandler:
    from frontmatter.default_handlers import YAMLHandler

    return YAMLHandler()


def warm_parsers() -> None:
    """Import and build everything a parse uses, ahead of it: worker processes forked after this
    start with it (`parsepool`) instead of importing it each."""
    from . import answers, mdblocks, yamlsrc  # noqa: F401  (imported for their side effect: loaded)

    _frontmatter()  # not markdown-it (~40 ms): `mdblocks` reads most decks without it


def normalise_question(text: str) -> str:
    """Case- and whitespace-insensitive form of a question, so small edits keep progress."""
    return " ".join(text.lower().split())


def derived_card_id(deck_id: str, question: str) -> str:
    digest = hashlib.sha1(normalise_question(question).encode("utf-8")).hexdigest()[:10]
    return f"{deck_id}#q-{digest}"


def deck_id_for(path: Path, root: Path) -> str:
    return content_id(path, root)


@dataclass(frozen=True)
class ParsedDeck:
    deck: Deck | None
    diagnostics: tuple[Diagnostic, ...]


def parse_deck(text: str, deck_id: str, path: str = "<deck>", bundled: bool = False) -> ParsedDeck:
    """Parse one deck file. Returns the deck (None if unusable) and every problem found.

    Bad cards are dropped with a diagnostic while the rest of the deck stays usable: one typo in a
    user's deck must not take the whole topic away from today's check.
    """
    diags: list[Diagnostic] = []
    path = clean(path, line=True)
    deck_id = clean(deck_id, line=True)

    def report(line: int, message: str, severity: Severity = Severity.ERROR) -> None:
        diags.append(Diagnostic(path, line, message, severity))

    report_unsafe_source(text, report)
    text = clean(text)

    from . import yamlsrc

    handler = _frontmatter()
    if not handler.detect(text):
        report(1, "no YAML frontmatter: the file must start with a '---' line")
        return ParsedDeck(None, tuple(diags))
    try:
        fm_text, content = handler.split(text)
    except ValueError:
        report(1, "frontmatter is not closed: add a '---' line after it")
        return ParsedDeck(None, tuple(diags))
    opening = handler.FM_BOUNDARY.match(text)  # detect() succeeded, so this matches
    fm_start = text.count("\n", 0, opening.end() if opening else 0) + 1
    body_offset = len(text) - len(content)
    body_line = text.count("\n", 0, body_offset) + 1

    try:
        meta = yamlsrc.load(fm_text, first_line=fm_start)
    except yamlsrc.YamlError as exc:
        report(exc.line, exc.message)
        return ParsedDeck(None, tuple(diags))
    values = _check_meta(meta, report)
    if values is None:
        return ParsedDeck(None, tuple(diags))
    values = _clean_fields(values, meta, report)

    summary, cards = _parse_body(content, deck_id, body_line, report)
    if not cards:
        report(body_line, "deck has no cards: add a '## Question' heading", Severity.WARNING)
    deck = Deck(
        id=deck_id,
        summary=clean(summary),
        cards=tuple(cards),
        path=Path(path),
        bundled=bundled,
        **values,
    )
    return ParsedDeck(deck, tuple(diags))


def report_unsafe_source(text: str, report: Any) -> None:
    """Warn, by line, where the file itself holds characters that will not be shown."""
    lines, total = unsafe_lines(text)
    for line in lines:
        report(
            line,
            "terminal control characters, bidi or invisible characters (or an entity for one) found; they are not shown",
            Severity.WARNING,
        )
    if total > len(lines):
        report(lines[-1], f"… and {total - len(lines)} more line(s) like that", Severity.WARNING)


def _clean_fields(values: dict[str, Any], meta: yamlsrc.Located, report: Any) -> dict[str, Any]:
    """Frontmatter values after parsing, through `textsafe.clean`, with a warning for each one that
    carried something (a YAML escape such as "\\e[2J" rebuilds what a scan of the file cannot see)."""

    def one(text: str, *where: Any) -> str:
        if has_unsafe(text) or "\n" in text or "\t" in text:
            if has_unsafe(text):
                report(
                    meta.line(*where),
                    f"{where[0]!r} holds characters that are not shown ({describe_unsafe(text)}); removed",
                    Severity.WARNING,
                )
            return " ".join(clean(text, line=True).split())
        return text

    cleaned = dict(values)
    for key in ("title", "area"):
        cleaned[key] = one(values[key], key)
    for key in ("skills", "subtopics", "sources"):
        cleaned[key] = tuple(one(item, key, i) for i, item in enumerate(values[key]))
    return cleaned


def _check_meta(meta: yamlsrc.Located, report: Any) -> dict[str, Any] | None:
    data = meta.value
    if data is None:
        data = {}
    if not isinstance(data, dict):
        report(meta.first_line, "frontmatter must be a mapping of keys to values")
        return None
    for key in data:
        if key not in DECK_KEYS:
            report(meta.line(key), f"unknown frontmatter key {key!r} (allowed: {', '.join(DECK_KEYS)})")
    missing = [k for k in REQUIRED_KEYS if not _nonempty_str(data.get(k))]
    for key in missing:
        report(meta.line(key), f"frontmatter needs a non-empty {key!r}")
    if missing:
        return None
    category = data.get("category", "must")
    if category not in CATEGORIES:
        report(meta.line("category"), f"category {category!r} is not one of {', '.join(CATEGORIES)}")
        category = "must"
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("levels", "skills", "subtopics", "sources"):
        raw = data.get(key, [])
        if raw is None:
            raw = []
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list):
            report(meta.line(key), f"{key!r} must be a list")
            raw = []
        items: list[str] = []
        seen: set[str] = set()
        for i, item in enumerate(raw):
            if not isinstance(item, (str, int, float)) or isinstance(item, bool):
                report(meta.line(key, i), f"{key!r} item {i + 1} must be text")
                continue
            item = str(item).strip()
            if key == "levels" and item not in LEVELS:
                report(meta.line(key, i), f"level {item!r} is not one of {', '.join(LEVELS)}")
                continue
            if item in seen:  # a set: 100,000 subtopics must not cost 10^10 comparisons
                report(meta.line(key, i), f"duplicate {key} entry {item!r}", Severity.WARNING)
                continue
            seen.add(item)
            items.append(item)
        lists[key] = tuple(items)
    return {
        "title": str(data["title"]).strip(),
        "area": str(data["area"]).strip(),
        "category": category,
        **lists,
    }


def _nonempty_str(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and str(value).strip() != ""


@dataclass
class _Section:
    heading_line: int  # 0-based within body
    start: int  # first body line after the heading (0-based)
    end: int  # exclusive
    title: str
    blocks: list[Block] = field(default_factory=list)  # the section's top-level blocks


def _parse_body(content: str, deck_id: str, body_line: int, report: Any) -> tuple[str, list[Card]]:
    from .mdblocks import blocks

    lines = content.split("\n")
    sections: list[_Section] = []
    for block in blocks(content):
        if block.kind == "card":
            sections.append(_Section(block.start, block.end, len(lines), block.text))
            continue
        if block.kind == "setext":
            report(
                body_line + block.start,
                "underlined (setext) heading is not a card; write '## Question' instead",
                Severity.WARNING,
            )
        if sections:
            sections[-1].blocks.append(block)
    for current, following in itertools.pairwise(sections):
        current.end = following.heading_line
    summary_end = sections[0].heading_line if sections else len(lines)
    summary = "\n".join(lines[:summary_end]).strip()

    cards: list[Card] = []
    seen: dict[str, int] = {}
    for section in sections:
        card = _parse_card(section, lines, deck_id, body_line, report)
        if card is None:
            continue
        if card.id in seen:
            report(
                card.line,
                f"duplicate card id {card.id!r} (first used on line {seen[card.id]})",
            )
            continue
        seen[card.id] = card.line
        cards.append(card)
    return summary, cards


def _parse_card(
    section: _Section, lines: list[str], deck_id: str, body_line: int, report: Any
) -> Card | None:
    line_no = body_line + section.heading_line
    title = section.title
    anchor_match = _ANCHOR.search(title) if "{#" in title else None
    if anchor_match:
        anchor = anchor_match.group(1)
        question = title[: anchor_match.start()].strip()
        if not _ANCHOR_OK.match(anchor):
            report(
                line_no,
                f"card id {anchor!r} may only hold lowercase letters, digits, '-' and '_'",
            )
            return None
        card_id = f"{deck_id}#{anchor}"
    else:
        question = title.strip()
        card_id = derived_card_id(deck_id, question)
    if not question:
        report(line_no, "card heading has no question text")
        return None

    question = " ".join(clean(question, line=True).split())
    base = Card(id=card_id, deck_id=deck_id, question=question, line=line_no)
    deciding = _deciding_block(section.blocks)
    if deciding is None:
        return _basic_card(base, section, lines, body_line, report)
    kind, index = deciding
    if kind == "numeric":
        return _numeric_card(base, section, lines, body_line, index, report)
    if kind == "rubric":
        return _rubric_card(base, section, lines, body_line, index, report)
    return _choice_card(base, section, lines, body_line, index, report)


# A top-level paragraph starting with '=' then a space, a digit or a sign is a numeric answer
# line; '==', '=>' and the like stay prose.
_EQUALS = re.compile(r"^=(?:\s|$|[\d.$~≈+-])")
_CONTINUED_EQUALS = re.compile(r"^=\s*[\d.+-]")


def _paragraph_text(blocks: Sequence[Block], i: int) -> str | None:
    """The text of blocks[i] if it is a paragraph, else None."""
    block = blocks[i]
    return block.text if block.kind == "paragraph" else None


def _is_key_points(text: str) -> bool:
    """'Key points:', also in bold ('**Key points:**', '**Key points**:'), any case."""
    bare = text.strip().strip("*_").rstrip(":").strip("*_").strip()
    return bare.lower() == "key points"


def _is_task_list(block: Block) -> bool:
    return block.kind == "list" and any(_TASK.match(text) for _, text in block.items)


def _deciding_block(blocks: Sequence[Block]) -> tuple[str, int] | None:
    """The first block that gives a card its kind: an '=' line (numeric), a 'Key points' line
    followed by a task list (rubric), or a task list (multiple choice). Anything after it is text."""
    for i, block in enumerate(blocks):
        if block.kind == "paragraph":
            if block.text[:1] == "=" and _EQUALS.match(block.text):
                return "numeric", i
            if _is_key_points(block.text) and i + 1 < len(blocks) and _is_task_list(blocks[i + 1]):
                return "rubric", i
        elif _is_task_list(block):
            return "choice", i
    return None


def _is_duration_line(text: str) -> bool:
    """A well-formed 'Time: 90 s' line (prose such as 'Time: O(n log n)' is not one)."""
    from . import answers  # only a parse needs it, not a warm start from the cache

    try:
        return answers.parse_time_line(text) is not None
    except answers.AnswerError:
        return False


def _with(base: Card, **parts: Any) -> Card:
    """`base` (id, deck, question, line) completed with `parts`: what `dataclasses.replace` does,
    without its per-call field introspection (a sixth of a parse's own time at 20,000 cards)."""
    return Card(id=base.id, deck_id=base.deck_id, question=base.question, line=base.line, **parts)


def _text(lines: list[str], start: int, end: int) -> str:
    return "\n".join(lines[start:end]).strip()


def _basic_card(base: Card, section: _Section, lines: list[str], body_line: int, report: Any) -> Card | None:
    for block in section.blocks:
        if block.kind != "paragraph":
            continue
        text = block.text
        where = body_line + block.start
        if ":" in text and "\n" not in text.strip() and _is_duration_line(text):
            report(where, "'Time:' is for numeric cards: add an '= value ± tolerance' line above it")
            return None
        if "\n=" not in text:  # no continuation line starts with '=' (the usual case): skip the loop
            continue
        for offset, line in enumerate(text.split("\n")[1:], start=1):
            if _CONTINUED_EQUALS.match(line):
                report(
                    where + offset,
                    "this '=' line continues the paragraph above, so the card is not numeric; "
                    "put a blank line before it if it is the answer",
                    Severity.WARNING,
                )
    answer = _text(lines, section.start, section.end)
    if not answer:
        report(base.line, f"card {base.question!r} has no answer")
        return None
    return _with(base, answer=clean(answer))


def _numeric_card(
    base: Card, section: _Section, lines: list[str], body_line: int, index: int, report: Any
) -> Card | None:
    from . import answers  # only a parse needs it, not a warm start from the cache

    blocks = section.blocks
    para = blocks[index]
    where = body_line + para.start
    content = para.text.split("\n")
    try:
        spec = answers.parse_numeric_line(content[0])
    except answers.AnswerError as exc:
        report(where, f"numeric answer {content[0].strip()[:60]!r}: {exc}")
        return None
    time_text: str | None = None
    time_where = where + 1
    if len(content) == 2 and answers.is_time_line(content[1]):
        time_text = content[1]
    elif len(content) > 1:
        report(
            where + 1,
            "the '=' line stands alone in its paragraph (an optional 'Time: 90 s' line may follow); "
            "put a blank line after it",
        )
        return None
    end = para.end
    after = index + 1
    following = _paragraph_text(blocks, after) if after < len(blocks) else None
    if time_text is None and following is not None and answers.is_time_line(following):
        if "\n" in following.strip():
            report(body_line + blocks[after].start, "the 'Time:' line stands alone in its paragraph")
            return None
        time_text, time_where, end = following, body_line + blocks[after].start, blocks[after].end
    if time_text is not None:
        try:
            spec = replace(spec, seconds=answers.parse_time_line(time_text))
        except answers.AnswerError as exc:
            report(time_where, str(exc))
            return None
    solution = _text(lines, end, section.end)
    if not solution:
        report(base.line, "numeric card has no worked solution after its '=' line", Severity.WARNING)
    return _with(
        base,
        kind=CardKind.NUMERIC,
        stem=clean(_text(lines, section.start, para.start)),
        numeric=spec,
        explanation=clean(solution),
        answer=clean(solution),
    )


def _rubric_card(
    base: Card, section: _Section, lines: list[str], body_line: int, index: int, report: Any
) -> Card | None:
    from . import answers  # only a parse needs it, not a warm start from the cache

    head = section.blocks[index]
    listed = section.blocks[index + 1]
    where = body_line + listed.start
    tasks = [_TASK.match(text) for _, text in listed.items]
    if not all(tasks):
        return _fail(report, where, "key points list mixes '- [ ]' points with plain items")
    points = [" ".join(m.group(2).split()) for m in tasks if m is not None]
    if any(m is not None and m.group(1) in "xX" for m in tasks):
        return _fail(report, where, "key points are unticked '- [ ]' items; the learner ticks them")
    if len(points) < 2:
        return _fail(report, where, "a rubric needs at least two key points")
    if len(points) > answers.MAX_POINTS:
        return _fail(
            report,
            where,
            f"a rubric has {len(points)} key points; at most {answers.MAX_POINTS} (one key each)",
        )
    answer = "\n\n".join(
        part
        for part in (_text(lines, section.start, head.start), _text(lines, listed.end, section.end))
        if part
    )
    return _with(
        base,
        kind=CardKind.RUBRIC,
        answer=clean(answer),
        points=tuple(clean(p, line=True) for p in points),
    )


def _fail(report: Any, line: int, message: str) -> Card | None:
    """Report an error that drops the card (so the rest of the deck stays usable)."""
    report(line, message)
    return None


def _choice_card(
    base: Card, section: _Section, lines: list[str], body_line: int, index: int, report: Any
) -> Card | None:
    """Options from the card's first top-level task list: one [x] is multiple choice, more are
    multiple answers."""

    listed = section.blocks[index]
    where = body_line + listed.start
    tasks = [_TASK.match(text) for _, text in listed.items]
    if not all(tasks):
        return _fail(report, where, "task list mixes '- [ ]' options with plain items")
    options = [Option(" ".join(m.group(2).split()), m.group(1) in "xX") for m in tasks if m is not None]
    correct = sum(o.correct for o in options)
    if correct == 0:
        return _fail(report, where, "multiple choice needs an [x] option, found none")
    if correct == len(options):
        return _fail(
            report, where, f"all {correct} options are [x]: a multiple-answer card needs a wrong option too"
        )
    if correct == 1 and len(options) < 3:
        return _fail(report, where, "multiple choice needs at least two wrong options")
    if len(options) > MAX_OPTIONS:
        return _fail(
            report, where, f"multiple choice has {len(options)} options; at most {MAX_OPTIONS} (a-z)"
        )
    explanation = _text(lines, listed.end, section.end)
    if not explanation:
        report(base.line, "multiple-choice card has no explanation after its options", Severity.WARNING)
    if correct == 1 and gives_itself_away(options):
        report(
            where,
            "the right option is markedly longer than every other: a guesser picks the longest; make the "
            "wrong options as long, qualified and specific as the right one",
            Severity.WARNING,
        )
    return _with(
        base,
        kind=CardKind.MCQ if correct == 1 else CardKind.MULTI,
        stem=clean(_text(lines, section.start, listed.start)),
        options=tuple(Option(clean(o.text, line=True), o.correct) for o in options),
        explanation=clean(explanation),
        answer=clean(explanation),
    )


LONGEST_RATIO = 1.5  # right option this much longer than the longest wrong one...
LONGEST_MARGIN = 30  # ...and by at least this many characters: a surface cue, not a nuance


def gives_itself_away(options: Sequence[Option]) -> bool:
    """True when the one right option is markedly longer than every distractor (a surface cue)."""
    right = [len(o.text) for o in options if o.correct]
    wrong = [len(o.text) for o in options if not o.correct]
    if len(right) != 1 or not wrong:
        return False
    return right[0] >= LONGEST_RATIO * max(wrong) and right[0] - max(wrong) >= LONGEST_MARGIN


# --- files -------------------------------------------------------------------------------------


def iter_deck_files(root: Path, problems: list[Diagnostic] | None = None) -> Iterable[Path]:
    return iter_content_files(root, (".md",), problems)


def load_deck_file(path: Path, root: Path, bundled: bool) -> ParsedDeck:
    named = name_problem(path, root)
    text, problem = read_source(path)
    if text is None:
        return ParsedDeck(None, tuple(d for d in (named, problem) if d))
    parsed = parse_deck(text, deck_id_for(path, root), str(path), bundled)
    return ParsedDeck(parsed.deck, (named, *parsed.diagnostics) if named else parsed.diagnostics)
