"""assess(): statuses, margins, coverage, aggregation and baselines."""

from __future__ import annotations

import math
from typing import Any

import pint
import pytest

import policytargets as pt

S = pt.Status


def obs(period: str, value: float | None, unit: str, **fields: Any) -> pt.Observation:
    return pt.Observation(period=period, value=value, unit=unit, **fields)


RATE = pt.Indicator(id="pass_rate", name=pt.Label(zh="合格率"), kind="rate", unit="%")
NEW_FIRMS = pt.Indicator(
    id="new_firms", name=pt.Label(zh="新增企业"), kind="count", unit="家", basis="flow"
)
FIRMS = pt.Indicator(
    id="firms", name=pt.Label(zh="企业总数"), kind="count", unit="家", basis="stock"
)
CHECKS = pt.Indicator(id="checks", name=pt.Label(zh="抽检"), kind="per_capita", unit="批次/千人")
INCIDENTS = pt.Indicator(
    id="incidents",
    name=pt.Label(zh="事故"),
    kind="count",
    unit="起",
    basis="flow",
    direction="lower",
)


def target(
    indicator: pt.Indicator = RATE,
    condition: pt.Condition | None = None,
    period: str = "2022",
    **fields: Any,
) -> pt.Target:
    return pt.Target(
        id="t",
        indicator=indicator,
        condition=condition if condition is not None else pt.AtLeast(value=96.8),
        period=period,
        **fields,
    )


class TestStatuses:
    """assess() answers with the status that says what happened."""

    def test_met(self) -> None:
        a = pt.assess(target(), "96.9%")
        assert (a.status, a.ok) == (S.MET, True)
        assert a.coverage == 1.0

    def test_not_met(self) -> None:
        a = pt.assess(target(), "96.7%")
        assert (a.status, a.ok) == (S.NOT_MET, False)

    @pytest.mark.parametrize(
        "observations",
        [None, [], [obs("2022", None, "%")], [obs("2022", math.nan, "%")]],
        ids=["none", "empty", "None value", "NaN value"],
    )
    def test_no_data(self, observations: Any) -> None:
        a = pt.assess(target(), observations)
        assert a.status is S.NO_DATA
        assert a.observed is None
        assert a.margin is None
        assert "2022" in a.reason

    def test_all_missing_is_no_data(self) -> None:
        a = pt.assess(target(), [obs("2022-H1", None, "%"), obs("2022-H2", math.nan, "")])
        assert a.status is S.NO_DATA
        assert "missing" in a.reason

    def test_observations_of_other_periods_only_is_no_data(self) -> None:
        assert pt.assess(target(), [obs("2019", 99, "%")]).status is S.NO_DATA

    @pytest.mark.parametrize(
        ("indicator", "observed"),
        [(CHECKS, "96.9%"), (RATE, "7批次/千人"), (RATE, "35个"), (FIRMS, "35%"), (RATE, "80分")],
    )
    def test_not_comparable_on_a_dimension_mismatch(
        self, indicator: pt.Indicator, observed: str
    ) -> None:
        t = target(indicator, pt.AtLeast(value=5))
        a = pt.assess(t, observed)
        assert a.status is S.NOT_COMPARABLE
        assert t.unit in a.reason

    def test_missing_values_do_not_hide_a_mismatch(self) -> None:
        a = pt.assess(target(), [obs("2022-H1", None, "%"), obs("2022", 35, "个")])
        assert a.status is S.NOT_COMPARABLE

    def test_needs_baseline(self) -> None:
        a = pt.assess(target(condition=pt.RelativeChange(percent=5)), "96.9%")
        assert a.status is S.NEEDS_BASELINE
        assert a.observed == pytest.approx(96.9)
        assert "2021" in a.reason

    def test_needs_baseline_when_the_previous_period_is_missing(self) -> None:
        t = target(condition=pt.Improve())
        a = pt.assess(t, [obs("2022", 97, "%"), obs("2021", math.nan, "%")])
        assert a.status is S.NEEDS_BASELINE
        assert "missing" in a.reason

    def test_needs_baseline_when_the_previous_period_is_not_comparable(self) -> None:
        t = target(condition=pt.Improve())
        a = pt.assess(t, [obs("2022", 97, "%"), obs("2021", 3, "个")])
        assert a.status is S.NEEDS_BASELINE
        assert "cannot be compared" in a.reason

    def test_aspirational_is_carried_over(self) -> None:
        assert pt.assess(target(aspirational=True), "99%").aspirational is True


class TestMilestones:
    """A milestone is done or pending."""

    milestone = pt.Milestone(id="award", name=pt.Label(zh="设立市长质量奖"), period="2022")

    @pytest.mark.parametrize(
        ("report", "status"), [(True, S.DONE), (False, S.PENDING), (None, S.PENDING)]
    )
    def test_status(self, report: bool | None, status: pt.Status) -> None:
        a = pt.assess(self.milestone, report)
        assert (a.status, a.target_id, a.ok) == (status, "award", status is S.DONE)

    @pytest.mark.parametrize("report", [1, "yes", "96%"])
    def test_anything_but_a_bool_or_none_is_refused(self, report: Any) -> None:
        with pytest.raises(pt.InvalidValueError, match="award"):
            pt.assess(self.milestone, report)


class TestPartialPeriods:
    """Part of the period observed: flows are projected linearly, stocks judged on the latest."""

    def test_a_flow_is_projected_to_the_period_end(self) -> None:
        t = target(NEW_FIRMS, pt.AtLeast(value=100))
        a = pt.assess(t, [obs("2022-H1", 50, "家")])
        assert a.status is S.ON_TRACK
        assert a.coverage == pytest.approx(181 / 365)
        assert a.observed == 50.0
        assert a.projected == pytest.approx(50 * 365 / 181)
        assert a.margin == pytest.approx(50 * 365 / 181 - 100)
        assert "projected" in a.reason

    def test_a_flow_behind_its_pace_is_off_track(self) -> None:
        t = target(NEW_FIRMS, pt.AtLeast(value=100))
        assert pt.assess(t, [obs("2022-Q1", 24, "家")]).status is S.OFF_TRACK

    def test_flow_sub_periods_add_up(self) -> None:
        t = target(NEW_FIRMS, pt.AtLeast(value=100))
        quarters = [obs(f"2022-Q{q}", 25, "家") for q in range(1, 5)]
        a = pt.assess(t, quarters)
        assert (a.status, a.observed, a.projected) == (S.MET, 100.0, None)

    def test_flow_sub_periods_in_mixed_units_add_up(self) -> None:
        t = target(NEW_FIRMS, pt.AtLeast(value=20000))
        a = pt.assess(t, [obs("2022-H1", 1, "万家"), obs("2022-H2", 10000, "家")])
        assert (a.status, a.observed) == (S.MET, pytest.approx(20000))

    def test_overlapping_flow_sub_periods_are_refused(self) -> None:
        t = target(NEW_FIRMS, pt.AtLeast(value=100))
        with pytest.raises(pt.InvalidValueError, match="do not overlap"):
            pt.assess(t, [obs("2022-H1", 50, "家"), obs("2022-Q2", 20, "家")])

    def test_a_stock_is_judged_on_its_latest_value(self) -> None:
        t = target(FIRMS, pt.AtLeast(value=100))
        a = pt.assess(t, [obs("2022-Q2", 101, "家"), obs("2022-Q1", 90, "家")])
        assert (a.status, a.observed, a.projected) == (S.ON_TRACK, 101.0, None)
        later = pt.assess(t, [obs("2022-Q1", 101, "家"), obs("2022-06", 90, "家")])
        assert (later.status, later.observed) == (S.OFF_TRACK, 90.0)

    def test_a_stock_seen_at_the_period_end_is_judged(self) -> None:
        t = target(FIRMS, pt.AtLeast(value=100))
        a = pt.assess(t, [obs("2022-Q1", 90, "家"), obs("2022-Q4", 100, "家")])
        assert (a.status, a.coverage) == (S.MET, 1.0)

    @pytest.mark.parametrize("indicator", [FIRMS, RATE], ids=["stock", "rate"])
    def test_of_two_latest_figures_the_whole_period_counts(self, indicator: pt.Indicator) -> None:
        t = target(indicator, pt.AtLeast(value=95))  # a rate's level stays within 100 %
        unit = indicator.unit
        for order in ((("2022", 96), ("2022-H2", 90)), (("2022-H2", 90), ("2022", 96))):
            a = pt.assess(t, [obs(p, v, unit) for p, v in order])
            assert (a.status, a.observed, a.coverage) == (S.MET, 96.0, 1.0)

    def test_a_rate_is_judged_like_a_stock(self) -> None:
        a = pt.assess(target(), [obs("2022-H1", 97, "%")])
        assert (a.status, a.projected) == (S.ON_TRACK, None)


class TestMaintained:
    """A maintained (保持) condition holds in every year's figure, not in every sub-period one."""

    condition = pt.Maintained(condition=pt.AtLeast(value=90))

    def test_judged_on_the_year_not_on_each_quarter(self) -> None:
        """Quarterly levels: the year's figure is the latest, so a dip in Q2 is no failure."""
        quarters = [obs(f"2022-Q{q}", v, "%") for q, v in ((1, 95), (2, 89), (3, 99), (4, 97))]
        a = pt.assess(target(condition=self.condition), quarters)
        assert (a.status, a.observed, a.coverage) == (S.MET, 97.0, 1.0)
        assert a.reason.startswith("the period's figure meets")

    def test_pooled_quarters_meet_what_one_quarter_misses(self) -> None:
        """Quarterly pass rates pooling to 98.3 % meet 保持98%以上 though one quarter was 97.6 %."""
        parts = [(976, 1000), (985, 1000), (986, 1000), (985, 1000)]
        quarters = [
            obs(f"2022-Q{q}", 100 * n / d, "%", numerator=n, denominator=d)
            for q, (n, d) in enumerate(parts, start=1)
        ]
        a = pt.assess(target(condition=pt.Maintained(condition=pt.AtLeast(value=98))), quarters)
        assert a.status is S.MET
        assert a.observed == pytest.approx(98.3)

    def test_a_per_capita_flow_is_summed_over_the_year(self) -> None:
        """Four quarters of 2.0 批次/千人 are 8 a year, which meets 保持7批次/千人以上."""
        sampling = pt.Indicator(
            id="sampling",
            name=pt.Label(zh="抽检"),
            kind="per_capita",
            unit="批次/千人",
            basis="flow",
        )
        t = pt.Target(
            id="t",
            indicator=sampling,
            condition=pt.Maintained(condition=pt.AtLeast(value=7)),
            period="2022",
        )
        a = pt.assess(t, [obs(f"2022-Q{q}", 2.0, "批次/千人") for q in range(1, 5)])
        assert (a.status, a.observed) == (S.MET, 8.0)

    def test_a_failed_year_is_final(self) -> None:
        """Over 2021–2023, a year below the bound is not_met however the later years go."""
        t = pt.Target(
            id="t", indicator=RATE, condition=self.condition, period="2021-01-01/2023-12-31"
        )
        a = pt.assess(t, [obs("2021", 89, "%"), obs("2022", 95, "%")])
        assert (a.status, a.observed, a.ok) == (S.NOT_MET, 89.0, False)
        assert "can no longer be met" in a.reason
        assert a.progress is pt.Progress.BEHIND

    def test_a_part_year_below_is_only_off_track(self) -> None:
        a = pt.assess(target(condition=self.condition), [obs("2022-Q1", 89, "%")])
        assert (a.status, a.observed) == (S.OFF_TRACK, 89.0)
        assert a.coverage == pytest.approx(90 / 365)
        assert "can no longer" not in a.reason
        assert "25% of 2022 observed" in a.reason

    def test_holding_so_far_is_on_track(self) -> None:
        a = pt.assess(
            target(condition=self.condition), [obs("2022-Q1", 91, "%"), obs("2022-Q2", 95, "%")]
        )
        assert (a.status, a.observed) == (S.ON_TRACK, 95.0)
        assert "can no longer" not in a.reason


class TestRates:
    """Rates pool numerators and denominators when both are known for disjoint sub-periods."""

    def test_pooled_rate(self) -> None:
        t = target(condition=pt.AtLeast(value=59))
        a = pt.assess(
            t,
            [
                obs("2022-H1", 50, "%", numerator=50, denominator=100),
                obs("2022-H2", 60, "%", numerator=600, denominator=1000),
            ],
        )
        assert a.observed == pytest.approx(650 / 1100 * 100)
        assert a.status is S.MET

    def test_pooled_rate_in_permille(self) -> None:
        t = target(pt.Indicator(id="r", name=pt.Label(en="r"), kind="rate", unit="‰"))
        t = pt.Target(id="t", indicator=t.indicator, condition=pt.AtLeast(value=500), period="2022")
        a = pt.assess(
            t,
            [
                obs("2022-H1", 400, "‰", numerator=4, denominator=10),
                obs("2022-H2", 700, "‰", numerator=7, denominator=10),
            ],
        )
        assert a.observed == pytest.approx(550.0)

    def test_without_denominators_the_latest_figure_counts(self) -> None:
        a = pt.assess(target(), [obs("2022-H1", 99, "%"), obs("2022-H2", 90, "%")])
        assert a.observed == 90.0


class TestMargins:
    """The margin is the judged value minus the threshold, in the target's unit."""

    def test_percentage_points_for_a_rate_in_percent(self) -> None:
        a = pt.assess(target(), "0.97")
        assert a.margin == pytest.approx(0.2)
        assert (a.margin_unit, a.unit, a.threshold) == ("百分点", "%", 96.8)

    def test_the_target_unit_otherwise(self) -> None:
        t = target(CHECKS, pt.AtLeast(value=7))
        a = pt.assess(t, "75批次/万人")
        assert (a.margin, a.margin_unit) == (pytest.approx(0.5), "批次/千人")

    def test_a_target_unit_other_than_the_indicator_unit(self) -> None:
        t = target(FIRMS, pt.AtLeast(value=1.5), unit="万家")
        a = pt.assess(t, [obs("2022", 16000, "家")])
        assert (a.observed, a.margin, a.margin_unit) == (
            pytest.approx(1.6),
            pytest.approx(0.1),
            "万家",
        )

    def test_a_margin_within_the_tolerance_is_zero(self) -> None:
        assert pt.assess(target(condition=pt.AtLeast(value=57)), "0.57").margin == 0.0

    def test_negative_when_short_of_an_at_least(self) -> None:
        assert pt.assess(target(), "96.3%").margin == pytest.approx(-0.5)

    def test_two_sided_bounds_measure_from_the_nearer_end(self) -> None:
        t = target(condition=pt.Between(low=10, high=20))
        assert pt.assess(t, "12%").threshold == 10.0
        assert pt.assess(t, "19%").threshold == 20.0

    @pytest.mark.parametrize(("unit", "expected"), [("%", "百分点"), ("％", "百分点"), ("‰", "‰")])
    def test_margin_unit(self, unit: str, expected: str) -> None:
        assert pt.margin_unit(unit) == expected


class TestBaselines:
    """A baseline comes from assess(baseline=), else target.baseline, else the previous period."""

    condition = pt.RelativeChange(percent=5)

    def test_from_the_previous_period_in_another_unit(self) -> None:
        a = pt.assess(
            target(condition=self.condition), [obs("2021", 0.8, ""), obs("2022", 84, "%")]
        )
        assert (a.status, a.baseline) == (S.MET, pytest.approx(80.0))
        assert a.threshold == pytest.approx(84.0)

    def test_of_two_previous_figures_ending_together_the_whole_period_counts(self) -> None:
        previous = [obs("2021-H2", 70, "%"), obs("2021", 80, "%"), obs("2021-Q4", 60, "%")]
        a = pt.assess(target(condition=self.condition), [*previous, obs("2022", 84, "%")])
        assert (a.status, a.baseline) == (S.MET, 80.0)

    def test_from_a_summed_previous_flow(self) -> None:
        t = target(NEW_FIRMS, self.condition)
        previous = [obs("2021-H1", 40, "家"), obs("2021-H2", 60, "家")]
        a = pt.assess(t, [*previous, obs("2022", 104, "家")])
        assert (a.status, a.baseline) == (S.NOT_MET, 100.0)

    @pytest.mark.parametrize(
        ("previous", "share"),
        [
            (["2021-H1"], "50%"),
            (["2021-Q1", "2021-Q2", "2021-Q4"], "75%"),
            (["2021-01"], "8%"),
            (["2021-01-01/2021-12-30"], "99%"),
        ],
    )
    def test_a_flow_observed_over_part_of_the_previous_period_needs_a_baseline(
        self, previous: list[str], share: str
    ) -> None:
        t = target(NEW_FIRMS, self.condition)
        observed = [obs(p, 40, "家") for p in previous]
        a = pt.assess(t, [*observed, obs("2022", 104, "家")])
        assert (a.status, a.baseline, a.score) == (S.NEEDS_BASELINE, None, None)
        assert a.reason.endswith(f"observations cover {share} of 2021")

    def test_a_partly_observed_flow_gives_no_baseline_and_no_score(self) -> None:
        t = target(NEW_FIRMS, pt.AtLeast(value=100))
        a = pt.assess(t, [obs("2021-H1", 40, "家"), obs("2022", 104, "家")])
        assert (a.status, a.baseline, a.score) == (S.MET, None, None)
        whole = pt.assess(t, [obs("2021-H1", 40, "家"), obs("2021-H2", 40, "家"), "104家"])
        assert whole.baseline == 80.0
        assert whole.score is not None

    def test_a_given_baseline_wins_over_a_partly_observed_flow(self) -> None:
        t = target(NEW_FIRMS, self.condition)
        observed = [obs("2021-H1", 40, "家"), obs("2022", 104, "家")]
        assert pt.assess(t, observed, baseline=100.0).status is S.NOT_MET
        planned = target(NEW_FIRMS, self.condition, baseline=pt.Baseline(value=90, period="2021"))
        a = pt.assess(planned, observed)
        assert (a.status, a.baseline) == (S.MET, 90.0)

    def test_a_stock_observed_over_part_of_the_previous_period_gives_its_latest_level(
        self,
    ) -> None:
        t = target(FIRMS, self.condition)
        a = pt.assess(t, [obs("2021-H1", 100, "家"), obs("2022", 104, "家")])
        assert (a.status, a.baseline) == (S.NOT_MET, 100.0)

    def test_from_the_target(self) -> None:
        t = target(condition=self.condition, baseline=pt.Baseline(value=80, period="2020"))
        a = pt.assess(t, [obs("2021", 99, "%"), obs("2022", 84, "%")])
        assert (a.status, a.baseline) == (S.MET, 80.0)

    def test_from_the_call_over_all_others(self) -> None:
        t = target(condition=self.condition, baseline=pt.Baseline(value=80, period="2020"))
        a = pt.assess(t, [obs("2021", 70, "%"), obs("2022", 84, "%")], baseline=90.0)
        assert (a.status, a.baseline) == (S.NOT_MET, 90.0)

    def test_from_the_call_as_an_observation_in_another_unit(self) -> None:
        t = target(condition=self.condition)
        a = pt.assess(t, "84%", baseline=obs("2021", 800, "‰"))
        assert (a.status, a.baseline) == (S.MET, pytest.approx(80.0))

    def test_a_missing_baseline_observation_needs_a_baseline(self) -> None:
        t = target(condition=self.condition)
        assert pt.assess(t, "84%", baseline=obs("2021", None, "%")).status is S.NEEDS_BASELINE

    @pytest.mark.parametrize("bad", [math.nan, math.inf, "80", True])
    def test_a_baseline_that_is_no_number_is_refused(self, bad: Any) -> None:
        with pytest.raises(pt.InvalidValueError, match="baseline"):
            pt.assess(target(condition=self.condition), "84%", baseline=bad)

    def test_a_baseline_feeds_the_score_of_any_condition(self) -> None:
        a = pt.assess(target(), "96%", baseline=95.0)
        assert a.score is not None
        assert a.score.value == pytest.approx(1 / 1.8)


class TestInputs:
    """assess() accepts observations in several forms and refuses wrong ones by name."""

    def test_text_and_quantities_cover_the_whole_period(self) -> None:
        q = pt.parse_quantity("96.9%")
        for given in ("96.9%", q, ["96.9%"], [q], pint.UnitRegistry().Quantity(96.9, "percent")):
            assert pt.assess(target(), given).status is S.MET

    def test_an_observation_of_another_indicator_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match=r"observations\[0\]\.indicator"):
            pt.assess(target(), [obs("2022", 97, "%", indicator="other")])

    def test_an_observation_naming_the_indicator_or_target_is_accepted(self) -> None:
        ok = [obs("2022", 97, "%", indicator="pass_rate")]
        assert pt.assess(target(), ok).status is S.MET
        assert pt.assess(target(), [obs("2022", 97, "%", indicator="t")]).status is S.MET

    def test_an_observation_straddling_the_period_edge_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="period"):
            pt.assess(target(), [obs("2022-12-01/2023-01-31", 97, "%")])

    def test_contradicting_observations_of_one_period_are_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="one value per period"):
            pt.assess(target(), [obs("2022", 97, "%"), obs("2022", 90, "%")])

    def test_the_same_value_twice_in_two_units_is_one_observation(self) -> None:
        a = pt.assess(target(NEW_FIRMS, pt.AtLeast(value=10)), ["10家", "10 enterprise"])
        assert a.observed == 10.0

    def test_observations_of_two_regions_are_refused(self) -> None:
        two = [obs("2022", 97, "%", region="A"), obs("2022", 98, "%", region="B")]
        with pytest.raises(pt.InvalidValueError, match="region"):
            pt.assess(target(), two)

    def test_the_region_is_reported(self) -> None:
        assert pt.assess(target(), [obs("2022", 97, "%", region="城厢镇")]).region == "城厢镇"

    @pytest.mark.parametrize("bad", [96.9, True, [96.9], [None]])
    def test_numbers_without_units_are_refused(self, bad: Any) -> None:
        with pytest.raises(pt.InvalidValueError, match="observations"):
            pt.assess(target(), bad)

    def test_unreadable_text_is_a_unit_parse_error(self) -> None:
        with pytest.raises(pt.UnitParseError, match="abc"):
            pt.assess(target(), "abc")

    def test_an_item_that_is_no_target_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="assess"):
            pt.assess("t", "96%")  # type: ignore[arg-type]

    def test_a_tighter_rtol_can_be_chosen(self) -> None:
        t = target(condition=pt.AtLeast(value=57))
        assert pt.assess(t, "56.9%", rtol=0.01).status is S.MET
        assert pt.assess(t, "56.9%").status is S.NOT_MET


class TestObservation:
    """Observation validates its fields and reads quantities of any registry."""

    @pytest.mark.parametrize(
        ("text", "value", "unit"),
        [("96.9%", 96.9, "%"), ("10.9万平方米", 10.9, "万平方米"), ("0.57", 0.57, "")],
    )
    def test_from_quantity(self, text: str, value: float, unit: str) -> None:
        o = pt.Observation.from_quantity(text, period="2022", region="A")
        assert (o.value, o.region) == (value, "A")
        assert pt.conversion_factor(o.unit, unit) == pytest.approx(1.0)

    def test_ints_become_floats(self) -> None:
        assert isinstance(obs("2022", 3, "个").value, float)

    @pytest.mark.parametrize(
        ("fields", "where"),
        [
            ({"value": "5"}, "Observation.value"),
            ({"value": True}, "Observation.value"),
            ({"unit": "foo"}, "Observation.unit"),
            ({"unit": None}, "Observation.unit"),
            ({"period": "2022-Q5"}, "Period"),
            ({"numerator": "3"}, "Observation.numerator"),
            ({"region": 5}, "Observation.region"),
        ],
    )
    def test_bad_fields_are_refused_by_name(self, fields: dict[str, Any], where: str) -> None:
        given: dict[str, Any] = {"period": "2022", "value": 1.0, "unit": "%", **fields}
        with pytest.raises(pt.InvalidValueError) as info:
            pt.Observation(**given)
        assert info.value.where == where

    @pytest.mark.parametrize("field", ["value", "numerator", "denominator"])
    @pytest.mark.parametrize("infinity", [math.inf, -math.inf])
    def test_an_infinite_number_is_refused_by_name(self, field: str, infinity: float) -> None:
        given: dict[str, Any] = {"period": "2022", "value": 1.0, "unit": "%", field: infinity}
        with pytest.raises(pt.InvalidValueError) as info:
            pt.Observation(**given)
        assert info.value.where == f"Observation.{field}"

    def test_an_infinite_quantity_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match=r"Observation\.value"):
            pt.assess(target(), pint.UnitRegistry().Quantity(math.inf, "percent"))

    def test_missing(self) -> None:
        assert obs("2022", None, "%").missing
        assert obs("2022", math.nan, "%").missing
        assert not obs("2022", 0.0, "%").missing


class TestAssessmentDisplay:
    """An assessment shows itself in one line."""

    def test_repr_names_the_target_status_and_margin(self) -> None:
        text = repr(pt.assess(target(), "96.9%"))
        assert "'t'" in text
        assert "met" in text
        assert "百分点" in text


class TestCheckedObservation:
    """evaluate's kernel builds observations without validators: the very same objects."""

    @pytest.mark.parametrize(
        ("value", "unit", "numerator", "denominator", "measure"),
        [
            (96.5, "%", None, None, pt.Measure.LEVEL),
            (float("nan"), "", 3.0, 4.0, pt.Measure.LEVEL),
            (-2.5, "‰", None, None, pt.Measure.GROWTH),
        ],
    )
    def test_equal_to_the_checked_constructor(
        self,
        value: float,
        unit: str,
        numerator: float | None,
        denominator: float | None,
        measure: pt.Measure,
    ) -> None:
        import attrs

        from policytargets._assessment import checked_observation

        period = pt.Period.parse("2022-H1")
        fast = checked_observation(period, value, unit, numerator, denominator, measure)
        slow = pt.Observation(
            period=period,
            value=value,
            unit=unit,
            numerator=numerator,
            denominator=denominator,
            measure=measure,
        )
        # Every field set (a new field of Observation must be set there too), and equal.
        for field in attrs.fields(pt.Observation):
            got, want = getattr(fast, field.name), getattr(slow, field.name)
            assert got == want or (got != got and want != want), field.name
