"""Header names as agencies write them, the raw table every reader returns, and wide form.

:data:`COLUMN_NAMES` maps the headers the reader recognises (English and
Chinese, compared after trimming, NFKC normalisation and case folding) to the
library's column names; a ``columns=`` mapping given by the caller is applied
first and may add any other header. Headers nobody maps are kept as they are
(breakdowns for ``by=``, notes).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._errors import InvalidValueError, ObservationFileError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["COLUMN_NAMES", "RawTable", "header_row", "map_header"]

#: Column names the reader recognises, by the library's name.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "target_id": ("target_id", "target", "目标", "目标编号", "目标id"),
    "indicator_id": (
        "indicator_id",
        "indicator",
        "指标",
        "指标名称",
        "指标编号",
        "指标id",
        "指标代码",
    ),
    "period": ("period", "年份", "年度", "时期", "期间", "统计时期", "报告期", "时间", "期别"),
    "value": ("value", "数值", "值", "指标值", "完成值", "实际值", "实绩"),
    "unit": ("unit", "单位", "计量单位"),
    "region": ("region", "地区", "区域", "区镇", "地区名称", "行政区划"),
    "numerator": ("numerator", "分子"),
    "denominator": ("denominator", "分母"),
    "source": ("source", "来源", "数据来源"),
}

_ALIASES = {
    unicodedata.normalize("NFKC", alias).casefold(): name
    for name, aliases in COLUMN_NAMES.items()
    for alias in aliases
}
# A header that looks like a year but is none (20222, 2O22年) is a typo, not a note.
_YEARISH = re.compile(r"^\s*[12]\d{3,}\s*年?\s*$")


def fold(text: str) -> str:
    """A header as compared: trimmed, NFKC-normalised (full-width to ASCII), case-folded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


@dataclass
class RawTable:
    """A file's cells before they are observations.

    Attributes:
        path: the file.
        header: the header cells as written (trimmed).
        header_line: the header's 1-based line (or spreadsheet row).
        columns: one pyarrow array per header cell: text, or numbers.
        lines: the 1-based line of each row, or ``None`` when rows follow the
            header line by line (the usual file: no blank lines).
        encoding: the text encoding read (CSV), if any.
        sheet: the sheet read (spreadsheets), if any.
        failures: ``(line, column, value, reason)`` found while reading.
    """

    path: str
    header: list[str]
    header_line: int
    columns: list[Any]
    lines: npt.NDArray[np.int64] | None = None
    encoding: str | None = None
    sheet: str | None = None
    failures: list[tuple[int | None, str, Any, str]] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        """How many data rows the table has."""
        return len(self.columns[0]) if self.columns else 0

    def line_numbers(self) -> npt.NDArray[np.int64]:
        """The 1-based line of every row."""
        import numpy as np

        if self.lines is not None:
            return self.lines
        return np.arange(self.header_line + 1, self.header_line + 1 + self.n_rows, dtype=np.int64)


def is_known_header(cell: Any) -> bool:
    """Whether a cell is one of the recognised column names."""
    return isinstance(cell, str) and fold(cell) in _ALIASES


def known_headers(row: list[Any], headers: Collection[str] = ()) -> int:
    """How many cells of a row are recognised column names (or ``headers``, folded)."""
    return sum(
        1
        for cell in row
        if is_known_header(cell) or (isinstance(cell, str) and fold(cell) in headers)
    )


def header_row(rows: list[list[Any]], headers: Collection[str] = ()) -> int:
    """The index of the header among a file's first rows.

    Title and note rows often come first (``表1 2022年质量指标完成情况``): the
    header is the first row naming at least two recognised columns (or
    ``headers``, the caller's own, folded), or one and two periods (a wide
    table: ``指标, 2021, 2022``); else the first row that is not empty.
    """

    def named(cell: Any) -> bool:
        return is_known_header(cell) or (isinstance(cell, str) and fold(cell) in headers)

    for i, row in enumerate(rows):
        known = known_headers(row, headers)
        if known >= 2:
            return i
        if known == 1:
            periods = sum(
                1 for c in row if isinstance(c, str) and not named(c) and period_header(c)
            )
            if periods >= 2:
                return i
    for i, row in enumerate(rows):
        if any(cell not in (None, "") for cell in row):
            return i
    return 0


def period_header(cell: str) -> str | None:
    """The period a header names (``2022``, ``2022年``, ``2022-Q1``), canonical; else None."""
    from .._periods import Period

    text = unicodedata.normalize("NFKC", cell).strip()
    for candidate in (text, text.removesuffix("年")):
        try:
            return str(Period.parse(candidate))  # written back in the canonical form
        except InvalidValueError:
            continue
    return None


def map_header(
    table: RawTable, columns: Mapping[str, str] | None
) -> tuple[list[str], dict[int, str]]:
    """The library's name for each header cell, and the header cells that are periods.

    Period headers (``2021, 2022, 2023``) make the table wide: one value
    column per period.

    Raises:
        ObservationFileError: two header cells name one column, a header is
            empty, or a year-like header is no period.
        InvalidValueError: ``columns`` is not a mapping of text to text.
    """
    user: dict[str, str] = {}
    if columns is not None:
        if not isinstance(columns, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
        ):
            raise InvalidValueError(
                "read_observations(columns=)", "a mapping of header text to column name", columns
            )
        user = {fold(k): v for k, v in columns.items()}
    names: list[str] = []
    periods: dict[int, str] = {}
    problems: list[str] = []
    for i, cell in enumerate(table.header):
        key = fold(cell)
        if not key:
            problems.append(f"column {i + 1} has no header")
            names.append("")
            continue
        name = user.get(key) or _ALIASES.get(key)
        if name is None:
            period = period_header(cell)
            if period is not None:
                periods[i] = period
            elif _YEARISH.match(cell):
                problems.append(f"header {cell!r} looks like a year but is no period")
            name = cell.strip()
        names.append(name)
    seen: dict[str, str] = {}
    for cell, name in zip(table.header, names, strict=True):
        if not name:
            continue
        if name in seen:
            problems.append(f"headers {seen[name]!r} and {cell!r} both give column {name!r}")
        else:
            seen[name] = cell
    if problems:
        raise ObservationFileError(
            table.path, "; ".join(problems), line=table.header_line
        ) from None
    return names, periods
