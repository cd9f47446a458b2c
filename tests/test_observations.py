"""Tests of reading observation files and validating observation tables."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import policytargets as pt


def _plan() -> pt.Plan:
    rate = pt.Indicator(id="rate", name=pt.Label(zh="合格率"), kind="rate", unit="%")
    target = pt.Target(id="t", indicator=rate, condition=pt.AtLeast(value=90), period="2022")
    goal = pt.Goal(id="g", title=pt.Label(en="goal"), targets=(target,))
    return pt.Plan(id="p", title=pt.Label(en="plan"), period="2022", goals=(goal,))


CSV = "target_id,region,period,value,unit\nt,0101,2022,96.5,%\nt,0102,2022,,%\n"


class TestReadObservations:
    """CSV and Excel files become observation frames with text kept as text."""

    def test_csv_keeps_text_and_reads_numbers_as_float(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_text(CSV, encoding="utf-8")
        frame = pt.read_observations(path)
        assert list(frame["region"]) == ["0101", "0102"]
        assert list(frame["period"]) == ["2022", "2022"]
        assert frame["value"].dtype == "float64"
        assert math.isnan(frame["value"].iloc[1])
        assert list(pt.evaluate(_plan(), frame)["status"]) == ["met", "no_data"]

    def test_leading_comment_lines_are_skipped_but_hashes_in_data_are_kept(
        self, tmp_path: Path
    ) -> None:
        """Lines before the header that start with # are notes; a # in a cell is data."""
        path = tmp_path / "obs.csv"
        path.write_text(
            "# ILLUSTRATIVE, not official\n# second note\n"
            "target_id,region,period,value,unit\nt,#1 district,2022,96.5,%\n",
            encoding="utf-8",
        )
        frame = pt.read_observations(path)
        assert list(frame.columns) == ["target_id", "region", "period", "value", "unit"]
        assert list(frame["region"]) == ["#1 district"]

    def test_xlsx_round_trips_the_same_frame(self, tmp_path: Path) -> None:
        pytest.importorskip("openpyxl")
        path = tmp_path / "obs.xlsx"
        pd.DataFrame(
            {"target_id": ["t"], "period": [2022], "value": [96.5], "unit": ["%"]}
        ).to_excel(path, index=False)
        frame = pt.read_observations(path)
        assert frame["period"].iloc[0] == "2022"
        assert frame["value"].iloc[0] == 96.5

    def test_text_in_a_number_column_names_the_path_and_column(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.csv"
        path.write_text("target_id,period,value,unit\nt,2022,lots,%\n", encoding="utf-8")
        with pytest.raises(pt.ObservationError, match=r"bad\.csv.*value") as info:
            pt.read_observations(path)
        assert list(info.value.failures["reason"]) == ["non_numeric_value"]

    def test_other_file_types_are_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.json"
        path.write_text("{}", encoding="utf-8")
        with pytest.raises(pt.InvalidValueError, match=r"obs\.json"):
            pt.read_observations(path)


class TestValidateObservations:
    """Every bad row is reported at once, with a reason code."""

    def test_a_valid_frame_with_missing_values_passes(self) -> None:
        frame = pd.DataFrame(
            {
                "target_id": ["t", "t"],
                "period": ["2022", "2021"],
                "value": [95.0, math.nan],
                "unit": ["%", None],
            }
        )
        assert pt.validate_observations(_plan(), frame) is None

    def test_every_bad_row_is_listed(self) -> None:
        frame = pd.DataFrame(
            {
                "target_id": ["t", "nope", "t", "t", "t", "t", "t"],
                "region": ["a", "a", "b", "c", "d", "e", "e"],
                "period": ["2022", "2022", "2022-Q5", "2022", "2022", "2022", "2022"],
                "value": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0],
                "unit": ["%", "%", "%", "not-a-unit", "家", "%", "%"],
            }
        )
        with pytest.raises(pt.ObservationError) as info:
            pt.validate_observations(_plan(), frame)
        failures = info.value.failures
        assert list(failures.columns) == ["row", "column", "value", "reason"]
        got = set(zip(failures["row"], failures["reason"], strict=True))
        # A unit mismatch and conflicting values are reported beside the other errors.
        assert got == {
            (1, "unknown_id"),
            (2, "bad_period"),
            (3, "unparsable_unit"),
            (4, "dimension_mismatch"),
            (5, "duplicate"),
            (6, "duplicate"),
        }

    def test_dimension_mismatches_and_duplicates_in_a_clean_frame(self) -> None:
        frame = pd.DataFrame(
            {
                "target_id": ["t", "t", "t", "t"],
                "region": ["d", "e", "e", "f"],
                "period": ["2022"] * 4,
                "value": [1.0, 1.0, 2.0, 1.0],
                "unit": ["家", "%", "%", "%"],
            }
        )
        with pytest.raises(pt.ObservationError) as info:
            pt.validate_observations(_plan(), frame)
        got = set(zip(info.value.failures["row"], info.value.failures["reason"], strict=True))
        assert got == {(0, "dimension_mismatch"), (1, "duplicate"), (2, "duplicate")}

    def test_what_evaluate_refuses_validate_reports_with_file_lines(self, tmp_path: Path) -> None:
        """Overlapping flow periods passed validation, then evaluate refused them."""
        count = pt.Indicator(
            id="n", name=pt.Label(zh="新增数"), kind="count", unit="个", basis="flow"
        )
        target = pt.Target(id="f", indicator=count, condition=pt.AtLeast(value=5), period="2022")
        goal = pt.Goal(id="g", title=pt.Label(en="goal"), targets=(target,))
        plan = pt.Plan(id="p", title=pt.Label(en="plan"), period="2022", goals=(goal,))
        path = tmp_path / "obs.csv"
        path.write_text(
            "target_id,period,value,unit\n"
            "f,2022-H1,3,个\n"
            "f,2022-Q2,1,个\n"
            "f,2022-H2,3,个\n"
            "nope,2022,1,个\n",
            "utf-8",
        )
        frame = pt.read_observations(path)
        with pytest.raises(pt.ObservationError) as evaluated:
            pt.evaluate(plan, frame.loc[[2, 3, 4]])
        with pytest.raises(pt.ObservationError) as validated:
            pt.validate_observations(plan, frame)
        failures = validated.value.failures
        got = set(zip(failures["row"], failures["reason"], strict=True))
        assert got == {(2, "overlapping_periods"), (3, "overlapping_periods"), (5, "unknown_id")}
        assert set(evaluated.value.failures["reason"]) == {"overlapping_periods"}
        assert "line 5, column 'target_id', value 'nope': unknown_id" in str(validated.value)

    def test_missing_columns_are_named(self) -> None:
        frame = pd.DataFrame({"target_id": ["t"], "value": [1.0]})
        with pytest.raises(pt.ObservationError) as info:
            pt.validate_observations(_plan(), frame)
        assert set(info.value.failures["column"]) == {"period", "unit"}
        assert set(info.value.failures["reason"]) == {"missing_column"}

    def test_text_values_are_non_numeric(self) -> None:
        frame = pd.DataFrame(
            {
                "target_id": ["t", "t"],
                "period": ["2022", "2021"],
                "value": [1.0, "x"],
                "unit": ["%", "%"],
            }
        )
        with pytest.raises(pt.ObservationError) as info:
            pt.evaluate(_plan(), frame)
        assert list(info.value.failures["reason"]) == ["non_numeric_value"]

    @pytest.mark.parametrize("check", [pt.validate_observations, pt.evaluate])
    def test_infinite_numbers_are_non_finite_and_nan_is_missing(self, check: Any) -> None:
        frame = pd.DataFrame(
            {
                "target_id": ["t", "t", "t", "t"],
                "region": ["a", "b", "c", "d"],
                "period": ["2022"] * 4,
                "value": [math.inf, 95.0, math.nan, "-inf"],
                "unit": ["%"] * 4,
                "numerator": [1.0, -math.inf, math.nan, 1.0],
                "denominator": [2.0, 2.0, math.inf, 2.0],
            }
        )
        with pytest.raises(pt.ObservationError) as info:
            check(_plan(), frame)
        failures = info.value.failures
        got = set(zip(failures["row"], failures["column"], failures["reason"], strict=True))
        assert got == {
            (0, "value", "non_finite_value"),
            (3, "value", "non_finite_value"),
            (1, "numerator", "non_finite_value"),
            (2, "denominator", "non_finite_value"),
        }


CORPUS = Path(__file__).parent / "data" / "observations"
TAICANG = pt.taicang2022.plan


def _judged(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[str, float]]:
    """(target, region) -> (status, observed) for what was judged (not no_data)."""
    result = pt.evaluate(TAICANG, frame)
    judged = result[result["status"] != "no_data"]
    regions = judged["region"] if "region" in judged else [""] * len(judged)
    return {
        (t, r): (s, o)
        for t, r, s, o in zip(
            judged["target_id"], regions, judged["status"], judged["observed"], strict=True
        )
    }


def _failures(error: pytest.ExceptionInfo[pt.ObservationError]) -> set[tuple[Any, ...]]:
    f = error.value.failures
    return set(zip(f["row"], f["column"], f["reason"], strict=True))


class TestCorpus:
    """Real-shaped files from tests/data/observations (illustrative figures) read correctly."""

    @pytest.mark.parametrize(
        ("name", "encoding"),
        [
            ("gbk_title_line.csv", "gb18030"),
            ("utf8_bom.csv", "utf-8-sig"),
            ("excel_unicode_text.tsv", "utf-16"),
        ],
    )
    def test_one_table_in_three_encodings(self, name: str, encoding: str) -> None:
        """GBK from zh-CN Excel, UTF-8 with a BOM and Excel's UTF-16 text read alike."""
        frame = pt.read_observations(CORPUS / name)
        assert frame.attrs["encoding"] == encoding
        assert list(frame.columns) == ["indicator_id", "period", "value", "unit", "region"]
        # The title line 1 is skipped, the header is line 2, data start at line 3.
        assert list(frame.index) == [3, 4, 5, 6, 7, 8]
        assert frame.index.name == "line"
        values = frame["value"].tolist()
        assert values[0] == 96.9
        assert math.isnan(values[1])
        assert math.isnan(values[2])
        assert values[3:] == [1250.0, 12.0, 81.2]  # "1,250" and full-width １２
        assert _judged(frame) == {
            ("manufacturing-pass-rate", "城厢镇"): ("met", 96.9),
            ("new-smart-factories", "城厢镇"): ("met", 1250.0),
            ("new-smart-factories", "沙溪镇"): ("not_met", 12.0),
            ("public-quality-satisfaction", "城厢镇"): ("met", 81.2),
        }

    def test_missing_markers_are_no_data_never_zero(self) -> None:
        """— and 暂无 leave the 沙溪镇 and 浏河镇 pass rates unjudged (no_data), not 0 %."""
        result = pt.evaluate(TAICANG, pt.read_observations(CORPUS / "gbk_title_line.csv"))
        rows = result[result["target_id"] == "manufacturing-pass-rate"].set_index("region")
        assert rows.loc["沙溪镇", "status"] == "no_data"
        assert rows.loc["浏河镇", "status"] == "no_data"

    def test_values_with_their_unit_in_the_cell(self) -> None:
        frame = pt.read_observations(CORPUS / "units_in_cells.csv")
        assert frame["unit"].tolist()[:4] == ["%", "%", "家", "批次/千人"]
        assert frame["value"].tolist()[:4] == [99.5, 96.1, 12.0, 7.0]
        assert math.isnan(frame["value"].iloc[4])
        assert _judged(frame)[("food-sampling-per-capita", "城厢镇")] == ("met", 7.0)

    def test_wide_xlsx_with_chinese_headers_under_a_merged_title(self) -> None:
        """One column per year becomes one row per cell; % formatted cells are what Excel shows."""
        frame = pt.read_observations(CORPUS / "wide_chinese.xlsx", sheet="指标")
        assert frame.attrs["sheet"] == "指标"
        assert list(frame.columns) == ["indicator_id", "unit", "period", "value"]
        assert list(frame.index) == [3, 3, 3, 4, 4, 4, 5, 5, 5]
        assert frame["period"].tolist() == ["2021", "2022", "2023"] * 3
        assert frame["value"].tolist()[:2] == [96.2, 96.9]  # stored 0.962 and 0.969, shown as %
        assert frame["value"].isna().tolist() == [False, False, True] * 3
        judged = _judged(frame)
        assert judged[("manufacturing-pass-rate", "")] == ("met", 96.9)
        assert judged[("new-smart-factories", "")] == ("not_met", 12.0)

    def test_the_first_sheet_by_default_and_a_sheet_by_number(self) -> None:
        assert pt.read_observations(CORPUS / "wide_chinese.xlsx").empty  # 说明: a note
        assert len(pt.read_observations(CORPUS / "wide_chinese.xlsx", sheet=1)) == 9

    def test_legacy_xls(self) -> None:
        frame = pt.read_observations(CORPUS / "legacy.xls")
        assert frame["value"].tolist()[:2] == [96.9, 12.0]  # 0.969 formatted 0.0% is 96.9 %
        assert math.isnan(frame["value"].iloc[2])
        assert list(frame.index) == [2, 3, 4]


class TestEncodings:
    """Every encoding agencies write is detected and named; undecodable bytes are one error."""

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "big5"])
    def test_detected(self, tmp_path: Path, encoding: str) -> None:
        path = tmp_path / "obs.csv"
        path.write_bytes("指標,年份,數值,單位\nt,2022,96.5,%\n".encode(encoding))
        frame = pt.read_observations(
            path, columns={"指標": "target_id", "數值": "value", "單位": "unit"}
        )
        assert frame["value"].tolist() == [96.5]
        assert frame.attrs["encoding"] in {encoding, "gb18030" if encoding == "gbk" else encoding}

    def test_a_wrong_encoding_names_the_line(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_bytes("target_id,period,value,unit\nt,2022,1,%\n合格率,2022,1,%\n".encode("gbk"))
        with pytest.raises(pt.ObservationFileError, match=r"line 3.*utf-8") as info:
            pt.read_observations(path, encoding="utf-8")
        assert isinstance(info.value, pt.ObservationError)
        assert info.value.line == 3

    @pytest.mark.parametrize(
        "content", [b"\xef\xbb\xbf\x80", b"\x80target_id,period,value,unit\n", b"a,b\n\xff\n"]
    )
    def test_bad_bytes_in_the_header_are_one_error(self, tmp_path: Path, content: bytes) -> None:
        """Found by the fuzz tests: a replaced byte moved pyarrow's start past the file's end."""
        path = tmp_path / "obs.csv"
        path.write_bytes(content)
        with pytest.raises(pt.ObservationFileError, match="cannot be read as utf-8"):
            pt.read_observations(path, encoding="utf-8")


class TestHeaders:
    """Chinese and English headers, a caller's mapping, and headers that cannot be used."""

    def test_chinese_headers(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_text("地区,指标,时期,值,单位,分子,分母\n城厢镇,t,2022,96.5,%,193,200\n", "utf-8")
        frame = pt.read_observations(path)
        assert list(frame.columns) == [
            "region",
            "indicator_id",
            "period",
            "value",
            "unit",
            "numerator",
            "denominator",
        ]
        assert frame["denominator"].tolist() == [200.0]

    def test_a_mapping_for_other_headers(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_text("考核指标,年度,完成情况,计量单位,备注\nt,2022,96.5,%,核实\n", "utf-8")
        frame = pt.read_observations(path, columns={"考核指标": "target_id", "完成情况": "value"})
        assert list(frame.columns) == ["target_id", "period", "value", "unit", "备注"]
        assert list(pt.evaluate(_plan(), frame)["status"]) == ["met"]

    @pytest.mark.parametrize(
        ("header", "fragment"),
        [
            ("target_id,period,value,value,unit", "both give column 'value'"),
            ("指标,指标名称,period,value,unit", "both give column 'indicator_id'"),
            ("target_id,period,value,unit,unit", "both give column 'unit'"),
            ("target_id,,value,unit", "no header"),
        ],
    )
    def test_a_duplicated_or_empty_header_is_refused_naming_the_line(
        self, tmp_path: Path, header: str, fragment: str
    ) -> None:
        path = tmp_path / "obs.csv"
        width = header.count(",") + 1
        path.write_text(
            f"# note\n{header}\n" + ",".join(["t", "2022", "1", "%", "%"][:width]) + "\n", "utf-8"
        )
        with pytest.raises(pt.ObservationFileError, match=fragment) as info:
            pt.read_observations(path)
        assert info.value.line == 2

    def test_a_typo_year_header_in_a_wide_table_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "wide.csv"
        path.write_text("target_id,unit,2021,20222\nt,%,96.1,96.9\n", "utf-8")
        with pytest.raises(pt.ObservationFileError, match="20222") as info:
            pt.read_observations(path)
        assert info.value.line == 1

    def test_a_wide_csv_reads_like_a_long_one(self, tmp_path: Path) -> None:
        path = tmp_path / "wide.csv"
        path.write_text("指标,单位,2021,2022年\nt,%,96.1,96.9\n", "utf-8")
        frame = pt.read_observations(path)
        assert frame["period"].tolist() == ["2021", "2022"]
        assert frame["value"].tolist() == [96.1, 96.9]
        assert frame["indicator_id"].tolist() == ["t", "t"]


class TestCells:
    """Numbers as agencies write them; every bad cell listed at once with its file line."""

    @pytest.mark.parametrize("marker", ["", "—", "-", "/", "暂无", "NA", "N/A", "——", "－"])
    def test_missing_markers_are_missing(self, tmp_path: Path, marker: str) -> None:
        path = tmp_path / "obs.csv"
        path.write_text(f"target_id,period,value,unit\nt,2022,{marker},%\n", "utf-8")
        frame = pt.read_observations(path)
        assert math.isnan(frame["value"].iloc[0])
        assert list(pt.evaluate(_plan(), frame)["status"]) == ["no_data"]

    @pytest.mark.parametrize(
        ("cell", "value"),
        [
            ('"1,234"', 1234.0),
            ('"1,234,567.5"', 1234567.5),
            ("１２３．５", 123.5),
            ("96.9％", 96.9),
            ("  96.9 ", 96.9),
            ("1e2", 100.0),
            ("-0.5", -0.5),
        ],
    )
    def test_numbers(self, tmp_path: Path, cell: str, value: float) -> None:
        path = tmp_path / "obs.csv"
        path.write_text(f"target_id,period,value,unit\nt,2022,{cell},%\n", "utf-8")
        assert pt.read_observations(path)["value"].tolist() == [value]

    def test_every_bad_cell_at_once_with_its_file_line(self, tmp_path: Path) -> None:
        """A blank line and a note do not shift the lines named."""
        path = tmp_path / "obs.csv"
        path.write_text(
            "# ILLUSTRATIVE\n"
            "target_id,period,value,unit\n"
            "t,2022,96.9,%\n"
            "\n"
            't,2022,"96,8",%\n'
            "t,2022,lots,%\n"
            "t,2022,#DIV/0!,%\n"
            "t,2022,7批次/千人,%\n"
            "t,2O22,1,%\n"
            "t,2202,1,%\n"
            "t,2022,1,not-a-unit\n"
            "t,2022,1,\n",
            "utf-8",
        )
        with pytest.raises(pt.ObservationError) as info:
            pt.read_observations(path)
        assert _failures(info) == {
            (5, "value", "bad_thousands_separator"),
            (6, "value", "non_numeric_value"),
            (7, "value", "spreadsheet_error"),
            (8, "unit", "unit_conflict"),
            (9, "period", "bad_period"),
            (10, "period", "future_period"),
            (11, "unit", "unparsable_unit"),
            (12, "unit", "unparsable_unit"),
        }
        assert list(info.value.failures["row"]) == sorted(info.value.failures["row"])
        assert "line 5, column 'value', value '96,8': bad_thousands_separator" in str(info.value)

    @pytest.mark.parametrize("block", [1, 2, 5, 1 << 22])
    @pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
    @pytest.mark.parametrize(
        ("body", "lines"),
        [
            ("t,2022,1,%\nt,2022,lots,%\n", [3, 4]),
            ("t,2022,1,%\nt,2022,lots,%", [3, 4]),  # no final line break
            ("t,2022,1,%\n\nt,2022,lots,%\n", [3, 5]),
            ("t,2022,1,%\n\nt,2022,lots,%", [3, 5]),  # said line 4 before
            ("t,2022,1,%\r\n\r\nt,2022,lots,%", [3, 5]),  # said line 4 before
            ("\nt,2022,1,%\nt,2022,lots,%\n\n\n", [4, 5]),
        ],
    )
    def test_file_lines_whatever_block_the_line_breaks_are_counted_in(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        block: int,
        encoding: str,
        body: str,
        lines: list[int],
    ) -> None:
        """The rows' lines (the frame's index, the errors'), the file scanned a few bytes at a
        time or all at once: a blank line, a missing final line break (with a blank line
        above: lines were counted one short) or a block's edge shifts nothing."""
        from policytargets._observation_files import delimited

        monkeypatch.setattr(delimited, "_COUNT_BLOCK", block)
        text = f"# 说明\ntarget_id,period,value,unit\n{body}"
        given = None if encoding == "utf-8" else encoding  # decoded in memory first
        good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
        good.write_bytes(text.replace("lots", "2").encode(encoding))
        bad.write_bytes(text.encode(encoding))
        assert list(pt.read_observations(good, encoding=given).index) == lines
        with pytest.raises(pt.ObservationError) as info:
            pt.read_observations(bad, encoding=given)
        assert _failures(info) == {(lines[1], "value", "non_numeric_value")}

    def test_a_file_without_blank_lines_is_not_read_again_for_its_lines(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Rows follow the header line by line: no line break is counted (a second pass)."""
        from policytargets._observation_files import delimited

        def counted(*args: Any) -> None:
            raise AssertionError("the file was read again to count its lines")

        monkeypatch.setattr(delimited, "_count_newlines", counted)
        path = tmp_path / "obs.csv"
        path.write_text("# 说明\ntarget_id,period,value,unit\nt,2022,1,%\nt,2022,2,%", "utf-8")
        assert list(pt.read_observations(path).index) == [3, 4]
        path.write_text("target_id,period,value,unit\nt,2022,1,%\n\nt,2022,2,%\n", "utf-8")
        with pytest.raises(AssertionError, match="read again"):  # a blank line: counted
            pt.read_observations(path)

    @pytest.mark.parametrize(
        ("body", "lines"),
        [
            ("t,2022,1,%\n,,,\nt,2022,lots,%\n", [2, 3, 4]),
            ("t,2022,1,%\n,,,\n\nt,2022,lots,%\n", [2, 3, 5]),
            ('t,2022,1,%\n"",,,\n\nt,2022,lots,%\n\n', [2, 3, 5]),
        ],
    )
    def test_a_row_of_empty_cells_is_a_row_a_blank_line_is_none(
        self, tmp_path: Path, body: str, lines: list[int]
    ) -> None:
        """Both read as a row of missing values at first; only the blank line is let go."""
        path = tmp_path / "obs.csv"
        path.write_text(f"target_id,period,value,unit\n{body}", "utf-8")
        with pytest.raises(pt.ObservationError) as info:
            pt.read_observations(path)
        assert _failures(info) == {
            (lines[1], "period", "bad_period"),
            (lines[2], "value", "non_numeric_value"),
        }

    def test_a_fraction_column_and_a_percent_cell_agree(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_text("target_id,period,value,unit\nt,2022,96.9%,1\n", "utf-8")
        frame = pt.read_observations(path)
        assert (frame["value"].iloc[0], frame["unit"].iloc[0]) == (96.9, "%")

    def test_a_multiplier_in_the_cell_scales_the_number(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_text("target_id,period,value,unit\nt,2022,96.9,%\n", "utf-8")
        assert pt.read_observations(path)["unit"].tolist() == ["%"]

    def test_numerator_and_denominator_hold_bare_numbers(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_text(
            'target_id,period,value,unit,numerator,denominator\nt,2022,96.5,%,"1,930",2000家\n',
            "utf-8",
        )
        with pytest.raises(pt.ObservationError) as info:
            pt.read_observations(path)
        assert _failures(info) == {(2, "denominator", "non_numeric_value")}


def _xlsx(path: Path, rows: list[list[Any]], **formats: str) -> Any:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cell, number_format in formats.items():
        sheet[cell].number_format = number_format
    return book, sheet


class TestExcel:
    """Workbook cells read as Excel shows them; what a CSV refuses, a workbook refuses too."""

    def test_percent_number_format(self, tmp_path: Path) -> None:
        """Excel shows 96.9 % for a cell storing 0.969 with format 0.0 %: that is the value."""
        book, _ = _xlsx(
            tmp_path,
            [
                ["target_id", "period", "value", "unit"],
                ["t", 2022, 0.969, "%"],
                ["t", 2021, 0.969, "1"],
            ],
            C2="0.0%",
        )
        book.save(tmp_path / "obs.xlsx")
        frame = pt.read_observations(tmp_path / "obs.xlsx")
        assert frame["value"].tolist() == [96.9, 0.969]
        assert frame["unit"].tolist() == ["%", "1"]
        assert frame["period"].tolist() == ["2022", "2021"]

    @pytest.mark.parametrize(
        ("cell", "reason"),
        [
            ("N/A", None),
            ("NA", None),
            ("—", None),
            ("#DIV/0!", "spreadsheet_error"),
            ("#N/A", "spreadsheet_error"),
            ("lots", "non_numeric_value"),
        ],
    )
    def test_text_cells_are_read_as_in_a_csv(
        self, tmp_path: Path, cell: str, reason: str | None
    ) -> None:
        book, _ = _xlsx(
            tmp_path, [["target_id", "period", "value", "unit"], ["t", 2022, cell, "%"]]
        )
        book.save(tmp_path / "obs.xlsx")
        csv = tmp_path / "obs.csv"
        csv.write_text(f"target_id,period,value,unit\nt,2022,{cell},%\n", "utf-8")
        for path in (tmp_path / "obs.xlsx", csv):
            if reason is None:
                assert math.isnan(pt.read_observations(path)["value"].iloc[0])
            else:
                with pytest.raises(pt.ObservationError) as info:
                    pt.read_observations(path)
                assert _failures(info) == {(2, "value", reason)}

    def test_a_formula_without_a_cached_value_is_refused(self, tmp_path: Path) -> None:
        book, _ = _xlsx(
            tmp_path,
            [
                ["target_id", "period", "value", "unit"],
                ["t", 2022, "=B3/100", "%"],
                ["t", 2021, 96.1, "%"],
            ],
        )
        book.save(tmp_path / "obs.xlsx")  # openpyxl writes formulas without their values
        with pytest.raises(pt.ObservationError) as info:
            pt.read_observations(tmp_path / "obs.xlsx")
        assert _failures(info) == {(2, "value", "formula_without_value")}

    def test_merged_cells_among_the_data_are_refused(self, tmp_path: Path) -> None:
        """A merged region cell A2:A3 would leave row 3 without its target: refused."""
        book, sheet = _xlsx(
            tmp_path,
            [
                ["target_id", "period", "value", "unit"],
                ["t", 2022, 96.9, "%"],
                [None, 2021, 96.1, "%"],
            ],
        )
        sheet.merge_cells("A2:A3")
        book.save(tmp_path / "obs.xlsx")
        with pytest.raises(pt.ObservationError) as info:
            pt.read_observations(tmp_path / "obs.xlsx")
        assert _failures(info) == {(2, "target_id", "merged_cells")}

    def test_an_unknown_sheet_names_the_sheets(self, tmp_path: Path) -> None:
        book, _ = _xlsx(tmp_path, [["target_id", "period", "value", "unit"]])
        book.save(tmp_path / "obs.xlsx")
        with pytest.raises(pt.ObservationFileError, match="'Sheet'"):
            pt.read_observations(tmp_path / "obs.xlsx", sheet="数据")


def _not_workbooks(tmp_path: Path) -> dict[str, Path]:
    pytest.importorskip("openpyxl")
    good = tmp_path / "good.xlsx"
    pd.DataFrame({"target_id": ["t"], "period": ["2022"], "value": [1.0], "unit": ["%"]}).to_excel(
        good, index=False
    )
    data = good.read_bytes()
    files = {
        "text": b"target_id,period,value,unit\nt,2022,1,%\n",
        "empty": b"",
        "truncated": data[: len(data) // 2],
        "corrupt": data[:200] + bytes(200) + data[400:],
        # An encrypted .xlsx is an OLE compound file, not a zip.
        "password": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
    }
    paths = {}
    for name, content in files.items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(content)
        paths[name] = path
    return paths


class TestUnreadableFiles:
    """A file that cannot be read at all is one ObservationFileError, one CLI line, exit 1."""

    @pytest.mark.parametrize("kind", ["text", "empty", "truncated", "corrupt", "password"])
    def test_not_a_workbook(
        self, tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        from policytargets._cli import main

        path = _not_workbooks(tmp_path)[kind]
        with pytest.raises(pt.ObservationFileError, match=str(path.name)):
            pt.read_observations(path)
        assert main(["evaluate", "taicang2022", str(path)]) == 1
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1
        assert "Traceback" not in err

    @pytest.mark.parametrize(
        "content",
        [
            b"",
            b"# only a note\n",
            b"target_id,period,value,unit\nt,2022,1,%,extra\n",
            b'target_id,period,value,unit\nt,"2022,1,%\n',
        ],
    )
    def test_malformed_csv(self, tmp_path: Path, content: bytes) -> None:
        path = tmp_path / "obs.csv"
        path.write_bytes(content)
        with pytest.raises(pt.ObservationFileError):
            pt.read_observations(path)

    def test_a_field_too_many_names_its_line(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_text("target_id,period,value,unit\nt,2022,1,%\nt,2021,1,%,x\n", "utf-8")
        with pytest.raises(
            pt.ObservationFileError, match="5 fields where the header has 4"
        ) as info:
            pt.read_observations(path)
        assert info.value.line == 3


class TestParquet:
    """Parquet files read into the same frame as their CSV."""

    def test_round_trip(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_text(CSV, encoding="utf-8")
        frame = pt.read_observations(path)
        frame.reset_index(drop=True).to_parquet(tmp_path / "obs.parquet")
        back = pt.read_observations(tmp_path / "obs.parquet")
        assert back["region"].tolist() == ["0101", "0102"]
        assert back["value"].tolist()[0] == 96.5
        assert list(back.index) == [1, 2]
        assert back.index.name == "row"

    def test_categories(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_text(CSV, encoding="utf-8")
        frame = pt.read_observations(path, categories=True)
        assert isinstance(frame["period"].dtype, pd.CategoricalDtype)
        assert list(pt.evaluate(_plan(), frame)["status"]) == ["met", "no_data"]


class TestTextReadOnce:
    """Text columns are read as dictionaries: each distinct text trimmed and checked once."""

    @pytest.mark.parametrize("categories", [False, True])
    def test_texts_equal_after_trimming_are_one(self, tmp_path: Path, categories: bool) -> None:
        path = tmp_path / "obs.csv"
        path.write_text(
            "target_id,region,period,value,unit\n"
            "t, 0101,2022,96.5,%\nt,0102 ,2022,91,%\n t ,0102, 2023 ,80, %\n",
            encoding="utf-8",
        )
        frame = pt.read_observations(path, categories=categories)
        assert list(frame["target_id"]) == ["t"] * 3
        assert list(frame["region"]) == ["0101", "0102", "0102"]
        assert list(frame["period"]) == ["2022", "2022", "2023"]
        assert list(frame["unit"]) == ["%"] * 3
        if categories:
            assert list(frame["region"].cat.categories) == ["0101", "0102"]
            assert list(frame["target_id"].cat.categories) == ["t"]
        result = pt.evaluate(_plan(), frame, by=["region"])
        assert list(result["status"]) == ["met", "met"]

    @pytest.mark.parametrize("categories", [False, True])
    def test_bad_units_and_periods_name_every_line(self, tmp_path: Path, categories: bool) -> None:
        path = tmp_path / "obs.csv"
        path.write_text(
            "target_id,period,value,unit\n"
            "t,2022,1,%\nt,2022,2,xyzzy\nt,20x2,3,%\nt,2022,4,\nt,2022,5,xyzzy\n"
            "t,,6,%\nt,2022,,\n",
            encoding="utf-8",
        )
        with pytest.raises(pt.ObservationError) as info:
            pt.read_observations(path, categories=categories)
        failures = info.value.failures
        assert failures is not None
        got = sorted(zip(failures["row"], failures["reason"], strict=True))
        assert got == [
            (3, "unparsable_unit"),
            (4, "bad_period"),
            (5, "unparsable_unit"),
            (6, "unparsable_unit"),
            (7, "bad_period"),
        ]

    def test_parquet_categories_with_unused_and_untrimmed_ones(self, tmp_path: Path) -> None:
        """Unused categories (an unknown id, a bad unit or period) are no rows: no failure.

        evaluate raised "0 bad observations" on them before.
        """
        frame = pd.DataFrame(
            {
                "target_id": pd.Categorical(["t", " t"], categories=["t", " t", "unused"]),
                "period": pd.Categorical(["2022", "2023"], categories=["2022", "2023", "20x2"]),
                "value": [96.5, 80.0],
                "unit": pd.Categorical(["%", "%"], categories=["%", "xyzzy"]),
            }
        )
        frame.to_parquet(tmp_path / "obs.parquet")
        for categories in (False, True):
            back = pt.read_observations(tmp_path / "obs.parquet", categories=categories)
            assert list(back["target_id"]) == ["t", "t"]
            assert list(pt.evaluate(_plan(), back)["status"]) == ["met"]  # the 2022 target


class TestRatesThatCannotBe:
    """A rate's value that only a misread unit explains is refused, in assess and in files alike."""

    def test_a_bare_number_is_not_a_percentage(self) -> None:
        """pt.assess(rate, "96.9") was met with 9690 %; "0.969" is the fraction, and judged."""
        target = _plan().target("t")
        with pytest.raises(pt.InvalidValueError, match="implausible_rate"):
            pt.assess(target, "96.9")
        assert pt.assess(target, "0.969").observed == pytest.approx(96.9)
        assert pt.assess(target, "96.9%").status is pt.Status.MET

    @pytest.mark.parametrize(
        ("value", "unit", "ok"),
        [
            (1.0, "1", True),  # 100 %: at the bound
            (1.0 + 1e-6, "1", False),  # just above
            (0.0, "1", True),
            (-0.001, "%", False),  # a share below 0
            (99.5, "1", False),  # …,99.5,1: 9950 %
            (100.0, "%", True),
            (1000.0, "‰", True),
            (1.0 + 5e-10, "1", True),  # float noise at 100 %: within the slack
            (1.0 + 2e-9, "1", False),  # just beyond the slack
            (-5e-10, "1", True),  # float noise at 0
            (-2e-9, "1", False),
            (-5e-8, "%", True),  # -5e-10 as a fraction: within the slack
            (-2e-7, "%", False),
        ],
    )
    def test_at_and_around_the_bounds(self, value: float, unit: str, ok: bool) -> None:
        frame = pd.DataFrame(
            {"target_id": ["t"], "period": ["2022"], "value": [value], "unit": [unit]}
        )
        observation = pt.Observation(period="2022", value=value, unit=unit)
        if ok:
            pt.validate_observations(_plan(), frame)
            assert pt.evaluate(_plan(), frame)["status"].iloc[0] == (
                pt.assess(_plan().target("t"), observation).status.value
            )
            return
        with pytest.raises(pt.ObservationError) as info:
            pt.evaluate(_plan(), frame)
        assert _failures(info) == {(0, "value", "implausible_rate")}
        with pytest.raises(pt.InvalidValueError, match="implausible_rate"):
            pt.assess(_plan().target("t"), observation)

    def test_every_bad_row_among_many_chunks(self) -> None:
        """Rows are screened chunk by chunk (65,536 rows, on two threads): every bad one is found.

        Negative counts, negative growth rates (同比) and a bare 0.9 are no
        problem; a rate below 0 or a bare number above 1 is, wherever it is.
        """
        rate = _plan().target("t")
        count = pt.Indicator(
            id="n", name=pt.Label(zh="企业数"), kind="count", unit="家", basis="stock"
        )
        other = pt.Target(id="c", indicator=count, condition=pt.AtLeast(value=5), period="2022")
        goal = pt.Goal(id="g", title=pt.Label(en="goal"), targets=(rate, other))
        plan = pt.Plan(id="p", title=pt.Label(en="plan"), period="2022", goals=(goal,))
        n = 300_000
        rng = np.random.default_rng(7)
        is_rate = rng.random(n) < 0.5
        unit = np.where(is_rate, np.where(rng.random(n) < 0.5, "1", "%"), "家")
        value = np.where(unit == "1", 0.9, np.where(unit == "%", 90.0, 12.0))
        value[rng.random(n) < 0.01] = np.nan
        measure = np.full(n, "level", dtype=object)
        bad = set()
        for row in rng.choice(n, 40, replace=False).tolist():
            if unit[row] == "1":
                value[row], problem = (5.0, True) if row % 2 else (-0.5, True)
            elif unit[row] == "%":
                value[row], problem = -3.0, row % 3 != 0
                if not problem:
                    measure[row] = "growth"  # a fall of 3 % on last year: fine
            else:
                value[row], problem = -3.0, False  # not a rate
            if problem:
                bad.add(row)
        frame = pd.DataFrame(
            {
                "target_id": np.where(is_rate, "t", "c"),
                "period": "2022",
                "value": value,
                "unit": unit,
                "measure": measure,
                "region": np.arange(n).astype(str),
            }
        )
        with pytest.raises(pt.ObservationError) as info:
            pt.validate_observations(plan, frame)
        assert _failures(info) == {(row, "value", "implausible_rate") for row in bad}
        assert len(bad) > 10

    def test_a_file_row_names_its_line(self, tmp_path: Path) -> None:
        path = tmp_path / "obs.csv"
        path.write_text("target_id,period,value,unit\nt,2021,0.95,1\nt,2022,99.5,1\n", "utf-8")
        with pytest.raises(pt.ObservationError) as info:
            pt.validate_observations(_plan(), pt.read_observations(path))
        assert _failures(info) == {(3, "value", "implausible_rate")}
        assert "line 3" in str(info.value)

    @pytest.mark.parametrize(
        ("value", "numerator", "denominator", "reason"),
        [
            (80.0, 160.0, 200.0, None),
            (80.4, 160.0, 200.0, None),  # within half a point: rounding
            (80.6, 160.0, 200.0, "value_disagrees_with_ratio"),
            (99.0, 160.0, 200.0, "value_disagrees_with_ratio"),  # pooled 160/200 met at 99 %
            (80.0, 160.0, 0.0, "zero_denominator"),
            (80.0, 210.0, 200.0, "numerator_exceeds_denominator"),
            (80.0, -1.0, 200.0, "negative_count"),
            # The ratio overflows: numpy warned (an error under the test suite's filters).
            (0.0, 1e300, 1e-10, "numerator_exceeds_denominator"),
        ],
    )
    def test_numerator_and_denominator_agree_with_the_value(
        self, value: float, numerator: float, denominator: float, reason: str | None
    ) -> None:
        frame = pd.DataFrame(
            {
                "target_id": ["t"],
                "period": ["2022"],
                "value": [value],
                "unit": ["%"],
                "numerator": [numerator],
                "denominator": [denominator],
            }
        )
        observation = pt.Observation(
            period="2022", value=value, unit="%", numerator=numerator, denominator=denominator
        )
        if reason is None:
            pt.validate_observations(_plan(), frame)
            pt.assess(_plan().target("t"), observation)
            return
        with pytest.raises(pt.ObservationError) as info:
            pt.validate_observations(_plan(), frame)
        assert {r for _, _, r in _failures(info)} == {reason}
        with pytest.raises(pt.InvalidValueError, match=reason):
            pt.assess(_plan().target("t"), observation)
