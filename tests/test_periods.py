"""Reporting periods: parsing, writing, and arithmetic."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import policytargets as pt

P = pt.Period.parse


class TestParse:
    """Period.parse reads the documented forms and refuses the rest."""

    @pytest.mark.parametrize(
        ("text", "start", "end"),
        [
            ("2022", date(2022, 1, 1), date(2022, 12, 31)),
            ("2022-H1", date(2022, 1, 1), date(2022, 6, 30)),
            ("2022-h2", date(2022, 7, 1), date(2022, 12, 31)),
            ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
            ("2022-Q4", date(2022, 10, 1), date(2022, 12, 31)),
            ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
            ("2022-01-01/2022-05-31", date(2022, 1, 1), date(2022, 5, 31)),
            (" 2022 ", date(2022, 1, 1), date(2022, 12, 31)),
        ],
    )
    def test_forms(self, text: str, start: date, end: date) -> None:
        p = P(text)
        assert (p.start, p.end) == (start, end)

    def test_an_int_is_a_year_and_a_period_passes_through(self) -> None:
        assert P(2022) == pt.Period.year(2022)
        assert P(P("2022-Q1")) == P("2022-Q1")

    @pytest.mark.parametrize(
        "bad",
        [
            "2022-13",
            "2022-Q5",
            "2022-H3",
            "22",
            "2022-02-30/2022-03-01",
            "2022/2023",
            "",
            2022.0,
            None,
            True,
        ],
    )
    def test_refused(self, bad: Any) -> None:
        with pytest.raises(pt.InvalidValueError, match="Period") as info:
            P(bad)
        assert info.value.received == bad

    def test_an_end_before_the_start_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match=r"Period\.end"):
            P("2022-05-31/2022-01-01")


class TestStr:
    """str() writes the shortest form, which parses back."""

    @pytest.mark.parametrize(
        "text",
        [
            "2022",
            "2022-H1",
            "2022-H2",
            "2022-Q3",
            "2022-06",
            "2022-01-01/2022-05-31",
            "2022-02-01/2022-04-30",
            "2021-07-01/2022-06-30",
            "2022-03-05/2022-03-05",
        ],
    )
    def test_round_trip(self, text: str) -> None:
        assert str(P(text)) == text

    def test_a_range_that_is_a_quarter_is_written_as_one(self) -> None:
        assert str(P("2022-04-01/2022-06-30")) == "2022-Q2"


class TestArithmetic:
    """previous, contains, overlaps, days and years_until."""

    @pytest.mark.parametrize(
        ("text", "previous"),
        [
            ("2022", "2021"),
            ("2022-H1", "2021-H2"),
            ("2022-Q1", "2021-Q4"),
            ("2022-03", "2022-02"),
            ("2022-01-11/2022-01-20", "2022-01-01/2022-01-10"),
        ],
    )
    def test_previous(self, text: str, previous: str) -> None:
        assert P(text).previous() == P(previous)

    def test_contains_and_overlaps(self) -> None:
        year, q2 = P("2022"), P("2022-Q2")
        assert year.contains(q2)
        assert not q2.contains(year)
        assert year.overlaps(P("2022-12-01/2023-01-31"))
        assert not year.overlaps(P("2023"))

    def test_days(self) -> None:
        assert (P("2022").days, P("2024").days, P("2022-H1").days) == (365, 366, 181)

    def test_years_until(self) -> None:
        assert P("2021").years_until(P("2022")) == 1.0
        assert P("2020").years_until(P("2022-H1")) == 1.5
        assert P("2022-01-01/2022-01-10").years_until(P("2022")) == pytest.approx(355 / 365.25)

    def test_order_is_by_start_then_end(self) -> None:
        assert sorted([P("2022-Q2"), P("2022"), P("2021")]) == [P("2021"), P("2022"), P("2022-Q2")]
