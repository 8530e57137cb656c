"""Every text a user sees, in Vietnamese and English, keyed by a stable code.

A problem message says what is wrong and what to do; where it is (file, sheet, cell,
indicator) travels beside it in the Problem and is printed by the renderer.
"""

from __future__ import annotations

from typing import Any

from ..model import AntqError, Problem
from ..settings import LANGS, pick_lang


# code -> (Vietnamese, English). Placeholders are filled from Problem.params.
PROBLEMS: dict[str, tuple[str, str]] = {
    "lock-file": (
        "Tệp khóa tạm của Excel (có người đang mở \"{name}\"): bỏ qua. Đóng tệp trong Excel là "
        "tệp này tự mất.",
        "Excel's temporary lock file (someone has \"{name}\" open): skipped. It goes away when "
        "the file is closed in Excel.",
    ),
    "outside-scope": (
        "Không dòng nào của tệp thuộc {scope} (--scope): không cộng vào.",
        "No row of this file lies in {scope} (--scope): not added.",
    ),
    "own-summary": (
        "Đây là bảng tổng hợp antq đã ghi ({scope}); {rows}/{total} dòng của nó đã có trong các "
        "tệp khác của thư mục: bỏ qua để không cộng hai lần. Nên lưu bảng tổng hợp ra ngoài "
        "thư mục báo cáo.",
        "This is a summary antq wrote ({scope}); {rows} of its {total} rows are already in other "
        "files of the folder: skipped so nothing is counted twice. Save summaries outside the "
        "reports folder.",
    ),
    "unreadable-file": (
        "Không đọc được tệp ({detail}). Mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx "
        "rồi gửi lại.",
        "The file cannot be read ({detail}). Open it in Excel or LibreOffice, save it as .xlsx "
        "and send it again.",
    ),
    "not-a-spreadsheet": (
        "Không phải bảng tính (.xlsx, .xlsm, .xls, .ods, .csv): bỏ qua.",
        "Not a spreadsheet (.xlsx, .xlsm, .xls, .ods, .csv): skipped.",
    ),
    "encrypted-file": (
        "Tệp được đặt mật khẩu; gỡ mật khẩu (File > Info > Protect Workbook) rồi gửi lại.",
        "The file is password-protected; remove the password (File > Info > Protect Workbook) "
        "and send it again.",
    ),
    "over-limit": (
        "Tệp vượt giới hạn của antq ({what}: {found} {unit}, tối đa {limit} {unit}). Xóa phần "
        "thừa (dòng, cột, trang tính không dùng) rồi lưu lại; nếu tệp đúng là lớn như vậy, đặt "
        "biến môi trường {env} lớn hơn rồi chạy lại.",
        "The file is over an antq limit ({what}: {found} {unit}, at most {limit} {unit}). "
        "Delete what is not needed (unused rows, columns, sheets) and save it again; if the "
        "file really is that large, set the environment variable {env} higher and run again.",
    ),
    "suspicious-file": (
        "Tệp có cấu trúc bất thường, có thể là tệp độc hại ({detail}): antq không đọc. Không mở "
        "tệp này; đề nghị đơn vị gửi lại bản lưu từ Excel hoặc LibreOffice.",
        "The file has an abnormal structure and may be malicious ({detail}): antq does not read "
        "it. Do not open it; ask the unit to send a copy saved from Excel or LibreOffice.",
    ),
    "hidden-characters": (
        "{count} ô có ký tự ẩn đảo chiều chữ (Unicode bidi), ô đầu tiên ở vị trí ghi bên cạnh; "
        "chữ hiển thị có thể khác nội dung thật. antq đã bỏ các ký tự này; kiểm tra lại ô.",
        "{count} cell(s) hold hidden characters that reverse text direction (Unicode bidi), the "
        "first at the place shown; what is displayed may differ from what is written. antq "
        "removed them; check the cell.",
    ),
    "no-form-found": (
        "Không trang tính nào khớp biểu mẫu đã biết ({forms}). Dùng đúng biểu mẫu "
        "(xem `antq forms`) với tiêu đề cột như mẫu.",
        "No sheet matches a known form ({forms}). Use the form (see `antq forms`) with its "
        "column headings.",
    ),
    "sheet-skipped": (
        "Trang tính \"{sheet}\" không phải biểu mẫu: bỏ qua.",
        "Sheet \"{sheet}\" is not a form: skipped.",
    ),
    "empty-form": (
        "Biểu {form} không có dòng số liệu nào. Điền số liệu từng đơn vị vào dưới dòng tiêu đề.",
        "Form {form} has no data row. Fill one row per unit below the header.",
    ),
    "missing-column": (
        "Thiếu cột \"{label}\" của biểu {form}. Thêm cột này (để trống nếu bằng 0) hoặc dùng "
        "biểu mẫu mới nhất.",
        "Column \"{label}\" of form {form} is missing. Add it (leave it blank for 0) or use the "
        "latest form.",
    ),
    "duplicate-column": (
        "Chỉ tiêu \"{label}\" có hai cột ({cell} và {other}). Xóa một cột.",
        "Indicator \"{label}\" has two columns ({cell} and {other}). Delete one.",
    ),
    "not-a-number": (
        "\"{value}\" không phải là số. Nhập số (ví dụ 1.234), để trống nếu bằng 0.",
        "\"{value}\" is not a number. Enter a number (e.g. 1.234), or leave it blank for 0.",
    ),
    "negative": (
        "Số âm ({value}) không hợp lệ. Nhập số từ 0 trở lên.",
        "A negative number ({value}) is not allowed. Enter 0 or more.",
    ),
    "not-whole": (
        "\"{value}\" không phải số nguyên; chỉ tiêu này đếm số lượng. Sửa thành số nguyên.",
        "\"{value}\" is not a whole number; this indicator is a count. Correct it.",
    ),
    "ambiguous-number": (
        "\"{value}\" không rõ là {vi} hay {en} (dấu chấm phân cách hàng nghìn, dấu phẩy thập "
        "phân). Ghi rõ, ví dụ {example}.",
        "\"{value}\" could be {vi} (with a decimal comma) or {en}. Write it unambiguously, "
        "e.g. {example}.",
    ),
    "bad-flag": (
        "\"{value}\" không phải giá trị Đạt/Không đạt. Ghi \"Đạt\" hoặc \"Không đạt\" "
        "(hoặc x / để trống).",
        "\"{value}\" is not a yes/no value. Write \"Đạt\" or \"Không đạt\" (or x / blank).",
    ),
    "above-maximum": (
        "{value} vượt giới hạn {maximum} của chỉ tiêu này. Kiểm tra lại số liệu.",
        "{value} is above this indicator's limit of {maximum}. Check the figure.",
    ),
    "formula-not-computed": (
        "Ô có công thức nhưng không có giá trị đã tính (tệp được tạo bởi phần mềm không tính "
        "công thức). Mở tệp bằng Excel, lưu lại rồi gửi lại.",
        "The cell holds a formula with no computed value (the file was written by a tool that "
        "does not calculate). Open it in Excel, save it and send it again.",
    ),
    "total-not-computed": (
        "Dòng \"{label}\" là công thức chưa được tính nên không đối chiếu được; antq tự cộng "
        "các dòng. Mở tệp bằng Excel và lưu lại nếu cần đối chiếu.",
        "Row \"{label}\" holds formulas with no computed value, so it cannot be checked; antq "
        "adds the rows itself. Open and save the file in Excel to have it checked.",
    ),
    "rule-failed": (
        "{left_label} ({left}) phải {op} {right_label} ({right}). Sửa một trong hai số.",
        "{left_label} ({left}) must be {op} {right_label} ({right}). Correct one of them.",
    ),
    "total-mismatch": (
        "Dòng \"{label}\" ghi {written} nhưng cộng các dòng được {computed}. Sửa dòng tổng "
        "hoặc số liệu các dòng.",
        "Row \"{label}\" says {written} but its rows add up to {computed}. Correct the total "
        "or the rows.",
    ),
    "unknown-unit": (
        "Không có đơn vị \"{name}\" trong {within}. Tên gần đúng: {suggestions}. Sửa tên cho "
        "đúng danh mục hoặc bổ sung danh mục đơn vị.",
        "There is no unit \"{name}\" in {within}. Closest names: {suggestions}. Correct the "
        "name or add the unit to the registry.",
    ),
    "ambiguous-unit": (
        "\"{name}\" khớp nhiều đơn vị ({candidates}). Ghi tên đầy đủ hoặc thêm cột mã đơn vị.",
        "\"{name}\" matches several units ({candidates}). Write the full name or add a unit "
        "code column.",
    ),
    "unit-outside-sender": (
        "Đơn vị \"{name}\" không thuộc {sender} (đơn vị gửi báo cáo). Kiểm tra lại tên hoặc mã.",
        "Unit \"{name}\" is not part of {sender}, which sent the report. Check the name or code.",
    ),
    "wrong-level": (
        "\"{name}\" là {level}, nhưng các dòng của biểu {form} phải là {expected}.",
        "\"{name}\" is a {level}, but the rows of form {form} must be {expected}.",
    ),
    "duplicate-unit": (
        "Đơn vị \"{name}\" có hai dòng (dòng {row} và dòng {other_row}). Gộp thành một dòng.",
        "Unit \"{name}\" has two rows (row {row} and row {other_row}). Merge them into one.",
    ),
    "missing-value": (
        "Chỉ tiêu bắt buộc \"{label}\" bị bỏ trống. Nhập số liệu (ghi 0 nếu không có).",
        "Required indicator \"{label}\" is blank. Enter a figure (0 if none).",
    ),
    "unnamed-row": (
        "Dòng có số liệu nhưng không có tên đơn vị. Ghi tên thôn/xã vào cột tên.",
        "The row has figures but no unit name. Write the unit's name in the name column.",
    ),
    "sender-unknown": (
        "Không xác định được đơn vị gửi báo cáo. Ghi \"Đơn vị báo cáo: Xã …\" ở đầu biểu hoặc "
        "đặt tên tệp theo tên xã.",
        "The sending unit cannot be found. Write \"Đơn vị báo cáo: Xã …\" above the table or "
        "name the file after the commune.",
    ),
    "period-not-found": (
        "Không tìm thấy kỳ báo cáo trong tệp; coi là {assumed}. Ghi kỳ ở tiêu đề, ví dụ "
        "\"Quý I/2024\".",
        "No reporting period found in the file; taken as {assumed}. Write it in the title, "
        "e.g. \"Quý I/2024\".",
    ),
    "wrong-period": (
        "Tệp báo cáo kỳ {found}, nhưng đang tổng hợp kỳ {expected}. Gửi đúng tệp của kỳ "
        "{expected}.",
        "The file reports {found}, but {expected} is being merged. Send the file for {expected}.",
    ),
    "conflict": (
        "Trùng đơn vị {name} với tệp \"{other}\" nhưng số liệu khác nhau. Giữ một tệp, hoặc "
        "chạy với --prefer newest để lấy tệp mới hơn.",
        "Same unit {name} as \"{other}\" but with different figures. Keep one file, or run with "
        "--prefer newest to take the newer one.",
    ),
    "duplicate-file": (
        "Bản sao giống hệt tệp \"{other}\": chỉ tính một lần.",
        "An identical copy of \"{other}\": counted once.",
    ),
    "superseded": (
        "Bỏ qua vì tệp \"{other}\" mới hơn (--prefer newest).",
        "Skipped: \"{other}\" is newer (--prefer newest).",
    ),
    "legacy-encoding": (
        "Văn bản dùng bảng mã cũ {encoding}; antq đã chuyển sang Unicode. Nên lưu lại bằng "
        "phông Unicode.",
        "Text uses the legacy {encoding} encoding; antq converted it to Unicode. Prefer "
        "Unicode fonts next time.",
    ),
}

# Errors that stop a run (forms, registry, usage).
FATAL: dict[str, tuple[str, str]] = {
    "form-invalid": (
        "Biểu mẫu {file} lỗi ở trường \"{field}\": {detail}.",
        "Form file {file} is broken at field \"{field}\": {detail}.",
    ),
    "registry-unreadable": (
        "Không đọc được danh mục đơn vị {file}: {detail}.",
        "The unit registry {file} cannot be read: {detail}.",
    ),
    "registry-invalid": (
        "Danh mục đơn vị {file}, dòng {row}, cột \"{column}\": {detail}.",
        "Unit registry {file}, row {row}, column \"{column}\": {detail}.",
    ),
    "bad-period": (
        "Kỳ \"{value}\" không hợp lệ. Dùng dạng 2024-Q1, 2024-H1, 2024-9M, 2024 hoặc 2024-03.",
        "Period \"{value}\" is not valid. Use 2024-Q1, 2024-H1, 2024-9M, 2024 or 2024-03.",
    ),
    "unknown-scope": (
        "Không có đơn vị mã {value} trong danh mục.",
        "There is no unit with code {value} in the registry.",
    ),
    "scope-needs-registry": (
        "--scope cần --registry.",
        "--scope needs --registry.",
    ),
    "bad-jobs": (
        "{env}=\"{value}\" không hợp lệ: ghi số tiến trình đọc tệp, một số nguyên từ 1 trở lên "
        "(1: không chạy song song).",
        "{env}=\"{value}\" is not valid: give the number of processes reading files, a whole "
        "number from 1 up (1: no parallel reading).",
    ),
    "bad-closing": (
        "Ngày chốt \"{value}\" không hợp lệ. Ghi ngày/tháng kết thúc năm báo cáo, ví dụ 14/12 "
        "(mặc định, Nghị định 09/2019/NĐ-CP) hoặc 14/11.",
        "Closing \"{value}\" is not valid. Give the day/month the reporting year closes, e.g. "
        "14/12 (the default, Decree 09/2019/NĐ-CP) or 14/11.",
    ),
    "output-not-xlsx": (
        "Tệp tổng hợp {path} phải có đuôi .xlsx.",
        "The summary file {path} must end in .xlsx.",
    ),
    "output-is-input": (
        "Không ghi đè lên tệp báo cáo đang tổng hợp ({path}). Chọn tên tệp khác cho -o.",
        "Will not write over a report being merged ({path}). Choose another name for -o.",
    ),
    "compare-empty": (
        "Không có tệp nào được nhận trong {path} để so sánh. Kiểm tra lại bằng "
        "`antq merge {path}`.",
        "No file was accepted in {path} to compare with. Check it with `antq merge {path}`.",
    ),
    # antq template (outputs/template.py)
    "template-unknown-unit": (
        "Không có đơn vị mã {value} trong danh mục {registry}. Kiểm tra lại mã đơn vị "
        "(cột code/mã của danh mục).",
        "There is no unit with code {value} in the registry {registry}. Check the unit code "
        "(the registry's code column).",
    ),
    "template-unknown-form": (
        "Không có biểu \"{value}\". Các biểu hiện có: {forms} (xem `antq forms`).",
        "There is no form \"{value}\". The forms are: {forms} (see `antq forms`).",
    ),
    "template-no-form": (
        "Không có biểu nào để {unit} ({unit_code}, cấp {level}) điền. Lập biểu mẫu cho một xã, "
        "huyện hoặc tỉnh.",
        "No form is filled by {unit} ({unit_code}, one of the {level_en}). Make templates "
        "for a commune, district or province.",
    ),
    "template-form-level": (
        "Biểu {form} có mỗi dòng là một {level}, mà {unit} không có {level} nào bên dưới. "
        "Bỏ --form {form} hoặc chọn đơn vị cấp trên.",
        "Each row of form {form} is one of the {level_en}, and {unit} has no {level_en} under "
        "it. Drop --form {form} or choose a unit above.",
    ),
    "template-not-xlsx": (
        "Tệp biểu mẫu {path} phải có đuôi .xlsx.",
        "The template file {path} must end in .xlsx.",
    ),
    "template-exists": (
        "Tệp {path} đã có (có thể đã được điền số liệu): không ghi đè. Chọn tên khác cho -o, "
        "hoặc thêm --force để ghi đè.",
        "{path} already exists (it may be filled in already): not overwritten. Choose another "
        "name for -o, or add --force to overwrite it.",
    ),
    "template-needs-registry": (
        "Bản antq này chưa có danh mục đơn vị chính thức: dùng --registry FILE.",
        "This antq has no official unit list: use --registry FILE.",
    ),
    # antq units (official.py)
    "unknown-province": (
        "Không có tỉnh, thành phố \"{value}\" trong {era}.{hint} Xem danh sách bằng "
        "`antq units --era {era_code}`; ghi mã (08) hoặc tên (Tuyên Quang).",
        "There is no province \"{value}\" in the {era}.{hint} See the list with "
        "`antq units --era {era_code}`; give a code (08) or a name (Tuyên Quang).",
    ),
    "units-output-not-csv": (
        "Tệp danh mục {path} phải có đuôi .csv.",
        "The registry file {path} must end in .csv.",
    ),
    "units-output-exists": (
        "Tệp {path} đã có; antq không ghi đè (có thể đã thêm thôn vào đó). Chọn tên khác cho "
        "-o hoặc xóa tệp cũ.",
        "{path} already exists; antq does not overwrite it (it may hold villages you added). "
        "Choose another name for -o or delete the old file.",
    ),
    # validate --annotate (outputs/annotate.py)
    "annotate-is-input": (
        "Không ghi bản đánh dấu lỗi đè lên tệp đang kiểm tra ({path}). Chọn tên khác cho "
        "--annotate.",
        "Will not write the annotated copy over a file being checked ({path}). Choose another "
        "name for --annotate.",
    ),
    "annotate-needs-folder": (
        "Đang kiểm tra {count} tệp nhưng --annotate là một tệp ({path}). Cho --annotate một "
        "thư mục: mỗi tệp có lỗi được ghi một bản đánh dấu vào đó.",
        "{count} files are being checked but --annotate names one file ({path}). Give "
        "--annotate a folder: each file with problems gets its annotated copy there.",
    ),
    "annotate-not-xlsx": (
        "Bản đánh dấu lỗi {path} phải có đuôi .xlsx (hoặc là một thư mục).",
        "The annotated copy {path} must end in .xlsx (or be a folder).",
    ),
    "annotate-write-failed": (
        "Không ghi được bản đánh dấu lỗi {path}: {detail}. Kiểm tra quyền ghi hoặc đóng tệp "
        "đang mở trong Excel.",
        "Cannot write the annotated copy {path}: {detail}. Check you may write there, or close "
        "the file in Excel.",
    ),
}


OPERATORS = {
    "<=": ("nhỏ hơn hoặc bằng", "at most"), ">=": ("lớn hơn hoặc bằng", "at least"),
    "=": ("bằng", "equal to"), "<": ("nhỏ hơn", "less than"), ">": ("lớn hơn", "more than"),
}


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


def _fill(template: str, params: dict[str, Any], lang: str) -> str:
    shown = {}
    for key, value in params.items():
        if isinstance(value, bool):
            shown[key] = value
        elif isinstance(value, int | float):
            shown[key] = format_number(value, lang)
        elif key == "op" and value in OPERATORS:
            shown[key] = OPERATORS[value][LANGS.index(lang)]
        elif lang == "en" and f"{key}_en" in params:
            shown[key] = params[f"{key}_en"]
        else:
            shown[key] = value
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):
        return template


def render(problem: Problem, lang: str = "vi") -> str:
    """The problem's message in `lang`, its parameters filled in."""
    lang = pick_lang(lang)
    texts = PROBLEMS.get(problem.code, (problem.code, problem.code))
    return _fill(texts[LANGS.index(lang)], problem.params, lang)


def render_error(error: AntqError, lang: str = "vi") -> str:
    """A run-stopping error's message in `lang`."""
    lang = pick_lang(lang)
    texts = FATAL.get(error.code, (error.code, error.code))
    return _fill(texts[LANGS.index(lang)], error.params, lang)


# Words of the terminal report.
UI: dict[str, tuple[str, str]] = {
    "period": ("Kỳ báo cáo", "Period"),
    # The summary workbook (outputs/workbook.py and its sheets).
    "sheet_overview": ("Tổng hợp", "Overview"),
    "sheet_summary": ("Tổng hợp", "Summary"),
    "sheet_detail": ("Chi tiết", "Detail"),
    "sheet_rates": ("Tỷ lệ", "Rates"),
    "sheet_problems": ("Lỗi và cảnh báo", "Problems"),
    "sheet_missing": ("Chưa gửi", "Missing"),
    "sheet_files": ("Tệp đã đọc", "Files read"),
    "overview_title": ("Báo cáo tổng hợp kết quả phong trào Toàn dân bảo vệ an ninh Tổ quốc",
                       "Summary of the movement All People Protect National Security"),
    "summary_title": ("Tổng hợp", "Summary:"),
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
        "Đưa chuột vào ô để đọc ghi chú; bấm vào địa chỉ ô trong bảng dưới để đến ô đó.",
        "Correct the cells filled red (errors) and send the file again; look again at the "
        "yellow cells (warnings). Hover over a cell to read its note; click a cell address "
        "below to go to it.",
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
    "internal": (
        "Lỗi nội bộ của antq ({detail}). Chạy lại với --debug và gửi kết quả cho người phát triển.",
        "antq internal error ({detail}). Run again with --debug and send the output to the developers.",
    ),
}

LEVEL_NAMES = {
    "province": ("tỉnh", "provinces"), "district": ("huyện", "districts"),
    "commune": ("xã", "communes"), "village": ("thôn", "villages"),
}


def ui(key: str, lang: str = "vi", **params: Any) -> str:
    """A word or sentence of the terminal report in `lang`."""
    lang = pick_lang(lang)
    return _fill(UI[key][LANGS.index(lang)], params, lang)
