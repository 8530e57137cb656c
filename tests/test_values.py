"""Vietnamese numbers, flags, periods and legacy encodings (antq_cli/values.py, periods.py)."""

from __future__ import annotations

import math
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from antq_cli import encodings
from antq_cli.encodings import detect_legacy, to_unicode
from antq_cli.numbers import as_count, column_convention, parse_flag, parse_number
from antq_cli.outputs.words import format_window
from antq_cli.periods import (Closing, Period, find_period, parse_period_option,
                              window)

SEEDS = sorted(Path("/work/shared/seeds").glob("*.txt"))

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


# ------------------------------------------------------------------------------------- periods

Q1 = Period(2024, "Q", 1)
ALL_2024 = [
    *(Period(2024, "Q", n) for n in range(1, 5)),
    Period(2024, "H", 1),
    Period(2024, "H", 2),
    Period(2024, "9M"),
    Period(2024, "Y"),
    *(Period(2024, "M", n) for n in range(1, 13)),
]


@pytest.mark.parametrize(
    ("period", "code", "vi", "en"),
    [
        (Q1, "2024-Q1", "Quý I/2024", "Q1 2024"),
        (Period(2024, "Q", 4), "2024-Q4", "Quý IV/2024", "Q4 2024"),
        (Period(2024, "H", 1), "2024-H1", "6 tháng đầu năm 2024", "First half of 2024"),
        (Period(2024, "H", 2), "2024-H2", "6 tháng cuối năm 2024", "Second half of 2024"),
        (Period(2024, "9M"), "2024-9M", "9 tháng năm 2024", "First nine months of 2024"),
        (Period(2024, "Y"), "2024", "Năm 2024", "Year 2024"),
        (Period(2024, "M", 3), "2024-03", "Tháng 3/2024", "March 2024"),
        (Period(2024, "M", 12), "2024-12", "Tháng 12/2024", "December 2024"),
    ],
)
def test_period_code_and_labels(period, code, vi, en):
    assert (period.code, str(period), period.label_vi, period.label_en) == (code, code, vi, en)
    assert (period.label("vi"), period.label("en")) == (vi, en)


@pytest.mark.parametrize(
    ("year", "kind", "number"),
    [(2024, "Q", 5), (2024, "Q", 0), (2024, "H", 3), (2024, "M", 13), (2024, "X", 1),
     (2024, "Y", 1), (1999, "Y", 0), (2100, "Q", 1)],
)
def test_invalid_period(year, kind, number):
    with pytest.raises(ValueError):
        Period(year, kind, number)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-Q1", Q1),
        ("2024-q1", Q1),
        (" 2024-Q1 ", Q1),
        ("2024-H1", Period(2024, "H", 1)),
        ("2024-h2", Period(2024, "H", 2)),
        ("2024-9M", Period(2024, "9M")),
        ("2024", Period(2024, "Y")),
        ("2024-03", Period(2024, "M", 3)),
        ("2024-3", Period(2024, "M", 3)),
        ("Quý I/2024", Q1),
        ("6 tháng đầu năm 2024", Period(2024, "H", 1)),
    ],
)
def test_parse_period_option(text, expected):
    assert parse_period_option(text) == expected


@pytest.mark.parametrize(
    "text", ["", "x", "2024-Q5", "2024-Q0", "2024-13", "2024-00", "2024-H3", "1999", "24-Q1", "Q1"]
)
def test_bad_period_option(text):
    with pytest.raises(ValueError):
        parse_period_option(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý I/2024", Q1),
        ("quý 1/2024", Q1),
        ("QUÝ I NĂM 2024", Q1),
        ("Q1/2024", Q1),
        ("Q1-2024", Q1),
        ("q1 2024", Q1),
        ("quy I-2024", Q1),
        ("BC quy I-2024 xa Tan Duc.xlsx", Q1),
        ("BC_quy1_2024_xa_Tan_Duc.xlsx", Q1),
        ("bc 2024-Q1 xa Tan Duc.csv", Q1),
        ("Quý I năm 2024", Q1),
        ("BÁO CÁO KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ QUÝ I NĂM 2024", Q1),
        (unicodedata.normalize("NFD", "Quý I năm 2024"), Q1),
        ("Quý II - 2024", Period(2024, "Q", 2)),
        ("Quý III/2024", Period(2024, "Q", 3)),
        ("QUÝ IV/2023", Period(2023, "Q", 4)),
        ("6 tháng đầu năm 2024", Period(2024, "H", 1)),
        ("SƠ KẾT 6 THÁNG ĐẦU NĂM 2024", Period(2024, "H", 1)),
        ("BC 6 thang dau nam 2024.xlsx", Period(2024, "H", 1)),
        ("6 tháng cuối năm 2024", Period(2024, "H", 2)),
        ("H2/2024", Period(2024, "H", 2)),
        ("9 tháng năm 2024", Period(2024, "9M")),
        ("9 tháng đầu năm 2024", Period(2024, "9M")),
        ("2024-9M", Period(2024, "9M")),
        ("năm 2023", Period(2023, "Y")),
        ("Năm 2023", Period(2023, "Y")),
        ("BÁO CÁO TỔNG KẾT NĂM 2023", Period(2023, "Y")),
        ("tháng 3/2024", Period(2024, "M", 3)),
        ("Tháng 03-2024", Period(2024, "M", 3)),
        ("tháng 9 năm 2024", Period(2024, "M", 9)),
        ("(Từ ngày 15/12/2023 đến ngày 14/3/2024)", Q1),
        ("Từ 15/12/2023 đến 14/06/2024", Period(2024, "H", 1)),
        ("Từ ngày 15/12/2023 - 14/9/2024", Period(2024, "9M")),
        ("(15/12/2022 – 14/12/2023)", Period(2023, "Y")),
        ("Từ ngày 15/2/2024 đến ngày 14/3/2024", Period(2024, "M", 3)),
        ("Từ ngày 15/6/2024 đến ngày 14/12/2024", Period(2024, "H", 2)),
        ("Từ ngày 15 tháng 12 năm 2023 đến ngày 14 tháng 3 năm 2024", Q1),
        ("Từ ngày 01/01/2024 đến ngày 31/03/2024", Q1),  # calendar quarter
        ("Số liệu tính từ 21/12/2023 đến 20/3/2024", Q1),  # closing on the 20th
    ],
)
def test_find_period(text, expected):
    assert find_period([text]) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Nghị định 09/2019/NĐ-CP",
        "Số 2024 hộ",
        "Quyết định số 2024/QĐ-UBND",
        "Tân Đức, ngày 20 tháng 3 năm 2024",
        "Tân Đức, ngày     tháng 3 năm 2024",
        "ngày ... tháng ... năm 2024",
        "Ngày 15/3/2024",
        "năm 1999",
        "năm 2100",
        "quý V/2024",
        "Q5-2024",
        "Tổng cộng 12.024",
        "(Từ ngày 10/12/2023 đến ngày 14/3/2024)",
        "Quý I",
        "",
        "Cộng hoà xã hội chủ nghĩa Việt Nam",
    ],
)
def test_no_period(text):
    assert find_period([text]) is None


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ([], None),
        ([None, 12, "  "], None),
        (["BÁO CÁO KẾT QUẢ QUÝ I", "NĂM 2024"], Q1),
        (["Năm 2024", "Sơ kết 6 tháng đầu năm"], Period(2024, "H", 1)),
        (["Kế hoạch năm 2024", "BC quy II-2024 xa Tan Duc.xlsx"], Period(2024, "Q", 2)),
        (["Tân Đức, ngày 20 tháng 3 năm 2024", "Quý I/2024"], Q1),
        (["Tân Đức, ngày 20 tháng 12 năm 2023", "Năm 2023"], Period(2023, "Y")),
        (["Quý I/2024", "Quý II/2024"], Q1),
    ],
)
def test_find_period_across_texts(texts, expected):
    assert find_period(texts) == expected


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Q1, date(2023, 12, 15), date(2024, 3, 14)),
        (Period(2024, "Q", 2), date(2024, 3, 15), date(2024, 6, 14)),
        (Period(2024, "Q", 4), date(2024, 9, 15), date(2024, 12, 14)),
        (Period(2024, "H", 1), date(2023, 12, 15), date(2024, 6, 14)),
        (Period(2024, "H", 2), date(2024, 6, 15), date(2024, 12, 14)),
        (Period(2024, "9M"), date(2023, 12, 15), date(2024, 9, 14)),
        (Period(2024, "Y"), date(2023, 12, 15), date(2024, 12, 14)),
        (Period(2024, "M", 3), date(2024, 2, 15), date(2024, 3, 14)),
        (Period(2024, "M", 1), date(2023, 12, 15), date(2024, 1, 14)),
    ],
)
def test_window_follows_decree_09(period, start, end):
    assert window(period) == (start, end)


@pytest.mark.parametrize(
    ("period", "close_day", "year_end_month", "start", "end"),
    [
        (Period(2024, "Y"), 14, 11, date(2023, 11, 15), date(2024, 11, 14)),
        (Period(2024, "Q", 4), 14, 11, date(2024, 8, 15), date(2024, 11, 14)),
        (Q1, 14, 11, date(2023, 11, 15), date(2024, 2, 14)),
        (Period(2024, "M", 3), 14, 11, date(2024, 2, 15), date(2024, 3, 14)),
        (Q1, 20, 12, date(2023, 12, 21), date(2024, 3, 20)),
        (Q1, 0, 12, date(2024, 1, 1), date(2024, 3, 31)),
        (Period(2024, "M", 2), 0, 12, date(2024, 2, 1), date(2024, 2, 29)),
        (Period(2024, "Y"), 0, 12, date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_window_is_configurable(period, close_day, year_end_month, start, end):
    assert window(period, Closing(close_day, year_end_month)) == (start, end)


@pytest.mark.parametrize(("close_day", "year_end_month"), [(29, 12), (-1, 12), (14, 0), (14, 13)])
def test_window_rejects_bad_settings(close_day, year_end_month):
    with pytest.raises(ValueError):
        window(Q1, Closing(close_day, year_end_month))


def test_format_window():
    assert format_window(Q1) == "Số liệu tính từ 15/12/2023 đến 14/3/2024"
    assert format_window(Q1, "vi") == "Số liệu tính từ 15/12/2023 đến 14/3/2024"
    assert format_window(Q1, "en") == "Data from 15/12/2023 to 14/3/2024"
    assert format_window(Period(2024, "Y"), "vi", Closing(14, 11)) == (
        "Số liệu tính từ 15/11/2023 đến 14/11/2024"
    )


@pytest.mark.parametrize("period", ALL_2024, ids=str)
def test_periods_round_trip(period):
    assert parse_period_option(period.code) == period
    assert find_period([period.label_vi]) == period
    assert find_period([period.label_vi.upper()]) == period
    assert find_period([format_window(period)]) == period
    assert find_period([format_window(period, closing=Closing(0, 12))]) == period


@pytest.mark.parametrize("period", ALL_2024, ids=str)
def test_window_round_trip_with_a_november_year(period):
    text = format_window(period, closing=Closing(14, 11))
    assert find_period([text], Closing(14, 11)) == period


# ------------------------------------------------------------------------ legacy encodings

TCVN3_SAMPLES = [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("X· T©n §øc", "Xã Tân Đức"),
    ("Tæng sè hé", "Tổng số hộ"),
    ("Sè vô trém c¾p", "Số vụ trộm cắp"),
    ("Sè buæi häp d©n", "Số buổi họp dân"),
    ("Tæ hßa gi¶i", "Tổ hòa giải"),
    ("Ng­êi lËp biÓu", "Người lập biểu"),
    ("Tr­ëng C«ng an x·", "Trưởng Công an xã"),
    ("§¹t", "Đạt"),
    ("ph­¬ng", "phương"),
    ("c¬ quan", "cơ quan"),
    ("Quý I/2024", "Quý I/2024"),
]

VNI_SAMPLES = [
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Xaõ Taân Ñöùc", "Xã Tân Đức"),
    ("Toång soá hoä", "Tổng số hộ"),
    ("Tröôûng Coâng an xaõ", "Trưởng Công an xã"),
    ("Ngöôøi laäp bieåu", "Người lập biểu"),
    ("Ñaø Naüng, saün coù", "Đà Nẵng, sẵn có"),
    ("baèng phaúng, ñaëc bieät", "bằng phẳng, đặc biệt"),
    ("Quyù I naêm 2024", "Quý I năm 2024"),
    ("ÑAÏT", "ĐẠT"),
    ("Thò traán", "Thị trấn"),
    ("Khoâng ñaït", "Không đạt"),
]


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3_SAMPLES)
def test_tcvn3_to_unicode(legacy, unicode):
    assert to_unicode(legacy, "tcvn3") == unicode


@pytest.mark.parametrize(("legacy", "unicode"), VNI_SAMPLES)
def test_vni_to_unicode(legacy, unicode):
    assert to_unicode(legacy, "vni") == unicode


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_ascii_and_output_form(encoding):
    assert to_unicode("STT 1 Total (A) - 2024", encoding) == "STT 1 Total (A) - 2024"
    converted = to_unicode(TCVN3_SAMPLES[0][0] if encoding == "tcvn3" else VNI_SAMPLES[0][0],
                           encoding)
    assert converted == unicodedata.normalize("NFC", converted)


def test_unknown_encoding():
    with pytest.raises(ValueError):
        to_unicode("abc", "viscii")


def test_tcvn3_table_is_complete():
    # 12 vowels with five tones each, 7 capitals and 7 small base letters.
    assert len(encodings._TCVN3) == 12 * 5 + 14
    assert len(set(encodings._TCVN3.values())) == len(encodings._TCVN3)


def test_vni_covers_every_vietnamese_letter():
    letters = {
        unicodedata.normalize("NFC", base + tone)
        for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
        for tone in ("", *encodings.TONE_MARKS)
    } | {"đ", "Đ"}
    produced = set(encodings._VNI.values()) | set("aeiouyAEIOUYìíÌÍ")
    assert letters <= produced


def _encoder(table: dict[str, str]):
    """Unicode -> legacy text, the inverse of a conversion table (for building test input)."""
    inverse: dict[str, str] = {}
    for legacy, letter in table.items():
        # Prefer the sequence a keyboard produces: the mark in the case of its base letter.
        if len(legacy) == 1 or legacy[0].isupper() == legacy[1].isupper():
            inverse.setdefault(letter, legacy)

    def encode(text: str) -> str:
        out = []
        for ch in unicodedata.normalize("NFC", text):
            # TCVN3 has no toned capitals: a typist gets the small letter.
            out.append(inverse.get(ch) or (inverse.get(ch.lower(), ch) if not ch.isascii() else ch))
        return "".join(out)

    return encode


to_tcvn3 = _encoder({chr(code): letter for code, letter in encodings._TCVN3.items()})
to_vni = _encoder(encodings._VNI)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name)
def test_detection_on_real_vietnamese(seed):
    text = seed.read_text(encoding="utf-8")
    assert detect_legacy(text) is None
    assert detect_legacy(unicodedata.normalize("NFD", text)) is None
    assert detect_legacy(to_tcvn3(text)) == "tcvn3"
    assert detect_legacy(to_vni(text)) == "vni"
    assert to_unicode(to_vni(text), "vni") == unicodedata.normalize("NFC", text)
    expected = unicodedata.normalize("NFC", to_unicode(to_tcvn3(text), "tcvn3"))
    assert expected.lower() == unicodedata.normalize("NFC", text).lower()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name)
def test_detection_sentence_by_sentence(seed):
    sentences = [s for s in seed.read_text(encoding="utf-8").split(". ") if len(s) > 60]
    for sentence in sentences:
        assert detect_legacy(sentence) is None
        assert detect_legacy(to_tcvn3(sentence)) == "tcvn3", sentence
        assert detect_legacy(to_vni(sentence)) == "vni", sentence


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3_SAMPLES[:3])
def test_detect_tcvn3_title_lines(legacy, unicode):
    assert detect_legacy(legacy) == "tcvn3"
    assert detect_legacy(unicode) is None


@pytest.mark.parametrize(("legacy", "unicode"), VNI_SAMPLES[:3])
def test_detect_vni_title_lines(legacy, unicode):
    assert detect_legacy(legacy) == "vni"
    assert detect_legacy(unicode) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "STT Tên thôn Số hộ",
        "The quick brown fox jumps over the lazy dog. Total: 1,234 (© 2024 Acme®) 5µm · item",
        "Müller und Söhne GmbH, Straße 12, Köln. Größe: 5 µm. Ærø, Øresund, ÆØÅ æøå, señor niño",
        "Le cœur a ses raisons que la raison ne connaît point. Où est la bibliothèque? À bientôt!",
        "Façade naïve déjà vu, crème brûlée à la carte, über Zürich",
        "Cá»™ng hÃ²a xÃ£ há»™i chá»§ nghÄ©a Viá»‡t Nam",  # UTF-8 read as cp1252: not legacy
        "Tổng số hộ tham dự họp",
        "Xã Tân Đức, huyện Hàm Tân",
        "Tæng sè",  # too short to tell TCVN3 from VNI: not guessed
    ],
)
def test_detection_does_not_fire(text):
    assert detect_legacy(text) is None


VIETNAMESE_LETTERS = "".join(
    sorted(
        {
            unicodedata.normalize("NFC", base + tone)
            for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
            for tone in ("", *encodings.TONE_MARKS)
        }
        | set("đĐbcdghklmnpqrstvxBCDGHKLMNPQRSTVX ,.-()0123456789")
    )
)


@given(st.text(alphabet=VIETNAMESE_LETTERS, max_size=80))
def test_unicode_vietnamese_is_never_legacy(text):
    assert detect_legacy(text) is None
    assert detect_legacy(unicodedata.normalize("NFD", text)) is None
