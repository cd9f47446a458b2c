"""The general path reduced chunk by chunk gives the very result of one pass over every row.

``grouped.CHUNK_ROWS`` is patched down to a few rows, so that the tables
here are cut into many chunks (several targets each, or one target's
breakdowns in ranges), reduced on two threads, and stitched back: any
mistake in the stitching (order, ties, a group cut in two, a lost
conflict) changes the result. Example data are illustrative.
"""

from __future__ import annotations

import importlib
import math
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policytargets as pt
from policytargets._evaluation import grouped
from policytargets._evaluation.prepare import prepare
from policytargets._units import using_scope
from test_evaluate import _evaluate_or_error, plans_and_observations

#: Larger than any table here: one chunk, the reference.
WHOLE = 1 << 40


def _evaluate(plan: pt.Plan, frame: pd.DataFrame, budget: int, **kwargs: Any) -> Any:
    with mock.patch.object(grouped, "CHUNK_ROWS", budget):
        return _evaluate_or_error(plan, frame, **kwargs)


def _assert_same(whole: Any, chunked: Any) -> None:
    """Equal frames, bit for bit, or the same error listing the same rows."""
    if isinstance(whole, pt.ObservationError):
        assert isinstance(chunked, pt.ObservationError), "chunked run did not raise"
        assert str(chunked) == str(whole)
        pd.testing.assert_frame_equal(chunked.failures, whole.failures)
        return
    assert not isinstance(chunked, Exception), chunked
    pd.testing.assert_frame_equal(chunked, whole, check_exact=True)


def _n_chunks(plan: pt.Plan, frame: pd.DataFrame, budget: int) -> int:
    with using_scope(plan.units):
        return len(grouped._row_chunks(prepare(plan, frame), budget))


def _indicator(i: int, flow: bool) -> pt.Indicator:
    return pt.Indicator(
        id=f"ind{i}",
        name=pt.Label(zh=f"指标{i}"),
        kind="count",
        unit="个" if flow else "家",
        basis="flow" if flow else "stock",
        direction="lower" if i % 3 == 2 else "higher",
    )


def _plan(n_indicators: int = 6) -> pt.Plan:
    """Two targets per indicator: a change on 2023 (no baseline in the plan) and a bound on 2024."""
    targets = []
    for i in range(n_indicators):
        flow = i % 2 == 1
        indicator = _indicator(i, flow)
        targets.append(
            pt.Target(
                id=f"c{i}",
                indicator=indicator,
                condition=pt.RelativeChange(percent=3.0),
                period="2023",
            )
        )
        targets.append(
            pt.Target(
                id=f"b{i}",
                indicator=indicator,
                condition=pt.AtLeast(value=100.0 + i) if i % 3 else pt.AtMost(value=100.0 + i),
                period="2024",
            )
        )
    goal = pt.Goal(id="g", title=pt.Label(en="goal"), targets=tuple(targets))
    return pt.Plan(id="p", title=pt.Label(en="plan"), period="2022", goals=(goal,))


def _rows(plan: pt.Plan, regions: int, seed: int) -> pd.DataFrame:
    """Every region of every target: baselines observed the year before (some only in part),
    flows observed over part of their period, stocks observed twice, a few values missing."""
    rng = np.random.default_rng(seed)
    rows = []
    for target in plan.targets:
        flow = target.indicator.basis is pt.Basis.FLOW
        for j in range(regions):
            region = f"r{j}"
            if target.id.startswith("c"):
                previous = ["2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4"] if flow else ["2022"]
                if j % 4 == 1:
                    previous = previous[:2]  # a flow's baseline over part of 2022, or none
                current = ["2023-H1"] if flow and j % 2 else ["2023"]
                periods = previous + current
            else:
                periods = ["2024-Q1", "2024-Q2", "2024-Q3"] if flow else ["2024-H1", "2024"]
                if j % 5 == 3:
                    periods = periods[:1]
            for period in periods:
                value = float(rng.uniform(60, 140))
                if rng.random() < 0.05:
                    value = float("nan")
                unit = target.indicator.unit if rng.random() < 0.7 else "万个"
                scale = 1e-4 if unit == "万个" else 1.0
                rows.append((target.id, region, period, value * scale, unit))
    frame = pd.DataFrame(rows, columns=["target_id", "region", "period", "value", "unit"])
    # Rows in random order: groups interleave, and their first rows decide the result order.
    return frame.sample(frac=1, random_state=seed).reset_index(drop=True)


class TestChunksEqualOnePass:
    """Cut into chunks of a few rows, the general path gives the same frame, bit for bit."""

    @pytest.mark.parametrize("budget", [1, 4, 9, 40])
    def test_many_targets_breakdowns_baselines_and_projections(self, budget: int) -> None:
        plan, frame = _plan(), _rows(_plan(), regions=7, seed=1)
        whole = pt.evaluate(plan, frame)
        chunked = _evaluate(plan, frame, budget)
        _assert_same(whole, chunked)
        # The case the test is for: many chunks; below 10 rows, every target's
        # breakdowns cut in ranges (each target has at least 14 rows).
        assert _n_chunks(plan, frame, budget) > (len(plan.targets) if budget < 10 else 1)
        statuses = set(whole["status"])
        assert {"met", "not_met", "on_track", "needs_baseline", "no_data"} <= statuses
        assert whole["baseline"].notna().sum() > 0
        assert whole["projected"].notna().sum() > 0

    @pytest.mark.parametrize("budget", [1, 5, 30])
    def test_indicator_keys_join_targets_in_one_chunk(self, budget: int) -> None:
        # An indicator's row applies to both its targets: they are reduced together.
        plan = _plan()
        frame = _rows(plan, regions=5, seed=2)
        frame["target_id"] = frame["target_id"].str.replace(r"^[cb]", "ind", regex=True)
        frame = frame.rename(columns={"target_id": "indicator_id"})
        frame = frame.drop_duplicates(["indicator_id", "region", "period"])
        _assert_same(pt.evaluate(plan, frame), _evaluate(plan, frame, budget))

    @pytest.mark.parametrize("budget", [1, 6, 50])
    def test_conflicts_in_different_chunks_are_raised_at_once(self, budget: int) -> None:
        plan = _plan()
        frame = _rows(plan, regions=4, seed=3)
        # Two conflicts of each kind, in targets far apart: c0 and c4 are stocks,
        # b1 and b5 flows.
        extra = pd.DataFrame(
            [
                ("c0", "r0", "2023", 1.0, "家"),  # two different values for 2023
                ("c0", "r0", "2023", 2.0, "家"),
                ("c4", "r2", "2022", 1.0, "家"),
                ("c4", "r2", "2022", 2.0, "家"),
                ("b1", "r1", "2024-H1", 50.0, "个"),  # overlaps 2024-Q1 and Q2
                ("b5", "r2", "2024-H1", 50.0, "个"),
            ],
            columns=frame.columns,
        )
        frame = pd.concat([frame, extra], ignore_index=True)
        whole = _evaluate_or_error(plan, frame)
        assert isinstance(whole, pt.ObservationError)
        reasons = whole.failures.groupby("reason")["row"].count().to_dict()
        assert reasons["duplicate"] >= 4
        assert reasons["overlapping_periods"] >= 4
        _assert_same(whole, _evaluate(plan, frame, budget))

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        plans_and_observations(regions=("north", "south", "east")),
        st.sampled_from([1, 2, 3, 7]),
        st.booleans(),
    )
    def test_generated_plans_and_observations(self, data: Any, budget: int, by: bool) -> None:
        plan, frame = data
        kwargs: dict[str, Any] = {} if by else {"by": []}
        if not by:  # one group per target: a target is never cut
            frame = frame.drop(columns="region")
        whole = _evaluate(plan, frame, WHOLE, **kwargs)
        _assert_same(whole, _evaluate(plan, frame, budget, **kwargs))


class TestMemoryBenchmark:
    """The memory benchmark runs (a few thousand rows, so many chunks) and ends with its ratio."""

    def test_smoke(self) -> None:
        script = Path(__file__).resolve().parents[1] / "benchmarks" / "memory_bench.py"
        done = subprocess.run(
            [sys.executable, str(script), "--rows", "3000", "--paths", "general"],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        lines = done.stdout.strip().splitlines()
        assert "needs_baseline" in lines[1]  # the plan has the general path's cases
        assert lines[-1].startswith("peak_over_input[general]=")
        # On a few thousand rows the peak may stay within memory already resident: 0 is fine.
        assert float(lines[-1].split("=")[1]) >= 0


class TestCodes:
    """Text keys are factorised to int32 codes (4 bytes a row each, not pandas' 8)."""

    def test_string_keys_get_int32_codes_and_the_same_result(self) -> None:
        plan = _plan()
        frame = _rows(plan, regions=3, seed=4)
        with using_scope(plan.units):
            p = prepare(plan, frame)
        for codes in (p.key_codes, p.period_codes, p.unit_codes, p.by_codes):
            assert codes.dtype == np.int32
        categorical = frame.astype(dict.fromkeys(("target_id", "region", "period"), "category"))
        pd.testing.assert_frame_equal(
            pt.evaluate(plan, frame).astype({"target_id": str, "region": str}),
            pt.evaluate(plan, categorical).astype({"target_id": str, "region": str}),
            check_exact=True,
        )


class TestMultiYearChunks:
    """The multi-year path is chunked too: the same bits, the same errors, in any chunk size."""

    @staticmethod
    def _plan() -> pt.Plan:
        rate = pt.Indicator(id="r", name=pt.Label(zh="率"), kind="rate", unit="%")
        flow = _indicator(1, flow=True)
        targets = (
            pt.Target(
                id="rate", indicator=rate, condition=pt.AtLeast(value=90), period="2021-2025"
            ),
            pt.Target(
                id="growth",
                indicator=rate,
                condition=pt.RelativeChange(percent=5, base="2020"),
                period="2021-2025",
            ),
            pt.Target(
                id="kept",
                indicator=rate,
                condition=pt.Maintained(condition=pt.AtLeast(value=80)),
                period="2021-2025",
            ),
            pt.Target(id="new", indicator=flow, condition=pt.AtLeast(value=50), period="2021-2025"),
        )
        goal = pt.Goal(id="g", title=pt.Label(zh="目标"), targets=targets)
        return pt.Plan(id="p", title=pt.Label(zh="计划"), period="2021-2025", goals=(goal,))

    @staticmethod
    def _frame(conflicts: bool = False) -> pd.DataFrame:
        rows = []
        for i, region in enumerate("abcdefg"):
            for target, unit in (("rate", "%"), ("growth", "%"), ("kept", "%"), ("new", "个")):
                # A flow's parts must not overlap (it sums them): halves, not the year too.
                last = "2022-H2" if target == "new" else "2022"
                for j, period in enumerate(("2020", "2021", "2022-H1", last, "2023-Q1")):
                    rows.append((target, region, period, 70.0 + 3 * i + j + len(target), unit))
        if conflicts:  # two values for one period, in regions far apart
            rows.append(("rate", "a", "2021", 1.0, "%"))
            rows.append(("new", "g", "2022-H1", 1.0, "个"))
        frame = pd.DataFrame(rows, columns=["target_id", "region", "period", "value", "unit"])
        return frame.sample(frac=1.0, random_state=3).reset_index(drop=True)

    @pytest.mark.parametrize("budget", [1, 7, 50])
    def test_same_bits(self, budget: int) -> None:
        plan, frame = self._plan(), self._frame()
        whole = _evaluate(plan, frame, WHOLE)
        assert not isinstance(whole, Exception), whole
        assert len(whole) == 4 * 7  # every (target, region) judged
        assert set(whole["status"]) >= {"on_track", "off_track"}
        _assert_same(whole, _evaluate(plan, frame, budget))

    @pytest.mark.parametrize("budget", [1, 7])
    def test_conflicts_of_every_chunk_at_once(self, budget: int) -> None:
        plan, frame = self._plan(), self._frame(conflicts=True)
        whole = _evaluate(plan, frame, WHOLE)
        assert isinstance(whole, pt.ObservationError)
        assert len(whole.failures) == 4  # both pairs
        _assert_same(whole, _evaluate(plan, frame, budget))


class TestManyPairsFewRows:
    """A plan of many targets and regions against a small table stays on the fast path.

    The fast path refused any table with fewer than an eighth as many rows as
    (target, region) pairs: a Dask partition or a filtered frame of a large
    plan went to the general path, about ten times slower.
    """

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(plans_and_observations())
    def test_keys_instead_of_a_bitmap_give_the_same_result(self, data: Any) -> None:
        from policytargets._evaluation import fast

        plan, frame = data
        whole = _evaluate_or_error(plan, frame)
        with mock.patch.object(fast, "DENSE_PAIRS", -(1 << 62)):
            sparse = _evaluate_or_error(plan, frame)
        _assert_same(whole, sparse)

    def test_a_small_table_of_a_large_plan(self) -> None:
        from policytargets._evaluation import dispatch

        n_targets, n_regions = 400, 3000  # 1.2 M pairs against 2,400 rows
        targets = [
            pt.Target(
                id=f"t{i}",
                indicator=_indicator(i, flow=False),
                condition=pt.AtLeast(value=10),
                period="2024",
            )
            for i in range(n_targets)
        ]
        plan = pt.Plan(
            id="p",
            title=pt.Label(zh="计划"),
            period="2024",
            goals=(pt.Goal(id="g", title=pt.Label(zh="目标"), targets=tuple(targets)),),
        )
        rows = [
            (f"t{i}", f"r{(7 * i + 13 * j) % n_regions}")
            for i in range(0, n_targets, 50)
            for j in range(300)
        ]
        rows += [rows[5]]  # one group twice (the same value): the general path judges it
        frame = pd.DataFrame(
            {
                "target_id": [t for t, _ in rows],
                "region": pd.Categorical([r for _, r in rows], [f"r{k}" for k in range(n_regions)]),
                "period": "2024",
                "value": [float(k % 20) for k in range(len(rows) - 1)] + [5.0],
                "unit": "家",
            }
        )
        for table in (frame.iloc[:-1], frame):
            general = mock.patch.object(dispatch, "_general", wraps=dispatch._general)
            with general as spy:
                got = pt.evaluate(plan, table)
            # Distinct groups: the fast path; a group twice: the general path.
            assert spy.called is (len(table) == len(frame))
            with mock.patch.object(dispatch, "_fast", return_value=None):
                want = pt.evaluate(plan, table)
            # The region stays the input's categorical on both paths (it became text on
            # the general path); the reason texts' categories may come in another order.
            assert got["region"].dtype == want["region"].dtype == table["region"].dtype
            pd.testing.assert_frame_equal(got, want, check_exact=True, check_categorical=False)


@st.composite
def fast_tables(draw: st.DrawFn) -> tuple[pt.Plan, pd.DataFrame]:
    """One-year targets of one bound and one row a (target, region) over the whole period.

    The fast path's tables: rows in any order, several units, a few missing values.
    """
    conditions = [
        lambda v: pt.AtLeast(value=v),
        lambda v: pt.AtMost(value=v),
        lambda v: pt.MoreThan(value=v),
        lambda v: pt.Between(low=v * 0.9, high=v * 1.1),
        lambda v: pt.Approximately(value=v, rel_tol=0.05),
    ]
    targets = []
    for i in range(draw(st.integers(1, 5))):
        value = float(draw(st.integers(1, 40)))
        targets.append(
            pt.Target(
                id=f"t{i}",
                indicator=_indicator(i, flow=draw(st.booleans())),
                condition=draw(st.sampled_from(conditions))(value),
                period=draw(st.sampled_from(["2023", "2024", "2024-H1", "2025-Q2"])),
            )
        )
    plan = pt.Plan(
        id="p",
        title=pt.Label(zh="计划"),
        period="2024",
        goals=(pt.Goal(id="g", title=pt.Label(zh="目标"), targets=tuple(targets)),),
    )
    rows = []
    for target in targets:
        for region in draw(st.lists(st.integers(0, 30), unique=True, max_size=12)):
            value = draw(st.one_of(st.integers(0, 50).map(float), st.just(math.nan)))
            unit = draw(
                st.sampled_from(
                    ["个", "万个"] if target.indicator.basis == "flow" else ["家", "万个"]
                )
            )
            rows.append((target.id, f"r{region}", str(target.period), value, unit))
    rows = draw(st.permutations(rows))
    frame = pd.DataFrame(rows, columns=["target_id", "region", "period", "value", "unit"])
    return plan, frame.astype({"value": float})


class TestFastPathChunks:
    """The fast path judged in chunks of a few rows gives the very result of one chunk."""

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(fast_tables(), st.integers(1, 7), st.booleans(), st.booleans())
    def test_any_chunk_size(self, data: Any, size: int, repeat: bool, sparse: bool) -> None:
        """With ``repeat`` the first row comes again at the end: the fast path must see it
        across chunks and leave the table to the general path. With ``sparse`` groups
        seen out of order are checked by sorted keys, not a bitmap."""
        from policytargets._evaluation import dispatch, fast

        plan, frame = data
        if repeat and len(frame):
            frame = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
        with mock.patch.object(fast, "CHUNK", 1 << 30):
            whole = _evaluate_or_error(plan, frame)
        with (
            mock.patch.object(fast, "CHUNK", size),
            mock.patch.object(fast, "DENSE_PAIRS", -(1 << 62) if sparse else fast.DENSE_PAIRS),
            mock.patch.object(dispatch, "_fast", wraps=dispatch._fast) as judged,
        ):
            chunked = _evaluate_or_error(plan, frame)
        if isinstance(whole, Exception) or isinstance(chunked, Exception):
            _assert_same(whole, chunked)
            return
        # Small chunks can cut a target's rows into runs whose code ranges overlap,
        # which sends the table to the general path: the same rows, values and texts,
        # the categories of a text column perhaps in another order.
        pd.testing.assert_frame_equal(chunked, whole, check_exact=True, check_categorical=False)
        assert judged.called or not len(frame)


@st.composite
def scanned_rows(draw: st.DrawFn) -> Any:
    """Codes (some missing, -1), values (missing, negative, huge) and a rate screen."""
    n = draw(st.integers(0, 40))
    n_keys, n_periods, n_units = draw(st.integers(1, 5)), draw(st.integers(1, 4)), 4
    sorted_keys = draw(st.booleans())  # runs of one key, as exports usually come
    keys = draw(st.lists(st.integers(-1, n_keys - 1), min_size=n, max_size=n))
    key_codes = np.array(sorted(keys) if sorted_keys else keys, dtype=np.int16)
    period_codes = np.array(
        draw(st.lists(st.integers(-1, n_periods - 1), min_size=n, max_size=n)), dtype=np.int8
    )
    values = st.one_of(
        st.sampled_from([math.nan, -0.5, 0.0, 0.5, 1.0, 1.5, 96.8, 1e300, -1e300]),
        st.floats(-1e3, 1e3),
    )
    value = np.array(draw(st.lists(values, min_size=n, max_size=n)), dtype=np.float64)
    unit_codes = np.array(
        draw(st.lists(st.integers(0, n_units - 1), min_size=n, max_size=n)), dtype=np.int8
    )
    rate_key = np.array([*draw(st.lists(st.booleans(), min_size=n_keys, max_size=n_keys)), False])
    # Units: %, ‰, a bare number (plain), another plain one; factors to a fraction.
    factors = np.array([0.01, 0.001, 1.0, 1.0])
    plain = np.array([False, False, True, draw(st.booleans())])
    return key_codes, period_codes, n_keys, n_periods, value, unit_codes, rate_key, factors, plain


class TestScan:
    """prepare's one pass over the rows, in chunks and halves, equals the row-by-row rules."""

    @settings(max_examples=300, deadline=None)
    @given(scanned_rows(), st.integers(1, 7), st.integers(2, 30), st.booleans())
    def test_equals_row_by_row(self, data: Any, rows: int, parallel: int, screened: bool) -> None:
        module = importlib.import_module("policytargets._evaluation.prepare")

        kc, pc, n_keys, n_periods, value, uc, rate_key, factors, plain = data
        screen = module._RateScreen.of(rate_key, factors, plain) if screened else None
        with (
            mock.patch.object(module, "SCAN_ROWS", rows),
            mock.patch.object(module, "PARALLEL_ROWS", parallel),
        ):
            pairs, (low, high), found = module._scan(kc, pc, n_keys, n_periods, value, uc, screen)
        occurs = {(k, p) for k, p in zip(kc.tolist(), pc.tolist(), strict=True) if k >= 0 <= p}
        assert set(zip(*np.nonzero(pairs), strict=True)) == occurs
        present = value[~np.isnan(value)]
        assert (low, high) == (
            (float(present.min()), float(present.max())) if len(present) else (low, high)
        )
        if not len(present):
            assert math.isnan(low)
            assert math.isnan(high)
        wanted = [
            i
            for i, (k, v, u) in enumerate(
                zip(kc.tolist(), value.tolist(), uc.tolist(), strict=True)
            )
            if screened and rate_key[k] and (v < 0 or (plain[u] and v > 1.0))
        ]
        assert found.tolist() == wanted


class TestRatesRefusedInEveryChunk:
    """A plain-fraction rate above 1 is refused wherever it falls among chunks and halves."""

    @pytest.mark.parametrize("at", [0, 5, 11, 12, 23])
    def test_refused(self, at: int) -> None:
        module = importlib.import_module("policytargets._evaluation.prepare")

        rate = pt.Indicator(id="r", name=pt.Label(zh="合格率"), kind="rate", unit="%")
        count = pt.Indicator(
            id="c", name=pt.Label(zh="企业数"), kind="count", unit="家", basis="stock"
        )
        targets = (
            pt.Target(id="a", indicator=count, condition=pt.AtLeast(value=1), period="2022"),
            pt.Target(id="b", indicator=rate, condition=pt.AtLeast(value=90), period="2022"),
        )
        plan = pt.Plan(
            id="p",
            title=pt.Label(en="p"),
            period="2022",
            goals=(pt.Goal(id="g", title=pt.Label(en="g"), targets=targets),),
        )
        rows = [("a", f"r{i}", 5.0, "家") for i in range(12)]
        rows += [("b", f"r{i}", 0.95, "") for i in range(12)]  # illustrative fractions
        ids, regions, values, units = map(list, zip(*rows, strict=True))
        values[at] = 1.5 if at >= 12 else values[at]
        frame = pd.DataFrame(
            {"target_id": ids, "region": regions, "period": "2022", "value": values, "unit": units}
        )
        with (
            mock.patch.object(module, "SCAN_ROWS", 5),
            mock.patch.object(module, "PARALLEL_ROWS", 8),
        ):
            if at < 12:  # a count of 5 家 is no rate: nothing to refuse
                pt.evaluate(plan, frame)
                return
            with pytest.raises(pt.ObservationError) as info:
                pt.evaluate(plan, frame)
        failures = info.value.failures
        assert failures["row"].tolist() == [at]
        assert failures["reason"].tolist() == ["implausible_rate"]
