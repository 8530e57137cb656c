"""Write antq_cli/data/units-2025.csv.gz and units-legacy.csv.gz from vietnamadminunits' SQLite.

antq bundles the official lists instead of depending on vietnamadminunits (MIT), which pulls
shapely and geopy for features antq does not use. To regenerate, without installing it:

    pip download --no-deps vietnamadminunits==1.0.4 -d /tmp/vau
    python tests/make_official_units.py /tmp/vau/vietnamadminunits-1.0.4-py3-none-any.whl

The argument may also be the package's ``data/dataset.db``. The output is deterministic
(rows sorted by code, gzip without a timestamp), so a regeneration from the same version
changes no byte. Update antq_cli/data/SOURCES.md when the version changes.
"""

from __future__ import annotations

import csv
import gzip
import io
import sqlite3
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "antq_cli" / "data"
HEADER = ("code", "name", "level", "parent_code")
_DB_IN_WHEEL = "vietnamadminunits/data/dataset.db"

Row = tuple[str, str, str, str]


# Type words as the official lists write them; the package has a few "Thị Trấn", "Thành Phố".
_TYPE_WORDS = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh",
               "Xã")


def _text(value: str) -> str:
    """The name in NFC, single-spaced, its type word in the official case."""
    name = unicodedata.normalize("NFC", " ".join(value.split()))
    for word in _TYPE_WORDS:
        if name.lower().startswith(word.lower() + " "):
            return word + name[len(word):]
    return name


def rows_2025(db: sqlite3.Connection) -> list[Row]:
    """Provinces and their communes (xã, phường, đặc khu) since 1 July 2025, by code."""
    found = db.execute("SELECT DISTINCT provinceCode, province, wardCode, ward FROM admin_units"
                       " ORDER BY provinceCode, wardCode").fetchall()
    rows: list[Row] = []
    seen: set[str] = set()
    for province_code, province, ward_code, ward in found:
        if province_code not in seen:
            seen.add(province_code)
            rows.append((province_code, _text(province), "province", ""))
        rows.append((ward_code, _text(ward), "commune", province_code))
    return rows


def rows_legacy(db: sqlite3.Connection) -> list[Row]:
    """The 63 provinces, their districts and communes as on 30 June 2025, by code.

    A few island districts have no commune (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn
    Đảo): the package lists them with an empty ward, kept here as districts alone.
    """
    found = db.execute("SELECT DISTINCT provinceCode, province, districtCode, district, wardCode,"
                       " ward FROM admin_units_legacy ORDER BY provinceCode, districtCode,"
                       " wardCode").fetchall()
    rows: list[Row] = []
    seen: set[str] = set()
    for province_code, province, district_code, district, ward_code, ward in found:
        if province_code not in seen:
            seen.add(province_code)
            rows.append((province_code, _text(province), "province", ""))
        if district_code not in seen:
            seen.add(district_code)
            rows.append((district_code, _text(district), "district", province_code))
        if ward_code:
            rows.append((ward_code, _text(ward), "commune", district_code))
    return rows


def write_rows(path: Path, rows: list[Row]) -> None:
    """A gzip'd UTF-8 CSV with the registry header, byte-identical for identical rows."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                                 compresslevel=9, mtime=0) as packed:
        packed.write(text.getvalue().encode("utf-8"))


def _open_db(source: Path, scratch: Path) -> sqlite3.Connection:
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            wheel.extract(_DB_IN_WHEEL, scratch)
        source = scratch / _DB_IN_WHEEL
    return sqlite3.connect(f"file:{source}?mode=ro", uri=True)


def main(argv: list[str]) -> None:
    """Regenerate both files from the wheel or dataset.db named in argv[0]."""
    if len(argv) != 1:
        raise SystemExit(__doc__)
    with tempfile.TemporaryDirectory() as scratch:
        db = _open_db(Path(argv[0]), Path(scratch))
        try:
            lists = {"units-2025.csv.gz": rows_2025(db), "units-legacy.csv.gz": rows_legacy(db)}
        finally:
            db.close()
    DATA_DIR.mkdir(exist_ok=True)
    for name, rows in lists.items():
        write_rows(DATA_DIR / name, rows)
        levels = {level: sum(1 for row in rows if row[2] == level)
                  for level in ("province", "district", "commune")}
        print(f"{name}: {levels}")


if __name__ == "__main__":
    main(sys.argv[1:])
