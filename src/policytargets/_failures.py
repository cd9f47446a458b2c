"""Failure cases: the table of every bad row that ``ObservationError`` carries.

One row per problem, pandera style, with the columns :data:`FAILURE_COLUMNS`.
Shared by the file readers and by the checks evaluation starts with.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ._errors import ObservationError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

__all__ = ["FAILURE_COLUMNS", "concat_failures", "failure_cases", "failure_table", "raise_failures"]

#: The columns of ``ObservationError.failures``.
FAILURE_COLUMNS: tuple[str, ...] = ("row", "column", "value", "reason")


def failure_cases(
    rows: Iterable[Any], column: str, values: Iterable[Any], reason: str
) -> pd.DataFrame:
    import pandas as pd

    rows = list(rows)
    values = [_plain(v) for v in values]
    # An empty ``column`` means "the value is the column's name" (missing_column).
    columns = [str(v) for v in values] if not column else [column] * len(rows)
    if not column:
        values = [None] * len(rows)
    return pd.DataFrame(
        {
            "row": pd.Series(rows, dtype=object),
            "column": pd.Series(columns, dtype=object),
            "value": pd.Series(values, dtype=object),
            "reason": pd.Series([reason] * len(rows), dtype=object),
        },
        columns=list(FAILURE_COLUMNS),
    )


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return value


def concat_failures(parts: list[pd.DataFrame]) -> pd.DataFrame:
    import pandas as pd

    table = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=list(FAILURE_COLUMNS))
    )
    return table.reset_index(drop=True)


def failure_table(
    frame: pd.DataFrame, positions: npt.NDArray[np.intp], column: str, reason: str
) -> pd.DataFrame:
    """Failure cases for rows at ``positions`` of ``frame`` (values read from ``column``)."""
    values = frame[column].iloc[positions] if column in frame.columns else [None] * len(positions)
    return failure_cases(frame.index[positions], column, values, reason)


def raise_failures(failures: list[pd.DataFrame], what: str = "observations") -> None:
    """Raise ObservationError listing every failure, if there are any."""
    if not failures:
        return
    table = concat_failures(failures)
    counts = table["reason"].value_counts()
    summary = ", ".join(f"{n} {reason}" for reason, n in counts.items())
    first = table.iloc[0]
    where = "" if first["row"] is None else f"row {first['row']!r}, "
    raise ObservationError(
        f"{len(table)} bad {what} ({summary}); first: {where}column {first['column']!r}, "
        f"value {first['value']!r}: {first['reason']}; see .failures for all",
        table,
    )
