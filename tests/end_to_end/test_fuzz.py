"""Bounded fuzzing: whatever the bytes or the grid, reading and locating end in a result.

Hypothesis runs derandomized and without its example database, so CI sees the same inputs on
every run. Every file read ends as a FileResult with a status, and a file that is not accepted
says why with a known problem code; every grid ends as no table or a table inside the grid.
"""

from __future__ import annotations

import io
import random
import re
import resource
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from antq_cli.forms import load_forms
from antq_cli.model import ACCEPTED, REJECTED, SKIPPED, Grid
from antq_cli.outputs.messages import PROBLEMS
from antq_cli.run.submission import read_submission
from antq_cli.table.layout import locate
from antq_cli.table.parsing import extract
from tests.builders import Layout, indicators, write_bieu01, write_bieu02
from tests.helpers import commune_row, sender, villages

FORMS = load_forms()
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
HEADROOM = 2 * 1024**3  # address space the fuzzed reads may add to the test process


@pytest.fixture(autouse=True, scope="module")
def capped_memory():
    """Cap the address space while fuzzing: a read that balloons (as a damaged .xls whose
    sector chain loops once did, to 24 GB) then fails here instead of taking the machine."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    status = Path("/proc/self/status").read_text()
    current = int(re.search(r"VmSize:\s*(\d+)", status).group(1)) * 1024
    cap = current + HEADROOM if hard == resource.RLIM_INFINITY else min(current + HEADROOM, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    yield
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
SUFFIXES = [".xlsx", ".xlsm", ".xls", ".ods", ".csv"]


@lru_cache(maxsize=1)
def seeds() -> dict[str, bytes]:
    """Small real submissions in every format, as the builders write them."""
    found = {}
    with tempfile.TemporaryDirectory() as folder:
        for fmt, suffix in (("xlsx", ".xlsx"), ("xlsx-xlsxwriter", ".xlsx"), ("xls", ".xls"),
                            ("ods", ".ods"), ("csv", ".csv")):
            path = Path(folder, f"BC quy I-2024 xa Tan Duc {fmt}{suffix}")
            write_bieu01(path, sender("99103"), villages("99103")[:3], "Quý I/2024",
                         Layout(), fmt)
            found[fmt] = path.read_bytes()
        path = Path(folder, "bieu02.xlsx")
        write_bieu02(path, sender("99103"), commune_row("99103"), "Quý I/2024", fmt="xlsx")
        found["bieu02"] = path.read_bytes()
    return found


def check_result(data: bytes, suffix: str) -> None:
    """Read `data` saved under `suffix`: a FileResult with a status and, unless accepted, why."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "bao cao" + suffix)
        path.write_bytes(data)
        result = read_submission(path, FORMS).result
    assert result.status in (ACCEPTED, REJECTED, SKIPPED)
    assert {p.code for p in result.problems} <= set(PROBLEMS)
    if result.status != ACCEPTED:
        assert result.problems
    if result.status == REJECTED:
        assert result.has_errors


# -- bytes ---------------------------------------------------------------------------------------

@FUZZ
@given(st.binary(max_size=4096), st.sampled_from(SUFFIXES))
def test_random_bytes_end_as_a_result(data, suffix):
    check_result(data, suffix)


@st.composite
def mutated(draw):
    """A real file, then some of: bytes flipped, cut short, bytes inserted, a slice repeated."""
    fmt = draw(st.sampled_from(sorted(seeds())))
    data = bytearray(seeds()[fmt])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "repeat"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            size = draw(st.integers(1, 256))
            data[at:at] = data[at:at + size] * draw(st.integers(1, 8))
    suffix = ".xls" if fmt == "xls" else ".ods" if fmt == "ods" else \
        ".csv" if fmt == "csv" else ".xlsx"
    return bytes(data), draw(st.sampled_from([suffix, suffix, *SUFFIXES]))


@FUZZ
@given(mutated())
def test_mutated_real_files_end_as_a_result(case):
    check_result(*case)


# What a sheet's XML may be corrupted with: markup cut or doubled, far addresses, entities,
# a formula without its value, hidden characters, enormous repeat counts.
INJECTIONS = [b"<", b">", b"</row>", b'<c r="XFD1048576"><v>1</v></c>', b'r="A0"', b'r="ZZZ9"',
              b"&lol;", b"<!DOCTYPE x [<!ENTITY lol \"lol\">]>", b"<f>SUM(A1:A9)</f>",
              "\u202eThôn 1".encode(), b"_x0007_", b'<v>1e308</v>', b'<v>nan</v>', b'<v>-</v>',
              b'table:number-columns-repeated="1000000"', b'table:number-rows-repeated="99999999"',
              b't="s"', b"<v>999999</v>", b"\x00", b'table:number-rows-spanned="70000"']


@st.composite
def corrupted_member(draw):
    """A real xlsx or ods with one XML part cut, spliced or injected, zipped again properly."""
    fmt = draw(st.sampled_from(["xlsx", "xlsx-xlsxwriter", "ods", "bieu02"]))
    source = zipfile.ZipFile(io.BytesIO(seeds()[fmt]))
    parts = [i.filename for i in source.infolist() if i.filename.endswith((".xml", ".rels"))]
    target = draw(st.sampled_from(sorted(parts)))
    xml = bytearray(source.read(target))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(xml)))
        op = draw(st.sampled_from(["inject", "cut", "delete"]))
        if op == "inject":
            xml[at:at] = draw(st.sampled_from(INJECTIONS))
        elif op == "cut":
            del xml[at:]
        else:
            del xml[at:at + draw(st.integers(1, 200))]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, bytes(xml) if info.filename == target else source.read(info))
    suffix = ".ods" if fmt == "ods" else ".xlsx"
    return out.getvalue(), suffix


@FUZZ
@given(corrupted_member())
def test_corrupted_zip_members_end_as_a_result(case):
    check_result(*case)


# -- grids ---------------------------------------------------------------------------------------

WORDS = sorted({label for form in ("bieu-01", "bieu-02") for ind in indicators(form)
                for label in [ind["label"], *ind.get("variants", []),
                              *(part for header in ind.get("headers", []) for part in header)]}
               | {"STT", "TT", "Mã", "Mã đơn vị", "Tên thôn", "Tên đơn vị", "Thôn", "Xã", "ĐVT",
                  "Nội dung", "Số liệu", "Tổng cộng", "Cộng", "Tổng số", "Ghi chú", "I", "II",
                  "(1)", "(2)", "A", "B", "x", "Đạt", "Không đạt", "-", "…", "1.234", "12,5",
                  "Thôn Tân Hòa", "Thôn 1", "Xã Tân Đức", "Quý I/2024", "CÔNG AN XÃ TÂN ĐỨC",
                  "Đơn vị báo cáo: Xã Tân Đức", "\u202eThôn 2", "KẾT QUẢ THỰC HIỆN"})
CELL = st.one_of(
    st.none(), st.none(), st.sampled_from(WORDS), st.sampled_from(WORDS),
    st.integers(-5, 10**7), st.floats(-1e9, 1e12, allow_nan=False), st.booleans(),
    st.text(max_size=12),
)


@st.composite
def grids(draw):
    """A rectangular sheet of header words, names, numbers and noise, with merged ranges."""
    height, width = draw(st.integers(0, 24)), draw(st.integers(0, 10))
    rows = [[draw(CELL) for _ in range(width)] for _ in range(height)]
    merged = []
    if height and width:
        for _ in range(draw(st.integers(0, 4))):
            r0, c0 = draw(st.integers(0, height - 1)), draw(st.integers(0, width - 1))
            merged.append((r0, c0, draw(st.integers(r0, height - 1)),
                           draw(st.integers(c0, width - 1))))
    uncomputed = {(r, c) for r in range(height) for c in range(width) if rows[r][c] is None
                  and draw(st.integers(0, 30)) == 0}
    return Grid(sheet="Biểu 01", rows=rows, merged=merged, uncomputed=uncomputed)


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(grids())
def test_random_grids_end_as_no_table_or_a_table_inside_the_grid(grid):
    table = locate(grid, FORMS)
    if table is None:
        return
    height = len(grid.rows)
    width = len(grid.rows[0]) if grid.rows else 0
    # A vertical table found without its header row has header_bottom = header_top - 1.
    assert 0 <= table.header_top <= table.header_bottom + 1 <= height
    rows = [*table.data_rows, *(t.row for t in table.total_rows), *table.indicator_rows.values()]
    assert all(0 <= row < height for row in rows)
    columns = [*table.columns.values(), table.name_col, table.code_col, table.stt_col,
               table.value_col]
    assert all(0 <= col < width for col in columns if col is not None)
    found = extract(grid, table)
    assert all(1 <= record.row <= height for record in found.records)  # rows as people count
    assert {p.code for p in found.problems} <= set(PROBLEMS)


def test_the_fuzzed_grids_do_find_tables():
    """The grid strategy reaches the interesting paths: some random grids hold a form."""
    rng = random.Random(1)
    header = [ind["label"] for ind in indicators("bieu-01")]
    rows = [["STT", "Tên thôn", *header]]
    rows += [[n, f"Thôn {n}", *(rng.randint(0, 9) for _ in header)] for n in (1, 2)]
    table = locate(Grid(sheet="Biểu 01", rows=rows), FORMS)
    assert table is not None and table.data_rows == [1, 2]
