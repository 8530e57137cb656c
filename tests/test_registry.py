"""The unit registry: reading CSV and workbooks, its errors, the hierarchy, name matching."""

from __future__ import annotations

import unicodedata

import openpyxl
import pytest

from antq_cli.model import RegistryError
from antq_cli.outputs.reasons import PHRASES
from antq_cli.outputs.words import fill
from antq_cli.units.registry import Registry, Unit, load_registry, parse_level

TONES = "\u0300\u0301\u0303\u0309\u0323"

FOUR_LEVELS = [
    ("code", "name", "level", "parent_code"),
    ("08", "Tỉnh Tuyên Quang", "province", ""),
    ("070", "Thành phố Tuyên Quang", "district", "08"),
    ("071", "Huyện Lâm Bình", "district", "08"),
    ("02212", "Phường Tân Quang", "commune", "070"),
    ("02215", "Xã Tân Đức", "commune", "070"),
    ("02230", "Xã Lăng Can", "commune", "071"),
    ("T1", "Thôn Tân Hòa", "village", "02215"),
    ("T2", "Thôn 1", "village", "02215"),
    ("T3", "Thôn 1", "village", "02230"),
    ("T4", "Tổ dân phố 5", "village", "02212"),
    ("T5", "Bản Khuôn Hà", "village", "02230"),
]


def write_csv(path, rows, delimiter=",", encoding="utf-8-sig"):
    """Write rows as a CSV file in the given encoding; return the path."""
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    if encoding == "cp1258":
        path.write_bytes(to_cp1258(text))
    else:
        path.write_text(text, encoding=encoding, newline="")
    return path


def to_cp1258(text):
    """Encode as Windows-1258 does: base letters precomposed (â, ơ, đ), tones as combining marks."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in TONES)
        out.append(
            unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)) + tones
        )
    return "".join(out).encode("cp1258")


def write_xlsx(path, rows, title_rows=()):
    """Write a workbook with optional title rows above the table; numeric codes stay numbers."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in title_rows:
        sheet.append(list(row))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


@pytest.fixture
def four_levels(tmp_path):
    return load_registry(write_csv(tmp_path / "dm.csv", FOUR_LEVELS))


def error_of(path):
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    return caught.value


def shown(error: RegistryError, key: str, lang: str = "vi") -> str:
    """What the message of `error` says for its param `key` (a code worded in outputs)."""
    return fill("{" + key + "}", error.params, lang, PHRASES.get(error.code))


# ---------------------------------------------------------------- reading


def test_csv_utf8_with_bom_keeps_leading_zeros(four_levels):
    assert four_levels.get("08") == Unit("08", "Tỉnh Tuyên Quang", "province", None)
    assert four_levels.get("02215").parent == "070"
    assert four_levels.levels == ("province", "district", "commune", "village")
    assert len(four_levels) == 11


def test_csv_utf8_without_bom_and_tabs(tmp_path):
    registry = load_registry(write_csv(tmp_path / "dm.tsv", FOUR_LEVELS, "\t", "utf-8"))
    assert registry.get("T1").name == "Thôn Tân Hòa"


def test_csv_windows_1258_with_semicolons_is_nfc(tmp_path):
    path = write_csv(tmp_path / "dm.csv", FOUR_LEVELS, ";", "cp1258")
    registry = load_registry(path)
    name = registry.get("02215").name
    assert name == "Xã Tân Đức"
    assert unicodedata.is_normalized("NFC", name)


def test_csv_vietnamese_headers_and_level_words(tmp_path):
    rows = [
        ("DANH MỤC ĐƠN VỊ", "", "", ""),
        ("Mã đơn vị", "Tên đơn vị", "Cấp", "Mã cấp trên"),
        ("04", "Tỉnh Cao Bằng", "Tỉnh", ""),
        ("040", "Thành phố Cao Bằng", "Thành phố thuộc tỉnh", "04"),
        ("01270", "Phường Hợp Giang", "Phường", "040"),
        ("K1", "Tổ dân phố 1", "Tổ dân phố", "01270"),
        ("K2", "Xóm Nà Cạn", "xóm", "01270"),
    ]
    registry = load_registry(write_csv(tmp_path / "dm.csv", rows, ";"))
    assert [u.level for u in registry.units()] == [
        "province",
        "district",
        "commune",
        "village",
        "village",
    ]


@pytest.mark.parametrize(
    "header",
    [
        ("ma", "ten", "cap", "parent"),
        ("Mã", "Tên", "Cấp", "Mã cấp trên"),
        ("Mã ĐVHC", "Tên đơn vị", "Cấp hành chính", "Mã đơn vị cấp trên"),
    ],
)
def test_header_variants(tmp_path, header):
    registry = load_registry(write_csv(tmp_path / "dm.csv", [header, *FOUR_LEVELS[1:4]]))
    assert registry.get("070").parent == "08"


def test_extra_columns_are_ignored(tmp_path):
    rows = [("STT", "Mã", "Tên", "Cấp", "Mã cấp trên", "Tên cấp trên", "Ghi chú")]
    rows += [(str(n), *row, "", "") for n, row in enumerate(FOUR_LEVELS[1:4], start=1)]
    registry = load_registry(write_csv(tmp_path / "dm.csv", rows))
    assert registry.get("070") == Unit("070", "Thành phố Tuyên Quang", "district", "08")


def test_xlsx_title_row_numeric_codes_and_vietnamese_headers(tmp_path):
    rows = [
        ("Mã", "Tên", "Cấp", "Mã cấp trên"),
        (1, "Thành phố Hà Nội", "Thành phố trực thuộc TW", None),
        (4, "Phường Ba Đình", "Phường", 1),
        (4001, "Tổ dân phố 1", "Tổ dân phố", 4),
        ("00007", "Phường Ngọc Hà", "phường", 1),
    ]
    path = write_xlsx(tmp_path / "dm.xlsx", rows, title_rows=[("DANH MỤC ĐƠN VỊ HÀNH CHÍNH",), ()])
    registry = load_registry(path)
    assert registry.levels == ("province", "commune", "village")
    assert registry.get("4").parent == "1"
    assert registry.get("4001").parent == "4"
    assert registry.get("00007").level == "commune"


def test_three_level_registry_since_2025(tmp_path):
    rows = [
        ("code", "name", "level", "parent_code"),
        ("01", "Thành phố Hà Nội", "province", ""),
        ("00004", "Phường Ba Đình", "commune", "01"),
        ("V1", "Tổ dân phố 1", "village", "00004"),
    ]
    registry = load_registry(write_csv(tmp_path / "dm.csv", rows))
    assert registry.levels == ("province", "commune", "village")
    assert registry.ancestor_at("V1", "province").code == "01"
    assert registry.ancestor_at("V1", "district") is None


def test_registry_starting_at_a_commune(tmp_path):
    rows = [
        ("code", "name", "level", "parent_code"),
        ("02215", "Xã Tân Đức", "commune", ""),
        ("T1", "Thôn Tân Hòa", "village", "02215"),
        ("T2", "Thôn 1", "village", "02215"),
    ]
    registry = load_registry(write_csv(tmp_path / "dm.csv", rows))
    assert [u.code for u in registry.roots()] == ["02215"]
    assert registry.find("Thôn 1", "village", within="02215").unit.code == "T2"


# ---------------------------------------------------------------- errors


def test_missing_file(tmp_path):
    error = error_of(tmp_path / "none.csv")
    assert error.code == "registry-unreadable"
    assert error.params["file"].endswith("none.csv")


def test_damaged_workbook(tmp_path):
    path = tmp_path / "dm.xlsx"
    path.write_text("not a zip")
    assert error_of(path).code == "registry-unreadable"


def test_undecodable_csv(tmp_path):
    path = tmp_path / "dm.csv"
    path.write_bytes(b"code,name,level,parent_code\n1,\x81\x8a,province,\n")
    assert error_of(path).code == "registry-unreadable"


def with_row(row, at=3):
    rows = list(FOUR_LEVELS)
    rows.insert(at - 1, row)
    return rows


@pytest.mark.parametrize(
    ("rows", "row", "column", "words"),
    [
        (with_row(("", "Xã Mới", "commune", "070")), 3, "code", "để trống"),
        (with_row(("02215", "Xã Mới", "commune", "070")), 7, "code", "dòng 3"),
        (with_row(("X9", "", "commune", "070")), 3, "name", "tên"),
        (with_row(("X9", "Xã Mới", "ward", "070")), 3, "level", "ward"),
        (with_row(("X9", "Thành phố Mới", "Thành phố", "08")), 3, "level", "Thành phố"),
        (with_row(("X9", "Xã Mới", "commune", "999")), 3, "parent_code", "999"),
        (with_row(("X9", "Xã Mới", "commune", "X9")), 3, "parent_code", "chính nó"),
        (with_row(("X9", "Xã Mới", "commune", "02215")), 3, "parent_code", "không cao hơn"),
        (with_row(("X9", "Huyện Mới", "district", "T1"), at=13), 13, "parent_code", "Tân Hòa"),
    ],
)
def test_invalid_rows_name_row_and_column(tmp_path, rows, row, column, words):
    error = error_of(write_csv(tmp_path / "dm.csv", rows))
    assert error.code == "registry-invalid"
    assert (error.params["row"], error.params["column"]) == (row, column)
    assert words in shown(error, "reason")
    assert shown(error, "reason", "en")


def test_invalid_row_in_workbook_counts_title_rows(tmp_path):
    rows = [
        ("Mã đơn vị", "Tên đơn vị", "Cấp", "Mã cấp trên"),
        ("08", "Tỉnh Tuyên Quang", "Tỉnh", None),
        ("02215", "Xã Tân Đức", "Xã", "99"),
    ]
    path = write_xlsx(tmp_path / "dm.xlsx", rows, title_rows=[("DANH MỤC",), ("Kèm theo ...",), ()])
    error = error_of(path)
    assert (error.params["row"], error.params["column"]) == (6, "Mã cấp trên")


def test_missing_column(tmp_path):
    rows = [("Danh mục",), ("Mã", "Tên", "Mã cấp trên"), ("08", "Tỉnh Tuyên Quang", "")]
    error = error_of(write_csv(tmp_path / "dm.csv", rows))
    assert (error.code, error.params["row"], shown(error, "column")) == (
        "registry-invalid",
        2,
        "cấp",
    )


def test_no_header(tmp_path):
    error = error_of(write_csv(tmp_path / "dm.csv", [("08", "Tỉnh Tuyên Quang", "province", "")]))
    assert (error.params["row"], shown(error, "column")) == (1, "mã")


def test_header_only(tmp_path):
    error = error_of(write_csv(tmp_path / "dm.csv", FOUR_LEVELS[:1]))
    assert error.code == "registry-invalid"
    assert error.params["row"] == 2


def test_from_units_checks_like_a_file():
    with pytest.raises(RegistryError) as caught:
        Registry.from_units([Unit("1", "Xã A", "commune"), Unit("2", "Thôn B", "village", "3")])
    assert (caught.value.params["row"], caught.value.params["column"]) == (2, "parent_code")


# ---------------------------------------------------------------- hierarchy


def test_children_descendants_ancestors(four_levels):
    assert [u.code for u in four_levels.children("070")] == ["02212", "02215"]
    assert [u.code for u in four_levels.descendants("070")] == ["02212", "T4", "02215", "T1", "T2"]
    assert [u.code for u in four_levels.descendants("08", "village")] == [
        "T4",
        "T1",
        "T2",
        "T3",
        "T5",
    ]
    assert [u.code for u in four_levels.descendants("071", "commune")] == ["02230"]
    assert four_levels.descendants("T1") == []
    assert [u.code for u in four_levels.ancestors("T1")] == ["02215", "070", "08"]
    assert four_levels.ancestor_at("T1", "commune").code == "02215"
    assert four_levels.ancestor_at("02215", "commune").code == "02215"
    assert four_levels.contains("070", "T1") and not four_levels.contains("071", "T1")


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["T1", "T2"], "02215"),
        (["T1", "T4"], "070"),
        (["T1", "T3"], "08"),
        (["T1"], "T1"),
        (["02215", "T1"], "02215"),
        ([], None),
    ],
)
def test_common_ancestor(four_levels, codes, expected):
    found = four_levels.common_ancestor(codes)
    assert (found.code if found else None) == expected


def test_common_ancestor_is_the_deepest_unit_on_every_chain(four_levels):
    """Against the definition, for every set of up to three units, in any order: the last
    unit that the chains from the root to each code all share."""
    from itertools import combinations, permutations

    def plain(codes):
        chains = [[u.code for u in reversed([four_levels[c], *four_levels.ancestors(c)])]
                  for c in codes]
        shared = [a for a, *rest in zip(*chains) if all(a == b for b in rest)]
        return shared[-1] if shared and all(c[:len(shared)] == shared for c in chains) else None

    codes = [u.code for u in four_levels.units()]
    for size in (1, 2, 3):
        for chosen in combinations(codes, size):
            for order in permutations(chosen):
                found = four_levels.common_ancestor(order)
                assert (found.code if found else None) == plain(order), order


def test_common_ancestor_of_a_forest_is_none():
    registry = Registry.from_units([Unit("A", "Xã A", "commune"), Unit("B", "Xã B", "xã")])
    assert registry.common_ancestor(["A", "B"]) is None
    assert registry.units("commune") == registry.roots()


# ---------------------------------------------------------------- name matching


@pytest.mark.parametrize(
    "written",
    [
        "Thôn Tân Hòa",
        "thon tan hoa",
        "Tân Hoà",
        "TÂN HÒA",
        "Tan Hòa",
        "  thôn   Tân  hoà ",
        "Tân Ho\u0300a",
    ],
)
def test_name_variants_find_the_village(four_levels, written):
    assert four_levels.find(written, "village", within="02215").unit.code == "T1"


def test_thon_1_resolved_within_the_sender(four_levels):
    assert four_levels.find("Thôn 1", "village", within="02215").unit.code == "T2"
    assert four_levels.find("thon 1", "village", within="02230").unit.code == "T3"
    everywhere = four_levels.find("Thôn 1", "village")
    assert everywhere.status == "ambiguous"
    assert {u.code for u in everywhere.candidates} == {"T2", "T3"}


def test_within_includes_the_sender_itself(four_levels):
    assert four_levels.find("Tân Đức", "commune", within="02215").unit.code == "02215"
    assert four_levels.find("xa tan duc", "commune").unit.code == "02215"


def test_type_word_optional_on_both_sides(four_levels):
    assert four_levels.find("Tổ 5", "village", within="02212").unit.code == "T4"
    assert four_levels.find("Khuôn Hà", "village", within="02230").how == "prefix"


def test_ambiguous_ascii_key_is_refused():
    registry = Registry.from_units(
        [
            Unit("X", "Xã Tân Đức", "commune"),
            Unit("A", "Thôn Tân Hòa", "village", "X"),
            Unit("B", "Thôn Tân Hóa", "village", "X"),
        ]
    )
    assert registry.find("Tân Hòa", "village", within="X").unit.code == "A"
    assert registry.find("Tân Hoá", "village", within="X").unit.code == "B"
    loose = registry.find("thon tan hoa", "village", within="X")
    assert loose.unit is None
    assert loose.status == "ambiguous"
    assert {u.code for u in loose.candidates} == {"A", "B"}


def test_typo_is_unknown_with_suggestions(four_levels):
    match = four_levels.find("Thôn Tân Hỏa", "village", within="02215")
    assert match.status == "unknown"
    assert match.suggestions[0] == "Thôn Tân Hòa"
    assert len(match.suggestions) <= 3


def test_unknown_far_name_has_no_suggestion(four_levels):
    match = four_levels.find("Làng Xyz Qwerty", "village", within="02215")
    assert (match.status, match.suggestions) == ("unknown", ())
    assert four_levels.find("", "village").status == "unknown"


def test_level_is_respected(four_levels):
    assert four_levels.find("Tân Đức", "village", within="070").status == "unknown"
    assert four_levels.find("Tân Đức", None).unit.code == "02215"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("4", "00004"),
        (4.0, "00004"),
        ("00004", "00004"),
        ("07", "00007"),
        ("1", None),
        ("99", None),
    ],
)
def test_find_code_tolerates_lost_leading_zeros(written, expected):
    registry = Registry.from_units(
        [
            Unit("01", "Hà Nội", "province"),
            Unit("00004", "Phường Ba Đình", "commune", "01"),
            Unit("00007", "Phường Ngọc Hà", "commune", "01"),
            Unit("001", "Phường X", "commune", "01"),
        ]
    )
    found = registry.find_code(written)
    assert (found.code if found else None) == expected


def test_find_code_when_the_registry_lost_the_zeros():
    registry = Registry.from_units([Unit("4", "Phường Ba Đình", "commune")])
    assert registry.find_code("00004").code == "4"
    assert registry.find_code(" 4 ").code == "4"


def test_unknown_codes_raise_key_error(four_levels):
    assert four_levels.get("nope") is None
    with pytest.raises(KeyError):
        four_levels.find("Thôn 1", "village", within="nope")
    with pytest.raises(ValueError):
        four_levels.units("hamlet")


@pytest.mark.parametrize(
    ("word", "level"),
    [
        ("Tỉnh", "province"),
        ("Thành phố trực thuộc TW", "province"),
        ("Quận", "district"),
        ("thị xã", "district"),
        ("Thành phố thuộc tỉnh", "district"),
        ("Đặc khu", "commune"),
        ("thi tran", "commune"),
        ("Ấp", "village"),
        ("Khu dân cư", "village"),
        ("cấp xã", "commune"),
        ("Thành phố", None),
        ("1", None),
    ],
)
def test_parse_level(word, level):
    assert parse_level(word) == level


def test_country_scale_matching_is_fast():
    units = [Unit("P", "Tỉnh P", "province")]
    for commune in range(1000):
        units.append(Unit(f"C{commune}", f"Xã Số {commune}", "commune", "P"))
        units.extend(
            Unit(f"C{commune}V{v}", f"Thôn {v}", "village", f"C{commune}") for v in range(20)
        )
    registry = Registry.from_units(units)
    for commune in range(1000):
        assert registry.find("thon 7", "village", within=f"C{commune}").unit.code == f"C{commune}V7"
    assert len(registry.descendants("P", "village")) == 20000
