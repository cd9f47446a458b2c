"""The typed model: invariants checked at construction, lookups and wording."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import pytest

import policytargets as pt

RATE = pt.Indicator(
    id="pass_rate",
    name=pt.Label(zh="制造业产品质量合格率", en="Pass rate of manufactured products"),
    kind="rate",
    unit="%",
)


def indicator(**fields: Any) -> pt.Indicator:
    given: dict[str, Any] = {"id": "i", "name": pt.Label(zh="指标"), "kind": "rate", "unit": "%"}
    return pt.Indicator(**{**given, **fields})


def target(id: str = "t", **fields: Any) -> pt.Target:
    given: dict[str, Any] = {
        "indicator": RATE,
        "condition": pt.AtLeast(value=96.8),
        "period": "2022",
    }
    return pt.Target(id=id, **{**given, **fields})


OWNERS = (
    pt.Owner(
        id="市市场监管局", name=pt.Label(zh="市市场监管局", en="SAMR"), aliases=("市场监管局",)
    ),
    pt.Owner(id="市工信局", name=pt.Label(zh="市工信局")),
    pt.Owner(id="城厢镇", name=pt.Label(zh="城厢镇"), kind="district"),
    pt.Owner(id="各区镇", name=pt.Label(zh="各区镇"), kind="collective", members=("城厢镇",)),
)


def plan(*goals: pt.Goal, owners: tuple[pt.Owner, ...] = OWNERS, **fields: Any) -> pt.Plan:
    return pt.Plan(
        id="p", title=pt.Label(zh="计划"), period="2022", goals=goals, owners=owners, **fields
    )


class TestIndicator:
    """An indicator's unit fits its kind; counts and amounts say flow or stock."""

    @pytest.mark.parametrize(
        ("kind", "unit", "basis"),
        [
            ("rate", "%", None),
            ("rate", "‰", None),
            ("count", "家", "flow"),
            ("count", "万个", "stock"),
            ("per_capita", "批次/千人", None),
            ("per_capita", "起/万台", None),
            ("index", "分", None),
            ("amount", "万平方米", "stock"),
            ("amount", "小时", "flow"),
        ],
    )
    def test_valid_kinds_and_units(self, kind: str, unit: str, basis: str | None) -> None:
        i = indicator(kind=kind, unit=unit, basis=basis)
        assert (i.kind, i.unit) == (pt.IndicatorKind(kind), unit)

    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            ({"kind": "rate", "unit": "个"}, "dimension"),
            ({"kind": "index", "unit": "个"}, "dimension"),
            ({"kind": "count", "unit": "%", "basis": "flow"}, "dimension"),
            ({"kind": "per_capita", "unit": "%"}, "per-N unit"),
            ({"kind": "amount", "unit": "%", "basis": "flow"}, "physical unit"),
            ({"kind": "count", "unit": "个"}, "'flow' or 'stock'"),
            ({"kind": "rate", "unit": "%", "basis": "flow"}, "None for kind 'rate'"),
            (
                {"kind": "count", "unit": "个", "basis": "stock", "numerator": pt.Label(zh="x")},
                "rate",
            ),
            ({"unit": "foo"}, "known unit"),
            ({"unit": 5}, "unit string"),
            ({"kind": "rat"}, "'rate'"),
            ({"direction": "up"}, "'higher'"),
            ({"kind": "count", "unit": "个", "basis": "flux"}, "'flow'"),
            ({"id": ""}, "id"),
            ({"id": " x"}, "id"),
            ({"name": "合格率"}, "Label"),
        ],
    )
    def test_invalid_indicators_name_field_expected_and_received(
        self, fields: dict[str, Any], expected: str
    ) -> None:
        with pytest.raises(pt.InvalidValueError) as info:
            indicator(**fields)
        error = info.value
        assert error.where.startswith("Indicator")
        assert expected in error.expected
        assert repr(error.received) in str(error)

    def test_the_default_direction_is_higher_is_better(self) -> None:
        assert RATE.direction is pt.Direction.HIGHER_IS_BETTER
        assert pt.Direction.LOWER_IS_BETTER.sign == -1


class TestTarget:
    """A target's unit defaults to its indicator's and must share its dimension."""

    def test_unit_defaults_to_the_indicator_unit(self) -> None:
        assert target().unit == "%"

    @pytest.mark.parametrize("unit", ["‰", ""])
    def test_a_compatible_unit_is_accepted(self, unit: str) -> None:
        assert target(unit=unit).unit == unit

    @pytest.mark.parametrize("unit", ["个", "批次/千人", "分", "亩"])
    def test_a_unit_of_another_dimension_is_a_dimension_mismatch(self, unit: str) -> None:
        with pytest.raises(pt.DimensionMismatchError) as info:
            target(unit=unit)
        assert (info.value.unit, info.value.expected_unit) == (unit, "%")
        assert "Target 't'.unit" in str(info.value)
        assert isinstance(info.value, ValueError)

    @pytest.mark.parametrize(
        ("fields", "where"),
        [
            ({"condition": 96.8}, "Target.condition"),
            ({"period": "2022x"}, "Period"),
            ({"aspirational": "yes"}, "Target.aspirational"),
            ({"responsibilities": ("市工信局",)}, "Target.responsibilities[0]"),
            ({"source": "二.(一)"}, "Target.source"),
            ({"baseline": 80.0}, "Target.baseline"),
            ({"indicator": "pass_rate"}, "Target.indicator"),
        ],
    )
    def test_invalid_fields_are_refused_by_name(self, fields: dict[str, Any], where: str) -> None:
        with pytest.raises(pt.InvalidValueError) as info:
            target(**fields)
        assert info.value.where == where

    def test_describe(self) -> None:
        t = target(aspirational=True)
        assert t.describe("zh") == "力争制造业产品质量合格率达到96.8%以上"
        assert (
            t.describe("en") == "Pass rate of manufactured products: at least 96.8% (aspirational)"
        )

    def test_frozen_slotted_keyword_only(self) -> None:
        t = target()
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            t.id = "u"  # type: ignore[misc]
        assert not hasattr(t, "__dict__")
        with pytest.raises(TypeError):
            pt.Target("t", RATE, pt.AtLeast(value=1), "2022")  # type: ignore[misc]

    def test_lists_become_tuples(self) -> None:
        t = target(responsibilities=[pt.Responsibility(owner="x")])
        assert t.responsibilities == (pt.Responsibility(owner="x", role="lead"),)


class TestBaselineAndSource:
    """Baselines are finite numbers for a period; source clauses are text."""

    @pytest.mark.parametrize("value", ["80", None, float("nan"), float("inf"), True])
    def test_a_baseline_value_must_be_a_finite_number(self, value: Any) -> None:
        with pytest.raises(pt.InvalidValueError, match=r"Baseline\.value"):
            pt.Baseline(value=value, period="2021")

    def test_a_baseline_value_becomes_a_float(self) -> None:
        assert pt.Baseline(value=80, period=2021) == pt.Baseline(value=80.0, period="2021")

    def test_a_source_clause_needs_text(self) -> None:
        with pytest.raises(pt.InvalidValueError, match=r"SourceClause\.text"):
            pt.SourceClause(section="二.(一)", text=None)  # type: ignore[arg-type]


class TestPlanInvariants:
    """A Plan that exists is valid: ids unique, owners registered."""

    def test_duplicate_target_ids_raise(self) -> None:
        goal = pt.Goal(id="g", title=pt.Label(zh="目标"), targets=(target("t"), target("t")))
        with pytest.raises(pt.DuplicateIdError) as info:
            plan(goal)
        assert info.value.duplicate == "t"
        assert "unique" in str(info.value)

    def test_a_goal_and_a_target_may_not_share_an_id(self) -> None:
        goal = pt.Goal(id="x", title=pt.Label(zh="目标"), targets=(target("x"),))
        with pytest.raises(pt.DuplicateIdError):
            plan(goal)

    def test_duplicate_ids_across_nested_goals_raise(self) -> None:
        inner = pt.Goal(id="g2", title=pt.Label(zh="二"), targets=(target("t"),))
        outer = pt.Goal(id="g1", title=pt.Label(zh="一"), targets=(target("t"),), goals=(inner,))
        with pytest.raises(pt.DuplicateIdError):
            plan(outer)

    def test_one_indicator_id_with_two_definitions_is_refused(self) -> None:
        """Observations keyed by indicator id would be judged against two meanings."""
        per_mille = attrs.evolve(RATE, unit="‰")
        goal = pt.Goal(
            id="g",
            title=pt.Label(zh="目标"),
            targets=(target("t1"), target("t2", indicator=per_mille)),
        )
        with pytest.raises(pt.DuplicateIdError) as info:
            plan(goal)
        message = str(info.value)
        assert info.value.duplicate == "pass_rate"
        assert "target 't1'" in message
        assert "target 't2'" in message
        assert "unit '%' vs '‰'" in message
        assert "one definition per indicator id" in message

    def test_one_indicator_shared_by_two_targets_is_accepted(self) -> None:
        goal = pt.Goal(
            id="g",
            title=pt.Label(zh="目标"),
            targets=(target("t1"), target("t2", period="2023")),
        )
        assert plan(goal).target("t2").indicator is RATE

    def test_duplicate_owner_ids_raise(self) -> None:
        with pytest.raises(pt.DuplicateIdError, match="owners"):
            plan(owners=(OWNERS[1], OWNERS[1]))

    def test_an_unregistered_owner_raises_unknown_id(self) -> None:
        t = target(responsibilities=(pt.Responsibility(owner="市教育局"),))
        goal = pt.Goal(id="g", title=pt.Label(zh="目标"), targets=(t,))
        with pytest.raises(pt.UnknownIdError) as info:
            plan(goal)
        assert info.value.key == "市教育局"
        assert "市工信局" in info.value.known
        assert isinstance(info.value, LookupError)

    def test_an_unregistered_goal_owner_raises(self) -> None:
        goal = pt.Goal(
            id="g", title=pt.Label(zh="目标"), responsibilities=(pt.Responsibility(owner="nobody"),)
        )
        with pytest.raises(pt.UnknownIdError, match="nobody"):
            plan(goal)

    def test_an_unregistered_collective_member_raises(self) -> None:
        group = pt.Owner(id="各区镇", name=pt.Label(zh="各区镇"), kind="collective", members=("x",))
        with pytest.raises(pt.UnknownIdError, match="members"):
            plan(owners=(group,))

    def test_a_bad_issue_date_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="ISO date"):
            plan(issued="2022-13-01")

    def test_an_unknown_validity_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match=r"Plan\.validity"):
            plan(validity="gone")


class TestPlanLookups:
    """A plan finds its items by id and owners by id, name or alias."""

    lead = pt.Responsibility(owner="市市场监管局")
    support = pt.Responsibility(owner="市工信局", role="supporting")
    t1 = target("t1", source=pt.SourceClause(section="二.(一).1", text="达到96.8%以上"))
    t2 = target("t2", responsibilities=(support,))
    m1 = pt.Milestone(id="m1", name=pt.Label(zh="设立质量奖"), period="2022")
    inner = pt.Goal(id="g2", title=pt.Label(zh="(一)"), section="二.(一)", targets=(t2,))
    outer = pt.Goal(
        id="g1",
        title=pt.Label(zh="二、主要目标"),
        section="二",
        responsibilities=(lead,),
        targets=(t1,),
        milestones=(m1,),
        goals=(inner,),
    )
    p = plan(outer, issued="2022-06-02", document_number="太政办〔2022〕64号")

    def test_items_by_id(self) -> None:
        assert self.p.target("t2") is self.t2
        assert self.p.goal("g2") is self.inner
        assert self.p.milestone("m1") is self.m1
        assert "t1" in self.p
        assert "nope" not in self.p

    def test_a_wrong_kind_of_id_is_unknown(self) -> None:
        with pytest.raises(pt.UnknownIdError) as info:
            self.p.target("g1")
        assert info.value.known == ("t1", "t2")

    def test_iteration_in_document_order(self) -> None:
        assert [t.id for t in self.p.targets] == ["t1", "t2"]
        assert [m.id for m in self.p.milestones] == ["m1"]
        assert [g.id for g in self.p.goals_flat()] == ["g1", "g2"]
        assert self.p.parents_of("t2") == (self.outer, self.inner)

    def test_targets_and_milestones_are_tuples_like_a_goals(self) -> None:
        """``plan.targets`` is indexed and measured as ``goal.targets`` is."""
        assert isinstance(self.p.targets, tuple)
        assert len(self.p.targets) == 2
        assert self.p.targets[1] is self.t2
        assert self.p.targets == (self.t1, self.t2)
        assert self.p.milestones == (self.m1,)
        assert len(self.outer.targets) == 1  # a goal's own targets, not its sub-goals'

    def test_calling_targets_as_in_0_1_still_iterates(self) -> None:
        assert list(self.p.targets()) == [self.t1, self.t2]  # type: ignore[operator]
        assert list(self.p.milestones()) == [self.m1]  # type: ignore[operator]

    def test_an_unknown_owner_suggests_the_closest_id_name_or_alias(self) -> None:
        with pytest.raises(pt.UnknownIdError) as info:
            self.p.owner("市场监管")
        assert "市场监管局" in info.value.suggestions
        assert "did you mean" in str(info.value)

    def test_an_unknown_target_suggests_the_closest_id(self) -> None:
        with pytest.raises(pt.UnknownIdError) as info:
            self.p.target("t_1")
        assert info.value.suggestions[0] == "t1"

    def test_accountable_owners_are_the_leads(self) -> None:
        assert self.p.accountable_for("t1") == ("市市场监管局",)
        assert self.p.accountable_for("t2") == ()  # only a supporting owner

    def test_owners_by_id_name_or_alias(self) -> None:
        assert self.p.owner("市场监管局") is self.p.owner("市市场监管局") is self.p.owner("SAMR")
        with pytest.raises(pt.UnknownIdError):
            self.p.owner("市教育局")

    def test_responsibilities_are_inherited_from_the_nearest_goal(self) -> None:
        assert self.p.responsibilities_of("t1") == (self.lead,)
        assert self.p.responsibilities_of("t2") == (self.support,)
        assert self.p.responsibilities_of("m1") == (self.lead,)

    def test_sections(self) -> None:
        assert self.p.section_of("t1") == "二.(一).1"
        assert self.p.section_of("t2") == "二.(一)"
        assert self.p.section_of("m1") == "二"
        with pytest.raises(pt.UnknownIdError):
            self.p.section_of("nope")

    def test_members_of_a_collective(self) -> None:
        assert [o.id for o in self.p.members_of("各区镇")] == ["城厢镇"]
        assert [o.id for o in self.p.members_of("市工信局")] == ["市工信局"]

    def test_metadata(self) -> None:
        assert self.p.issued == date(2022, 6, 2)
        assert self.p.validity is pt.Validity.VALID

    def test_plans_compare_by_value(self) -> None:
        again = plan(self.outer, issued=date(2022, 6, 2), document_number="太政办〔2022〕64号")
        assert again == self.p


class TestLabel:
    """A label has a Chinese or an English text, and falls back between them."""

    def test_fallback(self) -> None:
        assert pt.Label(en="rate").text("zh") == "rate"
        assert pt.Label(zh="合格率").text("en") == "合格率"
        assert str(pt.Label(zh="合格率", en="rate")) == "合格率"

    @pytest.mark.parametrize("fields", [{}, {"zh": " ", "en": ""}])
    def test_an_empty_label_is_refused(self, fields: dict[str, str]) -> None:
        with pytest.raises(pt.InvalidValueError, match="Label"):
            pt.Label(**fields)

    def test_text_only(self) -> None:
        with pytest.raises(pt.InvalidValueError, match=r"Label\.zh"):
            pt.Label(zh=5)  # type: ignore[arg-type]


class TestLeadRoles:
    """Roles are ranked only as the document ranks them; a plan can state its rule."""

    unranked = pt.responsibilities_from_note("(责任部门:市工信局、市场监管局,各区镇)")

    def _plan(self, **fields: Any) -> pt.Plan:
        goal = pt.Goal(
            id="g",
            title=pt.Label(zh="目标"),
            responsibilities=self.unranked,
            targets=(target("t1"),),
        )
        return plan(goal, **fields)

    def test_an_unranked_note_has_no_lead_and_every_owner_answers(self) -> None:
        p = self._plan()
        assert p.lead_rule is pt.LeadRule.MARKED
        assert p.responsibilities_of("t1") == self.unranked
        assert p.accountable_for("t1") == ("市工信局", "市市场监管局", "各区镇")

    def test_a_plan_stating_that_the_first_named_leads_ranks_unranked_lists(self) -> None:
        p = self._plan(lead_rule="first_named")
        assert [(r.owner, r.role.value) for r in p.responsibilities_of("t1")] == [
            ("市工信局", "lead"),
            ("市市场监管局", "supporting"),
            ("各区镇", "supporting"),
        ]
        assert p.accountable_for("t1") == ("市工信局",)
        assert p.goal("g").responsibilities == self.unranked  # as written

    def test_the_rule_leaves_explicit_roles_alone(self) -> None:
        ranked = (
            pt.Responsibility(owner="市工信局", role="supporting"),
            pt.Responsibility(owner="市市场监管局", role="lead"),
        )
        goal = pt.Goal(
            id="g",
            title=pt.Label(zh="目标"),
            targets=(target("t1", responsibilities=ranked),),
        )
        p = plan(goal, lead_rule="first_named")
        assert p.responsibilities_of("t1") == ranked

    def test_an_unknown_rule_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match=r"Plan\.lead_rule"):
            self._plan(lead_rule="eldest")

    def test_the_frame_has_no_lead_where_nobody_leads(self) -> None:
        frame = self._plan().targets_frame()
        assert frame.at[0, "owners"] == ["市工信局", "市市场监管局", "各区镇"]
        assert frame.at[0, "lead"] is None
        frame = self._plan(lead_rule="first_named").targets_frame()
        assert frame.at[0, "lead"] == "市工信局"

    def test_the_rule_round_trips_through_files_and_frames(self) -> None:
        p = self._plan(lead_rule="first_named")
        assert pt.plan_from_dict(pt.plan_to_dict(p)) == p
        assert pt.plan_from_frames(pt.plan_to_frames(p)) == p


class TestSources:
    """One commitment quoted in two places is one target with two clauses."""

    goal_clause = pt.SourceClause(section="一.(二)", text="新增普惠性托育机构6家")
    measure_clause = pt.SourceClause(section="二.(三)", text="年内新增普惠性托育机构6家")

    def _target(self) -> pt.Target:
        return target("t1", sources=(self.goal_clause, self.measure_clause))

    def test_a_target_keeps_every_clause_and_its_first(self) -> None:
        t = self._target()
        assert t.sources == (self.goal_clause, self.measure_clause)
        assert t.source == self.goal_clause

    def test_the_one_clause_keyword_of_0_1_still_works(self) -> None:
        t = target("t1", source=self.goal_clause)
        assert t.sources == (self.goal_clause,)
        m = pt.Milestone(id="m", name=pt.Label(zh="设立"), period="2022", source=self.goal_clause)
        assert m.sources == (self.goal_clause,)
        assert target("t2").source is None

    def test_source_and_sources_together_are_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="not both"):
            target("t1", source=self.goal_clause, sources=(self.measure_clause,))

    def test_a_clause_repeated_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match=r"Target\.sources"):
            target("t1", sources=(self.goal_clause, self.goal_clause))

    def test_the_commitment_counts_once(self) -> None:
        goal = pt.Goal(id="g", title=pt.Label(zh="目标"), targets=(self._target(),))
        p = plan(goal)
        assert len(p.targets) == 1
        assert len(p.targets_frame()) == 1
        assert p.section_of("t1") == "一.(二)"

    def test_every_clause_round_trips_through_files_and_frames(self) -> None:
        goal = pt.Goal(id="g", title=pt.Label(zh="目标"), targets=(self._target(),))
        p = plan(goal)
        data = pt.plan_to_dict(p)
        assert len(data["goals"][0]["targets"][0]["sources"]) == 2
        assert pt.plan_from_dict(data) == p
        frames = pt.plan_to_frames(p)
        assert frames["sources"]["text"].tolist() == [
            self.goal_clause.text,
            self.measure_clause.text,
        ]
        assert pt.plan_from_frames(frames) == p

    def test_frames_without_a_sources_frame_read_one_clause_per_row(self) -> None:
        """Frames written by 0.1 have no sources frame and no lead_rule column."""
        p = plan(
            pt.Goal(
                id="g", title=pt.Label(zh="目标"), targets=(target("t1", source=self.goal_clause),)
            )
        )
        frames = pt.plan_to_frames(p)
        del frames["sources"]
        frames["plan"] = frames["plan"].drop(columns=["lead_rule"])
        assert pt.plan_from_frames(frames) == p

    def test_an_edited_first_clause_in_the_targets_frame_is_not_silently_ignored(self) -> None:
        goal = pt.Goal(id="g", title=pt.Label(zh="目标"), targets=(self._target(),))
        frames = pt.plan_to_frames(plan(goal))
        frames["targets"].loc[0, "source_text"] = "另一句"
        with pytest.raises(pt.PlanFileError, match="sources frame"):
            pt.plan_from_frames(frames)

    def test_the_old_single_source_file_form_is_read(self) -> None:
        goal = pt.Goal(
            id="g", title=pt.Label(zh="目标"), targets=(target("t1", source=self.goal_clause),)
        )
        p = plan(goal)
        data = pt.plan_to_dict(p)
        entry = data["goals"][0]["targets"][0]
        entry["source"] = entry.pop("sources")[0]
        assert pt.plan_from_dict(data) == p

    def test_source_and_sources_together_in_a_file_are_located(self) -> None:
        goal = pt.Goal(id="g", title=pt.Label(zh="目标"), targets=(self._target(),))
        data = pt.plan_to_dict(plan(goal))
        entry = data["goals"][0]["targets"][0]
        entry["source"] = entry["sources"][0]
        with pytest.raises(pt.PlanFileError) as info:
            pt.plan_from_dict(data)
        assert [where for where, _ in info.value.problems] == ["goals[0].targets[0].source"]

    def test_a_source_note_is_the_encoders_not_the_documents(self) -> None:
        clause = pt.SourceClause(section="二", text="达到97%", note="Owners: an encoding judgement")
        assert clause.note == "Owners: an encoding judgement"
        assert pt.SourceClause(section="二", text="达到97%").note is None


class TestArchitecture:
    """Presentation depends on the model, never the other way round."""

    def test_the_model_imports_no_presenter(self) -> None:
        """_model names neither _display nor _tables (nor the frames, plots and reports)."""
        import ast
        import inspect

        from policytargets import _model

        tree = ast.parse(inspect.getsource(_model))
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module is not None
        }
        presenters = {"_display", "_tables", "_frames", "_report", "plotting", "_cli"}
        assert not imported & presenters

    def test_the_model_still_shows_and_tabulates_itself(self) -> None:
        goal = pt.Goal(id="g", title=pt.Label(zh="目标"), targets=(target("t1"),))
        p = plan(goal)
        assert "t1" in repr(p.target("t1"))
        assert "pt-card" in p.target("t1")._repr_html_()
        assert list(p.targets_frame()["target_id"]) == ["t1"]
        assert list(p.responsibility_matrix().columns) == ["t1"]
