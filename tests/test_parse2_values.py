"""find_period's shortcuts give what the plain algorithm gives."""

from __future__ import annotations

import random
import unicodedata

import pytest

from antq_cli import periods
from antq_cli.model import AntqError
from antq_cli.periods import Closing, Period, find_period
from antq_cli.settings import RunSettings
from antq_cli.text import clean
from tests.test_locate_perf import reference_clean  # text.clean without its shortcut


def _plain_key(text: str) -> str:
    """_period_key as first written: a test per character."""
    decomposed = unicodedata.normalize("NFD", clean(text).lower().replace("đ", "d"))
    key = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("_", " ")
    return periods._WORDED_DATE.sub(periods._worded_date, key)


def test_period_key_of_every_bmp_character():
    key = periods._period_key.__wrapped__
    for start in range(0, 0x10000, 64):
        chunk = "".join(chr(c) for c in range(start, start + 64) if not 0xD800 <= c < 0xE000)
        for text in (chunk, f"Quý I/2024 {chunk}", f"ngày 5 tháng 3 năm 2024{chunk[:5]}"):
            assert key(text) == _plain_key(text)


TITLES = [
    "CÔNG AN TỈNH TUYÊN QUANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do",
    "BÁO CÁO QUÝ I/2024", "Quý II", "Năm 2023", "(Số liệu tính từ ngày 15/12/2023 đến ngày "
    "14/3/2024)", "Tân Đức, ngày 20 tháng 3 năm 2024", "6 tháng đầu năm 2024", "Q3-2024",
    "tháng 3/2024", "9 tháng năm 2024", "", "   ", None, 2024, "BC_quy_I_2024",
    "Từ 01/01/2024 đến 31/03/2024", "sáu tháng cuối năm 2024",
]


def _eager(texts, year_end_month):
    keys = [periods._period_key(t) for t in texts if isinstance(t, str) and t.strip()]
    for key in keys:
        found = periods._key_period(key, year_end_month)
        if found:
            return found
    years = [int(m[1]) for key in keys if (m := periods._YEAR_PHRASE.search(key))]
    if not years:
        return None
    for key in keys:
        for pattern, kind in periods._YEARLESS:
            if match := pattern.search(key):
                if kind == "Q":
                    return Period(years[0], "Q", periods._quarter_number(match[1]))
                if kind == "H":
                    return Period(years[0], "H", 2 if match[1] == "cuoi" else 1)
                return Period(years[0], kind)
    return Period(years[0], "Y")


@pytest.mark.parametrize("seed", range(300))
def test_find_period_stops_early_with_the_same_answer(seed):
    rng = random.Random(seed)
    texts = rng.sample(TITLES, rng.randint(0, 8))
    month = rng.choice([12, 11, 6])
    assert find_period(texts, Closing(14, month)) == _eager(texts, month)


@pytest.mark.parametrize(("closing", "expected"), [
    ("", Closing(14, 12)), ("14/11", Closing(14, 11)), ("31/12", Closing(0, 12)),
    (" 0/6 ", Closing(0, 6)),
])
def test_the_closing_in_force_comes_from_antq_closing(closing, expected):
    settings = RunSettings.from_environment({"ANTQ_CLOSING": closing})
    assert settings.closing == expected
    texts = ["Từ 15/11/2023 đến 14/11/2024"]
    assert find_period(texts, settings.closing) == _eager(texts, expected.month)


def test_a_broken_closing_is_a_usage_error():
    with pytest.raises(AntqError) as caught:
        RunSettings.from_environment({"ANTQ_CLOSING": "31"})
    assert caught.value.code == "bad-closing"


def test_clean_of_every_bmp_character_in_context():
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        for text in (char, f"Thôn {char}1", f" {char} ", f"Hoa\u0300 {char}", f"a{char}{char}b"):
            assert clean(text) == reference_clean(text), repr(text)


@pytest.mark.parametrize("value", ["Tổ dân phố 1", " Tổ  dân ", "Hoa\u0300", "Thôn\u00a01",
                                   "Thôn\t1", "\u202eThôn", "x\u200by", 12, 1.5, None, ""])
def test_clean_of_names(value):
    assert clean(value) == reference_clean(value)
