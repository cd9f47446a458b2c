"""Per-target tables: everything that depends on the target alone, or on the target and one code.

Bounds, thresholds, goals, baselines and period lengths per target; the phase
(current or previous period) of each (target, observed period) pair; the
conversion factor of each (target, observed unit) pair. Both paths and the
judging index these small tables by the codes of ``prepare`` instead of
looking at targets row by row. Also the array type aliases the other modules of the package share.
"""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from .._model import Basis, IndicatorKind
from .._periods import Period
from .prepare import Prepared

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from .._model import Plan, Target

    F64 = npt.NDArray[np.float64]
    Ints = npt.NDArray[np.integer[Any]]
    Bools = npt.NDArray[np.bool_]

_T = TypeVar("_T")


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


#: Period.previous, cached: the calendar arithmetic costs ~50 µs a call.
_previous = functools.lru_cache(maxsize=1 << 14)(Period.previous)

#: str(Period), cached: ~4 µs a call.
_period_text = functools.lru_cache(maxsize=1 << 14)(Period.__str__)


@functools.lru_cache(maxsize=1 << 14)
def _year_before(period: Period) -> Period | None:
    """The calendar year before a multi-year period starts (its base), made once; else None."""
    from .._assessment import years_of

    return None if years_of(period) is None else Period.year(period.start.year - 1)


@functools.lru_cache(maxsize=1 << 14)
def _period_info(period: Period) -> tuple[bool, int, int, int]:
    """Whole months, the end's month count, the end's and the start's ordinal days."""
    whole = period._whole_months() is not None
    end = period.end
    return whole, end.year * 12 + end.month, end.toordinal(), period.start.toordinal()


def _years(a_wm: Any, a_month: Any, a_end: Any, b_wm: Any, b_month: Any, b_end: Any) -> Any:
    """Vectorised :meth:`~policytargets.Period.years_until`."""
    import numpy as np

    return np.where(a_wm & b_wm, (b_month - a_month) / 12, (b_end - a_end) / 365.25)


class PlanCache:
    """What evaluation works out from a plan alone: worked out once per plan, then reused.

    ``columns`` holds the per-target arrays of :class:`_Tables` (read-only:
    they are shared by every evaluation of the plan); ``end`` and
    ``prev_end`` complete the period ordinals; ``unit_of`` numbers each
    target's unit among the plan's distinct units (``units``), so that unit
    factors are worked out per distinct pair of units, not per target;
    ``memo`` keeps what other steps work out from the plan on demand
    (:meth:`get`).
    """

    def __init__(self, targets: Sequence[Target], bases: Sequence[Period] | None = None) -> None:
        import numpy as np

        from .._conditions import Condition
        from .._units import conversion_factor

        nan = math.nan
        flow, rate, default_goal = Basis.FLOW, IndicatorKind.RATE, Condition.goal_value
        periods: dict[Period, int] = {}  # the targets' and baselines' periods, numbered
        units: dict[str, int] = {}
        rows: list[tuple[Any, ...]] = []
        # One tuple of plain numbers per target (one array at the end): numpy's item
        # assignment costs a microsecond a call, and each target has about thirty.
        for i, t in enumerate(targets):
            c, ind = t.condition, t.indicator
            needs, direction = c.needs_baseline, ind.direction
            bounds: tuple[Any, ...] = (nan, nan, True, True, nan, nan)
            if not needs:
                b = c.bounds(direction, None)
                thr = nan if b.threshold is None else b.threshold
                if type(c).goal_value is default_goal:  # the threshold, without a second bounds
                    goal = thr
                else:
                    g = c.goal_value(direction, None)
                    goal = nan if g is None else g
                bounds = (b.low, b.high, b.low_closed, b.high_closed, thr, goal)
            # The base period as base_period gives it; None for the period before.
            base = t.baseline
            named = bases[i] if bases is not None else c.base
            if bases is None and named is None:
                # The plan's baseline's period, else the year before a multi-year period.
                named = base.period if base is not None else _year_before(t.period)
            if base is not None and base.period != named:
                base = None  # a plan baseline of another period is not the base (as in assess)
            rows.append(
                (
                    ind.basis is flow,
                    c.maintained or c.every_year,
                    c.final_on_failure,
                    needs,
                    ind.kind is rate,
                    t.aspirational,
                    direction.sign,
                    *bounds,
                    nan if base is None else base.value,
                    periods.setdefault(t.period, len(periods)),
                    -1 if named is None else periods.setdefault(named, len(periods)),
                    units.setdefault(t.unit, len(units)),
                )
            )
        table = np.array(rows, dtype=np.float64).reshape(len(rows), 17)
        flags = table[:, :6].T > 0  # flow, maintained, final, needs, rate, aspirational
        period_of = table[:, 14].astype(np.intp)
        base_of = table[:, 15].astype(np.intp)
        unit_of = table[:, 16].astype(np.intp)
        # Period arithmetic once per distinct period, then gathered per target.
        distinct = list(periods)
        info = np.array([_period_info(q) for q in distinct] or [(False, 0, 0, 0)], dtype=np.int64)
        prev_info = np.zeros_like(info)
        for i in set(period_of.tolist()):  # the targets' own periods
            prev_info[i] = _period_info(_previous(distinct[i]))
        target_info, prev_of_target = info[period_of], prev_info[period_of]
        base_info = np.where((base_of < 0)[:, None], prev_of_target, info[base_of])
        self.targets = targets
        self.units = list(units)
        self.unit_of = unit_of
        self.period_of = period_of
        self.periods = distinct
        # A rate's factor from a plain fraction: only rates' units have one.
        rated = set(unit_of[flags[4]].tolist())
        rate_factor = np.array(
            [conversion_factor("", u) if i in rated else np.nan for i, u in enumerate(self.units)],
            dtype=np.float64,
        )
        base_wm = base_info[:, 0].astype(bool)
        columns = {
            "flow": flags[0],
            "maintained": flags[1],
            "final": flags[2],
            "needs": flags[3],
            "sign": table[:, 6].copy(),
            "low": table[:, 7].copy(),
            "high": table[:, 8].copy(),
            "low_closed": table[:, 9] > 0,
            "high_closed": table[:, 10] > 0,
            "threshold": table[:, 11].copy(),
            "goal": table[:, 12].copy(),
            "plan_base": table[:, 13].copy(),
            "rate_factor": np.where(flags[4], rate_factor[unit_of], np.nan),
            "pool": flags[4],
            "start": target_info[:, 3].astype(np.intp),
            "days": (target_info[:, 2] - target_info[:, 3] + 1).astype(np.float64),
            "prev_start": base_info[:, 3].astype(np.intp),
            "prev_days": (base_info[:, 2] - base_info[:, 3] + 1).astype(np.float64),
            "base_wm": base_wm,
            "base_month": base_info[:, 1].astype(np.intp),
            "base_end": base_info[:, 2].astype(np.intp),
            "total_years": np.asarray(
                _years(
                    base_wm,
                    base_info[:, 1],
                    base_info[:, 2],
                    target_info[:, 0].astype(bool),
                    target_info[:, 1],
                    target_info[:, 2],
                ),
                dtype=np.float64,
            ),
        }
        self.end = target_info[:, 2]
        self.prev_end = base_info[:, 2]
        self.base_of = base_of
        self.aspirational = flags[5]
        for array in (*columns.values(), self.end, self.prev_end, unit_of, flags, period_of):
            array.flags.writeable = False  # shared by every evaluation of the plan
        self.columns = columns
        self.memo: dict[Any, Any] = {}

    def texts(self) -> dict[str, tuple[Ints, list[str]]]:
        """Per target: codes of its period, margin unit and unit texts, and the distinct texts.

        Codes are numbered in order of first appearance (as ``pd.factorize``
        numbers them), in the smallest integer type pandas keeps for a
        categorical (see ``frame``).
        """
        return self.get("texts", self._texts)

    def _texts(self) -> dict[str, tuple[Ints, list[str]]]:
        import numpy as np

        from .._assessment import margin_unit  # cached by unit text
        from .frame import _code_dtype

        def factorised(codes: Ints, values: list[str]) -> tuple[Ints, list[str]]:
            """Codes into ``values`` renumbered by first appearance, equal values merged."""
            index: dict[str, int] = {}
            first = [-1] * len(values)
            # The distinct codes in order of first appearance: a dict, not np.unique and a
            # sort (whose first calls in a process cost more than a plan's targets do).
            for value_code in dict.fromkeys(codes.tolist()):
                first[value_code] = index.setdefault(values[value_code], len(index))
            out = np.array(first, dtype=np.intp)[codes].astype(_code_dtype(len(index)))
            out.flags.writeable = False
            return out, list(index)

        return {
            "period": factorised(self.period_of, [_period_text(q) for q in self.periods]),
            "margin_unit": factorised(self.unit_of, [margin_unit(u) for u in self.units]),
            "unit": factorised(self.unit_of, self.units),
        }

    def base_period(self, ti: int) -> Period:
        """The period target ``ti``'s baseline is the figure of (see ``base_period``)."""
        b = int(self.base_of[ti])
        return self.periods[b] if b >= 0 else _previous(self.targets[ti].period)

    def ids(self) -> list[str]:
        """The targets' ids, in plan order."""
        return self.get("ids", lambda: [t.id for t in self.targets])

    def get(self, key: Any, compute: Callable[[], _T]) -> _T:
        """``memo[key]``, computed by ``compute()`` the first time it is asked for."""
        try:
            return cast("_T", self.memo[key])
        except KeyError:
            return cast("_T", self.memo.setdefault(key, compute()))


#: id(plan) -> (a weak reference to the plan, the unit registry's stamp, its cache).
_CACHES: dict[int, tuple[weakref.ref[Plan], tuple[Any, ...], PlanCache]] = {}


def plan_cache(plan: Plan) -> PlanCache:
    """The :class:`PlanCache` of a plan, for the unit registry in force.

    Held while the plan lives (a weak reference drops it with the plan);
    worked out again when the units in force change (another scope, or
    :func:`~policytargets.define_units` since).
    """
    from .. import _units

    stamp = (_units.current_unit_scope(), len(_units._extra_definitions))
    key = id(plan)
    hit = _CACHES.get(key)
    if hit is not None and hit[0]() is plan and hit[1] == stamp:
        return hit[2]
    cache = PlanCache(plan.targets)

    def forget(_: object, key: int = key) -> None:
        _CACHES.pop(key, None)

    _CACHES[key] = (weakref.ref(plan, forget), stamp, cache)
    return cache


def _tables(p: Prepared, pc: PlanCache | None = None) -> _Tables:
    """The tables of one evaluation: the plan's per-target arrays and the code-dependent ones.

    ``pc`` replaces the plan's own cache (targets judged on spans of theirs).
    """
    import numpy as np

    from .._units import conversion_factor, is_compatible

    if pc is None:
        pc = plan_cache(p.plan)
    nt, nper, nu = len(pc.targets), max(len(p.periods), 1), len(p.units)
    # Phases and full periods: ordinal days compared over (target, period) at once.
    infos = np.array([_period_info(q) for q in p.periods] or [(False, 0, 0, 0)], dtype=np.int64)
    q_start, q_end = infos[:, 3], infos[:, 2]
    t_start, t_end = pc.columns["start"][:, None], pc.end[:, None]
    current = (t_start <= q_start) & (q_end <= t_end)
    previous = (pc.columns["prev_start"][:, None] <= q_start) & (q_end <= pc.prev_end[:, None])
    phase = np.where(current, 1, np.where(previous, 2, 0)).astype(np.int8)
    full = current & (q_start == t_start) & (q_end == t_end)
    if not p.periods:
        phase[:] = 0
        full[:] = False
    # Unit factors: one per distinct (target unit, observed unit) pair.
    per_unit = np.full((len(pc.units), nu), np.nan)
    for i, target_unit in enumerate(pc.units):
        for j, unit in enumerate(p.units):
            if unit is not None and is_compatible(unit, target_unit):
                per_unit[i, j] = conversion_factor(unit, target_unit)
    return _Tables(
        targets=list(pc.targets),
        n_targets=nt,
        n_periods=nper,
        n_units=nu,
        **pc.columns,
        phase=phase.ravel(),
        full=full.ravel(),
        factor=per_unit[pc.unit_of].ravel(),
        p_start=q_start.astype(np.intp),
        p_end=q_end.astype(np.intp),
        p_wm=infos[:, 0].astype(bool),
        p_month=infos[:, 1].astype(np.intp),
    )
