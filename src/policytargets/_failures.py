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

__all__ = [
    "FAILURE_COLUMNS",
    "concat_failures",
    "describe_failures",
    "failure_cases",
    "failure_message",
    "failure_table",
    "raise_failures",
]

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
    """Failure cases for rows at ``positions`` of ``frame`` (values read from ``column``).

    A frame read by :func:`~policytargets.read_observations` is indexed by file
    line (an index named ``line``): its failures then name lines, not rows.
    """
    values = frame[column].iloc[positions] if column in frame.columns else [None] * len(positions)
    table = failure_cases(frame.index[positions], column, values, reason)
    table.attrs["label"] = "line" if frame.index.name == "line" else "row"
    # Wrapped: pandas compares attrs when it concatenates, and an array has no truth value.
    table.attrs["positions"] = RowPositions(positions)
    return table


class RowPositions:
    """The positions in the observation frame of the rows a failure table names."""

    __slots__ = ("array",)

    def __init__(self, array: npt.NDArray[np.intp]) -> None:
        self.array = array


def describe_failures(table: pd.DataFrame, limit: int | None = None) -> list[str]:
    """One line of text per failure (the first ``limit`` of them, if given).

    Lines read ``line 7, column '数值', value 'lots': non_numeric_value`` (or
    ``row 6, …`` for a frame that was not read from a file).
    """
    label = table.attrs.get("label", "row")
    shown = table if limit is None else table.iloc[:limit]
    texts = []
    for row, column, value, reason in shown.itertuples(index=False, name=None):
        where = "" if row is None else f"{label} {row}, "
        what = "" if value is None else f", value {value!r}"
        texts.append(f"{where}column {column!r}{what}: {reason}")
    return texts


def failure_message(table: pd.DataFrame, what: str, where: str = "", shown: int = 3) -> str:
    """``where: N bad what (counts by reason): the first few; and M more``."""
    counts = table["reason"].value_counts(sort=False)
    summary = ", ".join(f"{n} {reason}" for reason, n in counts.items())
    n = len(table)
    listed = "; ".join(describe_failures(table, shown))
    more = f"; and {n - shown} more in .failures" if n > shown else ""
    prefix = f"{where}: " if where else ""
    return f"{prefix}{n} bad {what} ({summary}): {listed}{more}"


def raise_failures(failures: list[pd.DataFrame], what: str = "observations") -> None:
    """Raise ObservationError listing every failure, if there are any."""
    # A check of distinct values may find a bad one that no row has (a category unused).
    failures = [part for part in failures if len(part)]
    if not failures:
        return
    table = concat_failures(failures)
    labels = {part.attrs.get("label", "row") for part in failures}
    table.attrs = {"label": "line" if labels == {"line"} else "row"}
    raise ObservationError(failure_message(table, what), table)
