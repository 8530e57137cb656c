"""Longer periods made of quarters, the year to date, on generated quarters with known figures:
flows add up, stocks take the latest quarter, distinct households attending cannot be made."""

from __future__ import annotations

import json
import random
from pathlib import Path

import openpyxl
import pandas as pd

from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.forms import load_forms
from tests import make_sample_data as sample
from tests.builders import random_values, write_bieu01, write_bieu02
from tests.helpers import SAMPLE_REGISTRY, sender

FORMS = load_forms()
KIND = {ind.code: ind.over_time for form in FORMS.forms.values() for ind in form.indicators}
QUARTER_TITLES = {1: "Quý I/2024", 2: "Quý II/2024", 3: "Quý III/2024"}


def quarter_values(commune: str, quarter: int) -> tuple[dict[str, dict], dict]:
    """(village code -> Biểu 01 figures, Biểu 02 figures) of a commune in a quarter."""
    rng = random.Random(f"{commune}:{quarter}")
    villages = {v.code: random_values("bieu-01", rng)
                for v in sample.VILLAGES if v.parent_code == commune}
    return villages, random_values("bieu-02", rng)


def write(folder: Path, commune: str, title: str, villages: dict, own: dict, stem: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    names = {v.code: v.name for v in sample.VILLAGES}
    write_bieu01(folder / f"{stem} bieu01 {commune}.xlsx", sender(commune),
                 [(code, names[code], values) for code, values in villages.items()], title)
    write_bieu02(folder / f"{stem} bieu02 {commune}.xlsx", sender(commune),
                 [(commune, sample.UNITS[commune].name, own)], title)


def expected(quarters: list[tuple[dict, dict]]) -> dict[str, int | None]:
    """The period's totals from the communes' quarters, by each indicator's rule."""
    totals: dict[str, int | None] = {}
    for code, kind in KIND.items():
        if kind == "none":
            totals[code] = None
            continue
        total = 0
        for per_quarter in quarters:  # one list of (villages, own) per commune, by quarter
            series = [dict(**{k: sum(v[k] for v in villages.values()) for k in villages[
                next(iter(villages))]}, **own) for villages, own in per_quarter]
            figures = [s[code] for s in series]
            total += figures[-1] if kind == "last" else sum(figures)
        totals[code] = total
    return totals


def merge(folder: Path, *args: str) -> tuple[int, dict, str]:
    runner = CliRunner()
    base = ["merge", str(folder), "--registry", SAMPLE_REGISTRY]
    data = runner.invoke(app, [*base, "--format", "json", *args])
    table = runner.invoke(app, [*base, *args], env={"COLUMNS": "200"})
    return data.exit_code, json.loads(data.stdout), table.stdout


COMMUNES = [u.code for u in sample.COMMUNES]


def test_a_half_year_is_made_of_its_two_quarters(tmp_path):
    """Every commune sent Q1 and Q2 only; Xã Đông Thạnh sent Q1 only: incomplete."""
    kept = []
    for commune in COMMUNES:
        quarters = [quarter_values(commune, q) for q in (1, 2)]
        for q, (villages, own) in zip((1, 2), quarters):
            if commune == "99207" and q == 2:
                continue
            write(tmp_path, commune, QUARTER_TITLES[q], villages, own, f"q{q}")
        if commune != "99207":
            kept.append(quarters)
    code, data, table = merge(tmp_path, "--period", "2024-H1")
    assert data["period"] == "2024-H1"
    assert all(f["status"] == "accepted" for f in data["files"])  # quarters are not wrong-period
    assert data["totals"] == expected(kept)
    assert data["totals"]["households_attending"] is None  # distinct households: not made
    assert data["rates"]["households_attending_rate"]["ratio"] is None
    [dong_thanh] = [m for m in data["missing"] if m["code"] == "99207"]
    assert dong_thanh["reason"] == "incomplete" and dong_thanh["quarters"] == ["2024-Q2"]
    assert code == 1
    assert "không tính được từ các quý" in table and "thiếu quý" in table


def test_a_six_month_file_wins_over_its_quarters_and_is_checked_against_them(tmp_path):
    commune = "99103"
    quarters = [quarter_values(commune, q) for q in (1, 2)]
    for q, (villages, own) in zip((1, 2), quarters):
        write(tmp_path, commune, QUARTER_TITLES[q], villages, own, f"q{q}")
    villages = {code: dict(v) for code, v in quarters[1][0].items()}
    own = dict(quarters[1][1])
    for code in villages:  # flows as the quarters add them, but one village's meetings wrong
        for key, kind in KIND.items():
            if kind == "sum" and key in villages[code]:
                villages[code][key] = quarters[0][0][code][key] + quarters[1][0][code][key]
    first = next(iter(villages))
    villages[first]["meetings"] += 5
    for key, kind in KIND.items():
        if kind == "sum" and key in own:
            own[key] = quarters[0][1][key] + quarters[1][1][key]
    write(tmp_path, commune, "6 tháng đầu năm 2024", villages, own, "h1")
    code, data, _ = merge(tmp_path, "--period", "2024-H1", "--scope", commune)
    [six_months] = [f for f in data["files"] if "h1 bieu01" in f["path"]]
    [warning] = [p for p in six_months["problems"] if p["code"] == "period-mismatch"]
    assert warning["indicator"] == "meetings" and warning["severity"] == "warning"
    assert data["totals"]["meetings"] == sum(v["meetings"] for v in villages.values())
    assert data["totals"]["households_attending"] is not None  # the unit's own 6-month figure


def test_a_quarter_with_the_earlier_ones_at_hand_has_its_year_to_date(tmp_path):
    per_commune = {c: [quarter_values(c, q) for q in (1, 2, 3)] for c in COMMUNES}
    for commune, quarters in per_commune.items():
        for q, (villages, own) in zip((1, 2, 3), quarters):
            write(tmp_path, commune, QUARTER_TITLES[q], villages, own, f"q{q}")
    code, data, table = merge(tmp_path)  # no --period: the latest quarter, the rest to date
    assert data["period"] == "2024-Q3" and code == 0
    assert data["totals"] == expected([[q[2]] for q in per_commune.values()]) | {
        "households_attending": data["totals"]["households_attending"]}
    assert data["year_to_date"] == expected(list(per_commune.values()))
    assert "Lũy kế từ đầu năm" in table and "Kỳ này" in table


def test_a_quarter_file_of_another_year_is_still_the_wrong_period(tmp_path):
    villages, own = quarter_values("99103", 1)
    write(tmp_path, "99103", "Quý I/2024", villages, own, "q1")
    write(tmp_path, "99105", "Quý IV/2023", *quarter_values("99105", 4), "old")
    code, data, _ = merge(tmp_path, "--period", "2024-H1")
    [old] = [f for f in data["files"] if "old bieu01" in f["path"]]
    assert old["status"] == "rejected" and "wrong-period" in [p["code"] for p in old["problems"]]


def test_a_unit_against_its_previous_quarter(tmp_path):
    """16.504 households typed 165.040, a flag that flips, a village dropped: warnings naming
    the unit, the indicator, both values and the cell; the merge goes on (exit 0)."""
    commune = "99103"
    (q1_villages, q1_own), (q2_villages, q2_own) = (quarter_values(commune, q) for q in (1, 2))
    first, second, *rest = list(q1_villages)
    for code in q1_villages:  # the stocks as they were, save the slip below
        for key, kind in KIND.items():
            if kind == "last" and key in q2_villages[code]:
                q2_villages[code][key] = q1_villages[code][key]
    q2_villages[first]["households"] = q1_villages[first]["households"] * 10
    q2_villages[first]["households_attending"] = 0
    q2_villages[second]["village_safe"] = 1 - q1_villages[second]["village_safe"]
    dropped = rest[-1]
    del q2_villages[dropped]
    write(tmp_path, commune, QUARTER_TITLES[1], q1_villages, q1_own, "q1")
    write(tmp_path, commune, QUARTER_TITLES[2], q2_villages, q2_own, "q2")
    code, data, _ = merge(tmp_path, "--scope", commune)
    assert data["period"] == "2024-Q2"
    [q2] = [f for f in data["files"] if "q2 bieu01" in f["path"]]
    changes = [p for p in q2["problems"] if p["code"] == "unusual-change"]
    by_indicator = {p["indicator"]: p for p in changes}
    households = by_indicator["households"]
    before = q1_villages[first]["households"]
    assert households["cell"] and households["severity"] == "warning"
    assert f"{before * 10:,}".replace(",", ".") in households["message"]
    assert "village_safe" in by_indicator
    assert any("Danh sách thôn" in p["message"] for p in changes)
    assert q2["status"] == "accepted"


def test_ytd_names_the_folder_of_the_earlier_quarters(tmp_path):
    per_commune = {c: [quarter_values(c, q) for q in (1, 2)] for c in COMMUNES}
    for commune, quarters in per_commune.items():
        for q, (villages, own) in zip((1, 2), quarters):
            write(tmp_path / f"quy {q}", commune, QUARTER_TITLES[q], villages, own, f"q{q}")
    code, data, _ = merge(tmp_path / "quy 2", "--ytd", str(tmp_path / "quy 1"))
    assert data["period"] == "2024-Q2" and code == 0
    assert data["year_to_date"] == expected(list(per_commune.values()))
    alone = merge(tmp_path / "quy 2")[1]
    assert "year_to_date" not in alone and alone["totals"] == data["totals"]


def test_the_summary_workbook_prints_the_year_to_date_beside_the_quarter(tmp_path):
    per_commune = {c: [quarter_values(c, q) for q in (1, 2)] for c in COMMUNES}
    for commune, quarters in per_commune.items():
        for q, (villages, own) in zip((1, 2), quarters):
            write(tmp_path / f"quy {q}", commune, QUARTER_TITLES[q], villages, own, f"q{q}")
    book = tmp_path / "tong hop.xlsx"
    result = CliRunner().invoke(app, ["merge", str(tmp_path / "quy 2"), "--registry",
                                      SAMPLE_REGISTRY, "--ytd", str(tmp_path / "quy 1"),
                                      "-o", str(book)])
    assert result.exit_code == 0, result.stdout
    sheet = openpyxl.load_workbook(book).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    [header] = [row for row in rows if "Lũy kế từ đầu năm" in row]
    column = header.index("Lũy kế từ đầu năm")
    assert header[3] == "Kỳ này"
    year = expected(list(per_commune.values()))
    labels = {ind.label: ind.code for form in FORMS.forms.values() for ind in form.indicators}
    printed = {labels[row[1]]: row[column] for row in rows if row[1] in labels}
    assert printed == {code: value if value is not None else "không tính được từ các quý"
                       for code, value in year.items()}


def test_half_year_summaries_of_districts_add_up_to_the_province(tmp_path):
    """Each district's 6-month summary, made from its communes' quarters, merged at the
    province gives the province's 6-month figures made from all the quarters (households
    attending stays 'cannot be made', never a 0 read back from a blank)."""
    quarters = tmp_path / "cac quy"
    for commune in COMMUNES:
        for q in (1, 2):
            write(quarters, commune, QUARTER_TITLES[q], *quarter_values(commune, q), f"q{q}")
    _, direct, _ = merge(quarters, "--period", "2024-H1")
    runner = CliRunner()
    districts = sorted({u.parent_code for u in sample.COMMUNES})
    for district in districts:
        done = runner.invoke(app, ["merge", str(quarters), "--registry", SAMPLE_REGISTRY,
                                   "--period", "2024-H1", "--scope", district,
                                   "-o", str(tmp_path / "huyen" / f"{district}.xlsx")])
        assert done.exit_code == 0, done.output
    _, upward, _ = merge(tmp_path / "huyen", "--period", "2024-H1")
    assert all(f["status"] == "accepted" for f in upward["files"])
    assert upward["totals"] == direct["totals"]
    assert upward["totals"]["households_attending"] is None
    assert upward["rates"] == direct["rates"]
    assert {u["code"]: u["values"] for u in upward["units"]} == {
        u["code"]: u["values"] for u in direct["units"]}


def test_the_export_leaves_out_what_quarters_cannot_make(tmp_path):
    """The long table says what the JSON says: no number for distinct households of a
    half-year made of quarters, the quarters' sum for meetings."""
    commune = "99103"
    quarters = [quarter_values(commune, q) for q in (1, 2)]
    for q, (villages, own) in zip((1, 2), quarters):
        write(tmp_path / "in", commune, QUARTER_TITLES[q], villages, own, f"q{q}")
    target = tmp_path / "du lieu.csv"
    code, data, _ = merge(tmp_path / "in", "--period", "2024-H1", "--scope", commune,
                          "--export", str(target))
    assert code == 0, data
    frame = pd.read_csv(target, dtype={"unit_code": str})
    own = frame[frame.unit_code == commune].set_index("indicator")["value"]
    assert pd.isna(own["households_attending"])
    assert own["meetings"] == data["totals"]["meetings"] == sum(
        v["meetings"] for villages, _ in quarters for v in villages.values())


def test_the_summary_says_a_unit_short_of_a_quarter_lacks_one(tmp_path):
    for commune in ("99103", "99207"):
        for q in (1, 2) if commune == "99103" else (1,):
            villages, own = quarter_values(commune, q)
            write(tmp_path / "in", commune, QUARTER_TITLES[q], villages, own, f"q{q}")
    out = tmp_path / "tong hop.xlsx"
    result = CliRunner().invoke(app, ["merge", str(tmp_path / "in"), "--registry",
                                      SAMPLE_REGISTRY, "--period", "2024-H1", "-o", str(out)])
    assert result.exit_code == 1, result.output
    rows = [row for row in openpyxl.load_workbook(out)["Chưa gửi"].iter_rows(values_only=True)
            if "Xã Đông Thạnh" in row]
    assert rows and all("thiếu quý" in row and "tệp bị trả lại" not in row for row in rows)
