"""Spreadsheets: ``.xlsx`` (openpyxl) and ``.xls`` (xlrd), cells written as the text Excel shows.

Every cell becomes text the way a CSV export would hold it, so that one
parser reads both (``cells``): a number as its shortest exact text, a number
formatted as a percentage as ``96.9%`` (Excel stores 0.969 and shows
96.9 %; a percent sign the format only writes as text, ``0.0"%"``, follows
the number unscaled), an error value as Excel writes it (``#DIV/0!``), a date as
``YYYY-MM-DD``. A formula without a cached value (a file written by a
program that never calculated it) and merged cells among the data are
failures naming their row. A file that is not a workbook, corrupt,
truncated, password-protected or empty is one
:class:`~policytargets.ObservationFileError`.
"""

from __future__ import annotations

import datetime
import functools
import math
import os
import re
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from .._errors import ObservationFileError
from .._extras import require
from .columns import RawTable, header_row

if TYPE_CHECKING:
    pass

__all__ = ["read_workbook"]

_HEADER_SEARCH = 30
#: The first bytes of a compound file: an .xls workbook, or an encrypted .xlsx.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _number_text(value: float, percent: str | None) -> str:
    if percent == "scaled":
        # What Excel shows (96.9%), at the 15 significant digits Excel keeps.
        return f"{value * 100:.15g}%"
    if float(value).is_integer() and abs(value) < 1e16:
        text = str(int(value))
    else:
        text = repr(float(value))
    # A percent sign written as text (0.0"%", 0.0\%): the number as it is, then the sign.
    return text + "%" if percent == "literal" else text


#: What of a number format is text, not a code: quoted, escaped (\%), the width of a
#: character (_%) or a fill (*%), a colour or a condition ([Red], [>100]).
_FORMAT_TEXT = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
#: Text a format shows as it is: quoted, or escaped.
_FORMAT_SHOWN = re.compile(r'"([^"]*)"|\\(.)')


@functools.lru_cache(maxsize=256)
def _percent(number_format: str, section: int) -> str | None:
    """How a format shows a number: ``scaled`` (a % code: x 100), ``literal`` (a % as text).

    ``section``: 0 for a positive number, 1 for a negative one, 2 for zero (the
    ``;``-separated sections of a format, where it has them).
    """
    if "%" not in number_format:
        return None
    sections = []
    start, quoted = 0, False
    for i, char in enumerate(number_format):  # a ';' inside quotes is text
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted and (i == 0 or number_format[i - 1] != "\\"):
            sections.append(number_format[start:i])
            start = i + 1
    sections.append(number_format[start:])
    if (section == 2 and len(sections) < 3) or section >= len(sections):
        section = 0
    codes = _FORMAT_TEXT.sub("", sections[section])
    if "%" in codes:
        return "scaled"
    shown = "".join(a + b for a, b in _FORMAT_SHOWN.findall(sections[section]))
    return "literal" if "%" in shown else None


def _text(value: Any, number_format: str = "General") -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return repr(value)
        number = float(value)
        section = 0 if number > 0 else 1 if number < 0 else 2
        return _number_text(number, _percent(number_format or "General", section))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def read_workbook(path: str, *, sheet: str | int | None, headers: Collection[str] = ()) -> RawTable:
    """Read one sheet of an ``.xlsx``/``.xlsm`` or ``.xls`` workbook into a raw table.

    ``headers``: the caller's own header texts (folded), see ``header_row``.
    """
    size = os.path.getsize(path)
    if size == 0:
        raise ObservationFileError(path, "the file is empty")
    with open(path, "rb") as file:
        magic = file.read(8)
    if magic == OLE_SIGNATURE:
        return _read_xls(path, sheet, headers)
    if not magic.startswith(b"PK"):
        raise ObservationFileError(path, "not an Excel workbook (an .xlsx file is a zip archive)")
    return _read_xlsx(path, sheet, headers)


def _sheet_name(path: str, names: list[str], sheet: str | int | None) -> str:
    if sheet is None:
        if not names:
            raise ObservationFileError(path, "the workbook has no sheet")
        return names[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(names):
            return names[sheet]
    elif isinstance(sheet, str) and sheet in names:
        return sheet
    shown = ", ".join(repr(n) for n in names)
    raise ObservationFileError(
        path, f"no sheet {sheet!r}; the sheets are {shown} (or their 0-based numbers)"
    )


def _read_xlsx(path: str, sheet: str | int | None, headers: Collection[str]) -> RawTable:
    import warnings

    openpyxl = require("openpyxl", "excel", "to read .xlsx observations")

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
            book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors: all "cannot read it"
        raise ObservationFileError(
            path, f"not a readable Excel workbook (corrupt or truncated: {_reason(exc)})"
        ) from None
    name = _sheet_name(path, list(book.sheetnames), sheet)
    ws = book[name]
    grid: list[list[Any]] = []
    formats: list[list[str]] = []
    for row in ws.iter_rows():
        grid.append([c.value for c in row])
        formats.append([getattr(c, "number_format", "General") for c in row])
    merged = [(r.min_row, r.max_row, r.min_col, r.max_col) for r in ws.merged_cells.ranges]
    uncached: set[tuple[int, int]] = set()
    if any(v is None for row in grid for v in row):
        uncached = _formulas_without_values(path, name, grid)
    return _table(path, name, grid, formats, merged, uncached, headers)


def _formulas_without_values(path: str, name: str, grid: list[list[Any]]) -> set[tuple[int, int]]:
    """Cells (0-based row, column) that hold a formula whose value was never calculated."""
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        formulas = openpyxl.load_workbook(path, data_only=False, read_only=True)
    found = set()
    try:
        for r, row in enumerate(formulas[name].iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if (
                    isinstance(value, str)
                    and value.startswith("=")
                    and r < len(grid)
                    and c < len(grid[r])
                    and grid[r][c] is None
                ):
                    found.add((r, c))
    finally:
        formulas.close()
    return found


def _read_xls(path: str, sheet: str | int | None, headers: Collection[str]) -> RawTable:
    xlrd = require("xlrd", "excel", "to read .xls observations")

    try:
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True)
    except Exception as exc:
        text = _reason(exc)
        if "encrypt" in text.lower() or "password" in text.lower():
            problem = "the workbook is password-protected; save an unprotected copy"
        elif "Excel 2007" in text or "xlsx" in text:
            problem = "a password-protected .xlsx workbook; save an unprotected copy"
        else:
            problem = f"not a readable Excel workbook ({text})"
        raise ObservationFileError(path, problem) from None
    try:
        name = _sheet_name(path, list(book.sheet_names()), sheet)
        ws = book.sheet_by_name(name)
        grid: list[list[Any]] = []
        formats: list[list[str]] = []
        for r in range(ws.nrows):
            values: list[Any] = []
            row_formats: list[str] = []
            for c in range(ws.ncols):
                cell = ws.cell(r, c)
                fmt = "General"
                xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
                if xf is not None and xf.format_key in book.format_map:
                    fmt = book.format_map[xf.format_key].format_str
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    value: Any = None
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(cell.value, "#VALUE!")
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                elif cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                else:
                    value = cell.value
                values.append(value)
                row_formats.append(fmt)
            grid.append(values)
            formats.append(row_formats)
        merged = [(rlo + 1, rhi, clo + 1, chi) for rlo, rhi, clo, chi in ws.merged_cells]
    except ObservationFileError:
        raise
    except Exception as exc:
        raise ObservationFileError(
            path, f"not a readable Excel workbook ({_reason(exc)})"
        ) from None
    finally:
        book.release_resources()
    return _table(path, name, grid, formats, merged, set(), headers)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _table(
    path: str,
    name: str,
    grid: list[list[Any]],
    formats: list[list[str]],
    merged: list[tuple[int, int, int, int]],
    uncached: set[tuple[int, int]],
    headers: Collection[str],
) -> RawTable:
    import numpy as np
    import pyarrow as pa

    while grid and all(v is None or (isinstance(v, str) and not v.strip()) for v in grid[-1]):
        grid.pop()
    if not grid:
        raise ObservationFileError(path, f"sheet {name!r} is empty")
    top = [[_text(v) for v in row] for row in grid[:_HEADER_SEARCH]]
    h = header_row([[c.strip() if isinstance(c, str) else c for c in row] for row in top], headers)
    header_cells = grid[h]
    width = len(header_cells)
    while width and header_cells[width - 1] in (None, ""):
        width -= 1
    header = [(_text(v) or "").strip() for v in header_cells[:width]]
    failures: list[tuple[int | None, str, Any, str]] = []
    for min_row, max_row, min_col, max_col in merged:
        if max_row <= h + 1 or min_col > width:  # a title above the header, or beside the table
            continue
        span = f"{_column_letter(min_col - 1)}{min_row}:{_column_letter(max_col - 1)}{max_row}"
        column = header[min_col - 1] if min_col - 1 < len(header) else _column_letter(min_col - 1)
        failures.append((min_row, column, span, "merged_cells"))
    lines: list[int] = []
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for r in range(h + 1, len(grid)):
        row = grid[r]
        cells = [_text(row[c], formats[r][c]) if c < len(row) else None for c in range(width)]
        if all(v is None or not v.strip() for v in cells) and not any(
            (r, c) in uncached for c in range(width)
        ):
            continue
        lines.append(r + 1)
        for c in range(width):
            if (r, c) in uncached:
                failures.append((r + 1, header[c], None, "formula_without_value"))
            columns[c].append(cells[c])
    return RawTable(
        path=path,
        header=header,
        header_line=h + 1,
        columns=[pa.array(col, type=pa.string()) for col in columns],
        lines=np.asarray(lines, dtype=np.int64),
        sheet=name,
        failures=failures,
    )
