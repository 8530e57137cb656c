"""The words of antq's outputs in Vietnamese and English: the terminal report, the workbooks'
labels, level names, numbers written the Vietnamese way, and filling a text's placeholders.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from ..periods import DECREE_CLOSING, Closing, Period, parse_period_option, window
from ..settings import LANGS, pick_lang
from ..text import UNIT_TYPES
from .official import english_name


def format_number(value: int | float, lang: str = "vi") -> str:
    """16504 → "16.504" (vi) or "16,504" (en); decimals with the other mark."""
    whole = isinstance(value, int) or float(value).is_integer()
    text = f"{int(value):,}" if whole else f"{value:,.2f}".rstrip("0").rstrip(".")
    if lang == "vi":
        text = text.translate(str.maketrans(",.", ".,"))
    return text


def format_percent(value: float, lang: str = "vi", signed: bool = False) -> str:
    """One decimal with the language's mark: 99.1 → "99,1" (vi), "+1.2" signed (en)."""
    text = f"{value:+.1f}" if signed else f"{value:.1f}"
    return text.replace(".", ",") if lang == "vi" else text


# For a message: param -> code -> (Vietnamese, English), the params that hold a code.
Phrases = Mapping[str, Mapping[Any, Sequence[str]]]


class _Shown:
    """A param as a template shows it: "{key}" in the language's words, "{key:raw}" as it was
    given (a number without thousands marks, a code as the code)."""

    __slots__ = ("raw", "text")

    def __init__(self, text: Any, raw: Any) -> None:
        self.text, self.raw = text, raw

    def __format__(self, spec: str) -> str:
        return str(self.raw) if spec == "raw" else format(self.text, spec)


# The longest value as written (a cell's text) a message quotes in full.
_LONGEST_VALUE = 80


def fill(template: str, params: dict[str, Any], lang: str, phrases: Phrases | None = None) -> str:
    """`template` with its placeholders filled from `params` in `lang`.

    Numbers are written the language's way, a Period by its name, and `<key>_en` stands for
    `<key>` in English. A param named in `phrases` holds a code (or a tuple of codes), shown
    as the phrase of that code, itself filled from the same params: lower layers say which
    case it is, the words are here (reasons.py). "{key:raw}" writes a param as it was given.
    """
    index = LANGS.index(lang)
    shown = {}
    for key, value in params.items():
        table = phrases.get(key) if phrases else None
        if table is not None and _coded(value, table):
            rest = {k: v for k, v in phrases.items() if k != key}
            codes = value if isinstance(value, tuple) else (value,)
            text: Any = "".join(fill(table[code][index], params, lang, rest) for code in codes)
        elif isinstance(value, bool):
            text = value
        elif isinstance(value, int | float):
            text = format_number(value, lang)
        elif isinstance(value, Period):
            text = value.label(lang)
        elif lang == "en" and f"{key}_en" in params:
            text = params[f"{key}_en"]
        elif key == "value" and isinstance(value, str) and len(value) > _LONGEST_VALUE:
            # A cell's text as written can be 32,767 characters: its ends say which it is.
            text = f"{value[:_LONGEST_VALUE // 2]}…{value[-_LONGEST_VALUE // 4:]}"
        else:
            text = value
        shown[key] = _Shown(text, value)
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):
        return template


def _coded(value: Any, table: Mapping[Any, Sequence[str]]) -> bool:
    """True when `value` is a code of `table` (a text, or None for "not given"), or a tuple
    of them."""
    codes = value if isinstance(value, tuple) else (value,)
    return all((code is None or isinstance(code, str)) and code in table for code in codes)


# Words of the terminal report.
UI: dict[str, tuple[str, str]] = {
    "period": ("Kỳ báo cáo", "Period"),
    "data_window": ("Số liệu tính từ {first} đến {last}", "Data from {first} to {last}"),
    # The summary workbook (outputs/workbook/).
    "sheet_overview": ("Tổng hợp", "Overview"),
    "sheet_summary": ("Tổng hợp", "Summary"),
    "sheet_detail": ("Chi tiết", "Detail"),
    "sheet_rates": ("Tỷ lệ", "Rates"),
    "sheet_problems": ("Lỗi và cảnh báo", "Problems"),
    "sheet_missing": ("Chưa gửi", "Missing"),
    "sheet_files": ("Tệp đã đọc", "Files read"),
    "overview_title": ("Kết quả phong trào Toàn dân bảo vệ an ninh Tổ quốc",
                       "Results of the movement All People Protect National Security"),
    "summary_title": ("Tổng hợp", "Summary of"),
    "report_kind": ("BÁO CÁO", "REPORT"),
    "reported_line": ("Số đơn vị đã báo cáo: {parts}.", "Units that have reported: {parts}."),
    "reported_part": ("{form} – {sent}/{expected} {level}",
                      "{form} – {sent} of {expected} {level}"),
    "no_registry_printed": (
        "Không có danh mục đơn vị: chưa xác định được đơn vị nào chưa báo cáo.",
        "No list of units was given: the units that have not reported are not known.",
    ),
    "compare_note": ("Số liệu so sánh: {how}", "Compared with {how}"),
    "compare_same": ("cùng kỳ năm trước ({period})", "the same period last year ({period})"),
    "compare_previous": ("kỳ trước ({period})", "the previous period ({period})"),
    "compare_other": ("kỳ {period}", "{period}"),
    "change_percent": ("Tỷ lệ tăng/giảm", "Change (%)"),
    "rate_figure": ("Số", "Count"),
    "rate_base": ("Trên tổng số", "Out of"),
    "rate_ratio": ("Tỷ lệ", "Rate"),
    "note": ("Ghi chú", "Note"),
    "problems_title": ("Danh sách lỗi và cảnh báo trong các tệp báo cáo",
                       "Problems found in the report files"),
    "missing_title": ("Danh sách đơn vị chưa có báo cáo", "Units without a report"),
    "files_title": ("Danh sách tệp báo cáo đã nhận", "Report files received"),
    "rates_title": ("Tỷ lệ theo đơn vị", "Rates by unit"),
    "total_row": ("Tổng cộng", "Total"),
    "parent_unit": ("Thuộc đơn vị", "Part of"),
    "source_file": ("Tệp nguồn", "Source file"),
    "source_row": ("Dòng nguồn", "Source row"),
    "file": ("Tệp", "File"),
    "sheet": ("Trang tính", "Sheet"),
    "cell": ("Ô", "Cell"),
    "code": ("Mã", "Code"),
    "message": ("Nội dung", "Message"),
    "this_period": ("Kỳ này", "This period"),
    "change": ("Tăng/giảm", "Change"),
    "change_points": ("Tăng/giảm (điểm %)", "Change (points)"),
    "written": ("Đã ghi {path}", "Wrote {path}"),
    "overwritten": ("Đã ghi {path} (thay cho bảng tổng hợp có sẵn ở đó)",
                    "Wrote {path} (in place of the summary that was there)"),
    # validate --annotate: the copy sent back to the unit (outputs/annotate.py).
    "annotate_written": ("Đã ghi bản đánh dấu lỗi {path}", "Wrote the annotated copy {path}"),
    "annotate_unreadable": (
        "Không ghi bản đánh dấu cho {path}: tệp không đọc được.",
        "No annotated copy of {path}: the file could not be read.",
    ),
    "annotate_sheet": ("Danh sách lỗi", "Problems"),
    "annotate_title": ("KẾT QUẢ KIỂM TRA TỆP BÁO CÁO", "CHECK OF THE REPORT FILE"),
    "annotate_counts": ("Số lỗi: {errors}; số cảnh báo: {warnings}.",
                        "Errors: {errors}; warnings: {warnings}."),
    "annotate_fix": (
        "Sửa các ô được tô màu đỏ (lỗi) rồi gửi lại tệp; xem lại các ô màu vàng (cảnh báo). "
        "Đưa chuột vào ô để đọc ghi chú; bấm vào vị trí trong bảng dưới để đến ô đó.",
        "Correct the cells filled red (errors) and send the file again; look again at the "
        "yellow cells (warnings). Hover over a cell to read its note; click a place in the "
        "table below to go to its cell.",
    ),
    "annotate_review": (
        "Không có lỗi; xem lại các ô màu vàng (cảnh báo) trước khi gửi.",
        "No errors; look again at the yellow cells (warnings) before sending.",
    ),
    "annotate_macros": (
        "Tệp gốc có macro (.xlsm); bản đánh dấu này là .xlsx, không có macro. Sửa trên tệp gốc.",
        "The original holds macros (.xlsm); this annotated copy is an .xlsx without them. "
        "Make the corrections in the original.",
    ),
    "annotate_rebuilt": (
        "Tệp gốc dạng {kind}: bản này chép lại giá trị antq đọc được, đúng địa chỉ ô, không "
        "giữ định dạng. Sửa trên tệp gốc.",
        "The original is a {kind} file: this copy holds the values antq read, at the same cell "
        "addresses, without the formatting. Make the corrections in the original.",
    ),
    "annotate_no": ("STT", "No."),
    "annotate_where": ("Vị trí", "Where"),
    "annotate_whole_file": ("Cả tệp", "The whole file"),
    "annotate_row": ("dòng {row}", "row {row}"),
    "annotate_column": ("cột ({number})", "column ({number})"),
    "annotate_cell": ("ô {cell}", "cell {cell}"),
    "annotate_column_title": ("Lỗi cần sửa", "To correct"),
    "annotate_code": ("Mã lỗi", "Code"),
    "annotate_earlier": ("Ghi chú có sẵn trong tệp", "Comment already in the file"),
    "paragraph": ("Đoạn tóm tắt", "Headline paragraph"),
    "scope": ("Phạm vi", "Scope"),
    "all_senders": ("Tất cả đơn vị đã gửi", "All units that sent files"),
    "totals": ("Tổng hợp số liệu", "Totals"),
    "rates": ("Tỷ lệ", "Rates"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "uom": ("ĐVT", "Unit"),
    "value": ("Số liệu", "Value"),
    "by_unit": ("Theo đơn vị", "By unit"),
    "unit": ("Đơn vị", "Unit"),
    "files": ("Tệp", "Files"),
    "status": ("Trạng thái", "Status"),
    "problems": ("Vấn đề", "Problems"),
    "where": ("Vị trí", "Where"),
    "severity": ("Mức", "Severity"),
    "error": ("Lỗi", "Error"),
    "warning": ("Cảnh báo", "Warning"),
    "accepted": ("Đã nhận", "Accepted"),
    "rejected": ("Bị trả lại", "Rejected"),
    "skipped": ("Bỏ qua", "Skipped"),
    "rejected_files": ("Tệp bị trả lại", "Rejected files"),
    "skipped_files": ("Tệp bỏ qua", "Skipped files"),
    "missing": ("Đơn vị chưa có báo cáo", "Units without a report"),
    "not-sent": ("chưa gửi", "not sent"),
    "reason_rejected": ("tệp bị trả lại", "file rejected"),
    "completeness": ("{sent}/{expected} {level} đã gửi", "{sent}/{expected} {level_en} sent"),
    "no_registry": (
        "Không có danh mục đơn vị (--registry): không kiểm tra được đơn vị nào chưa gửi.",
        "No unit registry (--registry): cannot tell which units have not sent.",
    ),
    "no_files": ("Không có tệp nào trong {folder}.", "No file in {folder}."),
    "not_reported": ("chưa báo cáo", "not reported"),
    "not_from_quarters": ("không tính được từ các quý", "cannot be made from quarters"),
    "from_quarters": ("(cộng từ các quý)", "(from the quarters)"),
    "incomplete": ("thiếu quý", "quarter missing"),
    "year_to_date": ("Lũy kế từ đầu năm", "Year to date"),
    "gap_now": ("kỳ này {units} chưa báo cáo", "this period {units} did not report"),
    "gap_before": ("kỳ so sánh {units} chưa báo cáo", "the earlier period {units} did not report"),
    "gaps": ("Lưu ý: {gaps}, nên mức tăng/giảm có phần do thiếu số liệu",
             "Note: {gaps}, so part of the change comes from missing figures"),
    "missing_sentence": ("Chưa có báo cáo (không có trong số liệu trên): {units}.",
                         "Not reported (not in the figures above): {units}."),
    "unreported_column": ("Chưa báo cáo", "Not reported"),
    "scope_inferred": (
        "{name} (theo các tệp đã gửi; --scope {code} để tổng hợp {area})",
        "{name} (from the files sent; --scope {code} to add up all of {root})",
    ),
    "unreported_units": ("{units} chưa báo cáo", "{units} not reported"),
    "accepted_warnings": (
        "Các tệp đã nhận có {count} cảnh báo ({codes}): xem từng cảnh báo bằng --format json "
        "hoặc trang \"Lỗi và cảnh báo\" của bảng tổng hợp (-o).",
        "The accepted files have {count} warning(s) ({codes}): see each with --format json or "
        "in the summary's \"Problems\" sheet (-o).",
    ),
    "outside_files": (
        "{count} tệp của đơn vị ngoài {scope} (--scope): không tính, không ảnh hưởng kết quả.",
        "{count} file(s) of units outside {scope} (--scope): not counted, no effect on the "
        "result.",
    ),
    "nothing_checked": (
        "Không có tệp báo cáo nào để kiểm tra (chỉ có tệp không phải bảng tính).",
        "No report to check (only files that are not spreadsheets).",
    ),
    "nothing_accepted": (
        "Không có tệp báo cáo nào được nhận: không có số liệu để tổng hợp.",
        "No report was accepted: there are no figures to add up.",
    ),
    "reading": ("Đang đọc", "Reading"),
    "file_ok": ("Không có lỗi.", "No errors."),
    "summary": (
        "{accepted} tệp đã nhận, {rejected} tệp bị trả lại, {skipped} tệp bỏ qua.",
        "{accepted} accepted, {rejected} rejected, {skipped} skipped.",
    ),
    "form": ("Biểu", "Form"),
    "rows": ("Số dòng", "Rows"),
    "rules": ("Quy tắc", "Rules"),
    "type_count": ("số đếm", "count"),
    "type_flag": ("đạt/không", "yes/no"),
    # antq template: the line printed, and the guidance inside the workbook.
    "template_written": (
        "Đã ghi biểu mẫu {path} cho {unit} ({code}), {period}: {sheets}.",
        "Wrote the template {path} for {unit} ({code}), {period}: {sheets}.",
    ),
    "template_sheet": ("{form} — {rows} {level}", "{form} — {level_en}: {rows}"),
    "template_blank_sheet": (
        "{form} — {rows} dòng trống để ghi tên (danh mục chưa có {level})",
        "{form} — {rows} blank rows for names (the registry lists no {level_en})",
    ),
    "template_count_title": ("Nhập số liệu", "Enter a figure"),
    "template_count_input": (
        "{label}{unit}: số nguyên từ 0 trở lên. Để trống nghĩa là 0.",
        "{label}{unit}: a whole number, 0 or more. Blank means 0.",
    ),
    "template_count_error_title": ("Số liệu không hợp lệ", "Not a valid figure"),
    "template_count_error": (
        "Chỉ nhập số nguyên từ 0 trở lên (không nhập chữ, số âm hay số thập phân).",
        "Enter a whole number, 0 or more (no text, negative or decimal numbers).",
    ),
    "template_flag_title": ("Chọn kết quả", "Choose the result"),
    "template_flag_input": (
        "{label}: chọn Đạt hoặc Không đạt trong danh sách.",
        "{label}: choose Đạt (met) or Không đạt (not met) from the list.",
    ),
    "template_flag_error_title": ("Giá trị không hợp lệ", "Not a valid choice"),
    "template_flag_error": (
        "Chỉ chọn Đạt hoặc Không đạt trong danh sách.",
        "Choose Đạt (met) or Không đạt (not met) from the list.",
    ),
    "template_note_one": (
        "Ghi chú: ô số liệu chỉ nhận số nguyên từ 0 trở lên, để trống là 0; dòng {flags} chọn "
        "{choices}.",
        "Ghi chú (note): figure cells take whole numbers 0 or more, blank is 0; in {flags} "
        "choose {choices}.",
    ),
    "template_note": (
        "Ghi chú: ô số liệu chỉ nhận số nguyên từ 0 trở lên, để trống là 0; cột {flags} chọn "
        "{choices}. Dòng Tổng cộng tự tính, không sửa.",
        "Ghi chú (note): figure cells take whole numbers 0 or more, blank is 0; in {flags} "
        "choose {choices}. The Tổng cộng (total) row computes itself: do not edit it.",
    ),
    # antq units
    "province": ("Tỉnh, thành phố", "Province"),
    "name": ("Tên", "Name"),
    "count_district": ("Số huyện", "Districts"),
    "count_commune": ("Số xã", "Communes"),
    "units_list": ("{what}: {counts} — {source}", "{what}: {counts} — {source}"),
    "country": ("Cả nước", "Whole country"),
    "units_written": (
        "Đã ghi {path}. Thêm các thôn (cấp: thôn; mã cấp trên: mã xã) rồi dùng "
        "--registry {path}.",
        "Wrote {path}. Add the villages (level: village; parent_code: the commune's code), then "
        "use --registry {path}.",
    ),
    "interrupted": ("Đã dừng: antq bị ngắt giữa chừng; không tệp nào được ghi dở.",
                    "Stopped: antq was interrupted; no file was left half-written."),
    "internal": (
        "Lỗi nội bộ của antq ({detail}). Chạy lại với --debug và gửi kết quả cho người phát triển.",
        "antq internal error ({detail}). Run again with --debug and send the output to the developers.",
    ),
}

class LevelName(NamedTuple):
    """A level's words: Vietnamese, English ("commune"), English plural ("communes")."""

    vi: str
    en: str
    en_plural: str


# As a phrase table (code -> (vi, en)) a level is "xã" or "commune".
LEVEL_NAMES = {
    "province": LevelName("tỉnh", "province", "provinces"),
    "district": LevelName("huyện", "district", "districts"),
    "commune": LevelName("xã", "commune", "communes"),
    "village": LevelName("thôn", "village", "villages"),
}


# The name of each era's official list (units/official.py).
ERA_NAMES = {
    "2025": ("danh mục chính thức 2025 (QĐ 19/2025/QĐ-TTg)",
             "official list of 2025 (Decision 19/2025/QĐ-TTg)"),
    "legacy": ("danh mục 63 tỉnh, thành phố trước 1/7/2025",
               "63-province list before 1 July 2025"),
}


def ui(key: str, lang: str = "vi", **params: Any) -> str:
    """A word or sentence of the terminal report in `lang`."""
    lang = pick_lang(lang)
    return fill(UI[key][LANGS.index(lang)], params, lang)


def missing_status(reason: str, lang: str) -> str:
    """Why a unit is missing, in a table's words: "chưa gửi", "thiếu quý", "tệp bị trả lại"."""
    return ui({"not-sent": "not-sent", "incomplete": "incomplete"}.get(reason, "reason_rejected"),
              lang)


def period_label(code: str, lang: str) -> str:
    """"Quý I/2024" for "2024-Q1"; "—" for none; the text itself when it is no period."""
    if not code:
        return "—"
    try:
        return parse_period_option(code).label(lang)
    except ValueError:
        return code


def format_window(period: Period, lang: str = "vi", closing: Closing = DECREE_CLOSING) -> str:
    """The window as printed under a title: "Số liệu tính từ 15/12/2023 đến 14/3/2024"."""
    first, last = (f"{d.day}/{d.month}/{d.year}" for d in window(period, closing))
    return ui("data_window", lang, first=first, last=last)


_KINDS = tuple(dict.fromkeys(word for level in ("province", "district", "commune")
                             for word in UNIT_TYPES[level]))


def area(name: str | None, lang: str = "vi", level: str | None = None) -> str:
    """"Tỉnh Mẫu Sơn" → "toàn tỉnh" ("across Mẫu Sơn province"); "Thành phố Hà Nội" →
    "toàn thành phố"."""
    if not name:
        return "across the units that reported" if lang == "en" else "toàn địa bàn"
    if lang == "en":
        return f"across {english_name(name, level)}"
    lowered = " ".join(unicodedata.normalize("NFC", name).lower().split())
    kind = next((k for k in _KINDS if lowered.startswith(k + " ")), None)
    return f"toàn {kind}" if kind else f"toàn {name}"
