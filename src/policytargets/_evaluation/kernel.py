"""Groups judged by the semantic kernel of :func:`~policytargets.assess`, row for row.

Targets whose meaning the vectorised paths do not cover — 保持 month by
month or quarter by quarter, projections other than linear, published
growth rates (同比) beyond ``growth``'s one-year targets, observations
spanning two calendar years inside a multi-year target — are judged by
the same code as
:func:`~policytargets.assess` (``_Judge``), group by group, so the two
agree exactly. ``needs_kernel`` and ``kernel_targets`` also choose the
multi-year targets, which ``dispatch`` hands to ``years`` first. The
one-year paths (``fast``, ``grouped``) never see these targets' rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._assessment import (
    Assessment,
    Measure,
    ProgressThresholds,
    _Judge,
    base_period,
    checked_observation,
    relevant,
    years_of,
)
from .._conditions import Every
from .._errors import InvalidValueError
from .._failures import failure_table, raise_failures
from .._model import Projection, Target

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from .._scoring import Scorer
    from .prepare import Prepared

#: The column that says what an observation measures (``level`` or ``growth``).
MEASURE_COLUMN = "measure"


def needs_kernel(target: Target) -> bool:
    """Whether a target's meaning is beyond the vectorised paths (one bound on one figure).

    A one-year (or shorter) period with a linear projection is theirs, against
    the period before it or a named base (较2020年), 保持, 每年 and 不发生
    included: over one span ``_assemble`` follows ``_Judge._each_year`` and
    ``_Judge._judge`` exactly.
    """
    c = target.condition
    if years_of(target.period) is not None:
        return True
    if (c.maintained or c.every_year) and getattr(c, "every", Every.YEAR) is not Every.YEAR:
        return True  # judged month by month or quarter by quarter
    if c.every_year and c.change and base_period(target) != target.period.previous():
        return True  # 每年 against a named base: its year before is not that base
    return target.indicator.projection is not Projection.LINEAR


def measure_rows(frame: Any) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]] | None:
    """Which rows are growth rates (同比) and which name no measure; None without the column.

    A missing measure is a level.
    """
    import numpy as np

    if MEASURE_COLUMN not in frame.columns:
        return None
    column = frame[MEASURE_COLUMN]
    text = column.astype(object).where(column.notna(), Measure.LEVEL.value)
    known = np.asarray(text.isin([m.value for m in Measure]).to_numpy(), dtype=bool)
    return np.asarray((text == Measure.GROWTH.value).to_numpy(), dtype=bool), ~known


def _measures(p: Prepared) -> npt.NDArray[np.bool_] | None:
    """Rows that are growth rates (同比), or None without a measure column."""
    import numpy as np

    found = measure_rows(p.frame)
    if found is None:
        return None
    growth, unknown = found
    if unknown.any():
        raise_failures(
            [failure_table(p.frame, np.flatnonzero(unknown), MEASURE_COLUMN, "unknown_measure")]
        )
    return growth


def kernel_targets(
    p: Prepared,
) -> tuple[list[int], npt.NDArray[np.bool_] | None, set[int]]:
    """The targets beyond the vectorised paths, the growth-rate rows, the targets with such rows.

    Targets are indices into the plan's targets.
    """
    import numpy as np

    from .tables import plan_cache

    # Once per plan: a target's own needs_kernel does not depend on the observations.
    chosen = set(
        plan_cache(p.plan).get(
            needs_kernel, lambda: [i for i, t in enumerate(p.targets) if needs_kernel(t)]
        )
    )
    growth = _measures(p)
    grown: set[int] = set()
    if growth is not None and growth.any():
        for code in np.unique(p.key_codes[growth]).tolist():
            if code >= 0:
                grown.update(p.key_targets[code])
    return sorted(chosen | grown), growth, grown


def _nan_none(value: float) -> float | None:
    return None if value != value else float(value)


def judge_groups(
    p: Prepared,
    chosen: list[int],
    growth: npt.NDArray[np.bool_] | None,
    scorer: Scorer,
    rtol: float,
    thresholds: ProgressThresholds,
) -> list[tuple[int, int, int, Assessment]]:
    """(first row, target, breakdown code, assessment) for every group of a chosen target."""
    import numpy as np

    results: list[tuple[int, int, int, Assessment]] = []
    if not chosen:
        return results
    keys_of: dict[int, list[int]] = {}
    for code, indices in enumerate(p.key_targets):
        for ti in indices:
            keys_of.setdefault(ti, []).append(code)
    with_rows = [ti for ti in chosen if ti in keys_of]  # the others have no row at all
    rows_of = _rows_of_keys(p.key_codes, len(with_rows))
    for ti in with_rows:
        target = p.targets[ti]
        # What the judge works out from the target alone (its base period, the
        # condition's text) once per target: run() starts afresh for each group.
        judge = _Judge(target, scorer, rtol, thresholds)
        rows = rows_of(keys_of[ti])
        # Relevance once per distinct period, not per row.
        periods, inverse = np.unique(p.period_codes[rows], return_inverse=True)
        relevant_period = [relevant(target, p.periods[c]) for c in periods.tolist()]
        rows = rows[np.array(relevant_period, dtype=bool)[inverse.ravel()]]
        if not len(rows):
            continue
        by = p.by_codes[rows]
        order = np.argsort(by, kind="stable")
        rows, by = rows[order], by[order]
        edges = np.flatnonzero(by[1:] != by[:-1]) + 1
        for part in np.split(rows, edges):
            results.append(
                (
                    int(part.min()),
                    ti,
                    int(p.by_codes[part[0]]),
                    _one(p, ti, part, growth, judge),
                )
            )
    return results


def _rows_of_keys(key_codes: Any, lookups: int) -> Any:
    """A function giving the rows (ascending) whose key code is one of the given codes.

    For a few lookups, one scan of the rows each; for many, one sort of the
    rows shared by all (a scan per target would cost rows × targets).
    """
    import numpy as np

    if lookups <= 8:
        return lambda codes: np.flatnonzero(np.isin(key_codes, codes))
    order = np.argsort(key_codes, kind="stable")
    ordered = key_codes[order]

    def rows(codes: list[int]) -> Any:
        lo = np.searchsorted(ordered, codes, side="left")
        hi = np.searchsorted(ordered, codes, side="right")
        return np.sort(np.concatenate([order[a:b] for a, b in zip(lo, hi, strict=True)]))

    return rows


def _one(
    p: Prepared,
    ti: int,
    rows: Any,
    growth: npt.NDArray[np.bool_] | None,
    judge: _Judge,
) -> Assessment:
    target = p.targets[ti]
    observations = []
    for r in rows.tolist():
        unit = p.units[p.unit_codes[r]]
        observations.append(
            # The rows were checked by prepare: periods parsed, units read, numbers finite.
            checked_observation(
                p.periods[p.period_codes[r]],
                float(p.value[r]),
                unit or "",
                None if p.numerator is None else _nan_none(p.numerator[r]),
                None if p.denominator is None else _nan_none(p.denominator[r]),
                Measure.GROWTH if growth is not None and growth[r] else Measure.LEVEL,
            )
        )
    current = [o for o in observations if target.period.contains(o.period)]
    earlier = [o for o in observations if o.period.end < target.period.start]
    try:
        return judge.run(current, earlier, None)
    except InvalidValueError as exc:
        reason = "duplicate" if "one value per period" in str(exc) else "overlapping_periods"
        column = "value" if reason == "duplicate" else "period"
        raise_failures([failure_table(p.frame, rows, column, reason)])
        raise  # pragma: no cover - raise_failures raised


def kernel_frame(
    results: list[tuple[int, int, int, Assessment]], p: Prepared, columns: list[str]
) -> dict[str, list[Any]]:
    """The kernel's assessments as result columns of plain values (the caller sets the types)."""
    from . import RESULT_COLUMNS
    from .tables import _period_text

    names = RESULT_COLUMNS  # the rows below give them in this order
    rows = [
        (
            p.targets[ti].id,
            _period_text(a.period),
            a.status.value,
            None if a.progress is None else a.progress.value,
            a.observed,
            a.projected,
            a.threshold,
            a.margin,
            a.margin_unit,
            a.unit,
            a.baseline,
            a.coverage,
            None if a.score is None else a.score.value,
            None if a.score is None else str(a.score.method),
            a.aspirational,
            a.reason,
        )
        for _, ti, _, a in results
    ]
    found: dict[str, list[Any]] = {name: [] for name in names}
    if rows:
        transposed = zip(*rows, strict=True)
        found = {name: list(values) for name, values in zip(names, transposed, strict=True)}
    for name in p.by:
        values = p.by_values[name].tolist()
        found[name] = [None if b < 0 else values[b] for _, _, b, _ in results]
    return {name: found.get(name, []) for name in columns}
