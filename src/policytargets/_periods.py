"""Reporting periods: a year, a half, a quarter, a month or any date range."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from attrs import field, frozen

from ._errors import InvalidValueError

__all__ = ["Period"]

_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})$")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


@frozen(kw_only=True, order=True)
class Period:
    """A closed range of days, ``start`` to ``end`` inclusive.

    Periods are written as ``"2022"``, ``"2022-H1"``, ``"2022-Q3"``,
    ``"2022-06"`` or ``"2022-01-01/2022-05-31"``; :meth:`parse` reads them
    and ``str()`` writes them back in the shortest form.
    """

    start: date
    end: date = field()

    @end.validator
    def _check_end(self, attribute: object, value: date) -> None:
        if value < self.start:
            raise InvalidValueError("Period.end", f"a date on or after start {self.start}", value)

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year ``year``."""
        return cls(start=date(year, 1, 1), end=date(year, 12, 31))

    @classmethod
    def parse(cls, text: str | int | Period) -> Period:
        """Read a period from its text form (or pass a Period through).

        Raises:
            InvalidValueError: the text is not one of the documented forms.
        """
        if isinstance(text, Period):
            return text
        if isinstance(text, int) and not isinstance(text, bool):
            return cls.year(text)
        if not isinstance(text, str):
            raise InvalidValueError("Period", "a period such as '2022' or '2022-Q1'", text)
        value = text.strip()
        try:
            if m := _YEAR.match(value):
                return cls.year(int(m[1]))
            if m := _HALF.match(value):
                first = 1 + 6 * (int(m[2]) - 1)
                return cls(start=date(int(m[1]), first, 1), end=_month_end(int(m[1]), first + 5))
            if m := _QUARTER.match(value):
                first = 1 + 3 * (int(m[2]) - 1)
                return cls(start=date(int(m[1]), first, 1), end=_month_end(int(m[1]), first + 2))
            if m := _MONTH.match(value):
                return cls(
                    start=date(int(m[1]), int(m[2]), 1), end=_month_end(int(m[1]), int(m[2]))
                )
            if m := _RANGE.match(value):
                return cls(start=date.fromisoformat(m[1]), end=date.fromisoformat(m[2]))
        except InvalidValueError:
            raise  # an end before the start says so itself
        except ValueError:
            pass  # an impossible date (2022-02-30): the generic message below
        raise InvalidValueError(
            "Period",
            "a period such as '2022', '2022-H1', '2022-Q1', '2022-06' or '2022-01-01/2022-06-30'",
            text,
        )

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    def _whole_months(self) -> int | None:
        if self.start.day != 1 or self.end != _month_end(self.end.year, self.end.month):
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> Period:
        """The period of the same shape just before this one (2022 → 2021, 2022-Q1 → 2021-Q4)."""
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
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def to_period(value: str | int | Period) -> Period:
    """attrs converter: accept a Period or its text form."""
    return Period.parse(value)
