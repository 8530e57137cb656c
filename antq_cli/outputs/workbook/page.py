"""The printed page of antq's workbooks: the official header and sign-off of Nghị định
30/2020/NĐ-CP, and a print plan that keeps every figure at least 9 pt on A4.

A wide table is not shrunk to one page width (Biểu 02's 29 columns printed at 4 pt): it is
cut between header groups into bands, each printed on its own page at one scale of at least
75% (12-pt figures print at 9 pt or more), the unit columns repeated on every band. The
header stands over the first band, the sign-off under the last, so the pages read in order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..official import Issuer
from ..safe import cell_text

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
MOTTO_EN = ("SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness")
SIGNERS = {"vi": ("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)"),
           "en": ("PREPARED BY", "(Signature and full name)", "(Signature and seal)")}
BODY_PT = 12          # every cell of a table; the header and title larger
MIN_PRINT_PT = 9      # the smallest a figure may print
MIN_SCALE = math.ceil(100 * MIN_PRINT_PT / BODY_PT)   # 75%
# The printable width and height of A4 (points) with antq's margins (inches).
A4 = (595.0, 842.0)
MARGINS = {"portrait": (1.0, 0.6, 0.7, 0.7), "landscape": (0.6, 0.4, 0.6, 0.6)}
HEADER_ROWS = 9       # rows the official header and title take (see `write_heading`)
LINE_PT = 16          # one line of 12-pt Times New Roman, with its leading
RULE_PT = 7           # the font of a header's rule: its underline close under the line above


def column_points(width: float) -> float:
    """A column `width` characters wide, in points: Excel's 7-pixel digit, 5 pixels of
    padding, 96 pixels to 72 points, and 6% more, as LibreOffice draws it."""
    return (int(width * 7 + 0.5) + 5) * 0.75 * 1.06 if width > 0 else 0.0


def printable(orientation: str) -> tuple[float, float]:
    """(width, height) in points inside the margins of an A4 page."""
    left, right, top, bottom = MARGINS[orientation]
    across, down = A4 if orientation == "portrait" else A4[::-1]
    return across - (left + right) * 72, down - (top + bottom) * 72 - 30  # 30: header/footer


@dataclass(slots=True)
class PrintPlan:
    """How a sheet prints: orientation, scale and the bands of columns (first, last), each
    a page across; `lead` columns print on every band."""

    orientation: str
    scale: int
    bands: list[tuple[int, int]]
    lead: int = 0
    widths: list[float] = field(default_factory=list)

    @property
    def last_column(self) -> int:
        return self.bands[-1][1]

    def band_widths(self, band: int) -> list[float]:
        """The widths of the columns of a band (the first band starts at column 0)."""
        first, last = self.bands[band]
        return self.widths[first:last + 1]



def plan_columns(widths: list[float], lead: int = 0, groups: list[int] | None = None,
                 orientation: str = "landscape") -> PrintPlan:
    """The print plan of columns `widths`: one page across at the largest scale up to 100%
    that fits, else bands cut between `groups` (the first column of each run that must stay
    together; every column by default) at a scale of at least MIN_SCALE."""
    page = printable(orientation)[0]
    points = [column_points(w) for w in widths]
    total = sum(points)
    if total * MIN_SCALE / 100 <= page:
        scale = min(100, math.floor(page / total * 99))
        return PrintPlan(orientation, scale, [(0, len(widths) - 1)], lead, list(widths))
    starts = sorted(set(groups or range(lead, len(widths))) | {lead})
    runs = [(a, b - 1) for a, b in zip(starts, [*starts[1:], len(widths)])]
    head = sum(points[:lead])
    capacity = page * 100 / MIN_SCALE - head
    run_points = [sum(points[a:b + 1]) for a, b in runs]
    count = len(_pack(run_points, capacity))
    # The same number of bands, as even as the groups allow: the last is not a sliver.
    target = max(max(run_points), sum(run_points) / count)
    while len(packed := _pack(run_points, target)) > count:
        target *= 1.03
    bands = [(runs[p[0]][0] if i else 0, runs[p[-1]][1]) for i, p in enumerate(packed)]
    widest = max(head + sum(run_points[i] for i in p) for p in packed)
    scale = max(MIN_SCALE, min(100, math.floor(page / widest * 99)))
    return PrintPlan(orientation, scale, bands, lead, list(widths))


def _pack(sizes: list[float], capacity: float) -> list[list[int]]:
    """Indexes of `sizes` in order, cut into runs of at most `capacity` (a bigger one alone)."""
    packed: list[list[int]] = [[]]
    room = capacity
    for index, size in enumerate(sizes):
        if packed[-1] and size > room:
            packed.append([])
            room = capacity
        packed[-1].append(index)
        room -= size
    return packed


def apply_plan(sheet: Any, plan: PrintPlan, last_row: int,
               header_rows: tuple[int, int] | None = None) -> None:
    """A4 in the plan's orientation and scale; the print area ends at the plan's last
    column (provenance columns to its right stay on screen); each band a page across.

    A band after the first is a print area of its own starting at the table's header row:
    the unit columns repeated beside it are then those of the table, not a sliver of the
    official header above it."""
    sheet.set_paper(9)
    if plan.orientation == "landscape":
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    left, right, top, bottom = MARGINS[plan.orientation]
    sheet.set_margins(left=left, right=right, top=top, bottom=bottom)
    sheet.set_print_scale(plan.scale)
    sheet.print_area(0, 0, last_row, plan.bands[0][1])
    if len(plan.bands) > 1:
        top = header_rows[0] if header_rows else 0
        areas = [sheet.print_area_range]
        for first, last in plan.bands[1:]:
            sheet.print_area(top, first, last_row, last)
            areas.append(sheet.print_area_range)
        # xlsxwriter writes one range; Excel and LibreOffice take several, comma-separated.
        sheet.print_area_range = ",".join(areas)
        if plan.lead:
            sheet.repeat_columns(0, plan.lead - 1)
    else:
        sheet.center_horizontally()
    if header_rows is not None:
        sheet.repeat_rows(*header_rows)
    sheet.set_footer('&C&"Times New Roman"&10&P/&N')


# -- the official header ---------------------------------------------------------------------

@dataclass(slots=True)
class Heading:
    """What the top of a printed sheet says: the issuer, the kind of document ("BÁO CÁO",
    or "" for a table whose title says it all), the title, the period and its window."""

    issuer: Issuer
    title: str
    period: str = ""
    window: str = ""
    kind: str = ""


def write_heading(sheet: Any, fmt: Any, heading: Heading, widths: list[float]) -> int:
    """The official header over the columns `widths` (the first page across), then the
    title; returns the row after it (HEADER_ROWS)."""
    issuer = heading.issuer
    lang = issuer.lang
    split = _split(widths)
    last = len(widths) - 1
    left, right = (0, max(0, split - 1)), (split, last)
    nation, motto = MOTTO_EN if lang == "en" else MOTTO
    bodies = [(issuer.superior, fmt.superior), (issuer.body, fmt.body)] if issuer.superior \
        else [(issuer.body, fmt.body)]
    lines = len(bodies)
    for row, (text, style) in enumerate(bodies):
        _merged(sheet, row, *left, text, style)
    _merged(sheet, lines, *left, _rule(issuer.body, 0.4), fmt.rule)
    _merged(sheet, 0, *right, nation, fmt.nation)
    _merged(sheet, 1, *right, motto, fmt.motto)
    _merged(sheet, 2, *right, _rule(motto, 1.0), fmt.rule)
    _merged(sheet, 3, *left, issuer.number, fmt.number)
    _merged(sheet, 3, *right, issuer.date_line, fmt.date_line)
    sheet.set_row(2, RULE_PT + 2)
    sheet.set_row(3, 22)
    row = 5
    if heading.kind:
        _merged(sheet, row, 0, last, heading.kind, fmt.kind)
        sheet.set_row(row, 20)
    else:
        sheet.set_row(row, 4)
    _merged(sheet, row + 1, 0, last, heading.title, fmt.title)
    sheet.set_row(row + 1, max(1, text_lines(heading.title, sum(widths), 14, True)) * 19 + 2)
    _merged(sheet, row + 2, 0, last, heading.period, fmt.period)
    window = f"({heading.window})" if heading.window else ""
    _merged(sheet, row + 3, 0, last, window, fmt.window)
    return HEADER_ROWS + 1


def _split(widths: list[float]) -> int:
    """The first column of the header's right side: the left side about 42% of the width,
    the right wide enough for the motto (46 characters) and the left for a body (24)."""
    total = sum(widths)

    def fit(split: int) -> tuple[bool, float]:
        left = sum(widths[:split])
        return not (left >= 24 and total - left >= 46), abs(left / total - 0.42)

    return min(range(1, len(widths)), key=fit, default=0)


def _rule(text: str, share: float) -> str:
    """A solid line under a header line (the law's "đường kẻ ngang, nét liền"): underlined
    non-breaking spaces of the rule's small font, about `share` of `text`'s length."""
    if not text.strip():
        return ""
    per_char = 2.6 if text.isupper() else 2.0   # a 12-13 pt letter is 2-2.6 spaces of 12 pt
    return "\u00a0" * max(6, round(len(text) * per_char * share * BODY_PT / RULE_PT))


def write_signoff(sheet: Any, fmt: Any, row: int, first: int, last: int,
                  issuer: Issuer) -> int:
    """"NGƯỜI LẬP BIỂU" and the head's title, each over its note ("(Ký, ghi rõ họ tên)",
    "(Ký tên, đóng dấu)"), side by side in columns first..last; returns the row after the
    room left for signatures."""
    maker, maker_note, head_note = SIGNERS[issuer.lang]
    middle = first + max(1, (last - first + 1) // 2) - 1
    sides = ((first, middle, maker, maker_note), (middle + 1, max(middle + 1, last),
                                                  issuer.head, head_note))
    for start, end, title, note in sides:
        _merged(sheet, row, start, end, title, fmt.signer)
        _merged(sheet, row + 1, start, end, note, fmt.sign_note)
    return row + 6


def _merged(sheet: Any, row: int, first: int, last: int, text: str, style: Any) -> None:
    if last > first:
        sheet.merge_range(row, first, row, last, "", style)
    value = cell_text(text)
    if value:
        sheet.write_string(row, first, value, style)
    else:
        sheet.write_blank(row, first, None, style)


def text_lines(text: Any, width: float, size: float = BODY_PT, bold: bool = False) -> int:
    """How many lines `text` takes in a column `width` characters wide at `size` points (an
    estimate from Times New Roman's letter widths: neither Excel nor LibreOffice grows a row
    written by a library to fit its text)."""
    room = (width * 7 - 1) * 0.75 / (size * (1.07 if bold else 1.0))   # in ems
    lines = 0
    for part in str(text if text is not None else "").split("\n"):
        lines += 1
        used = 0.0
        for word in part.split(" "):
            need = _ems(word)
            if used and used + 0.25 + need > room:
                lines += 1
                used = need
            else:
                used += (0.25 if used else 0) + need
            while used > room:   # a word longer than the line is cut
                lines += 1
                used -= room
    return max(1, lines)


def _ems(word: str) -> float:
    """A word's width in ems of Times New Roman, near enough for wrapping."""
    return sum(0.68 if c.isupper() else 0.5 if c.isdigit() else 0.3 if c in _NARROW else 0.45
               for c in word)


_NARROW = set(".,;:'\"()/-!|[]ilfjtr")
