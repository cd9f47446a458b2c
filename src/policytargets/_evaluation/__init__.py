"""Vectorised evaluation: every target of a plan against a long table of observations.

:func:`evaluate` gives, row for row, what :func:`policytargets.assess` gives
for each (target, breakdown) group, without Python code per observation:

* string keys (ids, periods, units, regions) are factorised once
  (``prepare``); a categorical column's own
  codes are used as they are;
* everything that depends only on the target and the period, or the target
  and the unit (phase, coverage, conversion factor, bounds) is a small table
  indexed by those codes; units are converted once per (observed unit,
  target unit) pair with :func:`~policytargets.conversion_factor`;
* values are judged with the shared kernel ``satisfies`` of ``_conditions``.

Paths, each held equal to :func:`policytargets.assess` by property tests:

* the fast path, when every observation is the only one of its group and
  covers the whole target period: pure numpy over the rows, in chunks that
  stay in the CPU cache, run by run of one target (so per-target numbers are
  scalars), written straight into the result's own arrays (``fast``);
* the general path: observations sorted once by (group, current / previous
  period, period end, longest period last), then flows summed, rates pooled,
  duplicates and the latest value found with ``reduceat``-style grouping,
  then every group judged by ``_assemble`` (``grouped``), chunk by chunk
  of whole groups;
* multi-year targets (2021–2025, 保持 and 每年 over them included): the
  general path's reduction over one span per year, then numpy (``years``);
* a calendar year's growth target judged from growth rates (同比): each
  group's latest rate as an index, then numpy (``growth``);
* what is left (保持 month by month, projections other than linear, other
  growth-rate rows): ``assess``'s own judge, group by group (``kernel``).

The modules, each importing only those before it:

* ``prepare``: the checks of an observation table and its integer codes
  (also :func:`~policytargets.validate_observations`);
* ``tables``: per-target tables (bounds, phases, unit factors, periods);
* ``judging``: status codes, bounds, scores, judging groups, reason texts;
* ``chunks``: running work over chunks of rows on up to two threads;
* ``frame``: the result frame (categorical and dense number columns);
* ``fast`` and ``grouped``: the one-year paths; ``kernel``: group by group;
  ``years``: multi-year targets; ``growth``: growth rates of one-year targets;
* ``dispatch``: tables, then the paths for each kind of target, then the frame;
* ``dask``: ``evaluate_dask``, partition by partition;
* this module: :data:`RESULT_COLUMNS` and the public :func:`evaluate`, which
  sends a Dask DataFrame to ``dask`` and a pandas one to ``dispatch``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._assessment import ProgressThresholds
from .._conditions import DEFAULT_RTOL
from .._scoring import Scorer, resolve_scorer
from .dask import evaluate_dask
from .dispatch import _check_rtol, _evaluate_prepared
from .prepare import prepare

if TYPE_CHECKING:
    from .._model import Plan

__all__ = ["RESULT_COLUMNS", "evaluate"]

#: The columns of :func:`evaluate`'s result, with the ``by`` columns after ``target_id``.
RESULT_COLUMNS: tuple[str, ...] = (
    "target_id",
    "period",
    "status",
    "progress",
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


def evaluate(
    plan: Plan,
    observations: Any,
    *,
    by: Sequence[str] | str | None = None,
    scoring: str | Scorer = "linear",
    rtol: float = DEFAULT_RTOL,
    progress: bool = False,
    thresholds: ProgressThresholds | None = None,
) -> Any:
    """Assess every target of a plan against a long table of observations.

    The result is what :func:`policytargets.assess` gives for each target and
    each combination of the ``by`` columns, one row each.

    Args:
        plan: the plan.
        observations: a pandas (or Dask) DataFrame, or records (a list of
            dicts) or columns (a dict of lists) made into one, with columns ``target_id``
            (or ``indicator_id``, whose rows apply to every target of that
            indicator), ``period``, ``value`` (NaN = missing), ``unit``,
            optionally ``numerator`` and ``denominator`` (pooled rates),
            ``measure`` (``level``, the default, or ``growth``: a growth rate
            in % on the same period a year before, 同比), and
            the ``by`` columns. Rows whose period lies neither in a target's
            period nor in the period before it are ignored for that target.
        by: disaggregation columns (default: ``region`` when present).
        scoring: ``"linear"``, ``"growth_ratio"``, ``"current_status_index"``
            or a callable taking a :class:`~policytargets.ProgressInput` (a
            callable is called once per group, so it is much slower than
            the built-in methods, which are vectorised).
        rtol: relative tolerance at bounds.
        progress: show a progress bar (tqdm) over chunks.
        thresholds: where the progress categories of multi-year targets
            start (default :class:`~policytargets.ProgressThresholds`).

    Returns:
        A pandas DataFrame with columns ``target_id``, the ``by`` columns,
        ``period``, ``status`` (values of :class:`~policytargets.Status`),
        ``progress`` (values of :class:`~policytargets.Progress`, for
        multi-year targets; missing otherwise), ``observed``, ``projected``,
        ``threshold``, ``margin``,
        ``margin_unit``, ``unit``, ``baseline``, ``coverage``, ``score``,
        ``score_method``, ``aspirational`` and ``reason``. Types: text
        columns (``target_id``, ``period``, ``status``, ``progress``, ``margin_unit``,
        ``unit``, ``score_method``, ``reason``) are categorical (a
        categorical ``target_id`` or ``by`` column of the input is reused
        as it is, with its own categories, without a copy: writing into the
        result copies it first, so the input never changes); ``observed``,
        ``threshold`` and ``margin``, ``projected``, ``baseline``,
        ``coverage`` and ``score`` are float64 (so the frame writes to
        parquet as it is: see :func:`~policytargets.write_results`);
        ``aspirational`` is bool. Columns of a long result live in
        pyarrow's memory pool, which reuses them for the next result (see
        *Where a large result lives* in the implementation notes).
        Missing numbers are NaN. Rows come in the order in which their
        (target, breakdown) group first appears in the observations,
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
    from .._units import current_unit_scope, using_scope

    if plan.units != current_unit_scope():  # the plan's own units, and only those
        with using_scope(plan.units):
            return evaluate(
                plan,
                observations,
                by=by,
                scoring=scoring,
                rtol=rtol,
                progress=progress,
                thresholds=thresholds,
            )
    if _is_dask(observations):
        return evaluate_dask(
            plan, observations, by=by, scoring=scoring, rtol=rtol, thresholds=thresholds
        )
    observations = _as_frame(observations)
    scorer = resolve_scorer(scoring)
    _check_rtol(rtol)
    prepared = prepare(plan, observations, by=by)
    return _evaluate_prepared(prepared, scorer, rtol, progress, absent=True, thresholds=thresholds)


def _as_frame(observations: Any) -> Any:
    """Records (a list of dicts) or columns (a dict of lists) as a DataFrame; else unchanged."""
    from collections.abc import Mapping

    is_records = isinstance(observations, list | tuple) and all(
        isinstance(row, Mapping) for row in observations
    )
    if isinstance(observations, Mapping) or (is_records and observations):
        import pandas as pd

        return pd.DataFrame(observations)
    return observations


def _is_dask(frame: Any) -> bool:
    # Detect without importing dask, which may not be installed.
    module = type(frame).__module__ or ""
    return module.split(".")[0] in ("dask", "dask_expr") and hasattr(frame, "map_partitions")
