"""Reporting periods: codes and labels, finding one in a title, its data window (periods.py)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from antq_cli.model import AntqError
from antq_cli.outputs.words import format_window
from antq_cli.periods import (
    Closing,
    Period,
    find_period,
    parse_period_option,
    title_against_window,
    window,
)
from antq_cli.settings import RunSettings

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


# ------------------------------------------------------------------------ the closing in force


@pytest.mark.parametrize(("closing", "expected"), [
    ("", Closing(14, 12)), ("14/11", Closing(14, 11)), ("31/12", Closing(0, 12)),
    (" 0/6 ", Closing(0, 6)),
])
def test_the_closing_in_force_comes_from_antq_closing(closing, expected):
    settings = RunSettings.from_environment({"ANTQ_CLOSING": closing})
    assert settings.closing == expected
    texts = ["Từ 15/11/2023 đến 14/11/2024"]
    assert find_period(texts, settings.closing) == find_period(texts, expected)


def test_a_broken_closing_is_a_usage_error():
    with pytest.raises(AntqError) as caught:
        RunSettings.from_environment({"ANTQ_CLOSING": "31"})
    assert caught.value.code == "bad-closing"


@pytest.mark.parametrize("texts,expected", [
    (["BÁO CÁO QUÝ I/2024", "(Số liệu tính từ ngày 15/3/2024 đến ngày 14/6/2024)"],
     (Period(2024, "Q", 1), Period(2024, "Q", 2))),
    (["BÁO CÁO 6 THÁNG ĐẦU NĂM 2024", "(Từ ngày 15/12/2023 đến ngày 14/3/2024)"],
     (Period(2024, "H", 1), Period(2024, "Q", 1))),
    (["BÁO CÁO QUÝ I/2024", "(Số liệu tính từ ngày 15/12/2023 đến ngày 14/3/2024)"], None),
    (["BÁO CÁO QUÝ I/2024"], None),
    (["(Số liệu tính từ ngày 15/3/2024 đến ngày 14/6/2024)"], None),
    (["BÁO CÁO NĂM 2024", "(Số liệu tính từ ngày 15/3/2024 đến ngày 14/6/2024)"], None),
])
def test_a_title_s_period_against_its_window(texts, expected):
    assert title_against_window(texts) == expected
