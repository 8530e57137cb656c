"""template.py: the blank submission of `antq template`, its layout and its guard rails.

A filled template validates clean and merges to the figures typed into it.

Templates are filled the way a clerk's tool does: openpyxl writes figures into the unlocked
cells and saves, which drops the cached values of the "Tổng cộng" formulas (antq reports that
as the warning total-not-computed and adds the rows itself); LibreOffice, when installed,
recalculates like Excel does on save, and then not even that warning remains.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.forms import load_forms
from antq_cli.numbers import parse_flag
from antq_cli.outputs.safe import cell_text
from antq_cli.outputs.template import BLANK_ROWS, FLAG_CHOICES, plan_template, write_template
from antq_cli.periods import parse_period_option
from antq_cli.units.registry import Registry, Unit, load_registry
from tests import make_sample_data as sample
from tests.builders import random_values
from tests.helpers import codes, validate_one

REGISTRY = sample.SAMPLE_DIR / "registry.csv"
COMMUNE = "99103"                       # Xã Tân Đức, Huyện Tân Minh: 5 villages
DISTRICT = "991"                        # Huyện Tân Minh: 3 communes, 18 villages
Q1 = parse_period_option("2024-Q1")
FIRST_DATA_ROW = 11                     # 1-based: title block 1-7, header 8-9, numbers 10


@pytest.fixture
def run(monkeypatch):
    """Invoke antq with ANTQ_LANG and ANTQ_CLOSING unset; returns the click Result."""
    monkeypatch.delenv("ANTQ_LANG", raising=False)
    monkeypatch.delenv("ANTQ_CLOSING", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def units() -> Registry:
    return load_registry(REGISTRY)


def grid(path: Path, sheet: str) -> list[list]:
    """A sheet's values as every reader of the file sees them (python-calamine)."""
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(
        skip_empty_area=False)


def template(run, folder: Path, unit: str, *extra: str) -> Path:
    path = folder / f"mau {unit}.xlsx"
    result = run("template", "--unit", unit, "--period", "2024-Q1", "-o", path,
                 "--registry", REGISTRY, *extra)
    assert result.exit_code == 0, result.output
    return path


def data_rows(sheet) -> dict[str, int]:
    """Unit code → 1-based row of each pre-filled unit row (section rows have no number)."""
    rows = {}
    for row in range(FIRST_DATA_ROW, sheet.max_row + 1):
        number, code = sheet.cell(row, 1).value, sheet.cell(row, 2).value
        if isinstance(number, int | float) and code:
            rows[code] = row
    return rows


def fill(path: Path, values: dict[str, dict[str, dict[str, int]]], forms) -> None:
    """Type figures into a template like a clerk: sheet → unit code → indicator → value.

    A flag is typed as the dropdown's choice ("Đạt" / "Không đạt")."""
    book = openpyxl.load_workbook(path)
    for sheet_name, by_unit in values.items():
        sheet = book[sheet_name]
        form = forms.forms["bieu-01" if sheet_name == "Biểu 01" else "bieu-02"]
        rows = data_rows(sheet)
        for code, figures in by_unit.items():
            for col, ind in enumerate(form.indicators, start=4):
                value = figures[ind.code]
                if ind.type == "flag":
                    value = FLAG_CHOICES[0] if value else FLAG_CHOICES[1]
                sheet.cell(rows[code], col).value = value
    book.save(path)


def seeded(form_id: str, codes_: list[str], seed: str) -> dict[str, dict[str, int]]:
    """Valid values (every rule holds) for each unit code, seeded."""
    return {code: random_values(form_id, random.Random(f"{seed}:{code}")) for code in codes_}


def commune_values(units: Registry, commune: str) -> dict[str, dict[str, dict[str, int]]]:
    villages = [u.code for u in units.descendants(commune, "village")]
    return {"Biểu 01": seeded("bieu-01", villages, "template"),
            "Biểu 02": seeded("bieu-02", [commune], "template")}


# ------------------------------------------------------------------------------ layout


def test_commune_template_is_the_usual_form(tmp_path, units):
    forms = load_forms()
    path = write_template(tmp_path / "tan duc.xlsx", COMMUNE, units, forms, Q1)
    assert CalamineWorkbook.from_path(str(path)).sheet_names == ["Biểu 01", "Biểu 02"]
    rows = grid(path, "Biểu 01")
    assert rows[0][0] == "CÔNG AN HUYỆN TÂN MINH" and rows[1][0] == "CÔNG AN XÃ TÂN ĐỨC"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in rows[0][4:]
    assert "Độc lập - Tự do - Hạnh phúc" in rows[1][4:]
    assert rows[3][0] == "KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ Ở THÔN, TỔ DÂN PHỐ"
    assert rows[4][0] == "Quý I/2024"
    assert rows[5][0] == "(Số liệu tính từ 15/12/2023 đến 14/3/2024)"
    assert rows[7][:5] == ["STT", "Mã", "Tên thôn, tổ dân phố", "Họp dân", ""]
    assert rows[8][3:7] == ["Số buổi", "Lượt người tham dự", "Tổng số", "Tham dự họp"]
    assert rows[7][13] == 'Đạt tiêu chuẩn "An toàn về ANTT"'
    assert rows[9] == [f"({n})" for n in range(1, 15)]
    villages = units.descendants(COMMUNE, "village")
    assert [r[:3] for r in rows[10:15]] == [
        [float(n), v.code, v.name] for n, v in enumerate(villages, start=1)]
    assert all(cell == "" for r in rows[10:15] for cell in r[3:])
    assert rows[15] == ["Tổng cộng", "", ""] + [0.0] * 11
    assert "NGƯỜI LẬP BIỂU" in rows[-2] and "TRƯỞNG CÔNG AN XÃ" in rows[-2]
    assert any(str(c).endswith("ngày ... tháng ... năm ......") for c in rows[-3])
    assert grid(path, "Biểu 02")[10][:3] == [1.0, COMMUNE, "Xã Tân Đức"]


def test_total_row_is_formulas_and_header_groups_are_merged(tmp_path, units):
    path = write_template(tmp_path / "t.xlsx", COMMUNE, units, load_forms(), Q1)
    sheet = openpyxl.load_workbook(path)["Biểu 01"]
    assert sheet["D16"].value == "=SUM(D11:D15)"
    assert sheet["M16"].value == "=SUM(M11:M15)"
    assert sheet["N16"].value == '=COUNTIF(N11:N15,"Đạt")'
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"D8:E8", "F8:G8", "A8:A9", "C8:C9", "A16:C16"} <= merged
    assert sheet.print_title_rows == "$8:$10"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    two = openpyxl.load_workbook(path)["Biểu 02"]
    groups = {two.cell(8, c).value for c in range(4, 30)}
    assert {"Số vụ Nhân dân tố giác, tham gia truy bắt", "Khen thưởng"} <= groups


def test_counts_take_whole_numbers_and_flags_a_dropdown_that_antq_reads(tmp_path, units):
    path = write_template(tmp_path / "t.xlsx", COMMUNE, units, load_forms(), Q1)
    sheet = openpyxl.load_workbook(path)["Biểu 01"]
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    count = rules["D11:D15"]
    assert (count.type, count.operator, count.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert count.showErrorMessage and "số nguyên" in count.error
    assert count.prompt.startswith("Số buổi họp dân (buổi):")
    flag = rules["N11:N15"]
    assert flag.type == "list" and flag.formula1 == '"Đạt,Không đạt"'
    choices = flag.formula1.strip('"').split(",")
    assert [parse_flag(choice) for choice in choices] == [1, 0]
    assert parse_flag(None) == 0                     # a flag left blank is "Không đạt"


def test_only_data_cells_are_unlocked_and_the_sheet_is_protected(tmp_path, units):
    path = write_template(tmp_path / "t.xlsx", COMMUNE, units, load_forms(), Q1)
    sheet = openpyxl.load_workbook(path)["Biểu 01"]
    assert sheet.protection.sheet and not sheet.protection.password
    assert not sheet["D11"].protection.locked and not sheet["N15"].protection.locked
    for cell in ("A1", "D8", "D9", "D10", "A11", "B11", "C11", "D16", "N16"):
        assert sheet[cell].protection.locked, cell


def test_registry_names_are_written_as_text_never_as_formulas(tmp_path):
    name = '=HYPERLINK("http://x.example","Thôn 1")'
    units = Registry.from_units([Unit("1", "Xã A", "commune"), Unit("11", name, "village", "1")])
    path = write_template(tmp_path / "t.xlsx", "1", units, load_forms(), Q1, form_ids=["bieu-01"])
    sheet = openpyxl.load_workbook(path)["Biểu 01"]
    assert sheet["C11"].value == cell_text(name) == "'" + name
    assert sheet["C11"].data_type == "s"


# ------------------------------------------------------------------------------ filled in


def test_a_filled_template_validates_clean(run, tmp_path, units):
    forms = load_forms()
    path = template(run, tmp_path, COMMUNE)
    fill(path, commune_values(units, COMMUNE), forms)
    result = run("validate", path, "--registry", REGISTRY, "--period", "2024-Q1",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)["files"]
    assert (report["status"], report["unit"], report["period"]) == ("accepted", COMMUNE, "2024-Q1")
    # openpyxl keeps the formulas but not their values: the total row is not checked, only
    # added up by antq itself. Nothing else is said.
    assert [(p["code"], p["severity"], p["sheet"]) for p in report["problems"]] == [
        ("total-not-computed", "warning", "Biểu 01"), ("total-not-computed", "warning", "Biểu 02")]
    checked = validate_one(path, forms, units, Q1)
    villages = [u.code for u in units.descendants(COMMUNE, "village")]
    assert [r.unit for r in checked.records if r.form == "bieu-01"] == villages
    assert [r.unit for r in checked.records if r.form == "bieu-02"] == [COMMUNE]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_template_recalculated_by_a_spreadsheet_has_no_problem_at_all(run, tmp_path, units):
    forms = load_forms()
    filled = template(run, tmp_path, COMMUNE)
    fill(filled, commune_values(units, COMMUNE), forms)
    saved = tmp_path / "saved"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "xlsx", "--outdir", str(saved), str(filled)],
                   check=True, capture_output=True, timeout=120)
    result = validate_one(saved / filled.name, forms, units, Q1)
    assert result.status == "accepted" and codes(result) == []
    total = grid(saved / filled.name, "Biểu 01")[15]
    villages = commune_values(units, COMMUNE)["Biểu 01"].values()
    assert total[3] == sum(v["meetings"] for v in villages)
    assert total[13] == sum(v["village_safe"] for v in villages)      # COUNTIF "Đạt"


def test_merging_filled_templates_gives_the_figures_typed_in(run, tmp_path, units):
    forms = load_forms()
    inbox = tmp_path / "inbox"
    truth: dict[str, int] = {}
    communes = [u.code for u in units.descendants(DISTRICT, "commune")]
    for commune in communes:
        path = template(run, inbox, commune)
        values = commune_values(units, commune)
        fill(path, values, forms)
        for by_unit in values.values():
            for figures in by_unit.values():
                for code, value in figures.items():
                    truth[code] = truth.get(code, 0) + value
    result = run("merge", inbox, "--registry", REGISTRY, "--period", "2024-Q1", "--format", "json")
    assert result.exit_code == 0, result.output
    merged = json.loads(result.stdout)
    assert merged["scope"]["code"] == DISTRICT and merged["missing"] == []
    assert merged["totals"] == truth
    assert {f["status"] for f in merged["files"]} == {"accepted"}
    assert merged["rates"]["village_safe_rate"]["denominator"] == 18


def test_district_template_has_a_row_per_commune(run, tmp_path, units):
    path = template(run, tmp_path, DISTRICT)
    assert CalamineWorkbook.from_path(str(path)).sheet_names == ["Biểu 02"]
    rows = grid(path, "Biểu 02")
    assert rows[0][0] == "CÔNG AN TỈNH MẪU SƠN" and rows[1][0] == "CÔNG AN HUYỆN TÂN MINH"
    communes = units.descendants(DISTRICT, "commune")
    assert [r[1] for r in rows[10:13]] == [c.code for c in communes]
    assert rows[13][0] == "Tổng cộng"
    assert "TRƯỞNG CÔNG AN HUYỆN" in rows[-2]
    forms = load_forms()
    fill(path, {"Biểu 02": seeded("bieu-02", [c.code for c in communes], "district")}, forms)
    result = validate_one(path, forms, units, Q1)
    assert result.status == "accepted" and codes(result) == ["total-not-computed"]
    assert [r.unit for r in result.records] == [c.code for c in communes]


def test_district_bieu01_groups_villages_under_their_communes(run, tmp_path, units):
    forms = load_forms()
    path = template(run, tmp_path, DISTRICT, "--form", "bieu-01")
    rows = grid(path, "Biểu 01")
    communes = units.descendants(DISTRICT, "commune")
    sections = [r[:3] for r in rows if r[0] in ("I", "II", "III")]
    assert sections == [[n, c.code, c.name] for n, c in zip(("I", "II", "III"), communes)]
    villages = [u.code for u in units.descendants(DISTRICT, "village")]
    numbered = [r for r in rows[10:] if isinstance(r[0], float)]
    assert [r[1] for r in numbered] == villages
    assert [r[0] for r in numbered] == [float(n) for n in range(1, len(villages) + 1)]
    fill(path, {"Biểu 01": seeded("bieu-01", villages, "district")}, forms)
    result = validate_one(path, forms, units, Q1)
    assert result.status == "accepted" and codes(result) == ["total-not-computed"]
    assert [r.unit for r in result.records] == villages


@pytest.mark.parametrize("form_id", sorted(load_forms().forms))
def test_every_form_makes_a_template_antq_reads_back(tmp_path, units, form_id):
    """antq reads its own template (form, sender, rows), and refuses it sent back unfilled."""
    forms = load_forms()
    path = write_template(tmp_path / f"{form_id}.xlsx", COMMUNE, units, forms, Q1,
                          form_ids=[form_id])
    result = validate_one(path, forms, units, Q1)
    assert result.forms == [form_id]
    assert result.status == "rejected" and codes(result) == ["empty-submission"]
    assert result.unit == COMMUNE


def test_without_villages_the_names_are_left_to_fill(run, tmp_path):
    forms = load_forms()
    registry = tmp_path / "no villages.csv"
    lines = REGISTRY.read_text(encoding="utf-8").splitlines()
    registry.write_text("\n".join(line for line in lines if line.split(",")[2] != "village")
                        + "\n", encoding="utf-8")
    path = tmp_path / "t.xlsx"
    result = run("template", "--unit", COMMUNE, "--period", "2024-Q1", "-o", path,
                 "--registry", registry)
    assert result.exit_code == 0
    assert "bieu-01 — 10 dòng trống để ghi tên (danh mục chưa có thôn)" in result.stdout
    book = openpyxl.load_workbook(path)
    sheet = book["Biểu 01"]
    assert [sheet.cell(r, 1).value for r in range(11, 11 + BLANK_ROWS)] == list(range(1, 11))
    assert not sheet["C11"].protection.locked and sheet["B11"].protection.locked
    figures = random_values("bieu-01", random.Random(3))
    sheet["C11"], sheet["C12"] = "Thôn Mới", "Thôn Bến"
    for col, ind in enumerate(forms.forms["bieu-01"].indicators, start=4):
        value = figures[ind.code]
        sheet.cell(11, col).value = sheet.cell(12, col).value = (
            FLAG_CHOICES[1 - value] if ind.type == "flag" else value)
    book.save(path)
    checked = validate_one(path, forms, None, Q1)
    # Biểu 02 was left blank: Biểu 01 counts, Biểu 02 is not taken as sent.
    assert checked.status == "accepted" and checked.forms == ["bieu-01"]
    assert codes(checked) == ["total-not-computed", "total-not-computed", "blank-form"]
    assert [r.label for r in checked.records if r.form == "bieu-01"] == ["Thôn Mới", "Thôn Bến"]


# ------------------------------------------------------------------------------ the command


def test_command_says_what_it_wrote(run, tmp_path):
    path = tmp_path / "t.xlsx"
    result = run("template", "--unit", COMMUNE, "--period", "2024-Q1", "-o", path,
                 "--registry", REGISTRY)
    assert result.exit_code == 0
    assert result.stdout == (f"Đã ghi biểu mẫu {path} cho Xã Tân Đức (99103), Quý I/2024: "
                             "bieu-01 — 5 thôn; bieu-02 — 1 xã.\n")


def test_english_guidance_vietnamese_form(run, tmp_path):
    path = tmp_path / "t.xlsx"
    result = run("template", "--unit", COMMUNE, "--period", "2024-Q1", "-o", path,
                 "--registry", REGISTRY, "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout == (f"Wrote the template {path} for Xã Tân Đức (99103), Q1 2024: "
                             "bieu-01 — villages: 5; bieu-02 — communes: 1.\n")
    sheet = openpyxl.load_workbook(path)["Biểu 01"]
    prompts = {str(v.sqref): v.prompt for v in sheet.data_validations.dataValidation}
    assert prompts["D11:D15"] == "Số buổi họp dân (buổi): a whole number, 0 or more. Blank means 0."
    assert prompts["N11:N15"].endswith("choose Đạt (met) or Không đạt (not met) from the list.")
    # The form itself is the official one: its title and header stay Vietnamese.
    assert sheet["A4"].value == "KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ Ở THÔN, TỔ DÂN PHỐ"
    assert sheet["A8"].value == "STT" and sheet["A5"].value == "Quý I/2024"


@pytest.mark.parametrize(("args", "message"), [
    (["--unit", "12345"], "Không có đơn vị mã 12345 trong danh mục"),
    (["--unit", "9910301"], "Không có biểu nào để Thôn 1 (9910301, cấp thôn) điền"),
    (["--unit", COMMUNE, "--form", "bieu-09"], 'Không có biểu "bieu-09". Các biểu hiện có: '
                                                "bieu-01, bieu-02"),
    (["--unit", "9910301", "--form", "bieu-02"], "Biểu bieu-02 có mỗi dòng là một xã"),
    (["--unit", COMMUNE, "--period", "2024-Q7"], 'Kỳ "2024-Q7" không hợp lệ'),
])
def test_usage_errors_exit_2_with_a_vietnamese_message(run, tmp_path, args, message):
    path = tmp_path / "t.xlsx"
    period = [] if "--period" in args else ["--period", "2024-Q1"]
    result = run("template", *args, *period, "-o", path, "--registry", REGISTRY)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output and not path.exists()


def test_output_must_be_xlsx(run, tmp_path):
    result = run("template", "--unit", COMMUNE, "--period", "2024-Q1", "-o", tmp_path / "t.xls",
                 "--registry", REGISTRY)
    assert result.exit_code == 2
    assert "phải có đuôi .xlsx" in " ".join(result.stderr.split())


def test_missing_output_folder_is_made(run, tmp_path):
    path = tmp_path / "2024-Q1" / "mau" / "t.xlsx"
    result = run("template", "--unit", COMMUNE, "--period", "2024-Q1", "-o", path,
                 "--registry", REGISTRY)
    assert result.exit_code == 0 and path.is_file()
    assert [p.name for p in path.parent.iterdir()] == ["t.xlsx"]     # no temporary file left


def test_an_existing_file_is_kept_unless_force(run, tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"filled in already")
    args = ["template", "--unit", COMMUNE, "--period", "2024-Q1", "-o", path,
            "--registry", REGISTRY]
    result = run(*args)
    assert result.exit_code == 2 and "--force để ghi đè" in " ".join(result.stderr.split())
    assert path.read_bytes() == b"filled in already"
    assert run(*args, "--force").exit_code == 0
    assert grid(path, "Biểu 01")[4][0] == "Quý I/2024"


def test_plan_for_a_province_lists_its_communes_under_districts(units):
    [sheet] = plan_template("99", units, load_forms())
    assert sheet.form.id == "bieu-02" and sheet.units == 10
    assert [row.number for row in sheet.rows if row.section] == ["I", "II", "III"]


def test_a_province_of_many_districts_numbers_its_sections_in_roman(tmp_path):
    units = [Unit("1", "Tỉnh Lớn", "province")]
    for n in range(1, 28):
        units += [Unit(f"1{n:02d}", f"Huyện {n}", "district", "1"),
                  Unit(f"1{n:02d}01", f"Xã Số {n}", "commune", f"1{n:02d}")]
    registry = Registry.from_units(units)
    forms = load_forms()
    path = write_template(tmp_path / "t.xlsx", "1", registry, forms, Q1)
    rows = grid(path, "Biểu 02")
    assert [r[0] for r in rows if r[1] in ("101", "104", "109", "127")] == [
        "I", "IV", "IX", "XXVII"]
    result = validate_one(path, forms, registry, Q1)
    assert result.status == "rejected" and codes(result) == ["empty-submission"]  # unfilled
    assert [r.unit for r in result.records] == [f"1{n:02d}01" for n in range(1, 28)]


def test_without_registry_the_official_list_is_used(run, tmp_path):
    pytest.importorskip("antq_cli.units.official")
    path = tmp_path / "t.xlsx"
    result = run("template", "--unit", "00004", "--period", "2025-Q4", "-o", path)
    assert result.exit_code == 0, result.output
    assert "Phường Ba Đình (00004), Quý IV/2025" in result.stdout
    rows = grid(path, "Biểu 02")
    assert rows[1][0] == "CÔNG AN PHƯỜNG BA ĐÌNH" and rows[10][1] == "00004"
    # Before the 2025 reform the same code was another ward: the period picks the list.
    older = tmp_path / "older.xlsx"
    assert run("template", "--unit", "00004", "--period", "2024-Q1", "-o", older).exit_code == 0
    assert grid(older, "Biểu 02")[1][0] == "CÔNG AN PHƯỜNG TRÚC BẠCH"
