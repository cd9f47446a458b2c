"""Owners (responsible bodies), their roles, and the 责任部门 note parser."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from attrs import field, frozen

from ._errors import InvalidValueError
from ._labels import Label, check_id, check_instance, check_instances, to_enum, to_tuple

__all__ = [
    "LeadRule",
    "Owner",
    "OwnerKind",
    "Responsibility",
    "Role",
    "parse_owner_note",
    "responsibilities_from_note",
]


class OwnerKind(StrEnum):
    """What kind of body an owner is."""

    DEPARTMENT = "department"
    """A government department or agency (市市场监管局)."""
    DISTRICT = "district"
    """A town, district, sub-district or development zone (城厢镇, 太仓高新区)."""
    COLLECTIVE = "collective"
    """A named group that stands for its members (各区镇, 各成员单位)."""
    ORGANISATION = "organisation"
    """Any other body: a college, a trade union, an enterprise."""


class Role(StrEnum):
    """An owner's part in a commitment, as the document gives it."""

    LEAD = "lead"
    """Leads (牵头): the document says so (牵头单位, ★, or its rule that the first named leads)."""
    SUPPORTING = "supporting"
    """Supports (配合, 协办): the document names a lead and this owner besides it."""
    RESPONSIBLE = "responsible"
    """Named responsible (责任单位) in a list the document does not rank."""


class LeadRule(StrEnum):
    """How a document ranks the owners its responsibility notes list."""

    MARKED = "marked"
    """Only what a note marks leads (牵头, ★); an unmarked list is unranked."""
    FIRST_NAMED = "first_named"
    """The document states that the first unit a note names leads (列第一位的为牵头单位)."""


def _owner_kind(value: Any) -> OwnerKind:
    return to_enum(OwnerKind, "Owner.kind", value)


def _role(value: Any) -> Role:
    return to_enum(Role, "Responsibility.role", value)


def _check_members(instance: Owner, attribute: object, value: tuple[str, ...]) -> None:
    if not isinstance(value, tuple) or not all(isinstance(m, str) and m for m in value):
        raise InvalidValueError("Owner.members", "a tuple of owner ids", value)
    if value and instance.kind is not OwnerKind.COLLECTIVE:
        raise InvalidValueError(
            f"Owner.members of {instance.id!r}", "no members unless kind is 'collective'", value
        )


@frozen(kw_only=True)
class Owner:
    """A responsible body.

    Attributes:
        id: unique id within a plan; plans written in Chinese may use the full
            Chinese name (``"市市场监管局"``).
        name: full name in Chinese and English.
        kind: department, district, collective or other organisation.
        members: for a collective, the ids of the owners it stands for.
        aliases: other names the plan uses for it (``"市场监管局"``).
    """

    id: str = field(validator=check_id)
    name: Label = field(validator=check_instance(Label, "a Label"))
    kind: OwnerKind = field(default=OwnerKind.DEPARTMENT, converter=_owner_kind)
    members: tuple[str, ...] = field(default=(), converter=to_tuple, validator=_check_members)
    aliases: tuple[str, ...] = field(
        default=(), converter=to_tuple, validator=check_instances(str, "name")
    )


@frozen(kw_only=True)
class Responsibility:
    """An owner and its role on a goal, target or milestone.

    Attributes:
        owner: the owner's id in the plan's registry.
        role: lead (the default, for an owner you name yourself), supporting,
            or responsible (named in a list the document does not rank, as
            :func:`responsibilities_from_note` reads an unmarked note).
    """

    owner: str = field(validator=check_id)
    role: Role = field(default=Role.LEAD, converter=_role)


_LABEL = re.compile(
    r"^\s*(?P<label>(?:主要)?(?:责任|牵头|主责|配合|协办|协同|参与)(?:部门|单位))\s*[:：]\s*"
)
_LEAD_LABELS = ("牵头", "主责")
_SUPPORT_LABELS = ("配合", "协办", "协同", "参与")
#: Marks on a name: ★ (either side), or a trailing 牵头 / 配合 in brackets or not.
_LEAD_MARK = re.compile(r"^[★☆]\s*|\s*[★☆]$|\s*[(（]?牵头[)）]?$")
_SUPPORT_MARK = re.compile(r"\s*等?\s*[(（]?(?:配合|协办|协助|参与)[)）]?$")


def _has_city_prefix(name: str) -> bool:
    # 市场监管局 begins with 市 but is a name of its own (the market regulator);
    # 市市场监管局 and 市工信局 carry the city prefix.
    return name.startswith("市") and not (name.startswith("市场") and not name.startswith("市市场"))


def _read_note(note: str) -> list[tuple[str, Role | None]]:
    """Full owner names in order, each with the role the note marks (``None``: unmarked)."""
    text = note.strip()
    if text[:1] in "(（" and text[-1:] in ")）":
        text = text[1:-1]
    names: dict[str, Role | None] = {}
    for segment in re.split(r"[;；]", text):
        segment_role: Role | None = None
        label = _LABEL.match(segment)
        if label:
            segment = segment[label.end() :]
            word = label["label"]
            if word.startswith(_LEAD_LABELS):
                segment_role = Role.LEAD
            elif word.startswith(_SUPPORT_LABELS):
                segment_role = Role.SUPPORTING
        for group in re.split(r"[,，]", segment):
            city = False
            raws = [raw.strip() for raw in group.split("、")]
            # "市工信局、商务局配合" marks the whole group it ends.
            group_role = segment_role
            if raws and _SUPPORT_MARK.search(raws[-1]) and not _LEAD_MARK.search(raws[-1]):
                group_role = Role.SUPPORTING
            for raw in raws:
                role = group_role
                name = raw
                if _LEAD_MARK.search(name):
                    name, role = _LEAD_MARK.sub("", name), Role.LEAD
                elif _SUPPORT_MARK.search(name):
                    name = _SUPPORT_MARK.sub("", name)
                name = name.strip()
                if not name:
                    continue
                if not name.startswith("各"):
                    if _has_city_prefix(name):
                        city = True
                    elif city:
                        name = "市" + name
                if name not in names or role is Role.LEAD:
                    names[name] = role
    return list(names.items())


def parse_owner_note(note: str) -> tuple[str, ...]:
    """Read a responsibility note into full owner names, in order.

    ``"(责任部门:市工信局、市场监管局、发改委,各区镇)"`` gives
    ``("市工信局", "市市场监管局", "市发改委", "各区镇")``: ``、`` separates
    names, ``,`` starts a new group, and a leading 市 applies to the names that
    follow it in its group. Collective names (各区镇, 各成员单位) are kept as
    they are. The bare list without the ``责任部门:`` label is accepted too, and
    so are notes in parts (``牵头单位:市发改委;配合单位:市工信局``) and names
    marked ★ or 牵头 (the marks are not part of the name).

    Raises:
        InvalidValueError: the note names nobody.
    """
    names = tuple(name for name, _ in _read_note(note))
    if not names:
        raise InvalidValueError("responsibility note", "at least one owner name", note)
    return names


def responsibilities_from_note(
    note: str, *, leads: int | None = None
) -> tuple[Responsibility, ...]:
    """Responsibilities from a note, ranked only as the document ranks them.

    - Where the note marks leads (``牵头单位:``, a name followed by 牵头 or
      marked ★), those lead and every other owner supports (as do the names
      under ``配合单位:`` or before 配合).
    - Otherwise, where the document states that the first named units lead,
      pass their number as ``leads`` (usually 1): the first ``leads`` names
      lead, the rest support.
    - Otherwise every owner is :attr:`Role.RESPONSIBLE`: the list is not
      ranked, and no owner is made a lead the document does not name.

    Owner ids are the full names :func:`parse_owner_note` returns, so the
    plan's owner registry must use those ids (or list them as aliases).

    Raises:
        InvalidValueError: the note names nobody, or ``leads`` is not a
            positive whole number.
    """
    if leads is not None and (isinstance(leads, bool) or not isinstance(leads, int) or leads < 1):
        raise InvalidValueError(
            "responsibilities_from_note(leads=)", "None or a whole number >= 1", leads
        )
    read = _read_note(note)
    if not read:
        raise InvalidValueError("responsibility note", "at least one owner name", note)
    if any(role is Role.LEAD for _, role in read):
        return tuple(
            Responsibility(owner=name, role=Role.LEAD if role is Role.LEAD else Role.SUPPORTING)
            for name, role in read
        )
    if leads is not None:
        return tuple(
            Responsibility(owner=name, role=Role.LEAD if i < leads else Role.SUPPORTING)
            for i, (name, _) in enumerate(read)
        )
    return tuple(
        Responsibility(
            owner=name, role=Role.SUPPORTING if role is Role.SUPPORTING else Role.RESPONSIBLE
        )
        for name, role in read
    )
