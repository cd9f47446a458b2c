"""Silent wrong answers of #8 removed, and the conditions of multi-year plans.

Every number here is illustrative.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import policytargets as pt

S = pt.Status


def obs(period: str, value: float | None, unit: str, **fields: Any) -> pt.Observation:
    return pt.Observation(period=period, value=value, unit=unit, **fields)


RATE = pt.Indicator(id="pass_rate", name=pt.Label(zh="合格率"), kind="rate", unit="%")
COVERAGE = pt.Indicator(id="coverage", name=pt.Label(zh="覆盖率"), kind="rate", unit="%")
ACCIDENTS = pt.Indicator(
    id="accidents",
    name=pt.Label(zh="事故"),
    kind="count",
    unit="起",
    direction="lower",
    basis="flow",
)
FIRMS = pt.Indicator(id="firms", name=pt.Label(zh="企业"), kind="count", unit="家", basis="stock")


def target(
    indicator: pt.Indicator, condition: pt.Condition, period: str = "2022", **kw: Any
) -> pt.Target:
    return pt.Target(id="t", indicator=indicator, condition=condition, period=period, **kw)


def evaluate_one(t: pt.Target, rows: list[tuple[str, float, str]]) -> pd.Series:
    plan = pt.Plan(
        id="p",
        title=pt.Label(zh="计划"),
        period=t.period,
        goals=(pt.Goal(id="g", title=pt.Label(zh="目标"), targets=(t,)),),
    )
    frame = pd.DataFrame(
        [{"target_id": t.id, "period": p, "value": v, "unit": u} for p, v, u in rows]
    )
    return pt.evaluate(plan, frame).iloc[0]


class TestPercentagePoints:
    """百分点 is a change of a rate, never a level (silent case 2)."""

    @pytest.mark.parametrize("text", ["2个百分点", "0.5个百分点", "2百分点"])
    def test_points_parse(self, text: str) -> None:
        """ "2个百分点" and "0.5个百分点" are quantities in percentage points."""
        q = pt.parse_quantity(text)
        assert pt.parse_unit(f"{q.units}") == pt.parse_unit("百分点")

    def test_a_level_in_percent_is_no_change_in_points(self) -> None:
        """A 93.1 % level is not comparable with a target in 百分点 (was met, margin +91.1)."""
        with pytest.raises(pt.PolicyTargetsError):
            target(RATE, pt.AtLeast(value=2), unit="百分点")

    def test_an_observation_in_points_is_not_a_level(self) -> None:
        """An observation in 百分点 against a target in % is not_comparable, not a 2 % level."""
        a = pt.assess(target(RATE, pt.AtLeast(value=1)), obs("2022", 2, "个百分点"))
        assert a.status is S.NOT_COMPARABLE

    def test_increase_in_points_is_judged_against_the_base(self) -> None:
        """提高2个百分点: 93 % → 95 % is met, 93 % → 94.9 % is not, and the margin is in 百分点."""
        t = target(RATE, pt.AbsoluteChange(amount=2))
        met = pt.assess(t, [obs("2021", 93, "%"), obs("2022", 95, "%")])
        short = pt.assess(t, [obs("2021", 93, "%"), obs("2022", 94.9, "%")])
        assert (met.status, met.margin, met.margin_unit) == (S.MET, 0.0, "百分点")
        assert short.status is S.NOT_MET
        assert short.margin == pytest.approx(-0.1)

    def test_describe_says_points(self) -> None:
        c = pt.AbsoluteChange(amount=2, base="2020")
        assert c.describe("%", "zh") == "较2020年提高2个百分点"
        assert c.describe("%", "en") == "up 2 percentage points on 2020"
        tol = pt.Approximately(value=35, abs_tol=2)
        assert "±2个百分点" in tol.describe("%", "zh")
        assert "±2 percentage points" in tol.describe("%", "en")


class TestZeroAfterAnOccurrence:
    """不发生 after an occurrence can no longer be met (silent case 3)."""

    def test_one_accident_part_way_is_not_met(self) -> None:
        t = target(ACCIDENTS, pt.Zero())
        a = pt.assess(t, obs("2022-H1", 1, "起"))
        assert a.status is S.NOT_MET
        assert "can no longer be met" in a.reason
        row = evaluate_one(t, [("2022-H1", 1, "起")])
        assert row["status"] == "not_met"
        assert row["reason"] == a.reason

    def test_none_part_way_is_on_track(self) -> None:
        a = pt.assess(target(ACCIDENTS, pt.Zero()), obs("2022-H1", 0, "起"))
        assert a.status is S.ON_TRACK


class TestFloor:
    """Holding a natural floor is improving (silent case 4)."""

    def test_zero_accidents_two_years_running_is_met(self) -> None:
        t = target(ACCIDENTS, pt.Improve())
        a = pt.assess(t, [obs("2021", 0, "起"), obs("2022", 0, "起")])
        assert a.status is S.MET
        assert evaluate_one(t, [("2021", 0, "起"), ("2022", 0, "起")])["status"] == "met"

    def test_above_the_floor_must_still_fall(self) -> None:
        t = target(ACCIDENTS, pt.Improve())
        assert pt.assess(t, [obs("2021", 1, "起"), obs("2022", 1, "起")]).status is S.NOT_MET
        assert pt.assess(t, [obs("2021", 1, "起"), obs("2022", 0, "起")]).status is S.MET

    def test_full_coverage_held_is_met(self) -> None:
        t = target(COVERAGE, pt.Improve())
        assert pt.assess(t, [obs("2021", 100, "%"), obs("2022", 100, "%")]).status is S.MET
        assert pt.assess(t, [obs("2021", 99, "%"), obs("2022", 99, "%")]).status is S.NOT_MET
        assert pt.assess(t, [obs("2021", 1, ""), obs("2022", 1, "")]).status is S.MET


class TestApproximately:
    """左右 is read in the good direction; a band only when asked (silent case 5)."""

    def test_over_fulfilment_is_met(self) -> None:
        t = target(FIRMS, pt.Approximately(value=35, abs_tol=3))
        assert pt.assess(t, obs("2022", 39, "家")).status is S.MET
        assert pt.assess(t, obs("2022", 32, "家")).status is S.MET
        assert pt.assess(t, obs("2022", 31.9, "家")).status is S.NOT_MET

    def test_a_band_when_the_plan_means_one(self) -> None:
        t = target(FIRMS, pt.Approximately(value=35, abs_tol=3, two_sided=True))
        assert pt.assess(t, obs("2022", 38, "家")).status is S.MET
        assert pt.assess(t, obs("2022", 39, "家")).status is S.NOT_MET

    def test_growth_about_five_percent(self) -> None:
        """增长5%左右 (±1 point of growth): 6.2 % growth is met, 3.9 % is not."""
        t = target(FIRMS, pt.RelativeChange(percent=5, tolerance=1))
        assert pt.assess(t, [obs("2021", 100, "家"), obs("2022", 106.2, "家")]).status is S.MET
        assert pt.assess(t, [obs("2021", 100, "家"), obs("2022", 104, "家")]).status is S.MET
        assert pt.assess(t, [obs("2021", 100, "家"), obs("2022", 103.9, "家")]).status is S.NOT_MET


class TestDescribe:
    """Every new condition renders itself in Chinese and English."""

    @pytest.mark.parametrize(
        ("condition", "zh", "en"),
        [
            (pt.RelativeChange(percent=-14, base="2020"), "较2020年下降14%", "down 14% on 2020"),
            (pt.RelativeChange(percent=5), "较上年增长5%", "up 5% on the previous period"),
            (
                pt.RelativeChange(percent=5, tolerance=1),
                "较上年增长5%左右(±1个百分点)",
                "up 5% (±1 percentage point of growth) on the previous period",
            ),
            (
                pt.AnnualGrowth(percent=6, base="2020"),
                "年均增长6%(基期2020)",
                "average annual growth of 6% since 2020",
            ),
            (pt.AbsoluteChange(amount=12), "较上年增加12家", "up 12 家 on the previous period"),
            (
                pt.EveryYear(condition=pt.Improve()),
                "逐年提高",
                "better every year than the year before",
            ),
        ],
    )
    def test_wording(self, condition: pt.Condition, zh: str, en: str) -> None:
        unit = "%" if isinstance(condition, pt.Approximately) else "家"
        assert condition.describe(unit, "zh", pt.Direction.HIGHER_IS_BETTER) == zh
        if "家" not in en:
            assert condition.describe(unit, "en", pt.Direction.HIGHER_IS_BETTER) == en
