"""Forms as data: every bundled form loads, a broken one is named, labels match when folded."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from antq_cli.forms import SCHEMAS_DIR, load_form, load_forms
from antq_cli.model import FormError
from antq_cli.outputs.errors import render_error
from antq_cli.outputs.reasons import PHRASES
from antq_cli.outputs.words import fill
from tests.helpers import shown

SPEC_INDICATORS = {
    "bieu-01": ["meetings", "meeting_attendance", "households", "households_attending",
                "tips_received", "self_managed_groups", "security_teams", "mediation_groups",
                "disputes_mediated", "models_active", "village_safe"],
    "bieu-02": ["civil_defense_teams", "cadres_briefed", "school_sessions", "school_attendance",
                "minority_religious_sessions", "minority_religious_attendance", "leaflets",
                "prestige_persons", "crimes_reported", "crimes_theft", "crimes_robbery",
                "crimes_other", "wanted_arrested", "wanted_surrendered",
                "social_evils_eliminated", "subjects_warned", "educated", "educated_youth",
                "reformed", "reformed_youth", "jobs_placed", "agencies", "agencies_safe",
                "commune_safe", "commendations_collective", "commendations_individual"],
}


def test_bundled_forms_hold_every_indicator_of_spec():
    forms = load_forms()
    assert set(forms.forms) == {"bieu-01", "bieu-02"}
    for form_id, codes in SPEC_INDICATORS.items():
        assert [i.code for i in forms.forms[form_id].indicators] == codes


def test_rules_and_rates_of_spec():
    forms = load_forms()
    rules = {(r.left, r.op, r.right) for f in forms.forms.values() for r in f.rules}
    assert ("households_attending", "<=", ("households",)) in rules
    assert ("crimes_reported", "=", ("crimes_theft", "crimes_robbery", "crimes_other")) in rules
    assert ("reformed_youth", "<=", ("reformed",)) in rules
    assert ("reformed_youth", "<=", ("educated_youth",)) in rules
    assert ("agencies_safe", "<=", ("agencies",)) in rules
    rates = {r.code for f in forms.forms.values() for r in f.rates}
    assert rates == {"village_safe_rate", "commune_safe_rate", "agencies_safe_rate",
                     "households_attending_rate", "villages_meeting_rate", "reformed_rate"}


@pytest.mark.parametrize("written, expected", [
    ("Số buổi họp dân", {("bieu-01", "meetings")}),
    ("SỐ BUỔI\nHỌP DÂN", {("bieu-01", "meetings")}),
    ("  Số   buổi họp dân (buổi) ", {("bieu-01", "meetings")}),
    (unicodedata.normalize("NFD", "Số vụ mâu thuẫn được hòa giải (vụ)"),
     {("bieu-01", "disputes_mediated")}),
    ("Số Tổ hoà giải", {("bieu-01", "mediation_groups")}),
    ("so ho tham du hop", {("bieu-01", "households_attending")}),
    ("Trộm cắp", {("bieu-02", "crimes_theft")}),
    ("Tổng số", set()),
])
def test_labels_match_on_folded_key(written, expected):
    assert load_forms().match_label(written) == expected


@pytest.mark.parametrize("path, expected", [
    (("Số vụ Nhân dân tố giác, tham gia truy bắt", "Tổng số"), "crimes_reported"),
    (("Số vụ nhân dân tố giác,\ntham gia truy bắt", "Trộm cắp"), "crimes_theft"),
    (("SO VU NHAN DAN TO GIAC, THAM GIA TRUY BAT", "Khac"), "crimes_other"),
    (("Lượt người vi phạm pháp luật được giáo dục", "Trong đó: thanh, thiếu niên"),
     "educated_youth"),
])
def test_group_and_leaf_headers_match(path, expected):
    assert load_forms().match_path(path) == {("bieu-02", expected)}


@pytest.fixture
def schema_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, folder)
    return folder


@pytest.mark.parametrize("old, new, field", [
    ('type = "flag"', 'type = "yesno"', "indicators[10].type"),
    ('code = "meetings"\n', "", "indicators[0].code"),
    ('right = ["households"]', 'right = ["house"]', "rules[0]."),
    ('op = "<="', 'op = "=<"', "rules[0].op"),
    ('denominator = { count = "village" }', 'denominator = { count = "hamlet" }',
     "rates[0].denominator.count"),
    ('row_level = "village"', 'row_level = "thon"', "row_level"),
    ('id = "bieu-01"', 'id = "bieu-02"', "id"),
    ("[[indicators]]\ncode = \"meetings\"", "[[indicators]\ncode = \"meetings\"", "(tệp)"),
    ('over_time = "last"', 'over_time = "average"', "indicators[2].over_time"),
    ("change_limit = 0.3", "change_limit = -1", "indicators[2].change_limit"),
])
def test_broken_form_names_file_and_field(schema_copy: Path, old, new, field):
    path = schema_copy / "bieu-01.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(FormError) as caught:
        load_forms(schema_copy)
    assert fill("{field}", caught.value.params, "vi", PHRASES["form-invalid"]) == field
    message = render_error(caught.value, "vi")
    assert str(schema_copy) in message and field in message


def test_duplicate_indicator_code_is_refused(schema_copy: Path):
    path = schema_copy / "bieu-01.toml"
    text = path.read_text(encoding="utf-8").replace('code = "households"', 'code = "meetings"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert shown(caught.value, "field") == "indicators[2].code"
    assert "meetings" in render_error(caught.value, "en")


def test_empty_schema_folder_is_refused(tmp_path: Path):
    with pytest.raises(FormError) as caught:
        load_forms(tmp_path)
    assert caught.value.params["file"] == str(tmp_path)


def test_a_new_indicator_is_a_data_edit(schema_copy: Path):
    path = schema_copy / "bieu-01.toml"
    with path.open("a", encoding="utf-8") as handle:
        handle.write('\n[[indicators]]\ncode = "cameras"\nlabel = "Số camera an ninh"\n'
                     'type = "count"\nunit = "camera"\n')
    forms = load_forms(schema_copy)
    assert forms.match_label("Số camera an ninh") == {("bieu-01", "cameras")}


def test_the_largest_count_is_the_form_s_own(schema_copy: Path):
    assert {ind.ceiling for f in load_forms().forms.values() for ind in f.indicators} == {10**9}
    path = schema_copy / "bieu-01.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('sender_level = "commune"',
                                 'sender_level = "commune"\nmax_count = 5000', 1),
                    encoding="utf-8")
    form = load_form(path)
    assert {ind.ceiling for ind in form.indicators} == {5000}
    assert form.indicator("meetings").bound == 5000


@pytest.mark.parametrize("value", ["0", "-1", "1e3", '"many"', "10000000000000000", "true"])
def test_a_largest_count_that_is_not_a_whole_number_in_range_is_refused(schema_copy: Path,
                                                                        value):
    path = schema_copy / "bieu-01.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('sender_level = "commune"',
                                 f'sender_level = "commune"\nmax_count = {value}', 1),
                    encoding="utf-8")
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert shown(caught.value, "field") == "max_count"


def test_every_indicator_says_how_it_goes_over_time():
    """Flows add up over the quarters, stocks and statuses take the latest, distinct households
    attending cannot be made from quarters (issue 16: DHIS2's aggregation types)."""
    forms = load_forms()
    kinds = {ind.code: ind.over_time for form in forms.forms.values() for ind in form.indicators}
    assert {code for code, kind in kinds.items() if kind == "last"} == {
        "households", "self_managed_groups", "security_teams", "mediation_groups",
        "models_active", "village_safe", "civil_defense_teams", "agencies", "agencies_safe",
        "commune_safe"}
    assert [code for code, kind in kinds.items() if kind == "none"] == ["households_attending"]
    assert kinds["meetings"] == kinds["crimes_reported"] == "sum"
    households = forms.forms["bieu-01"].indicator("households")
    assert households.change_limit == 0.3
