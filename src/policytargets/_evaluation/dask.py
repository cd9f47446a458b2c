"""Evaluating a Dask DataFrame partition-wise (``evaluate_dask``).

Dask itself is imported only when a Dask DataFrame is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .._assessment import ProgressThresholds
from .._conditions import DEFAULT_RTOL
from .._scoring import Scorer, resolve_scorer
from .dispatch import _check_rtol, _evaluate_prepared
from .prepare import prepare

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
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

    Every row of a group (a key and a breakdown: a flow's sub-periods, a
    baseline's previous period, a multi-year target's years) must be judged
    in one partition. So, when called, it reads the key and breakdown columns
    partition by partition, one column at a time, and stops at the first
    whose values lie each in one partition (files by target, by region: no
    group is split); only when none does are the columns read again to find
    the groups whose rows lie in more than one partition. The rest is lazy.
    The rows of every other group are
    evaluated where they are, with the pandas code, and only the split
    groups' rows are shuffled together first (none when each file holds
    whole groups: files by region or by target; most when files split them:
    files by year). A last partition holds a ``no_data`` row for each target
    that no partition's result names. Text columns stay categorical, each
    partition with its own categories, which Dask unites when it
    concatenates them. The result stays lazy because it can be as long as
    the input: ``.compute()`` it or write it out. Its rows equal pandas' on
    the same data; their order differs.
    """
    import dask.dataframe as dd
    import numpy as np
    from dask.dataframe.utils import clear_known_categories

    scorer = resolve_scorer(scoring)
    _check_rtol(rtol)
    columns = list(observations.columns)
    by_list = (
        (["region"] if "region" in columns else [])
        if by is None
        else ([by] if isinstance(by, str) else list(by))
    )
    key = next((k for k in ("target_id", "indicator_id") if k in columns), "target_id")
    # Validate the column layout (and the by argument) on an empty frame first;
    # it also gives the result's types, and every target's no_data row.
    empty = _known_empty(observations._meta)
    meta = _evaluate_prepared(
        prepare(plan, empty, by=by_list), scorer, rtol, False, absent=False, thresholds=thresholds
    )
    for column in by_list:  # the by columns keep the input's type, as in pandas
        meta[column] = empty[column]
    meta = clear_known_categories(meta)  # type: ignore[no-untyped-call]
    every_target = _conform(
        _evaluate_prepared(
            prepare(plan, empty, by=by_list),
            scorer,
            rtol,
            False,
            absent=True,
            thresholds=thresholds,
        ),
        meta,
    )
    group = [key, *by_list]
    aliases = _aliases(plan, key)
    one = _Evaluator(plan, by_list, scorer, rtol, thresholds, meta)
    one_partition = observations.npartitions == 1
    split = (
        np.zeros(0, dtype=np.int64)
        if one_partition
        else _split_groups(observations, group, aliases)
    )
    if not len(split):  # every group in one partition: no shuffle
        evaluated = observations.map_partitions(one, meta=meta)
    else:
        whole = observations.map_partitions(
            _groups, split, group, aliases, False, meta=observations._meta
        ).map_partitions(one, meta=meta)
        # Shuffled on the group's hash, which names an indicator's id and its name alike.
        # Each row carries its place in the table, so that a group's rows are judged in
        # the order pandas sees them (which one names an incomparable unit, say).
        codes = np.zeros(0, dtype=np.int64)
        spanning = observations._meta.assign(**{_GROUP: codes, _ORDER: codes})
        gathered = (
            observations.map_partitions(_groups, split, group, aliases, True, meta=spanning)
            .shuffle(on=_GROUP)
            .map_partitions(_in_table_order, meta=observations._meta)
            .map_partitions(one, meta=meta)
        )
        evaluated = dd.concat([whole, gathered])  # type: ignore[no-untyped-call]
    # A target is absent when no partition's result names it (as in pandas,
    # where it has no row exactly when none of its observations is relevant).
    absent = evaluated.reduction(
        chunk=_target_ids,
        combine=_unique_ids,
        aggregate=_absent_rows,
        aggregate_kwargs={"every_target": every_target},
        meta=meta,
    )
    return dd.concat([evaluated, absent])  # type: ignore[no-untyped-call]


#: Dask's settings for the check's read: no "tuning", which fuses the partitions
#: of a read of few columns.
_UNTUNED: dict[str, Any] = {"optimization.tune.active": False}

#: Above this many partitions, the check reads whole partitions rather than
#: building one graph per partition (each costs Dask ~10 ms to optimise).
_PER_PARTITION_GRAPHS = 64


#: The column that carries each split group's hash through the shuffle.
_GROUP = "__policytargets_group__"
#: The column that carries each shuffled row's place in the table (partition, row).
_ORDER = "__policytargets_order__"


def _aliases(plan: Plan, key: str) -> dict[str, str]:
    """Each other text the evaluation takes as a key, with the key it stands for.

    By ``indicator_id``, an indicator's name (中文 or English) stands for its
    id: a group's rows may name it either way, in one partition or in two.
    """
    from .prepare import _lookup

    if key != "indicator_id":
        return {}
    targets = list(plan.targets)
    lookup = _lookup(targets, key)
    named = {text: targets[found[0]].indicator.id for text, found in lookup.items() if found}
    return {text: id for text, id in named.items() if text != id}


def _canonical(values: pd.Series[Any], aliases: dict[str, str]) -> pd.Series[Any]:
    """``values`` (a key column) with each alias replaced by the key it stands for."""
    import numpy as np
    import pandas as pd

    if not aliases:
        return values
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = list(values.cat.categories)
        named = [aliases.get(c, c) if isinstance(c, str) else c for c in categories]
        if named == categories:
            return values
        texts = np.asarray([*named, None], dtype=object)  # a missing value's code, -1: None
        return pd.Series(texts[values.cat.codes.to_numpy()], index=values.index, name=values.name)
    return values.replace(aliases)


def _split_groups(
    observations: Any, group: list[str], aliases: dict[str, str]
) -> npt.NDArray[np.int64]:
    """Hashes of the groups seen in more than one partition.

    Read when called, from the group columns alone where Dask allows it, as
    a stream (holding every partition until the check ends would hold the
    whole input). First the parquet files' own statistics, where they tell
    (:func:`_parted_by_statistics`); then, column by column, each
    partition's distinct values: when a column has no value in two
    partitions (files by target, by region), no group is split and nothing
    more is read. Else the group columns are read again, and each row's
    group hashed. A key is taken with the ``aliases`` it has (an indicator's
    name for its id), as the evaluation takes it.
    """
    import numpy as np

    if _parted_by_statistics(observations, group[1:] if aliases else group):
        return np.zeros(0, dtype=np.int64)
    for i, column in enumerate(group):
        named = aliases if i == 0 else {}
        values = _per_partition(observations, [column], _distinct_values, named)["v"]
        if not values.duplicated().any():  # each partition's values are distinct
            return np.zeros(0, dtype=np.int64)
    hashes = _per_partition(observations, group, _group_hashes, aliases)["h"]
    return _spanning([hashes.to_numpy()])


def _parted_by_statistics(observations: Any, group: list[str]) -> bool:
    """Whether the parquet footers show a group column whose values lie each in one partition.

    Only for a plain read of local parquet files (``dd.read_parquet``, its
    columns chosen or dropped), whose partitions Dask's plan names file by
    file and row group by row group. A column tells when every row group of
    every partition has the text column's minimum and maximum and no
    missing value, and the partitions' ranges (by code point, the order
    parquet keeps for UTF-8) do not overlap: then no value lies in two
    partitions, so no group is split. Anything else (no statistics, a
    missing value, other types, a column from the folder names, another
    file system, a layout Dask's plan does not show, another version of
    Dask's plan) tells nothing, and the check reads the columns instead.
    """
    try:
        from dask.dataframe.dask_expr.io.parquet import ReadParquetFSSpec
        from dask.dataframe.io.utils import _is_local_fs

        expr = observations.expr
        if not isinstance(expr, ReadParquetFSSpec):
            expr = observations[group].expr.simplify()
        if not isinstance(expr, ReadParquetFSSpec) or expr.npartitions != observations.npartitions:
            return False
        plan, fs = expr._plan, expr._dataset_info["fs"]
        if plan["empty"] or not _is_local_fs(fs):  # type: ignore[no-untyped-call]
            return False
        parts = [plan["parts"][i] for i in expr._partitions]
        if len(parts) != observations.npartitions:
            return False
        footers: dict[str, Any] = {}
        return any(_apart(parts, column, fs, footers) for column in group)
    except Exception:  # Dask's plan is not public: whatever else it holds tells nothing
        return False


def _apart(parts: list[Any], column: str, fs: Any, footers: dict[str, Any]) -> bool:
    """Whether ``column``'s statistics put each partition's values in a range of its own."""
    import itertools

    import pyarrow.parquet as pq

    ranges: list[tuple[str, str]] = []
    for part in parts:
        low = high = None
        for piece in part if isinstance(part, list) else [part]:
            path, row_groups, keys = piece["piece"]
            if keys and any(name == column for name, _ in keys):
                return False  # from the folder names, not the file
            if path not in footers:
                with fs.open(path, "rb") as file:
                    footers[path] = pq.ParquetFile(file).metadata
            footer = footers[path]
            names = [footer.schema.column(i).path for i in range(footer.num_columns)]
            if names.count(column) != 1:
                return False
            j = names.index(column)
            if footer.schema.column(j).logical_type.type != "STRING":
                return False
            chosen = range(footer.num_row_groups) if row_groups in (None, [None]) else row_groups
            for g in chosen:
                rows = footer.row_group(g)
                if not rows.num_rows:
                    continue
                stats = rows.column(j).statistics
                if (
                    stats is None
                    or not stats.has_min_max
                    or not stats.has_null_count
                    or stats.null_count
                    or not isinstance(stats.min, str)
                    or not isinstance(stats.max, str)
                ):
                    return False
                low = stats.min if low is None else min(low, stats.min)
                high = stats.max if high is None else max(high, stats.max)
        if low is not None and high is not None:
            ranges.append((low, high))
    ranges.sort()
    return all(before[1] < after[0] for before, after in itertools.pairwise(ranges))


def _per_partition(
    observations: Any,
    group: list[str],
    summary: Callable[..., pd.DataFrame],
    aliases: dict[str, str],
) -> pd.DataFrame:
    """``summary`` of each partition's group columns, one frame after another.

    The check must see the partitions the evaluation sees: Dask fuses the
    partitions of a parquet read of few columns (its "tuning"), which would
    hide a group split between two partitions of the full read. So the check
    is read with tuning off (``optimization.tune.active``; one graph). Should
    Dask fuse them still, they are summarised partition by partition (one
    small graph each), or for many partitions by reading whole partitions,
    as the evaluation does. (The evaluation's own partitions may be fused:
    fusing partitions splits no group.)
    """
    import dask
    import pandas as pd

    keys = observations[group]
    meta = summary(_known_empty(observations._meta), group, aliases)
    with dask.config.set(_UNTUNED):
        checked = keys.map_partitions(summary, group, aliases, meta=meta).optimize()
        if checked.npartitions == observations.npartitions:  # not fused
            whole: pd.DataFrame = checked.compute()
            return whole
    if observations.npartitions <= _PER_PARTITION_GRAPHS:
        parts = (
            keys.partitions[i].map_partitions(summary, group, aliases, meta=meta)
            for i in range(observations.npartitions)
        )
    else:
        parts = observations.map_partitions(summary, group, aliases, meta=meta).to_delayed()
    frames: tuple[pd.DataFrame, ...] = dask.compute(*parts)  # type: ignore[attr-defined, no-untyped-call]
    return pd.concat(frames, ignore_index=True)


class _Evaluator:
    """One partition's evaluation, with the pandas code.

    A class, not a closure, so that Dask's token for it is cheap: Dask would
    otherwise pickle the whole plan to name each task.
    """

    def __init__(
        self,
        plan: Plan,
        by: list[str],
        scorer: Scorer,
        rtol: float,
        thresholds: ProgressThresholds | None,
        meta: pd.DataFrame,
    ) -> None:
        import uuid

        self.plan, self.by, self.scorer = plan, by, scorer
        self.rtol, self.thresholds, self.meta = rtol, thresholds, meta
        self.token = uuid.uuid4().hex

    def __dask_tokenize__(self) -> str:
        return self.token

    def __call__(self, part: pd.DataFrame) -> pd.DataFrame:
        from .._units import using_scope
        from .chunks import serial

        # Run later, in Dask's threads or processes: a partition a thread already.
        with using_scope(self.plan.units), serial():
            prepared = prepare(self.plan, _used_categories(part, self.by), by=self.by)
            result = _evaluate_prepared(
                prepared, self.scorer, self.rtol, False, absent=False, thresholds=self.thresholds
            )
        return _conform(result, self.meta)


def _used_categories(part: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``part`` with only the categories its rows use in ``columns`` (the breakdown).

    A partition of a categorical frame keeps all the frame's categories: a
    partition of 10⁵ rows could carry 25,000 regions, and the judging, which
    sizes its tables by the breakdown's values, would take its slow path.
    Categories no more numerous than the partition's rows are kept as they
    are, without a pass over the codes (about 1 ms a partition of 625,000
    rows): they cannot make a table larger than the rows.
    """
    import numpy as np
    import pandas as pd

    for column in columns:
        values = part[column]
        if isinstance(values.dtype, pd.CategoricalDtype) and len(values.cat.categories) > len(
            values
        ):
            used = np.zeros(len(values.cat.categories) + 1, dtype=bool)
            used[values.cat.codes.to_numpy()] = True  # a missing value's code, -1, marks the last
            if not used[:-1].all():
                part = part.assign(**{column: values.cat.remove_unused_categories()})
    return part


def _conform(frame: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """Every partition with the meta's kinds of column (the by columns' type depends on the path).

    Categorical stays categorical with the partition's own categories: Dask
    unites them when it concatenates partitions, which it can only do for
    categories of one type. Texts are categories of the type pandas infers
    for texts (its ``str``): an input's own categories of ``object`` (which
    the fast path keeps) would not unite with another path's, nor with the
    no_data rows' partition. Ordered categories become unordered: Dask unites
    ordered ones only when their categories are equal.
    """
    import pandas as pd

    types = dict(zip(frame.columns, frame.dtypes, strict=True))  # not a Series per column
    for column, want in zip(meta.columns, meta.dtypes, strict=True):
        have = types[column]
        if isinstance(want, pd.CategoricalDtype):
            if not isinstance(have, pd.CategoricalDtype):
                frame[column] = frame[column].astype("category")
            elif have.categories.dtype == object or have.ordered:
                values = frame[column]
                if have.categories.dtype == object:
                    values = _text_categories(values)
                # Ordered categories unite only when equal: each partition keeps those
                # its rows use (and the no_data rows' none), so unordered.
                frame[column] = values.cat.as_unordered() if have.ordered else values
        elif have != want:
            frame[column] = frame[column].astype(want)
    return frame


def _text_categories(column: pd.Series[Any]) -> pd.Series[Any]:
    """A categorical of texts held as ``object`` with categories of pandas' text type."""
    import pandas as pd

    categories = column.cat.categories
    if pd.api.types.infer_dtype(categories, skipna=False) not in ("string", "empty"):
        return column  # not texts (numbers, say): as they are
    texts = categories.astype(pd.Index(["text"]).dtype)
    values = pd.Categorical.from_codes(
        column.cat.codes.to_numpy(), dtype=pd.CategoricalDtype(texts), validate=False
    )
    return pd.Series(values, index=column.index, name=column.name, copy=False)


def _row_hashes(
    part: pd.DataFrame, group: list[str], aliases: dict[str, str]
) -> npt.NDArray[np.int64]:
    """One 64-bit hash of each row's group, the same for the same text in any partition.

    pandas hashes a categorical's categories, then takes them by code: the
    categories no row uses are dropped first when they outnumber the rows
    (Dask's partitions of one frame keep all its categories). Two groups
    with one hash are both taken as split: shuffled, never judged apart.
    As int64, which Dask's frames carry exactly.
    """
    import numpy as np
    import pandas as pd

    keys = part[group]
    if aliases:  # the key as the evaluation takes it
        keys = keys.assign(**{group[0]: _canonical(keys[group[0]], aliases)})
    for column in group:
        values = keys[column]
        if isinstance(values.dtype, pd.CategoricalDtype) and len(values.dtype.categories) > len(
            values
        ):
            keys = keys.assign(**{column: values.cat.remove_unused_categories()})
    hashed = pd.util.hash_pandas_object(keys, index=False).to_numpy(dtype=np.uint64)
    return hashed.view(np.int64)


def _group_hashes(part: pd.DataFrame, group: list[str], aliases: dict[str, str]) -> pd.DataFrame:
    """The partition's distinct group hashes, sorted."""
    import numpy as np
    import pandas as pd

    h = np.sort(_row_hashes(part, group, aliases))
    return pd.DataFrame({"h": h[np.r_[True, h[1:] != h[:-1]]] if len(h) else h})


def _distinct_values(part: pd.DataFrame, group: list[str], aliases: dict[str, str]) -> pd.DataFrame:
    """The partition's distinct values of its one group column (missing as ``None``), as objects.

    A categorical's values are the categories its rows use, found from the
    codes. As Python objects, so that one text is one value whether a
    partition holds it as a category or as a string.
    """
    import numpy as np
    import pandas as pd

    (column,) = group
    values = part[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        used = np.zeros(len(values.cat.categories) + 1, dtype=bool)
        used[values.cat.codes.to_numpy()] = True  # a missing value's code, -1, marks the last
        distinct = list(values.cat.categories[used[:-1]])
        missing = bool(used[-1])
    else:
        present = values.notna().to_numpy()
        distinct = list(pd.unique(values[present]))
        missing = not present.all()
    if aliases:  # two names of one key are one value
        distinct = list(
            dict.fromkeys(aliases.get(v, v) if isinstance(v, str) else v for v in distinct)
        )
    return pd.DataFrame({"v": pd.Series([*distinct, *([None] if missing else [])], dtype=object)})


def _spanning(hashes: list[npt.NDArray[np.int64]]) -> npt.NDArray[np.int64]:
    """The hashes that more than one partition's distinct hashes hold."""
    import numpy as np

    h = np.sort(np.concatenate(hashes))
    twice: npt.NDArray[np.int64] = h[1:][h[1:] == h[:-1]]
    return twice[np.r_[True, twice[1:] != twice[:-1]]] if len(twice) else twice


def _groups(
    part: pd.DataFrame,
    split: npt.NDArray[np.int64],
    group: list[str],
    aliases: dict[str, str],
    spanning: bool,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """The partition's rows of split groups (``spanning``) or of whole groups.

    Split groups' rows carry their hash and their place in the table (Dask
    passes ``partition_info``, the partition's number).
    """
    import numpy as np

    hashes = _row_hashes(part, group, aliases)
    inside = np.isin(hashes, split)
    if not spanning:
        return part[~inside]
    number = partition_info["number"] if partition_info else 0
    place = (np.int64(number) << 40) + np.flatnonzero(inside)
    return part[inside].assign(**{_GROUP: hashes[inside], _ORDER: place})


def _in_table_order(part: pd.DataFrame) -> pd.DataFrame:
    """Shuffled rows back in the table's order, without the shuffle's columns."""
    ordered = part.sort_values(_ORDER, kind="stable") if len(part) > 1 else part
    return ordered.drop(columns=[_GROUP, _ORDER])


def _target_ids(result: pd.DataFrame) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    ids = result["target_id"].unique()  # a categorical's codes, not its rows' text
    return pd.DataFrame({"target_id": np.asarray(ids, dtype=object)})


def _unique_ids(ids: pd.DataFrame) -> pd.DataFrame:
    return ids.drop_duplicates()


def _absent_rows(ids: pd.DataFrame, every_target: pd.DataFrame) -> pd.DataFrame:
    present = set(ids["target_id"])
    rows = every_target[~every_target["target_id"].astype(object).isin(present)]
    return rows.reset_index(drop=True)


def _known_empty(meta: pd.DataFrame) -> pd.DataFrame:
    """Dask's empty frame, with unknown categories ('__UNKNOWN_CATEGORIES__') made none."""
    import pandas as pd

    frame = meta.iloc[:0].copy()
    for column in frame.columns:
        dtype = frame[column].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            frame[column] = pd.Categorical([], categories=dtype.categories[:0])
    return frame
