"""Dask: multi-file parquet datasets whose groups lie in one file or across files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policytargets as pt

ROOT = Path(__file__).resolve().parents[1]

dd = pytest.importorskip("dask.dataframe")

# Dask's own parquet code calls reset_index and set_index with inplace=True, deprecated in
# pandas 3.1: ignored where Dask raises it, so a warning of policytargets' own still fails.
pytestmark = [pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning:dask")]


def _indicator(id: str, kind: str = "rate", unit: str = "%", basis: str | None = None) -> Any:
    return pt.Indicator(id=id, name=pt.Label(en=id), kind=kind, unit=unit, basis=basis)


def _plan() -> pt.Plan:
    """Illustrative: a rate, a yearly flow summed from quarters, a change on the year before."""
    rate = _indicator("rate")
    flow = _indicator("flow", kind="count", unit="个", basis="flow")
    stock = _indicator("stock", kind="count", unit="家", basis="stock")
    targets = (
        pt.Target(id="rate", indicator=rate, condition=pt.AtLeast(value=90), period="2023"),
        pt.Target(id="flow", indicator=flow, condition=pt.AtLeast(value=100), period="2023"),
        pt.Target(
            id="growth", indicator=stock, condition=pt.RelativeChange(percent=5), period="2023"
        ),
        pt.Target(id="unseen", indicator=rate, condition=pt.AtMost(value=5), period="2023"),
    )
    goal = pt.Goal(id="g", title=pt.Label(en="goal"), targets=targets)
    return pt.Plan(id="p", title=pt.Label(en="plan"), period="2023", goals=(goal,))


def _observations(regions: int = 6) -> pd.DataFrame:
    rows: list[tuple[Any, ...]] = []
    for r in range(regions):
        region = f"r{r}"
        rows.append(("rate", region, "2023", 88.0 + r, "%"))
        rows += [("flow", region, f"2023-Q{q}", 20.0 + r + q, "个") for q in (1, 2, 3, 4)]
        rows += [("growth", region, "2022", 100.0, "家"), ("growth", region, "2023", 103 + r, "家")]
    return pd.DataFrame(rows, columns=["target_id", "region", "period", "value", "unit"])


def _write(frame: pd.DataFrame, folder: Path, by: str) -> Path:
    """One parquet file per value of ``by``, each with its own categories."""
    folder.mkdir()
    for i, (_, part) in enumerate(frame.groupby(by, sort=True)):
        part = part.reset_index(drop=True).astype(
            dict.fromkeys(("target_id", "region", "period", "unit"), "category")
        )
        part.to_parquet(folder / f"part{i:02d}.parquet", index=False)
    return folder


def _norm(f: pd.DataFrame) -> pd.DataFrame:
    f = f.astype({c: object for c in f.columns if f[c].dtype.kind not in "fb"})
    f = f.where(f.notna(), None)
    keys = ["target_id", "region"]
    return f.sort_values(keys, key=lambda s: s.astype(str)).reset_index(drop=True)


def _same_as_pandas(plan: pt.Plan, frame: pd.DataFrame, lazy: Any) -> pd.DataFrame:
    got = lazy.compute()
    pd.testing.assert_frame_equal(_norm(got), _norm(pt.evaluate(plan, frame)))
    return got


class TestFileLayouts:
    """Rows equal pandas' whether each file holds whole groups or splits them."""

    def test_files_by_region_hold_whole_groups(self, tmp_path: Path) -> None:
        """A file per region: every group (target, region) lies in one file."""
        plan, frame = _plan(), _observations()
        folder = _write(frame, tmp_path / "obs", by="region")
        _same_as_pandas(plan, frame, pt.evaluate(plan, dd.read_parquet(folder)))

    def test_files_by_period_split_flows_and_bases(self, tmp_path: Path) -> None:
        """A file per period: a flow's quarters and a change's base year lie in other files."""
        plan, frame = _plan(), _observations()
        folder = _write(frame, tmp_path / "obs", by="period")
        got = _same_as_pandas(plan, frame, pt.evaluate(plan, dd.read_parquet(folder)))
        flows = got[got["target_id"] == "flow"].sort_values("region", key=lambda s: s.astype(str))
        assert len(flows) == 6  # one row per region, from four files, never one per quarter
        assert flows["observed"].tolist() == [90 + 4 * r for r in range(6)]

    def test_many_files_checked_by_whole_partitions(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Past the per-partition graphs' limit the check reads whole partitions: still found."""
        from policytargets._evaluation import dask as module

        monkeypatch.setattr(module, "_PER_PARTITION_GRAPHS", 2)
        monkeypatch.setattr(module, "_UNTUNED", {})  # Dask fuses the check's read
        plan, frame = _plan(), _observations()
        noted = frame.assign(note="illustrative", source="none", checked="no")
        folder = _write(noted, tmp_path / "obs", by="period")
        _same_as_pandas(plan, frame, pt.evaluate(plan, dd.read_parquet(folder)))

    @pytest.mark.parametrize("tuned", [False, True], ids=["untuned", "fused"])
    def test_a_read_of_some_columns_whose_partitions_dask_fuses(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tuned: bool
    ) -> None:
        """Files with a column left unread: Dask fuses the read's partitions in twos.

        The check reads untuned (one graph); were Dask to fuse its read
        still, it reads partition by partition.
        """
        from policytargets._evaluation import dask as module

        if tuned:
            monkeypatch.setattr(module, "_UNTUNED", {})
        plan, frame = _plan(), _observations()
        noted = frame.assign(note="illustrative", source="none", checked="no")
        folder = _write(noted, tmp_path / "obs", by="period")
        read = dd.read_parquet(folder, columns=list(frame.columns))
        assert read.map_partitions(len).optimize().npartitions < read.npartitions
        _same_as_pandas(plan, frame, pt.evaluate(plan, read))

    def test_some_groups_split_others_whole(self, tmp_path: Path) -> None:
        """Files by target, but the flow's last quarter in a file of its own."""
        plan, frame = _plan(), _observations()
        file = frame["target_id"].where(frame["period"] != "2023-Q4", "late")
        folder = _write(frame.assign(file=file), tmp_path / "obs", by="file")
        lazy = pt.evaluate(plan, dd.read_parquet(folder).drop(columns="file"))
        _same_as_pandas(plan, frame, lazy)

    def test_files_that_part_one_column_hash_no_row(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Files by target or by region: a column's values tell, no row's group is hashed."""
        from policytargets._evaluation import dask as module

        def refuse(*args: object) -> None:
            raise AssertionError("hashed each row's group")

        monkeypatch.setattr(module, "_group_hashes", refuse)
        plan, frame = _plan(), _observations()
        for by in ("target_id", "region"):
            folder = _write(frame, tmp_path / by, by=by)
            _same_as_pandas(plan, frame, pt.evaluate(plan, dd.read_parquet(folder)))

    def test_a_missing_region_in_two_files_is_one_group(self, tmp_path: Path) -> None:
        """Files by region, but a flow without a region has quarters in two files."""
        plan, frame = _plan(), _observations(regions=2)
        flows = (frame["target_id"] == "flow") & (frame["region"] == "r0")
        frame.loc[flows, "region"] = None
        file = frame["region"].fillna(frame["period"].map({"2023-Q1": "r0", "2023-Q2": "r0"}))
        folder = _write(frame.assign(file=file.fillna("r1")), tmp_path / "obs", by="file")
        lazy = pt.evaluate(plan, dd.read_parquet(folder).drop(columns="file"))
        got = _same_as_pandas(plan, frame, lazy)
        assert sorted(got[got["target_id"] == "flow"]["observed"]) == [90.0, 94.0]

    def test_many_partitions_one_no_data_row_per_unseen_target(self) -> None:
        """More partitions than Dask combines at once: the unseen target still gets one row."""
        plan, frame = _plan(), _observations(regions=30)
        got = _same_as_pandas(plan, frame, pt.evaluate(plan, dd.from_pandas(frame, npartitions=20)))
        assert got["target_id"].astype(str).tolist().count("unseen") == 1

    def test_partitions_of_a_categorical_frame_keep_its_categories(self) -> None:
        """Each partition of a categorical frame carries every region: judged on those it uses."""
        plan, frame = _plan(), _observations(regions=12)
        text = dict.fromkeys(("target_id", "region", "period", "unit"), "category")
        categorical = frame.astype(text).sort_values("region").reset_index(drop=True)
        lazy = dd.from_pandas(categorical, npartitions=4, sort=False)
        got = _same_as_pandas(plan, categorical, pt.evaluate(plan, lazy))
        assert len(got) == 3 * 12 + 1  # a row per target and region, one for the unseen target


class TestUsedCategories:
    """A partition's breakdown categories are trimmed only when they outnumber its rows."""

    def test_more_categories_than_rows_are_trimmed_to_those_used(self) -> None:
        from policytargets._evaluation.dask import _used_categories

        regions = pd.Categorical(["r1", "r3"], categories=["r0", "r1", "r2", "r3"])
        part = pd.DataFrame({"region": regions, "observed": [1.0, 2.0]})
        got = _used_categories(part, ["region"])
        assert got["region"].cat.categories.tolist() == ["r1", "r3"]
        assert got["region"].astype(str).tolist() == ["r1", "r3"]

    @pytest.mark.parametrize("rows", [4, 5])
    def test_no_more_categories_than_rows_are_kept_without_a_pass(self, rows: int) -> None:
        """At and above as many rows as categories: the partition as it is, unused ones too."""
        from policytargets._evaluation.dask import _used_categories

        regions = pd.Categorical(["r1"] * rows, categories=["r0", "r1", "r2", "r3"])
        part = pd.DataFrame({"region": regions, "observed": [1.0] * rows})
        assert _used_categories(part, ["region"]) is part

    def test_three_rows_of_four_categories_are_trimmed(self) -> None:
        """Just below the bound: one row fewer than categories."""
        from policytargets._evaluation.dask import _used_categories

        regions = pd.Categorical(["r1", "r1", "r2"], categories=["r0", "r1", "r2", "r3"])
        part = pd.DataFrame({"region": regions})
        assert _used_categories(part, ["region"])["region"].cat.categories.tolist() == ["r1", "r2"]


class TestLayoutCheck:
    """What tells that no group is split: the files' statistics, each column's values, or rows."""

    @staticmethod
    def _no_reads(monkeypatch: pytest.MonkeyPatch) -> None:
        from policytargets._evaluation import dask as module

        def refuse(*args: object) -> None:
            raise AssertionError("read the group columns")

        monkeypatch.setattr(module, "_per_partition", refuse)

    def test_statistics_of_files_by_target_tell_without_a_read(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each file's target ids in a range of their own (min and max): no column is read."""
        self._no_reads(monkeypatch)
        plan, frame = _plan(), _observations()
        folder = _write(frame.assign(note="illustrative"), tmp_path / "obs", by="target_id")
        read = dd.read_parquet(folder).drop(columns="note")
        _same_as_pandas(plan, frame, pt.evaluate(plan, read))
        changed = read.map_partitions(lambda part: part.assign(target_id="rate"))
        with pytest.raises(AssertionError, match="read the group columns"):
            pt.evaluate(plan, changed)  # not a plain read: the statistics tell nothing

    def test_files_without_statistics_are_read(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        plan, frame = _plan(), _observations()
        folder = tmp_path / "obs"
        folder.mkdir()
        for i, (_, part) in enumerate(frame.groupby("target_id", sort=True)):
            part.to_parquet(folder / f"part{i}.parquet", index=False, write_statistics=False)
        _same_as_pandas(plan, frame, pt.evaluate(plan, dd.read_parquet(folder)))
        self._no_reads(monkeypatch)
        with pytest.raises(AssertionError, match="read the group columns"):
            pt.evaluate(plan, dd.read_parquet(folder))

    def test_overlapping_ranges_are_read(self, tmp_path: Path) -> None:
        """Files by target, but 'flow' and 'rate' in one file and 'growth' between them."""
        plan, frame = _plan(), _observations()
        file = frame["target_id"].map({"flow": "a", "rate": "a", "growth": "b"})
        folder = _write(frame.assign(file=file), tmp_path / "obs", by="file")
        lazy = pt.evaluate(plan, dd.read_parquet(folder).drop(columns="file"))
        _same_as_pandas(plan, frame, lazy)

    def test_regions_from_folder_names(self, tmp_path: Path) -> None:
        """A hive-partitioned dataset (region=r0/...): its region is in no file's statistics."""
        plan, frame = _plan(), _observations()
        frame.to_parquet(tmp_path / "obs", partition_cols=["region"], index=False)
        got = pt.evaluate(plan, dd.read_parquet(tmp_path / "obs")).compute()
        want = pt.evaluate(plan, frame)
        pd.testing.assert_frame_equal(_norm(got), _norm(want))

    def test_a_filtered_read(self, tmp_path: Path) -> None:
        """Rows filtered when read (``filters=``): the files' statistics still bound them."""
        plan, frame = _plan(), _observations()
        folder = _write(frame, tmp_path / "obs", by="target_id")
        read = dd.read_parquet(folder, filters=[("value", "<", 104.5)])
        _same_as_pandas(plan, frame[frame["value"] < 104.5], pt.evaluate(plan, read))

    def test_an_indicator_named_by_id_in_one_file_and_by_name_in_another(
        self, tmp_path: Path
    ) -> None:
        """One group, three spellings: its id 'flow', its names 'Flow' and '流量', in any partition.

        The layouts are ones where shuffling on the texts themselves would
        part the group.
        """
        flow = pt.Indicator(
            id="flow", name=pt.Label(en="Flow", zh="流量"), kind="count", unit="个", basis="flow"
        )
        target = pt.Target(id="f", indicator=flow, condition=pt.AtLeast(value=100), period="2023")
        goal = pt.Goal(id="g", title=pt.Label(en="goal"), targets=(target,))
        plan = pt.Plan(id="p", title=pt.Label(en="plan"), period="2023", goals=(goal,))
        quarters = {
            "period": ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"],
            "value": [30.0, 30.0, 30.0, 30.0],
            "unit": ["个"] * 4,
        }
        frame = pd.DataFrame({"indicator_id": ["flow", "flow", "流量", "流量"], **quarters})
        folder = tmp_path / "obs"
        folder.mkdir()
        frame.iloc[:2].to_parquet(folder / "a.parquet", index=False)
        frame.iloc[2:].to_parquet(folder / "b.parquet", index=False)
        three = pd.DataFrame({"indicator_id": ["flow", "Flow", "流量", "流量"], **quarters})
        for table, lazy in (
            (frame, dd.read_parquet(folder)),
            (frame, dd.from_pandas(frame, npartitions=3, sort=False)),
            (three, dd.from_pandas(three, npartitions=4, sort=False)),
        ):
            assert pt.evaluate(plan, table)["observed"].tolist() == [120.0]
            got = pt.evaluate(plan, lazy).compute()
            assert got["status"].astype(str).tolist() == ["met"]
            assert got["observed"].tolist() == [120.0]


class TestAnyLayout:
    """Whatever file holds each row, the rows equal pandas'."""

    @settings(max_examples=12, suppress_health_check=[HealthCheck.too_slow])
    @given(
        regions=st.integers(1, 4),
        files=st.lists(st.integers(0, 3), min_size=40, max_size=40),
        categorical=st.booleans(),
    )
    def test_rows_spread_over_files_at_random(
        self, regions: int, files: list[int], categorical: bool
    ) -> None:
        """Files hold any mix of rows: split groups are shuffled, whole ones judged in place."""
        import tempfile

        plan, frame = _plan(), _observations(regions)
        file = pd.Series(files[: len(frame)], index=frame.index)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for name, part in frame.groupby(file, sort=True):
                part = part.reset_index(drop=True)
                if categorical:
                    part = part.astype(dict.fromkeys(("target_id", "region", "period"), "category"))
                part.to_parquet(folder / f"part{name}.parquet", index=False)
            _same_as_pandas(plan, frame, pt.evaluate(plan, dd.read_parquet(folder)))


class TestTypes:
    """The lazy frame's types are the computed frame's, and it writes to parquet."""

    def test_lazy_types_match_the_rows(self, tmp_path: Path) -> None:
        plan, frame = _plan(), _observations()
        lazy = pt.evaluate(plan, dd.read_parquet(_write(frame, tmp_path / "obs", by="period")))
        got = lazy.compute()
        assert list(lazy.columns) == list(got.columns)
        for column in got.columns:
            want, have = lazy.dtypes[column], got.dtypes[column]
            assert isinstance(want, pd.CategoricalDtype) == isinstance(have, pd.CategoricalDtype)
            if not isinstance(want, pd.CategoricalDtype):
                assert want == have, column

    def test_to_parquet_with_many_categories_and_a_schema(self, tmp_path: Path) -> None:
        """Partitions of more than 127 regions write with 32-bit dictionary indices."""
        pa = pytest.importorskip("pyarrow")
        plan, frame = _plan(), _observations(regions=300)
        lazy = pt.evaluate(plan, dd.read_parquet(_write(frame, tmp_path / "obs", by="target_id")))
        text = [c for c in lazy.columns if isinstance(lazy.dtypes[c], pd.CategoricalDtype)]
        lazy.to_parquet(
            tmp_path / "out", schema={c: pa.dictionary(pa.int32(), pa.string()) for c in text}
        )
        back = pd.read_parquet(tmp_path / "out")
        pd.testing.assert_frame_equal(_norm(back), _norm(pt.evaluate(plan, frame)))


class TestUnusedCategories:
    """An unused category of a categorical key is no bad row (Dask's empty partitions have one)."""

    def test_unused_unknown_target_id(self) -> None:
        plan = _plan()
        frame = _observations(regions=1).astype({"target_id": "category"})
        frame["target_id"] = frame["target_id"].cat.add_categories(["not-a-target"])
        got = pt.evaluate(plan, frame)
        assert "not-a-target" not in set(got["target_id"].astype(str))
        with pytest.raises(pt.ObservationError, match="not-a-target"):
            pt.evaluate(plan, frame.assign(target_id="not-a-target"))


class TestOneThreadAPartition:
    """Dask runs a partition a thread: the judging inside it starts no pool of its own."""

    def test_serial_runs_every_chunk_in_the_calling_thread(self) -> None:
        import threading

        from policytargets._evaluation.chunks import _chunks, _run, serial

        seen: set[int] = set()

        def work(rows: slice) -> bool:
            seen.add(threading.get_ident())
            return True

        with serial():
            assert _run(_chunks(100, 10), work, False, "test")
        assert seen == {threading.get_ident()}

    def test_partitions_are_judged_serially(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Checked in Dask's threads (the lazy frame's types are worked out in the caller's)."""
        import threading

        from policytargets._evaluation import chunks

        states: list[bool] = []
        real = chunks._run

        def spy(*args: Any) -> bool:
            if threading.current_thread() is not threading.main_thread():
                states.append(getattr(chunks._local, "serial", False))
            return real(*args)

        monkeypatch.setattr(chunks, "_run", spy)
        for module in ("fast", "grouped"):
            monkeypatch.setattr(f"policytargets._evaluation.{module}._run", spy)
        plan, frame = _plan(), _observations()
        lazy = pt.evaluate(plan, dd.from_pandas(frame, npartitions=2))
        lazy.compute(scheduler="threads")
        assert states
        assert all(states)


class TestBenchmark:
    """The Dask benchmark runs and ends with the ratio line."""

    def test_smoke(self) -> None:
        command = [sys.executable, str(ROOT / "benchmarks" / "dask_bench.py"), "--rows", "4000"]
        command += ["--repeats", "1", "--keys", "categorical", "--plans", "simple"]
        done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300)
        last = done.stdout.strip().splitlines()[-1]
        assert last.startswith("ratio_dask_to_pandas=")
        assert float(last.split("=")[1]) > 0


class TestThresholdsWithPlanUnits:
    """evaluate passes thresholds on when it enters a plan's own unit scope (dropped before)."""

    def test_lenient_thresholds_reach_the_judging(self) -> None:
        units = ("widget = item",)
        with pt.unit_scope(units):
            indicator = _indicator("w", kind="count", unit="widget", basis="stock")
            target = pt.Target(
                id="t",
                indicator=indicator,
                condition=pt.AbsoluteChange(amount=2, base="2020"),
                period="2021-2025",
            )
        goal = pt.Goal(id="g", title=pt.Label(en="goal"), targets=(target,))
        plan = pt.Plan(
            id="p", title=pt.Label(en="plan"), period="2021-2025", goals=(goal,), units=units
        )
        frame = pd.DataFrame(
            {
                "target_id": ["t", "t"],
                "period": ["2020", "2023"],
                "value": [93.0, 94.0],
                "unit": ["widget", "widget"],
            }
        )
        strict = pt.evaluate(plan, frame)
        lenient = pt.evaluate(plan, frame, thresholds=pt.ProgressThresholds(on_track=0.8))
        assert strict["progress"].astype(str).tolist() == ["behind"]
        assert lenient["progress"].astype(str).tolist() == ["on_track"]
        lazy = pt.evaluate(
            plan,
            dd.from_pandas(frame, npartitions=2),
            thresholds=pt.ProgressThresholds(on_track=0.8),
        )
        assert lazy.compute()["progress"].astype(str).tolist() == ["on_track"]


class TestSplitGroupsInTableOrder:
    """A group split between partitions is judged on its rows in the table's order.

    Two rows of one group in units the target cannot compare with: pandas names
    the first row's unit. After the shuffle Dask judged the rows in whatever
    order they arrived, and named the other one (under the threaded scheduler,
    either of them, run by run). Example data are illustrative.
    """

    @pytest.mark.parametrize("scheduler", ["sync", "threads"])
    def test_the_first_incomparable_unit_is_named(self, scheduler: str) -> None:
        import dask

        per_capita = _indicator("checks", kind="per_capita", unit="批次/千人")
        target = pt.Target(
            id="checks", indicator=per_capita, condition=pt.AtLeast(value=1), period="2023-Q1"
        )
        goal = pt.Goal(id="g", title=pt.Label(en="goal"), targets=(target,))
        plan = pt.Plan(id="p", title=pt.Label(en="plan"), period="2023", goals=(goal,))
        frame = pd.DataFrame(
            {
                "target_id": ["checks", "checks"],
                "region": ["north", "north"],
                "period": ["2023-01", "2023-Q1"],
                "value": [1.0, 2.0],
                "unit": ["%", "‰"],
            }
        )
        (wanted,) = pt.evaluate(plan, frame)["reason"].tolist()
        assert "'%'" in wanted
        with dask.config.set(scheduler=scheduler):
            for _ in range(5):
                lazy = pt.evaluate(plan, dd.from_pandas(frame, npartitions=2))
                assert lazy.compute()["reason"].tolist() == [wanted]
