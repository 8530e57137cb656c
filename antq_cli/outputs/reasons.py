"""The variable parts of messages, in Vietnamese and English.

Below outputs/, a problem or an error says which case it is with a code in a param (why a file
cannot be read, which limit it is over, what is wrong with a registry row) and gives the rest
as plain params (names, numbers, cells, level codes). Here, for each message code, each such
param's codes and what they say; a phrase is filled from the message's params like the
message itself (words.fill), and "{key:raw}" writes a param as it was given (a number without
thousands marks, a code as the code).
"""

from __future__ import annotations

from .words import Phrases

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

# message code -> param -> code -> (Vietnamese, English).
PHRASES: dict[str, Phrases] = {
    "unreadable-file": {"reason": _UNREADABLE},
    "suspicious-file": {"reason": _SUSPICIOUS},
    "over-limit": {"what": _OVER_LIMIT_WHAT, "unit": _LIMIT_UNITS},
}
