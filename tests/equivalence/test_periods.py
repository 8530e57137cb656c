"""periods.py: the period key and find_period give what their plain versions (reference.py) give."""

from __future__ import annotations

import random

import pytest

from antq_cli import periods
from antq_cli.periods import Closing, find_period
from tests.reference import reference_find_period, reference_period_key

pytestmark = pytest.mark.equivalence


def test_period_key_of_every_bmp_character():
    key = periods._period_key
    for start in range(0, 0x10000, 64):
        chunk = "".join(chr(c) for c in range(start, start + 64) if not 0xD800 <= c < 0xE000)
        for text in (chunk, f"Quý I/2024 {chunk}", f"ngày 5 tháng 3 năm 2024{chunk[:5]}"):
            assert key(text) == reference_period_key(text)


TITLES = [
    "CÔNG AN TỈNH TUYÊN QUANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do",
    "BÁO CÁO QUÝ I/2024", "Quý II", "Năm 2023", "(Số liệu tính từ ngày 15/12/2023 đến ngày "
    "14/3/2024)", "Tân Đức, ngày 20 tháng 3 năm 2024", "6 tháng đầu năm 2024", "Q3-2024",
    "tháng 3/2024", "9 tháng năm 2024", "", "   ", None, 2024, "BC_quy_I_2024",
    "Từ 01/01/2024 đến 31/03/2024", "sáu tháng cuối năm 2024",
]


@pytest.mark.parametrize("seed", range(300))
def test_find_period_stops_early_with_the_same_answer(seed):
    rng = random.Random(seed)
    texts = rng.sample(TITLES, rng.randint(0, 8))
    month = rng.choice([12, 11, 6])
    assert find_period(texts, Closing(14, month)) == reference_find_period(texts, month)
