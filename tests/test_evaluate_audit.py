"""Cases found by an adversarial audit of evaluate against assess (each failed once).

Plans and observations here are illustrative.
"""

from __future__ import annotations

import pandas as pd

import policytargets as pt


def _plan(*targets: pt.Target, units: tuple[str, ...] = ()) -> pt.Plan:
    return pt.Plan(
        id="p",
        title=pt.Label(zh="计划"),
        period="2021-2025",
        units=units,
        goals=(pt.Goal(id="g", title=pt.Label(zh="目标"), targets=targets),),
    )


class TestThresholdsOfAPlanWithItsOwnUnits:
    """assess keeps ``thresholds=`` when it enters the plan's own unit scope, as evaluate does."""

    def test_assess_equals_evaluate(self) -> None:
        with pt.unit_scope("audit_biao = 1 * count = 审计标") as units:
            indicator = pt.Indicator(
                id="n",
                name=pt.Label(zh="数"),
                kind="count",
                unit="审计标",
                direction="higher",
                basis="stock",
            )
            target = pt.Target(
                id="t", indicator=indicator, condition=pt.AtLeast(value=100.0), period="2021-2025"
            )
            plan = _plan(target, units=units)
        # Outside the scope: assess enters the plan's own units itself.
        observations = [
            pt.Observation(period="2020", value=0.0, unit="个"),
            pt.Observation(period="2022", value=30.0, unit="个"),
        ]
        frame = pd.DataFrame(
            {"target_id": ["t", "t"], "period": ["2020", "2022"], "value": [0.0, 30.0]}
        ).assign(unit="个")
        # 30 of 100 after two of five years: 0.75 of the straight path (40).
        lenient = pt.ProgressThresholds(on_track=0.1, ahead=0.2)
        for thresholds, wanted in ((lenient, "ahead_of_schedule"), (None, "behind")):
            judged = pt.assess(plan.targets[0], observations, thresholds=thresholds)
            assert judged.progress is not None
            assert judged.progress.value == wanted
            result = pt.evaluate(plan, frame, thresholds=thresholds)
            assert result["progress"].tolist() == [wanted]
