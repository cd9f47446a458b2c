"""Dask against pandas on the same multi-file parquet dataset, on one machine in one run.

    python benchmarks/dask_bench.py --rows 5000000
    python benchmarks/dask_bench.py --rows 4000 --repeats 1 --keys categorical --plans simple

Writes ``--rows`` observation rows for the 200-target plan of
``evaluate_bench.py`` as a folder of ``--files`` parquet files (contiguous
slices, each file with its own categories, as files written by separate
offices would be), once with categorical key columns and once with string
keys, into a temporary directory. Then, each in a fresh process (so that
peak memory is that route's own), times the best of ``--repeats`` of

* pandas: ``pt.evaluate(plan, pd.read_parquet(folder))``;
* Dask: ``pt.evaluate(plan, dd.read_parquet(folder)).compute()``, with
  Dask's default (threaded) scheduler;

the read included in both; and the same two, writing the result to
parquet (``pt.write_results`` against Dask's ``to_parquet``, partition by
partition, with 32-bit dictionary indices). Peak memory is the process's
maximum resident set (``VmHWM``), given with what the interpreter holds
after its imports and a warm-up call; times are wall clock and CPU time (all
threads) of the best repeat. Two plans: ``simple``, the benchmark plan with
its 保持 (maintained) targets replaced by their one-bound condition (the
headline), and ``standard``, the benchmark plan as it is (1 target in 8 a
保持 target). Every (target, region) group has one row, so every file holds
whole groups and nothing is shuffled: the layout check is paid (here the
files' statistics tell it: each file's target ids lie in a range of their
own), the shuffle is not. The last line is ``ratio_dask_to_pandas=<number>``: Dask's time over
pandas' with ``.compute()``, categorical keys and the simple plan.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate_bench import build_frame, build_plan

import policytargets as pt


def simple_plan() -> pt.Plan:
    """The benchmark plan with every 保持 target's inner (one-bound) condition."""
    import attrs

    plan = build_plan()[0]
    goals = tuple(
        attrs.evolve(
            goal,
            targets=tuple(
                attrs.evolve(t, condition=t.condition.condition)
                if isinstance(t.condition, pt.Maintained)
                else t
                for t in goal.targets
            ),
        )
        for goal in plan.goals
    )
    return attrs.evolve(plan, goals=goals)


def plan_of(name: str) -> pt.Plan:
    return simple_plan() if name == "simple" else build_plan()[0]


def write_dataset(folder: Path, rows: int, keys: str, files: int) -> int:
    """``files`` parquet files of contiguous rows; returns the number of rows written."""
    import numpy as np

    frame = build_frame(build_plan()[0], rows, keys)
    folder.mkdir(parents=True)
    bounds = np.linspace(0, len(frame), files + 1).astype(int)
    for i in range(files):
        part = frame.iloc[bounds[i] : bounds[i + 1]].reset_index(drop=True)
        if keys == "categorical":
            for column in ("target_id", "region", "period", "unit"):
                part[column] = part[column].cat.remove_unused_categories()
        part.to_parquet(folder / f"part{i:03d}.parquet", index=False)
    return len(frame)


def _high_water() -> int:
    """This process's peak resident bytes since it started (``VmHWM``).

    Not ``ru_maxrss``: that counts the pages of the large parent this
    process was forked from, before ``exec``.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise SystemExit("no VmHWM in /proc/self/status (Linux only)")


def child(route: str, folder: str, plan_name: str, repeats: int) -> None:
    """Run one route in this (fresh) process; print a JSON line of its figures."""
    import shutil
    import warnings

    import dask
    import dask.dataframe as dd
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    warnings.simplefilter("ignore")  # Dask's own deprecation warnings under pandas 3.1
    plan = plan_of(plan_name)
    first = sorted(Path(folder).glob("*.parquet"))[0]
    sample = next(pq.ParquetFile(first).iter_batches(batch_size=1000)).to_pandas()
    pt.evaluate(plan, sample)  # warm up: unit registry, imports
    base = _high_water()
    out = Path(folder).parent / f"out-{route}"
    best = cpu = float("inf")
    rows = 0
    for _ in range(repeats):
        shutil.rmtree(out, ignore_errors=True)
        start, start_cpu = time.perf_counter(), time.process_time()
        if route == "pandas":
            result = pt.evaluate(plan, pd.read_parquet(folder))
            rows = len(result)
        elif route == "pandas-write":
            result = pt.evaluate(plan, pd.read_parquet(folder))
            out.mkdir()
            pt.write_results(result, out / "result.parquet")
            rows = len(result)
        else:
            with dask.config.set(scheduler="threads"):
                lazy = pt.evaluate(plan, dd.read_parquet(folder))
                if route == "dask":
                    result = lazy.compute()
                    rows = len(result)
                else:  # written partition by partition, never whole in memory
                    text = [
                        c for c in lazy.columns if isinstance(lazy.dtypes[c], pd.CategoricalDtype)
                    ]
                    wide = {c: pa.dictionary(pa.int32(), pa.string()) for c in text}
                    lazy.to_parquet(out, schema=wide, write_index=False)
                    result = None
                    rows = pq.ParquetDataset(out).read(columns=["status"]).num_rows
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
        del result
    shutil.rmtree(out, ignore_errors=True)
    peak = _high_water()
    figures = {"seconds": best, "cpu": cpu, "peak": peak, "base": base, "rows": rows}
    print(json.dumps(figures))


def run_child(route: str, folder: Path, plan_name: str, repeats: int) -> dict[str, float]:
    env = dict(os.environ)
    src = Path(pt.__file__).resolve().parent.parent
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    args = ["--child", route, str(folder), plan_name, str(repeats)]
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{route} on {folder} failed:\n{done.stderr}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keys", nargs="+", default=["categorical", "string"])
    parser.add_argument("--plans", nargs="+", default=["simple", "standard"])
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        route, folder, plan_name, repeats = args.child
        child(route, folder, plan_name, int(repeats))
        return {}

    ratios: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for keys in args.keys:
            folder = Path(tmp) / keys
            n = write_dataset(folder, args.rows, keys, args.files)
            size = sum(f.stat().st_size for f in folder.iterdir())
            print(f"rows={n} files={args.files} keys={keys} parquet_mb={size / 2**20:.1f}")
            for plan_name in args.plans:
                for pair in (("pandas", "dask"), ("pandas-write", "dask-write")):
                    got = {
                        route: run_child(route, folder, plan_name, args.repeats) for route in pair
                    }
                    if got[pair[0]]["rows"] != got[pair[1]]["rows"]:
                        raise SystemExit(f"row counts differ: {got}")
                    ratio = got[pair[1]]["seconds"] / got[pair[0]]["seconds"]
                    cpu_ratio = got[pair[1]]["cpu"] / got[pair[0]]["cpu"]
                    what = "write" if "write" in pair[0] else "compute"
                    ratios[f"{keys}/{plan_name}/{what}"] = ratio
                    for route, f in got.items():
                        print(
                            f"  plan={plan_name} {route}: {f['seconds']:.2f} s "
                            f"(CPU {f['cpu']:.2f} s), peak {f['peak'] / 2**20:.0f} MB "
                            f"(+{(f['peak'] - f['base']) / 2**20:.0f} MB over the warm interpreter)"
                        )
                    print(
                        f"  plan={plan_name} keys={keys} {what}: dask/pandas={ratio:.2f} "
                        f"(CPU time {cpu_ratio:.2f})"
                    )
    for name, ratio in ratios.items():
        if name != "categorical/simple/compute":
            print(f"ratio_{name.replace('/', '_')}={ratio:.2f}")
    headline = ratios.get("categorical/simple/compute", next(iter(ratios.values())))
    print(f"ratio_dask_to_pandas={headline:.2f}")
    return ratios


if __name__ == "__main__":
    main()
