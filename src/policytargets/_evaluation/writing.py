"""Writing :func:`~policytargets.evaluate`'s result to CSV, parquet or JSON.

Chunk by chunk through pyarrow, so the written text never lives in memory
whole and no Python runs per cell:

* CSV: numbers rounded to 12 significant digits (``97.12``, not
  ``97.11999999999999``; the noise of unit conversion and subtraction sits
  in the last digits), missing numbers as empty cells, the dimensionless
  unit as ``1`` (an empty cell reads back as a missing unit), and text and
  header cells that a spreadsheet would take for a formula (starting with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return) prefixed with ``'``, as OWASP
  recommends against CSV injection; an optional byte order mark for Excel.
* parquet: every column as it is (categorical text as dictionary columns),
  so ``pandas.read_parquet`` gives back an equal frame.
* JSON: records, a line each, numbers as in CSV (pandas' ``to_json`` kept
  10 decimal places: ``1e-12`` became ``0.0``), built by pyarrow too.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from .._errors import InvalidValueError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["FORMATS", "neutralise", "write_results"]

#: Formats :func:`write_results` writes, by file suffix.
FORMATS: dict[str, str] = {".csv": "csv", ".parquet": "parquet", ".json": "json"}

#: Rows converted to arrow and written at a time (CSV). A chunk's text is about
#: 2.5 MB at 16 K rows of a result: buffers that size are reused by the allocator.
#: At 64 K rows (10 MB) each write faulted in fresh pages: 3 M rows took 0.77-1.21 s
#: (system time 0.3-1.0 s) against 0.74-0.83 s (0.2-0.3 s), in fresh processes.
CHUNK_ROWS = 1 << 14
#: Rows per parquet row group (pyarrow's default size): 64 K-row groups cost 1.5x the time.
PARQUET_CHUNK_ROWS = 1 << 20

#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
_FORMULA_START = "^[=+\\-@\t\r]"
_FORMULA_CHARS = frozenset("=+-@\t\r")

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
            array, a record a line); by default from the path's suffix.
        bom: begin a CSV file with a UTF-8 byte order mark, which Excel needs
            to read Chinese text correctly.

    In CSV, numbers keep 12 significant digits (no ``97.11999999999999``),
    the dimensionless unit is written ``1`` rather than an empty cell (which
    would read back as a missing unit), and text and header cells (never
    numbers) beginning with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return get a leading ``'`` so
    that a spreadsheet shows them as text instead of running them as
    formulas. JSON numbers keep 12 significant digits too (``1e-12`` stays
    ``1e-12``), and a missing number or an infinity is ``null``. Parquet
    keeps every value and type exactly: ``pandas.read_parquet`` gives back an
    equal frame.

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


def neutralise(array: pa.Array, text: Any = None) -> pa.Array:
    """Text that a spreadsheet would run as a formula, prefixed with ``'`` (OWASP).

    ``text``: a boolean mask of the cells that are text (others, numbers
    written as text such as ``-5``, are left as they are); by default all.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return array
    risky = pc.match_substring_regex(array, _FORMULA_START)
    if text is not None:
        risky = pc.and_(risky, pa.array(text, pa.bool_()))
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
    """Per categorical column: its categories as an arrow string array, made safe for text.

    Categories that are numbers are written as numbers are (floats rounded),
    and never taken for formulas: ``-5`` stays ``-5``.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    out: dict[str, Any] = {}
    for name in frame.columns:
        dtype = frame[name].dtype
        if not isinstance(dtype, pd.CategoricalDtype):
            continue
        values = dtype.categories
        if values.dtype.kind in "iuf":
            numbers = values.to_numpy()
            if values.dtype.kind == "f":
                numbers = _rounded(numbers)
            out[str(name)] = pa.array(numbers).cast(pa.string())
            continue
        categories = pa.array([_cell_text(c) for c in values], type=pa.string())
        if csv:
            if name in _UNIT_COLUMNS:
                categories = pa.array([c or "1" for c in categories.to_pylist()], pa.string())
            if pd.api.types.is_object_dtype(
                values.dtype
            ):  # which are text (numbers, dates: never formulas)
                text = np.fromiter((isinstance(c, str) for c in values), bool, len(values))
            elif isinstance(values.dtype, pd.StringDtype):
                text = None  # all of them
            else:  # periods, dates, durations (-1 days)
                text = np.zeros(len(values), dtype=bool)
            categories = neutralise(categories, text)
        out[str(name)] = categories
    return out


def _cell_text(value: Any) -> str:
    """A value that is not text as text: a float's shortest digits, rounded; others by str."""
    import numpy as np

    if isinstance(value, float | np.floating):
        return repr(float(_rounded([value])[0]))
    return str(value)


def _sources(frame: pd.DataFrame, dictionaries: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """Each column's name, kind and data, taken from the frame once for all chunks.

    Kinds: ``codes`` (a categorical column's codes, its text in
    ``dictionaries``), ``numbers`` (floats), ``plain`` (booleans, integers:
    a numpy array, or an arrow one where some are missing), ``text`` (text
    and objects, cell by cell), ``shown`` (pandas' text for periods, intervals
    and durations, which arrow would write as their ordinals or structures;
    no formula: ``-1 days`` stays as it is).
    Taking a column out of a frame costs tens of microseconds, which a chunk
    at a time added up to about 40 ms on 3 M rows, under the GIL.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    sources: list[tuple[str, str, Any]] = []
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.SparseDtype):
            column = column.sparse.to_dense()  # type: ignore[attr-defined]
        dtype = column.dtype
        if str(name) in dictionaries:
            sources.append((str(name), "codes", np.asarray(column.array.codes)))
        elif pd.api.types.is_float_dtype(dtype):
            if isinstance(dtype, np.dtype):  # as it is: no copy
                numbers = column.to_numpy(dtype=np.float64)
            else:  # Float64: pd.NA as NaN
                numbers = column.to_numpy(dtype=np.float64, na_value=np.nan)
            sources.append((str(name), "numbers", numbers))
        elif pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
            if isinstance(dtype, np.dtype):
                sources.append((str(name), "plain", column.to_numpy()))
            else:  # nullable integers or booleans with a missing one: an empty cell
                sources.append((str(name), "plain", pa.array(column, from_pandas=True)))
        elif (
            pd.api.types.is_object_dtype(dtype)
            or pd.api.types.is_string_dtype(dtype)
            or pd.api.types.is_datetime64_any_dtype(dtype)
        ):
            sources.append((str(name), "text", column.array))
        else:
            shown = column.astype(str).to_numpy(dtype=object)
            shown[np.asarray(column.isna())] = None
            sources.append((str(name), "shown", shown))
    return sources


def _arrow_chunk(
    sources: list[tuple[str, str, Any]], s: slice, dictionaries: dict[str, Any]
) -> pa.Table:
    """Rows ``s`` as an arrow table of what the CSV cells say: no Python per cell.

    Categorical text is taken from its (prepared) categories as plain text,
    which pyarrow's writer copies faster than it decodes a dictionary; a
    category column with no value in the chunk, and a number column with no
    number in it, are nulls (empty cells), which it writes without formatting
    anything.
    """
    import pyarrow as pa

    arrays = []
    for name, kind, data in sources:
        if kind == "codes":
            arrays.append(_taken(dictionaries[name], data[s]))
        elif kind == "numbers":
            arrays.append(_numbers(data[s]))
        elif kind == "plain":
            if isinstance(data, pa.Array):
                arrays.append(data.slice(s.start, s.stop - s.start))
            else:
                arrays.append(pa.array(data[s]))
        elif kind == "shown":
            arrays.append(pa.array(data[s], pa.string()))
        else:
            arrays.append(_text(name, data[s]))
    # Header cells too: a breakdown column named "=HYPERLINK(...)" by a file's header.
    names = [f"'{name}" if name[:1] in _FORMULA_CHARS else name for name, _, _ in sources]
    return pa.Table.from_arrays(arrays, names=names)


def _text(name: str, values: Any) -> pa.Array:
    """A chunk of a text or object column as CSV text: only text taken for a formula.

    Numbers in an object column are written as numbers (floats rounded), never
    prefixed; a mixed column is written cell by cell, missing cells empty.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    mask = None
    try:  # str columns are arrow arrays already: no copy
        text = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed objects
        cells = [None if _missing(v) else v for v in values]
        mask = [isinstance(v, str) for v in cells]
        text = pa.array([None if v is None else _cell_text(v) for v in cells], pa.string())
    if pa.types.is_floating(text.type):
        return _numbers(text.to_numpy(zero_copy_only=False))
    if pa.types.is_integer(text.type) or pa.types.is_boolean(text.type):
        return text
    if not pa.types.is_string(text.type):
        text = text.cast(pa.string())
    if name in _UNIT_COLUMNS:
        text = pc.if_else(pc.equal(text, ""), "1", text)
    return neutralise(text, mask)


def _missing(value: Any) -> bool:
    import pandas as pd

    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array in a cell
        return False


#: Whole numbers below this are written by pyarrow as digits alone (10 ** 10 is "1e+10").
_PLAIN_WHOLE = 1e9


def _numbers(values: Any) -> pa.Array:
    """Floats, rounded, as an arrow array whose text is what pyarrow writes for a double.

    Rows with no number at all are null text, which is written (as empty
    cells) without formatting anything. When every number is whole (a count,
    a coverage of 1, a score of 80) and
    plainly written (below 10 ** 9, no -0), they are given as integers, which
    pyarrow formats several times faster, to the same digits.
    """
    import numpy as np
    import pyarrow as pa

    nan = np.isnan(values)
    if nan.all():  # no number in these rows (a baseline, a score): empty cells, nothing to format
        return pa.nulls(len(values), pa.string())
    values = _rounded(values)
    mask = nan if nan.any() else None
    with np.errstate(invalid="ignore"):
        whole = np.where(nan, 0.0, values)
        if (
            len(values)
            and bool((np.abs(whole) < _PLAIN_WHOLE).all())
            and bool((np.rint(whole) == whole).all())
            and not bool((np.signbit(whole) & (whole == 0)).any())
        ):
            return pa.array(whole.astype(np.int64), mask=mask)
    return pa.array(values, mask=mask)


def _taken(texts: pa.Array, codes: Any) -> pa.Array:
    """The text of each category code (-1: missing, an empty cell)."""
    import pyarrow as pa

    missing = codes < 0
    if not missing.any():
        return texts.take(pa.array(codes))
    if missing.all():
        return pa.nulls(len(codes), pa.string())
    return texts.take(pa.array(codes, mask=missing))


def _chunks(n: int, size: int | None = None) -> list[slice]:
    size = size or CHUNK_ROWS
    return [slice(i, min(i + size, n)) for i in range(0, n, size)] or [slice(0, 0)]


def _write_csv(frame: pd.DataFrame, path: Any, *, bom: bool) -> None:
    """Chunks formatted as CSV text on a pool of threads, written in order by this one.

    Formatting numbers is most of the work, and pyarrow's CSV writer releases
    the GIL while it does it, so each chunk is made into text (by
    ``pyarrow.csv.write_csv``, the header with the first chunk only) on its own
    thread, a few chunks ahead of the one being written: the text is the same
    as one writer over all the rows would write, in about 0.6 of the time on
    two cores (3 M rows: 1.0 s against 1.65 s, the same CPU time). At most
    :func:`_workers` + 1 chunks' text is in memory at once.
    """
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow as pa
    import pyarrow.csv as pacsv

    dictionaries = _text_columns(frame, csv=True)
    sources = _sources(frame, dictionaries)
    chunks = _chunks(len(frame))

    def text(i: int) -> pa.Buffer:
        table = _arrow_chunk(sources, chunks[i], dictionaries)
        sink = pa.BufferOutputStream()
        # One batch per chunk: pyarrow's default of 1,024 rows costs ~13 % more CPU.
        options = pacsv.WriteOptions(include_header=i == 0, batch_size=max(1, CHUNK_ROWS))
        pacsv.write_csv(table, sink, write_options=options)
        return sink.getvalue()

    workers = _workers()
    with _native(path) as sink, ThreadPoolExecutor(workers) as pool:
        if bom:
            sink.write(b"\xef\xbb\xbf")
        pending = deque(pool.submit(text, i) for i in range(min(workers + 1, len(chunks))))
        following = len(pending)
        while pending:
            buffer = pending.popleft().result()
            if following < len(chunks):
                pending.append(pool.submit(text, following))
                following += 1
            sink.write(buffer)
            del buffer


def _workers() -> int:
    """Threads that format CSV chunks: one per core this process may use, at most 4."""
    from .._cores import usable_cores

    return max(1, min(4, usable_cores()))


@contextlib.contextmanager
def _native(path: Any) -> Iterator[Any]:
    """A path as a pyarrow file (written without Python); a file object as it is."""
    import pyarrow as pa

    if isinstance(path, str | os.PathLike):
        with pa.OSFile(os.fspath(path), "wb") as handle:
            yield handle
    else:
        yield path


@contextlib.contextmanager
def _binary(path: Any) -> Iterator[IO[bytes]]:
    if isinstance(path, str | os.PathLike):
        with open(path, "wb") as handle:
            yield handle
    else:
        yield path


def _write_parquet(frame: pd.DataFrame, path: Any) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = _dense(frame)
    writer = None
    try:
        for s in _chunks(len(frame), PARQUET_CHUNK_ROWS):
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
    """JSON records, one a line, made chunk by chunk with pyarrow (no Python per cell).

    Numbers as in CSV (12 significant digits, ``1e-12`` kept: pandas' to_json
    kept 10 decimal places and wrote it 0.0), missing ones and infinities
    ``null``; text escaped as JSON requires.
    """
    import json

    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    literals: dict[str, Any] = {}
    for name in frame.columns:
        dtype = frame[name].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            values = dtype.categories
            if values.dtype.kind in "iu":
                literals[str(name)] = pa.array(values.to_numpy()).cast(pa.string())
            elif values.dtype.kind == "f":
                literals[str(name)] = _json_numbers(values.to_numpy(dtype="float64"))
            else:
                texts = pa.array([_cell_text(c) for c in values], pa.string())
                literals[str(name)] = _json_strings(texts)
    sources = _sources(frame, literals)
    # Each row: "\n{" key value "," key value ... "}", rows joined by commas.
    keys = [
        ("\n{" if i == 0 else ",") + json.dumps(str(n), ensure_ascii=False) + ":"
        for i, n in enumerate(frame.columns)
    ]
    with _binary(path) as sink:
        sink.write(b"[")
        for number, s in enumerate(_chunks(len(frame)) if len(frame) else []):
            if not sources:
                sink.write(
                    (("," if number else "") + ",".join(["\n{}"] * (s.stop - s.start))).encode()
                )
                continue
            parts: list[Any] = []
            for (name, kind, data), key in zip(sources, keys, strict=True):
                parts += [key, pc.fill_null(_json_chunk(name, kind, data, s, literals), "null")]
            rows = pc.binary_join_element_wise(*parts, "},", "")
            text = _joined(rows)
            sink.write(b"," if number else b"")
            sink.write(text[:-1])  # the last row's comma: the next chunk writes its own
        sink.write(b"\n]\n" if len(frame) else b"]\n")


def _json_chunk(name: str, kind: str, data: Any, s: slice, literals: dict[str, Any]) -> Any:
    """Rows ``s`` of one column as JSON literals (null where missing)."""
    import pyarrow as pa

    if kind == "codes":
        return _taken(literals[name], data[s])
    if kind == "numbers":
        return _json_numbers(data[s])
    if kind == "plain":
        array = data.slice(s.start, s.stop - s.start) if isinstance(data, pa.Array) else data[s]
        return pa.array(array).cast(pa.string())  # true/false, digits
    if kind == "shown":
        return _json_strings(pa.array(data[s], pa.string()))
    values = data[s]
    try:
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed objects: a cell at a time
        return pa.array([_json_cell(v) for v in values], pa.string())
    if pa.types.is_floating(array.type):
        return _json_numbers(array.to_numpy(zero_copy_only=False))
    if pa.types.is_integer(array.type) or pa.types.is_boolean(array.type):
        return array.cast(pa.string())
    if pa.types.is_null(array.type):
        return array.cast(pa.string())
    return _json_strings(array.cast(pa.string()))


def _json_cell(value: Any) -> str | None:
    import json
    import math

    if _missing(value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return json.dumps(float(_rounded([value])[0])) if math.isfinite(value) else None
    return json.dumps(value if isinstance(value, str) else str(value), ensure_ascii=False)


def _json_numbers(values: Any) -> Any:
    """Floats as JSON numbers, rounded as in CSV; NaN and infinities null."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    values = _rounded(values)
    text = pc.cast(pa.array(values, mask=~np.isfinite(values)), pa.string())
    # pyarrow writes 80.0 as "80": "80.0" keeps it a float for the reader.
    whole = pc.match_substring_regex(text, "^-?[0-9]+$")
    return pc.if_else(whole, pc.binary_join_element_wise(text, ".0", ""), text)


def _json_strings(texts: Any) -> Any:
    """Text as JSON string literals: quotes, backslashes and control characters escaped."""
    import pyarrow.compute as pc

    texts = pc.replace_substring(texts, "\\", "\\\\")
    texts = pc.replace_substring(texts, '"', '\\"')
    if pc.any(pc.match_substring_regex(texts, "[\\x00-\\x1f]")).as_py():
        for code in range(32):
            if pc.any(pc.match_substring(texts, chr(code))).as_py():
                texts = pc.replace_substring(texts, chr(code), f"\\u{code:04x}")
    return pc.binary_join_element_wise('"', texts, '"', "")


def _joined(rows: Any) -> bytes:
    """A string array's text, all of it, as one run of bytes."""
    import numpy as np
    import pyarrow as pa

    if isinstance(rows, pa.ChunkedArray):
        rows = rows.combine_chunks()
    _, offsets, data = rows.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32)[rows.offset : rows.offset + len(rows) + 1]
    return bytes(memoryview(data)[int(bounds[0]) : int(bounds[-1])])
