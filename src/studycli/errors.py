"""The one exception type the shell turns into a clear message instead of a traceback."""

from __future__ import annotations


class StudyError(Exception):
    """A problem the user can act on. `hint` says how; `exit_code` follows sysexits loosely."""

    def __init__(self, message: str, hint: str = "", exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.exit_code = exit_code


class GradeConflict(StudyError):
    """A grade was given against a card state that is no longer the stored one: another terminal
    graded the card meanwhile. Nothing was written; `current` is the stored state (None: none)."""

    def __init__(self, card_id: str, current: object = None) -> None:
        super().__init__(
            f"card {card_id} was graded in another terminal meanwhile; this grade was not recorded",
            "only one check or review at a time counts each card",
        )
        self.card_id = card_id
        self.current = current
