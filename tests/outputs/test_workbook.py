"""The summary workbook (`antq merge -o`), read back the way its readers read it.

Every check reads the written file with python-calamine (what antq itself and most tools
see: cached values, a formula with no cached value reads as empty) and with openpyxl (the
formulas, merged ranges, sheet states), and compares cell values with the merge's JSON,
never bytes. The readers of a written summary (`calamine_sheets`, `table_rows`, `detail_rows`)
are in tests/helpers.py, shared with the composability tests.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.forms import load_forms
from antq_cli.model import ACCEPTED
from antq_cli.outputs.paragraph import paragraph
from antq_cli.outputs.report import merge_dict
from antq_cli.outputs.workbook import page as P
from antq_cli.outputs.workbook.overview import PLAIN
from antq_cli.outputs.workbook.summary import write_summary
from antq_cli.run.files import find_files
from antq_cli.run.merge import merge_files
from antq_cli.units.registry import load_registry
from tests import make_sample_data as sample
from tests.builders import Layout, flag_codes, indicator_codes, indicators, load_form, write_bieu01
from tests.helpers import (
    LITERAL_COUNT,
    PRINTED_FORMATS,
    calamine_sheets,
    detail_rows,
    print_areas,
    printed_cells,
    program_words,
    table_rows,
    villages,
    whole_number,
)

SAMPLE = sample.SAMPLE_DIR / sample.QUARTER_DIR
REGISTRY = sample.SAMPLE_DIR / "registry.csv"
SHEETS_VI = ["Tổng hợp", "Tổng hợp Biểu 01", "Tổng hợp Biểu 02", "Tỷ lệ", "Lỗi và cảnh báo",
             "Chưa gửi", "Tệp đã đọc", "Chi tiết Biểu 01", "Chi tiết Biểu 02", "antq"]
SHEETS_EN = ["Overview", "Summary Form 01", "Summary Form 02", "Rates", "Problems", "Missing",
             "Files read", "Detail Form 01", "Detail Form 02", "antq"]
FORM_SHEET = {"bieu-01": "Tổng hợp Biểu 01", "bieu-02": "Tổng hợp Biểu 02"}
DETAIL_SHEET = {"bieu-01": "Chi tiết Biểu 01", "bieu-02": "Chi tiết Biểu 02"}
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
WINDOW = "(Số liệu tính từ 15/12/2023 đến 14/3/2024)"


# ------------------------------------------------------------------ reading a workbook back


def record_key(record) -> tuple:
    """A record as (form, unit code, values in form order): how detail_rows sees it."""
    return (record.form, record.unit,
            tuple((code, whole_number(float(record.values.get(code, 0))))
                  for code in indicator_codes(record.form)))


def accepted_rows(files) -> Counter:
    """Every record of every accepted file, as record_key."""
    return Counter(record_key(r) for f in files if f.status == ACCEPTED for r in f.records)


# ------------------------------------------------------------------ the sample quarter


@pytest.fixture(scope="module")
def forms():
    return load_forms()


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, forms):
    """The sample quarter merged by the library, its JSON, and its summary written by the
    library and by the CLI (`antq merge sample_data/2024-Q1 --registry … -o …`)."""
    folder = tmp_path_factory.mktemp("summary")
    result = merge_files(find_files(SAMPLE), forms, load_registry(REGISTRY))
    library = write_summary(folder / "library.xlsx", result, forms, "vi",
                            paragraph=paragraph(result, forms, "vi"))
    cli = folder / "tong hop quy I-2024.xlsx"
    outcome = CliRunner().invoke(app, ["merge", str(SAMPLE), "--registry", str(REGISTRY),
                                       "-o", str(cli), "--format", "json"],
                                 env={"ANTQ_LANG": "vi"})
    return {"result": result, "json": merge_dict(result, "vi"), "library": library,
            "cli": cli, "cli_outcome": outcome, "sheets": calamine_sheets(library),
            "book": openpyxl.load_workbook(library)}


VAN_TUNG = "99305"   # Xã Vân Tùng: 9 villages, too many to stand as columns on one page


@pytest.fixture(scope="module")
def wide_run(tmp_path_factory, forms):
    """Xã Vân Tùng's summary: its Biểu 01 a row per village (9), printed in bands."""
    folder = tmp_path_factory.mktemp("wide")
    result = merge_files(find_files(SAMPLE), forms, load_registry(REGISTRY), scope=VAN_TUNG)
    path = write_summary(folder / "van tung.xlsx", result, forms, "vi")
    return {"result": result, "json": merge_dict(result, "vi"), "library": path,
            "sheets": calamine_sheets(path), "book": openpyxl.load_workbook(path)}


def test_cli_writes_the_same_workbook_as_the_library(sample_run):
    outcome = sample_run["cli_outcome"]
    assert outcome.exit_code == 1  # one file rejected, one commune missing: still written
    assert "Đã ghi" in outcome.stderr and json.loads(outcome.stdout)["totals"] \
        == sample_run["json"]["totals"]
    assert calamine_sheets(sample_run["cli"]) == sample_run["sheets"]
    leftovers = [p.name for p in sample_run["cli"].parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_sheets_in_order_and_the_mark_hidden(sample_run):
    book = sample_run["book"]
    assert book.sheetnames == SHEETS_VI
    assert [ws.sheet_state for ws in book] == ["visible"] * 9 + ["hidden"]
    assert list(sample_run["sheets"]) == SHEETS_VI


@pytest.mark.parametrize("name", SHEETS_VI[:-1])
def test_every_printed_sheet_is_an_official_page(sample_run, name):
    """Nghị định 30/2020: the body under its superior, the motto, "Số: …/BC-…" with the
    province's abbreviation, the place and date, the title with period and window, and the
    sign-off with the head's title for the level."""
    grid = sample_run["sheets"][name]
    head = [v for row in grid[:10] for v in row if isinstance(v, str) and v.strip()]
    assert head[:2] == ["BỘ CÔNG AN", MOTTO]
    assert {"CÔNG AN TỈNH MẪU SƠN", "Độc lập - Tự do - Hạnh phúc", "Số: …/BC-CAT",
            "Mẫu Sơn, ngày … tháng … năm …", "Quý I/2024", WINDOW} <= set(head)
    texts = [v for row in grid for v in row if isinstance(v, str)]
    assert {"NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", "GIÁM ĐỐC CÔNG AN TỈNH",
            "(Ký tên, đóng dấu)"} <= set(texts)
    if name.startswith("Tổng hợp Biểu"):
        form = load_form(f"bieu-{name[-2:]}")
        assert f"TỔNG HỢP {form['title'].upper()}" in head and f"BIỂU {name[-2:]}" in head
    if name == "Tổng hợp":
        assert "BÁO CÁO" in head and "Kết quả phong trào Toàn dân bảo vệ an ninh Tổ quốc" in head
    # The header, title and sign-off use Times New Roman at the law's sizes.
    sheet = sample_run["book"][name]
    sizes = {cell.value: cell.font.sz for row in sheet.iter_rows(max_row=10) for cell in row
             if isinstance(cell.value, str) and cell.value.strip()}
    assert sizes[MOTTO] == 12 and sizes["Độc lập - Tự do - Hạnh phúc"] == 13
    assert all(size == 14 for text, size in sizes.items() if text.isupper() and "TỔNG" in text)


def _expected_header_merges(form_id: str, top: int) -> set[str]:
    """The merged header ranges the form calls for, from the schema (not from antq): the
    indicator groups, then each rate over its figure, base and ratio, then the note."""
    def a1(row: int, col: int) -> str:
        return f"{openpyxl.utils.get_column_letter(col + 1)}{row + 1}"

    groups = [ind["headers"][0][0] if ind.get("headers") else None for ind in indicators(form_id)]
    rates = [rate["short"] for rate in load_form(form_id).get("rates", []) for _ in range(3)]
    columns = [None, None, None] + groups + rates + [None]
    merges, col = set(), 0
    while col < len(columns):
        group = columns[col]
        if group is None:
            merges.add(f"{a1(top, col)}:{a1(top + 1, col)}")
            col += 1
            continue
        last = col
        while last + 1 < len(columns) and columns[last + 1] == group:
            last += 1
        merges.add(f"{a1(top, col)}:{a1(top, last)}")
        col = last + 1
    return merges


def test_header_groups_are_merged(wide_run):
    sheet = wide_run["book"][FORM_SHEET["bieu-01"]]
    grid = wide_run["sheets"][sheet.title]
    top = next(i for i, row in enumerate(grid) if row and row[0] == "STT")
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert _expected_header_merges("bieu-01", top) <= merged
    book = CalamineWorkbook.from_path(str(wide_run["library"]))
    calamine = {(a[0], a[1], b[0], b[1]) for a, b in
                book.get_sheet_by_name(sheet.title).merged_cell_ranges}
    as_a1 = {f"{openpyxl.utils.get_column_letter(c1 + 1)}{r1 + 1}:"
             f"{openpyxl.utils.get_column_letter(c2 + 1)}{r2 + 1}" for r1, c1, r2, c2 in calamine}
    assert as_a1 == merged


def test_many_units_a_row_each_then_the_total_row(wide_run):
    data = wide_run["json"]
    grid = wide_run["sheets"][FORM_SHEET["bieu-01"]]
    first, rows, total = table_rows(grid)
    children = [u for u in data["units"] if u["parent"] == VAN_TUNG]
    assert len(children) == 9
    codes = indicator_codes("bieu-01")
    assert [row[1] for row in rows] == [u["code"] for u in children]
    assert [row[2] for row in rows] == [u["name"] for u in children]
    result = wide_run["result"]
    form_rates = [r["code"] for r in load_form("bieu-01")["rates"]]
    rate_col = 3 + len(codes)
    for row, unit in zip(rows, children):
        assert [whole_number(v) for v in row[3:rate_col]] == [unit["values"][c] for c in codes]
        # Each rate as three numbers, figure | base | ratio: formulas work on them.
        for n, code in enumerate(form_rates):
            rate = result.rollup.rates[unit["code"]][code]
            assert row[rate_col + 3 * n:rate_col + 3 * n + 3] == pytest.approx(
                [rate.numerator, rate.denominator, rate.ratio])
    assert [whole_number(v) for v in total[3:rate_col]] == [data["totals"][c] for c in codes]
    for n, code in enumerate(form_rates):
        rate = data["rates"][code]
        assert total[rate_col + 3 * n:rate_col + 3 * n + 3] == pytest.approx(
            [rate["numerator"], rate["denominator"], rate["ratio"]], abs=1e-6)
    assert [row[-1] for row in rows] == [""] * 9 and total[-1] == ""   # every village in
    # openpyxl sees the formulas themselves, each a SUM over its column's unit rows.
    sheet = wide_run["book"][FORM_SHEET["bieu-01"]]
    last = first + len(rows)
    for col in range(3, rate_col):
        letter = openpyxl.utils.get_column_letter(col + 1)
        assert sheet.cell(last + 1, col + 1).value == f"=SUM({letter}{first + 1}:{letter}{last})"


def _turned(grid: list[list]) -> tuple[list, dict[str, list], list]:
    """(header, rows by label, the note row) of a form's summary turned round."""
    top = next(i for i, row in enumerate(grid) if row and row[0] == "STT")
    body = {}
    for row in grid[top + 2:]:
        if row[1] in ("Ghi chú", "Note"):
            return grid[top], body, row
        body.setdefault(row[1], []).append(row)
    raise AssertionError("no note row")


@pytest.mark.parametrize("form_id", ["bieu-01", "bieu-02"])
def test_few_units_are_turned_round(sample_run, form_id):
    """Three districts stand as columns (one page, where a row each spread 29 columns over
    three): each indicator a row, "Trong đó" lines without a number, the total a SUM."""
    data = sample_run["json"]
    header, body, note = _turned(sample_run["sheets"][FORM_SHEET[form_id]])
    children = [u for u in data["units"] if u["parent"] == data["scope"]["code"]]
    assert header == ["STT", "Chỉ tiêu", "ĐVT", *[u["name"] for u in children], "Tổng cộng"]
    for ind in indicators(form_id):
        [row] = body[ind["label"]]
        assert row[2] == ind["unit"]
        assert [whole_number(v) for v in row[3:6]] == [u["values"][ind["code"]]
                                                       for u in children]
        assert whole_number(row[6]) == data["totals"][ind["code"]]
        assert (row[0] == "") == ind["label"].startswith("Trong đó")
    # Each rate: its figure, its base and its ratio down the columns, the scope's in total.
    result = sample_run["result"]
    for rate in load_form(form_id)["rates"]:
        label = rate["label"][:1].upper() + rate["label"][1:]
        assert label in body
        figures = [r for r in body["Số"] if len(r) > 6]
        assert any(r[3:6] == [result.rollup.rates[u["code"]][rate["code"]].numerator
                              for u in children] for r in figures)
        ratios = [r for r in body["Tỷ lệ"]]
        scope = data["rates"][rate["code"]]
        assert any(r[6] == pytest.approx(scope["ratio"]) for r in ratios)
    caveat = {"bieu-01": ["", "4 thôn chưa báo cáo", "6 thôn chưa báo cáo",
                          "10 thôn chưa báo cáo"],
              "bieu-02": ["", "1 xã chưa báo cáo", "", "1 xã chưa báo cáo"]}[form_id]
    assert note[3:7] == caveat
    sheet = sample_run["book"][FORM_SHEET[form_id]]
    [cell] = [c for line in sheet.iter_rows() for c in line if c.value == "Số buổi họp dân"
              or c.value == "Số đội dân phòng"]
    assert sheet.cell(cell.row, 7).value == f"=SUM(D{cell.row}:F{cell.row})"
    assert sheet.page_setup.orientation == "portrait" and len(print_areas(sheet)) == 1


def test_overview_totals_and_rates(sample_run):
    data = sample_run["json"]
    grid = sample_run["sheets"]["Tổng hợp"]
    labels = {ind["label"]: ind["code"] for form in ("bieu-01", "bieu-02")
              for ind in indicators(form)}
    shown = {labels[row[1]]: whole_number(row[3]) for row in grid if len(row) > 3 and row[1] in labels}
    assert shown == data["totals"]
    # "Trong đó" lines carry no number of their own.
    parts = [row for row in grid if len(row) > 3 and str(row[1]).startswith("Trong đó")]
    assert len(parts) == 5 and all(row[0] == "" for row in parts)
    numbers = [row[0] for row in grid if len(row) > 3 and row[1] in labels and row[0] != ""]
    assert numbers == list(range(1, 12)) + list(range(1, 22))
    # Every rate as figure | base | ratio, its caveat beside its name.
    rates = {row[1]: row[2:5] for row in grid if len(row) > 4
             and isinstance(row[2], float) and isinstance(row[4], float)}
    for form in ("bieu-01", "bieu-02"):
        for rate in load_form(form)["rates"]:
            label = rate["label"][:1].upper() + rate["label"][1:]
            value = data["rates"][rate["code"]]
            [(name, cells)] = [(k, v) for k, v in rates.items() if k.startswith(label)]
            assert cells == pytest.approx([value["numerator"], value["denominator"],
                                           value["ratio"]], abs=1e-6)
            assert name.endswith("chưa báo cáo"), name
    texts = [v for row in grid for v in row if isinstance(v, str)]
    assert "Số đơn vị đã báo cáo: Biểu 01 – 8/10 xã; Biểu 02 – 9/10 xã." in texts
    assert any(t.startswith("Toàn tỉnh có") for t in texts)


def test_detail_total_rows_carry_their_values(sample_run):
    """SUM and COUNTIF totals: openpyxl sees the formula, calamine the cached number."""
    data, book = sample_run["json"], sample_run["book"]
    for form_id in ("bieu-01", "bieu-02"):
        name = DETAIL_SHEET[form_id]
        first, rows, total = table_rows(sample_run["sheets"][name])
        codes = indicator_codes(form_id)
        assert [whole_number(v) for v in total[3:3 + len(codes)]] == [data["totals"][c] for c in codes]
        row = first + len(rows) + 1
        formulas = [book[name].cell(row, col + 1).value for col in range(3, 3 + len(codes))]
        for code, formula in zip(codes, formulas):
            kind = "COUNTIF" if code in flag_codes(form_id) else "SUM"
            assert formula.startswith(f"={kind}("), (code, formula)


def test_detail_rows_are_exactly_the_accepted_rows(sample_run):
    result = sample_run["result"]
    found = detail_rows(sample_run["library"])
    assert found == accepted_rows(result.files)
    assert max(found.values()) == 1
    assert sum(found.values()) == sum(len(f.records) for f in result.files
                                      if f.status == ACCEPTED) == 59


def _listing(grid: list[list]) -> tuple[list, list[list]]:
    """(header, rows) of an annex sheet: the rows under its "STT" header, up to the sign-off."""
    top = next(i for i, row in enumerate(grid) if row and row[0] == "STT")
    rows = []
    for row in grid[top + 1:]:
        if row[0] == "" and not any(isinstance(v, str) and v.strip() for v in row[1:3]):
            break
        rows.append(row)
    return grid[top], rows


def test_problems_sheet_lists_every_problem(sample_run, forms):
    data = sample_run["json"]
    header, rows = _listing(sample_run["sheets"]["Lỗi và cảnh báo"])
    assert header == ["STT", "Tệp", "Trang tính", "Ô", "Chỉ tiêu", "Đơn vị", "Mức", "Nội dung",
                      "Mã"]
    labels = {ind.code: ind.label for form in forms.forms.values() for ind in form.indicators}
    found = [(row[1], row[2], row[3], row[4], row[8], row[7]) for row in rows]
    expected = [(Path(f["path"]).name, p["sheet"], p["cell"], labels.get(p["indicator"], ""),
                 p["code"], p["message"]) for f in data["files"] for p in f["problems"]]
    assert found == expected
    assert {"rule-failed", "total-mismatch", "unknown-unit", "not-a-spreadsheet"} \
        <= {row[8] for row in rows}
    # The codes stay on screen: the print area ends before them.
    sheet = sample_run["book"]["Lỗi và cảnh báo"]
    assert max(c2 for _, _, c2, _ in print_areas(sheet)) == 8


def test_missing_sheet_lists_the_missing_units(sample_run):
    data = sample_run["json"]
    header, rows = _listing(sample_run["sheets"]["Chưa gửi"])
    assert header == ["STT", "Mã", "Đơn vị", "Thuộc đơn vị", "Biểu", "Trạng thái"]
    assert [(row[1], row[2]) for row in rows] == [(m["code"], m["name"]) for m in data["missing"]]
    assert [row[4] for row in rows] == ["Biểu 01, Biểu 02", "Biểu 01"]
    assert [row[5] for row in rows] == ["chưa gửi", "tệp bị trả lại"]


def test_files_sheet_lists_every_input_file(sample_run):
    _, rows = _listing(sample_run["sheets"]["Tệp đã đọc"])
    status = {"accepted": "Đã nhận", "rejected": "Bị trả lại", "skipped": "Bỏ qua"}
    assert [(row[1], row[2]) for row in rows] == [
        (p.name, status[f["status"]]) for p, f in zip(find_files(SAMPLE),
                                                       sample_run["json"]["files"])]
    assert {row[5] for row in rows} == {"Quý I/2024", "—"}
    assert {row[3] for row in rows} >= {"Biểu 01", "Biểu 02", "Biểu 01, Biểu 02"}
    assert [f["path"] for f in sample_run["json"]["files"]] == [str(p) for p in find_files(SAMPLE)]


def test_a_native_column_chart_of_the_rates(sample_run):
    with zipfile.ZipFile(sample_run["library"]) as archive:
        charts = [n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == 1
        chart = archive.read(charts[0]).decode()
    assert "<c:barChart>" in chart and '<c:barDir val="col"/>' in chart
    series = re.findall(r"<c:val><c:numRef><c:f>([^<]+)</c:f>", chart)
    assert len(series) == 6 and all(s.startswith("'Tỷ lệ'!$") for s in series)
    # Times New Roman throughout, every bar labelled with its percentage.
    assert 'typeface="Times New Roman"' in chart and "Calibri" not in chart
    assert chart.count('<c:showVal val="1"/>') == 6
    assert chart.count('formatCode="[$-42A]0.0%"') >= 6
    rates = sample_run["sheets"]["Tỷ lệ"]
    header = next(i for i, row in enumerate(rates) if row and row[1] == "Đơn vị")
    # The scope's own bars, after its children's.
    assert [row[1] for row in rates[header + 1:header + 5]] == [
        "Huyện Tân Minh", "Huyện Sông Phan", "Thị xã Bạch Thông", "Toàn tỉnh"]
    assert rates[header + 1][2] == pytest.approx(15 / 18)
    assert rates[header + 4][2] == pytest.approx(45 / 60)
    assert rates[header + 2][-1] == "4 thôn, 1 xã chưa báo cáo"


@pytest.mark.parametrize("name", SHEETS_VI[:-1])
def test_every_sheet_prints_legibly_on_a4(sample_run, forms, name):
    """A4, a print area, a scale at which every 12-pt figure prints at 9 pt or more (never a
    fit-to-page that shrinks it), Times New Roman, figures as numbers in formats with a
    literal thousands mark, and nothing of the program on the page."""
    sheet = sample_run["book"][name]
    setup = sheet.page_setup
    assert setup.paperSize == 9
    portrait = ("Tổng hợp", "Tổng hợp Biểu 01", "Tổng hợp Biểu 02")   # the report, turned tables
    assert setup.orientation == ("portrait" if name in portrait else "landscape")
    assert not (sheet.sheet_properties.pageSetUpPr and sheet.sheet_properties.pageSetUpPr.fitToPage)
    scale = setup.scale or 100
    assert scale >= 75
    assert print_areas(sheet)
    program = program_words(forms)
    for cell in printed_cells(sheet):
        assert cell.font.name == "Times New Roman", (name, cell.coordinate)
        assert cell.font.sz * scale / 100 >= 9, (name, cell.coordinate, cell.font.sz, scale)
        if isinstance(cell.value, int | float) and cell.data_type == "n":
            assert cell.number_format in PRINTED_FORMATS, (name, cell.coordinate,
                                                           cell.number_format)
        elif isinstance(cell.value, str):
            assert not program.search(cell.value), (name, cell.coordinate, cell.value)
            assert not cell.value.startswith("'"), (name, cell.coordinate, cell.value)


def test_wide_tables_print_in_bands_with_the_unit_columns_repeated(sample_run, wide_run, forms):
    """Biểu 02's 29 columns print on pages across, each repeating STT | Mã | Đơn vị and the
    header rows; a band after the first starts at the table, not in the official header."""
    for run, name in ((wide_run, "Tổng hợp Biểu 01"), (sample_run, "Chi tiết Biểu 02")):
        sheet = run["book"][name]
        grid = run["sheets"][name]
        top = next(i for i, row in enumerate(grid) if row and row[0] == "STT") + 1
        assert sheet.print_title_cols == "$A:$C", name
        assert sheet.print_title_rows == f"${top}:${top + 2}", name
        areas = print_areas(sheet)
        assert len(areas) >= 2, name
        assert areas[0][:2] == (1, 1) and all(area[1] == top for area in areas[1:]), name
        columns = [col for c1, _, c2, _ in areas for col in range(c1, c2 + 1)]
        assert columns == list(range(1, columns[-1] + 1)), name   # every column, once
        scale = sheet.page_setup.scale
        assert scale >= 75
        program = program_words(forms)
        for cell in printed_cells(sheet):
            assert cell.font.name == "Times New Roman" and cell.font.sz * scale / 100 >= 9
            assert not (isinstance(cell.value, str) and program.search(cell.value))
    detail = sample_run["book"]["Chi tiết Biểu 01"]   # 14 columns: one page across
    assert len(print_areas(detail)) == 1 and detail.print_title_cols is None
    # The source columns stay on screen only.
    grid = sample_run["sheets"]["Chi tiết Biểu 01"]
    header = next(row for row in grid if row and row[0] == "STT")
    assert header[-3:] == ["Thuộc đơn vị", "Tệp nguồn", "Dòng nguồn"]
    assert print_areas(detail)[0][2] == len(header) - 3


def test_numbers_print_vietnamese_style_on_any_pc(sample_run):
    """13768 prints "13.768" with a literal dot (a US PC printed "13,768" with "#,##0");
    ratios are numbers formatted with the Vietnamese locale."""
    sheet = sample_run["book"]["Tổng hợp"]
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, int) and cell.value == 13768}
    assert cells[13768].number_format == LITERAL_COUNT
    with zipfile.ZipFile(sample_run["library"]) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert "#,##0" not in styles.replace("[$-42A]", "")


def test_the_summary_validates_as_a_submission(sample_run):
    outcome = CliRunner().invoke(app, ["validate", str(sample_run["library"]), "--registry",
                                       str(REGISTRY), "--format", "json"])
    assert outcome.exit_code == 0, outcome.stdout
    [file] = json.loads(outcome.stdout)["files"]
    assert file["status"] == "accepted" and file["unit"] == "99" and file["rows"] == 59
    assert file["form"] == "bieu-01, bieu-02" and file["period"] == "2024-Q1"
    assert [p for p in file["problems"] if p["severity"] == "error"] == []


def test_english_headings_but_the_detail_stays_a_vietnamese_form(tmp_path, forms):
    out = tmp_path / "summary-en.xlsx"
    outcome = CliRunner().invoke(app, ["merge", str(SAMPLE), "--registry", str(REGISTRY),
                                       "-o", str(out), "--lang", "en"])
    assert outcome.exit_code == 1
    sheets = calamine_sheets(out)
    assert list(sheets) == SHEETS_EN
    texts = [v for row in sheets["Summary Form 01"][:14] for v in row if v]
    assert {"SOCIALIST REPUBLIC OF VIET NAM", "Ministry of Public Security",
            "Police of Mẫu Sơn province", "No.: …/BC-CAT", "Q1 2024",
            "SUMMARY OF ANTQ MOVEMENT RESULTS BY VILLAGE", "Indicator", "Unit",
            "Tân Minh district", "Village meetings held"} <= set(texts)
    assert not any("TỈNH" in str(t) or "bieu-" in str(t) for t in texts)
    words = {v for row in sheets["Overview"] for v in row if isinstance(v, str)}
    assert {"PREPARED BY", "DIRECTOR OF THE PROVINCE POLICE", "(Signature and seal)",
            "Units that have reported: Form 01 – 8 of 10 communes; "
            "Form 02 – 9 of 10 communes."} <= words
    assert not any(" 1 wanted persons" in w or "Tỉnh Mẫu Sơn" in w for w in words)
    header = next(row for row in sheets["Problems"] if row and row[0] == "STT")
    assert header[:4] == ["STT", "File", "Sheet", "Cell"]
    assert "Đạt" in {v for row in sheets["Detail Form 01"] for v in row}
    # The figures print the English way, with a literal comma.
    overview = openpyxl.load_workbook(out)["Overview"]
    formats = {cell.number_format for row in overview.iter_rows() for cell in row
               if isinstance(cell.value, int) and cell.value > 1000}
    assert formats == {r"[>=1000000]#\,###\,##0;[>=1000]#\,##0;0"}
    result = merge_files(find_files(SAMPLE), forms, load_registry(REGISTRY))
    assert detail_rows(out) == accepted_rows(result.files)
    # An English summary is still a submission of the province: merged, the same figures.
    again = merge_files([out], forms, load_registry(REGISTRY))
    assert again.files[0].status == ACCEPTED
    assert merge_dict(again, "vi")["totals"] == merge_dict(result, "vi")["totals"]


# ------------------------------------------------------------------ formula injection

PAYLOADS = ['=HYPERLINK("http://evil","x")', "+1+1", "@SUM(A1)", "-2+3", "\tcmd"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_no_text_from_a_submission_becomes_a_formula(tmp_path, forms):
    folder = tmp_path / "in"
    folder.mkdir()
    rows = []
    for n, (code, name, values) in enumerate(_villages("99103")):
        if n < len(PAYLOADS):
            name = PAYLOADS[n]                      # an unknown village name
        if n == 0:
            values = values | {"households": "=1+1"}  # text where a number belongs
        if n == 1:
            values = values | {"tips_received": "@SUM(A1)"}
        rows.append((None, name, values))
    # A CSV keeps "=…" as the text typed (a spreadsheet would have stored a formula).
    write_bieu01(folder / "BC quy I-2024 xa Tan Duc.csv", ("99103", "Xã Tân Đức"), rows,
                 "Quý I/2024", Layout(), "csv")
    write_bieu01(folder / "BC quy I-2024 xa Son My.xlsx", ("99105", "Xã Sơn Mỹ"),
                 _villages("99105"), "Quý I/2024", Layout(), "xlsx")
    out = tmp_path / "summary.xlsx"
    outcome = CliRunner().invoke(app, ["merge", str(folder), "--registry", str(REGISTRY),
                                       "-o", str(out), "--format", "json"])
    data = json.loads(outcome.stdout)
    bad = next(f for f in data["files"] if "Tan Duc" in f["path"])
    assert bad["status"] == "rejected"
    assert {"unknown-unit", "not-a-number"} <= {p["code"] for p in bad["problems"]}
    book = openpyxl.load_workbook(out)
    seen = set()
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f":
                    assert re.fullmatch(r'=(SUM\([A-Z]+\d+:[A-Z]+\d+\)|COUNTIF\([A-Z]+\d+:'
                                        r'[A-Z]+\d+,"Đạt"\))', value), (sheet.title, cell.coordinate)
                    assert _is_total_row(sheet, cell.row, cell.column), (sheet.title,
                                                                         cell.coordinate)
                elif isinstance(value, str):
                    assert not value.startswith(FORMULA_START), (sheet.title, cell.coordinate)
                    seen.add(value)
    for payload in PAYLOADS[:4]:
        assert "'" + payload in seen, (payload, sorted(seen))
    assert "'" + PAYLOADS[4] in seen or "cmd" in seen   # names are cleaned of blanks first


def _is_total_row(sheet, row: int, col: int) -> bool:
    """In a total row, or in the total column of a summary turned round."""
    top = next((c.row for line in sheet.iter_rows(max_col=1) for c in line
                if c.value == "STT"), None)
    return sheet.cell(row, 1).value in ("Tổng cộng", "Total") or (
        top is not None and sheet.cell(top, col).value in ("Tổng cộng", "Total"))


def _villages(commune: str):
    return villages(commune)


# ------------------------------------------------------------------ safe, whole outputs


def _copy_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(SAMPLE, folder)
    return folder


def test_a_failed_write_leaves_nothing_behind(tmp_path, forms, monkeypatch):
    folder = _copy_sample(tmp_path)
    result = merge_files(find_files(folder), forms, load_registry(REGISTRY))
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full half-way")

    monkeypatch.setattr(P, "write_signoff", broken)
    with pytest.raises(RuntimeError):
        write_summary(out_dir / "summary.xlsx", result, forms)
    assert list(out_dir.iterdir()) == []
    existing = out_dir / "old.xlsx"
    existing.write_bytes(b"the summary of last week")
    with pytest.raises(RuntimeError):
        write_summary(existing, result, forms)
    assert existing.read_bytes() == b"the summary of last week"
    assert [p.name for p in out_dir.iterdir()] == ["old.xlsx"]
    before = sorted(p.name for p in folder.rglob("*"))
    outcome = CliRunner().invoke(app, ["merge", str(folder), "--registry", str(REGISTRY),
                                       "-o", str(folder / "tong hop.xlsx")])
    assert outcome.exit_code == 3 and "--debug" in outcome.stderr
    assert sorted(p.name for p in folder.rglob("*")) == before


def test_the_output_is_never_an_input(tmp_path):
    folder = _copy_sample(tmp_path)
    target = folder / "BC quy I-2024 xa Tan Duc.xlsx"
    before = target.read_bytes()
    outcome = CliRunner().invoke(app, ["merge", str(folder), "--registry", str(REGISTRY),
                                       "-o", str(target)], env={"ANTQ_LANG": "vi"})
    assert outcome.exit_code == 2
    assert "Không ghi đè lên tệp báo cáo đang tổng hợp" in outcome.stderr
    assert target.read_bytes() == before
    outcome = CliRunner().invoke(app, ["merge", str(folder), "--registry", str(REGISTRY),
                                       "-o", str(tmp_path / "tong hop.csv")],
                                 env={"ANTQ_LANG": "vi"})
    assert outcome.exit_code == 2 and "phải có đuôi .xlsx" in outcome.stderr
    assert not (tmp_path / "tong hop.csv").exists()


def test_a_summary_saved_in_the_folder_is_not_counted_twice(tmp_path, forms):
    folder = _copy_sample(tmp_path)
    first = CliRunner().invoke(app, ["merge", str(folder), "--registry", str(REGISTRY),
                                     "-o", str(folder / "tong hop.xlsx"), "--format", "json"])
    again = CliRunner().invoke(app, ["merge", str(folder), "--registry", str(REGISTRY),
                                     "--format", "json"])
    before, after = json.loads(first.stdout), json.loads(again.stdout)
    assert first.exit_code == again.exit_code == 1
    for key in ("totals", "rates", "units", "missing", "scope"):
        assert after[key] == before[key], key
    [own] = [f for f in after["files"] if f["path"].endswith("tong hop.xlsx")]
    assert own["status"] == "skipped"
    assert [p["code"] for p in own["problems"]] == ["own-summary"]


def test_a_summary_resaved_by_libreoffice_is_still_read_through_its_detail(sample_run, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    import subprocess

    subprocess.run([soffice, "--headless", "--convert-to", "ods", "--outdir", str(tmp_path),
                    str(sample_run["library"])], check=True, capture_output=True, timeout=180)
    [ods] = tmp_path.glob("*.ods")
    again = merge_files([ods], load_forms(), load_registry(REGISTRY))
    assert again.files[0].status == ACCEPTED and again.files[0].summary_of == "Tỉnh Mẫu Sơn"
    assert accepted_rows(again.files) == accepted_rows(sample_run["result"].files)
    assert merge_dict(again, "vi")["totals"] == sample_run["json"]["totals"]


def test_a_summary_stripped_of_its_mark_is_refused_not_counted_twice(sample_run, tmp_path):
    book = openpyxl.load_workbook(sample_run["library"])
    del book["antq"]
    stripped = tmp_path / "tong hop da sua.xlsx"
    book.save(stripped)
    [file] = merge_files([stripped], load_forms(), load_registry(REGISTRY)).files
    assert file.status == "rejected" and not file.summary_of
    # Read as plain forms, its printed sheets are no submission: the per-unit tables (turned
    # round, a column per district) have figures without a unit's name, and totals where a
    # flag belongs.
    errors = {p.code for p in file.problems if p.severity == "error"}
    assert errors and errors <= {"wrong-level", "unnamed-row", "bad-flag"}


def test_rows_are_tall_enough_for_their_wrapped_text(sample_run, wide_run):
    """What LibreOffice would not do itself: header rows as tall as their wrapped labels,
    a long message over lines, the paragraph as tall as its lines and no more."""
    book = sample_run["book"]
    sheet = wide_run["book"][FORM_SHEET["bieu-01"]]
    first, rows, total = table_rows(wide_run["sheets"][sheet.title])
    header = first - 1   # 1-based: the leaf header row, just over the "(1)" row
    assert sheet.row_dimensions[header].height >= 3 * P.LINE_PT   # three-line labels
    assert sheet.row_dimensions[header - 1].height >= P.LINE_PT
    turned = book[FORM_SHEET["bieu-02"]]
    [label] = [c for line in turned.iter_rows() for c in line
               if c.value == "Lượt người tham dự vùng đồng bào DTS, tôn giáo"
               or c.value == "Lượt người tham dự vùng đồng bào DTTS, tôn giáo"]
    assert turned.row_dimensions[label.row].height >= 2 * P.LINE_PT
    problems = book["Lỗi và cảnh báo"]
    unknown = next(r for r in range(2, problems.max_row + 1)
                   if problems.cell(r, 9).value == "unknown-unit")
    assert problems.row_dimensions[unknown].height >= 3 * P.LINE_PT   # a long message
    overview = book["Tổng hợp"]
    [row] = [c.row for line in overview.iter_rows() for c in line
             if isinstance(c.value, str) and c.value.startswith("Toàn tỉnh có")]
    lines = P.text_lines(overview.cell(row, 1).value, sum(PLAIN))
    assert lines * P.LINE_PT <= overview.row_dimensions[row].height <= (lines + 1) * P.LINE_PT


def test_detail_sources_are_relative_to_the_merged_folder(sample_run):
    _, rows, _ = table_rows(sample_run["sheets"]["Chi tiết Biểu 01"])
    accepted = {Path(f.path).name for f in sample_run["result"].files if f.status == ACCEPTED}
    assert {row[-2] for row in rows} <= accepted
    assert {row[-1] for row in rows if row[-2] == "BC quy I-2024 xa Tan Duc.xlsx"} \
        == {f"Biểu 01!{n}" for n in range(11, 16)}


def test_a_district_summary_and_a_commune_file_sent_twice_count_once(tmp_path, forms):
    """Xã Tân Đức sent its file to the district (in the district's summary) and to the
    province too: the copy is set aside, the summary's other communes still count."""
    registry = load_registry(REGISTRY)
    district = tmp_path / "991"
    district.mkdir()
    for name in ("BC quy I-2024 xa Tan Duc.xlsx", "thi tran tan minh Q1-2024.ods",
                 "xa_son_my_bieu01.xls", "xa_son_my_bieu02.xls"):
        shutil.copy(SAMPLE / name, district / name)
    province = tmp_path / "tinh"
    province.mkdir()
    summary = CliRunner().invoke(app, ["merge", str(district), "--registry", str(REGISTRY),
                                       "--scope", "991", "-o", str(province / "991.xlsx")])
    assert summary.exit_code == 0, summary.stderr
    alone = merge_dict(merge_files(find_files(province), forms, registry), "vi")
    shutil.copy(district / "BC quy I-2024 xa Tan Duc.xlsx", province)
    both = merge_files(find_files(province), forms, registry)
    data = merge_dict(both, "vi")
    for key in ("totals", "rates", "units", "missing"):
        assert data[key] == alone[key], key
    status = {Path(f.path).name: (f.status, [p.code for p in f.problems]) for f in both.files}
    assert status["991.xlsx"] == ("accepted", [])
    assert status["BC quy I-2024 xa Tan Duc.xlsx"][0] == "skipped"
    assert "duplicate-file" in status["BC quy I-2024 xa Tan Duc.xlsx"][1]


def test_an_identical_copy_with_a_warning_does_not_change_the_exit_code(tmp_path):
    for name in ("a.xlsx", "b.xlsx"):   # openpyxl-written: its total row has no cached value
        shutil.copy(SAMPLE / "BC quy I-2024 xa Tan Duc.xlsx", tmp_path / name)
    outcome = CliRunner().invoke(app, ["merge", str(tmp_path), "--registry", str(REGISTRY),
                                       "--scope", "99103", "--format", "json"])
    files = json.loads(outcome.stdout)["files"]
    assert [f["status"] for f in files] == ["accepted", "skipped"]
    assert outcome.exit_code == 0
