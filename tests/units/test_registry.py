"""The unit registry (registry.py): the hierarchy of units and matching names and codes to them."""

from __future__ import annotations

import pytest

from antq_cli.units.registry import Registry, Unit, load_registry
from tests.helpers import TRUSTED_UNITS

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


def test_owners_at_a_level(four_levels):
    # Villages give their commune once; a commune is its own; a district holds no commune of
    # its own; codes the registry does not hold are passed over.
    assert four_levels.owners(["T1", "T2", "T4"], "commune") == {"02215", "02212"}
    assert four_levels.owners(["02230", "T1", "", "X9"], "xã") == {"02230", "02215"}
    assert four_levels.owners(["070", "T3"], "district") == {"070", "071"}
    assert four_levels.owners(["070"], "commune") == set()


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


def test_lookup_refuses_an_unknown_level():
    with pytest.raises(ValueError):
        Registry(TRUSTED_UNITS).lookup("Thôn 1", "hamlet")


def test_lookup_on_the_sample(tmp_path):
    registry = load_registry("sample_data/registry.csv")
    unit = next(u for u in registry if u.level == "village")
    assert registry.lookup(unit.name, "village", unit.parent) == unit


def test_same_named_villages_are_matched_within_each_commune_at_country_scale():
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
