"""The Python API fits pandas habits: one name for a target's id, records accepted."""

from __future__ import annotations

import pandas as pd
import pytest

import policytargets as pt

PLAN = pt.taicang2022.plan
RECORDS = [
    {"target_id": "manufacturing-pass-rate", "period": "2022", "value": 97.12, "unit": "%"},
    {"target_id": "consumer-goods-pass-rate", "period": "2022", "value": 97.3, "unit": "%"},
]


class TestOneKeyName:
    """targets_frame and evaluate call a target's id target_id."""

    def test_merge_without_renaming(self) -> None:
        """The two frames merge on their shared column, one row per target."""
        targets = PLAN.targets_frame()
        results = pt.evaluate(PLAN, pd.DataFrame(RECORDS))
        assert "target_id" in targets.columns
        assert "id" not in targets.columns
        merged = targets.merge(results, on="target_id", suffixes=("", "_result"))
        assert len(merged) == len(targets)

    def test_frames_written_with_id_still_read(self) -> None:
        """Frames written by 0.1.0 (targets keyed by "id") rebuild the same plan."""
        frames = pt.plan_to_frames(PLAN)
        frames["targets"] = frames["targets"].rename(columns={"target_id": "id"})
        assert pt.plan_from_frames(frames) == PLAN


class TestEvaluateInput:
    """evaluate takes what pandas users pass."""

    def test_records_and_columns(self) -> None:
        """A list of dicts and a dict of lists give what the DataFrame gives."""
        expected = pt.evaluate(PLAN, pd.DataFrame(RECORDS))
        columns = {key: [r[key] for r in RECORDS] for key in RECORDS[0]}
        pd.testing.assert_frame_equal(pt.evaluate(PLAN, RECORDS), expected)
        pd.testing.assert_frame_equal(pt.evaluate(PLAN, columns), expected)

    def test_anything_else_says_how_to_convert(self) -> None:
        """A bare string is refused, with a hint to build a DataFrame."""
        with pytest.raises(pt.InvalidValueError, match=r"pd\.DataFrame"):
            pt.evaluate(PLAN, "observations.csv")
