"""From prepared observations to the result: tables, then the fast path or the general path.

Both entry points, :func:`~policytargets.evaluate` (pandas) and
``evaluate_dask`` (per partition), go through ``_evaluate_prepared``; the
argument check they share is here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._assessment import Assessment, ProgressThresholds
from .._errors import InvalidValueError
from .._scoring import Scorer, ScoringMethod, resolve_scorer
from . import growth as growth_path
from . import years
from .fast import _fast
from .frame import _categorical, _distinct_texts, _frame, _frame_columns
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
    chosen, growth, grown = kernel_targets(p)
    if chosen:
        # Multi-year and kernel targets: the one-year paths never see their rows.
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
    # Multi-year targets judged year by year with numpy; the rest group by group.
    # Only a target with a row has a group (the others get the no_data row below), and
    # which targets are multi-year ones is a matter of the plan alone.
    observed = _observed_targets(p)
    eligible = plan_cache(p.plan).get(
        years.eligible, lambda: [years.eligible(target) for target in p.targets]
    )
    by_years = [ti for ti in chosen if observed[ti] and ti not in grown and eligible[ti]]
    year_firsts, year_t, year_columns, declined = years.judge_years(
        cx, by_years, thresholds, _columns(p)
    )
    present[year_t] = True
    judged_by_years = set(by_years) - set(declined)
    kernel_chosen = [ti for ti in chosen if ti not in judged_by_years]
    if grown:
        # One-year growth targets read from growth rates (同比): numpy, not the kernel.
        assert growth is not None
        pc = plan_cache(p.plan)
        by_rates = pc.get(
            growth_path.eligible,
            lambda: [growth_path.eligible(t, pc.base_period(i)) for i, t in enumerate(p.targets)],
        )
        rated = [ti for ti in kernel_chosen if ti in grown and by_rates[ti]]
        if rated:
            g_firsts, g_t, g_columns, left = growth_path.judge_growth(
                cx, rated, growth, _columns(p)
            )
            present[g_t] = True
            year_firsts, year_columns = _joined((year_firsts, year_columns), (g_firsts, g_columns))
            done = set(rated) - set(left)
            kernel_chosen = [ti for ti in kernel_chosen if ti not in done]
    results = judge_groups(p, kernel_chosen, growth, scorer, rtol, thresholds)
    for _, ti, _, _ in results:
        present[ti] = True
    missing = np.zeros(0, dtype=np.intp)
    if absent:
        # Absent targets come last, in plan order, each with the vectorised no_data
        # row, whatever judges the target: without observations assess stops at
        # "no observation" before anything the kernel knows more of (tested).
        missing = np.flatnonzero(~present)
        firsts = np.concatenate([np.asarray(firsts, dtype=np.int64), len(p.value) + missing])
    vectorised = _frame_columns(cx, out, t, by_frame, missing)
    return _combine(vectorised, firsts, results, p, (year_firsts, year_columns))


def _joined(
    a: tuple[Any, dict[str, Any]], b: tuple[Any, dict[str, Any]]
) -> tuple[Any, dict[str, Any]]:
    """Two paths' (first rows, columns of plain values), one after the other."""
    import numpy as np

    if not len(a[0]):
        return b
    if not len(b[0]):
        return a
    columns = {name: np.concatenate([a[1][name], b[1][name]]) for name in a[1]}
    return np.concatenate([a[0], b[0]]), columns


def _observed_targets(p: Prepared) -> Any:
    """Which targets some row names (a categorical's unused categories name none)."""
    import numpy as np

    seen = np.zeros(len(p.targets), dtype=bool)
    n_keys = len(p.key_targets)
    used = np.ones(n_keys, dtype=bool) if p.pairs is None else p.pairs[:n_keys].any(axis=1)
    for k in np.flatnonzero(used).tolist():
        seen[p.key_targets[k]] = True
    return seen


def _columns(p: Prepared) -> list[str]:
    """The result's columns: ``RESULT_COLUMNS`` with the breakdown columns after the id."""
    from . import RESULT_COLUMNS

    return [RESULT_COLUMNS[0], *p.by, *RESULT_COLUMNS[1:]]


def _combine(
    vectorised: dict[str, Any],
    firsts: Any,
    results: list[tuple[int, int, int, Assessment]],
    p: Prepared,
    more: tuple[Any, dict[str, Any]],
) -> pd.DataFrame:
    """Every path's rows, in order of first appearance, with one set of types.

    The vectorised rows (``vectorised``: ``frame._frame_columns``), then the
    multi-year ones (``more``: their first rows and columns of plain values),
    then the kernel's.

    Column by column, without a frame of plain values in between: categorical
    columns keep the vectorised rows' codes, and the kernel's texts are coded
    against the same categories (texts they lack are added after them, in
    order of first appearance); numbers are concatenated.
    """
    import numpy as np
    import pandas as pd

    kernel = kernel_frame(results, p, list(vectorised))
    year_firsts, year_columns = more
    first = np.concatenate(
        [
            np.asarray(firsts, dtype=np.int64),
            np.asarray(year_firsts, dtype=np.int64),
            np.array([r[0] for r in results], dtype=np.int64),
        ]
    )
    order = np.argsort(first, kind="stable")
    columns: dict[str, Any] = {}
    for name, column in vectorised.items():
        values = [*year_columns.get(name, ()), *kernel[name]]
        dtype = column.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            array = column if isinstance(column, pd.Categorical) else column.array
            # Reason texts differ from call to call: their type is not cached.
            columns[name] = _joined_categorical(array, values, order, cached=name != "reason")
        elif name in p.by:
            # The by columns keep the input's own type (as the vectorised paths do).
            joined = pd.concat(
                [column.reset_index(drop=True), pd.Series(values, dtype=object)],
                ignore_index=True,
            )
            joined = joined.iloc[order].reset_index(drop=True)
            columns[name] = joined if joined.dtype == dtype else joined.astype(dtype)
        else:  # numbers (None is NaN) and aspirational
            kept = np.asarray(column)
            columns[name] = np.concatenate([kept, np.array(values, dtype=kept.dtype)])[order]
    return pd.DataFrame(columns)


def _joined_categorical(
    codes_of: pd.Categorical, values: list[Any], order: Any, *, cached: bool = True
) -> pd.Categorical:
    """``codes_of`` followed by ``values`` (texts or None), taken in ``order``, as one categorical.

    The categories are ``codes_of``'s, then the texts of ``values`` they lack,
    in order of first appearance in the result.
    """
    import numpy as np
    import pandas as pd

    categories = codes_of.categories.tolist()  # not list(): one conversion, not one a text
    n = len(categories)
    extra: dict[Any, int] = {}
    if n + len(values) <= SMALL_JOIN:
        # Few texts: a dict. pandas' Series, hash table and factorize cost more on a
        # small table's first call (about 0.2 ms a column) than the texts do.
        added = _codes_by_dict(categories, values, extra)
    else:
        # Hash lookups in pandas, not a dict per value: the kernel's and the
        # multi-year rows can be as many as the groups.
        given = pd.Series(values, dtype=object)
        added = pd.Index(categories, dtype=object).get_indexer(given).astype(np.int64)
        lacking = (added < 0) & given.notna().to_numpy()
        if lacking.any():
            new_codes, new_texts = pd.factorize(given[lacking])
            extra = {text: i for i, text in enumerate(new_texts)}
            added[lacking] = n + np.asarray(new_codes, dtype=np.int64)
    codes = np.concatenate([np.asarray(codes_of.codes, dtype=np.int64), added])[order]
    if extra:
        new = codes >= n
        seen, at = np.unique(codes[new], return_index=True)
        ranked = seen[np.argsort(at, kind="stable")]
        renumber = np.empty(len(extra), dtype=np.int64)
        renumber[ranked - n] = n + np.arange(len(ranked))
        codes[new] = renumber[codes[new] - n]
        texts = list(extra)
        categories += [texts[k - n] for k in ranked.tolist()]
    if categories and _distinct_texts(tuple(categories)):
        # Texts (distinct by construction): the type the vectorised columns were made with
        # (the one pandas infers for texts), mostly cached already; codes in range. (No
        # category at all: pandas infers object, as below.)
        return _categorical(codes, categories, cached=cached)
    joined: pd.Categorical = pd.Categorical.from_codes(codes, categories=pd.Index(categories))
    return joined


#: Categories and values together up to which ``_joined_categorical`` codes by a dict.
SMALL_JOIN = 1 << 12


def _codes_by_dict(categories: list[Any], values: list[Any], extra: dict[Any, int]) -> Any:
    """Each value's position in ``categories``; texts they lack numbered after them, in ``extra``.

    What ``get_indexer`` and ``pd.factorize`` of the texts lacking give: -1 for
    a missing value (None, NaN), ``len(categories) + k`` for the ``k``-th
    distinct text lacking, in order of first appearance.
    """
    import numpy as np
    import pandas as pd

    n = len(categories)
    position = {text: i for i, text in enumerate(categories)}
    added = np.empty(len(values), dtype=np.int64)
    for i, value in enumerate(values):
        code = position.get(value)
        if code is None:
            code = -1 if pd.isna(value) else n + extra.setdefault(value, len(extra))
        added[i] = code
    return added
