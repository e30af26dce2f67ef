"""The parsed-deck cache: hits give the same decks, any edit re-parses, damage is ignored."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import studycli.content as content_module
from studycli import deckcache
from studycli.config import ContentDirs
from studycli.content import load_collection
from studycli.deckcache import build_shipped
from studycli.decks import ParsedDeck, load_deck_file
from studycli.model import Card, CardKind, Deck, LazyCards, Option
from studycli.session import CheckRequest, build_check, resolve
from studycli.vocab import Severity

from .conftest import ALPHA, BETA, PLAN, write


def dirs_for(root: Path) -> ContentDirs:
    return ContentDirs(decks=((root / "decks", False),), plans=())


def counting_parser(monkeypatch) -> list[Path]:
    calls: list[Path] = []
    real = content_module.load_deck_file

    def spy(path, root, bundled):
        calls.append(path)
        return real(path, root, bundled)

    monkeypatch.setattr(content_module, "load_deck_file", spy)
    return calls


def test_second_load_parses_nothing_and_matches(tmp_path, monkeypatch) -> None:
    write(tmp_path, "decks/t/alpha.md", ALPHA)
    write(tmp_path, "decks/t/beta.md", BETA)
    cache = tmp_path / "cache" / "decks.json"
    calls = counting_parser(monkeypatch)
    first = load_collection(dirs_for(tmp_path), cache)
    assert len(calls) == 2 and cache.exists()
    second = load_collection(dirs_for(tmp_path), cache)
    assert len(calls) == 2  # nothing re-parsed
    assert second == first


def test_a_first_load_gives_the_decks_a_direct_parse_gives(tmp_path) -> None:
    """With no cache the decks are parsed, encoded as the cache holds them (what a parse worker
    sends back) and read back from that: nothing may be lost or changed on the way, the Severity
    of a diagnostic included (it comes back as the same value from JSON)."""
    write(tmp_path, "decks/t/alpha.md", ALPHA)
    write(tmp_path, "decks/t/beta.md", BETA)
    write(tmp_path, "decks/t/warned.md", "---\ntitle: W\narea: X\n---\nNo cards here.\n")
    collection = load_collection(dirs_for(tmp_path), tmp_path / "cache.json")
    root = tmp_path / "decks"
    assert all(isinstance(d.cards, LazyCards) and not d.cards.decoded for d in collection.decks)
    direct = [load_deck_file(path, root, False) for path in sorted(root.rglob("*.md"))]
    assert [d.deck for d in direct if d.deck is not None] == list(collection.decks)
    assert [diag for d in direct for diag in d.diagnostics] == list(collection.diagnostics)
    assert collection.diagnostics and all(type(d.severity) is Severity for d in collection.diagnostics)


def test_an_edit_reparses_only_that_file(tmp_path, monkeypatch) -> None:
    alpha = write(tmp_path, "decks/t/alpha.md", ALPHA)
    write(tmp_path, "decks/t/beta.md", BETA)
    cache = tmp_path / "cache.json"
    load_collection(dirs_for(tmp_path), cache)
    calls = counting_parser(monkeypatch)
    alpha.write_text(ALPHA.replace("Alpha one answer.", "Changed answer!!"))
    stat = alpha.stat()
    os.utime(alpha, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    collection = load_collection(dirs_for(tmp_path), cache)
    assert calls == [alpha]
    assert collection.deck("t/alpha").cards[0].answer == "Changed answer!!"


def test_deleted_file_disappears_and_damaged_cache_is_ignored(tmp_path) -> None:
    alpha = write(tmp_path, "decks/t/alpha.md", ALPHA)
    write(tmp_path, "decks/t/beta.md", BETA)
    cache = tmp_path / "cache.json"
    load_collection(dirs_for(tmp_path), cache)
    alpha.unlink()
    assert [d.id for d in load_collection(dirs_for(tmp_path), cache).decks] == ["t/beta"]
    cache.write_bytes(b"\x80\x05garbage")
    assert [d.id for d in load_collection(dirs_for(tmp_path), cache).decks] == ["t/beta"]


def test_content_under_a_hidden_folder_loads_but_hidden_subfolders_are_skipped(tmp_path) -> None:
    """The installed package often lives in `.venv/...`; only hidden folders inside a root are skipped."""
    root = tmp_path / ".venv" / "content"
    write(root, "decks/t/alpha.md", ALPHA)
    write(root, "decks/.git/stray.md", BETA)
    write(root, "decks/t/README.md", BETA)
    collection = load_collection(dirs_for(root))
    assert [d.id for d in collection.decks] == ["t/alpha"]


def test_a_warm_load_decodes_only_the_decks_whose_cards_are_asked(tmp_path) -> None:
    """Ids come from the index; card bodies are decoded per deck, on first use (what keeps a warm
    `study check` over 20,000 cards from building 20,000 cards to ask 10)."""
    write(tmp_path, "decks/t/alpha.md", ALPHA)
    write(tmp_path, "decks/t/beta.md", BETA)
    cache = tmp_path / "cache.json"
    cold = load_collection(dirs_for(tmp_path), cache)
    warm = load_collection(dirs_for(tmp_path), cache)
    decks = {d.id: d for d in warm.decks}
    lazy = {deck_id: deck.cards for deck_id, deck in decks.items()}
    assert all(isinstance(cards, LazyCards) for cards in lazy.values())
    assert [d.card_ids for d in warm.decks] == [tuple(c.id for c in d.cards) for d in cold.decks]
    assert not any(cards.decoded for cards in lazy.values())  # reading ids decoded nothing
    first_alpha = cold.deck("t/alpha").cards[0]
    assert resolve(decks, [("t/alpha", first_alpha.id), ("t/alpha", "t/alpha#gone")]) == [first_alpha]
    assert not lazy["t/alpha"].decoded and not lazy["t/beta"].decoded  # the card asked, alone
    assert decks["t/alpha"].card(first_alpha.id) == first_alpha
    items = build_check(CheckRequest(date(2026, 3, 2), size=1, new_ratio=1.0), decks, set(), [], ["t/alpha"])
    assert [i.card.deck_id for i in items] == ["t/alpha"] and not lazy["t/beta"].decoded
    assert warm == cold


def _plans_dirs(root: Path) -> ContentDirs:
    return ContentDirs(decks=((root / "decks", False),), plans=((root / "plans", False),))


def _counting_plan_parser(monkeypatch) -> list[Path]:
    calls: list[Path] = []
    real = content_module.load_plan_file

    def spy(path, root, bundled, known=None, areas=None):
        calls.append(path)
        return real(path, root, bundled, known, areas)

    monkeypatch.setattr(content_module, "load_plan_file", spy)
    return calls


def test_plans_are_cached_and_reparsed_when_they_or_the_decks_they_name_change(tmp_path, monkeypatch) -> None:
    """A warm run parses no YAML; a plan naming a deck that appears later is re-checked."""
    write(tmp_path, "decks/t/alpha.md", ALPHA)
    plan = write(tmp_path, "plans/starter.yaml", PLAN)  # names t/alpha and t/beta
    cache = tmp_path / "cache.json"
    calls = _counting_plan_parser(monkeypatch)
    first = load_collection(_plans_dirs(tmp_path), cache)
    assert any("t/beta" in d.message for d in first.diagnostics)  # not a deck yet
    second = load_collection(_plans_dirs(tmp_path), cache)
    assert calls == [plan] and second == first  # served from the cache, equal field for field
    write(tmp_path, "decks/t/beta.md", BETA)
    third = load_collection(_plans_dirs(tmp_path), cache)
    assert calls == [plan, plan]  # the deck set changed: the plan is checked again
    assert not any("t/beta" in d.message for d in third.diagnostics)
    plan.write_text(PLAN.replace("theme: Next", "theme: Later"), encoding="utf-8")
    stat = plan.stat()
    os.utime(plan, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    fourth = load_collection(_plans_dirs(tmp_path), cache)
    assert len(calls) == 3 and fourth.plans[0].weeks[1].theme == "Later"


def test_a_forged_plan_entry_is_parsed_again(tmp_path, monkeypatch) -> None:
    write(tmp_path, "decks/t/alpha.md", ALPHA)
    write(tmp_path, "decks/t/beta.md", BETA)
    write(tmp_path, "plans/starter.yaml", PLAN)
    cache = tmp_path / "cache.json"
    first = load_collection(_plans_dirs(tmp_path), cache)
    index, _, blobs = cache.read_bytes().partition(b"\n")
    data = json.loads(index)
    data["plans"][0][-1][0][3][0][2] = "t/alpha"  # week 1's topics: text where a list belongs
    cache.write_bytes(json.dumps(data).encode() + b"\n" + blobs)
    calls = _counting_plan_parser(monkeypatch)
    assert load_collection(_plans_dirs(tmp_path), cache) == first
    assert len(calls) == 1


def _bundled_dirs(root: Path) -> ContentDirs:
    return ContentDirs(decks=((root / "decks", True),), plans=())


def test_the_builds_parse_of_the_bundled_decks_is_read_not_parsed(tmp_path, monkeypatch) -> None:
    """setup.py parses the bundled decks into the package (`build_shipped`); a first run reads
    them (same decks, their real paths) and parses only a file changed since the build."""
    alpha = write(tmp_path, "decks/t/alpha.md", ALPHA)
    write(tmp_path, "decks/t/beta.md", BETA)
    broken = (
        BETA.replace("title: Beta topic", "title: Broken")
        + "\n## No right option {#none}\n- [ ] a\n- [ ] b\n"
    )
    write(tmp_path, "decks/t/bro\u200bken.md", broken)  # a diagnostic in the file, one on its name
    parsed = load_collection(_bundled_dirs(tmp_path), None)  # what a parse gives
    assert len(parsed.diagnostics) >= 2
    assert build_shipped(tmp_path / "decks", tmp_path / "decks.parsed") == 3
    calls = counting_parser(monkeypatch)
    first = load_collection(_bundled_dirs(tmp_path), tmp_path / "home" / "cache.json")
    assert calls == [] and first == parsed
    assert first.deck("t/alpha").path == alpha and first.deck("t/alpha").bundled
    alpha.write_text(ALPHA.replace("Alpha one answer.", "Changed after the build."), encoding="utf-8")
    again = load_collection(_bundled_dirs(tmp_path), tmp_path / "other-home" / "cache.json")
    assert calls == [alpha]  # changed since the build: parsed; beta still read
    assert again.deck("t/alpha").cards[0].answer == "Changed after the build."


@pytest.mark.parametrize("damage", [b"\x80garbage", b'{"format": "other"}\n', b""])
def test_a_damaged_shipped_parse_means_the_decks_are_parsed(tmp_path, monkeypatch, damage) -> None:
    write(tmp_path, "decks/t/alpha.md", ALPHA)
    parsed = load_collection(_bundled_dirs(tmp_path), None)
    (tmp_path / "decks.parsed").write_bytes(damage)
    calls = counting_parser(monkeypatch)
    assert load_collection(_bundled_dirs(tmp_path), tmp_path / "cache.json") == parsed
    assert len(calls) == 1


@pytest.mark.parametrize("forged", [5, [5, []], [[["t/alpha"], [], [], True], [["x"]]]])
def test_a_forged_shipped_entry_means_that_deck_is_parsed_and_cached(tmp_path, monkeypatch, forged) -> None:
    """An entry of the right file format that `encode` did not write is parsed instead, and the
    parse goes into the user's cache (the next run parses nothing)."""
    write(tmp_path, "decks/t/alpha.md", ALPHA)
    parsed = load_collection(_bundled_dirs(tmp_path), None)
    build_shipped(tmp_path / "decks", tmp_path / "decks.parsed")
    index, _, blobs = (tmp_path / "decks.parsed").read_bytes().partition(b"\n")
    data = json.loads(index)
    data["entries"][0][2] = forged
    (tmp_path / "decks.parsed").write_bytes(json.dumps(data).encode() + b"\n" + blobs)
    calls = counting_parser(monkeypatch)
    assert load_collection(_bundled_dirs(tmp_path), tmp_path / "cache.json") == parsed
    assert load_collection(_bundled_dirs(tmp_path), tmp_path / "cache.json") == parsed
    assert len(calls) == 1


def test_a_card_asked_from_a_damaged_blob_comes_from_a_fresh_parse(tmp_path) -> None:
    """One card is decoded alone; when its blob is damaged, the deck is parsed again instead."""
    write(tmp_path, "decks/t/alpha.md", ALPHA)
    cache = tmp_path / "cache.json"
    cold = load_collection(dirs_for(tmp_path), cache)
    raw = cache.read_bytes()
    end = raw.index(b"\n")
    cache.write_bytes(raw[: end + 1] + b"\x00" * (len(raw) - end - 1))  # the index intact
    warm = load_collection(dirs_for(tmp_path), cache)
    wanted = cold.deck("t/alpha").cards[1]
    assert warm.deck("t/alpha").card(wanted.id) == wanted
    assert warm.deck("t/alpha").card("t/alpha#gone") is None
    assert warm == cold


# Text that JSON must carry through a one-card-per-line blob: newlines (escaped by JSON, never a raw
# line break), U+2028/U+2029 (which `ensure_ascii=False` writes raw), quotes, backslashes, emoji.
_TEXT = st.text(alphabet=st.sampled_from(list('ab \n\t"\\{}[],:\u2028\u2029é😀#')), max_size=12)


@st.composite
def _decks(draw: st.DrawFn) -> Deck:
    n = draw(st.integers(0, 4))
    cards = tuple(
        Card(
            id=f"t/d#c{i}",
            deck_id="t/d",
            question=draw(_TEXT),
            answer=draw(_TEXT),
            kind=draw(st.sampled_from([CardKind.BASIC, CardKind.MCQ])),
            stem=draw(_TEXT),
            options=tuple(Option(draw(_TEXT), draw(st.booleans())) for _ in range(draw(st.integers(0, 3)))),
            explanation=draw(_TEXT),
            line=draw(st.integers(0, 10_000)),
        )
        for i in range(n)
    )
    return Deck(id="t/d", title="T", area="A", summary=draw(_TEXT), cards=cards, path=Path("t/d.md"))


@given(_decks())
def test_a_cached_deck_round_trips_whole_and_card_by_card(deck: Deck) -> None:
    """Each card is one line of its deck's blob, whatever its text holds; asked by id it comes
    back alone, equal to the parse, and so does the whole deck."""
    entry, blob = deckcache.encode(ParsedDeck(deck, ()))
    index = json.loads(json.dumps(entry))
    one_by_one = deckcache.decode(index, lambda: blob).deck
    assert one_by_one is not None
    assert [one_by_one.card(c.id) for c in deck.cards] == list(deck.cards)
    assert one_by_one.card("t/d#gone") is None
    whole = deckcache.decode(index, lambda: blob).deck
    assert whole is not None and tuple(whole.cards) == deck.cards


def test_a_card_asked_by_id_decodes_its_own_line_only() -> None:
    """A report naming one leech from a deck must not decode (or trip over) the deck's other cards:
    with another card's line damaged, the card asked still comes from the cache, no parse; the
    whole deck, asked for, falls back to a fresh parse."""
    deck = Deck(
        id="t/d",
        title="T",
        area="A",
        cards=tuple(Card(id=f"t/d#c{i}", deck_id="t/d", question=f"q{i}", answer=f"a{i}") for i in range(3)),
    )
    entry, blob = deckcache.encode(ParsedDeck(deck, ()))
    lines = blob.split(b"\n")
    assert len(lines) == 3
    damaged = b"\n".join([b"{not json", *lines[1:]])
    parses: list[int] = []

    def reparse() -> ParsedDeck:
        parses.append(1)
        return ParsedDeck(deck, ())

    cached = deckcache.decode(entry, lambda: damaged, reparse).deck
    assert cached is not None
    assert cached.card("t/d#c2") == deck.cards[2] and not parses
    assert tuple(cached.cards) == deck.cards and parses == [1]
