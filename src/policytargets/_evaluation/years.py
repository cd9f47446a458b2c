"""Multi-year targets (2021–2025) on the vectorised path: judged year by year, as assess does.

A multi-year target is reported at the resolution of the year: its figure is
the latest year's (a level, a rate, a flow summed over that year), or for a
cumulative flow (新增, 累计) the sum since the period began, judged against
the final condition when the period is complete and against the path from
the baseline before that (``_Judge._judge`` and ``_Judge._interim``). 保持
and 每年 judge every year's figure in turn (``_Judge._each_year``,
``_EachYears`` here).

The observations are reduced by the general path's own reduction
(``grouped._reduce``), run over *spans*: one per year of each target (one
for a cumulative flow), each with the target's base period as its
baseline; a row goes only to the spans that may read it (``_span_keys``).
Each (target, breakdown) group then takes its latest year with a usable
figure (or each year, for 保持 and 每年), and is judged here with numpy;
only what is per group by nature (a compound path's powers and logarithms,
the reason texts, a custom scorer) is Python, once per distinct input.

Targets this module does not take stay with the kernel (``kernel``):
保持 month by month or quarter by quarter, projections other than linear,
growth rates, and targets observed over a period that is inside the
target's but not inside one calendar year. The span reduction is chunked
as the general path's is (whole targets, or ranges of breakdowns), so its
memory stays bounded.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._assessment import (
    FAILED_FOR_GOOD,
    Progress,
    ProgressThresholds,
    Status,
    base_period,
    years_of,
)
from .._conditions import Direction, Every
from .._model import Basis, Projection, Target
from .._periods import Period
from .._scoring import ProgressInput
from .grouped import _reduce
from .judging import _Context, _reason_text, bounds_of
from .tables import PlanCache, _period_info, _period_text, _tables, _years, plan_cache

if TYPE_CHECKING:
    from .prepare import Prepared
    from .tables import F64, Ints

_VERB = {
    Status.MET: "meets",
    Status.NOT_MET: "does not meet",
    Status.ON_TRACK: "so far meets",
    Status.OFF_TRACK: "so far does not meet",
}


def eligible(target: Target) -> bool:
    """Whether a multi-year target is judged here (see the module's text)."""
    c = target.condition
    every = getattr(c, "every", Every.YEAR)
    return (
        years_of(target.period) is not None
        and every is Every.YEAR
        and target.indicator.projection is Projection.LINEAR
    )


def _each(target: Target) -> bool:
    """A condition judged on every year's figure (保持, 每年)."""
    return target.condition.maintained or target.condition.every_year


def _cumulative(target: Target) -> bool:
    """A flow judged on its sum since the period began (not a change, not year by year)."""
    c = target.condition
    return target.indicator.basis is Basis.FLOW and not c.change and not _each(target)


@dataclasses.dataclass(frozen=True)
class _Span:
    """A target seen over one of its spans: what the per-target tables read of a target."""

    id: str
    indicator: Any
    condition: Any
    period: Period
    baseline: Any
    unit: str
    aspirational: bool


def judge_years(
    cx: _Context, chosen: list[int], thresholds: ProgressThresholds, columns: list[str]
) -> tuple[Ints, Ints, dict[str, Any], list[int]]:
    """Each result row's first input row and target, the rows' columns, declined targets.

    The columns hold plain values (the caller sets the types); the declined
    targets are handed back to the kernel.
    """
    import numpy as np

    p = cx.prepared
    none = np.zeros(0, dtype=np.int64)
    empty: tuple[Ints, Ints, dict[str, Any], list[int]] = (none, none, {}, [])
    if not chosen:
        return empty
    declined = _declined(p, chosen)
    chosen = [ti for ti in chosen if ti not in declined]
    if not chosen:
        return (*empty[:3], sorted(declined))

    # One span per year of a target (its whole period for a cumulative flow).
    spans: list[_Span] = []
    bases: list[Period] = []
    span_target: list[int] = []
    span_year: list[int] = []
    span_of: dict[int, list[int]] = {}
    for ti in chosen:
        target = p.targets[ti]
        base = base_period(target)
        whole = _cumulative(target)
        periods = [target.period] if whole else years_of(target.period) or []
        for q in periods:
            span_of.setdefault(ti, []).append(len(spans))
            spans.append(
                _Span(
                    id=target.id,
                    indicator=target.indicator,
                    condition=target.condition,
                    period=q,
                    baseline=target.baseline,
                    unit=target.unit,
                    aspirational=target.aspirational,
                )
            )
            bases.append(base)
            span_target.append(ti)
            span_year.append(q.end.year)
    key_codes, key_spans = _span_keys(p, span_of, spans)
    pv = dataclasses.replace(
        p,
        targets=spans,  # type: ignore[arg-type]
        key_targets=key_spans,
        key_codes=key_codes,
        pairs=None,
    )
    cache = PlanCache(spans, bases=bases)  # type: ignore[arg-type]
    cv = dataclasses.replace(cx, tables=_tables(pv, cache), prepared=pv, described={})

    def judge(red: Any) -> tuple[tuple[Ints, Ints] | None, list[tuple[Ints, Ints, dict[str, Any]]]]:
        """One chunk's groups judged, or the rows of its conflicts."""
        g = red.groups
        s_t = np.asarray(span_target, dtype=np.intp)[g.t]
        s_year = np.asarray(span_year, dtype=np.intp)[g.t]
        n_by = max(len(p.by_values), 1)
        key = s_t.astype(np.int64) * n_by + red.b
        order = np.lexsort((s_year, key))
        key_o = key[order]
        new = np.concatenate([[True], key_o[1:] != key_o[:-1]])
        start = np.flatnonzero(new)
        group_of = np.cumsum(new) - 1  # per span group (sorted): its (target, breakdown) group
        n = len(start)
        group_t = s_t[order][start]
        b = red.b[order][start]
        first = np.minimum.reduceat(red.first[order], start)

        # The target's whole period: an incomparable unit anywhere, else the latest usable year.
        st = g.state[order]
        big = np.iinfo(np.intp).max
        bad_row = np.where(st == 2, red.bad_row[order], big)
        worst_row = np.minimum.reduceat(bad_row, start)
        incomparable = worst_row < big
        usable_at = np.where(st == 3, np.arange(len(st)), -1)
        span_pick = np.maximum.reduceat(usable_at, start)  # latest year usable (years ascend)
        any_missing = np.maximum.reduceat((st == 1).astype(np.int8), start) > 0
        state = np.where(incomparable, 2, np.where(span_pick >= 0, 3, np.where(any_missing, 1, 0)))
        unit = np.zeros(n, dtype=np.intp)
        if incomparable.any():
            at_bad = np.flatnonzero(bad_row < big)
            hit = at_bad[bad_row[at_bad] == worst_row[group_of[at_bad]]]
            unit[group_of[hit]] = g.unit[order][hit]
        usable = state == 3

        # 保持 and 每年: every year's figure, in order, until one needs a baseline it lacks.
        each_target = np.zeros(len(p.targets), dtype=bool)
        each_target[chosen] = [_each(p.targets[ti]) for ti in chosen]
        each = each_target[group_t]
        years_of_span = None
        if each.any():
            years_of_span = _EachYears(cx, g, order, start, group_of, group_t, s_year, st)

        # Contradictions stop the assessment only where assess reads them: every
        # year of a usable target (two values for one period), the judged span
        # and the base (overlapping parts of a flow); for 保持 and 每年, every
        # year figured.
        span_groups = order[np.where(usable, span_pick, 0)][usable & ~each]
        clash = np.zeros(len(g.t), dtype=bool)
        clash[order] = usable[group_of]
        overlap = np.zeros(len(g.t), dtype=bool)
        overlap[span_groups] = True
        if years_of_span is not None:
            overlap[order] |= (usable & each)[group_of] & years_of_span.figured
        if red.bad.any():
            found = red.conflict_rows(clash, overlap)
            if len(found[0]) or len(found[1]):
                return found, []  # raised with every other chunk's, not judged

        pick = order[np.where(usable, span_pick, start)]
        normal = ~each
        fields = {
            "b": b,
            "first": first,
            "state": state,
            "unit": unit,
            "observed": g.level[pick],
            "coverage": g.level_cov[pick],
            "last_p": g.last_p[pick],
            "year": s_year[pick],
            "base": g.base[pick],
            "base_state": g.base_state[pick],
            "base_unit": g.base_unit[pick],
            "base_pct": g.base_pct[pick],
        }
        parts: list[tuple[Ints, Ints, dict[str, Any]]] = []
        if normal.any():
            parts.append(
                _judged(
                    cx,
                    thresholds,
                    ti=group_t[normal],
                    **{name: value[normal] for name, value in fields.items()},
                    columns=columns,
                )
            )
        if years_of_span is not None:
            parts.append(
                years_of_span.judged(
                    thresholds,
                    each,
                    columns,
                    **{name: value[each] for name, value in fields.items()},
                )
            )
        return None, parts

    # Chunks of whole targets (and ranges of breakdowns) as on the general path: the
    # reduction's memory stays bounded; every chunk's conflicts are raised at once.
    from . import grouped

    keys = grouped._key_table(pv)
    parts: list[tuple[Ints, Ints, dict[str, Any]]] = []
    duplicate, overlapping = [], []
    for rows in grouped._row_chunks(pv, grouped.CHUNK_ROWS):
        red = _reduce(cv, rows, keys)
        if red is None:
            continue
        found, judged = judge(red)
        del red
        if found is not None:
            duplicate.append(found[0])
            overlapping.append(found[1])
        parts.extend(judged)
    if duplicate:
        grouped._raise_rows(p.frame, np.concatenate(duplicate), np.concatenate(overlapping))
    if not parts:
        return (*empty[:3], sorted(declined))
    firsts = np.concatenate([x[0] for x in parts])
    targets_of = np.concatenate([x[1] for x in parts])
    merged = {name: np.concatenate([np.asarray(x[2][name]) for x in parts]) for name in columns}
    return firsts, targets_of, merged, sorted(declined)


class _EachYears:
    """保持 and 每年 over several years, as ``_Judge._each_year`` judges them, with numpy.

    Built over the span groups in (target, breakdown, year) order; ``figured``
    marks the spans ``_each_year`` works the figure of (every year with a
    usable observation, up to the first that needs a baseline it lacks).
    """

    def __init__(
        self,
        cx: _Context,
        g: Any,
        order: Ints,
        start: Ints,
        group_of: Ints,
        group_t: Ints,
        s_year: Ints,
        st: Any,
    ) -> None:
        import numpy as np

        self.cx, self.start, self.group_of = cx, start, group_of
        targets = cx.prepared.targets
        pc = plan_cache(cx.prepared.plan)
        nt = len(targets)
        yearly_t = np.zeros(nt, dtype=bool)
        needs_t = np.zeros(nt, dtype=bool)
        first_year_t = np.zeros(nt, dtype=np.int64)
        for i in set(group_t.tolist()):
            c = targets[i].condition
            yearly_t[i] = c.every_year and c.change
            needs_t[i] = c.needs_baseline
            first_year_t[i] = targets[i].period.start.year
        t = group_t[group_of]
        self.t = t
        self.year = s_year[order]
        self.level = g.level[order]
        self.cov = g.level_cov[order]
        self.last_p = g.last_p[order]
        self.base = g.base[order]
        usable = st == 3
        self.usable = usable
        self.partial = self.cov < 1 - 1e-12
        # The year before's figure, when that year was observed in full.
        prev_ok = np.zeros(len(t), dtype=bool)
        same = group_of[1:] == group_of[:-1]
        prev_ok[1:] = (
            same & (self.year[:-1] == self.year[1:] - 1) & usable[:-1] & ~self.partial[:-1]
        )
        prev_level = np.concatenate([[np.nan], self.level[:-1]])
        self.yearly = yearly_t[t]
        base_y = np.where(
            self.yearly,
            np.where(
                self.year == first_year_t[t], self.base, np.where(prev_ok, prev_level, np.nan)
            ),
            self.base,
        )
        self.base_y = base_y
        position = np.arange(len(t))
        big = np.iinfo(np.int64).max
        lacking = usable & needs_t[t] & np.isnan(base_y)
        self.nb_pos = np.minimum.reduceat(np.where(lacking, position, big), start)
        self.figured = usable & (position <= self.nb_pos[group_of])
        self.judged_span = usable & (position < self.nb_pos[group_of])
        self.pc = pc

    def judged(
        self,
        thresholds: ProgressThresholds,
        each: Any,
        columns: list[str],
        **fields: Any,
    ) -> tuple[Ints, Ints, dict[str, Any]]:
        """The verdicts of the (target, breakdown) groups ``each`` (a mask over all groups)."""
        import numpy as np

        from .._conditions import satisfies
        from .judging import _reference

        cx, targets = self.cx, self.cx.prepared.targets
        p, rtol, tb = cx.prepared, cx.rtol, cx.tables
        t, n_span = self.t, len(self.t)
        position = np.arange(n_span)
        big = np.iinfo(np.int64).max
        # Bounds of each year's figure: against its own baseline, over the years since the base.
        j = np.flatnonzero(self.judged_span)
        low, high, thr = (np.full(n_span, np.nan) for _ in range(3))
        lc, hc = np.ones(n_span, dtype=bool), np.ones(n_span, dtype=bool)
        base_info = _infos(t[j], self.pc.base_period)
        year_info = _infos(self.year[j], Period.year)
        since = np.asarray(
            _years(
                base_info[:, 0] > 0,
                base_info[:, 1],
                base_info[:, 2],
                year_info[:, 0] > 0,
                year_info[:, 1],
                year_info[:, 2],
            ),
            dtype=np.float64,
        )
        spans = np.where(self.yearly[j], 1.0, since)
        low[j], high[j], lc[j], hc[j], thr[j], _ = bounds_of(
            list(targets), t[j], self.base_y[j], group_years=spans
        )
        flow = self.pc.columns["flow"][t]
        with np.errstate(divide="ignore", invalid="ignore"):
            projected = np.where(
                self.judged_span & flow & self.partial,
                np.where(self.cov > 0, self.level / self.cov, self.level),
                np.nan,
            )
        value = np.where(np.isnan(projected), self.level, projected)
        holds = satisfies(value, low, high, lc, hc, rtol)
        failed = self.judged_span & ~holds & ~self.partial
        start = self.start
        first_failed = np.minimum.reduceat(np.where(failed, position, big), start)
        last = np.maximum.reduceat(np.where(self.judged_span, position, -1), start)
        count = np.add.reduceat(self.judged_span.astype(np.int64), start)

        # Per (target, breakdown) group of these targets.
        sel = np.flatnonzero(each)
        ti = t[start][sel]
        state = fields["state"]
        usable = state == 3
        nb = self.nb_pos[sel]
        first_failed, last, count = first_failed[sel], last[sel], count[sel]
        has_nb = usable & (nb < big)
        has_failed = usable & ~has_nb & (first_failed < big)
        rest = usable & ~has_nb & ~has_failed
        chosen = np.where(has_failed, first_failed, np.maximum(last, 0))
        chosen = np.where(has_nb, np.where(nb < big, nb, 0), chosen)
        n_years = np.array([len(years_of(targets[int(i)].period) or []) for i in ti.tolist()])
        last_c = np.maximum(last, 0)
        every = rest & (count == n_years) & ~self.partial[last_c]
        behind = rest & ~every & self.partial[last_c] & ~holds[last_c]
        S = {s: i for i, s in enumerate(Status)}
        status = np.full(len(sel), S[Status.NO_DATA], dtype=np.int64)
        status[state == 2] = S[Status.NOT_COMPARABLE]
        status[has_nb] = S[Status.NEEDS_BASELINE]
        status[has_failed] = S[Status.NOT_MET]
        status[every] = S[Status.MET]
        status[rest & ~every & behind] = S[Status.OFF_TRACK]
        status[rest & ~every & ~behind] = S[Status.ON_TRACK]
        progress_of = {
            S[Status.MET]: Progress.ACHIEVED.value,
            S[Status.NOT_MET]: Progress.BEHIND.value,
            S[Status.ON_TRACK]: Progress.ON_TRACK.value,
            S[Status.OFF_TRACK]: Progress.BEHIND.value,
        }
        t_start, t_days = self.pc.columns["start"], self.pc.columns["days"]
        overall = (tb.p_end[fields["last_p"]] - t_start[ti] + 1) / t_days[ti]
        shown = np.minimum(overall, 1.0)
        verdict = has_failed | rest
        reference = _reference(value[chosen], low[chosen], high[chosen], thr[chosen]).copy()
        margin = value[chosen] - reference
        with np.errstate(invalid="ignore"):
            margin = np.where(np.abs(margin) <= rtol * np.abs(reference), 0.0, margin)
        nan = np.nan

        # Reasons, once per distinct wording.
        statuses = list(Status)
        texts: dict[tuple[Any, ...], str] = {}
        reasons = np.empty(len(sel), dtype=object)
        nu = len(p.units)
        base_state, base_unit, base_pct = (
            fields["base_state"],
            fields["base_unit"],
            fields["base_pct"],
        )
        for k in range(len(sel)):
            i = int(ti[k])
            target = targets[i]
            if not usable[k]:
                local = int(state[k]) if state[k] < 2 else 4 + int(fields["unit"][k])
                key: tuple[Any, ...] = ("plain", i, local)
            elif has_nb[k]:
                c = int(chosen[k])
                when = (
                    str(int(self.year[c]) - 1)
                    if self.yearly[c]
                    else _period_text(self.pc.base_period(i))
                )
                bs = int(base_state[k])
                local = (
                    -1
                    if bs == 3
                    else 4 + nu + int(base_unit[k])
                    if bs == 2
                    else cx.partial_base + int(base_pct[k])
                    if bs == 4
                    else 2 + bs
                )
                key = ("baseline", i, when, local)
            elif has_failed[k]:
                c = int(chosen[k])
                lc_ = int(last_c[k])
                complete = int(self.year[lc_]) == target.period.end.year and not self.partial[lc_]
                final = not complete
                key = ("failed", i, int(self.year[c]), final)
            else:
                pct = None if every[k] else f"{shown[k]:.0%}"
                key = ("every", i, int(status[k]), pct)
            text = texts.get(key)
            if text is None:
                text = texts[key] = self._text(key, target, statuses)
            reasons[k] = text
        progress_names = np.array([progress_of.get(int(x)) for x in status.tolist()], dtype=object)
        rows = _rows(
            cx,
            ti,
            fields["b"],
            columns,
            status=status,
            progress=progress_names,
            reason=reasons,
            observed=np.where(usable, self.level[chosen], nan),
            projected=np.where(verdict, projected[chosen], nan),
            threshold=np.where(verdict, reference, nan),
            margin=np.where(verdict, margin, nan),
            baseline=np.where(usable, fields["base"], nan),
            coverage=np.where(usable, shown, 0.0),
            score=np.full(len(sel), nan),
            score_method=np.full(len(sel), None, dtype=object),
        )
        return fields["first"].astype(np.int64), ti, rows

    def _text(self, key: tuple[Any, ...], target: Target, statuses: list[Status]) -> str:
        """A reason, worded as ``_Judge._each_year`` words it."""
        cx = self.cx
        i = key[1]
        if key[0] == "plain":
            return _reason_text(cx, i, key[2])
        c = target.condition
        if key[0] == "baseline":
            _, _, when, local = key
            reason = "no figure for it"
            if local >= 0:
                full = _reason_text(cx, i, local)
                reason = full.split(": ", 1)[1]
            return f"{c.comparator} needs a baseline for {when}: {reason}"
        described = cx.described.get(i)
        if described is None:
            described = c.describe(target.unit, "en", target.indicator.direction)
            cx.described[i] = described
        if key[0] == "failed":
            text = f"the figure for {key[2]} {_VERB[Status.NOT_MET]} '{described}'"
            return text + (f" ({FAILED_FOR_GOOD})" if key[3] else "")
        status, pct = statuses[key[2]], key[3]
        text = f"every year's figure {_VERB[status]} '{described}'"
        if pct is not None:
            text += f" ({pct} of {_period_text(target.period)} observed)"
        return text


def _span_keys(
    p: Prepared, span_of: dict[int, list[int]], spans: list[_Span]
) -> tuple[Ints, list[list[int]]]:
    """Each row's key among (key, calendar year) pairs, and each such key's spans.

    A row of a period inside one calendar year goes to the span of that year
    of each target whose period holds it (its only span, for a cumulative
    flow), and to every span of the other targets of its key (their base, or
    a period no span reads: the reduction's phases sort that out); any other
    row to every span of its key's targets. So a row is reduced once per span
    that may read it, not once per year of the plan.
    """
    import numpy as np

    years = sorted({s.period.end.year for s in spans} | {s.period.start.year for s in spans})
    first, last = years[0], years[-1]
    width = last - first + 2  # slot 0: every span; slot j: the year first + j - 1
    slot_of_period = np.array(
        [
            q.start.year - first + 1
            if q.start.year == q.end.year and first <= q.start.year <= last
            else 0
            for q in p.periods
        ]
        or [0],
        dtype=np.int64,
    )
    starts = np.array([q.start.toordinal() for q in p.periods] or [0], dtype=np.int64)
    ends = np.array([q.end.toordinal() for q in p.periods] or [0], dtype=np.int64)
    # Only the spans a row of the target falls in: a year nothing was observed in
    # (2024, 2025 so far) has no figure to judge. A row of any key of the target
    # counts (an indicator's id and its name are two keys of one group): the base
    # year named one way must reach the year named the other.
    keys_of: dict[int, list[int]] = {}
    for k, targets in enumerate(p.key_targets):
        for ti in targets:
            if ti in span_of:
                keys_of.setdefault(ti, []).append(k)
    kept_of: dict[int, list[int]] = {}
    if p.pairs is not None:
        for ti, keys in keys_of.items():
            seen = np.flatnonzero(p.pairs[keys[0]] if len(keys) == 1 else p.pairs[keys].any(axis=0))
            lo, hi = starts[seen], ends[seen]
            kept_spans = [
                s
                for s in span_of[ti]
                if (
                    (lo >= spans[s].period.start.toordinal())
                    & (hi <= spans[s].period.end.toordinal())
                ).any()
            ]
            # A target seen only in its base still has its groups (no_data, as in assess).
            kept_of[ti] = kept_spans or span_of[ti][:1]
    key_spans: list[list[int]] = []
    for targets in p.key_targets:
        chosen = [ti for ti in targets if ti in span_of]
        kept = {ti: kept_of.get(ti, span_of[ti]) for ti in chosen}
        key_spans.append([s for ti in chosen for s in kept[ti]])
        for year in range(first, last + 1):
            mine: list[int] = []
            for ti in chosen:
                own = [s for s in span_of[ti] if spans[s].period.contains(Period.year(year))]
                mine += own if own else kept[ti]
            key_spans.append(mine)
    key_spans.append([])  # rows without a key
    codes = np.asarray(p.key_codes, dtype=np.int64)
    period_codes = np.asarray(p.period_codes, dtype=np.int64)
    slot = np.where(period_codes < 0, 0, slot_of_period[np.maximum(period_codes, 0)])
    virtual = np.where(codes < 0, len(key_spans) - 1, codes * width + slot)
    return virtual.astype(np.intp), key_spans


def _declined(p: Prepared, chosen: list[int]) -> set[int]:
    """Targets observed over a period inside theirs that is inside no one year of it."""
    import numpy as np

    keys: dict[int, list[int]] = {ti: [] for ti in chosen}
    for code, targets in enumerate(p.key_targets):
        for ti in targets:
            if ti in keys:
                keys[ti].append(code)
    odd = [i for i, q in enumerate(p.periods) if q.start.year != q.end.year]
    if not odd:
        return set()
    declined = set()
    for ti, codes in keys.items():
        period = p.targets[ti].period
        if p.pairs is None:  # which keys saw which periods is unknown: any such period counts
            seen: Any = range(len(odd))
        else:
            seen = np.flatnonzero(p.pairs[codes][:, odd].any(axis=0)) if codes else []
        if any(period.contains(p.periods[odd[int(j)]]) for j in seen):
            declined.add(ti)
    return declined


def _judged(
    cx: _Context,
    thresholds: ProgressThresholds,
    *,
    ti: Ints,
    b: Ints,
    first: Ints,
    state: Ints,
    unit: Ints,
    observed: F64,
    coverage: F64,
    last_p: Ints,
    year: Ints,
    base: F64,
    base_state: Any,
    base_unit: Ints,
    base_pct: Ints,
    columns: list[str],
) -> tuple[Ints, Ints, dict[str, Any]]:
    """Each (target, breakdown) group's verdict, following ``_Judge._judge`` for several years."""
    import numpy as np

    p, rtol = cx.prepared, cx.rtol
    targets = p.targets
    pc = plan_cache(p.plan)
    n = len(ti)
    tt = sorted(set(ti.tolist()))
    # Per target (indexed by plan position).
    nt = len(targets)
    flow = np.zeros(nt, dtype=bool)
    cumulative = np.zeros(nt, dtype=bool)
    needs = np.zeros(nt, dtype=bool)
    final = np.zeros(nt, dtype=bool)
    two_sided = np.zeros(nt, dtype=bool)
    compound = np.zeros(nt, dtype=bool)
    higher = np.zeros(nt, dtype=bool)
    sign = np.zeros(nt)
    t_start = np.zeros(nt, dtype=np.int64)
    t_days = np.ones(nt)
    end_year = np.zeros(nt, dtype=np.int64)
    base_i = np.zeros((nt, 4), dtype=np.int64)  # base period info
    zero_i = np.zeros((nt, 4), dtype=np.int64)  # the year before the period
    t_i = np.zeros((nt, 4), dtype=np.int64)
    for i in tt:
        t = targets[i]
        c = t.condition
        flow[i] = t.indicator.basis is Basis.FLOW
        cumulative[i] = _cumulative(t)
        needs[i] = c.needs_baseline
        final[i] = c.final_on_failure
        two_sided[i] = c.two_sided
        compound[i] = c.compound
        higher[i] = t.indicator.direction is Direction.HIGHER_IS_BETTER
        sign[i] = t.indicator.direction.sign
        t_start[i] = t.period.start.toordinal()
        t_days[i] = t.period.days
        end_year[i] = t.period.end.year
        base_i[i] = _period_info(pc.base_period(i))
        zero_i[i] = _period_info(Period.year(t.period.start.year - 1))
        t_i[i] = _period_info(t.period)

    def years(a: Any, bb: Any) -> F64:
        return np.asarray(_years(a[:, 0] > 0, a[:, 1], a[:, 2], bb[:, 0] > 0, bb[:, 1], bb[:, 2]))

    total_t = years(base_i, t_i)

    tb = cx.tables
    p_info = np.stack([tb.p_wm.astype(np.int64), tb.p_month, tb.p_end, tb.p_start], axis=1)
    usable = state == 3
    no_base = usable & needs[ti] & np.isnan(base)
    judged = usable & ~no_base
    cum = cumulative[ti]
    last_end = tb.p_end[last_p]
    overall = np.where(cum, coverage, (last_end - t_start[ti] + 1) / t_days[ti])
    overall_out = np.minimum(overall, 1.0)

    # Bounds of the final condition, over the years from the base period.
    total = total_t[ti]
    low, high, thr, goal_s = (np.full(n, np.nan) for _ in range(4))
    lc, hc = np.ones(n, dtype=bool), np.ones(n, dtype=bool)
    w = np.flatnonzero(judged)
    low[w], high[w], lc[w], hc[w], thr[w], goal_s[w] = bounds_of(
        targets, ti[w], base[w], years=total_t
    )

    from .._conditions import satisfies
    from .judging import _reference

    partial = coverage < 1 - 1e-12
    complete = ~partial & (cum | (year == end_year[ti]))
    with np.errstate(divide="ignore", invalid="ignore"):
        projected = np.where(
            judged & flow[ti] & partial,
            np.where(coverage > 0, observed / coverage, observed),
            np.nan,
        )
    no_proj = np.isnan(projected)
    value = np.where(no_proj, observed, projected)  # "judged"
    holds_now = satisfies(observed, low, high, lc, hc, rtol)
    holds = satisfies(value, low, high, lc, hc, rtol)

    # The cases of _judge, in its order.
    S = {s: i for i, s in enumerate(Status)}
    P = {c: i for i, c in enumerate(Progress)}
    case_a = judged & complete
    case_b = judged & ~case_a & final[ti] & ~holds_now
    rest = judged & ~case_a & ~case_b
    case_d1 = rest & holds_now & (cum | no_proj)
    edge = np.where(higher[ti], low, high)
    goal = np.where(np.isfinite(edge), edge, thr)
    start_v = np.where(cum, 0.0, base)
    case_d2 = rest & ~case_d1 & (np.isnan(goal) | np.isnan(start_v) | two_sided[ti])
    case_d3 = rest & ~case_d1 & ~case_d2

    status = np.full(n, S[Status.NO_DATA], dtype=np.int8)
    prog = np.full(n, -1, dtype=np.int8)
    ref_value = value.copy()
    ref_value[case_a | case_b | case_d1] = observed[case_a | case_b | case_d1]
    status[case_a] = np.where(holds_now[case_a], S[Status.MET], S[Status.NOT_MET])
    prog[case_a] = np.where(holds_now[case_a], P[Progress.ACHIEVED], P[Progress.BEHIND])
    status[case_b] = S[Status.NOT_MET]
    prog[case_b] = P[Progress.BEHIND]
    status[case_d1] = S[Status.ON_TRACK]
    prog[case_d1] = P[Progress.ACHIEVED_EARLY]
    status[case_d2] = np.where(holds[case_d2], S[Status.ON_TRACK], S[Status.OFF_TRACK])
    prog[case_d2] = np.where(holds[case_d2], P[Progress.ON_TRACK], P[Progress.BEHIND])
    reference = _reference(ref_value, low, high, thr).copy()  # may be thr itself

    # The path: where a steady path from the baseline stands by the latest observation.
    expected = np.full(n, np.nan)
    if case_d3.any():
        w = np.flatnonzero(case_d3)
        wt = ti[w]
        year_p = _infos(year[w], Period.year)
        last_i = p_info[last_p[w]]
        cum_w = cum[w]
        when = np.where((~no_proj[w])[:, None], year_p, last_i)
        share = np.where(
            cum_w,
            years(zero_i[wt], last_i) / years(zero_i[wt], t_i[wt]),
            years(base_i[wt], when) / total[w],
        )
        share = np.minimum(np.maximum(share, 0.0), 1.0)
        v = np.where(cum_w, observed[w], value[w])
        s0, gl = start_v[w], goal[w]
        comp = compound[wt] & ~cum_w
        with np.errstate(divide="ignore", invalid="ignore"):
            exp = s0 + share * (gl - s0)
            ratio = np.where(exp == s0, np.nan, (v - s0) / (exp - s0))
        # A compound path in Python's own arithmetic: as _path and _progress_ratio.
        for k in np.flatnonzero(comp).tolist():
            s, gk, vk = float(s0[k]), float(gl[k]), float(v[k])
            e = float(s * (gk / s) ** float(share[k])) if s > 0 and gk > 0 else float(exp[k])
            exp[k] = e
            if s > 0 and vk > 0 and e > 0 and e != s:
                ratio[k] = math.log(vk / s) / math.log(e / s)
            else:
                ratio[k] = np.nan if e == s else (vk - s) / (e - s)
        sg = sign[wt]
        no_ratio = np.isnan(ratio) | ((exp - s0) * sg <= 0)
        ok = (v - exp) * sg >= -rtol * np.abs(exp)
        r = ratio + rtol
        cat = np.where(
            r >= thresholds.ahead,
            P[Progress.AHEAD_OF_SCHEDULE],
            np.where(r >= thresholds.on_track, P[Progress.ON_TRACK], P[Progress.BEHIND]),
        )
        cat = np.where(no_ratio, np.where(ok, P[Progress.ON_TRACK], P[Progress.BEHIND]), cat)
        prog[w] = cat
        status[w] = np.where(cat == P[Progress.BEHIND], S[Status.OFF_TRACK], S[Status.ON_TRACK])
        expected[w] = exp
        reference[w] = exp
        ref_value[w] = v
    margin = ref_value - reference
    with np.errstate(invalid="ignore"):
        margin = np.where(np.abs(margin) <= rtol * np.abs(reference), 0.0, margin)

    # Scores: on the value judged, at the time it stands for.
    score = np.full(n, np.nan)
    method = np.full(n, None, dtype=object)
    goal_score = np.where(np.isnan(thr), goal_s, thr)
    has_score = judged & ~np.isnan(base) & ~np.isnan(goal_s)
    if has_score.any():
        w = np.flatnonzero(has_score)
        wt = ti[w]
        year_p = _infos(year[w], Period.year)
        cur_i = np.where((~no_proj[w] & ~cum[w])[:, None], year_p, p_info[last_p[w]])
        cur_i = np.where((~no_proj[w] & cum[w])[:, None], t_i[wt], cur_i)
        if cx.method is not None:
            from .judging import _scores

            score[w] = _scores(
                cx.method,
                base[w],
                ref_value[w],
                goal_score[w],
                sign[wt],
                years(base_i[wt], cur_i),
                total[w],
            )
            method[w] = cx.method.value
        else:
            for i in w.tolist():
                t = targets[int(ti[i])]
                y = int(year[i])
                if not no_proj[i]:
                    current_period = t.period if cum[i] else Period.year(y)
                else:
                    current_period = p.periods[int(last_p[i])]
                result = cx.scorer(
                    ProgressInput(
                        baseline=float(base[i]),
                        baseline_period=pc.base_period(int(ti[i])),
                        current=float(ref_value[i]),
                        current_period=current_period,
                        target=float(goal_score[i]),
                        target_period=t.period,
                        direction=t.indicator.direction,
                    )
                )
                score[i] = np.nan if result.value is None else result.value
                method[i] = str(result.method)

    # Statuses that are no verdict, and their reasons (as the general path words them).
    nu = len(p.units)
    local = np.where(state == 2, 4 + unit, state)
    base_local = np.where(base_state == 2, 4 + nu + base_unit, 2 + base_state)
    base_local = np.where(base_state == 4, cx.partial_base + base_pct, base_local)
    local = np.where(no_base, base_local, local)
    status[state == 2] = S[Status.NOT_COMPARABLE]
    status[no_base] = S[Status.NEEDS_BASELINE]

    # Reasons: one text per distinct wording, found with np.unique, never a loop per group.
    statuses = list(Status)
    plain_what = ~(case_a | case_b | no_proj)  # 1: "projected value"
    path_what = ~(cum | no_proj)
    case = np.where(case_d3, 2, np.where(case_d1, 1, 0))
    what = np.where(case_d3, path_what, plain_what).astype(np.int64)
    when_code = np.where(no_proj | cum, last_p, -1 - year)  # a period observed, or the year
    pct = np.where(complete, -1.0, overall)
    fields = np.stack(
        [
            ti.astype(np.float64),
            np.where(judged, case, -1 - local).astype(np.float64),
            np.where(judged, status, 0).astype(np.float64),
            np.where(judged, what, 0).astype(np.float64),
            np.where(case_d3, expected, 0.0),
            np.where(case_d3, when_code, 0).astype(np.float64),
            np.where(judged, pct, 0.0),
        ],
        axis=1,
    )
    reasons = _worded(cx, fields, statuses)

    # Outputs of groups without a verdict.
    nan = np.nan
    method[~has_score] = None
    progress_names = np.array([None, *(c.value for c in Progress)], dtype=object)
    rows = _rows(
        cx,
        ti,
        b,
        columns,
        status=status,
        progress=progress_names[prog + 1],
        reason=reasons,
        observed=np.where(usable, observed, nan),
        projected=np.where(judged, projected, nan),
        threshold=np.where(judged, reference, nan),
        margin=np.where(judged, margin, nan),
        baseline=np.where(judged, base, nan),
        coverage=np.where(usable, overall_out, 0.0),
        score=np.where(judged, score, nan),
        score_method=method,
    )
    return first.astype(np.int64), ti, rows


def _infos(keys: Ints, period_of: Callable[[int], Period]) -> Any:
    """``_period_info`` of ``period_of(key)`` for each key, worked out once per distinct key."""
    import numpy as np

    distinct, inverse = np.unique(keys, return_inverse=True)
    table = np.array([_period_info(period_of(int(k))) for k in distinct.tolist()], dtype=np.int64)
    return table.reshape(len(distinct), 4)[np.asarray(inverse).ravel()]


def _rows(
    cx: _Context, ti: Ints, b: Ints, columns: list[str], *, status: Any, **given: Any
) -> dict[str, Any]:
    """Result columns (plain values) of rows of targets ``ti`` with breakdown codes ``b``.

    The per-target texts (id, period, units) are the plan's, worked out once
    per plan and gathered; ``status`` is codes into :class:`Status`; the
    other columns are ``given``.
    """
    import numpy as np

    from .judging import _STATUSES

    p = cx.prepared
    pc = plan_cache(p.plan)

    def texts() -> dict[str, Any]:
        per_target = {"target_id": np.array(pc.ids(), dtype=object)}
        for name, (codes, values) in pc.texts().items():
            per_target[name] = np.array(values, dtype=object)[codes]
        return per_target

    frame = {name: values[ti] for name, values in pc.get("years_texts", texts).items()}
    for name in p.by:
        column = np.array([*p.by_values[name].to_numpy(dtype=object), None], dtype=object)
        frame[name] = column[np.where(b < 0, len(column) - 1, b)]
    frame["status"] = np.array(_STATUSES, dtype=object)[status]
    frame["aspirational"] = pc.aspirational[ti]
    frame.update(given)
    return {name: frame[name] for name in columns}


#: Where a path's expected value goes in a reason worded once for many groups.
_SLOT = "\x00"


def _worded(cx: _Context, fields: Any, statuses: list[Status]) -> Any:
    """Each group's reason, from its row of ``fields`` (see ``_judged``), as an object array.

    Groups judged against a path differ mostly in the value expected by now
    (a baseline per region makes each path its own): each wording is made
    once per distinct row of the other fields, with a slot for that value,
    and each distinct value is written once (``.6g``, as ``assess`` writes it).
    """
    import numpy as np

    p = cx.prepared
    n = len(fields)
    reasons = np.empty(n, dtype=object)
    if not n:
        return reasons
    key = fields[:, [0, 1, 2, 3, 5, 6]]
    order = np.lexsort(key.T[::-1])
    ordered = key[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    template = np.empty(n, dtype=np.intp)
    template[order] = np.cumsum(new) - 1
    heads: list[str] = []
    tails: list[str | None] = []
    for row in ordered[new].tolist():
        t_index, kind = int(row[0]), int(row[1])
        if kind < 0:
            heads.append(_reason_text(cx, t_index, -1 - kind))
            tails.append(None)
            continue
        shown = None if row[5] < 0 else f"{row[5]:.0%}"
        at = int(row[4])
        when_text = _period_text(p.periods[at]) if at >= 0 else str(-1 - at)
        status = statuses[int(row[2])]
        text = _text(cx, t_index, kind, status, int(row[3]), _SLOT, when_text, shown)
        head, _, tail = text.partition(_SLOT)
        heads.append(head)
        tails.append(tail if kind == 2 else None)
    slotted = np.array([t is not None for t in tails], dtype=bool)[template]
    plain = np.flatnonzero(~slotted)
    reasons[plain] = np.array(heads, dtype=object)[template[plain]]
    on_path = np.flatnonzero(slotted)
    if len(on_path):
        distinct, back = np.unique(fields[on_path, 4], return_inverse=True)
        shown_values = [f"{x:.6g}" for x in distinct.tolist()]
        reasons[on_path] = [
            heads[t] + shown_values[e] + tails[t]
            for t, e in zip(
                template[on_path].tolist(), np.asarray(back).ravel().tolist(), strict=True
            )
        ]
    return reasons


def _text(
    cx: _Context,
    ti: int,
    kind: int,
    status: Status,
    projected: int,
    expected: str,
    when_text: str,
    pct: str | None,
) -> str:
    """A judged group's reason, worded as ``_Judge._judge`` words it.

    ``kind``: 0 judged against the condition, 1 met already, 2 against the
    path (``expected``, the value written, by ``when_text``); ``projected``:
    whether the value judged is a projection; ``pct``: how much of the period
    is observed, when not all of it.
    """
    target = cx.prepared.targets[ti]
    described = cx.described.get(ti)
    if described is None:
        described = target.condition.describe(target.unit, "en", target.indicator.direction)
        cx.described[ti] = described
    what = "projected value" if projected else "observed value"
    if kind == 2:
        text = (
            f"{what} {_VERB[status]} the path to '{described}' ({expected} expected by {when_text})"
        )
    elif kind == 1:
        text = f"observed value {_VERB[Status.ON_TRACK]} '{described}' already"
    else:
        text = f"{what} {_VERB[status]} '{described}'"
    if pct is not None:
        text += f" ({pct} of {_period_text(target.period)} observed"
        text += f"; {FAILED_FOR_GOOD})" if status is Status.NOT_MET else ")"
    return text
