"""Vectorised evaluation: every target of a plan against a long table of observations.

:func:`evaluate` gives, row for row, what :func:`policytargets.assess` gives
for each (target, breakdown) group, without Python code per observation:

* string keys (ids, periods, units, regions) are factorised once
  (``prepare`` in ``_observations``); a categorical column's own
  codes are used as they are;
* everything that depends only on the target and the period, or the target
  and the unit (phase, coverage, conversion factor, bounds) is a small table
  indexed by those codes; units are converted once per (observed unit,
  target unit) pair with :func:`~policytargets.conversion_factor`;
* values are judged with the shared kernel ``satisfies`` of ``_conditions``.

Two paths, both tested against :func:`policytargets.assess`:

* the fast path, when every observation is the only one of its group and
  covers the whole target period: pure numpy over the rows, in chunks that
  stay in the CPU cache, run by run of one target (so per-target numbers are
  scalars), written straight into the result's own arrays (``_fast``);
* the general path: observations sorted once by (group, current / previous
  period, period end, longest period last), then flows summed, rates pooled,
  duplicates and the latest value found with ``reduceat``-style grouping,
  then every group judged by ``_assemble``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._assessment import FAILED_FOR_GOOD, Status, margin_unit
from ._conditions import DEFAULT_RTOL, satisfies
from ._errors import InvalidValueError
from ._model import Basis, IndicatorKind
from ._observations import Prepared, failure_table, prepare, raise_failures
from ._periods import Period
from ._scoring import ProgressInput, Scorer, ScoringMethod, resolve_scorer

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    from ._model import Plan

    F64 = npt.NDArray[np.float64]
    Ints = npt.NDArray[np.integer[Any]]
    Bools = npt.NDArray[np.bool_]

__all__ = ["RESULT_COLUMNS", "evaluate"]

#: The columns of :func:`evaluate`'s result, with the ``by`` columns after ``target_id``.
RESULT_COLUMNS: tuple[str, ...] = (
    "target_id",
    "period",
    "status",
    "observed",
    "projected",
    "threshold",
    "margin",
    "margin_unit",
    "unit",
    "baseline",
    "coverage",
    "score",
    "score_method",
    "aspirational",
    "reason",
)

_STATUSES = [s.value for s in Status]
_S = {s: i for i, s in enumerate(Status)}
_BUILT_IN = {
    "linear_achievement": ScoringMethod.LINEAR,
    "growth_ratio": ScoringMethod.GROWTH_RATIO,
    "current_status_index": ScoringMethod.CURRENT_STATUS_INDEX,
}
#: Rows per chunk on the fast path: a chunk's temporaries stay in the CPU cache.
CHUNK = 1 << 16
_WHAT = ("observed value", "projected value", "every observation", "the worst observation")
_VERB = {
    Status.MET: "meets",
    Status.NOT_MET: "does not meet",
    Status.ON_TRACK: "so far meets",
    Status.OFF_TRACK: "so far does not meet",
}
_JUDGED = (Status.MET, Status.NOT_MET, Status.ON_TRACK, Status.OFF_TRACK)


def evaluate(
    plan: Plan,
    observations: Any,
    *,
    by: Sequence[str] | str | None = None,
    scoring: str | Scorer = "linear",
    rtol: float = DEFAULT_RTOL,
    progress: bool = False,
) -> Any:
    """Assess every target of a plan against a long table of observations.

    The result is what :func:`policytargets.assess` gives for each target and
    each combination of the ``by`` columns, one row each.

    Args:
        plan: the plan.
        observations: a pandas (or Dask) DataFrame with columns ``target_id``
            (or ``indicator_id``, whose rows apply to every target of that
            indicator), ``period``, ``value`` (NaN = missing), ``unit``,
            optionally ``numerator`` and ``denominator`` (pooled rates), and
            the ``by`` columns. Rows whose period lies neither in a target's
            period nor in the period before it are ignored for that target.
        by: disaggregation columns (default: ``region`` when present).
        scoring: ``"linear"``, ``"growth_ratio"``, ``"current_status_index"``
            or a callable taking a :class:`~policytargets.ProgressInput` (a
            callable is called once per group, so it is much slower than
            the built-in methods, which are vectorised).
        rtol: relative tolerance at bounds.
        progress: show a progress bar (tqdm) over chunks.

    Returns:
        A pandas DataFrame with columns ``target_id``, the ``by`` columns,
        ``period``, ``status`` (values of :class:`~policytargets.Status`),
        ``observed``, ``projected``, ``threshold``, ``margin``,
        ``margin_unit``, ``unit``, ``baseline``, ``coverage``, ``score``,
        ``score_method``, ``aspirational`` and ``reason``. Types: text
        columns (``target_id``, ``period``, ``status``, ``margin_unit``,
        ``unit``, ``score_method``, ``reason``) are categorical (a
        categorical ``target_id`` or ``by`` column of the input is reused
        as it is, with its own categories); ``observed``, ``threshold`` and
        ``margin`` are float64; ``projected``, ``baseline`` and ``score``
        are ``Sparse[float64, nan]`` and ``coverage`` ``Sparse[float64,
        1.0]``: mostly missing (or 1) on long tables, they cost memory
        only where they differ, and stay numbers (arithmetic, comparisons,
        ``isna``, ``np.asarray``; ``.astype(float)`` makes them dense);
        ``aspirational`` is bool. Missing numbers are NaN. Rows come in the order in which
        their (target, breakdown) group first appears in the observations,
        followed by a ``no_data`` row for each target with no relevant
        observation, in plan order. Given a Dask DataFrame, a lazy Dask
        DataFrame, evaluated partition-wise (see the how-to guide on
        loading observations).

    Raises:
        ObservationError: bad input, every bad row at once in ``.failures``
            (unknown ids, unparsable units or periods, non-numeric or
            infinite values),
            and, as :func:`assess` raises, two different values for one
            group and period, or overlapping observations of a flow.
    """
    if _is_dask(observations):
        return evaluate_dask(plan, observations, by=by, scoring=scoring, rtol=rtol)
    scorer = resolve_scorer(scoring)
    _check_rtol(rtol)
    prepared = prepare(plan, observations, by=by)
    return _evaluate_prepared(prepared, scorer, rtol, progress, absent=True)


def _check_rtol(rtol: Any) -> None:
    if isinstance(rtol, bool) or not isinstance(rtol, int | float) or not rtol >= 0:
        raise InvalidValueError("evaluate(rtol=)", "a non-negative number", rtol)


def _is_dask(frame: Any) -> bool:
    # Detect without importing dask, which may not be installed.
    module = type(frame).__module__ or ""
    return module.split(".")[0] in ("dask", "dask_expr") and hasattr(frame, "map_partitions")


# --------------------------------------------------------------------------- tables


@dataclass
class _Tables:
    """Everything that depends on the target alone, or on the target and one code."""

    targets: list[Any]
    n_targets: int
    n_periods: int
    n_units: int
    flow: Bools
    maintained: Bools
    needs: Bools
    sign: F64
    low: F64
    high: F64
    low_closed: Bools
    high_closed: Bools
    threshold: F64
    goal: F64
    plan_base: F64
    rate_factor: F64
    pool: Bools
    start: Ints
    days: F64
    prev_start: Ints
    prev_days: F64
    base_wm: Bools
    base_month: Ints
    base_end: Ints
    total_years: F64
    phase: npt.NDArray[np.int8]  # [t * n_periods + p]: 0 none, 1 current, 2 previous
    full: Bools  # [t * n_periods + p]: the period is the target's
    factor: F64  # [t * n_units + u]: NaN when not comparable
    p_start: Ints
    p_end: Ints
    p_wm: Bools
    p_month: Ints


def _period_info(period: Period) -> tuple[bool, int, int]:
    whole = period._whole_months() is not None
    return whole, period.end.year * 12 + period.end.month, period.end.toordinal()


def _years(a_wm: Any, a_month: Any, a_end: Any, b_wm: Any, b_month: Any, b_end: Any) -> Any:
    """Vectorised :meth:`~policytargets.Period.years_until`."""
    import numpy as np

    return np.where(a_wm & b_wm, (b_month - a_month) / 12, (b_end - a_end) / 365.25)


def _tables(p: Prepared) -> _Tables:
    import numpy as np

    from ._units import conversion_factor, is_compatible

    targets = p.targets
    nt, nper, nu = len(targets), max(len(p.periods), 1), len(p.units)
    low = np.full(nt, np.nan)
    high = np.full(nt, np.nan)
    lc = np.ones(nt, dtype=bool)
    hc = np.ones(nt, dtype=bool)
    thr = np.full(nt, np.nan)
    goal = np.full(nt, np.nan)
    for i, t in enumerate(targets):
        if t.condition.needs_baseline:
            continue
        b = t.condition.bounds(t.indicator.direction, None)
        low[i], high[i], lc[i], hc[i] = b.low, b.high, b.low_closed, b.high_closed
        thr[i] = np.nan if b.threshold is None else b.threshold
        g = t.condition.goal_value(t.indicator.direction, None)
        goal[i] = np.nan if g is None else g
    base_info = [
        _period_info(t.baseline.period if t.baseline else t.period.previous()) for t in targets
    ]
    target_info = [_period_info(t.period) for t in targets]
    base_wm = np.array([b[0] for b in base_info], dtype=bool)
    base_month = np.array([b[1] for b in base_info], dtype=np.intp)
    base_end = np.array([b[2] for b in base_info], dtype=np.intp)
    total = _years(
        base_wm,
        base_month,
        base_end,
        np.array([x[0] for x in target_info], dtype=bool),
        np.array([x[1] for x in target_info], dtype=np.intp),
        np.array([x[2] for x in target_info], dtype=np.intp),
    )
    phase = np.zeros((nt, nper), dtype=np.int8)
    full = np.zeros((nt, nper), dtype=bool)
    for i, t in enumerate(targets):
        prev = t.period.previous()
        for j, q in enumerate(p.periods):
            if t.period.contains(q):
                phase[i, j] = 1
                full[i, j] = q == t.period
            elif prev.contains(q):
                phase[i, j] = 2
    factor = np.full((nt, nu), np.nan)
    for i, t in enumerate(targets):
        for j, unit in enumerate(p.units):
            if unit is not None and is_compatible(unit, t.unit):
                factor[i, j] = conversion_factor(unit, t.unit)
    infos = [_period_info(q) for q in p.periods] or [(False, 0, 0)]
    rate = np.array([t.indicator.kind is IndicatorKind.RATE for t in targets], dtype=bool)
    return _Tables(
        targets=targets,
        n_targets=nt,
        n_periods=nper,
        n_units=nu,
        flow=np.array([t.indicator.basis is Basis.FLOW for t in targets], dtype=bool),
        maintained=np.array([t.condition.maintained for t in targets], dtype=bool),
        needs=np.array([t.condition.needs_baseline for t in targets], dtype=bool),
        sign=np.array([t.indicator.direction.sign for t in targets], dtype=np.float64),
        low=low,
        high=high,
        low_closed=lc,
        high_closed=hc,
        threshold=thr,
        goal=goal,
        plan_base=np.array(
            [np.nan if t.baseline is None else t.baseline.value for t in targets], dtype=float
        ),
        rate_factor=np.array(
            [
                conversion_factor("", t.unit) if r else np.nan
                for t, r in zip(targets, rate, strict=True)
            ]
        ),
        pool=rate,
        start=np.array([t.period.start.toordinal() for t in targets], dtype=np.intp),
        days=np.array([t.period.days for t in targets], dtype=np.float64),
        prev_start=np.array(
            [t.period.previous().start.toordinal() for t in targets], dtype=np.intp
        ),
        prev_days=np.array([t.period.previous().days for t in targets], dtype=np.float64),
        base_wm=base_wm,
        base_month=base_month,
        base_end=base_end,
        total_years=np.asarray(total, dtype=np.float64),
        phase=phase.ravel(),
        full=full.ravel(),
        factor=factor.ravel(),
        p_start=np.array([q.start.toordinal() for q in p.periods] or [0], dtype=np.intp),
        p_end=np.array([q.end.toordinal() for q in p.periods] or [0], dtype=np.intp),
        p_wm=np.array([x[0] for x in infos], dtype=bool),
        p_month=np.array([x[1] for x in infos], dtype=np.intp),
    )


# --------------------------------------------------------------------------- judging


@dataclass
class _Groups:
    """Per-group inputs of ``_assemble`` (one entry per (target, breakdown) group).

    ``state``: 0 no observation, 1 every observation missing, 2 a unit not
    comparable (``unit``), 3 usable. ``base_state`` likewise for the
    baseline (3: known, from the plan or the previous period; 4: a flow's
    previous period covered only in part, ``base_pct`` percent of it).
    """

    t: Ints
    state: npt.NDArray[np.int8]
    unit: Ints
    level: F64
    level_cov: F64
    worst: F64
    end_cov: F64
    last_p: Ints
    base: F64
    base_state: npt.NDArray[np.int8]
    base_unit: Ints
    base_pct: Ints

    def slice(self, s: slice) -> _Groups:
        return _Groups(**{k: v[s] for k, v in self.__dict__.items()})


@dataclass
class _Out:
    """Result columns being filled, chunk by chunk."""

    status: npt.NDArray[np.int8]
    observed: F64
    projected: F64
    threshold: F64
    margin: F64
    baseline: F64
    coverage: F64
    score: F64
    method: npt.NDArray[np.int16]
    reason: npt.NDArray[np.int32]

    @classmethod
    def empty(cls, n: int) -> _Out:
        import numpy as np

        return cls(
            status=np.empty(n, dtype=np.int8),
            observed=np.empty(n),
            projected=np.empty(n),
            threshold=np.empty(n),
            margin=np.empty(n),
            baseline=np.empty(n),
            coverage=np.empty(n),
            score=np.empty(n),
            method=np.empty(n, dtype=np.int16),
            reason=np.empty(n, dtype=np.int32),
        )


def _bounds(tb: _Tables, t: Ints, base: F64) -> tuple[F64, F64, Bools, Bools, F64, F64]:
    """Bounds, threshold and goal per group; baseline-dependent ones from the condition itself."""
    import numpy as np

    low, high = tb.low[t], tb.high[t]
    lc, hc = tb.low_closed[t], tb.high_closed[t]
    thr, goal = tb.threshold[t], tb.goal[t]
    relative = tb.needs[t] & np.isfinite(base)
    if relative.any():
        where = np.flatnonzero(relative)
        pairs = np.stack([t[where].astype(np.float64), base[where]], axis=1)
        unique, inverse = np.unique(pairs, axis=0, return_inverse=True)
        values = np.empty((len(unique), 6))
        targets = tb.targets
        for i, (ti, b) in enumerate(unique):
            target = targets[int(ti)]
            d = target.indicator.direction
            bd = target.condition.bounds(d, float(b))
            g = target.condition.goal_value(d, float(b))
            values[i] = (
                bd.low,
                bd.high,
                bd.low_closed,
                bd.high_closed,
                np.nan if bd.threshold is None else bd.threshold,
                np.nan if g is None else g,
            )
        inverse = inverse.ravel()
        low[where], high[where] = values[inverse, 0], values[inverse, 1]
        lc[where], hc[where] = values[inverse, 2] > 0, values[inverse, 3] > 0
        thr[where], goal[where] = values[inverse, 4], values[inverse, 5]
    return low, high, lc, hc, thr, goal


def _reference(value: F64, low: F64, high: F64, thr: F64) -> F64:
    """Vectorised :meth:`~policytargets.Bounds.reference`."""
    import numpy as np

    missing = np.isnan(thr)
    if not missing.any():
        return thr
    nearer = np.where(np.abs(value - low) <= np.abs(value - high), low, high)
    nearer = np.where(np.isinf(low), high, np.where(np.isinf(high), low, nearer))
    return np.where(missing, nearer, thr)


def _scores(
    method: ScoringMethod, base: F64, current: F64, goal: F64, sign: F64, elapsed: F64, total: F64
) -> F64:
    """The built-in scorers of ``_scoring``, over arrays (NaN where the scorer gives None)."""
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if method is ScoringMethod.LINEAR:
            gap = goal - base
            return np.where(gap != 0, (current - base) / gap, np.nan)
        if method is ScoringMethod.CURRENT_STATUS_INDEX:
            gap = np.abs(goal - base)
            return np.where(gap != 0, 10 * sign * (current - base) / gap, np.nan)

        def cagr(start: F64, end: F64, years: F64) -> F64:
            ok = (years > 0) & (start > 0) & (end >= 0)
            return np.where(ok, (end / start) ** (1 / years) - 1, np.nan)

        observed = cagr(base, current, elapsed)
        required = cagr(base, goal, total)
        ok = (elapsed > 0) & (total > 0) & ~np.isnan(observed) & ~np.isnan(required)
        ok &= required != 0
        return np.where(ok, observed / required, np.nan)


@dataclass
class _Context:
    tables: _Tables
    prepared: Prepared
    scorer: Scorer
    method: ScoringMethod | None
    rtol: float
    methods: list[str]
    n_reason: int  # local reason codes per target
    described: dict[int, str] = field(default_factory=dict)  # condition texts per target

    @property
    def judged_base(self) -> int:
        return 4 + 2 * len(self.prepared.units)

    @property
    def partial_base(self) -> int:
        """The first of 100 codes: a flow's previous period covered 0..99 %."""
        return self.judged_base + 16 * 102


def _assemble(cx: _Context, g: _Groups, out: _Out, s: slice) -> None:
    """Judge groups and write their result columns into ``out[s]``."""
    import numpy as np

    tb = cx.tables
    t = g.t
    ok = g.state == 3
    all_ok = bool(ok.all())
    needs = tb.needs[t]
    no_base = needs & np.isnan(g.base) & ok
    judged = ok & ~no_base
    maint = tb.maintained[t]
    flow = tb.flow[t]
    observed = np.where(maint & judged, g.worst, g.level)
    coverage = np.where(maint & judged, g.end_cov, g.level_cov)
    partial = coverage < 1 - 1e-12
    any_partial = bool(partial.any())
    if any_partial:
        with np.errstate(divide="ignore", invalid="ignore"):
            projected = np.where(judged & flow & ~maint & partial, observed / coverage, np.nan)
        judged_value = np.where(np.isnan(projected), observed, projected)
    else:
        projected = np.full(len(t), np.nan)
        judged_value = observed
    low, high, lc, hc, thr, goal = _bounds(tb, t, g.base)
    holds = satisfies(judged_value, low, high, lc, hc, cx.rtol)
    reference = _reference(judged_value, low, high, thr)
    with np.errstate(invalid="ignore"):
        margin = judged_value - reference
        margin = np.where(np.abs(margin) <= cx.rtol * np.abs(reference), 0.0, margin)
    status = np.where(holds, _S[Status.MET], _S[Status.NOT_MET]).astype(np.int8)
    if any_partial:
        # A maintained condition that already failed is not met (as in assess).
        behind = np.where(maint, _S[Status.NOT_MET], _S[Status.OFF_TRACK])
        status = np.where(partial, np.where(holds, _S[Status.ON_TRACK], behind), status)
        status = status.astype(np.int8)
    sj = status  # 0..3 for judged statuses, in _JUDGED order
    what = np.where(maint, np.where(holds, 2, 3), np.where(np.isnan(projected), 0, 1))
    pct = np.where(partial, np.round(np.minimum(coverage, 1.0) * 100), 101).astype(np.int32)
    reason = cx.judged_base + (sj.astype(np.int32) * 4 + what) * 102 + pct
    cov_out = np.minimum(coverage, 1.0)
    base_out = g.base
    # Scores.
    has_score = judged & np.isfinite(g.base) & np.isfinite(goal)
    method_code = np.where(has_score, 0, -1).astype(np.int16)
    if cx.method is not None:
        elapsed = (
            _years(
                tb.base_wm[t],
                tb.base_month[t],
                tb.base_end[t],
                tb.p_wm[g.last_p],
                tb.p_month[g.last_p],
                tb.p_end[g.last_p],
            )
            if cx.method is ScoringMethod.GROWTH_RATIO
            else None
        )
        values = _scores(
            cx.method,
            g.base,
            observed,
            goal,
            tb.sign[t],
            elapsed if elapsed is not None else g.base,
            tb.total_years[t],
        )
        score = np.where(has_score, values, np.nan)
        method_code = np.where(has_score, cx.methods.index(cx.method.value), -1).astype(np.int16)
    else:
        score = np.full(len(t), np.nan)
        for i in np.flatnonzero(has_score):
            value, name = _custom_score(cx, int(t[i]), g, int(i), float(goal[i]))
            score[i] = np.nan if value is None else value
            if name not in cx.methods:
                cx.methods.append(name)
            method_code[i] = cx.methods.index(name)
    if not all_ok or bool(no_base.any()):
        status = np.where(no_base, _S[Status.NEEDS_BASELINE], status)
        status = np.where(g.state == 2, _S[Status.NOT_COMPARABLE], status)
        status = np.where(g.state < 2, _S[Status.NO_DATA], status).astype(np.int8)
        nu = len(cx.prepared.units)
        base_reason = np.where(g.base_state == 2, 4 + nu + g.base_unit, 2 + g.base_state)
        base_reason = np.where(g.base_state == 4, cx.partial_base + g.base_pct, base_reason)
        reason = np.where(no_base, base_reason, reason)
        reason = np.where(g.state == 2, 4 + g.unit, reason)
        reason = np.where(g.state < 2, g.state, reason).astype(np.int32)
        nan = np.nan
        observed = np.where(ok, observed, nan)
        cov_out = np.where(ok, cov_out, 0.0)
        base_out = np.where(ok, base_out, nan)
        projected = np.where(judged, projected, nan)
        reference = np.where(judged, reference, nan)
        margin = np.where(judged, margin, nan)
    out.status[s] = status
    out.observed[s] = observed
    out.projected[s] = projected
    out.threshold[s] = reference
    out.margin[s] = margin
    out.baseline[s] = base_out
    out.coverage[s] = cov_out
    out.score[s] = score
    out.method[s] = method_code
    out.reason[s] = reason


def _custom_score(cx: _Context, ti: int, g: _Groups, i: int, goal: float) -> tuple[Any, str]:
    target = cx.prepared.targets[ti]
    base_period = target.baseline.period if target.baseline else target.period.previous()
    maint = target.condition.maintained
    current = float(g.worst[i] if maint else g.level[i])
    result = cx.scorer(
        ProgressInput(
            baseline=float(g.base[i]),
            baseline_period=base_period,
            current=current,
            current_period=cx.prepared.periods[int(g.last_p[i])],
            target=goal,
            target_period=target.period,
            direction=target.indicator.direction,
        )
    )
    return result.value, str(result.method)


def _reason_text(cx: _Context, ti: int, local: int) -> str:
    from ._units import dimensionality

    target = cx.prepared.targets[ti]
    period, prev = target.period, target.period.previous()
    units = cx.prepared.units
    nu = len(units)

    def incomparable(unit: str | None) -> str:
        return (
            f"observed unit {unit!r} ({dimensionality(unit or '')}) cannot be compared with "
            f"the target's {target.unit!r} ({dimensionality(target.unit)})"
        )

    def needs(reason: str) -> str:
        return f"{target.condition.comparator} needs a baseline for {prev}: {reason}"

    if local == 0:
        return f"no observation for {period}"
    if local == 1:
        return f"every observation for {period} is missing"
    if local == 2:
        return needs(f"no observation for {prev}")
    if local == 3:
        return needs(f"every observation for {prev} is missing")
    if local < 4 + nu:
        return incomparable(units[local - 4])
    if local < cx.judged_base:
        return needs(incomparable(units[local - 4 - nu]))
    if local >= cx.partial_base:
        return needs(f"observations cover {local - cx.partial_base}% of {prev}")
    code, pct = divmod(local - cx.judged_base, 102)
    sj, what = divmod(code, 4)
    described = cx.described.get(ti)
    if described is None:
        described = target.condition.describe(target.unit, "en", target.indicator.direction)
        cx.described[ti] = described
    text = f"{_WHAT[what]} {_VERB[_JUDGED[sj]]} '{described}'"
    if pct <= 100:
        text += f" ({pct}% of {period} observed"
        # Partial and not met: only a maintained condition that failed (see assess).
        text += f"; {FAILED_FOR_GOOD})" if _JUDGED[sj] is Status.NOT_MET else ")"
    return text


# --------------------------------------------------------------------------- driver


def _evaluate_prepared(
    p: Prepared, scorer: Scorer, rtol: float, progress: bool, *, absent: bool
) -> pd.DataFrame:
    import numpy as np

    tb = _tables(p)
    method = _BUILT_IN.get(getattr(scorer, "__name__", ""))
    if method is not None and scorer is not resolve_scorer(method.value):
        method = None
    cx = _Context(
        tables=tb,
        prepared=p,
        scorer=scorer,
        method=method,
        rtol=float(rtol),
        methods=[m.value for m in ScoringMethod],
        n_reason=4 + 2 * len(p.units) + 16 * 102 + 100,
    )
    fast = _fast(cx, progress, absent)
    if fast is not None:
        return fast
    out, t, by_frame, _ = _general(cx, progress)
    present = np.zeros(tb.n_targets, dtype=bool)
    present[t] = True
    missing = np.flatnonzero(~present) if absent else np.zeros(0, dtype=np.intp)
    return _frame(cx, out, t, by_frame, missing)


def _code_dtype(n: int) -> Any:
    """The smallest integer type that holds codes 0..n-1 and -1 (what pandas keeps)."""
    import numpy as np

    for dtype in (np.int8, np.int16, np.int32):
        if n < np.iinfo(dtype).max:
            return dtype
    return np.int64


def _chunks(n: int, size: int) -> list[slice]:
    return [slice(i, min(i + size, n)) for i in range(0, n, size)] or [slice(0, 0)]


def _run(chunks: list[slice], work: Callable[[slice], bool], progress: bool, what: str) -> bool:
    """Run ``work`` over chunks on up to two threads; False as soon as one chunk says so."""
    from concurrent.futures import ThreadPoolExecutor

    workers = min(2, os.cpu_count() or 1)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(chunks), desc=what, unit="chunk")
    try:
        if workers == 1 or len(chunks) < 4:
            for c in chunks:
                if not work(c):
                    return False
                if bar is not None:
                    bar.update()
            return True
        with ThreadPoolExecutor(workers) as pool:
            for done in pool.map(work, chunks):
                if not done:
                    return False
                if bar is not None:
                    bar.update()
        return True
    finally:
        if bar is not None:
            bar.close()


class _ReasonCodes:
    """Reason texts as categorical codes: one text per distinct (target, local reason)."""

    def __init__(self, cx: _Context) -> None:
        self.cx = cx
        self.texts: list[str] = []
        self._by_text: dict[str, int] = {}
        self._by_key: dict[tuple[int, int], int] = {}

    def get(self, ti: int, local: int) -> int:
        code = self._by_key.get((ti, local))
        if code is None:
            text = _reason_text(self.cx, ti, local)
            code = self._by_text.setdefault(text, len(self.texts))
            if code == len(self.texts):
                self.texts.append(text)
            self._by_key[(ti, local)] = code
        return code


def _per_target(values: list[str]) -> tuple[Any, list[str]]:
    """Codes per target (smallest dtype pandas keeps) and the distinct values."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    return np.asarray(codes).astype(_code_dtype(len(uniques))), [str(u) for u in uniques]


def _categorical(codes: Any, categories: list[str]) -> pd.Categorical:
    """A categorical over ``codes`` without a validation pass (no copy when the dtype fits)."""
    import pandas as pd

    codes = codes.astype(_code_dtype(len(categories)), copy=False)
    index: Any = pd.Index(categories, dtype=object)
    result: pd.Categorical = pd.Categorical.from_codes(codes, categories=index, validate=False)
    return result


def _sparse(rows: Any, values: Any, length: int, fill: float) -> Any:
    """A float SparseArray holding ``values`` at ``rows`` (any order) and ``fill`` elsewhere."""
    import numpy as np
    import pandas as pd

    rows = np.asarray(rows, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    if len(rows) > 1 and not bool((rows[1:] > rows[:-1]).all()):
        order = np.argsort(rows, kind="stable")
        rows, values = rows[order], values[order]
    sparse: Any = pd.arrays.SparseArray  # from_indices (pandas 3) is not in the stubs yet
    if hasattr(sparse, "from_indices"):
        return sparse.from_indices(values, rows, length, fill_value=fill)
    from pandas._libs.sparse import IntIndex  # pandas 2: the only way there was then

    int_index: Any = IntIndex
    index = int_index(length, rows.astype(np.int32))
    return sparse(values, sparse_index=index, fill_value=fill)


def _concat_parts(parts: list[tuple[Any, Any]]) -> tuple[Any, Any]:
    import numpy as np

    rows = [np.arange(r.start, r.stop) if isinstance(r, slice) else r for r, _ in parts]
    values = [np.broadcast_to(v, len(r)) for r, (_, v) in zip(rows, parts, strict=True)]
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(rows), np.concatenate(values)


def _fast(cx: _Context, progress: bool, absent: bool) -> pd.DataFrame | None:
    """One observation per group, covering the whole target period: the result, or None.

    Rows are judged in chunks that stay in the CPU cache, run by run of one
    target, so every per-target number is a scalar: no gather per row, one
    comparison per bound, and columns constant per target are filled, not
    gathered. Every column is written straight into its final array; the
    rare rows (missing values, incomparable units) are patched in place.
    None sends the table to the general path.
    """
    import numpy as np
    import pandas as pd

    p, tb = cx.prepared, cx.tables
    n, nt = len(p.value), tb.n_targets
    if n == 0 or cx.method is None or p.pairs is None:
        return None  # a custom scorer is called per group, on the general path
    if any(len(k) != 1 for k in p.key_targets):
        return None
    key_target = np.array([k[0] for k in p.key_targets], dtype=np.intp)
    n_by = len(p.by_values)
    if nt * n_by > 8 * n + (1 << 20):
        return None
    # Every (key, period) pair that occurs is its target's own whole period.
    kk, pp = np.nonzero(p.pairs)
    if not tb.full[key_target[kk] * tb.n_periods + pp].all():
        return None
    present = np.zeros(nt, dtype=bool)
    present[key_target[kk]] = True
    absent_t = np.flatnonzero(~present) if absent else np.zeros(0, dtype=np.intp)
    m = n + len(absent_t)

    # Per target, with the plan's baseline (if any) already applied to the bounds.
    base = tb.plan_base
    low, high, lc, hc, thr, goal = _bounds(tb, np.arange(nt, dtype=np.intp), base)
    no_base = tb.needs & np.isnan(base)
    has_base = np.isfinite(base)
    has_score = has_base & np.isfinite(goal) & ~no_base
    factor2d = tb.factor.reshape(nt, tb.n_units)
    codes = _ReasonCodes(cx)
    met_code = np.zeros(nt, dtype=np.int64)
    not_code = np.zeros(nt, dtype=np.int64)
    for ti in np.flatnonzero(present).tolist():
        if no_base[ti]:
            met_code[ti] = not_code[ti] = codes.get(ti, 2)
        else:  # judged, whole period covered: see _assemble for the numbering
            maint = int(tb.maintained[ti])
            met_code[ti] = codes.get(ti, cx.judged_base + 101 + 204 * maint)
            not_code[ti] = codes.get(ti, cx.judged_base + 509 + 306 * maint)
    predicted = len(codes.texts)
    targets = p.targets
    per_target = {
        "period": _per_target([str(x.period) for x in targets]),
        "margin_unit": _per_target([margin_unit(x.unit) for x in targets]),
        "unit": _per_target([x.unit for x in targets]),
    }
    method_tab = np.where(has_score, cx.methods.index(cx.method.value), -1).astype(np.int8)
    aspirational = np.array([x.aspirational for x in targets], dtype=bool)
    key_column = p.frame[p.key]
    # The input's own target_id categorical is the result's: no copy.
    reuse_key = (
        p.key == "target_id"
        and isinstance(key_column.dtype, pd.CategoricalDtype)
        and not len(absent_t)
    )

    def buffers(k: int) -> dict[str, Any]:
        arrays = {
            "status": np.empty(k, dtype=np.int8),
            "observed": np.empty(k),
            "threshold": np.empty(k),
            "margin": np.empty(k),
            "reason": np.empty(k, dtype=_code_dtype(predicted + nt * (2 + tb.n_units))),
            "method": np.empty(k, dtype=np.int8),
            "aspirational": np.empty(k, dtype=bool),
            **{name: np.empty(k, dtype=tab.dtype) for name, (tab, _) in per_target.items()},
        }
        if not reuse_key:
            arrays["target_id"] = np.empty(k, dtype=_code_dtype(nt))
        return arrays

    out = buffers(m)
    seen = np.zeros(nt * n_by, dtype=bool)
    counted: list[int] = []
    runs: list[tuple[int, int, int]] = []  # (target, first by code, last by code)
    used = np.zeros((nt, 2), dtype=bool)  # some row got the met / not-met reason
    bad_parts: list[tuple[Any, Any]] = []  # (rows, target * n_local + local reason)
    base_parts: list[tuple[Any, Any]] = []  # (rows, baseline)
    score_parts: list[tuple[Any, Any]] = []  # (rows, score)
    n_local = 4 + tb.n_units
    rtol, sign, total, scoring = cx.rtol, tb.sign, tb.total_years, cx.method
    code_nb, code_nc, code_nd = (
        _S[Status.NEEDS_BASELINE],
        _S[Status.NOT_COMPARABLE],
        _S[Status.NO_DATA],
    )

    def run(o: dict[str, Any], s: slice, ti: int, value: F64, uc: Ints, rows: Any) -> None:
        """Judge rows ``s`` of the buffers ``o``, all of target ``ti``.

        ``value`` and ``uc`` are the rows' inputs, ``rows`` their positions
        in the result (a slice, or an array when the chunk was reordered).
        """
        v = o["observed"][s]
        # mode="clip" skips the bounds check (every unit code indexes the
        # table), which makes take several times faster than v[uc].
        np.take(factor2d[ti], uc, out=v, mode="clip")
        np.multiply(v, value, out=v)
        for name, (tab, _) in per_target.items():
            o[name][s] = tab[ti]
        o["aspirational"][s] = aspirational[ti]
        o["method"][s] = method_tab[ti]
        if not reuse_key:
            o["target_id"][s] = ti
        bad = np.flatnonzero(np.isnan(v))
        th, mg, st, rs = o["threshold"][s], o["margin"][s], o["status"][s], o["reason"][s]
        if no_base[ti]:
            st.fill(code_nb)
            rs.fill(met_code[ti])
            th.fill(np.nan)
            mg.fill(np.nan)
            used[ti] |= len(bad) < len(v)
        else:
            lo, hi, ref = float(low[ti]), float(high[ti]), float(thr[ti])
            holds = satisfies(v, lo, hi, bool(lc[ti]), bool(hc[ti]), rtol)
            np.logical_not(holds, out=st.view(np.bool_))  # MET is 0, NOT_MET 1
            # reason = met + status * (not met - met): arithmetic beats a masked copy.
            np.multiply(st, not_code[ti] - met_code[ti], out=rs, casting="unsafe")
            rs += met_code[ti]
            n_met = int(np.count_nonzero(holds))
            used[ti, 0] |= n_met > 0
            used[ti, 1] |= n_met + len(bad) < len(v)
            tol: Any
            if not np.isnan(ref):
                th.fill(ref)
                np.subtract(v, ref, out=mg)
                tol = rtol * abs(ref)
            else:  # two-sided: the margin is measured from the nearer end
                th.fill(lo if np.isinf(hi) else hi)
                if not (np.isinf(lo) or np.isinf(hi)):
                    np.copyto(th, lo, where=np.abs(v - lo) <= np.abs(v - hi))
                np.subtract(v, th, out=mg)
                tol = rtol * np.abs(th)
            np.copyto(mg, 0.0, where=np.abs(mg) <= tol)
            if has_score[ti]:
                values = _scores(scoring, base[ti], v, goal[ti], sign[ti], total[ti], total[ti])
                score_parts.append((rows, values))
        if has_base[ti]:
            b = np.full(len(v), base[ti])
            b[bad] = np.nan
            base_parts.append((rows, b))
        if len(bad):
            missing = np.isnan(value[bad])
            st[bad] = np.where(missing, code_nd, code_nc)
            local = np.where(missing, 1, 4 + uc[bad].astype(np.int64))
            at = bad + rows.start if isinstance(rows, slice) else rows[bad]
            bad_parts.append((at, ti * n_local + local))
            th[bad] = np.nan
            mg[bad] = np.nan
            o["method"][s][bad] = -1

    def once(ti: int, by: Ints) -> None:
        # One target's rows with increasing breakdown codes are distinct groups.
        if len(by) > 1 and not bool((by[1:] > by[:-1]).all()):
            seen[ti * n_by + by.astype(np.intp)] = True
            counted.append(len(by))
        else:
            runs.append((ti, int(by[0]), int(by[-1])))

    def work(s: slice) -> bool:
        kc = p.key_codes[s]
        edges = np.flatnonzero(kc[1:] != kc[:-1]) + 1
        if len(edges) * 64 <= len(kc):
            for i, j in itertools.pairwise([0, *edges.tolist(), len(kc)]):
                sub = slice(s.start + i, s.start + j)
                ti = int(key_target[kc[i]])
                once(ti, p.by_codes[sub])
                run(out, sub, ti, p.value[sub], p.unit_codes[sub], sub)
            return True
        # Targets interleaved: judge the chunk sorted by target in scratch
        # buffers, then scatter the rows back. Slower, still no Python per row.
        order = np.argsort(kc, kind="stable")
        kc = kc[order]
        edges = np.flatnonzero(kc[1:] != kc[:-1]) + 1
        rows = order + s.start
        value, uc, by = p.value[s][order], p.unit_codes[s][order], p.by_codes[s][order]
        scratch = buffers(len(kc))
        for i, j in itertools.pairwise([0, *edges.tolist(), len(kc)]):
            ti = int(key_target[kc[i]])
            once(ti, np.sort(by[i:j]))
            run(scratch, slice(i, j), ti, value[i:j], uc[i:j], rows[i:j])
        for name, array in scratch.items():
            out[name][rows] = array
        return True

    if not _run(_chunks(n, CHUNK), work, progress, "evaluating"):
        return None
    if runs:
        # Runs with increasing breakdown codes hold distinct groups; they must
        # not overlap one another, nor the groups marked in ``seen``.
        r = np.array(runs, dtype=np.intp)
        r = r[np.lexsort((r[:, 1], r[:, 0]))]
        same = r[1:, 0] == r[:-1, 0]
        if (same & (r[1:, 1] <= r[:-1, 2])).any():
            return None
        if counted:
            for ti, first, last in r.tolist():
                if seen[ti * n_by + first : ti * n_by + last + 1].any():
                    return None
    if int(np.count_nonzero(seen)) != sum(counted):
        return None  # a group has several observations: the general path handles it

    # Rare rows, then one no_data row per absent target; codes in (target, reason) order.
    bad_rows, bad_keys = _concat_parts(bad_parts)
    if len(bad_rows):
        keys, inverse = np.unique(bad_keys.astype(np.int64), return_inverse=True)
        table = np.array([codes.get(int(k // n_local), int(k % n_local)) for k in keys])
        out["reason"][bad_rows] = table[np.asarray(inverse).ravel()]
    if len(absent_t):
        tail = slice(n, m)
        out["status"][tail] = code_nd
        out["reason"][tail] = [codes.get(int(ti), 0) for ti in absent_t]
        for name in ("observed", "threshold", "margin"):
            out[name][tail] = np.nan
        out["method"][tail] = -1
        out["aspirational"][tail] = aspirational[absent_t]
        for name, (tab, _) in per_target.items():
            out[name][tail] = tab[absent_t]
        out["target_id"][tail] = absent_t
    reason_codes, texts = out["reason"], codes.texts
    # A predicted met / not-met text no row got: drop it (one recode pass, only then).
    keep = np.ones(len(texts), dtype=bool)
    keep[:predicted] = False
    keep[met_code[used[:, 0]]] = True
    keep[not_code[used[:, 1]]] = True
    if not keep.all():
        recode = (np.cumsum(keep) - 1).astype(reason_codes.dtype)
        reason_codes = recode[reason_codes]
        texts = [x for x, k in zip(texts, keep, strict=True) if k]

    columns: dict[str, Any] = {}
    if reuse_key:
        columns["target_id"] = key_column.array
    else:
        columns["target_id"] = _categorical(out["target_id"], [x.id for x in targets])
    for name in p.by:
        # The result rows are the input rows: the input column is reused as it is.
        col = p.frame[name]
        if len(absent_t):
            filler = pd.Series([None] * len(absent_t), dtype=col.dtype)
            col = pd.concat([col.reset_index(drop=True), filler], ignore_index=True)
        columns[name] = col.array
    coverage_rows = np.concatenate([bad_rows, np.arange(n, m)])
    columns["period"] = _categorical(out["period"], per_target["period"][1])
    columns["status"] = _categorical(out["status"], _STATUSES)
    columns["observed"] = out["observed"]
    columns["projected"] = _sparse([], [], m, np.nan)
    columns["threshold"] = out["threshold"]
    columns["margin"] = out["margin"]
    columns["margin_unit"] = _categorical(out["margin_unit"], per_target["margin_unit"][1])
    columns["unit"] = _categorical(out["unit"], per_target["unit"][1])
    columns["baseline"] = _sparse(*_concat_parts(base_parts), m, np.nan)
    columns["coverage"] = _sparse(coverage_rows, np.zeros(len(coverage_rows)), m, 1.0)
    columns["score"] = _sparse(*_concat_parts(score_parts), m, np.nan)
    columns["score_method"] = _categorical(out["method"], cx.methods)
    columns["aspirational"] = out["aspirational"]
    columns["reason"] = _categorical(reason_codes, texts)
    # copy=False: the columns are fresh (or the input's own); copying doubles the peak.
    return pd.DataFrame(columns, copy=False)


def _general(cx: _Context, progress: bool) -> tuple[_Out, Ints, pd.DataFrame, int]:
    """Any observations: sort once, then reduce groups with reduceat-style grouping."""
    import numpy as np

    p, tb = cx.prepared, cx.tables
    n = len(p.value)
    counts = np.array([len(k) for k in p.key_targets], dtype=np.intp)
    flat = np.array([i for k in p.key_targets for i in k], dtype=np.intp)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
    if (counts == 1).all():
        r = np.arange(n, dtype=np.intp)
        t = flat[p.key_codes]
    else:
        per_row = counts[p.key_codes]
        r = np.repeat(np.arange(n, dtype=np.intp), per_row)
        within = np.arange(len(r)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
        t = flat[offsets[p.key_codes[r]] + within]
    pc = p.period_codes[r]
    phase = tb.phase[t * tb.n_periods + pc]
    keep = phase > 0
    r, t, pc, phase = r[keep], t[keep], pc[keep], phase[keep]
    n_by = len(p.by_values)
    b = p.by_codes[r]
    gid = t.astype(np.int64) * n_by + b
    start, end = tb.p_start[pc], tb.p_end[pc]
    # Latest end last and, among equal ends, the longest period last (as assess sorts).
    order = np.lexsort((-start, end, phase, gid))
    r, t, pc, phase, b, gid = r[order], t[order], pc[order], phase[order], b[order], gid[order]
    start, end = start[order], end[order]
    m = len(r)
    if m == 0:
        return _Out.empty(0), np.zeros(0, np.intp), p.by_values.iloc[:0], 0

    new_g = np.concatenate([[True], gid[1:] != gid[:-1]])
    g_start = np.flatnonzero(new_g)
    g_of_row = np.cumsum(new_g) - 1
    n_groups = len(g_start)
    g_t, g_b = t[g_start], b[g_start]
    g_first = np.minimum.reduceat(r, g_start)
    new_s = new_g | np.concatenate([[True], phase[1:] != phase[:-1]])
    s_start = np.flatnonzero(new_s)
    seg = np.cumsum(new_s) - 1
    n_seg = len(s_start)
    s_g, s_phase, s_t = g_of_row[s_start], phase[s_start], t[s_start]

    uc = p.unit_codes[r]
    value = p.value[r]
    missing = np.isnan(value)
    factor = tb.factor[t * tb.n_units + uc]
    incompat = ~missing & np.isnan(factor)
    v = value * factor
    usable_n = np.bincount(seg, weights=~missing, minlength=n_seg)
    s_unit = np.zeros(n_seg, dtype=np.intp)
    state = np.where(usable_n > 0, 3, 1).astype(np.int8)
    if incompat.any():
        first = np.full(n_seg, np.iinfo(np.intp).max, dtype=np.intp)
        idx = np.flatnonzero(incompat)
        np.minimum.at(first, seg[idx], r[idx])
        bad = first < np.iinfo(np.intp).max
        state[bad] = 2
        s_unit[bad] = p.unit_codes[first[bad]]

    # Usable rows of usable segments; repeats of one period collapse to the last.
    use = ~missing & (state[seg] == 3)
    ur = np.flatnonzero(use)
    d_seg, d_v, d_start, d_end = seg[ur], v[ur], start[ur], end[ur]
    same = (d_seg[1:] == d_seg[:-1]) & (d_start[1:] == d_start[:-1]) & (d_end[1:] == d_end[:-1])
    clash = same & (d_v[1:] != d_v[:-1])
    s_conflict = np.zeros(n_seg, dtype=bool)
    s_conflict[d_seg[1:][clash]] = True
    keep = np.concatenate([~same, [True]]) if len(ur) else np.zeros(0, dtype=bool)
    ur_kept = ur[keep]
    d_seg, d_v, d_start, d_end = d_seg[keep], d_v[keep], d_start[keep], d_end[keep]
    d_pc = pc[ur_kept]
    k_new = np.concatenate([[True], d_seg[1:] != d_seg[:-1]])[: len(d_seg)]
    k_start = np.flatnonzero(k_new)
    k_last = np.concatenate([k_start[1:] - 1, [len(d_seg) - 1]])[: len(k_start)]
    k_seg = d_seg[k_start]
    k_n = np.diff(np.concatenate([k_start, [len(d_seg)]]))
    inner = ~k_new[1:]  # consecutive observations of one segment
    overlap = inner & (d_start[1:] <= d_end[:-1])
    s_overlap = np.zeros(n_seg, dtype=bool)
    s_overlap[d_seg[1:][overlap]] = True
    s_joined = np.zeros(n_seg, dtype=bool)
    s_joined[d_seg[1:][inner & ~(d_end[:-1] < d_start[1:])]] = True

    # Levels per usable segment.
    seg_start = np.where(s_phase == 1, tb.start[s_t], tb.prev_start[s_t])
    seg_days = np.where(s_phase == 1, tb.days[s_t], tb.prev_days[s_t])
    kt = s_t[k_seg]
    flow = tb.flow[kt]
    k_sum = np.add.reduceat(d_v, k_start) if len(k_start) else np.zeros(0)
    k_daysum = (
        np.add.reduceat((d_end - d_start + 1).astype(np.float64), k_start)
        if len(k_start)
        else np.zeros(0)
    )
    k_last_v = d_v[k_last]
    k_end_cov = (d_end[k_last] - seg_start[k_seg] + 1) / seg_days[k_seg]
    level = np.where(flow, k_sum, k_last_v)
    level_cov = np.where(flow, k_daysum / seg_days[k_seg], k_end_cov)
    if p.numerator is not None and p.denominator is not None and tb.pool[kt].any():
        num, den = p.numerator[r][ur_kept], p.denominator[r][ur_kept]
        known = ~np.isnan(num) & ~np.isnan(den)
        all_known = np.logical_and.reduceat(known, k_start)
        num_sum = np.add.reduceat(np.where(known, num, 0.0), k_start)
        den_sum = np.add.reduceat(np.where(known, den, 0.0), k_start)
        pooled = tb.pool[kt] & all_known & ~s_joined[k_seg] & (k_n > 1) & (den_sum > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            level = np.where(pooled, num_sum / den_sum * tb.rate_factor[kt], level)

    def per_group(phase_value: int) -> dict[str, Any]:
        sel = s_phase == phase_value
        gs = s_g[sel]
        st = np.zeros(n_groups, dtype=np.int8)
        st[gs] = state[sel]
        unit = np.zeros(n_groups, dtype=np.intp)
        unit[gs] = s_unit[sel]
        conflict = np.zeros(n_groups, dtype=bool)
        conflict[gs] = s_conflict[sel]
        over = np.zeros(n_groups, dtype=bool)
        over[gs] = s_overlap[sel]
        ksel = s_phase[k_seg] == phase_value
        kg = s_g[k_seg[ksel]]
        fields = {}
        for name, src, fill in (
            ("level", level, np.nan),
            ("level_cov", level_cov, 0.0),
            ("end_cov", k_end_cov, 0.0),
            ("days", k_daysum, 0.0),
        ):
            arr = np.full(n_groups, fill)
            arr[kg] = src[ksel]
            fields[name] = arr
        last_p = np.zeros(n_groups, dtype=np.intp)
        last_p[kg] = d_pc[k_last][ksel]
        return {
            "state": st,
            "unit": unit,
            "conflict": conflict,
            "overlap": over,
            "last_p": last_p,
            **fields,
        }

    cur, prev = per_group(1), per_group(2)
    g_flow, g_maint = tb.flow[g_t], tb.maintained[g_t]
    has_plan = ~np.isnan(tb.plan_base[g_t])
    # A flow's baseline is its sum over the whole previous period; over a part
    # of it, the baseline is unknown (as in assess). Days are whole numbers.
    prev_total = tb.prev_days[g_t]
    prev_part = g_flow & ~has_plan & (prev["state"] == 3) & (prev["days"] < prev_total)
    prev_known = (prev["state"] == 3) & ~prev_part
    base = np.where(has_plan, tb.plan_base[g_t], np.where(prev_known, prev["level"], np.nan))
    base_state = np.where(has_plan, 3, np.where(prev_part, 4, prev["state"])).astype(np.int8)
    base_pct = np.zeros(n_groups, dtype=np.intp)
    if prev_part.any():
        days = prev["days"].astype(np.int64)
        total = prev_total.astype(np.int64)
        pct = np.minimum((200 * days + total) // (2 * total), 99)
        base_pct = np.where(prev_part, pct, 0).astype(np.intp)
    cur_ok = cur["state"] == 3
    no_base = tb.needs[g_t] & np.isnan(base)
    bad_cur = cur_ok & (cur["conflict"] | (g_flow & cur["overlap"] & (~g_maint | no_base)))
    bad_prev = cur_ok & ~has_plan & (prev["state"] == 3)
    bad_prev &= prev["conflict"] | (g_flow & prev["overlap"])
    if bad_cur.any() or bad_prev.any():
        _raise_conflicts(
            p, r, ur, ur_kept, seg, s_g, s_phase, clash, overlap, d_seg, bad_cur, bad_prev
        )

    # Maintained targets: the worst observation of the period.
    worst = cur["level"].copy()
    maint_groups = g_maint & cur_ok & ~no_base
    if maint_groups.any():
        dsel = (s_phase[d_seg] == 1) & maint_groups[s_g[d_seg]]
        rows = np.flatnonzero(dsel)
        dg = s_g[d_seg[rows]]
        low, high, lc, hc, thr, _ = _bounds(tb, g_t[dg], base[dg])
        vals = d_v[rows]
        inside = satisfies(vals, low, high, lc, hc, cx.rtol)
        key = (vals - _reference(vals, low, high, thr)) * tb.sign[g_t[dg]]
        pick = np.lexsort((rows, key, inside, dg))
        firsts = pick[np.concatenate([[True], dg[pick][1:] != dg[pick][:-1]])]
        worst[dg[firsts]] = vals[firsts]

    groups = _Groups(
        t=g_t,
        state=cur["state"],
        unit=cur["unit"],
        level=cur["level"],
        level_cov=cur["level_cov"],
        worst=worst,
        end_cov=cur["end_cov"],
        last_p=cur["last_p"],
        base=base,
        base_state=base_state,
        base_unit=prev["unit"],
        base_pct=base_pct,
    )
    # Rows in the order their group first appears in the observations.
    first_order = np.argsort(g_first, kind="stable")
    groups = _Groups(**{k: a[first_order] for k, a in groups.__dict__.items()})
    g_b = g_b[first_order]
    out = _Out.empty(n_groups)

    def work(s: slice) -> bool:
        _assemble(cx, groups.slice(s), out, s)
        return True

    _run(_chunks(n_groups, 1 << 16), work, progress, "evaluating")
    by_frame = p.by_values.iloc[g_b].reset_index(drop=True)
    return out, groups.t, by_frame, n_groups


def _raise_conflicts(
    p: Prepared,
    r: Ints,
    ur: Ints,
    ur_kept: Ints,
    seg: Ints,
    s_g: Ints,
    s_phase: Any,
    clash: Bools,
    overlap: Bools,
    d_seg: Ints,
    bad_cur: Bools,
    bad_prev: Bools,
) -> None:
    import numpy as np

    def bad_segment(segments: Ints) -> Bools:
        g = s_g[segments]
        return np.where(s_phase[segments] == 1, bad_cur[g], bad_prev[g])

    failures = []
    where = np.flatnonzero(clash)
    where = where[bad_segment(seg[ur[where]])]
    if len(where):
        rows = np.unique(np.concatenate([r[ur[where]], r[ur[where + 1]]]))
        failures.append(failure_table(p.frame, rows, "value", "duplicate"))
    where = np.flatnonzero(overlap)
    where = where[bad_segment(d_seg[where + 1])]
    if len(where):
        rows = np.unique(np.concatenate([r[ur_kept[where]], r[ur_kept[where + 1]]]))
        failures.append(failure_table(p.frame, rows, "period", "overlapping_periods"))
    raise_failures(failures)


def _frame(
    cx: _Context, out: _Out, t: Ints, by_frame: pd.DataFrame | None, missing: Ints
) -> pd.DataFrame:
    """The result DataFrame: categorical text columns built from codes, no per-row strings."""
    import numpy as np
    import pandas as pd

    p, tb = cx.prepared, cx.tables
    targets = p.targets
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
        out = _Out(
            **{f: np.concatenate([getattr(out, f), getattr(extra, f)]) for f in out.__dict__}
        )
        t = np.concatenate([t, missing])
    ids = [x.id for x in targets]
    small = _code_dtype(tb.n_targets)
    t = t.astype(small, copy=False)

    def categorical(codes: Any, categories: list[str]) -> pd.Categorical:
        codes = codes.astype(_code_dtype(len(categories)), copy=False)
        index: Any = pd.Index(categories, dtype=object)
        result: pd.Categorical = pd.Categorical.from_codes(codes, categories=index, validate=False)
        return result

    def per_target(values: list[str]) -> pd.Categorical:
        codes, uniques = pd.factorize(pd.Series(values, dtype=object))
        table = np.asarray(codes).astype(_code_dtype(len(uniques)))
        return categorical(table[t], [str(u) for u in uniques])

    # Reasons: one text per distinct (target, reason code) pair, then one gather.
    dtype = np.int32 if tb.n_targets * cx.n_reason < 2**31 else np.int64
    key: Any = t.astype(dtype) * cx.n_reason + out.reason.astype(dtype, copy=False)
    if tb.n_targets * cx.n_reason <= max(4 * len(key), 1 << 22):
        # Dense: mark the (target, code) pairs used; no sort of the rows.
        used = np.zeros(tb.n_targets * cx.n_reason, dtype=bool)
        used[key] = True
        uniq = np.flatnonzero(used)
        texts = [_reason_text(cx, int(k // cx.n_reason), int(k % cx.n_reason)) for k in uniq]
        text_codes, text_values = pd.factorize(pd.Series(texts, dtype=object))
        code_of_key = np.zeros(len(used), dtype=_code_dtype(len(text_values)))
        code_of_key[uniq] = text_codes
        reason_codes = code_of_key[key]
    else:
        uniq, inverse = np.unique(key, return_inverse=True)
        texts = [_reason_text(cx, int(k // cx.n_reason), int(k % cx.n_reason)) for k in uniq]
        text_codes, text_values = pd.factorize(pd.Series(texts, dtype=object))
        reason_codes = np.asarray(text_codes)[np.asarray(inverse).ravel()]
    reason = categorical(reason_codes, list(text_values))

    columns: dict[str, Any] = {"target_id": categorical(t, ids)}
    for name in p.by:
        # On the fast path the result rows are the input rows: the column is reused.
        source = p.frame[name] if by_frame is None else by_frame[name]
        col = source.reset_index(drop=True)
        if len(missing):
            filler = pd.Series([None] * len(missing), dtype=col.dtype)
            col = pd.concat([col, filler], ignore_index=True)
        columns[name] = col
    columns["period"] = per_target([str(x.period) for x in targets])
    columns["status"] = categorical(out.status, _STATUSES)
    columns["observed"] = out.observed
    # Mostly missing (or, for coverage, mostly 1): sparse, as on the fast path.
    columns["projected"] = pd.arrays.SparseArray(out.projected, fill_value=np.nan)
    columns["threshold"] = out.threshold
    columns["margin"] = out.margin
    columns["margin_unit"] = per_target([margin_unit(x.unit) for x in targets])
    columns["unit"] = per_target([x.unit for x in targets])
    columns["baseline"] = pd.arrays.SparseArray(out.baseline, fill_value=np.nan)
    columns["coverage"] = pd.arrays.SparseArray(out.coverage, fill_value=1.0)
    columns["score"] = pd.arrays.SparseArray(out.score, fill_value=np.nan)
    columns["score_method"] = categorical(out.method, cx.methods)
    columns["aspirational"] = np.array([x.aspirational for x in targets], dtype=bool)[t]
    columns["reason"] = reason
    # copy=False: the result columns are fresh arrays; copying them would double the peak.
    return pd.DataFrame(columns, copy=False)


# --------------------------------------------------------------------------- Dask


def evaluate_dask(
    plan: Plan,
    observations: Any,
    *,
    by: Sequence[str] | str | None = None,
    scoring: str | Scorer = "linear",
    rtol: float = DEFAULT_RTOL,
) -> Any:
    """Evaluate a Dask DataFrame partition-wise; returns a (lazy) Dask DataFrame.

    Rows are first shuffled so that every row of a key and breakdown lands
    in one partition (a flow's sub-periods and a baseline's previous period
    must be seen together); each partition is then evaluated with the pandas
    code. A first, cheap pass reads only the key and period columns, to add
    a ``no_data`` row for each target that no partition observes. The result
    stays lazy because it can be as long as the input: ``.compute()`` it or
    write it out. Its rows equal pandas' on the same data; their order differs.
    """
    import dask.dataframe as dd
    import numpy as np
    import pandas as pd

    scorer = resolve_scorer(scoring)
    _check_rtol(rtol)
    columns = list(observations.columns)
    by_list = (
        (["region"] if "region" in columns else [])
        if by is None
        else ([by] if isinstance(by, str) else list(by))
    )
    key = next((k for k in ("target_id", "indicator_id") if k in columns), "target_id")
    # Validate the column layout (and the by argument) on an empty frame first.
    meta_in = observations._meta
    prepare(plan, meta_in, by=by_list)
    meta = _evaluate_prepared(prepare(plan, meta_in, by=by_list), scorer, rtol, False, absent=False)
    shuffled = (
        observations.shuffle(on=[key, *by_list]) if observations.npartitions > 1 else (observations)
    )

    def one(part: pd.DataFrame) -> pd.DataFrame:
        prepared = prepare(plan, part, by=by_list)
        result = _evaluate_prepared(prepared, scorer, rtol, False, absent=False)
        return _uncategorise(result)

    evaluated = shuffled.map_partitions(one, meta=_uncategorise(meta))
    # Which targets have a relevant observation anywhere: from (key, period) pairs only.
    pairs = observations[[key, "period"]].drop_duplicates().compute()
    relevant = set()
    targets = list(plan.targets())
    for k, period in zip(pairs[key], pairs["period"], strict=True):
        try:
            q = Period.parse(period)
        except InvalidValueError:
            continue
        for target in targets:
            if (target.id if key == "target_id" else target.indicator.id) == k and (
                target.period.contains(q) or target.period.previous().contains(q)
            ):
                relevant.add(target.id)
    absent_rows = [t for t in targets if t.id not in relevant]
    if not absent_rows:
        return evaluated
    empty = pd.DataFrame(
        {
            key: pd.Series([], dtype=object),
            "period": pd.Series([], dtype=object),
            "value": pd.Series([], dtype=np.float64),
            "unit": pd.Series([], dtype=object),
            **{b: pd.Series([], dtype=object) for b in by_list},
        }
    )
    none = _evaluate_prepared(prepare(plan, empty, by=by_list), scorer, rtol, False, absent=True)
    none = none[none["target_id"].isin([t.id for t in absent_rows])]
    none = _uncategorise(none).astype(evaluated.dtypes.to_dict())
    return dd.concat([evaluated, dd.from_pandas(none, npartitions=1)])  # type: ignore[no-untyped-call]


def _uncategorise(frame: pd.DataFrame) -> pd.DataFrame:
    """Plain text and dense floats: partitions' categories differ, and Dask concatenates them."""
    import pandas as pd

    frame = frame.copy()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        elif isinstance(frame[column].dtype, pd.SparseDtype):
            frame[column] = frame[column].astype("float64")
    return frame
