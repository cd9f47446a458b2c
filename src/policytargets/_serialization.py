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

import functools
import json
import re
from collections.abc import Callable, Mapping
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
    Approximately,
    AtLeast,
    AtMost,
    Between,
    Condition,
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
from ._periods import Period

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
    "maintained": Maintained,
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
    return float(value)


def _structure_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValueError("flag", "true or false", value)
    return value


def _structure_period(value: Any, _: Any) -> Period:
    # A YAML author writes `period: 2022` unquoted; a bare year is unambiguous.
    if isinstance(value, bool) or not isinstance(value, str | int):
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


def _model_hook(converter: cattrs.Converter, cls: type) -> Callable[[Any, Any], Any]:
    from cattrs.gen import make_dict_structure_fn

    inner: list[Callable[[Any, Any], Any]] = []

    def structure(data: Any, _: Any) -> Any:
        if not isinstance(data, Mapping):
            raise InvalidValueError(cls.__name__, f"a mapping of {cls.__name__} fields", data)
        if not inner:  # built on first use: Goal refers to itself
            inner.append(make_dict_structure_fn(cls, converter))
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
        if not isinstance(data, Mapping):
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


def _message(exc: BaseException) -> str:
    if isinstance(exc, DuplicateIdError):
        return f"id {exc.duplicate!r} is used twice; expected {exc.expected}"
    if isinstance(exc, UnknownIdError):
        return str(exc)
    if isinstance(exc, InvalidValueError):
        return f"expected {exc.expected}, received {exc.received!r}"
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


def _from_data(data: Any, source: str) -> Plan:
    if not isinstance(data, Mapping):
        raise PlanFileError(
            source, (("", f"expected a mapping of plan fields, received {type(data).__name__}"),)
        )
    version = data.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise PlanFileError(
            source,
            (("format_version", f"expected {FORMAT_VERSION}, received {version!r}"),),
        )
    body = {k: v for k, v in data.items() if k != "format_version"}
    try:
        plan: Plan = _converter().structure(body, Plan)
    except (ClassValidationError, IterableValidationError, PolicyTargetsError) as exc:
        raise PlanFileError(source, tuple(problems_of(exc))) from None
    return plan


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

        text: str = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        return text
    raise InvalidValueError("plan format", "'json' or 'yaml'", fmt)


def _format_of(path: Path) -> str:
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise PlanFileError(
            str(path),
            (("", f"unknown file type {path.suffix!r}; expected .json, .yaml or .yml"),),
        )
    return fmt


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys; a value silently lost is a bug in the file.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"key {key!r} appears twice in one object")
        result[key] = value
    return result


@functools.cache
def _yaml_loader() -> type:
    """PyYAML's SafeLoader (no tags, no code), refusing a key repeated in one mapping."""
    import yaml

    class StrictSafeLoader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if isinstance(key, str) and key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key!r} appears twice in one mapping", key_node.start_mark
                    )
                seen.add(key)
            result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
            return result

    return StrictSafeLoader


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def load_plan(path: str | Path) -> Plan:
    """Read a plan from a ``.json``, ``.yaml`` or ``.yml`` file (YAML is read safely).

    Raises:
        PlanFileError: the file is missing, unreadable, not valid JSON/YAML
            (with the line), or does not describe a valid plan (every bad
            field, each with its path inside the file).
    """
    source = Path(path)
    fmt = _format_of(source)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanFileError(str(source), (("", "no such file"),)) from None
    except UnicodeDecodeError as exc:
        raise PlanFileError(str(source), (("", f"not UTF-8 text ({exc.reason})"),)) from None
    except OSError as exc:
        raise PlanFileError(str(source), (("", exc.strerror or str(exc)),)) from None
    return _from_data(_parse(text, fmt, str(source)), str(source))


def _parse(text: str, fmt: str, source: str) -> Any:
    if fmt == "json":
        try:
            return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}"
            raise PlanFileError(source, ((where, f"invalid JSON: {exc.msg}"),)) from None
        except ValueError as exc:
            raise PlanFileError(source, (("", f"invalid JSON: {exc}"),)) from None
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())  # a SafeLoader: no tags, no code
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = "" if mark is None else f"line {mark.line + 1}, column {mark.column + 1}"
        problem = exc.problem or exc.context or "syntax error"
        raise PlanFileError(source, ((where, f"invalid YAML: {problem}"),)) from None
    except yaml.YAMLError as exc:
        raise PlanFileError(source, (("", f"invalid YAML: {exc}"),)) from None


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
        if cls is Maintained and a.name == "condition":
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
    if cls is Approximately:
        result["oneOf"] = [{"required": ["abs_tol"]}, {"required": ["rel_tol"]}]
    return result


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of plan files, as shipped in ``plan.schema.json``."""
    defs: dict[str, Any] = {}
    for cls in _MODEL_CLASSES[1:]:
        defs[cls.__name__] = _class_schema(cls)
    simple = [tag for tag in CONDITION_TYPES if tag != "maintained"]
    for tag, cls in CONDITION_TYPES.items():
        defs[cls.__name__] = _class_schema(cls, tag)
    defs["SimpleCondition"] = {
        "description": "A condition other than maintained.",
        "oneOf": [{"$ref": f"#/$defs/{CONDITION_TYPES[t].__name__}"} for t in simple],
    }
    defs["Condition"] = {
        "description": "What the observed value must satisfy, tagged by its type.",
        "oneOf": [
            {"$ref": "#/$defs/SimpleCondition"},
            {"$ref": "#/$defs/Maintained"},
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
