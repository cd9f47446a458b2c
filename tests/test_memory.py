"""Large result columns come from pyarrow's pool and behave like any numpy column."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import policytargets as pt
from policytargets._evaluation import memory


def _from_pool(array: Any) -> bool:
    """Whether ``array``'s memory (through any views of it) belongs to a pyarrow buffer."""
    base = np.asarray(array)
    while isinstance(base, np.ndarray) and base.base is not None:
        base = base.base
    return isinstance(base, pa.Buffer)


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pool from 1 KiB on, so a small table exercises the pooled columns."""
    monkeypatch.setattr(memory, "POOLED_BYTES", 1 << 10)
    if not memory._pooled():
        pytest.skip("pyarrow's default pool is not mimalloc here")


class TestArrays:
    def test_small_arrays_are_numpys_own(self) -> None:
        array = memory.empty(10)
        assert array.flags.owndata
        assert array.dtype == np.float64

    def test_large_arrays_are_writable_and_filled(self, pooled: None) -> None:
        array = memory.full(2000, -1, np.int8)
        assert _from_pool(array)
        assert array.flags.writeable
        assert array.dtype == np.int8
        assert (array == -1).all()

    def test_object_arrays_are_numpys_own(self, pooled: None) -> None:
        array = memory.full(1000, "x", object)
        assert array.flags.owndata
        assert list(array[:2]) == ["x", "x"]

    def test_a_pool_set_later_is_followed(self, pooled: None) -> None:
        """A program that sets another pool (the command line sets jemalloc) gets numpy's."""
        before = pa.default_memory_pool()
        pa.set_memory_pool(pa.system_memory_pool())
        try:
            assert memory.empty(1000).flags.owndata
        finally:
            pa.set_memory_pool(before)
        assert _from_pool(memory.empty(1000))

    def test_other_pools_get_numpy_arrays(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(memory, "POOLED_BYTES", 1 << 10)
        monkeypatch.setattr(memory, "_pooled", lambda: False)
        assert memory.empty(1000).flags.owndata


def _table(n: int) -> tuple[pt.Plan, pd.DataFrame]:
    rate = pt.Indicator(id="r", name=pt.Label(zh="合格率"), kind="rate", unit="%")
    targets = tuple(
        pt.Target(id=f"t{i}", indicator=rate, condition=pt.AtLeast(value=90), period="2022")
        for i in range(3)
    )
    goal = pt.Goal(id="g", title=pt.Label(en="g"), targets=targets)
    plan = pt.Plan(id="p", title=pt.Label(en="p"), period="2022", goals=(goal,))
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "target_id": pd.Categorical(np.repeat(["t0", "t1"], n // 2)),
            "region": pd.Categorical(np.tile([f"r{j}" for j in range(n // 2)], 2)),
            "period": "2022",
            "value": rng.normal(90, 5, n),  # illustrative values
            "unit": "%",
        }
    )
    return plan, frame


class TestEvaluateResult:
    """The pooled result equals numpy's, and pickles, writes and round-trips like it."""

    @pytest.mark.parametrize("general", [False, True])  # fast path; general (a group twice)
    def test_equals_the_unpooled_result(
        self, pooled: None, monkeypatch: pytest.MonkeyPatch, general: bool
    ) -> None:
        plan, frame = _table(400)
        if general:
            frame = pd.concat([frame, frame.iloc[:1].assign(period="2022-H1")], ignore_index=True)
        result = pt.evaluate(plan, frame)
        assert _from_pool(result["observed" if not general else "threshold"])
        monkeypatch.setattr(memory, "POOLED_BYTES", 1 << 62)
        unpooled = pt.evaluate(plan, frame)
        assert not _from_pool(unpooled["threshold"])
        pd.testing.assert_frame_equal(result, unpooled)

    def test_pickles_and_writes(self, pooled: None, tmp_path: Any) -> None:
        plan, frame = _table(400)
        result = pt.evaluate(plan, frame)
        again = pickle.loads(pickle.dumps(result))
        pd.testing.assert_frame_equal(again, result)
        other = pt.evaluate(plan, frame)
        result.loc[0, "observed"] = -1.0
        assert other.loc[0, "observed"] != -1.0
        path = tmp_path / "result.parquet"
        other.to_parquet(path)
        pd.testing.assert_frame_equal(pd.read_parquet(path), other, check_categorical=False)
