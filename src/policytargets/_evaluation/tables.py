"""Per-target tables: everything that depends on the target alone, or on the target and one code.

Bounds, thresholds, goals, baselines and period lengths per target; the phase
(current or previous period) of each (target, observed period) pair; the
conversion factor of each (target, observed unit) pair. Both paths and the
judging index these small tables by the codes of ``prepare`` instead of
looking at targets row by row. Also the array type aliases the other modules of the package share.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._model import Basis, IndicatorKind
from .._periods import Period
from .prepare import Prepared

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    F64 = npt.NDArray[np.float64]
    Ints = npt.NDArray[np.integer[Any]]
    Bools = npt.NDArray[np.bool_]


@dataclass
class _Tables:
    """Everything that depends on the target alone, or on the target and one code."""

    targets: list[Any]
    n_targets: int
    n_periods: int
    n_units: int
    flow: Bools
    maintained: Bools  # judged on each span's figure (保持, 每年); one span on these paths
    final: Bools  # one failure is final (不发生): partial and failing is not_met
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


#: Period.previous, cached: the calendar arithmetic costs ~50 µs a call, per target.
_previous = functools.lru_cache(maxsize=1 << 14)(Period.previous)


@functools.lru_cache(maxsize=1 << 14)
def _period_info(period: Period) -> tuple[bool, int, int]:
    whole = period._whole_months() is not None
    return whole, period.end.year * 12 + period.end.month, period.end.toordinal()


def _years(a_wm: Any, a_month: Any, a_end: Any, b_wm: Any, b_month: Any, b_end: Any) -> Any:
    """Vectorised :meth:`~policytargets.Period.years_until`."""
    import numpy as np

    return np.where(a_wm & b_wm, (b_month - a_month) / 12, (b_end - a_end) / 365.25)


def _tables(p: Prepared) -> _Tables:
    import numpy as np

    from .._units import conversion_factor, is_compatible

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
        _period_info(t.baseline.period if t.baseline else _previous(t.period)) for t in targets
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
        prev = _previous(t.period)
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
        maintained=np.array(
            [t.condition.maintained or t.condition.every_year for t in targets], dtype=bool
        ),
        final=np.array([t.condition.final_on_failure for t in targets], dtype=bool),
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
            [_previous(t.period).start.toordinal() for t in targets], dtype=np.intp
        ),
        prev_days=np.array([_previous(t.period).days for t in targets], dtype=np.float64),
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
