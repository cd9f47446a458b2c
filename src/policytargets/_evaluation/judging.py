"""Judging groups: from per-group inputs to status, margin, score and reason.

Shared by both paths: the status codes, the bounds of conditions relative to
a baseline (``_bounds``), the reference a margin is measured from, the
built-in scorers over arrays, the evaluation context, the general path's
per-group judge (``_assemble``) and the reason texts, numbered per target
and turned into categorical codes (``_ReasonCodes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._assessment import FAILED_FOR_GOOD, Progress, Status, natural_limit
from .._conditions import satisfies
from .._scoring import ProgressInput, Scorer, ScoringMethod
from .prepare import Prepared
from .tables import _period_text, _Tables, _years, plan_cache

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from .tables import F64, Bools, Ints

_STATUSES = [s.value for s in Status]
_PROGRESS = [c.value for c in Progress]
_S = {s: i for i, s in enumerate(Status)}
_WHAT = ("observed value", "projected value", "the period's figure", "the figure for {period}")
_VERB = {
    Status.MET: "meets",
    Status.NOT_MET: "does not meet",
    Status.ON_TRACK: "so far meets",
    Status.OFF_TRACK: "so far does not meet",
}
_JUDGED = (Status.MET, Status.NOT_MET, Status.ON_TRACK, Status.OFF_TRACK)


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
        bounds = bounds_of(tb.targets, t[where], base[where])
        low[where], high[where], lc[where], hc[where], thr[where], goal[where] = bounds
    return low, high, lc, hc, thr, goal


def bounds_of(
    targets: list[Any],
    t: Ints,
    base: F64,
    years: F64 | None = None,
    group_years: F64 | None = None,
) -> tuple[F64, F64, Bools, Bools, F64, F64]:
    """Each group's bounds, threshold and goal from its target's condition and baseline.

    ``t``: each group's target, ``base``: its baseline (NaN: none), ``years``:
    per target, the years a growth compounds over (None: one), or
    ``group_years`` per group. Each target's groups at once
    (``Condition._bounds_many``), never a Python call per group.
    """
    import numpy as np

    n = len(t)
    low, high, thr, goal = (np.full(n, np.nan) for _ in range(4))
    lc, hc = np.ones(n, dtype=bool), np.ones(n, dtype=bool)
    spans = np.zeros(n) if group_years is None else np.asarray(group_years, dtype=np.float64)
    order = np.lexsort((spans, t))
    cuts = np.flatnonzero((np.diff(t[order]) != 0) | (np.diff(spans[order]) != 0)) + 1
    for at in np.split(order, cuts) if n else []:
        target = targets[int(t[at[0]])]
        c, d = target.condition, target.indicator.direction
        y = None if years is None else float(years[int(t[at[0]])])
        if group_years is not None:
            y = float(spans[at[0]])
        b = c._bounds_many(d, base[at], years=y, limit=natural_limit(target))
        low[at], high[at], lc[at], hc[at], thr[at] = b
        goal[at] = c._goal_many(d, base[at])
    return low, high, lc, hc, thr, goal


def _nearer_end(value: F64, low: float, high: float, out: F64) -> F64:
    """:meth:`~policytargets.Bounds.reference` of two finite scalar ends, into ``out``.

    Selected through a two-entry table: numpy's masked copy branches on every
    value, and where the nearer end changes from value to value (observations
    around the middle of a band) it cost ten times as much.
    """
    import numpy as np

    near_low = np.abs(value - low) <= np.abs(value - high)
    table = np.array([high, low], dtype=np.float64)
    return np.take(table, near_low.view(np.uint8), out=out, mode="clip")


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
            growth = np.where(ok, end / start, 1.0)
            power = np.where(ok, 1 / years, 1.0)
            return np.where(ok, _python_power(growth, power) - 1, np.nan)

        observed = cagr(base, current, elapsed)
        required = cagr(base, goal, total)
        ok = (elapsed > 0) & (total > 0) & ~np.isnan(observed) & ~np.isnan(required)
        ok &= required != 0
        return np.where(ok, observed / required, np.nan)


def _python_power(base: F64, exponent: F64) -> F64:
    """``base ** exponent`` as Python computes it, once per distinct pair.

    numpy's vectorised power differs from C's ``pow`` in the last bits on
    some machines; scores must be the very bits ``_scoring`` gives.
    """
    import numpy as np

    # The fast path passes one target's numbers as scalars (0-d arrays): broadcast first.
    shape = np.broadcast_shapes(np.shape(base), np.shape(exponent))
    pairs = np.stack([np.broadcast_to(x, shape).ravel() for x in (base, exponent)], axis=1)
    distinct, inverse = np.unique(pairs, axis=0, return_inverse=True)
    powers = np.array([_power(b, e) for b, e in distinct.tolist()], dtype=np.float64)
    return powers[np.asarray(inverse).ravel()].reshape(shape)


def _power(base: float, exponent: float) -> float:
    """``base ** exponent``; infinity where Python's float power overflows (numpy's answer).

    Rows no score is kept for are computed too (the arrays are whole): a
    growth of 1e300 over a short span must not raise there.
    """
    try:
        return float(base**exponent)
    except OverflowError:
        return float("inf")


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
    # 保持 / 每年 over one span: the period's figure holds (one that fails when
    # complete is final); 不发生: failing part-way is final (as in assess).
    maint = tb.maintained[t]
    final = tb.final[t] & ~maint
    flow = tb.flow[t]
    observed = g.level
    coverage = g.level_cov
    partial = coverage < 1 - 1e-12
    any_partial = bool(partial.any())
    low, high, lc, hc, thr, goal = _bounds(tb, t, g.base)
    fail_now = np.zeros(len(t), dtype=bool)
    if any_partial:
        with np.errstate(divide="ignore", invalid="ignore"):
            projected = np.where(judged & flow & partial, observed / coverage, np.nan)
        judged_value = np.where(np.isnan(projected), observed, projected)
        if final.any():
            # A failure already observed is final: judged on the observed value.
            fail_now = final & partial & ~satisfies(observed, low, high, lc, hc, cx.rtol)
            judged_value = np.where(fail_now, observed, judged_value)
    else:
        projected = np.full(len(t), np.nan)
        judged_value = observed
    holds = satisfies(judged_value, low, high, lc, hc, cx.rtol)
    reference = _reference(judged_value, low, high, thr)
    with np.errstate(invalid="ignore"):
        margin = judged_value - reference
        margin = np.where(np.abs(margin) <= cx.rtol * np.abs(reference), 0.0, margin)
    status = np.where(holds, _S[Status.MET], _S[Status.NOT_MET]).astype(np.int8)
    if any_partial:
        behind = np.where(fail_now, _S[Status.NOT_MET], _S[Status.OFF_TRACK])
        status = np.where(partial, np.where(holds, _S[Status.ON_TRACK], behind), status)
        status = status.astype(np.int8)
    sj = status  # 0..3 for judged statuses, in _JUDGED order
    what = np.where(fail_now | np.isnan(projected), 0, 1)
    # A maintained condition names its figure; the one that failed, its period.
    what = np.where(maint, np.where(status == _S[Status.NOT_MET], 3, 2), what)
    # 保持 reports how far the observations reach (as assess does); others what they cover.
    shown = np.minimum(np.where(maint, g.end_cov, coverage), 1.0)
    pct = np.where(partial, np.round(shown * 100), 101).astype(np.int32)
    reason = cx.judged_base + (sj.astype(np.int32) * 4 + what) * 102 + pct
    cov_out = shown
    base_out = g.base
    # Scores (none for 保持 / 每年, as in assess).
    has_score = judged & np.isfinite(g.base) & np.isfinite(goal) & ~maint
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
        if elapsed is not None and any_partial:
            # A projected value stands for the period's end (as in assess).
            elapsed = np.where(np.isnan(projected), elapsed, tb.total_years[t])
        # Scores use what the status uses: a projected flow, not its part-year sum.
        values = _scores(
            cx.method,
            g.base,
            judged_value,
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
            value, name = _custom_score(
                cx, int(t[i]), g, int(i), float(goal[i]), float(judged_value[i]), projected[i]
            )
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


def _custom_score(
    cx: _Context, ti: int, g: _Groups, i: int, goal: float, current: float, projected: float
) -> tuple[Any, str]:
    """A custom scorer's score of group ``i``, on the value its status was judged on."""
    target = cx.prepared.targets[ti]
    base_period = plan_cache(cx.prepared.plan).base_period(ti)
    when = cx.prepared.periods[int(g.last_p[i])]
    if projected == projected:  # a projected flow stands for the period's end (as in assess)
        when = target.period
    result = cx.scorer(
        ProgressInput(
            baseline=float(g.base[i]),
            baseline_period=base_period,
            current=current,
            current_period=when,
            target=goal,
            target_period=target.period,
            direction=target.indicator.direction,
        )
    )
    return result.value, str(result.method)


def _reason_text(cx: _Context, ti: int, local: int) -> str:
    from .._units import dimensionality

    # A judged text depends on the plan alone: worked out once per plan, not per call
    # (each Dask partition, or each evaluation of a plan, worded ~400 texts again).
    judged: dict[tuple[int, int], str] | None = None
    if cx.judged_base <= local < cx.partial_base:
        judged = plan_cache(cx.prepared.plan).get("judged texts", dict[tuple[int, int], str])
        cached = judged.get((ti, local - cx.judged_base))
        if cached is not None:
            return cached
    target = cx.prepared.targets[ti]
    # Period texts cached: ~4 µs a call, per target.
    prev = _period_text(plan_cache(cx.prepared.plan).base_period(ti))
    period = _period_text(target.period)
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
    text = f"{_WHAT[what].format(period=period)} {_VERB[_JUDGED[sj]]} '{described}'"
    if pct <= 100:
        text += f" ({pct}% of {period} observed"
        # Partial and not met: only a maintained condition that failed (see assess).
        text += f"; {FAILED_FOR_GOOD})" if _JUDGED[sj] is Status.NOT_MET else ")"
    if judged is not None:
        judged[(ti, local - cx.judged_base)] = text
    return text


def _no_observation_texts(cx: _Context) -> tuple[Ints, list[str]]:
    """Per target, the code of its "no observation" text; the texts, one per distinct period."""
    codes, periods = plan_cache(cx.prepared.plan).texts()["period"]
    return codes, [f"no observation for {period}" for period in periods]


def _reason_texts(cx: _Context, ti: Ints, local: Ints) -> list[str]:
    """The texts of many (target, local reason) pairs; "no observation" ones without a call each."""
    codes, none = _no_observation_texts(cx)
    return [
        none[c] if lc == 0 else _reason_text(cx, t, lc)
        for t, lc, c in zip(ti.tolist(), local.tolist(), codes[ti].tolist(), strict=True)
    ]


class _ReasonCodes:
    """Reason texts as categorical codes: one text per distinct (target, local reason)."""

    def __init__(self, cx: _Context) -> None:
        self.cx = cx
        self.texts: list[str] = []
        self._by_text: dict[str, int] = {}
        self._by_key: dict[tuple[int, int], int] = {}

    def no_observation(self, ti: Ints) -> Ints:
        """The codes of ``get(t, 0)`` for each target ``t`` of ``ti``, numbered in the same order.

        One text per distinct period, not one call per target.
        """
        import numpy as np

        period_codes, none = _no_observation_texts(self.cx)
        codes = period_codes[ti]
        used, first = np.unique(codes, return_index=True)
        table = np.zeros(len(none), dtype=np.int64)
        for c in used[np.argsort(first, kind="stable")].tolist():
            text = none[c]
            table[c] = self._by_text.setdefault(text, len(self.texts))
            if table[c] == len(self.texts):
                self.texts.append(text)
        return table[codes]

    def get(self, ti: int, local: int) -> int:
        code = self._by_key.get((ti, local))
        if code is None:
            text = _reason_text(self.cx, ti, local)
            code = self._by_text.setdefault(text, len(self.texts))
            if code == len(self.texts):
                self.texts.append(text)
            self._by_key[(ti, local)] = code
        return code
