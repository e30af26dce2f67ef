"""The one exception type the shell turns into a clear message instead of a traceback."""

from __future__ import annotations


class StudyError(Exception):
    """A problem the user can act on. `hint` says how; `exit_code` follows sysexits loosely."""

    def __init__(self, message: str, hint: str = "", exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.exit_code = exit_code
