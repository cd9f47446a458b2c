"""Plan files: dicts, JSON and YAML through one converter, the JSON Schema, and errors."""

from __future__ import annotations

import json
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policytargets as pt
from policytargets.testing import plans

DATA = Path(__file__).parent / "data"

_settings = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rate_plan(**target: Any) -> pt.Plan:
    rate = pt.Indicator(
        id="quality", name=pt.Label(zh="制造业产品质量合格率"), kind="rate", unit="%"
    )
    fields: dict[str, Any] = {
        "id": "t1",
        "indicator": rate,
        "condition": pt.AtLeast(value=96.8),
        "period": "2022",
        **target,
    }
    return pt.Plan(
        id="p",
        title=pt.Label(zh="质量工作要点", en="Quality work plan"),
        period="2022",
        issued="2022-06-02",
        owners=(pt.Owner(id="市市场监管局", name=pt.Label(zh="市市场监管局")),),
        goals=(
            pt.Goal(
                id="g1",
                title=pt.Label(zh="质量水平"),
                targets=(pt.Target(**fields),),
                responsibilities=(pt.Responsibility(owner="市市场监管局"),),
            ),
        ),
    )


def _problems(excinfo: pytest.ExceptionInfo[pt.PlanFileError]) -> dict[str, str]:
    return dict(excinfo.value.problems)


class TestRoundTrip:
    """A plan written out and read back is the same plan."""

    @_settings
    @given(plans())
    def test_dict_round_trip_is_exact(self, plan: pt.Plan) -> None:
        """plan → dict → plan gives an equal plan."""
        assert pt.plan_from_dict(pt.plan_to_dict(plan)) == plan

    @_settings
    @given(plans(), st.sampled_from([".json", ".yaml", ".yml"]))
    def test_file_round_trip_is_exact(self, plan: pt.Plan, suffix: str) -> None:
        """plan → JSON or YAML file → plan gives an equal plan."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"plan{suffix}"
            pt.dump_plan(plan, path)
            assert pt.load_plan(path) == plan

    @pytest.mark.parametrize("suffix", [".json", ".yaml"])
    def test_taicang2022_round_trips(self, tmp_path: Path, suffix: str) -> None:
        """The worked Taicang 2022 plan survives both file formats."""
        from policytargets.taicang2022 import plan

        path = tmp_path / f"taicang{suffix}"
        pt.dump_plan(plan, path)
        assert pt.load_plan(path) == plan


class TestFileFormat:
    """Files are readable: tagged conditions, plain values, no clutter."""

    def test_condition_is_a_tagged_mapping(self) -> None:
        """A condition is written as its type tag and its numbers."""
        data = pt.plan_to_dict(_rate_plan())
        target = data["goals"][0]["targets"][0]
        assert target["condition"] == {"type": "at_least", "value": 96.8}

    def test_maintained_condition_nests_its_condition(self) -> None:
        """保持 wraps the inner condition under ``condition``."""
        plan = _rate_plan(condition=pt.Maintained(condition=pt.AtLeast(value=100)))
        target = pt.plan_to_dict(plan)["goals"][0]["targets"][0]
        assert target["condition"] == {
            "type": "maintained",
            "condition": {"type": "at_least", "value": 100.0},
        }

    def test_values_are_plain_text(self) -> None:
        """Enums are lowercase values, periods text, dates ISO, and format_version comes first."""
        data = pt.plan_to_dict(_rate_plan())
        assert next(iter(data)) == "format_version"
        assert data["format_version"] == 1
        assert data["period"] == "2022"
        assert data["issued"] == "2022-06-02"
        assert data["goals"][0]["targets"][0]["indicator"]["kind"] == "rate"

    def test_defaults_are_left_out(self) -> None:
        """Fields at their default (lead role, indicator's unit, not aspirational) are omitted."""
        data = pt.plan_to_dict(_rate_plan())
        target = data["goals"][0]["targets"][0]
        assert "unit" not in target
        assert "aspirational" not in target
        assert data["goals"][0]["responsibilities"] == [{"owner": "市市场监管局"}]

    def test_a_unit_other_than_the_indicators_is_kept(self) -> None:
        """A target unit that differs from its indicator's default is written."""
        data = pt.plan_to_dict(_rate_plan(unit="‰"))
        assert data["goals"][0]["targets"][0]["unit"] == "‰"

    @pytest.mark.parametrize("suffix", [".json", ".yaml"])
    def test_chinese_stays_readable(self, tmp_path: Path, suffix: str) -> None:
        """Chinese text is written as itself, not as escapes."""
        path = tmp_path / f"plan{suffix}"
        pt.dump_plan(_rate_plan(), path)
        assert "制造业产品质量合格率" in path.read_text(encoding="utf-8")

    def test_yaml_author_may_write_bare_years_and_dates(self, tmp_path: Path) -> None:
        """Unquoted ``period: 2022`` and ``issued: 2022-06-02`` read as the period and date."""
        path = tmp_path / "plan.yaml"
        pt.dump_plan(_rate_plan(), path)
        text = path.read_text(encoding="utf-8")
        text = text.replace("'2022'", "2022").replace("'2022-06-02'", "2022-06-02")
        assert "period: 2022\n" in text
        path.write_text(text, encoding="utf-8")
        assert pt.load_plan(path) == _rate_plan()

    def test_format_version_may_be_left_out(self) -> None:
        """A hand-written file without format_version is read as the current version."""
        data = pt.plan_to_dict(_rate_plan())
        del data["format_version"]
        assert pt.plan_from_dict(data) == _rate_plan()


class TestErrors:
    """A bad file is refused with every problem at once, each with its path in the file."""

    def test_every_bad_field_is_named_by_path(self) -> None:
        """Wrong types, invalid values, unknown keys and tags are all listed at once."""
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.load_plan(DATA / "bad_fields.yaml")
        problems = _problems(excinfo)
        assert set(problems) == {
            "colour",
            "owners[1].kind",
            "goals[0].targets[0].condition.value",
            "goals[1].targets[0].indicator.basis",
            "goals[1].targets[0].condition.type",
            "goals[1].targets[1].condition.high",
            "goals[1].targets[1].period",
            "goals[1].targets[1].aspirational",
        }
        assert "unknown key" in problems["colour"]
        assert "'high'" in problems["goals[0].targets[0].condition.value"]
        assert "'around'" in problems["goals[1].targets[0].condition.type"]
        assert excinfo.value.path.endswith("bad_fields.yaml")
        assert "goals[1].targets[1].period" in str(excinfo.value)

    def test_validator_errors_in_one_object_all_show(self) -> None:
        """Several fields refused by the model's own validators are reported together."""
        data = pt.plan_to_dict(_rate_plan())
        indicator = data["goals"][0]["targets"][0]["indicator"]
        indicator["id"] = " padded "
        indicator["unit"] = "no such unit"
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_dict(data)
        assert set(_problems(excinfo)) == {
            "goals[0].targets[0].indicator.id",
            "goals[0].targets[0].indicator.unit",
        }

    def test_references_and_duplicates_are_located(self) -> None:
        """Duplicate ids and unknown owners point at the offending entry."""
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.load_plan(DATA / "bad_references.json")
        assert set(_problems(excinfo)) == {
            "owners[1].id",
            "goals[0].responsibilities[0].owner",
            "goals[0].goals[0].id",
        }

    def test_an_indicator_defined_twice_differently_is_located(self) -> None:
        """Both places are named: the second definition's path and the first's."""
        data = pt.plan_to_dict(_rate_plan())
        first = data["goals"][0]["targets"][0]
        second = {**first, "id": "second", "indicator": {**first["indicator"], "unit": "‰"}}
        data["goals"][0]["targets"].append(second)
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_dict(data)
        problems = _problems(excinfo)
        assert list(problems) == ["goals[0].targets[1].indicator"]
        message = problems["goals[0].targets[1].indicator"]
        assert "goals[0].targets[0].indicator" in message
        assert "unit '%' vs '‰'" in message

    def test_dimension_mismatch_names_the_unit(self) -> None:
        """A target unit of another dimension than its indicator's is located at ``unit``."""
        data = pt.plan_to_dict(_rate_plan())
        data["goals"][0]["targets"][0]["unit"] = "万平方米"
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_dict(data)
        assert list(_problems(excinfo)) == ["goals[0].targets[0].unit"]

    def test_missing_key_is_named(self) -> None:
        """A required key that is absent is reported at its path."""
        data = pt.plan_to_dict(_rate_plan())
        del data["goals"][0]["targets"][0]["condition"]["value"]
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_dict(data)
        assert _problems(excinfo) == {"goals[0].targets[0].condition.value": "required key missing"}

    def test_text_is_not_taken_for_a_list(self) -> None:
        """A string where a list belongs is refused, not split into characters."""
        data = pt.plan_to_dict(_rate_plan())
        data["addressees"] = "各区镇"
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_dict(data)
        assert list(_problems(excinfo)) == ["addressees"]

    @pytest.mark.parametrize(
        ("name", "location"),
        [("bad_syntax.json", "line 6, column 1"), ("bad_syntax.yaml", "line 4, column")],
    )
    def test_syntax_error_gives_the_line(self, name: str, location: str) -> None:
        """Invalid JSON or YAML is reported with its line."""
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.load_plan(DATA / name)
        ((where, message),) = excinfo.value.problems
        assert where.startswith(location)
        assert message.startswith("invalid")

    def test_yaml_is_read_safely(self) -> None:
        """A YAML tag that would run code is refused."""
        with pytest.raises(pt.PlanFileError, match="invalid YAML"):
            pt.load_plan(DATA / "unsafe.yaml")

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is a PlanFileError naming the file."""
        with pytest.raises(pt.PlanFileError, match="no such file"):
            pt.load_plan(tmp_path / "absent.yaml")

    def test_unknown_suffix_is_refused_on_load(self, tmp_path: Path) -> None:
        """Only .json, .yaml and .yml files are read as plan files."""
        path = tmp_path / "plan.toml"
        path.write_text("", encoding="utf-8")
        with pytest.raises(pt.PlanFileError, match=r"\.json, \.yaml or \.yml"):
            pt.load_plan(path)

    def test_unknown_suffix_is_refused_on_dump(self, tmp_path: Path) -> None:
        """Only .json, .yaml and .yml files are written, and nothing else is created."""
        path = tmp_path / "plan.toml"
        with pytest.raises(pt.PlanFileError, match=r"\.json, \.yaml or \.yml"):
            pt.dump_plan(_rate_plan(), path)
        assert not path.exists()

    @pytest.mark.parametrize(
        ("data", "location"),
        [([1, 2], ""), ({"format_version": 2}, "format_version")],
    )
    def test_not_a_plan_document(self, data: Any, location: str) -> None:
        """A top level that is not a mapping, or a future format version, is refused."""
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_dict(data)
        assert [where for where, _ in excinfo.value.problems] == [location]

    @pytest.mark.parametrize(
        ("suffix", "text"),
        [
            (".yaml", 'format_version: 1\nid: p\nid: q\ntitle: {zh: 计划}\nperiod: "2022"\n'),
            (".json", '{"id": "p", "id": "q", "title": {"zh": "计划"}, "period": "2022"}'),
        ],
    )
    def test_repeated_key_is_refused(self, tmp_path: Path, suffix: str, text: str) -> None:
        """A key given twice is an error, not a silent choice of the last value."""
        path = tmp_path / f"plan{suffix}"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(pt.PlanFileError, match="'id' appears twice"):
            pt.load_plan(path)

    def test_json_nan_is_refused(self, tmp_path: Path) -> None:
        """JSON's non-standard NaN is not read as a number."""
        path = tmp_path / "plan.json"
        path.write_text('{"id": NaN}', encoding="utf-8")
        with pytest.raises(pt.PlanFileError, match="NaN"):
            pt.load_plan(path)


class TestSchema:
    """The published JSON Schema describes the files dump_plan writes."""

    def test_shipped_schema_is_up_to_date(self) -> None:
        """plan.schema.json equals plan_json_schema() (regenerate it when the model changes)."""
        shipped = resources.files("policytargets").joinpath("plan.schema.json").read_text("utf-8")
        assert json.loads(shipped) == pt.plan_json_schema()

    def test_schema_is_a_valid_draft_2020_12_schema(self) -> None:
        """The schema itself passes the metaschema."""
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.Draft202012Validator.check_schema(pt.plan_json_schema())

    @_settings
    @given(plans())
    def test_dumped_plans_validate(self, plan: pt.Plan) -> None:
        """Every generated plan's file data is valid under the schema."""
        import jsonschema

        validator = jsonschema.Draft202012Validator(pt.plan_json_schema())
        data = json.loads(json.dumps(pt.plan_to_dict(plan)))
        assert list(validator.iter_errors(data)) == []

    def test_bad_file_fails_the_schema(self) -> None:
        """The schema is not vacuous: the bad fixture breaks it in several places."""
        import jsonschema
        import yaml

        validator = jsonschema.Draft202012Validator(pt.plan_json_schema())
        data = yaml.safe_load((DATA / "bad_fields.yaml").read_text(encoding="utf-8"))
        assert len(list(validator.iter_errors(data))) >= 4
