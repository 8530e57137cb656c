"""Write sample_data/: one quarter (2024-Q1) of the invented province "Tỉnh Mẫu Sơn".

Run ``python tests/make_sample_data.py`` from the repository root to regenerate it; the
output is deterministic (seeded values, fixed zip timestamps). The module is also the truth
for the tests: the registry (`REGISTRY`), the values of every village and commune as written
(`written_rows`, `village_values`, `commune_values`), which files are good, bad or not forms
(`FILES`, `good_files`, `bad_files`, `other_files`), the problems the bad file must raise
(`SampleFile.problems`), the communes that must be reported missing (`expected_missing_any`,
and per form `expected_missing`) and
the totals and rates a merge of the good files must give (`expected_totals`, `expected_rates`).

The quarter is in the pre-2025 era: province → district → commune → village.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.builders import (  # noqa: E402
    Layout,
    Sheet,
    flag_codes,
    indicator_codes,
    indicators,
    instructions_sheet,
    list_sheet,
    random_values,
    table_sheet,
    vertical_sheet,
    write_workbook,
)

SAMPLE_DIR = ROOT / "sample_data"
QUARTER_DIR = "2024-Q1"
SEED = 20240314
PERIOD = "2024-Q1"
WINDOW = ("2023-12-15", "2024-03-14")
FORMS = ("bieu-01", "bieu-02")


@dataclass(frozen=True)
class Unit:
    """One registry row."""

    code: str
    name: str
    level: str
    parent_code: str


PROVINCE = Unit("99", "Tỉnh Mẫu Sơn", "province", "")
DISTRICTS = [
    Unit("991", "Huyện Tân Minh", "district", "99"),
    Unit("992", "Huyện Sông Phan", "district", "99"),
    Unit("993", "Thị xã Bạch Thông", "district", "99"),
]
COMMUNES = [
    Unit("99101", "Thị trấn Tân Minh", "commune", "991"),
    Unit("99103", "Xã Tân Đức", "commune", "991"),
    Unit("99105", "Xã Sơn Mỹ", "commune", "991"),
    Unit("99201", "Xã Phan Lâm", "commune", "992"),
    Unit("99203", "Xã Hòa Thuận", "commune", "992"),
    Unit("99205", "Xã Phú Xuân", "commune", "992"),
    Unit("99207", "Xã Đông Thạnh", "commune", "992"),
    Unit("99301", "Phường Bạch Thông", "commune", "993"),
    Unit("99303", "Phường Trung Sơn", "commune", "993"),
    Unit("99305", "Xã Vân Tùng", "commune", "993"),
]
_VILLAGE_NAMES = {
    "99101": ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3", "Tổ dân phố Bắc Sơn",
              "Tổ dân phố Nam Sơn", "Tổ dân phố Tân Tiến"],
    "99103": ["Thôn 1", "Thôn 2", "Thôn Tân Hòa", "Thôn Đồng Tâm", "Thôn Phú Lợi"],
    "99105": ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn Mỹ Thủy", "Thôn Khe Lim", "Thôn Đồng Quýt",
              "Thôn Hòa Bình"],
    "99201": ["Ấp 1", "Ấp 2", "Ấp Bình An", "Ấp Phú Hữu"],
    "99203": ["Thôn Thuận An", "Thôn Thuận Hòa", "Thôn Đông", "Thôn Tây", "Thôn Trung",
              "Thôn Xuân Thủy"],
    "99205": ["Thôn Phú Xuân 1", "Thôn Phú Xuân 2", "Thôn Lương Điền", "Thôn Cồn Tộc", "Thôn 1"],
    "99207": ["Ấp Đông Hòa", "Ấp Đông Bình", "Ấp Thạnh Lợi", "Ấp 1"],
    "99301": ["Khu phố 1", "Khu phố 2", "Khu phố 3", "Khu phố 4", "Khu phố 5", "Khu phố 6",
              "Khu phố 7", "Khu phố Đức Xuân"],
    "99303": ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3", "Tổ dân phố 4", "Tổ dân phố 5",
              "Tổ dân phố 6"],
    "99305": ["Bản Nà Cà", "Bản Khuổi Luông", "Bản Pác Nặm", "Bản Nà Pài", "Thôn Nà Bản",
              "Bản Cốc Lùng", "Bản Phiêng Khảm", "Bản Khuổi Tẩu", "Bản Nà Vài"],
}
VILLAGES = [Unit(f"{commune}{i:02d}", name, "village", commune)
            for commune, names in _VILLAGE_NAMES.items() for i, name in enumerate(names, 1)]
REGISTRY = [PROVINCE, *DISTRICTS, *COMMUNES, *VILLAGES]
UNITS = {unit.code: unit for unit in REGISTRY}

MISSING_COMMUNE = "99207"      # Xã Đông Thạnh sends nothing
BAD_COMMUNE = "99303"          # Phường Trung Sơn's bieu-01 has errors (its bieu-02 is fine)
BAD_VILLAGE_RULE = "9930302"   # Tổ dân phố 2: households_attending > households
RENAMED_VILLAGE = "9930306"    # Tổ dân phố 6, written as an unknown "Tổ dân phố 8"
UNKNOWN_NAME = "Tổ dân phố 8"
TOTAL_ERROR = ("households", 10)  # the bad file's total row says sum + 10


@dataclass(frozen=True)
class ExpectedProblem:
    """A problem a validator must report for a bad file."""

    code: str
    sheet: str
    cell: str
    indicator: str | None
    unit: str
    detail: str


@dataclass
class WrittenRow:
    """One data row as written: where, for which unit, with which values (numbers, 1/0 flags)."""

    file: str
    sheet: str
    form: str
    sender: str
    unit_code: str | None
    unit_name: str
    values: dict[str, int]
    cells: dict[str, str]


@dataclass
class SampleFile:
    """One file of sample_data/2024-Q1 and what a reader must make of it."""

    name: str
    sender: str | None
    forms: tuple[str, ...]
    status: str                  # "good" | "bad" | "not-a-form"
    fmt: str
    layout: str
    sender_stated_by: str        # "title block" | "unit line" | "code column" | "file name"
    period_text: str
    problems: tuple[ExpectedProblem, ...] = ()
    options: dict[str, str] = field(default_factory=dict)   # CSV encoding and delimiter
    sheets: list[Sheet] = field(default_factory=list, repr=False)
    write: Callable[[Path], None] | None = field(default=None, repr=False)


# --------------------------------------------------------------------------- values


@lru_cache(maxsize=None)
def _generated() -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    rng = random.Random(SEED)
    villages: dict[str, dict[str, int]] = {}
    communes: dict[str, dict[str, int]] = {}
    for commune in COMMUNES:
        for village in _villages_of(commune.code):
            villages[village.code] = random_values("bieu-01", rng)
        communes[commune.code] = random_values("bieu-02", rng)
    # the bad file's village breaks households_attending <= households
    broken = villages[BAD_VILLAGE_RULE]
    broken["households_attending"] = broken["households"] + 25
    if not broken["meetings"]:
        broken["meetings"], broken["meeting_attendance"] = 2, broken["households_attending"] + 40
    return villages, communes


def _villages_of(commune: str) -> list[Unit]:
    return [v for v in VILLAGES if v.parent_code == commune]


def _rows(commune: str, rename: dict[str, str] | None = None,
          drop_code: set[str] | None = None) -> list[tuple[str | None, str, dict[str, int]]]:
    villages, _ = _generated()
    rename, drop_code = rename or {}, drop_code or set()
    return [(None if v.code in drop_code else v.code, rename.get(v.code, v.name), dict(villages[v.code]))
            for v in _villages_of(commune)]


def _own_row(commune: str, name: str | None = None) -> list[tuple[str, str, dict[str, int]]]:
    _, communes = _generated()
    unit = UNITS[commune]
    return [(unit.code, name or unit.name, dict(communes[unit.code]))]


def _sender(commune: str) -> tuple[str, str, str]:
    unit = UNITS[commune]
    return unit.code, unit.name, UNITS[unit.parent_code].name


# ------------------------------------------------------------ the same quarter last year

LAST_YEAR_DIR = "2023-Q1"
LAST_YEAR_SEED = 20230314


@lru_cache(maxsize=None)
def last_year_values() -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Village and commune figures of Q1 2023, for `--compare` (every commune sent): flows
    drawn afresh, stocks a little below this year's (households, groups and agencies grow
    slowly), a "đạt" status rarely otherwise, as a real year before looks."""
    rng = random.Random(LAST_YEAR_SEED)
    now_villages, now_communes = village_values(), commune_values()
    villages = {v.code: _a_year_before("bieu-01", now_villages.get(v.code), rng)
                for c in COMMUNES for v in _villages_of(c.code)}
    communes = {c.code: _a_year_before("bieu-02", now_communes.get(c.code), rng)
                for c in COMMUNES}
    return villages, communes


def _a_year_before(form_id: str, now: dict[str, int] | None,
                   rng: random.Random) -> dict[str, int]:
    values = random_values(form_id, rng)
    if now is None:  # no figure this year (a file rejected or not sent): any realistic row
        return values
    for indicator in indicators(form_id):
        code = indicator["code"]
        if indicator.get("over_time") != "last":
            continue
        if indicator["type"] == "flag":
            values[code] = now[code] if rng.random() > 0.05 else 1 - now[code]
        else:
            values[code] = round(now[code] * rng.uniform(0.9, 1.02))
    # What a part counts never exceeds its whole (the forms' rules).
    if form_id == "bieu-01":
        values["households_attending"] = min(values["households_attending"], values["households"])
    else:
        values["agencies_safe"] = min(values["agencies_safe"], values["agencies"])
    return values


def _write_last_year(folder: Path) -> None:
    """One plain workbook per commune with both forms, as most units send it."""
    folder.mkdir(parents=True, exist_ok=True)
    villages, communes = last_year_values()
    period = "Quý I/2023"
    for commune in COMMUNES:
        rows = [(v.code, v.name, dict(villages[v.code])) for v in _villages_of(commune.code)]
        own = [(commune.code, commune.name, dict(communes[commune.code]))]
        sheets = [table_sheet("bieu-01", _sender(commune.code), rows, period, Layout()),
                  table_sheet("bieu-02", _sender(commune.code), own, period,
                              Layout(total_row=None))]
        write_workbook(folder / f"{commune.name} - Q1 2023.xlsx", sheets, "xlsx")


def expected_last_year_totals() -> dict[str, int]:
    """Q1 2023 totals of the province, both forms."""
    villages, communes = last_year_values()
    totals: dict[str, int] = {}
    for values in [*villages.values(), *communes.values()]:
        for key, value in values.items():
            totals[key] = totals.get(key, 0) + value
    return totals


# --------------------------------------------------------------------------- the files


def _workbook(name: str, sheets: list[Sheet], fmt: str, **options: str) -> Callable[[Path], None]:
    return lambda folder: write_workbook(folder / name, sheets, fmt, **options)


def _plan() -> list[SampleFile]:
    """Every file of the quarter with its sheets laid out (nothing written yet)."""
    files: list[SampleFile] = []

    def add(name, sender, sheets, fmt, status, layout, stated_by, period, problems=(), **options):
        forms = tuple(s.form_id for s in sheets if s.form_id)
        files.append(SampleFile(name, sender, forms, status, fmt, layout, stated_by, period,
                                tuple(problems), dict(options), sheets,
                                _workbook(name, sheets, fmt, **options)))

    # 1. Xã Tân Đức: both forms in one openpyxl workbook; SUM formulas without cached values.
    period = "Quý I/2024"
    s1 = table_sheet("bieu-01", _sender("99103"), _rows("99103"), period,
                     Layout(header_rows=2, column_numbers="paren", total_formulas=True))
    s2 = table_sheet("bieu-02", _sender("99103"), _own_row("99103"), period,
                     Layout(header_rows=2, column_numbers="paren", total_row=None))
    add("BC quy I-2024 xa Tan Duc.xlsx", "99103", [s1, s2], "xlsx", "good",
        "openpyxl; 2 sheets; title block; 2-row merged header; (1),(2)… row; STT; bottom "
        "'Tổng cộng' as SUM formulas with no cached value; signature", "title block", period)

    # 2. Thị trấn Tân Minh: ODS, 3-row header from column B, total on top, flags "x".
    period = "quý 1/2024"
    common = dict(header_rows=3, column_numbers="letters", start_col="B", unit_line=None,
                  flag_style="x")
    s1 = table_sheet("bieu-01", _sender("99101"), _rows("99101"), period,
                     Layout(**common, total_row="top", total_label="Cộng", total_formulas=True,
                            sheet_name="Bieu01"))
    s2 = table_sheet("bieu-02", _sender("99101"), _own_row("99101"), period,
                     Layout(**common, total_row=None, sheet_name="Bieu02"))
    add("thi tran tan minh Q1-2024.ods", "99101", [s1, s2], "ods", "good",
        "odfpy; 2 sheets; motto only (no unit line); 3-row header with band, table from column "
        "B; A,B,1,2… row; 'Cộng' total row at the top (formulas with values); flags x/blank",
        "file name", period)

    # 3-4. Xã Sơn Mỹ: two .xls files, code column, blank rows, flags Có/Không.
    period = "Quý I năm 2024"
    s1 = table_sheet("bieu-01", _sender("99105"), _rows("99105"), period,
                     Layout(header_rows=2, code_column=True, blank_rows=2, flag_style="co",
                            unit_line="line", seed=5))
    add("xa_son_my_bieu01.xls", "99105", [s1], "xls", "good",
        "xlwt; 'Đơn vị báo cáo:' line; 2-row merged header; code column; 2 blank rows between "
        "villages; bottom total as values; flags Có/Không", "unit line", period)
    s2 = table_sheet("bieu-02", _sender("99105"), _own_row("99105"), period,
                     Layout(header_rows=1, code_column=True, total_row=None, unit_line="line",
                            column_numbers=None))
    add("xa_son_my_bieu02.xls", "99105", [s2], "xls", "good",
        "xlwt; 'Đơn vị báo cáo:' line; 1-row header of full labels; code column", "unit line",
        period)

    # 5-6. Xã Phan Lâm: CSV exports, Windows-1258 ';' with text numbers, and UTF-8 BOM ','.
    period = "Q1/2024"
    s1 = table_sheet("bieu-01", _sender("99201"), _rows("99201"), period,
                     Layout(header_rows=1, text_numbers=True, unit_line="line", seed=6))
    add("Phan Lam - bieu 01 - quy 1.2024.csv", "99201", [s1], "csv", "good",
        "CSV Windows-1258 (tone marks combining where the code page lacks the letter), ';', "
        "title lines as rows, 'Đơn vị báo cáo:' line, counts as text ('1.234', ' 12 ', NBSP), "
        "bottom total as text", "unit line", period, encoding="cp1258", delimiter=";")
    s2 = table_sheet("bieu-02", _sender("99201"), _own_row("99201"), period,
                     Layout(header_rows=1, code_column=True, unit_line=None, total_row=None,
                            column_numbers=None, notes_and_signature=False))
    add("Phan Lam - bieu 02 - quy 1.2024.csv", "99201", [s2], "csv", "good",
        "CSV UTF-8 with BOM, ','; motto and title rows; no unit line: the code column tells",
        "code column", period, encoding="utf-8-sig", delimiter=",")

    # 7. Xã Hòa Thuận: .xlsm, 1-row messy labels in shuffled order, flags 1/0, old-style tones.
    period = "Quý I/2024"
    old_style = {"9920302": "Thôn Thuận Hoà", "9920306": "Thôn Xuân Thuỷ"}
    s1 = table_sheet("bieu-01", _sender("99203"), _rows("99203", rename=old_style), period,
                     Layout(header_rows=1, messy_labels=True, column_order="shuffle",
                            flag_style="10", total_label="Tổng số", sheet_name="BIEU 01", seed=7))
    s2 = table_sheet("bieu-02", _sender("99203"), _own_row("99203", "Xã Hoà Thuận"), period,
                     Layout(header_rows=1, messy_labels=True, column_order="shuffle",
                            flag_style="10", total_row=None, sheet_name="BIEU 02", seed=8))
    add("Hoa Thuan - bao cao ANTQ quy 1 nam 2024.xlsm", "99203", [s1, s2], "xlsm", "good",
        "openpyxl saved as macro-free .xlsm; 1-row header with messy labels (variants, line "
        "breaks, case, NFD, spaces, '(vụ)') in shuffled column order; flags 1/0; village names "
        "with old-style tones (Hoà, Thuỷ); bottom 'Tổng số' row", "title block", period)

    # 8-9. Xã Phú Xuân: xlsxwriter bieu-01 with instruction/list sheets; bieu-02 vertical.
    period = "Quý I/2024"
    rows = _rows("99205")
    s1 = table_sheet("bieu-01", _sender("99205"), rows, period,
                     Layout(header_rows=2, code_column=True, column_numbers="letters",
                            total_formulas=True, unit_line="line", unit_line_prefix="Đơn vị: "))
    add("PhuXuan_Bieu01_Q1.2024.xlsx", "99205",
        [instructions_sheet("bieu-01"), s1, list_sheet(rows, "bieu-01")], "xlsx-xlsxwriter",
        "good", "xlsxwriter; sheets 'Hướng dẫn' (text), the form, 'Danh sách' (a unit list, not a "
        "form); 'Đơn vị:' line; code column; A,B,C,1,2… row; SUM formulas with cached values",
        "unit line", period)
    s2 = vertical_sheet(_sender("99205"), _generated()[1]["99205"], period,
                        Layout(header_rows=1, column_numbers="paren"))
    add("PhuXuan_Bieu02_Q1.2024.xlsx", "99205", [s2], "xlsx", "good",
        "openpyxl; bieu-02 vertical: STT | Nội dung | ĐVT | Số liệu, sections I–IV, indented "
        "'Trong đó: …' rows, flag as Đạt/Không đạt", "title block", period)

    # 10. Phường Bạch Thông: xlsxwriter, both forms, 3-row header from column C.
    period = "Quý 1/2024"
    s1 = table_sheet("bieu-01", _sender("99301"), _rows("99301"), period,
                     Layout(header_rows=3, start_col="C", code_column=True, total_label="Cộng",
                            total_formulas=True))
    s2 = table_sheet("bieu-02", _sender("99301"), _own_row("99301"), period,
                     Layout(header_rows=3, start_col="C", code_column=True, total_row=None,
                            text_numbers=True, seed=10))
    add("Phường Bạch Thông - Quý 1.2024.xlsx", "99301", [s1, s2], "xlsx-xlsxwriter", "good",
        "xlsxwriter; 2 sheets; 3-row header with band, table from column C; code column; "
        "bottom 'Cộng' with cached SUM/COUNTIF formulas; bieu-02 counts as text", "title block",
        period)

    # 11. Phường Trung Sơn: the bad bieu-01.
    period = "Quý I/2024"
    rows = _rows("99303", rename={RENAMED_VILLAGE: UNKNOWN_NAME}, drop_code={RENAMED_VILLAGE})
    indicator, excess = TOTAL_ERROR
    written_total = sum(v[indicator] for _, _, v in rows) + excess
    s1 = table_sheet("bieu-01", _sender("99303"), rows, period,
                     Layout(header_rows=2, total_override={indicator: written_total}))
    bad_village = UNITS[BAD_VILLAGE_RULE]
    problems = [
        ExpectedProblem("rule-failed", s1.name, s1.cell_of(BAD_VILLAGE_RULE, "households_attending"),
                        "households_attending", bad_village.name,
                        "households_attending > households"),
        ExpectedProblem("total-mismatch", s1.name, s1.total_cell(indicator), indicator,
                        UNITS[BAD_COMMUNE].name,
                        f"total row says {written_total}, rows add up to {written_total - excess}"),
        ExpectedProblem("unknown-unit", s1.name, _a1_name(s1, UNKNOWN_NAME), None, UNKNOWN_NAME,
                        "not in the registry under Phường Trung Sơn"),
    ]
    add("BC ANTQ P Trung Son Q1 2024.xlsx", BAD_COMMUNE, [s1], "xlsx", "bad",
        "openpyxl; bieu-01 with three errors: a rule broken, a total that does not add up, "
        "an unknown village", "title block", period, problems)

    # 12. Phường Trung Sơn's bieu-02, sent separately and correct.
    s2 = table_sheet("bieu-02", _sender("99303"), _own_row("99303"), period,
                     Layout(header_rows=1, total_row=None, unit_line="line", column_numbers=None))
    add("P Trung Son - bieu 02 - Q1 2024.xlsx", BAD_COMMUNE, [s2], "xlsx", "good",
        "openpyxl; 1-row header; 'Đơn vị báo cáo:' line", "unit line", period)

    # 13. Xã Vân Tùng: messy labels, blank rows, text numbers, no total row.
    period = "Quý I/2024"
    s1 = table_sheet("bieu-01", _sender("99305"), _rows("99305"), period,
                     Layout(header_rows=2, messy_labels=True, blank_rows=2, text_numbers=True,
                            total_row=None, column_numbers=None, seed=3))
    s2 = table_sheet("bieu-02", _sender("99305"), _own_row("99305"), period,
                     Layout(header_rows=2, messy_labels=True, text_numbers=True, total_row=None,
                            seed=4))
    add("Van Tung bao cao quy I 2024.xlsx", "99305", [s1, s2], "xlsx", "good",
        "openpyxl; 2 sheets; 2-row header with messy labels (NFD, line breaks, case, variants); "
        "blank rows; counts as text; no total row", "title block", period)

    # 14. Not a spreadsheet.
    files.append(SampleFile("ghi chu.txt", None, (), "not-a-form", "txt",
                            "a plain-text note", "", "", write=_write_note))
    return files


def _a1_name(sheet: Sheet, name: str) -> str:
    from tests.builders import a1
    return a1(sheet.data_rows[name], sheet.columns["name"])


def _write_note(folder: Path) -> None:
    (folder / "ghi chu.txt").write_text(
        "Ghi chú tổng hợp quý I/2024\n"
        "- Xã Đông Thạnh chưa gửi báo cáo, đã gọi điện nhắc ngày 15/3/2024.\n"
        "- Phường Trung Sơn gửi biểu 01 còn sai số liệu, đề nghị rà soát lại.\n",
        encoding="utf-8")


@lru_cache(maxsize=None)
def _files() -> tuple[SampleFile, ...]:
    return tuple(_plan())




def files() -> list[SampleFile]:
    """Every file of sample_data/2024-Q1 with its truth."""
    return list(_files())


def good_files() -> list[SampleFile]:
    """Files that must be accepted."""
    return [f for f in _files() if f.status == "good"]


def bad_files() -> list[SampleFile]:
    """Files that must be rejected, with the problems they must raise."""
    return [f for f in _files() if f.status == "bad"]


def other_files() -> list[SampleFile]:
    """Files that are not spreadsheets (skipped)."""
    return [f for f in _files() if f.status == "not-a-form"]


FILES: tuple[SampleFile, ...] = _files()


# --------------------------------------------------------------------------- derived truth


def written_rows(form_id: str | None = None, status: str | None = None) -> list[WrittenRow]:
    """Every data row written in the sample files (optionally one form / file status)."""
    out = []
    for sample in _files():
        if status and sample.status != status:
            continue
        for sheet in sample.sheets:
            if not sheet.form_id or (form_id and sheet.form_id != form_id):
                continue
            out.extend(_sheet_rows(sample, sheet))
    return out


def _sheet_rows(sample: SampleFile, sheet: Sheet) -> list[WrittenRow]:
    villages, communes = _generated()
    flags = set(flag_codes(sheet.form_id))
    if sheet.vertical:
        values = communes[sample.sender]
        return [WrittenRow(sample.name, sheet.name, sheet.form_id, sample.sender, sample.sender,
                           UNITS[sample.sender].name, dict(values),
                           {code: sheet.cell_of(None, code) for code in values})]
    rows = []
    for key, row in sheet.data_rows.items():
        code = key if key in UNITS else None
        name_col = sheet.columns["name"]
        name = sheet.cells[(row, name_col)]
        if code is None:
            code_for_values = RENAMED_VILLAGE if name == UNKNOWN_NAME else None
        else:
            code_for_values = code
        source = villages if sheet.form_id == "bieu-01" else communes
        values = dict(source[code_for_values])
        assert set(values) >= flags
        rows.append(WrittenRow(sample.name, sheet.name, sheet.form_id, sample.sender, code, name,
                               values, {ind: sheet.cell_of(key, ind) for ind in values}))
    return rows


def village_values() -> dict[str, dict[str, int]]:
    """Values of every village in a good bieu-01 file, by village code."""
    return {r.unit_code: r.values for r in written_rows("bieu-01", "good")}


def commune_values() -> dict[str, dict[str, int]]:
    """Values of every commune in a good bieu-02 file, by commune code."""
    return {r.unit_code: r.values for r in written_rows("bieu-02", "good")}


def _in_scope(unit_code: str, scope: str) -> bool:
    while unit_code:
        if unit_code == scope:
            return True
        unit_code = UNITS[unit_code].parent_code
    return False


def expected_totals(form_id: str, scope: str = PROVINCE.code) -> dict[str, int]:
    """Totals a merge of the good files must give for a scope (a flag: units flagged)."""
    values = village_values() if form_id == "bieu-01" else commune_values()
    totals = {code: 0 for code in indicator_codes(form_id)}
    for unit, row in values.items():
        if _in_scope(unit, scope):
            for code in totals:
                totals[code] += row[code]
    return totals


def expected_rates(scope: str = PROVINCE.code) -> dict[str, dict[str, int]]:
    """Rates over the good files; denominators of unit counts are the registry units in scope."""
    t1, t2 = expected_totals("bieu-01", scope), expected_totals("bieu-02", scope)
    villages = [v for v in VILLAGES if _in_scope(v.code, scope)]
    communes = [c for c in COMMUNES if _in_scope(c.code, scope)]
    meeting = sum(1 for code, row in village_values().items() if _in_scope(code, scope) and row["meetings"])
    return {
        "village_safe_rate": {"numerator": t1["village_safe"], "denominator": len(villages)},
        "households_attending_rate": {"numerator": t1["households_attending"],
                                      "denominator": t1["households"]},
        "villages_meeting_rate": {"numerator": meeting, "denominator": len(villages)},
        "commune_safe_rate": {"numerator": t2["commune_safe"], "denominator": len(communes)},
        "agencies_safe_rate": {"numerator": t2["agencies_safe"], "denominator": t2["agencies"]},
        "reformed_rate": {"numerator": t2["reformed"], "denominator": t2["educated"]},
    }


def expected_missing_any() -> list[tuple[str, str]]:
    """(commune code, reason) of communes with no accepted file at all (the spec's "missing"):
    Phường Trung Sơn is not among them, since its bieu-02 file is accepted."""
    return [(MISSING_COMMUNE, "not-sent")]


def expected_missing(form_id: str) -> list[tuple[str, str]]:
    """(commune code, reason) of communes without an accepted file for this one form."""
    missing = [(MISSING_COMMUNE, "not-sent")]
    if form_id == "bieu-01":
        missing.append((BAD_COMMUNE, "rejected"))
    return sorted(missing)


def truth() -> dict[str, Any]:
    """Everything above as plain JSON-able data (also written to sample_data/expected.json)."""
    return {
        "period": PERIOD,
        "window": list(WINDOW),
        "seed": SEED,
        "scope": asdict(PROVINCE),
        "registry": [asdict(u) for u in REGISTRY],
        "files": [{"name": f.name, "sender": f.sender, "forms": list(f.forms), "status": f.status,
                   "fmt": f.fmt, "layout": f.layout, "sender_stated_by": f.sender_stated_by,
                   "period_text": f.period_text, "options": f.options, "sheets": [s.name for s in f.sheets],
                   "problems": [asdict(p) for p in f.problems]} for f in _files()],
        "rows": [asdict(r) for r in written_rows()],
        "totals": {form: expected_totals(form) for form in FORMS},
        "totals_by_district": {d.code: {form: expected_totals(form, d.code) for form in FORMS}
                               for d in DISTRICTS},
        "rates": expected_rates(),
        "missing": [list(m) for m in expected_missing_any()],
        "missing_by_form": {form: [list(m) for m in expected_missing(form)] for form in FORMS},
    }


# --------------------------------------------------------------------------- writing


def registry_csv() -> str:
    """registry.csv text: code,name,level,parent_code."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "name", "level", "parent_code"])
    for unit in REGISTRY:
        writer.writerow([unit.code, unit.name, unit.level, unit.parent_code])
    return buffer.getvalue()


README = """# sample_data

One quarter (2024-Q1, data window 15/12/2023–14/3/2024) of the invented province
**Tỉnh Mẫu Sơn** (code 99) in the pre-2025 four-level era: 3 districts, 10 communes,
{villages} villages. Every file is generated: `python tests/make_sample_data.py` rewrites this
folder (deterministically); `tests/make_sample_data.py` is also the truth the tests compare with.

- `registry.csv`: the unit list (code,name,level,parent_code; UTF-8).
- `expected.json`: the truth: files and their status, every row as written with its cells,
  the province and district totals and rates of the good files, the missing communes.
- `2024-Q1/`: what the provincial police received this quarter:

| file | commune | status | forms | period as written | sender stated by | layout |
|---|---|---|---|---|---|---|
{table}

Xã Đông Thạnh (99207) sent nothing: it is the one missing commune. Phường Trung Sơn's
bieu-01 must be rejected (rule-failed, total-mismatch, unknown-unit); its bieu-02 is
accepted, so it is missing only for bieu-01 (reason `rejected`) if missing is counted per form.

- `2023-Q1/`: the same quarter a year before, for `antq merge sample_data/2024-Q1 --compare
  sample_data/2023-Q1` ("so với cùng kỳ"): every commune sent one plain workbook with both
  forms, all accepted.
- `summary-2024-Q1.png`: the first page of the summary workbook of 2024-Q1
  (`antq merge ... -o`), as LibreOffice prints it. It is rendered, not generated here.
"""


def generate(out_dir: Path | str = SAMPLE_DIR) -> list[SampleFile]:
    """Write registry.csv, expected.json, README.md and the quarter folder; return the files."""
    out_dir = Path(out_dir)
    quarter = out_dir / QUARTER_DIR
    quarter.mkdir(parents=True, exist_ok=True)
    for old in quarter.iterdir():
        if old.is_file():
            old.unlink()
    (out_dir / "registry.csv").write_text(registry_csv(), encoding="utf-8")
    for sample in _files():
        sample.write(quarter)
    last_year = out_dir / LAST_YEAR_DIR
    if last_year.exists():
        for old in last_year.iterdir():
            old.unlink()
    _write_last_year(last_year)
    (out_dir / "expected.json").write_text(
        json.dumps(truth(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    cells = lambda f: [f.name, UNITS[f.sender].name if f.sender else "-", f.status,  # noqa: E731
                       ", ".join(f.forms) or "-", f.period_text or "-", f.sender_stated_by or "-",
                       f.layout]
    table = "\n".join("| " + " | ".join(c.replace("|", "\\|") for c in cells(f)) + " |"
                      for f in _files())
    (out_dir / "README.md").write_text(README.format(villages=len(VILLAGES), table=table),
                                       encoding="utf-8")
    return files()


def main() -> None:
    """Regenerate sample_data/ and print a short account."""
    written = generate()
    size = sum(p.stat().st_size for p in SAMPLE_DIR.rglob("*") if p.is_file())
    print(f"wrote {len(written)} files to {SAMPLE_DIR / QUARTER_DIR} ({size / 1024:.0f} KiB in all)")
    for form in FORMS:
        totals = expected_totals(form)
        print(form, {k: totals[k] for k in list(totals)[:4]})


if __name__ == "__main__":
    main()
