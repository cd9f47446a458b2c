"""Peak memory of pt.evaluate as a ratio to the input frame, one fresh process per measurement.

    python benchmarks/memory_bench.py --rows 5000000
    python benchmarks/memory_bench.py --rows 20000 --paths general   # smoke test

Two plans of 200 targets, with ``--rows`` observation rows with string keys
(``--keys categorical`` for categorical ones):

* ``general``: targets the vectorised general path (``grouped``) must reduce
  group by group — changes against the previous period with no baseline in
  the plan (the baseline is the previous year's observation, or the sum of
  its quarters for a flow), flows observed over part of their period (a
  projection), stocks observed twice in their period (the latest counts);
  two to three rows per (target, region) group, in several units;
* ``fast``: one row per (target, region) covering the target's whole
  period, the fast path's case, for comparison.

Each measurement runs in a child process: it builds the frame, calls
``evaluate`` once on 1,000 rows (imports, unit registry), resets the
kernel's peak resident set (``/proc/self/clear_refs``), calls ``evaluate``
on the whole frame and reads the peak (``VmHWM``). Printed per plan: the
input frame's bytes (``DataFrame.memory_usage(deep=True)``), the resident
set before ``evaluate``, the peak during it, and
``peak_over_input=<(peak - before) / input>``: the memory ``evaluate``
itself adds, as a multiple of its input. ``--tracemalloc`` measures the
peak that Python and numpy allocate (tracemalloc) instead, which leaves out
pyarrow's own allocations (string hashing, and a long result's columns, which
live in pyarrow's memory pool): the default, the resident set, counts them.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd

import policytargets as pt

N_TARGETS = 200
KINDS = ("change", "partial_flow", "change_flow", "stock_twice")


def build_plan(kind: str) -> pt.Plan:
    """200 targets; ``kind`` is ``general`` (four shapes, see the module docs) or ``fast``."""
    targets = []
    for i in range(N_TARGETS):
        shape = KINDS[i % len(KINDS)]
        flow = shape in ("partial_flow", "change_flow")
        indicator = pt.Indicator(
            id=f"ind{i}",
            name=pt.Label(zh=f"指标{i}", en=f"indicator {i}"),
            kind="count",
            unit="个" if flow else "家",
            direction="lower" if i % 7 == 3 else "higher",
            basis="flow" if flow else "stock",
        )
        value = float(50 + 7 * i)
        if kind == "fast":
            condition: Any = pt.AtLeast(value=value)
            period = "2023"
        elif shape in ("change", "change_flow"):
            condition, period = pt.RelativeChange(percent=3.0), "2023"
        else:
            condition = pt.AtLeast(value=value) if i % 2 else pt.AtMost(value=value)
            period = "2024"
        targets.append(
            pt.Target(id=f"t{i:03d}", indicator=indicator, condition=condition, period=period)
        )
    goal = pt.Goal(id="g", title=pt.Label(en="benchmark"), targets=tuple(targets))
    return pt.Plan(id="bench", title=pt.Label(en="benchmark plan"), period="2022", goals=(goal,))


#: The periods observed per (target, region) group, by shape, in the general plan.
PERIODS = {
    "change": ("2022", "2023"),
    "partial_flow": ("2024-Q1", "2024-Q2", "2024-Q3"),  # three quarters of 2024: projected
    "change_flow": ("2022", "2023-H1"),  # baseline 2022, half of 2023: projected
    "stock_twice": ("2024-H1", "2024"),  # the latest (2024) counts
}
UNITS = {False: ("家", "万个", "items"), True: ("个", "万个", "千个")}
TO_OBS = {"家": 1.0, "items": 1.0, "个": 1.0, "万个": 1e-4, "千个": 1e-3}


def build_frame(plan: pt.Plan, kind: str, rows: int, keys: str, seed: int = 0) -> pd.DataFrame:
    """About ``rows`` rows, target-major, one group per (target, region)."""
    rng = np.random.default_rng(seed)
    shapes = [KINDS[i % len(KINDS)] for i in range(N_TARGETS)]
    per_group = [1 if kind == "fast" else len(PERIODS[s]) for s in shapes]
    n_regions = max(1, rows // sum(per_group))
    ids, regions, periods, units, values = [], [], [], [], []
    region_names = np.array([f"R{j:06d}" for j in range(n_regions)], dtype=object)
    for i, target in enumerate(plan.targets):
        shape = shapes[i]
        flow = shape in ("partial_flow", "change_flow")
        observed = (str(target.period),) if kind == "fast" else PERIODS[shape]
        k = len(observed)
        n = n_regions * k
        ids.append(np.full(n, target.id, dtype=object))
        regions.append(np.repeat(region_names, k))
        periods.append(np.tile(np.array(observed, dtype=object), n_regions))
        choice = np.array(UNITS[flow], dtype=object)[rng.integers(0, 3, n)]
        units.append(choice)
        level = (50 + 7 * i) * rng.normal(1.0, 0.05, n) / (k if flow else 1)
        values.append(level * np.array([TO_OBS[u] for u in choice]))
    value = np.concatenate(values)
    value[rng.random(len(value)) < 0.01] = np.nan
    frame = pd.DataFrame(
        {
            "target_id": np.concatenate(ids),
            "region": np.concatenate(regions),
            "period": np.concatenate(periods),
            "value": value,
            "unit": np.concatenate(units),
        }
    )
    for column in ("target_id", "region", "period", "unit"):
        frame[column] = frame[column].astype("category" if keys == "categorical" else "str")
    return frame


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def child(kind: str, rows: int, keys: str, traced: bool) -> dict[str, Any]:
    """One measurement, in this (fresh) process."""
    plan = build_plan(kind)
    frame = build_frame(plan, kind, rows, keys)
    input_bytes = int(frame.memory_usage(deep=True).sum())
    pt.evaluate(plan, frame.iloc[:1000])  # imports, unit registry
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # reset VmHWM to the current resident set
    except OSError:
        traced = True  # no /proc (not Linux, or not allowed): measure with tracemalloc
    if traced:
        import tracemalloc

        tracemalloc.start()
        result = pt.evaluate(plan, frame)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        before = 0
    else:
        before = _status_kb("VmRSS") * 1024
        result = pt.evaluate(plan, frame)
        peak = _status_kb("VmHWM") * 1024
    return {
        "plan": kind,
        "rows": len(frame),
        "groups": len(result),
        "statuses": {str(k): int(v) for k, v in result["status"].value_counts().items() if v},
        "input_bytes": input_bytes,
        "before_bytes": before,
        "peak_bytes": peak,
        "ratio": (peak - before) / input_bytes,
        "how": "tracemalloc" if traced else "VmHWM",
    }


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--keys", choices=("string", "categorical"), default="string")
    parser.add_argument(
        "--paths", nargs="+", choices=("general", "fast"), default=["general", "fast"]
    )
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--child", choices=("general", "fast"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.rows, args.keys, args.tracemalloc)))
        return {}
    ratios = {}
    for kind in args.paths:
        command = [sys.executable, __file__, "--child", kind, "--rows", str(args.rows)]
        command += ["--keys", args.keys] + (["--tracemalloc"] if args.tracemalloc else [])
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        m = json.loads(done.stdout.strip().splitlines()[-1])
        mb = 2**20
        print(
            f"plan={kind} keys={args.keys} rows={m['rows']} groups={m['groups']} "
            f"input_mb={m['input_bytes'] / mb:.0f} before_mb={m['before_bytes'] / mb:.0f} "
            f"peak_mb={m['peak_bytes'] / mb:.0f} "
            f"({m['how']})"
        )
        print(f"statuses={m['statuses']}")
        print(f"peak_over_input[{kind}]={m['ratio']:.2f}")
        ratios[kind] = m["ratio"]
    return ratios


if __name__ == "__main__":
    main()
