"""End to end: an observation file on disk to a written result, against a pyarrow floor.

    python benchmarks/e2e_bench.py --rows 3000000
    python benchmarks/e2e_bench.py --rows 20000 --repeats 1   # smoke test

Writes the 200-target plan of ``evaluate_bench.py`` as JSON and ``--rows``
observation rows (string keys, as a statistics office exports them) as CSV
and as parquet into a temporary directory, then times, each as the best of
``--repeats``:

* the floor: ``pyarrow.csv.read_csv`` of the CSV and ``pyarrow.csv.write_csv``
  of a table of the same length (the table just read), and the same with
  ``pyarrow.parquet``;
* the command line, in a fresh process: ``policytargets evaluate PLAN
  obs.csv --format csv --out res.csv``, and ``obs.parquet`` to
  ``res.parquet``;
* Python: ``read_observations`` + ``evaluate`` + ``write_results``, for CSV
  (text as strings, the default, and as categories, as the command line
  reads it) and for parquet (categories), in this process (imports and the
  unit registry warm).

The command line runs from byte-compiled modules, as an installed package
does (pip compiles them when it installs; an interpreter writes them on its
first import): they are compiled first, into the package's ``__pycache__``.
Without that, an environment with ``PYTHONDONTWRITEBYTECODE`` set compiles the
package's ~40 modules in every process, about 0.07 s of each run.

The command line's peak memory is its process's maximum resident set size
(GNU ``time``), given relative to the CSV file's size; the interpreter with
pandas, pyarrow and pint imported is about 150 MB of it whatever the input.
CPU seconds (user + system, all threads) are printed beside the CSV times:
on a shared machine wall time mostly measures the other sessions' load, and
``cpu_ratio`` (CPU over the floor's CPU) moves less. Every timed run starts
after ``os.sync()``, so that the kernel is not still writing an earlier
run's output (several hundred MB each) to disk during it. The last line is
``ratio_to_floor=<number>``: the CSV command line's wall time over the CSV
floor's.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate_bench import build_frame, build_plan

import policytargets as pt


def settle() -> None:
    """Put the files earlier runs wrote on disk, so that no run pays for another's.

    Each run writes 150-500 MB; left in the page cache, the kernel writes them
    back (on the same two cores) during whichever run comes next, which was
    the command line's: the floor ran first, on a clean page cache.
    """
    sync = getattr(os, "sync", None)  # not on Windows
    if sync is not None:
        sync()


def best_of(repeats: int, work: Callable[[], object]) -> tuple[float, float]:
    """Best wall seconds and best CPU seconds (all threads) of ``repeats`` runs."""
    best, cpu = float("inf"), float("inf")
    for _ in range(repeats):
        settle()
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return best, cpu


def byte_compile() -> bool:
    """Compile the package's modules into its ``__pycache__``; False when it cannot be written."""
    import compileall

    package = Path(pt.__file__).resolve().parent
    return bool(compileall.compile_dir(str(package), quiet=1))


def run_cli(args: list[str], tmp: Path) -> tuple[float, int, float]:
    """Wall seconds, peak resident bytes and CPU seconds of one ``policytargets`` process.

    GNU time measures the peak: a child forked straight from this (large)
    process would count the parent's pages it inherited before ``exec``.
    """
    env = dict(os.environ)
    src = Path(pt.__file__).resolve().parent.parent
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    report = tmp / "rss.txt"
    command = ["/usr/bin/time", "-f", "%M %U %S", "-o", str(report)]
    settle()
    start = time.perf_counter()
    done = subprocess.run([*command, sys.executable, "-m", "policytargets", *args], env=env)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"policytargets {' '.join(args)} failed ({done.returncode})")
    kilobytes, user, system = report.read_text().split()[-3:]
    return seconds, int(kilobytes) * 1024, float(user) + float(system)


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    plan, _, _ = build_plan()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        plan_file = d / "plan.json"
        pt.dump_plan(plan, plan_file)
        frame = build_frame(plan, args.rows, "categorical")
        # An empty cell is a missing unit in a file: the dimensionless unit is written "1".
        frame["unit"] = frame["unit"].cat.rename_categories(lambda u: u or "1")
        frame = frame.astype(dict.fromkeys(("target_id", "region", "period", "unit"), str))
        n = len(frame)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        csv_in, parquet_in = d / "obs.csv", d / "obs.parquet"
        pacsv.write_csv(table, csv_in)
        pq.write_table(table, parquet_in)
        del frame, table
        csv_bytes = csv_in.stat().st_size

        def floor_csv() -> None:
            read = pacsv.read_csv(csv_in)
            pacsv.write_csv(read, d / "floor.csv")

        def floor_parquet() -> None:
            read = pq.read_table(parquet_in)
            pq.write_table(read, d / "floor.parquet")

        def python(source: Path, out: Path, categories: bool) -> Callable[[], None]:
            def work() -> None:
                observations = pt.read_observations(source, categories=categories)
                pt.write_results(pt.evaluate(plan, observations), out)

            return work

        t_floor_csv, cpu_floor_csv = best_of(args.repeats, floor_csv)
        t_floor_parquet, _ = best_of(args.repeats, floor_parquet)
        python(csv_in, d / "warm.csv", False)()  # imports, unit registry
        t_py_csv, _ = best_of(args.repeats, python(csv_in, d / "py.csv", False))
        t_py_cat, cpu_py_cat = best_of(args.repeats, python(csv_in, d / "py.csv", True))
        t_py_parquet, _ = best_of(args.repeats, python(parquet_in, d / "py.parquet", True))
        cli_csv = [
            str(plan_file),
            str(csv_in),
            "--format",
            "csv",
            "--quiet",
            "--out",
            str(d / "res.csv"),
        ]
        cli_parquet = [str(plan_file), str(parquet_in), "--quiet", "--out", str(d / "res.parquet")]
        compiled = byte_compile()
        runs_csv = [run_cli(["evaluate", *cli_csv], d) for _ in range(args.repeats)]
        runs_parquet = [run_cli(["evaluate", *cli_parquet], d) for _ in range(args.repeats)]
        _, idle, _ = run_cli(["--version"], d)
        t_cli_csv, rss_csv = min(r[0] for r in runs_csv), max(r[1] for r in runs_csv)
        cpu_cli_csv = min(r[2] for r in runs_csv)
        t_cli_parquet = min(r[0] for r in runs_parquet)
        rss_parquet = max(r[1] for r in runs_parquet)
        out_rows = pq.read_metadata(d / "res.parquet").num_rows

    mb = 2**20
    print(f"rows={n} result_rows={out_rows} targets=200 keys=string")
    print(f"csv_file_mb={csv_bytes / mb:.1f}")
    print(f"cli_bytecode={'compiled' if compiled else 'not writable: compiled by each run'}")
    print(f"floor_csv_seconds={t_floor_csv:.3f} (pyarrow read_csv + write_csv)")
    print(f"floor_parquet_seconds={t_floor_parquet:.3f} (pyarrow read_table + write_table)")
    print(f"floor_csv_cpu_seconds={cpu_floor_csv:.3f} (all threads)")
    print(f"python_csv_seconds={t_py_csv:.3f} ratio={t_py_csv / t_floor_csv:.2f}")
    print(
        f"python_csv_categories_seconds={t_py_cat:.3f} ratio={t_py_cat / t_floor_csv:.2f}"
        f" cpu_ratio={cpu_py_cat / cpu_floor_csv:.2f}"
    )
    print(f"python_parquet_seconds={t_py_parquet:.3f} ratio={t_py_parquet / t_floor_parquet:.2f}")
    print(f"cli_parquet_seconds={t_cli_parquet:.3f} ratio={t_cli_parquet / t_floor_parquet:.2f}")
    print(f"cli_parquet_peak_rss_mb={rss_parquet / mb:.0f} ({rss_parquet / csv_bytes:.2f}x csv)")
    print(f"cli_idle_rss_mb={idle / mb:.0f} (policytargets --version)")
    print(f"cli_csv_peak_rss_mb={rss_csv / mb:.0f}")
    print(f"cli_csv_peak_over_file={rss_csv / csv_bytes:.2f}")
    print(f"cli_csv_cpu_seconds={cpu_cli_csv:.3f} cpu_ratio={cpu_cli_csv / cpu_floor_csv:.2f}")
    print(f"cli_csv_seconds={t_cli_csv:.3f}")
    ratio = t_cli_csv / t_floor_csv
    print(f"ratio_to_floor={ratio:.2f}")
    return {"ratio": ratio, "memory": rss_csv / csv_bytes}


if __name__ == "__main__":
    main()
