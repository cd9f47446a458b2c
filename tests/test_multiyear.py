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


def plan_of(t: pt.Target) -> pt.Plan:
    """A plan of one target, over the target's period."""
    return pt.Plan(
        id="p",
        title=pt.Label(zh="计划"),
        period=t.period,
        goals=(pt.Goal(id="g", title=pt.Label(zh="目标"), targets=(t,)),),
    )


def evaluate_one(t: pt.Target, rows: list[tuple[str, float, str]]) -> pd.Series:
    plan = plan_of(t)
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


GDP = pt.Indicator(
    id="gdp", name=pt.Label(zh="地区生产总值"), kind="amount", unit="亿元", basis="flow"
)


class TestScoresUseTheProjection:
    """A part-year flow is scored on what its status judges (silent case 7)."""

    def test_half_a_year_in(self) -> None:
        t = target(GDP, pt.AtLeast(value=100), baseline=pt.Baseline(value=90, period="2021"))
        a = pt.assess(t, obs("2022-H1", 55, "亿元"))
        assert a.projected == pytest.approx(55 / (181 / 365))
        assert a.score is not None
        assert a.score.value == pytest.approx((a.projected - 90) / 10)
        row = evaluate_one(t, [("2022-H1", 55, "亿元")])
        assert row["score"] == a.score.value


AWARDS = pt.Indicator(
    id="awards",
    name=pt.Label(zh="获奖"),
    kind="count",
    unit="项",
    basis="flow",
    projection="none",
)
SEASONAL = pt.Indicator(
    id="sales",
    name=pt.Label(zh="销售"),
    kind="count",
    unit="件",
    basis="flow",
    projection="same_period",
)


class TestProjection:
    """Part-year flows are projected as their indicator says."""

    def test_a_lumpy_flow_is_pending_not_off_track(self) -> None:
        t = target(AWARDS, pt.AtLeast(value=5))
        a = pt.assess(t, obs("2022-H1", 0, "项"))
        assert (a.status, a.projected) == (S.PENDING, None)
        assert pt.assess(t, obs("2022-H1", 5, "项")).status is S.ON_TRACK
        assert evaluate_one(t, [("2022-H1", 0, "项")])["status"] == "pending"

    def test_same_period_last_year(self) -> None:
        """H1 last year was 40 of 100: this year's 50 in H1 projects to 125."""
        t = target(SEASONAL, pt.AtLeast(value=120))
        rows = [obs("2021-H1", 40, "件"), obs("2021-H2", 60, "件"), obs("2022-H1", 50, "件")]
        a = pt.assess(t, rows)
        assert (a.status, a.projected) == (S.ON_TRACK, 125.0)

    def test_without_last_year_it_is_pending(self) -> None:
        t = target(SEASONAL, pt.AtLeast(value=120))
        a = pt.assess(t, obs("2022-H1", 50, "件"))
        assert a.status is S.PENDING
        assert "same period last year" in a.reason


class TestBasePeriod:
    """较2020年: the baseline is the base period's figure, from observations or the plan."""

    def test_from_observations_of_the_base_year(self) -> None:
        t = target(FIRMS, pt.RelativeChange(percent=-14, base="2020"), period="2022")
        low = pt.Indicator(
            id="e",
            name=pt.Label(zh="能耗"),
            kind="amount",
            unit="吨",
            direction="lower",
            basis="stock",
        )
        t = target(low, pt.RelativeChange(percent=-14, base="2020"), period="2022")
        a = pt.assess(t, [obs("2020", 100, "吨"), obs("2021", 50, "吨"), obs("2022", 86, "吨")])
        assert (a.status, a.baseline, a.threshold) == (S.MET, 100.0, 86.0)
        b = pt.assess(t, [obs("2020", 100, "吨"), obs("2022", 86.1, "吨")])
        assert b.status is S.NOT_MET

    def test_from_the_plan(self) -> None:
        t = target(
            FIRMS,
            pt.AbsoluteChange(amount=12, base="2020"),
            period="2022",
            baseline=pt.Baseline(value=30, period="2020"),
        )
        assert pt.assess(t, obs("2022", 42, "家")).status is S.MET
        assert pt.assess(t, obs("2022", 41, "家")).status is S.NOT_MET


class TestGrowthRates:
    """A growth target judged from published growth rates (同比) as well as from levels."""

    def test_one_year(self) -> None:
        t = target(GDP, pt.RelativeChange(percent=5, tolerance=1))
        growth = obs("2022", 4.2, "%", measure="growth")
        a = pt.assess(t, growth)
        assert (a.status, a.unit, a.margin_unit) == (S.MET, "%", "百分点")
        assert a.observed == pytest.approx(4.2)
        assert a.threshold == pytest.approx(5.0)
        assert pt.assess(t, obs("2022", 3.9, "%", measure="growth")).status is S.NOT_MET

    def test_average_annual_growth_chains_the_years(self) -> None:
        t = target(GDP, pt.AnnualGrowth(percent=6, base="2020"), period="2021-2025")
        rates = [
            obs(str(y), g, "%", measure="growth")
            for y, g in zip(range(2021, 2026), (7, 6, 5, 6, 6.1), strict=True)
        ]
        a = pt.assess(t, rates)
        chained = (1.07 * 1.06 * 1.05 * 1.06 * 1.061) ** (1 / 5) - 1
        assert a.observed == pytest.approx(chained * 100)
        assert a.status is (S.MET if chained >= 0.06 else S.NOT_MET)

    def test_a_missing_year_cannot_be_chained(self) -> None:
        t = target(GDP, pt.AnnualGrowth(percent=6, base="2020"), period="2021-2025")
        a = pt.assess(
            t, [obs("2021", 7, "%", measure="growth"), obs("2023", 6, "%", measure="growth")]
        )
        assert a.status is S.NEEDS_BASELINE
        assert "2022" in a.reason

    @pytest.mark.parametrize("first", [4.0, 6.0])
    def test_two_different_rates_for_one_period_are_refused(self, first: float) -> None:
        """Which of two contradictory rates was judged depended on their order: met or not met."""
        t = target(GDP, pt.RelativeChange(percent=5))
        rates = [
            obs("2022", first, "%", measure="growth"),
            obs("2022", 10 - first, "%", measure="growth"),
        ]
        with pytest.raises(pt.InvalidValueError, match="one value per period"):
            pt.assess(t, rates)
        frame = pd.DataFrame(
            {
                "target_id": t.id,
                "period": "2022",
                "value": [first, 10 - first],
                "unit": "%",
                "measure": "growth",
            }
        )
        plan = plan_of(t)
        for check in (pt.evaluate, pt.validate_observations):
            with pytest.raises(pt.ObservationError) as info:
                check(plan, frame)
            failures = info.value.failures
            assert list(failures["reason"]) == ["duplicate", "duplicate"]

    def test_an_average_after_a_fall_of_over_100_percent_is_undefined(self) -> None:
        """assess raised TypeError (a complex root) for 年均增长 after a fall of over 100 %.

        Over a part of a year there is no average annual growth of a figure
        that fell below zero; over the whole year the fall itself is judged.
        """
        t = target(GDP, pt.AnnualGrowth(percent=5))
        part = obs("2022-Q3", -125.0, "%", measure="growth")
        a = pt.assess(t, part)
        assert a.status is S.NOT_COMPARABLE
        assert "undefined" in a.reason
        whole = pt.assess(t, obs("2022", -125.0, "%", measure="growth"))
        assert (whole.status, whole.observed) == (S.NOT_MET, -125.0)
        frame = pd.DataFrame(
            {
                "target_id": t.id,
                "period": ["2022-Q3"],
                "value": [-125.0],
                "unit": "%",
                "measure": "growth",
            }
        )
        row = pt.evaluate(plan_of(t), frame).iloc[0]
        assert (row["status"], row["reason"]) == (a.status.value, a.reason)

    def test_one_rate_repeated_is_one_rate(self) -> None:
        t = target(GDP, pt.RelativeChange(percent=5))
        rates = [obs("2022", 6.0, "%", measure="growth"), obs("2022", 6.0, "%", measure="growth")]
        assert pt.assess(t, rates).status is S.MET

    def test_validate_reads_a_growth_rate_as_a_percentage(self) -> None:
        """validate_observations refused a 同比 rate in % of a 亿元 target, which evaluate judges.

        A rate in the indicator's own unit is refused; a level and a rate of one
        period are two figures, not a duplicate; an unknown measure is named.
        """
        t = target(GDP, pt.RelativeChange(percent=5))
        plan = plan_of(t)

        def frame(rows: list[tuple[float, str, str]]) -> pd.DataFrame:
            values, units, measures = zip(*rows, strict=True)
            return pd.DataFrame(
                {
                    "target_id": t.id,
                    "period": "2022",
                    "value": values,
                    "unit": units,
                    "measure": measures,
                }
            )

        good = frame([(6.0, "%", "growth"), (118.0, "亿元", "level")])
        pt.validate_observations(plan, good)
        assert pt.evaluate(plan, good)["status"].tolist() == ["met"]
        for rows, reason in [
            ([(6.0, "亿元", "growth")], "dimension_mismatch"),
            ([(6.0, "%", "level")], "dimension_mismatch"),
            ([(6.0, "%", "yoy")], "unknown_measure"),
        ]:
            with pytest.raises(pt.ObservationError) as info:
                pt.validate_observations(plan, frame(rows))
            assert list(info.value.failures["reason"]) == [reason]

    def test_a_level_condition_refuses_a_growth_rate(self) -> None:
        a = pt.assess(target(GDP, pt.AtLeast(value=100)), obs("2022", 5, "%", measure="growth"))
        assert a.status is S.NOT_COMPARABLE

    @pytest.mark.parametrize(("growth", "status"), [(-2.0, S.NOT_MET), (3.0, S.MET)])
    def test_a_negative_growth_of_a_rate_is_judged_not_refused(
        self, growth: float, status: pt.Status
    ) -> None:
        """A rate that fell 2 % on last year is a growth of -2 %, not a level below 0."""
        t = target(RATE, pt.RelativeChange(percent=1))
        assert pt.assess(t, obs("2022", growth, "%", measure="growth")).status is status
        plan = plan_of(t)
        frame = pd.DataFrame(
            {
                "target_id": ["t"],
                "period": ["2022"],
                "value": [growth],
                "unit": ["%"],
                "measure": ["growth"],
            }
        )
        assert pt.evaluate(plan, frame).iloc[0]["status"] == status.value
        pt.validate_observations(plan, frame)  # raises on any row it refuses

    def test_evaluate_reads_a_measure_column(self) -> None:
        t = target(GDP, pt.RelativeChange(percent=5))
        plan = plan_of(t)
        frame = pd.DataFrame(
            {
                "target_id": ["t"],
                "period": ["2022"],
                "value": [5.5],
                "unit": ["%"],
                "measure": ["growth"],
            }
        )
        row = pt.evaluate(plan, frame).iloc[0]
        wanted = pt.assess(t, obs("2022", 5.5, "%", measure="growth"))
        assert (row["status"], row["observed"], row["reason"]) == (
            "met",
            wanted.observed,
            wanted.reason,
        )
        frame["measure"] = ["rate"]
        with pytest.raises(pt.ObservationError):
            pt.evaluate(plan, frame)


class TestEveryYear:
    """逐年提高 over several years: each year against the one before; one miss is final."""

    condition = pt.EveryYear(condition=pt.Improve())

    def test_rising_every_year_is_met(self) -> None:
        t = target(
            FIRMS.__class__(
                id="s", name=pt.Label(zh="专利"), kind="count", unit="件", basis="stock"
            ),
            self.condition,
            period="2021-2023",
        )
        rows = [obs(str(y), v, "件") for y, v in ((2020, 1), (2021, 2), (2022, 3), (2023, 4))]
        a = pt.assess(t, rows)
        assert (a.status, a.progress) == (S.MET, pt.Progress.ACHIEVED)

    def test_one_flat_year_is_final(self) -> None:
        t = target(
            FIRMS.__class__(
                id="s", name=pt.Label(zh="专利"), kind="count", unit="件", basis="stock"
            ),
            self.condition,
            period="2021-2025",
        )
        rows = [obs(str(y), v, "件") for y, v in ((2020, 1), (2021, 2), (2022, 2))]
        a = pt.assess(t, rows)
        assert a.status is S.NOT_MET
        assert "the figure for 2022" in a.reason
        assert "can no longer be met" in a.reason


class TestDaskBasePeriod:
    """Dask sees a base period's rows as pandas does: one row per group, never a second."""

    def test_rows_only_in_the_base_year(self) -> None:
        dd = pytest.importorskip("dask.dataframe")
        low = pt.Indicator(
            id="e",
            name=pt.Label(zh="能耗"),
            kind="amount",
            unit="吨",
            direction="lower",
            basis="stock",
        )
        t = target(low, pt.RelativeChange(percent=-10, base="2020"))
        plan = plan_of(t)
        frame = pd.DataFrame(
            {
                "target_id": ["t"],
                "period": ["2020"],
                "value": [1.0],
                "unit": ["吨"],
                "region": ["north"],
            }
        )
        expected = pt.evaluate(plan, frame)[["target_id", "region", "status"]]
        got = pt.evaluate(plan, dd.from_pandas(frame, npartitions=1)).compute()
        assert got[["target_id", "region", "status"]].astype(str).values.tolist() == (
            expected.astype(str).values.tolist()
        )


class TestObservationOverSeveralYears:
    """A level target over 2021–2025 observed only over several years has no year's figure."""

    @pytest.mark.parametrize("observed", ["2021-2025", "2021-2022"])
    def test_not_comparable_in_assess_and_evaluate(self, observed: str) -> None:
        rate = pt.Indicator(id="r", name=pt.Label(zh="率"), kind="rate", unit="%")
        t = target(rate, pt.AtLeast(value=90), period="2021-2025")
        observations = [pt.Observation(period=observed, value=95.0, unit="%")]
        a = pt.assess(t, observations)  # an IndexError before
        assert a.status is S.NOT_COMPARABLE
        assert f"for {observed}, spans more than one year" in a.reason
        frame = pd.DataFrame(
            {"target_id": ["t"], "period": [observed], "value": [95.0], "unit": ["%"]}
        )
        row = pt.evaluate(plan_of(t), frame).iloc[0]
        assert row["status"] == "not_comparable"
        assert row["reason"] == a.reason

    def test_a_year_inside_the_latest_span_is_judged(self) -> None:
        rate = pt.Indicator(id="r", name=pt.Label(zh="率"), kind="rate", unit="%")
        t = target(rate, pt.AtLeast(value=90), period="2021-2025")
        observations = [
            pt.Observation(period="2022", value=95.0, unit="%"),
            pt.Observation(period="2021-2022", value=80.0, unit="%"),
        ]
        a = pt.assess(t, observations)
        assert a.status is S.ON_TRACK
        assert a.observed == 95.0
