"""Published growth rates (同比) of one-year growth targets, judged with numpy.

A target of one calendar year whose condition is a growth (relative_change,
annual_growth) against the year before is judged from its growth rows as
``_Judge.run`` judges them in growth mode: the group's latest rate (of rates
ending together, the longest one's) as an index of 100 at the base year,
against the condition's bounds on that index, reported as growth in % and
百分点. Whole targets are taken or left: a target with a group that reads
levels, or whose rates contradict one another, goes to the per-group kernel
(which judges levels, and raises on contradictions), as does every other
shape (a named base further back, 保持, several years).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._assessment import Status, natural_limit, relevant
from .._assessment import margin_unit as margin_unit_of
from .._conditions import satisfies
from .._periods import Period

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from .judging import _Context
    from .prepare import Prepared


def eligible(target: Any, base: Period) -> bool:
    """Whether a target's growth rows are judged here (see the module's text).

    ``base`` is its base period (``PlanCache.base_period``).
    """
    c = target.condition
    period = target.period
    return bool(
        c.growth
        and not (c.maintained or c.every_year or c.final_on_failure)
        and str(period).isdigit()  # a calendar year
        and str(base).isdigit()
        and int(str(base)) == period.start.year - 1
    )


def judge_growth(
    cx: _Context, chosen: list[int], growth: npt.NDArray[np.bool_], columns: list[str]
) -> tuple[Any, Any, dict[str, Any], list[int]]:
    """The groups of ``chosen`` targets judged from their growth rates.

    Every target's groups at once: Python runs once per target (its bounds,
    texts and relevant periods) and once per distinct wording, never per
    group. Returns the groups' first rows, their targets, their result
    columns (plain values, as ``years`` gives them) and the targets left to
    the kernel.
    """
    import numpy as np

    from .._assessment import _VERB, undefined_average, undefined_average_reason
    from .._units import conversion_factor, is_compatible
    from . import years
    from .judging import _STATUSES, _reference
    from .kernel import _rows_of_keys

    p: Prepared = cx.prepared
    targets = p.targets
    nt, n_by, n_p = len(targets), max(len(p.by_values), 1), max(len(p.periods), 1)
    empty: tuple[Any, Any, dict[str, Any]] = (
        np.zeros(0, dtype=np.int64),
        np.zeros(0, dtype=np.intp),
        {},
    )
    keys_of: dict[int, list[int]] = {}
    for code, indices in enumerate(p.key_targets):
        for ti in indices:
            keys_of.setdefault(ti, []).append(code)
    with_rows = [ti for ti in chosen if ti in keys_of]
    if not with_rows:
        return (*empty, list(chosen))
    # Every (target, row) pair: one sort of the rows shared by every target.
    rows_of = _rows_of_keys(p.key_codes, len(with_rows))
    parts = [rows_of(keys_of[ti]) for ti in with_rows]
    rows = np.concatenate(parts)
    t = np.repeat(np.array(with_rows, dtype=np.int64), [len(x) for x in parts])

    # The rows the kernel's groups are made of: periods relevant to each target.
    pair = t * n_p + p.period_codes[rows]
    distinct, inverse = np.unique(pair, return_inverse=True)
    inverse = np.asarray(inverse).ravel()
    keep_pair = np.empty(len(distinct), dtype=bool)
    current_pair = np.empty(len(distinct), dtype=bool)
    for k, code in enumerate(distinct.tolist()):
        target, period = targets[code // n_p], p.periods[code % n_p]
        keep_pair[k] = relevant(target, period)
        current_pair[k] = target.period.contains(period)
    keep = keep_pair[inverse]
    rows, t, current = rows[keep], t[keep], current_pair[inverse][keep]
    group_key = t * n_by + np.asarray(p.by_codes[rows], dtype=np.int64)
    groups, group_of = np.unique(group_key, return_inverse=True)
    group_of = np.asarray(group_of).ravel()
    n = len(groups)
    gt = groups // n_by  # each group's target
    rate = current & growth[rows]  # the rows growth mode reads
    # A group without a current growth rate reads levels: its target goes to the kernel.
    declined = np.zeros(nt, dtype=bool)
    declined[gt[np.bincount(group_of[rate], minlength=n) == 0]] = True

    percent = np.array([u is not None and is_compatible(u, "%") for u in p.units], dtype=bool)
    to_percent = np.array(
        [
            np.nan if u is None or not ok else conversion_factor(u, "%")
            for u, ok in zip(p.units, percent, strict=True)
        ]
    )
    p_start = np.array([q.start.toordinal() for q in p.periods], dtype=np.int64)
    p_end = np.array([q.end.toordinal() for q in p.periods], dtype=np.int64)
    value = p.value[rows]
    usable = rate & ~np.isnan(value)
    unit = p.unit_codes[rows]
    # Checked in assess's order: every rate missing, then the first rate not in %.
    has_usable = np.bincount(group_of[usable], minlength=n) > 0
    bad = usable & ~percent[unit]
    first_bad = np.full(n, len(rows), dtype=np.int64)
    np.minimum.at(first_bad, group_of[bad], np.flatnonzero(bad))
    incomparable = has_usable & (first_bad < len(rows))
    judged = has_usable & ~incomparable

    # Rates of judged groups: one per period (an exact repeat is one), the latest chosen.
    w = np.flatnonzero(usable & judged[group_of])
    g = value[w] * to_percent[unit[w]]
    pcode = p.period_codes[rows[w]]
    by = group_of[w]
    order = np.lexsort((g, pcode, by))
    same = (by[order][1:] == by[order][:-1]) & (pcode[order][1:] == pcode[order][:-1])
    clash = same & (g[order][1:] != g[order][:-1])
    # Contradictory rates: the kernel raises, listing the rows.
    declined[gt[by[order][1:][clash]]] = True
    # Latest end, then the longest (earliest start), then the last row.
    order = np.lexsort((w, -p_start[pcode], p_end[pcode], by))
    last = np.flatnonzero(np.append(by[order][1:] != by[order][:-1], True)) if len(w) else w
    pick = order[last]
    judged_at = np.flatnonzero(judged)
    index = 100.0 * (1 + g[pick] / 100)
    chosen_p = pcode[pick]
    jt = gt[judged_at]

    # Per target, from the plan alone: bounds on the index, texts, the year.
    low, high, thr = (np.full(nt, np.nan) for _ in range(3))
    lc, hc = np.ones(nt, dtype=bool), np.ones(nt, dtype=bool)
    annual = np.zeros(nt, dtype=bool)
    first_day = np.zeros(nt, dtype=np.int64)
    days = np.ones(nt, dtype=np.int64)
    year = np.zeros(nt, dtype=np.int64)
    described: dict[int, str] = {}
    for ti in with_rows:
        target = targets[ti]
        c = target.condition
        final = c.bounds(target.indicator.direction, 100.0, years=None, limit=natural_limit(target))
        low[ti], high[ti], lc[ti], hc[ti] = (
            final.low,
            final.high,
            final.low_closed,
            final.high_closed,
        )
        thr[ti] = np.nan if final.threshold is None else final.threshold
        annual[ti] = c.comparator.value == "annual_growth"
        first_day[ti], days[ti] = target.period.start.toordinal(), target.period.days
        year[ti] = target.period.start.year
        text = cx.described.get(ti)
        if text is None:
            text = cx.described[ti] = c.describe(target.unit, "en", target.indicator.direction)
        described[ti] = text

    coverage = (p_end[chosen_p] - first_day[jt] + 1) / days[jt]
    complete = ~(coverage < 1 - 1e-12)
    holds = satisfies(index, low[jt], high[jt], lc[jt], hc[jt], cx.rtol)
    code_of = {s: i for i, s in enumerate(_STATUSES)}
    status_j = np.where(
        complete,
        np.where(holds, code_of[Status.MET.value], code_of[Status.NOT_MET.value]),
        np.where(holds, code_of[Status.ON_TRACK.value], code_of[Status.OFF_TRACK.value]),
    )
    reference = _reference(index, low[jt], high[jt], thr[jt])
    # Years from the base year (the one before) to each rate's period, per distinct pair.
    span_key = year[jt] * n_p + chosen_p
    distinct_s, at_s = np.unique(span_key, return_inverse=True)
    years_to = np.array(
        [Period.year(k // n_p - 1).years_until(p.periods[k % n_p]) for k in distinct_s.tolist()],
        dtype=np.float64,
    )[np.asarray(at_s).ravel()]
    # An average annual growth after a fall of 100 % or more: none.
    undefined = annual[jt] & undefined_average(index, years_to)
    safe = np.where(undefined, 100.0, index)  # their growth is not reported
    g_obs = _as_growth(annual[jt], safe, years_to)
    g_ref = _as_growth(annual[jt], reference, years_to)
    margin = g_obs - g_ref
    margin[np.abs(margin) <= cx.rtol * np.abs(g_ref)] = 0.0

    # Reasons: one text per distinct (target, status, coverage).
    keys = np.stack([jt.astype(np.float64), status_j.astype(np.float64), coverage], axis=1)
    distinct_k, back = np.unique(keys, axis=0, return_inverse=True)
    texts = []
    for ti_f, code, cov in distinct_k.tolist():
        verb = _VERB[Status(_STATUSES[int(code)])]
        text = f"observed growth {verb} '{described[int(ti_f)]}'"
        if not cov >= 1 - 1e-12:
            text += f" ({cov:.0%} of {targets[int(ti_f)].period} observed)"
        texts.append(text)
    reason_j = np.array(texts, dtype=object)[np.asarray(back).ravel()]
    for k in np.flatnonzero(undefined).tolist():
        reason_j[k] = undefined_average_reason(float(index[k]), int(year[jt[k]]) - 1)
    status_j[undefined] = code_of[Status.NOT_COMPARABLE.value]

    # Every group: no data, not comparable, or judged.
    nan = np.full(n, np.nan)
    status = np.full(n, code_of[Status.NO_DATA.value], dtype=np.int64)
    # Texts per target, gathered per group.
    missing_text = np.full(nt, None, dtype=object)
    target_unit = np.full(nt, None, dtype=object)
    target_margin_unit = np.full(nt, None, dtype=object)
    for ti in with_rows:
        missing_text[ti] = f"every observation for {targets[ti].period} is missing"
        target_unit[ti] = targets[ti].unit
        target_margin_unit[ti] = margin_unit_of(targets[ti].unit)
    reason = missing_text[gt]
    unit_out = target_unit[gt]
    margin_unit = target_margin_unit[gt]
    observed, threshold, margin_out = nan.copy(), nan.copy(), nan.copy()
    cover = np.zeros(n)  # Assessment's default: what _done leaves
    status[incomparable] = code_of[Status.NOT_COMPARABLE.value]
    for k in np.flatnonzero(incomparable).tolist():
        reason[k] = f"a growth rate is a %, not {p.units[unit[first_bad[k]]] or ''!r}"
    status[judged_at] = status_j
    reason[judged_at] = reason_j
    ok = judged_at[~undefined]
    observed[ok] = g_obs[~undefined]
    threshold[ok] = g_ref[~undefined]
    margin_out[ok] = margin[~undefined]
    cover[ok] = np.minimum(coverage, 1.0)[~undefined]
    unit_out[ok] = "%"
    margin_unit[ok] = "百分点"

    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, group_of, rows)
    out = ~declined[gt]
    left = [ti for ti in chosen if ti not in keys_of or declined[ti]]
    if not out.any():
        return (*empty, left)
    b = (groups % n_by)[out]
    columns_out = years._rows(
        cx,
        gt[out].astype(np.intp),
        b,
        columns,
        status=status[out],
        progress=np.full(int(out.sum()), None, dtype=object),
        observed=observed[out],
        projected=nan[out],
        threshold=threshold[out],
        margin=margin_out[out],
        baseline=nan[out],
        coverage=cover[out],
        score=nan[out],
        score_method=np.full(int(out.sum()), None, dtype=object),
        reason=reason[out],
        unit=unit_out[out],
        margin_unit=margin_unit[out],
    )
    return first[out], gt[out].astype(np.intp), columns_out, left


def _as_growth(annual: Any, index: Any, years: Any) -> Any:
    """``_Judge._growth``: an index as growth in %, average annual for 年均增长 (``annual``)."""
    import numpy as np

    out = index - 100
    w = np.flatnonzero(annual & (years > 0))
    if len(w):
        from .judging import _python_power

        out[w] = (_python_power(index[w] / 100, 1 / years[w]) - 1) * 100
    return out
