"""The printed outputs as LibreOffice prints them (tests/render_outputs.py): A4 pages whose
text is the official page, whole, and nothing of the program. Skipped where LibreOffice or
poppler is not installed."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests import render_outputs as R

pytestmark = pytest.mark.skipif(R.tools() is None or shutil.which("pdfinfo") is None,
                                reason="LibreOffice (soffice) or poppler is not installed")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("printed")
    workbooks = R.write_outputs(folder)
    assert sorted(w.name for w in workbooks) == sorted(R.OUTPUTS)
    return R.render(workbooks, folder, resolution=20)


def _text(pdf, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf),
                           "-"], capture_output=True, text=True, check=True).stdout


def _pages(pdf) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"Page size:\s+(595\.\d+ x 841\.\d+|841\.\d+ x 595\.\d+) pts \(A4\)", info)
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [_text(pdf, n) for n in range(1, count + 1)]


def test_every_output_prints_on_a4(rendered):
    for pdf, pngs in rendered.items():
        pages = _pages(pdf)
        assert len(pngs) == len(pages) >= 1, pdf.name
        assert len(pages) <= 20, (pdf.name, len(pages))   # not a page per column


@pytest.mark.parametrize(("name", "body", "number"), [
    ("summary", "CÔNG AN TỈNH MẪU SƠN", "Số: …/BC-CAT"),
    ("template-commune", "CÔNG AN XÃ TÂN ĐỨC", "Số: …/BC-CAX"),
    ("template-district", "CÔNG AN HUYỆN TÂN MINH", "Số: …/BC-CAH"),
])
def test_first_page_is_the_official_page_whole(rendered, name, body, number):
    """The motto and the body's lines print whole (not cut by a narrow column)."""
    pdf = next(p for p in rendered if p.stem == name)
    first = " ".join(_pages(pdf)[0].split())
    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", body,
                 number, "ngày … tháng … năm …", "Quý I/2024",
                 "(Số liệu tính từ 15/12/2023 đến 14/3/2024)"):
        assert line in first, (name, line)
    whole = " ".join(" ".join(_pages(pdf)).split())
    assert "NGƯỜI LẬP BIỂU" in whole and "(Ký, ghi rõ họ tên)" in whole
    assert not re.search(r"bieu-\d|2024-Q1|sample_data", whole), name


def test_the_english_summary_is_english(rendered):
    pdf = next(p for p in rendered if p.stem == "summary-en")
    first = " ".join(_pages(pdf)[0].split())
    assert "Police of Mẫu Sơn province" in first and "REPORT" in first
    assert "TỈNH" not in first and "1 wanted persons" not in first


def test_the_annotated_copy_names_problems_by_unit_and_column(rendered):
    pdf = next(p for p in rendered if p.stem == "annotated")
    pages = [" ".join(page.split()) for page in _pages(pdf)]
    assert "Biểu 01 – Tổ dân phố 2 – cột (6)" in pages[0]
    assert "rule-failed" not in pages[0] and "F12" not in pages[0]
    assert any("Lỗi cần sửa" in page and "Cột (6):" in page for page in pages[1:])
