"""Plan files: dicts, JSON and YAML through one converter, the JSON Schema, and errors."""

from __future__ import annotations

import datetime
import functools
import json
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
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

    @pytest.mark.parametrize("text", ["0", '"plan"', "null", "[]", "true"])
    @pytest.mark.parametrize("suffix", [".json", ".yaml"])
    def test_a_file_of_one_value_is_refused(self, tmp_path: Path, text: str, suffix: str) -> None:
        """A file holding a number, text, null or a list is a PlanFileError (JSON '0' crashed)."""
        path = tmp_path / f"plan{suffix}"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(pt.PlanFileError, match="expected a mapping of plan fields"):
            pt.load_plan(path)

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


class TestStrictTypes:
    """A value of the wrong type is refused at its path, never coerced or dropped (#13.3)."""

    @pytest.mark.parametrize(
        ("path", "value"),
        [
            (("id",), datetime.datetime(345, 12, 6, 17, 2, 7)),
            (("document_number",), datetime.date(2022, 6, 2)),
            (("issued",), datetime.datetime(2022, 6, 2, 0, 0)),
            (("title",), [{"zh": "质量工作要点"}]),
            (("goals", 0, "targets", 0, "condition"), [{"type": "at_least", "value": 96.8}]),
            (("goals", 0, "targets", 0, "source"), [{"section": "一", "text": "达到96.8%以上"}]),
            (("goals", 0, "targets", 0, "indicator", "kind"), ["rate"]),
            (("goals", 0, "targets", 0, "condition", "value"), [96.8]),
            (("goals", 0, "targets", 0, "condition", "value"), 10**400),
            (("goals", 0, "targets", 0, "period"), ["2022"]),
            (("goals", 0, "targets", 0, "period"), 2022.0),
            (("goals", 0, "targets", 0, "period"), 10**30),
            (("goals", 0, "responsibilities"), {"owner": "市市场监管局"}),
            (("format_version",), 1.0),
        ],
    )
    def test_wrong_type_is_refused_at_its_path(self, path: tuple[Any, ...], value: Any) -> None:
        """A date for text, a one-element list for a mapping, a float for an integer: refused."""
        data = pt.plan_to_dict(_rate_plan())
        _set(data, path, value)
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_dict(data)
        expected = ".".join(str(p) for p in path).replace(".0.", "[0].").replace(".0", "[0]")
        assert list(_problems(excinfo)) == [expected]

    @pytest.mark.parametrize(
        "path",
        [
            ("document_number",),
            ("issued",),
            ("issuer",),
            ("url",),
            ("goals", 0, "section"),
            ("goals", 0, "targets", 0, "baseline"),
            ("goals", 0, "targets", 0, "source"),
            ("goals", 0, "targets", 0, "unit"),
            ("goals", 0, "targets", 0, "indicator", "basis"),
            ("goals", 0, "targets", 0, "indicator", "numerator"),
        ],
    )
    @pytest.mark.parametrize("value", [None, []])
    def test_null_or_empty_list_for_an_optional_field_is_refused(
        self, path: tuple[Any, ...], value: Any
    ) -> None:
        """``null`` or ``[]`` is not "none": the key is left out for that, so a slip shows."""
        data = pt.plan_to_dict(_rate_plan())
        _set(data, path, value)
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_dict(data)
        ((where, message),) = excinfo.value.problems
        assert where.endswith(str(path[-1]))
        assert message.endswith(f"received {value!r}")

    def test_yaml_null_for_an_optional_field_is_refused(self, tmp_path: Path) -> None:
        """An empty YAML value (``document_number:``) is refused with its path."""
        path = tmp_path / "plan.yaml"
        pt.dump_plan(_rate_plan(), path)
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "document_number:\n", encoding="utf-8")
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.load_plan(path)
        assert list(_problems(excinfo)) == ["document_number"]

    def test_a_huge_value_is_shown_short(self) -> None:
        """A wrong value is quoted in the message cut short, not printed whole."""
        data = pt.plan_to_dict(_rate_plan())
        data["document_number"] = list(range(100_000))
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_dict(data)
        assert len(str(excinfo.value)) < 300


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


class TestHostileFiles:
    """Hostile or careless files are one PlanFileError with a place; text is kept exact (#14)."""

    @pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
    @pytest.mark.parametrize("style", ["plain", "quoted", "block", "key"])
    def test_yaml_keeps_text_exact(self, tmp_path: Path, char: str, style: str) -> None:
        """U+0085, U+2028 and U+2029 in YAML text stay themselves, as in JSON (#14.8)."""
        text = f"质量{char}工作  要点"
        body = {
            "plain": f"title: {{zh: {text}}}\n",
            "quoted": f'title: {{zh: "{text}"}}\n',
            "block": f"title:\n  zh: {text}\n",
            "key": f"title: {{zh: {text}, {text}: x}}\n",
        }[style]
        path = tmp_path / "plan.yaml"
        path.write_text(f"id: p\nperiod: '2022'\n{body}", encoding="utf-8")
        if style == "key":
            with pytest.raises(pt.PlanFileError) as excinfo:
                pt.load_plan(path)
            assert list(_problems(excinfo)) == [f"title.{text}"]
        else:
            assert pt.load_plan(path).title.zh == text

    @pytest.mark.parametrize("suffix", [".json", ".yaml"])
    def test_line_breaks_round_trip(self, tmp_path: Path, suffix: str) -> None:
        """Text with every kind of line break is read back exactly from both formats."""
        text = "一\x85二\u2028三\u2029四\r\n五\n"
        plan = attrs.evolve(_rate_plan(), title=pt.Label(zh=text))
        path = tmp_path / f"plan{suffix}"
        pt.dump_plan(plan, path)
        assert pt.load_plan(path).title.zh == text
        if suffix == ".yaml":  # written as escapes, so any YAML 1.1 reader agrees
            import yaml

            assert yaml.safe_load(path.read_text(encoding="utf-8"))["title"]["zh"] == text

    def test_yaml_breaks_without_other_line_breaks_round_trip(self, tmp_path: Path) -> None:
        """NEL and LS alone (which PyYAML would write raw, in single quotes) read back exactly."""
        plan = attrs.evolve(_rate_plan(), title=pt.Label(zh="一\x85二\u2028三"))
        path = tmp_path / "plan.yaml"
        pt.dump_plan(plan, path)
        assert pt.load_plan(path) == plan

    def test_text_using_every_private_use_character(self, tmp_path: Path) -> None:
        """The stand-ins for NEL run out only in a contrived file, which is refused, not misread."""
        areas = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))
        filler = "".join(chr(c) for area in areas for c in area)
        path = tmp_path / "plan.yaml"
        path.write_text(f"id: p\ntitle: {{zh: '{filler}\x85'}}\n", encoding="utf-8")
        with pytest.raises(pt.PlanFileError, match="use JSON"):
            pt.load_plan(path)

    def test_alias_bomb_is_refused_quickly(self, tmp_path: Path) -> None:
        """A 'billion laughs' document is refused before it grows, naming the line (#14.9)."""
        lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
            lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
        path = tmp_path / "bomb.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(pt.PlanFileError, match="over 10000 repeated mappings") as excinfo:
            pt.load_plan(path)
        ((where, _),) = excinfo.value.problems
        assert where.startswith("line 5,")

    def test_aliases_within_the_budget_are_read(self, tmp_path: Path) -> None:
        """An anchored indicator reused by two targets, and a merge key, read as written out."""
        path = tmp_path / "plan.yaml"
        path.write_text(
            """
id: p
title: &title {zh: 质量工作要点}
issuer: {<<: *title, en: Quality}
period: '2022'
owners: [{id: o, name: {zh: 市市场监管局}}]
goals:
  - id: g
    title: *title
    targets:
      - {id: t1, period: '2022', condition: {type: at_least, value: 96.8},
         indicator: &rate {id: quality, name: {zh: 合格率}, kind: rate, unit: '%'}}
      - {id: t2, period: '2023', condition: {type: at_least, value: 97}, indicator: *rate}
""",
            encoding="utf-8",
        )
        plan = pt.load_plan(path)
        assert plan.issuer == pt.Label(zh="质量工作要点", en="Quality")
        first, second = plan.targets
        assert first.indicator == second.indicator

    def test_alias_to_its_own_container_is_refused(self, tmp_path: Path) -> None:
        """A recursive alias (``&a [*a]``) is an error at its anchor, not a RecursionError."""
        path = tmp_path / "plan.yaml"
        path.write_text("id: p\ntitle: &a [*a]\n", encoding="utf-8")
        with pytest.raises(pt.PlanFileError, match="refers to the node itself") as excinfo:
            pt.load_plan(path)
        assert excinfo.value.problems[0][0] == "line 2, column 8"  # the anchored node

    @pytest.mark.parametrize(
        ("text", "where", "kind"),
        [
            ("id: p\n[a, b]: 1\n", "line 2, column 1", "list"),
            ("id: p\n? {a: 1}\n: 1\n", "line 2, column 3", "mapping"),
            ("id: p\ntitle: {[zh]: x}\n", "line 2, column 9", "list"),
        ],
    )
    def test_list_or_mapping_as_a_key_is_refused(
        self, tmp_path: Path, text: str, where: str, kind: str
    ) -> None:
        """A YAML list or mapping used as a key is one error at its line (#14.10)."""
        path = tmp_path / "plan.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.load_plan(path)
        assert excinfo.value.problems == (
            (where, f"a key must be text; found a {kind} used as a key"),
        )

    def test_repeated_keys_are_all_listed(self, tmp_path: Path) -> None:
        """Every repeated key of a YAML file is listed at once, each at its line."""
        path = tmp_path / "plan.yaml"
        path.write_text("id: p\nid: q\ntitle: {zh: x}\ntitle: {zh: y}\n", encoding="utf-8")
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.load_plan(path)
        assert [where for where, _ in excinfo.value.problems] == [
            "line 2, column 1",
            "line 4, column 1",
        ]

    @pytest.mark.parametrize("levels", [65, 1000, 100_000])
    @pytest.mark.parametrize("style", ["yaml-flow", "yaml-block", "json"])
    def test_deep_nesting_is_refused(self, tmp_path: Path, levels: int, style: str) -> None:
        """Deep nesting is one error with its line, never a RecursionError (#14.10)."""
        if style == "yaml-block":
            levels = min(levels, 1000)
            nested = "".join(f"{'  ' * (i + 1)}a:\n" for i in range(levels))
            text = f"id: p\ntitle:\n{nested}"
        else:
            nested = "[" * levels + "]" * levels
            text = f'{{"id": "p", "title": {nested}}}'
        suffix = ".json" if style == "json" else ".yaml"
        path = tmp_path / f"plan{suffix}"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(pt.PlanFileError, match="nest") as excinfo:
            pt.load_plan(path)
        ((where, _),) = excinfo.value.problems
        assert where.startswith("line ")

    def test_nesting_at_the_limit_is_read(self) -> None:
        """64 levels are within the limit (the error is about the values, not the depth)."""
        data = pt.plan_to_dict(_rate_plan())
        data["url"] = functools.reduce(lambda inner, _: [inner], range(62), [])
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_dict(data)
        assert _problems(excinfo)["url"].startswith("expected text")
        data["url"] = [data["url"]]
        with pytest.raises(pt.PlanFileError) as excinfo:
            pt.plan_from_dict(data)
        assert "nested more than 64 levels" in _problems(excinfo)["url" + "[0]" * 63]

    @pytest.mark.parametrize(
        "tag",
        [
            "!!binary aGVsbG8=",
            "!!set {a, b}",
            "!!omap [a: 1]",
            "!custom x",
            "!!python/name:os.system",
        ],
    )
    def test_only_plain_yaml_types_are_built(self, tmp_path: Path, tag: str) -> None:
        """Tags that build other objects are refused at their place."""
        path = tmp_path / "plan.yaml"
        path.write_text(f"id: {tag}\n", encoding="utf-8")
        with pytest.raises(pt.PlanFileError, match="is not allowed") as excinfo:
            pt.load_plan(path)
        assert excinfo.value.problems[0][0] == "line 1, column 5"

    def test_csv_export_says_it_is_one_way(self, tmp_path: Path) -> None:
        """load_plan of a CSV export explains that CSV is one-way and what to use (#11)."""
        path = tmp_path / "targets.csv"
        path.write_text(_rate_plan().targets_frame().to_csv(index=False), encoding="utf-8")
        with pytest.raises(pt.PlanFileError, match=r"one-way.*yaml or \.json"):
            pt.load_plan(path)

    def test_oversized_file_is_refused_unread(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file over the size limit is refused from its size, before it is read."""
        from policytargets import _serialization

        path = tmp_path / "plan.json"
        pt.dump_plan(_rate_plan(), path)
        size = path.stat().st_size
        monkeypatch.setattr(_serialization, "MAX_FILE_BYTES", size - 1)
        with pytest.raises(pt.PlanFileError, match=f"has {size} bytes"):
            pt.load_plan(path)
        monkeypatch.setattr(_serialization, "MAX_FILE_BYTES", size)
        assert pt.load_plan(path) == _rate_plan()


class TestWithoutLibyaml:
    """Where PyYAML has no libyaml, its pure-Python parser gives the same answers."""

    @pytest.fixture(autouse=True)
    def _pure_python(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import yaml

        from policytargets import _serialization

        monkeypatch.setattr(_serialization, "_yaml_loader", lambda: yaml.SafeLoader)

    def test_round_trip_and_exact_text(self, tmp_path: Path) -> None:
        """A plan with NEL in its text reads back equal."""
        plan = attrs.evolve(_rate_plan(), title=pt.Label(zh="一\x85二\u2028三"))
        path = tmp_path / "plan.yaml"
        pt.dump_plan(plan, path)
        assert pt.load_plan(path) == plan

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("id: p\n[a]: 1\n", "line 2, column 1: a key must be text"),
            (
                "a: &a [1, 1]\n"
                + "".join(
                    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
                    for p, c in zip("abcdefg", "bcdefgh", strict=True)
                ),
                "alias bomb",
            ),
            ("id: p\ntitle: " + "[" * 1000 + "]" * 1000 + "\n", "nested more than 64"),
        ],
    )
    def test_hostile_files(self, tmp_path: Path, text: str, message: str) -> None:
        """A list key, an alias bomb and deep nesting are each one PlanFileError."""
        path = tmp_path / "plan.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(pt.PlanFileError, match=message):
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
