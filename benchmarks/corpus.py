"""A generated quarter of a whole country (2025 era) for the benchmark: registry and workbooks.

34 provinces with their official codes, 3,321 communes (5-digit codes, no districts), 5-40
villages each (about 20 on average, 66,000 in all). Each commune sends one workbook for
"Quý I/2026" holding both forms: Biểu 01 (one row per village) and Biểu 02 (its own row),
written by tests/builders.py in the layouts the core reads: title blocks, police lines,
1-3 header rows with merged group cells, column-number rows, STT, code columns, total rows
at the top or the bottom (values or formulas), messy labels, text numbers, blank rows, flag
styles, an instructions sheet; 80 % through xlsxwriter (formulas carry their values, as
Excel saves them), 20 % through openpyxl (formulas without a saved value).

Commune i's file depends only on (seed, i), so the corpus of N communes is the first N of
the country: files are written once under ROOT/seed<seed>/communes/ and each size gets a
folder of hard links (n<N>/) and its own registry (registry-n<N>.csv, the provinces touched
and exactly those N communes with their villages, so every unit is expected and sent).
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import sys
import unicodedata
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.builders import (  # noqa: E402
    FLAG_STYLES,
    Layout,
    instructions_sheet,
    random_values,
    table_sheet,
    write_workbook,
)

DEFAULT_ROOT = Path(__file__).resolve().parent / ".corpus"
PERIOD = "Quý I/2026"
QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}
COMMUNES = 3321
# The 34 provinces of QĐ 19/2025/QĐ-TTg with their official codes.
PROVINCES = [
    ("01", "Thành phố Hà Nội"), ("04", "Tỉnh Cao Bằng"), ("08", "Tỉnh Tuyên Quang"),
    ("11", "Tỉnh Điện Biên"), ("12", "Tỉnh Lai Châu"), ("14", "Tỉnh Sơn La"),
    ("15", "Tỉnh Lào Cai"), ("19", "Tỉnh Thái Nguyên"), ("20", "Tỉnh Lạng Sơn"),
    ("22", "Tỉnh Quảng Ninh"), ("24", "Tỉnh Bắc Ninh"), ("25", "Tỉnh Phú Thọ"),
    ("31", "Thành phố Hải Phòng"), ("33", "Tỉnh Hưng Yên"), ("37", "Tỉnh Ninh Bình"),
    ("38", "Tỉnh Thanh Hóa"), ("40", "Tỉnh Nghệ An"), ("42", "Tỉnh Hà Tĩnh"),
    ("44", "Tỉnh Quảng Trị"), ("46", "Thành phố Huế"), ("48", "Thành phố Đà Nẵng"),
    ("51", "Tỉnh Quảng Ngãi"), ("52", "Tỉnh Gia Lai"), ("56", "Tỉnh Khánh Hòa"),
    ("66", "Tỉnh Đắk Lắk"), ("68", "Tỉnh Lâm Đồng"), ("75", "Tỉnh Đồng Nai"),
    ("79", "Thành phố Hồ Chí Minh"), ("80", "Tỉnh Tây Ninh"), ("82", "Tỉnh Đồng Tháp"),
    ("86", "Tỉnh Vĩnh Long"), ("91", "Tỉnh An Giang"), ("92", "Thành phố Cần Thơ"),
    ("96", "Tỉnh Cà Mau"),
]
_SYLLABLES = (
    "An Bình Cát Châu Chiến Đông Đức Giang Hà Hải Hòa Hưng Hương Khánh Kim Lạc Lâm Long Minh "
    "Mỹ Nam Nghĩa Ngọc Nhân Phú Phúc Phong Phước Quang Sơn Tân Thạnh Thành Thịnh Thuận Thủy "
    "Tiến Trung Trường Tú Vân Việt Vinh Xuân Yên Bắc Cẩm Định Gia Hiệp Hồng Lợi Lộc Nghi "
    "Phượng Quý Tây Thái Thắng Thượng").split()


@dataclass(frozen=True)
class Commune:
    """One commune of the plan: where it is, its villages, and how its workbook looks."""

    index: int
    code: str
    name: str
    province: tuple[str, str]
    villages: tuple[tuple[str, str], ...]


def plan(seed: int) -> list[Commune]:
    """The country's 3,321 communes, deterministic in `seed` (names unique country-wide)."""
    rng = random.Random(f"{seed}:plan")
    # Unique even without diacritics ("Thành"/"Thạnh"), so file names never collide.
    pairs = list({_ascii(f"{a} {b}"): f"{a} {b}"
                  for a in _SYLLABLES for b in _SYLLABLES if a != b}.values())
    rng.shuffle(pairs)
    per_province = [COMMUNES // len(PROVINCES)] * len(PROVINCES)
    for i in range(COMMUNES - sum(per_province)):
        per_province[i] += 1
    communes = []
    for province, count in zip(PROVINCES, per_province):
        for _ in range(count):
            i = len(communes)
            kind = "Đặc khu" if i % 255 == 254 else ("Phường" if rng.random() < 0.2 else "Xã")
            code = f"{4 + i * 9:05d}"
            name = f"{kind} {pairs[i]}"
            n_villages = min(40, max(5, round(rng.triangular(5, 40, 15))))
            word = "Tổ dân phố" if kind == "Phường" else "Thôn"
            villages = tuple((f"{code}{j:03d}", f"{word} {j}") for j in range(1, n_villages + 1))
            communes.append(Commune(i, code, name, province, villages))
    return communes


def _layout(rng: random.Random, seed: int) -> Layout:
    return Layout(
        unit_line=rng.choice(["title_block", "title_block", "line"]),
        header_rows=rng.choice([1, 2, 2, 3]),
        column_numbers=rng.choice(["paren", "letters", None]),
        stt=rng.random() < 0.9,
        code_column=rng.random() < 0.3,
        total_row=rng.choice(["bottom", "bottom", "top", None]),
        total_formulas=rng.random() < 0.4,
        blank_rows=rng.choice([0, 0, 1, 2]),
        text_numbers=rng.random() < 0.1,
        messy_labels=rng.random() < 0.3,
        start_col=rng.choice(["A", "A", "B"]),
        flag_style=rng.choice(sorted(FLAG_STYLES)),
        seed=seed,
    )


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()


def file_name(commune: Commune, quarter: int = 1) -> str:
    """"BC ANTQ quy I-2026 xa tan duc.xlsx": the commune's name without diacritics."""
    return f"BC ANTQ quy {QUARTERS[quarter]}-2026 {_ascii(commune.name)}.xlsx"


def relative_path(commune: Commune, quarter: int = 1) -> Path:
    """Where the commune's workbook sits: one folder per province (and per later quarter)."""
    folder = Path(commune.province[0])
    return (folder if quarter == 1 else Path(f"q{quarter}") / folder) / file_name(commune, quarter)


def write_commune(commune: Commune, seed: int, folder: Path, quarter: int = 1) -> Path:
    """Write the commune's workbook (both forms) for a quarter of 2026 under `folder`; atomic,
    skipped when present. The first quarter is the benchmark's quarter; the others make the
    year."""
    path = folder / relative_path(commune, quarter)
    if path.exists():
        return path
    rng = random.Random(f"{seed}:{commune.index}" + ("" if quarter == 1 else f":{quarter}"))
    layout = _layout(rng, seed * 100_000 + commune.index)
    sender = (commune.code, commune.name, commune.province[1])
    period = f"Quý {QUARTERS[quarter]}/2026"
    rows = [(code, name, random_values("bieu-01", rng)) for code, name in commune.villages]
    own = [(commune.code, commune.name, random_values("bieu-02", rng))]
    sheets = [table_sheet("bieu-01", sender, rows, period, layout),
              table_sheet("bieu-02", sender, own, period, replace(layout, total_row=None))]
    if rng.random() < 0.1:
        sheets.insert(0, instructions_sheet("bieu-01"))
    fmt = "xlsx" if rng.random() < 0.2 else "xlsx-xlsxwriter"
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.stem}.{os.getpid()}.part.xlsx")
    write_workbook(part, sheets, fmt)
    os.replace(part, path)
    return path


def _write_one(args: tuple) -> None:
    write_commune(*args)


def build(n: int, seed: int = 1, root: Path = DEFAULT_ROOT, processes: int | None = None,
          say=print) -> tuple[Path, Path]:
    """The folder of the first `n` communes' workbooks and its registry CSV (cached)."""
    if not 1 <= n <= COMMUNES:
        raise ValueError(f"n must be 1..{COMMUNES}")
    base = Path(root) / f"seed{seed}"
    folder, registry = base / f"n{n}", base / f"registry-n{n}.csv"
    done = base / f".n{n}.done"
    if done.exists():
        return folder, registry
    communes = plan(seed)[:n]
    store = base / "communes"
    _write_all([(c, seed, store) for c in communes if not (store / relative_path(c)).exists()],
               store, processes, say)
    shutil.rmtree(folder, ignore_errors=True)
    _link(communes, 1, store, folder)
    write_registry(communes, registry)
    done.touch()
    return folder, registry


def build_year(n: int, seed: int = 1, root: Path = DEFAULT_ROOT, processes: int | None = None,
               say=print) -> tuple[Path, Path]:
    """The folder of the first `n` communes' workbooks for the four quarters of 2026 (the
    first quarter's are the quarter corpus's own files) and the registry (cached)."""
    quarter_folder, registry = build(n, seed, root, processes, say)
    base = Path(root) / f"seed{seed}"
    folder, done = base / f"year-n{n}", base / f".year-n{n}.done"
    if done.exists():
        return folder, registry
    communes, store = plan(seed)[:n], base / "communes"
    _write_all([(c, seed, store, q) for q in (2, 3, 4) for c in communes
                if not (store / relative_path(c, q)).exists()], store, processes, say)
    shutil.rmtree(folder, ignore_errors=True)
    for quarter in QUARTERS:
        _link(communes, quarter, store, folder)
    done.touch()
    return folder, registry


def _write_all(jobs: list[tuple], store: Path, processes: int | None, say) -> None:
    """Write the workbooks of `jobs` (write_commune's arguments), on every core when many."""
    if not jobs:
        return
    say(f"writing {len(jobs)} workbooks under {store} …")
    if (processes or os.cpu_count() or 1) == 1 or len(jobs) < 50:
        for job in jobs:
            _write_one(job)
    else:
        with get_context("fork").Pool(processes or os.cpu_count()) as pool:
            pool.map(_write_one, jobs, chunksize=8)


def _link(communes: list[Commune], quarter: int, store: Path, folder: Path) -> None:
    """Hard links (or copies) of a quarter's workbooks from the store into `folder`."""
    for commune in communes:
        target = folder / relative_path(commune, quarter)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(store / relative_path(commune, quarter), target)
        except OSError:
            shutil.copyfile(store / relative_path(commune, quarter), target)


def write_registry(communes: list[Commune], path: Path) -> None:
    """code,name,level,parent_code: the provinces touched, the communes, their villages."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "level", "parent_code"])
        for code, name in dict.fromkeys(c.province for c in communes):
            writer.writerow([code, name, "province", ""])
        for commune in communes:
            writer.writerow([commune.code, commune.name, "commune", commune.province[0]])
        for commune in communes:
            for code, name in commune.villages:
                writer.writerow([code, name, "village", commune.code])
