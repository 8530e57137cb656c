"""Render antq's printed outputs to PDF and PNG through LibreOffice, to look at them.

    python tests/render_outputs.py OUT_DIR            # every page of every output
    python tests/render_outputs.py OUT_DIR --readme   # and the README's first pages

Writes, from sample_data/: the summary of the sample quarter (compared with the same quarter
a year before, with its headline paragraph), its English twin, the blank template of a
commune (Xã Tân Đức) and of a district, and the annotated copy of the file with errors; then
each as a PDF (`soffice --headless --convert-to pdf`) and each PDF page as a PNG
(`pdftoppm`). With --readme, the first page of the summary, the commune's template and the
annotated copy are written as small PNGs into sample_data/, where the README shows them.
Needs LibreOffice (`soffice`) and poppler (`pdftoppm`) on PATH.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
REGISTRY = SAMPLE / "registry.csv"
QUARTER = SAMPLE / "2024-Q1"
WITH_ERRORS = QUARTER / "BC ANTQ P Trung Son Q1 2024.xlsx"
# Output name -> the antq command that writes it (OUT is its path), and its README image.
OUTPUTS = {
    "summary.xlsx": (["merge", str(QUARTER), "--registry", str(REGISTRY), "--compare",
                      str(SAMPLE / "2023-Q1"), "-o", "OUT"], "summary-2024-Q1.png"),
    "summary-en.xlsx": (["merge", str(QUARTER), "--registry", str(REGISTRY), "-o", "OUT",
                         "--lang", "en"], None),
    "template-commune.xlsx": (["template", "--unit", "99103", "--period", "2024-Q1",
                               "--registry", str(REGISTRY), "-o", "OUT"], "template-99103.png"),
    "template-district.xlsx": (["template", "--unit", "991", "--period", "2024-Q1",
                                "--registry", str(REGISTRY), "-o", "OUT"], None),
    "annotated.xlsx": (["validate", str(WITH_ERRORS), "--registry", str(REGISTRY),
                        "--annotate", "OUT"], "annotated-trung-son.png"),
}


def tools() -> tuple[str, str] | None:
    """(soffice, pdftoppm) when both are installed, else None."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    return (soffice, pdftoppm) if soffice and pdftoppm else None


def write_outputs(folder: Path) -> list[Path]:
    """Run antq for each output into `folder`; returns the workbooks written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (args, _) in OUTPUTS.items():
        target = folder / name
        target.unlink(missing_ok=True)
        command = [sys.executable, "-m", "antq_cli",
                   *[str(target) if a == "OUT" else a for a in args]]
        subprocess.run(command, cwd=ROOT, capture_output=True, check=False,
                       env=os.environ | {"ANTQ_LANG": "vi", "COLUMNS": "120"})
        if target.is_file():
            written.append(target)
    return written


def render(workbooks: list[Path], folder: Path, resolution: int = 60) -> dict[Path, list[Path]]:
    """Each workbook as a PDF in `folder`, and the PDF's pages as PNGs."""
    soffice, pdftoppm = tools()
    # A profile of its own: a LibreOffice already open elsewhere cannot block the run.
    profile = folder / ".lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, workbooks)],
                   capture_output=True, check=True, timeout=300)
    pages = {}
    for workbook in workbooks:
        pdf = folder / (workbook.stem + ".pdf")
        for old in folder.glob(f"{workbook.stem}-*.png"):
            old.unlink()
        subprocess.run([pdftoppm, "-png", "-r", str(resolution), str(pdf),
                        str(folder / workbook.stem)], check=True, timeout=120)
        pages[pdf] = sorted(folder.glob(f"{workbook.stem}-*.png"))
    return pages


def readme_images(folder: Path) -> list[Path]:
    """The first page of the summary, the commune's template and the annotated copy, as
    the README's images in sample_data/."""
    _, pdftoppm = tools()
    images = []
    for name, (_, image) in OUTPUTS.items():
        pdf = folder / (Path(name).stem + ".pdf")
        if image is None or not pdf.is_file():
            continue
        target = SAMPLE / image
        subprocess.run([pdftoppm, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(target.with_suffix(""))], check=True, timeout=120)
        images.append(target)
    return images


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the workbooks, PDFs and PNGs")
    parser.add_argument("--readme", action="store_true",
                        help="also write the README's first-page images into sample_data/")
    options = parser.parse_args()
    if tools() is None:
        print("LibreOffice (soffice) and pdftoppm are needed", file=sys.stderr)
        return 2
    workbooks = write_outputs(options.out)
    for pdf, pngs in render(workbooks, options.out).items():
        print(f"{pdf}: {len(pngs)} page(s)")
    if options.readme:
        for image in readme_images(options.out):
            print(f"wrote {image.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
