"""The messages of errors that stop a run (a broken form file or registry, a bad option), in
Vietnamese and English: what is wrong, where, and what to do. Exit code 2.
"""

from __future__ import annotations

from ..model import AntqError
from ..settings import LANGS, pick_lang
from .reasons import PHRASES
from .words import fill

# Errors that stop a run (forms, registry, usage).
FATAL: dict[str, tuple[str, str]] = {
    "form-invalid": (
        "Biểu mẫu {file} lỗi ở trường \"{field}\": {reason}.",
        "Form file {file} is broken at field \"{field}\": {reason}.",
    ),
    "registry-unreadable": (
        "Không đọc được danh mục đơn vị {file}: {reason}.",
        "The unit registry {file} cannot be read: {reason}.",
    ),
    "registry-invalid": (
        "Danh mục đơn vị {file}, dòng {row}, cột \"{column}\": {reason}.",
        "Unit registry {file}, row {row}, column \"{column}\": {reason}.",
    ),
    "no-such-path": (
        "Không có {what} \"{path}\". Kiểm tra lại đường dẫn (chữ có dấu, dấu cách).",
        "There is no {what} \"{path}\". Check the path (accents, spaces).",
    ),
    "not-a-folder": (
        "\"{path}\" là một tệp, không phải thư mục: {option} cần một thư mục.",
        "\"{path}\" is a file, not a folder: {option} takes a folder.",
    ),
    "not-a-file": (
        "\"{path}\" là một thư mục, không phải tệp: {option} cần một tệp.",
        "\"{path}\" is a folder, not a file: {option} takes a file.",
    ),
    "usage": (
        "Lệnh chưa đúng: {detail}. Xem hướng dẫn: antq {command}-h.",
        "Usage error: {detail}. See: antq {command}-h.",
    ),
    "bad-period": (
        "Kỳ \"{value}\" không hợp lệ. Dùng dạng 2024-Q1, 2024-H1, 2024-9M, 2024 hoặc 2024-03.",
        "Period \"{value}\" is not valid. Use 2024-Q1, 2024-H1, 2024-9M, 2024 or 2024-03.",
    ),
    "period-year": (
        "Năm {year:raw} của kỳ \"{value}\" nằm ngoài 2000–2099. Kiểm tra lại năm.",
        "The year {year:raw} of period \"{value}\" is outside 2000–2099. Check the year.",
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
    "export-suffix": (
        "Không ghi được {path}: --export ghi tệp {suffixes}. Đổi đuôi tệp.",
        "Cannot write {path}: --export writes {suffixes} files. Change the file's suffix.",
    ),
    "export-needs-parquet": (
        "Ghi {path} dạng Parquet cần thêm gói pyarrow: cài bằng `pip install 'antq[parquet]'`, "
        "hoặc xuất ra .csv hay .xlsx.",
        "Writing {path} as Parquet needs the pyarrow package: install it with `pip install "
        "'antq[parquet]'`, or export to .csv or .xlsx.",
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
        "`antq units --era {era:raw}`; ghi mã (08) hoặc tên (Tuyên Quang).",
        "There is no province \"{value}\" in the {era}.{hint} See the list with "
        "`antq units --era {era:raw}`; give a code (08) or a name (Tuyên Quang).",
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
    # Any output antq writes (outputs/safe.py): -o of merge, template and units, --annotate.
    "write-failed": (
        "Không ghi được {path}: {reason}. Đóng tệp nếu đang mở, hoặc chọn thư mục, tên tệp khác "
        "rồi chạy lại.",
        "Cannot write {path}: {reason}. Close the file if it is open, or choose another folder "
        "or name, and run again.",
    ),
    "stdout-failed": (
        "Không in được kết quả ra đầu ra chuẩn (stdout) ({reason}): kết quả bị thiếu. Chuyển "
        "kết quả vào tệp ở ổ đĩa còn chỗ, hoặc dùng -o, rồi chạy lại.",
        "Cannot print the results to standard output ({reason}): they are incomplete. Send "
        "them to a file on a disk with room, or use -o, and run again.",
    ),
}


def render_error(error: AntqError, lang: str = "vi") -> str:
    """A run-stopping error's message in `lang`."""
    lang = pick_lang(lang)
    texts = FATAL.get(error.code, (error.code, error.code))
    return fill(texts[LANGS.index(lang)], error.params, lang, PHRASES.get(error.code))
