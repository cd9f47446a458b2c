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


class TestChineseAndStandardForms:
    """Forms plans, pandas and SDMX write parse to the same period, written back canonically."""

    @pytest.mark.parametrize(
        ("text", "canonical"),
        [
            ("2022年", "2022"),
            ("2022年上半年", "2022-H1"),
            ("2022年下半年", "2022-H2"),
            ("2022-S1", "2022-H1"),
            ("2022-S2", "2022-H2"),
            ("2022年第三季度", "2022-Q3"),
            ("2022年第一季度", "2022-Q1"),
            ("2022年四季度", "2022-Q4"),
            ("2022Q3", "2022-Q3"),
            ("2022年6月", "2022-06"),
            ("2022年12月", "2022-12"),
            ("2021-2025", "2021-2025"),
            ("2021—2025年", "2021-2025"),
            ("2021年—2025年", "2021-2025"),
            ("2021～2025年", "2021-2025"),
            ("2021-01-01/2025-12-31", "2021-2025"),
            ("十四五", "2021-2025"),
            ("“十四五”时期", "2021-2025"),
            ('"十三五"期间', "2016-2020"),
            ("十一五", "2006-2010"),
            ("十五五", "2026-2030"),
            ("三五", "1966-1970"),
            ("“十四五”時期", "2021-2025"),
            ("２０２２年第三季度", "2022-Q3"),
            ("２０２２－Ｓ２", "2022-H2"),
        ],
    )
    def test_read_and_written_back(self, text: str, canonical: str) -> None:
        period = P(text)
        assert str(period) == canonical
        assert P(canonical) == period

    def test_a_five_year_plan_is_five_whole_years(self) -> None:
        plan = P("十四五")
        assert (plan.start, plan.end) == (date(2021, 1, 1), date(2025, 12, 31))
        assert plan.previous() == P("十三五")

    @pytest.mark.parametrize(
        "bad",
        [
            "2022年第五季度",
            "2022年中半年",
            "2022-S3",
            "2022年13月",
            "二五",
            "十四",
            "2022年度末",
            "Q3 2022",
        ],
    )
    def test_other_forms_are_refused_listing_the_accepted_ones(self, bad: str) -> None:
        with pytest.raises(pt.InvalidValueError) as info:
            P(bad)
        if "five-year" not in str(info.value):
            assert "2022年第三季度" in str(info.value)
            assert "十四五" in str(info.value)

    def test_a_range_of_years_backwards_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match=r"Period\.end"):
            P("2025-2021")


class TestFiscalYears:
    """FY2022 is read only where the plan says what its fiscal year is."""

    def test_refused_without_a_declaration(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="fiscal year"):
            P("FY2022")

    def test_named_by_its_start(self) -> None:
        april = pt.FiscalYear(start_month=4, named_by="start")
        period = P("FY2022", fiscal_year=april)
        assert (period.start, period.end) == (date(2022, 4, 1), date(2023, 3, 31))

    def test_named_by_its_end(self) -> None:
        october = pt.FiscalYear(start_month=10, named_by="end")
        period = P("fy 2022", fiscal_year=october)
        assert (period.start, period.end) == (date(2021, 10, 1), date(2022, 9, 30))

    def test_a_calendar_fiscal_year_is_the_year(self) -> None:
        assert P("FY2022", fiscal_year=pt.FiscalYear(start_month=1, named_by="end")) == P("2022")

    @pytest.mark.parametrize(
        ("month", "named_by"), [(0, "start"), (13, "start"), (4, "middle"), (True, "end")]
    )
    def test_a_bad_declaration_is_refused(self, month: Any, named_by: str) -> None:
        with pytest.raises(pt.InvalidValueError, match="FiscalYear"):
            pt.FiscalYear(start_month=month, named_by=named_by)


class TestYearRange:
    """Years outside what dates can hold: an InvalidValueError naming the range, never a builtin."""

    @pytest.mark.parametrize("bad", ["0", "0000", "0999", "9999", 0, 999, 9999, 10**10, -5])
    def test_out_of_range_years_are_refused(self, bad: Any) -> None:
        with pytest.raises(pt.InvalidValueError) as info:
            P(bad)
        if not isinstance(bad, str) or len(bad) == 4:
            assert "1000 to 9998" in str(info.value)

    @pytest.mark.parametrize("year", [1000, 9998])
    def test_the_range_is_inclusive(self, year: int) -> None:
        assert P(str(year)) == P(year) == pt.Period.year(year)

    def test_ten_digit_text_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="Period"):
            P("1234567890")

    def test_previous_at_the_limit_of_dates(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="previous"):
            pt.Period.year(1).previous()
        assert pt.Period.year(2).previous() == pt.Period.year(1)

    @pytest.mark.parametrize("year", [0, 10000, 10**10])
    def test_year_outside_dates(self, year: int) -> None:
        with pytest.raises(pt.InvalidValueError, match="1 to 9999"):
            pt.Period.year(year)

    def test_long_text_is_refused_quickly(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="64 characters"):
            P("2022" * 1000)


class TestFiscalYearInPlanFiles:
    """A plan file that declares its fiscal year may write FY2022; others may not."""

    PLAN = """
format_version: 1
id: fy
title: {en: Fiscal plan (illustrative)}
period: FY2022
FISCAL
goals:
- id: g
  title: {en: g}
  targets:
  - id: t
    indicator: {id: i, name: {en: spending}, kind: amount, unit: 亿元, basis: flow}
    condition: {type: at_least, value: 1}
    period: FY2022
"""

    def write(self, tmp_path: Any, fiscal: str) -> Any:
        path = tmp_path / "plan.yaml"
        path.write_text(self.PLAN.replace("FISCAL", fiscal), encoding="utf-8")
        return path

    def test_declared_fiscal_year_reads_fy_periods(self, tmp_path: Any) -> None:
        path = self.write(tmp_path, "fiscal_year: {start_month: 4, named_by: start}")
        plan = pt.load_plan(path)
        assert plan.fiscal_year == pt.FiscalYear(start_month=4, named_by="start")
        assert plan.target("t").period == P("2022-04-01/2023-03-31")
        pt.dump_plan(plan, tmp_path / "again.yaml")
        assert pt.load_plan(tmp_path / "again.yaml") == plan

    def test_without_a_declaration_fy_is_refused(self, tmp_path: Any) -> None:
        with pytest.raises(pt.PlanFileError, match="fiscal year"):
            pt.load_plan(self.write(tmp_path, ""))

    @pytest.mark.parametrize(
        "fiscal",
        [
            "fiscal_year: {start_month: 13}",
            "fiscal_year: {start_month: '4'}",
            "fiscal_year: {start_month: 4, named_by: middle}",
            "fiscal_year: {start_month: 4, ends: 3}",
        ],
    )
    def test_a_bad_declaration_is_reported_at_its_path(self, tmp_path: Any, fiscal: str) -> None:
        with pytest.raises(pt.PlanFileError) as info:
            pt.load_plan(self.write(tmp_path, fiscal))
        assert any(path.startswith("fiscal_year") for path, _ in info.value.problems)

    def test_the_declaration_does_not_leak_to_the_next_read(self, tmp_path: Any) -> None:
        pt.load_plan(self.write(tmp_path, "fiscal_year: {start_month: 4}"))
        with pytest.raises(pt.InvalidValueError, match="fiscal year"):
            P("FY2022")
