"""`antq validate FILE --annotate OUT`: the copy sent back to the unit that made the file.

Real submissions with known faults (builders.py) in every format go through the CLI; the copy
is opened with openpyxl and read back with antq's calamine reader, and must list exactly the
problems the library finds, mark each problem cell, keep every other value and merge, and
leave the original untouched.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.model import ERROR, WARNING, FileResult, Problem
from antq_cli.outputs.annotate import ERROR_FILL, WARNING_FILL, annotate
from antq_cli.outputs.messages import render
from antq_cli.outputs.words import ui
from antq_cli.read.reading import read_workbook
from tests.builders import Layout, write_bieu01, write_bieu02
from tests.helpers import commune_row, said, sender, validate_one, villages

REGISTRY = Path(__file__).resolve().parents[2] / "sample_data" / "registry.csv"
TAN_DUC = "99103"
FORMATS = ("xlsx", "xlsm", "xls", "ods", "csv")
SUFFIX = {"xlsx-xlsxwriter": "xlsx"}
HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def faulty_bieu01(folder: Path, fmt: str, stem: str = "BC quy I-2024 xa Tan Duc",
                  unknown_name: str = "Thôn Không Có", bad_value="abc"):
    """Xã Tân Đức's bieu-01 with one fault of each kind; returns (path, laid-out sheet)."""
    rows = villages(TAN_DUC)
    (c1, n1, v1), (c2, n2, v2), (c3, n3, v3) = rows[:3]
    rows[0] = (c1, n1, {**v1, "households": 300, "households_attending": 350})   # rule-failed
    rows[1] = (c2, n2, {**v2, "households": bad_value})                          # not-a-number
    rows[2] = (c3, n3, {**v3, "meetings": -3})                                   # negative
    rows.append((None, unknown_name, dict(v1)))                                  # unknown-unit
    written = sum(v["meeting_attendance"] for _, _, v in rows) + 100             # total-mismatch
    layout = Layout(header_rows=2, total_row="bottom",
                    total_override={"meeting_attendance": written})
    path = folder / f"{stem}.{SUFFIX.get(fmt, fmt)}"
    return path, write_bieu01(path, sender(TAN_DUC), rows, "Quý I/2024", layout, fmt)


def run(runner: CliRunner, *args: str):
    return runner.invoke(app, ["validate", *map(str, args), "--registry", str(REGISTRY)])


def header_row(ws) -> int:
    """The row of the listing's column headers (after the block naming the file)."""
    return next(c.row for c in ws["A"] if c.value in ("STT", "No."))


def listing(out: Path) -> list[tuple]:
    """The problem rows of the copy's first sheet (below its header row)."""
    ws = load_workbook(out).worksheets[0]
    return [row for row in ws.iter_rows(min_row=header_row(ws) + 1, values_only=True)
            if row[0] is not None]


def values(path: Path) -> list[tuple[dict, list]]:
    """Each sheet's non-blank values by (row, col) and its merged ranges, as antq reads them;
    in a copy, without the "Lỗi cần sửa" column antq adds beside the table."""
    sheets = []
    for grid in read_workbook(path).sheets:
        cells = {(r, c): v for r, cells in enumerate(grid.rows) for c, v in enumerate(cells)
                 if v not in (None, "")}
        notes = {c for (_, c), v in cells.items() if v in ("Lỗi cần sửa", "To correct")}
        sheets.append(({k: v for k, v in cells.items() if k[1] not in notes}, sorted(grid.merged)))
    return sheets


def notes(out: Path, sheet: int = 1) -> dict[int, str]:
    """The copy's "Lỗi cần sửa" column: 1-based row → what it says."""
    ws = load_workbook(out).worksheets[sheet]
    [col] = [c.column for row in ws.iter_rows() for c in row
             if c.value in ("Lỗi cần sửa", "To correct")]
    header = next(c.row for row in ws.iter_rows() for c in row if c.value in ("Lỗi cần sửa",
                                                                             "To correct"))
    return {r: ws.cell(r, col).value for r in range(header + 1, ws.max_row + 1)
            if ws.cell(r, col).value}


def unchanged(path: Path):
    """A check that `path` keeps its bytes and modification time."""
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    return lambda: (path.read_bytes(), os.stat(path).st_mtime_ns) == before


# ------------------------------------------------------------------- one file, every format


@pytest.mark.parametrize("fmt", FORMATS)
def test_copy_marks_every_problem_and_keeps_the_rest(tmp_path, runner, forms, registry, fmt):
    source, _ = faulty_bieu01(tmp_path, fmt)
    expected = validate_one(source, forms, registry)
    assert {"rule-failed", "not-a-number", "negative", "unknown-unit",
            "total-mismatch"} <= {p.code for p in expected.problems}
    same = unchanged(source)
    out = tmp_path / "tra lai" / "Tan Duc - kiem tra.xlsx"   # a missing folder is created

    result = run(runner, source, "--annotate", out)

    assert result.exit_code == 1, result.output
    assert result.stdout.rstrip().endswith(ui("annotate_written", "vi", path=out))
    assert same()
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # an ordinary document, not private
    book = load_workbook(out)
    assert book.sheetnames[0] == "Danh sách lỗi" and book.active.title == "Danh sách lỗi"
    rows = listing(out)
    assert [(r[0], r[6], r[5] or "") for r in rows] == [
        (n, p.code, p.cell) for n, p in enumerate(expected.problems, start=1)]
    assert [r[4] for r in rows] == [render(p, "vi") for p in expected.problems]
    for problem in expected.problems:
        if not problem.cell:
            continue
        sheet = book[problem.sheet] if fmt != "csv" else book.worksheets[1]
        cell = sheet[problem.cell]
        fill = ERROR_FILL if problem.severity == ERROR else WARNING_FILL
        assert cell.fill.fgColor.rgb[-6:] == fill.fgColor.rgb[-6:], problem
        assert render(problem, "vi") in cell.comment.text
        assert f"({problem.code})" not in cell.comment.text
    assert values(out)[1:] == values(source)
    # Each problem beside its row, in words; every problem of a cell is there.
    beside = notes(out)
    for problem in expected.problems:
        if problem.cell:
            row = int("".join(ch for ch in problem.cell if ch.isdigit()))
            assert render(problem, "vi") in beside[row], problem


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_english_copy(tmp_path, runner, forms, registry, fmt):
    source, _ = faulty_bieu01(tmp_path, fmt)
    expected = validate_one(source, forms, registry)
    out = tmp_path / "copy.xlsx"
    result = run(runner, source, "--annotate", out, "--lang", "en")
    assert result.exit_code == 1
    assert f"Wrote the annotated copy {out}" in result.stdout
    book = load_workbook(out)
    assert book.sheetnames[0] == "Problems"
    sheet = book.worksheets[1]
    for problem in expected.problems:
        if problem.cell:
            assert render(problem, "en") in sheet[problem.cell].comment.text
            assert render(problem, "vi") not in sheet[problem.cell].comment.text
    assert "Correct the cells filled red" in str(book.worksheets[0]["A6"].value)


def test_listing_links_to_each_cell(tmp_path, runner, forms, registry):
    source, sheet = faulty_bieu01(tmp_path, "xlsx")
    out = tmp_path / "copy.xlsx"
    run(runner, source, "--annotate", out)
    ws = load_workbook(out).worksheets[0]
    expected = validate_one(source, forms, registry)
    first = header_row(ws)
    assert first == 8  # title, file, unit, period, counts, what to do, a blank row
    links = [ws.cell(row=first + n, column=3).hyperlink
             for n in range(1, len(expected.problems) + 1)]
    assert [link.location for link in links] == [
        f"'{sheet.name}'!{p.cell}" for p in expected.problems]
    assert ws.freeze_panes == f"A{first + 1}"
    header = [c.value for c in ws[first]]
    assert header == ["STT", "Mức", "Vị trí", "Chỉ tiêu", "Nội dung", "Ô", "Mã lỗi"]
    # On paper a problem is found by its unit and the form's column number, its indicator
    # by its label; the cell address and the code stay on screen, right of the print area.
    rows = {r[6]: r for r in listing(out)}
    assert rows["rule-failed"][2] == "Biểu 01 – Thôn 1 – cột (6)"
    assert rows["rule-failed"][3] == "Số hộ tham dự họp"
    assert rows["total-mismatch"][2] == "Biểu 01 – Tổng cộng – cột (4)"
    assert rows["unknown-unit"][2] == "Biểu 01 – Thôn Không Có – cột (2)"
    assert ws.print_area == f"'{ws.title}'!$A$1:$E${first + len(expected.problems)}"
    block = [ws.cell(row=r, column=1).value for r in range(1, 7)]
    assert block[1] == f"Tệp: {source.name}"
    assert block[2] == "Đơn vị: Xã Tân Đức"
    assert block[3] == "Kỳ báo cáo: Quý I/2024"
    errors = sum(p.severity == ERROR for p in expected.problems)
    assert block[4] == f"Số lỗi: {errors}; số cảnh báo: {len(expected.problems) - errors}."
    assert block[5].startswith("Sửa các ô được tô màu đỏ")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_copy_prints_on_a4_landscape_each_problem_beside_its_row(tmp_path, runner, fmt):
    """Letter, portrait, three pages and a cut title before; comments do not print, so each
    problem is written beside its row, naming the form's column."""
    source, _ = faulty_bieu01(tmp_path, fmt)
    out = tmp_path / "copy.xlsx"
    run(runner, source, "--annotate", out)
    book = load_workbook(out)
    for ws in book.worksheets:
        setup = ws.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), ws.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    beside = notes(out)
    rule = next(text for text in beside.values() if "Số hộ tham dự họp (350)" in text)
    assert rule.startswith("Cột (6): ")
    assert any(text.startswith("Cột (2): ") and "Thôn Không Có" in text
               for text in beside.values())


def test_merged_header_ranges_are_kept(tmp_path, runner):
    source, sheet = faulty_bieu01(tmp_path, "xls")
    out = tmp_path / "copy.xlsx"
    run(runner, source, "--annotate", out)
    merged = {str(r) for r in load_workbook(out).worksheets[1].merged_cells.ranges}
    assert sheet.merges and len(merged) == len(sheet.merges)
    assert values(out)[1][1] == sorted(sheet.merges)


def test_xlsm_becomes_a_macro_free_xlsx(tmp_path, runner):
    source, _ = faulty_bieu01(tmp_path, "xlsm")
    out = tmp_path / "copy.xlsx"
    run(runner, source, "--annotate", out)
    with zipfile.ZipFile(out) as archive:
        assert b"macroEnabled" not in archive.read("[Content_Types].xml")
    notes = [c.value for c in load_workbook(out).worksheets[0]["A"] if c.value]
    assert any("không có macro" in str(n) for n in notes)


# ------------------------------------------------------------------- formula-like text


@pytest.mark.parametrize("fmt", ["csv", "xlsx-xlsxwriter"])
def test_formula_like_text_is_never_a_formula(tmp_path, runner, forms, registry, fmt):
    source, sheet = faulty_bieu01(tmp_path, fmt, unknown_name=HYPERLINK, bad_value="@SUM(1)")
    expected = validate_one(source, forms, registry)
    unknown = next(p for p in expected.problems if p.code == "unknown-unit")
    not_number = next(p for p in expected.problems if p.code == "not-a-number")
    assert unknown.unit == HYPERLINK and "@SUM(1)" in render(not_number)
    out = tmp_path / "copy.xlsx"
    assert run(runner, source, "--annotate", out).exit_code == 1

    book = load_workbook(out)
    formulas = [c.coordinate for ws in book.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []
    rows = {r[6]: r for r in listing(out)}
    assert HYPERLINK in rows["unknown-unit"][2]                # named where it is, as text
    assert not rows["unknown-unit"][2].startswith("=")
    copy = book.worksheets[1]
    assert copy[unknown.cell].value == HYPERLINK                # the unit's text, as text
    assert copy[not_number.cell].value == "@SUM(1)"
    assert values(out)[1:] == values(source)


# ------------------------------------------------------------------- problems without a cell


def test_file_and_sheet_problems_are_listed(tmp_path, runner, forms, registry):
    """wrong-period has no sheet: listed without a link; a skipped sheet links to its A1."""
    path = tmp_path / "xa tan duc bieu 02.xlsx"
    write_bieu02(path, sender(TAN_DUC), commune_row(TAN_DUC), "Quý I/2024",
                 Layout(total_row=None, extra_sheets=True))
    out = tmp_path / "copy.xlsx"
    result = run(runner, path, "--annotate", out, "--period", "2024-Q2")
    assert result.exit_code == 1
    rows = listing(out)
    assert [r[6] for r in rows] == ["sheet-skipped", "sheet-skipped", "wrong-period"]
    assert [r[2] for r in rows] == ["Hướng dẫn", "Danh sách", "Cả tệp"]
    ws = load_workbook(out).worksheets[0]
    first = header_row(ws)
    assert ws.cell(row=first + 1, column=3).hyperlink.location == "'Hướng dẫn'!A1"
    assert ws.cell(row=first + 3, column=3).hyperlink is None
    assert load_workbook(out)["Hướng dẫn"].sheet_properties.tabColor.rgb.endswith("FFC000")


def test_clean_single_file_still_gets_a_copy(tmp_path, runner):
    path = tmp_path / "xa tan duc.xlsx"
    write_bieu01(path, sender(TAN_DUC), villages(TAN_DUC), "Quý I/2024", Layout(total_row=None))
    out = tmp_path / "copy.xlsx"
    result = run(runner, path, "--annotate", out)
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).worksheets[0]
    assert ws["A5"].value == "Số lỗi: 0; số cảnh báo: 0."
    assert ws["A6"].value == "Không có lỗi."
    assert listing(out) == []


def test_several_problems_on_one_cell_share_a_comment(tmp_path):
    """Both messages in one comment, the error's fill wins, the unit's own comment is kept."""
    source = tmp_path / "bao cao.xlsx"
    book = Workbook()
    book.active.title = "Biểu 01"
    book.active["C7"] = 12
    book.active["C7"].comment = Comment("số tạm tính", "Xã")
    book.save(source)
    result = FileResult(str(source), problems=[
        Problem(WARNING, "above-maximum", sheet="Biểu 01", cell="C7", indicator="meetings",
                params={"value": 12, "maximum": 10}),
        Problem(ERROR, "negative", sheet="Biểu 01", cell="c7", indicator="meetings",
                params={"value": -1}),
    ])
    out = annotate(source, result, tmp_path / "copy.xlsx")
    cell = load_workbook(out)["Biểu 01"]["C7"]
    assert cell.value == 12
    assert cell.fill.fgColor.rgb.endswith(ERROR_FILL.fgColor.rgb[-6:])
    for problem in result.problems:
        assert render(problem, "vi") in cell.comment.text
    assert cell.comment.text.endswith("số tạm tính")


# ------------------------------------------------------------------- several files


def test_folder_mode_writes_one_copy_per_file_with_problems(tmp_path, runner):
    reports = tmp_path / "bao cao"
    reports.mkdir()
    faulty_bieu01(reports, "xlsx")
    faulty_bieu01(reports, "ods")                                # same stem: "(2)"
    write_bieu01(reports / "sach.xlsx", sender(TAN_DUC), villages(TAN_DUC), "Quý I/2024",
                 Layout(total_row=None))
    (reports / "hong.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    out = tmp_path / "tra lai"
    out.mkdir()

    result = run(runner, reports, "--annotate", out)

    assert result.exit_code == 1
    written = sorted(p.name for p in out.iterdir())
    assert written == ["BC quy I-2024 xa Tan Duc (2) - kiem tra.xlsx",
                       "BC quy I-2024 xa Tan Duc - kiem tra.xlsx"]
    assert ui("annotate_unreadable", "vi", path=reports / "hong.xlsx") in result.stdout
    assert "sach" not in "".join(written)


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_link_out_of_the_folder_never_gets_a_copy(tmp_path, runner):
    """A link in a commune's folder to another file of the computer: skipped, and its content
    never copied into what goes back to the commune."""
    reports, elsewhere = tmp_path / "bao cao", tmp_path / "may tinh"
    reports.mkdir()
    elsewhere.mkdir()
    secret, _ = faulty_bieu01(elsewhere, "xlsx", stem="bi mat", unknown_name="BI MAT 7f3a")
    faulty_bieu01(reports, "xlsx")
    (reports / "lien ket.xlsx").symlink_to(secret)
    out = tmp_path / "tra lai"
    out.mkdir()
    result = run(runner, reports, "--annotate", out)
    assert result.exit_code == 1
    assert [p.name for p in out.iterdir()] == ["BC quy I-2024 xa Tan Duc - kiem tra.xlsx"]
    assert "BI MAT 7f3a" not in result.stdout and "link-outside" in result.stdout


def test_json_output_stays_pure(tmp_path, runner):
    source, _ = faulty_bieu01(tmp_path, "xlsx")
    out = tmp_path / "copy.xlsx"
    result = run(runner, source, "--annotate", out, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["files"][0]["status"] == "rejected"
    assert ui("annotate_written", "vi", path=out) in result.stderr
    assert out.exists()


# ------------------------------------------------------------------- misuse: exit 2


def test_never_over_the_input(tmp_path, runner):
    source, _ = faulty_bieu01(tmp_path, "xlsx")
    same = unchanged(source)
    result = run(runner, source, "--annotate", source)
    assert result.exit_code == 2
    assert "Không ghi bản đánh dấu lỗi đè lên tệp đang kiểm tra" in said(
        result.stderr)
    link = tmp_path / "link.xlsx"
    os.link(source, link)                                        # the same file, another name
    assert run(runner, source, "--annotate", link).exit_code == 2
    assert same()


def test_a_folder_copy_never_lands_on_an_input(tmp_path, runner):
    faulty_bieu01(tmp_path, "xlsx", stem="a")
    faulty_bieu01(tmp_path, "xlsx", stem="a - kiem tra")
    result = run(runner, tmp_path, "--annotate", tmp_path)
    assert result.exit_code == 2
    assert "a - kiem tra.xlsx" in said(result.stderr)


def test_checking_the_copies_against_the_inputs_grows_with_the_files_not_their_square(
        tmp_path, monkeypatch):
    """Each input and each copy is looked at a few times, never once per pair (a thousand
    files took 46 s)."""
    from antq_cli.outputs import annotate as module

    real = {name: getattr(os, name) for name in ("stat", "lstat")}

    def looks(count: int) -> int:
        """How many times the file system is asked about a path, for `count` files."""
        folder = tmp_path / str(count)
        (folder / "tra lai").mkdir(parents=True)
        inputs = [folder / f"xa {n}.xlsx" for n in range(count)]
        for path in inputs:
            path.write_bytes(b"")
        calls = []
        for name, function in real.items():
            monkeypatch.setattr(module.os, name, lambda p, *a, f=function, **k: calls.append(
                p) or f(p, *a, **k))
        module.check_target(folder / "tra lai", inputs)
        for name, function in real.items():
            monkeypatch.setattr(module.os, name, function)
        return len(calls)

    assert looks(400) <= 2.2 * looks(200)


def test_several_files_need_a_folder(tmp_path, runner):
    one, _ = faulty_bieu01(tmp_path, "xlsx", stem="mot")
    two, _ = faulty_bieu01(tmp_path, "csv", stem="hai")
    out = tmp_path / "copy.xlsx"
    result = run(runner, one, two, "--annotate", out)
    assert result.exit_code == 2
    assert "Cho --annotate một thư mục" in said(result.stderr) and not out.exists()
    assert result.stdout == ""                                   # refused before any reading


@pytest.mark.parametrize("name", ["copy.xls", "copy.csv", "copy.ods"])
def test_the_copy_is_an_xlsx(tmp_path, runner, name):
    source, _ = faulty_bieu01(tmp_path, "xlsx")
    result = run(runner, source, "--annotate", tmp_path / name)
    assert result.exit_code == 2
    assert ".xlsx" in result.stderr and not (tmp_path / name).exists()


def test_a_long_file_name_keeps_its_copy_suffix(tmp_path, runner):
    stem = "Bao cao ket qua phong trao toan dan bao ve an ninh To quoc " * 2 + "xa Tan Duc"
    reports, out = tmp_path / "in", tmp_path / "out"
    reports.mkdir()
    faulty_bieu01(reports, "csv", stem=stem)
    assert run(runner, reports, "--annotate", out).exit_code == 1
    [copy] = out.iterdir()
    assert copy.name.endswith(" - kiem tra.xlsx") and copy.name.startswith(stem[:80])


def test_control_characters_do_not_stop_the_copy(tmp_path, runner):
    """A control character in a cell (XML cannot hold it) never stops the copy."""
    source, _ = faulty_bieu01(tmp_path, "xls", bad_value="12\x07", unknown_name="Thôn\x0b Lạ")
    out = tmp_path / "copy.xlsx"
    result = run(runner, source, "--annotate", out)
    assert result.exit_code == 1, result.output
    [(copied, _)], [(read, _)] = values(out)[1:], values(source)
    changed = {k: (copied[k], v) for k, v in read.items() if copied.get(k) != v}
    assert list(changed.values()) == [("Thôn Lạ", "Thôn\x0b Lạ")]      # only the XML-illegal
    assert any(r[6] == "unknown-unit" and "Lạ" in r[2] for r in listing(out))
