"""Checking the topic and area names users type in options, shared by check, review, gaps and report."""

from __future__ import annotations

import difflib

from ..errors import StudyError
from ..model import Collection


def check_topics(topics: list[str], collection: Collection) -> None:
    """Every --topic must name a deck; a typo gets the closest deck ids as a hint."""
    known = [deck.id for deck in collection.decks]
    for topic in topics:
        if topic not in known:
            close = difflib.get_close_matches(topic, known, n=3, cutoff=0.5)
            raise StudyError(
                f"unknown topic {topic!r}",
                ("did you mean: " + ", ".join(close) + "? " if close else "")
                + "`study plan` lists topics by deck id, e.g. foundations/optimisation",
            )


def resolve_areas(areas: list[str], collection: Collection) -> list[str]:
    """Resolve --area values case-insensitively; an unknown one lists the areas that exist."""
    known = list(dict.fromkeys(deck.area for deck in collection.decks))
    by_fold = {a.casefold(): a for a in known}
    resolved: list[str] = []
    for area in areas:
        match = by_fold.get(area.casefold())
        if match is None:
            starts = [a for a in known if a.casefold().startswith(area.casefold())]
            if len(starts) == 1:
                match = starts[0]
        if match is None:
            raise StudyError(f"unknown area {area!r}", "areas: " + ", ".join(known))
        resolved.append(match)
    return resolved
