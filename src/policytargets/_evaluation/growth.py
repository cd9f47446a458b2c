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
from .._conditions import satisfies
from .._periods import Period

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from .judging import _Context
    from .prepare import Prepared

    Ints = npt.NDArray[np.intp]


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

    Returns the groups' first rows, their targets, their result columns (plain
    values, as ``years`` gives them) and the targets left to the kernel.
    """
    import numpy as np

    from .._units import conversion_factor, is_compatible
    from . import years

    p = cx.prepared
    keys_of: dict[int, list[int]] = {}
    for code, indices in enumerate(p.key_targets):
        for ti in indices:
            keys_of.setdefault(ti, []).append(code)
    percent = np.array([u is not None and is_compatible(u, "%") for u in p.units], dtype=bool)
    to_percent = np.array(
        [
            np.nan if u is None or not ok else conversion_factor(u, "%")
            for u, ok in zip(p.units, percent, strict=True)
        ]
    )
    start = np.array([q.start.toordinal() for q in p.periods], dtype=np.int64)
    end = np.array([q.end.toordinal() for q in p.periods], dtype=np.int64)

    parts: list[dict[str, Any]] = []
    left: list[int] = []
    for ti in chosen:
        codes = keys_of.get(ti)
        if not codes:
            left.append(ti)
            continue
        part = _target_groups(cx, ti, codes, growth, percent, to_percent, start, end)
        if part is None:
            left.append(ti)
        else:
            parts.append(part)
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.intp), {}, left
    joined = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    ti_all = joined.pop("ti")
    first = joined.pop("first")
    b = joined.pop("b")
    status = joined.pop("status")
    rows = years._rows(cx, ti_all, b, columns, status=status, **joined)
    return first, ti_all, rows, left


def _target_groups(
    cx: _Context,
    ti: int,
    codes: list[int],
    growth: npt.NDArray[np.bool_],
    percent: npt.NDArray[np.bool_],
    to_percent: npt.NDArray[np.float64],
    start: npt.NDArray[np.int64],
    end: npt.NDArray[np.int64],
) -> dict[str, Any] | None:
    """One target's groups (columns of plain values), or None to leave it to the kernel."""
    import numpy as np

    from .._assessment import _VERB
    from .judging import _STATUSES

    p: Prepared = cx.prepared
    target = p.targets[ti]
    period = target.period
    rows = np.flatnonzero(np.isin(p.key_codes, codes))
    # The rows the kernel's groups are made of: periods relevant to the target.
    distinct, inverse = np.unique(p.period_codes[rows], return_inverse=True)
    keep = np.array([relevant(target, p.periods[c]) for c in distinct.tolist()], dtype=bool)
    current_of = np.array([period.contains(p.periods[c]) for c in distinct.tolist()], dtype=bool)
    inverse = np.asarray(inverse).ravel()
    rows, current = rows[keep[inverse]], current_of[inverse][keep[inverse]]
    if not len(rows):
        return None
    b_all = np.asarray(p.by_codes[rows], dtype=np.int64)
    groups, group_of = np.unique(b_all, return_inverse=True)
    group_of = np.asarray(group_of).ravel()
    n = len(groups)
    rate = current & growth[rows]  # the rows growth mode reads
    if not np.bincount(group_of[rate], minlength=n).all():
        return None  # a group without a current growth rate reads levels
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, group_of, rows)

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
    if (same & (g[order][1:] != g[order][:-1])).any():
        return None  # contradictory rates: the kernel raises, listing the rows
    # Latest end, then the longest (earliest start), then the last row.
    order = np.lexsort((w, -start[pcode], end[pcode], by))
    last = np.flatnonzero(np.append(by[order][1:] != by[order][:-1], True)) if len(w) else w
    pick = order[last]
    judged_at = np.flatnonzero(judged)
    index = 100.0 * (1 + g[pick] / 100)
    chosen_p = pcode[pick]

    c = target.condition
    final = c.bounds(target.indicator.direction, 100.0, years=None, limit=natural_limit(target))
    coverage = (end[chosen_p] - period.start.toordinal() + 1) / period.days
    complete = ~(coverage < 1 - 1e-12)
    holds = satisfies(index, final.low, final.high, final.low_closed, final.high_closed, cx.rtol)
    code_of = {s: i for i, s in enumerate(_STATUSES)}
    status_j = np.where(
        complete,
        np.where(holds, code_of[Status.MET.value], code_of[Status.NOT_MET.value]),
        np.where(holds, code_of[Status.ON_TRACK.value], code_of[Status.OFF_TRACK.value]),
    )
    reference = _reference(index, final)
    base_p = Period.year(period.start.year - 1)
    years_to = np.array(
        [base_p.years_until(p.periods[q]) for q in chosen_p.tolist()], dtype=np.float64
    )
    # An average annual growth after a fall of 100 % or more: none (see undefined_average).
    undefined = np.zeros(len(index), dtype=bool)
    if c.comparator.value == "annual_growth":
        undefined = (index <= 0) & (years_to != 1)
    safe = np.where(undefined, 100.0, index)  # their growth is not reported
    g_obs, g_ref = _as_growth(c, safe, years_to), _as_growth(c, reference, years_to)
    margin = g_obs - g_ref
    margin[np.abs(margin) <= cx.rtol * np.abs(g_ref)] = 0.0

    # Reasons: one text per distinct (status, coverage).
    described = cx.described.get(ti)
    if described is None:
        described = c.describe(target.unit, "en", target.indicator.direction)
        cx.described[ti] = described
    reason_j = np.empty(len(judged_at), dtype=object)
    keys = np.stack([status_j.astype(np.float64), coverage], axis=1)
    distinct_keys, back = np.unique(keys, axis=0, return_inverse=True)
    texts = []
    for code, cov in distinct_keys.tolist():
        verb = _VERB[Status(_STATUSES[int(code)])]
        text = f"observed growth {verb} '{described}'"
        if not cov >= 1 - 1e-12:
            text += f" ({cov:.0%} of {period} observed)"
        texts.append(text)
    reason_j[:] = [texts[k] for k in np.asarray(back).ravel().tolist()]

    nan = np.full(n, np.nan)
    status = np.full(n, code_of[Status.NO_DATA.value], dtype=np.int64)
    reason = np.full(n, f"every observation for {period} is missing", dtype=object)
    target_unit, target_margin = target.unit, _margin_unit(target.unit)
    unit_out = np.full(n, target_unit, dtype=object)
    margin_unit = np.full(n, target_margin, dtype=object)
    observed, threshold, margin_out, cover = nan.copy(), nan.copy(), nan.copy(), nan.copy()
    status[incomparable] = code_of[Status.NOT_COMPARABLE.value]
    for k in np.flatnonzero(incomparable).tolist():
        text = p.units[unit[first_bad[k]]] or ""
        reason[k] = f"a growth rate is a %, not {text!r}"
    if undefined.any():
        from .._assessment import _fmt

        base_text = f"{period.start.year - 1}"
        for k in np.flatnonzero(undefined).tolist():
            reason_j[k] = (
                "average annual growth is undefined after a fall of 100 % or more "
                f"(the growth rates chain to {_fmt(float(index[k]) - 100)}% since {base_text})"
            )
        status_j[undefined] = code_of[Status.NOT_COMPARABLE.value]
    ok = judged_at[~undefined]
    status[judged_at] = status_j
    reason[judged_at] = reason_j
    observed[ok] = g_obs[~undefined]
    threshold[ok] = g_ref[~undefined]
    margin_out[ok] = margin[~undefined]
    cover[ok] = np.minimum(coverage, 1.0)[~undefined]
    unit_out[ok] = "%"
    margin_unit[ok] = "百分点"
    judged[judged_at[undefined]] = False
    cover[~judged] = 0.0  # Assessment's default: what _done leaves
    return {
        "ti": np.full(n, ti, dtype=np.intp),
        "first": first,
        "b": np.where(groups < 0, -1, groups),
        "status": status,
        "progress": np.full(n, None, dtype=object),
        "observed": observed,
        "projected": nan.copy(),
        "threshold": threshold,
        "margin": margin_out,
        "baseline": nan.copy(),
        "coverage": cover,
        "score": nan.copy(),
        "score_method": np.full(n, None, dtype=object),
        "reason": reason,
        "unit": unit_out,
        "margin_unit": margin_unit,
    }


def _margin_unit(unit: str) -> str:
    from .._assessment import margin_unit

    return margin_unit(unit)


def _reference(index: Any, final: Any) -> Any:
    """``Bounds.reference`` of each index."""
    import numpy as np

    if final.threshold is not None:
        return np.full(len(index), float(final.threshold))
    if np.isinf(final.low):
        return np.full(len(index), float(final.high))
    if np.isinf(final.high):
        return np.full(len(index), float(final.low))
    nearer_low = np.abs(index - final.low) <= np.abs(index - final.high)
    return np.where(nearer_low, final.low, final.high)


def _as_growth(condition: Any, index: Any, years: Any) -> Any:
    """``_Judge._growth``: an index as growth in %, average annual for 年均增长."""
    import numpy as np

    if condition.comparator.value != "annual_growth":
        return index - 100
    out = index - 100
    w = np.flatnonzero(years > 0)
    if len(w):
        from .judging import _python_power

        out[w] = (_python_power(index[w] / 100, 1 / years[w]) - 1) * 100
    return out
