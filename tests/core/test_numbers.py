"""Vietnamese numbers and flags as written in a submission's cells (numbers.py)."""

from __future__ import annotations

import math
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from antq_cli.numbers import as_count, column_convention, parse_flag, parse_number

# ------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (12, 12),
        (0, 0),
        (-3, -3),
        (12.0, 12),
        (12.5, 12.5),
        (16504.0, 16504),
        (Decimal("7"), 7),
        ("16.504", 16504),
        ("1.234,5", 1234.5),
        ("1.234.567,89", 1234567.89),
        ("12.345.678", 12345678),
        ("12,5", 12.5),
        ("12,50", 12.5),
        ("0,5", 0.5),
        ("1.000,00", 1000),
        (" 12 ", 12),
        ("\xa012\xa0", 12),
        ("\t12\n", 12),
        ("1 234", 1234),
        (" 1 234 ", 1234),
        ("1\xa0234", 1234),
        ("1\u202f234", 1234),
        ("1\u2009234", 1234),
        ("1 234 567", 1234567),
        ("1 234,5", 1234.5),
        ("007", 7),
        ("\ufeff12", 12),
        ("-5", -5),
        ("- 5", -5),
        ("\u22121.234", -1234),
        ("+12", 12),
        # Valid only the English way, so read that way even in a Vietnamese column.
        ("12,345,678", 12345678),
        ("1,234.5", 1234.5),
        ("12.5", 12.5),
    ],
)
def test_numbers_in_a_vietnamese_column(cell, expected):
    parsed = parse_number(cell)
    assert parsed.ok and not parsed.blank and not parsed.percent
    assert parsed.value == expected
    assert type(parsed.value) is type(expected)


@pytest.mark.parametrize(("cell", "expected"), [("92,3%", 92.3), ("92,3 %", 92.3), ("100%", 100)])
def test_percent_keeps_the_written_figure(cell, expected):
    parsed = parse_number(cell)
    assert (parsed.value, parsed.percent, parsed.code) == (expected, True, "")


@pytest.mark.parametrize(
    "cell", [None, "", "   ", "\xa0", "-", "--", "–", "—", "x", "X", "…", "...", " - "]
)
def test_blank_and_dash_mean_zero_and_say_so(cell):
    parsed = parse_number(cell)
    assert (parsed.value, parsed.blank, parsed.code) == (0, True, "")


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        (True, "TRUE"),
        (False, "FALSE"),
        (datetime(2024, 2, 1), "2024-02-01"),
        (datetime(2024, 2, 1, 8, 30), "2024-02-01T08:30:00"),
        (date(2024, 2, 1), "2024-02-01"),
        (time(8, 30), "08:30:00"),
        (math.nan, "nan"),
        (math.inf, "inf"),
        ("abc", "abc"),
        ("12 vụ", "12 vụ"),
        ("mười hai", "mười hai"),
        ("1e5", "1e5"),
        ("12 5", "12 5"),
        ("1.234.5", "1.234.5"),
        ("1,2,3", "1,2,3"),
        ("12a", "12a"),
        ("5,", "5,"),
        ("١٢", "١٢"),
        ("(1)", "(1)"),
        ("  Đạt\n", "Đạt"),
    ],
)
def test_not_a_number(cell, shown):
    parsed = parse_number(cell)
    assert (parsed.value, parsed.code, parsed.params) == (None, "not-a-number", {"value": shown})
    assert not parsed.ok


def test_ambiguous_in_an_undetermined_column_is_flagged_not_guessed():
    parsed = parse_number("1,234")
    assert parsed.code == "ambiguous-number" and parsed.value is None
    assert parsed.params == {"value": "1,234", "vi": "1,234", "en": "1234", "example": "1234"}


@pytest.mark.parametrize(
    ("cell", "convention", "expected"),
    [
        ("1,234", "en", 1234),
        ("12,345", "en", 12345),
        ("1.234", "en", 1.234),
        ("1.234", "vi", 1234),
        ("12,345,678", "en", 12345678),
        ("1,234.5", "en", 1234.5),
        ("1.234,5", "en", 1234.5),  # valid only the Vietnamese way
        ("12,5", "en", 12.5),
        ("12,5", "mixed", 12.5),
        ("12,345,678", "mixed", 12345678),
        ("1234", "mixed", 1234),
    ],
)
def test_conventions(cell, convention, expected):
    assert parse_number(cell, convention).value == expected


@pytest.mark.parametrize(
    ("cell", "convention", "params"),
    [
        ("12,345", "vi", {"value": "12,345", "vi": "12,345", "en": "12345", "example": "12345"}),
        ("-1,234", "vi", {"value": "-1,234", "vi": "-1,234", "en": "-1234", "example": "-1234"}),
        ("1.234", "mixed", {"value": "1.234", "vi": "1234", "en": "1,234", "example": "1234"}),
        ("1,234", "mixed", {"value": "1,234", "vi": "1,234", "en": "1234", "example": "1234"}),
    ],
)
def test_ambiguous_params(cell, convention, params):
    parsed = parse_number(cell, convention)
    assert (parsed.code, parsed.params) == ("ambiguous-number", params)


@pytest.mark.parametrize(("cell", "vi", "en"), [("12,000", "12", "12000"),
                                               ("5,000", "5", "5000"),
                                               ("-3,000", "-3", "-3000")])
def test_three_zero_decimals_are_asked_not_read_as_a_small_number(cell, vi, en):
    parsed = parse_number(cell)
    assert (parsed.code, parsed.params["vi"], parsed.params["en"]) == ("ambiguous-number", vi, en)
    assert parsed.params["example"] == en  # a count: the likely meaning, written plainly
    assert parse_number(cell, "en").value == int(en)
    assert parse_number(cell, "mixed").code == "ambiguous-number"


def test_a_digit_string_too_long_for_any_count_is_too_large_without_int():
    for cell in ("1" * 32_767, "9" * 19, "-" + "9" * 5000):
        parsed = parse_number(cell)
        assert (parsed.value, parsed.code) == (None, "too-large")
    assert parse_number("0" * 40 + "12").value == 12  # leading zeros are no size
    assert parse_number("9" * 18).value == 10**18 - 1


def test_the_column_settles_an_ambiguous_value():
    texts = ["1,234", "12,345,678"]
    assert parse_number("1,234", column_convention(texts)).value == 1234
    assert parse_number("1,234", column_convention(["1,234", "1.234,5"])).code == (
        "ambiguous-number"
    )


def test_unknown_convention_is_a_programming_error():
    with pytest.raises(ValueError):
        parse_number("1", "fr")


def test_params_are_a_fresh_dict_each_time():
    parse_number("abc").params["extra"] = 1
    assert parse_number("abc").params == {"value": "abc"}


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ([], "vi"),
        (["12", "0", "", None, 12, 3.5], "vi"),
        (["1.234", "16.504"], "vi"),
        (["1,234"], "vi"),
        (["12.345.678"], "vi"),
        (["1.234,5", "3"], "vi"),
        (["12,5"], "vi"),
        (["12,50"], "vi"),
        (["12,345,678"], "en"),
        (["1,234.5", "1,234"], "en"),
        (["12.5"], "en"),
        (["12,345,678", "1.234,5"], "mixed"),
        (["12,5", "1,234.5"], "mixed"),
        (["abc", "-", "x"], "vi"),
    ],
)
def test_column_convention(texts, expected):
    assert column_convention(texts) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (12, 12),
        (0, 0),
        (-3, -3),
        (12.0, 12),
        (16503.999999999998, 16504),
        (12.5, None),
        (0.1, None),
        (None, None),
        (True, None),
        (math.nan, None),
        (math.inf, None),
    ],
)
def test_as_count(number, expected):
    assert as_count(number) == expected


@given(st.integers(min_value=0, max_value=10**15))
def test_any_count_written_the_vietnamese_way_reads_back(number):
    assert parse_number(f"{number:,}".replace(",", ".")).value == number
    assert parse_number(f"{number:,}".replace(",", " ")).value == number
    assert parse_number(f"{number:,}", "en").value == number


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=99))
def test_any_vietnamese_decimal_reads_back(whole, cents):
    text = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    assert parse_number(text).value == pytest.approx(whole + cents / 100)
    assert column_convention([text]) == "vi"


# --------------------------------------------------------------------------------------- flags


@pytest.mark.parametrize(
    "cell",
    [
        "Đạt", "đạt", "ĐẠT", "dat", "DAT", " Đạt ", "Đạt.", unicodedata.normalize("NFD", "Đạt"),
        "Đ", "đ", "Có", "có", "CO", "x", "X", "1", 1, 1.0, True, "✓", "✔", "☑", "Yes", "yes",
        "Y", "True", "TRUE", "Đạt chuẩn", "Đạt tiêu chuẩn",
    ],
)
def test_flag_yes(cell):
    assert parse_flag(cell) == 1


@pytest.mark.parametrize(
    "cell",
    [
        "Không đạt", "không đạt", "KHÔNG ĐẠT", "khong dat", "Chưa đạt", "chua dat", "Không",
        "khong", "0", 0, 0.0, False, "✗", "✘", None, "", "  ", "No", "no", "False", "FALSE", "-",
    ],
)
def test_flag_no(cell):
    assert parse_flag(cell) == 0


@pytest.mark.parametrize(
    "cell",
    ["abc", "Đạt một phần", "?", 2, -1, 0.5, datetime(2024, 1, 1), "10", "Đạt/Không đạt"],
)
def test_not_a_flag(cell):
    assert parse_flag(cell) is None
