"""What each problem means and what to do about it, in Vietnamese and English, keyed by the
problem's stable code.

A problem message says what is wrong and what to do; where it is (file, sheet, cell,
indicator) travels beside it in the Problem and is printed by the renderer.
"""

from __future__ import annotations

from ..model import Problem
from ..settings import LANGS, pick_lang
from .details import hidden_note, shown_params
from .reasons import PHRASES
from .words import fill

# code -> (Vietnamese, English). Placeholders are filled from Problem.params; a param that
# holds a code ({reason}, {what}...) is worded by reasons.py.
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
        "Không đọc được tệp ({reason}). Mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx "
        "rồi gửi lại.",
        "The file cannot be read ({reason}). Open it in Excel or LibreOffice, save it as .xlsx "
        "and send it again.",
    ),
    "unreadable-folder": (
        "Không vào được thư mục này ({reason}): các tệp trong đó chưa được đọc. Cấp quyền đọc "
        "thư mục, hoặc chép các tệp ra một thư mục có đường dẫn ngắn hơn, rồi chạy lại.",
        "This folder cannot be entered ({reason}): the files in it were not read. Allow reading "
        "it, or copy its files to a folder with a shorter path, and run again.",
    ),
    "link-outside": (
        "Đây là liên kết (shortcut) tới {target}, nằm ngoài thư mục đang đọc: bỏ qua. Chép tệp "
        "thật vào thư mục nếu cần đọc tệp này.",
        "This is a link to {target}, outside the folder being read: skipped. Copy the real "
        "file into the folder if it should be read.",
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
        "Tệp có cấu trúc bất thường, có thể là tệp độc hại ({reason}): antq không đọc. Không mở "
        "tệp này; đề nghị đơn vị gửi lại bản lưu từ Excel hoặc LibreOffice.",
        "The file has an abnormal structure and may be malicious ({reason}): antq does not read "
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
    "empty-submission": (
        "Mọi ô số liệu của tệp đều để trống (biểu {forms}): đây là biểu mẫu chưa điền, không "
        "tính là đơn vị đã báo cáo. Điền số liệu (ghi 0 nếu không có) rồi gửi lại.",
        "Every figure of the file is blank (form {forms}): an unfilled template, not counted as "
        "the unit's report. Fill in the figures (0 where there is nothing) and send it again.",
    ),
    "blank-form": (
        "Biểu {form} trong tệp để trống mọi ô số liệu: không tính là đơn vị đã gửi biểu này. "
        "Điền số liệu (ghi 0 nếu không có) hoặc xóa trang tính đó.",
        "Form {form} in the file has every figure blank: not counted as sent by the unit. Fill "
        "in the figures (0 where there is nothing) or delete that sheet.",
    ),
    "all-zero": (
        "Mọi số liệu của tệp đều bằng 0 (biểu {forms}). Kiểm tra lại: có thể đơn vị gửi nhầm "
        "biểu mẫu chưa điền.",
        "Every figure of the file is 0 (form {forms}). Check it: the unit may have sent an "
        "unfilled template by mistake.",
    ),
    "period-mismatch": (
        "{label} của cả kỳ ghi {written} nhưng cộng {quarters} quý của đơn vị được {added} "
        "({count} chỉ tiêu lệch). Số liệu cả kỳ được dùng; kiểm tra lại tệp cả kỳ hoặc các tệp quý.",
        "{label} for the whole period is {written} but the unit's {quarters} quarters add up to "
        "{added} ({count} figure(s) differ). The whole period's figures are used; check that "
        "file or the quarters'.",
    ),
    "unusual-change": (
        "{kind} Kiểm tra lại số liệu (có thể gõ nhầm) trước khi gửi.",
        "{kind} Check the figures (a typing slip?) before sending.",
    ),
    "missing-column": (
        "Thiếu cột \"{label}\" của biểu {form}.{unmatched} Thêm cột này (để trống nếu bằng 0), "
        "sửa tiêu đề cột cho đúng mẫu, hoặc dùng biểu mẫu mới nhất.",
        "Column \"{label}\" of form {form} is missing.{unmatched} Add it (leave it blank for 0), "
        "correct the column's heading to the form's, or use the latest form.",
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
    "excel-error": (
        "Ô {address} chứa lỗi {value} (công thức hỏng, chia cho 0 hoặc tham chiếu tới ô đã xóa) "
        "nên không có số liệu. Sửa công thức hoặc nhập số vào ô, lưu lại rồi gửi lại.",
        "Cell {address} holds the error {value} (a broken formula, a division by zero or a "
        "reference to a deleted cell), so it has no figure. Fix the formula or type the "
        "number, save and send it again.",
    ),
    "too-large": (
        "\"{value}\" quá lớn: không chỉ tiêu nào của biểu vượt {maximum}. Kiểm tra lại số "
        "liệu (có thể gõ thừa chữ số).",
        "\"{value}\" is too large: no figure of this form goes beyond {maximum}. Check the "
        "figure (a digit typed too many?).",
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
    "unknown-sender": (
        "{source} ghi đơn vị gửi là \"{name}\"{superior_part}, nhưng danh mục không có đơn vị "
        "này{elsewhere_part}. Tệp không được tính cho đơn vị nào.{suggestions_part} Sửa tên "
        "đơn vị cho đúng danh mục, hoặc bổ sung đơn vị vào danh mục (--registry).",
        "{source} names \"{name}\"{superior_part} as the sender, but the registry has no such "
        "unit{elsewhere_part}. The file is counted for no unit.{suggestions_part} Correct the "
        "unit's name to the registry's, or add the unit to the registry (--registry).",
    ),
    "ambiguous-sender": (
        "Không biết tệp là của {candidates}: {source} ghi \"{name}\" và danh mục có {count} "
        "đơn vị trùng tên. Để phân biệt: ghi thêm dòng đơn vị cấp trên trong tiêu đề (ví dụ "
        "\"CÔNG AN HUYỆN …\"), để tệp trong thư mục mang tên huyện, thêm cột mã đơn vị, hoặc "
        "chạy với --scope <mã huyện>.",
        "The file could be {candidates}'s: {source} says \"{name}\" and the registry has {count} "
        "units of that name. To tell them apart: add the superior unit's line to the title "
        "(such as \"CÔNG AN HUYỆN …\"), keep the file in a folder named after its district, add "
        "a unit code column, or run with --scope <district code>.",
    ),
    "sender-mismatch": (
        "{source} ghi đơn vị {named}, nhưng các dòng số liệu là của {owner}. Tệp không được "
        "tính cho đơn vị nào. Sửa tiêu đề nếu tệp là của {other}, hoặc gửi đúng tệp của {name}.",
        "{source} names {named}, but the rows are those of {owner}. The file is counted for no "
        "unit. Correct the title if the file is {other}'s, or send {name}'s own file.",
    ),
    "villages-missing": (
        "Tệp không có dòng cho {count}/{total} thôn của {commune}: {names}. Các thôn này được "
        "tính là chưa báo cáo; thêm một dòng cho mỗi thôn (ghi 0 nếu không có số liệu).",
        "The file has no row for {count} of the {total} villages of {commune}: {names}. They "
        "count as not reported; add a row for each (0 where there is nothing to report).",
    ),
    "window-mismatch": (
        "Tiêu đề ghi {title} nhưng dòng thời gian số liệu ứng với {window}. Sửa tiêu đề hoặc "
        "dòng \"Số liệu tính từ ngày … đến ngày …\" cho khớp nhau.",
        "The title says {title} but the data-window line is {window}'s. Correct the title or "
        "the \"Số liệu tính từ ngày … đến ngày …\" line so they agree.",
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
        "Trùng đơn vị {name} với tệp \"{other}\" nhưng số liệu khác nhau{differences}."
        "{correction_part} {fix}",
        "Same unit {name} as \"{other}\" but with different figures{differences}."
        "{correction_part} {fix}",
    ),
    "duplicate-file": (
        "Bản sao giống hệt tệp \"{other}\": chỉ tính một lần.",
        "An identical copy of \"{other}\": counted once.",
    ),
    "superseded": (
        "Bỏ qua vì tệp \"{other}\" có thời gian sửa đổi mới hơn (--prefer newest).",
        "Skipped: \"{other}\" was modified later (--prefer newest, by the files' times on "
        "disk).",
    ),
    "more-problems": (
        "Còn {count} vấn đề {code:raw} khác trong tệp này: mỗi loại chỉ liệt kê {shown} vấn đề "
        "đầu tiên. Sửa các ô đã nêu (thường cùng một cột, cùng một cách ghi) rồi kiểm tra lại "
        "tệp để xem phần còn lại.",
        "{count} more {code:raw} problems in this file: only the first {shown} of each kind are "
        "listed. Fix those shown (usually one column, written one way) and check the file "
        "again to see the rest.",
    ),
    "legacy-encoding": (
        "Văn bản dùng bảng mã cũ {encoding}; antq đã chuyển sang Unicode. Nên lưu lại bằng "
        "phông Unicode.",
        "Text uses the legacy {encoding} encoding; antq converted it to Unicode. Prefer "
        "Unicode fonts next time.",
    ),
}

def render(problem: Problem, lang: str = "vi") -> str:
    """The problem's message in `lang`, its parameters filled in, and a note when its cell
    is hidden."""
    lang = pick_lang(lang)
    texts = PROBLEMS.get(problem.code, (problem.code, problem.code))
    params = shown_params(problem.code, problem.params, lang)
    text = fill(texts[LANGS.index(lang)], params, lang, PHRASES.get(problem.code))
    return text + hidden_note(problem.params, lang)
