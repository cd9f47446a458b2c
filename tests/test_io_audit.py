"""Reading and writing files cell for cell: the lines errors name, and values as the file says.

Edge cases found by an audit of the readers and the result writer; the figures are illustrative.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policytargets as pt


def given_frames(test: Any) -> Any:
    """A property test over st.data(); a monkeypatched value is the same for every example."""
    return settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )(given(data=st.data())(test))


HEADER = "target_id,period,value,unit,note\n"


def _failures(error: pytest.ExceptionInfo[pt.ObservationError]) -> set[tuple[Any, ...]]:
    f = error.value.failures
    return set(zip(f["row"], f["column"], f["value"], f["reason"], strict=True))


def _read_bad(path: Path, **kwargs: Any) -> set[tuple[Any, ...]]:
    with pytest.raises(pt.ObservationError) as info:
        pt.read_observations(path, **kwargs)
    return _failures(info)


class TestLinesAboveTheHeader:
    """Only a line break ends a line: other characters Python splits lines at do not."""

    @pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028"])
    @pytest.mark.parametrize("place", ["# note {}x\n", "表1 {}说明\n"])
    def test_a_note_or_title_with_a_separator_character_is_one_line(
        self, tmp_path: Path, char: str, place: str
    ) -> None:
        path = tmp_path / "obs.csv"
        path.write_text(place.format(char) + HEADER + "a,2022,1,%,n\nb,2022,zz,%,n\n", "utf-8")
        assert _read_bad(path) == {(4, "value", "zz", "non_numeric_value")}
        path.write_text(place.format(char) + HEADER + "a,2022,1,%,n\n", "utf-8")
        assert list(pt.read_observations(path).index) == [3]


class TestQuotedLineBreaks:
    """A quoted cell spanning lines (Alt+Enter in Excel): later rows keep their own lines."""

    @pytest.mark.parametrize("categories", [False, True])
    @pytest.mark.parametrize("newline", ["\n", "\r\n"])
    @pytest.mark.parametrize(
        ("body", "lines"),
        [
            # Line 2 is the first row, whose note spans lines 2 and 3.
            ('a,2022,1,%,"x{nl}y"{nl}b,2022,2,%,z{nl}c,2022,zz,%,w{nl}', [2, 4, 5]),
            ('a,2022,1,%,"x{nl}y"{nl}{nl}b,2022,2,%,z{nl}c,2022,zz,%,w', [2, 5, 6]),
            ('a,2022,1,%,"x{nl}{nl}{nl}y"{nl}b,2022,2,%,z{nl}{nl}c,2022,zz,%,w{nl}', [2, 6, 8]),
            ('"a{nl}",2022,1,%,n{nl}b,2022,2,%,"p,{nl}q"{nl}c,2022,zz,%,w{nl}', [2, 4, 6]),
        ],
    )
    def test_rows_after_a_multi_line_cell(
        self, tmp_path: Path, categories: bool, newline: str, body: str, lines: list[int]
    ) -> None:
        path = tmp_path / "obs.csv"
        text = (HEADER + body).replace("\n", newline).replace("{nl}", newline)
        path.write_bytes(text.encode("utf-8"))
        assert _read_bad(path, categories=categories) == {
            (lines[2], "value", "zz", "non_numeric_value")
        }
        path.write_bytes(text.replace("zz", "3").encode("utf-8"))
        frame = pt.read_observations(path, categories=categories)
        assert list(frame.index) == lines
        assert list(frame["value"]) == [1, 2, 3]

    def test_in_a_gb18030_file(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        text = '指标,年份,数值,单位,备注\n合格率,2022,1,%,"第一行\n第二行"\n合格率,2021,坏,%,无\n'
        path.write_bytes(text.encode("gb18030"))
        assert _read_bad(path) == {(4, "数值", "坏", "non_numeric_value")}

    def test_a_file_of_many_blocks(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """pyarrow's blocks end at a line break; inside quotes, the file is read again whole."""
        from policytargets._observation_files import delimited

        monkeypatch.setattr(delimited, "_BLOCK_SIZE", 64)
        rows = [f'r{i},2022,{i},%,"a note\nof two lines"\n' for i in range(20)]
        path = tmp_path / "obs.csv"
        path.write_text(HEADER + "".join(rows), "utf-8")
        frame = pt.read_observations(path)
        assert list(frame["value"]) == list(range(20))
        assert set(frame["note"]) == {"a note\nof two lines"}
        assert list(frame.index) == list(range(2, 42, 2))

    def test_a_block_ending_inside_quotes_of_the_first_column(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """pyarrow reads ``yy"`` for the cell ``"x<LF>yy"`` when its block ends inside it,
        without an error; whatever the block size, the cell and every line are read right."""
        from policytargets._observation_files import delimited

        path = tmp_path / "obs.csv"
        path.write_text(
            "note,target_id,period,value,unit\n"
            + "plain,a,2022,1,%\n" * 3
            + '"x\nyy",b,2022,999,%\n'
            + "plain,c,2022,3,%\n" * 3,
            "utf-8",
        )
        for block in range(20, 140, 4):
            monkeypatch.setattr(delimited, "_BLOCK_SIZE", block)
            frame = pt.read_observations(path)
            assert list(frame["note"]) == ["plain"] * 3 + ["x\nyy"] + ["plain"] * 3, block
            assert list(frame.index) == [2, 3, 4, 5, 7, 8, 9], block


def _cells(frame: Any) -> dict[str, list[str]]:
    """The CSV cells write_results writes for each column, as Python's csv module reads them."""
    import csv
    import io

    from policytargets._evaluation.writing import write_results

    buffer = io.BytesIO()
    write_results(frame, buffer, format="csv")
    rows = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8"))))
    return {name: [row[i] for row in rows[1:]] for i, name in enumerate(rows[0])}


class TestCellsOfEveryDtype:
    """Each cell as the frame holds it: numbers never prefixed, missing cells empty."""

    def test_categories_that_are_numbers(self) -> None:
        import pandas as pd

        frame = pd.DataFrame(
            {
                "code": pd.Categorical([-5, 3, -5, None]),
                "share": pd.Categorical([0.1 + 0.2, -1.5, None, -1.5]),
                "text": pd.Categorical(["-5", "=x", "a", None]),
            }
        )
        assert _cells(frame) == {
            "code": ["-5", "3", "-5", ""],
            "share": ["0.3", "-1.5", "", "-1.5"],
            "text": ["'-5", "'=x", "a", ""],
        }

    def test_categories_of_mixed_objects(self) -> None:
        import pandas as pd

        frame = pd.DataFrame({"x": pd.Categorical(["=x", -2, 0.1 + 0.2, "-y"])})
        assert _cells(frame) == {"x": ["'=x", "-2", "0.3", "'-y"]}

    def test_nullable_numbers_and_booleans(self) -> None:
        import pandas as pd

        frame = pd.DataFrame(
            {
                "i": pd.array([1, None, -2], dtype="Int64"),
                "f": pd.array([0.1 + 0.2, None, -2.0], dtype="Float64"),
                "b": pd.array([True, None, False], dtype="boolean"),
                "full": pd.array([1, 2, 3], dtype="Int64"),
            }
        )
        assert _cells(frame) == {
            "i": ["1", "", "-2"],
            "f": ["0.3", "", "-2"],
            "b": ["true", "", "false"],
            "full": ["1", "2", "3"],
        }

    def test_sparse_and_arrow_columns(self) -> None:
        import numpy as np
        import pandas as pd

        frame = pd.DataFrame(
            {
                "sf": pd.arrays.SparseArray([np.nan, 0.1 + 0.2, np.nan]),
                "si": pd.arrays.SparseArray([0, -1, 0]),
                "af": pd.array([1.5, None, -3], dtype="double[pyarrow]"),
                "ai": pd.array([1, None, -3], dtype="int64[pyarrow]"),
                "ab": pd.array([True, None, False], dtype="bool[pyarrow]"),
            }
        )
        assert _cells(frame) == {
            "sf": ["", "0.3", ""],
            "si": ["0", "-1", "0"],
            "af": ["1.5", "", "-3"],
            "ai": ["1", "", "-3"],
            "ab": ["true", "", "false"],
        }

    def test_periods_durations_and_intervals_as_pandas_writes_them(self) -> None:
        import pandas as pd

        frame = pd.DataFrame(
            {
                "p": pd.PeriodIndex(["2022", None, "2023"], freq="Y"),
                "d": pd.to_timedelta(["1D", None, "-1D"]),
                "iv": pd.arrays.IntervalArray.from_breaks([0, 1, 2, 3]),
            }
        )
        assert _cells(frame) == {
            "p": ["2022", "", "2023"],
            "d": ["1 days", "", "-1 days"],
            "iv": ["(0, 1]", "(1, 2]", "(2, 3]"],
        }

    def test_objects(self) -> None:
        import math

        import pandas as pd

        frame = pd.DataFrame(
            {
                "numbers": pd.Series([-1.5, 0.1 + 0.2, None], dtype=object),
                "mixed": pd.Series(["=x", -1.5, math.nan], dtype=object),
                "missing": pd.Series(["a", pd.NA, None], dtype=object),
            }
        )
        assert _cells(frame) == {
            "numbers": ["-1.5", "0.3", ""],
            "mixed": ["'=x", "-1.5", ""],
            "missing": ["a", "", ""],
        }

    def test_a_breakdown_through_evaluate(self) -> None:
        """A breakdown column keeps its cells: a missing region is no region called "nan"."""
        import pandas as pd

        indicator = pt.Indicator(id="i", name=pt.Label(en="i"), kind="rate", unit="%")
        target = pt.Target(
            id="a", indicator=indicator, condition=pt.AtLeast(value=90), period="2022"
        )
        goal = pt.Goal(id="g", title=pt.Label(en="goal"), targets=(target,))
        plan = pt.Plan(id="p", title=pt.Label(en="plan"), period="2022", goals=(goal,))
        observations = pd.DataFrame(
            {
                "target_id": ["a", "a", "a"],
                "period": ["2022"] * 3,
                "value": [95.0, 80.0, 91.0],
                "unit": ["%"] * 3,
                "region": pd.array([-1, None, 7], dtype="Int64"),
                "year": pd.PeriodIndex(["2021", "2022", "2022"], freq="Y"),
            }
        )
        cells = _cells(pt.evaluate(plan, observations, by=["region", "year"]))
        assert cells["region"] == ["-1", "", "7"]
        assert cells["year"] == ["2021", "2022", "2022"]


_TEXTS = ["a", "=1+1", "-x", "+", "@a", "\tb", "\rc", "中文", "a,b", 'q"q', "two\nlines", " =x"]
_UNITS = ["", "%", "万元", "1"]


class TestRoundTrip:
    """write_results then a reader: every value back to 12 significant digits, in order."""

    @staticmethod
    def _frame(data: Any) -> Any:
        import numpy as np
        import pandas as pd

        n = data.draw(st.integers(0, 30), label="rows")
        floats = st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.floats(-1e13, 1e13),
            st.sampled_from([0.0, -0.0, 1e9, -1e9, 1e9 - 0.5, 999_999_999.0, 1e12, 1e-5, 5e-324]),
            st.integers(-(10**10), 10**10).map(float),
        )
        texts = st.one_of(st.none(), st.sampled_from(_TEXTS))
        units = st.one_of(st.none(), st.sampled_from(_UNITS))
        column = st.lists(floats, min_size=n, max_size=n)
        return pd.DataFrame(
            {
                "x": np.array(data.draw(column, label="x"), dtype=np.float64),
                "w": np.array(
                    data.draw(
                        st.lists(
                            st.integers(-(10**9) - 2, 10**9 + 2).map(float), min_size=n, max_size=n
                        )
                    ),
                    dtype=np.float64,
                ),
                "t": pd.Categorical(data.draw(st.lists(texts, min_size=n, max_size=n))),
                "s": pd.Series(data.draw(st.lists(texts, min_size=n, max_size=n)), dtype=object),
                "unit": pd.Categorical(data.draw(st.lists(units, min_size=n, max_size=n))),
                "k": np.arange(n, dtype=np.int64) - 3,
                "b": np.arange(n) % 3 == 0,
            }
        )

    @staticmethod
    def _same_number(back: float, value: float) -> bool:
        import math

        if math.isnan(value):
            return math.isnan(back)
        if math.isinf(value) or value == 0:  # -0 is written "-0", which pandas reads as 0
            return back == value
        return abs(back - value) <= 5.000001e-12 * abs(value) or (
            abs(value) < 1e-300 and back == value
        )

    @given_frames
    def test_pandas_reads_back_what_was_written(
        self, monkeypatch: pytest.MonkeyPatch, data: Any
    ) -> None:
        import io

        import pandas as pd

        from policytargets._evaluation import writing

        monkeypatch.setattr(writing, "CHUNK_ROWS", 7)
        frame = self._frame(data)
        buffer = io.BytesIO()
        writing.write_results(frame, buffer, format="csv")
        back = pd.read_csv(
            io.BytesIO(buffer.getvalue()),
            dtype={"t": str, "s": str, "unit": str},
            keep_default_na=False,
            na_values={"x": ["", "nan"], "w": [""], "t": [""], "s": [""], "unit": [""]},
        )
        assert len(back) == len(frame)
        for x, y in zip(back["x"].astype(float), frame["x"], strict=True):
            assert self._same_number(x, y), (x, y)
        assert list(back["w"].astype(float)) == list(frame["w"])
        assert list(back["k"]) == list(frame["k"])
        assert list(back["b"]) == list(frame["b"])
        for column in ("t", "s"):
            want = [
                None if v is None else ("'" + v if v[0] in "=+-@\t\r" else v)
                for v in frame[column].astype(object).where(frame[column].notna(), None)
            ]
            assert list(back[column].astype(object).where(back[column].notna(), None)) == want
        units = frame["unit"].astype(object).where(frame["unit"].notna(), None)
        assert list(back["unit"].astype(object).where(back["unit"].notna(), None)) == [
            None if u is None else (u or "1") for u in units
        ]

    @given_frames
    def test_read_observations_reads_back_what_was_written(
        self, monkeypatch: pytest.MonkeyPatch, data: Any
    ) -> None:
        """An observation table, written and read again: each value to 12 digits, units too
        (the dimensionless unit written "1"), the same with text as categories or not."""
        import tempfile

        import numpy as np
        import pandas as pd

        from policytargets._evaluation import writing

        monkeypatch.setattr(writing, "CHUNK_ROWS", 7)
        n = data.draw(st.integers(1, 25), label="rows")
        values = data.draw(
            st.lists(
                st.one_of(st.none(), st.floats(-1e15, 1e15), st.sampled_from([-0.0, 1e9, 0.5])),
                min_size=n,
                max_size=n,
            )
        )
        units = data.draw(st.lists(st.sampled_from(_UNITS), min_size=n, max_size=n))
        frame = pd.DataFrame(
            {
                "target_id": pd.Categorical([f"t{i % 4}" for i in range(n)]),
                "period": data.draw(
                    st.lists(st.sampled_from(["2021", "2022-Q1"]), min_size=n, max_size=n)
                ),
                "value": np.array([np.nan if v is None else v for v in values], dtype=float),
                "unit": pd.Categorical(units),
                "region": pd.Categorical(
                    data.draw(
                        st.lists(st.sampled_from(["中文", "a,b", "0101"]), min_size=n, max_size=n)
                    )
                ),
            }
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "obs.csv"
            writing.write_results(frame, path)
            plain = pt.read_observations(path)
            coded = pt.read_observations(path, categories=True)
        assert list(plain.index) == list(range(2, n + 2))
        pd.testing.assert_frame_equal(coded.astype(object), plain.astype(object))
        for back, value in zip(plain["value"], frame["value"], strict=True):
            assert self._same_number(back, value), (back, value)
        assert list(plain["unit"]) == [u or "1" for u in units]
        for column in ("target_id", "period", "region"):
            assert list(plain[column]) == list(frame[column].astype(str))


class TestParquetCells:
    """A parquet file's typed columns read as a CSV's cells would be: refused, never coerced."""

    @staticmethod
    def _write(tmp_path: Path, **columns: Any) -> Path:
        import pyarrow as pa
        import pyarrow.parquet as pq

        base = {
            "target_id": pa.array(["a", "b", "c"]),
            "period": pa.array(["2022", "2021", "2020"]),
            "unit": pa.array(["%", "%", "%"]),
        }
        path = tmp_path / "obs.parquet"
        pq.write_table(pa.table({**base, **columns}), path)
        return path

    @pytest.mark.parametrize("categories", [False, True])
    def test_a_text_value_column(self, tmp_path: Path, categories: bool) -> None:
        """Text values (what pandas writes for an object column) read as in a CSV."""
        import pyarrow as pa

        path = self._write(tmp_path, value=pa.array(["1,234.5", "—", "96.5%"]))
        frame = pt.read_observations(path, categories=categories)
        assert frame["value"].iloc[0] == 1234.5
        assert math.isnan(frame["value"].iloc[1])
        assert frame["value"].iloc[2] == 96.5
        path = self._write(
            tmp_path, value=pa.array([None, "5%", "1.5万"]), unit=pa.array(["%"] * 3)
        )
        frame = pt.read_observations(path, categories=categories)
        assert math.isnan(frame["value"].iloc[0])
        assert list(frame["value"].iloc[1:]) == [5.0, 15000.0]
        path = self._write(tmp_path, value=pa.array(["1,2", None, "lots"]))
        assert _read_bad(path, categories=categories) == {
            (1, "value", "1,2", "bad_thousands_separator"),
            (3, "value", "lots", "non_numeric_value"),
        }

    def test_booleans_are_no_numbers(self, tmp_path: Path) -> None:
        """True is not 1 (evaluate refuses a frame's booleans too)."""
        import pyarrow as pa

        path = self._write(tmp_path, value=pa.array([True, None, False]))
        assert _read_bad(path) == {
            (1, "value", True, "non_numeric_value"),
            (3, "value", False, "non_numeric_value"),
        }

    def test_dates_are_no_numbers(self, tmp_path: Path) -> None:
        import datetime

        import pyarrow as pa

        day = datetime.date(2022, 5, 1)
        path = self._write(tmp_path, value=pa.array([day, None, day]))
        assert {(r[0], r[3]) for r in _read_bad(path)} == {
            (1, "non_numeric_value"),
            (3, "non_numeric_value"),
        }

    def test_integers_beyond_two_to_the_53(self, tmp_path: Path) -> None:
        """Read as the nearest float, as pandas' astype(float) does, not refused by pyarrow."""
        import pyarrow as pa

        path = self._write(tmp_path, value=pa.array([2**60 + 1, 3, None], pa.int64()))
        assert list(pt.read_observations(path)["value"].iloc[:2]) == [float(2**60), 3.0]

    def test_a_float_breakdown_beyond_int64(self, tmp_path: Path) -> None:
        import pyarrow as pa

        path = self._write(
            tmp_path, value=pa.array([1.0, 2.0, 3.0]), region=pa.array([110000.0, 1e20, None])
        )
        assert list(pt.read_observations(path)["region"].iloc[:2]) == ["110000", "1e+20"]


class TestExcelPercentFormats:
    """Only a percent code scales by 100; a percent sign written as text is shown as it is."""

    @pytest.mark.parametrize(
        ("stored", "number_format", "value", "unit"),
        [
            (0.969, "0.0%", 96.9, "%"),  # a code: Excel shows 96.9%
            (96.9, '0.0"%"', 96.9, "%"),  # text: Excel shows 96.9%, not 9690%
            (96.9, "0.0\\%", 96.9, "%"),  # escaped: the same
            (96.9, '0.0" 百分比"', 96.9, "1"),
            (96.9, "0.0_%", 96.9, "1"),  # _%: a space the width of %, nothing shown
            (-0.05, "0.0;-0.0%", -5.0, "%"),  # the negative section scales
            (0.05, "0.0;-0.0%", 0.05, "1"),  # the positive one does not
            (0.05, '0.0"%;"0%', 5.0, "%"),  # a ';' in quotes ends no section
        ],
    )
    def test_formats(
        self, tmp_path: Path, stored: float, number_format: str, value: float, unit: str
    ) -> None:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["target_id", "period", "value", "unit"])
        sheet.append(["t", "2022", stored, "1"])
        sheet["C2"].number_format = number_format
        book.save(tmp_path / "obs.xlsx")
        frame = pt.read_observations(tmp_path / "obs.xlsx")
        assert frame["value"].iloc[0] == pytest.approx(value, rel=1e-15)
        assert frame["unit"].iloc[0] == unit


class TestHeaderBelowATitle:
    """The header is found below title lines by the caller's own headers, or a wide table's."""

    COLUMNS: ClassVar[dict[str, str]] = {
        "考核指标": "indicator_id",
        "考核年度": "period",
        "完成数": "value",
        "计量": "unit",
    }

    @pytest.mark.parametrize("title", ["表1 2022年考核情况\n", "表1 2022年考核情况,,,\n"])
    def test_csv_headers_from_columns(self, tmp_path: Path, title: str) -> None:
        path = tmp_path / "obs.csv"
        path.write_text(
            f"{title}考核指标,考核年度,完成数,计量\nq,2022,96.5,%\nq,2021,x,%\n", "utf-8"
        )
        assert _read_bad(path, columns=self.COLUMNS) == {(4, "完成数", "x", "non_numeric_value")}

    def test_xlsx_headers_from_columns(self, tmp_path: Path) -> None:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["表1 2022年考核情况"])
        sheet.append(list(self.COLUMNS))
        sheet.append(["q", "2022", 96.5, "%"])
        book.save(tmp_path / "obs.xlsx")
        frame = pt.read_observations(tmp_path / "obs.xlsx", columns=self.COLUMNS)
        assert list(frame.index) == [3]
        assert frame["value"].iloc[0] == 96.5

    def test_a_wide_table(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_text("说明：单位 万元\n指标,2021,2022\nq,1,x\n", "utf-8")
        assert _read_bad(path) == {(3, "2022", "x", "non_numeric_value")}

    def test_a_note_naming_a_column_and_a_period_is_no_header(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_text("时间,2022年\n指标,年份,数值,单位\nq,2022,x,%\n", "utf-8")
        assert _read_bad(path) == {(3, "数值", "x", "non_numeric_value")}


class TestShortGbkFiles:
    """A few Chinese characters read as plausibly in Big5: a tie goes to GB18030 (zh-CN Excel)."""

    @pytest.mark.parametrize(
        "text",
        [
            "target_id,period,value,unit,region\nt,2022,1,%,镇\n",
            "target_id,period,value,unit,region\nt,2022,1,%,城厢镇\nt,2022,2,%,浏河镇\n",
            "target_id,period,value,unit,note\nt,2022,1,%,“示例”\n",
        ],
    )
    def test_gbk(self, tmp_path: Path, text: str) -> None:
        import pandas as pd

        path = tmp_path / "obs.csv"
        path.write_bytes(text.encode("gbk"))
        frame = pt.read_observations(path)
        assert frame.attrs["encoding"] == "gb18030"
        written = pd.read_csv(path, encoding="gbk", dtype=str)
        assert list(frame.iloc[:, -1]) == list(written.iloc[:, -1])

    def test_big5_still_big5(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_bytes(
            "指標名稱,年份,數值,單位\n製造業產品品質合格率,2022,96.9,%\n".encode("big5")
        )
        frame = pt.read_observations(path)
        assert frame.attrs["encoding"] == "big5"
        assert frame.iloc[0, 0] == "製造業產品品質合格率"


class TestJson:
    """JSON records keep every number to 12 significant digits, however small, and escape text."""

    @staticmethod
    def _records(frame: Any) -> list[dict[str, Any]]:
        import io
        import json

        from policytargets._evaluation.writing import write_results

        buffer = io.BytesIO()
        write_results(frame, buffer, format="json")
        records: list[dict[str, Any]] = json.loads(buffer.getvalue().decode("utf-8"))
        return records

    def test_small_numbers_and_infinities(self) -> None:
        import pandas as pd

        values = [1e-12, 1.234567891234e-8, 0.1 + 0.2, 80.0, -0.0, math.inf, math.nan, 1e20]
        got = [r["x"] for r in self._records(pd.DataFrame({"x": values}))]
        assert got == [1e-12, 1.234567891234e-8, 0.3, 80.0, -0.0, None, None, 1e20]
        assert all(isinstance(v, float) for v in got if v is not None)

    def test_text_as_written(self) -> None:
        import pandas as pd

        texts = ['a"b', "c\\d", "e\nf", "\x01\t", "百分点", "", "=x", None]
        frame = pd.DataFrame({"c": pd.Categorical(texts), "s": pd.Series(texts, dtype=object)})
        records = self._records(frame)
        assert [r["c"] for r in records] == texts
        assert [r["s"] for r in records] == texts

    @given_frames
    def test_records_equal_the_frame(self, monkeypatch: pytest.MonkeyPatch, data: Any) -> None:
        """In chunks of 7 rows: each record is its row (floats to 12 significant digits)."""
        from policytargets._evaluation import writing

        monkeypatch.setattr(writing, "CHUNK_ROWS", 7)
        frame = TestRoundTrip._frame(data)
        records = self._records(frame)
        assert len(records) == len(frame)
        for record, (_, row) in zip(records, frame.iterrows(), strict=True):
            assert list(record) == list(frame.columns)
            for name in ("t", "s", "unit"):
                assert record[name] == (None if pd_missing(row[name]) else row[name])
            assert record["k"] == row["k"]
            assert record["b"] == row["b"]
            for name in ("x", "w"):
                value = row[name]
                if math.isfinite(value):
                    assert TestRoundTrip._same_number(record[name], value), (record, value)
                else:
                    assert record[name] is None


def pd_missing(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


class TestSeparatorBelowATitle:
    """The separator is the one under which a line names known columns, not the title's."""

    @pytest.mark.parametrize("title", ["表1 质量指标\n", "表1, 质量指标\n", "# 注\n表1\n"])
    def test_tabs_in_a_txt_file(self, tmp_path: Path, title: str) -> None:
        path = tmp_path / "obs.txt"
        path.write_text(title + "target_id\tperiod\tvalue\tunit\na\t2022\t1,234\t%\n", "utf-8")
        frame = pt.read_observations(path)
        assert frame["value"].iloc[0] == 1234.0
        assert list(frame.index) == [title.count("\n") + 2]

    def test_semicolons(self, tmp_path: Path) -> None:
        """A decimal comma in a semicolon file is refused, never 965."""
        path = tmp_path / "obs.csv"
        path.write_text("target_id;period;value;unit\na;2022;96,5;%\nb;2022;97;%\n", "utf-8")
        assert _read_bad(path) == {(2, "value", "96,5", "bad_thousands_separator")}

    def test_a_comma_file_with_tabs_in_a_title(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_text("表1\t说明\ntarget_id,period,value,unit\na,2022,1,%\n", "utf-8")
        assert list(pt.read_observations(path).index) == [3]


class TestASecondNumberInACell:
    """pint reads a number after the number as a unit of one: such a cell is refused."""

    @pytest.mark.parametrize("cell", ["5 1", "96.5+1", "1+1", "5(1)", "5%1", "1+1%"])
    def test_refused(self, tmp_path: Path, cell: str) -> None:
        path = tmp_path / "obs.csv"
        path.write_text(f'target_id,period,value,unit\na,2022,"{cell}",1\n', "utf-8")
        assert _read_bad(path) == {(2, "value", cell, "non_numeric_value")}

    @pytest.mark.parametrize("cell", ["10²", "2²", "5³%", "10⁴", "2₂", "①", "½"])
    def test_numbers_that_are_not_digits_are_refused(self, tmp_path: Path, cell: str) -> None:
        """NFKC made them digits before the cell was read: 10² was 102, 5³% was 53%."""
        path = tmp_path / "obs.csv"
        path.write_text(f'target_id,period,value,unit\na,2022,"{cell}",1\n', "utf-8")
        assert _read_bad(path) == {(2, "value", cell, "non_numeric_value")}

    @pytest.mark.parametrize(("cell", "read_unit"), [("100m²", "m²"), ("100㎡", "㎡")])
    def test_a_unit_squared_is_read(self, tmp_path: Path, cell: str, read_unit: str) -> None:
        """m² and ㎡ stay a power of a unit (NFKC made m² m2, which was refused)."""
        path = tmp_path / "obs.csv"
        path.write_text(f"target_id,period,value\na,2022,{cell}\n", "utf-8")
        frame = pt.read_observations(path)
        assert (frame["value"].iloc[0], frame["unit"].iloc[0]) == (100.0, read_unit)

    @pytest.mark.parametrize(
        ("cell", "unit", "value", "read_unit"),
        [
            ("1e5%", "", 1e5, "%"),
            ("1.18万", "1", 11800.0, "1"),
            ("5 m^2", "", 5.0, "m^2"),
            ("7批次/千人", "", 7.0, "批次/千人"),
            ("１２３", "1", 123.0, "1"),
            ("五十", "1", 50.0, "1"),
            ("-1,234.5", "1", -1234.5, "1"),
        ],
    )
    def test_still_read(
        self, tmp_path: Path, cell: str, unit: str, value: float, read_unit: str
    ) -> None:
        path = tmp_path / "obs.csv"
        path.write_text(f'target_id,period,value,unit\na,2022,"{cell}",{unit}\n', "utf-8")
        frame = pt.read_observations(path)
        assert frame["value"].iloc[0] == value
        assert frame["unit"].iloc[0] == read_unit


class TestHeaderCellsNeutralised:
    """A column named like a formula (a breakdown's header from a file) is no formula."""

    def test_header(self) -> None:
        import pandas as pd

        frame = pd.DataFrame({"=HYPERLINK(1)": ["a"], "-x": [1.5], "ok": ["=b"]})
        assert _cells(frame) == {"'=HYPERLINK(1)": ["a"], "'-x": ["1.5"], "ok": ["'=b"]}


class TestTextNumbersInAFrame:
    """evaluate on a frame of text numbers reads them as a file's cells are read."""

    @pytest.mark.parametrize("cell", ["97_0", "1_000"])
    def test_underscores_are_refused(self, cell: str) -> None:
        import pandas as pd

        indicator = pt.Indicator(id="i", name=pt.Label(en="i"), kind="rate", unit="%")
        target = pt.Target(
            id="a", indicator=indicator, condition=pt.AtLeast(value=90), period="2022"
        )
        goal = pt.Goal(id="g", title=pt.Label(en="goal"), targets=(target,))
        plan = pt.Plan(id="p", title=pt.Label(en="plan"), period="2022", goals=(goal,))
        frame = pd.DataFrame(
            {
                "target_id": ["a"],
                "period": ["2022"],
                "value": pd.Series([cell], dtype=object),
                "unit": ["%"],
            }
        )
        with pytest.raises(pt.ObservationError) as info:
            pt.evaluate(plan, frame)
        assert list(info.value.failures["reason"]) == ["non_numeric_value"]


class TestBinaryFilesNamedAsText:
    """A parquet file or a workbook with a text suffix is named as what it is, not undecodable."""

    @pytest.mark.parametrize("suffix", [".csv", ".tsv", ".txt"])
    def test_a_parquet_file(self, tmp_path: Path, suffix: str) -> None:
        import pandas as pd

        path = tmp_path / f"obs{suffix}"
        pd.DataFrame({"target_id": ["a"], "period": ["2022"], "value": [1.0]}).to_parquet(path)
        with pytest.raises(pt.ObservationFileError, match=r"a parquet file .*suffix \.parquet"):
            pt.read_observations(path)

    def test_a_zip_archive(self, tmp_path: Path) -> None:
        import zipfile

        path = tmp_path / "obs.csv"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
        with pytest.raises(pt.ObservationFileError, match=r"a zip archive.*suffix \.xlsx"):
            pt.read_observations(path)

    def test_an_old_workbook(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
        with pytest.raises(pt.ObservationFileError, match=r"Excel 97-2003.*suffix \.xls"):
            pt.read_observations(path)

    def test_text_that_begins_like_one_is_still_read(self, tmp_path: Path) -> None:
        """Only the magic bytes themselves: a header beginning 'PAR' is text."""
        path = tmp_path / "obs.csv"
        path.write_text("PAR,target_id,period,value\nx,a,2022,1\n", encoding="utf-8")
        assert pt.read_observations(path)["value"].tolist() == [1.0]
