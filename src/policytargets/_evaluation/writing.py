"""Writing :func:`~policytargets.evaluate`'s result to CSV, parquet or JSON.

Chunk by chunk through pyarrow, so the written text never lives in memory
whole and no Python runs per cell:

* CSV: numbers rounded to 12 significant digits (``97.12``, not
  ``97.11999999999999``; the noise of unit conversion and subtraction sits
  in the last digits), missing numbers as empty cells, the dimensionless
  unit as ``1`` (an empty cell reads back as a missing unit), and text cells
  that a spreadsheet would take for a formula (starting with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return) prefixed with ``'``, as OWASP
  recommends against CSV injection; an optional byte order mark for Excel.
* parquet: every column as it is (categorical text as dictionary columns),
  so ``pandas.read_parquet`` gives back an equal frame.
"""

from __future__ import annotations

import collections
import contextlib
import os
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any, TypeVar

from .._errors import InvalidValueError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["FORMATS", "neutralise", "write_results"]

T = TypeVar("T")

#: Formats :func:`write_results` writes, by file suffix.
FORMATS: dict[str, str] = {".csv": "csv", ".parquet": "parquet", ".json": "json"}

#: Rows converted to arrow and written at a time.
CHUNK_ROWS = 1 << 16

#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
_FORMULA_START = "^[=+\\-@\t\r]"

#: Columns holding a unit, whose dimensionless "" is written as "1" in text formats.
_UNIT_COLUMNS = ("unit", "margin_unit")

#: Significant digits kept in text formats.
_DIGITS = 12


def write_results(
    result: pd.DataFrame,
    path: str | os.PathLike[str] | IO[bytes],
    *,
    format: str | None = None,
    bom: bool = False,
) -> None:
    """Write an :func:`~policytargets.evaluate` result (or any frame) to CSV, parquet or JSON.

    Written chunk by chunk with pyarrow: fast, and the whole output never
    lives in memory at once.

    Args:
        result: the frame to write.
        path: a file path, or a binary file object (then ``format`` is needed).
        format: ``"csv"``, ``"parquet"`` or ``"json"`` (JSON records, one
            array); by default from the path's suffix.
        bom: begin a CSV file with a UTF-8 byte order mark, which Excel needs
            to read Chinese text correctly.

    In CSV, numbers keep 12 significant digits (no ``97.11999999999999``),
    the dimensionless unit is written ``1`` rather than an empty cell (which
    would read back as a missing unit), and text cells beginning with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return get a leading ``'`` so
    that a spreadsheet shows them as text instead of running them as
    formulas. Parquet keeps every value and type exactly:
    ``pandas.read_parquet`` gives back an equal frame.

    Raises:
        InvalidValueError: an unknown format, or none given or implied.
    """
    fmt = format
    if fmt is None:
        if isinstance(path, str | os.PathLike):
            fmt = FORMATS.get(os.path.splitext(os.fspath(path))[1].lower())
        if fmt is None:
            raise InvalidValueError(
                "write_results(format=)", "csv, parquet or json (or a path ending so)", path
            )
    if fmt not in FORMATS.values():
        raise InvalidValueError("write_results(format=)", "csv, parquet or json", fmt)
    if fmt == "csv":
        _write_csv(result, path, bom=bom)
    elif fmt == "parquet":
        _write_parquet(result, path)
    else:
        _write_json(result, path)


def neutralise(array: pa.Array) -> pa.Array:
    """Text that a spreadsheet would run as a formula, prefixed with ``'`` (OWASP)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return array
    risky = pc.match_substring_regex(array, _FORMULA_START)
    if not pc.any(risky).as_py():
        return array
    return pc.if_else(risky, pc.binary_join_element_wise("'", array, ""), array)


def _rounded(values: Any) -> Any:
    """Floats rounded to 12 (or 13) significant digits; NaN, infinities and extremes as they are."""
    import numpy as np

    values = np.asarray(values, dtype=np.float64)
    with np.errstate(all="ignore"):
        _, exponent = np.frexp(values)
        # |x| >= 2**(exponent - 1), so this is floor(log10|x|) or one less:
        # 12 or 13 significant digits are kept (the noise is in the 16th and 17th).
        k = (_DIGITS - 1) - np.floor((exponent - 1) * 0.3010299956639812).astype(np.int64)
        ok = (k >= 0) & (k <= 22)  # exact powers of ten; |x| >= 1e12 or tiny: as they are
        scale = np.asarray(_POWERS)[np.clip(k, 0, 22)]
        out = values * scale
        np.rint(out, out=out)
        out /= scale
    np.copyto(out, values, where=~ok)
    return out


_POWERS = tuple(10.0**k for k in range(23))


def _text_columns(frame: pd.DataFrame, *, csv: bool) -> dict[str, Any]:
    """Per categorical column: its categories as an arrow string array, made safe for text."""
    import pandas as pd
    import pyarrow as pa

    out: dict[str, Any] = {}
    for name in frame.columns:
        dtype = frame[name].dtype
        if not isinstance(dtype, pd.CategoricalDtype):
            continue
        categories = pa.array([str(c) for c in dtype.categories], type=pa.string())
        if csv:
            if name in _UNIT_COLUMNS:
                categories = pa.array([c or "1" for c in categories.to_pylist()], pa.string())
            categories = neutralise(categories)
        out[str(name)] = categories
    return out


def _arrow_chunk(frame: pd.DataFrame, s: slice, dictionaries: dict[str, Any]) -> pa.Table:
    """Rows ``s`` as an arrow table for CSV: no Python per cell."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    arrays = []
    for name in frame.columns:
        column = frame[name]
        if str(name) in dictionaries:
            codes = np.asarray(column.array.codes[s])
            mask = codes < 0
            indices = pa.array(codes, mask=mask if mask.any() else None)
            arrays.append(pa.DictionaryArray.from_arrays(indices, dictionaries[str(name)]))
        elif pd.api.types.is_float_dtype(column.dtype):
            values = _rounded(column.to_numpy(dtype=np.float64)[s])
            nan = np.isnan(values)
            arrays.append(pa.array(values, mask=nan if nan.any() else None))
        elif pd.api.types.is_bool_dtype(column.dtype) or pd.api.types.is_integer_dtype(
            column.dtype
        ):
            arrays.append(pa.array(column.to_numpy()[s]))
        else:
            values = column.array[s]
            try:  # str columns are arrow arrays already: no copy
                text = pa.array(values, from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed objects
                text = pa.array([None if v is None else str(v) for v in values], pa.string())
            if not pa.types.is_string(text.type):
                text = text.cast(pa.string())
            if str(name) in _UNIT_COLUMNS:
                import pyarrow.compute as pc

                text = pc.if_else(pc.equal(text, ""), "1", text)
            arrays.append(neutralise(text))
    return pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])


def _chunks(n: int) -> list[slice]:
    return [slice(i, min(i + CHUNK_ROWS, n)) for i in range(0, n, CHUNK_ROWS)] or [slice(0, 0)]


def _write_csv(frame: pd.DataFrame, path: Any, *, bom: bool) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    dictionaries = _text_columns(frame, csv=True)

    def render(chunk: tuple[int, slice]) -> Any:
        i, s = chunk
        buffer = pa.BufferOutputStream()
        options = pacsv.WriteOptions(include_header=i == 0)
        pacsv.write_csv(_arrow_chunk(frame, s, dictionaries), buffer, options)
        return buffer.getvalue()

    with _binary(path) as sink:
        if bom:
            sink.write(b"\xef\xbb\xbf")
        for data in _in_order(render, list(enumerate(_chunks(len(frame))))):
            sink.write(data)


@contextlib.contextmanager
def _binary(path: Any) -> Iterator[IO[bytes]]:
    if isinstance(path, str | os.PathLike):
        with open(path, "wb") as handle:
            yield handle
    else:
        yield path


def _in_order(work: Callable[[T], Any], items: list[T]) -> Iterator[Any]:
    """``work`` over ``items`` on two threads, results in order, at most three pending."""
    from concurrent.futures import Future, ThreadPoolExecutor

    if len(items) < 2:
        yield from map(work, items)
        return
    pending: collections.deque[Future[Any]] = collections.deque()
    with ThreadPoolExecutor(2) as pool:
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) >= 3:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _write_parquet(frame: pd.DataFrame, path: Any) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = _dense(frame)
    writer = None
    try:
        for s in _chunks(len(frame)):
            table = pa.Table.from_pandas(frame.iloc[s], preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def _dense(frame: pd.DataFrame) -> pd.DataFrame:
    """Sparse columns (which pyarrow refuses) as dense ones; others untouched."""
    import pandas as pd

    sparse = [c for c in frame.columns if isinstance(frame[c].dtype, pd.SparseDtype)]
    if not sparse:
        return frame
    return frame.astype({c: getattr(frame[c].dtype, "subtype", float) for c in sparse})


def _write_json(frame: pd.DataFrame, path: Any) -> None:
    text = frame.to_json(orient="records", force_ascii=False, indent=2) or "[]"
    with _binary(path) as sink:
        sink.write((text + "\n").encode("utf-8"))
