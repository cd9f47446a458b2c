"""Checking an observation table against a plan, and reducing it to codes: evaluation's first step.

An observation table is a long DataFrame with a key column (``target_id``, or
``indicator_id`` for values that apply to every target of an indicator),
``period`` (text such as ``"2022"`` or ``"2022-Q1"``), ``value`` (float, NaN
for "not available"), ``unit`` (text), optional ``numerator`` and
``denominator``, and any disaggregation columns (``region`` …).

:func:`~policytargets.validate_observations` and :func:`~policytargets.evaluate` share
one implementation of the checks, ``prepare``: it factorises every string key
once (categorical columns are used as they are) and reports every bad row at
once in a DataFrame of failure cases, pandera style.

Reason codes in ``ObservationError.failures``:

* ``missing_column`` — a required column (or a ``by`` column) is absent;
* ``unknown_id`` — the key names no target (or indicator) of the plan, or is empty;
* ``bad_period`` — the period cannot be read, or straddles a target period's edge;
* ``unparsable_unit`` — the unit is not a known unit (a missing unit is only
  accepted on a missing value);
* ``non_numeric_value`` — ``value``, ``numerator`` or ``denominator`` holds
  something other than a number;
* ``non_finite_value`` — ``value``, ``numerator`` or ``denominator`` is
  infinite (NaN is not a failure: it means missing);
* ``dimension_mismatch`` — the unit cannot be compared with the target's
  (reported by :func:`validate_observations` only: :func:`evaluate` gives
  such rows the status ``not_comparable``, as :func:`assess` does);
* ``duplicate`` — two observations of one key, breakdown and period disagree;
* ``overlapping_periods`` — observations of a flow overlap, so they cannot be summed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._errors import InvalidValueError, UnitParseError
from .._failures import failure_cases, failure_table, raise_failures
from .._observations import NUMERIC_COLUMNS, to_float
from .._periods import Period
from .._plausibility import fraction_factor, is_plain, rate_problems

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    from .._model import Plan, Target

__all__ = ["Prepared", "prepare", "validate_observations"]

_KEYS = ("target_id", "indicator_id")
_NUMERIC = NUMERIC_COLUMNS


def validate_observations(
    plan: Plan, frame: pd.DataFrame, *, by: Sequence[str] | None = None
) -> None:
    """Check an observation table against a plan, reporting every bad row at once.

    Every failure :func:`~policytargets.evaluate` would refuse the table for is
    reported, all at once: the checks of each row (ids, periods, units,
    numbers) and, among the rows that pass them, what only judging finds
    (two different values for one group and period, overlapping
    observations of a flow), as evaluate finds them. Rows whose unit cannot
    be compared with the target's are reported too (``dimension_mismatch``;
    evaluate gives them the status ``not_comparable``).

    Missing values (NaN) are not failures: they are the ``no_data`` status;
    infinite ones are (``non_finite_value``). Exact repeats are not failures
    either; two different values for one key, breakdown and period are.

    Args:
        plan: the plan the observations are for.
        frame: the observation table (see the module docs for its columns).
        by: the disaggregation columns (default: ``region`` when present).

    Returns:
        None when the table is valid.

    Raises:
        ObservationError: ``failures`` is a DataFrame with columns ``row``
            (the frame's index label: the 1-based file line for a frame from
            :func:`~policytargets.read_observations`), ``column``, ``value``
            and ``reason``, one row per problem.
    """
    import numpy as np

    from .._conditions import DEFAULT_RTOL
    from .._errors import ObservationError
    from .._scoring import resolve_scorer
    from .._units import using_scope
    from .dispatch import _evaluate_prepared

    with using_scope(plan.units):  # the plan's own units, and only those
        prepared = prepare(plan, frame, by=by, strict=True, collect=True)
        failures = list(prepared.failures)
        failed = failed_rows(failures, len(frame))
        # What only judging finds, among the rows that pass the row checks.
        rest = frame if not failed.any() else frame.iloc[np.flatnonzero(~failed)]
        try:
            _evaluate_prepared(
                prepare(plan, rest, by=by),
                resolve_scorer("linear"),
                DEFAULT_RTOL,
                False,
                absent=False,
            )
        except ObservationError as exc:
            if exc.failures is not None:
                failures.append(exc.failures)
    raise_failures(failures)


def failed_rows(failures: list[pd.DataFrame], n: int) -> npt.NDArray[np.bool_]:
    """Which rows (by position) some failure names."""
    import numpy as np

    failed = np.zeros(n, dtype=bool)
    for table in failures:
        positions = table.attrs.get("positions")
        if positions is not None:
            failed[positions.array] = True
    return failed


@dataclass
class Prepared:
    """An observation table reduced to integer codes and small lookup tables.

    Every string column is factorised once; ``*_codes`` index the matching
    list of distinct values.
    """

    plan: Plan
    frame: pd.DataFrame
    key: str
    by: list[str]
    targets: list[Target]
    key_codes: npt.NDArray[np.integer[Any]]
    key_targets: list[list[int]]
    period_codes: npt.NDArray[np.integer[Any]]
    periods: list[Period]
    unit_codes: npt.NDArray[np.integer[Any]]
    units: list[str | None]
    by_codes: npt.NDArray[np.integer[Any]]
    by_values: pd.DataFrame
    value: npt.NDArray[np.float64]
    numerator: npt.NDArray[np.float64] | None
    denominator: npt.NDArray[np.float64] | None
    failures: list[pd.DataFrame] = field(default_factory=list)
    #: ``pairs[k, p]``: some row has key code ``k`` and period code ``p``.
    pairs: npt.NDArray[np.bool_] | None = None


def _factorize(
    column: pd.Series[Any], done: tuple[Any, Any] | None = None
) -> tuple[npt.NDArray[np.integer[Any]], list[Any]]:
    """Integer codes and distinct values; a categorical's own codes are used as they are.

    Missing values get code -1. ``done``: ``_arrow_factorize``'s result, when
    worked out already (see ``_encode_text``).
    """
    import pandas as pd

    if isinstance(column.dtype, pd.CategoricalDtype):
        # The categorical's own codes (int8, int16…), not copied: free.
        return column.array.codes, list(column.array.categories)
    encoded = _arrow_factorize(column) if done is None else done
    if encoded is not None:
        return encoded[0], encoded[1].to_pylist()
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return _narrow(codes), list(uniques)


#: Text columns this long are first sampled (``RUN_SAMPLE`` rows) for long runs of one value.
RUN_ROWS = 1 << 20
RUN_SAMPLE = 1 << 16


def _arrow_factorize(column: pd.Series[Any]) -> tuple[npt.NDArray[np.int32], Any] | None:
    """int32 codes (-1: missing) and the distinct values of text held by pyarrow; else None.

    pandas' own factorize of such a column (pandas 3's default ``str``) makes
    int64 codes through numpy: pyarrow's dictionary encoding, used directly,
    costs half as much. Values are numbered in order of first appearance, as
    pandas numbers them.
    """
    if not _held_by_arrow(column.dtype):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    data = column.array.__arrow_array__()
    if not (pa.types.is_string(data.type) or pa.types.is_large_string(data.type)):
        return None
    if len(data) >= RUN_ROWS and _few_runs(data[:RUN_SAMPLE]):
        # Sorted exports repeat each id and period for many rows: encode one
        # row a run, then repeat the codes (a third of the time).
        return _run_factorize(data)
    encoded = pc.dictionary_encode(data)
    if isinstance(encoded, pa.ChunkedArray):
        # The chunks share one dictionary: joining them joins their indices.
        encoded = encoded.combine_chunks() if encoded.num_chunks else pa.array([], encoded.type)
    indices = encoded.indices
    if indices.null_count:
        indices = pc.fill_null(indices, -1)
    return indices.to_numpy(zero_copy_only=False), encoded.dictionary


def _held_by_arrow(dtype: Any) -> bool:
    """Whether a column's text is held by pyarrow (pandas 3's ``str``, an ``ArrowDtype``)."""
    import pandas as pd

    return (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow") or (
        isinstance(dtype, pd.ArrowDtype) and dtype.kind in "OU"
    )


def _encode_text(frame: pd.DataFrame, names: list[str]) -> dict[str, Any]:
    """``_arrow_factorize`` of the named text columns held by pyarrow, two at a time.

    pyarrow releases the GIL while it hashes: on a long table the columns are
    encoded on two threads (one inside Dask's own threads). Short tables and
    other columns: nothing here, each is numbered when it is needed.
    """
    from .chunks import _map

    if len(frame) < RUN_ROWS:
        return {}
    text = [
        name
        for name in dict.fromkeys(names)
        if name in frame.columns and _held_by_arrow(frame[name].dtype)
    ]
    if len(text) < 2:
        return {}
    columns = [frame[name] for name in text]  # taken out of the frame in this thread
    return dict(zip(text, _map(_arrow_factorize, columns), strict=True))


def _narrow(codes: Any) -> npt.NDArray[np.integer[Any]]:
    """Codes as int32 when they fit: half the bytes of pandas' int64, on every row."""
    import numpy as np

    dtype = np.int32 if len(codes) < np.iinfo(np.int32).max - 1 else np.intp
    return np.asarray(codes).astype(dtype, copy=False)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def prepare(
    plan: Plan,
    frame: pd.DataFrame,
    *,
    by: Sequence[str] | None = None,
    strict: bool = False,
    collect: bool = False,
) -> Prepared:
    """Check an observation table and reduce it to codes (shared by validate and evaluate).

    Args:
        plan: the plan.
        frame: the observation table.
        by: disaggregation columns (default: ``region`` when present).
        strict: also report dimension mismatches and conflicting duplicates
            (what :func:`validate_observations` does); :func:`evaluate` finds
            those itself, with the same semantics as :func:`assess`.
        collect: leave the failures in ``Prepared.failures`` instead of raising.

    Raises:
        ObservationError: every failure at once.
        InvalidValueError: ``frame`` is not a DataFrame or ``by`` is not a list of names.
    """
    import numpy as np
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise InvalidValueError(
            "observations",
            "a pandas (or Dask) DataFrame, a list of dicts or a dict of lists "
            "(pd.DataFrame(...) makes one from most tables)",
            type(frame).__name__,
        )
    if by is None:
        by_list = ["region"] if "region" in frame.columns else []
    elif isinstance(by, str):
        by_list = [by]
    else:
        by_list = list(by)
    if not all(isinstance(b, str) for b in by_list):
        raise InvalidValueError("evaluate(by=)", "column names", by)
    clash = [b for b in by_list if b in (*_KEYS, "period", *_NUMERIC, "unit")]
    if clash:
        raise InvalidValueError("evaluate(by=)", "disaggregation columns, not reserved ones", clash)

    failures: list[pd.DataFrame] = []
    key = next((k for k in _KEYS if k in frame.columns), None)
    required = [key or "target_id", "period", "value", "unit", *by_list]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise_failures([failure_cases([None] * len(missing), "", missing, "missing_column")])
    assert key is not None
    n = len(frame)
    targets = list(plan.targets)

    from .tables import plan_cache

    # What depends on the plan alone (which targets an id names, their periods) is
    # worked out once per plan.
    cache = plan_cache(plan)
    # Keys: each distinct id is looked up once.
    # Text columns held by pyarrow, numbered two at a time on long tables.
    encoded = _encode_text(frame, [key, "period", "unit", *by_list])
    key_codes, key_values = _factorize(frame[key], encoded.get(key))
    lookup = cache.get(("lookup", key), lambda: _lookup(targets, key))
    none: list[int] = []
    key_targets = [lookup.get(k, none) if isinstance(k, str) else none for k in key_values]
    # Every (key, target) pair, key by key: the per-target tables index them at once.
    pair_key = np.repeat(np.arange(len(key_targets), dtype=np.intp), [len(t) for t in key_targets])
    pair_target = np.fromiter(itertools.chain.from_iterable(key_targets), dtype=np.intp)
    unknown = np.array([not t for t in key_targets], dtype=bool)
    # A minimum is one pass without a temporary mask; masks only when something is bad.
    if unknown.any() or (n and key_codes.min() < 0):
        # One more entry for the code -1 (a missing key), so that an all-missing column indexes.
        bad = np.append(unknown, True)[np.where(key_codes < 0, len(unknown), key_codes)]
        if bad.any():  # an unused category of a categorical column is no bad row
            failures.append(failure_table(frame, np.flatnonzero(bad), key, "unknown_id"))

    # Periods.
    period_codes, period_values = _factorize(frame["period"], encoded.get("period"))
    periods: list[Period] = []
    bad_period = np.zeros(len(period_values), dtype=bool)
    for i, text in enumerate(period_values):
        try:
            periods.append(Period.parse(text))
        except InvalidValueError:
            periods.append(Period.year(1))
            bad_period[i] = True
    bad_rows = np.zeros(0, dtype=bool)
    if bad_period.any() or (n and period_codes.min() < 0):
        bad_rows = np.append(bad_period, True)[
            np.where(period_codes < 0, len(bad_period), period_codes)
        ]
    # A period that straddles a target period's edge is refused, as assess does.
    # Which (key, period) pairs occur is a small table; rows are only looked at
    # again when a pair that occurs straddles.
    # The numbers and units are read here, so that one pass over the rows finds the
    # pairs, the value column's extremes and the rates to check (failures below).
    converted: dict[str, tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]] = {}
    for column in _NUMERIC:
        if column in frame.columns:
            values, bad = to_float(frame[column])
            converted[column] = (np.ascontiguousarray(values.to_numpy(dtype=np.float64)), bad)
    value = converted["value"][0]
    # Units: each distinct unit is parsed once; a missing unit is fine on a missing value.
    # (Before the pass over the rows, which screens rates by unit; reported below.)
    unit_failure: pd.DataFrame | None = None
    unit_codes, unit_values = _factorize(frame["unit"], encoded.get("unit"))
    units: list[str | None] = []
    bad_unit = np.zeros(len(unit_values) + 1, dtype=bool)
    from .._units import parse_unit

    for i, text in enumerate(unit_values):
        if not isinstance(text, str):
            units.append(None)
            bad_unit[i] = True
            continue
        try:
            parse_unit(text)
            units.append(text)
        except UnitParseError:
            units.append(None)
            bad_unit[i] = True
    units.append(None)  # the code of a missing unit
    if n and unit_codes.min() < 0:
        unit_codes = np.where(unit_codes < 0, len(unit_values), unit_codes)
    bad_unit[len(unit_values)] = True
    if bad_unit[: len(unit_values)].any() or (unit_codes == len(unit_values)).any():
        unusable = bad_unit[unit_codes]
        named = unit_codes < len(unit_values)
        unusable &= named | ~np.isnan(value)
        if unusable.any():
            unit_failure = failure_table(frame, np.flatnonzero(unusable), "unit", "unparsable_unit")

    # Keys that name a rate (one more entry for the code of a missing key).
    rate_key = np.zeros(len(key_targets) + 1, dtype=bool)
    rate_key[pair_key[cache.columns["pool"][pair_target]]] = True
    # Each unit as a fraction (%, ‰, 1), for the rates' plausibility rule.
    # Per plan (its cache follows the unit registry, which defines them) and list of units.
    fractions = (
        cache.get(("fractions", tuple(units)), lambda: _fractions(units))
        if rate_key.any()
        else None
    )
    # With numerators and denominators every row of a rate is checked: no screen.
    screen = None
    if fractions is not None and not ("numerator" in converted and "denominator" in converted):
        screen = _RateScreen.of(rate_key, *fractions)
    pairs, value_extremes, candidates = _scan(
        key_codes, period_codes, len(key_values), len(periods), value, unit_codes, screen
    )
    straddle = np.zeros((len(key_values), max(len(periods), 1)), dtype=bool)
    if len(pair_target) and periods:
        # Period.overlaps and not Period.contains, on ordinal days, for every pair at once.
        ordinals = np.array([(q.start.toordinal(), q.end.toordinal()) for q in periods])
        q_start, q_end = ordinals[:, 0], ordinals[:, 1]
        t_start = cache.columns["start"][pair_target][:, None]
        t_end = cache.end[pair_target][:, None]
        crosses = (
            (t_start <= q_end) & (q_start <= t_end) & ~((t_start <= q_start) & (q_end <= t_end))
        )
        crosses &= ~bad_period
        where_pair, where_period = np.nonzero(crosses)
        straddle[pair_key[where_pair], where_period] = True
    if (straddle[:, : pairs.shape[1]] & pairs).any():
        ok = (key_codes >= 0) & (period_codes >= 0)
        crossing = np.zeros(n, dtype=bool)
        crossing[ok] = straddle[key_codes[ok], period_codes[ok]]
        bad_rows = crossing | bad_rows if len(bad_rows) else crossing
    if bad_rows.any():
        failures.append(failure_table(frame, np.flatnonzero(bad_rows), "period", "bad_period"))

    # Numbers.
    numbers: dict[str, Any] = {}
    for column in _NUMERIC:
        if column not in converted:
            numbers[column] = None
            continue
        array, bad = converted[column]
        numbers[column] = array
        if bad.any():
            failures.append(failure_table(frame, np.flatnonzero(bad), column, "non_numeric_value"))
        # NaN-ignoring extremes: no temporary mask (one only when something is infinite).
        low, high = value_extremes if column == "value" else _extremes(array)
        if high == np.inf or low == -np.inf:
            infinite = np.flatnonzero(np.isinf(array))
            failures.append(failure_table(frame, infinite, column, "non_finite_value"))

    if unit_failure is not None:
        failures.append(unit_failure)

    if fractions is not None:
        _rate_checks(
            frame, rate_key, key_codes, unit_codes, fractions, numbers, candidates, failures
        )

    # Disaggregation: one integer code per distinct combination.
    by_codes: Any = np.zeros(n, dtype=np.int8)
    by_values: pd.DataFrame | None = None  # a frame costs 0.1 ms on a first call: one only
    if by_list:
        parts = [_by_codes(frame[b], encoded.get(b)) for b in by_list]
        if len(parts) == 1:
            by_codes = parts[0][0]
            by_values = pd.DataFrame({by_list[0]: parts[0][1]})
        else:
            combined = parts[0][0].astype(np.int64)
            for codes, uniques in parts[1:]:
                combined = combined * len(uniques) + codes
            codes_all, uniq = pd.factorize(combined)
            by_codes = _narrow(codes_all)
            cols = {}
            rest = np.asarray(uniq, dtype=np.int64)
            for b, (_, uniques) in reversed(list(zip(by_list, parts, strict=True))):
                cols[b] = uniques.take(rest % len(uniques))
                rest = rest // len(uniques)
            by_values = pd.DataFrame({b: cols[b] for b in by_list})
    if by_values is None:
        by_values = pd.DataFrame(index=pd.RangeIndex(1))

    prepared = Prepared(
        plan=plan,
        frame=frame,
        key=key,
        by=by_list,
        targets=targets,
        key_codes=key_codes,
        key_targets=key_targets,
        period_codes=period_codes,
        periods=periods,
        unit_codes=unit_codes,
        units=units,
        by_codes=by_codes,
        by_values=by_values,
        value=value,
        numerator=numbers["numerator"],
        denominator=numbers["denominator"],
        failures=failures,
        pairs=pairs,
    )
    if strict:
        _strict_checks(prepared)
    if not collect:
        raise_failures(prepared.failures)
    return prepared


def _rate_checks(
    frame: pd.DataFrame,
    rate_key: npt.NDArray[np.bool_],
    key_codes: npt.NDArray[np.integer[Any]],
    unit_codes: npt.NDArray[np.integer[Any]],
    fractions: tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]],
    numbers: dict[str, Any],
    candidates: npt.NDArray[np.intp],
    failures: list[pd.DataFrame],
) -> None:
    """Observations of a rate outside 0–100 %, or at odds with their numerator and denominator.

    The rule is ``_plausibility``'s, as in :func:`~policytargets.assess`. Without
    numerators and denominators only a value below 0, or above 1 in a plain
    fraction unit, can break it: those rows (``candidates``, from :func:`_scan`)
    are all the rule is applied to.
    """
    import numpy as np

    from .._assessment import Measure
    from .kernel import MEASURE_COLUMN

    value, numerator, denominator = numbers["value"], numbers["numerator"], numbers["denominator"]
    n = len(value)
    if n == 0 or not rate_key.any():
        return
    factors, plain = fractions
    pooled = numerator is not None and denominator is not None
    if pooled:
        # Every row of a rate: its numerator and denominator are checked too.
        keys = np.where(key_codes < 0, len(rate_key) - 1, key_codes)
        rows = np.flatnonzero(rate_key[keys])
    else:
        rows = candidates
    if MEASURE_COLUMN in frame.columns and len(rows):
        # Only levels: a growth rate (同比) may be negative.
        measure = frame[MEASURE_COLUMN].iloc[rows].astype(object).to_numpy()
        rows = rows[measure != Measure.GROWTH.value]
    if not len(rows):
        return
    codes = unit_codes[rows]
    found = rate_problems(
        value[rows],
        factors[codes],
        plain[codes],
        numerator[rows] if pooled else None,
        denominator[rows] if pooled else None,
    )
    for reason, column, mask in found:
        failures.append(failure_table(frame, rows[mask], column, reason))


@dataclass(frozen=True)
class _RateScreen:
    """Which rows may break a rate's plausibility rule without numerators (see ``_scan``).

    A value below 0, or above ``above`` in a plain fraction unit ("1", a bare
    number): a superset of the rows ``rate_problems`` refuses, as fraction
    factors are positive and a plain unit's factor is 1.
    """

    rate_key: npt.NDArray[np.bool_]  # by key code: names a rate; last, the missing key's (-1)
    plain: npt.NDArray[np.bool_]  # by unit code: a plain fraction
    plain_codes: list[int]
    above: float

    @classmethod
    def of(
        cls,
        rate_key: npt.NDArray[np.bool_],
        factors: npt.NDArray[np.float64],
        plain: npt.NDArray[np.bool_],
    ) -> _RateScreen:
        import numpy as np

        scale = factors[plain & np.isfinite(factors)]
        # A plain unit's value v is refused above (1 + slack) / factor: v > 1 / max factor is wider.
        above = 1.0 / float(scale.max()) if len(scale) else np.inf
        return cls(
            rate_key=rate_key,
            plain=plain,
            plain_codes=np.flatnonzero(plain).tolist(),
            above=above,
        )

    def search(
        self,
        start: int,
        k_lo: int,
        k_hi: int,
        key_codes: Any,
        v: npt.NDArray[np.float64],
        v_lo: float,
        v_hi: float,
        unit_codes: Any,
    ) -> npt.NDArray[np.intp] | None:
        """The rows of one chunk (from ``start``) to check, or None when there are none.

        A chunk whose key codes span no rate is skipped at once; so is one whose
        extremes rule both tests out.
        """
        import numpy as np

        # Key codes run from -1 (missing) to one below the last entry, the missing key's.
        if not self.rate_key[max(k_lo, 0) : k_hi + 1].any() and not (
            k_lo < 0 and self.rate_key[-1]
        ):
            return None
        mask = v < 0 if v_lo < 0 else None
        if v_hi > self.above and self.plain_codes:
            # Few units are plain fractions: one comparison each beats a gather
            # through a table indexed by every row's unit code.
            if len(self.plain_codes) > 4:
                fraction = self.plain.take(unit_codes, mode="clip")
            else:
                fraction = unit_codes == self.plain_codes[0]
                for code in self.plain_codes[1:]:
                    fraction |= unit_codes == code
            if fraction.any():
                fraction &= v > self.above
                mask = fraction if mask is None else mask | fraction
        if mask is None:
            return None
        found = np.flatnonzero(mask)
        if not len(found):
            return None
        keys = key_codes[found]
        found = found[self.rate_key[np.where(keys < 0, len(self.rate_key) - 1, keys)]]
        return found + start


def _fractions(units: list[str | None]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Each unit's factor to a plain fraction (NaN if it is none) and whether it is plain."""
    import numpy as np

    factors = np.array([fraction_factor(u) or np.nan for u in units], dtype=np.float64)
    plain = np.array([is_plain(u) for u in units], dtype=bool)
    factors.flags.writeable = plain.flags.writeable = False  # shared by calls (plan cache)
    return factors, plain


#: Rows from which the pass over a whole table runs on two threads, each over half the rows.
PARALLEL_ROWS = 1 << 20
#: Rows a chunk of that pass: its columns stay in the CPU cache between the tests.
SCAN_ROWS = 1 << 16


def _scan(
    key_codes: npt.NDArray[np.integer[Any]],
    period_codes: npt.NDArray[np.integer[Any]],
    n_keys: int,
    n_periods: int,
    value: npt.NDArray[np.float64],
    unit_codes: npt.NDArray[np.integer[Any]],
    screen: _RateScreen | None,
) -> tuple[npt.NDArray[np.bool_], tuple[float, float], npt.NDArray[np.intp]]:
    """One pass over the rows, a chunk at a time, while the chunk is in the CPU cache.

    Returns which (key code, period code) pairs occur (rows with a missing
    code left out), the value column's NaN-ignoring
    extremes (as :func:`_extremes`), and, with a ``screen``, the rows of a
    rate to check, ascending. On a long table each of two threads takes half
    the rows (numpy's reductions run without the GIL).
    """
    import numpy as np

    from .chunks import _map

    n = len(value)
    shape = (max(n_keys, 1), max(n_periods, 1))

    def part(s: slice) -> tuple[npt.NDArray[np.bool_], float, float, list[npt.NDArray[np.intp]]]:
        pairs = np.zeros(shape, dtype=bool)
        low, high = np.nan, np.nan
        found: list[npt.NDArray[np.intp]] = []
        for i in range(s.start, s.stop, SCAN_ROWS):
            c = slice(i, min(i + SCAN_ROWS, s.stop))
            kc, v = key_codes[c], value[c]
            k_lo, k_hi = _mark_pairs(pairs, kc, period_codes[c])
            v_lo, v_hi = np.fmin.reduce(v), np.fmax.reduce(v)
            low, high = np.fmin(low, v_lo), np.fmax(high, v_hi)
            if screen is not None:
                rows = screen.search(i, k_lo, k_hi, kc, v, v_lo, v_hi, unit_codes[c])
                if rows is not None:
                    found.append(rows)
        return pairs, float(low), float(high), found

    if n < PARALLEL_ROWS:
        parts = [part(slice(0, n))]
    else:
        parts = _map(part, [slice(0, n // 2), slice(n // 2, n)])
    pairs = parts[0][0]
    for other, *_ in parts[1:]:
        pairs |= other
    low = float(np.fmin.reduce([p[1] for p in parts]))
    high = float(np.fmax.reduce([p[2] for p in parts]))
    found = [rows for p in parts for rows in p[3]]  # halves in order: ascending
    candidates = np.concatenate(found) if found else np.zeros(0, dtype=np.intp)
    return pairs, (low, high), candidates


def _extremes(array: npt.NDArray[np.float64]) -> tuple[float, float]:
    """NaN-ignoring minimum and maximum (NaN when every value is missing), in one pass.

    Chunk by chunk, so that the second reduction reads the CPU cache, not memory.
    """
    import numpy as np

    low, high = np.nan, np.nan
    step = 1 << 16
    for i in range(0, len(array), step):
        chunk = array[i : i + step]
        low = np.fmin(low, np.fmin.reduce(chunk))
        high = np.fmax(high, np.fmax.reduce(chunk))
    return float(low), float(high)


def _lookup(targets: list[Target], key: str) -> dict[str, list[int]]:
    """The targets each id names: its own (``target_id``), or its indicator's (``indicator_id``)."""
    lookup: dict[str, list[int]] = {}
    for i, target in enumerate(targets):
        if key == "target_id":
            lookup.setdefault(target.id, []).append(i)
        else:
            lookup.setdefault(target.indicator.id, []).append(i)
    if key == "indicator_id":
        _add_indicator_names(lookup, targets)
    return lookup


def _add_indicator_names(lookup: dict[str, list[int]], targets: list[Target]) -> None:
    """Let an indicator's name (中文 or English) stand for its id, where no other has that name.

    Agencies' files name indicators (制造业产品质量合格率), not plan ids.
    """
    owners: dict[str, set[str]] = {}
    for target in targets:
        indicator = target.indicator
        for name in (indicator.name.zh, indicator.name.en):
            if name:
                owners.setdefault(name.strip(), set()).add(indicator.id)
    for name, ids in owners.items():
        if len(ids) == 1 and name not in lookup:
            lookup[name] = lookup[next(iter(ids))]


def _mark_pairs(pairs: npt.NDArray[np.bool_], kc: Any, pc: Any) -> tuple[int, int]:
    """Mark the pairs of one chunk of rows in ``pairs``; the chunk's lowest and highest key code.

    A chunk holding one pair (rows sorted by key, the usual export) costs four
    reductions and no temporary; one of a few runs of keys, four a run.
    """
    import numpy as np

    k_lo, k_hi = int(kc.min()), int(kc.max())
    if _one_pair(pairs, kc, pc, k_lo, k_hi):
        return k_lo, k_hi
    edges = np.flatnonzero(kc[1:] != kc[:-1]) + 1
    if len(edges) < 16 and all(
        _one_pair(pairs, kc[a:b], pc[a:b])
        for a, b in zip([0, *edges.tolist()], [*edges.tolist(), len(kc)], strict=True)
    ):
        return k_lo, k_hi
    p_lo = int(pc.min())
    ok = (kc >= 0) & (pc >= 0) if min(k_lo, p_lo) < 0 else slice(None)
    combined = kc[ok].astype(np.int64) * pairs.shape[1]
    combined += pc[ok]
    pairs.reshape(-1)[combined] = True
    return k_lo, k_hi


def _one_pair(
    pairs: npt.NDArray[np.bool_], kc: Any, pc: Any, k_lo: int | None = None, k_hi: int | None = None
) -> bool:
    """Mark the pair of rows that all share one key and one period; False if they do not."""
    if k_lo is None or k_hi is None:
        k_lo, k_hi = int(kc.min()), int(kc.max())
    if k_lo != k_hi:
        return False
    p_lo, p_hi = int(pc.min()), int(pc.max())
    if p_lo != p_hi:
        return False
    if k_lo >= 0 and p_lo >= 0:
        pairs[k_lo, p_lo] = True
    return True


def _heads(data: Any) -> npt.NDArray[np.intp]:
    """Where each run of equal values (a missing value is a run of its own) starts."""
    import numpy as np
    import pyarrow.compute as pc

    if len(data) < 2:
        return np.zeros(min(len(data), 1), dtype=np.intp)
    changes = pc.fill_null(pc.not_equal(data[1:], data[:-1]), True)
    starts = np.flatnonzero(changes.to_numpy(zero_copy_only=False)) + 1
    return np.concatenate([np.zeros(1, dtype=np.intp), starts])


def _few_runs(sample: Any) -> bool:
    """Whether a sample of text changes value less than once in 64 rows."""
    return len(_heads(sample)) * 64 < len(sample)


def _run_factorize(data: Any) -> tuple[npt.NDArray[np.int32], Any]:
    """``_arrow_factorize`` through runs: one row a run encoded, its code repeated."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    starts = _heads(data)
    encoded = pc.dictionary_encode(pc.take(data, pa.array(starts)))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    indices = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    lengths = np.diff(np.append(starts, len(data)))
    return np.repeat(indices.astype(np.int32), lengths), encoded.dictionary


def _by_codes(
    column: pd.Series[Any], done: tuple[Any, Any] | None = None
) -> tuple[npt.NDArray[np.integer[Any]], pd.Index[Any]]:
    """Codes for a disaggregation column; a missing value is a group of its own."""
    import numpy as np
    import pandas as pd

    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.array.codes
        categories = column.array.categories
        if len(codes) and codes.min() < 0:
            codes = np.where(codes < 0, len(categories), codes)
            return codes, pd.Index([*categories, None], dtype=object)
        return codes, categories
    encoded = _arrow_factorize(column) if done is None else done
    if encoded is not None and (not len(encoded[0]) or encoded[0].min() >= 0):
        return encoded[0], pd.Index(pd.array(encoded[1], dtype=column.dtype))
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return _narrow(codes), pd.Index(uniques)


def _strict_checks(p: Prepared) -> None:
    """Dimension mismatches and conflicting duplicates, for validate_observations."""
    import numpy as np

    from .._units import is_compatible
    from .kernel import MEASURE_COLUMN, measure_rows

    # A growth rate (同比) is a % whatever the indicator's unit (evaluate reads it so).
    growth = np.zeros(len(p.value), dtype=bool)
    measures = measure_rows(p.frame)
    if measures is not None:
        growth, unknown = measures
        if unknown.any():
            p.failures.append(
                failure_table(p.frame, np.flatnonzero(unknown), MEASURE_COLUMN, "unknown_measure")
            )
    # Rows another check refused already are left out (their codes may be -1).
    usable = ~np.isnan(p.value) & ~failed_rows(p.failures, len(p.value))
    # Dimension: every target a key maps to shares its indicator's dimension.
    # One more row for the key code -1 (a missing key: such rows are refused already).
    table = np.ones((len(p.key_targets) + 1, len(p.units)), dtype=bool)
    for k, indices in enumerate(p.key_targets):
        if not indices:
            continue
        target_unit = p.targets[indices[0]].unit
        for u, unit in enumerate(p.units):
            table[k, u] = unit is not None and is_compatible(unit, target_unit)
    key_rows = np.where(p.key_codes < 0, len(p.key_targets), p.key_codes)
    percent = np.array([u is not None and is_compatible(u, "%") for u in p.units], dtype=bool)
    mismatch = usable & ~np.where(growth, percent[p.unit_codes], table[key_rows, p.unit_codes])
    if mismatch.any():
        p.failures.append(
            failure_table(p.frame, np.flatnonzero(mismatch), "unit", "dimension_mismatch")
        )
    # Duplicates: one key, breakdown and period with two different (value, unit).
    rows = np.flatnonzero(usable & ~mismatch)
    if len(rows) < 2:
        return
    start = np.array([q.start.toordinal() for q in p.periods], dtype=np.int64)
    end = np.array([q.end.toordinal() for q in p.periods], dtype=np.int64)
    keys = (
        p.unit_codes[rows],
        p.value[rows],
        start[p.period_codes[rows]],
        end[p.period_codes[rows]],
        p.by_codes[rows],
        p.key_codes[rows],
        growth[rows],  # a level and a growth rate of one period are two figures
    )
    order = np.lexsort(keys)
    srt = [k[order] for k in keys]
    same_group = (srt[5][1:] == srt[5][:-1]) & (srt[4][1:] == srt[4][:-1])
    same_group &= srt[6][1:] == srt[6][:-1]
    same_group &= (srt[3][1:] == srt[3][:-1]) & (srt[2][1:] == srt[2][:-1])
    differs = (srt[1][1:] != srt[1][:-1]) | (srt[0][1:] != srt[0][:-1])
    conflict = same_group & differs
    if conflict.any():
        # Every row of a group that holds two different values is reported.
        group = np.concatenate([[0], np.cumsum(~same_group)])
        bad_groups = np.unique(group[1:][conflict])
        bad = rows[order[np.isin(group, bad_groups)]]
        p.failures.append(failure_table(p.frame, np.sort(bad), "value", "duplicate"))
