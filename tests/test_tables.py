"""Plans as DataFrames and back: lossless, and bad frames named by frame, row and column."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import policytargets as pt
from policytargets._frames import FRAME_COLUMNS
from policytargets.testing import plans


def _plan() -> pt.Plan:
    rate = pt.Indicator(
        id="quality", name=pt.Label(zh="制造业产品质量合格率"), kind="rate", unit="%"
    )
    firms = pt.Indicator(
        id="firms", name=pt.Label(zh="企业", en="firms"), kind="count", unit="家", basis="flow"
    )
    return pt.Plan(
        id="p",
        title=pt.Label(zh="质量工作要点"),
        period="2022",
        owners=(
            pt.Owner(id="market", name=pt.Label(zh="市市场监管局")),
            pt.Owner(id="industry", name=pt.Label(zh="市工信局")),
        ),
        goals=(
            pt.Goal(
                id="g1",
                title=pt.Label(zh="质量水平"),
                section="二.(一)",
                responsibilities=(pt.Responsibility(owner="market"),),
                targets=(
                    pt.Target(
                        id="t1", indicator=rate, condition=pt.AtLeast(value=96.8), period="2022"
                    ),
                ),
                goals=(
                    pt.Goal(
                        id="g1.1",
                        title=pt.Label(zh="企业"),
                        targets=(
                            pt.Target(
                                id="t2",
                                indicator=firms,
                                condition=pt.Between(low=3, high=5),
                                period="2022",
                                responsibilities=(
                                    pt.Responsibility(owner="industry"),
                                    pt.Responsibility(owner="market", role="supporting"),
                                ),
                            ),
                        ),
                        milestones=(
                            pt.Milestone(id="m1", name=pt.Label(zh="设立质量奖"), period="2022"),
                        ),
                    ),
                ),
            ),
        ),
    )


def _where(excinfo: pytest.ExceptionInfo[pt.PlanFileError]) -> list[str]:
    return [where for where, _ in excinfo.value.problems]


class TestPlanToFrames:
    """A plan becomes one frame per noun."""

    def test_frames_and_columns(self) -> None:
        """Every frame is present with its documented columns."""
        frames = pt.plan_to_frames(_plan())
        assert {name: tuple(f.columns) for name, f in frames.items()} == FRAME_COLUMNS

    def test_targets_frame_extends_targets_frame(self) -> None:
        """The targets frame is Plan.targets_frame() plus the columns needed to rebuild."""
        plan = _plan()
        targets = pt.plan_to_frames(plan)["targets"]
        pd.testing.assert_frame_equal(targets[list(pt.TARGET_COLUMNS)], plan.targets_frame())

    def test_responsibilities_are_each_items_own(self) -> None:
        """Responsibilities list what each goal, target or milestone names, with owner ids."""
        frame = pt.plan_to_frames(_plan())["responsibilities"]
        assert frame.to_dict("records") == [
            {"item_id": "g1", "owner": "market", "role": "lead"},
            {"item_id": "t2", "owner": "industry", "role": "lead"},
            {"item_id": "t2", "owner": "market", "role": "supporting"},
        ]

    def test_goals_carry_their_parent(self) -> None:
        """Goals are depth first, each with its parent's id."""
        goals = pt.plan_to_frames(_plan())["goals"]
        assert list(goals["id"]) == ["g1", "g1.1"]
        assert goals["parent_id"].isna().tolist() == [True, False]
        assert goals.loc[1, "parent_id"] == "g1"

    def test_indicators_are_listed_once(self) -> None:
        """The indicators frame has each distinct indicator once."""
        indicators = pt.plan_to_frames(_plan())["indicators"]
        assert list(indicators["id"]) == ["quality", "firms"]


class TestRoundTrip:
    """plan_from_frames(plan_to_frames(plan)) == plan."""

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(plans())
    def test_generated_plans_round_trip(self, plan: pt.Plan) -> None:
        """Every generated plan survives the trip through frames."""
        assert pt.plan_from_frames(pt.plan_to_frames(plan)) == plan

    def test_taicang2022_round_trips(self) -> None:
        """The worked Taicang 2022 plan survives the trip through frames."""
        from policytargets.taicang2022 import plan

        assert pt.plan_from_frames(pt.plan_to_frames(plan)) == plan

    def test_indicators_frame_is_optional(self) -> None:
        """Without the indicators frame, the targets frame alone defines the indicators."""
        frames = pt.plan_to_frames(_plan())
        del frames["indicators"]
        assert pt.plan_from_frames(frames) == _plan()

    def test_edits_in_the_frames_are_read(self) -> None:
        """A changed threshold in the targets frame changes the rebuilt plan."""
        frames = pt.plan_to_frames(_plan())
        frames["targets"].loc[0, "value"] = 97.5
        plan = pt.plan_from_frames(frames)
        assert plan.target("t1").condition == pt.AtLeast(value=97.5)


class TestBadFrames:
    """Bad frames are refused with every problem, each naming frame, row and column."""

    def test_bad_cells_are_all_named(self) -> None:
        """A bad value, an unknown comparator and an unknown owner are reported together."""
        frames = pt.plan_to_frames(_plan())
        targets = frames["targets"].astype({"value": object})
        targets.loc[0, "value"] = "high"
        targets.loc[1, "comparator"] = "around"
        frames["targets"] = targets
        frames["responsibilities"].loc[2, "owner"] = "nobody"
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_frames(frames)
        assert _where(excinfo) == [
            "responsibilities, row 2, column 'owner'",
            "targets, row 0, column 'value'",
            "targets, row 1, column 'comparator'",
        ]
        assert excinfo.value.path == "<frames>"

    def test_model_errors_point_at_their_column(self) -> None:
        """A range whose high end is below its low end is named at value_high."""
        frames = pt.plan_to_frames(_plan())
        frames["targets"].loc[1, "value_high"] = 1.0
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_frames(frames)
        assert _where(excinfo) == ["targets, row 1, column 'value_high'"]

    def test_unit_of_another_dimension_is_named(self) -> None:
        """A target unit that does not fit its indicator is named at ``unit``."""
        frames = pt.plan_to_frames(_plan())
        frames["targets"].loc[0, "unit"] = "万平方米"
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_frames(frames)
        assert _where(excinfo) == ["targets, row 0, column 'unit'"]

    @pytest.mark.parametrize(
        ("frame", "column", "value", "where"),
        [
            ("targets", "goal_id", "nowhere", "targets, row 0, column 'goal_id'"),
            ("goals", "parent_id", "nowhere", "goals, row 1, column 'parent_id'"),
            ("milestones", "id", "t1", "milestones, row 0, column 'id'"),
            ("responsibilities", "item_id", "ghost", "responsibilities, row 0, column 'item_id'"),
            ("owners", "kind", "ministry", "owners, row 0, column 'kind'"),
            ("targets", "aspirational", "yes", "targets, row 0, column 'aspirational'"),
        ],
    )
    def test_broken_reference_or_value(
        self, frame: str, column: str, value: Any, where: str
    ) -> None:
        """Unknown goals, items and owners, duplicate ids and wrong kinds of values are named."""
        frames = pt.plan_to_frames(_plan())
        edited = frames[frame].astype({column: object})
        edited.loc[0 if frame != "goals" else 1, column] = value
        frames[frame] = edited
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_frames(frames)
        assert where in _where(excinfo)

    def test_derived_columns_are_checked_not_ignored(self) -> None:
        """Editing the derived owners column is refused: the edit belongs in responsibilities."""
        frames = pt.plan_to_frames(_plan())
        frames["targets"].at[0, "owners"] = ["市工信局"]
        with pytest.raises(pt.PlanFileError, match="responsibilities") as excinfo:
            pt.plan_from_frames(frames)
        assert _where(excinfo) == ["targets, row 0, column 'owners'"]

    def test_indicator_must_match_the_indicators_frame(self) -> None:
        """An indicator renamed in one frame but not the other is refused."""
        frames = pt.plan_to_frames(_plan())
        frames["indicators"].loc[0, "name_zh"] = "另一个名字"
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_frames(frames)
        assert _where(excinfo) == ["targets, row 0, column 'indicator_id'"]

    def test_missing_frames_and_columns(self) -> None:
        """Missing frames, missing columns and unknown columns are all listed."""
        frames = pt.plan_to_frames(_plan())
        del frames["owners"]
        frames["goals"] = frames["goals"].drop(columns=["title_zh"]).assign(colour="red")
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_frames(frames)
        assert _where(excinfo) == [
            "owners",
            "goals, column 'title_zh'",
            "goals, column 'colour'",
        ]

    def test_plan_frame_has_one_row(self) -> None:
        """The plan frame must hold exactly one row."""
        frames = pt.plan_to_frames(_plan())
        frames["plan"] = pd.concat([frames["plan"], frames["plan"]], ignore_index=True)
        with pytest.raises(pt.PlanFileError, match="exactly one row"):
            pt.plan_from_frames(frames)
