"""Building the result frame: categorical text columns from codes, dense number columns.

The helpers (``_code_dtype``, ``_categorical``, ``_filled``)
serve both paths; ``_frame`` assembles the general path's result from its
filled columns, with a ``no_data`` row per absent target.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from .._assessment import Status
from . import memory
from .judging import _PROGRESS, _S, _STATUSES, _Context, _Out, _reason_texts
from .tables import plan_cache

if TYPE_CHECKING:
    import pandas as pd

    from .tables import Ints


def _code_dtype(n: int) -> Any:
    """The smallest integer type that holds codes 0..n-1 and -1 (what pandas keeps)."""
    import numpy as np

    # The types' maxima, written out: np.iinfo costs microseconds a call, and a
    # result asks for about ten of them.
    if n < 127:
        return np.int8
    if n < 32767:
        return np.int16
    return np.int32 if n < 2**31 - 1 else np.int64


@functools.lru_cache(maxsize=256)
def _dtype(categories: tuple[str, ...]) -> pd.CategoricalDtype:
    """The categorical type over ``categories`` (distinct texts), built once per distinct list.

    pandas checks a list of categories by building a hash table of its
    index (about a hundred microseconds a list, the first time in a
    process, and a result has eight such lists): texts that a set shows to
    be distinct skip that check; anything else goes through it (and is
    refused as pandas refuses it).
    """
    import pandas as pd

    index = pd.Index(categories, dtype="str")
    checked = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    if checked is None or not _distinct_texts(categories):
        return pd.CategoricalDtype(index)
    dtype: pd.CategoricalDtype = checked(index, False)
    return dtype


def _distinct_texts(values: tuple[Any, ...]) -> bool:
    """Whether ``values`` are distinct texts, none missing (what pandas checks categories for)."""
    return all(type(v) is str for v in values) and len(set(values)) == len(values)


def _categorical(codes: Any, categories: list[str], *, cached: bool = True) -> pd.Categorical:
    """A categorical over ``codes`` without a validation pass (no copy when the dtype fits).

    ``cached=False`` for lists made anew by each call (reason texts): the cache
    would keep up to 256 of them alive, each as long as a plan's targets.
    """
    import pandas as pd

    codes = codes.astype(_code_dtype(len(categories)), copy=False)
    key = tuple(categories)
    dtype = _dtype(key) if cached else _dtype.__wrapped__(key)
    result: pd.Categorical = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    return result


def with_missing(column: pd.Series[Any], k: int) -> pd.Series[Any]:
    """``column`` followed by ``k`` missing values (absent targets have no breakdown).

    Integer and boolean columns, which hold no missing value, become their
    nullable pandas types (``int32`` → ``Int32``), so the rows keep their
    numbers rather than failing or turning into floats.
    """
    import pandas as pd

    if not k:
        return column
    extended = _extended(column, k)
    return extended if isinstance(extended, pd.Series) else pd.Series(extended, copy=False)


def _extended(column: pd.Series[Any], k: int) -> Any:
    """``with_missing``'s values: an extension array, or a Series of a numpy type."""
    import numpy as np
    import pandas as pd

    kind, name = column.dtype.kind, column.dtype.name
    if kind in "iub" and not isinstance(column.dtype, pd.api.extensions.ExtensionDtype):
        nullable = (
            "boolean"
            if kind == "b"
            else "UInt" + name[4:]
            if name.startswith("uint")
            else "Int" + name[3:]
        )
        column = column.astype(pd.api.types.pandas_dtype(nullable))
    array = column.array
    if isinstance(column.dtype, pd.api.extensions.ExtensionDtype) and not isinstance(
        array, pd.arrays.NumpyExtensionArray
    ):
        # The extension type's own take (text, categorical, nullable numbers) fills
        # with its missing value: what the concatenation below gives, at half the cost.
        positions = np.arange(len(array) + k)
        positions[len(array) :] = -1
        return array.take(positions, allow_fill=True)
    filler = pd.Series([None] * k, dtype=column.dtype)
    return pd.concat([column.reset_index(drop=True), filler], ignore_index=True)


def _numbered(texts: list[str]) -> tuple[Any, list[str]]:
    """Each text's code in order of first appearance, and the distinct texts.

    ``pd.factorize``'s numbering, by a dict: a Series and pandas' hash table
    cost more on a first call than the few texts a result has.
    """
    import numpy as np

    index: dict[str, int] = {}
    codes = np.fromiter(
        (index.setdefault(text, len(index)) for text in texts), dtype=np.intp, count=len(texts)
    )
    return codes, list(index)


def _filled(rows: Any, values: Any, length: int, fill: float) -> Any:
    """A float64 array holding ``values`` at ``rows`` and ``fill`` elsewhere.

    Dense, not sparse: pyarrow (parquet, Arrow IPC) refuses pandas' sparse
    columns, and a result must write out as it is.
    """
    import numpy as np

    array = memory.full(length, fill)
    array[np.asarray(rows, dtype=np.int64)] = values
    return array


def _joined(first: Any, second: Any) -> Any:
    """``np.concatenate([first, second])``, into pooled memory when large."""
    import numpy as np

    joined = memory.empty(len(first) + len(second), np.result_type(first, second))
    joined[: len(first)] = first
    joined[len(first) :] = second
    return joined


def _frame(
    cx: _Context, out: _Out, t: Ints, by_frame: pd.DataFrame | None, missing: Ints
) -> pd.DataFrame:
    """The result DataFrame: categorical text columns built from codes, no per-row strings."""
    import pandas as pd

    # copy=False: the result columns are fresh arrays; copying them would double the peak.
    return pd.DataFrame(_frame_columns(cx, out, t, by_frame, missing), copy=False)


def _frame_columns(
    cx: _Context, out: _Out, t: Ints, by_frame: pd.DataFrame | None, missing: Ints
) -> dict[str, Any]:
    """``_frame``'s columns by name (categoricals, breakdown Series, numpy arrays), in order.

    Other paths' rows join these column by column (``dispatch._combine``),
    without a frame of them in between.
    """
    import numpy as np
    import pandas as pd

    p, tb = cx.prepared, cx.tables
    if len(missing):
        k = len(missing)
        extra = _Out(
            status=np.full(k, _S[Status.NO_DATA], dtype=np.int8),
            observed=np.full(k, np.nan),
            projected=np.full(k, np.nan),
            threshold=np.full(k, np.nan),
            margin=np.full(k, np.nan),
            baseline=np.full(k, np.nan),
            coverage=np.zeros(k),
            score=np.full(k, np.nan),
            method=np.full(k, -1, dtype=np.int16),
            reason=np.zeros(k, dtype=np.int32),
        )
        out = _Out(**{f: _joined(getattr(out, f), getattr(extra, f)) for f in out.__dict__})
        t = np.concatenate([t, missing])
    plan = plan_cache(p.plan)
    small = _code_dtype(tb.n_targets)
    t = t.astype(small, copy=False)
    per_target_texts = plan.texts()

    def per_target(name: str) -> pd.Categorical:
        table, uniques = per_target_texts[name]
        return _categorical(table[t], uniques)

    # Reasons: one text per distinct (target, reason code) pair, then one gather.
    dtype = np.int32 if tb.n_targets * cx.n_reason < 2**31 else np.int64
    key: Any = t.astype(dtype) * cx.n_reason + out.reason.astype(dtype, copy=False)
    if tb.n_targets * cx.n_reason <= 4 * len(key):
        # Dense: mark the (target, code) pairs used; no sort of the rows. Only for
        # many rows: the table has ~1,700 entries a target, the sort few rows.
        used = np.zeros(tb.n_targets * cx.n_reason, dtype=bool)
        used[key] = True
        uniq = np.flatnonzero(used)
        texts = _reason_texts(cx, uniq // cx.n_reason, uniq % cx.n_reason)
        text_codes, text_values = _numbered(texts)
        code_of_key = np.zeros(len(used), dtype=_code_dtype(len(text_values)))
        code_of_key[uniq] = text_codes
        reason_codes = code_of_key[key]
    else:
        uniq, inverse = np.unique(key, return_inverse=True)
        texts = _reason_texts(cx, uniq // cx.n_reason, uniq % cx.n_reason)
        text_codes, text_values = _numbered(texts)
        reason_codes = text_codes[np.asarray(inverse).ravel()]
    reason = _categorical(reason_codes, text_values, cached=False)

    columns: dict[str, Any] = {"target_id": _categorical(t, plan.ids())}
    for name in p.by:
        # On the fast path the result rows are the input rows: the column is reused.
        source = p.frame[name] if by_frame is None else by_frame[name]
        # Missing rows after it make a new column whatever its index: no reset needed.
        col = source if len(missing) else source.reset_index(drop=True)
        given = p.frame[name].dtype
        if by_frame is not None and isinstance(given, pd.CategoricalDtype):
            # A categorical breakdown stays one, with the input's categories, on every path.
            col = col.astype(given)
        columns[name] = with_missing(col, len(missing))
    columns["period"] = per_target("period")
    columns["status"] = _categorical(out.status, _STATUSES)
    # Progress categories are given to multi-year targets, judged on other paths.
    columns["progress"] = _categorical(memory.full(len(t), -1, np.int8), _PROGRESS)
    columns["observed"] = out.observed
    columns["projected"] = out.projected
    columns["threshold"] = out.threshold
    columns["margin"] = out.margin
    columns["margin_unit"] = per_target("margin_unit")
    columns["unit"] = per_target("unit")
    columns["baseline"] = out.baseline
    columns["coverage"] = out.coverage
    columns["score"] = out.score
    columns["score_method"] = _categorical(out.method, cx.methods)
    columns["aspirational"] = plan.aspirational[t]
    columns["reason"] = reason
    return columns
