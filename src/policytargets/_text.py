"""Plain-text tables for terminals: CJK-aware alignment, fitted to a width by wrapping.

One style for every table the library prints (``show``, ``evaluate``'s table
format, the example report): a header, a rule of dashes, columns two spaces
apart, numbers right-aligned. Chinese characters take two terminal columns.
Given a width, the widest text columns are narrowed and their cells wrapped
(at a space, a comma or 、 where there is one) until the table fits.
"""

from __future__ import annotations

import contextlib
import math
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["text_table"]

_GAP = "  "
#: A column is never narrowed below this (or below its natural width).
_MIN_WIDTH = 8
_BREAKS = " ,、，;；/-"


def text_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - text_width(text))
    return fill + text if right else text + fill


def cell_text(value: Any, joiner: str = "、") -> str:
    """A value as table text: missing as empty, floats to 6 significant digits."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return format(value, ".6g")
    if isinstance(value, list | tuple):
        return joiner.join(str(v) for v in value)
    if isinstance(value, str):  # text is never missing; no pandas needed to say so
        return value
    with contextlib.suppress(TypeError, ValueError):
        import pandas as pd

        if pd.isna(value):
            return ""
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


#: A table without pandas: column names and rows of values (``show`` imports no pandas).
Records = tuple[list[str], list[list[Any]]]


def table_rows(frame: pd.DataFrame | Records) -> tuple[list[str], list[list[str]], list[bool]]:
    """Column names, rows of cell texts, and which columns are numeric."""
    if isinstance(frame, tuple):
        columns, records = [str(c) for c in frame[0]], frame[1]
    else:
        columns = [str(c) for c in frame.columns]
        records = frame.astype(object).to_numpy().tolist()
    numeric = [
        all(_is_number(r[i]) or cell_text(r[i]) == "" for r in records) and bool(records)
        for i in range(len(columns))
    ]
    return columns, [[cell_text(v) for v in r] for r in records], numeric


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken after a space, comma, 、 or -."""
    lines: list[str] = []
    line = ""
    for char in text:
        if not line and char == " ":
            continue  # no line starts with a space
        if text_width(line + char) > width:
            cut = max((line.rfind(b) for b in _BREAKS), default=-1)
            if cut > 0:
                lines.append(line[: cut + 1].rstrip())
                line = line[cut + 1 :].lstrip()
            else:
                lines.append(line)
                line = ""
            if not line and char == " ":
                continue
        line += char
    lines.append(line)
    return lines


def _fit(natural: list[int], minimum: list[int], width: int) -> list[int]:
    widths = list(natural)
    total = sum(widths) + len(_GAP) * (len(widths) - 1)
    while total > width:
        candidates = [i for i, w in enumerate(widths) if w > minimum[i]]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: widths[i])
        widths[widest] -= 1
        total -= 1
    return widths


def text_table(
    frame: pd.DataFrame | tuple[list[str], list[list[Any]]], *, width: int | None = None
) -> str:
    """A DataFrame as an aligned plain-text table, Chinese-aware, optionally fitted to a width.

    Numbers are right-aligned, missing values empty. Chinese characters take
    two terminal columns, which pandas' own ``to_string`` does not count.

    Args:
        frame: the table.
        width: the most columns a line may take (e.g. 100 for a 100-column
            terminal). The widest text columns are narrowed, and their cells
            wrapped onto several lines, until the table fits; numeric columns
            and headers are never cut. ``None``: no limit.

    Returns:
        The table, one line per row (more for wrapped rows), ending in a newline.
    """
    columns, rows, numeric = table_rows(frame)
    natural = [
        max([text_width(c)] + [text_width(r[i]) for r in rows]) for i, c in enumerate(columns)
    ]
    if width is None:
        widths = natural
    else:
        minimum = [
            n if numeric[i] else min(n, max(_MIN_WIDTH, text_width(columns[i])))
            for i, n in enumerate(natural)
        ]
        widths = _fit(natural, minimum, width)
    lines = [_GAP.join(_pad(c, w, False) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append(_GAP.join("-" * w for w in widths))
    for row in rows:
        cells = [wrap(v, w) if text_width(v) > w else [v] for v, w in zip(row, widths, strict=True)]
        for k in range(max(len(c) for c in cells) if cells else 0):
            parts = (
                _pad(c[k] if k < len(c) else "", w, n)
                for c, w, n in zip(cells, widths, numeric, strict=True)
            )
            lines.append(_GAP.join(parts).rstrip())
    return "\n".join(lines) + "\n"
