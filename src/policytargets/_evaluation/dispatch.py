"""From prepared observations to the result: tables, then the fast path or the general path.

Both entry points, :func:`~policytargets.evaluate` (pandas) and
``evaluate_dask`` (per partition), go through ``_evaluate_prepared``; the
argument check they share is here too.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from .._assessment import Assessment, ProgressThresholds, assess
from .._errors import InvalidValueError
from .._scoring import Scorer, ScoringMethod, resolve_scorer
from .fast import _fast
from .frame import _frame
from .grouped import _general
from .judging import _Context
from .kernel import judge_groups, kernel_frame, kernel_targets
from .prepare import Prepared
from .tables import _tables, plan_cache

if TYPE_CHECKING:
    import pandas as pd

_BUILT_IN = {
    "linear_achievement": ScoringMethod.LINEAR,
    "growth_ratio": ScoringMethod.GROWTH_RATIO,
    "current_status_index": ScoringMethod.CURRENT_STATUS_INDEX,
}


def _check_rtol(rtol: Any) -> None:
    if isinstance(rtol, bool) or not isinstance(rtol, int | float) or not rtol >= 0:
        raise InvalidValueError("evaluate(rtol=)", "a non-negative number", rtol)


def _evaluate_prepared(
    p: Prepared,
    scorer: Scorer,
    rtol: float,
    progress: bool,
    *,
    absent: bool,
    thresholds: ProgressThresholds | None = None,
) -> pd.DataFrame:
    import numpy as np

    if thresholds is None:
        thresholds = ProgressThresholds()
    elif not isinstance(thresholds, ProgressThresholds):
        raise InvalidValueError("evaluate(thresholds=)", "a ProgressThresholds", thresholds)
    tb = _tables(p)
    chosen, growth = kernel_targets(p)
    if chosen:
        # The kernel judges these targets; the vectorised paths never see their rows.
        tb.phase.reshape(tb.n_targets, tb.n_periods)[chosen] = 0
        tb.full.reshape(tb.n_targets, tb.n_periods)[chosen] = False
    method = _BUILT_IN.get(getattr(scorer, "__name__", ""))
    if method is not None and scorer is not resolve_scorer(method.value):
        method = None
    cx = _Context(
        tables=tb,
        prepared=p,
        scorer=scorer,
        method=method,
        rtol=float(rtol),
        methods=[m.value for m in ScoringMethod],
        n_reason=4 + 2 * len(p.units) + 16 * 102 + 100,
        # A condition's text depends on its target alone: worked out once per plan.
        described=plan_cache(p.plan).get("described", dict),
    )
    if not chosen:
        fast = _fast(cx, progress, absent)
        if fast is not None:
            return fast
    out, t, by_frame, firsts = _general(cx, progress)
    present = np.zeros(tb.n_targets, dtype=bool)
    present[t] = True
    if not chosen:
        missing = np.flatnonzero(~present) if absent else np.zeros(0, dtype=np.intp)
        return _frame(cx, out, t, by_frame, missing)
    results = judge_groups(p, chosen, growth, scorer, rtol, thresholds)
    for _, ti, _, _ in results:
        present[ti] = True
    absent_rows: list[tuple[int, int, int, Assessment]] = []
    missing = np.zeros(0, dtype=np.intp)
    if absent:
        # Absent targets come last, in plan order: the vectorised no_data row
        # for a target the kernel does not judge, the kernel's own for the rest.
        end = len(p.value)
        by_kernel = np.zeros(tb.n_targets, dtype=bool)
        by_kernel[chosen] = True
        missing = np.flatnonzero(~present & ~by_kernel)
        firsts = np.concatenate([np.asarray(firsts, dtype=np.int64), end + missing])
        cache = plan_cache(p.plan)
        for ti in np.flatnonzero(~present & by_kernel).tolist():
            # Without observations, the assessment depends on the target alone.
            no_data = functools.partial(assess, p.targets[ti], [], scoring=scorer, rtol=rtol)
            a = cache.get(("no_data", ti), no_data)
            absent_rows.append((end + ti, ti, -1, a))
    vectorised = _frame(cx, out, t, by_frame, missing)
    return _combine(vectorised, firsts, results + absent_rows, p)


def _combine(
    vectorised: pd.DataFrame,
    firsts: Any,
    results: list[tuple[int, int, int, Assessment]],
    p: Prepared,
) -> pd.DataFrame:
    """The vectorised rows and the kernel's, in order of first appearance, with one set of types."""
    import numpy as np
    import pandas as pd

    kernel = kernel_frame(results, p, list(vectorised.columns))
    order = np.concatenate(
        [np.asarray(firsts, dtype=np.int64), np.array([r[0] for r in results], dtype=np.int64)]
    )
    both = pd.concat([_plain(vectorised), kernel], ignore_index=True).iloc[
        np.argsort(order, kind="stable")
    ]
    both = both.reset_index(drop=True)
    for name in vectorised.columns:
        dtype = vectorised[name].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            categories = list(dtype.categories)
            seen = set(categories)
            extra = [x for x in pd.unique(both[name].dropna()) if x not in seen]
            both[name] = pd.Categorical(both[name], categories=categories + extra)
        elif isinstance(dtype, pd.SparseDtype):
            values = both[name].astype(np.float64)
            both[name] = pd.arrays.SparseArray(values, fill_value=dtype.fill_value)
        elif both[name].dtype != dtype:
            # The by columns keep the input's own type (as the vectorised paths do).
            both[name] = both[name].astype(dtype)
    return both


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categories as text and sparse numbers dense, so that two frames concatenate."""
    import pandas as pd

    frame = frame.copy()
    for name in frame.columns:
        if isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = frame[name].astype(object)
        elif isinstance(frame[name].dtype, pd.SparseDtype):
            frame[name] = frame[name].astype("float64")
    return frame
