"""Summaries compose: merging the district summaries gives what merging every commune gives.

On generated provinces, totals equal the generated truth, order changes nothing, and merging
the district summaries gives exactly what merging every commune's files gives.

A province is drawn by hypothesis (districts, communes, villages, who sends what, in which
format and layout, with which values, one file possibly rejected) and written with
tests/builders.py, which never imports antq; the truth (totals, every rate, each unit's
values, the missing communes) is computed here from what was written.
"""

from __future__ import annotations

import json
import random
import shutil
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.forms import load_forms
from antq_cli.model import ACCEPTED, REJECTED
from antq_cli.outputs.report import merge_dict
from antq_cli.run.files import find_files
from antq_cli.run.merge import merge_files
from antq_cli.units.registry import load_registry
from tests.builders import (
    FORMATS,
    Layout,
    indicator_codes,
    random_values,
    table_sheet,
    write_bieu01,
    write_bieu02,
    write_bieu02_vertical,
    write_workbook,
)
from tests.helpers import detail_rows

FORMS = ("bieu-01", "bieu-02")
PERIODS = [("Quý I/2024", "Q1 2024", "2024-Q1"), ("6 tháng đầu năm 2024", "6 thang 2024", "2024-H1"),
           ("Năm 2023", "nam 2023", "2023")]
PLACES = ["An Bình", "Bình Minh", "Cẩm Lệ", "Đông Hòa", "Gia Lộc", "Hòa Lạc", "Kim Sơn",
          "Long Hải", "Mỹ Lộc", "Ngọc Hà", "Phú Lâm", "Quảng Điền", "Sơn Tịnh", "Tam Kỳ",
          "Thanh Thủy", "Vĩnh Lợi", "Xuân Trường", "Yên Thế", "Hải Châu", "Nghĩa Đàn"]
DISTRICT_KINDS = ["Huyện", "Thị xã", "Quận", "Thành phố"]
COMMUNE_KINDS = ["Xã", "Phường", "Thị trấn"]
VILLAGE_KINDS = ["Thôn", "Tổ dân phố", "Ấp", "Bản", "Khu phố"]
# Layouts real files come in (tests/end_to_end/test_layouts.py reads each back on its own).
FEATURES: list[dict[str, Any]] = [
    {}, dict(header_rows=1, unit_line="line", column_numbers=None),
    dict(header_rows=3, column_numbers="letters"), dict(stt=False, code_column=True, unit_line=None),
    dict(total_row="top", total_label="Cộng", total_formulas=True), dict(total_label="Tổng số"),
    dict(total_row=None, notes_and_signature=False), dict(blank_rows=2),
    dict(column_order="shuffle", messy_labels=True), dict(text_numbers=True),
    dict(start_col="C", header_rows=3), dict(unit_line="line", unit_line_prefix="Đơn vị: "),
    dict(flag_style="x"), dict(flag_style="co"), dict(flag_style="10"), dict(extra_sheets=True),
]
SENDS = ["separate", "one-workbook", "only-01", "only-02", "none"]


@dataclass
class Commune:
    """A commune of the generated province: its villages and what it sends."""

    code: str
    name: str
    group: str                      # the district (or, without districts, the commune itself)
    villages: list[tuple[str, str]]
    sends: str = "separate"
    fmt: str = "xlsx"
    fmt02: str = "xlsx"
    feature: int = 0
    vertical: bool = False
    bad: bool = False               # its bieu-01 breaks a rule: rejected
    values01: dict[str, dict[str, int]] = field(default_factory=dict)
    values02: dict[str, int] = field(default_factory=dict)


@dataclass
class Province:
    """A generated province: registry units, communes and their plans, the period."""

    code: str
    name: str
    groups: list[tuple[str, str]]   # districts (code, name); empty in the 2025 era
    communes: list[Commune]
    period: tuple[str, str, str]
    seed: int

    def sends(self, commune: Commune, form: str, good: bool = True) -> bool:
        """Whether the commune sends `form` in a file that is accepted (good) or rejected."""
        if form == "bieu-01":
            sent, bad = commune.sends in ("separate", "one-workbook", "only-01"), commune.bad
        else:
            sent = commune.sends in ("separate", "one-workbook", "only-02")
            bad = commune.bad and commune.sends == "one-workbook"   # rejected with its bieu-01
        return sent and bad != good


@st.composite
def provinces(draw, districts: bool = True) -> Province:
    """A province of 2-3 districts (or 2-4 communes without districts) drawn by hypothesis."""
    seed = draw(st.integers(0, 10**6))
    rng = random.Random(seed)
    places = rng.sample(PLACES, len(PLACES))
    groups = []
    if districts:
        for d in range(draw(st.integers(2, 3))):
            groups.append((f"88{d + 1}", f"{rng.choice(DISTRICT_KINDS)} {places.pop()}"))
    owners = [code for code, _ in groups for _ in range(draw(st.integers(1, 3)))] \
        if districts else [None] * draw(st.integers(2, 4))
    communes = []
    for n, owner in enumerate(owners):
        code = f"{owner}{n + 1:02d}" if owner else f"88{n + 1:03d}"
        villages = [(f"{code}{v + 1:02d}", _village_name(rng, v))
                    for v in range(draw(st.integers(1, 5)))]
        # Each district has a commune that sends (so it has a summary), and so do two
        # communes of a province without districts: the scope is always the province.
        first_of_group = n < 2 if owner is None else owners.index(owner) == n
        commune = Commune(code, f"{rng.choice(COMMUNE_KINDS)} {places.pop()}", owner or code,
                          villages,
                          sends="separate" if first_of_group else draw(st.sampled_from(SENDS)),
                          fmt=draw(st.sampled_from(FORMATS)), fmt02=draw(st.sampled_from(FORMATS)),
                          feature=draw(st.integers(0, len(FEATURES) - 1)),
                          vertical=draw(st.booleans()),
                          bad=not first_of_group and draw(st.integers(0, 4)) == 0)
        commune.values01 = {v: random_values("bieu-01", rng) for v, _ in villages}
        commune.values02 = random_values("bieu-02", rng)
        communes.append(commune)
    # The period from the seed, not by hypothesis (which would favour the first one).
    return Province("88", "Tỉnh Lam Sơn", groups, communes, rng.choice(PERIODS), seed)


def _village_name(rng: random.Random, n: int) -> str:
    kind = rng.choice(VILLAGE_KINDS)
    return f"{kind} {n + 1}" if rng.random() < 0.5 else f"{kind} {rng.choice(PLACES)} {n + 1}"


def ascii_name(name: str) -> str:
    """ "Xã Đông Hòa" -> "xa dong hoa": how people name files."""
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


# ------------------------------------------------------------------ writing a province


def write_registry(province: Province, path: Path) -> Path:
    """The province's unit list as a registry CSV."""
    lines = ["code,name,level,parent_code", f"{province.code},{province.name},province,"]
    lines += [f"{code},{name},district,{province.code}" for code, name in province.groups]
    for commune in province.communes:
        parent = commune.group if province.groups else province.code
        lines.append(f"{commune.code},{commune.name},commune,{parent}")
        lines += [f"{code},{name},village,{commune.code}" for code, name in commune.villages]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_province(province: Province, folder: Path, shuffle: int | None = None) -> list[Path]:
    """Every commune's files under folder/<group code>/; returns the files written.

    With `shuffle`, file names get a random leading number (so the files are read in another
    order) and every table lists its rows in another order.
    """
    rng = random.Random(shuffle)
    order = list(range(100))
    rng.shuffle(order)
    written = []
    for commune in province.communes:
        group = folder / commune.group
        group.mkdir(parents=True, exist_ok=True)
        for path in _write_commune(province, commune, group, rng if shuffle is not None else None):
            if shuffle is not None:
                path = path.rename(path.with_name(f"{order.pop():02d} {path.name}"))
            written.append(path)
    return written


def _write_commune(province: Province, commune: Commune, folder: Path,
                   rng: random.Random | None) -> list[Path]:
    period, token, _ = province.period
    who = (commune.code, commune.name, dict(province.groups).get(commune.group, province.name))
    layout = replace(Layout(**FEATURES[commune.feature]), seed=province.seed % 1000)
    rows = [(code if layout.code_column else None, name, dict(commune.values01[code]))
            for code, name in commune.villages]
    if commune.bad:
        values = rows[-1][2]
        values["households_attending"] = values["households"] + 5
    if rng is not None:
        rng.shuffle(rows)
    own = [(commune.code if layout.code_column else None, commune.name, commune.values02)]
    stem = f"{ascii_name(commune.name)} - bieu 0%d - {token}"
    paths = []
    if commune.sends == "one-workbook":
        fmt = commune.fmt if commune.fmt != "csv" else "xlsx"
        path = folder / f"{ascii_name(commune.name)} - {token}.{_suffix(fmt)}"
        sheets = [table_sheet("bieu-01", who, rows, period, replace(layout, extra_sheets=False)),
                  table_sheet("bieu-02", who, own, period,
                              replace(layout, extra_sheets=False, total_row=None))]
        write_workbook(path, sheets, fmt)
        return [path]
    if commune.sends in ("separate", "only-01"):
        path = folder / f"{stem % 1}.{_suffix(commune.fmt)}"
        write_bieu01(path, who, rows, period, layout, commune.fmt)
        paths.append(path)
    if commune.sends in ("separate", "only-02"):
        path = folder / f"{stem % 2}.{_suffix(commune.fmt02)}"
        if commune.vertical:
            write_bieu02_vertical(path, who, commune.values02, period, commune.fmt02)
        else:
            write_bieu02(path, who, own, period, replace(layout, total_row=None), commune.fmt02)
        paths.append(path)
    return paths


def _suffix(fmt: str) -> str:
    return "xlsx" if fmt == "xlsx-xlsxwriter" else fmt


# ------------------------------------------------------------------ the truth


def truth(province: Province) -> dict[str, Any]:
    """Totals, rates, per-unit values and missing communes of the whole province."""
    villages = [v for c in province.communes for v in c.villages]
    rows01 = [c.values01[v] for c in province.communes if province.sends(c, "bieu-01")
              for v, _ in c.villages]
    rows02 = [c.values02 for c in province.communes if province.sends(c, "bieu-02")]
    # A form nobody sent has no totals ("chưa báo cáo", null), never zeros.
    totals = {code: sum(r[code] for r in rows01) if rows01 else None
              for code in indicator_codes("bieu-01")}
    totals |= {code: sum(r[code] for r in rows02) if rows02 else None
               for code in indicator_codes("bieu-02")}
    sent01 = sum(len(c.villages) for c in province.communes if province.sends(c, "bieu-01"))
    sent02 = sum(1 for c in province.communes if province.sends(c, "bieu-02"))
    reported = {"village_safe_rate": sent01, "households_attending_rate": sent01,
                "villages_meeting_rate": sent01, "commune_safe_rate": sent02,
                "agencies_safe_rate": sent02, "reformed_rate": sent02}
    zero = {code: 0 for code in indicator_codes("bieu-01") + indicator_codes("bieu-02")}
    sums = zero | {code: value for code, value in totals.items() if value is not None}
    rates = {
        "village_safe_rate": (sums["village_safe"], len(villages)),
        "households_attending_rate": (sums["households_attending"], sums["households"]),
        "villages_meeting_rate": (sum(1 for r in rows01 if r["meetings"] > 0), len(villages)),
        "commune_safe_rate": (sums["commune_safe"], len(province.communes)),
        "agencies_safe_rate": (sums["agencies_safe"], sums["agencies"]),
        "reformed_rate": (sums["reformed"], sums["educated"]),
    }
    return {"totals": totals, "rates": rates, "reported": reported,
            "missing": _missing(province), "rows": truth_rows(province)}


def truth_rows(province: Province, group: str | None = None) -> Counter:
    """(form, unit code, values) of every row of every accepted file (of one group)."""
    rows: Counter = Counter()
    for commune in province.communes:
        if group is not None and commune.group != group:
            continue
        if province.sends(commune, "bieu-01"):
            for code, _ in commune.villages:
                rows[_key("bieu-01", code, commune.values01[code])] += 1
        if province.sends(commune, "bieu-02"):
            rows[_key("bieu-02", commune.code, commune.values02)] += 1
    return rows


def _key(form: str, code: str, values: dict[str, int]) -> tuple:
    return (form, code, tuple((c, values[c]) for c in indicator_codes(form)))


def _missing(province: Province) -> list[tuple[str, str]]:
    # The forms some commune sent; when none sent anything, every form is expected of all.
    in_play = [form for form in FORMS if any(
        province.sends(c, form) or province.sends(c, form, good=False)
        for c in province.communes)] or list(FORMS)
    missing = {}
    for commune in province.communes:
        for form in in_play:
            if province.sends(commune, form):
                continue
            reason = "rejected" if province.sends(commune, form, good=False) else "not-sent"
            if missing.get(commune.code) != "rejected":
                missing[commune.code] = reason
    return sorted(missing.items())


def check_against_truth(data: dict[str, Any], expected: dict[str, Any]) -> None:
    """A merge's JSON says exactly what was generated."""
    assert data["totals"] == expected["totals"]
    for code, (numerator, denominator) in expected["rates"].items():
        rate = data["rates"][code]
        assert (rate["numerator"], rate["denominator"]) == (numerator, denominator), code
        assert rate["reported"] == expected["reported"][code], code
    assert [(m["code"], m["reason"]) for m in data["missing"]] == expected["missing"]


# ------------------------------------------------------------------ the properties

PROPERTY = settings(max_examples=8, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def forms():
    return load_forms()


def _without_paths(data: dict[str, Any]) -> dict[str, Any]:
    files = sorted((f["status"], f["form"], f["unit"], f["period"], f["rows"],
                    tuple(sorted(p["code"] for p in f["problems"]))) for f in data["files"])
    return {key: value for key, value in data.items() if key != "files"} | {"files": files}


@PROPERTY
@given(province=provinces())
def test_direct_merge_is_the_truth_whatever_the_order(province, tmp_path_factory, forms):
    base = tmp_path_factory.mktemp("province")
    registry = load_registry(write_registry(province, base / "registry.csv"))
    written = write_province(province, base / "communes")
    result = merge_files(find_files(base / "communes"), forms, registry)
    data = merge_dict(result, "vi")
    expected = truth(province)
    check_against_truth(data, expected)
    assert data["scope"]["code"] == province.code and data["period"] == province.period[2]
    # Nothing lost: every file has a status, the bad ones rejected, every good row counted.
    assert sorted(f["path"] for f in data["files"]) == sorted(str(p) for p in written)
    for file in result.files:
        assert file.status in (ACCEPTED, REJECTED)
        assert (file.status == REJECTED) == any(p.code == "rule-failed" for p in file.problems), \
            [(p.code, p.cell) for p in file.problems]
    units = {u["code"]: u["values"] for u in data["units"]}
    for commune in province.communes:
        sent01, sent02 = (province.sends(commune, f) for f in FORMS)
        for code, _ in commune.villages:
            # A village of a commune that sent no Biểu 01: "chưa báo cáo" (null), never 0.
            want = commune.values01[code] if sent01 else dict.fromkeys(commune.values01[code])
            assert units[code] == want
        assert {k: units[commune.code][k] for k in indicator_codes("bieu-02")} == (
            commune.values02 if sent02 else dict.fromkeys(commune.values02))
    # The same province with its files read in another order and its rows listed in another.
    again = base / "shuffled"
    write_province(province, again, shuffle=province.seed)
    other = merge_dict(merge_files(find_files(again), forms, registry), "vi")
    assert _without_paths(other) == _without_paths(data)


def _accepted(data: dict[str, Any], path: Path) -> bool:
    return any(f["path"] == str(path) and f["status"] == "accepted" for f in data["files"])


def _merge_cli(*args: Any) -> tuple[int, dict[str, Any]]:
    outcome = CliRunner().invoke(app, ["merge", *map(str, args), "--format", "json"],
                                 env={"ANTQ_LANG": "vi"})
    assert outcome.exit_code in (0, 1), outcome.stderr
    return outcome.exit_code, json.loads(outcome.stdout)


def _direct_merge(province, tmp_path_factory) -> tuple[Path, str, int, dict]:
    """Write the province (registry, communes' files), merge it directly and check the truth;
    returns the folder, the registry path, the exit code and the JSON, and makes summaries/."""
    base = tmp_path_factory.mktemp("province")
    registry = write_registry(province, base / "registry.csv")
    write_province(province, base / "communes")
    code, direct = _merge_cli(base / "communes", "--registry", registry)
    check_against_truth(direct, truth(province))
    (base / "summaries").mkdir()
    return base, registry, code, direct


@PROPERTY
@given(province=provinces())
def test_district_summaries_merge_to_the_direct_figures(province, tmp_path_factory, forms):
    base, registry, _, direct = _direct_merge(province, tmp_path_factory)
    summaries = base / "summaries"
    for code, name in province.groups:
        out = summaries / f"tong hop {ascii_name(name)}.xlsx"
        _, district = _merge_cli(base / "communes" / code, "--registry", registry, "--scope", code,
                                 "-o", out)
        assert district["scope"]["code"] == code
        # Every row of every accepted file of the district is in its detail sheets, once.
        assert detail_rows(out) == truth_rows(province, code)
    code, merged = _merge_cli(summaries, "--registry", registry)
    assert all(f["status"] == "accepted" and f["problems"] == [] for f in merged["files"])
    for key in ("period", "scope", "totals", "rates", "units"):
        assert merged[key] == direct[key], key
    # The missing communes are the same; a commune whose file was rejected reads "not-sent"
    # above, since a district summary carries the rows it accepted, not the files it refused.
    assert [(m["code"], m["name"], m["level"]) for m in merged["missing"]] == \
        [(m["code"], m["name"], m["level"]) for m in direct["missing"]]
    assert all(m["reason"] == "not-sent" for m in merged["missing"])
    assert code == (1 if direct["missing"] else 0)
    # A commune that sent its file to the province as well as to its district: that file is
    # a copy of rows the district summary holds; it is set aside and the summary counts.
    [sent_twice, *_] = [p for p in sorted((base / "communes").rglob("*"))
                        if p.is_file() and _accepted(direct, p)]
    shutil.copy(sent_twice, summaries / sent_twice.name)
    twice_code, twice = _merge_cli(summaries, "--registry", registry)
    for key in ("totals", "rates", "units"):
        assert twice[key] == merged[key], key
    [copy] = [f for f in twice["files"] if f["path"] == str(summaries / sent_twice.name)]
    assert copy["status"] == "skipped" and "duplicate-file" in [p["code"] for p in copy["problems"]]
    assert all(f["status"] == "accepted" for f in twice["files"] if f is not copy)
    assert twice_code == code
    (summaries / sent_twice.name).unlink()
    # A district summary saved among its own communes' files is skipped, never added.
    district, name = province.groups[0]
    folder = base / "communes" / district
    alone_code, alone = _merge_cli(folder, "--registry", registry, "--scope", district)
    shutil.copy(summaries / f"tong hop {ascii_name(name)}.xlsx", folder / "tong hop.xlsx")
    with_code, with_summary = _merge_cli(folder, "--registry", registry, "--scope", district)
    assert with_code == alone_code
    [own] = [f for f in with_summary["files"] if f["path"].endswith("tong hop.xlsx")]
    assert own["status"] == "skipped" and [p["code"] for p in own["problems"]] == ["own-summary"]
    for key in ("totals", "rates", "units", "missing"):
        assert with_summary[key] == alone[key], key


@settings(PROPERTY, max_examples=4)
@given(province=provinces(districts=False))
def test_commune_summaries_of_a_province_without_districts(province, tmp_path_factory, forms):
    """The 2025 era (province → commune → village): each commune's own summary is a
    submission for the province, and merging them equals merging the communes' files."""
    base, registry, _, direct = _direct_merge(province, tmp_path_factory)
    summaries = base / "summaries"
    for commune in province.communes:
        if not (province.sends(commune, "bieu-01") or province.sends(commune, "bieu-02")):
            continue
        out = summaries / f"tong hop {ascii_name(commune.name)}.xlsx"
        _merge_cli(base / "communes" / commune.code, "--registry", registry, "--scope",
                   commune.code, "-o", out)
        assert detail_rows(out) == truth_rows(province, commune.code)
    _, merged = _merge_cli(summaries, "--registry", registry)
    for key in ("period", "scope", "totals", "rates", "units"):
        assert merged[key] == direct[key], key
    assert [m["code"] for m in merged["missing"]] == [m["code"] for m in direct["missing"]]
