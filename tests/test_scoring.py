"""Progress scores: linear, growth ratio, current status index, and custom methods."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

import policytargets as pt

C = pt.ProgressCategory

RATE = pt.Indicator(id="r", name=pt.Label(zh="覆盖率"), kind="rate", unit="%")
ACCIDENTS = pt.Indicator(
    id="acc", name=pt.Label(zh="事故"), kind="count", unit="起", basis="flow", direction="lower"
)


def score(
    current: float,
    *,
    baseline: float = 100.0,
    goal: float = 200.0,
    indicator: pt.Indicator = RATE,
    condition: pt.Condition | None = None,
    period: str = "2022",
    scoring: Any = "linear",
    base_period: str = "2021",
    observed_period: str | None = None,
) -> Any:
    t = pt.Target(
        id="t",
        indicator=indicator,
        condition=condition if condition is not None else pt.AtLeast(value=goal),
        period=period,
        baseline=pt.Baseline(value=baseline, period=base_period),
    )
    a = pt.assess(
        t,
        [pt.Observation(period=observed_period or period, value=current, unit=t.unit)],
        scoring=scoring,
    )
    return a.score


class TestLinear:
    """Linear achievement: (actual − baseline) / (target − baseline)."""

    @pytest.mark.parametrize(("current", "value"), [(100, 0.0), (150, 0.5), (200, 1.0), (250, 1.5)])
    def test_value(self, current: float, value: float) -> None:
        s = score(current)
        assert isinstance(s, pt.LinearAchievement)
        assert (s.method, s.value) == ("linear", pytest.approx(value))
        assert (s.actual, s.baseline, s.target) == (current, 100.0, 200.0)

    def test_a_target_equal_to_the_baseline_has_no_score_but_a_reason(self) -> None:
        s = score(120, goal=100)
        assert s.value is None
        assert "equals the baseline" in s.reason

    def test_lower_is_better_towards_zero(self) -> None:
        s = score(5, baseline=10, indicator=ACCIDENTS, condition=pt.Zero())
        assert s.value == pytest.approx(0.5)

    def test_no_baseline_no_score(self) -> None:
        t = pt.Target(id="t", indicator=RATE, condition=pt.AtLeast(value=90), period="2022")
        assert pt.assess(t, "95%").score is None

    def test_improve_has_no_goal_value_so_no_score(self) -> None:
        assert score(120, condition=pt.Improve()) is None


class TestGrowthRatio:
    """Statistics Canada / Open SDG growth ratio: observed CAGR over required CAGR."""

    @pytest.mark.parametrize(
        ("current", "category"),
        [
            (200, C.TARGET_ACHIEVED),
            (196, C.SUBSTANTIAL),  # ratio 0.96
            (194, C.MODERATE),  # 0.94
            (161, C.MODERATE),  # 0.61
            (159, C.LIMITED),  # 0.59
            (100.5, C.LIMITED),  # 0.005
            (99, C.DETERIORATION),  # -0.01
        ],
    )
    def test_categories_at_95_60_and_0_percent(
        self, current: float, category: pt.ProgressCategory
    ) -> None:
        # One year from 100 to 200: the required CAGR is 1.0, so the ratio is current/100 - 1.
        s = score(current, scoring="growth_ratio")
        assert isinstance(s, pt.GrowthRatio)
        assert s.category is category
        assert s.value == pytest.approx(current / 100 - 1)
        assert (s.required_cagr, s.years_elapsed, s.years_total) == (1.0, 1.0, 1.0)

    def test_compound_growth_over_years(self) -> None:
        s = score(121, goal=144, base_period="2020", scoring="growth_ratio")
        assert s.observed_cagr == pytest.approx(0.1)
        assert s.required_cagr == pytest.approx(0.2)
        assert s.value == pytest.approx(0.5)
        assert s.years_elapsed == 2.0

    def test_a_zero_target_needs_no_substitution(self) -> None:
        s = score(0, baseline=10, indicator=ACCIDENTS, condition=pt.Zero(), scoring="growth_ratio")
        assert (s.required_cagr, s.observed_cagr, s.value) == (-1.0, -1.0, 1.0)
        assert s.category is C.TARGET_ACHIEVED

    def test_a_zero_target_halfway(self) -> None:
        s = score(
            5,
            baseline=20,
            indicator=ACCIDENTS,
            condition=pt.Zero(),
            base_period="2020",
            scoring="growth_ratio",
        )
        assert s.observed_cagr == pytest.approx(-0.5)
        assert s.value == pytest.approx(0.5)
        assert s.category is C.LIMITED

    def test_lower_is_better_getting_worse_is_deterioration(self) -> None:
        s = score(12, baseline=10, indicator=ACCIDENTS, condition=pt.Zero(), scoring="growth_ratio")
        assert s.category is C.DETERIORATION

    def test_a_zero_baseline_has_no_growth_rate(self) -> None:
        s = score(5, baseline=0, goal=10, scoring="growth_ratio")
        assert (s.value, s.category) == (None, None)
        assert "positive baseline" in s.reason

    def test_a_target_equal_to_the_baseline_needs_no_growth(self) -> None:
        s = score(5, baseline=10, goal=10, scoring="growth_ratio")
        assert s.value is None
        assert "no growth" in s.reason

    def test_a_baseline_not_before_the_period_has_no_score(self) -> None:
        s = score(150, base_period="2022", scoring="growth_ratio")
        assert s.value is None
        assert "does not come after" in s.reason

    def test_part_of_the_period_counts_as_a_fraction_of_a_year(self) -> None:
        s = score(125, observed_period="2022-H1", scoring="growth_ratio")
        assert (s.years_elapsed, s.years_total) == (0.5, 1.0)
        assert s.observed_cagr == pytest.approx(1.25**2 - 1)


class TestCurrentStatusIndex:
    """ESCAP current status index: 10 · d · (now − base) / |target − base|."""

    @pytest.mark.parametrize(
        ("current", "value"), [(100, 0.0), (150, 5.0), (200, 10.0), (90, -1.0)]
    )
    def test_higher_is_better(self, current: float, value: float) -> None:
        s = score(current, scoring="current_status_index")
        assert isinstance(s, pt.CurrentStatusIndex)
        assert (s.value, s.direction_sign) == (pytest.approx(value), 1)

    def test_lower_is_better_towards_zero(self) -> None:
        s = score(
            2.5,
            baseline=10,
            indicator=ACCIDENTS,
            condition=pt.Zero(),
            scoring="current_status_index",
        )
        assert (s.value, s.direction_sign, s.target) == (pytest.approx(7.5), -1, 0.0)

    def test_no_distance_no_index(self) -> None:
        s = score(150, goal=100, scoring="current_status_index")
        assert s.value is None
        assert s.reason


class TestChoosingAMethod:
    """Scoring is chosen by name or passed as a callable."""

    @pytest.mark.parametrize("method", list(pt.ScoringMethod))
    def test_every_built_in_name_is_accepted(self, method: pt.ScoringMethod) -> None:
        assert score(150, scoring=method.value).method == method.value
        assert score(150, scoring=method).method == method.value

    def test_a_custom_callable_gets_the_progress_input(self) -> None:
        seen: list[pt.ProgressInput] = []

        @attrs.frozen
        class Halfway:
            method: str
            value: float | None
            reason: str

        def halfway(p: pt.ProgressInput) -> Halfway:
            seen.append(p)
            return Halfway(method="halfway", value=(p.current - p.baseline) / 2, reason="")

        s = score(150, scoring=halfway)
        assert (s.method, s.value) == ("halfway", 25.0)
        (p,) = seen
        assert (p.baseline, p.current, p.target) == (100.0, 150.0, 200.0)
        assert (str(p.baseline_period), str(p.current_period), str(p.target_period)) == (
            "2021",
            "2022",
            "2022",
        )
        assert p.direction is pt.Direction.HIGHER_IS_BETTER

    @pytest.mark.parametrize("method", list(pt.ScoringMethod))
    def test_evaluate_scores_one_row_a_target_as_assess_does(
        self, method: pt.ScoringMethod
    ) -> None:
        """One observation a target (evaluate's fast path): assess's score, to the bit."""
        firms = pt.Indicator(
            id="f", name=pt.Label(zh="企业"), kind="count", unit="家", basis="stock"
        )
        target = pt.Target(
            id="t",
            indicator=firms,
            condition=pt.RelativeChange(percent=3.0),
            period="2022",
            baseline=pt.Baseline(value=200, period="2021"),
        )
        goal = pt.Goal(id="g", title=pt.Label(zh="目标"), targets=(target,))
        plan = pt.Plan(id="p", title=pt.Label(zh="计划"), period="2021-2025", goals=(goal,))
        rows = {"target_id": ["t"], "period": ["2022"], "value": [205.0], "unit": ["家"]}
        got = pt.evaluate(plan, rows, scoring=method.value)
        want = pt.assess(
            target, [pt.Observation(period="2022", value=205.0, unit="家")], scoring=method
        )
        assert want.score is not None
        assert want.score.value is not None
        assert got["score"].tolist() == [want.score.value]

    def test_evaluate_powers_overflow_to_infinity_not_an_error(self) -> None:
        """A growth too large for a float (computed for rows no score is kept for) is inf."""
        import numpy as np

        from policytargets._evaluation.judging import _python_power

        got = _python_power(np.array([1e300, 4.0, 1e300]), np.array([3.0, 0.5, 3.0]))
        assert got.tolist() == [float("inf"), 2.0, float("inf")]

    @pytest.mark.parametrize("name", ["magic", "Linear", "", "escap"])
    def test_an_unknown_method_name_is_an_invalid_value_error(self, name: str) -> None:
        with pytest.raises(pt.InvalidValueError, match="scoring") as info:
            score(150, scoring=name)
        assert info.value.received == name
        assert "growth_ratio" in info.value.expected
