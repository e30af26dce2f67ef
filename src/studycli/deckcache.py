"""A cache of parsed deck files, so a large collection does not cost a full parse on every run.

Parsing Markdown is the dominant start-up cost (a 20,000-card collection takes seconds). A file's
parse depends only on its bytes and its id, so the cache key is the file's path, size and
modification/change times (nanoseconds) plus its id; any change re-parses that file alone.

The cache is JSON in the user's own data folder, written atomically. JSON, not pickle: a file
planted in the cache folder must never run code; the worst a forged entry can do is hold text, and
all text is sanitised again on its way to any output. Entries are compact lists, read back with a
type check; anything unexpected (another format version, corruption, a partial write, a wrong
type) means that entry or the whole file is ignored and rebuilt: it is never a source of truth.
Card bodies sit in per-deck blobs after the index and are decoded when first used (`LazyCards`),
so a warm run pays for the ids of 20,000 cards and the text of the few it shows. The format is keyed on `decks.PARSER_VERSION`, not the package version, so a parser change (and
only that) invalidates it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .decks import PARSER_VERSION, ParsedDeck
from .model import Card, CardKind, Deck, Diagnostic, LazyCards, NumericAnswer, Option
from .vocab import Severity

FORMAT = f"studycli-deck-cache/json/3/parser-{PARSER_VERSION}"

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
    return [[head, lists, ids, deck.bundled], diags], _dumps(cards)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


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

    def load() -> tuple[Card, ...]:
        try:
            cards = decode_cards(_loads(blob()), deck_id)
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
        cards=LazyCards(card_ids, load),
        path=Path(_str(path)) if path else None,
        bundled=bundled is True,
    )
    return ParsedDeck(deck, diags)


Entry = tuple[Stamp, Any, Callable[[], bytes]]  # stamp, index entry, the card blob


class DeckCache:
    """One file: a first line of JSON (the index: one entry per deck file) and, after it, the
    card blobs the index points into by (offset, length). A warm run reads the file once, parses
    only the index, and slices out the blob of a deck whose cards it actually shows."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._old: dict[Key, Entry] = {}
        self._new: dict[Key, Entry] = {}
        self._dirty = False
        if path is not None:
            self._old = self._read(path)

    @staticmethod
    def _read(path: Path) -> dict[Key, Entry]:
        try:
            raw = path.read_bytes()
            end = raw.find(b"\n")
            data = _loads(raw[:end]) if end >= 0 else None
        except (OSError, ValueError, RecursionError):  # missing, truncated, damaged: start afresh
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        blobs = memoryview(raw)[end + 1 :]
        entries: dict[Key, Entry] = {}
        raw_entries = data.get("entries")
        if not isinstance(raw_entries, list):
            return {}
        for entry in raw_entries:
            try:
                file, deck_id, bundled, size, mtime, ctime, value, offset, length = entry
                key = (_str(file), _str(deck_id), bundled is True)
                start, stop = _int(offset), _int(offset) + _int(length)
                if not 0 <= start <= stop <= len(blobs):
                    raise ValueError("blob out of range")
                entries[key] = ((_int(size), _int(mtime), _int(ctime)), value, _slicer(blobs, start, stop))
            except (TypeError, ValueError):
                continue
        return entries

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

    def put(self, key: Key, current: Stamp | None, value: ParsedDeck) -> None:
        if current is None:
            return
        entry, blob = encode(value)
        self._new[key] = (current, entry, lambda: blob)
        self._dirty = True

    def save(self) -> None:
        """Write the entries used this run (dropping deleted files); failures are harmless."""
        if self.path is None or not (self._dirty or len(self._new) != len(self._old)):
            return
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        entries: list[Any] = []
        blobs: list[bytes] = []
        offset = 0
        for key, (st, value, blob) in self._new.items():
            data = blob()
            entries.append([*key, *st, value, offset, len(data)])
            blobs.append(data)
            offset += len(data)
        try:
            index = _dumps({"format": FORMAT, "entries": entries})
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as out:
                out.write(index)
                out.write(b"\n")
                out.writelines(blobs)
            os.replace(tmp, self.path)
            old = self.path.with_name("decks.pickle")  # the old, executable format: never read again
            if old != self.path:
                old.unlink(missing_ok=True)
        except OSError:
            tmp.unlink(missing_ok=True)


def _slicer(blobs: memoryview, start: int, stop: int) -> Callable[[], bytes]:
    return lambda: bytes(blobs[start:stop])
