"""Rewrite the README's full terminal sessions with what antq prints now.

    python tests/make_readme_sessions.py      (from the repository root)

The sessions under "$ antq merge sample_data/2024-Q1 --registry sample_data/registry.csv" and
"$ antq validate ..." are replaced whole; tests/end_to_end/test_docs.py checks them word for
word, and the excerpts of the other sessions line by line (those are edited by hand).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = [
    ["merge", "sample_data/2024-Q1", "--registry", "sample_data/registry.csv"],
    ["validate", "sample_data/2024-Q1/BC ANTQ P Trung Son Q1 2024.xlsx",
     "--registry", "sample_data/registry.csv"],
]


def shown(args: list[str]) -> str:
    """The command as the README writes it."""
    return "antq " + " ".join(f'"{a}"' if " " in a else a for a in args)


def main() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for args in SESSIONS:
        command = f"$ {shown(args)}\n"
        start = readme.index(command) + len(command)
        end = readme.index("\n$ ", start)
        printed = subprocess.run([sys.executable, "-m", "antq_cli", *args], cwd=ROOT,
                                 capture_output=True, text=True,
                                 env={**os.environ, "COLUMNS": "120", "ANTQ_LANG": "vi"}).stdout
        lines = [line.rstrip() for line in printed.rstrip("\n").splitlines()]
        readme = readme[:start] + "\n".join(lines) + readme[end:]
    (ROOT / "README.md").write_text(readme, encoding="utf-8")


if __name__ == "__main__":
    main()
