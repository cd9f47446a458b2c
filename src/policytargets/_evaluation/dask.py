"""Evaluating a Dask DataFrame partition-wise (``evaluate_dask``).

Dask itself is imported only when a Dask DataFrame is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._assessment import ProgressThresholds
from .._assessment import relevant as is_relevant
from .._conditions import DEFAULT_RTOL
from .._errors import InvalidValueError
from .._periods import Period
from .._scoring import Scorer, resolve_scorer
from .dispatch import _check_rtol, _evaluate_prepared
from .kernel import needs_kernel
from .prepare import prepare

if TYPE_CHECKING:
    import pandas as pd

    from .._model import Plan


def evaluate_dask(
    plan: Plan,
    observations: Any,
    *,
    by: Sequence[str] | str | None = None,
    scoring: str | Scorer = "linear",
    rtol: float = DEFAULT_RTOL,
    thresholds: ProgressThresholds | None = None,
) -> Any:
    """Evaluate a Dask DataFrame partition-wise; returns a (lazy) Dask DataFrame.

    Rows are first shuffled so that every row of a key and breakdown lands
    in one partition (a flow's sub-periods and a baseline's previous period
    must be seen together); each partition is then evaluated with the pandas
    code. A first, cheap pass reads only the key and period columns, to add
    a ``no_data`` row for each target that no partition observes. The result
    stays lazy because it can be as long as the input: ``.compute()`` it or
    write it out. Its rows equal pandas' on the same data; their order differs.
    """
    import dask.dataframe as dd
    import numpy as np
    import pandas as pd

    scorer = resolve_scorer(scoring)
    _check_rtol(rtol)
    columns = list(observations.columns)
    by_list = (
        (["region"] if "region" in columns else [])
        if by is None
        else ([by] if isinstance(by, str) else list(by))
    )
    key = next((k for k in ("target_id", "indicator_id") if k in columns), "target_id")
    # Validate the column layout (and the by argument) on an empty frame first.
    # Categorical columns from parquet have unknown categories in the meta
    # ('__UNKNOWN_CATEGORIES__'), which are no target ids: check plain text.
    meta_in = _uncategorise(observations._meta)
    prepare(plan, meta_in, by=by_list)
    meta = _evaluate_prepared(
        prepare(plan, meta_in, by=by_list), scorer, rtol, False, absent=False, thresholds=thresholds
    )
    shuffled = (
        observations.shuffle(on=[key, *by_list]) if observations.npartitions > 1 else (observations)
    )

    def one(part: pd.DataFrame) -> pd.DataFrame:
        from .._units import using_scope

        with using_scope(plan.units):  # run later, in Dask's threads or processes
            prepared = prepare(plan, part, by=by_list)
            result = _evaluate_prepared(
                prepared, scorer, rtol, False, absent=False, thresholds=thresholds
            )
        return _uncategorise(result)

    evaluated = shuffled.map_partitions(one, meta=_uncategorise(meta))
    # Which targets have a relevant observation anywhere: from (key, period) pairs only.
    pairs = observations[[key, "period"]].drop_duplicates().compute()
    relevant = set()
    targets = list(plan.targets)
    for k, period in zip(pairs[key], pairs["period"], strict=True):
        try:
            q = Period.parse(period)
        except InvalidValueError:
            continue
        for target in targets:
            if (target.id if key == "target_id" else target.indicator.id) != k:
                continue
            # The kernel's targets also look at their base period (as in pandas).
            if (
                target.period.contains(q)
                or target.period.previous().contains(q)
                or (needs_kernel(target) and is_relevant(target, q))
            ):
                relevant.add(target.id)
    absent_rows = [t for t in targets if t.id not in relevant]
    if not absent_rows:
        return evaluated
    empty = pd.DataFrame(
        {
            key: pd.Series([], dtype=object),
            "period": pd.Series([], dtype=object),
            "value": pd.Series([], dtype=np.float64),
            "unit": pd.Series([], dtype=object),
            **{b: pd.Series([], dtype=object) for b in by_list},
        }
    )
    none = _evaluate_prepared(
        prepare(plan, empty, by=by_list), scorer, rtol, False, absent=True, thresholds=thresholds
    )
    none = none[none["target_id"].isin([t.id for t in absent_rows])]
    none = _uncategorise(none).astype(evaluated.dtypes.to_dict())
    return dd.concat([evaluated, dd.from_pandas(none, npartitions=1)])  # type: ignore[no-untyped-call]


def _uncategorise(frame: pd.DataFrame) -> pd.DataFrame:
    """Plain text: partitions' categories differ, and Dask concatenates them."""
    import pandas as pd

    frame = frame.copy()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            # str, not object: Dask's meta then holds strings, which pyarrow
            # can type (to_parquet), where object columns hold placeholders.
            frame[column] = frame[column].astype("str")
    return frame
