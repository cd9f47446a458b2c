"""Writing evaluate's result: CSV, parquet and JSON, and the readers and writers around evaluate."""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policytargets as pt
from policytargets._evaluation.writing import write_results
from test_evaluate import _check_equal, _evaluate_or_error, _expected, plans_and_observations


def _plan(*targets: pt.Target) -> pt.Plan:
    goal = pt.Goal(id="g", title=pt.Label(en="goal"), targets=targets)
    return pt.Plan(id="p", title=pt.Label(en="plan"), period="2022", goals=(goal,))


def _rate(id: str, value: float, unit: str = "%") -> pt.Target:
    indicator = pt.Indicator(id=f"i-{id}", name=pt.Label(en=id), kind="rate", unit=unit)
    return pt.Target(id=id, indicator=indicator, condition=pt.AtLeast(value=value), period="2022")


def _frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["target_id", "period", "value", "unit"])


def _csv(result: pd.DataFrame, **kwargs: Any) -> str:
    buffer = io.BytesIO()
    write_results(result, buffer, format="csv", **kwargs)
    return buffer.getvalue().decode("utf-8")


class TestCsv:
    """CSV output: readable numbers, units that read back, no formulas, optional BOM."""

    def test_no_float_noise(self) -> None:
        """97.11999999999999 (a unit conversion's noise) is written 97.12."""
        plan = _plan(_rate("a", 96.8))
        result = pt.evaluate(plan, _frame([("a", "2022", 0.9712, "")]))
        assert result["observed"].iloc[0] != 97.12  # the noise is really there
        text = _csv(result)
        row = next(csv_row for csv_row in text.splitlines()[1:])
        assert ",97.12," in row
        assert ",0.32," in row  # the margin, 97.12 - 96.8, without its own noise
        assert "9999" not in text

    def test_rounding_keeps_twelve_digits(self) -> None:
        """Numbers are rounded to 12 significant digits, never more coarsely."""
        frame = pd.DataFrame({"x": [123456.789012, 0.000123456789012, 1e15 + 2.0, -5.5]})
        written = pd.read_csv(io.StringIO(_csv(frame)))
        assert list(written["x"]) == [123456.789012, 0.000123456789012, 1e15 + 2.0, -5.5]

    def test_missing_numbers_are_empty_cells(self) -> None:
        """NaN is an empty cell, which pandas reads back as NaN."""
        plan = _plan(_rate("a", 96.8), _rate("b", 50))
        result = pt.evaluate(plan, _frame([("a", "2022", math.nan, "%")]))
        written = pd.read_csv(io.StringIO(_csv(result)))
        assert written["observed"].isna().all()
        assert list(written["status"]) == ["no_data", "no_data"]

    def test_dimensionless_unit_reads_back_as_dimensionless(self) -> None:
        """A target in the dimensionless unit '' is written '1', not an empty (missing) cell."""
        plan = _plan(_rate("a", 0.968, unit=""))
        result = pt.evaluate(plan, _frame([("a", "2022", 0.97, "")]))
        assert result["unit"].iloc[0] == ""
        written = pd.read_csv(io.StringIO(_csv(result)), dtype=str, keep_default_na=False)
        assert written["unit"].iloc[0] == "1"
        assert pt.parse_unit(written["unit"].iloc[0]) == pt.parse_unit("")

    @pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
    def test_formula_cells_are_neutralised(self, start: str) -> None:
        """A text cell a spreadsheet would run as a formula gets a leading quote (OWASP)."""
        payload = f'{start}HYPERLINK("http://x","y")'
        frame = pd.DataFrame(
            {
                "category": pd.Categorical([payload, "plain"]),
                "text": pd.Series([payload, "plain"], dtype="str"),
                "objects": pd.Series([payload, None], dtype=object),
                "number": [-1.5, 2.0],
            }
        )
        written = pacsv.read_csv(pa.py_buffer(_csv(frame).encode())).to_pylist()
        for column in ("category", "text", "objects"):
            assert written[0][column] == "'" + payload
        assert written[1]["category"] == "plain"
        assert written[0]["number"] == -1.5  # numbers are not text: left alone

    def test_plan_text_in_the_result_is_neutralised(self) -> None:
        """A hostile target id from a plan file reaches the CSV only as text."""
        plan = _plan(_rate("=cmd|' /C calc'!A0", 96.8))
        result = pt.evaluate(plan, _frame([("=cmd|' /C calc'!A0", "2022", 97.0, "%")]))
        text = _csv(result)
        assert "\n\"'=cmd|' /C calc'!A0\"," in text
        assert '\n"=cmd' not in text

    def test_bom(self) -> None:
        """bom=True begins the file with the UTF-8 byte order mark Excel looks for."""
        frame = pd.DataFrame({"单位": ["百分点"]})
        buffer = io.BytesIO()
        write_results(frame, buffer, format="csv", bom=True)
        assert buffer.getvalue().startswith(b'\xef\xbb\xbf"')
        assert pd.read_csv(io.BytesIO(buffer.getvalue()), encoding="utf-8-sig").columns[0] == "单位"
        assert not _csv(frame).startswith("\ufeff")

    def test_many_chunks_keep_row_order_and_one_header(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Rows written chunk by chunk come out in order, under one header.

        Chunks whose cells are all missing (a number or category column) are
        written as empty cells, as is a number column with no number at all.
        """
        import policytargets._evaluation.writing as writing

        monkeypatch.setattr(writing, "CHUNK_ROWS", 7)
        codes = [str(i % 3) for i in range(100)]
        numbers = [math.nan] * 7 + [i / 4 for i in range(7, 100)]
        sparse = pd.Categorical([None] * 7 + ["a", None] * 46 + ["b"], categories=["a", "b"])
        frame = pd.DataFrame(
            {
                "i": range(100),
                "c": pd.Categorical(codes),
                "x": numbers,
                "none": [math.nan] * 100,
                "s": sparse,
            }
        )
        text = _csv(frame)
        assert text.splitlines()[1] == '0,"0",,,'
        written = pd.read_csv(io.StringIO(text), dtype={"c": str, "s": str})
        assert list(written["i"]) == list(range(100))
        assert list(written["c"]) == [str(i % 3) for i in range(100)]
        pd.testing.assert_series_equal(written["x"], frame["x"])
        assert written["none"].isna().all()
        assert list(written["s"].fillna("")) == list(frame["s"].astype(object).fillna(""))

    def test_text_is_the_same_whatever_the_chunks_and_threads(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Chunks formatted on several threads join into the text of one pass over all rows."""
        import policytargets._evaluation.writing as writing

        frame = pd.DataFrame(
            {
                "c": pd.Categorical([None] * 9 + [f"k{i % 4}" for i in range(9, 60)]),
                "x": [math.nan] * 8 + [i / 7 for i in range(8, 60)],
                "b": [i % 3 == 0 for i in range(60)],
                "s": pd.Series([None if i % 5 else f"-{i}" for i in range(60)], dtype=object),
                "unit": pd.Categorical(["" if i % 2 else "%" for i in range(60)]),
            }
        )
        whole = _csv(frame)
        monkeypatch.setattr(writing, "CHUNK_ROWS", 7)
        for workers in (1, 3):
            monkeypatch.setattr(writing, "_workers", lambda workers=workers: workers)
            assert _csv(frame) == whole
            assert _csv(frame, bom=True) == "\ufeff" + whole
        assert whole.count('"c"') == 1
        assert whole.splitlines()[1:3] == [',,true,"\'-0","%"', ',,false,,"1"']

    def test_parquet_row_groups(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """A result written in several row groups reads back equal."""
        import policytargets._evaluation.writing as writing

        monkeypatch.setattr(writing, "PARQUET_CHUNK_ROWS", 7)
        frame = pd.DataFrame({"i": range(20), "c": pd.Categorical([str(i % 3) for i in range(20)])})
        write_results(frame, tmp_path / "r.parquet")
        assert pq.read_metadata(tmp_path / "r.parquet").num_row_groups == 3
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "r.parquet"), frame)

    def test_empty_result_is_a_header(self) -> None:
        """No rows: the header alone."""
        frame = pd.DataFrame({"a": pd.Series([], dtype=float), "b": pd.Categorical([])})
        assert _csv(frame).strip() == '"a","b"'


class TestParquetAndJson:
    """Parquet keeps every value and type; the format follows the suffix."""

    def test_result_writes_to_parquet_and_reads_back_equal(self, tmp_path: Path) -> None:
        """write_results and DataFrame.to_parquet both work: no sparse columns."""
        plan = _plan(_rate("a", 96.8), _rate("b", 50), _rate("c", 0.5, unit=""))
        frame = _frame([("a", "2022", 97.0, "%"), ("c", "2022", math.nan, "")])
        frame["region"] = ["north", "south"]
        result = pt.evaluate(plan, frame)
        write_results(result, tmp_path / "r.parquet")
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "r.parquet"), result)
        result.to_parquet(tmp_path / "pandas.parquet")
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "pandas.parquet"), result)

    def test_json_records(self, tmp_path: Path) -> None:
        """JSON is one array of records, Chinese kept readable."""
        plan = _plan(_rate("a", 96.8))
        result = pt.evaluate(plan, _frame([("a", "2022", 97.0, "%")]))
        write_results(result, tmp_path / "r.json")
        text = (tmp_path / "r.json").read_text(encoding="utf-8")
        assert json.loads(text)[0]["status"] == "met"
        assert "百分点" in text

    def test_unknown_format(self, tmp_path: Path) -> None:
        """A path without a known suffix, or an unknown format, is an InvalidValueError."""
        frame = pd.DataFrame({"a": [1.0]})
        with pytest.raises(pt.InvalidValueError, match="csv, parquet or json"):
            write_results(frame, tmp_path / "r.txt")
        with pytest.raises(pt.InvalidValueError, match="csv, parquet or json"):
            write_results(frame, tmp_path / "r.csv", format="xml")


def _unit_text(frame: pd.DataFrame) -> pd.DataFrame:
    # An empty cell is a missing unit in a file: the dimensionless unit is written "1".
    return frame.assign(unit=frame["unit"].replace("", "1"))


class TestFilesEqualAssess:
    """Through files (CSV and parquet, in and out), evaluate still gives what assess gives."""

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(plans_and_observations(), st.booleans())
    def test_observation_files_and_result_files(self, data: Any, categories: bool) -> None:
        import tempfile

        plan, frame = data
        frame = _unit_text(frame)
        expected = _expected(plan, frame)
        in_memory = _evaluate_or_error(plan, frame)
        if isinstance(in_memory, pt.ObservationError) or not len(frame):
            return
        with tempfile.TemporaryDirectory() as tmp:
            d = Path(tmp)
            table = pa.Table.from_pandas(frame, preserve_index=False)
            pacsv.write_csv(table, d / "obs.csv")
            table.to_pandas().to_parquet(d / "obs.parquet")
            sources = [pd.read_parquet(d / "obs.parquet")]
            # The reader refuses some frames evaluate takes (a future period).
            # Both files, text as strings or as categories (what the command line reads).
            with contextlib.suppress(pt.ObservationError):
                for file in ("obs.csv", "obs.parquet"):
                    sources.append(pt.read_observations(d / file, categories=categories))
            for source in sources:
                _check_equal(pt.evaluate(plan, source), expected)
            write_results(in_memory, d / "r.parquet")
            if len(in_memory):  # pyarrow reads no categories back as object ones
                pd.testing.assert_frame_equal(pd.read_parquet(d / "r.parquet"), in_memory)
            write_results(in_memory, d / "r.csv")
            text = dict.fromkeys(("target_id", "region", "period", "unit", "margin_unit"), str)
            back = pd.read_csv(d / "r.csv", dtype=text, keep_default_na=False, na_values=[""])
        for column in ("unit", "margin_unit"):
            # The dimensionless unit is written "1"; every other unit as it is.
            assert list(back[column].fillna("").replace("1", "")) == list(
                in_memory[column].astype(str).replace("1", "")
            )
            back[column] = in_memory[column].astype(object)
        back["reason"] = back["reason"].fillna("")
        _check_equal(back, expected, exact=False)  # written to 12 significant digits


class TestDaskFiles:
    """Dask on a multi-file parquet dataset with categorical columns, written back to parquet."""

    # Dask's to_parquet itself calls set_index(inplace=True), deprecated in pandas 3.1.
    @pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")
    @pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
    def test_categorical_parquet_dataset(self, tmp_path: Path) -> None:
        """Rows equal pandas'; the lazy result writes with to_parquet."""
        dd = pytest.importorskip("dask.dataframe")
        plan = _plan(_rate("a", 96.8), _rate("b", 50), _rate("c", 10))
        rows = [("a", "2022", 97.0 + i / 10, "%") for i in range(6)]
        rows += [("b", "2022", 40.0 + i, "%") for i in range(6)]
        frame = _frame(rows).assign(region=[f"r{i % 6}" for i in range(12)])
        frame = frame.astype(dict.fromkeys(("target_id", "period", "unit", "region"), "category"))
        (tmp_path / "obs").mkdir()
        for i in range(3):  # three files, each with its own categories
            part = frame.iloc[4 * i : 4 * i + 4].reset_index(drop=True)
            for column in ("target_id", "period", "unit", "region"):
                part[column] = part[column].cat.remove_unused_categories()
            part.to_parquet(tmp_path / "obs" / f"part{i}.parquet")
        lazy = pt.evaluate(plan, dd.read_parquet(tmp_path / "obs"))
        got = lazy.compute()
        want = pt.evaluate(plan, frame)

        def norm(f: pd.DataFrame) -> pd.DataFrame:
            f = f.astype({c: object for c in f.columns if f[c].dtype.kind not in "fb"})
            f = f.where(f.notna(), None)
            return f.sort_values(["target_id", "region"], key=lambda s: s.astype(str))

        pd.testing.assert_frame_equal(
            norm(got).reset_index(drop=True), norm(want).reset_index(drop=True)
        )
        lazy.to_parquet(tmp_path / "out")
        assert len(pd.read_parquet(tmp_path / "out")) == len(want)


class TestNumberText:
    """Whole numbers given to the writer as integers are written as pyarrow writes the doubles."""

    @staticmethod
    def _double_text(values: list[float]) -> list[str]:
        import pyarrow.compute as pc

        from policytargets._evaluation.writing import _rounded

        rounded = _rounded(values)
        text = pc.cast(pa.array(rounded, from_pandas=True), pa.string()).to_pylist()
        return ["" if t is None else t for t in text]

    @staticmethod
    def _written(values: list[float]) -> list[str]:
        text = _csv(pd.DataFrame({"x": values}))
        return text.splitlines()[1:]

    @pytest.mark.parametrize(
        "values",
        [
            [1.0, 2.0, math.nan, 80.0],
            [0.0, -0.0, 3.0],
            [999_999_999.0, -999_999_999.0],
            [1e9, 1.0],
            [1e10, 2.0],
            [2.9999999999999996, 7.0],
            [0.5, 1.0],
            [math.nan, math.nan, 1.0],
        ],
    )
    def test_examples(self, values: list[float]) -> None:
        assert self._written(values) == self._double_text(values)

    @given(
        st.lists(
            st.one_of(
                st.integers(-(10**10), 10**10).map(float),
                st.floats(allow_infinity=False),
                st.sampled_from([math.nan, -0.0, 0.0, 1e9 - 1, 1e9, 1e9 + 1]),
            ),
            min_size=1,
            max_size=20,
        )
    )
    @settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
    def test_any_floats(self, values: list[float]) -> None:
        assert self._written(values) == self._double_text(values)
