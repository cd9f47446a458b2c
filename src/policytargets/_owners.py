"""Owners (responsible bodies), their roles, and the 责任部门 note parser."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from attrs import field, frozen

from ._errors import InvalidValueError
from ._labels import Label, check_id, check_instance, check_instances, to_enum, to_tuple

__all__ = [
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
    """An owner's part in a commitment."""

    LEAD = "lead"
    SUPPORTING = "supporting"


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
    """An owner and its role (lead or supporting) on a goal, target or milestone."""

    owner: str = field(validator=check_id)
    role: Role = field(default=Role.LEAD, converter=_role)


_NOTE = re.compile(
    r"^[（(]?\s*(?:责任(?:部门|单位)|牵头(?:部门|单位))\s*[:：]\s*(?P<body>.*?)\s*[)）]?\s*$"
)


def _has_city_prefix(name: str) -> bool:
    # 市场监管局 begins with 市 but is a name of its own (the market regulator);
    # 市市场监管局 and 市工信局 carry the city prefix.
    return name.startswith("市") and not (name.startswith("市场") and not name.startswith("市市场"))


def parse_owner_note(note: str) -> tuple[str, ...]:
    """Read a responsibility note into full owner names, in order.

    ``"(责任部门:市工信局、市场监管局、发改委,各区镇)"`` gives
    ``("市工信局", "市市场监管局", "市发改委", "各区镇")``: ``、`` separates
    names, ``,`` starts a new group, and a leading 市 applies to the names that
    follow it in its group. Collective names (各区镇, 各成员单位) are kept as
    they are. The bare list without the ``责任部门:`` label is accepted too.

    Raises:
        InvalidValueError: the note names nobody.
    """
    text = note.strip()
    match = _NOTE.match(text)
    body = match["body"] if match else text.strip("()（） ")
    names: list[str] = []
    for group in re.split(r"[,，;；]", body):
        city = False
        for raw in re.split(r"[、]", group):
            name = raw.strip()
            if not name:
                continue
            if name.startswith("各"):
                names.append(name)
                continue
            if _has_city_prefix(name):
                city = True
            elif city:
                name = "市" + name
            names.append(name)
    if not names:
        raise InvalidValueError("responsibility note", "at least one owner name", note)
    return tuple(dict.fromkeys(names))


def responsibilities_from_note(note: str, *, leads: int = 1) -> tuple[Responsibility, ...]:
    """Responsibilities from a note: the first ``leads`` names lead, the rest support.

    Owner ids are the full names :func:`parse_owner_note` returns, so the
    plan's owner registry must use those ids (or list them as aliases).
    """
    return tuple(
        Responsibility(owner=name, role=Role.LEAD if i < leads else Role.SUPPORTING)
        for i, name in enumerate(parse_owner_note(note))
    )
