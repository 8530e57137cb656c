"""The settings of one run: built once by the command (cli/) from its options and the ANTQ_*
environment variables, then passed down to each step and sent to the reading processes.

Nothing else in antq reads the environment: a library caller builds a RunSettings (or takes the
defaults) and gets the same run wherever it happens.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .model import AntqError
from .periods import DECREE_CLOSING, Closing, parse_closing

MB = 1024 * 1024
LANGS = ("vi", "en")


@dataclass(frozen=True, slots=True)
class Limits:
    """What antq refuses to read before a reader allocates anything (read/guards.py).

    A commune's report is 10-50 KB with a few dozen rows: the defaults leave room for a
    province's summary many times over and keep a crafted file from taking the machine.
    """

    file_bytes: int = 100 * MB       # a file on disk
    unpacked_bytes: int = 200 * MB   # a zip's declared uncompressed sizes; the text its cells hold
    part_bytes: int = 100 * MB       # one part of a zip (a sheet's XML), declared
    zip_ratio: int = 200             # declared inflation of a part larger than 10 MB
    zip_parts: int = 10_000          # parts in one zip
    sheets: int = 250                # a province summary has one sheet per commune: ~170 at most
    rows: int = 200_000              # per sheet, counted from row 1
    cells: int = 5_000_000           # rows x columns of one sheet, counted from A1
    cell_chars: int = 32_767         # Excel's own limit for the text of one cell


# Each limit's environment variable, and the scale of the whole number it holds.
LIMIT_VARIABLES: dict[str, tuple[str, int]] = {
    "file_bytes": ("ANTQ_MAX_FILE_MB", MB),
    "unpacked_bytes": ("ANTQ_MAX_UNPACKED_MB", MB),
    "part_bytes": ("ANTQ_MAX_PART_MB", MB),
    "zip_ratio": ("ANTQ_MAX_ZIP_RATIO", 1),
    "zip_parts": ("ANTQ_MAX_ZIP_PARTS", 1),
    "sheets": ("ANTQ_MAX_SHEETS", 1),
    "rows": ("ANTQ_MAX_ROWS", 1),
    "cells": ("ANTQ_MAX_CELLS", 1),
    "cell_chars": ("ANTQ_MAX_CELL_CHARS", 1),
}
LANG_VARIABLE = "ANTQ_LANG"
CLOSING_VARIABLE = "ANTQ_CLOSING"
JOBS_VARIABLE = "ANTQ_JOBS"
FORMS_VARIABLE = "ANTQ_SCHEMAS"


@dataclass(frozen=True, slots=True)
class RunSettings:
    """Everything a run depends on besides its inputs: language, data-window closing, reading
    processes (None: decided by the number of files), limits and the forms folder (None: the
    bundled schemas/)."""

    lang: str = "vi"
    closing: Closing = DECREE_CLOSING
    jobs: int | None = None
    limits: Limits = field(default_factory=Limits)
    forms_dir: Path | None = None

    def with_closing(self, closing: Closing) -> RunSettings:
        """The same settings closing on another day."""
        return replace(self, closing=closing)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, *,
                         lang: str | None = None, closing: str | None = None,
                         jobs: int | None = None, forms_dir: Path | None = None) -> RunSettings:
        """The options given, else the ANTQ_* variables of `environ` (default os.environ),
        else the defaults. A bad closing or jobs value is an AntqError (exit 2)."""
        environ = os.environ if environ is None else environ
        closing_text = closing if closing is not None else environ.get(CLOSING_VARIABLE, "")
        try:
            chosen_closing = parse_closing(closing_text) if closing_text.strip() \
                else DECREE_CLOSING
        except ValueError:
            raise AntqError("bad-closing", value=closing_text) from None
        folder = forms_dir or environ.get(FORMS_VARIABLE) or None
        return cls(
            lang=lang_from_environment(lang, environ),
            closing=chosen_closing,
            jobs=jobs if jobs is not None else _jobs(environ.get(JOBS_VARIABLE, "")),
            limits=_limits(environ),
            forms_dir=Path(folder) if folder else None,
        )


def lang_from_environment(lang: str | None = None,
                          environ: Mapping[str, str] | None = None) -> str:
    """The language of the run: the option, else ANTQ_LANG, else Vietnamese. Known before the
    rest of the settings, so that an error in them is said in that language."""
    environ = os.environ if environ is None else environ
    return pick_lang(lang or environ.get(LANG_VARIABLE))


def pick_lang(lang: str | None) -> str:
    """"vi" or "en" from what was asked ("en", "EN", "en_US"); Vietnamese otherwise."""
    chosen = (lang or "vi").lower()[:2]
    return chosen if chosen in LANGS else "vi"


def _jobs(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise AntqError("bad-jobs", value=text, env=JOBS_VARIABLE)
    return int(text)


def _limits(environ: Mapping[str, str]) -> Limits:
    """The default limits, each raised or lowered by its variable when that holds a positive
    whole number (anything else leaves the default)."""
    chosen = {}
    for limit in fields(Limits):
        variable, scale = LIMIT_VARIABLES[limit.name]
        raw = environ.get(variable)
        if raw is not None and raw.strip().isdigit() and int(raw) > 0:
            chosen[limit.name] = int(raw) * scale
    return Limits(**chosen)
