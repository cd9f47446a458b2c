"""Reading the cells of number columns: vectorised, each distinct odd string parsed once.

A column arrives as a pyarrow array of text (a CSV column, or Excel cells
written as the text Excel shows). A column of plain numbers is one pyarrow
cast. Otherwise, without Python per cell:

* cells are trimmed and NFKC-normalised (full-width digits ``１２３`` and
  ``％`` become ``123`` and ``%``), except cells holding a superscript or
  another character NFKC would make a digit (``10²`` is not ``102``): those
  go to :func:`~policytargets.parse_quantity` as written, which reads
  ``100m²`` and refuses ``10⁴``;
* the missing-value markers of :data:`MISSING_MARKERS` (and empty cells) are
  missing: NaN, never zero;
* plain numbers, and numbers with thousands separators in valid positions
  (``12,345.6``), are cast by pyarrow;
* what is left (``99.5%``, ``1.18万``, ``7批次/千人``) is parsed with
  :func:`~policytargets.parse_quantity`, once per distinct string.

A comma anywhere else (``96,8``: a decimal comma, or a misplaced separator)
and spreadsheet errors (``#DIV/0!``) are failures, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

__all__ = ["MISSING_MARKERS", "ParsedNumbers", "parse_numbers"]

#: Cell text that means "no figure" (after trimming and NFKC normalisation).
MISSING_MARKERS: tuple[str, ...] = (
    "-",
    "--",
    "—",
    "——",
    "–",
    "/",
    "暂无",
    "暂无数据",
    "NA",
    "N/A",
    "n/a",
    "na",
    "nan",
    "NaN",
)

# Excel's error values, as Excel writes them into a cell (and into a CSV export).
SPREADSHEET_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)

_PLAIN = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
_THOUSANDS = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
_NUMBER_PREFIX = re.compile(r"^[+-]?[\d,.]+")
_THOUSANDS_RE = re.compile(_THOUSANDS)
#: Characters that NFKC turns into digits though they are none: superscripts and
#: subscripts, circled and fraction numbers (Unicode's "other number"), and ㎡.
_FOLDED_TO_DIGITS = r"\p{No}|㎡"


@dataclass
class ParsedNumbers:
    """A number column read: values, the unit a cell carried, and the bad cells.

    Attributes:
        values: float64, NaN where missing or bad.
        units: per row, the unit written in the cell (``None`` where the cell
            was a bare number, missing or bad); ``None`` when no cell had a unit.
        bad: ``(positions, reason)`` pairs.
    """

    values: npt.NDArray[np.float64]
    units: npt.NDArray[np.object_] | None = None
    bad: list[tuple[npt.NDArray[np.intp], str]] = field(default_factory=list)


def _cast(array: pa.Array, safe: bool = True) -> npt.NDArray[np.float64]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    numbers = pc.cast(array, pa.float64(), safe=safe)
    return np.asarray(numbers.to_numpy(zero_copy_only=False), dtype=np.float64)


def _by_dictionary(array: pa.DictionaryArray, units: bool) -> ParsedNumbers:
    """A dictionary column (parquet text): each distinct text parsed once, then per row."""
    import numpy as np

    codes = np.asarray(array.indices.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.intp)
    missing = codes < 0
    if missing.all():
        return ParsedNumbers(np.full(len(array), np.nan))
    distinct = parse_numbers(array.dictionary, units=units)
    codes = np.where(missing, 0, codes)
    values = np.where(missing, np.nan, distinct.values[codes])
    result = ParsedNumbers(values)
    if distinct.units is not None:
        result.units = distinct.units[codes]
        result.units[missing] = None
    for positions, reason in distinct.bad:
        member = np.zeros(len(array.dictionary), dtype=bool)
        member[positions] = True
        result.bad.append((np.flatnonzero(member[codes] & ~missing), reason))
    return result


def parse_numbers(array: Any, *, units: bool) -> ParsedNumbers:
    """Read a column of cells as numbers.

    Args:
        array: a pyarrow array (text or numbers), nulls for empty cells.
        units: whether a cell may carry its unit (``value``); ``numerator``
            and ``denominator`` hold bare numbers only.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    kind = array.type
    if pa.types.is_floating(kind) or pa.types.is_integer(kind) or pa.types.is_decimal(kind):
        # Integers beyond 2 ** 53 as the nearest float, as pandas' astype(float) does.
        return ParsedNumbers(_cast(array, safe=False))
    if pa.types.is_null(kind):
        return ParsedNumbers(np.full(len(array), np.nan))
    if pa.types.is_dictionary(kind):
        return _by_dictionary(array, units)
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        # Booleans, dates (a typed parquet column): no number, never True as 1.
        present = np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        bad = [(np.flatnonzero(present), "non_numeric_value")] if present.any() else []
        return ParsedNumbers(np.full(len(array), np.nan), bad=bad)
    try:
        return ParsedNumbers(_cast(array))  # the usual file: plain numbers, one cast
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass

    trimmed = pc.utf8_trim_whitespace(array)
    # NFKC folds superscripts and other numbers into digits (10² into 102, 10⁴ into 104):
    # such a cell is left as written, for parse_quantity, which reads m² and refuses 10⁴.
    folding = pc.fill_null(pc.match_substring_regex(trimmed, _FOLDED_TO_DIGITS), False)
    text = pc.utf8_normalize(trimmed, "NFKC")
    if pc.any(folding).as_py():
        text = pc.if_else(folding, trimmed, text)
    missing = pc.or_kleene(
        pc.is_null(text), pc.is_in(text, value_set=pa.array(["", *MISSING_MARKERS]))
    )
    missing = pc.fill_null(missing, True)
    plain = pc.and_(pc.invert(missing), pc.match_substring_regex(text, _PLAIN))
    plain = pc.fill_null(plain, False)
    grouped = pc.and_(pc.invert(missing), pc.match_substring_regex(text, _THOUSANDS))
    grouped = pc.fill_null(grouped, False)
    values = np.full(len(array), np.nan)
    plain_np = np.asarray(plain.to_numpy(zero_copy_only=False), dtype=bool)
    grouped_np = np.asarray(grouped.to_numpy(zero_copy_only=False), dtype=bool)
    if plain_np.any():
        values[plain_np] = _cast(pc.filter(text, plain))
    if grouped_np.any():
        values[grouped_np] = _cast(pc.replace_substring(pc.filter(text, grouped), ",", ""))
    rest = ~(np.asarray(missing.to_numpy(zero_copy_only=False), dtype=bool) | plain_np | grouped_np)
    result = ParsedNumbers(values)
    if not rest.any():
        return result

    # What is left: each distinct string once.
    positions = np.flatnonzero(rest)
    left = pc.take(text, pa.array(positions))
    encoded = pc.dictionary_encode(left)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.intp)
    distinct = encoded.dictionary.to_pylist()
    magnitudes = np.full(len(distinct), np.nan)
    cell_units = np.full(len(distinct), None, dtype=object)
    reasons = np.full(len(distinct), None, dtype=object)
    for i, cell in enumerate(distinct):
        number, unit, reason = _one_cell(cell, units)
        magnitudes[i] = number
        cell_units[i] = unit
        reasons[i] = reason
    values[positions] = magnitudes[codes]
    if any(u is not None for u in cell_units):
        result.units = np.full(len(array), None, dtype=object)
        result.units[positions] = cell_units[codes]
    for reason in sorted({r for r in reasons if r is not None}):
        result.bad.append((positions[(reasons == reason)[codes]], reason))
    return result


def _one_cell(cell: str, units: bool) -> tuple[float, str | None, str | None]:
    """(number, unit written in the cell or None, failure reason or None) for one string."""
    import math

    from .._errors import PolicyTargetsError
    from .._units import conversion_factor, parse_quantity, parse_unit

    if cell in SPREADSHEET_ERRORS:
        return math.nan, None, "spreadsheet_error"
    prefix = _NUMBER_PREFIX.match(cell)
    if prefix is not None and "," in prefix[0] and not _THOUSANDS_RE.match(prefix[0].rstrip(".")):
        # 96,8 is a decimal comma or a typo: never 968.
        return math.nan, None, "bad_thousands_separator"
    if not units:
        return math.nan, None, "non_numeric_value"
    try:
        quantity = parse_quantity(cell)
    except PolicyTargetsError:
        return math.nan, None, "non_numeric_value"
    magnitude = float(quantity.magnitude)
    if not math.isfinite(magnitude):
        return math.nan, None, "non_finite_value"
    unit = f"{quantity.units:~}"
    if not unit:
        return magnitude, None, None
    if quantity.dimensionless and format(quantity.units, "D") not in ("percent", "permille"):
        # A multiplier such as 万 in 1.18万: a bare number of the column's unit.
        try:
            return magnitude * conversion_factor(unit, "1"), None, None
        except PolicyTargetsError:
            return math.nan, None, "non_numeric_value"
    # The unit as the cell writes it (批次/千人, not pint's "批次 / 千人"), if it reads back.
    prefix = _NUMBER_PREFIX.match(cell)
    written = cell[prefix.end() :].strip() if prefix is not None else ""
    try:
        if written and parse_unit(written) == quantity.units:
            unit = written
    except PolicyTargetsError:
        pass
    return magnitude, unit, None
