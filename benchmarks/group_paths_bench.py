"""Benchmark: `evaluate` per group on the shapes judged group by group or on the growth path.

    python benchmarks/group_paths_bench.py --regions 2000
    python benchmarks/group_paths_bench.py --regions 50 --repeats 1   # smoke test

Three plans of 50 one-year targets, each observed in ``--regions`` regions
(observations generated, hence illustrative):

* ``growth``: 较上年增长 5 % (relative_change) on a flow in 亿元, judged from
  one published growth rate (同比) a region: the ``growth`` path;
* ``monthly``: a rate 保持 at 90 % or more month by month, twelve monthly
  figures a region: ``assess``'s own code, group by group (the kernel);
* ``same_period``: a flow of at least 100 亿元 whose indicator projects a part
  year by the same period last year, with both halves of last year and the
  first half of this year: the kernel.

Prints each shape's microseconds a group (best of ``--repeats``, after one
warm-up call), the ns/element of ``a >= b`` on two float64 arrays as long as
the table, and last ``ratio_to_numpy=<number>``: the growth path's time per
row over the numpy comparison's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate_bench import numpy_compare_ns

import policytargets as pt

N_TARGETS = 50


def _plan(targets: list[pt.Target]) -> pt.Plan:
    goal = pt.Goal(id="g", title=pt.Label(en="benchmark"), targets=tuple(targets))
    return pt.Plan(id="p", title=pt.Label(en="benchmark plan"), period="2023", goals=(goal,))


def _frame(
    regions: int, periods: list[str], values: np.ndarray, unit: str, **more: str
) -> pd.DataFrame:
    """Rows target-major, then region, then period."""
    per_target = regions * len(periods)
    return pd.DataFrame(
        {
            "target_id": np.repeat([f"t{i}" for i in range(N_TARGETS)], per_target),
            "region": np.tile(
                np.repeat([f"R{j:05d}" for j in range(regions)], len(periods)), N_TARGETS
            ),
            "period": np.tile(periods, N_TARGETS * regions),
            "value": values,
            "unit": unit,
            **more,
        }
    )


def growth(regions: int, rng: np.random.Generator) -> tuple[pt.Plan, pd.DataFrame]:
    targets = [
        pt.Target(
            id=f"t{i}",
            indicator=pt.Indicator(
                id=f"gdp{i}", name=pt.Label(zh=f"产值{i}"), kind="amount", unit="亿元", basis="flow"
            ),
            condition=pt.RelativeChange(percent=5.0),
            period="2023",
        )
        for i in range(N_TARGETS)
    ]
    values = rng.normal(5, 2, N_TARGETS * regions).round(1)
    return _plan(targets), _frame(regions, ["2023"], values, "%", measure="growth")


def monthly(regions: int, rng: np.random.Generator) -> tuple[pt.Plan, pd.DataFrame]:
    targets = [
        pt.Target(
            id=f"t{i}",
            indicator=pt.Indicator(
                id=f"rate{i}", name=pt.Label(zh=f"合格率{i}"), kind="rate", unit="%"
            ),
            condition=pt.Maintained(condition=pt.AtLeast(value=90.0), every="month"),
            period="2023",
        )
        for i in range(N_TARGETS)
    ]
    months = [f"2023-{m:02d}" for m in range(1, 13)]
    values = rng.normal(93, 2, N_TARGETS * regions * 12).clip(0, 100).round(2)
    return _plan(targets), _frame(regions, months, values, "%")


def same_period(regions: int, rng: np.random.Generator) -> tuple[pt.Plan, pd.DataFrame]:
    targets = [
        pt.Target(
            id=f"t{i}",
            indicator=pt.Indicator(
                id=f"inv{i}",
                name=pt.Label(zh=f"投资{i}"),
                kind="amount",
                unit="亿元",
                basis="flow",
                projection="same_period",
            ),
            condition=pt.AtLeast(value=100.0),
            period="2023",
        )
        for i in range(N_TARGETS)
    ]
    halves = np.tile([48.0, 52.0, 52.0], N_TARGETS * regions)
    values = (halves * rng.normal(1, 0.05, len(halves))).round(2)
    return _plan(targets), _frame(regions, ["2022-H1", "2022-H2", "2023-H1"], values, "亿元")


def seconds(plan: pt.Plan, frame: pd.DataFrame, repeats: int) -> float:
    pt.evaluate(plan, frame.iloc[:100])  # warm up: imports, the plan's tables
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        pt.evaluate(plan, frame)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    groups = N_TARGETS * args.regions
    figures: dict[str, float] = {}
    for name, build in (("growth", growth), ("monthly", monthly), ("same_period", same_period)):
        plan, frame = build(args.regions, rng)
        taken = seconds(plan, frame, args.repeats)
        figures[name] = taken / groups * 1e6
        print(f"{name}_rows={len(frame)} groups={groups} {name}_us_per_group={figures[name]:.2f}")
    plan, frame = growth(args.regions, rng)
    per_row = seconds(plan, frame, args.repeats) / len(frame)
    floor = numpy_compare_ns(len(frame)) / 1e9
    print(f"numpy_ge_ns_per_element={floor * 1e9:.3f}")
    ratio = per_row / floor
    print(f"ratio_to_numpy={ratio:.1f}")
    figures["ratio"] = ratio
    return figures


if __name__ == "__main__":
    main()
