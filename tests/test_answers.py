"""Typed answers: the number reader, the '=' line, and each grading rule of the new card types."""

from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycli.answers import (
    AnswerError,
    describe_numeric,
    grade_multi,
    grade_numeric,
    grade_rubric,
    parse_letters,
    parse_numeric_line,
    parse_quantity,
    parse_ticks,
    parse_time_line,
    read_number,
)
from studycli.model import NumericAnswer


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


# --- reading numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1300000000",
        "1,300,000,000",
        "1.3e9",
        "1.3E9",
        "13e8",
        "1.3B",
        "1.3 B",
        "1.3b",
        "1.3bn",
        "1.3 billion",
        "1300M",
        "1300 million",
        "1,300,000k",
        "1.3×10^9",
        "1.3 x 10^9",
        "1.3*10**9",
        "~1.3B",
        "≈ 1.3 billion",
        " 1.3e+9 ",
        "0.0013T",
        "1_300_000_000",
    ],
)
def test_every_spelling_of_one_point_three_billion(text: str) -> None:
    assert close(parse_quantity(text).scaled, 1.3e9)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("10%", 10, "%"),
        ("37 GB", 37, "GB"),
        ("37GB", 37, "GB"),
        ("512 KiB", 512, "KiB"),
        ("90 s", 90, "s"),
        ("2.5 ms", 2.5, "ms"),
        ("175B params", 175e9, "params"),
        ("3x", 3, "x"),
        ("$0.50", 0.5, "USD"),
        ("−3", -3, None),  # a Unicode minus sign
        ("2^30", 2**30, None),
    ],
)
def test_numbers_with_units(text: str, value: float, unit: str | None) -> None:
    quantity = parse_quantity(text)
    assert close(quantity.scaled, value)
    assert (quantity.unit.symbol if quantity.unit else None) == unit


def test_b_is_billion_in_a_count_and_bytes_in_a_size() -> None:
    assert parse_quantity("4 B").scaled == 4e9 and parse_quantity("4 B").unit is None
    in_bytes = parse_quantity("4 B", byte_context=True)
    assert in_bytes.scaled == 4 and in_bytes.unit is not None and in_bytes.unit.family == "bytes"
    assert parse_quantity("4 billion", byte_context=True).scaled == 4e9  # words stay words


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "type a number"),
        ("lots", "does not start with a number"),
        ("1,3", "commas group thousands"),
        ("12 furlongs", "unknown unit 'furlongs'"),
        ("1 2 5", "type one number"),
        ("1e999", "too large"),
        ("9" * 300, "type just the number"),
        ("$5 GB", "'$' with another unit"),
    ],
)
def test_unreadable_numbers_say_why(text: str, fragment: str) -> None:
    with pytest.raises(AnswerError, match=None) as info:
        parse_quantity(text)
    assert fragment in str(info.value)


SCALED_SPELLINGS = [
    (1, lambda n: f"{n}"),
    (1, lambda n: f"{n:,}"),
    (1, lambda n: f"{n}.0"),
    (1e3, lambda n: f"{n}k"),
    (1e3, lambda n: f"{n} thousand"),
    (1e6, lambda n: f"{n}M"),
    (1e6, lambda n: f"{n} million"),
    (1e9, lambda n: f"{n}B"),
    (1e9, lambda n: f"{n} bn"),
    (1e9, lambda n: f"{n} billion"),
    (1e12, lambda n: f"{n}T"),
    (1e12, lambda n: f"{n} trillion"),
]


@given(
    n=st.integers(min_value=0, max_value=10**6),
    exponent=st.integers(min_value=-12, max_value=12),
    spelling=st.sampled_from(SCALED_SPELLINGS),
    sign=st.sampled_from(["", "-", "+"]),
)
def test_every_accepted_spelling_parses_to_its_value(n, exponent, spelling, sign) -> None:
    """n × scale, written as digits, with thousands commas, a suffix or a word, and n × 10^e
    in every exponent notation: each reads back as that value."""
    scale, spell = spelling
    expected = (-1 if sign == "-" else 1) * n * scale
    assert close(parse_quantity(sign + spell(n)).scaled, expected)
    power = (-1 if sign == "-" else 1) * n * 10.0**exponent
    for text in (f"{n}e{exponent}", f"{n}×10^{exponent}", f"{n} x 10^{exponent}", f"{n}*10**{exponent}"):
        assert close(parse_quantity(sign + text).scaled, power), text


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300))
def test_a_float_written_by_python_reads_back(value: float) -> None:
    assert close(parse_quantity(repr(value)).scaled, value)
    assert close(parse_quantity(f"{value:e}").scaled, float(f"{value:e}"))


@given(st.text(max_size=60), st.booleans())
def test_arbitrary_text_raises_nothing_but_answer_error(text: str, byte_context: bool) -> None:
    try:
        quantity = parse_quantity(text, byte_context=byte_context)
    except AnswerError:
        return
    assert math.isfinite(quantity.scaled)


@given(st.text(alphabet="0123456789.,eE+-±%kKMBbTxX^*/ GiBsmnu$~µ", max_size=30))
def test_number_like_text_raises_nothing_but_answer_error(text: str) -> None:
    for candidate in (text, "= " + text):
        with contextlib.suppress(AnswerError):
            parse_quantity(candidate)
        with contextlib.suppress(AnswerError):
            parse_numeric_line(candidate)


# --- the '=' line ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "value", "tolerance", "unit"),
    [
        ("= 1.3e9 ± 10%", 1.3e9, 1.3e8, ""),
        ("= 1.3B +- 10%", 1.3e9, 1.3e8, ""),
        ("= 175 ± 5 B", 175e9, 5e9, ""),  # B after the tolerance: billion, for both numbers
        ("= 175 ± 5 billion", 175e9, 5e9, ""),
        ("= 175B ± 5B params", 175e9, 5e9, "params"),
        ("= 140 ± 10 GB", 140e9, 10e9, "GB"),
        ("= 140 GB ± 500 MB", 140e9, 500e6, "GB"),
        ("= 140 GB ± 500 B", 140e9, 500, "GB"),  # a size on the line: B is bytes
        ("= 1 GiB ± 10%", 2**30, 2**30 / 10, "GiB"),
        ("= 40% ± 5%", 0.40, 0.05, "%"),  # a percentage: the tolerance is in points
        ("= 2.5 ms +/- 0.5", 0.0025, 0.0005, "ms"),
        ("= 42", 42, 0, ""),
        ("= -3 ± 1", -3, 1, ""),
    ],
)
def test_numeric_lines(line: str, value: float, tolerance: float, unit: str) -> None:
    spec = parse_numeric_line(line)
    assert close(spec.value, value) and close(spec.tolerance, tolerance)
    assert spec.unit == unit


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("=", "'=' needs a number"),
        ("= ± 5", "no number before '±'"),
        ("= 5 ±", "'±' without a number"),
        ("= 5 ± 0", "tolerance of zero"),
        ("= 5 ± -1", "must be positive"),
        ("= 5 ± 1 ± 2", "one '±' at most"),
        ("= 5 furlongs", "unknown unit 'furlongs'"),
        ("= 5 ms ± 1 GB", "the value is in ms but the tolerance in GB"),
        ("= 5 ± 1 tokens", ""),  # fine: the unit covers both
        ("= about a billion", "does not start with a number"),
    ],
)
def test_bad_numeric_lines_say_why(line: str, fragment: str) -> None:
    if not fragment:
        parse_numeric_line(line)
        return
    with pytest.raises(AnswerError) as info:
        parse_numeric_line(line)
    assert fragment in str(info.value)


def test_time_lines() -> None:
    assert parse_time_line("Time: 90 s") == 90
    assert parse_time_line("time: 2 min") == 120
    assert parse_time_line("Time: 45") == 45
    assert parse_time_line("Timing is everything") is None
    for bad in ("Time: soon", "Time: 5 GB", "Time: 0 s"):
        with pytest.raises(AnswerError):
            parse_time_line(bad)


def test_described_with_the_accepted_range() -> None:
    assert describe_numeric(parse_numeric_line("= 37 ± 1.5 GB")) == "37 GB (35.5 GB to 38.5 GB)"
    assert describe_numeric(parse_numeric_line("= 1.3e9 ± 10%")) == (
        "1.3 billion (1.17 billion to 1.43 billion)"
    )
    assert describe_numeric(parse_numeric_line("= 40% ± 5%")) == "40% (35% to 45%)"
    assert describe_numeric(parse_numeric_line("= 42")) == "42 (exactly)"


# --- grading ------------------------------------------------------------------------------------

GB37 = parse_numeric_line("= 37 ± 1.5 GB")


@pytest.mark.parametrize(
    ("typed", "grade"),
    [
        ("37", 5),  # a bare number is in the card's unit
        ("38.5", 5),  # the edge of the tolerance is inside
        ("3.7e10 B", 5),  # B is bytes on a GB card
        ("37,000 MB", 5),
        ("0.037 TB", 5),
        ("35", 3),  # within twice the tolerance
        ("40", 3),
        ("40.1", 1),
        ("17.5", 1),
        ("1.3B", 1),  # 1.3 bytes
    ],
)
def test_numeric_grades(typed: str, grade: int) -> None:
    assert grade_numeric(read_number(typed, GB37), GB37) == grade


def test_numeric_time_target_costs_one_grade_only_when_right() -> None:
    timed = NumericAnswer(value=100, tolerance=10, seconds=60)
    assert grade_numeric(100, timed, seconds=59.9) == 5
    assert grade_numeric(100, timed, seconds=60.1) == 4
    assert grade_numeric(100, timed, seconds=None) == 5  # untimed (a script)
    assert grade_numeric(115, timed, seconds=600) == 3
    assert grade_numeric(130, timed, seconds=1) == 1
    untargeted = NumericAnswer(value=100, tolerance=10)
    assert grade_numeric(100, untargeted, seconds=1e6) == 5


def test_exact_numeric_answers() -> None:
    exact = parse_numeric_line("= 64")
    assert grade_numeric(read_number("64", exact), exact) == 5
    assert grade_numeric(read_number("64.0000000001", exact), exact) == 5  # float noise
    assert grade_numeric(read_number("65", exact), exact) == 1


def test_a_unit_of_another_kind_is_unreadable_not_wrong() -> None:
    with pytest.raises(AnswerError, match="ms does not convert to GB"):
        read_number("5 ms", GB37)
    percent = parse_numeric_line("= 0.4 ± 0.05")
    assert close(read_number("40%", percent), 0.4)


@pytest.mark.parametrize(
    ("picked", "grade"),
    [({0, 2}, 4), ({0}, 2), ({0, 1, 2}, 2), ({1}, 1), ({0, 1}, 1), ({1, 3}, 1), ({0, 1, 2, 3}, 1)],
)
def test_multi_grades(picked: set[int], grade: int) -> None:
    assert grade_multi(picked, {0, 2}) == grade


@pytest.mark.parametrize("text", ["ac", "a c", "a,c", "A, C", "ca", "a;c", "aac"])
def test_letter_spellings(text: str) -> None:
    assert parse_letters(text, 4) == {0, 2}


@pytest.mark.parametrize(("text", "fragment"), [("", "pick one or more"), ("ae", "e is not an option")])
def test_bad_letters(text: str, fragment: str) -> None:
    with pytest.raises(AnswerError) as info:
        parse_letters(text, 4)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("ticked", "total", "grade"),
    [(4, 4, 5), (3, 4, 4), (2, 4, 3), (1, 4, 2), (0, 4, 1), (2, 3, 3), (1, 3, 2), (6, 8, 4), (5, 8, 3)],
)
def test_rubric_grades(ticked: int, total: int, grade: int) -> None:
    assert grade_rubric(ticked, total) == grade


def test_ticks() -> None:
    assert parse_ticks("1 3 4", 5) == {0, 2, 3}
    assert parse_ticks("1,3", 5) == {0, 2}
    assert parse_ticks("134", 5) == {0, 2, 3}
    assert parse_ticks("", 5) == frozenset()
    assert parse_ticks("3 3", 5) == {2}
    for bad in ("6", "0", "x", "1 9"):
        with pytest.raises(AnswerError):
            parse_ticks(bad, 5)
