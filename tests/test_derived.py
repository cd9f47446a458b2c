import math

import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policytargets as pt
from policytargets.testing import (
    UNIT_GROUPS,
    conditions,
    indicators,
    observation_values,
    targets,
)

FOOD = pt.Indicator(
    id="food-sampling",
    name=pt.Label(zh="食品安全抽检量"),
    kind="per_capita",
    unit="批次/千人",
)
AREA = pt.Indicator(
    id="green-space", name=pt.Label(zh="新增绿地"), kind="amount", unit="万平方米", basis="flow"
)
ACCIDENTS = pt.Indicator(
    id="accidents",
    name=pt.Label(zh="万台特种设备事故起数"),
    kind="per_capita",
    unit="起/万台",
    direction="lower",
)


def _target(indicator: pt.Indicator, condition: pt.Condition, **fields: object) -> pt.Target:
    return pt.Target(id="t", indicator=indicator, condition=condition, period="2022", **fields)


def _sampling(condition: pt.Condition | None = None) -> pt.Target:
    return _target(FOOD, condition or pt.Maintained(condition=pt.AtLeast(value=7)))


def _per_capita_targets() -> st.SearchStrategy[pt.Target]:
    return indicators(kind=pt.IndicatorKind.PER_CAPITA).flatmap(
        lambda ind: targets(indicator=ind, condition=conditions(baseline=False))
    )


def _targets_with_numbers() -> st.SearchStrategy[pt.Target]:
    return indicators().flatmap(
        lambda ind: targets(indicator=ind, condition=conditions(baseline=False))
    )


class TestRequiredAmount:
    """Per-capita targets turned into absolute amounts for a population."""

    @pytest.mark.parametrize("population", ["839000人", "83.9万人", "839千人", 839000, 839000.0])
    def test_seven_batches_per_thousand_for_839000_residents_is_5873_batches(
        self, population: object
    ) -> None:
        amount = pt.required_amount(_sampling(), population)
        assert amount.magnitude == pytest.approx(5873)
        assert amount.units == pt.parse_unit("批次")

    def test_a_population_from_a_users_own_pint_registry_is_accepted(self) -> None:
        registry = pint.UnitRegistry()
        registry.define("person = [population]")
        amount = pt.required_amount(_sampling(), 839000 * registry.person)
        assert amount.magnitude == pytest.approx(5873)

    def test_a_plain_number_counts_the_denominators_base_unit(self) -> None:
        target = _target(ACCIDENTS, pt.AtMost(value=0.5))
        assert pt.required_amount(target, 40000).magnitude == pytest.approx(2.0)

    def test_a_range_asks_for_its_end_in_the_good_direction(self) -> None:
        target = _sampling(pt.Between(low=7, high=9))
        assert pt.required_amount(target, "1000人").magnitude == pytest.approx(7)

    def test_a_target_that_is_not_per_capita_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="per-capita"):
            pt.required_amount(_target(AREA, pt.Point(value=10.9)), "839000人")

    def test_a_direction_only_condition_has_no_amount(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="number"):
            pt.required_amount(_target(ACCIDENTS, pt.Improve()), 40000)

    def test_a_relative_change_without_baseline_has_no_amount(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="baseline"):
            pt.required_amount(_sampling(pt.RelativeChange(percent=5)), 1000)

    def test_a_relative_change_with_a_baseline_asks_for_the_changed_level(self) -> None:
        target = _target(
            FOOD, pt.RelativeChange(percent=5), baseline=pt.Baseline(value=10, period="2021")
        )
        assert pt.required_amount(target, "1000人").magnitude == pytest.approx(10.5)

    def test_a_population_of_another_dimension_is_a_dimension_mismatch(self) -> None:
        with pytest.raises(pt.DimensionMismatchError, match="population"):
            pt.required_amount(_sampling(), "5 hectare")

    @pytest.mark.parametrize("population", [-1, math.nan, math.inf, True, None, [839000]])
    def test_a_population_that_is_not_a_finite_amount_is_refused(self, population: object) -> None:
        with pytest.raises(pt.InvalidValueError, match="population"):
            pt.required_amount(_sampling(), population)

    def test_unreadable_population_text_is_refused_by_name(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="population"):
            pt.required_amount(_sampling(), "many people")

    def test_something_other_than_a_target_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="Target"):
            pt.required_amount("7批次/千人", 1000)  # type: ignore[arg-type]

    @settings(max_examples=60, deadline=None)
    @given(target=_per_capita_targets(), population=observation_values(0, 1e8))
    def test_the_amount_is_the_threshold_times_the_population_in_denominator_units(
        self, target: pt.Target, population: float
    ) -> None:
        threshold = target.condition.goal_value(target.indicator.direction)
        assert threshold is not None
        numerator, denominator = target.unit.split("/", 1)
        expected = threshold * population / pt.conversion_factor(denominator, "人")
        amount = pt.required_amount(target, population)
        assert amount.units == pt.parse_unit(numerator)
        assert amount.magnitude == pytest.approx(expected, rel=1e-9, abs=1e-9)


class TestThresholdIn:
    """A target's threshold re-expressed in another unit."""

    @pytest.mark.parametrize(
        ("unit", "expected"),
        [("平方米", 109_000), ("m**2", 109_000), ("亩", 163.5), ("公顷", 10.9), ("hectare", 10.9)],
    )
    def test_109000_square_metres_of_green_space_in_other_units(
        self, unit: str, expected: float
    ) -> None:
        quantity = pt.threshold_in(_target(AREA, pt.Point(value=10.9)), unit)
        assert quantity.magnitude == pytest.approx(expected)
        assert quantity.units == pt.parse_unit(unit)

    def test_a_relative_change_uses_the_targets_baseline(self) -> None:
        certificates = pt.Indicator(
            id="c", name=pt.Label(zh="认证证书总数"), kind="count", unit="张", basis="stock"
        )
        target = _target(
            certificates,
            pt.RelativeChange(percent=5),
            baseline=pt.Baseline(value=2000, period="2021"),
        )
        assert pt.threshold_in(target, "张").magnitude == pytest.approx(2100)

    def test_a_direction_only_condition_has_no_threshold(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="direction only"):
            pt.threshold_in(_target(ACCIDENTS, pt.Improve()), "起/万台")

    def test_a_unit_of_another_dimension_is_a_dimension_mismatch(self) -> None:
        with pytest.raises(pt.DimensionMismatchError, match="万平方米"):
            pt.threshold_in(_target(AREA, pt.Point(value=10.9)), "%")

    def test_an_unknown_unit_is_a_unit_parse_error(self) -> None:
        with pytest.raises(pt.UnitParseError):
            pt.threshold_in(_target(AREA, pt.Point(value=10.9)), "无此单位")

    def test_a_unit_that_is_not_text_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="unit"):
            pt.threshold_in(_target(AREA, pt.Point(value=10.9)), 15)  # type: ignore[arg-type]

    @settings(max_examples=80, deadline=None)
    @given(data=st.data(), target=_targets_with_numbers())
    def test_converting_the_threshold_there_and_back_gives_the_threshold(
        self, data: st.DataObject, target: pt.Target
    ) -> None:
        unit = data.draw(st.sampled_from(UNIT_GROUPS[target.indicator.kind]))
        threshold = target.condition.goal_value(target.indicator.direction)
        assert threshold is not None
        there = pt.threshold_in(target, unit)
        back = there.magnitude * pt.conversion_factor(unit, target.unit)
        assert back == pytest.approx(threshold, rel=1e-9, abs=1e-9)
        assert pt.threshold_in(target, target.unit).magnitude == pytest.approx(threshold)
