"""Cases found by an adversarial audit of evaluate against assess (each failed once).

Plans and observations here are illustrative.
"""

from __future__ import annotations

import pandas as pd
import pytest

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


def _rate() -> pt.Indicator:
    return pt.Indicator(
        id="rate", name=pt.Label(zh="合格率"), kind="rate", unit="%", direction="higher"
    )


def _norm(frame: pd.DataFrame) -> pd.DataFrame:
    """Plain values in (target, region) order: Dask's rows come in another order."""
    frame = frame.astype({c: object for c in frame.columns if frame[c].dtype.kind not in "fb"})
    frame = frame.where(frame.notna(), None)
    keys = [c for c in ("target_id", "region") if c in frame.columns]
    return frame.sort_values(keys, key=lambda s: s.astype(str)).reset_index(drop=True)


class TestDaskCategoricalColumns:
    """Every partition's categorical columns unite: Dask raised TypeError ('dtype of
    categories must be the same') where two partitions' categories differed in type."""

    @staticmethod
    def _compare(plan: pt.Plan, frame: pd.DataFrame, npartitions: int) -> None:
        dd = pytest.importorskip("dask.dataframe")
        lazy = dd.from_pandas(frame, npartitions=npartitions, sort=False)
        got = pt.evaluate(plan, lazy).compute()
        pd.testing.assert_frame_equal(_norm(got), _norm(pt.evaluate(plan, frame)))

    @pytest.mark.parametrize("npartitions", [1, 2])
    def test_a_categorical_region_with_a_multi_year_target_and_an_absent_one(
        self, npartitions: int
    ) -> None:
        # The absent target's no_data row has no region: its categories were an
        # empty Index of object, the judged rows' pandas' str.
        plan = _plan(
            pt.Target(
                id="t0", indicator=_rate(), condition=pt.AtLeast(value=90.0), period="2021-2025"
            ),
            pt.Target(id="t1", indicator=_rate(), condition=pt.AtLeast(value=90.0), period="2022"),
        )
        frame = pd.DataFrame(
            {
                "target_id": ["t0", "t0"],
                "region": pd.Categorical(["东区", "西区"]),
                "period": ["2022", "2022"],
                "value": [95.0, 85.0],
                "unit": ["%", "%"],
            }
        )
        self._compare(plan, frame, npartitions)

    @pytest.mark.parametrize("absent", [False, True])
    def test_categories_of_object_type_in_partitions_on_different_paths(self, absent: bool) -> None:
        # One partition on the fast path (which keeps the input's own categories, of
        # object), the other on the general path (categories of pandas' str).
        plan = _plan(
            pt.Target(id="t0", indicator=_rate(), condition=pt.AtLeast(value=90.0), period="2022"),
            pt.Target(id="t1", indicator=_rate(), condition=pt.AtLeast(value=90.0), period="2022"),
        )
        frame = pd.DataFrame(
            {
                "target_id": ["t0", "t1", "t1"],
                "region": ["东区", "东区", "西区"],
                "period": ["2022", "2021", "2022"],
                "value": [95.0, 80.0, 85.0],
                "unit": ["%", "%", "%"],
            }
        )
        if absent:
            frame = frame.iloc[:1]
        for column in ("target_id", "region"):
            texts = pd.Index(
                ["t0", "t1"] if column == "target_id" else ["西区", "东区"], dtype=object
            )
            frame[column] = pd.Categorical(frame[column], categories=texts)
        self._compare(plan, frame, min(2, len(frame)))

    def test_an_ordered_categorical_region(self) -> None:
        # Each partition keeps the regions its rows use; ordered categories unite
        # only when equal ('Categorical.ordered must be the same').
        plan = _plan(
            pt.Target(id="t0", indicator=_rate(), condition=pt.AtLeast(value=90.0), period="2022"),
            pt.Target(id="t1", indicator=_rate(), condition=pt.AtLeast(value=90.0), period="2022"),
        )
        frame = pd.DataFrame(
            {
                "target_id": ["t0", "t0"],
                "region": pd.Categorical(
                    ["东区", "西区"], categories=["东区", "西区", "南区"], ordered=True
                ),
                "period": ["2022", "2022"],
                "value": [95.0, 85.0],
                "unit": ["%", "%"],
            }
        )
        self._compare(plan, frame, 2)


class TestSamePeriodProjectionReadsOnlyRelevantYears:
    """A contradiction in a year a same-period projection never reads stops neither
    assess nor evaluate (assess refused it while evaluate judged the target)."""

    def test_two_values_for_2019_of_a_2022_target(self) -> None:
        indicator = pt.Indicator(
            id="firms",
            name=pt.Label(zh="新增企业"),
            kind="count",
            unit="家",
            direction="higher",
            basis="flow",
            projection="same_period",
        )
        target = pt.Target(
            id="t", indicator=indicator, condition=pt.AtLeast(value=10.0), period="2022"
        )
        rows = [("2019", 1.0), ("2019", 2.0), ("2021-H1", 4.0), ("2021-H2", 6.0), ("2022-H1", 6.0)]
        observations = [pt.Observation(period=p, value=v, unit="家") for p, v in rows]
        judged = pt.assess(target, observations)
        # 6 in the first half, 4 of 10 in last year's: 15 projected.
        assert judged.status is pt.Status.ON_TRACK
        assert judged.projected == 15.0
        frame = pd.DataFrame(
            {"target_id": "t", "period": [p for p, _ in rows], "value": [v for _, v in rows]}
        ).assign(unit="家")
        row = pt.evaluate(_plan(target), frame).iloc[0]
        assert (row["status"], row["projected"], row["reason"]) == ("on_track", 15.0, judged.reason)


class TestMultiYearTargetNamedByIdAndName:
    """A multi-year target's rows under its indicator's id and its name are one group:
    the base year named one way reaches the year named the other (it was needs_baseline)."""

    @staticmethod
    def _gdp_plan() -> pt.Plan:
        gdp = pt.Indicator(
            id="gdp",
            name=pt.Label(zh="地区生产总值", en="GDP"),
            kind="amount",
            unit="亿元",
            direction="higher",
            basis="stock",
        )
        target = pt.Target(
            id="t", indicator=gdp, condition=pt.AnnualGrowth(percent=5.0), period="2021-2025"
        )
        return _plan(target)

    def test_pandas_and_dask_equal_assess(self) -> None:
        plan = self._gdp_plan()
        rows = [("gdp", "2020", 90.0), ("地区生产总值", "2021", 100.0), ("GDP", "2022", 106.0)]
        observations = [pt.Observation(period=p, value=v, unit="亿元") for _, p, v in rows]
        judged = pt.assess(plan.targets[0], observations)
        assert judged.status is pt.Status.ON_TRACK
        assert judged.baseline == 90.0
        frame = pd.DataFrame(
            {
                "indicator_id": [k for k, _, _ in rows],
                "period": [p for _, p, _ in rows],
                "value": [v for _, _, v in rows],
            }
        ).assign(unit="亿元")
        results = [pt.evaluate(plan, frame)]
        dd = pytest.importorskip("dask.dataframe")
        for n in (1, 2, 3):
            lazy = dd.from_pandas(frame, npartitions=n, sort=False)
            results.append(pt.evaluate(plan, lazy).compute())
        for result in results:
            row = result.iloc[0]
            assert (row["status"], row["baseline"], row["reason"]) == (
                "on_track",
                90.0,
                judged.reason,
            )


class TestMaintainedWithoutAFigureOfOneSpan:
    """保持 and 每年 judged on each month's (year's) figure, given no observation within one:
    not_comparable, saying why, from assess and evaluate alike (both raised IndexError)."""

    @pytest.mark.parametrize(
        ("condition", "period", "observed", "every"),
        [
            (
                pt.Maintained(condition=pt.AtLeast(value=90.0), every="month"),
                "2023",
                "2023",
                "month",
            ),
            (
                pt.Maintained(condition=pt.AtLeast(value=90.0), every="month"),
                "2023",
                "2023-Q1",
                "month",
            ),
            (pt.Maintained(condition=pt.AtLeast(value=90.0)), "2021-2025", "2022-2023", "year"),
            (pt.EveryYear(condition=pt.AtLeast(value=90.0)), "2021-2025", "2021-2025", "year"),
        ],
    )
    def test_not_comparable(
        self, condition: pt.Condition, period: str, observed: str, every: str
    ) -> None:
        target = pt.Target(id="t", indicator=_rate(), condition=condition, period=period)
        judged = pt.assess(target, [pt.Observation(period=observed, value=95.0, unit="%")])
        assert judged.status is pt.Status.NOT_COMPARABLE
        assert judged.reason == (
            f"a target over {period} is judged on each {every}'s figure; the latest "
            f"observation, for {observed}, spans more than one {every}"
        )
        frame = pd.DataFrame(
            {"target_id": ["t"], "period": [observed], "value": [95.0], "unit": ["%"]}
        )
        row = pt.evaluate(_plan(target), frame).iloc[0]
        assert (row["status"], row["reason"]) == ("not_comparable", judged.reason)

    def test_a_month_inside_is_still_judged(self) -> None:
        condition = pt.Maintained(condition=pt.AtLeast(value=90.0), every="month")
        target = pt.Target(id="t", indicator=_rate(), condition=condition, period="2023")
        judged = pt.assess(target, [pt.Observation(period="2023-01", value=95.0, unit="%")])
        assert judged.status is pt.Status.ON_TRACK


class TestNoToleranceAtAnInfiniteBound:
    """``rtol=0`` with an open-ended condition: the general path's bounds are arrays, where
    ``0 * inf`` made the tolerance NaN and every value fail (off_track for 90 % >= 0 %)."""

    def test_satisfies_with_array_bounds(self) -> None:
        import numpy as np

        from policytargets._conditions import satisfies

        value = np.array([90.0, 90.0, -1.0])
        low, high = np.array([0.0, -np.inf, 0.0]), np.array([np.inf, 100.0, np.inf])
        closed = np.array([True, True, True])
        for rtol in (0.0, pt.DEFAULT_RTOL):
            assert satisfies(value, low, high, closed, closed, rtol).tolist() == [True, True, False]

    @pytest.mark.parametrize("period", ["2022-01", "2022-Q1", "2022"])
    @pytest.mark.parametrize(
        "condition",
        [pt.AtLeast(value=90.0), pt.AtMost(value=90.0), pt.MoreThan(value=0.0)],
    )
    def test_evaluate_equals_assess(self, condition: pt.Condition, period: str) -> None:
        target = pt.Target(id="t", indicator=_rate(), condition=condition, period="2022")
        judged = pt.assess(target, [pt.Observation(period=period, value=90.0, unit="%")], rtol=0)
        assert judged.status in (pt.Status.MET, pt.Status.ON_TRACK, pt.Status.NOT_MET)
        frame = pd.DataFrame(
            {"target_id": ["t"], "period": [period], "value": [90.0], "unit": ["%"]}
        )
        row = pt.evaluate(_plan(target), frame, rtol=0).iloc[0]
        assert (row["status"], row["reason"]) == (judged.status.value, judged.reason)
