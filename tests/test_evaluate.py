"""Tests of pt.evaluate: equal to pt.assess row for row, at any scale."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import policytargets as pt
from policytargets.testing import UNIT_GROUPS, observation_values, plans, targets

ROOT = Path(__file__).resolve().parents[1]
NUMBERS = ("observed", "projected", "threshold", "margin", "baseline", "coverage", "score")


def _candidate_periods(target: pt.Target) -> list[pt.Period]:
    """The target period, the one before, their halves, quarters and months, and one after."""
    tp, prev = target.period, target.period.previous()
    after = pt.Period.parse(str(tp.end.year + 2))
    found = {tp, prev, after}
    for year in {tp.start.year, prev.start.year, tp.end.year}:
        texts = [str(year), f"{year}-H1", f"{year}-H2"]
        texts += [f"{year}-Q{q}" for q in range(1, 5)]
        texts += [f"{year}-{m:02d}" for m in range(1, 13)]
        for text in texts:
            q = pt.Period.parse(text)
            if tp.contains(q) or prev.contains(q):
                found.add(q)
    return sorted(found)


#: The largest level of a rate in each level unit (100 %); 百分点 is a change, not a level.
_RATE_TOP = {"%": 100.0, "‰": 1000.0, "": 1.0}


def _plausible(target: pt.Target, unit: str, value: float) -> float:
    """A drawn value (0 to 2e5) made a plausible level: a rate as a plain fraction within 0..1."""
    if target.indicator.kind is pt.IndicatorKind.RATE and unit == "":
        return value / 2e5
    return value


@st.composite
def plans_and_observations(draw: st.DrawFn, regions: tuple[str, ...] = ("north", "south")) -> Any:
    """A generated plan and a long observation frame for (some of) its targets."""
    plan = draw(plans())
    rows = []
    for target in plan.targets:
        if not draw(st.booleans()):
            continue
        kind = target.indicator.kind
        others = [u for k, g in UNIT_GROUPS.items() if k is not kind for u in g]
        candidates = _candidate_periods(target)
        for region in draw(st.lists(st.sampled_from(regions), unique=True, min_size=1)):
            for _ in range(draw(st.integers(1, 3))):
                unit = draw(
                    st.sampled_from(UNIT_GROUPS[kind])
                    if draw(st.integers(0, 9))
                    else st.sampled_from(others)
                )
                # A rate's level lies in 0..100 % (others are refused as misread units).
                top = _RATE_TOP.get(unit, 2e5) if kind is pt.IndicatorKind.RATE else 2e5
                value = draw(st.one_of(observation_values(0, top), st.just(math.nan)))
                pooled = kind is pt.IndicatorKind.RATE and draw(st.booleans())
                den = draw(observation_values(1, 1e4)) if pooled else math.nan
                num = draw(observation_values(0, den)) if pooled else math.nan
                if pooled and unit in _RATE_TOP and not math.isnan(value):
                    value = num / den * _RATE_TOP[unit]  # what numerator / denominator say
                rows.append(
                    {
                        "target_id": target.id,
                        "region": region,
                        "period": str(draw(st.sampled_from(candidates))),
                        "value": value,
                        "unit": unit,
                        "numerator": num,
                        "denominator": den,
                    }
                )
    columns = ["target_id", "region", "period", "value", "unit", "numerator", "denominator"]
    return plan, pd.DataFrame(rows, columns=columns).astype({"value": float})


def _observations(frame: pd.DataFrame) -> list[pt.Observation]:
    def number(x: float) -> float | None:
        return None if math.isnan(x) else float(x)

    return [
        pt.Observation(
            period=row.period,
            value=row.value,
            unit=row.unit,
            region=row.region,
            numerator=number(row.numerator),
            denominator=number(row.denominator),
        )
        for row in frame.itertuples()
    ]


def _expected(plan: pt.Plan, frame: pd.DataFrame, scoring: Any = "linear") -> dict[Any, Any]:
    """What pt.assess gives per (target, region); an exception stands for 'raises'."""
    expected: dict[Any, Any] = {}
    for target in plan.targets:
        mine = frame[frame["target_id"] == target.id]
        tp, prev = target.period, target.period.previous()
        relevant = [
            r
            for r, p in zip(mine["region"], mine["period"], strict=True)
            if tp.contains(pt.Period.parse(p))
            or prev.contains(pt.Period.parse(p))
            or tp.overlaps(pt.Period.parse(p))
        ]
        if not relevant:
            expected[(target.id, None)] = pt.assess(target, [], scoring=scoring)
        for region in dict.fromkeys(relevant):
            group = mine[mine["region"] == region]
            try:
                result = pt.assess(target, _observations(group), scoring=scoring)
            except pt.InvalidValueError as exc:
                result = exc
            expected[(target.id, region)] = result
    return expected


def _close(actual: float, wanted: float | None) -> bool:
    if wanted is None:
        return math.isnan(actual)
    return math.isclose(actual, wanted, rel_tol=1e-9, abs_tol=1e-9)


def _check_equal(result: pd.DataFrame, expected: dict[Any, Any], exact: bool = True) -> None:
    """Rows equal to assess; ``exact``: the same bits (not for a file rounded on writing)."""
    if any(isinstance(e, Exception) for e in expected.values()):
        raise AssertionError("expected an ObservationError")
    assert len(result) == len(expected)
    for row in result.itertuples():
        region = getattr(row, "region", None)
        key = (row.target_id, None if pd.isna(region) else region)
        wanted = expected[key]
        assert row.status == wanted.status.value, (key, row.reason, wanted.reason)
        assert row.reason == wanted.reason
        score = None if wanted.score is None else wanted.score.value
        method = None if wanted.score is None else wanted.score.method
        for name, value in zip(
            NUMBERS,
            (
                wanted.observed,
                wanted.projected,
                wanted.threshold,
                wanted.margin,
                wanted.baseline,
                wanted.coverage,
                score,
            ),
            strict=True,
        ):
            if exact and name == "observed" and value is not None:
                # One sum of a period's observations in both paths: the same bits.
                assert row.observed == value, (key, row.observed, value)
            assert _close(getattr(row, name), value), (key, name, getattr(row, name), value)
        assert (None if pd.isna(row.score_method) else row.score_method) == method
        assert row.aspirational == wanted.aspirational
        assert row.period == str(wanted.period)
        assert row.unit == wanted.unit
        assert row.margin_unit == wanted.margin_unit


def _evaluate_or_error(plan: pt.Plan, frame: pd.DataFrame, **kwargs: Any) -> Any:
    try:
        return pt.evaluate(plan, frame, **kwargs)
    except pt.ObservationError as exc:
        return exc


class TestEqualsAssess:
    """pt.evaluate gives, row for row, what pt.assess gives per group."""

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(plans_and_observations())
    def test_generated_plans_and_observations(self, data: Any) -> None:
        plan, frame = data
        expected = _expected(plan, frame)
        result = _evaluate_or_error(plan, frame)
        if isinstance(result, pt.ObservationError):
            assert any(isinstance(e, Exception) for e in expected.values()), result
            return
        _check_equal(result, expected)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        plans_and_observations(),
        st.sampled_from(["growth_ratio", "current_status_index"]),
    )
    def test_every_built_in_scoring_method(self, data: Any, scoring: str) -> None:
        plan, frame = data
        try:
            expected = _expected(plan, frame, scoring)
        except OverflowError:  # Python floats raise where numpy gives inf
            return
        result = _evaluate_or_error(plan, frame, scoring=scoring)
        if isinstance(result, pt.ObservationError):
            assert any(isinstance(e, Exception) for e in expected.values()), result
            return
        _check_equal(result, expected)


@st.composite
def flows_with_previous_months(draw: st.DrawFn) -> Any:
    """A flow target, the whole period observed, and some months of the period before."""
    indicator = pt.Indicator(
        id="new", name=pt.Label(zh="新增企业"), kind="count", unit="家", basis="flow"
    )
    target = draw(targets(id="f", indicator=indicator))
    prev = target.period.previous()
    months = [q for q in _candidate_periods(target) if prev.contains(q) and q.days <= 31]
    chosen = draw(st.lists(st.sampled_from(months), unique=True, min_size=1))
    rows = [
        (
            "f",
            str(q),
            draw(observation_values(0, 1e4)),
            draw(st.sampled_from(UNIT_GROUPS[indicator.kind])),
        )
        for q in [target.period, *chosen]
    ]
    frame = _frame(rows).assign(region="north", numerator=math.nan, denominator=math.nan)
    return _plan(target), frame


class TestFlowBaselines:
    """A flow's baseline is known only when the previous period is fully observed."""

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(flows_with_previous_months())
    def test_equals_assess(self, data: Any) -> None:
        plan, frame = data
        expected = _expected(plan, frame)
        (wanted,) = expected.values()
        prev = plan.target("f").period.previous()
        covered = sum(pt.Period.parse(p).days for p in frame["period"][1:])
        assert (wanted.baseline is None) == (covered < prev.days)
        _check_equal(pt.evaluate(plan, frame), expected)


@st.composite
def whole_period_observations(draw: st.DrawFn) -> Any:
    """A plan and one observation per (target, region) covering the target's period."""
    plan = draw(plans())
    rows = []
    for target in plan.targets:
        for region in ("north", "south", "east"):
            if draw(st.integers(0, 4)) == 0:
                continue
            kind = target.indicator.kind
            value = draw(st.one_of(observation_values(0, 2e5), st.just(math.nan)))
            unit = draw(st.sampled_from(UNIT_GROUPS[kind]))
            rows.append(
                {
                    "target_id": target.id,
                    "region": region,
                    "period": str(target.period),
                    "value": _plausible(target, unit, value),
                    "unit": unit,
                }
            )
    frame = pd.DataFrame(rows, columns=["target_id", "region", "period", "value", "unit"])
    frame = frame.astype({"value": float})
    frame["numerator"] = math.nan
    frame["denominator"] = math.nan
    return plan, frame


class TestInfiniteValues:
    """An infinite value, numerator or denominator is refused, naming every such cell."""

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(plans_and_observations(), st.data())
    def test_every_infinite_cell_is_listed_as_non_finite(self, data: Any, draw: Any) -> None:
        plan, frame = data
        assume(len(frame))
        cells = draw.draw(
            st.sets(
                st.tuples(
                    st.integers(0, len(frame) - 1),
                    st.sampled_from(["value", "numerator", "denominator"]),
                ),
                min_size=1,
            )
        )
        for row, column in cells:
            frame.loc[row, column] = draw.draw(st.sampled_from([math.inf, -math.inf]))
        with pytest.raises(pt.ObservationError) as info:
            pt.evaluate(plan, frame)
        failures = info.value.failures
        assert set(failures["reason"]) == {"non_finite_value"}
        assert set(zip(failures["row"], failures["column"], strict=True)) == cells


class TestFastPath:
    """One observation per group over the whole period: the numpy fast path agrees too."""

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(whole_period_observations(), st.booleans())
    def test_equals_assess(self, data: Any, categorical: bool) -> None:
        plan, frame = data
        expected = _expected(plan, frame)
        if categorical:
            frame = frame.astype(dict.fromkeys(("target_id", "region", "unit"), "category"))
        _check_equal(pt.evaluate(plan, frame), expected)


def _rate(**kwargs: Any) -> pt.Target:
    indicator = pt.Indicator(id="rate", name=pt.Label(zh="合格率"), kind="rate", unit="%")
    return pt.Target(
        id=kwargs.pop("id", "t"),
        indicator=indicator,
        period=kwargs.pop("period", "2022"),
        **kwargs,
    )


def _flow(**kwargs: Any) -> pt.Target:
    indicator = pt.Indicator(
        id="new", name=pt.Label(zh="新增企业"), kind="count", unit="家", basis="flow"
    )
    return pt.Target(id=kwargs.pop("id", "f"), indicator=indicator, period="2022", **kwargs)


def _plan(*targets: pt.Target) -> pt.Plan:
    goal = pt.Goal(id="g", title=pt.Label(en="goal"), targets=targets)
    return pt.Plan(id="p", title=pt.Label(en="plan"), period="2022", goals=(goal,))


def _frame(rows: list[tuple[Any, ...]], key: str = "target_id") -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[key, "period", "value", "unit"]).astype({"value": float})


class TestStatuses:
    """Every status, judged as pt.assess judges it."""

    def test_met_and_not_met(self) -> None:
        plan = _plan(
            _rate(id="a", condition=pt.AtLeast(value=57)),
            _rate(id="b", condition=pt.LessThan(value=5)),
        )
        result = pt.evaluate(plan, _frame([("a", "2022", 0.57, ""), ("b", "2022", 5, "%")]))
        assert list(result["status"]) == ["met", "not_met"]
        assert list(result["margin"]) == [0.0, 0.0]

    def test_flow_observed_in_part_is_projected(self) -> None:
        plan = _plan(_flow(condition=pt.AtLeast(value=100)))
        frame = _frame([("f", "2022-Q1", 20, "家"), ("f", "2022-Q2", 30, "家")])
        row = pt.evaluate(plan, frame).iloc[0]
        assert row["status"] == "on_track"
        assert row["observed"] == 50
        assert row["projected"] == pytest.approx(50 / (181 / 365))

    def test_off_track(self) -> None:
        plan = _plan(_flow(condition=pt.AtLeast(value=1000)))
        row = pt.evaluate(plan, _frame([("f", "2022-H1", 20, "万家")])).iloc[0]
        assert (row["status"], row["observed"]) == ("on_track", 200_000)
        row = pt.evaluate(plan, _frame([("f", "2022-H1", 20, "家")])).iloc[0]
        assert row["status"] == "off_track"

    def test_missing_values_and_absent_targets_are_no_data(self) -> None:
        plan = _plan(
            _rate(id="a", condition=pt.AtLeast(value=1)), _rate(id="b", condition=pt.Zero())
        )
        result = pt.evaluate(plan, _frame([("a", "2022", math.nan, "%")]))
        assert list(result["status"]) == ["no_data", "no_data"]
        assert list(result["reason"]) == [
            "every observation for 2022 is missing",
            "no observation for 2022",
        ]

    def test_another_dimension_is_not_comparable(self) -> None:
        plan = _plan(_rate(condition=pt.AtLeast(value=1)))
        row = pt.evaluate(plan, _frame([("t", "2022", 3, "家")])).iloc[0]
        assert row["status"] == "not_comparable"
        assert math.isnan(row["observed"])

    def test_relative_change_needs_the_previous_period(self) -> None:
        plan = _plan(_rate(condition=pt.RelativeChange(percent=10)))
        row = pt.evaluate(plan, _frame([("t", "2022", 50, "%")])).iloc[0]
        assert row["status"] == "needs_baseline"
        frame = _frame([("t", "2022", 50, "%"), ("t", "2021", 40, "%")])
        row = pt.evaluate(plan, frame).iloc[0]
        assert (row["status"], row["baseline"], row["threshold"]) == ("met", 40, 44)

    def test_a_flow_observed_over_part_of_the_previous_period_needs_a_baseline(self) -> None:
        target = _flow(condition=pt.RelativeChange(percent=5))
        rows = [("f", "2021-H1", 40, "家"), ("f", "2022", 104, "家")]
        row = pt.evaluate(_plan(target), _frame(rows)).iloc[0]
        assert row["status"] == "needs_baseline"
        assert row["reason"].endswith("observations cover 50% of 2021")
        assert math.isnan(row["baseline"])
        rows.append(("f", "2021-H2", 60, "家"))
        row = pt.evaluate(_plan(target), _frame(rows)).iloc[0]
        assert (row["status"], row["baseline"]) == ("not_met", 100)

    def test_a_planned_baseline_wins_over_a_partly_observed_flow(self) -> None:
        target = _flow(
            condition=pt.RelativeChange(percent=5), baseline=pt.Baseline(value=90, period="2021")
        )
        rows = [("f", "2021-H1", 40, "家"), ("f", "2022", 104, "家")]
        row = pt.evaluate(_plan(target), _frame(rows)).iloc[0]
        assert (row["status"], row["baseline"]) == ("met", 90)
        wanted = pt.assess(
            target, [pt.Observation(period=p, value=v, unit=u) for _, p, v, u in rows]
        )
        assert row["reason"] == wanted.reason

    def test_maintained_is_judged_on_the_year_figure(self) -> None:
        """保持: the year's figure (the latest level here), not the worst quarter (as assess)."""
        target = _rate(condition=pt.Maintained(condition=pt.AtLeast(value=90)))
        rows = [("t", f"2022-Q{q}", v, "%") for q, v in ((1, 95), (2, 89), (3, 99), (4, 97))]
        row = pt.evaluate(_plan(target), _frame(rows)).iloc[0]
        wanted = pt.assess(
            target, [pt.Observation(period=p, value=v, unit=u) for _, p, v, u in rows]
        )
        assert (row["status"], row["observed"]) == ("met", 97)
        assert row["reason"] == wanted.reason

    def test_maintained_below_part_way_is_off_track(self) -> None:
        target = _rate(condition=pt.Maintained(condition=pt.AtLeast(value=90)))
        plan = _plan(target)
        rows = [("t", "2022-Q1", 95, "%"), ("t", "2022-Q2", 89, "%")]
        row = pt.evaluate(plan, _frame(rows)).iloc[0]
        wanted = pt.assess(
            target, [pt.Observation(period=p, value=v, unit=u) for _, p, v, u in rows]
        )
        assert (row["status"], row["observed"]) == ("off_track", 89)
        assert row["reason"] == wanted.reason
        held = pt.evaluate(plan, _frame(rows[:1])).iloc[0]
        assert held["status"] == "on_track"

    def test_of_figures_ending_together_the_longest_is_judged(self) -> None:
        target = _rate(condition=pt.RelativeChange(percent=5))
        rows = [
            ("t", "2021-H2", 70, "%"),
            ("t", "2021", 80, "%"),
            ("t", "2022-H2", 90, "%"),
            ("t", "2022", 84, "%"),
            ("t", "2022-Q4", 95, "%"),
        ]
        row = pt.evaluate(_plan(target), _frame(rows)).iloc[0]
        assert (row["status"], row["observed"], row["baseline"]) == ("met", 84, 80)
        assert row["coverage"] == 1.0

    def test_rates_pool_numerators_and_denominators(self) -> None:
        plan = _plan(_rate(condition=pt.AtLeast(value=90)))
        frame = _frame([("t", "2022-H1", 80, "%"), ("t", "2022-H2", 100, "%")])
        frame["numerator"] = [8.0, 90.0]
        frame["denominator"] = [10.0, 90.0]
        row = pt.evaluate(plan, frame).iloc[0]
        assert row["observed"] == pytest.approx(98)

    @pytest.mark.parametrize(
        ("condition", "value", "status"),
        [
            (pt.MoreThan(value=5), 5, "not_met"),
            (pt.AtMost(value=5), 5, "met"),
            (pt.Point(value=5), 6, "met"),
            (pt.Approximately(value=5, abs_tol=0.5), 5.4, "met"),
            (pt.Between(low=1, high=3), 4, "not_met"),
            (pt.Improve(), 5, "needs_baseline"),
            (pt.Zero(), 0, "met"),
        ],
    )
    def test_every_condition_type(self, condition: pt.Condition, value: float, status: str) -> None:
        plan = _plan(_rate(condition=condition))
        frame = _frame([("t", "2022", value, "%")])
        result = pt.evaluate(plan, frame)
        assert result["status"].iloc[0] == status
        assert (
            status
            == pt.assess(
                plan.target("t"), pt.Observation(period="2022", value=value, unit="%")
            ).status.value
        )


class TestSumsEqualAssessExactly:
    """A summed flow and a pooled rate are the very same float in assess, evaluate and Dask."""

    @settings(max_examples=60, deadline=None)
    @given(
        st.sampled_from(["quarters", "months"]),
        st.data(),
    )
    def test_sub_period_sums(self, parts: str, data: st.DataObject) -> None:
        periods = (
            [f"2022-Q{q}" for q in range(1, 5)]
            if parts == "quarters"
            else [f"2022-{m:02d}" for m in range(1, 13)]
        )
        n = data.draw(st.integers(min_value=2, max_value=len(periods)))
        chosen = periods[:n]
        finite = st.floats(min_value=1e-3, max_value=1e9, allow_nan=False, allow_infinity=False)
        values = data.draw(st.lists(finite, min_size=n, max_size=n))
        # Illustrative numerators and denominators (positive, so the rate pools).
        denominators = data.draw(st.lists(finite, min_size=n, max_size=n))
        shares = data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
        numerators = [d * s for d, s in zip(denominators, shares, strict=True)]
        plan = _plan(_flow(condition=pt.AtLeast(value=100)), _rate(condition=pt.AtLeast(value=50)))
        rows = [("f", p, v, "家") for p, v in zip(chosen, values, strict=True)]
        rows += [
            ("t", p, a / b * 100, "%")
            for p, a, b in zip(chosen, numerators, denominators, strict=True)
        ]
        frame = _frame(rows)
        frame["numerator"] = [math.nan] * n + numerators
        frame["denominator"] = [math.nan] * n + denominators
        # Rows in random order: both paths sort them into the same order first.
        frame = frame.sample(frac=1, random_state=data.draw(st.integers(0, 2**31 - 1)))
        result = pt.evaluate(plan, frame).set_index("target_id")
        for target in plan.targets:
            mine = frame[frame["target_id"] == target.id]
            wanted = pt.assess(target, _observations(mine.assign(region=None)))
            assert result.loc[target.id, "observed"] == wanted.observed
            assert result.loc[target.id, "coverage"] == wanted.coverage
        dd = pytest.importorskip("dask.dataframe")
        lazy = pt.evaluate(plan, dd.from_pandas(frame, npartitions=2)).compute()
        assert list(lazy.set_index("target_id").loc[["f", "t"], "observed"]) == list(
            result.loc[["f", "t"], "observed"]
        )


class TestKeysAndGroups:
    """Keys by target or indicator, breakdown columns and irrelevant periods."""

    def test_indicator_id_applies_to_every_target_of_the_indicator(self) -> None:
        plan = _plan(
            _rate(id="a", condition=pt.AtLeast(value=50)),
            _rate(id="b", condition=pt.AtLeast(value=70), period="2023"),
        )
        frame = _frame([("rate", "2022", 60, "%"), ("rate", "2023", 60, "%")], key="indicator_id")
        result = pt.evaluate(plan, frame)
        assert dict(zip(result["target_id"], result["status"], strict=True)) == {
            "a": "met",
            "b": "not_met",
        }

    def test_by_columns_split_groups_and_other_periods_are_ignored(self) -> None:
        plan = _plan(_rate(condition=pt.AtLeast(value=50)))
        frame = _frame([("t", "2022", 60, "%"), ("t", "2022", 40, "%"), ("t", "2030", 1, "%")])
        frame["town"] = ["a", "b", "a"]
        result = pt.evaluate(plan, frame, by=["town"])
        assert list(zip(result["town"], result["status"], strict=True)) == [
            ("a", "met"),
            ("b", "not_met"),
        ]

    def test_unknown_ids_are_listed_all_at_once(self) -> None:
        plan = _plan(_rate(condition=pt.AtLeast(value=50)))
        frame = _frame([("x", "2022", 1, "%"), ("t", "2022", 1, "%"), ("y", "2022", 1, "%")])
        with pytest.raises(pt.ObservationError) as info:
            pt.evaluate(plan, frame)
        failures = info.value.failures
        assert list(failures["row"]) == [0, 2]
        assert set(failures["reason"]) == {"unknown_id"}

    def test_two_values_for_one_period_are_refused(self) -> None:
        plan = _plan(_rate(condition=pt.AtLeast(value=50)))
        frame = _frame([("t", "2022", 60, "%"), ("t", "2022", 61, "%")])
        with pytest.raises(pt.ObservationError) as info:
            pt.evaluate(plan, frame)
        assert list(info.value.failures["reason"]) == ["duplicate", "duplicate"]

    def test_a_custom_scorer_is_called_per_group(self) -> None:
        plan = _plan(
            _rate(condition=pt.AtLeast(value=80), baseline=pt.Baseline(value=60, period="2021"))
        )

        def halfway(p: pt.ProgressInput) -> Any:
            return pt.LinearAchievement(
                value=0.5, actual=p.current, baseline=p.baseline, target=p.target, method="halfway"
            )

        row = pt.evaluate(plan, _frame([("t", "2022", 70, "%")]), scoring=halfway).iloc[0]
        assert (row["score"], row["score_method"]) == (0.5, "halfway")

    def test_progress_bar_goes_to_stderr(self, capsys: pytest.CaptureFixture[str]) -> None:
        plan = _plan(_rate(condition=pt.AtLeast(value=50)))
        pt.evaluate(plan, _frame([("t", "2022", 60, "%")]), progress=True)
        assert "evaluating" in capsys.readouterr().err


class TestDask:
    """A Dask DataFrame gives the rows pandas gives."""

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(plans_and_observations())
    def test_partitioned_frame_equals_pandas(self, data: Any) -> None:
        dd = pytest.importorskip("dask.dataframe")
        plan, frame = data
        try:
            expected = pt.evaluate(plan, frame)
        except pt.ObservationError:
            return
        lazy = pt.evaluate(plan, dd.from_pandas(frame, npartitions=3))
        actual = lazy.compute()
        keys = ["target_id", "region"] if "region" in expected.columns else ["target_id"]

        def norm(f: pd.DataFrame) -> pd.DataFrame:
            text = [c for c in f.columns if not pd.api.types.is_float_dtype(f[c].dtype)]
            f = f.astype(dict.fromkeys(text, object))
            f[text] = f[text].where(f[text].notna(), None)
            return f.sort_values(keys, key=lambda s: s.astype(str)).reset_index(drop=True)

        pd.testing.assert_frame_equal(
            norm(actual), norm(expected), check_dtype=False, check_exact=True
        )


class TestBenchmark:
    """The benchmark script runs and ends with the ratio line."""

    def test_smoke(self) -> None:
        done = subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "evaluate_bench.py"),
                "--rows",
                "4000",
                "--repeats",
                "1",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        last = done.stdout.strip().splitlines()[-1]
        assert last.startswith("ratio_to_numpy=")
        assert float(last.split("=")[1]) > 0


@st.composite
def long_runs(draw: st.DrawFn) -> Any:
    """A plan and 100 regions per target in target order: long runs of one target."""
    plan = draw(plans())
    frames = []
    for target in plan.targets:
        units = draw(st.lists(st.sampled_from(UNIT_GROUPS[target.indicator.kind]), min_size=1))
        values = draw(st.lists(observation_values(0, 2e5) | st.just(math.nan), min_size=1))
        frames.append(
            pd.DataFrame(
                {
                    "target_id": target.id,
                    "region": [f"r{i:03d}" for i in range(100)],
                    "period": str(target.period),
                    "value": [
                        _plausible(target, units[i % len(units)], values[i % len(values)])
                        for i in range(100)
                    ],
                    "unit": [units[i % len(units)] for i in range(100)],
                }
            )
        )
    assume(frames)
    return plan, pd.concat(frames, ignore_index=True).astype({"value": float})


class TestRowOrder:
    """The fast path's two kernels (runs of one target, interleaved targets) agree."""

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(long_runs(), st.randoms(use_true_random=False))
    def test_shuffled_rows_give_the_same_rows(self, data: Any, random: Any) -> None:
        plan, frame = data
        in_runs = pt.evaluate(plan, frame)
        order = list(range(len(frame)))
        random.shuffle(order)
        shuffled = pt.evaluate(plan, frame.iloc[order].reset_index(drop=True))

        def norm(f: pd.DataFrame) -> pd.DataFrame:
            f = f.astype({c: object for c in f.columns if c not in NUMBERS})
            f = f.astype(dict.fromkeys(NUMBERS, float))
            return f.sort_values(["target_id", "region"]).reset_index(drop=True)

        pd.testing.assert_frame_equal(norm(in_runs), norm(shuffled))


class TestResultColumns:
    """The documented column types: categorical text, float64 numbers."""

    def test_number_columns_are_floats(self) -> None:
        plan = _plan(
            _rate(
                id="a",
                condition=pt.AtLeast(value=50),
                baseline=pt.Baseline(value=40, period="2021"),
            ),
            _rate(id="b", condition=pt.AtLeast(value=50)),
        )
        frame = _frame([("a", "2022", 60, "%"), ("b", "2022", math.nan, "%")])
        result = pt.evaluate(plan, frame)
        assert list(result["coverage"] * 100) == [100.0, 0.0]
        assert list(result["baseline"].isna()) == [False, True]
        assert list(result["score"] > 0.5) == [True, False]
        assert result["projected"].isna().all()
        assert str(result["status"].dtype) == "category"
        assert str(result["reason"].dtype) == "category"


class TestIntegerBreakdownWithAbsentTargets:
    """An integer breakdown column and a target without observations (once a TypeError)."""

    @pytest.mark.parametrize("periods", [["2022", "2022"], ["2022", "2022-H1"]])  # fast, general
    def test_absent_row_has_a_missing_breakdown(self, periods: list[str]) -> None:
        rate = pt.Indicator(id="r", name=pt.Label(zh="率"), kind="rate", unit="%")
        targets = tuple(
            pt.Target(id=f"t{i}", indicator=rate, condition=pt.AtLeast(value=90), period="2022")
            for i in range(2)
        )
        plan = pt.Plan(
            id="p",
            title=pt.Label(zh="计划"),
            period="2022",
            goals=(pt.Goal(id="g", title=pt.Label(zh="目标"), targets=targets),),
        )
        frame = pd.DataFrame(
            {
                "target_id": ["t0", "t0"],
                "region": pd.array([1, 2], dtype="int32"),
                "period": periods,
                "value": [95.0, 91.0],
                "unit": ["%", "%"],
            }
        )
        result = pt.evaluate(plan, frame, by="region")
        assert str(result["region"].dtype) == "Int32"
        absent = result[result["target_id"] == "t1"]
        assert absent["status"].tolist() == ["no_data"]
        assert absent["region"].isna().all()
        assert result.loc[result["target_id"] == "t0", "region"].tolist()[0] == 1


class TestResultDoesNotAliasInput:
    """Writing into a result leaves the observation table alone (once it changed it).

    The fast path hands back the input's own key and breakdown columns without
    a copy; copy-on-write must still guard them, on every path and dtype.
    """

    @pytest.mark.parametrize("index", [[7, 9], [0, 1]])
    @pytest.mark.parametrize("absent", [False, True])  # a target without rows: missing rows
    @pytest.mark.parametrize("dtype", ["category", "str", "int64"])
    @pytest.mark.parametrize("periods", [["2022", "2022"], ["2022", "2022-H1"]])  # fast, general
    def test_writing_a_result_cell(
        self, dtype: str, periods: list[str], absent: bool, index: list[int]
    ) -> None:
        targets = [_rate(id="a", condition=pt.AtLeast(value=50))]
        if absent:
            targets.append(_rate(id="b", condition=pt.AtLeast(value=50)))
        plan = _plan(*targets)
        frame = pd.DataFrame(
            {
                "target_id": pd.Categorical(["a", "a"]),
                "region": pd.Series(["1", "2"], index=index).astype(dtype),
                "period": periods,
                "value": [60.0, 40.0],
                "unit": ["%", "%"],
            },
            index=pd.RangeIndex(2) if index == [0, 1] else index,
        )
        before = frame.copy(deep=True)
        result = pt.evaluate(plan, frame)
        assert list(result.index) == list(range(len(result)))
        first = result["region"].iloc[0]
        result.loc[0, "region"] = result["region"].iloc[1]
        result.loc[0, "target_id"] = "a"
        result.loc[1, "observed"] = 1.0
        assert result["region"].iloc[1] != first
        pd.testing.assert_frame_equal(frame, before)
