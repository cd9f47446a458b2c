"""From the wording around a number to a condition: the one table.

Every wording the extractor understands is a row of :data:`PREFIXES`,
:data:`SUFFIXES` or :data:`UNIT_READINGS`: a name,
the pattern that finds it next to a number, what it means (a :class:`Reading`)
and examples that the tests check. The mapping from a reading to a condition
class is :func:`condition_of`, the only place that names condition classes, so
that when a new condition class lands (base-year change, average annual
growth, absolute change) the switch is one entry in :data:`PENDING` and one
branch there.
"""

from __future__ import annotations

import re
from enum import StrEnum

from attrs import frozen

from .._conditions import (
    AbsoluteChange,
    AnnualGrowth,
    Approximately,
    AtLeast,
    AtMost,
    Between,
    Condition,
    EveryYear,
    Improve,
    LessThan,
    Maintained,
    MoreThan,
    Point,
    RelativeChange,
    Zero,
)

__all__ = [
    "ABOUT",
    "BASED",
    "CHANGES",
    "PENDING",
    "PREFIXES",
    "SUFFIXES",
    "UNIT_READINGS",
    "Reading",
    "Wording",
    "condition_of",
    "find_prefix",
    "find_suffix",
    "find_unit_reading",
]

#: How wide 左右 is read when the text does not say (±10 %), as in the Taicang encoding.
ABOUT = 0.1


class Reading(StrEnum):
    """What a wording says about the number next to it."""

    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"
    POINT = "point"
    ABOUT = "approximately"
    BETWEEN = "between"
    CHANGE_ON_PREVIOUS = "change_on_previous"
    """较上年增长/下降 X%: a relative change against the previous period."""
    CHANGE_ON_BASE_YEAR = "change_on_base_year"
    """较2020年下降 X%: a relative change against a named base period."""
    ANNUAL_GROWTH = "annual_growth"
    """年均增长 X%: average annual (compound) growth from a base year."""
    ABSOLUTE_CHANGE = "absolute_change"
    """提高 N 个百分点, 增加 N 项: a change in the indicator's own unit."""
    CHANGE_ABOUT = "change_about"
    """增长 X% 左右: a growth with a tolerance in points of growth."""
    CHANGE_BETWEEN = "change_between"
    """增长 6.5%-7%: a growth within a band."""
    IMPROVE = "improve"
    ZERO = "zero"


#: Readings no condition class expresses yet. A target with one of these is not
#: drafted with a look-alike condition (that would be a silently wrong verdict):
#: it is listed in the report as not understood, with the wording's name. When
#: the semantics layer gains the class, remove the reading here and map it in
#: :func:`condition_of`.
PENDING: frozenset[Reading] = frozenset({Reading.CHANGE_BETWEEN})

#: Readings judged against a base period: the draft needs to know which one.
BASED: frozenset[Reading] = frozenset(
    {
        Reading.CHANGE_ON_PREVIOUS,
        Reading.CHANGE_ON_BASE_YEAR,
        Reading.ANNUAL_GROWTH,
        Reading.ABSOLUTE_CHANGE,
        Reading.CHANGE_ABOUT,
    }
)


@frozen
class Wording:
    """One wording of a condition.

    Attributes:
        name: a stable name, used in the report and the docs.
        pattern: a regular expression matched next to the number (in the
            simplified reading copy).
        reading: what it means.
        examples: phrases containing the wording, checked by the tests.
    """

    name: str
    pattern: str
    reading: Reading
    examples: tuple[str, ...] = ()


#: Wordings right after the quantity ("96.8%以上"), longest first.
SUFFIXES: tuple[Wording, ...] = (
    Wording("及以上", r"及以上", Reading.AT_LEAST, ("3个及以上",)),
    Wording("以上", r"以上", Reading.AT_LEAST, ("96.8%以上",)),
    Wording("以下", r"以下", Reading.AT_MOST, ("5%以下",)),
    Wording("以内", r"以内|之内", Reading.AT_MOST, ("3天以内",)),
    Wording("内", r"内", Reading.AT_MOST, ("1个工作日内",)),
    Wording("左右", r"左右", Reading.ABOUT, ("35家左右",)),
)

#: Wordings right before the number ("不低于90%"), longest first. A group
#: named ``year`` carries a base year.
PREFIXES: tuple[Wording, ...] = (
    Wording("不低于", r"不低于", Reading.AT_LEAST, ("不低于70%",)),
    Wording("不少于", r"不少于|至少|最少|最低", Reading.AT_LEAST, ("不少于2次", "至少2次")),
    Wording(
        "不超过", r"不超过|不高于|不多于|至多|最多|最高", Reading.AT_MOST, ("不超过5%", "最多3天")
    ),
    Wording("超过", r"超过|高于|多于|大于", Reading.MORE_THAN, ("超过30%",)),
    Wording("低于", r"低于|不满|不足|少于|小于", Reading.LESS_THAN, ("低于5%",)),
    Wording(
        "控制在",
        r"控制在|压缩到|压缩至|压减到|压减至|缩短到|缩短至|缩减至|减少到|减少至|减至|降低到|"
        r"降低至|降至|下降到|下降至",
        Reading.AT_MOST,
        ("控制在3%以内",),
    ),
    Wording(
        "较上年增长",
        r"(?:较上年|比上年|同比|较去年)(?:增长|提高|提升|增加)",
        Reading.CHANGE_ON_PREVIOUS,
        ("较上年增长5%",),
    ),
    Wording(
        "较上年下降",
        r"(?:较上年|比上年|同比|较去年)(?:下降|降低|减少)",
        Reading.CHANGE_ON_PREVIOUS,
        ("较上年下降5%",),
    ),
    Wording(
        "较基年变化",
        r"(?:较|比)(?P<year>\d{4})年(?:末|底)?(?:累计)?(?:增长|提高|提升|增加|下降|降低|减少)",
        Reading.CHANGE_ON_BASE_YEAR,
        ("较2020年下降13%",),
    ),
    Wording(
        "年均增长",
        r"年均(?:增长|增速|提高|递增|下降|降低)(?:达到|达|保持在|在)?",
        Reading.ANNUAL_GROWTH,
        ("年均增长15%",),
    ),
    Wording(
        "增加N项",
        r"(?<!新)(?:增加|提高|提升|减少|下降|降低)",
        Reading.ABSOLUTE_CHANGE,
        ("增加12项", "人均预期寿命提高1岁"),
    ),
)

#: Units that fix the reading whatever the words around them: a change in
#: percentage points is an absolute change of a rate, never a level.
UNIT_READINGS: tuple[Wording, ...] = (
    Wording("N个百分点", r"个?百分点$", Reading.ABSOLUTE_CHANGE, ("个百分点", "百分点")),
)


def find_unit_reading(unit: str) -> Wording | None:
    """The reading a unit forces (百分点: an absolute change), if any."""
    return next((w for w in UNIT_READINGS if re.search(w.pattern, unit)), None)


#: Readings that are a change against an earlier period, not a level.
CHANGES: frozenset[Reading] = frozenset(
    {
        Reading.CHANGE_ON_PREVIOUS,
        Reading.CHANGE_ON_BASE_YEAR,
        Reading.ANNUAL_GROWTH,
        Reading.ABSOLUTE_CHANGE,
        Reading.CHANGE_ABOUT,
    }
)

_DECREASE = re.compile(r"下降|降低|减少")


def _first(
    words: tuple[Wording, ...], text: str, at_end: bool
) -> tuple[Wording, re.Match[str]] | None:
    best: tuple[Wording, re.Match[str]] | None = None
    for wording in words:
        pattern = f"(?:{wording.pattern})$" if at_end else f"^(?:{wording.pattern})"
        match = re.search(pattern, text)
        if match and (best is None or len(match[0]) > len(best[1][0])):
            best = (wording, match)
    return best


def find_prefix(left: str) -> tuple[Wording, re.Match[str]] | None:
    """The wording that ends ``left`` (the text just before a number), if any."""
    return _first(PREFIXES, left, at_end=True)


def find_suffix(right: str) -> tuple[Wording, re.Match[str]] | None:
    """The wording that starts ``right`` (the text just after a quantity), if any."""
    return _first(SUFFIXES, right, at_end=False)


def is_decrease(text: str) -> bool:
    """Whether a change wording says down (下降, 降低, 减少)."""
    return bool(_DECREASE.search(text))


def condition_of(
    reading: Reading,
    value: float | None,
    *,
    high: float | None = None,
    maintained: bool = False,
    decrease: bool = False,
    base: int | None = None,
    about: bool = False,
    every_year: bool = False,
) -> Condition:
    """The condition a reading gives.

    Args:
        reading: what the wording says.
        value: the number (``None`` for direction-only and zero).
        high: the high end of a range.
        maintained: 保持, 稳定在, 每月: holds in every reporting period.
        decrease: the change is down (下降): a negative change.
        base: the base year of a change (较2020年); ``None`` for the previous period.
        about: 左右 on a change: a tolerance of ``ABOUT`` times the change, in
            points of growth.
        every_year: 逐年, 每年 over a multi-year period.

    Raises:
        ValueError: ``reading`` is in :data:`PENDING` (no class says it yet),
            or a number it needs is missing.
    """
    if reading in PENDING:
        raise ValueError(f"no condition class for {reading.value} yet")
    condition: Condition
    if reading is Reading.IMPROVE:
        condition = Improve()
    elif reading is Reading.ZERO:
        condition = Zero()
    else:
        if value is None:
            raise ValueError(f"{reading.value} needs a number")
        signed = -value if decrease else value
        tolerance = round(abs(value) * ABOUT, 9) if about else None
        base_period = None if base is None else str(base)
        if reading is Reading.AT_LEAST:
            condition = AtLeast(value=value)
        elif reading is Reading.MORE_THAN:
            condition = MoreThan(value=value)
        elif reading is Reading.AT_MOST:
            condition = AtMost(value=value)
        elif reading is Reading.LESS_THAN:
            condition = LessThan(value=value)
        elif reading is Reading.POINT:
            condition = Point(value=value)
        elif reading is Reading.ABOUT:
            condition = Approximately(value=value, rel_tol=ABOUT)
        elif reading is Reading.BETWEEN:
            if high is None:
                raise ValueError("between needs a high end")
            condition = Between(low=value, high=high)
        elif reading in (
            Reading.CHANGE_ON_PREVIOUS,
            Reading.CHANGE_ON_BASE_YEAR,
            Reading.CHANGE_ABOUT,
        ):
            condition = RelativeChange(
                percent=signed, base=base_period, tolerance=tolerance or None
            )
        elif reading is Reading.ANNUAL_GROWTH:
            condition = AnnualGrowth(percent=signed, base=base_period, tolerance=tolerance or None)
        elif reading is Reading.ABSOLUTE_CHANGE:
            condition = AbsoluteChange(amount=signed, base=base_period)
        else:  # pragma: no cover - every reading is handled above
            raise ValueError(f"unknown reading {reading!r}")
    if every_year:
        condition = EveryYear(condition=condition)
    elif maintained and not isinstance(condition, Improve | Zero):
        condition = Maintained(condition=condition)
    return condition
