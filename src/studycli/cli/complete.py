"""Shell completion for the names options take: deck ids, areas, plan names and card ids.

Completion runs in the shell's tab key, so it reads the content (decks and plans, through the
parse cache) but never the progress store, and any failure completes nothing rather than
printing an error into the user's prompt. No `from __future__ import annotations` here: Typer
reads the completers' annotations on every run, and strings would be compiled each time.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from .. import config

if TYPE_CHECKING:
    from ..model import Collection


def _collection() -> "Collection | None":
    try:
        from ..content import load_collection

        return load_collection(config.content_dirs({}), config.cache_path())
    except Exception:  # completion must never break the prompt
        return None


def _starting(values: list[str], incomplete: str) -> list[str]:
    fold = incomplete.casefold()
    return [v for v in values if v.casefold().startswith(fold)]


def deck_ids(incomplete: str) -> list[str]:
    found = _collection()
    return _starting(sorted(d.id for d in found.decks), incomplete) if found else []


def areas(incomplete: str) -> list[str]:
    found = _collection()
    return _starting(sorted({d.area for d in found.decks}), incomplete) if found else []


def plan_names(incomplete: str) -> list[str]:
    found = _collection()
    return _starting(sorted(p.id for p in found.plans), incomplete) if found else []


def card_ids(incomplete: str) -> list[str]:
    found = _collection()
    if found is None:
        return []
    return _starting(sorted(c.id for d in found.decks for c in d.cards), incomplete)[:200]


COMPLETERS: dict[str, Callable[[str], list[str]]] = {
    "deck": deck_ids,
    "area": areas,
    "plan": plan_names,
    "card": card_ids,
}


# --- the options several commands share, declared once --------------------------------------------


def topic_option(help_text: str = "Only this topic (deck id). Repeatable.") -> Any:
    """`--topic/-t DECK_ID`, repeatable, completing deck ids."""
    return typer.Option("--topic", "-t", metavar="DECK_ID", help=help_text, autocompletion=deck_ids)


def area_option(help_text: str = "Only this area (case and a unique prefix are fine). Repeatable.") -> Any:
    """`--area/-a NAME`, repeatable, completing area names."""
    return typer.Option("--area", "-a", metavar="AREA", help=help_text, autocompletion=areas)


PREVIEW_HELP = "Show what would be asked; ask nothing."
