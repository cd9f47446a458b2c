"""Benchmark load_plan on a large plan: YAML against JSON, on one machine in one run.

    python benchmarks/plan_size_bench.py --targets 5000
    python benchmarks/plan_size_bench.py --targets 200 --repeats 1   # smoke test

Builds a plan of ``--targets`` targets (100 per goal, goals two levels deep;
rates, flow and stock counts, per-capita figures and areas; every condition
type; owners with lead and supporting roles; a source clause per target),
writes it with ``dump_plan`` as JSON and as YAML, and times ``load_plan`` on
each file (CPU time, best of ``--repeats``). It also times the bare parse
(``json.loads``; ``yaml.load`` with the loader ``load_plan`` uses) and the
structuring of the parsed data (``plan_from_dict``), so that the figures say
where the time goes. It prints the seconds and microseconds per target of
each, and last ``ratio_yaml_to_json=<number>`` (goal: 3 or less).
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import policytargets as pt
from policytargets import _serialization

PER_GOAL = 100
#: (kind, basis, unit) of the indicators, in turn.
KINDS: tuple[tuple[str, str | None, str], ...] = (
    ("rate", None, "%"),
    ("count", "flow", "个"),
    ("count", "stock", "家"),
    ("per_capita", None, "批次/千人"),
    ("amount", "stock", "万平方米"),
)
PERIODS = ("2022", "2023", "2024-H1", "2025-Q1")


def _condition(i: int, value: float) -> Any:
    conditions: list[Any] = [
        pt.AtLeast(value=value),
        pt.AtMost(value=value),
        pt.MoreThan(value=value),
        pt.LessThan(value=value),
        pt.Between(low=value * 0.9, high=value * 1.1),
        pt.Approximately(value=value, rel_tol=0.05),
        pt.Point(value=value),
        pt.Maintained(condition=pt.AtLeast(value=value)),
        pt.RelativeChange(percent=3.0),
        pt.Improve(),
        pt.Zero(),
    ]
    return conditions[(i // len(KINDS)) % len(conditions)]


def build_plan(n_targets: int) -> pt.Plan:
    """A plan of ``n_targets`` targets in goals of 100, under sections of ten goals."""
    owners = tuple(
        pt.Owner(id=f"市部门{j}", name=pt.Label(zh=f"市部门{j}", en=f"department {j}"))
        for j in range(20)
    )
    goals = []
    n_goals = -(-n_targets // PER_GOAL)
    for g in range(n_goals):
        targets = []
        for i in range(g * PER_GOAL, min(n_targets, (g + 1) * PER_GOAL)):
            kind, basis, unit = KINDS[i % len(KINDS)]
            value = 96.8 if kind == "rate" else float(50 + 7 * (i % 100))
            condition = _condition(i, value)
            indicator = pt.Indicator(
                id=f"ind{i}",
                name=pt.Label(zh=f"指标{i}", en=f"indicator {i}"),
                kind=kind,
                unit=unit,
                direction="lower" if i % 7 == 3 else "higher",
                basis=basis,
            )
            period = PERIODS[i % len(PERIODS)]
            baseline = (
                pt.Baseline(value=value / 1.02, period="2021")
                if condition.needs_baseline and period == "2022"
                else None
            )
            targets.append(
                pt.Target(
                    id=f"t{i:05d}",
                    indicator=indicator,
                    condition=condition,
                    period=period,
                    baseline=baseline,
                    aspirational=i % 5 == 0,
                    responsibilities=(
                        pt.Responsibility(owner=owners[i % 20].id, role="lead"),
                        pt.Responsibility(owner=owners[(i + 7) % 20].id, role="supporting"),
                    ),
                    source=pt.SourceClause(section=f"{g + 1}.{i % 100 + 1}", text=f"条款{i}"),
                )
            )
        goals.append(pt.Goal(id=f"g{g}", title=pt.Label(zh=f"目标{g}"), targets=tuple(targets)))
    sections = tuple(
        pt.Goal(id=f"s{s}", title=pt.Label(zh=f"部分{s}"), goals=tuple(goals[s * 10 : s * 10 + 10]))
        for s in range(-(-len(goals) // 10))
    )
    return pt.Plan(
        id="bench",
        title=pt.Label(zh="基准计划", en="benchmark plan"),
        period="2022",
        owners=owners,
        goals=sections,
    )


def best_of(repeats: int, run: Callable[[], Any]) -> float:
    """Best CPU time of ``repeats`` calls, in seconds, freeing the result included.

    CPU time (``time.process_time``), not wall time: the benchmark machine is
    shared, and other processes' load would otherwise swing the ratio.
    """
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.process_time()
        run()  # the result is dropped here: freeing it is part of the cost
        best = min(best, time.process_time() - start)
    return best


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    import yaml

    plan = build_plan(args.targets)
    with tempfile.TemporaryDirectory() as tmp:
        json_path, yaml_path = Path(tmp, "plan.json"), Path(tmp, "plan.yaml")
        pt.dump_plan(plan, json_path)
        pt.dump_plan(plan, yaml_path)
        assert pt.load_plan(json_path) == plan == pt.load_plan(yaml_path)
        json_text = json_path.read_text(encoding="utf-8")
        yaml_text = yaml_path.read_text(encoding="utf-8")
        data = json.loads(json_text)
        figures = {
            "load_json": best_of(args.repeats, lambda: pt.load_plan(json_path)),
            "load_yaml": best_of(args.repeats, lambda: pt.load_plan(yaml_path)),
            "parse_json": best_of(args.repeats, lambda: json.loads(json_text)),
            "parse_yaml": best_of(
                args.repeats, lambda: _serialization._parse_yaml(yaml_text, "bench")
            ),
            "parse_yaml_plain_safe_loader": best_of(
                1, lambda: yaml.load(yaml_text, Loader=yaml.SafeLoader)
            ),
            "structure": best_of(args.repeats, lambda: pt.plan_from_dict(data)),
        }
    n = args.targets
    print(f"targets={n} json_bytes={len(json_text.encode())} yaml_bytes={len(yaml_text.encode())}")
    print(f"libyaml={yaml.__with_libyaml__}")
    for name, seconds in figures.items():
        print(f"{name}_seconds={seconds:.3f} ({seconds / n * 1e6:.0f} us/target)")
    ratio = figures["load_yaml"] / figures["load_json"]
    print(f"ratio_yaml_to_json={ratio:.2f}")
    return {**figures, "ratio": ratio}


if __name__ == "__main__":
    main()
