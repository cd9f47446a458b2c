"""Reading observation tables from files.

An observation table is a long DataFrame with a key column (``target_id``, or
``indicator_id`` for values that apply to every target of an indicator),
``period`` (text such as ``"2022"`` or ``"2022-Q1"``), ``value`` (float, NaN
for "not available"), ``unit`` (text), optional ``numerator`` and
``denominator``, and any disaggregation columns (``region`` …).

Checking a table against a plan is evaluation's first step: ``prepare`` and
:func:`~policytargets.validate_observations` live in ``_evaluation.prepare``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ._errors import InvalidValueError, ObservationError
from ._failures import concat_failures, failure_cases

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

__all__ = ["NUMERIC_COLUMNS", "read_observations", "to_float"]

#: The columns that hold numbers.
NUMERIC_COLUMNS = ("value", "numerator", "denominator")


def read_observations(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read an observation table from a CSV or Excel (``.xlsx``) file.

    Text columns stay text (``"2022"`` is a period, not a number; ``"0101"``
    keeps its zero); ``value``, ``numerator`` and ``denominator`` are read as
    float64, empty cells as NaN (missing, which :func:`evaluate` reports as
    ``no_data``). A CSV file may open with comment lines starting with ``#``
    (a note on where the figures come from); they are skipped.

    Raises:
        FileNotFoundError: the file does not exist.
        InvalidValueError: the file type is not CSV or xlsx.
        ObservationError: a numeric column holds text (``failures`` lists
            every such cell, naming the column).
    """
    import pandas as pd

    name = os.fspath(path)
    if not os.path.exists(name):
        raise FileNotFoundError(f"{name}: no such observation file")
    suffix = os.path.splitext(name)[1].lower()
    if suffix in (".csv", ".txt"):
        frame = pd.read_csv(
            name,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skiprows=_leading_comments(name),
        )
    elif suffix in (".xlsx", ".xlsm"):
        frame = pd.read_excel(name, dtype=object, engine="openpyxl")
        frame = frame.astype(object).where(frame.notna(), None)
        for column in frame.columns:
            if column not in NUMERIC_COLUMNS:
                frame[column] = frame[column].map(_cell_text, na_action="ignore")
    else:
        raise InvalidValueError("read_observations(path)", "a .csv or .xlsx file", name)
    frame.columns = [str(c).strip() for c in frame.columns]
    failures = []
    for column in NUMERIC_COLUMNS:
        if column in frame.columns:
            numbers, bad = to_float(frame[column])
            if bad.any():
                failures.append(
                    failure_cases(
                        frame.index[bad], column, frame.loc[bad, column], "non_numeric_value"
                    )
                )
            frame[column] = numbers
    if failures:
        table = concat_failures(failures)
        raise ObservationError(
            f"{name}: {len(table)} cell(s) are not numbers in column(s) "
            f"{', '.join(sorted(set(table['column'])))}",
            table,
        )
    return frame


def _leading_comments(name: str) -> int:
    # Only the lines before the header: a '#' inside the data (an id, a
    # source note) is data, so pandas' comment= option would be wrong here.
    count = 0
    with open(name, encoding="utf-8-sig") as lines:
        for line in lines:
            if not line.startswith("#"):
                break
            count += 1
    return count


def _cell_text(value: Any) -> str:
    # Excel stores 2022 as a number; a period or id is text, so write it back
    # without a trailing ".0".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_float(column: pd.Series[Any]) -> tuple[pd.Series[Any], npt.NDArray[np.bool_]]:
    """A column as float64, and which non-missing cells are not numbers."""
    import numpy as np
    import pandas as pd

    if pd.api.types.is_bool_dtype(column.dtype):
        return column.astype("float64"), np.asarray(column.notna())
    if pd.api.types.is_numeric_dtype(column.dtype):
        # float64 stays as it is (no copy); integers become float64.
        return column.astype("float64"), np.zeros(len(column), dtype=bool)
    present = np.asarray(column.notna())
    converted = pd.to_numeric(
        column.map(_number_or_none, na_action="ignore"), errors="coerce"
    ).astype("float64")
    bad = present & np.asarray(converted.isna())
    return converted.where(~bad, np.nan), bad


def _number_or_none(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        if "," in value:
            from ._numerals import parse_number

            # A comma only between groups of three digits: "96,8" is no number (not 968).
            return parse_number(value)
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None
