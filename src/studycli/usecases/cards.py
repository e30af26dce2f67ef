"""Finding, showing, suspending, editing and undoing cards: the use cases behind `study find`,
`show`, `edit`, `topics`, `suspend`, `unsuspend` and `undo`."""

from __future__ import annotations

import difflib
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import config, plans
from ..errors import StudyError
from ..model import Card, CardState, Deck, ReviewRow
from ..rules import LEECH_LAPSES
from .context import Context
from .scope import check_topics, resolve_areas

# --- looking cards up --------------------------------------------------------------------------------


def cards_by_id(ctx: Context) -> dict[str, Card]:
    return {c.id: c for d in ctx.collection.decks for c in d.cards}


def find_card(ctx: Context, card_id: str) -> Card:
    """The card with this id, or a StudyError naming the closest ids."""
    cards = cards_by_id(ctx)
    card = cards.get(card_id)
    if card is None:
        close = difflib.get_close_matches(card_id, list(cards), n=3, cutoff=0.6)
        raise StudyError(
            f"no card with id {card_id!r}",
            ("did you mean: " + ", ".join(close) + "? " if close else "")
            + "`study find TEXT` lists cards with their ids",
        )
    return card


def leech_threshold(settings: dict[str, str]) -> int:
    """Lapses at which a card counts as a leech (the `leech_threshold` setting, default 4)."""
    value = config.per_day_setting(settings, config.SETTING_LEECH)
    return LEECH_LAPSES if value is None or value == 0 else value


@dataclass(frozen=True)
class CardStatus:
    """Where one card stands, as `find` lists it."""

    card: Card
    area: str
    state: CardState | None
    suspended: bool
    leech: bool

    @property
    def due(self) -> date | None:
        return self.state.due if self.state else None

    def describe(self, today: date) -> str:
        if self.suspended:
            head = "suspended"
        elif self.state is None:
            head = "new"
        elif self.state.due is not None and self.state.due <= today:
            head = f"due {'today' if self.state.due == today else 'since ' + self.state.due.isoformat()}"
        else:
            head = f"due {self.state.due.isoformat()}" if self.state.due else "seen"
        if self.state is not None:
            head += f" · every {self.state.interval} d · {self.state.lapses} lapse(s)"
        return head + (" · leech" if self.leech else "")


def _matches(card: Card, needle: str) -> bool:
    if not needle:
        return True
    haystack = "\n".join(
        (card.question, card.stem, card.answer, card.explanation, *(o.text for o in card.options))
    ).casefold()
    return needle.casefold() in haystack


def find(
    ctx: Context,
    text: str,
    *,
    areas: Sequence[str] = (),
    topics: Sequence[str] = (),
    due: bool = False,
    new: bool = False,
    leech: bool = False,
    suspended: bool = False,
) -> list[CardStatus]:
    """Cards whose question, answer or options contain `text` (any case), narrowed by the flags."""
    wanted_topics = list(dict.fromkeys(topics))
    check_topics(wanted_topics, ctx.collection)
    wanted_areas = set(resolve_areas(list(areas), ctx.collection)) if areas else set()
    states = ctx.store.states()
    held = ctx.store.suspended()
    threshold = leech_threshold(ctx.settings)
    found: list[CardStatus] = []
    for deck in ctx.collection.decks:
        if wanted_topics and deck.id not in wanted_topics:
            continue
        if wanted_areas and deck.area not in wanted_areas:
            continue
        for card in deck.cards:
            if not _matches(card, text):
                continue
            state = states.get(card.id)
            status = CardStatus(
                card, deck.area, state, card.id in held, state is not None and state.lapses >= threshold
            )
            if due and not (state is not None and state.due is not None and state.due <= ctx.today):
                continue
            if new and state is not None:
                continue
            if leech and not status.leech:
                continue
            if suspended and not status.suspended:
                continue
            found.append(status)
    return found


@dataclass(frozen=True)
class CardDetail:
    card: Card
    deck: Deck
    state: CardState | None
    suspended: bool
    history: list[tuple[ReviewRow, bool]]  # every grade, oldest first, with whether it was undone


def show(ctx: Context, card_id: str) -> CardDetail:
    card = find_card(ctx, card_id)
    deck = ctx.collection.deck(card.deck_id)
    assert deck is not None
    return CardDetail(
        card,
        deck,
        ctx.store.states().get(card.id),
        card.id in ctx.store.suspended(),
        ctx.store.history(card.id),
    )


# --- suspension ---------------------------------------------------------------------------------------


def suspend(ctx: Context, card_ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """(suspended now, already suspended). Unknown ids are refused before anything is written."""
    cards = [find_card(ctx, cid) for cid in dict.fromkeys(card_ids)]
    done = ctx.store.suspend({c.id: c.deck_id for c in cards})
    return done, [c.id for c in cards if c.id not in done]


def unsuspend(ctx: Context, card_ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """(unsuspended now, were not suspended). An id of a card that no longer exists may be given
    if it is suspended (so a removed card can be cleaned up)."""
    held = ctx.store.suspended()
    ids = list(dict.fromkeys(card_ids))
    for cid in ids:
        if cid not in held:
            find_card(ctx, cid)  # an unknown id gets the close-match hint
    done = ctx.store.unsuspend(ids)
    return done, [cid for cid in ids if cid not in done]


# --- undo -----------------------------------------------------------------------------------------------


def undo_last(ctx: Context) -> ReviewRow:
    """Take back the last grade given today, from any session."""
    last = ctx.store.last_grade(ctx.today)
    if last is None:
        raise StudyError(
            f"nothing to undo: no grade given today ({ctx.today.isoformat()}) is left to take back"
        )
    return ctx.store.undo(last.id, session_id=None, day=ctx.today)


# --- topics ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicRow:
    deck: Deck
    cards: int
    seen: int
    due: int
    week: int | None  # the active plan's week that introduces it (None: not in the plan)


def topics(ctx: Context, areas: Sequence[str] = ()) -> list[TopicRow]:
    wanted = set(resolve_areas(list(areas), ctx.collection)) if areas else set()
    states = ctx.store.states()
    active = plans.resolve_plan(ctx.settings, ctx.collection, ctx.today)
    week_of: dict[str, int] = {}
    if active.plan is not None:
        for week in active.plan.weeks:
            for topic in week.all_topics:
                week_of.setdefault(topic, week.number)
    rows = []
    for deck in ctx.collection.decks:
        if wanted and deck.area not in wanted:
            continue
        ids = [c.id for c in deck.cards]
        seen = [states[i] for i in ids if i in states]
        due = sum(1 for s in seen if s.due is not None and s.due <= ctx.today)
        rows.append(TopicRow(deck, len(ids), len(seen), due, week_of.get(deck.id)))
    return sorted(rows, key=lambda r: (r.week is None, r.week or 0, r.deck.area, r.deck.id))


# --- editing ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditTarget:
    path: Path
    line: int
    copied_from: Path | None  # a bundled deck copied into the user's folder first


def user_deck_root(ctx: Context) -> tuple[Path, bool]:
    """The user's own deck folder: the first configured one, else `decks` under the data folder
    (created and recorded in the `decks` setting). Returns (folder, newly configured)."""
    configured = config.split_dirs(ctx.settings.get(config.SETTING_DECKS))
    if configured:
        return configured[0], False
    root = config.data_dir() / "decks"
    root.mkdir(parents=True, exist_ok=True)
    ctx.store.set_setting(config.SETTING_DECKS, str(root))
    return root, True


def edit_target(ctx: Context, card_id: str) -> EditTarget:
    """Where to open an editor for this card. A bundled card's whole deck is first copied into the
    user's own deck folder, where it overrides the bundled one (same id, so progress stays)."""
    card = find_card(ctx, card_id)
    deck = ctx.collection.deck(card.deck_id)
    assert deck is not None and deck.path is not None
    if not deck.bundled:
        return EditTarget(deck.path, card.line, None)
    root, _ = user_deck_root(ctx)
    target = root / f"{deck.id}.md"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(deck.path, target)
    return EditTarget(target, card.line, deck.path)
