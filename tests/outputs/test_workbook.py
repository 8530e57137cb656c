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
from antq_cli.outputs.report import format_rate, merge_dict
from antq_cli.outputs.workbook import sheets as S
from antq_cli.outputs.workbook.summary import write_summary
from antq_cli.run.files import find_files
from antq_cli.run.merge import merge_files
from antq_cli.run.rollup import RateValue
from antq_cli.units.registry import load_registry
from tests import make_sample_data as sample
from tests.builders import Layout, flag_codes, indicator_codes, indicators, load_form, write_bieu01
from tests.helpers import calamine_sheets, detail_rows, table_rows, villages, whole_number

SAMPLE = sample.SAMPLE_DIR / sample.QUARTER_DIR
REGISTRY = sample.SAMPLE_DIR / "registry.csv"
SHEETS_VI = ["Tổng hợp", "Tổng hợp bieu-01", "Tổng hợp bieu-02", "Tỷ lệ", "Lỗi và cảnh báo",
             "Chưa gửi", "Tệp đã đọc", "Chi tiết bieu-01", "Chi tiết bieu-02", "antq"]
SHEETS_EN = ["Overview", "Summary bieu-01", "Summary bieu-02", "Rates", "Problems", "Missing",
             "Files read", "Detail bieu-01", "Detail bieu-02", "antq"]
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


def sheet_xml(path: Path, name: str) -> str:
    """The worksheet XML of the sheet called `name`."""
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        sheet_id = re.search(rf'<sheet name="{re.escape(_xml(name))}" [^>]*r:id="(rId\d+)"',
                             book).group(1)
        target = re.search(rf'Id="{sheet_id}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*'
                           rf'Id="{sheet_id}"', rels)
        return archive.read("xl/" + (target.group(1) or target.group(2))).decode()


def column_widths(path: Path, name: str) -> dict[int, float]:
    """0-based column → width, from the sheet's <col> ranges (openpyxl keeps one per range)."""
    widths = {}
    for low, high, width in re.findall(r'<col min="(\d+)" max="(\d+)" width="([\d.]+)"',
                                       sheet_xml(path, name)):
        widths |= dict.fromkeys(range(int(low) - 1, int(high)), float(width))
    return widths


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;")


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


@pytest.mark.parametrize("name", ["Tổng hợp bieu-01", "Tổng hợp bieu-02", "Chi tiết bieu-01",
                                  "Tổng hợp", "Tỷ lệ"])
def test_title_block(sample_run, name):
    grid = sample_run["sheets"][name]
    texts = [v for row in grid[:7] for v in row if isinstance(v, str) and v]
    assert MOTTO in texts and "Độc lập - Tự do - Hạnh phúc" in texts
    assert "CÔNG AN TỈNH MẪU SƠN" in texts
    assert "Quý I/2024" in texts and WINDOW in texts
    if name.startswith("Tổng hợp bieu"):
        form = load_form(name.split()[-1])
        assert f"TỔNG HỢP {form['title'].upper()}" in texts


def _expected_header_merges(form_id: str, top: int) -> set[str]:
    """The merged header ranges the form calls for, from the schema (not from antq)."""
    def a1(row: int, col: int) -> str:
        return f"{openpyxl.utils.get_column_letter(col + 1)}{row + 1}"

    groups = [ind["headers"][0][0] if ind.get("headers") else None for ind in indicators(form_id)]
    rates = load_form(form_id).get("rates", [])
    columns = [None, None, None] + groups + [None] * len(rates)
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


@pytest.mark.parametrize("form_id", ["bieu-01", "bieu-02"])
def test_header_groups_are_merged(sample_run, form_id):
    sheet = sample_run["book"][f"Tổng hợp {form_id}"]
    grid = sample_run["sheets"][sheet.title]
    top = next(i for i, row in enumerate(grid) if row and row[0] == "STT")
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert _expected_header_merges(form_id, top) <= merged
    book = CalamineWorkbook.from_path(str(sample_run["library"]))
    calamine = {(a[0], a[1], b[0], b[1]) for a, b in
                book.get_sheet_by_name(sheet.title).merged_cell_ranges}
    as_a1 = {f"{openpyxl.utils.get_column_letter(c1 + 1)}{r1 + 1}:"
             f"{openpyxl.utils.get_column_letter(c2 + 1)}{r2 + 1}" for r1, c1, r2, c2 in calamine}
    assert as_a1 == merged


@pytest.mark.parametrize("form_id", ["bieu-01", "bieu-02"])
def test_one_row_per_child_unit_then_the_total_row(sample_run, form_id):
    data = sample_run["json"]
    grid = sample_run["sheets"][f"Tổng hợp {form_id}"]
    first, rows, total = table_rows(grid)
    children = [u for u in data["units"] if u["parent"] == data["scope"]["code"]]
    codes = indicator_codes(form_id)
    assert [row[1] for row in rows] == [u["code"] for u in children] == ["991", "992", "993"]
    assert [row[2] for row in rows] == [u["name"] for u in children]
    result = sample_run["result"]
    form_rates = [r["code"] for r in load_form(form_id)["rates"]]
    for row, unit in zip(rows, children):
        assert [whole_number(v) for v in row[3:3 + len(codes)]] == [unit["values"][c] for c in codes]
        assert row[3 + len(codes):] == [format_rate(result.rollup.rates[unit["code"]][c])
                                        for c in form_rates]
    assert [whole_number(v) for v in total[3:3 + len(codes)]] == [data["totals"][c] for c in codes]
    # Each total rate says what it lacks: Trung Sơn's villages were rejected and Đông Thạnh
    # sent nothing (10 villages); Đông Thạnh's Biểu 02 is missing (1 commune).
    caveat = {"bieu-01": " — 10 thôn chưa báo cáo", "bieu-02": " — 1 xã chưa báo cáo"}[form_id]
    assert total[3 + len(codes):] == [format_rate(RateValue(data["rates"][c]["numerator"],
                                                            data["rates"][c]["denominator"]))
                                      + caveat for c in form_rates]
    if form_id == "bieu-01":
        assert total[3 + len(codes)] == "45/60 (75,0%) — 10 thôn chưa báo cáo"
    # openpyxl sees the formulas themselves, each a SUM over its column's unit rows.
    sheet = sample_run["book"][f"Tổng hợp {form_id}"]
    last = first + len(rows)
    for col in range(3, 3 + len(codes)):
        letter = openpyxl.utils.get_column_letter(col + 1)
        assert sheet.cell(last + 1, col + 1).value == f"=SUM({letter}{first + 1}:{letter}{last})"


def test_overview_totals_and_rates(sample_run):
    data = sample_run["json"]
    grid = sample_run["sheets"]["Tổng hợp"]
    labels = {ind["label"]: ind["code"] for form in ("bieu-01", "bieu-02")
              for ind in indicators(form)}
    shown = {labels[row[1]]: whole_number(row[3]) for row in grid if len(row) > 3 and row[1] in labels}
    assert shown == data["totals"]
    texts = [v for row in grid for v in row if isinstance(v, str)]
    for code, rate in data["rates"].items():
        assert format_rate(RateValue(rate["numerator"], rate["denominator"])) in texts, code
    assert "bieu-01: 8/10 xã đã gửi" in texts and any(t.startswith("Toàn tỉnh có") for t in texts)


def test_detail_total_rows_carry_their_values(sample_run):
    """SUM and COUNTIF totals: openpyxl sees the formula, calamine the cached number."""
    data, book = sample_run["json"], sample_run["book"]
    for form_id in ("bieu-01", "bieu-02"):
        name = f"Chi tiết {form_id}"
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


def test_problems_sheet_lists_every_problem(sample_run):
    data = sample_run["json"]
    grid = sample_run["sheets"]["Lỗi và cảnh báo"]
    assert grid[0][:4] == ["STT", "Tệp", "Trang tính", "Ô"]
    rows = [(row[1], row[2], row[3], row[7], row[8]) for row in grid[1:] if row[0] != ""]
    expected = [(f["path"], p["sheet"], p["cell"], p["code"], p["message"])
                for f in data["files"] for p in f["problems"]]
    assert rows == expected
    assert {"rule-failed", "total-mismatch", "unknown-unit", "not-a-spreadsheet"} \
        <= {row[3] for row in rows}


def test_missing_sheet_lists_the_missing_units(sample_run):
    data = sample_run["json"]
    grid = sample_run["sheets"]["Chưa gửi"]
    rows = [row for row in grid[1:] if row[0] != ""]
    assert [(row[1], row[2]) for row in rows] == [(m["code"], m["name"]) for m in data["missing"]]
    assert [row[5] for row in rows] == ["chưa gửi", "tệp bị trả lại"]


def test_files_sheet_lists_every_input_file(sample_run):
    grid = sample_run["sheets"]["Tệp đã đọc"]
    rows = [row for row in grid[1:] if row[0] != ""]
    status = {"accepted": "Đã nhận", "rejected": "Bị trả lại", "skipped": "Bỏ qua"}
    assert [(row[1], row[2]) for row in rows] == [
        (str(p), status[f["status"]]) for p, f in zip(find_files(SAMPLE),
                                                       sample_run["json"]["files"])]
    assert [f["path"] for f in sample_run["json"]["files"]] == [str(p) for p in find_files(SAMPLE)]


def test_a_native_column_chart_of_the_rates(sample_run):
    with zipfile.ZipFile(sample_run["library"]) as archive:
        charts = [n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == 1
        chart = archive.read(charts[0]).decode()
    assert "<c:barChart>" in chart and '<c:barDir val="col"/>' in chart
    series = re.findall(r"<c:val><c:numRef><c:f>([^<]+)</c:f>", chart)
    assert len(series) == 6 and all(s.startswith("'Tỷ lệ'!$") for s in series)
    rates = sample_run["sheets"]["Tỷ lệ"]
    header = next(i for i, row in enumerate(rates) if row and row[0] == "Đơn vị")
    assert [row[0] for row in rates[header + 1:header + 4]] == [
        "Huyện Tân Minh", "Huyện Sông Phan", "Thị xã Bạch Thông"]
    assert rates[header + 1][1] == pytest.approx(15 / 18)


@pytest.mark.parametrize("name", SHEETS_VI[:-1])
def test_page_setup_a4_landscape_fit_to_width(sample_run, name):
    xml = sheet_xml(sample_run["library"], name)
    setup = re.search(r"<pageSetup [^>]*/>", xml).group(0)
    assert 'paperSize="9"' in setup and 'orientation="landscape"' in setup
    assert 'fitToHeight="0"' in setup and re.search(r'fitToWidth="(?!1")', setup) is None
    assert '<pageSetUpPr fitToPage="1"/>' in xml


def test_header_rows_repeat_on_every_page(sample_run):
    with zipfile.ZipFile(sample_run["library"]) as archive:
        book = archive.read("xl/workbook.xml").decode()
    titles = dict(re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="\d+">'
                             r"'([^']+)'!(\$\d+:\$\d+)</definedName>", book))
    grid = sample_run["sheets"]["Tổng hợp bieu-01"]
    top = next(i for i, row in enumerate(grid) if row and row[0] == "STT") + 1
    assert titles["Tổng hợp bieu-01"] == f"${top}:${top + 2}"  # two header rows, the numbers
    assert {"Tổng hợp bieu-02", "Chi tiết bieu-01", "Chi tiết bieu-02", "Lỗi và cảnh báo"} \
        <= set(titles)


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
    texts = [v for row in sheets["Summary bieu-01"][:12] for v in row if v]
    assert "SOCIALIST REPUBLIC OF VIET NAM" in texts and "POLICE OF TỈNH MẪU SƠN" in texts
    assert "Code" in texts and "Unit" in texts
    assert sheets["Problems"][0][:4] == ["STT", "File", "Sheet", "Cell"]
    assert "Đạt" in {v for row in sheets["Detail bieu-01"] for v in row}
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
                    assert _is_total_row(sheet, cell.row), (sheet.title, cell.coordinate)
                elif isinstance(value, str):
                    assert not value.startswith(FORMULA_START), (sheet.title, cell.coordinate)
                    seen.add(value)
    for payload in PAYLOADS[:4]:
        assert "'" + payload in seen, (payload, sorted(seen))
    assert "'" + PAYLOADS[4] in seen or "cmd" in seen   # names are cleaned of blanks first


def _is_total_row(sheet, row: int) -> bool:
    return sheet.cell(row, 1).value in ("Tổng cộng", "Total")


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

    monkeypatch.setattr(S, "signature_block", broken)
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
    assert "wrong-level" in {p.code for p in file.problems}


def test_the_summary_prints_legibly(sample_run):
    """What LibreOffice would not do itself: rows tall enough for wrapped text, and rate
    columns wide enough for the bold total ("14.243/23.249 (61,3%)" was cut)."""
    book, sheets = sample_run["book"], sample_run["sheets"]
    for form_id in ("bieu-01", "bieu-02"):
        sheet = book[f"Tổng hợp {form_id}"]
        first, rows, total = table_rows(sheets[sheet.title])
        codes = indicator_codes(form_id)
        for col in range(3 + len(codes), len(total)):
            width = column_widths(sample_run["library"], sheet.title)[col]
            longest = max(len(row[col]) for row in [*rows, total])
            assert width >= longest + 2, (sheet.title, col, width, total[col])
        header = first - 1   # 1-based: the leaf header row, just over the "(1)" row
        assert sheet.row_dimensions[header].height >= 45     # three-line labels at least
        groups = 30 if form_id == "bieu-02" else 15   # "Tuyên truyền trong trường học"
        assert sheet.row_dimensions[header - 1].height >= groups
    problems = book["Lỗi và cảnh báo"]
    unknown = next(r for r in range(2, problems.max_row + 1)
                   if problems.cell(r, 8).value == "unknown-unit")
    assert problems.row_dimensions[unknown].height >= 45   # a long message over lines


def test_detail_sources_are_relative_to_the_merged_folder(sample_run):
    _, rows, _ = table_rows(sample_run["sheets"]["Chi tiết bieu-01"])
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
