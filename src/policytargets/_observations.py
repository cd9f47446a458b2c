"""Reading observation tables from files: CSV, TSV, Excel and parquet, as agencies send them.

An observation table is a long DataFrame with a key column (``target_id``, or
``indicator_id`` for values that apply to every target of an indicator),
``period`` (text such as ``"2022"`` or ``"2022-Q1"``), ``value`` (float, NaN
for "not available"), ``unit`` (text), optional ``numerator`` and
``denominator``, and any disaggregation columns (``region`` …).

:func:`read_observations` turns a file into that table: the readers of
``_observation_files`` give each file's cells as pyarrow arrays with their
file lines; here the header is mapped, a wide table is made long, numbers
and units are read (vectorised; ``cells``), periods and units are checked
once per distinct text, and every bad cell is reported at once with its
1-based file line. Checking a table against a plan is evaluation's first
step: ``prepare`` and :func:`~policytargets.validate_observations` live in
``_evaluation.prepare``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._errors import InvalidValueError, ObservationError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    from ._observation_files.columns import RawTable

__all__ = ["NUMERIC_COLUMNS", "read_observations", "to_float"]

#: The columns that hold numbers.
NUMERIC_COLUMNS = ("value", "numerator", "denominator")

_TEXT_FILES = (".csv", ".tsv", ".txt")
_WORKBOOKS = (".xlsx", ".xlsm", ".xls")
#: The file types read_observations reads.
SUFFIXES = (*_TEXT_FILES, *_WORKBOOKS, ".parquet")
_SHOWN = 20


def read_observations(
    path: str | os.PathLike[str],
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    categories: bool = False,
) -> pd.DataFrame:
    """Read an observation table from a CSV, TSV, Excel or parquet file.

    What agencies send is read as it is:

    * **encodings**: UTF-8 with or without a byte-order mark, GB18030/GBK
      (what Excel writes in zh-CN), Big5 and UTF-16 are detected
      (charset-normalizer) and the one read is in ``frame.attrs["encoding"]``;
    * **headers** in English or Chinese (指标/指标名称, 年份/时期, 数值/值,
      单位, 地区 …; the table is in the how-to "Read the files agencies
      send"), others through ``columns=``; note and title lines above the
      header are skipped;
    * **wide tables**, one column per period (``指标, 单位, 2021, 2022, 2023``),
      become long: one row per cell;
    * **values with their unit** (``99.5%``, ``1.18万``, ``7批次/千人``) are
      read with :func:`~policytargets.parse_quantity`, each distinct text
      once; thousands separators (``12,345``) and full-width digits too; an
      Excel cell formatted as a percentage is the percentage Excel shows;
    * ``—``, ``-``, ``/``, ``暂无``, ``NA``, ``N/A`` and empty cells are
      missing (NaN, the ``no_data`` status), never zero.

    The frame's index is each row's 1-based file line (the spreadsheet row;
    for parquet, the 1-based row), named ``line``, so that every failure,
    here and in :func:`~policytargets.validate_observations` and
    :func:`~policytargets.evaluate`, names the line to fix.

    Args:
        path: a ``.csv``, ``.tsv``, ``.txt``, ``.xlsx``, ``.xlsm``, ``.xls``
            or ``.parquet`` file.
        sheet: the sheet of a workbook, by name or 0-based number (default:
            the first).
        columns: header text → column name, for headers the reader does not
            know (``{"考核指标": "indicator_id"}``); applied first.
        encoding: the text encoding of a CSV/TSV (default: detected).
        delimiter: the field separator (default: a tab for ``.tsv``; else a
            comma, or the tab or semicolon under which a line names more of
            the known columns, below a title line too).
        categories: text columns (ids, periods, units, breakdowns) as pandas
            categoricals: less memory, and :func:`~policytargets.evaluate`
            uses their codes as they are.

    Raises:
        FileNotFoundError: the file does not exist.
        InvalidValueError: the file type is not one of the above.
        ObservationFileError: the file cannot be read at all (not a workbook,
            corrupt, truncated, password-protected, empty, undecodable, a
            malformed CSV line, a duplicated or empty header).
        ObservationError: cells are bad; ``failures`` lists every one with
            its line (``row``), header (``column``), text and reason:
            ``non_numeric_value``, ``bad_thousands_separator``,
            ``spreadsheet_error``, ``formula_without_value``,
            ``merged_cells``, ``unit_conflict``, ``unparsable_unit``,
            ``bad_period``, ``future_period``, ``non_finite_value``.
    """
    name = os.fspath(path)
    if not os.path.exists(name):
        raise FileNotFoundError(f"{name}: no such observation file")
    suffix = os.path.splitext(name)[1].lower()
    from ._observation_files.columns import fold

    user = columns if isinstance(columns, Mapping) else {}
    headers = {fold(k) for k in user if isinstance(k, str)}
    if suffix in _TEXT_FILES:
        from ._observation_files.columns import COLUMN_NAMES

        numeric = {fold(a) for c in NUMERIC_COLUMNS for a in COLUMN_NAMES[c]}
        numeric |= {fold(k) for k, v in (columns or {}).items() if v in NUMERIC_COLUMNS}
        from ._observation_files.columns import period_header
        from ._observation_files.delimited import read_delimited

        raw = read_delimited(
            name,
            delimiter=delimiter,
            encoding=encoding,
            numeric=lambda h: fold(h) in numeric or period_header(h) is not None,
            headers=headers,
        )
    elif suffix in _WORKBOOKS:
        from ._observation_files.excel import read_workbook

        raw = read_workbook(name, sheet=sheet, headers=headers)
    elif suffix == ".parquet":
        raw = _read_parquet(name)
    else:
        raise InvalidValueError(
            "read_observations(path)", f"a file ending in {', '.join(SUFFIXES)}", name
        )
    return _assemble(raw, columns, categories)


def _read_parquet(name: str) -> RawTable:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ._errors import ObservationFileError
    from ._observation_files.columns import RawTable
    from ._observation_files.delimited import chunked_columns, combined

    try:
        schema = pq.read_schema(name)
        # Text read as dictionaries straight from parquet's own: the texts are never
        # made one per row (a categorical column is one already).
        text = [
            field.name
            for field in schema
            if pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
        ]
        table = pq.read_table(name, read_dictionary=text)
    except Exception as exc:  # pyarrow's errors: not parquet, truncated…
        raise ObservationFileError(name, f"not a readable parquet file ({exc})") from None
    header = list(table.column_names)
    chunked = chunked_columns(table)
    del table
    return RawTable(path=name, header=header, header_line=0, columns=combined(chunked))


def _assemble(raw: RawTable, columns: Mapping[str, str] | None, categories: bool) -> pd.DataFrame:
    """From a file's cells to the observation frame, or every bad cell at once."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from ._errors import ObservationFileError
    from ._observation_files.cells import parse_numbers
    from ._observation_files.columns import map_header

    names, periods = map_header(raw, columns)
    bad = _Bad()
    bad.parts.extend(raw.failures)
    lines = raw.line_numbers()
    n = raw.n_rows
    header_of = dict(zip(names, raw.header, strict=True))
    arrays: dict[str, Any]
    values: npt.NDArray[np.float64] | None = None
    cell_units: npt.NDArray[np.object_] | None = None
    value_header: Any = header_of.get("value", "value")
    if periods:
        if "period" in names or "value" in names:
            raise ObservationFileError(
                raw.path,
                "period headers (2021, 2022 …) beside a period or value column: a table "
                "is long (period, value) or wide (one column per period), not both",
                line=raw.header_line,
            )
        k = len(periods)
        parsed = []
        for j in periods:
            numbers = parse_numbers(raw.columns[j], units=True)
            bad.cells(numbers.bad, raw.columns[j], lines, raw.header[j])
            parsed.append(numbers)
        rows = np.repeat(np.arange(n, dtype=np.int64), k)
        take = pa.array(rows)
        arrays = {
            name: raw.columns[i].take(take) for i, name in enumerate(names) if i not in periods
        }
        arrays["period"] = pa.array(np.tile(np.array(list(periods.values()), dtype=object), n))
        values = np.stack([p.values for p in parsed], axis=1).reshape(-1)
        if any(p.units is not None for p in parsed):
            empty = np.full(n, None, dtype=object)
            cell_units = np.stack(
                [p.units if p.units is not None else empty for p in parsed], axis=1
            ).reshape(-1)
        lines = lines[rows]
        value_header = np.tile(np.array([raw.header[j] for j in periods], dtype=object), n)
    else:
        arrays = dict(zip(names, raw.columns, strict=True))
        if "value" in arrays:
            numbers = parse_numbers(arrays["value"], units=True)
            bad.cells(numbers.bad, arrays["value"], lines, header_of["value"])
            values, cell_units = numbers.values, numbers.units
    for column in ("numerator", "denominator"):
        if column in arrays:
            numbers = parse_numbers(arrays[column], units=False)
            bad.cells(numbers.bad, arrays[column], lines, header_of[column])
            arrays[column] = numbers.values
            _check_infinite(bad, numbers.values, lines, header_of[column])
    for column, array in list(arrays.items()):
        if column not in NUMERIC_COLUMNS:
            arrays[column] = _text(array)
    if values is not None:
        arrays["value"] = values
        _check_infinite(bad, values, lines, value_header)
    if cell_units is not None:
        arrays["unit"] = _merge_units(
            bad, cell_units, arrays.get("unit"), lines, header_of.get("unit", "unit")
        )
    if "unit" in arrays:
        _check_units(bad, arrays["unit"], values, lines, header_of.get("unit", value_header))
    if "period" in arrays:
        _check_periods(bad, arrays["period"], lines, header_of.get("period", "period"))
    bad.raise_all(raw.path, "line" if raw.header_line > 0 else "row")

    for column, array in arrays.items():
        if isinstance(array, np.ndarray):
            array = pa.array(array)
        elif categories and (
            pa.types.is_string(array.type) or pa.types.is_large_string(array.type)
        ):
            array = array.dictionary_encode()
        elif not categories and pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        arrays[column] = array
    table = pa.table(arrays)
    del arrays
    frame: pd.DataFrame = table.to_pandas()
    del table
    label = "line" if raw.header_line > 0 else "row"
    if raw.lines is None and not periods:
        frame.index = pd.RangeIndex(raw.header_line + 1, raw.header_line + 1 + n, name=label)
    else:
        frame.index = pd.Index(lines, name=label)
    frame.attrs["source"] = raw.path
    if raw.encoding is not None:
        frame.attrs["encoding"] = raw.encoding
    if raw.sheet is not None:
        frame.attrs["sheet"] = raw.sheet
    return frame


def _text(array: Any) -> Any:
    """A text column: text as it is, trimmed; numbers (a parquet year) as their text.

    A dictionary column stays one: its distinct texts are trimmed, and texts
    that trimming makes equal share one entry.
    """
    import pyarrow as pa

    if pa.types.is_dictionary(array.type):
        texts = _plain_text(array.dictionary)
        unique = texts.dictionary_encode()
        indices = unique.indices.take(array.indices)
        return pa.DictionaryArray.from_arrays(indices, unique.dictionary)
    return _plain_text(array)


def _plain_text(array: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_null(array.type):
        return array.cast(pa.string())
    if pa.types.is_floating(array.type):
        # A whole number as its digits (110000, not 1.1e+05), where a float holds it exactly.
        whole = pc.fill_null(
            pc.and_(pc.equal(pc.floor(array), array), pc.less(pc.abs(array), 2.0**53)), False
        )
        if pc.any(whole).as_py():
            digits = pc.cast(pc.cast(pc.if_else(whole, array, 0.0), pa.int64()), pa.string())
            array = pc.if_else(whole, digits, pc.cast(array, pa.string()))
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = pc.cast(array, pa.string())
    return pc.utf8_trim_whitespace(array)


def _distinct(array: Any) -> list[Any]:
    """The distinct texts of a text column (a dictionary's own, used or not), ``None`` too."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(array.type):
        return [*array.dictionary.to_pylist(), *([None] if array.null_count else [])]
    return list(pc.unique(array).to_pylist())


def _by_value(array: Any, test: Any) -> npt.NDArray[np.bool_]:
    """``test`` (text array → boolean array, nulls included) of each row of a text column.

    A dictionary column is tested once per distinct text.
    """
    import numpy as np
    import pyarrow as pa

    if not pa.types.is_dictionary(array.type):
        return np.asarray(test(array).to_numpy(zero_copy_only=False), dtype=bool)
    values = pa.concat_arrays([array.dictionary, pa.nulls(1, array.dictionary.type)])
    verdicts = np.asarray(test(values).to_numpy(zero_copy_only=False), dtype=bool)
    codes = array.indices.fill_null(len(values) - 1).to_numpy()
    out: npt.NDArray[np.bool_] = verdicts[codes]
    return out


def _member_of(value_set: Any) -> Any:
    """A test for :func:`_by_value`: whether each text is one of ``value_set``."""
    import pyarrow.compute as pc

    return lambda array: pc.fill_null(pc.is_in(array, value_set=value_set), False)


def _check_infinite(bad: _Bad, values: Any, lines: Any, header: Any) -> None:
    import numpy as np

    if len(values) and (np.fmax.reduce(values) == np.inf or np.fmin.reduce(values) == -np.inf):
        positions = np.flatnonzero(np.isinf(values))
        bad.rows(lines[positions], _pick(header, positions), values[positions], "non_finite_value")


def _pick(header: Any, positions: Any) -> Any:
    """The column header of each row at ``positions`` (wide tables: the period's column)."""
    if isinstance(header, str):
        return header
    return list(header[positions])


def _merge_units(bad: _Bad, cell_units: Any, column: Any, lines: Any, header: str) -> Any:
    """The unit of each row: written in the value cell, or else the unit column's.

    A cell's unit and the unit column must agree (the same unit; or the column
    says ``1`` and the cell a percentage, as Excel shows a fraction); else the
    row is refused (``unit_conflict``).
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from ._units import parse_unit

    has = ~pd.isna(cell_units)
    if column is None:
        return pa.array(cell_units, type=pa.string())
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    given = np.asarray(column.to_numpy(zero_copy_only=False), dtype=object)
    positions = np.flatnonzero(has)
    verdicts: dict[tuple[str, Any], bool] = {}
    conflict = np.zeros(len(positions), dtype=bool)
    for i, (cell, stated) in enumerate(zip(cell_units[positions], given[positions], strict=True)):
        key = (cell, stated)
        if key not in verdicts:
            verdicts[key] = _units_agree(cell, stated, parse_unit)
        conflict[i] = not verdicts[key]
    if conflict.any():
        rows = positions[conflict]
        texts = [
            f"{c} (unit column: {s})" for c, s in zip(cell_units[rows], given[rows], strict=True)
        ]
        bad.rows(lines[rows], header, texts, "unit_conflict")
    merged = np.where(has, cell_units, given)
    return pa.array(merged, type=pa.string())


def _units_agree(cell: str, stated: Any, parse_unit: Any) -> bool:
    from ._errors import PolicyTargetsError

    if stated is None or not str(stated).strip():
        return True
    stated = str(stated).strip()
    if stated == cell:
        return True
    try:
        mine, theirs = parse_unit(cell), parse_unit(stated)
    except PolicyTargetsError:
        return False
    if mine == theirs:
        return True
    # The column says "1" (a fraction) and the cell shows it as a percentage.
    return format(theirs, "D") == "dimensionless" and format(mine, "D") in ("percent", "permille")


def _check_units(bad: _Bad, units: Any, values: Any, lines: Any, header: Any) -> None:
    """Each distinct unit is parsed once; a missing unit is only fine on a missing value."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from ._errors import PolicyTargetsError
    from ._units import parse_unit

    wrong = []
    for text in _distinct(units):
        if text is None or not text:
            continue
        try:
            parse_unit(text)
        except PolicyTargetsError:
            wrong.append(text)
    mask = np.zeros(len(units), dtype=bool)
    if wrong:
        mask |= _by_value(units, _member_of(pa.array(wrong, pa.string())))
    if values is not None:
        absent = _by_value(units, lambda a: pc.fill_null(pc.equal(a, ""), True))
        mask |= absent & ~np.isnan(values)
    if mask.any():
        positions = np.flatnonzero(mask)
        texts = units.take(pa.array(positions)).to_pylist()
        bad.rows(lines[positions], _pick(header, positions), texts, "unparsable_unit")


def _check_periods(bad: _Bad, periods: Any, lines: Any, header: str) -> None:
    """Each distinct period is read once: unreadable ones, and ones that have not begun, are bad."""
    import datetime

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from ._periods import Period

    today = datetime.date.today()
    reasons: dict[str, list[Any]] = {"bad_period": [], "future_period": []}
    for text in _distinct(periods):
        if text is None or not text:
            reasons["bad_period"].append(text)
            continue
        try:
            period = Period.parse(text)
        except InvalidValueError:
            reasons["bad_period"].append(text)
            continue
        if period.start > today:
            # A measured value of a period that has not begun: a typo'd year.
            reasons["future_period"].append(text)
    for reason, texts in reasons.items():
        if not texts:
            continue
        named = pa.array([t for t in texts if t], pa.string())
        mask = np.zeros(len(periods), dtype=bool)
        if len(named):
            mask |= _by_value(periods, _member_of(named))
        if len(named) < len(texts):
            mask |= _by_value(periods, lambda a: pc.fill_null(pc.equal(a, ""), True))
        positions = np.flatnonzero(mask)
        bad.rows(lines[positions], header, periods.take(pa.array(positions)).to_pylist(), reason)


class _Bad:
    """Every bad cell of a file, gathered, then raised at once, ordered by line."""

    def __init__(self) -> None:
        self.parts: list[tuple[Any, Any, Any, str]] = []

    def cells(self, found: list[tuple[Any, str]], array: Any, lines: Any, header: str) -> None:
        """Failures ``(positions, reason)`` in a column of cells."""
        import pyarrow as pa

        for positions, reason in found:
            texts = array.take(pa.array(positions)).to_pylist()
            self.rows(lines[positions], header, texts, reason)

    def rows(self, lines: Any, columns: Any, values: Any, reason: str) -> None:
        """Failures at rows with these lines (one header for all, or one per row)."""
        lines = [int(x) for x in lines]
        if isinstance(columns, str):
            columns = [columns] * len(lines)
        for line, column, value in zip(lines, columns, values, strict=True):
            self.parts.append((line, column, _plain(value), reason))

    def raise_all(self, path: str, label: str) -> None:
        if not self.parts:
            return
        import pandas as pd

        from ._failures import FAILURE_COLUMNS, failure_message

        parts = sorted(self.parts, key=lambda p: -1 if p[0] is None else p[0])
        table = pd.DataFrame(
            {
                c: pd.Series([p[i] for p in parts], dtype=object)
                for i, c in enumerate(FAILURE_COLUMNS)
            }
        )
        table.attrs["label"] = label
        raise ObservationError(failure_message(table, "cells", path), table)


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return value


def to_float(column: pd.Series[Any]) -> tuple[pd.Series[Any], npt.NDArray[np.bool_]]:
    """A column as float64, and which non-missing cells are not numbers."""
    import numpy as np
    import pandas as pd

    if column.dtype == np.float64:  # as it is: no astype (a tenth of a ms on a first call)
        return column, np.zeros(len(column), dtype=bool)
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
        if "_" in value:  # float() reads 97_0 as 970; a file's cell is refused, so is this
            return None
        if "," in value:
            from ._numerals import parse_number

            # A comma only between groups of three digits: "96,8" is no number (not 968).
            return parse_number(value)
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None
