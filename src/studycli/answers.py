"""Typed answers that grade themselves: numbers with units, sets of letters, ticked key points.

Pure functions over strings and plain data, so every rule is tested without a terminal. The same
number reader serves the deck's '=' line and what the learner types, so `1.3B`, `1.3 billion`,
`1,300,000,000` and `1.3e9` mean one thing everywhere.

`B` is the one ambiguous symbol: billion in a count, bytes in a size. It means bytes only where the
card's unit is a byte unit (`GB`, `KiB`, `bytes`…); everywhere else it is billion, so a card
`= 175 ± 5 B` asks for 175 billion and a card `= 140 ± 10 GB` reads an answer `1.4e11 B` as bytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .model import Card, CardKind, NumericAnswer

# The grading rules of these card types live in rules.py with every other rule constant.
from .rules import (
    MULTI_ALL_RIGHT,
    MULTI_ONE_OFF,
    MULTI_WRONG,
    NEAR_FACTOR,
    NUMERIC_NEAR,
    NUMERIC_WITHIN,
    NUMERIC_WITHIN_SLOW,
    NUMERIC_WRONG,
    RUBRIC_BANDS,
    RUBRIC_NONE,
    RUBRIC_SOME,
)

MAX_POINTS = 9  # one key each (1-9) when ticking on a terminal
MAX_INPUT = 200  # characters: anything longer is not a number someone typed

# Exactness for floating point: a bound is inclusive up to this relative slack.
_EPS = 1e-9


class AnswerError(ValueError):
    """Text that is not a valid answer (or '=' line); the message says what to type instead."""


@dataclass(frozen=True)
class Unit:
    symbol: str  # canonical spelling, as shown
    family: str  # what it measures: values convert only within one family
    factor: float  # base units per one of this unit


def _units() -> dict[str, Unit]:
    table: dict[str, Unit] = {}

    def add(family: str, factor: float, symbol: str, *spellings: str) -> None:
        unit = Unit(symbol, family, factor)
        for spelling in (symbol, *spellings):
            table[spelling.lower()] = unit

    add("count", 0.01, "%", "percent")
    add("count", 1.0, "x", "×", "times")
    for noun in (
        "tokens", "params", "parameters", "GPUs", "steps", "layers", "heads", "experts",
        "requests", "queries", "sequences", "documents", "users", "samples", "examples", "items",
    ):  # fmt: skip
        add("count", 1.0, noun, noun.rstrip("s"))
    add("bytes", 1.0, "bytes", "byte", "B")  # "B" only where the card's unit is a byte unit
    add("bytes", 0.125, "bits", "bit")
    for i, prefix in enumerate("KMGTP", start=1):
        add("bytes", 1000.0**i, f"{prefix}B")
        add("bytes", 1024.0**i, f"{prefix}iB")
        add("bytes/s", 1000.0**i, f"{prefix}B/s")
    add("bytes/s", 1.0, "B/s")
    add("seconds", 1e-9, "ns")
    add("seconds", 1e-6, "µs", "us", "μs")
    add("seconds", 1e-3, "ms")
    add("seconds", 1.0, "s", "sec", "secs", "second", "seconds")
    add("seconds", 60.0, "min", "mins", "minute", "minutes")
    add("seconds", 3600.0, "h", "hr", "hrs", "hour", "hours")
    add("seconds", 86400.0, "days", "day", "d")
    for prefix, factor in (("", 1.0), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18)):
        add("flop", factor, f"{prefix}FLOPs", f"{prefix}FLOP")
        add("flop/s", factor, f"{prefix}FLOP/s")
    add("count/s", 1.0, "tokens/s", "tok/s", "token/s")
    add("usd", 1.0, "USD", "$", "dollars", "dollar")
    return table


UNITS = _units()
_BARE_BYTE = "b"

SCALES: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "bn": 1e9,
    "k": 1e3,
    "m": 1e6,
    "b": 1e9,  # bytes instead where the card's unit is a byte unit
    "t": 1e12,
}
_SCALES_LONGEST_FIRST = sorted(SCALES, key=len, reverse=True)

_NUMBER = re.compile(
    r"""
    (?P<sign>[+-])?\s*
    (?P<mant>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)
    (?:
        e(?P<exp>[+-]?\d{1,4})
      | \s*[x*·×]\s*10\s*(?:\^|\*\*)\s*(?P<exp10>[+-]?\d{1,4})
      | \s*(?:\^|\*\*)\s*(?P<pow>[+-]?\d{1,4})
    )?
    """,
    re.VERBOSE,
)
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_DIGIT_UNDERSCORE = re.compile(r"(?<=\d)_(?=\d)")


@dataclass(frozen=True)
class Quantity:
    """A number as written: the number, its scale word (1 if none) and its unit (None if none)."""

    number: float
    scale: float = 1.0
    unit: Unit | None = None

    @property
    def scaled(self) -> float:
        return self.number * self.scale


def _normalise(text: str) -> str:
    text = text.replace("\u2212", "-").replace("\u2013", "-")  # minus sign, en dash
    text = _DIGIT_UNDERSCORE.sub("", text)
    return _SPACES.sub(" ", text).strip().lower()


def parse_quantity(text: str, *, byte_context: bool = False) -> Quantity:
    """Read one number with an optional scale (k, M, B, billion…) and unit (GB, ms, %…).

    Raises `AnswerError` (never anything else) for text that is not one; `byte_context` makes a
    lone `B` bytes instead of billion.
    """
    if len(text) > MAX_INPUT:
        raise AnswerError(f"that is {len(text)} characters; type just the number")
    raw = _normalise(text)
    dollars = False
    for prefix in ("~", "≈", "about ", "approx ", "approx. ", "$"):
        if raw.startswith(prefix):
            dollars = dollars or prefix == "$"
            raw = raw[len(prefix) :].lstrip()
    if raw.startswith("$"):
        dollars, raw = True, raw[1:].lstrip()
    if not raw:
        raise AnswerError("type a number, e.g. 1.3e9, 1.3B, 1,300,000 or 1.3 billion")
    match = _NUMBER.match(raw)
    if match is None:
        raise AnswerError(f"{text.strip()!r} does not start with a number")
    number = _number(match)
    rest = raw[match.end() :].strip()
    if rest.startswith(",") or (rest[:1].isdigit() and "," in raw):
        raise AnswerError("commas group thousands (1,300,000); write decimals with a point (1.3)")
    if rest[:1].isdigit() or (rest and rest[0] in ".+-"):
        raise AnswerError("type one number, without spaces inside it (1300000, 1,300,000 or 1.3e6)")
    scale, unit = _scale_and_unit(rest, byte_context)
    if dollars:
        if unit is not None:
            raise AnswerError("'$' with another unit; write one or the other")
        unit = UNITS["usd"]
    return Quantity(number, scale, unit)


def _number(match: re.Match[str]) -> float:
    digits = match.group("mant").replace(",", "")
    exponent = match.group("exp") or match.group("exp10")
    try:
        if exponent is not None:
            value = float(f"{digits}e{exponent}")  # exact where the spelling is: 1.3e9, 1.3×10^9
        elif match.group("pow") is not None:
            value = float(digits) ** int(match.group("pow"))
        else:
            value = float(digits)
    except (OverflowError, ZeroDivisionError):
        raise AnswerError("that number is too large to compare") from None
    if not math.isfinite(value):
        raise AnswerError("that number is too large to compare")
    return -value if match.group("sign") == "-" else value


def _lookup_unit(text: str, byte_context: bool) -> Unit | None:
    if text == _BARE_BYTE and not byte_context:
        return None
    return UNITS.get(text)


def _scale_and_unit(rest: str, byte_context: bool) -> tuple[float, Unit | None]:
    if not rest:
        return 1.0, None
    unit = _lookup_unit(rest, byte_context)
    if unit is not None:
        return 1.0, unit
    for word in _SCALES_LONGEST_FIRST:
        if not rest.startswith(word):
            continue
        if word == _BARE_BYTE and byte_context:
            continue
        tail = rest[len(word) :].strip()
        if not tail:
            return SCALES[word], None
        unit = _lookup_unit(tail, byte_context)
        if unit is not None and tail[0] != "/" and (rest[len(word)] == " " or len(word) == 1):
            return SCALES[word], unit
    raise AnswerError(f"unknown unit {rest!r} (known: {known_units_hint()})")


def known_units_hint() -> str:
    return "k M B T, %, B KB MB GB TB KiB MiB GiB, bits, ns µs ms s min h, FLOPs, tokens, params…"


# --- the '=' line of a numeric card --------------------------------------------------------------

_TOLERANCE_SPLIT = re.compile(r"±|\+/-|\+-")
_TIME = re.compile(r"^time\s*:\s*(?P<value>.*)$", re.IGNORECASE)


def parse_numeric_line(text: str) -> NumericAnswer:
    """`= VALUE [± TOLERANCE] [UNIT]` → NumericAnswer; `AnswerError` says what is wrong.

    A scale or unit written only after the tolerance applies to both numbers (`= 175 ± 5 GB`).
    A `%` tolerance is relative (`= 1.3e9 ± 10%`) unless the value itself is a percentage, when it
    is in percentage points (`= 40% ± 5%` accepts 35%-45%). Without `±` the answer is exact.
    """
    body = text.strip()
    if not body.startswith("="):
        raise AnswerError("a numeric answer line starts with '='")
    body = body[1:].strip()
    if not body:
        raise AnswerError("'=' needs a number, e.g. '= 1.3e9 ± 10%' or '= 175 ± 5 GB'")
    parts = _TOLERANCE_SPLIT.split(body)
    if len(parts) > 2:
        raise AnswerError("one '±' at most: '= VALUE ± TOLERANCE UNIT'")
    value_text = parts[0].strip()
    tol_text = parts[1].strip() if len(parts) == 2 else None
    if not value_text:
        raise AnswerError("no number before '±'")
    if tol_text is not None and not tol_text:
        raise AnswerError("'±' without a number: write '± 10%' or '± 5 GB', or leave '±' out")
    value, tol = _read_parts(value_text, tol_text, byte_context=False)
    if any(q is not None and q.unit is not None and q.unit.family == "bytes" for q in (value, tol)):
        value, tol = _read_parts(value_text, tol_text, byte_context=True)  # a size: B is bytes
    return _resolve(value, tol)


def _read_parts(
    value_text: str, tol_text: str | None, *, byte_context: bool
) -> tuple[Quantity, Quantity | None]:
    value = _quantity(value_text, "the value", byte_context)
    tol = _quantity(tol_text, "the tolerance", byte_context) if tol_text is not None else None
    return value, tol


def _resolve(value: Quantity, tol: Quantity | None) -> NumericAnswer:
    relative = tol is not None and tol.unit is not None and tol.unit.symbol == "%"
    relative = relative and not (value.unit is not None and value.unit.symbol == "%")
    if tol is not None and not relative and value.unit is None:
        # `= 175 ± 5 GB`, `= 175 ± 5 billion`: what follows the tolerance covers both numbers
        value = Quantity(value.number, value.scale if value.scale != 1.0 else tol.scale, tol.unit)
    unit = value.unit
    if tol is not None and not relative and tol.unit is not None:
        if unit is None:
            raise AnswerError(f"the tolerance is in {tol.unit.symbol} but the value has no unit")
        if tol.unit.family != unit.family:
            raise AnswerError(f"the value is in {unit.symbol} but the tolerance in {tol.unit.symbol}")
    factor = unit.factor if unit is not None else 1.0
    base_value = value.scaled * factor
    if tol is None:
        tolerance = 0.0
    elif relative:
        tolerance = abs(base_value) * tol.scaled / 100
    else:
        tol_factor = tol.unit.factor if tol.unit is not None else factor
        tolerance = tol.scaled * tol_factor
    if tol is not None and tol.number < 0:
        raise AnswerError("the tolerance must be positive")
    if tol is not None and tolerance == 0:
        raise AnswerError("a tolerance of zero: leave '± 0' out for an exact answer")
    if not (math.isfinite(base_value) and math.isfinite(tolerance)):
        raise AnswerError("that number is too large to compare")
    return NumericAnswer(
        value=base_value,
        tolerance=tolerance,
        unit=unit.symbol if unit is not None else "",
        family=unit.family if unit is not None else "count",
        factor=factor,
    )


def _quantity(text: str, what: str, byte_context: bool) -> Quantity:
    try:
        return parse_quantity(text, byte_context=byte_context)
    except AnswerError as exc:
        raise AnswerError(f"{what}: {exc}") from None


def parse_time_line(text: str) -> float | None:
    """`Time: 90 s` → 90.0; None if the text is not a Time line; AnswerError if it is a bad one."""
    match = _TIME.match(text.strip())
    if match is None:
        return None
    try:
        quantity = parse_quantity(match.group("value"))
    except AnswerError as exc:
        raise AnswerError(f"'Time:' needs a duration such as 'Time: 90 s' ({exc})") from None
    unit = quantity.unit or UNITS["s"]
    if unit.family != "seconds":
        raise AnswerError(f"'Time:' needs a duration such as 'Time: 90 s', not {unit.symbol}")
    seconds = quantity.scaled * unit.factor
    if seconds <= 0:
        raise AnswerError("the time target must be more than zero seconds")
    return seconds


def is_time_line(text: str) -> bool:
    return _TIME.match(text.strip()) is not None


# --- grading ------------------------------------------------------------------------------------


def read_number(text: str, spec: NumericAnswer) -> float:
    """What the learner typed, in the base unit of the card's family (AnswerError if unreadable).

    A number without a unit is in the card's unit: `140` on a `GB` card is 140 GB.
    """
    quantity = parse_quantity(text, byte_context=spec.family == "bytes")
    if quantity.unit is None:
        return quantity.scaled * spec.factor
    if quantity.unit.family != spec.family:
        wanted = spec.unit or "a plain number"
        raise AnswerError(f"{quantity.unit.symbol} does not convert to {wanted}")
    return quantity.scaled * quantity.unit.factor


def grade_numeric(answer: float, spec: NumericAnswer, seconds: float | None = None) -> int:
    """5 within the tolerance (4 if slower than the card's time target), 3 within twice it, else 1."""
    slack = _EPS * max(abs(answer), abs(spec.value), 1e-300)
    distance = abs(answer - spec.value)
    if distance <= spec.tolerance + slack:
        slow = spec.seconds is not None and seconds is not None and seconds > spec.seconds
        return NUMERIC_WITHIN_SLOW if slow else NUMERIC_WITHIN
    if distance <= NEAR_FACTOR * spec.tolerance + slack:
        return NUMERIC_NEAR
    return NUMERIC_WRONG


def format_amount(base: float, spec: NumericAnswer) -> str:
    """A base-unit amount in the card's unit, to four significant figures: '37 GB', '1.3 billion'."""
    number = base / spec.factor
    if spec.unit == "%":
        return f"{_figures(number)}%"
    if spec.unit == "USD":
        return f"${_figures(number)}"
    if spec.family == "count" and spec.unit not in ("x",):
        for word, size in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
            if abs(number) >= size:
                return f"{_figures(number / size)} {word} {spec.unit}".rstrip()
    return f"{_figures(number)} {spec.unit}".rstrip()


def _figures(number: float) -> str:
    if number == 0:
        return "0"
    if abs(number) >= 1e15 or abs(number) < 1e-4:
        return f"{number:.4g}"
    rounded = float(f"{number:.4g}")
    if abs(rounded) >= 1000:
        return f"{rounded:,.0f}"
    return f"{rounded:.6f}".rstrip("0").rstrip(".")


def describe_numeric(spec: NumericAnswer) -> str:
    """The accepted answer in words: '37 GB (35.5 GB to 38.5 GB)' or '64 (exactly)'."""
    shown = format_amount(spec.value, spec)
    if spec.tolerance == 0:
        return f"{shown} (exactly)"
    low = format_amount(spec.value - spec.tolerance, spec)
    high = format_amount(spec.value + spec.tolerance, spec)
    return f"{shown} ({low} to {high})"


def parse_letters(text: str, count: int) -> frozenset[int]:
    """`ac`, `a c`, `a,c`, `A, C` → {0, 2}; AnswerError names what is not an option."""
    letters = "abcdefghijklmnopqrstuvwxyz"[:count]
    picked: set[int] = set()
    for char in text.strip().lower():
        if char in " ,;/+&":
            continue
        index = letters.find(char)
        if index < 0:
            shown = char if char.isprintable() else repr(char)
            raise AnswerError(f"{shown} is not an option: pick letters a-{letters[-1]}, e.g. ac")
        picked.add(index)
    if not picked:
        raise AnswerError(f"pick one or more letters a-{letters[-1]}, e.g. ac")
    return frozenset(picked)


def grade_multi(picked: Iterable[int], correct: Iterable[int]) -> int:
    """All right 4; one right option missed or one wrong one picked 2; anything else 1."""
    chosen, right = set(picked), set(correct)
    off = len(right - chosen) + len(chosen - right)
    if off == 0:
        return MULTI_ALL_RIGHT
    if off == 1:
        return MULTI_ONE_OFF
    return MULTI_WRONG


def parse_ticks(text: str, count: int) -> frozenset[int]:
    """`1 3 4`, `1,3`, `134` (up to 9 points) → zero-based indexes; empty text is none ticked."""
    cleaned = text.strip()
    if not cleaned:
        return frozenset()
    tokens = [t for t in re.split(r"[\s,;]+", cleaned) if t]
    if len(tokens) == 1 and count <= 9 and tokens[0].isdigit() and len(tokens[0]) > 1:
        tokens = list(tokens[0])  # `134`: one digit per point when every point has one
    ticked: set[int] = set()
    for token in tokens:
        if not token.isdigit() or not 1 <= int(token) <= count:
            raise AnswerError(f"{token[:20]!r} is not a key point: type numbers 1-{count}, e.g. 1 3")
        ticked.add(int(token) - 1)
    return frozenset(ticked)


def grade_rubric(ticked: int, total: int) -> int:
    """Share of key points ticked: 100% → 5, ≥ 75% → 4, ≥ 50% → 3, any → 2, none → 1."""
    if total <= 0:
        raise ValueError("a rubric needs key points")
    share = ticked / total
    for floor, grade in RUBRIC_BANDS:
        if share >= floor - _EPS:
            return grade
    return RUBRIC_SOME if ticked else RUBRIC_NONE


def model_answer(card: Card, order: tuple[int, ...] = ()) -> list[str]:
    """The scripted lines that answer `card` fully right (for tests, tools and examples), with a
    choice card's options shown in `order` (`session.option_order`; () for as written)."""
    if order:
        card = replace(card, options=tuple(card.options[i] for i in order))
    if card.kind is CardKind.MCQ:
        return ["abcdefghijklmnopqrstuvwxyz"[card.correct_index]]
    if card.kind is CardKind.MULTI:
        return ["".join("abcdefghijklmnopqrstuvwxyz"[i] for i in sorted(card.correct_indexes))]
    if card.kind is CardKind.NUMERIC:
        assert card.numeric is not None
        return [repr(card.numeric.value / card.numeric.factor)]
    if card.kind is CardKind.RUBRIC:
        return ["", " ".join(str(i) for i in range(1, len(card.points) + 1))]
    return ["", "5"]
