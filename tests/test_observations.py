"""Tests of reading observation files and validating observation tables."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

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
        assert got == {
            (1, "unknown_id"),
            (2, "bad_period"),
            (3, "unparsable_unit"),
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
