"""Benchmark evaluate's per-target overhead and one small input, on one machine in one run.

    python benchmarks/small_inputs_bench.py --targets 5000
    python benchmarks/small_inputs_bench.py --targets 400 --repeats 3   # smoke test

Issue #10 goals 3 (per-target overhead ≤ 20 µs) and 6 (one row against a
200-target plan in ≤ 5 ms after import). Two measurements, each the best of
``--repeats`` (wall time, ``time.perf_counter``; the first call is timed on
its own too, since nothing is cached for a plan until it is evaluated):

* ``one_row``: one observation row (string keys) against the 200-target plan
  of ``evaluate_bench.py`` (every condition type, 保持 targets included);
* ``per_target``: one observation row against the ``--targets``-target plan
  of ``plan_size_bench.py`` and against its first 100 targets; the difference
  divided by the difference in targets is what each target costs, whatever
  the call costs besides.

Prints milliseconds and microseconds per target, and last
``per_target_us=<number>`` (goal: 20 or less).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

import evaluate_bench
import plan_size_bench

import policytargets as pt


def timed(repeats: int, run: Callable[[], Any]) -> tuple[float, float]:
    """Seconds of the first call, and the best of ``repeats`` calls after it."""
    start = time.perf_counter()
    run()
    first = time.perf_counter() - start
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return first, best


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
    args = parser.parse_args(argv)

    small = evaluate_bench.build_plan()[0]
    frame = evaluate_bench.build_frame(small, 1000, "string").iloc[:1]
    first, best = timed(args.repeats, lambda: pt.evaluate(small, frame))
    print(f"one_row_200_targets_first_ms={first * 1e3:.2f}")
    print(f"one_row_200_targets_ms={best * 1e3:.2f}")

    few = 100
    large = plan_size_bench.build_plan(args.targets)
    # The same targets, fewer of them: the first goal of the first section.
    head = plan_size_bench.build_plan(few)
    rows = one_row(large)
    large_first, large_best = timed(args.repeats, lambda: pt.evaluate(large, rows))
    head_first, head_best = timed(args.repeats, lambda: pt.evaluate(head, rows))
    extra = args.targets - few
    per_target = (large_best - head_best) / extra
    per_target_first = (large_first - head_first) / extra
    print(f"one_row_{few}_targets_ms={head_best * 1e3:.2f}")
    print(f"one_row_{args.targets}_targets_ms={large_best * 1e3:.2f}")
    print(f"per_target_first_call_us={per_target_first * 1e6:.1f}")
    print(f"per_target_us={per_target * 1e6:.1f}")
    return {
        "one_row_first": first,
        "one_row": best,
        "per_target_first": per_target_first,
        "per_target": per_target,
    }


if __name__ == "__main__":
    main()
