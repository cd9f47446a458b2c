"""The document's text and the small helpers that tie each commitment to a clause.

Every quotation passes through :func:`quote`, which refuses text that is not
an exact substring of the shipped document: provenance is checked when the
plan is built, not only in the tests.
"""

from __future__ import annotations

from importlib import resources

import policytargets as pt

__all__ = [
    "ABOUT",
    "PERIOD",
    "SOURCE_TEXT",
    "count",
    "milestone",
    "note",
    "quote",
    "rate",
    "target",
]

#: The document as published, shipped in the package so that every quotation
#: can be checked offline.
SOURCE_TEXT: str = (
    resources.files("policytargets.taicang2022").joinpath("source.txt").read_text(encoding="utf-8")
)

#: Every commitment of these work points is for the calendar year 2022.
PERIOD = "2022"

#: How wide 左右 ("about") is read: within ±10 % of the number, ends included.
#: The document does not say, so the encoding must: with 10 %, 35家左右 accepts
#: 32 to 38 enterprises and 15家左右 accepts 14 to 16. Change it here to read
#: the plan more strictly or more loosely.
ABOUT = 0.1


def quote(section: str, text: str) -> pt.SourceClause:
    """The clause ``section`` quoting ``text``, which must occur verbatim in the document.

    Raises:
        InvalidValueError: ``text`` is not an exact substring of the document.
    """
    if text not in SOURCE_TEXT:
        raise pt.InvalidValueError(
            f"quotation for {section}", "an exact substring of the document", text
        )
    return pt.SourceClause(section=section, text=text)


def note(text: str) -> tuple[pt.Responsibility, ...]:
    """Responsibilities from a 责任部门 note quoted from the document (first named leads)."""
    quote("责任部门", text)
    return pt.responsibilities_from_note(text)


def rate(indicator_id: str, zh: str, en: str, *, direction: str = "higher") -> pt.Indicator:
    """A rate in % (合格率, 覆盖率, 比例, 比重)."""
    return pt.Indicator(
        id=indicator_id,
        name=pt.Label(zh=zh, en=en),
        kind="rate",
        unit="%",
        direction=direction,
    )


def count(
    indicator_id: str,
    zh: str,
    en: str,
    *,
    unit: str,
    basis: str,
    direction: str = "higher",
) -> pt.Indicator:
    """A count of things in a counting word (个, 家, 项, 张): a ``flow`` or a ``stock``."""
    return pt.Indicator(
        id=indicator_id,
        name=pt.Label(zh=zh, en=en),
        kind="count",
        unit=unit,
        basis=basis,
        direction=direction,
    )


def target(
    section: str,
    indicator: pt.Indicator,
    condition: pt.Condition,
    *,
    source: str,
    aspirational: bool = False,
    responsibilities: tuple[pt.Responsibility, ...] = (),
) -> pt.Target:
    """A 2022 target on ``indicator`` (the target takes the indicator's id).

    Without ``responsibilities`` the target is owned as its enclosing goal's
    责任部门 note says (see :meth:`policytargets.Plan.responsibilities_of`).
    """
    return pt.Target(
        id=indicator.id,
        indicator=indicator,
        condition=condition,
        period=PERIOD,
        aspirational=aspirational,
        responsibilities=responsibilities,
        source=quote(section, source),
    )


def milestone(milestone_id: str, section: str, *, zh: str, en: str, source: str) -> pt.Milestone:
    """A commitment without a number, done or not done in 2022."""
    return pt.Milestone(
        id=milestone_id,
        name=pt.Label(zh=zh, en=en),
        period=PERIOD,
        source=quote(section, source),
    )
