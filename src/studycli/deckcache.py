"""A cache of parsed deck files, so a large collection does not cost a full parse on every run.

Parsing Markdown is the dominant start-up cost (a 20,000-card collection takes seconds). A file's
parse depends only on its bytes and its id, so the cache key is the file's path, size and
modification/change times (nanoseconds) plus its id; any change re-parses that file alone.

The cache is JSON in the user's own data folder, written atomically. JSON, not pickle: a file
planted in the cache folder must never run code; the worst a forged entry can do is hold text, and
all text is sanitised again on its way to any output. Entries are compact lists, read back with a
type check; anything unexpected (another format version, corruption, a partial write, a wrong
type) means that entry or the whole file is ignored and rebuilt: it is never a source of truth.
The format is keyed on `decks.PARSER_VERSION`, not the package version, so a parser change (and
only that) invalidates it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .decks import PARSER_VERSION, ParsedDeck
from .model import Card, CardKind, Deck, Diagnostic, NumericAnswer, Option
from .vocab import Severity

FORMAT = f"studycli-deck-cache/json/2/parser-{PARSER_VERSION}"

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


def encode(parsed: ParsedDeck) -> list[Any]:
    diags = [[d.path, d.line, d.message, d.severity] for d in parsed.diagnostics]
    deck = parsed.deck
    if deck is None:
        return [None, diags]
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
    return [[head, lists, cards, deck.bundled], diags]


def decode(data: Any) -> ParsedDeck:
    """The inverse of `encode`; raises TypeError/ValueError on anything it did not write."""
    raw_deck, raw_diags = data
    diags = tuple(Diagnostic(_str(p), _int(n), _str(m), Severity(_str(s))) for p, n, m, s in raw_diags)
    if raw_deck is None:
        return ParsedDeck(None, diags)
    (deck_id, title, area, category, summary, path), lists, raw_cards, bundled = raw_deck
    deck_id = _str(deck_id)
    levels, skills, subtopics, sources = (_strs(v) for v in lists)
    cards = tuple(
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
        cards=cards,
        path=Path(_str(path)) if path else None,
        bundled=bundled is True,
    )
    return ParsedDeck(deck, diags)


class DeckCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._old: dict[Key, tuple[Stamp, Any]] = {}
        self._new: dict[Key, tuple[Stamp, Any]] = {}
        self._dirty = False
        if path is not None:
            self._old = self._read(path)

    @staticmethod
    def _read(path: Path) -> dict[Key, tuple[Stamp, Any]]:
        try:
            data = json.loads(path.read_bytes().decode("utf-8", "surrogatepass"))
        except (OSError, ValueError, RecursionError):  # missing, truncated, damaged: start afresh
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        entries: dict[Key, tuple[Stamp, Any]] = {}
        raw = data.get("entries")
        if not isinstance(raw, list):
            return {}
        for entry in raw:
            try:
                file, deck_id, bundled, size, mtime, ctime, value = entry
                key = (_str(file), _str(deck_id), bundled is True)
                entries[key] = ((_int(size), _int(mtime), _int(ctime)), value)
            except (TypeError, ValueError):
                continue
        return entries

    def get(self, key: Key, current: Stamp | None) -> ParsedDeck | None:
        found = self._old.get(key)
        if found is None or current is None or found[0] != current:
            return None
        try:
            parsed = decode(found[1])
        except (TypeError, ValueError, KeyError):  # forged or damaged entry: parse the file instead
            return None
        self._new[key] = found
        return parsed

    def put(self, key: Key, current: Stamp | None, value: ParsedDeck) -> None:
        if current is None:
            return
        self._new[key] = (current, encode(value))
        self._dirty = True

    def save(self) -> None:
        """Write the entries used this run (dropping deleted files); failures are harmless."""
        if self.path is None or not (self._dirty or len(self._new) != len(self._old)):
            return
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        entries = [[*key, *st, value] for key, (st, value) in self._new.items()]
        text = json.dumps({"format": FORMAT, "entries": entries}, ensure_ascii=False, separators=(",", ":"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(text.encode("utf-8", "surrogatepass"))
            os.replace(tmp, self.path)
            old = self.path.with_name("decks.pickle")  # the old, executable format: never read again
            if old != self.path:
                old.unlink(missing_ok=True)
        except OSError:
            tmp.unlink(missing_ok=True)
