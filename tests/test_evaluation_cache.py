"""What evaluate works out from a plan alone is kept per plan, and never changes a result.

Every number here is illustrative.
"""

from __future__ import annotations

import gc

import attrs
import pandas as pd
import pytest

import policytargets as pt
from policytargets._evaluation import tables

RATE = pt.Indicator(id="pass_rate", name=pt.Label(zh="合格率"), kind="rate", unit="%")
ACCIDENTS = pt.Indicator(
    id="accidents",
    name=pt.Label(zh="事故"),
    kind="count",
    unit="起",
    direction="lower",
    basis="flow",
)
FIRMS = pt.Indicator(id="firms", name=pt.Label(zh="企业"), kind="count", unit="家", basis="stock")
AREA = pt.Indicator(
    id="green", name=pt.Label(zh="绿地"), kind="amount", unit="万平方米", basis="stock"
)


def plan() -> pt.Plan:
    """One-bound targets, a baseline change, a 保持 target and a multi-year one."""
    targets = (
        pt.Target(id="rate", indicator=RATE, condition=pt.AtLeast(value=96.8), period="2022"),
        pt.Target(
            id="accidents", indicator=ACCIDENTS, condition=pt.AtMost(value=30), period="2022-H1"
        ),
        pt.Target(
            id="firms",
            indicator=FIRMS,
            condition=pt.RelativeChange(percent=3.0),
            period="2022",
            baseline=pt.Baseline(value=200, period="2021"),
        ),
        pt.Target(
            id="kept",
            indicator=RATE,
            condition=pt.Maintained(condition=pt.AtLeast(value=90)),
            period="2022",
        ),
        pt.Target(id="area", indicator=AREA, condition=pt.AtLeast(value=50), period="2021-2025"),
        pt.Target(
            id="area_q", indicator=AREA, condition=pt.Between(low=10, high=20), period="2022-Q1"
        ),
    )
    goal = pt.Goal(id="g", title=pt.Label(zh="目标"), targets=targets)
    return pt.Plan(id="p", title=pt.Label(zh="计划"), period="2021-2025", goals=(goal,))


def frame(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"target_id": t, "period": p, "value": v, "unit": u} for t, p, v, u in rows]
    )


#: Observation tables of one plan, one after the other: other units, periods and targets.
TABLES = (
    [("rate", "2022", 97.0, "%"), ("accidents", "2022-H1", 28, "起")],
    [
        ("rate", "2022", 0.95, ""),
        ("area_q", "2022-Q1", 150000, "平方米"),
        ("kept", "2022", 91, "%"),
    ],
    [("firms", "2022", 210, "家"), ("area", "2023", 40, "万平方米"), ("rate", "2022", 0.9, "kg")],
    [("accidents", "2022-Q1", 10, "起"), ("accidents", "2022-Q2", 25, "起")],
    [],
)


class TestPlanCache:
    """Evaluating a plan again reuses what it worked out, with the same results."""

    def test_again_equals_a_fresh_plan(self) -> None:
        """Each table evaluated after the others equals it evaluated against a fresh copy."""
        reused = plan()
        for rows in TABLES:
            observations = frame(rows) if rows else frame([("rate", "2023", 97.0, "%")])
            again = pt.evaluate(reused, observations)
            fresh = pt.evaluate(attrs.evolve(reused), observations)
            pd.testing.assert_frame_equal(again, fresh)

    def test_scoring_and_tolerance_are_not_cached(self) -> None:
        """Another scoring method or tolerance after a first call gives its own result."""
        reused = plan()
        observations = frame([("firms", "2022", 205.9, "家"), ("rate", "2022", 96.79, "%")])
        pt.evaluate(reused, observations)
        for kwargs in ({"scoring": "growth_ratio"}, {"rtol": 1e-3}):
            again = pt.evaluate(reused, observations, **kwargs)
            fresh = pt.evaluate(attrs.evolve(reused), observations, **kwargs)
            pd.testing.assert_frame_equal(again, fresh)

    def test_the_cache_goes_with_the_plan(self) -> None:
        """Nothing of a plan is kept after the plan itself is gone."""
        doomed = plan()
        pt.evaluate(doomed, frame([("rate", "2022", 97.0, "%")]))
        key = id(doomed)
        assert key in tables._CACHES
        del doomed
        gc.collect()
        assert key not in tables._CACHES

    def test_shared_arrays_are_read_only(self) -> None:
        """The per-target arrays every evaluation shares cannot be changed by one of them."""
        cache = tables.plan_cache(plan())
        with pytest.raises(ValueError, match="read-only"):
            cache.columns["low"][0] = 0.0

    def test_other_units_in_force_work_out_again(self) -> None:
        """Under another unit scope the plan's cache is worked out again, not reused."""
        reused = plan()
        first = tables.plan_cache(reused)
        assert tables.plan_cache(reused) is first
        with pt.unit_scope("test_cache_crate = 12 * item = 箱缓存"):
            assert tables.plan_cache(reused) is not first


#: Targets the assess kernel judges (a multi-year period, a named base, a projection
#: other than linear, a condition held month by month) beside one it does not.
KERNEL_TARGETS = (
    pt.Target(id="five_years", indicator=RATE, condition=pt.AtLeast(value=90), period="2021-2025"),
    pt.Target(
        id="named_base",
        indicator=FIRMS,
        condition=pt.RelativeChange(percent=10.0, base="2020"),
        period="2022",
        baseline=pt.Baseline(value=180, period="2020"),
    ),
    pt.Target(
        id="lumpy",
        indicator=pt.Indicator(
            id="awards",
            name=pt.Label(zh="奖项"),
            kind="count",
            unit="项",
            basis="flow",
            projection="none",
        ),
        condition=pt.AtLeast(value=3),
        period="2022",
        aspirational=True,
    ),
    pt.Target(
        id="monthly",
        indicator=RATE,
        condition=pt.Maintained(condition=pt.AtLeast(value=95), every="month"),
        period="2022",
    ),
    pt.Target(id="plain", indicator=RATE, condition=pt.AtLeast(value=96.8), period="2022"),
)


class TestAbsentTargets:
    """A target without observations gets assess's own assessment, whatever judges it."""

    @pytest.mark.parametrize("observed", [None, "five_years", "plain"])
    def test_no_data_rows_equal_assess(self, observed: str | None) -> None:
        """Each absent target's row is assess(target, []), with or without kernel rows beside it."""
        goal = pt.Goal(id="g", title=pt.Label(zh="目标"), targets=KERNEL_TARGETS)
        plan = pt.Plan(id="p", title=pt.Label(zh="计划"), period="2021-2025", goals=(goal,))
        period = "2023" if observed == "five_years" else "2022"
        rows = [(observed, period, 97.0, "%")] if observed else [("plain", "2030", 1.0, "%")]
        result = pt.evaluate(plan, frame(rows)).set_index("target_id")
        for target in KERNEL_TARGETS:
            if target.id == observed:
                continue
            row, expected = result.loc[target.id], pt.assess(target, [])
            assert expected.status is pt.Status.NO_DATA
            assert row["status"] == expected.status.value
            assert row["reason"] == expected.reason
            assert row["period"] == str(expected.period)
            assert row["unit"] == expected.unit
            assert row["margin_unit"] == expected.margin_unit
            assert row["aspirational"] == expected.aspirational
            assert row["coverage"] == expected.coverage
            assert pd.isna(row["progress"])
            assert expected.progress is None
            assert pd.isna(row["score_method"])
            assert expected.score is None
            for name in ("observed", "projected", "threshold", "margin", "baseline", "score"):
                assert pd.isna(row[name])
                assert getattr(expected, name, None) is None


class TestReasonTypesAreNotKept:
    """Each call's reason texts make a categorical type of their own, not kept in the cache.

    The cache of categorical types holds a plan's lists (ids, periods, units),
    which calls share; reason texts differ from table to table, and keeping
    them would hold up to 256 lists as long as a plan's targets.
    """

    @pytest.mark.parametrize("period", ["2022", "2022-H1"])  # fast path, general path
    def test_new_reasons_leave_the_cache_as_it_was(self, period: str) -> None:
        from policytargets._evaluation import frame

        targets = tuple(
            pt.Target(id=f"t{i}", indicator=RATE, condition=pt.AtLeast(value=90), period="2022")
            for i in range(3)
        )
        goal = pt.Goal(id="g", title=pt.Label(en="g"), targets=targets)
        several = pt.Plan(id="p", title=pt.Label(en="p"), period="2022", goals=(goal,))

        def table(units: list[str]) -> pd.DataFrame:
            rows = [("t0", "2022", 95.0, "%")]
            rows += [("t1", period, 95.0, unit) for unit in units]  # incomparable units
            return pd.DataFrame(rows, columns=["target_id", "period", "value", "unit"])

        frame._dtype.cache_clear()  # another test's identical texts would be hits
        pt.evaluate(several, table(["家"]))
        size = frame._dtype.cache_info().currsize
        reasons = set()
        for units in (["个"], ["亩"], ["公顷"], ["家", "个"]):
            result = pt.evaluate(several, table(units))
            reasons.add(tuple(result["reason"].cat.categories))
        assert len(reasons) == 4  # each table its own reason texts
        assert frame._dtype.cache_info().currsize == size
