"""From prepared observations to the result: tables, then the fast path or the general path.

Both entry points, :func:`~policytargets.evaluate` (pandas) and
``evaluate_dask`` (per partition), go through ``_evaluate_prepared``; the
argument check they share is here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._errors import InvalidValueError
from .._scoring import Scorer, ScoringMethod, resolve_scorer
from .fast import _fast
from .frame import _frame
from .grouped import _general
from .judging import _Context
from .prepare import Prepared
from .tables import _tables

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
    p: Prepared, scorer: Scorer, rtol: float, progress: bool, *, absent: bool
) -> pd.DataFrame:
    import numpy as np

    tb = _tables(p)
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
    )
    fast = _fast(cx, progress, absent)
    if fast is not None:
        return fast
    out, t, by_frame, _ = _general(cx, progress)
    present = np.zeros(tb.n_targets, dtype=bool)
    present[t] = True
    missing = np.flatnonzero(~present) if absent else np.zeros(0, dtype=np.intp)
    return _frame(cx, out, t, by_frame, missing)
