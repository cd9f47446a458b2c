"""Benchmark pt.evaluate against a bare numpy comparison, on one machine in one run.

    python benchmarks/evaluate_bench.py --rows 10000000 --keys categorical
    python benchmarks/evaluate_bench.py --rows 10000000 --keys string

Generates ``--rows`` observation rows for a plan of 200 targets (rates,
counts, per-capita figures and areas; several units per dimension; yearly,
half-yearly and quarterly target periods; every condition type), one row per
(target, region), as a statistics office would export them. Prints
evaluate()'s ns/row, the ns/element of ``a >= b`` on two float64 arrays of the
same length (best of several repeats), the ns/row of the very first call at
full size (before any result of that size was freed), the peak memory
evaluate() allocates (tracemalloc, plus the growth of pyarrow's memory pool,
where large result columns live; in a separate run) relative to the input
frame's own memory (``DataFrame.memory_usage(deep=True)``), the ns/row of
making arrays of the result's own dtypes (those not shared with the input) and
filling each once (what handing back a result of this shape costs at all:
fresh pages from numpy, or reused ones from pyarrow's pool, and one write of
each byte), and last a line ``ratio_to_numpy=<number>``.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

import policytargets as pt
from policytargets._evaluation import memory

N_TARGETS = 200
#: (kind, basis, units that the observations use; the first is the indicator's).
KINDS: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("rate", None, ("%", "‰", "")),
    ("count", "flow", ("个", "万个", "千项")),
    ("count", "stock", ("家", "万个", "items")),
    ("per_capita", None, ("批次/千人", "批次/万人")),
    ("amount", "stock", ("万平方米", "亩", "公顷", "平方米")),
)
PERIODS = ("2022", "2023", "2024", "2024-H1", "2025-Q1", "2025-Q2")


def build_plan() -> tuple[pt.Plan, list[tuple[str, ...]], np.ndarray]:
    """200 targets; returns the plan, each target's unit choices and typical values."""
    targets = []
    unit_choices = []
    typical = np.empty(N_TARGETS)
    for i in range(N_TARGETS):
        kind, basis, units = KINDS[i % len(KINDS)]
        value = 96.8 if kind == "rate" else float(50 + 7 * i)
        indicator = pt.Indicator(
            id=f"ind{i}",
            name=pt.Label(zh=f"指标{i}", en=f"indicator {i}"),
            kind=kind,
            unit=units[0],
            direction="lower" if i % 7 == 3 else "higher",
            basis=basis,
        )
        conditions: list[Any] = [
            pt.AtLeast(value=value),
            pt.AtMost(value=value),
            pt.MoreThan(value=value),
            pt.Between(low=value * 0.9, high=value * 1.1),
            pt.Approximately(value=value, rel_tol=0.05),
            pt.Point(value=value),
            pt.Maintained(condition=pt.AtLeast(value=value)),
            pt.RelativeChange(percent=3.0),
        ]
        condition = conditions[(i // len(KINDS)) % len(conditions)]
        baseline = (
            pt.Baseline(value=value / 1.02, period="2021")
            if isinstance(condition, pt.RelativeChange)
            else None
        )
        targets.append(
            pt.Target(
                id=f"t{i:03d}",
                indicator=indicator,
                condition=condition,
                period=PERIODS[i % len(PERIODS)],
                baseline=baseline if PERIODS[i % len(PERIODS)] == "2022" else None,
                aspirational=i % 5 == 0,
            )
        )
        unit_choices.append(units)
        typical[i] = value
    goal = pt.Goal(id="g", title=pt.Label(en="benchmark"), targets=tuple(targets))
    plan = pt.Plan(id="bench", title=pt.Label(en="benchmark plan"), period="2022", goals=(goal,))
    return plan, unit_choices, typical


def build_frame(plan: pt.Plan, rows: int, keys: str, seed: int = 0) -> pd.DataFrame:
    """One row per (target, region), target-major, with units drawn per row."""
    from policytargets._units import conversion_factor

    _, unit_choices, typical = build_plan()
    rng = np.random.default_rng(seed)
    targets = list(plan.targets)
    n_regions = max(1, rows // N_TARGETS)
    n = n_regions * N_TARGETS
    t = np.repeat(np.arange(N_TARGETS, dtype=np.int16), n_regions)
    region = np.tile(np.arange(n_regions, dtype=np.int32), N_TARGETS)
    units = sorted({u for choices in unit_choices for u in choices})
    unit_index = {u: i for i, u in enumerate(units)}
    pick = rng.integers(0, 1 << 30, n)
    unit_code = np.empty(n, dtype=np.int8)
    value = np.empty(n)
    noise = rng.normal(1.0, 0.05, n)
    for i, target in enumerate(targets):
        s = slice(i * n_regions, (i + 1) * n_regions)
        choices = unit_choices[i]
        which = pick[s] % len(choices)
        codes = np.array([unit_index[u] for u in choices], dtype=np.int8)
        to_obs = np.array([1 / conversion_factor(u, target.unit) for u in choices])
        unit_code[s] = codes[which]
        level = typical[i] * noise[s]
        if target.indicator.kind is pt.IndicatorKind.RATE:
            level = np.minimum(level, 100.0)  # a share: refused above 100 % as a plain fraction
        value[s] = level * to_obs[which]
    value[rng.random(n) < 0.01] = np.nan
    period_names = [str(x.period) for x in targets]
    frame = pd.DataFrame(
        {
            "target_id": pd.Categorical.from_codes(t, [x.id for x in targets]),
            "region": pd.Categorical.from_codes(region, [f"R{j:06d}" for j in range(n_regions)]),
            "period": pd.Categorical(np.array(period_names, dtype=object)[t]),
            "value": value,
            "unit": pd.Categorical.from_codes(unit_code, units),
        }
    )
    if keys == "string":
        for column in ("target_id", "region", "period", "unit"):
            frame[column] = frame[column].astype(str)
    return frame


def numpy_compare_ns(n: int, repeats: int = 7) -> float:
    """Best ns/element of ``a >= b`` on two float64 arrays of length ``n``."""
    rng = np.random.default_rng(1)
    a, b = rng.random(n), rng.random(n)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        _ = a >= b
        best = min(best, time.perf_counter() - start)
    return best / n * 1e9


def _data(column: pd.Series) -> np.ndarray:
    """A column's own array (a categorical's codes)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return np.asarray(column.array.codes)
    return np.asarray(column.array)


def fresh_dtypes(result: pd.DataFrame, frame: pd.DataFrame) -> list[np.dtype]:
    """The dtypes of the result's columns that are not the input's own arrays, shared."""
    return [
        _data(column).dtype
        for name, column in result.items()
        if not (name in frame and np.shares_memory(_data(column), _data(frame[name])))
    ]


def output_floor_ns(
    dtypes: list[np.dtype], n: int, repeats: int = 3, empty: Any = np.empty
) -> float:
    """Best ns/row of making arrays of ``dtypes`` with ``empty`` and filling each once.

    What any evaluate must pay to hand back a result of this shape: the
    memory (numpy's fresh pages, zeroed by the operating system, or pages
    reused from pyarrow's pool) and one write of every byte. Categorical
    columns count as their codes.
    """
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        arrays = [empty(n, dtype) for dtype in dtypes]
        for array in arrays:
            array.fill(1)
        best = min(best, time.perf_counter() - start)
        del arrays
    return best / n * 1e9


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--keys", choices=("categorical", "string"), default="categorical")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    plan, _, _ = build_plan()
    frame = build_frame(plan, args.rows, args.keys)
    n = len(frame)
    input_bytes = int(frame.memory_usage(deep=True).sum())
    pt.evaluate(plan, frame.iloc[:1000])  # warm up: unit registry, imports
    gc.collect()
    start = time.perf_counter()
    first_result = pt.evaluate(plan, frame)
    first = time.perf_counter() - start
    del first_result
    best = float("inf")
    for _ in range(args.repeats):
        gc.collect()
        start = time.perf_counter()
        result = pt.evaluate(plan, frame)
        best = min(best, time.perf_counter() - start)
        del result
    ns_row = best / n * 1e9
    gc.collect()
    pool = pa.default_memory_pool()
    pooled_before = pool.bytes_allocated()
    tracemalloc.start()
    result = pt.evaluate(plan, frame)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # pyarrow's pool is not traced: add its high-water mark above what it held before
    # (an upper bound: the mark may be an earlier call's).
    peak += max(0, pool.max_memory() - pooled_before)
    statuses = result["status"].value_counts().to_dict()
    dtypes = fresh_dtypes(result, frame)
    bytes_row = sum(dtype.itemsize for dtype in dtypes)
    ns_output = output_floor_ns(dtypes, len(result))
    ns_pooled = output_floor_ns(dtypes, len(result), empty=memory.empty)
    del result
    ns_numpy = numpy_compare_ns(n)
    ratio = ns_row / ns_numpy
    print(f"rows={n} targets={N_TARGETS} keys={args.keys}")
    print(f"statuses={statuses}")
    print(f"evaluate_seconds={best:.3f}")
    print(f"evaluate_ns_per_row={ns_row:.2f}")
    print(f"first_call_ns_per_row={first / n * 1e9:.2f} (the first call at this size)")
    print(f"numpy_ge_ns_per_element={ns_numpy:.3f}")
    print(
        f"output_floor_ns_per_row={ns_output:.2f} (fresh arrays of the {bytes_row} bytes a row "
        "of the result's columns not shared with the input, each filled once: "
        f"{ns_output / ns_numpy:.1f}x the numpy compare)"
    )
    print(
        f"pooled_output_floor_ns_per_row={ns_pooled:.2f} (the same from pyarrow's pool, "
        f"as evaluate allocates them: {ns_pooled / ns_numpy:.1f}x the numpy compare)"
    )
    print(f"ratio_to_pooled_output_floor={ns_row / ns_pooled:.2f}")
    print(f"input_frame_mb={input_bytes / 2**20:.1f}")
    print(f"peak_traced_mb={peak / 2**20:.1f} (tracemalloc and pyarrow's pool, during evaluate)")
    print(f"peak_memory_ratio={peak / input_bytes:.2f}")
    print(f"ratio_to_numpy={ratio:.2f}")
    return {"ns_row": ns_row, "ns_numpy": ns_numpy, "ratio": ratio, "memory": peak / input_bytes}


if __name__ == "__main__":
    main()
