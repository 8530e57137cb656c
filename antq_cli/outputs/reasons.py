"""The variable parts of messages, in Vietnamese and English.

Below outputs/, a problem or an error says which case it is with a code in a param (why a file
cannot be read, which limit it is over, what is wrong with a registry row) and gives the rest
as plain params (names, numbers, cells, level codes). Here, for each message code, each such
param's codes and what they say; a phrase is filled from the message's params like the
message itself (words.fill), and "{key:raw}" writes a param as it was given (a number without
thousands marks, a code as the code).
"""

from __future__ import annotations

from .words import ERA_NAMES, LEVEL_NAMES, Phrases

# Why a file cannot be read: the {reason} of "unreadable-file" (read/, run/one_file.py).
_UNREADABLE = {
    "not-a-file": ("không phải tệp thông thường (thư mục, thiết bị hoặc ống dẫn)",
                   "not a regular file (a folder, a device or a pipe)"),
    "cannot-open": ("không mở được tệp", "cannot open the file: {error}"),
    "empty": ("tệp rỗng", "the file is empty"),
    "html": ("tệp là trang web (HTML) mang đuôi bảng tính",
             "an HTML page saved under a spreadsheet name"),
    "xml-2003": ("định dạng XML Spreadsheet 2003 cũ", "old XML Spreadsheet 2003 format"),
    "not-a-table": ("nội dung không phải bảng tính", "the content is not a spreadsheet"),
    "incomplete": ("tệp bị hỏng hoặc chưa tải về hết", "the file is damaged or incomplete"),
    "no-sheet-in-zip": ("tệp nén không chứa bảng tính", "a zip archive with no sheet inside"),
    "xls-damaged": ("cấu trúc tệp .xls bị hỏng", "the .xls structure is damaged"),
    # `error`: the exception, "KeyError: 'x'".
    "damaged": ("nội dung tệp bị hỏng", "damaged content ({error})"),
    "crashed": ("lỗi khi đọc ({error})", "error while reading ({error})"),
    "reader-died": ("tiến trình đọc tệp bị dừng đột ngột (có thể do thiếu bộ nhớ)",
                    "the process reading it stopped abruptly (perhaps out of memory)"),
}

# Why the system refused a path: the {reason} of "unreadable-folder" and "write-failed"
# (model.os_reason, from an OSError).
_SYSTEM_REASONS = {
    "read-only": ("ổ đĩa hoặc thư mục chỉ cho đọc", "the disk or folder is read-only"),
    "disk-full": ("ổ đĩa đã đầy", "the disk is full"),
    "too-long": ("tên hoặc đường dẫn quá dài", "the name or path is too long"),
    "not-a-folder": ("một phần của đường dẫn là tệp, không phải thư mục",
                     "part of the path is a file, not a folder"),
    "gone": ("không còn tồn tại", "it no longer exists"),
    "loop": ("liên kết vòng quanh", "links that loop"),
    "is-a-folder": ("đó là một thư mục", "it is a folder"),
    "busy": ("đang được chương trình khác dùng", "another program is using it"),
    "closed": ("đầu ra đã bị đóng", "it is closed"),
    "other": ("{error}", "{error}"),
}
_FOLDER_REASONS = {**_SYSTEM_REASONS, "permission": ("không có quyền đọc thư mục",
                                                 "no permission to read the folder")}
WRITE_REASONS = {**_SYSTEM_REASONS, "permission": (
    "tệp đang mở trong Excel hoặc thư mục không có quyền ghi",
    "the file is open in Excel, or the folder may not be written to"),
    "gone": ("thư mục không tồn tại", "the folder does not exist")}

# Why a file is taken for harmful: the {reason} of "suspicious-file" (read/guards.py).
_SUSPICIOUS = {
    "inflates": ("phần \"{part}\" bung ra lớn hơn kích thước khai báo",
                 "part \"{part}\" inflates beyond its declared size"),
    "zip-bomb": (
        "một phần {size_mb:raw} MB nén còn {packed_kb:raw} KB, gấp {ratio:raw} lần; tệp thật "
        "không nén quá {max_ratio:raw} lần (ANTQ_MAX_ZIP_RATIO)",
        "a {size_mb:raw} MB part packed into {packed_kb:raw} KB, {ratio:raw} times; real files "
        "compress at most {max_ratio:raw} times (ANTQ_MAX_ZIP_RATIO): a zip bomb",
    ),
    "doctype": ("XML có khai báo DOCTYPE/ENTITY, có thể bung vô hạn hoặc đọc tệp khác",
                "XML declares a DOCTYPE/ENTITY, which can expand without end or read other "
                "files"),
}

# What is over a limit: the {what} of "over-limit", a limit's name (settings.Limits) or a
# finer case of it ("<case>_<limit>").
_OVER_LIMIT_WHAT = {
    "file_bytes": ("kích thước tệp", "file size"),
    "sheets": ("số trang tính", "sheets"),
    "zip_parts": ("số phần trong tệp nén", "parts in the zip"),
    "part_bytes": ("phần \"{part}\" khi bung ra", "part \"{part}\" unpacked"),
    "unpacked_bytes": ("tệp nén khi bung ra", "unpacked"),
    "shared_text_unpacked_bytes": ("chữ trong các ô khi bung ra",
                                   "text in the cells once unpacked"),
    "ods_text_unpacked_bytes": ("chữ trong các ô khi bung ra", "text in the cells unpacked"),
    "rows": ("số dòng của trang tính \"{sheet}\"", "rows of sheet \"{sheet}\""),
    "cells": ("số ô của trang tính \"{sheet}\" ({rows:raw} dòng x {columns:raw} cột, tính từ A1)",
              "cells of sheet \"{sheet}\" ({rows:raw} rows x {columns:raw} columns from A1)"),
    "cell_chars": ("độ dài ô {cell} của trang tính \"{sheet}\"",
                   "length of cell {cell} of sheet \"{sheet}\""),
    "shared_string_cell_chars": ("độ dài một chuỗi chữ trong tệp", "length of a text in the file"),
    "csv_cell_chars": ("độ dài một ô của \"{sheet}\"", "length of a cell of \"{sheet}\""),
}

# The {unit} of "over-limit": the limit's name, worded as its unit of measure.
_LIMIT_UNITS = {
    "file_bytes": ("MB", "MB"), "unpacked_bytes": ("MB", "MB"), "part_bytes": ("MB", "MB"),
    "zip_ratio": ("lần", "times"), "zip_parts": ("phần", "parts"),
    "sheets": ("trang tính", "sheets"), "rows": ("dòng", "rows"), "cells": ("ô", "cells"),
    "cell_chars": ("ký tự", "characters"),
}

# Why a registry cannot be read: the {reason} of "registry-unreadable" (units/registry_file.py).
_REGISTRY_UNREADABLE = {
    "no-such-file": ("không có tệp này", "no such file"),
    "empty": ("tệp trống", "the file is empty"),
    "damaged": ("tệp hỏng hoặc không phải bảng tính ({error})",
                "the file is damaged or not a spreadsheet ({error})"),
    "encoding": ("không giải mã được văn bản (không phải UTF-8 hay Windows-1258); lưu lại tệp "
                 "dạng CSV UTF-8", "the text is neither UTF-8 nor Windows-1258; save it as CSV "
                 "UTF-8"),
    "os-error": ("{error}", "{error}"),
    "long-field": ("dòng {row:raw} có một ô dài hơn {limit} ký tự, không mã hay tên đơn vị nào "
                   "dài như vậy; kiểm tra dòng này (thường là thiếu dấu ngoặc kép đóng)",
                   "line {row:raw} holds a cell longer than {limit} characters, which no code "
                   "or name is; check that line (often a closing quote is missing)"),
}

# What is wrong with a registry row: the {reason} of "registry-invalid". {field} is a registry
# column (FIELDS), named in Vietnamese; {field:raw} is its English name.
_REGISTRY_INVALID = {
    "no-units": ("danh mục không có đơn vị nào; ghi mỗi đơn vị một dòng dưới dòng tiêu đề",
                 "the registry lists no unit; write one unit per row below the header"),
    "no-header": ("không tìm thấy dòng tiêu đề có các cột mã, tên, cấp, mã cấp trên; thêm dòng "
                  "tiêu đề này phía trên danh sách đơn vị",
                  "no header row with the columns code, name, level, parent_code; add one above "
                  "the list of units"),
    "two-columns": ("hai cột cùng là \"{field}\" (\"{first}\" và \"{column}\"); xóa hoặc đổi "
                    "tên một cột",
                    "two columns are both \"{field:raw}\" (\"{first}\" and \"{column}\"); delete "
                    "or rename one"),
    "missing-column": ("thiếu cột \"{field}\" trong dòng tiêu đề; thêm cột này",
                       "the header has no \"{field:raw}\" column; add it"),
    "code-empty": ("mã đơn vị để trống; ghi mã cho đơn vị này hoặc xóa dòng",
                   "the unit code is empty; write the unit's code or delete the row"),
    "code-repeated": ("mã \"{unit_code}\" trùng với dòng {first_row:raw}; mỗi đơn vị phải có mã "
                      "riêng", "code \"{unit_code}\" is already used on row {first_row:raw}; "
                      "each unit needs its own code"),
    "name-empty": ("tên đơn vị để trống; ghi tên đơn vị",
                   "the unit name is empty; write the unit's name"),
    "level-unknown": ("cấp \"{written}\" không hợp lệ; ghi một trong: tỉnh, huyện, xã, thôn "
                      "(hoặc province, district, commune, village)",
                      "level \"{written}\" is not known; write one of province, district, "
                      "commune, village (or tỉnh, huyện, xã, thôn)"),
    "own-parent": ("đơn vị không thể là cấp trên của chính nó; sửa mã cấp trên",
                   "a unit cannot be its own parent; correct the parent code"),
    "parent-unknown": ("mã cấp trên \"{parent}\" không có trong danh mục; sửa mã hoặc thêm đơn "
                       "vị cấp trên vào danh mục", "parent code \"{parent}\" is not in the "
                       "registry; correct it or add the parent unit"),
    "parent-level": ("đơn vị cấp trên \"{parent}\" là cấp {parent_level}, không cao hơn cấp "
                     "{level} của dòng này; sửa mã cấp trên hoặc cấp",
                     "parent \"{parent}\" is a {parent_level}, not above this row's {level}; "
                     "correct the parent code or the level"),
}

# A registry column by its field: in both languages by its Vietnamese name, as the column
# of a missing one ({column} None).
_REGISTRY_FIELDS = {
    "code": ("mã", "mã"), "name": ("tên", "tên"), "level": ("cấp", "cấp"),
    "parent_code": ("mã cấp trên", "mã cấp trên"),
}

# What is wrong with a form file: the {reason} of "form-invalid" (forms.py).
_FORM_INVALID = {
    "not-text": ("thiếu hoặc không phải chuỗi", "missing or not a string"),
    "not-texts": ("phải là danh sách chuỗi", "must be a list of strings"),
    "not-allowed": ("\"{value}\" không thuộc {allowed}", "\"{value}\" is not one of {allowed}"),
    "not-a-table": ("phải là bảng [[indicators]]", "must be a table"),
    "not-header-paths": ("phải là danh sách [nhóm, cột]", "must be a list of [group, leaf] pairs"),
    "not-a-number": ("phải là số", "must be a number"),
    "sum-or-count": ("phải có đúng một khóa sum hoặc count",
                     "must have exactly one of sum or count"),
    "unknown-indicator": ("chỉ tiêu \"{indicator}\" không có trong biểu",
                          "indicator \"{indicator}\" is not in the form"),
    "unknown-level": ("cấp phải thuộc {allowed}", "level must be one of {allowed}"),
    "not-toml": ("không đọc được TOML: {error}", "not valid TOML: {error}"),
    "no-indicators": ("biểu phải có ít nhất một chỉ tiêu", "a form needs at least one indicator"),
    "code-repeated": ("mã \"{indicator}\" bị trùng", "code \"{indicator}\" is repeated"),
    "bad-sentence": ("mẫu câu sai: {error}", "bad sentence template: {error}"),
    "unknown-name": ("\"{{{name}}}\" không phải mã chỉ tiêu hay tỷ lệ của biểu",
                     "\"{{{name}}}\" is not an indicator or rate code of the form"),
    "unknown-when": ("\"{when}\" không phải mã chỉ tiêu của biểu",
                     "\"{when}\" is not an indicator code of the form"),
    "no-forms": ("không có tệp biểu mẫu .toml nào", "no .toml form file in it"),
    "form-repeated": ("mã biểu \"{form}\" trùng với {other}", "form id \"{form}\" repeats {other}"),
}

# The {field} of "form-invalid" when it is the whole file or folder; otherwise a TOML key.
_FORM_WHOLE = {"(file)": ("(tệp)", "(tệp)"), "(folder)": ("(thư mục)", "(thư mục)")}

# A registry built from the files' own names, without --registry (run/merge.py), as a {file}.
_FILES_AS_REGISTRY = {None: ("(các tệp)", "(các tệp)")}

# The hints of "unknown-province" (units/official.py), in order.
_PROVINCE_HINTS = {
    "close": (" Gần giống: {close}.", " Closest: {close}."),
    "other-era": (" {province} ({province_code}) có trong {other_era}: thêm --era {other_era:raw}.",
                  " {province} ({province_code}) is in the {other_era}: add --era "
                  "{other_era:raw}."),
}

# Where a unit was looked for: the {within} of "unknown-unit" (run/identify.py).
_UNIT_WITHIN = {
    "sender": ("{sender}", "{sender}"),      # the units of the sending unit
    "registry": ("danh mục", "the registry"),
    # A unit code not in the registry: the English message said "danh mục" here, kept as it was.
    "registry-code": ("danh mục", "danh mục"),
}

# The {op} of "rule-failed" (table/checks.py): a rule's operator.
_OPERATORS = {
    "<=": ("nhỏ hơn hoặc bằng", "at most"), ">=": ("lớn hơn hoặc bằng", "at least"),
    "=": ("bằng", "equal to"), "<": ("nhỏ hơn", "less than"), ">": ("lớn hơn", "more than"),
}

# What to do about a "conflict" (run/merge.py): its {fix}.
_CONFLICT_FIXES = {
    "keep-one": ("Giữ một tệp, hoặc chạy với --prefer newest để lấy tệp có thời gian sửa đổi "
                 "(trên máy) mới hơn.",
                 "Keep one file, or run with --prefer newest to take the one last modified (by "
                 "the file's time on disk)."),
    "same-time": ("Hai tệp có cùng thời gian sửa đổi nên --prefer newest không chọn được tệp "
                  "nào mới hơn: giữ một tệp, bỏ tệp kia ra khỏi thư mục.",
                  "Both files were modified at the same time, so --prefer newest cannot tell "
                  "the newer: keep one file and move the other out of the folder."),
}

# Where a file says who sent it: the {source} of the sender problems (run/sender.py).
_SENDER_SOURCES = {
    "title": ("Tiêu đề của tệp", "The file's title"),
    "unit-line": ("Dòng \"Đơn vị báo cáo\"", "The \"Đơn vị báo cáo\" line"),
    "file-name": ("Tên tệp", "The file name"),
    "code": ("Cột mã đơn vị", "The unit code column"),
    "rows": ("Các dòng số liệu", "The rows"),
}

# message code -> param -> code -> (Vietnamese, English).
# What a missing path was meant to be: the {what} of "no-such-path" (cli/app.py).
_PATH_KINDS = {
    "file": ("tệp", "file"),
    "folder": ("thư mục", "folder"),
    "path": ("tệp hay thư mục", "file or folder"),
}

# What moved from the unit's previous period: the {kind} of "unusual-change" (run/history.py).
_CHANGES = {
    "stock": ("{label} của {unit} là {now}, kỳ trước {before} (thay đổi {percent}%, vượt "
              "±{limit:raw}%).", "{label_en} of {unit} is {now}, {before} the period before "
              "({percent}%, beyond ±{limit:raw}%)."),
    "flag": ("{label} của {unit} đổi từ \"{before_flag}\" sang \"{now_flag}\" so với kỳ trước.",
             "{label_en} of {unit} changed from \"{before_flag}\" to \"{now_flag}\" since the "
             "period before."),
    "villages": ("Danh sách thôn của {unit} khác kỳ trước: {appeared:raw} thôn mới có, "
                 "{vanished:raw} thôn không còn.", "The village list of {unit} differs from the "
                 "period before: {appeared:raw} new, {vanished:raw} gone."),
}
_FLAG_WORDS = {"yes": ("Đạt", "met"), "no": ("Không đạt", "not met")}

PHRASES: dict[str, Phrases] = {
    "unusual-change": {"kind": _CHANGES, "now_flag": _FLAG_WORDS, "before_flag": _FLAG_WORDS},
    "no-such-path": {"what": _PATH_KINDS},
    "rule-failed": {"op": _OPERATORS},
    "unreadable-file": {"reason": _UNREADABLE},
    "unreadable-folder": {"reason": _FOLDER_REASONS},
    "conflict": {"fix": _CONFLICT_FIXES},
    "write-failed": {"reason": WRITE_REASONS},
    "stdout-failed": {"reason": _SYSTEM_REASONS},
    "suspicious-file": {"reason": _SUSPICIOUS},
    "over-limit": {"what": _OVER_LIMIT_WHAT, "unit": _LIMIT_UNITS},
    "form-invalid": {"reason": _FORM_INVALID, "field": _FORM_WHOLE},
    "registry-unreadable": {"reason": _REGISTRY_UNREADABLE},
    "unknown-unit": {"within": _UNIT_WITHIN, "suggestions": {"": ("—", "—")}},
    "unknown-province": {"era": ERA_NAMES, "other_era": ERA_NAMES, "hint": _PROVINCE_HINTS},
    "unknown-sender": {"source": _SENDER_SOURCES},
    "ambiguous-sender": {"source": _SENDER_SOURCES},
    "sender-mismatch": {"source": _SENDER_SOURCES},
    "registry-invalid": {"reason": _REGISTRY_INVALID, "field": _REGISTRY_FIELDS,
                         "file": _FILES_AS_REGISTRY,
                         "column": {None: ("{field}", "{field}")},
                         "level": LEVEL_NAMES, "parent_level": LEVEL_NAMES},
}
