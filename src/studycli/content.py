"""Gather bundled and user decks and plans into one `Collection`, applying overrides.

A user file whose id equals a bundled one replaces it (so people can fix or extend a bundled deck
without forking the tool). Plans are checked against the final set of deck ids.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import gcpause
from .config import ContentDirs
from .deckcache import (
    SHIPPED_SUFFIX,
    DeckCache,
    Encoded,
    Key,
    ShippedDecks,
    Stamp,
    encode_deck,
    plan_context,
    stamp,
)
from .decks import ParsedDeck, deck_id_for, iter_deck_files, load_deck_file
from .files import content_id
from .model import Collection, Deck, Diagnostic, Plan
from .plans import iter_plan_files, load_plan_file
from .vocab import Severity

if TYPE_CHECKING:
    from .parsepool import Job


def load_collection(dirs: ContentDirs, cache_path: Path | None = None) -> Collection:
    """Everything the user can study. With `cache_path`, unchanged deck files are not re-parsed."""
    with gcpause.paused():  # 20,000 cards allocate a few hundred thousand long-lived objects
        return _load_collection(dirs, cache_path)


def _load_collection(dirs: ContentDirs, cache_path: Path | None) -> Collection:
    diagnostics: list[Diagnostic] = []
    decks: dict[str, Deck] = {}
    cache = DeckCache(cache_path)
    # Per deck folder, in order: its own problems (missing, unreadable) and its files' parses.
    # Files neither cache holds are parsed together, all folders at once (one round of workers),
    # and put back in their places, so order and overrides are those of a folder-by-folder read.
    folders: list[tuple[list[Diagnostic], list[ParsedDeck | None]]] = []
    misses: list[tuple[list[ParsedDeck | None], int, Key, Stamp | None, Callable[[], ParsedDeck]]] = []
    jobs: list[Job] = []
    sizes: list[int] = []
    for root, bundled in dirs.decks:
        problems: list[Diagnostic] = []
        found: list[ParsedDeck | None] = []
        folders.append((problems, found))
        if not _usable(root, bundled, "deck", problems):
            continue
        # The bundled decks of an installed package come parsed by its build (first run, or the
        # first run after a parser change): read, not parsed, when the file is unchanged.
        shipped = ShippedDecks(root.with_name(root.name + SHIPPED_SUFFIX)) if bundled else None
        for path in iter_deck_files(root, problems):
            key = (os.path.abspath(path), deck_id_for(path, root), bundled)  # no syscalls per file
            current = stamp(path)
            reparse = functools.partial(load_deck_file, path, root, bundled)
            parsed = cache.get(key, current, reparse)
            if parsed is None and shipped is not None:
                entry = shipped.entry(path, root)
                if entry is not None:  # kept as the build encoded it: no cards decoded or encoded
                    parsed = cache.keep(key, current, entry, reparse)
            if parsed is None:
                misses.append((found, len(found), key, current, reparse))
                jobs.append((path, root, bundled))
                sizes.append(current[0] if current is not None else 0)
            found.append(parsed)
    parsed_now: list[Encoded] = []
    if jobs:  # only then: a warm start imports no process pool
        from .parsepool import parse_deck_files

        parsed_now = parse_deck_files(jobs, sizes, _parse_encoded)
    for (found, index, key, current, again), encoded in zip(misses, parsed_now, strict=True):
        # Read back as a warm start reads its cache: the cards are decoded when first used.
        found[index] = cache.put_encoded(key, current, encoded, again)
    for problems, found in folders:
        diagnostics.extend(problems)
        for parsed in found:
            assert parsed is not None  # every miss was parsed just above
            diagnostics.extend(parsed.diagnostics)
            if parsed.deck is not None:
                decks[parsed.deck.id] = parsed.deck
    known = frozenset(decks)
    areas = frozenset(d.area for d in decks.values())
    context = plan_context(known, areas)
    plans: dict[str, Plan] = {}
    for root, bundled in dirs.plans:
        if not _usable(root, bundled, "plan", diagnostics):
            continue
        for path in iter_plan_files(root, diagnostics):
            plan_key = (os.path.abspath(path), content_id(path, root), bundled, context)
            current = stamp(path)
            parsed_plan = cache.get_plan(plan_key, current)
            if parsed_plan is None:
                parsed_plan = load_plan_file(path, root, bundled, known, areas)
                cache.put_plan(plan_key, current, parsed_plan)
            diagnostics.extend(parsed_plan.diagnostics)
            if parsed_plan.plan is not None:
                plans[parsed_plan.plan.id] = parsed_plan.plan
    cache.save()
    return Collection(tuple(decks.values()), tuple(plans.values()), tuple(diagnostics))


def _parse_encoded(path: Path, root: Path, bundled: bool) -> Encoded:
    """A deck file parsed and encoded as the cache holds it. This is what a parse worker sends
    back: an index entry and one bytes blob pickle far faster than a deck of `Card` objects (at
    20,000 cards, sending those back cost more than the parse the workers saved), and the encoding
    for the cache is done on every core instead of afterwards here."""
    return encode_deck(load_deck_file(path, root, bundled))


def _usable(root: Path, bundled: bool, kind: str, diagnostics: list[Diagnostic]) -> bool:
    if root.is_dir():
        return True
    if not bundled:
        diagnostics.append(
            Diagnostic(
                str(root), 0, f"{kind} folder does not exist (from settings or environment)", Severity.WARNING
            )
        )
    return False
