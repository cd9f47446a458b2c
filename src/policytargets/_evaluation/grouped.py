"""The general path: any observations, reduced group by group, and the conflicts it refuses.

Observations are sorted once by (group, current / previous period, period
end, longest period last), then flows summed, rates pooled, duplicates and
the latest value found with ``reduceat``-style grouping; every group is then
judged by ``_assemble`` (in ``judging``). Two different values for one group
and period, or overlapping observations of a flow, raise as in
:func:`policytargets.assess` (``_raise_rows``). The rows are taken in chunks
of whole groups (``_row_chunks``), so that the temporaries stay bounded.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._failures import failure_table, raise_failures
from .chunks import _chunks, _run
from .judging import _assemble, _Context, _Groups, _Out
from .prepare import Prepared

if TYPE_CHECKING:
    import pandas as pd

    from .tables import F64, Bools, Ints


#: Observation rows (counted once per target they apply to) reduced at once on
#: the general path. A chunk's temporaries take about 400 bytes a row, and
#: two chunks are reduced at a time: about 100 MB whatever the table's length.
CHUNK_ROWS = 1 << 17


@dataclass
class _Part:
    """One chunk's groups, judged, in (target, breakdown) order; or its conflicting rows."""

    out: _Out | None = None
    t: Ints | None = None
    b: Ints | None = None
    first: Ints | None = None
    duplicate: Ints | None = None
    overlapping: Ints | None = None


def _general(cx: _Context, progress: bool) -> tuple[_Out, Ints, pd.DataFrame, Ints]:
    """Any observations: reduce groups chunk by chunk of rows, then order them.

    A group is one target and one breakdown, so the rows are cut into chunks
    of whole groups of at most about :data:`CHUNK_ROWS` rows (``_row_chunks``),
    each reduced and judged on its own (``_reduce``): only the input and the
    result are full-size. The result is the same, bit for bit, as one pass
    over every row: rows in the order their group first appears (ties, one
    row applying to several targets, in (target, breakdown) order). The
    conflicts of every chunk are raised at once.
    """
    import numpy as np

    p = cx.prepared
    chunks = _row_chunks(p, CHUNK_ROWS)
    parts: list[_Part] = [_Part() for _ in chunks]
    several = len(chunks) >= 4  # chunks run on two threads; judging each stays on one
    keys = _key_table(p)

    def work(s: slice) -> bool:
        i = s.start
        red = _reduce(cx, chunks[i], keys)
        chunks[i] = None  # the chunk's row positions
        if red is None:
            return True
        if red.bad.any():
            duplicate, overlapping = red.conflict_rows()
            parts[i] = _Part(duplicate=duplicate, overlapping=overlapping)
            return True
        groups = red.groups
        n_groups = len(groups.t)
        out = _Out.empty(n_groups)

        def judge(g: slice) -> bool:
            _assemble(cx, groups.slice(g), out, g)
            return True

        group_chunks = _chunks(n_groups, 1 << 16)
        if several:
            for g in group_chunks:
                judge(g)
        else:
            _run(group_chunks, judge, progress, "evaluating")
        parts[i] = _Part(out=out, t=groups.t, b=red.b, first=red.first)
        return True

    _run(_chunks(len(chunks), 1), work, progress and several, "evaluating")
    duplicate = [x.duplicate for x in parts if x.duplicate is not None]
    overlapping = [x.overlapping for x in parts if x.overlapping is not None]
    if duplicate or overlapping:
        _raise_rows(p.frame, np.concatenate(duplicate), np.concatenate(overlapping))
    done = [x for x in parts if x.out is not None]
    parts.clear()
    if not done:
        return _Out.empty(0), np.zeros(0, np.intp), p.by_values.iloc[:0], np.zeros(0, np.intp)
    first = np.concatenate([x.first for x in done if x.first is not None])
    t = np.concatenate([x.t for x in done if x.t is not None])
    g_b = np.concatenate([x.b for x in done if x.b is not None])
    outs = [x.out for x in done if x.out is not None]
    done.clear()
    # Rows in the order their group first appears in the observations. Ties
    # (one row applying to several targets) are groups of one chunk, where
    # they come in (target, breakdown) order, as in one pass.
    first_order = np.argsort(first, kind="stable")
    t, g_b = t[first_order], g_b[first_order]
    fields: dict[str, Any] = {}
    for name in (f.name for f in dataclasses.fields(_Out)):
        # One column at a time, each chunk's freed as soon as it is gathered.
        column = np.concatenate([getattr(o, name) for o in outs])
        for o in outs:
            setattr(o, name, None)
        fields[name] = column[first_order]
        del column
    out = _Out(**fields)
    by_frame = p.by_values.iloc[g_b].reset_index(drop=True)
    # The first row of each group, in result order: where kernel groups slot in.
    return out, t, by_frame, first[first_order]


@dataclass
class _Reduced:
    """Every (target, breakdown) group reduced to what judging needs, in order of first row.

    ``bad`` marks groups whose observations contradict each other (two values
    for one period, overlapping parts of a flow); ``raise_conflicts`` raises
    for them, naming the rows (``duplicate_rows`` of groups
    ``duplicate_groups``, likewise for overlapping parts), as
    :func:`policytargets.assess` does.
    """

    frame: pd.DataFrame
    groups: _Groups
    b: Ints  # breakdown code per group
    first: Ints  # first input row per group
    bad: Bools
    bad_row: Ints  # first row with a unit not comparable (max intp when none)
    duplicate_groups: Ints
    duplicate_rows: Ints
    overlapping_groups: Ints
    overlapping_rows: Ints

    def conflict_rows(
        self, clash: Bools | None = None, overlap: Bools | None = None
    ) -> tuple[Ints, Ints]:
        """The rows of conflicts: duplicates, then overlapping parts.

        Only those of the groups ``clash`` (duplicates) and ``overlap``
        (overlapping parts), when given.
        """
        duplicate, overlapping = self.duplicate_rows, self.overlapping_rows
        if clash is not None:
            duplicate = duplicate[clash[self.duplicate_groups]]
        if overlap is not None:
            overlapping = overlapping[overlap[self.overlapping_groups]]
        return duplicate, overlapping

    def raise_conflicts(self, clash: Bools | None = None, overlap: Bools | None = None) -> None:
        """Raise for the conflicts of the groups given (every group's, by default)."""
        if self.bad.any():
            duplicate, overlapping = self.conflict_rows(clash, overlap)
            if len(duplicate) or len(overlapping):
                _raise_rows(self.frame, duplicate, overlapping)


def _row_chunks(p: Prepared, budget: int) -> list[Ints | None]:
    """The row positions of each chunk (ascending), or ``[None]`` for one chunk of every row.

    A chunk holds whole groups: the rows of whole components (targets that
    share a key, as the targets of one indicator do with ``indicator_id``),
    at most ``budget`` (target, row) pairs when the components allow; a
    bigger component is cut by ranges of breakdown codes.
    """
    import numpy as np

    key_codes, n_keys = p.key_codes, len(p.key_targets)
    n_by = max(len(p.by_values), 1)
    counts = np.array([len(k) for k in p.key_targets], dtype=np.int64)
    per_key = np.bincount(key_codes, minlength=n_keys) * counts  # (target, row) pairs
    if per_key.sum() <= budget:
        return [None]
    # Components: targets joined by a key they share (union-find).
    parent = list(range(len(p.targets)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for targets in p.key_targets:
        for other in targets[1:]:
            parent[root(other)] = root(targets[0])
    comp_of_key = [root(k[0]) if k else -1 for k in p.key_targets]
    pairs: dict[int, int] = {}
    for k, c in enumerate(comp_of_key):
        pairs[c] = pairs.get(c, 0) + int(per_key[k])
    chunk_of_comp: dict[int, int] = {}
    by_chunks: dict[int, Ints] = {}  # a big component: the chunk of each breakdown code
    n_chunks, total = 0, 0
    for c in sorted(pairs):
        if pairs[c] > budget and n_by > 1:
            keys = np.array([x == c for x in comp_of_key] + [False], dtype=bool)
            mine = keys[key_codes]
            per_by = np.bincount(p.by_codes[mine], weights=counts[key_codes[mine]], minlength=n_by)
            cut = np.floor_divide(np.cumsum(per_by) - per_by, budget).astype(np.int64)
            n_chunks += total > 0  # close the open chunk
            by_chunks[c] = n_chunks + np.unique(cut, return_inverse=True)[1].ravel()
            n_chunks = int(by_chunks[c].max()) + 1
            total = 0
            continue
        if total and total + pairs[c] > budget:
            n_chunks, total = n_chunks + 1, 0
        chunk_of_comp[c] = n_chunks
        total += pairs[c]
    n_chunks += total > 0
    dtype = np.int16 if n_chunks < np.iinfo(np.int16).max else np.int32
    chunk_of_key = np.array([chunk_of_comp.get(c, 0) for c in comp_of_key] + [0], dtype=dtype)
    row_chunk = chunk_of_key[key_codes]
    for c, of_by in by_chunks.items():
        at = np.flatnonzero(np.array([x == c for x in comp_of_key], dtype=bool)[key_codes])
        row_chunk[at] = of_by[p.by_codes[at]]
    # Stable: each chunk's rows stay in ascending order (a radix sort for int16).
    order = np.argsort(row_chunk, kind="stable")
    bounds = np.cumsum(np.bincount(row_chunk, minlength=n_chunks))[:-1]
    del row_chunk
    small = np.int32 if len(order) < np.iinfo(np.int32).max else np.intp
    return list(np.split(order.astype(small), bounds))


def _key_table(p: Prepared) -> tuple[Ints, Ints, Ints]:
    """Each key's number of targets, the targets of every key in turn, and where each starts."""
    import numpy as np

    counts = np.array([len(k) for k in p.key_targets], dtype=np.intp)
    flat = np.array([i for k in p.key_targets for i in k], dtype=np.intp)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
    return counts, flat, offsets


def _reduce(
    cx: _Context, rows: Ints | None = None, keys: tuple[Ints, Ints, Ints] | None = None
) -> _Reduced | None:
    """Sort once, then reduce every group's current and previous period; None without rows.

    ``rows``: the row positions of a chunk of whole groups, ascending (None:
    every row); ``keys``: ``_key_table``, when already made.
    """
    import numpy as np

    p, tb = cx.prepared, cx.tables
    n = len(p.value)
    counts, flat, offsets = _key_table(p) if keys is None else keys
    if rows is None:
        rows = np.arange(n, dtype=np.intp)
        key_codes = p.key_codes
    else:
        rows = rows.astype(np.intp)
        key_codes = p.key_codes[rows]
    if (counts == 1).all():
        r, t = rows, flat[key_codes]
    else:
        per_row = counts[key_codes]
        r = np.repeat(rows, per_row)
        within = np.arange(len(r)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
        t = flat[offsets[np.repeat(key_codes, per_row)] + within]
    del rows, key_codes
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
        return None

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
    first = np.full(n_seg, np.iinfo(np.intp).max, dtype=np.intp)
    if incompat.any():
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
    k_sum = segment_sums(d_v, k_start, k_n)
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
        num_sum = segment_sums(np.where(known, num, 0.0), k_start, k_n)
        den_sum = segment_sums(np.where(known, den, 0.0), k_start, k_n)
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
        bad_row = np.full(n_groups, np.iinfo(np.intp).max, dtype=np.intp)
        bad_row[gs] = first[sel]
        return {
            "bad_row": bad_row,
            "state": st,
            "unit": unit,
            "conflict": conflict,
            "overlap": over,
            "last_p": last_p,
            **fields,
        }

    cur, prev = per_group(1), per_group(2)
    g_flow = tb.flow[g_t]
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
    # Only a usable group's contradictions stop it, and its base's only when read.
    prev_read = cur_ok & ~has_plan & (prev["state"] == 3)
    clash_cur, clash_prev = cur_ok & cur["conflict"], prev_read & prev["conflict"]
    # Overlapping observations matter only to a flow, which sums them.
    over_cur, over_prev = cur_ok & g_flow & cur["overlap"], prev_read & g_flow & prev["overlap"]

    groups = _Groups(
        t=g_t,
        state=cur["state"],
        unit=cur["unit"],
        level=cur["level"],
        level_cov=cur["level_cov"],
        end_cov=cur["end_cov"],
        last_p=cur["last_p"],
        base=base,
        base_state=base_state,
        base_unit=prev["unit"],
        base_pct=base_pct,
    )
    # Groups in the order their first row appears in the observations.
    first_order = np.argsort(g_first, kind="stable")

    rank = np.empty(n_groups, dtype=np.intp)
    rank[first_order] = np.arange(n_groups)
    conflicts = _conflicts(
        r,
        ur,
        ur_kept,
        seg,
        s_g,
        s_phase,
        clash,
        overlap,
        d_seg,
        (clash_cur, clash_prev),
        (over_cur, over_prev),
        rank,
    )
    return _Reduced(
        frame=p.frame,
        groups=_Groups(**{k: a[first_order] for k, a in groups.__dict__.items()}),
        b=g_b[first_order],
        first=g_first[first_order],
        bad=(clash_cur | clash_prev | over_cur | over_prev)[first_order],
        bad_row=cur["bad_row"][first_order],
        duplicate_groups=conflicts[0],
        duplicate_rows=conflicts[1],
        overlapping_groups=conflicts[2],
        overlapping_rows=conflicts[3],
    )


def _conflicts(
    r: Ints,
    ur: Ints,
    ur_kept: Ints,
    seg: Ints,
    s_g: Ints,
    s_phase: Any,
    clash: Bools,
    overlap: Bools,
    d_seg: Ints,
    bad_clash: tuple[Bools, Bools],
    bad_overlap: tuple[Bools, Bools],
    rank: Ints,
) -> tuple[Ints, Ints, Ints, Ints]:
    """The rows of conflicts and their groups (``rank``: a group's place in result order).

    (groups, rows) of two different values for one period, then of
    overlapping parts of a flow; one entry per row of each conflicting pair.
    """
    import numpy as np

    if not any(x.any() for x in (*bad_clash, *bad_overlap)):
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, empty, empty

    def bad_segment(segments: Ints, bad: tuple[Bools, Bools]) -> Bools:
        """Whether each segment's group is marked ``bad`` (current, base) in its phase."""
        g = s_g[segments]
        return np.where(s_phase[segments] == 1, bad[0][g], bad[1][g])

    where = np.flatnonzero(clash)
    where = where[bad_segment(seg[ur[where]], bad_clash)]
    dup_g = rank[s_g[seg[ur[where]]]]
    dup_rows = np.concatenate([r[ur[where]], r[ur[where + 1]]])
    where = np.flatnonzero(overlap)
    where = where[bad_segment(d_seg[where + 1], bad_overlap)]
    over_g = rank[s_g[d_seg[where + 1]]]
    over_rows = np.concatenate([r[ur_kept[where]], r[ur_kept[where + 1]]])
    return np.concatenate([dup_g, dup_g]), dup_rows, np.concatenate([over_g, over_g]), over_rows


def _raise_rows(frame: pd.DataFrame, duplicate: Ints, overlapping: Ints) -> None:
    """Raise for the rows of conflicts (each listed once): duplicates, overlapping parts."""
    import numpy as np

    failures = []
    if len(duplicate):
        rows = np.unique(duplicate).astype(np.intp)
        failures.append(failure_table(frame, rows, "value", "duplicate"))
    if len(overlapping):
        rows = np.unique(overlapping).astype(np.intp)
        failures.append(failure_table(frame, rows, "period", "overlapping_periods"))
    raise_failures(failures)


def segment_sums(values: F64, starts: Ints, lengths: Ints) -> F64:
    """The sum of each segment ``values[start : start + length]``, added left to right.

    The vectorised form of :func:`policytargets._assessment.ordered_sum`, the one
    definition of the sum of a period's observations that ``assess`` also
    follows: each segment starts from its first value and adds the next ones
    in row order, so both give the same bits (``np.add.reduceat`` adds
    pairwise in blocks of eight, which differs in the last bits). Segments are
    taken longest first, so pass ``j`` adds the ``j``-th value of every segment
    longer than ``j`` at once: the work is one pass per position of the
    longest segment, over only the segments that reach it.
    """
    import numpy as np

    if len(starts) == 0:
        return np.zeros(0)
    order = np.argsort(-lengths, kind="stable")
    longest_first = -lengths[order]  # ascending
    first = starts[order]
    total = values[first].astype(np.float64)
    for j in range(1, int(-longest_first[0])):
        reach = int(np.searchsorted(longest_first, -j, side="left"))  # segments longer than j
        total[:reach] += values[first[:reach] + j]
    out = np.empty(len(starts))
    out[order] = total
    return out
