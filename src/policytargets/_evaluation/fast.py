"""The fast path: one observation per group, covering the whole target period.

Pure numpy over the rows, in chunks that stay in the CPU cache, run by run of
one target (so per-target numbers are scalars), written straight into the
result's own arrays; ``_fast`` returns None to send any other table to the
general path (``grouped``).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from .._assessment import Status
from .._conditions import satisfies
from . import memory
from .chunks import _chunks, _run
from .frame import _categorical, _code_dtype, with_missing
from .judging import (
    _PROGRESS,
    _S,
    _STATUSES,
    _bounds,
    _Context,
    _nearer_end,
    _ReasonCodes,
    _scores,
)
from .tables import plan_cache

if TYPE_CHECKING:
    import pandas as pd

    from .tables import F64, Ints

#: Rows per chunk on the fast path: a chunk's temporaries stay in the CPU's caches, and
#: chunks are few enough that two threads rarely wait for each other's Python (2**16 rows:
#: 12.5–13.4 ns/row; 2**18: 11.2–12.1, on 10**7 categorical rows).
CHUNK = 1 << 18
#: (target, breakdown) pairs beyond eight a row that a bitmap of them may have.
DENSE_PAIRS = 1 << 20


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
    # Groups seen out of order are marked in a bitmap of every (target, breakdown)
    # pair when it is small, else kept as keys and sorted: a plan of many targets
    # and regions against a small table (a Dask partition, a filtered frame) stays here.
    dense = nt * n_by <= 8 * n + DENSE_PAIRS
    # Every (key, period) pair that occurs is its target's own whole period.
    kk, pp = np.nonzero(p.pairs)
    if not tb.full[key_target[kk] * tb.n_periods + pp].all():
        return None
    present = np.zeros(nt, dtype=bool)
    present[key_target[kk]] = True
    absent_t = np.flatnonzero(~present) if absent else np.zeros(0, dtype=np.intp)
    m = n + len(absent_t)

    # Per target, with the plan's baseline (if any) already applied to the bounds:
    # from the plan alone, so worked out once per plan.
    plan = plan_cache(p.plan)
    base = tb.plan_base

    def plan_bounds() -> tuple[Any, ...]:
        arrays = _bounds(tb, np.arange(nt, dtype=np.intp), base)
        for array in arrays:
            array.flags.writeable = False
        return arrays

    low, high, lc, hc, thr, goal = plan.get("bounds", plan_bounds)
    no_base = tb.needs & np.isnan(base)
    has_base = np.isfinite(base)
    has_score = has_base & np.isfinite(goal) & ~no_base & ~tb.maintained  # none for 保持, 每年
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
    per_target = plan.texts()
    method_tab = np.where(has_score, cx.methods.index(cx.method.value), -1).astype(np.int8)
    aspirational = plan.aspirational
    key_column = p.frame[p.key]
    # The input's own target_id categorical is the result's: no copy.
    reuse_key = (
        p.key == "target_id"
        and isinstance(key_column.dtype, pd.CategoricalDtype)
        and not len(absent_t)
    )

    def buffers(k: int) -> dict[str, Any]:
        arrays = {
            "status": memory.empty(k, np.int8),
            "observed": memory.empty(k),
            "threshold": memory.empty(k),
            "margin": memory.empty(k),
            "projected": memory.empty(k),
            "baseline": memory.empty(k),
            "coverage": memory.empty(k),
            "score": memory.empty(k),
            "reason": memory.empty(k, _code_dtype(predicted + nt * (2 + tb.n_units))),
            "method": memory.empty(k, np.int8),
            "aspirational": memory.empty(k, bool),
            **{name: memory.empty(k, tab.dtype) for name, (tab, _) in per_target.items()},
        }
        if not reuse_key:
            arrays["target_id"] = memory.empty(k, _code_dtype(nt))
        return arrays

    out = buffers(m)
    seen = np.zeros(nt * n_by if dense else 0, dtype=bool)
    marked: list[Any] = []  # keys of groups seen out of order, when not dense
    counted: list[int] = []
    runs: list[tuple[int, int, int]] = []  # (target, first by code, last by code)
    # Some row got the met / not-met reason. Only ever set to True, never read and
    # written back (|=): the two threads may judge chunks of one target at once.
    used = np.zeros((nt, 2), dtype=bool)
    bad_parts: list[tuple[Any, Any]] = []  # (rows, target * n_local + local reason)
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
        # What reads the observed values comes first, while they are in the CPU's
        # cache; the columns that are merely filled come last.
        bad = np.flatnonzero(np.isnan(v))
        th, mg, st, rs = o["threshold"][s], o["margin"][s], o["status"][s], o["reason"][s]
        sc = o["score"][s]
        if no_base[ti]:
            st.fill(code_nb)
            rs.fill(met_code[ti])
            th.fill(np.nan)
            mg.fill(np.nan)
            sc.fill(np.nan)
            if len(bad) < len(v):
                used[ti] = True
        else:
            lo, hi, ref = float(low[ti]), float(high[ti]), float(thr[ti])
            holds = satisfies(v, lo, hi, bool(lc[ti]), bool(hc[ti]), rtol)
            np.logical_not(holds, out=st.view(np.bool_))  # MET is 0, NOT_MET 1
            # reason = met + status * (not met - met): arithmetic beats a masked copy.
            # Both codes fit the reason's dtype: computed in it, not in int64 and cast.
            code = rs.dtype.type
            np.multiply(st, code(not_code[ti] - met_code[ti]), out=rs, casting="unsafe")
            rs += code(met_code[ti])
            n_met = int(np.count_nonzero(holds))
            if n_met:
                used[ti, 0] = True
            if n_met + len(bad) < len(v):
                used[ti, 1] = True
            tol: Any
            if not np.isnan(ref):
                np.subtract(v, ref, out=mg)
                tol = rtol * abs(ref)
            else:  # two-sided: the margin is measured from the nearer end
                if np.isinf(lo) or np.isinf(hi):
                    th.fill(lo if np.isinf(hi) else hi)
                else:
                    _nearer_end(v, lo, hi, out=th)
                np.subtract(v, th, out=mg)
                tol = rtol * np.abs(th)
            # Within the tolerance of the bound the margin is 0 (rare: no masked copy else).
            # |margin| <= tol as two comparisons: no float temporary for the absolute value.
            near = mg <= tol
            near &= mg >= -tol
            if near.any():
                np.copyto(mg, 0.0, where=near)
            if has_score[ti]:
                sc[:] = _scores(scoring, base[ti], v, goal[ti], sign[ti], total[ti], total[ti])
            else:
                sc.fill(np.nan)
            if not np.isnan(ref):
                th.fill(ref)
        for name, (tab, _) in per_target.items():
            o[name][s] = tab[ti]
        o["aspirational"][s] = aspirational[ti]
        o["projected"][s] = np.nan
        o["coverage"][s] = 1.0
        o["baseline"][s] = base[ti] if has_base[ti] else np.nan
        o["method"][s] = method_tab[ti]
        if not reuse_key:
            o["target_id"][s] = ti
        if len(bad):
            missing = np.isnan(value[bad])
            st[bad] = np.where(missing, code_nd, code_nc)
            local = np.where(missing, 1, 4 + uc[bad].astype(np.int64))
            at = bad + rows.start if isinstance(rows, slice) else rows[bad]
            bad_parts.append((at, ti * n_local + local))
            th[bad] = np.nan
            mg[bad] = np.nan
            o["baseline"][s][bad] = np.nan
            o["coverage"][s][bad] = 0.0
            o["method"][s][bad] = -1

    def once(ti: int, by: Ints) -> None:
        # One target's rows with increasing breakdown codes are distinct groups.
        if len(by) > 1 and not bool((by[1:] > by[:-1]).all()):
            if dense:
                seen[ti * n_by + by.astype(np.intp)] = True
            else:
                marked.append(ti * n_by + by.astype(np.int64))
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
    keys = np.sort(np.concatenate(marked)) if marked else np.zeros(0, dtype=np.int64)
    if runs:
        # Runs with increasing breakdown codes hold distinct groups; they must
        # not overlap one another, nor the groups marked in ``seen`` (``keys``).
        r = np.array(runs, dtype=np.intp)
        r = r[np.lexsort((r[:, 1], r[:, 0]))]
        same = r[1:, 0] == r[:-1, 0]
        if (same & (r[1:, 1] <= r[:-1, 2])).any():
            return None
        if counted and dense:
            for ti, first, last in r.tolist():
                if seen[ti * n_by + first : ti * n_by + last + 1].any():
                    return None
        if len(keys):
            lo = r[:, 0].astype(np.int64) * n_by + r[:, 1]
            hi = r[:, 0].astype(np.int64) * n_by + r[:, 2]
            if (np.searchsorted(keys, lo, "left") < np.searchsorted(keys, hi, "right")).any():
                return None
    # A group with several observations: the general path handles it.
    if dense and counted and int(np.count_nonzero(seen)) != sum(counted):
        return None
    if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
        return None

    # Rare rows, then one no_data row per absent target; codes in (target, reason) order.
    bad_rows, bad_keys = _concat_parts(bad_parts)
    if len(bad_rows):
        # Keys are (target, local reason) pairs, a few thousand at most: marked in a
        # table rather than sorted (1 % of 10**7 rows missing took a 100,000-key sort).
        # Texts are made in ascending key order, as np.unique would give them.
        occurs = np.zeros(nt * n_local, dtype=bool)
        occurs[bad_keys] = True
        keys = np.flatnonzero(occurs)
        table = np.zeros(len(occurs), dtype=out["reason"].dtype)
        table[keys] = [codes.get(int(k // n_local), int(k % n_local)) for k in keys.tolist()]
        out["reason"][bad_rows] = table[bad_keys]
    if len(absent_t):
        tail = slice(n, m)
        out["status"][tail] = code_nd
        out["reason"][tail] = codes.no_observation(absent_t)
        for name in ("observed", "threshold", "margin", "projected", "baseline", "score"):
            out[name][tail] = np.nan
        out["coverage"][tail] = 0.0
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

    # The input's own columns are handed over as Series, not arrays: pandas then
    # knows the result shares them and copies on a write (copy-on-write), so
    # writing into the result never changes the caller's table.
    index = p.frame.index
    numbered = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1

    def as_rows(column: pd.Series[Any]) -> pd.Series[Any]:
        # Indexed 0..n-1, as the result is (a Series' index would align the frame).
        return column if numbered else column.reset_index(drop=True)

    columns: dict[str, Any] = {}
    if reuse_key:
        columns["target_id"] = as_rows(key_column)
    else:
        columns["target_id"] = _categorical(out["target_id"], plan.ids())
    for name in p.by:
        # The result rows are the input rows: the input column is reused as it is
        # (with_missing makes new rows when targets are absent).
        column = p.frame[name]
        columns[name] = with_missing(column if len(absent_t) else as_rows(column), len(absent_t))
    columns["period"] = _categorical(out["period"], per_target["period"][1])
    columns["status"] = _categorical(out["status"], _STATUSES)
    columns["progress"] = _categorical(memory.full(m, -1, np.int8), _PROGRESS)
    columns["observed"] = out["observed"]
    columns["projected"] = out["projected"]
    columns["threshold"] = out["threshold"]
    columns["margin"] = out["margin"]
    columns["margin_unit"] = _categorical(out["margin_unit"], per_target["margin_unit"][1])
    columns["unit"] = _categorical(out["unit"], per_target["unit"][1])
    columns["baseline"] = out["baseline"]
    columns["coverage"] = out["coverage"]
    columns["score"] = out["score"]
    columns["score_method"] = _categorical(out["method"], cx.methods)
    columns["aspirational"] = out["aspirational"]
    columns["reason"] = _categorical(reason_codes, texts, cached=False)
    # copy=False: the columns are fresh (or the input's own); copying doubles the peak.
    return pd.DataFrame(columns, copy=False)
