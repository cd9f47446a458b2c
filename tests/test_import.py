"""Importing policytargets is light, and its public API is exactly what we chose."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import policytargets as pt


def run(code: str) -> str:
    """Run ``code`` in a fresh interpreter (nothing imported yet) and return its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


class TestLightImport:
    """import policytargets loads neither pandas, pint nor numpy, and builds no registry."""

    def test_no_heavy_modules_and_no_registry(self) -> None:
        out = run(
            "import json, sys\n"
            "import policytargets\n"
            "from policytargets import _units\n"
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'pint', 'numpy'})\n"
            "print(json.dumps({'heavy': heavy, 'registry': _units._registry is not None}))\n"
        )
        assert json.loads(out) == {"heavy": [], "registry": False}

    def test_the_registry_is_built_on_first_use(self) -> None:
        out = run(
            "import sys\n"
            "import policytargets as pt\n"
            "from policytargets import _units\n"
            "pt.parse_quantity('96.8%')\n"
            "print(_units._registry is not None, 'pint' in sys.modules)\n"
        )
        assert out.split() == ["True", "True"]

    def test_building_a_model_needs_no_pandas(self) -> None:
        out = run(
            "import sys\n"
            "import policytargets as pt\n"
            "rate = pt.Indicator(id='r', name=pt.Label(zh='合格率'), kind='rate', unit='%')\n"
            "t = pt.Target(id='t', indicator=rate, condition=pt.AtLeast(value=57), period='2022')\n"
            "print(pt.assess(t, '0.57').status, 'pandas' in sys.modules)\n"
        )
        assert out.split() == ["met", "False"]

    def test_import_time_is_measured(self, record_property: pytest.RecordProperty) -> None:
        # Reported, never asserted: timings depend on the machine.
        out = run(
            "import time\n"
            "t = time.perf_counter()\n"
            "import policytargets\n"
            "print(time.perf_counter() - t)\n"
        )
        seconds = float(out)
        record_property("import_seconds", seconds)
        print(f"import policytargets: {seconds * 1000:.0f} ms")
        assert seconds > 0


#: The public API, sorted. Change it on purpose, with a CHANGELOG line.
PUBLIC_API = [
    "AbsoluteChange",
    "AnnualGrowth",
    "Approximately",
    "Assessment",
    "AtLeast",
    "AtMost",
    "Baseline",
    "Basis",
    "Between",
    "Bounds",
    "Comparator",
    "Condition",
    "CurrentStatusIndex",
    "DEFAULT_RTOL",
    "DimensionMismatchError",
    "Direction",
    "DuplicateIdError",
    "Every",
    "EveryYear",
    "ExtractedTarget",
    "ExtractionReport",
    "FONT_FAMILY",
    "FiscalYear",
    "Goal",
    "GrowthRatio",
    "Improve",
    "Indicator",
    "IndicatorKind",
    "InvalidValueError",
    "Label",
    "LeadRule",
    "LessThan",
    "LinearAchievement",
    "Maintained",
    "Measure",
    "Milestone",
    "MissingDependencyError",
    "MoreThan",
    "Observation",
    "ObservationError",
    "ObservationFileError",
    "Owner",
    "OwnerKind",
    "Period",
    "Plan",
    "PlanFileError",
    "Point",
    "PolicyTargetsError",
    "Progress",
    "ProgressCategory",
    "ProgressInput",
    "ProgressThresholds",
    "Projection",
    "RelativeChange",
    "Report",
    "Responsibility",
    "Role",
    "Score",
    "ScoringMethod",
    "SourceClause",
    "Status",
    "TARGET_COLUMNS",
    "Target",
    "UnitParseError",
    "UnknownIdError",
    "UnreadText",
    "Validity",
    "Zero",
    "__version__",
    "assess",
    "conversion_factor",
    "define_units",
    "dump_plan",
    "evaluate",
    "extract_plan",
    "get_registry",
    "load_plan",
    "margin_unit",
    "parse_owner_note",
    "parse_quantity",
    "parse_unit",
    "plan_from_dict",
    "plan_from_frames",
    "plan_json_schema",
    "plan_to_dict",
    "plan_to_frames",
    "plotting",
    "read_milestones",
    "read_observations",
    "report",
    "required_amount",
    "responsibilities_from_note",
    "taicang2022",
    "text_table",
    "threshold_in",
    "to_quantity",
    "unit_label",
    "unit_scope",
    "validate_observations",
    "write_results",
]

#: Names served lazily by modules the other layers provide (see ``_LAZY`` in
#: ``policytargets/__init__.py``). They are checked like every other name:
#: while a module is missing, its names FAIL here, on purpose.
LAZY_NAMES = [
    "TARGET_COLUMNS",
    "dump_plan",
    "evaluate",
    "load_plan",
    "plan_from_dict",
    "plan_from_frames",
    "plan_json_schema",
    "plan_to_dict",
    "plan_to_frames",
    "plotting",
    "read_observations",
    "required_amount",
    "taicang2022",
    "threshold_in",
    "validate_observations",
    "write_results",
]
EAGER_NAMES = [name for name in PUBLIC_API if name not in LAZY_NAMES]


class TestPublicAPI:
    """__all__ is the chosen list, and every name in it resolves."""

    def test_snapshot(self) -> None:
        assert sorted(pt.__all__) == PUBLIC_API

    def test_no_duplicates(self) -> None:
        assert len(set(pt.__all__)) == len(pt.__all__)

    @pytest.mark.parametrize("name", EAGER_NAMES)
    def test_core_names_resolve(self, name: str) -> None:
        assert getattr(pt, name) is not None

    @pytest.mark.parametrize("name", LAZY_NAMES)
    def test_layer_names_resolve(self, name: str) -> None:
        assert getattr(pt, name) is not None

    def test_an_unknown_name_is_an_attribute_error(self) -> None:
        with pytest.raises(AttributeError, match="no_such_name"):
            _ = pt.no_such_name

    def test_dir_lists_every_public_name(self) -> None:
        assert set(PUBLIC_API) <= set(dir(pt))

    def test_the_testing_module_names_its_extra_without_hypothesis(self) -> None:
        """hypothesis is an extra: importing policytargets.testing without it says which."""
        code = (
            "import sys; sys.modules['hypothesis'] = None\n"
            "import policytargets\n"
            "try:\n"
            "    import policytargets.testing\n"
            "except policytargets.MissingDependencyError as e:\n"
            "    assert isinstance(e, ModuleNotFoundError)\n"
            "    print(e)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert 'pip install "policytargets[testing]"' in out

    def test_hypothesis_is_not_a_core_dependency(self) -> None:
        """A core install stays small: hypothesis is in the testing and test extras only."""
        import tomllib

        project = tomllib.loads(
            (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
        )["project"]
        assert not [d for d in project["dependencies"] if d.startswith("hypothesis")]
        for extra in ("testing", "test"):
            assert any(d.startswith("hypothesis") for d in project["optional-dependencies"][extra])

    def test_the_testing_module_exports_its_strategies(self) -> None:
        from policytargets import testing

        assert sorted(testing.__all__) == [
            "UNIT_GROUPS",
            "conditions",
            "goals",
            "indicators",
            "labels",
            "milestones",
            "observation_values",
            "owners",
            "period_texts",
            "periods",
            "plans",
            "quantities",
            "quantity_texts",
            "targets",
            "units",
        ]
        for name in testing.__all__:
            assert getattr(testing, name) is not None
