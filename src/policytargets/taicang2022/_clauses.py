"""The document's text and the small helpers that tie each commitment to a clause.

Every quotation passes through :func:`quote`, which refuses text that is not
an exact substring of the shipped document: provenance is checked when the
plan is built, not only in the tests.
"""

from __future__ import annotations

from importlib import resources

from attrs import frozen

import policytargets as pt

__all__ = [
    "ABOUT",
    "NOTES",
    "PERIOD",
    "SOURCE_TEXT",
    "InField",
    "count",
    "in_field",
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


def quote(section: str, text: str, *, remark: str | None = None) -> pt.SourceClause:
    """The clause ``section`` quoting ``text``, which must occur verbatim in the document.

    ``remark`` is the encoder's note on a judgement the words leave open.

    Raises:
        InvalidValueError: ``text`` is not an exact substring of the document.
    """
    if text not in SOURCE_TEXT:
        raise pt.InvalidValueError(
            f"quotation for {section}", "an exact substring of the document", text
        )
    return pt.SourceClause(section=section, text=text, note=remark)


def note(text: str) -> tuple[pt.Responsibility, ...]:
    """Responsibilities from a 责任部门 note quoted from the document.

    The document never says who leads (no 牵头, no ★, no rule that the first
    named unit leads), so the owners are listed unranked (``Role.RESPONSIBLE``).
    """
    quote("责任部门", text)
    return pt.responsibilities_from_note(text)


@frozen
class InField:
    """Owners picked from a section's note for one commitment: an encoding judgement.

    A 责任部门 note covers every commitment of its section and ranks nobody.
    Where the section's commitments lie in different bureaus' fields, each is
    given to the owners of the note in whose field it lies (with the note's
    collectives, 各区镇, which carry the work out locally), and its source
    clause says so.
    """

    note: str
    owners: tuple[str, ...]
    field: str

    def __attrs_post_init__(self) -> None:
        quote("责任部门", self.note)
        named = pt.parse_owner_note(self.note)
        for owner in self.owners:
            if owner not in named:
                raise pt.InvalidValueError(
                    f"owners picked from {self.note}", f"one of {', '.join(named)}", owner
                )

    @property
    def responsibilities(self) -> tuple[pt.Responsibility, ...]:
        """The picked owners, unranked, in the note's order."""
        named = pt.parse_owner_note(self.note)
        return tuple(
            pt.Responsibility(owner=o, role="responsible") for o in named if o in self.owners
        )

    def remark(self, section: str) -> str:
        """The source note saying who owns the commitment, and why."""
        picked = "、".join(o for o in pt.parse_owner_note(self.note) if o in self.owners)
        return (
            f"Owners are an encoding judgement: the note {self.note} covers all of {section} "
            f"and ranks nobody; this commitment is in the field of {self.field}, so it is "
            f"given to {picked}."
        )


#: The 责任部门 notes of the sections whose commitments lie in several bureaus' fields.
NOTES: dict[str, str] = {
    "二.(二)": "(责任部门:市市场监管局、住建局、交运局,各区镇)",
    "二.(三)": "(责任部门:市市场监管局、农业农村局、住建局、交运局、水务局,各区镇)",
    "三.(一).1": "(责任部门:市工信局、市场监管局、发改委、各区镇)",
    "三.(一).2": "(责任部门:市住建局、城管局、交运局、水务局,各区镇)",
    "三.(二).4": "(责任部门:市市场监管局、科技局、工信局,各区镇)",
    "三.(二).5": "(责任部门:市市场监管局、工信局、发改委、农业农村局、住建局、交运局,各区镇)",
    "三.(二).7": "(责任部门:市市场监管局、农业农村局、工信局、住建局,各区镇)",
    "三.(二).8": "(责任部门:市人社局、总工会、市场监管局,各区镇)",
    "三.(三).9": "(责任部门:市市场监管局、行政审批局、发改委、商务局,各区镇)",
    "三.(三).10": "(责任部门:市市场监管局、农业农村局、教育局、商务局、应急局,各区镇)",
    "三.(三).11": "(责任部门:市公安局、市场监管局、农业农村局、发改委,各区镇)",
    "三.(四).12": "(责任部门:市农业农村局、商务局、发改委、交运局,各区镇)",
    "三.(四).13": "(责任部门:市文体广旅局、市场监管局,各区镇)",
    "三.(四).15": "(责任部门:市商务局、市场监管局、交运局、民政局、教育局、住建局、资规局,各区镇)",
    "三.(五).16": "(责任部门:市委宣传部、市委党校,市发改委、市场监管局,各区镇)",
    "三.(七).19": "(责任部门:市质量强市领导小组办公室,各成员单位)",
}


def in_field(section: str, *owners: str, field: str) -> InField:
    """Owners picked from the note of ``section`` (full names, as the note reads them)."""
    return InField(NOTES[section], tuple(owners), field)


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
    owners: InField | None = None,
    also: tuple[pt.SourceClause, ...] = (),
) -> pt.Target:
    """A 2022 target on ``indicator`` (the target takes the indicator's id).

    Without ``owners`` the target is owned as its enclosing goal's 责任部门
    note says (see :meth:`policytargets.Plan.responsibilities_of`); with
    them, by the owners picked, and its source clause records the judgement.
    ``also`` holds further clauses stating the same commitment.
    """
    return pt.Target(
        id=indicator.id,
        indicator=indicator,
        condition=condition,
        period=PERIOD,
        aspirational=aspirational,
        responsibilities=() if owners is None else owners.responsibilities,
        sources=(
            quote(section, source, remark=None if owners is None else owners.remark(section)),
            *also,
        ),
    )


def milestone(
    milestone_id: str,
    section: str,
    *,
    zh: str,
    en: str,
    source: str,
    owners: InField | None = None,
) -> pt.Milestone:
    """A commitment without a number, done or not done in 2022."""
    return pt.Milestone(
        id=milestone_id,
        name=pt.Label(zh=zh, en=en),
        period=PERIOD,
        responsibilities=() if owners is None else owners.responsibilities,
        source=quote(section, source, remark=None if owners is None else owners.remark(section)),
    )
