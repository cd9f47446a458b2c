"""Plan files: plans as plain dicts, JSON and YAML, through one cattrs converter.

The file format is the model's own shape with a few readable choices:
conditions are a tagged union (``{"type": "at_least", "value": 96.8}``),
enums are their lowercase values, periods their text (``"2022"``), dates ISO,
and fields at their default are left out. A ``format_version`` key comes
first. Reading is strict: unknown keys, wrong types and invalid values are all
refused, every one of them at once, each with its path inside the file
(``goals[2].targets[0].condition.value``).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import re
import reprlib
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast, get_args, get_origin

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from ._conditions import (
    AbsoluteChange,
    AnnualGrowth,
    Approximately,
    AtLeast,
    AtMost,
    Between,
    Condition,
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
    DuplicateIdError,
    InvalidValueError,
    PlanFileError,
    PolicyTargetsError,
    UnitParseError,
    UnknownIdError,
)
from ._labels import Label
from ._model import (
    Baseline,
    Goal,
    Indicator,
    Milestone,
    Plan,
    SourceClause,
    Target,
    indicator_differences,
)
from ._owners import Owner, Responsibility
from ._periods import ACCEPTED_FORMS as PERIOD_FORMS
from ._periods import TEXT_PATTERN as PERIOD_TEXT_PATTERN
from ._periods import FiscalYear, Period, fiscal_year_in_force
from ._units import check_unit_definitions, using_scope

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "FORMAT_VERSION",
    "dump_plan",
    "load_plan",
    "plan_from_dict",
    "plan_json_schema",
    "plan_to_dict",
]

#: The version of the file format :func:`dump_plan` writes and :func:`load_plan` reads.
FORMAT_VERSION = 1

#: The condition classes by their ``type`` tag in files.
CONDITION_TYPES: dict[str, type[Condition]] = {
    "at_least": AtLeast,
    "more_than": MoreThan,
    "at_most": AtMost,
    "less_than": LessThan,
    "point": Point,
    "approximately": Approximately,
    "between": Between,
    "relative_change": RelativeChange,
    "improve": Improve,
    "zero": Zero,
    "annual_growth": AnnualGrowth,
    "absolute_change": AbsoluteChange,
    "maintained": Maintained,
    "every_year": EveryYear,
}
_CONDITION_TAGS = {cls: tag for tag, cls in CONDITION_TYPES.items()}

#: Model classes that files contain, in the order the schema lists them.
_MODEL_CLASSES: tuple[type, ...] = (
    Plan,
    Goal,
    Target,
    Milestone,
    Indicator,
    Owner,
    Responsibility,
    Baseline,
    SourceClause,
    Label,
    FiscalYear,
)

_SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


class _Located(Exception):
    """A problem found below the object being built, at a known relative path."""

    def __init__(self, suffix: str, message: str) -> None:
        super().__init__(message)
        self.suffix = suffix
        self.message = message


# --- strict primitive hooks: data is never coerced -------------------------------------------


def _structure_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise InvalidValueError("text", "text", value)
    return value


def _structure_float(value: Any, _: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValueError("number", "a number", value)
    try:
        return float(value)
    except OverflowError:  # an integer of hundreds of digits
        raise InvalidValueError("number", "a number within float range", value) from None


def _structure_int(value: Any, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValueError("integer", "a whole number", value)
    return value


def _structure_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValueError("flag", "true or false", value)
    return value


def _structure_period(value: Any, _: Any) -> Period:
    # A YAML author writes `period: 2022` unquoted; a bare year is unambiguous.
    if (
        isinstance(value, bool)
        or not isinstance(value, str | int)
        or (isinstance(value, int) and not 1 <= value <= 9999)
    ):
        raise InvalidValueError("Period", "a period such as '2022' or '2022-Q1'", value)
    return Period.parse(value)


def _structure_date(value: Any, _: Any) -> date:
    # YAML reads an unquoted 2022-06-02 as a date already.
    if isinstance(value, date) and type(value) is date:
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidValueError("date", "an ISO date such as '2022-06-02'", value)


def _enum_value(member: Enum) -> Any:
    return member.value


def _structure_enum(value: Any, cls: type[Enum]) -> Enum:
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            pass
    values = ", ".join(repr(m.value) for m in cls)
    raise InvalidValueError(cls.__name__, f"one of {values}", value)


def _is_optional(kind: Any) -> bool:
    import types

    args = get_args(kind)
    return get_origin(kind) is types.UnionType and len(args) == 2 and type(None) in args


def _optional_hook_factory(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    (inner,) = [a for a in get_args(kind) if a is not type(None)]
    inner_hook = converter.get_structure_hook(inner)

    def structure(value: Any, _: Any) -> Any:
        # `null` (or YAML's empty value) is not "none": a key with no value is
        # usually a slip, and the file states "none" by leaving the key out.
        if value is None:
            raise InvalidValueError(
                getattr(inner, "__name__", str(inner)),
                "a value; leave the key out where there is none",
                value,
            )
        return inner_hook(value, inner)

    return structure


def _is_tuple_of(kind: Any) -> bool:
    args = get_args(kind)
    return get_origin(kind) is tuple and len(args) == 2 and args[1] is ...


def _tuple_hook_factory(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    args = get_args(kind)
    item_type = args[0]
    item_hook = converter.get_structure_hook(item_type)

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        # A string is iterable but is never a list of things.
        if not isinstance(value, list | tuple):
            raise InvalidValueError("list", "a list", value)
        items: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(item_hook(item, item_type))
            except Exception as exc:
                exc.add_note(IterableValidationNote(f"item {index}", index, item_type))
                errors.append(exc)
        if errors:
            raise IterableValidationError("While structuring a list", errors, tuple)
        return tuple(items)

    return structure


# --- model classes: every bad field of an object at once -------------------------------------


def _field_of(cls: type, where: str) -> tuple[str, int | None] | None:
    """The field (and index) an InvalidValueError's ``where`` names, if it is one of ``cls``."""
    match = re.search(r"\.([A-Za-z_]\w*)(?:\[(\d+)\])?(?:\s|$)", where)
    if match is None:
        return None
    names = {a.name for a in attrs.fields(cls) if a.init}
    if match[1] not in names:
        return None
    return match[1], None if match[2] is None else int(match[2])


def _note(exc: Exception, cls: type, name: str, index: int | None = None) -> Exception:
    if index is not None:
        exc.add_note(IterableValidationNote(f"item {index}", index, Any))
        exc = IterableValidationError("While structuring a list", [exc], tuple)
    exc.add_note(AttributeValidationNote(f"Structuring {cls.__name__} @ {name}", name, Any))
    return exc


def _field_problems(
    converter: cattrs.Converter, cls: type, data: Mapping[str, Any], skip: set[str]
) -> list[Exception]:
    """Run each field's validator on its own, so one object's bad fields all show.

    attrs stops at the first failing validator (and cattrs never calls the
    constructor once a field failed to structure); this builds a stand-in
    instance from the fields that did structure and asks every validator.
    """
    fields = [a for a in attrs.fields(cls) if a.init]
    stand_in: Any = object.__new__(cls)
    given: list[Any] = []
    for a in fields:
        if a.name in skip:
            continue
        if a.name in data:
            try:
                value = converter.structure(data[a.name], a.type)
                if a.converter is not None and callable(a.converter):
                    value = a.converter(value)
            except Exception:  # reported by cattrs already
                continue
            object.__setattr__(stand_in, a.name, value)
            given.append(a)
        elif isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
            if not a.default.takes_self:
                object.__setattr__(stand_in, a.name, a.default.factory())
        elif a.default is not attrs.NOTHING:
            object.__setattr__(stand_in, a.name, a.default)
    errors: list[Exception] = []
    for a in given:
        if a.validator is None:
            continue
        try:
            a.validator(stand_in, a, getattr(stand_in, a.name))
        except PolicyTargetsError as exc:
            located = _field_of(cls, getattr(exc, "where", ""))
            index = located[1] if located and located[0] == a.name else None
            errors.append(_note(exc, cls, a.name, index))
        except Exception:  # needs a field that failed to structure, reported already
            pass
    return errors


def _plan_reference_problems(plan_goals: tuple[Goal, ...], owners: tuple[Owner, ...]) -> list[Any]:
    """Every duplicate id and unknown owner reference of a plan, each with its path."""
    problems: list[Exception] = []
    owner_ids: set[str] = set()
    for i, owner in enumerate(owners):
        if owner.id in owner_ids:
            problems.append(_Located(f".owners[{i}].id", f"owner id {owner.id!r} is used twice"))
        owner_ids.add(owner.id)
    known = ", ".join(repr(o) for o in list(dict.fromkeys(o.id for o in owners))[:8])

    def check_owners(path: str, item: Goal | Target | Milestone) -> None:
        for j, r in enumerate(item.responsibilities):
            if r.owner not in owner_ids:
                problems.append(
                    _Located(
                        f"{path}.responsibilities[{j}].owner",
                        f"unknown owner {r.owner!r}; the plan's owners are {known or 'none'}",
                    )
                )

    seen: set[str] = set()

    def check_id(path: str, item_id: str) -> None:
        if item_id in seen:
            problems.append(_Located(f"{path}.id", f"id {item_id!r} is used twice in the plan"))
        seen.add(item_id)

    indicators: dict[str, tuple[str, Indicator]] = {}

    def check_indicator(path: str, indicator: Indicator) -> None:
        first_path, first = indicators.setdefault(indicator.id, (path, indicator))
        if first != indicator:
            problems.append(
                _Located(
                    f"{path}.indicator",
                    f"indicator {indicator.id!r} is defined differently at "
                    f"{first_path.lstrip('.')}.indicator "
                    f"({indicator_differences(first, indicator)}); "
                    "one indicator id needs one definition",
                )
            )

    def walk(path: str, goal: Goal) -> None:
        check_id(path, goal.id)
        check_owners(path, goal)
        for j, target in enumerate(goal.targets):
            check_id(f"{path}.targets[{j}]", target.id)
            check_indicator(f"{path}.targets[{j}]", target.indicator)
            check_owners(f"{path}.targets[{j}]", target)
        for j, milestone in enumerate(goal.milestones):
            check_id(f"{path}.milestones[{j}]", milestone.id)
            check_owners(f"{path}.milestones[{j}]", milestone)
        for j, child in enumerate(goal.goals):
            walk(f"{path}.goals[{j}]", child)

    for i, goal in enumerate(plan_goals):
        walk(f".goals[{i}]", goal)
    for i, owner in enumerate(owners):
        for j, member in enumerate(owner.members):
            if member not in owner_ids:
                problems.append(_Located(f".owners[{i}].members[{j}]", f"unknown owner {member!r}"))
    return problems


def _one_source(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """Read the 0.1 form ``source: {section, text}`` as ``sources: [{section, text}]``."""
    problem = None
    if "sources" in data:
        problem = InvalidValueError(
            "source", "either source (one clause) or sources, not both", data["source"]
        )
    elif not isinstance(data["source"], Mapping):
        problem = InvalidValueError(
            "source", "one clause, a mapping such as {section: ..., text: ...}", data["source"]
        )
    if problem is not None:
        raise ClassValidationError(
            "While structuring an item", [_note(problem, Target, "source")], Target
        )
    rest = {k: v for k, v in data.items() if k != "source"}
    return {**rest, "sources": [data["source"]]}


def _model_hook(converter: cattrs.Converter, cls: type) -> Callable[[Any, Any], Any]:
    from cattrs.gen import make_dict_structure_fn

    inner: list[Callable[[Any, Any], Any]] = []

    def structure(data: Any, _: Any) -> Any:
        if type(data) is not dict and not isinstance(data, Mapping):  # dict: the fast path
            raise InvalidValueError(cls.__name__, f"a mapping of {cls.__name__} fields", data)
        if not inner:  # built on first use: Goal refers to itself
            inner.append(make_dict_structure_fn(cls, converter))
        if cls in (Target, Milestone) and "source" in data:
            data = _one_source(data)
        try:
            return inner[0](data, cls)
        except ClassValidationError as exc:
            refined = _refine(converter, cls, data, exc)
            if refined is exc:
                raise
            raise refined from None

    return structure


def _refine(
    converter: cattrs.Converter, cls: type, data: Mapping[str, Any], exc: ClassValidationError
) -> ClassValidationError:
    """Add every bad field cattrs could not see: one error per field, with field notes."""
    with_notes, without = exc.group_exceptions()
    message = f"While structuring {cls.__name__}"
    if with_notes or len(without) != 1 or not isinstance(without[0], PolicyTargetsError):
        # Fields failed to structure, so the constructor never ran its validators.
        failed = {note.name for _, note in with_notes}
        extra = _field_problems(converter, cls, data, failed)
        return ClassValidationError(message, [*exc.exceptions, *extra], cls) if extra else exc
    error = without[0]
    problems = _field_problems(converter, cls, data, set())
    if not problems and cls is Plan:
        plan_goals = converter.structure(data.get("goals", []), tuple[Goal, ...])
        owners = converter.structure(data.get("owners", []), tuple[Owner, ...])
        problems = _plan_reference_problems(plan_goals, owners)
    if problems:
        return ClassValidationError(message, problems, cls)
    located = _field_of(cls, getattr(error, "where", ""))
    if located is not None:
        return ClassValidationError(message, [_note(error, cls, *located)], cls)
    return exc


# --- conditions: a tagged union --------------------------------------------------------------


def _condition_hooks(
    converter: cattrs.Converter,
) -> tuple[Callable[[Any, Any], Condition], Callable[[Condition], dict[str, Any]]]:
    from cattrs.gen import make_dict_unstructure_fn

    structurers = {tag: _model_hook(converter, cls) for tag, cls in CONDITION_TYPES.items()}
    # Built on first use, once this hook is registered: Maintained holds a Condition.
    unstructurers: dict[type, Callable[[Any], dict[str, Any]]] = {}
    tags = ", ".join(repr(t) for t in CONDITION_TYPES)

    def structure(data: Any, _: Any) -> Condition:
        if type(data) is not dict and not isinstance(data, Mapping):
            raise InvalidValueError(
                "Condition", "a mapping such as {type: at_least, value: 96.8}", data
            )
        tag = data.get("type")
        if tag not in structurers:
            error: Exception = (
                KeyError("type") if "type" not in data else InvalidValueError("type", tags, tag)
            )
            raise ClassValidationError(
                "While structuring a condition", [_note(error, Condition, "type")], Condition
            )
        rest = {k: v for k, v in data.items() if k != "type"}
        result: Condition = structurers[tag](rest, CONDITION_TYPES[tag])
        return result

    def unstructure(condition: Condition) -> dict[str, Any]:
        cls = type(condition)
        if cls not in unstructurers:
            unstructurers[cls] = make_dict_unstructure_fn(
                cls, converter, _cattrs_omit_if_default=True
            )
        body: dict[str, Any] = unstructurers[cls](condition)
        return {"type": _CONDITION_TAGS[type(condition)], **body}

    return structure, unstructure


@functools.cache
def _converter() -> cattrs.Converter:
    """The one converter between plans and plain data, built on first use."""
    import cattrs
    from cattrs.gen import make_dict_unstructure_fn

    converter = cattrs.Converter(
        omit_if_default=True,
        forbid_extra_keys=True,
        detailed_validation=True,
        unstruct_collection_overrides={tuple: list},
    )
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(int, _structure_int)
    # Dispatch follows the MRO, where a StrEnum is a str before it is an Enum.
    converter.register_structure_hook(StrEnum, _structure_enum)
    converter.register_structure_hook(Enum, _structure_enum)
    converter.register_unstructure_hook(StrEnum, _enum_value)
    converter.register_unstructure_hook(Enum, _enum_value)
    converter.register_structure_hook(Period, _structure_period)
    converter.register_unstructure_hook(Period, str)
    converter.register_structure_hook(date, _structure_date)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook_factory(_is_tuple_of, cast(Any, _tuple_hook_factory))
    converter.register_structure_hook_factory(_is_optional, cast(Any, _optional_hook_factory))
    for cls in CONDITION_TYPES.values():
        attrs.resolve_types(cast(Any, cls))
    structure_condition, unstructure_condition = _condition_hooks(converter)
    converter.register_structure_hook(Condition, structure_condition)
    # Dispatch follows the MRO, so this serves every condition class and the Condition fields.
    converter.register_unstructure_hook(Condition, unstructure_condition)
    # Unstructure functions resolve their field hooks when made: register leaves first.
    for cls in reversed(_MODEL_CLASSES):
        attrs.resolve_types(cast(Any, cls))
        converter.register_structure_hook(cls, _model_hook(converter, cls))
        converter.register_unstructure_hook(
            cls, make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True)
        )
    return converter


# --- errors ---------------------------------------------------------------------------------


_shown = reprlib.Repr()
_shown.maxstring = _shown.maxother = 160
_shown.maxlevel = 3


def _message(exc: BaseException) -> str:
    if isinstance(exc, DuplicateIdError):
        return f"id {exc.duplicate!r} is used twice; expected {exc.expected}"
    if isinstance(exc, UnknownIdError):
        return str(exc)
    if isinstance(exc, InvalidValueError):
        return f"expected {exc.expected}, received {_shown.repr(exc.received)}"
    if isinstance(exc, PolicyTargetsError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required key missing"
    return f"{type(exc).__name__}: {exc}"


def _allowed_keys(cls: type) -> list[str]:
    keys = [a.name for a in attrs.fields(cls) if a.init]
    if issubclass(cls, Condition):
        keys.insert(0, "type")
    if cls is Plan:
        keys.insert(0, "format_version")
    return keys


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def problems_of(exc: BaseException, path: str = "") -> list[tuple[str, str]]:
    """Flatten a cattrs error tree into ``(location, message)`` pairs."""
    if isinstance(exc, IterableValidationError):
        out: list[tuple[str, str]] = []
        notes, others = exc.group_exceptions()
        for sub, note in notes:
            out.extend(problems_of(sub, f"{path}[{note.index}]"))
        for sub in others:
            out.extend(problems_of(sub, path))
        return out
    if isinstance(exc, ClassValidationError):
        out = []
        cnotes, others = exc.group_exceptions()
        for sub, cnote in cnotes:
            out.extend(problems_of(sub, _join(path, cnote.name)))
        for sub in others:
            out.extend(problems_of(sub, path))
        return out
    if isinstance(exc, ForbiddenExtraKeysError):
        allowed = ", ".join(_allowed_keys(exc.cl))
        return [
            (_join(path, str(key)), f"unknown key; expected one of {allowed}")
            for key in sorted(exc.extra_fields, key=str)
        ]
    if isinstance(exc, _Located):
        return [((path + exc.suffix).lstrip("."), exc.message)]
    return [(path, _message(exc))]


# --- public API -----------------------------------------------------------------------------


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """A plan as plain data (dicts, lists, text, numbers, booleans), ready for JSON or YAML.

    The first key is ``format_version``; fields at their default are left out.
    """
    if not isinstance(plan, Plan):
        raise InvalidValueError("plan_to_dict", "a Plan", plan)
    body: dict[str, Any] = _converter().unstructure(plan, Plan)
    return {"format_version": FORMAT_VERSION, **body}


def _from_data(data: Any, source: str, *, checked_depth: bool = False) -> Plan:
    if not isinstance(data, Mapping):
        raise PlanFileError(
            source, (("", f"expected a mapping of plan fields, received {type(data).__name__}"),)
        )
    if not checked_depth:
        path = _too_deep(data)
        if path is not None:
            raise PlanFileError(source, ((path, f"nested more than {MAX_DEPTH} levels deep"),))
    version = data.get("format_version", FORMAT_VERSION)
    if type(version) is not int or version != FORMAT_VERSION:
        raise PlanFileError(
            source,
            (("format_version", f"expected {FORMAT_VERSION}, received {version!r}"),),
        )
    body = {k: v for k, v in data.items() if k != "format_version"}
    # The plan's own units: read first, so that its indicators are built (and
    # remember them) within the plan's unit scope and no other plan sees them.
    units = _plan_units(body.get("units", ()), source)
    # Likewise its fiscal year, so that its periods may say FY2022; a bad one
    # is reported with the other problems when the plan itself is built.
    fiscal: FiscalYear | None = None
    if isinstance(body.get("fiscal_year"), Mapping):
        try:
            fiscal = _converter().structure(body["fiscal_year"], FiscalYear)
        except (ClassValidationError, IterableValidationError, PolicyTargetsError):
            fiscal = None
    try:
        with _collector_paused(), using_scope(units), fiscal_year_in_force(fiscal):
            plan: Plan = _converter().structure(body, Plan)
    except (ClassValidationError, IterableValidationError, PolicyTargetsError) as exc:
        raise PlanFileError(source, tuple(problems_of(exc))) from None
    return plan


def _plan_units(lines: Any, source: str) -> tuple[str, ...]:
    if not isinstance(lines, list | tuple) or not all(isinstance(x, str) for x in lines):
        raise PlanFileError(
            source,
            (("units", f"expected a list of unit definitions (text), received {lines!r}"),),
        )
    try:
        return check_unit_definitions(lines)
    except UnitParseError as exc:
        # Lines are defined in order, so the first bad one is the one to name.
        index = next((i for i, x in enumerate(lines) if x.strip() == exc.text), None)
        where = "units" if index is None else f"units[{index}]"
        raise PlanFileError(source, ((where, f"not a unit definition: {exc.reason}"),)) from None


def plan_from_dict(data: Mapping[str, Any]) -> Plan:
    """Build a plan from plain data as :func:`plan_to_dict` writes it.

    Raises:
        PlanFileError: listing every bad field at once, each with its path
            (``goals[2].targets[0].condition.value``); the error's ``path`` is
            ``"<dict>"``.
    """
    return _from_data(data, "<dict>")


def dump_plan(plan: Plan, path: str | Path) -> None:
    """Write a plan to a ``.json``, ``.yaml`` or ``.yml`` file (UTF-8, Chinese kept readable).

    Raises:
        PlanFileError: the suffix is not one of those.
    """
    target = Path(path)
    text = dumps_plan(plan, _format_of(target))
    target.write_text(text, encoding="utf-8")


def dumps_plan(plan: Plan, fmt: str) -> str:
    """A plan as JSON or YAML text (``fmt`` is ``"json"`` or ``"yaml"``)."""
    data = plan_to_dict(plan)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if fmt == "yaml":
        import yaml

        text: str = yaml.dump(
            data, Dumper=_yaml_dumper(), allow_unicode=True, sort_keys=False, width=100
        )
        return text
    raise InvalidValueError("plan format", "'json' or 'yaml'", fmt)


#: Why a table of targets cannot be read back as a plan.
CSV_IS_ONE_WAY = (
    "a CSV of targets (policytargets export --format csv) is one-way: it has no goal "
    "tree, owner registry or plan metadata to rebuild a plan from; keep the plan as "
    ".yaml or .json (policytargets export --format yaml) and read that"
)


@functools.cache
def _yaml_dumper() -> type:
    r"""PyYAML's SafeDumper, writing text with YAML 1.1 line breaks as escapes.

    Written raw, U+0085, U+2028 and U+2029 would be line breaks to a YAML 1.1
    reader and ordinary characters to :func:`load_plan`; in double quotes they
    are escaped (``\N``, ``\L``, ``\P``) and read back the same by both.
    """
    import yaml

    class Dumper(yaml.SafeDumper):
        def represent_str(self, data: str) -> Any:
            if any(c in data for c in _YAML_11_BREAKS):
                return self.represent_scalar("tag:yaml.org,2002:str", data, style='"')
            return super().represent_str(data)

    Dumper.add_representer(str, Dumper.represent_str)
    return Dumper


def _format_of(path: Path) -> str:
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None and path.suffix.lower() == ".csv":
        raise PlanFileError(str(path), (("", f"{CSV_IS_ONE_WAY}; expected .json, .yaml or .yml"),))
    if fmt is None:
        raise PlanFileError(
            str(path),
            (("", f"unknown file type {path.suffix!r}; expected .json, .yaml or .yml"),),
        )
    return fmt


#: Limits on what a plan file may ask of the reader (see the file-format reference).
MAX_FILE_BYTES = 256 * 2**20
#: Containers (mappings and lists) nested deeper than this are refused; a plan needs about 20.
MAX_DEPTH = 64
#: YAML aliases may repeat at most this many nodes, or as many as the file writes out if more.
ALIAS_NODE_BUDGET = 10_000


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys; a value silently lost is a bug in the file.
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"key {key!r} appears twice in one object")
            seen.add(key)
    return result


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a plan's many small objects are made.

    Reading builds hundreds of thousands of objects that all stay alive; each
    collection walks all of them again, which made loading quadratic (a 5,000-
    target YAML plan spent 85 % of its time in the collector). Nothing made
    here is cyclic garbage, so nothing is lost by collecting afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# YAML 1.1 also breaks lines at NEL, LS and PS and folds them into spaces; JSON and
# YAML 1.2 take them as ordinary characters. Text in a plan is kept exact: they are
# swapped for private-use characters the file does not contain before parsing, and
# swapped back in every string after.
_YAML_11_BREAKS = ("\x85", "\u2028", "\u2029")


class _YamlUnprotectable(Exception):
    """A file that uses every private-use character and a YAML 1.1 line break."""


def _protect_breaks(text: str) -> tuple[str, dict[str, str]]:
    present = [c for c in _YAML_11_BREAKS if c in text]
    if not present:
        return text, {}
    # The private-use areas: 137,000 characters, which no file of plan text uses up.
    areas = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))
    stand_ins = (chr(c) for area in areas for c in area if chr(c) not in text)
    restore: dict[str, str] = {}
    for char in present:
        stand_in = next(stand_ins, None)
        if stand_in is None:
            raise _YamlUnprotectable
        text = text.replace(char, stand_in)
        restore[stand_in] = char
    return text, restore


def _yaml_where(node: Any) -> str:
    mark = node.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}"


class _YamlRefused(Exception):
    """A YAML document the reader will not build, with the node where it stopped."""

    def __init__(self, node: Any, message: str) -> None:
        super().__init__(message)
        self.where = _yaml_where(node)
        self.message = message


_YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(
    _YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)


def _expanded(node: Any, memo: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """The mappings and lists a node stands for with its aliases expanded, and their depth.

    Memoised by node, so an alias bomb is measured without being expanded.
    """
    from yaml import MappingNode, ScalarNode

    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        if id(current) in memo:
            continue
        pairs = current.value if isinstance(current, MappingNode) else [current.value]
        children = [c for pair in pairs for c in pair if not isinstance(c, ScalarNode)]
        if children_done:
            sizes = [memo[id(c)] for c in children]
            memo[id(current)] = (
                1 + sum(size for size, _ in sizes),
                1 + max((height for _, height in sizes), default=0),
            )
        else:
            stack.append((current, True))
            stack.extend((c, False) for c in children if id(c) not in memo)
    return memo[id(node)]


def _yaml_data(root: Any, constructor: Any, restore: Mapping[str, str]) -> Any:
    """Plain data from a composed YAML node graph, checking what a plan file may contain.

    One pass, without recursion: keys are scalars (text), never lists or
    mappings, and never repeated in one mapping; containers nest at most
    :data:`MAX_DEPTH` deep (counting through aliases); an alias never refers to
    a node that contains it, and aliases repeat at most
    :data:`ALIAS_NODE_BUDGET` mappings and lists (or as many as the file writes
    out, if more), so an alias bomb is refused before it grows; only the plain
    YAML types are built (no tag makes an object). Problems a reader can fix
    one by one (keys, tags) are all listed at once.
    """
    from yaml import MappingNode, ScalarNode

    str_tag, map_tag, seq_tag, merge_tag = (
        _YAML_TAG + name for name in ("str", "map", "seq", "merge")
    )
    constructors = constructor.yaml_constructors
    problems: list[tuple[str, str]] = []
    built: dict[int, Any] = {}  # id(node) -> its object, for aliases
    open_ids: set[int] = set()  # nodes still being built: an alias to one is a cycle
    memo: dict[int, tuple[int, int]] = {}
    repeated = 0

    def scalar(node: Any) -> Any:
        tag = node.tag
        if tag == str_tag:
            value: str = node.value
            for stand_in, char in restore.items():
                value = value.replace(stand_in, char)
            return value
        if tag in _SCALAR_TAGS:
            return constructors[tag](constructor, node)
        problems.append((_yaml_where(node), f"invalid YAML: the tag {tag!r} is not allowed"))
        return None

    def alias(node: Any, depth: int) -> Any:
        nonlocal repeated
        if id(node) in open_ids:
            raise _YamlRefused(node, "an alias inside this anchored node refers to the node itself")
        size, height = _expanded(node, memo)
        repeated += size
        budget = max(ALIAS_NODE_BUDGET, len(built))
        if repeated > budget:
            raise _YamlRefused(
                node,
                f"aliases of this anchor take the file over {budget} repeated mappings "
                "and lists (an alias bomb?); write the repeated parts out",
            )
        if depth + height > MAX_DEPTH:
            raise _YamlRefused(node, f"nested more than {MAX_DEPTH} levels deep")
        return built[id(node)]

    def open_(node: Any, depth: int) -> list[Any]:
        if depth > MAX_DEPTH:
            raise _YamlRefused(node, f"nested more than {MAX_DEPTH} levels deep")
        is_map = isinstance(node, MappingNode)
        if node.tag != (map_tag if is_map else seq_tag):
            problems.append(
                (_yaml_where(node), f"invalid YAML: the tag {node.tag!r} is not allowed")
            )
        result: Any = {} if is_map else []
        built[id(node)] = result
        open_ids.add(id(node))
        # node, its object (filled in place), next item, depth, merge keys and values
        return [node, result, 0, depth, []]

    if isinstance(root, ScalarNode):
        return scalar(root)
    stack = [open_(root, 1)]
    data = stack[0][1]
    while stack:
        frame = stack[-1]
        node, result, index, depth, merges = frame
        items = node.value
        count = len(items)
        child: list[Any] | None = None
        if type(result) is list:
            while index < count:
                item = items[index]
                index += 1
                if type(item) is ScalarNode:
                    result.append(
                        item.value if item.tag == str_tag and not restore else scalar(item)
                    )
                elif id(item) in built:
                    result.append(alias(item, depth))
                else:
                    child = open_(item, depth + 1)
                    result.append(child[1])
                    break
        else:
            while index < count:
                key_node, value_node = items[index]
                index += 1
                if type(key_node) is not ScalarNode:
                    kind = "mapping" if isinstance(key_node, MappingNode) else "list"
                    problems.append(
                        (_yaml_where(key_node), f"a key must be text; found a {kind} used as a key")
                    )
                    continue
                if type(value_node) is ScalarNode:
                    if value_node.tag == str_tag and not restore:
                        value = value_node.value
                    else:
                        value = scalar(value_node)
                elif id(value_node) in built:
                    value = alias(value_node, depth)
                else:
                    child = open_(value_node, depth + 1)
                    value = child[1]
                if key_node.tag == merge_tag:  # `<<: *defaults`, merged when complete
                    merges.append((key_node, value))
                else:
                    key = (
                        key_node.value
                        if key_node.tag == str_tag and not restore
                        else scalar(key_node)
                    )
                    if key in result:
                        problems.append(
                            (_yaml_where(key_node), f"key {key!r} appears twice in one mapping")
                        )
                    result[key] = value
                if child is not None:
                    break
        frame[2] = index
        if child is not None:
            stack.append(child)
            continue
        stack.pop()
        open_ids.discard(id(node))
        for key_node, merged in merges:
            # Keys the mapping writes win over merged ones; earlier merged mappings win.
            sources = merged if isinstance(merged, list) else [merged]
            if not all(isinstance(m, dict) for m in sources):
                problems.append((_yaml_where(key_node), "invalid YAML: '<<' merges mappings only"))
                continue
            for source in sources:
                for key, value in source.items():
                    result.setdefault(key, value)
    if problems:
        raise _YamlProblems(problems)
    return data


class _YamlProblems(Exception):
    """Every key and tag problem of a YAML document, each at its line and column."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


@functools.cache
def _yaml_loader() -> type:
    """libyaml's C parser where PyYAML has it (else PyYAML's own), with the safe constructor.

    Only the parser and composer are used: :func:`_yaml_data` builds the data
    itself, so no tag can make an object and every check has the node's line.
    """
    import yaml

    base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return base


def _parse_yaml(text: str, source: str) -> Any:
    import yaml

    try:
        protected, restore = _protect_breaks(text)
    except _YamlUnprotectable:
        problem = "text with U+0085, U+2028 or U+2029 and every private-use character"
        raise PlanFileError(source, (("", f"cannot keep {problem} exact; use JSON"),)) from None
    loader = _yaml_loader()(protected)
    try:
        with _collector_paused():
            try:
                root = loader.get_single_node()
                return None if root is None else _yaml_data(root, loader, restore)
            finally:
                # Free the node graph before the collector runs again, or it walks it all.
                root = None
                loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = "" if mark is None else f"line {mark.line + 1}, column {mark.column + 1}"
        problem = exc.problem or exc.context or "syntax error"
        raise PlanFileError(source, ((where, f"invalid YAML: {problem}"),)) from None
    except yaml.YAMLError as exc:
        raise PlanFileError(source, (("", f"invalid YAML: {_one_line(str(exc))}"),)) from None
    except _YamlRefused as exc:
        raise PlanFileError(source, ((exc.where, exc.message),)) from None
    except RecursionError:  # PyYAML's pure-Python composer, where libyaml is missing
        raise PlanFileError(source, (("", f"nested more than {MAX_DEPTH} levels deep"),)) from None
    except _YamlProblems as exc:
        raise PlanFileError(source, tuple(exc.problems)) from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _json_position(text: str, limit: int) -> str:
    """The line and column where JSON text first nests deeper than ``limit``."""
    depth, line, column, in_string, escaped = 0, 1, 0, False, False
    for char in text:
        column += 1
        if char == "\n":
            line, column = line + 1, 0
        elif in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return f"line {line}, column {column}"
        elif char in "]}":
            depth -= 1
    return ""


_TOO_DEEP = object()


def _parse_json(text: str, source: str) -> Any:
    try:
        with _collector_paused():
            data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise PlanFileError(source, ((where, f"invalid JSON: {exc.msg}"),)) from None
    except RecursionError:
        data = _TOO_DEEP  # deeper than Python's own limit: located below
    except ValueError as exc:
        raise PlanFileError(source, (("", f"invalid JSON: {exc}"),)) from None
    if data is _TOO_DEEP or _too_deep(data) is not None:
        where = _json_position(text, MAX_DEPTH)
        if where or data is _TOO_DEEP:
            raise PlanFileError(source, ((where, f"nested more than {MAX_DEPTH} levels deep"),))
    return data


def _too_deep(data: Any) -> str | None:
    """The path of the first container nested deeper than :data:`MAX_DEPTH`, if any."""
    if not isinstance(data, Mapping | list | tuple):
        return None
    stack: list[tuple[Any, int]] = [(data, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        obj, level = pop()
        if level > MAX_DEPTH:
            break
        values = obj.values() if isinstance(obj, Mapping) else obj
        for value in values:
            if isinstance(value, Mapping | list | tuple):
                push((value, level + 1))
    else:
        return None
    # Found one: walk again, slowly, for its path.
    paths: list[tuple[Any, int, str]] = [(data, 1, "")]
    while paths:
        obj, level, path = paths.pop()
        if level > MAX_DEPTH:
            return path
        pairs = (
            ((f"{path}.{k}".lstrip("."), v) for k, v in obj.items())
            if isinstance(obj, Mapping)
            else ((f"{path}[{i}]", v) for i, v in enumerate(obj))
        )
        for sub, value in pairs:
            if isinstance(value, Mapping | list | tuple):
                paths.append((value, level + 1, sub))
    return ""  # pragma: no cover - the first walk found one


def _read_text(source: Path) -> str:
    try:
        size = source.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PlanFileError(
                str(source),
                (("", f"the file has {size} bytes; plan files are at most {MAX_FILE_BYTES}"),),
            )
        return source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanFileError(str(source), (("", "no such file"),)) from None
    except UnicodeDecodeError as exc:
        raise PlanFileError(str(source), (("", f"not UTF-8 text ({exc.reason})"),)) from None
    except OSError as exc:
        raise PlanFileError(str(source), (("", exc.strerror or str(exc)),)) from None


def load_plan(path: str | Path) -> Plan:
    """Read a plan from a ``.json``, ``.yaml`` or ``.yml`` file (YAML is read safely).

    Text is kept exact (YAML's line breaks U+0085, U+2028 and U+2029 inside
    text stay themselves, as in JSON). Files larger than 256 MiB, nested more
    than 64 levels deep, or (YAML) whose aliases would repeat more nodes than
    the file writes out are refused. A ``.csv`` written by ``policytargets
    export --format csv`` is a one-way table of targets: export YAML or JSON
    to read a plan back.

    Raises:
        PlanFileError: the file is missing, unreadable, not valid JSON/YAML
            (with the line and column), or does not describe a valid plan
            (every bad field, each with its path inside the file).
    """
    source = Path(path)
    fmt = _format_of(source)
    text = _read_text(source)
    data = _parse_json(text, str(source)) if fmt == "json" else _parse_yaml(text, str(source))
    return _from_data(data, str(source), checked_depth=True)


# --- JSON Schema ----------------------------------------------------------------------------


_PERIOD_PATTERN = PERIOD_TEXT_PATTERN


def _first_line(cls: type) -> str:
    return (cls.__doc__ or cls.__name__).strip().splitlines()[0]


def _schema_of(kind: Any, name: str) -> dict[str, Any]:
    import types

    origin = get_origin(kind)
    if origin is types.UnionType:
        (inner,) = [a for a in get_args(kind) if a is not type(None)]
        return _schema_of(inner, name)
    if origin is tuple:
        return {"type": "array", "items": _schema_of(get_args(kind)[0], name)}
    if kind is str:
        if name in ("id", "owner"):
            return {"type": "string", "minLength": 1}
        return {"type": "string"}
    if kind is float:
        return {"type": "number"}
    if kind is int:
        return {"type": "integer"}
    if kind is bool:
        return {"type": "boolean"}
    if kind is Period:
        return {
            "description": PERIOD_FORMS,
            "anyOf": [{"type": "string", "pattern": _PERIOD_PATTERN}, {"type": "integer"}],
        }
    if kind is date:
        return {"type": "string", "format": "date"}
    if isinstance(kind, type) and issubclass(kind, Enum):
        return {"enum": [m.value for m in kind]}
    if kind is Condition:
        return {"$ref": "#/$defs/Condition"}
    if isinstance(kind, type) and attrs.has(kind):
        return {"$ref": f"#/$defs/{kind.__name__}"}
    raise TypeError(f"no schema for {kind!r}")  # pragma: no cover - a model change


def _class_schema(cls: type, tag: str | None = None) -> dict[str, Any]:
    attrs.resolve_types(cast(Any, cls))
    properties: dict[str, Any] = {}
    required: list[str] = []
    if tag is not None:
        properties["type"] = {"const": tag}
        required.append("type")
    for a in attrs.fields(cls):
        if not a.init:
            continue
        schema = _schema_of(a.type, a.name)
        if cls in (Maintained, EveryYear) and a.name == "condition":
            schema = {"$ref": "#/$defs/SimpleCondition"}
        properties[a.name] = schema
        if a.default is attrs.NOTHING:
            required.append(a.name)
    result: dict[str, Any] = {
        "description": _first_line(cls),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if cls is Label:
        result["minProperties"] = 1
    if cls in (Target, Milestone):
        # The 0.1 form, one clause, is still read.
        properties["source"] = {
            "$ref": "#/$defs/SourceClause",
            "description": "One source clause: the 0.1 form of sources, still read.",
            "deprecated": True,
        }
        result["not"] = {"required": ["source", "sources"]}
    if cls is Approximately:
        result["oneOf"] = [{"required": ["abs_tol"]}, {"required": ["rel_tol"]}]
    return result


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of plan files, as shipped in ``plan.schema.json``."""
    defs: dict[str, Any] = {}
    for cls in _MODEL_CLASSES[1:]:
        defs[cls.__name__] = _class_schema(cls)
    wrappers = ("maintained", "every_year")
    simple = [tag for tag in CONDITION_TYPES if tag not in wrappers]
    for tag, cls in CONDITION_TYPES.items():
        defs[cls.__name__] = _class_schema(cls, tag)
    defs["SimpleCondition"] = {
        "description": "A condition other than maintained or every_year.",
        "oneOf": [{"$ref": f"#/$defs/{CONDITION_TYPES[t].__name__}"} for t in simple],
    }
    defs["Condition"] = {
        "description": "What the observed value must satisfy, tagged by its type.",
        "oneOf": [
            {"$ref": "#/$defs/SimpleCondition"},
            {"$ref": "#/$defs/Maintained"},
            {"$ref": "#/$defs/EveryYear"},
        ],
    }
    plan = _class_schema(Plan)
    plan["properties"] = {"format_version": {"const": FORMAT_VERSION}, **plan["properties"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://policytargets.readthedocs.io/en/latest/plan.schema.json",
        "title": "policytargets plan file",
        **plan,
        "$defs": defs,
    }
