"""The Excel workbook of a :class:`~policytargets._report.Report` (openpyxl).

One sheet per table, a bold frozen header with filters, columns sized to their
text, statuses filled with the report's colours. Text that a spreadsheet
would take for a formula is neutralised (OWASP): a leading ``=``, ``+``,
``-``, ``@``, tab or carriage return gets an apostrophe, and every text cell
is written as a string, never as a formula.
"""

from __future__ import annotations

import math
import os
import unicodedata
from typing import TYPE_CHECKING, Any

from ._display import STATUS_COLOURS
from ._extras import require
from ._report import _ORDER, _status_word, _w, neutralise_formula

if TYPE_CHECKING:
    import pandas as pd

    from ._report import Report

__all__ = ["write_xlsx"]

_SHEETS = ("document", "summary", "goals", "owners", "targets", "milestones")
#: Columns left out of the targets sheet (their text forms are there for the page).
_TARGET_HIDDEN = ("observed_text", "margin_text")
_WIDEST = 60


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _heading(column: str, lang: Any) -> str:
    if column in _ORDER:
        return _status_word(column, lang)
    words = {
        "field": ("项目", "Field"),
        "value": ("内容", "Value"),
        "binding": None,
        "aspirational": None,
        "milestones": None,
        "goal_id": ("目标编号", "Goal id"),
        "owner_id": ("单位编号", "Owner id"),
        "milestone_id": ("任务编号", "Milestone id"),
        "name": None,
        "total": None,
    }
    special = words.get(column)
    if special is not None:
        return special[0] if lang == "zh" else special[1]
    key = {"name": "milestone", "owners": "owners_col"}.get(column, column)
    try:
        return _w(key, lang)
    except KeyError:
        return column


def write_xlsx(report: Report, path: str | os.PathLike[str]) -> None:
    """Write ``report`` as a workbook at ``path``."""
    openpyxl = require("openpyxl", "excel", "to write a report as .xlsx")
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lang = report.lang
    book = openpyxl.Workbook()
    book.remove(book.active)
    tables = report.tables()
    tables["targets"] = tables["targets"].drop(columns=list(_TARGET_HIDDEN))
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F2F2F2")
    for name in _SHEETS:
        frame: pd.DataFrame = tables[name]
        sheet = book.create_sheet(_w(name, lang)[:31] if lang == "zh" else name)
        first_row = 1
        if report.illustrative:
            cell = sheet.cell(row=1, column=1, value=neutralise_formula(_w("illustrative", lang)))
            cell.font = Font(bold=True, color="7C2D12")
            cell.fill = PatternFill("solid", fgColor="FFF3CD")
            first_row = 2
        columns = [str(c) for c in frame.columns]
        widths = [_width(_heading(c, lang)) for c in columns]
        for j, column in enumerate(columns, start=1):
            cell = sheet.cell(
                row=first_row, column=j, value=neutralise_formula(_heading(column, lang))
            )
            cell.font = bold
            cell.fill = header_fill
        for i, record in enumerate(frame.itertuples(index=False), start=first_row + 1):
            for j, value in enumerate(record, start=1):
                column = columns[j - 1]
                cell = sheet.cell(row=i, column=j)
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    continue
                if isinstance(value, bool):
                    cell.value = value
                elif isinstance(value, int | float):
                    cell.value = float(value) if isinstance(value, float) else int(value)
                    if isinstance(value, float):
                        cell.number_format = "0.0###"
                else:
                    text = str(value)
                    if column == "status":
                        background, colour = STATUS_COLOURS.get(text, ("#FFFFFF", "#000000"))
                        cell.fill = PatternFill("solid", fgColor=background.lstrip("#").upper())
                        cell.font = Font(color=colour.lstrip("#").upper(), bold=True)
                        text = _status_word(text, lang)
                    cell.value = neutralise_formula(text)
                    cell.data_type = "s"  # a string, whatever it looks like
                    if _width(text) > _WIDEST:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                widths[j - 1] = max(widths[j - 1], min(_width(str(value)), _WIDEST))
        for j, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(j)].width = width + 2
        sheet.freeze_panes = sheet.cell(row=first_row + 1, column=1)
        if len(frame):
            last = get_column_letter(max(len(columns), 1))
            sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + len(frame)}"
    book.save(os.fspath(path))
