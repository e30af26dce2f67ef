"""Reading answers: single keys on a terminal, whole lines when scripted.

On a terminal a grade is one key press (typer's getchar, which raises KeyboardInterrupt on Ctrl-C
and EOFError on Ctrl-D). When stdin is not a terminal, every answer is one line, so a session can be
driven by a file or a pipe; the end of input ends the session cleanly.
"""

from __future__ import annotations

import os
import select
import sys
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, TextIO

from rich.console import Console
from rich.text import Text

from ..answers import AnswerError, parse_ticks

TickStatus = Callable[[frozenset[int]], Text]


class TimeUp(Exception):
    """The question's time ran out before it was answered (a mock round's per-question clock)."""


@dataclass
class Clock:
    """A mock round's clocks: this question's deadline and the round's, on `now`'s time scale."""

    question_ends: float
    round_ends: float
    now: Callable[[], float] = time.monotonic

    def left(self) -> tuple[float, float]:
        t = self.now()
        return max(0.0, self.question_ends - t), max(0.0, self.round_ends - t)


def _mmss(seconds: float) -> str:
    whole = int(seconds + 0.999)
    return f"{whole // 60}:{whole % 60:02d}"


class Prompter(Protocol):
    # Whether answer times mean anything: a person at a terminal, not a script.
    timed: bool

    def choose(self, prompt: Text, valid: Collection[str], echo: bool = True) -> str:
        """One of `valid` (lower-case); raises EOFError or KeyboardInterrupt to stop.

        With `echo=False` the choice is not printed: the caller prints it once it has acted on
        it (a grade is echoed only after it is committed)."""
        ...

    def line(self, prompt: Text) -> str: ...

    def pause(self, prompt: Text) -> None: ...

    def invalid(self, message: Text) -> None:
        """Say that an answer could not be read (the caller then asks again)."""
        ...

    # A running per-question clock, or None. While it is set, `choose` and `line` raise TimeUp
    # when it runs out (only a person at a terminal is timed; scripts never run out of time).
    clock: Clock | None

    def toggle(self, prompt: Text, count: int, status: TickStatus) -> frozenset[int] | None:
        """Which of `count` numbered points the learner ticks (zero-based); None to stop.
        `status` draws the ticks so far, after each toggle on a terminal."""
        ...


@contextmanager
def _keys_mode(stream: TextIO) -> Iterator[Callable[[], str]]:
    """Yield a function reading one key press without Enter and without echo.

    Unlike click's getchar (typer.getchar), this does not flush type-ahead when it switches the
    terminal mode (TCSANOW, not TCSAFLUSH): a grade key pressed while the answer is still being
    drawn must not be lost. Ctrl-C still raises KeyboardInterrupt (signals stay on), and Ctrl-D
    raises EOFError. Falls back to typer.getchar where termios does not exist.
    """
    try:
        import termios
        import tty

        fd = stream.fileno()
        saved = termios.tcgetattr(fd)
    except (ImportError, OSError, ValueError, AttributeError):
        import typer

        yield lambda: typer.getchar()
        return

    def read() -> str:
        data = os.read(fd, 32)  # an escape sequence (arrow key) arrives in one read
        key = data.decode("utf-8", "replace")
        if key in ("", "\x04"):
            raise EOFError
        if key == "\x03":
            raise KeyboardInterrupt
        return key

    tty.setcbreak(fd, termios.TCSANOW)
    try:
        yield read
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)


class KeyPrompter:
    """Interactive: one key per choice, read without waiting for Enter."""

    timed = True

    def __init__(self, console: Console, stream: TextIO | None = None) -> None:
        self.console = console
        self.stream = stream if stream is not None else sys.stdin
        self.clock: Clock | None = None

    def _wait(self) -> None:
        """With a clock running, wait for a key while drawing the time left; TimeUp at zero."""
        clock = self.clock
        if clock is None:
            return
        fd = self.stream.fileno()
        while True:
            question, round_left = clock.left()
            if question <= 0:
                self.clock = None
                raise TimeUp
            self.console.file.write(f"\x1b7 ⏱ {_mmss(question)} · round {_mmss(round_left)} \x1b8")
            self.console.file.flush()
            ready, _, _ = select.select([fd], [], [], min(1.0, question))
            if ready:
                self.console.file.write("\x1b[K")  # the clock text goes; the typed key follows
                return

    def choose(self, prompt: Text, valid: Collection[str], echo: bool = True) -> str:
        if self.clock is not None:
            return self._timed_choose(prompt, valid, echo)
        with _keys_mode(self.stream) as read_key:
            self.console.print(prompt, end="")
            while True:
                key = read_key().lower()
                if key in valid:
                    if echo:
                        self.console.print(key)
                    return key
                if key in ("\r", "\n", " "):
                    continue
                self._not_a_choice(key, f"press one of {' '.join(sorted(valid))}")

    def _not_a_choice(self, key: str, hint: str) -> None:
        """Say which key was wrong (a control key by its escape, never raw) and what to press."""
        shown = key if key.isprintable() else repr(key)
        self.console.print()
        self.console.print(
            Text.assemble(
                Text(f"{shown} is not a choice", style="bad"), Text(f" — {hint} > ", style="muted")
            ),
            end="",
        )

    def confirm(self, prompt: Text) -> bool:
        """Yes on y or Enter, no on n, q or Esc: a default-yes question answered with one key."""
        with _keys_mode(self.stream) as read_key:
            self.console.print(prompt, end="")
            while True:
                key = read_key().lower()
                if key in ("y", "\r", "\n"):
                    self.console.print("y")
                    return True
                if key in ("n", "q", "\x1b"):
                    self.console.print("n")
                    return False

    def _timed_choose(self, prompt: Text, valid: Collection[str], echo: bool) -> str:
        with _keys_mode(self.stream) as read_key:
            self.console.print(prompt, end="")
            while True:
                self._wait()
                key = read_key().lower()
                if key in valid:
                    self.clock = None
                    if echo:
                        self.console.print(key)
                    return key

    def line(self, prompt: Text) -> str:
        if self.clock is None:
            return self.console.input(prompt)
        return self._timed_line(prompt)

    def _timed_line(self, prompt: Text) -> str:
        """A line typed against the clock: characters echo as typed, Backspace erases, Enter ends;
        the time left shows beside it. TimeUp when the clock runs out (what was typed is shown)."""
        typed: list[str] = []
        with _keys_mode(self.stream) as read_key:
            self.console.print(prompt, end="")
            while True:
                self._wait()
                for key in read_key():
                    if key in ("\r", "\n"):
                        self.clock = None
                        self.console.print()
                        return "".join(typed)
                    if key in ("\x7f", "\b"):
                        if typed:
                            typed.pop()
                            self.console.file.write("\b \b")
                        continue
                    if key.isprintable():
                        typed.append(key)
                        self.console.file.write(key)
                self.console.file.flush()

    def pause(self, prompt: Text) -> None:
        with _keys_mode(self.stream) as read_key:
            self.console.print(prompt, end="")
            read_key()
            self.console.print()

    def invalid(self, message: Text) -> None:
        self.console.print(message)

    def toggle(self, prompt: Text, count: int, status: TickStatus) -> frozenset[int] | None:
        """Digits 1-`count` tick and untick, Enter finishes, q stops. Keys typed faster than the
        screen draws arrive together and are taken one by one."""
        ticked: set[int] = set()
        with _keys_mode(self.stream) as read_key:
            self.console.print(prompt, end="")
            while True:
                chunk = read_key().lower()
                keys = [chunk] if chunk.startswith("\x1b") else list(chunk)
                for key in keys:
                    if key in ("\r", "\n"):
                        self.console.print()
                        return frozenset(ticked)
                    if key == "q":
                        self.console.print("q")
                        return None
                    if key.isdigit() and 1 <= int(key) <= count:
                        ticked ^= {int(key) - 1}
                        self.console.print()
                        self.console.print(status(frozenset(ticked)), end="")
                        continue
                    if key == " ":
                        continue
                    self._not_a_choice(key, f"press 1-{count} to tick or untick, Enter when done")


class LinePrompter:
    """Scripted: every answer is one line of `stream`; invalid lines are reported and skipped."""

    timed = False
    clock: Clock | None = None  # never consulted: a script cannot run out of time

    def __init__(self, console: Console, errors: Console, stream: TextIO | None = None) -> None:
        self.console = console
        self.errors = errors
        self.stream: TextIO | None = stream if stream is not None else sys.stdin

    def _read(self) -> str:
        if self.stream is None:  # stdin closed altogether (`study check <&-`)
            raise EOFError
        line = self.stream.readline()
        if line == "":
            raise EOFError
        return line.rstrip("\r\n")

    def choose(self, prompt: Text, valid: Collection[str], echo: bool = True) -> str:
        self.console.print(prompt, end="")
        while True:
            answer = self._read().strip().lower()
            if answer in valid:
                if echo:
                    self.console.print(answer)
                return answer
            self.errors.print(
                Text(f"invalid answer {answer!r}: expected one of {', '.join(sorted(valid))}", style="bad")
            )

    def line(self, prompt: Text) -> str:
        self.console.print(prompt, end="")
        text = self._read()
        self.console.print(Text(text))
        return text

    def pause(self, prompt: Text) -> None:
        return None

    def invalid(self, message: Text) -> None:
        self.errors.print(message)

    def toggle(self, prompt: Text, count: int, status: TickStatus) -> frozenset[int] | None:
        """One line of ticked numbers (`1 3 4`; empty: none); `q` stops."""
        self.console.print(prompt, end="")
        while True:
            text = self._read()
            if text.strip().lower() == "q":
                self.console.print("q")
                return None
            try:
                ticked = parse_ticks(text, count)
            except AnswerError as exc:
                self.errors.print(Text(f"invalid answer {text[:40]!r}: {exc}", style="bad"))
                continue
            self.console.print(Text(text.strip()))
            return ticked
