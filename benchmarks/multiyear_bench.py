"""Benchmark: `evaluate` on a plan of multi-year targets (2021–2025), per row and per group.

A plan of 200 five-year targets (levels, rates, cumulative flows; at least,
at most, 较2020年 relative and absolute changes, 年均增长) observed for
2020–2023 in every region: each (target, region) group has a baseline of its
own and is judged against the path to 2025. Observations are generated, hence
illustrative.

Three figures from one run:

* ``years``: the vectorised multi-year path (``_evaluation/years.py``);
* ``kernel``: the same rows judged group by group with ``assess``'s code (how
  multi-year targets were evaluated before), on fewer rows, as it is slow;
* a bare numpy comparison over as many elements as rows, the floor.

The last line is the ratio of the multi-year path's time per row to the
numpy comparison's.

Usage: ``python benchmarks/multiyear_bench.py [--rows 1000000] [--kernel-rows 100000]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import policytargets as pt

N_TARGETS = 200
YEARS = ("2020", "2021", "2022", "2023")


def build_plan() -> pt.Plan:
    """200 targets over 2021–2025, of five conditions and three bases."""
    conditions = [
        lambda: pt.AtLeast(value=50.0),
        lambda: pt.RelativeChange(percent=-13.5, base="2020"),
        lambda: pt.AnnualGrowth(percent=5, base="2020"),
        lambda: pt.AtMost(value=60.0),
        lambda: pt.AbsoluteChange(amount=2, base="2020"),
    ]
    targets = []
    for i in range(N_TARGETS):
        rate = i % 2 == 1
        indicator = pt.Indicator(
            id=f"i{i}",
            name=pt.Label(zh=f"指标{i}", en=f"indicator {i}"),
            kind="rate" if rate else "amount",
            unit="%" if rate else "吨",
            basis=None if rate else ("flow" if i % 4 == 0 else "stock"),
        )
        targets.append(
            pt.Target(
                id=f"t{i:03d}",
                indicator=indicator,
                condition=conditions[i % len(conditions)](),
                period="2021-2025",
            )
        )
    goal = pt.Goal(id="g", title=pt.Label(en="benchmark"), targets=tuple(targets))
    return pt.Plan(
        id="multiyear", title=pt.Label(en="benchmark"), period="2021-2025", goals=(goal,)
    )


def build_frame(rows: int, seed: int = 0) -> pd.DataFrame:
    """One row per (target, region, year 2020–2023), categorical keys."""
    rng = np.random.default_rng(seed)
    regions = max(1, rows // (N_TARGETS * len(YEARS)))
    t = np.repeat(np.arange(N_TARGETS), regions * len(YEARS))
    region = np.tile(np.repeat(np.arange(regions), len(YEARS)), N_TARGETS)
    year = np.tile(np.arange(len(YEARS)), N_TARGETS * regions)
    ids = [f"t{i:03d}" for i in range(N_TARGETS)]
    return pd.DataFrame(
        {
            "target_id": pd.Categorical.from_codes(t, categories=ids),
            "region": region.astype(np.int32),
            "period": pd.Categorical.from_codes(year, categories=list(YEARS)),
            "value": rng.uniform(40, 70, len(t)),
            "unit": pd.Categorical.from_codes(t % 2, categories=["吨", "%"]),
        }
    )


def seconds(plan: pt.Plan, frame: pd.DataFrame, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        pt.evaluate(plan, frame, by="region")
        best = min(best, time.perf_counter() - start)
    return best


def numpy_floor(n: int, repeat: int = 5) -> float:
    values = np.random.default_rng(1).uniform(40, 70, n)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        np.greater_equal(values, 50.0)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--kernel-rows", type=int, default=50_000)
    args = parser.parse_args()
    plan = build_plan()
    frame = build_frame(args.rows)
    pt.evaluate(plan, frame.iloc[:1000], by="region")  # warm: units, plan tables
    years = seconds(plan, frame, 3)
    groups = len(frame) // len(YEARS)

    from policytargets._evaluation import years as years_path

    small = build_frame(args.kernel_rows)
    eligible = years_path.eligible
    years_path.eligible = lambda target: False  # type: ignore[assignment]
    try:
        kernel = seconds(plan, small, 1)
    finally:
        years_path.eligible = eligible
    years_small = seconds(plan, small, 3)
    floor = numpy_floor(len(frame))
    print(f"rows={len(frame)} groups={groups} targets={N_TARGETS} years={','.join(YEARS)}")
    print(f"years_seconds={years:.3f} years_ns_per_row={years / len(frame) * 1e9:.0f}")
    print(f"years_us_per_group={years / groups * 1e6:.2f}")
    print(
        f"kernel_rows={len(small)} kernel_seconds={kernel:.3f} "
        f"kernel_us_per_group={kernel / (len(small) // len(YEARS)) * 1e6:.1f}"
    )
    print(f"years_over_kernel_same_rows={kernel / years_small:.1f}x faster")
    print(f"numpy_ge_ns_per_element={floor / len(frame) * 1e9:.3f}")
    print(f"ratio_to_numpy={years / floor:.0f}")


if __name__ == "__main__":
    main()
