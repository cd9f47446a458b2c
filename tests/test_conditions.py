"""Conditions: every type judged at, just above and just below its bound, in two units."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policytargets as pt
from policytargets import testing as pts
from policytargets._conditions import satisfies, satisfies_one

#: "Just above / below" a bound: a relative step far outside DEFAULT_RTOL.
STEP = 1e-6
assert STEP >= 100 * pt.DEFAULT_RTOL

MET, NOT = pt.Status.MET, pt.Status.NOT_MET


def indicator(kind: str, unit: str, direction: str = "higher", basis: str | None = None) -> Any:
    return pt.Indicator(
        id=f"{kind}_{direction}",
        name=pt.Label(en=kind),
        kind=kind,
        unit=unit,
        direction=direction,
        basis=basis,
    )


RATE = indicator("rate", "%")
RATE_LOW = indicator("rate", "%", "lower")
COUNT = indicator("count", "个", basis="stock")
COUNT_LOW = indicator("count", "个", "lower", basis="stock")
INCIDENTS = indicator("count", "起", "lower", basis="flow")
AREA = indicator("amount", "万平方米", basis="stock")
AREA_LOW = indicator("amount", "万平方米", "lower", basis="stock")
PER_CAPITA = indicator("per_capita", "批次/千人")
PER_CAPITA_LOW = indicator("per_capita", "批次/千人", "lower")


@dataclass(frozen=True)
class Case:
    """A condition on an indicator, its bounds, and the verdicts below / at / above each."""

    name: str
    indicator: Any
    condition: pt.Condition
    edges: tuple[tuple[float, tuple[pt.Status, pt.Status, pt.Status]], ...]
    units: tuple[str, str]
    baseline: float | None = None


CASES = [
    Case("at_least", RATE, pt.AtLeast(value=57), ((57, (NOT, MET, MET)),), ("", "‰")),
    Case("more_than", RATE, pt.MoreThan(value=57), ((57, (NOT, NOT, MET)),), ("", "‰")),
    Case("at_most", COUNT_LOW, pt.AtMost(value=50), ((50, (MET, MET, NOT)),), ("个", "万个")),
    Case("less_than", COUNT_LOW, pt.LessThan(value=50), ((50, (MET, NOT, NOT)),), ("个", "万个")),
    Case("point_higher", AREA, pt.Point(value=10.9), ((10.9, (NOT, MET, MET)),), ("亩", "平方米")),
    Case("point_lower", AREA_LOW, pt.Point(value=10.9), ((10.9, (MET, MET, NOT)),), ("亩", "m**2")),
    Case("zero", INCIDENTS, pt.Zero(), ((0, (MET, MET, NOT)),), ("起", "万起")),
    Case(
        "approximately_abs",
        PER_CAPITA,
        pt.Approximately(value=7, abs_tol=0.5),
        ((6.5, (NOT, MET, MET)), (7.5, (MET, MET, MET))),
        ("批次/万人", "batch/person"),
    ),
    Case(
        "approximately_band",
        PER_CAPITA,
        pt.Approximately(value=7, abs_tol=0.5, two_sided=True),
        ((6.5, (NOT, MET, MET)), (7.5, (MET, MET, NOT))),
        ("批次/万人", "batch/person"),
    ),
    Case(
        "approximately_rel",
        PER_CAPITA_LOW,
        pt.Approximately(value=7, rel_tol=0.1),
        ((6.3, (MET, MET, MET)), (7.7, (MET, MET, NOT))),
        ("批次/万人", "batch/person"),
    ),
    Case(
        "between",
        COUNT,
        pt.Between(low=10, high=20),
        ((10, (NOT, MET, MET)), (20, (MET, MET, NOT))),
        ("个", "万个"),
    ),
    Case(
        "relative_change_up",
        COUNT,
        pt.RelativeChange(percent=5),
        ((105, (NOT, MET, MET)),),
        ("个", "万个"),
        baseline=100,
    ),
    Case(
        "relative_change_down",
        RATE_LOW,
        pt.RelativeChange(percent=-5),
        ((9.5, (MET, MET, NOT)),),
        ("", "‰"),
        baseline=10,
    ),
    Case(
        "relative_change_about",
        COUNT,
        pt.RelativeChange(percent=5, tolerance=1),
        ((104, (NOT, MET, MET)),),
        ("个", "万个"),
        baseline=100,
    ),
    Case(
        "relative_change_band",
        COUNT,
        pt.RelativeChange(percent=5, tolerance=1, two_sided=True),
        ((104, (NOT, MET, MET)), (106, (MET, MET, NOT))),
        ("个", "万个"),
        baseline=100,
    ),
    Case(
        "absolute_change_points",
        RATE,
        pt.AbsoluteChange(amount=2),
        ((95, (NOT, MET, MET)),),
        ("%", "‰"),
        baseline=93,
    ),
    Case(
        "absolute_change_down",
        COUNT_LOW,
        pt.AbsoluteChange(amount=-12),
        ((88, (MET, MET, NOT)),),
        ("个", "万个"),
        baseline=100,
    ),
    Case(
        "annual_growth_one_year",
        COUNT,
        pt.AnnualGrowth(percent=10),
        ((110, (NOT, MET, MET)),),
        ("个", "万个"),
        baseline=100,
    ),
    Case("improve_up", RATE, pt.Improve(), ((80, (NOT, NOT, MET)),), ("", "‰"), baseline=80),
    Case(
        "improve_down",
        PER_CAPITA_LOW,
        pt.Improve(),
        ((7, (MET, NOT, NOT)),),
        ("批次/万人", "batch/person"),
        baseline=7,
    ),
    Case(
        "maintained",
        RATE,
        pt.Maintained(condition=pt.AtLeast(value=95)),
        ((95, (NOT, MET, MET)),),
        ("", "‰"),
    ),
]

ROWS = [
    pytest.param(case, bound, position, expected, unit, id=f"{case.name}-{bound}-{pos}-{unit}")
    for case in CASES
    for bound, verdicts in case.edges
    for position, (pos, expected) in enumerate(zip(("below", "at", "above"), verdicts, strict=True))
    for unit in case.units
]


def step(bound: float, position: int) -> float:
    """The bound itself (position 1), or just below (0) or above (2) it."""
    offset = STEP * (abs(bound) if bound else 1.0)
    return bound + (position - 1) * offset


def judge(case: Case, value: float, unit: str) -> pt.Status:
    """Assess ``value`` (in the target's unit) given as an observation in ``unit``."""
    target = pt.Target(id="t", indicator=case.indicator, condition=case.condition, period="2022")
    factor = pt.conversion_factor(target.unit, unit)
    observations = [pt.Observation(period="2022", value=value * factor, unit=unit)]
    if case.baseline is not None:
        observations.append(pt.Observation(period="2021", value=case.baseline * factor, unit=unit))
    return pt.assess(target, observations).status


class TestBoundaries:
    """Each condition is judged right at, just below and just above its bounds, in two units."""

    @pytest.mark.parametrize(("case", "bound", "position", "expected", "unit"), ROWS)
    def test_verdict(
        self, case: Case, bound: float, position: int, expected: pt.Status, unit: str
    ) -> None:
        assert judge(case, step(bound, position), unit) is expected

    @pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
    def test_the_target_unit_itself_agrees(self, case: Case) -> None:
        for bound, verdicts in case.edges:
            for position, expected in enumerate(verdicts):
                assert judge(case, step(bound, position), case.indicator.unit) is expected

    def test_a_fraction_of_057_meets_57_percent_or_more(self) -> None:
        """达到57%以上 is met by 0.57 although pint says 0.57 < 57 %."""
        assert pt.parse_quantity("0.57").to("percent").magnitude < 57
        target = pt.Target(id="t", indicator=RATE, condition=pt.AtLeast(value=57), period="2022")
        assessment = pt.assess(target, "0.57")
        assert assessment.status is MET
        assert assessment.margin == 0.0

    def test_a_fraction_of_057_is_not_more_than_57_percent(self) -> None:
        """超过57% excludes the number itself, even when written as the fraction 0.57."""
        target = pt.Target(id="t", indicator=RATE, condition=pt.MoreThan(value=57), period="2022")
        assert pt.assess(target, "0.57").status is NOT


class TestCivilCodeInclusivity:
    """以上/以下 include the number, 超过/低于 exclude it (Civil Code Art. 1259)."""

    @pytest.mark.parametrize(
        ("condition", "zh", "at_bound"),
        [
            (pt.AtLeast(value=96.8), "达到96.8%以上", MET),
            (pt.MoreThan(value=96.8), "超过96.8%", NOT),
            (pt.AtMost(value=96.8), "不超过96.8%", MET),
            (pt.LessThan(value=96.8), "低于96.8%", NOT),
        ],
    )
    def test_wording_and_inclusivity_agree(
        self, condition: pt.Condition, zh: str, at_bound: pt.Status
    ) -> None:
        target = pt.Target(id="t", indicator=RATE, condition=condition, period="2022")
        assert condition.describe("%", "zh") == zh
        assert pt.assess(target, "96.8%").status is at_bound

    @pytest.mark.parametrize(
        ("condition", "low_closed", "high_closed"),
        [
            (pt.AtLeast(value=1), True, True),
            (pt.MoreThan(value=1), False, True),
            (pt.AtMost(value=1), True, True),
            (pt.LessThan(value=1), True, False),
        ],
    )
    def test_bounds_carry_the_inclusivity(
        self, condition: pt.Condition, low_closed: bool, high_closed: bool
    ) -> None:
        b = condition.bounds(pt.Direction.HIGHER_IS_BETTER)
        assert (b.low_closed, b.high_closed) == (low_closed, high_closed)


class TestMaintained:
    """Maintained: every year's figure must hold (quarters are not judged one by one)."""

    target = pt.Target(
        id="keep",
        indicator=RATE,
        condition=pt.Maintained(condition=pt.AtLeast(value=95)),
        period="2022",
    )

    def quarters(self, *values: float, unit: str = "%") -> list[pt.Observation]:
        factor = pt.conversion_factor("%", unit)
        return [
            pt.Observation(period=f"2022-Q{q}", value=v * factor, unit=unit)
            for q, v in enumerate(values, start=1)
        ]

    @pytest.mark.parametrize("unit", ["%", "", "‰"])
    def test_every_quarter_at_the_bound_is_met(self, unit: str) -> None:
        assert pt.assess(self.target, self.quarters(95, 95, 95, 95, unit=unit)).status is MET

    @pytest.mark.parametrize("unit", ["%", ""])
    def test_one_bad_year_fails_it(self, unit: str) -> None:
        years = pt.Target(
            id="keep",
            indicator=RATE,
            condition=pt.Maintained(condition=pt.AtLeast(value=95)),
            period="2021-01-01/2023-12-31",
        )
        factor = pt.conversion_factor("%", unit)
        values = (99, 95 * (1 - STEP), 99)
        observations = [
            pt.Observation(period=str(2021 + i), value=v * factor, unit=unit)
            for i, v in enumerate(values)
        ]
        a = pt.assess(years, observations)
        assert a.status is NOT
        assert a.observed == pytest.approx(95 * (1 - STEP))
        assert "the figure for 2022" in a.reason

    def test_one_bad_quarter_is_no_failure_of_the_year(self) -> None:
        assert pt.assess(self.target, self.quarters(99, 94, 99, 99)).status is MET

    def test_the_same_values_without_maintained_judge_the_latest(self) -> None:
        plain = pt.Target(id="t", indicator=RATE, condition=pt.AtLeast(value=95), period="2022")
        assert pt.assess(plain, self.quarters(99, 90, 99, 99)).status is MET

    def test_part_of_the_period_all_good_is_on_track(self) -> None:
        a = pt.assess(self.target, self.quarters(96, 97))
        assert a.status is pt.Status.ON_TRACK
        assert a.coverage == pytest.approx(181 / 365)

    def test_part_of_the_year_below_is_off_track(self) -> None:
        """The year's figure is not known yet: below so far is off track, not final."""
        assert pt.assess(self.target, self.quarters(96, 94)).status is pt.Status.OFF_TRACK

    def test_the_margin_is_the_year_figure_minus_the_bound(self) -> None:
        a = pt.assess(self.target, self.quarters(99, 96, 98, 97))
        assert (a.observed, a.margin, a.margin_unit) == (97.0, pytest.approx(2.0), "百分点")

    def test_maintained_delegates_to_its_condition(self) -> None:
        inner = pt.Between(low=1, high=2)
        kept = pt.Maintained(condition=inner)
        assert kept.comparator is pt.Comparator.BETWEEN
        assert (kept.value, kept.value_high, kept.maintained) == (1.0, 2.0, True)
        assert kept.bounds(pt.Direction.HIGHER_IS_BETTER) == inner.bounds(
            pt.Direction.HIGHER_IS_BETTER
        )
        assert pt.Maintained(condition=pt.Improve()).needs_baseline
        assert not inner.maintained

    def test_maintained_cannot_wrap_itself_or_a_non_condition(self) -> None:
        for bad in (pt.Maintained(condition=pt.Zero()), 95, "at least 95"):
            with pytest.raises(pt.InvalidValueError, match=r"Maintained\.condition"):
                pt.Maintained(condition=bad)  # type: ignore[arg-type]


class TestDirectionalConditions:
    """Point, RelativeChange and Improve turn with the indicator's good direction."""

    @pytest.mark.parametrize(
        ("condition", "baseline", "higher", "lower"),
        [
            (pt.Point(value=10), None, (10, math.inf), (-math.inf, 10)),
            (pt.RelativeChange(percent=5), 100.0, (105, math.inf), (-math.inf, 105)),
            (pt.RelativeChange(percent=-5), 100.0, (95, math.inf), (-math.inf, 95)),
            (pt.Improve(), 100.0, (100, math.inf), (-math.inf, 100)),
        ],
    )
    def test_bounds_follow_the_direction(
        self,
        condition: pt.Condition,
        baseline: float | None,
        higher: tuple[float, float],
        lower: tuple[float, float],
    ) -> None:
        up = condition.bounds(pt.Direction.HIGHER_IS_BETTER, baseline)
        down = condition.bounds(pt.Direction.LOWER_IS_BETTER, baseline)
        assert (up.low, up.high) == pytest.approx(higher)
        assert (down.low, down.high) == pytest.approx(lower)

    @pytest.mark.parametrize("condition", [pt.RelativeChange(percent=5), pt.Improve()])
    @pytest.mark.parametrize("baseline", [None, math.nan, math.inf])
    def test_a_baseline_condition_without_a_baseline_raises(
        self, condition: pt.Condition, baseline: float | None
    ) -> None:
        with pytest.raises(pt.InvalidValueError, match="baseline"):
            condition.bounds(pt.Direction.HIGHER_IS_BETTER, baseline)

    def test_relative_change_is_a_percentage_of_the_baseline_not_points(self) -> None:
        assert pt.RelativeChange(percent=5).target_value(80.0) == pytest.approx(84.0)

    def test_goal_values(self) -> None:
        up, down = pt.Direction.HIGHER_IS_BETTER, pt.Direction.LOWER_IS_BETTER
        assert pt.Between(low=1, high=2).goal_value(up) == 1.0
        assert pt.Between(low=1, high=2).goal_value(down) == 2.0
        assert pt.Improve().goal_value(up, 5.0) is None
        assert pt.RelativeChange(percent=10).goal_value(up, 50.0) == pytest.approx(55.0)
        assert pt.Zero().goal_value(down) == 0.0


#: Numbers that exercise the bounds: infinities, NaN, zero, signs, tiny and huge.
_edgy = st.one_of(
    st.sampled_from([math.inf, -math.inf, math.nan, 0.0, -0.0, 5.0, -5.0, 1e-300, 1e300]),
    st.floats(allow_nan=True, allow_infinity=True),
)


class TestSatisfiesKernel:
    """satisfies() judges scalars and arrays alike, with the tolerance at closed and open ends."""

    def test_arrays_broadcast_and_nan_fails(self) -> None:
        observed = np.array([56.99999999999999, 57.0, 56.9, math.nan, 1e9])
        got = satisfies(observed, 57.0, math.inf, True, True)
        assert got.tolist() == [True, True, False, False, True]

    def test_per_row_bounds_and_closedness(self) -> None:
        got = satisfies(
            np.array([5.0, 5.0, 5.0, 5.0]),
            np.array([5.0, 5.0, -math.inf, -math.inf]),
            np.array([math.inf, math.inf, 5.0, 5.0]),
            np.array([True, False, True, True]),
            np.array([True, True, True, False]),
        )
        assert got.tolist() == [True, False, True, False]

    def test_tolerance_is_relative_to_the_bound(self) -> None:
        assert bool(satisfies(100 * (1 - 0.5e-9), 100.0, math.inf, True, True))
        assert not bool(satisfies(100 * (1 - 2e-9), 100.0, math.inf, True, True))
        assert not bool(satisfies(100 * (1 + 0.5e-9), 100.0, math.inf, False, True))
        assert bool(satisfies(100 * (1 + 2e-9), 100.0, math.inf, False, True))

    def test_a_zero_bound_has_no_tolerance(self) -> None:
        assert not bool(satisfies(1e-300, -math.inf, 0.0, True, True))

    def test_a_custom_rtol_widens_the_bound(self) -> None:
        assert bool(satisfies(99.0, 100.0, math.inf, True, True, rtol=0.02))

    @settings(max_examples=600, deadline=None)
    @given(
        observed=_edgy,
        low=_edgy,
        high=_edgy,
        low_closed=st.booleans(),
        high_closed=st.booleans(),
        rtol=st.sampled_from([0.0, 1e-9, 0.02, 1.0]),
    )
    def test_one_value_is_judged_as_arrays_are(
        self,
        observed: float,
        low: float,
        high: float,
        low_closed: bool,
        high_closed: bool,
        rtol: float,
    ) -> None:
        """assess's plain-Python comparison of one value is satisfies() to the bit."""
        args = (low, high, low_closed, high_closed, rtol)
        near = [b * f for b in (low, high) if math.isfinite(b) for f in (1 + 1e-9, 1 - 1e-9)]
        # numpy warns where a bound plus its tolerance overflows; Python's float does not.
        with np.errstate(over="ignore"):
            for value in (observed, *near):  # near a bound, the tolerance decides
                assert satisfies_one(value, *args) is bool(satisfies(value, *args))

    @settings(max_examples=400, deadline=None)
    @given(
        values=st.lists(_edgy, min_size=1, max_size=20),
        ends=st.tuples(_edgy, _edgy).filter(lambda e: all(map(math.isfinite, e))),
    )
    def test_the_nearer_end_of_many_values_is_bounds_reference(
        self, values: list[float], ends: tuple[float, float]
    ) -> None:
        """evaluate's selection of the nearer end is Bounds.reference's, value for value."""
        from policytargets._evaluation.judging import _nearer_end

        low, high = sorted(ends)
        bounds = pt.Bounds(low=low, high=high)
        # The midpoint and its neighbours, where the two ends tie or nearly do.
        middle = low / 2 + high / 2
        values = [
            *values,
            middle,
            math.nextafter(middle, -math.inf),
            math.nextafter(middle, math.inf),
        ]
        array = np.array(values, dtype=np.float64)
        out = np.empty(len(array))
        with np.errstate(over="ignore", invalid="ignore"):
            chosen = _nearer_end(array, low, high, out=out)
        assert chosen is out
        wanted = [bounds.reference(v) for v in values]
        assert [x.hex() for x in chosen.tolist()] == [float(x).hex() for x in wanted]


class TestConstruction:
    """Conditions refuse numbers they cannot judge, naming the field."""

    @pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "5", None, True])
    @pytest.mark.parametrize("kind", [pt.AtLeast, pt.MoreThan, pt.AtMost, pt.LessThan, pt.Point])
    def test_single_value_conditions(self, kind: type[Any], bad: Any) -> None:
        with pytest.raises(pt.InvalidValueError, match=rf"{kind.__name__}\.value"):
            kind(value=bad)

    def test_ints_become_floats(self) -> None:
        assert pt.AtLeast(value=7) == pt.AtLeast(value=7.0)
        assert isinstance(pt.AtLeast(value=7).value, float)

    def test_between_low_above_high(self) -> None:
        with pytest.raises(pt.InvalidValueError, match=r"Between\.high") as info:
            pt.Between(low=5, high=3)
        assert info.value.received == 3.0

    def test_between_of_one_point_is_allowed(self) -> None:
        assert pt.Between(low=3, high=3).bounds(pt.Direction.HIGHER_IS_BETTER).low == 3.0

    @pytest.mark.parametrize(
        "tolerances",
        [{}, {"abs_tol": 1, "rel_tol": 0.1}, {"abs_tol": 0}, {"rel_tol": -0.1}, {"abs_tol": "1"}],
    )
    def test_approximately_needs_exactly_one_positive_tolerance(
        self, tolerances: dict[str, Any]
    ) -> None:
        with pytest.raises(pt.InvalidValueError, match="Approximately"):
            pt.Approximately(value=5, **tolerances)

    def test_relative_change_percent_must_be_finite(self) -> None:
        with pytest.raises(pt.InvalidValueError, match=r"RelativeChange\.percent"):
            pt.RelativeChange(percent=math.nan)

    def test_conditions_are_frozen_and_keyword_only(self) -> None:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            pt.AtLeast(value=1).value = 2  # type: ignore[misc]
        with pytest.raises(TypeError):
            pt.AtLeast(1)  # type: ignore[misc]


def numbers(bounds: pt.Bounds) -> tuple[float, ...]:
    """A Bounds as numbers, with a missing threshold as NaN, for approximate comparison."""
    return tuple(math.nan if v is None else float(v) for v in attrs.astuple(bounds))


class TestScaled:
    """scaled() re-expresses a condition's numbers in another unit."""

    @pytest.mark.parametrize(
        ("condition", "scaled"),
        [
            (pt.AtLeast(value=57), pt.AtLeast(value=0.57)),
            (pt.Between(low=10, high=20), pt.Between(low=0.1, high=0.2)),
            (pt.Approximately(value=50, abs_tol=2), pt.Approximately(value=0.5, abs_tol=0.02)),
            (pt.Approximately(value=50, rel_tol=0.1), pt.Approximately(value=0.5, rel_tol=0.1)),
            (pt.RelativeChange(percent=5), pt.RelativeChange(percent=5)),
            (pt.Improve(), pt.Improve()),
            (pt.Zero(), pt.Zero()),
            (
                pt.Maintained(condition=pt.AtMost(value=3)),
                pt.Maintained(condition=pt.AtMost(value=0.03)),
            ),
        ],
    )
    def test_scaled_by_a_factor(self, condition: pt.Condition, scaled: pt.Condition) -> None:
        got = condition.scaled(0.01)
        assert type(got) is type(scaled)
        assert got.value == pytest.approx(scaled.value)
        assert got.value_high == pytest.approx(scaled.value_high)
        for direction in pt.Direction:
            got_bounds = numbers(got.bounds(direction, 1.0))
            expected_bounds = numbers(scaled.bounds(direction, 1.0))
            assert got_bounds == pytest.approx(expected_bounds, rel=1e-12, nan_ok=True)


class TestDescribe:
    """Every condition renders itself in Chinese and in English."""

    @pytest.mark.parametrize(
        ("condition", "unit", "direction", "zh", "en"),
        [
            (pt.AtLeast(value=96.8), "%", None, "达到96.8%以上", "at least 96.8%"),
            (pt.MoreThan(value=5), "家", None, "超过5家", "more than 5 enterprises"),
            (pt.AtMost(value=3), "起", None, "不超过3起", "at most 3 incidents"),
            (pt.LessThan(value=1), "‰", None, "低于1‰", "less than 1‰"),
            (
                pt.Point(value=10.9),
                "万平方米",
                "higher",
                "10.9万平方米",
                "109,000 m² (or more)",
            ),
            (pt.Point(value=2), "起", "lower", "2起", "2 incidents (or fewer)"),
            (
                pt.Approximately(value=80, abs_tol=1),
                "分",
                None,
                "80分左右(±1分)",
                "about 80 points (±1 points)",
            ),
            (pt.Approximately(value=7, rel_tol=0.1), "", None, "7左右(±10%)", "about 7 (±10%)"),
            (pt.Between(low=5, high=8), "个", None, "5~8个", "between 5 and 8"),
            (
                pt.RelativeChange(percent=5),
                "%",
                None,
                "较上年增长5%",
                "up 5% on the previous period",
            ),
            (
                pt.RelativeChange(percent=-3),
                "起",
                None,
                "较上年下降3%",
                "down 3% on the previous period",
            ),
            (pt.Improve(), "起", "lower", "逐渐下降", "falling, below the previous period"),
            (pt.Improve(), "%", "higher", "逐年提高", "rising, above the previous period"),
            (pt.Zero(), "起", None, "不发生", "none at all"),
            (
                pt.Maintained(condition=pt.AtLeast(value=95)),
                "%",
                None,
                "保持95%以上",
                "at least 95%, maintained throughout",
            ),
        ],
    )
    def test_both_languages(
        self, condition: pt.Condition, unit: str, direction: str | None, zh: str, en: str
    ) -> None:
        d = None if direction is None else pt.Direction(direction)
        assert condition.describe(unit, "zh", d) == zh
        assert condition.describe(unit, "en", d) == en


class TestComparator:
    """Each condition names itself in the Comparator vocabulary."""

    def test_every_comparator_has_a_condition(self) -> None:
        made = [
            pt.AtLeast(value=1),
            pt.MoreThan(value=1),
            pt.AtMost(value=1),
            pt.LessThan(value=1),
            pt.Point(value=1),
            pt.Approximately(value=1, abs_tol=1),
            pt.Between(low=1, high=2),
            pt.RelativeChange(percent=1),
            pt.Improve(),
            pt.Zero(),
            pt.AnnualGrowth(percent=1),
            pt.AbsoluteChange(amount=1),
        ]
        assert [c.comparator for c in made] == list(pt.Comparator)

    def test_values_are_stable_lowercase_words(self) -> None:
        assert {c.value for c in pt.Comparator} == {
            "at_least",
            "more_than",
            "at_most",
            "less_than",
            "point",
            "approximately",
            "between",
            "relative_change",
            "improve",
            "zero",
            "annual_growth",
            "absolute_change",
        }


class TestBoundsOfManyBaselines:
    """Condition._bounds_many (evaluate's bounds of many groups) is bounds(), number for number."""

    @settings(max_examples=300)
    @given(
        condition=pts.conditions(),
        direction=st.sampled_from(list(pt.Direction)),
        bases=st.lists(
            st.one_of(st.just(0.0), st.floats(-1e6, 1e6, allow_nan=False, width=64)),
            min_size=1,
            max_size=12,
        ),
        years=st.one_of(st.none(), st.floats(0.25, 10)),
        limit=st.one_of(st.none(), st.sampled_from([0.0, 100.0])),
    )
    def test_equal_to_bounds(
        self,
        condition: pt.Condition,
        direction: pt.Direction,
        bases: list[float],
        years: float | None,
        limit: float | None,
    ) -> None:
        got = condition._bounds_many(direction, np.array(bases), years=years, limit=limit)
        goals = condition._goal_many(direction, np.array(bases))
        for i, base in enumerate(bases):
            want = condition.bounds(direction, base, years=years, limit=limit)
            assert float(got.low[i]) == want.low
            assert float(got.high[i]) == want.high
            assert bool(got.low_closed[i]) is want.low_closed
            assert bool(got.high_closed[i]) is want.high_closed
            threshold = float(got.threshold[i])
            assert (want.threshold is None and math.isnan(threshold)) or threshold == want.threshold
            goal = condition.goal_value(direction, base)
            assert (goal is None and math.isnan(goals[i])) or float(goals[i]) == goal


class TestBetweenInEnglishUnits:
    """Both ends of a band are written in the same English unit (the low end was not converted)."""

    @pytest.mark.parametrize(
        ("unit", "text"),
        [
            ("万平方米", "between 100,000 and 200,000 m²"),
            ("%", "between 10 and 20%"),
            ("亿元", "between 1 billion and 2 billion yuan"),
        ],
    )
    def test_describe(self, unit: str, text: str) -> None:
        assert pt.Between(low=10, high=20).describe(unit, "en") == text

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (100, "at least 10 billion yuan"),  # 100 亿元
            (968, "at least 96.8 billion yuan"),
            (0.01, "at least 1 million yuan"),
            (0.105, "at least 10.5 million yuan"),
            (50000, "at least 5 trillion yuan"),
            (20.005, "at least 2,000,500,000 yuan"),  # two decimals of a billion: digits
            (0.0099, "at least 990,000 yuan"),  # below a million
            (0.01234567, "at least 1,234,567 yuan"),
        ],
    )
    def test_large_amounts_in_words_only_when_exact(self, value: float, text: str) -> None:
        """English says 100 亿元 as "10 billion yuan"; digits stay where words would round."""
        assert pt.AtLeast(value=value).describe("亿元", "en") == text

    def test_no_float_noise_from_the_unit_factor(self) -> None:
        text = pt.Between(low=164.7, high=201.3).describe("万平方米", "en")
        assert text == "between 1,647,000 and 2,013,000 m²"
