"""Owners, roles and the 责任部门 note parser."""

from __future__ import annotations

from typing import Any

import pytest

import policytargets as pt


class TestParseOwnerNote:
    """parse_owner_note expands a responsibility note into full owner names."""

    @pytest.mark.parametrize(
        ("note", "names"),
        [
            (
                "(责任部门:市工信局、市场监管局、发改委,各区镇)",
                ("市工信局", "市市场监管局", "市发改委", "各区镇"),
            ),
            ("（责任部门：市市场监管局）", ("市市场监管局",)),
            ("(牵头单位:市住建局、交通局)", ("市住建局", "市交通局")),
            ("市场监管局、工信局", ("市场监管局", "工信局")),
            ("市工信局;城厢镇、沙溪镇", ("市工信局", "城厢镇", "沙溪镇")),
            ("责任部门:市工信局,发改委", ("市工信局", "发改委")),
            ("市工信局、市工信局", ("市工信局",)),
            ("(责任部门:各成员单位)", ("各成员单位",)),
        ],
    )
    def test_names(self, note: str, names: tuple[str, ...]) -> None:
        assert pt.parse_owner_note(note) == names

    @pytest.mark.parametrize("note", ["", "()", "(责任部门:)", " 、 , "])
    def test_a_note_naming_nobody_is_refused(self, note: str) -> None:
        with pytest.raises(pt.InvalidValueError, match="owner") as info:
            pt.parse_owner_note(note)
        assert info.value.received == note


class TestResponsibilitiesFromNote:
    """A note is ranked only as the document ranks it."""

    def test_an_unmarked_note_is_unranked(self) -> None:
        """The first named is not made the lead when the document does not say so."""
        got = pt.responsibilities_from_note("(责任部门:市工信局、市场监管局,各区镇)")
        assert [(r.owner, r.role) for r in got] == [
            ("市工信局", pt.Role.RESPONSIBLE),
            ("市市场监管局", pt.Role.RESPONSIBLE),
            ("各区镇", pt.Role.RESPONSIBLE),
        ]

    def test_a_document_rule_that_the_first_named_leads(self) -> None:
        got = pt.responsibilities_from_note("(责任部门:市工信局、市场监管局,各区镇)", leads=1)
        assert [r.role for r in got] == [pt.Role.LEAD, pt.Role.SUPPORTING, pt.Role.SUPPORTING]

    def test_several_leads(self) -> None:
        got = pt.responsibilities_from_note("市工信局、市场监管局、发改委", leads=2)
        assert [r.role for r in got] == [pt.Role.LEAD, pt.Role.LEAD, pt.Role.SUPPORTING]

    @pytest.mark.parametrize(
        ("note", "expected"),
        [
            (
                "(牵头单位:市发改委;配合单位:市工信局、商务局)",
                [("市发改委", "lead"), ("市工信局", "supporting"), ("市商务局", "supporting")],
            ),
            (
                "(市发改委牵头,市工信局、商务局配合)",
                [("市发改委", "lead"), ("市工信局", "supporting"), ("市商务局", "supporting")],
            ),
            (
                "(责任部门:★市住建局、市交运局)",
                [("市住建局", "lead"), ("市交运局", "supporting")],
            ),
            (
                "(责任部门:市工信局、市住建局★,各区镇)",
                [("市工信局", "supporting"), ("市住建局", "lead"), ("各区镇", "supporting")],
            ),
            (
                "(责任部门:市住建局(牵头)、交运局,各区镇)",
                [("市住建局", "lead"), ("市交运局", "supporting"), ("各区镇", "supporting")],
            ),
            ("(牵头单位:市住建局、交通局)", [("市住建局", "lead"), ("市交通局", "lead")]),
        ],
    )
    def test_marked_leads_lead_and_the_others_support(
        self, note: str, expected: list[tuple[str, str]]
    ) -> None:
        """牵头单位:, a name followed by 牵头, and ★ mark leads; a marked lead beats ``leads``."""
        got = pt.responsibilities_from_note(note)
        assert [(r.owner, r.role.value) for r in got] == expected
        assert pt.responsibilities_from_note(note, leads=1) == got

    def test_the_marks_are_not_part_of_the_names(self) -> None:
        assert pt.parse_owner_note("(市发改委牵头,市工信局、商务局配合)") == (
            "市发改委",
            "市工信局",
            "市商务局",
        )
        assert pt.parse_owner_note("(责任部门:★市住建局、交运局)") == ("市住建局", "市交运局")

    @pytest.mark.parametrize("leads", [0, -1, True, 1.0])
    def test_leads_must_be_a_positive_whole_number(self, leads: Any) -> None:
        with pytest.raises(pt.InvalidValueError, match="leads"):
            pt.responsibilities_from_note("市工信局", leads=leads)


class TestOwner:
    """Owners validate their kind, members and aliases."""

    def test_defaults(self) -> None:
        owner = pt.Owner(id="市工信局", name=pt.Label(zh="市工信局"))
        assert (owner.kind, owner.members, owner.aliases) == (pt.OwnerKind.DEPARTMENT, (), ())

    def test_a_collective_lists_members(self) -> None:
        group = pt.Owner(id="各区镇", name=pt.Label(zh="各区镇"), kind="collective", members=["a"])
        assert group.members == ("a",)

    @pytest.mark.parametrize(
        ("fields", "where"),
        [
            ({"members": ("a",)}, "Owner.members of 'x'"),
            ({"kind": "collective", "members": ("",)}, "Owner.members"),
            ({"kind": "god"}, "Owner.kind"),
            ({"aliases": ("a", 5)}, "Owner.aliases[1]"),
            ({"id": ""}, "Owner.id"),
        ],
    )
    def test_invalid_owners_are_refused_by_name(self, fields: dict[str, Any], where: str) -> None:
        given: dict[str, Any] = {"id": "x", "name": pt.Label(zh="x"), **fields}
        with pytest.raises(pt.InvalidValueError) as info:
            pt.Owner(**given)
        assert info.value.where == where


class TestResponsibility:
    """A responsibility is an owner id and a role, lead by default."""

    def test_default_role_is_lead(self) -> None:
        assert pt.Responsibility(owner="x").role is pt.Role.LEAD

    def test_role_from_its_value(self) -> None:
        assert pt.Responsibility(owner="x", role="supporting").role is pt.Role.SUPPORTING

    def test_an_unknown_role_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="'lead', 'supporting'"):
            pt.Responsibility(owner="x", role="boss")
