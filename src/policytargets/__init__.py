"""policytargets: write down, check and report on policy targets.

The public face of the library. Everything documented is importable from
here; implementation modules (``policytargets._…``) are private. Importing
this package is cheap: pint's registry is built, and pandas imported, only
when something needs them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Presentation modules register how the model shows and tabulates itself (the model
# imports none of them); both are light (pandas is imported on first use).
from . import _display as _display
from . import _tables as _tables
from ._assessment import (
    Assessment,
    Measure,
    Observation,
    Progress,
    ProgressThresholds,
    Status,
    assess,
    margin_unit,
)
from ._conditions import (
    DEFAULT_RTOL,
    AbsoluteChange,
    AnnualGrowth,
    Approximately,
    AtLeast,
    AtMost,
    Between,
    Bounds,
    Comparator,
    Condition,
    Direction,
    Every,
    EveryYear,
    Improve,
    LessThan,
    Maintained,
    MoreThan,
    Point,
    RelativeChange,
    Zero,
)
from ._errors import (
    DimensionMismatchError,
    DuplicateIdError,
    InvalidValueError,
    MissingDependencyError,
    ObservationError,
    ObservationFileError,
    PlanFileError,
    PolicyTargetsError,
    UnitParseError,
    UnknownIdError,
)
from ._labels import Label
from ._model import (
    Baseline,
    Basis,
    Goal,
    Indicator,
    IndicatorKind,
    Milestone,
    Plan,
    Projection,
    SourceClause,
    Target,
    Validity,
)
from ._owners import (
    LeadRule,
    Owner,
    OwnerKind,
    Responsibility,
    Role,
    parse_owner_note,
    responsibilities_from_note,
)
from ._periods import FiscalYear, Period
from ._scoring import (
    CurrentStatusIndex,
    GrowthRatio,
    LinearAchievement,
    ProgressCategory,
    ProgressInput,
    Score,
    ScoringMethod,
)
from ._text import text_table
from ._unit_names import unit_label
from ._units import (
    conversion_factor,
    define_units,
    get_registry,
    parse_quantity,
    parse_unit,
    to_quantity,
    unit_scope,
)

if TYPE_CHECKING:
    from . import taicang2022

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_RTOL",
    "FONT_FAMILY",
    "TARGET_COLUMNS",
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
    "DimensionMismatchError",
    "Direction",
    "DuplicateIdError",
    "Every",
    "EveryYear",
    "ExtractedTarget",
    "ExtractionReport",
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

#: Names served lazily, so that importing the package stays light:
#: attribute -> (module, attribute or None for the module itself).
_LAZY: dict[str, tuple[str, str | None]] = {
    "FONT_FAMILY": ("policytargets._report", "FONT_FAMILY"),
    "Report": ("policytargets._report", "Report"),
    "TARGET_COLUMNS": ("policytargets._tables", "TARGET_COLUMNS"),
    "ExtractedTarget": ("policytargets._extract", "ExtractedTarget"),
    "ExtractionReport": ("policytargets._extract", "ExtractionReport"),
    "UnreadText": ("policytargets._extract", "UnreadText"),
    "extract_plan": ("policytargets._extract", "extract_plan"),
    "dump_plan": ("policytargets._serialization", "dump_plan"),
    "evaluate": ("policytargets._evaluation", "evaluate"),
    "load_plan": ("policytargets._serialization", "load_plan"),
    "plan_from_dict": ("policytargets._serialization", "plan_from_dict"),
    "plan_from_frames": ("policytargets._frames", "plan_from_frames"),
    "plan_json_schema": ("policytargets._serialization", "plan_json_schema"),
    "plan_to_dict": ("policytargets._serialization", "plan_to_dict"),
    "plan_to_frames": ("policytargets._frames", "plan_to_frames"),
    "plotting": ("policytargets.plotting", None),
    "read_milestones": ("policytargets._report", "read_milestones"),
    "read_observations": ("policytargets._observations", "read_observations"),
    "report": ("policytargets._report", "report"),
    "required_amount": ("policytargets._derived", "required_amount"),
    "taicang2022": ("policytargets.taicang2022", None),
    "threshold_in": ("policytargets._derived", "threshold_in"),
    "validate_observations": ("policytargets._evaluation.prepare", "validate_observations"),
    "write_results": ("policytargets._evaluation.writing", "write_results"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'policytargets' has no attribute {name!r}") from None
    value = import_module(module)
    if attribute is not None:
        value = getattr(value, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
