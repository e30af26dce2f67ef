"""A cache of parsed deck files, so a large collection does not cost a full parse on every run.

Parsing Markdown is the dominant start-up cost (a 20,000-card collection takes seconds). A file's
parse depends only on its bytes and its id, so the cache key is the file's path, size and
modification/change times (nanoseconds) plus its id; any change re-parses that file alone.

The cache is JSON in the user's own data folder, written atomically. JSON, not pickle: a file
planted in the cache folder must never run code; the worst a forged entry can do is hold text, and
all text is sanitised again on its way to any output. Entries are compact lists, read back with a
type check; anything unexpected (another format version, corruption, a partial write, a wrong
type) means that entry or the whole file is ignored and rebuilt: it is never a source of truth.
Parsed plans are kept in the index too, keyed also on the deck ids and areas they were checked
against (a new deck can turn a plan's unknown topic into a known one), so a warm run parses no
YAML at all. Card bodies sit in per-deck blobs after the index and are decoded when first used
(`LazyCards`), so a warm run pays for the ids of 20,000 cards and the text of the few it shows.
A blob holds one card per line (compact JSON never contains a raw newline), so a card asked for
by id (a report naming leeches from dozens of decks) decodes that line alone, not its whole deck.
The format is keyed on the deck and plan parsers' versions (`decks.PARSER_VERSION`,
`plans.PARSER_VERSION`), not the package version, so a parser change (and only that)
invalidates it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .decks import PARSER_VERSION, ParsedDeck
from .files import replace_file
from .model import (
    Activity,
    Card,
    CardKind,
    Checkpoint,
    Deck,
    Diagnostic,
    LazyCards,
    NumericAnswer,
    Option,
    Plan,
    Week,
)
from .plans import PARSER_VERSION as PLAN_PARSER_VERSION
from .plans import ParsedPlan
from .vocab import Severity

FORMAT = f"studycli-deck-cache/json/5/parser-{PARSER_VERSION}/plans-{PLAN_PARSER_VERSION}"

Key = tuple[str, str, bool]  # (resolved path, deck id, bundled)
Stamp = tuple[int, int, int]  # (size, mtime_ns, ctime_ns)


def stamp(path: Path) -> Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns)


# --- ParsedDeck <-> plain JSON lists ---------------------------------------------------------------


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("expected text")
    return value


def _strs(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise TypeError("expected a list")
    if value and not all(type(v) is str for v in value):
        raise TypeError("expected text")
    return tuple(value)


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("expected an integer")
    return value


def _float(value: Any) -> float:
    if type(value) not in (int, float):
        raise TypeError("expected a number")
    return float(value)


def _encode_numeric(spec: NumericAnswer | None) -> list[Any] | None:
    if spec is None:
        return None
    return [spec.value, spec.tolerance, spec.unit, spec.family, spec.factor, spec.seconds]


def _decode_numeric(data: Any) -> NumericAnswer | None:
    if data is None:
        return None
    value, tolerance, unit, family, factor, seconds = data
    return NumericAnswer(
        value=_float(value),
        tolerance=_float(tolerance),
        unit=_str(unit),
        family=_str(family),
        factor=_float(factor),
        seconds=None if seconds is None else _float(seconds),
    )


Encoded = tuple[bytes, bytes]  # `encode_deck`: the index entry as JSON, and the card blob


def encode_deck(parsed: ParsedDeck) -> Encoded:
    """`encode` with the index entry as JSON bytes: what a parse worker sends back. Two byte
    strings pickle far faster than a deck of `Card` objects, and the entry read back from JSON
    holds the plain values the cache file would (enums become their text)."""
    entry, blob = encode(parsed)
    return _dumps(entry), blob


def encode(parsed: ParsedDeck) -> tuple[Any, bytes]:
    """(index entry, card blob): the entry holds what every run needs (metadata, card ids,
    diagnostics); the blob holds the card bodies, decoded only when one of them is used."""
    diags = [[d.path, d.line, d.message, d.severity] for d in parsed.diagnostics]
    deck = parsed.deck
    if deck is None:
        return [None, diags], b""
    cards = [
        [
            c.id,
            c.question,
            c.answer,
            c.kind.value,
            c.stem,
            [[o.text, o.correct] for o in c.options],
            c.explanation,
            c.line,
            _encode_numeric(c.numeric),
            list(c.points),
        ]
        for c in deck.cards
    ]
    head = [deck.id, deck.title, deck.area, deck.category, deck.summary, str(deck.path or "")]
    lists = [list(deck.levels), list(deck.skills), list(deck.subtopics), list(deck.sources)]
    ids = [c.id for c in deck.cards]
    blob = "\n".join(map(_ENCODER.encode, cards)).encode("utf-8", "surrogatepass")
    return [[head, lists, ids, deck.bundled], diags], blob


# One encoder for every value: `json.dumps` with these options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _dumps(value: Any) -> bytes:
    return _ENCODER.encode(value).encode("utf-8", "surrogatepass")


def _loads(data: bytes) -> Any:
    return json.loads(data.decode("utf-8", "surrogatepass"))


def decode_cards(raw_cards: Any, deck_id: str) -> tuple[Card, ...]:
    """Card bodies from a blob written by `encode`; raises TypeError/ValueError on anything else."""
    if type(raw_cards) is not list:
        raise TypeError("expected a list")
    return tuple(
        Card(
            id=_str(cid),
            deck_id=deck_id,
            question=_str(question),
            answer=_str(answer),
            kind=CardKind(kind),
            stem=_str(stem),
            options=tuple(Option(_str(text), bool(correct)) for text, correct in options),
            explanation=_str(explanation),
            line=_int(line),
            numeric=_decode_numeric(numeric),
            points=_strs(points),
        )
        for cid, question, answer, kind, stem, options, explanation, line, numeric, points in raw_cards
    )


BAD_ENTRY = (TypeError, ValueError, KeyError, IndexError, RecursionError)


def decode(
    data: Any, blob: Callable[[], bytes], fallback: Callable[[], ParsedDeck] | None = None
) -> ParsedDeck:
    """The inverse of `encode`. The index entry is checked now (raising TypeError/ValueError on
    anything `encode` did not write); the card bodies are decoded and checked on first use, and
    should they turn out damaged or forged then, `fallback` (a fresh parse of the file) supplies
    the cards instead, so a bad cache costs a parse, never a crash."""
    raw_deck, raw_diags = data
    diags = tuple(Diagnostic(_str(p), _int(n), _str(m), Severity(_str(s))) for p, n, m, s in raw_diags)
    if raw_deck is None:
        return ParsedDeck(None, diags)
    (deck_id, title, area, category, summary, path), lists, ids, bundled = raw_deck
    deck_id = _str(deck_id)
    levels, skills, subtopics, sources = (_strs(v) for v in lists)
    card_ids = _strs(ids)

    raw: list[list[bytes]] = []  # the blob's lines, read once for `one` and `load` alike

    def lines() -> list[bytes]:
        if not raw:
            data = blob()
            raw.append(data.split(b"\n") if data else [])
        return raw[0]

    def one(index: int) -> Card | None:
        try:
            (card,) = decode_cards([_loads(lines()[index])], deck_id)
        except BAD_ENTRY:
            return None
        return card if card.id == card_ids[index] else None

    def load() -> tuple[Card, ...]:
        try:
            cards = decode_cards(_loads(b"[" + b",".join(lines()) + b"]"), deck_id)
            if tuple(c.id for c in cards) != card_ids:
                raise ValueError("card ids differ from the index")
            return cards
        except BAD_ENTRY:
            if fallback is None:
                raise
            deck = fallback().deck
            return tuple(deck.cards) if deck is not None else ()

    deck = Deck(
        id=deck_id,
        title=_str(title),
        area=_str(area),
        category=_str(category),
        levels=levels,
        skills=skills,
        subtopics=subtopics,
        sources=sources,
        summary=_str(summary),
        cards=LazyCards(card_ids, load, one),
        path=Path(_str(path)) if path else None,
        bundled=bundled is True,
    )
    return ParsedDeck(deck, diags)


Entry = tuple[Stamp, Any, Callable[[], bytes]]  # stamp, index entry, the card blob
# (resolved path, plan id, bundled, digest of the deck ids and areas it was checked against)
PlanKey = tuple[str, str, bool, str]


def plan_context(known_topics: Iterable[str], known_areas: Iterable[str]) -> str:
    """A plan's parse depends on its text and on the decks it is checked against (unknown
    topics and areas are diagnostics): any change to the deck ids or areas re-parses plans."""
    text = "\n".join(sorted(known_topics)) + "\0" + "\n".join(sorted(known_areas))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def encode_plan(parsed: ParsedPlan) -> list[Any]:
    diags = [[d.path, d.line, d.message, d.severity] for d in parsed.diagnostics]
    plan = parsed.plan
    if plan is None:
        return [None, diags]
    weeks = [
        [
            w.number,
            w.theme,
            list(w.topics),
            list(w.goals),
            [[day, list(topics)] for day, topics in w.days],
            w.line,
            [[a.day, a.kind, a.text, a.line] for a in w.activities],
            [[c.day, list(c.areas), c.target, c.note, c.line] for c in w.checkpoints],
        ]
        for w in plan.weeks
    ]
    return [[plan.id, plan.title, plan.description, weeks, str(plan.path or ""), plan.bundled], diags]


def decode_plan(data: Any) -> ParsedPlan:
    """The inverse of `encode_plan`; raises TypeError/ValueError on anything it did not write."""
    raw_plan, raw_diags = data
    diags = tuple(Diagnostic(_str(p), _int(n), _str(m), Severity(_str(s))) for p, n, m, s in raw_diags)
    if raw_plan is None:
        return ParsedPlan(None, diags)
    plan_id, title, description, raw_weeks, path, bundled = raw_plan
    weeks = tuple(
        Week(
            number=_int(number),
            theme=_str(theme),
            topics=_strs(topics),
            goals=_strs(goals),
            days=tuple((_int(day), _strs(day_topics)) for day, day_topics in days),
            line=_int(line),
            activities=tuple(
                Activity(_int(day), _str(kind), _str(text), _int(a_line))
                for day, kind, text, a_line in activities
            ),
            checkpoints=tuple(
                Checkpoint(
                    _int(day),
                    _strs(areas),
                    None if target is None else _float(target),
                    _str(note),
                    _int(c_line),
                )
                for day, areas, target, note, c_line in checkpoints
            ),
        )
        for number, theme, topics, goals, days, line, activities, checkpoints in raw_weeks
    )
    plan = Plan(
        id=_str(plan_id),
        title=_str(title),
        description=_str(description),
        weeks=weeks,
        path=Path(_str(path)) if path else None,
        bundled=bundled is True,
    )
    return ParsedPlan(plan, diags)


class DeckCache:
    """One file: a first line of JSON (the index: one entry per deck file) and, after it, the
    card blobs the index points into by (offset, length). A warm run reads the file once, parses
    only the index, and slices out the blob of a deck whose cards it actually shows."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._old: dict[Key, Entry] = {}
        self._new: dict[Key, Entry] = {}
        self._old_plans: dict[PlanKey, tuple[Stamp, Any]] = {}
        self._new_plans: dict[PlanKey, tuple[Stamp, Any]] = {}
        self._dirty = False
        if path is not None:
            self._old, self._old_plans = self._read(path)

    @staticmethod
    def _read(path: Path) -> tuple[dict[Key, Entry], dict[PlanKey, tuple[Stamp, Any]]]:
        found = _read_file(path, FORMAT)
        if found is None:  # missing, truncated, damaged, another format: start afresh
            return {}, {}
        data, blobs = found
        entries: dict[Key, Entry] = {}
        raw_entries = data.get("entries")
        raw_plans = data.get("plans")
        if not isinstance(raw_entries, list) or not isinstance(raw_plans, list):
            return {}, {}
        for entry in raw_entries:
            try:
                file, deck_id, bundled, size, mtime, ctime, value, offset, length = entry
                key = (_str(file), _str(deck_id), bundled is True)
                entries[key] = ((_int(size), _int(mtime), _int(ctime)), value, _blob(blobs, offset, length))
            except (TypeError, ValueError):
                continue
        plans: dict[PlanKey, tuple[Stamp, Any]] = {}
        for entry in raw_plans:
            try:
                file, plan_id, bundled, context, size, mtime, ctime, value = entry
                plans[(_str(file), _str(plan_id), bundled is True, _str(context))] = (
                    (_int(size), _int(mtime), _int(ctime)),
                    value,
                )
            except (TypeError, ValueError):
                continue
        return entries, plans

    def get(
        self, key: Key, current: Stamp | None, reparse: Callable[[], ParsedDeck] | None = None
    ) -> ParsedDeck | None:
        found = self._old.get(key)
        if found is None or current is None or found[0] != current:
            return None
        try:
            parsed = decode(found[1], found[2], None if reparse is None else self._fallback(reparse))
        except BAD_ENTRY:  # forged or damaged entry: parse the file instead
            return None
        self._new[key] = found
        return parsed

    def _fallback(self, reparse: Callable[[], ParsedDeck]) -> Callable[[], ParsedDeck]:
        def fallback() -> ParsedDeck:
            if self.path is not None:  # found damaged after this run's save: rebuild it next run
                self.path.unlink(missing_ok=True)
            return reparse()

        return fallback

    def get_plan(self, key: PlanKey, current: Stamp | None) -> ParsedPlan | None:
        found = self._old_plans.get(key)
        if found is None or current is None or found[0] != current:
            return None
        try:
            parsed = decode_plan(found[1])
        except BAD_ENTRY:  # forged or damaged entry: parse the file instead
            return None
        self._new_plans[key] = found
        return parsed

    def put_plan(self, key: PlanKey, current: Stamp | None, value: ParsedPlan) -> None:
        if current is None:
            return
        self._new_plans[key] = (current, encode_plan(value))
        self._dirty = True

    def put_encoded(
        self, key: Key, current: Stamp | None, encoded: Encoded, reparse: Callable[[], ParsedDeck]
    ) -> ParsedDeck:
        """Keep a deck that `encode_deck` encoded (in a parse worker: see `content`) and read it
        back exactly as `get` reads the cache file: the same values, the cards decoded on use."""
        blob = encoded[1]
        return self.keep(key, current, (_loads(encoded[0]), lambda: blob), reparse) or reparse()

    def keep(
        self,
        key: Key,
        current: Stamp | None,
        entry: tuple[Any, Callable[[], bytes]],
        reparse: Callable[[], ParsedDeck],
    ) -> ParsedDeck | None:
        """Keep an index entry (as read from JSON) and its blob, and read them back as `get` does;
        None (and nothing kept) for an entry that does not decode: the file is parsed instead."""
        value, blob = entry
        try:
            parsed = decode(value, blob, reparse)
        except BAD_ENTRY:
            return None
        if current is not None:
            self._new[key] = (current, value, blob)
            self._dirty = True
        return parsed

    def save(self) -> None:
        """Write the entries used this run (dropping deleted files); failures are harmless."""
        unchanged = len(self._new) == len(self._old) and len(self._new_plans) == len(self._old_plans)
        if self.path is None or not (self._dirty or not unchanged):
            return
        blobs = _Blobs()
        entries = [[*key, *st, value, *blobs.add(blob())] for key, (st, value, blob) in self._new.items()]
        plans = [[*key, *st, value] for key, (st, value) in self._new_plans.items()]
        try:
            _write_file(self.path, {"format": FORMAT, "entries": entries, "plans": plans}, blobs)
            old = self.path.with_name("decks.pickle")  # the old, executable format: never read again
            if old != self.path:
                old.unlink(missing_ok=True)
        except OSError:
            pass


# --- the file: one line of JSON (the index), then the card blobs it points into -------------------


class _Blobs:
    """The blob area of a file being written: `add` returns where a blob will sit."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self._size = 0

    def add(self, data: bytes) -> tuple[int, int]:
        self.parts.append(data)
        self._size += len(data)
        return self._size - len(data), len(data)


def _write_file(path: Path, index: dict[str, Any], blobs: _Blobs) -> None:
    """Replace `path` atomically with `index` and `blobs`; raises OSError (nothing changed then)."""
    replace_file(path, [_dumps(index), b"\n", *blobs.parts])


def _read_file(path: Path, form: str) -> tuple[dict[str, Any], memoryview] | None:
    """The index of a file `_write_file` wrote in format `form`, and its blob area; None for a
    missing, truncated or damaged file or another format."""
    try:
        raw = path.read_bytes()
        end = raw.find(b"\n")
        data = _loads(raw[:end]) if end >= 0 else None
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("format") != form:
        return None
    return data, memoryview(raw)[end + 1 :]


def _blob(blobs: memoryview, offset: Any, length: Any) -> Callable[[], bytes]:
    """A reader of one blob, its place checked now (ValueError/TypeError if it lies outside)."""
    start, stop = _int(offset), _int(offset) + _int(length)
    if not 0 <= start <= stop <= len(blobs):
        raise ValueError("blob out of range")
    return lambda: bytes(blobs[start:stop])


# --- the bundled decks, parsed when the package is built ----------------------------------------

SHIPPED_PATH = "<bundled>"  # the path a build parses under; each deck gets its real path on load
SHIPPED_SUFFIX = ".parsed"  # `_content/decks` -> `_content/decks.parsed`
SHIPPED_FORMAT = f"studycli-shipped-decks/1/{FORMAT}"


def build_shipped(root: Path, out: Path) -> int:
    """Parse every deck under `root` (the bundled decks as they will be installed) into `out`, so
    a fresh install's first `study check` reads them instead of parsing ~1,200 cards of Markdown.
    Entries are keyed on the file's path below `root` and the SHA-256 of its bytes: a file changed
    after the build is simply parsed. Returns the number of decks written."""
    from .decks import deck_id_for, iter_deck_files, parse_deck
    from .files import read_source

    entries: list[Any] = []
    blobs = _Blobs()
    for path in iter_deck_files(root):
        text, _ = read_source(path)
        if text is None:
            continue
        value, blob = encode(parse_deck(text, deck_id_for(path, root), SHIPPED_PATH, True))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        entries.append([path.relative_to(root).as_posix(), digest, value, *blobs.add(blob)])
    _write_file(out, {"format": SHIPPED_FORMAT, "entries": entries}, blobs)
    return len(entries)


class ShippedDecks:
    """The build's parse of the bundled decks (`build_shipped`), read on the first deck the user's
    own cache does not hold. Anything unexpected in the file means it is not used: the deck is
    parsed as if the file were not there."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[str, tuple[str, Any, Callable[[], bytes]]] | None = None

    def _load(self) -> dict[str, tuple[str, Any, Callable[[], bytes]]]:
        entries: dict[str, tuple[str, Any, Callable[[], bytes]]] = {}
        found = _read_file(self.path, SHIPPED_FORMAT)
        if found is None:
            return entries
        data, blobs = found
        for entry in data.get("entries") or ():
            try:
                rel, digest, value, offset, length = entry
                entries[_str(rel)] = (_str(digest), value, _blob(blobs, offset, length))
            except (TypeError, ValueError):
                continue
        return entries

    def entry(self, path: Path, root: Path) -> tuple[Any, Callable[[], bytes]] | None:
        """The build's index entry for `path` (moved to where the file is, see `_relocated`) and
        its card blob, as the user's cache would hold them; None if the file changed since the
        build or the shipped parse is missing or damaged."""
        if self._entries is None:
            self._entries = self._load()
        try:
            found = self._entries.get(path.relative_to(root).as_posix())
            if found is None or hashlib.sha256(path.read_bytes()).hexdigest() != found[0]:
                return None
            return _relocated(found[1], path, root), found[2]
        except (OSError, *BAD_ENTRY):
            return None


def _relocated(value: Any, path: Path, root: Path) -> Any:
    """A shipped index entry as `decks.load_deck_file` would have made it here: the file's own
    path on the deck and its diagnostics, and the file-name check run on the installed name. The
    card blob holds no path, so it is kept as it is. Raises TypeError/ValueError on an entry that
    `encode` did not write."""
    from .files import name_problem
    from .textsafe import clean

    raw_deck, raw_diags = value
    where = clean(str(path), line=True)
    diags = [[where if d[0] == SHIPPED_PATH else d[0], *d[1:]] for d in raw_diags]
    named = name_problem(path, root)
    if named is not None:
        diags.insert(0, [named.path, named.line, named.message, named.severity.value])
    if raw_deck is None:
        return [None, diags]
    head, lists, ids, bundled = raw_deck
    return [[[*head[:5], str(Path(where))], lists, ids, bundled], diags]
