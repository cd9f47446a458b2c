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
