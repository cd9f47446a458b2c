"""
Taicang 2022 quality plan: a progress report
============================================

Evaluate the Taicang 2022 quality plan (太政办〔2022〕64号), encoded in
``policytargets.taicang2022``, against a table of observations, and print a
plain-text report: status and margin per target, binding and aspirational
(力争) targets apart, the milestones, a scorecard per responsible owner, and derived
requirements (a per-capita target as a number of batches, areas in m², 亩 and
hectares).

The observations in ``examples/data/taicang2022_observations.csv`` and the
milestone reports in ``examples/data/taicang2022_milestones.csv`` are
ILLUSTRATIVE FIGURES, NOT OFFICIAL RESULTS: they were invented to show the
library at work.

Run it from the repository root with ``python examples/taicang2022_report.py``.
"""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

import policytargets as pt
from policytargets import taicang2022

DATA = Path(__file__).resolve().parent / "data" / "taicang2022_observations.csv"
MILESTONES = DATA.with_name("taicang2022_milestones.csv")
ILLUSTRATIVE = "ILLUSTRATIVE FIGURES, NOT OFFICIAL RESULTS"
#: The resident population used to turn 7批次/千人 into a number of batches.
RESIDENTS = 839_000

plan = taicang2022.plan


# --- Reading the observations -------------------------------------------------


def read_observations(path: Path) -> dict[str, list[pt.Observation]]:
    """Observations by target id; lines starting with ``#`` are comments."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        by_id: dict[str, list[pt.Observation]] = defaultdict(list)
        for row in rows:
            value = float(row["value"]) if row["value"].strip() else math.nan
            by_id[row["target_id"]].append(
                pt.Observation(
                    period=row["period"],
                    value=value,
                    unit=row["unit"],
                    indicator=row["target_id"],
                    source=row["source"],
                )
            )
    return by_id


# --- Text layout ---------------------------------------------------------------


def table(header: tuple[str, ...], rows: Sequence[tuple[object, ...]]) -> None:
    """Print rows under a header in the command line's table style, fitted to 100 columns."""
    frame = pd.DataFrame(rows, columns=list(header))
    print(pt.text_table(frame, width=100), end="")


def number(value: float) -> str:
    """A number as people read it: 97.12, 1,046, 0.35."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# --- Judging every target ------------------------------------------------------


def target_row(target: pt.Target, result: pt.Assessment) -> tuple[str, ...]:
    direction = target.indicator.direction
    wanted = target.condition.describe(target.unit, "zh", direction)
    observed = "—" if result.observed is None else number(result.observed) + target.unit
    if result.projected is not None:
        observed += f" → {number(result.projected)}"
    margin = "" if result.margin is None else f"{result.margin:+,.2f}".rstrip("0").rstrip(".")
    if margin:
        margin += f" {result.margin_unit}"
    return (
        target.source.section if target.source else "",
        target.indicator.name.zh,
        wanted,
        observed,
        result.status.value,
        margin,
    )


def main() -> None:
    observations = read_observations(DATA)
    milestones = pt.read_milestones(MILESTONES, plan)
    results = {t.id: pt.assess(t, observations.get(t.id, ())) for t in plan.targets}

    print(f"{plan.title.zh}  {plan.title.en}")
    assert plan.issuer is not None
    print(f"{plan.document_number} · {plan.issuer.zh} · issued {plan.issued}, ", end="")
    print(f"published {plan.published} · {plan.validity.value}")
    print(plan.url)
    print()
    print(f"*** {ILLUSTRATIVE} ***")
    print(f"Observations: {DATA.name} (invented figures that demonstrate the library)")

    statuses = Counter(r.status.value for r in results.values())
    print("All targets: " + ", ".join(f"{n} {s}" for s, n in statuses.most_common()))

    header = ("section", "indicator", "target", "observed", "status", "margin")
    for aspirational, title in ((False, "Binding targets"), (True, "Aspirational targets (力争)")):
        chosen = [t for t in plan.targets if t.aspirational is aspirational]
        print(f"\n{title}: {len(chosen)}")
        table(header, [target_row(t, results[t.id]) for t in chosen])
    print("  observed: the value judged, in the target's unit (the worst one for 保持);")
    print("  → the value a part-year flow projects to the year's end.")

    print("\nMilestones")
    rows = []
    for milestone in plan.milestones:
        result = pt.assess(milestone, milestones.get(milestone.id))
        section = milestone.source.section if milestone.source else ""
        rows.append((section, milestone.name.zh, result.status.value, result.reason))
    table(("section", "milestone", "status", "reason"), rows)

    # The document names no lead (no 牵头, no ★): a target counts for every owner that
    # answers for it (Plan.accountable_for), so the rows add up to more than the targets.
    print("\nScorecard by responsible owner (binding targets)")
    cards: dict[str, Counter[str]] = defaultdict(Counter)
    for target in plan.targets:
        if not target.aspirational:
            status = results[target.id].status
            column = status.value if status.value in ("met", "not_met", "no_data") else "other"
            for owner in plan.accountable_for(target.id):
                cards[owner][column] += 1
    scorecard = [
        (
            owner,
            plan.owner(owner).name.en,
            card.total(),
            card["met"],
            card["not_met"],
            card["no_data"],
            card["other"],
        )
        for owner, card in sorted(cards.items(), key=lambda item: -item[1].total())
    ]
    table(("owner", "name", "targets", "met", "not met", "no data", "other"), scorecard)
    print("  other: on track, off track or needs baseline (see the status column above)")
    print("  The plan names no lead: a target counts for each owner it is given to, jointly.")

    print("\nDerived requirements")
    sampling = plan.target("food-sampling-per-capita")
    batches = pt.required_amount(sampling, RESIDENTS)
    print(
        f"  {sampling.indicator.name.zh} {sampling.condition.describe(sampling.unit)}: "
        f"for a resident population of {RESIDENTS:,}, at least "
        f"{math.ceil(batches.magnitude):,} 批次 in 2022"
    )
    for target_id in ("green-space", "afforestation"):
        target = plan.target(target_id)
        areas = [
            f"{number(pt.threshold_in(target, unit).magnitude)} {label}"
            for unit, label in (("平方米", "m²"), ("亩", "亩"), ("公顷", "ha"))
        ]
        wanted = target.condition.describe(target.unit, "zh", target.indicator.direction)
        print(f"  {target.indicator.name.zh} {wanted} = " + " = ".join(areas))
    print(f"\n*** {ILLUSTRATIVE} ***")


if __name__ == "__main__":
    main()
