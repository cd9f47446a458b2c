"""Benchmark evaluate's per-target overhead and one small input, on one machine in one run.

    python benchmarks/small_inputs_bench.py --targets 5000
    python benchmarks/small_inputs_bench.py --targets 5000 --five-year
    python benchmarks/small_inputs_bench.py --targets 400 --repeats 3 --cold-runs 1   # smoke test

Issue #10 goals 3 (per-target overhead ≤ 20 µs) and 6 (one row against a
200-target plan in ≤ 5 ms after import). ``evaluate`` works out what depends
on the plan alone once per plan, so each figure is given three ways, in CPU
time (``time.process_time``: the machine is shared, and wall time swings 2×
with other sessions' load), best of ``--repeats``:

* ``cold``: the first ``evaluate`` of a fresh interpreter, after ``import
  policytargets``, building the plan and the import of ``evaluate`` itself
  (best of ``--cold-runs`` interpreters, each run with Python's bytecode cache
  on, as an installed package has it, in a temporary folder);
* ``new_plan``: a plan not evaluated before (``attrs.evolve`` makes a new
  plan of the same targets: the per-plan work is all done again; the
  process's caches of units and periods are warm);
* ``again``: the same plan again (what a loop over many small tables, or
  Dask's partitions, pays).

Two measurements:

* ``one_row``: one observation row (string keys) against the 200-target plan
  of ``evaluate_bench.py`` (every condition type, 保持 targets included);
* ``per_target``: one observation row against the ``--targets``-target plan
  of ``plan_size_bench.py`` and against its first 100 targets; the difference
  divided by the difference in targets is what each target costs, whatever
  the call costs besides. With ``--five-year`` every target of these plans
  is for 2021-2025, so the assess kernel judges them (a five-year plan),
  and ``cold`` is also measured for one row (2025) against 200 such
  targets (``one_row_200_five_year_targets_cold_ms``).

Prints milliseconds and microseconds per target, and last
``per_target_us=<number>`` (a new plan's; goal: 20 or less).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

import evaluate_bench
import plan_size_bench

import policytargets as pt

#: The cold measurement, run in a fresh interpreter.
COLD = """
import sys, time
sys.path.insert(0, {here!r})
import evaluate_bench
import policytargets as pt
plan = evaluate_bench.build_plan()[0]
frame = evaluate_bench.build_frame(plan, 1000, "string").iloc[:1]
evaluate = pt.evaluate
start = time.process_time()
evaluate(plan, frame)
print(time.process_time() - start)
"""


#: The cold measurement of ``--five-year``: one row (2025) against 200 targets of 2021-2025.
COLD_FIVE_YEAR = """
import sys, time
sys.path.insert(0, {here!r})
import plan_size_bench
import small_inputs_bench
import policytargets as pt
plan_size_bench.PERIODS = ("2021-2025",)
plan = plan_size_bench.build_plan(200)
frame = small_inputs_bench.one_row(plan)
frame["period"] = "2025"
evaluate = pt.evaluate
start = time.process_time()
evaluate(plan, frame)
print(time.process_time() - start)
"""


def best(repeats: int, run: Callable[[], Any]) -> float:
    """CPU seconds of the fastest of ``repeats`` calls."""
    fastest = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        run()
        fastest = min(fastest, time.process_time() - start)
    return fastest


def cold(runs: int, template: str = COLD) -> float:
    """CPU seconds of the first evaluate in a fresh interpreter, best of ``runs`` (+1 to warm)."""
    code = template.format(here=str(Path(__file__).parent))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times = []
    with tempfile.TemporaryDirectory() as cache:
        env["PYTHONPYCACHEPREFIX"] = cache
        for _ in range(runs + 1):  # the first run writes the bytecode cache
            done = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            times.append(float(done.stdout.split()[-1]))
    return min(times[1:])


def figures(plan: pt.Plan, rows: pd.DataFrame, repeats: int) -> tuple[float, float]:
    """Seconds of evaluating ``rows`` against a new copy of ``plan``, and against it again."""
    new_plan = best(repeats, lambda: pt.evaluate(attrs.evolve(plan), rows))
    pt.evaluate(plan, rows)
    again = best(repeats, lambda: pt.evaluate(plan, rows))
    return new_plan, again


def one_row(plan: pt.Plan) -> pd.DataFrame:
    """One observation of the plan's first target, with string keys."""
    target = plan.targets[0]
    return pd.DataFrame(
        {
            "target_id": [target.id],
            "period": [str(target.period)],
            "value": [1.0],
            "unit": [target.unit],
        }
    )


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument(
        "--five-year",
        action="store_true",
        help="per-target plans of 2021-2025 targets (judged by the assess kernel), row for 2025",
    )
    args = parser.parse_args(argv)

    small = evaluate_bench.build_plan()[0]
    frame = evaluate_bench.build_frame(small, 1000, "string").iloc[:1]
    first = cold(args.cold_runs)
    new_plan, again = figures(small, frame, args.repeats)
    print(f"one_row_200_targets_cold_ms={first * 1e3:.2f}")
    print(f"one_row_200_targets_new_plan_ms={new_plan * 1e3:.2f}")
    print(f"one_row_200_targets_again_ms={again * 1e3:.2f}")
    if args.five_year:
        five = cold(args.cold_runs, COLD_FIVE_YEAR)
        print(f"one_row_200_five_year_targets_cold_ms={five * 1e3:.2f}")

    few = 100
    if args.five_year:
        plan_size_bench.PERIODS = ("2021-2025",)
    large = plan_size_bench.build_plan(args.targets)
    head = plan_size_bench.build_plan(few)  # the same first 100 targets
    rows = one_row(large)
    if args.five_year:
        rows["period"] = "2025"  # a year's level, within the five-year period
    large_new, large_again = figures(large, rows, args.repeats)
    head_new, head_again = figures(head, rows, args.repeats)
    extra = args.targets - few
    per_target_again = (large_again - head_again) / extra
    per_target = (large_new - head_new) / extra
    for name, seconds in (
        (f"one_row_{few}_targets_new_plan_ms", head_new),
        (f"one_row_{few}_targets_again_ms", head_again),
        (f"one_row_{args.targets}_targets_new_plan_ms", large_new),
        (f"one_row_{args.targets}_targets_again_ms", large_again),
    ):
        print(f"{name}={seconds * 1e3:.2f}")
    print(f"per_target_again_us={per_target_again * 1e6:.2f}")
    print(f"per_target_us={per_target * 1e6:.2f}")
    return {
        "one_row_cold": first,
        "one_row_new_plan": new_plan,
        "one_row_again": again,
        "per_target_again": per_target_again,
        "per_target": per_target,
    }


if __name__ == "__main__":
    main()
