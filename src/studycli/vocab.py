"""The domain's words as Enums: what a session, a review, a rating or a diagnostic can be.

They are `str` Enums, so a member *is* its text: it compares equal to the string the database and
the JSON hold, is stored by SQLite as that text, and prints as it (see `Word.__str__`). Code that
builds or checks one of these values names the member, so a typo is a NameError, not a silent bug.
"""

from __future__ import annotations

from enum import Enum


class Word(str, Enum):
    """A `str` Enum that prints and formats as its value on every Python version."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class SessionKind(Word):
    CHECK = "check"
    GAPS = "gaps"
    REVIEW = "review"
    MOCK = "mock"


class SessionStatus(Word):
    OPEN = "open"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"


class Source(Word):
    """Why a card is asked: met for the first time, or due for review."""

    NEW = "new"
    REVIEW = "review"


class Rating(Word):
    """A self-assessment answer in `study gaps`."""

    KNOW = "know"
    UNSURE = "unsure"
    DUNNO = "dunno"


class Severity(Word):
    ERROR = "error"
    WARNING = "warning"


def values(kind: type[Word]) -> tuple[str, ...]:
    """The texts of an Enum's members, in order (schema CHECKs and import validation use them)."""
    return tuple(member.value for member in kind)
