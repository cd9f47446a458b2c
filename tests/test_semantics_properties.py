"""Laws of the semantic kernel: assess and evaluate (pandas and Dask) agree exactly, for
every condition type and over multi-year periods; progress categories are monotone.

Observations are generated, hence illustrative.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policytargets as pt
from policytargets import testing as pts

FIELDS = ("observed", "projected", "threshold", "margin", "baseline", "coverage")
ORDER = [
    pt.Progress.BEHIND,
    pt.Progress.ON_TRACK,
    pt.Progress.AHEAD_OF_SCHEDULE,
    pt.Progress.ACHIEVED_EARLY,
]

_values = st.integers(min_value=0, max_value=400).map(lambda v: v / 4)


@st.composite
def cases(
    draw: st.DrawFn, multi_year: bool | None = None
) -> tuple[pt.Target, list[pt.Observation]]:
    """A target (one year or 2021–2025) and level observations around it."""
    many = draw(st.booleans()) if multi_year is None else multi_year
    indicator = draw(pts.indicators())
    target = draw(pts.targets(indicator=indicator))
    period = "2021-2025" if many else "2022"
    condition = target.condition
    target = pt.Target(
        id="t",
        indicator=indicator,
        condition=condition,
        period=period,
        unit=target.unit,
    )
    shapes = (
        ["2020", "2021", "2022", "2023", "2024", "2025", "2023-Q1", "2024-H1"]
        if many
        else ["2021", "2022", "2022-Q1", "2022-H1", "2021-H2", "2022-Q3"]
    )
    chosen = draw(st.lists(st.sampled_from(shapes), unique=True, max_size=5))
    observations = [pt.Observation(period=p, value=draw(_values), unit=target.unit) for p in chosen]
    return target, observations


def _row(frame: pd.DataFrame) -> dict[str, Any]:
    row = frame.iloc[0]
    return {name: row[name] for name in frame.columns}


def _same(a: float | None, b: Any) -> bool:
    if a is None:
        return b is None or (isinstance(b, float) and math.isnan(b))
    return a == b  # exactly: one kernel, one summation order


def _check(a: pt.Assessment, row: dict[str, Any]) -> None:
    assert row["status"] == a.status.value, (row["reason"], a.reason)
    assert row["reason"] == a.reason
    assert (None if pd.isna(row["progress"]) else row["progress"]) == (
        None if a.progress is None else a.progress.value
    )
    for name in FIELDS:
        assert _same(getattr(a, name), float(row[name])), (name, getattr(a, name), row[name])
    score = None if a.score is None else a.score.value
    assert _same(score, float(row["score"]))
    assert row["unit"] == a.unit
    assert row["margin_unit"] == a.margin_unit


def _frame(target: pt.Target, observations: list[pt.Observation]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "target_id": [target.id] * len(observations),
            "period": [str(o.period) for o in observations],
            "value": [o.value for o in observations],
            "unit": [o.unit for o in observations],
        }
    )


def _plan(target: pt.Target) -> pt.Plan:
    return pt.Plan(
        id="p",
        title=pt.Label(zh="计划"),
        period=target.period,
        goals=(pt.Goal(id="g", title=pt.Label(zh="目标"), targets=(target,)),),
    )


def _assess(target: pt.Target, observations: list[pt.Observation]) -> pt.Assessment | None:
    try:
        return pt.assess(target, observations)
    except pt.InvalidValueError:
        return None


class TestAssessEqualsEvaluate:
    """For every condition type, evaluate's row is assess's assessment, number for number."""

    @settings(max_examples=60)
    @given(cases())
    def test_pandas(self, case: tuple[pt.Target, list[pt.Observation]]) -> None:
        target, observations = case
        wanted = _assess(target, observations)
        frame = _frame(target, observations)
        if wanted is None:
            with pytest.raises(pt.ObservationError):
                pt.evaluate(_plan(target), frame)
            return
        result = pt.evaluate(_plan(target), frame)
        assert len(result) == 1
        _check(wanted, _row(result))

    @settings(max_examples=10)
    @given(cases(multi_year=True))
    def test_dask(self, case: tuple[pt.Target, list[pt.Observation]]) -> None:
        dd = pytest.importorskip("dask.dataframe")
        target, observations = case
        wanted = _assess(target, observations)
        if wanted is None:
            return
        frame = dd.from_pandas(_frame(target, observations), npartitions=2)
        result = pt.evaluate(_plan(target), frame).compute()
        assert len(result) == 1
        _check(wanted, _row(result))


@st.composite
def _linear_indicators(draw: st.DrawFn) -> pt.Indicator:
    """Any indicator, projected linearly (the default)."""
    indicator = draw(pts.indicators())
    return pt.Indicator(
        id=indicator.id,
        name=indicator.name,
        kind=indicator.kind,
        unit=indicator.unit,
        direction=indicator.direction,
        basis=indicator.basis,
    )


@st.composite
def _observations(draw: st.DrawFn, shapes: list[str], unit: str, most: int) -> list[pt.Observation]:
    """Up to ``most`` observations of distinct periods among ``shapes``, zero among the values."""
    chosen = draw(st.lists(st.sampled_from(shapes), unique=True, max_size=most))
    values = st.one_of(st.just(0.0), _values)
    return [pt.Observation(period=p, value=draw(values), unit=unit) for p in chosen]


@st.composite
def final_cases(draw: st.DrawFn) -> tuple[pt.Target, list[pt.Observation]]:
    """保持, 每年 or 不发生 over one year or part of one, observed in whole and in parts."""
    indicator = draw(_linear_indicators())
    inner = draw(pts.targets(indicator=indicator))
    condition = inner.condition
    while condition.maintained or condition.every_year:
        condition = condition.condition  # type: ignore[attr-defined]
    wrap = draw(st.sampled_from(["maintained", "every_year", "zero"]))
    if wrap == "zero":
        condition = pt.Zero()
    elif wrap == "maintained":
        condition = pt.Maintained(condition=condition)
    else:
        condition = pt.EveryYear(condition=condition)
    period = draw(st.sampled_from(["2022", "2022-H2", "2022-Q3"]))
    target = pt.Target(
        id="t", indicator=indicator, condition=condition, period=period, unit=inner.unit
    )
    shapes = ["2021", "2022", "2022-H1", "2022-H2", "2022-Q1", "2022-Q3", "2022-07", "2022-12"]
    return target, draw(_observations(shapes, target.unit, 5))


class TestFinalConditionsOnTheVectorisedPath:
    """保持, 每年 and 不发生 over one span are judged by the vectorised paths, as assess judges."""

    @settings(max_examples=80)
    @given(final_cases())
    def test_equal_to_assess(self, case: tuple[pt.Target, list[pt.Observation]]) -> None:
        from policytargets._evaluation.kernel import needs_kernel

        target = case[0]
        assert not needs_kernel(target)  # else this would test the kernel against itself
        TestAssessEqualsEvaluate.test_pandas.hypothesis.inner_test(  # type: ignore[attr-defined]
            TestAssessEqualsEvaluate(), case
        )

    def test_month_by_month_stays_with_the_kernel(self) -> None:
        from policytargets._evaluation.kernel import needs_kernel

        target = pt.Target(
            id="t",
            indicator=RATE,
            condition=pt.Maintained(condition=pt.AtLeast(value=96), every="month"),
            period="2022",
        )
        assert needs_kernel(target)


@st.composite
def named_base_cases(draw: st.DrawFn) -> tuple[pt.Target, list[pt.Observation]]:
    """A one-year (or shorter) target against 2020 (较2020年), by condition or plan baseline."""
    indicator = draw(_linear_indicators())
    amount = draw(st.integers(-20, 20).map(float))
    condition = draw(
        st.sampled_from(
            [
                pt.RelativeChange(percent=amount, base="2020"),
                pt.AbsoluteChange(amount=amount, base="2020"),
                pt.AtLeast(value=draw(_values)),
                pt.Maintained(condition=pt.RelativeChange(percent=amount, base="2020")),
            ]
        )
    )
    baseline = None
    if condition.base is None or draw(st.booleans()):
        # Without a named base, the plan's baseline names the period.
        baseline = pt.Baseline(value=draw(_values), period=draw(st.sampled_from(["2020", "2021"])))
    target = pt.Target(
        id="t",
        indicator=indicator,
        condition=condition,
        period=draw(st.sampled_from(["2022", "2022-H2"])),
        baseline=baseline,
    )
    shapes = ["2019", "2020", "2020-H1", "2020-H2", "2021", "2022", "2022-H1", "2022-Q3"]
    chosen = draw(st.lists(st.sampled_from(shapes), unique=True, max_size=5))
    observations = [pt.Observation(period=p, value=draw(_values), unit=target.unit) for p in chosen]
    return target, observations


class TestNamedBaseOnTheVectorisedPath:
    """A one-year target against a named base period is judged as assess judges it."""

    @settings(max_examples=60)
    @given(named_base_cases())
    def test_equal_to_assess(self, case: tuple[pt.Target, list[pt.Observation]]) -> None:
        from policytargets._evaluation.kernel import needs_kernel

        assert not needs_kernel(case[0])
        TestAssessEqualsEvaluate.test_pandas.hypothesis.inner_test(  # type: ignore[attr-defined]
            TestAssessEqualsEvaluate(), case
        )

    def test_contradictions_in_unused_periods_do_not_stop_assess(self) -> None:
        # 2019 is neither the target's period nor its base: evaluate never read
        # it, and assess no longer refuses its two values either.
        target = pt.Target(
            id="t",
            indicator=FIRMS,
            condition=pt.RelativeChange(percent=5, base="2020"),
            period="2022",
        )
        observations = [
            pt.Observation(period=p, value=v, unit="家")
            for p, v in (("2019", 1.0), ("2019", 2.0), ("2020", 100.0), ("2022", 106.0))
        ]
        assessment = pt.assess(target, observations)
        assert assessment.status is pt.Status.MET
        assert assessment.baseline == 100.0
        row = _row(pt.evaluate(_plan(target), _frame(target, observations)))
        _check(assessment, row)


@st.composite
def years_cases(draw: st.DrawFn) -> tuple[pt.Target, list[pt.Observation]]:
    """A 2021–2025 target of any one-bound or change condition, linearly projected."""
    indicator = draw(_linear_indicators())
    inner = draw(pts.targets(indicator=indicator, condition=pts.conditions(maintained=False)))
    condition = draw(
        st.sampled_from(
            [
                inner.condition,
                pt.RelativeChange(percent=draw(st.integers(-20, 20)), base="2020"),
                pt.AnnualGrowth(percent=draw(st.integers(-5, 8)), base="2020"),
                pt.AbsoluteChange(amount=draw(st.integers(-5, 5)), base="2019"),
            ]
        )
    )
    baseline = None
    if draw(st.booleans()) and condition.base is None:
        baseline = pt.Baseline(value=draw(_values), period="2020")
    target = pt.Target(
        id="t",
        indicator=indicator,
        condition=condition,
        period=draw(st.sampled_from(["2021-2025", "2021-2023"])),
        unit=inner.unit,
        baseline=baseline,
    )
    shapes = [
        "2019",
        "2020",
        "2020-H2",
        "2021",
        "2022",
        "2022-H1",
        "2023",
        "2023-Q1",
        "2023-Q2",
        "2024-H1",
        "2024-10",
        "2025",
        "2025-Q4",
    ]
    return target, draw(_observations(shapes, target.unit, 6))


@st.composite
def each_year_cases(draw: st.DrawFn) -> tuple[pt.Target, list[pt.Observation]]:
    """保持 or 每年 over 2021–2025 (or 2021–2023), of any inner condition."""
    target, observations = draw(years_cases())
    inner = target.condition
    wrapped = draw(st.sampled_from([pt.Maintained(condition=inner), pt.EveryYear(condition=inner)]))
    if draw(st.booleans()):
        wrapped = pt.EveryYear(condition=pt.Improve())
    target = pt.Target(
        id="t",
        indicator=target.indicator,
        condition=wrapped,
        period=target.period,
        unit=target.unit,
        baseline=target.baseline,
    )
    return target, observations


class TestEachYearOnTheVectorisedPath:
    """保持 and 每年 over several years are judged year by year with numpy, as assess does."""

    @settings(max_examples=100)
    @given(each_year_cases())
    def test_equal_to_assess(self, case: tuple[pt.Target, list[pt.Observation]]) -> None:
        from policytargets._evaluation import years

        assert years.eligible(case[0])
        TestAssessEqualsEvaluate.test_pandas.hypothesis.inner_test(  # type: ignore[attr-defined]
            TestAssessEqualsEvaluate(), case
        )


class TestMultiYearOnTheVectorisedPath:
    """Multi-year targets are judged year by year with numpy, as assess judges them."""

    @settings(max_examples=100)
    @given(years_cases())
    def test_equal_to_assess(self, case: tuple[pt.Target, list[pt.Observation]]) -> None:
        from policytargets._evaluation import years

        assert years.eligible(case[0])  # else this would test the kernel against itself
        TestAssessEqualsEvaluate.test_pandas.hypothesis.inner_test(  # type: ignore[attr-defined]
            TestAssessEqualsEvaluate(), case
        )


RATE = pt.Indicator(id="r", name=pt.Label(zh="率"), kind="rate", unit="%")
FIRMS = pt.Indicator(id="f", name=pt.Label(zh="企业"), kind="count", unit="家", basis="flow")
INTENSITY = pt.Indicator(
    id="e", name=pt.Label(zh="能耗"), kind="amount", unit="吨", direction="lower", basis="stock"
)

PATHS = [
    (RATE, pt.AbsoluteChange(amount=2, base="2020"), 93.0),
    (RATE, pt.AtLeast(value=96), 93.0),
    (INTENSITY, pt.RelativeChange(percent=-13.5, base="2020"), 0.5),
    (INTENSITY, pt.AnnualGrowth(percent=-3, base="2020", tolerance=0.5), 0.5),
    (FIRMS, pt.AnnualGrowth(percent=6, base="2020"), 100.0),
]


def _category(
    indicator: pt.Indicator, condition: pt.Condition, base: float, value: float, when: str
) -> pt.Assessment:
    target = pt.Target(id="t", indicator=indicator, condition=condition, period="2021-2025")
    return pt.assess(
        target,
        [
            pt.Observation(period="2020", value=base, unit=indicator.unit),
            pt.Observation(period=when, value=value, unit=indicator.unit),
        ],
    )


class TestProgress:
    """Progress categories against the path from the baseline."""

    @pytest.mark.parametrize(("indicator", "condition", "base"), PATHS)
    @given(
        st.lists(st.floats(0.5, 1.6), min_size=2, max_size=6),
        st.sampled_from(["2022", "2023", "2024"]),
    )
    def test_monotone_in_the_observed_value(
        self,
        indicator: pt.Indicator,
        condition: pt.Condition,
        base: float,
        factors: list[float],
        when: str,
    ) -> None:
        """A better value never gets a worse category."""
        values = sorted(base * f for f in factors)
        if indicator.direction is pt.Direction.LOWER_IS_BETTER:
            values.reverse()
        ranks = [
            ORDER.index(_category(indicator, condition, base, v, when).progress) for v in values
        ]
        assert ranks == sorted(ranks)

    @pytest.mark.parametrize(("indicator", "condition", "base"), PATHS)
    @given(st.floats(0.5, 1.6))
    def test_met_at_the_end_is_never_behind(
        self, indicator: pt.Indicator, condition: pt.Condition, base: float, factor: float
    ) -> None:
        a = _category(indicator, condition, base, base * factor, "2025")
        assert a.status in (pt.Status.MET, pt.Status.NOT_MET)
        if a.status is pt.Status.MET:
            assert a.progress is pt.Progress.ACHIEVED
        else:
            assert a.progress is pt.Progress.BEHIND

    def test_a_2025_target_observed_in_2023_is_judged(self) -> None:
        """Never no_data part-way: on the path or not, with a category."""
        a = _category(RATE, pt.AbsoluteChange(amount=2, base="2020"), 93.0, 94.0, "2023")
        assert a.status is pt.Status.OFF_TRACK
        assert a.progress is pt.Progress.BEHIND
        assert a.threshold == pytest.approx(94.2)
        b = _category(RATE, pt.AbsoluteChange(amount=2, base="2020"), 93.0, 94.2, "2023")
        assert (b.status, b.progress) == (pt.Status.ON_TRACK, pt.Progress.ON_TRACK)

    def test_thresholds_are_configurable(self) -> None:
        target = pt.Target(
            id="t",
            indicator=RATE,
            condition=pt.AbsoluteChange(amount=2, base="2020"),
            period="2021-2025",
        )
        observations = [
            pt.Observation(period="2020", value=93, unit="%"),
            pt.Observation(period="2023", value=94, unit="%"),
        ]
        lenient = pt.ProgressThresholds(on_track=0.8)
        assert pt.assess(target, observations, thresholds=lenient).progress is pt.Progress.ON_TRACK
        with pytest.raises(pt.InvalidValueError):
            pt.ProgressThresholds(on_track=1.2, ahead=1.1)


@st.composite
def regional_years_cases(
    draw: st.DrawFn,
) -> tuple[pt.Target, dict[str, list[pt.Observation]]]:
    """A multi-year target observed in up to three regions, with repeats and pooled rates."""
    target, _ = draw(years_cases())
    shapes = ["2019", "2020", "2020-H1", "2021", "2022", "2022-H1", "2022-H2", "2023", "2025"]
    rate = target.indicator.kind is pt.IndicatorKind.RATE
    regions: dict[str, list[pt.Observation]] = {}
    for region in ["a", "b", "c"][: draw(st.integers(1, 3))]:
        observations = []
        for period in draw(st.lists(st.sampled_from(shapes), max_size=6)):
            value = draw(_values)
            numerator = denominator = None
            if rate and draw(st.booleans()):
                denominator = float(draw(st.integers(1, 50)))
                numerator = denominator * value / 100
                value = numerator / denominator * 100
            observations.append(
                pt.Observation(
                    period=period,
                    value=value,
                    unit=target.unit,
                    numerator=numerator,
                    denominator=denominator,
                )
            )
        regions[region] = observations
    return target, regions


class TestMultiYearByRegion:
    """Each region's row is assess's assessment of its observations; contradictions raise."""

    @settings(max_examples=60)
    @given(regional_years_cases())
    def test_equal_to_assess(self, case: tuple[pt.Target, dict[str, list[pt.Observation]]]) -> None:
        _equal_by_region(*case)


#: The columns of the observation tables built here (``_observation_row``).
_ROW_COLUMNS = [
    "target_id",
    "region",
    "period",
    "value",
    "unit",
    "numerator",
    "denominator",
    "measure",
]


def _observation_row(region: str, o: pt.Observation) -> dict[str, Any]:
    """One observation as a row of an observation table, its region and measure included."""

    def number(x: float | None) -> float:
        return math.nan if x is None else x

    return {
        "target_id": "t",
        "region": region,
        "period": str(o.period),
        "value": number(o.value),
        "unit": o.unit,
        "numerator": number(o.numerator),
        "denominator": number(o.denominator),
        "measure": o.measure.value,
    }


def _equal_by_region(target: pt.Target, regions: dict[str, list[pt.Observation]]) -> None:
    """Each region's row of evaluate is assess's assessment of its observations.

    A contradiction in any region makes evaluate raise; a region whose
    observations no verdict reads has no row (assess: no data).
    """
    rows, wanted, contradicted = [], {}, False
    for region, observations in regions.items():
        try:
            wanted[region] = pt.assess(target, observations)
        except pt.InvalidValueError:
            contradicted = True
        rows += [_observation_row(region, o) for o in observations]
    frame = pd.DataFrame(rows, columns=_ROW_COLUMNS)
    if contradicted:
        with pytest.raises(pt.ObservationError):
            pt.evaluate(_plan(target), frame)
        return
    result = pt.evaluate(_plan(target), frame)
    got = {row["region"]: row for _, row in result.iterrows()}
    for region, assessment in wanted.items():
        if region in got:
            _check(assessment, {name: got[region][name] for name in result.columns})
        else:
            assert assessment.status is pt.Status.NO_DATA


class TestScoresEqualAssessExactly:
    """Every built-in scorer gives evaluate assess's very score, on every path."""

    @settings(max_examples=80)
    @given(
        st.one_of(cases(), years_cases(), named_base_cases()),
        st.sampled_from(["linear", "growth_ratio", "current_status_index"]),
    )
    def test_scores(self, case: tuple[pt.Target, list[pt.Observation]], scoring: str) -> None:
        target, observations = case
        try:
            wanted = pt.assess(target, observations, scoring=scoring)
        except pt.InvalidValueError:
            return
        if not observations:
            return
        result = pt.evaluate(_plan(target), _frame(target, observations), scoring=scoring)
        row = _row(result)
        _check(wanted, row)
        if wanted.score is not None:
            assert row["score_method"] == str(wanted.score.method)

    def test_growth_ratio_to_the_last_bit(self) -> None:
        # numpy's vectorised power gave 9.262718737704525 here, assess 9.262718737704553.
        rate = pt.Indicator(id="r", name=pt.Label(zh="率"), kind="rate", unit="%")
        target = pt.Target(
            id="t",
            indicator=rate,
            condition=pt.AbsoluteChange(amount=1.0, base="2019"),
            period="2021-2025",
        )
        observations = [
            pt.Observation(period=p, value=v, unit="%")
            for p, v in (("2019", 20.75), ("2020", 0.0), ("2023", 27.5))
        ]
        wanted = pt.assess(target, observations, scoring="growth_ratio")
        assert wanted.score is not None
        row = _row(pt.evaluate(_plan(target), _frame(target, observations), scoring="growth_ratio"))
        assert float(row["score"]) == wanted.score.value


_rates = st.one_of(st.integers(min_value=-40, max_value=80).map(lambda v: v / 4), st.none())


@st.composite
def growth_cases(draw: st.DrawFn) -> tuple[pt.Target, dict[str, list[pt.Observation]]]:
    """A growth target and published growth rates (同比) by region, with a few levels."""
    from hypothesis import assume

    indicator = draw(pts.indicators())
    tolerance = draw(st.sampled_from([None, 0.5, 1.0]))
    kind = draw(st.sampled_from([pt.RelativeChange, pt.AnnualGrowth]))
    try:
        condition = kind(
            percent=draw(st.sampled_from([-5.0, 0.0, 3.0, 6.5])),
            base=draw(st.sampled_from([None, None, "2021", "2020"])),
            tolerance=tolerance,
            two_sided=draw(st.booleans()) if tolerance else False,
        )
        target = pt.Target(
            id="t",
            indicator=indicator,
            condition=condition,
            period=draw(st.sampled_from(["2022", "2022", "2022-H2"])),
        )
    except pt.InvalidValueError:
        assume(False)
    shapes = ["2022", "2022", "2022-H1", "2022-Q1", "2022-Q3", "2022-03", "2021"]
    units = ["%", "%", "‰", "", target.unit]
    regions: dict[str, list[pt.Observation]] = {}
    for region in ["a", "b", "c"][: draw(st.integers(1, 3))]:
        observations = []
        for period in draw(st.lists(st.sampled_from(shapes), min_size=1, max_size=4)):
            level = draw(st.integers(0, 9)) == 0
            observations.append(
                pt.Observation(
                    period=period,
                    value=draw(_values) if level else draw(_rates),
                    unit=target.unit if level else draw(st.sampled_from(units)),
                    measure="level" if level else "growth",
                )
            )
        regions[region] = observations
    return target, regions


class TestGrowthRatesByRegion:
    """Growth rates (同比) of one-year targets, judged with numpy, equal assess by region."""

    @settings(max_examples=150)
    @given(growth_cases())
    def test_equal_to_assess(self, case: tuple[pt.Target, dict[str, list[pt.Observation]]]) -> None:
        _equal_by_region(*case)


@st.composite
def growth_plans(
    draw: st.DrawFn,
) -> tuple[pt.Plan, dict[str, dict[str, list[pt.Observation]]]]:
    """Up to three growth targets in one plan, each with its own rates by region."""
    import attrs

    targets, observed = [], {}
    for k in range(draw(st.integers(1, 3))):
        target, regions = draw(growth_cases())
        indicator = attrs.evolve(target.indicator, id=f"i{k}")
        target = attrs.evolve(target, id=f"t{k}", indicator=indicator)
        targets.append(target)
        observed[target.id] = regions
    goal = pt.Goal(id="g", title=pt.Label(zh="目标"), targets=tuple(targets))
    return pt.Plan(id="p", title=pt.Label(zh="计划"), period="2022", goals=(goal,)), observed


class TestGrowthRatesOfSeveralTargets:
    """Growth targets judged together, some by numpy and some by the kernel, are assess's."""

    @settings(max_examples=80)
    @given(growth_plans())
    def test_equal_to_assess(
        self, case: tuple[pt.Plan, dict[str, dict[str, list[pt.Observation]]]]
    ) -> None:
        plan, observed = case
        rows, wanted, contradicted = [], {}, False
        for target in plan.targets:
            for region, observations in observed[target.id].items():
                try:
                    wanted[target.id, region] = pt.assess(target, observations)
                except pt.InvalidValueError:
                    contradicted = True
                rows += [
                    {**_observation_row(region, o), "target_id": target.id} for o in observations
                ]
        frame = pd.DataFrame(rows, columns=_ROW_COLUMNS)
        if contradicted:
            with pytest.raises(pt.ObservationError):
                pt.evaluate(plan, frame)
            return
        result = pt.evaluate(plan, frame)
        got = {(row["target_id"], row["region"]): row for _, row in result.iterrows()}
        for key, assessment in wanted.items():
            if key in got:
                _check(assessment, {name: got[key][name] for name in result.columns})
            else:
                assert assessment.status is pt.Status.NO_DATA
