"""Plain-text tables: Chinese-aware alignment, fitted to a width by wrapping."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import policytargets as pt
from policytargets._text import text_width, wrap


class TestWrap:
    """wrap() cuts text into lines no wider than asked, at natural breaks."""

    def test_breaks_after_separators(self) -> None:
        """English owner lists break after a comma, ids after a hyphen, 、 lists after 、."""
        assert wrap("Taicang Transport Bureau, every town", 20) == [
            "Taicang Transport",
            "Bureau, every town",
        ]
        assert wrap("manufacturing-pass-rate", 16) == ["manufacturing-", "pass-rate"]
        assert wrap("市住建局、市交通局", 10) == ["市住建局、", "市交通局"]

    def test_chinese_counts_two_columns(self) -> None:
        """Six Chinese characters need twelve columns."""
        assert wrap("制造业产品质量合格率", 12) == ["制造业产品质", "量合格率"]

    @given(st.text(alphabet="ab -,、质量", max_size=60), st.integers(min_value=2, max_value=30))
    def test_no_line_too_wide_and_nothing_lost(self, text: str, width: int) -> None:
        """Every line fits, and only spaces at the breaks are dropped."""
        lines = wrap(text, width)
        assert all(text_width(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


class TestTextTable:
    """pt.text_table aligns Chinese and fits a width."""

    FRAME = pd.DataFrame(
        {
            "indicator": ["制造业产品质量合格率", "Consumer goods quality pass rate"],
            "observed": [97.12, 1046.0],
            "owners": ["太仓市市场监督管理局、太仓市住房和城乡建设局", "Taicang Transport Bureau"],
        }
    )

    def test_unlimited_is_one_line_per_row(self) -> None:
        """Without a width every row is one line, columns aligned by display width."""
        lines = pt.text_table(self.FRAME).splitlines()
        assert len(lines) == 4
        starts = {text_width(line[: line.index("97.12")]) for line in lines[2:3]}
        assert starts == {text_width(lines[2][: lines[2].index("97.12")])}

    def test_fitted(self) -> None:
        """At 40 columns every line fits; numbers are whole and right-aligned."""
        text = pt.text_table(self.FRAME, width=40)
        lines = text.splitlines()
        assert max(text_width(line) for line in lines) <= 40
        assert "1046" in text
        assert "97.12" in text
