"""`study lint`: every problem in decks, plans and stored progress, located for a person to fix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import ContentDirs
from .decks import iter_deck_files, load_deck_file
from .model import Collection, Diagnostic
from .plans import iter_plan_files, load_plan_file
from .vocab import Severity

DECK_SUFFIXES = (".md",)
PLAN_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LintResult:
    diagnostics: tuple[Diagnostic, ...]
    files: int

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == Severity.WARNING)


def orphaned_progress(progress: Mapping[str, str], collection: Collection) -> list[Diagnostic]:
    """Progress rows whose card no longer exists. They are kept in the store, only reported."""
    known = {card.id for deck in collection.decks for card in deck.cards}
    by_deck: dict[str, list[str]] = {}
    for card_id, deck_id in sorted(progress.items()):
        if card_id not in known:
            by_deck.setdefault(deck_id, []).append(card_id)
    diags = []
    for deck_id, card_ids in by_deck.items():
        exists = collection.deck(deck_id) is not None
        where = "are no longer in that deck" if exists else "that deck no longer exists"
        sample = ", ".join(card_ids[:3]) + (" …" if len(card_ids) > 3 else "")
        diags.append(
            Diagnostic(
                "progress",
                0,
                f"{len(card_ids)} card(s) of {deck_id!r} have progress but {where} "
                f"(progress kept, not deleted): {sample}",
                Severity.WARNING,
            )
        )
    return diags


def _root_for(path: Path, roots: Iterable[Path]) -> Path:
    """The content root a single file belongs to, so its id matches what `study check` uses.

    Compared as resolved paths: a relative argument such as `decks/x/y.md` must still be found
    under an absolute root.
    """
    resolved = path.resolve()
    for root in roots:
        try:
            resolved.relative_to(root.resolve())
            return root.resolve()
        except ValueError:
            continue
    return resolved.parent


def lint_paths(paths: Sequence[Path], dirs: ContentDirs, collection: Collection) -> LintResult:
    """Lint the given files or folders; plans may name any deck the user can see or that is linted."""
    diags: list[Diagnostic] = []
    deck_files: list[tuple[Path, Path]] = []
    plan_files: list[tuple[Path, Path]] = []
    deck_roots = [root for root, _ in dirs.decks]
    plan_roots = [root for root, _ in dirs.plans]
    for path in paths:
        if path.is_dir():
            found_decks = [(f, path) for f in iter_deck_files(path, diags)]
            found_plans = [(f, path) for f in iter_plan_files(path, diags)]
            if not found_decks and not found_plans:
                diags.append(
                    Diagnostic(str(path), 0, "folder holds no decks (.md) or plans (.yaml)", Severity.WARNING)
                )
            deck_files += found_decks
            plan_files += found_plans
        elif path.suffix.lower() in DECK_SUFFIXES and path.is_file():
            deck_files.append((path.resolve(), _root_for(path, deck_roots)))
        elif path.suffix.lower() in PLAN_SUFFIXES and path.is_file():
            plan_files.append((path.resolve(), _root_for(path, plan_roots)))
        elif not path.exists():
            diags.append(Diagnostic(str(path), 0, "no such file or folder"))
        else:
            diags.append(Diagnostic(str(path), 0, "not a deck (.md) or a plan (.yaml, .yml)"))
    known: set[str] = {deck.id for deck in collection.decks}
    areas: set[str] = {deck.area for deck in collection.decks}
    for file, root in deck_files:
        parsed = load_deck_file(file, root, bundled=False)
        diags.extend(parsed.diagnostics)
        if parsed.deck is not None:
            known.add(parsed.deck.id)
            areas.add(parsed.deck.area)
    for file, root in plan_files:
        diags.extend(
            load_plan_file(file, root, bundled=False, known_topics=known, known_areas=areas).diagnostics
        )
    return LintResult(tuple(diags), len(deck_files) + len(plan_files))


def lint_all(collection: Collection, progress: Mapping[str, str], files: int) -> LintResult:
    return LintResult((*collection.diagnostics, *orphaned_progress(progress, collection)), files)


def count_files(dirs: ContentDirs) -> int:
    total = 0
    for root, _ in dirs.decks:
        if root.is_dir():
            total += sum(1 for _ in iter_deck_files(root))
    for root, _ in dirs.plans:
        if root.is_dir():
            total += sum(1 for _ in iter_plan_files(root))
    return total
