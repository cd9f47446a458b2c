"""Reporting periods: a year, a half, a quarter, a month or any date range."""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta

from attrs import field, frozen

from ._errors import InvalidValueError

__all__ = ["FiscalYear", "Period"]

#: Years a period's text may name; beyond them ``date`` cannot count days
#: (and a ten-digit "year" is a typo, not a period).
MIN_YEAR, MAX_YEAR = 1000, 9998

_Y = r"(\d{4})"
_YEAR = re.compile(rf"^{_Y}年?$")
_HALF = re.compile(rf"^{_Y}-?[HS]([12])$", re.IGNORECASE)
_HALF_ZH = re.compile(rf"^{_Y}年?(上|下)半年$")
_QUARTER = re.compile(rf"^{_Y}-?Q([1-4])$", re.IGNORECASE)
_QUARTER_ZH = re.compile(rf"^{_Y}年?第?([1-4一二三四])季度$")
_MONTH = re.compile(rf"^{_Y}-(\d{{2}})$")
_MONTH_ZH = re.compile(rf"^{_Y}年(\d{{1,2}})月$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})$")
#: 2021-2025, 2021—2025年, 2021年—2025年, 2021～2025, 2021至2025年.
_YEARS = re.compile(rf"^{_Y}年?\s*[-–—~～至]\s*{_Y}年?$")
#: 十四五, “十四五”时期, "十四五"期间, 十四五规划期: the Nth five-year plan.
_FIVE_YEAR = re.compile(
    r"^[“\"'「『]?([一二三四五六七八九十]{1,3})五[”\"'」』]?(?:时期|期间|规划期|规划)?$"
)
_FISCAL = re.compile(r"^FY\s*(\d{4})$", re.IGNORECASE)
_QUARTER_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4}

#: What Period.parse accepts, for its error message and the plan schema.
ACCEPTED_FORMS = (
    "'2022' or '2022年' (a year), '2022-H1', '2022-S1' or '2022年上半年' (a half), "
    "'2022-Q3', '2022Q3' or '2022年第三季度' (a quarter), '2022-06' or '2022年6月' (a month), "
    "'2021-2025' or '2021—2025年' (whole years), '十四五' or '“十四五”时期' (a five-year plan, "
    "2021-2025), '2022-01-01/2022-06-30' (days), and 'FY2022' where the plan declares its "
    "fiscal year"
)

#: A JSON-schema pattern for the text forms (the schema documents; parse decides).
TEXT_PATTERN = (
    r"^(\d{4}(年|-[HhSsQq]\d|[HhSsQq]\d|-\d{2}|-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}"
    r"|年?[-–—~～至]\d{4}年?|年?[上下]半年|年?第?.季度|年\d{1,2}月)?"
    r"|.{0,2}[一二三四五六七八九十]{1,3}五.{0,4}|[Ff][Yy]\s*\d{4})$"
)


@frozen(kw_only=True)
class FiscalYear:
    """What a plan means by ``FY2022``: the month its fiscal year starts, and which year names it.

    ``FiscalYear(start_month=4, named_by="start")`` makes FY2022 April 2022 to
    March 2023 (Hong Kong, Japan); ``FiscalYear(start_month=10, named_by="end")``
    makes it October 2021 to September 2022 (the US federal year). Without one,
    ``FY2022`` is refused: it means different things in different places.
    """

    start_month: int = field()
    named_by: str = field(default="start")

    @start_month.validator
    def _check_month(self, attribute: object, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
            raise InvalidValueError("FiscalYear.start_month", "a month from 1 to 12", value)

    @named_by.validator
    def _check_named_by(self, attribute: object, value: str) -> None:
        if value not in ("start", "end"):
            raise InvalidValueError("FiscalYear.named_by", "'start' or 'end'", value)

    def period(self, year: int) -> Period:
        """The fiscal year named ``year``."""
        first = year if self.named_by == "start" or self.start_month == 1 else year - 1
        start = date(first, self.start_month, 1)
        last = _shift_months(start, 11)
        return Period(start=start, end=_month_end(last.year, last.month))


#: The fiscal year of the plan being read (see fiscal_year_in_force).
_fiscal_year: ContextVar[FiscalYear | None] = ContextVar("policytargets_fiscal_year", default=None)


@contextmanager
def fiscal_year_in_force(fiscal_year: FiscalYear | None) -> Iterator[None]:
    """Read ``FY2022`` with a plan's declared fiscal year inside the block (plan files)."""
    token = _fiscal_year.set(fiscal_year)
    try:
        yield
    finally:
        _fiscal_year.reset(token)


def _check_year(year: int, text: object) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidValueError("Period", f"a year from {MIN_YEAR} to {MAX_YEAR}", text)
    return year


@functools.lru_cache(maxsize=4096)
def _month_end(year: int, month: int) -> date:
    # Asked for by every period's shape test (whole months?): a few hundred distinct answers.
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


@frozen(kw_only=True, order=True)
class Period:
    """A closed range of days, ``start`` to ``end`` inclusive.

    Periods are written as ``"2022"``, ``"2022-H1"``, ``"2022-Q3"``,
    ``"2022-06"``, ``"2021-2025"`` or ``"2022-01-01/2022-05-31"``;
    :meth:`parse` reads them and the Chinese, pandas and SDMX forms
    (``2022年第三季度``, ``2022Q3``, ``2022-S1``, ``十四五``), and ``str()``
    writes them back in the shortest of the canonical forms.
    """

    start: date
    end: date = field()

    @end.validator
    def _check_end(self, attribute: object, value: date) -> None:
        if value < self.start:
            raise InvalidValueError("Period.end", f"a date on or after start {self.start}", value)

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year ``year``.

        Raises:
            InvalidValueError: a year that dates cannot hold (before 1, after 9999).
        """
        try:
            return cls(start=date(year, 1, 1), end=date(year, 12, 31))
        except (ValueError, OverflowError, TypeError):
            raise InvalidValueError("Period.year", "a year from 1 to 9999", year) from None

    @classmethod
    def years(cls, first: int, last: int) -> Period:
        """Whole calendar years ``first`` to ``last`` (a five-year plan: 2021 to 2025)."""
        return cls(start=cls.year(first).start, end=cls.year(last).end)

    @classmethod
    def parse(cls, text: str | int | Period, *, fiscal_year: FiscalYear | None = None) -> Period:
        """Read a period from its text form (or pass a Period through).

        Accepted: ``2022`` or ``2022年``; ``2022-H1``, ``2022-S1`` (SDMX) or
        ``2022年上半年``; ``2022-Q3``, ``2022Q3`` (pandas) or ``2022年第三季度``;
        ``2022-06`` or ``2022年6月``; ``2021-2025`` or ``2021—2025年``;
        ``十四五`` or ``“十四五”时期`` (2021 to 2025); ``2022-01-01/2022-06-30``;
        ``FY2022`` only with ``fiscal_year``; full-width digits and
        traditional script too (``“十四五”時期``). ``str()`` writes each back in one
        canonical form (``2022``, ``2022-H1``, ``2022-Q3``, ``2022-06``,
        ``2021-2025``, ``2022-01-01/2022-06-30``).

        Args:
            text: the text, a year as an int, or a Period.
            fiscal_year: what ``FY2022`` means in this plan, if it says (a
                plan file's ``fiscal_year`` is used while the file is read).

        Raises:
            InvalidValueError: the text is not one of the accepted forms (the
                message lists them), or names a year outside 1000 to 9998.
        """
        if isinstance(text, Period):
            return text
        if isinstance(text, int) and not isinstance(text, bool):
            return cls.year(_check_year(text, text))
        if not isinstance(text, str):
            raise InvalidValueError("Period", f"a period: {ACCEPTED_FORMS}", text)
        value = text.strip()
        if len(value) > 64:
            raise InvalidValueError("Period", "a period of at most 64 characters", text)
        if not value.isascii():
            from ._numerals import to_simplified

            # Full-width digits (２０２２年) and traditional script (“十四五”時期).
            value = to_simplified(unicodedata.normalize("NFKC", value))
        try:
            period = cls._parse_text(value, text, fiscal_year or _fiscal_year.get())
        except InvalidValueError:
            raise  # an end before the start, a year out of range: they say so
        except (ValueError, OverflowError):
            period = None  # an impossible date (2022-02-30): the message below
        if period is None:
            raise InvalidValueError("Period", f"a period: {ACCEPTED_FORMS}", text)
        return period

    @classmethod
    def _parse_text(cls, value: str, text: str, fiscal: FiscalYear | None) -> Period | None:
        def year(group: str) -> int:
            return _check_year(int(group), text)

        if m := _YEAR.match(value):
            return cls.year(year(m[1]))
        if (m := _HALF.match(value)) or (m := _HALF_ZH.match(value)):
            half = {"上": 1, "下": 2}.get(m[2]) or int(m[2])
            first = 1 + 6 * (half - 1)
            return cls(start=date(year(m[1]), first, 1), end=_month_end(int(m[1]), first + 5))
        if (m := _QUARTER.match(value)) or (m := _QUARTER_ZH.match(value)):
            quarter = _QUARTER_NUMBERS.get(m[2]) or int(m[2])
            first = 1 + 3 * (quarter - 1)
            return cls(start=date(year(m[1]), first, 1), end=_month_end(int(m[1]), first + 2))
        if (m := _MONTH.match(value)) or (m := _MONTH_ZH.match(value)):
            return cls(start=date(year(m[1]), int(m[2]), 1), end=_month_end(int(m[1]), int(m[2])))
        if m := _YEARS.match(value):
            first, last = year(m[1]), year(m[2])
            if last < first:
                raise InvalidValueError("Period.end", f"a year on or after {first}", text)
            return cls.years(first, last)
        if m := _FIVE_YEAR.match(value):
            return _five_year_plan(m[1], text)
        if m := _FISCAL.match(value):
            if fiscal is None:
                raise InvalidValueError(
                    "Period",
                    "a fiscal year only in a plan that declares what its fiscal year is "
                    f"(FiscalYear); accepted otherwise: {ACCEPTED_FORMS}",
                    text,
                )
            return fiscal.period(year(m[1]))
        if m := _RANGE.match(value):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            _check_year(start.year, text), _check_year(end.year, text)
            return cls(start=start, end=end)
        return None

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    def _whole_months(self) -> int | None:
        if self.start.day != 1 or self.end != _month_end(self.end.year, self.end.month):
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> Period:
        """The period of the same shape just before this one (2022 → 2021, 2022-Q1 → 2021-Q4).

        Raises:
            InvalidValueError: the period before would start before year 1.
        """
        try:
            return _previous_of(self)
        except (ValueError, OverflowError):
            raise InvalidValueError(
                "Period.previous", "a period with one of the same length before it", str(self)
            ) from None

    def _previous(self) -> Period:
        months = self._whole_months()
        if months is None:
            end = self.start - timedelta(days=1)
            return Period(start=end - timedelta(days=self.days - 1), end=end)
        start = _shift_months(self.start, -months)
        last = _shift_months(self.start, -1)
        return Period(start=start, end=_month_end(last.year, last.month))

    def contains(self, other: Period) -> bool:
        """Whether ``other`` lies entirely within this period."""
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def years_until(self, other: Period) -> float:
        """Years from this period's end to ``other``'s end.

        Whole months count as twelfths of a year (2021 → 2022 is exactly 1.0);
        otherwise days are divided by 365.25.
        """
        if self._whole_months() is not None and other._whole_months() is not None:
            months = (other.end.year - self.end.year) * 12 + other.end.month - self.end.month
            return months / 12
        return (other.end - self.end).days / 365.25

    def __str__(self) -> str:
        months = self._whole_months()
        year = self.start.year
        if months is not None and self.end.year == year:
            if months == 12:
                return f"{year}"
            if months == 6 and self.start.month in (1, 7):
                return f"{year}-H{1 + self.start.month // 7}"
            if months == 3 and self.start.month % 3 == 1:
                return f"{year}-Q{1 + self.start.month // 3}"
            if months == 1:
                return f"{year}-{self.start.month:02d}"
        if months is not None and self.start.month == 1 and self.end.month == 12:
            return f"{year}-{self.end.year}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


@functools.lru_cache(maxsize=1 << 14)
def _previous_of(period: Period) -> Period:
    # Cached: the calendar arithmetic costs ~10 µs, and evaluate asks once or twice per target.
    return period._previous()


def _five_year_plan(numeral: str, text: str) -> Period:
    """The Nth five-year plan: the third ran 1966-1970, and each since five years on."""
    from ._numerals import chinese_number

    number = chinese_number(numeral)
    if number is None or number < 3 or number != int(number):
        raise InvalidValueError(
            "Period", "a five-year plan from the third (三五, 1966-1970) on", text
        )
    first = 1966 + 5 * (int(number) - 3)
    _check_year(first + 4, text)
    return Period.years(first, first + 4)


def to_period(value: str | int | Period) -> Period:
    """attrs converter: accept a Period or its text form."""
    return Period.parse(value)
