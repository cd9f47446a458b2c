"""Reading and writing files cell for cell: the lines errors name, and values as the file says.

Edge cases found by an audit of the readers and the result writer; the figures are illustrative.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import policytargets as pt

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
