"""The typed model: indicators, targets, milestones, goals and plans.

Every class is a frozen, slotted, keyword-only attrs class. Invariants are
checked when an object is built, so a Plan that exists is a valid plan: a
target's unit has its indicator's dimension, ranges are ordered, ids are
unique, and every owner a plan refers to is registered in it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import field, frozen

from ._conditions import Condition, Direction
from ._errors import DimensionMismatchError, DuplicateIdError, InvalidValueError, UnknownIdError
from ._labels import (
    Label,
    Lang,
    check_bool,
    check_id,
    check_instance,
    check_instances,
    check_optional_text,
    check_text,
    to_enum,
    to_tuple,
)
from ._owners import LeadRule, Owner, OwnerKind, Responsibility, Role
from ._periods import FiscalYear, Period, to_period

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Baseline",
    "Basis",
    "Goal",
    "Indicator",
    "IndicatorKind",
    "Milestone",
    "Plan",
    "Projection",
    "SourceClause",
    "Target",
    "Validity",
]


#: The functions that show and tabulate model objects, by name: ``repr``, ``html``,
#: ``targets_frame``, ``responsibility_matrix``. The presenting modules (``_display``,
#: ``_tables``) register theirs when the package imports them, so the arrows point from
#: presentation to the model, and the model imports none of them.
_PRESENTERS: dict[str, Callable[..., Any]] = {}


def register_presenter(name: str, function: Callable[..., Any]) -> None:
    """Make ``function`` the presenter called ``name`` (for the presenting modules)."""
    _PRESENTERS[name] = function


def _present(name: str, *args: Any, **kwargs: Any) -> Any:
    return _PRESENTERS[name](*args, **kwargs)


def _present_repr(obj: object) -> str:
    # A repr never fails, even before the presenters are registered.
    presenter = _PRESENTERS.get("repr")
    if presenter is None:
        return f"<{type(obj).__name__} {getattr(obj, 'id', '')!r}>"
    result: str = presenter(obj)
    return result


class IndicatorKind(StrEnum):
    """What an indicator measures, which fixes the dimension its unit may have."""

    RATE = "rate"
    """A share, numerator / denominator, shown in % (合格率, 覆盖率, 比例)."""
    COUNT = "count"
    """A number of things (个, 家, 项, 批次); a flow or a stock."""
    PER_CAPITA = "per_capita"
    """A count per N persons or per N units of a stock (批次/千人, 起/万台)."""
    INDEX = "index"
    """Points on a scale (满意度指数 80.40分); not a percentage."""
    AMOUNT = "amount"
    """A physical amount: area, time, money, mass (万平方米, 亩, 小时, 万元)."""
    INTENSITY = "intensity"
    """A ratio of two amounts (单位GDP能耗 吨标准煤/万元, 单位GDP二氧化碳排放 吨二氧化碳/万元):
    a level, like a rate, but with a physical unit; never per person (that is per-capita)."""


class Basis(StrEnum):
    """How a count or amount accumulates over a period."""

    FLOW = "flow"
    """Counted within the period (新增, 年新增, 完成); sub-period observations add up."""
    STOCK = "stock"
    """A level at the period's end (总数, 累计, 有效…数达到); the latest observation counts."""


class Projection(StrEnum):
    """How a flow observed over part of its period is carried to the period's end."""

    LINEAR = "linear"
    """In proportion to the time covered: evenly spread work (the default)."""
    NONE = "none"
    """Not at all: lumpy flows (awards announced once a year) are ``pending`` until
    they meet the target, never ``off_track``."""
    SAME_PERIOD = "same_period"
    """By the share the same sub-period had of the whole period a year before
    (同比): seasonal flows."""


class Validity(StrEnum):
    """Legal status of an issued document."""

    VALID = "valid"
    """有效: in force."""
    AMENDED = "amended"
    """已修改: in force as amended."""
    REPEALED = "repealed"
    """失效 / 废止: no longer in force."""


def _dimension_of(unit: str) -> str:
    from ._units import dimensionality

    return dimensionality(unit)


def _current_unit_scope() -> tuple[str, ...]:
    from ._units import current_unit_scope

    return current_unit_scope()


def _unit_definitions(value: Any) -> tuple[str, ...]:
    from ._errors import UnitParseError
    from ._units import check_unit_definitions

    if isinstance(value, str):
        value = (value,)
    value = to_tuple(value)
    if not all(isinstance(line, str) for line in value):
        raise InvalidValueError("Plan.units", "unit definitions as text, one a line", value)
    try:
        return check_unit_definitions(value)
    except UnitParseError as exc:
        raise InvalidValueError(
            "Plan.units", f"unit definitions in define_units syntax ({exc.reason})", exc.text
        ) from None


def _check_plan_units(plan: Plan, targets: list[Target]) -> None:
    """Every target's units must read with the plan's own units (and only those)."""
    from ._errors import UnitParseError
    from ._units import parse_unit, using_scope

    if not plan.units and not any(t.indicator._unit_scope for t in targets):
        return  # every unit was read with the library's registry alone
    with using_scope(plan.units):
        for target in targets:
            for where, unit in (("indicator.unit", target.indicator.unit), ("unit", target.unit)):
                try:
                    parse_unit(unit)
                except UnitParseError as exc:
                    raise InvalidValueError(
                        f"Target {target.id!r}.{where}",
                        f"a unit the library or the plan's own units define ({exc.reason})",
                        unit,
                    ) from None


def _indicator_kind(value: Any) -> IndicatorKind:
    return to_enum(IndicatorKind, "Indicator.kind", value)


def _direction(value: Any) -> Direction:
    return to_enum(Direction, "Indicator.direction", value)


def _validity(value: Any) -> Validity:
    return to_enum(Validity, "Plan.validity", value)


def _lead_rule(value: Any) -> LeadRule:
    return to_enum(LeadRule, "Plan.lead_rule", value)


def _optional_basis(value: Basis | str | None) -> Basis | None:
    return None if value is None else to_enum(Basis, "Indicator.basis", value)


def _projection(value: Projection | str | None) -> Projection:
    if value is None:
        return Projection.LINEAR
    return to_enum(Projection, "Indicator.projection", value)


def _check_unit(instance: object, attribute: Any, value: Any) -> None:
    from ._errors import UnitParseError
    from ._units import parse_unit

    where = f"{type(instance).__name__}.{attribute.name}"
    if not isinstance(value, str):
        raise InvalidValueError(where, "a unit string such as '%' or '批次/千人'", value)
    try:
        parse_unit(value)
    except UnitParseError as exc:
        raise InvalidValueError(where, f"a known unit ({exc.reason})", value) from None


#: Dimensions each indicator kind accepts; ``None`` accepts any.
_KIND_DIMENSIONS: dict[IndicatorKind, tuple[str, ...] | None] = {
    IndicatorKind.RATE: ("dimensionless",),
    IndicatorKind.COUNT: ("[count]", "[population]"),
    IndicatorKind.INDEX: ("[score]", "dimensionless"),
    IndicatorKind.PER_CAPITA: None,
    IndicatorKind.AMOUNT: None,
    IndicatorKind.INTENSITY: None,
}


@frozen(kw_only=True)
class Indicator:
    """What is measured.

    Attributes:
        id: unique within a plan.
        name: what it is called, in Chinese and English.
        kind: rate, count, per-capita, index or amount.
        unit: the unit the indicator is reported in (``"%"``, ``"家"``,
            ``"批次/千人"``, ``"分"``, ``"万平方米"``).
        direction: whether higher or lower values are better.
        basis: flow or stock; required for counts and amounts, optional for
            per-capita indicators (a flow per capita, 批次/千人 a year, is
            summed over sub-periods), absent otherwise.
        projection: how a flow observed over part of its period is carried
            to the period's end (linear, none or same period last year).
        numerator: for a rate, what is counted on top (合格批次).
        denominator: for a rate, what it is divided by (抽检批次).
    """

    id: str = field(validator=check_id)
    name: Label = field(validator=check_instance(Label, "a Label"))
    kind: IndicatorKind = field(converter=_indicator_kind)
    unit: str = field(validator=_check_unit)
    direction: Direction = field(default=Direction.HIGHER_IS_BETTER, converter=_direction)
    basis: Basis | None = field(default=None, converter=_optional_basis)
    numerator: Label | None = field(
        default=None, validator=check_instance(Label, "a Label", optional=True)
    )
    denominator: Label | None = field(
        default=None, validator=check_instance(Label, "a Label", optional=True)
    )
    projection: Projection = field(default=Projection.LINEAR, converter=_projection)
    #: The plan-scoped unit definitions in force when it was built (see
    #: unit_scope), so that assess reads its unit as the plan defined it.
    _unit_scope: tuple[str, ...] = field(
        init=False, eq=False, repr=False, factory=_current_unit_scope
    )

    def __attrs_post_init__(self) -> None:
        dims = _KIND_DIMENSIONS[self.kind]
        actual = _dimension_of(self.unit)
        where = f"Indicator {self.id!r}"
        if dims is not None and actual not in dims:
            raise InvalidValueError(
                f"{where}.unit",
                f"a unit of dimension {' or '.join(dims)} for kind {self.kind.value!r}",
                self.unit,
            )
        if self.kind is IndicatorKind.PER_CAPITA and "/" not in self.unit:
            raise InvalidValueError(f"{where}.unit", "a per-N unit such as '批次/千人'", self.unit)
        if self.kind is IndicatorKind.AMOUNT and actual == "dimensionless":
            raise InvalidValueError(f"{where}.unit", "a physical unit for an amount", self.unit)
        if self.kind is IndicatorKind.INTENSITY and (
            "/" not in self.unit or actual == "dimensionless" or "[population]" in actual
        ):
            raise InvalidValueError(
                f"{where}.unit",
                "a ratio of two amounts such as '吨标准煤/万元' for an intensity (per person is "
                "kind 'per_capita')",
                self.unit,
            )
        needs_basis = self.kind in (IndicatorKind.COUNT, IndicatorKind.AMOUNT)
        if needs_basis and self.basis is None:
            raise InvalidValueError(
                f"{where}.basis", "'flow' or 'stock' for a count or amount", None
            )
        may_have_basis = needs_basis or self.kind is IndicatorKind.PER_CAPITA
        if not may_have_basis and self.basis is not None:
            raise InvalidValueError(
                f"{where}.basis", f"None for kind {self.kind.value!r}", self.basis
            )
        if self.kind is not IndicatorKind.RATE and (self.numerator or self.denominator):
            raise InvalidValueError(
                f"{where}.numerator", "numerator/denominator only on a rate", self.kind
            )


@frozen(kw_only=True)
class SourceClause:
    """Where a commitment stands in its document.

    Attributes:
        section: the clause path, e.g. ``"二.(一)"`` or ``"三.(四).15"``.
        text: the exact words of the document the commitment comes from.
        note: the encoder's remark on how the clause was read, where that
            took a judgement the words do not settle (which owners of a
            section's note a target falls to, say); never the document's words.
    """

    section: str = field(validator=check_text)
    text: str = field(validator=check_text)
    note: str | None = field(default=None, validator=check_optional_text)


def _check_sources(instance: object, attribute: Any, value: Any) -> None:
    check_instances(SourceClause, "SourceClause")(instance, attribute, value)
    if len(set(value)) != len(value):
        raise InvalidValueError(f"{type(instance).__name__}.sources", "each clause once", value)


def _sources_argument(owner: str, source: SourceClause | None, sources: Any) -> Any:
    """The ``sources`` to store, from the 0.1 keyword ``source`` or the ``sources`` tuple."""
    if source is None:
        return sources
    if sources:
        raise InvalidValueError(
            f"{owner}.source", "either source (one clause) or sources, not both", source
        )
    if not isinstance(source, SourceClause):
        raise InvalidValueError(f"{owner}.source", "a SourceClause", source)
    return (source,)


def _real_to_float(value: Any) -> Any:
    # Only real numbers become floats; text, None and the rest reach the validator and
    # are refused by name (float() would read "5" and crash on None).
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    return value


def _check_baseline_value(instance: object, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidValueError("Baseline.value", "a finite number", value)


@frozen(kw_only=True)
class Baseline:
    """A known starting value, in the target's unit, for a period before the target's."""

    value: float = field(converter=_real_to_float, validator=_check_baseline_value)
    period: Period = field(converter=to_period)


def _check_condition(instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, Condition):
        raise InvalidValueError(f"{type(instance).__name__}.condition", "a Condition", value)


@frozen(kw_only=True, repr=False, init=False)
class Target:
    """A measurable commitment: an indicator, a condition, a period and its owners.

    Attributes:
        id: unique within a plan.
        indicator: what is measured.
        condition: what the observed value must satisfy.
        period: the period the commitment is for.
        unit: the unit the condition's numbers are in; defaults to the
            indicator's unit and must have the same dimension.
        responsibilities: owners with their roles; empty means "as the
            enclosing goal" (see :meth:`Plan.responsibilities_of`).
        aspirational: 力争, 争取, 努力: evaluated, but reported apart.
        sources: the clauses it comes from, each with its exact text; one
            commitment the document states in two places (a task card's
            目标任务 and 推进措施) is one target with two clauses, counted
            once. ``source=`` (one clause, as in 0.1) is accepted too.
        baseline: a known starting value, when the plan gives one.
    """

    id: str = field(validator=check_id)
    indicator: Indicator = field(validator=check_instance(Indicator, "an Indicator"))
    condition: Condition = field(validator=_check_condition)
    period: Period = field(converter=to_period)
    unit: str = field(validator=_check_unit)
    responsibilities: tuple[Responsibility, ...] = field(
        default=(), converter=to_tuple, validator=check_instances(Responsibility, "Responsibility")
    )
    aspirational: bool = field(default=False, validator=check_bool)
    sources: tuple[SourceClause, ...] = field(
        default=(), converter=to_tuple, validator=_check_sources
    )
    baseline: Baseline | None = field(
        default=None, validator=check_instance(Baseline, "a Baseline", optional=True)
    )

    def __init__(
        self,
        *,
        id: str,
        indicator: Indicator,
        condition: Condition,
        period: Period | str | int,
        unit: str | None = None,
        responsibilities: tuple[Responsibility, ...] | list[Responsibility] = (),
        aspirational: bool = False,
        sources: tuple[SourceClause, ...] | list[SourceClause] = (),
        source: SourceClause | None = None,
        baseline: Baseline | None = None,
    ) -> None:
        """Build a target; ``unit`` defaults to the indicator's, ``source`` is one clause."""
        given: dict[str, Any] = {} if unit is None else {"unit": unit}
        self.__attrs_init__(
            id=id,
            indicator=indicator,
            condition=condition,
            period=period,
            responsibilities=responsibilities,
            aspirational=aspirational,
            sources=_sources_argument("Target", source, sources),
            baseline=baseline,
            **given,
        )

    @unit.default
    def _unit_default(self) -> str:
        return self.indicator.unit if isinstance(self.indicator, Indicator) else ""

    @property
    def source(self) -> SourceClause | None:
        """The first clause the target comes from (``None`` when it quotes none)."""
        return self.sources[0] if self.sources else None

    def __attrs_post_init__(self) -> None:
        from ._units import is_compatible

        if not is_compatible(self.unit, self.indicator.unit):
            raise DimensionMismatchError(
                f"Target {self.id!r}.unit",
                self.unit,
                self.indicator.unit,
                f"{_dimension_of(self.unit)} vs {_dimension_of(self.indicator.unit)}",
            )

    def describe(self, lang: Lang = "zh") -> str:
        """The target in words, e.g. ``制造业产品质量合格率达到96.8%以上``."""
        language: Lang = "en" if lang == "en" else "zh"
        condition = self.condition.describe(self.unit, language, self.indicator.direction)
        name = self.indicator.name.text(language)
        text = f"{name}{condition}" if language == "zh" else f"{name}: {condition}"
        if self.aspirational:
            text = ("力争" + text) if language == "zh" else f"{text} (aspirational)"
        return text

    def __repr__(self) -> str:
        return _present_repr(self)

    def _repr_html_(self) -> str:
        result: str = _present("html", self)
        return result


@frozen(kw_only=True, init=False)
class Milestone:
    """A commitment with no number, judged done or not done (设立太仓市市长质量奖).

    Attributes:
        id: unique within a plan.
        name: what is to be done, in Chinese and English.
        period: the period it is due in.
        responsibilities: owners with their roles; empty means "as the
            enclosing goal".
        aspirational: 力争, 争取, 努力.
        sources: the clauses it comes from (``source=``, one clause, is
            accepted too).
    """

    id: str = field(validator=check_id)
    name: Label = field(validator=check_instance(Label, "a Label"))
    period: Period = field(converter=to_period)
    responsibilities: tuple[Responsibility, ...] = field(
        default=(), converter=to_tuple, validator=check_instances(Responsibility, "Responsibility")
    )
    aspirational: bool = field(default=False, validator=check_bool)
    sources: tuple[SourceClause, ...] = field(
        default=(), converter=to_tuple, validator=_check_sources
    )

    def __init__(
        self,
        *,
        id: str,
        name: Label,
        period: Period | str | int,
        responsibilities: tuple[Responsibility, ...] | list[Responsibility] = (),
        aspirational: bool = False,
        sources: tuple[SourceClause, ...] | list[SourceClause] = (),
        source: SourceClause | None = None,
    ) -> None:
        """Build a milestone; ``source`` is one clause, ``sources`` several."""
        self.__attrs_init__(
            id=id,
            name=name,
            period=period,
            responsibilities=responsibilities,
            aspirational=aspirational,
            sources=_sources_argument("Milestone", source, sources),
        )

    @property
    def source(self) -> SourceClause | None:
        """The first clause the milestone comes from (``None`` when it quotes none)."""
        return self.sources[0] if self.sources else None


@frozen(kw_only=True, repr=False)
class Goal:
    """A heading that groups targets, milestones and sub-goals.

    Attributes:
        id: unique within a plan.
        title: the heading, in Chinese and English.
        section: the clause path, e.g. ``"二.(一)"``.
        text: the goal's own prose, when it has some (一、总体要求).
        responsibilities: owners named for the whole heading.
    """

    id: str = field(validator=check_id)
    title: Label = field(validator=check_instance(Label, "a Label"))
    section: str = field(default="", validator=check_text)
    text: str | None = field(default=None, validator=check_optional_text)
    responsibilities: tuple[Responsibility, ...] = field(
        default=(), converter=to_tuple, validator=check_instances(Responsibility, "Responsibility")
    )
    targets: tuple[Target, ...] = field(
        default=(), converter=to_tuple, validator=check_instances(Target, "Target")
    )
    milestones: tuple[Milestone, ...] = field(
        default=(), converter=to_tuple, validator=check_instances(Milestone, "Milestone")
    )
    goals: tuple[Goal, ...] = field(default=(), converter=to_tuple)

    @goals.validator
    def _check_goals(self, attribute: Any, value: Any) -> None:
        check_instances(Goal, "Goal")(self, attribute, value)

    def walk(self) -> Iterator[tuple[tuple[Goal, ...], Goal]]:
        """This goal and every goal under it, depth first, each with its ancestors."""
        stack: list[tuple[tuple[Goal, ...], Goal]] = [((), self)]
        while stack:
            parents, goal = stack.pop()
            yield parents, goal
            stack.extend(((*parents, goal), child) for child in reversed(goal.goals))

    def __repr__(self) -> str:
        return _present_repr(self)

    def _repr_html_(self) -> str:
        result: str = _present("html", self)
        return result


_T = TypeVar("_T")


class _CallableTuple(tuple[_T, ...]):
    """A tuple that can still be called, as ``plan.targets`` was in 0.1 (an iterator)."""

    __slots__ = ()

    def __call__(self) -> Iterator[_T]:
        return iter(self)


def _optional_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise InvalidValueError(
                "Plan date", "an ISO date such as '2022-06-02'", value
            ) from None
    return value


def indicator_differences(first: Indicator, second: Indicator) -> str:
    """The fields in which two definitions of one indicator differ, as ``unit '%' vs '‰'``."""
    import attrs

    def shown(value: Any) -> str:
        return repr(value.value if isinstance(value, StrEnum) else value)

    parts = [
        f"{a.name} {shown(getattr(first, a.name))} vs {shown(getattr(second, a.name))}"
        for a in attrs.fields(Indicator)
        if getattr(first, a.name) != getattr(second, a.name)
    ]
    return "; ".join(parts)


def _check_indicators(
    plan_id: str, index: dict[str, tuple[tuple[Goal, ...], Goal | Target | Milestone]]
) -> None:
    # One indicator id, one meaning: observations are matched to targets by indicator id, so
    # two definitions under one id would judge one set of figures against two units or kinds.
    seen: dict[str, Target] = {}
    for _, item in index.values():
        if not isinstance(item, Target):
            continue
        first = seen.setdefault(item.indicator.id, item)
        if first.indicator != item.indicator:
            differences = indicator_differences(first.indicator, item.indicator)
            raise DuplicateIdError(
                f"Plan {plan_id!r}: indicator {item.indicator.id!r} of target {first.id!r} "
                f"and of target {item.id!r} ({differences})",
                item.indicator.id,
                "one definition per indicator id",
            )


@frozen(kw_only=True, repr=False)
class Plan:
    """An issued document: its metadata, its goal tree and its owner registry.

    Look things up by id with :meth:`target`, :meth:`goal`, :meth:`milestone`
    and :meth:`owner`; every target and milestone at any depth is in the
    tuples :attr:`targets` and :attr:`milestones` (``len(plan.targets)``,
    ``plan.targets[0]``), every goal in :meth:`goals_flat`.

    Attributes:
        id: the plan's id (``"taicang2022"``).
        title: the document's title, in Chinese and English.
        period: the period the plan covers (``"2022"``).
        issuer: the issuing body, when known.
        document_number: the 文号, e.g. ``"太政办〔2022〕64号"``.
        issued: the date of issue (成文日期).
        published: the date of publication (发布日期).
        validity: in force, amended or repealed (有效, 已修改, 失效).
        url: where the document is published.
        addressees: the bodies the notice is addressed to (主送), one a part.
        goals: the top-level headings, each with its targets, milestones and
            sub-goals.
        owners: the owner registry: every body a responsibility names, and
            the collectives (各区镇) with their members.
        lead_rule: how the document ranks the owners of an unranked list
            (:attr:`Role.RESPONSIBLE`): not at all (``"marked"``, the
            default: only 牵头 and ★ make a lead), or the first named leads
            (``"first_named"``, where the document says so); see
            :meth:`responsibilities_of`.
        units: the plan's own unit definitions, in :func:`define_units`
            syntax, one a line; they exist only for this plan (build its
            indicators inside :func:`unit_scope` with the same lines).
        fiscal_year: what the plan means by ``FY2022``, if it says; a plan
            file's periods may then be written ``FY2022``.
    """

    id: str = field(validator=check_id)
    title: Label = field(validator=check_instance(Label, "a Label"))
    period: Period = field(converter=to_period)
    issuer: Label | None = field(
        default=None, validator=check_instance(Label, "a Label", optional=True)
    )
    document_number: str | None = field(default=None, validator=check_optional_text)
    issued: date | None = field(
        default=None,
        converter=_optional_date,
        validator=check_instance(date, "a date", optional=True),
    )
    published: date | None = field(
        default=None,
        converter=_optional_date,
        validator=check_instance(date, "a date", optional=True),
    )
    validity: Validity = field(default=Validity.VALID, converter=_validity)
    url: str | None = field(default=None, validator=check_optional_text)
    addressees: tuple[str, ...] = field(
        default=(), converter=to_tuple, validator=check_instances(str, "text")
    )
    goals: tuple[Goal, ...] = field(
        default=(), converter=to_tuple, validator=check_instances(Goal, "Goal")
    )
    owners: tuple[Owner, ...] = field(
        default=(), converter=to_tuple, validator=check_instances(Owner, "Owner")
    )
    lead_rule: LeadRule = field(default=LeadRule.MARKED, converter=_lead_rule)
    units: tuple[str, ...] = field(default=(), converter=_unit_definitions)
    fiscal_year: FiscalYear | None = field(
        default=None, validator=check_instance(FiscalYear, "a FiscalYear", optional=True)
    )
    _index: dict[str, tuple[tuple[Goal, ...], Goal | Target | Milestone]] = field(
        init=False, eq=False, repr=False
    )
    _owner_index: dict[str, Owner] = field(init=False, eq=False, repr=False)
    _targets: tuple[Target, ...] = field(init=False, eq=False, repr=False)
    _milestones: tuple[Milestone, ...] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, tuple[tuple[Goal, ...], Goal | Target | Milestone]] = {}

        def add(item_id: str, parents: tuple[Goal, ...], item: Goal | Target | Milestone) -> None:
            if item_id in index:
                raise DuplicateIdError(f"Plan {self.id!r}", item_id)
            index[item_id] = (parents, item)

        for root in self.goals:
            for parents, goal in root.walk():
                add(goal.id, parents, goal)
                for target in goal.targets:
                    add(target.id, (*parents, goal), target)
                for milestone in goal.milestones:
                    add(milestone.id, (*parents, goal), milestone)
        _check_indicators(self.id, index)
        owners: dict[str, Owner] = {}
        for owner in self.owners:
            if owner.id in owners:
                raise DuplicateIdError(f"Plan {self.id!r}.owners", owner.id)
            owners[owner.id] = owner
        names: dict[str, Owner] = dict(owners)
        for owner in self.owners:
            for name in (owner.name.zh, owner.name.en, *owner.aliases):
                if name and name not in names:
                    names[name] = owner
        for owner in self.owners:
            for member in owner.members:
                if member not in owners:
                    raise UnknownIdError(f"Owner {owner.id!r}.members", member, tuple(owners))
        for item_id, (_, item) in index.items():
            for responsibility in item.responsibilities:
                if responsibility.owner not in owners:
                    raise UnknownIdError(
                        f"{type(item).__name__} {item_id!r}.responsibilities",
                        responsibility.owner,
                        tuple(owners),
                    )
        object.__setattr__(self, "_index", index)
        items = [item for _, item in index.values()]
        _check_plan_units(self, [i for i in items if isinstance(i, Target)])
        object.__setattr__(
            self, "_targets", _CallableTuple(i for i in items if isinstance(i, Target))
        )
        object.__setattr__(
            self, "_milestones", _CallableTuple(i for i in items if isinstance(i, Milestone))
        )
        object.__setattr__(self, "_owner_index", names)

    def _get(self, item_id: str, kind: type[Any], what: str) -> Any:
        entry = self._index.get(item_id)
        if entry is None or not isinstance(entry[1], kind):
            known = tuple(k for k, (_, v) in self._index.items() if isinstance(v, kind))
            raise UnknownIdError(f"Plan {self.id!r}: {what}", item_id, known)
        return entry[1]

    def target(self, target_id: str) -> Target:
        """The target with this id.

        Raises:
            UnknownIdError: no target has this id.
        """
        result: Target = self._get(target_id, Target, "target")
        return result

    def goal(self, goal_id: str) -> Goal:
        """The goal with this id (at any depth)."""
        result: Goal = self._get(goal_id, Goal, "goal")
        return result

    def milestone(self, milestone_id: str) -> Milestone:
        """The milestone with this id."""
        result: Milestone = self._get(milestone_id, Milestone, "milestone")
        return result

    def owner(self, key: str) -> Owner:
        """The owner with this id, Chinese or English name, or alias."""
        try:
            return self._owner_index[key]
        except KeyError:
            # Ids first, then the names and aliases that also find an owner.
            known = tuple(dict.fromkeys((*(o.id for o in self.owners), *self._owner_index)))
            raise UnknownIdError(f"Plan {self.id!r}: owner", key, known) from None

    @property
    def targets(self) -> tuple[Target, ...]:
        """Every target of the plan, at any depth, in document order (a tuple, as ``goal.targets``).

        Calling it, ``plan.targets``, still works as in 0.1 and gives an
        iterator over the same targets; it is deprecated.
        """
        return self._targets

    @property
    def milestones(self) -> tuple[Milestone, ...]:
        """Every milestone of the plan, at any depth, in document order (a tuple).

        ``plan.milestones`` still works as in 0.1 and is deprecated.
        """
        return self._milestones

    def goals_flat(self) -> Iterator[Goal]:
        """Every goal of the plan, depth first in document order."""
        for _, item in self._index.values():
            if isinstance(item, Goal):
                yield item

    def parents_of(self, item_id: str) -> tuple[Goal, ...]:
        """The goals enclosing an item, outermost first."""
        entry = self._index.get(item_id)
        if entry is None:
            raise UnknownIdError(f"Plan {self.id!r}", item_id, tuple(self._index))
        return entry[0]

    def section_of(self, item_id: str) -> str:
        """The clause path of an item: its source section, or its nearest goal's."""
        item = self._index[item_id][1] if item_id in self._index else None
        if item is None:
            raise UnknownIdError(f"Plan {self.id!r}", item_id, tuple(self._index))
        if isinstance(item, Goal):
            return item.section
        if item.source is not None and item.source.section:
            return item.source.section
        return next((g.section for g in reversed(self.parents_of(item_id)) if g.section), "")

    def responsibilities_of(self, item_id: str) -> tuple[Responsibility, ...]:
        """An item's responsibilities: its own, else those of its nearest goal that has some.

        Under ``lead_rule="first_named"`` an unranked list (every owner
        :attr:`Role.RESPONSIBLE`) is ranked as the document says: the first
        owner leads, the others support. Otherwise roles are as written.
        """
        entry = self._index.get(item_id)
        if entry is None:
            raise UnknownIdError(f"Plan {self.id!r}", item_id, tuple(self._index))
        parents, item = entry
        found: tuple[Responsibility, ...] = ()
        for holder in (item, *reversed(parents)):
            if holder.responsibilities:
                found = holder.responsibilities
                break
        if (
            found
            and self.lead_rule is LeadRule.FIRST_NAMED
            and all(r.role is Role.RESPONSIBLE for r in found)
        ):
            return tuple(
                Responsibility(owner=r.owner, role=Role.LEAD if i == 0 else Role.SUPPORTING)
                for i, r in enumerate(found)
            )
        return found

    def accountable_for(self, item_id: str) -> tuple[str, ...]:
        """The ids of the owners who answer for an item, as a scorecard counts them.

        Its leads; where the document ranks nobody (an unranked list), every
        owner it names responsible, jointly. Supporting owners never count.
        Collectives (各区镇) count as themselves.
        """
        responsibilities = self.responsibilities_of(item_id)
        leads = tuple(r.owner for r in responsibilities if r.role is Role.LEAD)
        if leads:
            return leads
        return tuple(r.owner for r in responsibilities if r.role is Role.RESPONSIBLE)

    def members_of(self, owner_id: str) -> tuple[Owner, ...]:
        """The owners a collective stands for (an ordinary owner stands for itself)."""
        owner = self.owner(owner_id)
        if owner.kind is OwnerKind.COLLECTIVE and owner.members:
            return tuple(self.owner(m) for m in owner.members)
        return (owner,)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._index

    def __repr__(self) -> str:
        return _present_repr(self)

    def _repr_html_(self) -> str:
        result: str = _present("html", self)
        return result

    def targets_frame(self) -> pd.DataFrame:
        """The targets as a pandas DataFrame, one row per target.

        Columns (see ``policytargets.TARGET_COLUMNS``): ``target_id`` (the
        name :func:`evaluate` uses, so the two merge as they are), ``section``
        (clause path such as ``二.(一)``), ``goal_id``, ``indicator_id``,
        ``indicator_zh``, ``indicator_en``, ``kind``, ``basis``, ``direction``,
        ``comparator`` (the :class:`Comparator` vocabulary), ``value``,
        ``value_high``, ``abs_tol``, ``rel_tol``, ``maintained``, ``unit`` (text
        that :func:`parse_quantity` reads), ``period``, ``aspirational``,
        ``owners`` (owner ids, leads first: in a Chinese plan, the full names its
        notes use, such as ``市住建局`` for 住建局; :meth:`owner` gives the whole
        record), ``lead`` (the first owner ranked lead; empty where the document
        ranks nobody, see :meth:`responsibilities_of`),
        ``baseline_value``, ``baseline_period``, ``source_text``.
        """
        frame: pd.DataFrame = _present("targets_frame", self)
        return frame

    def responsibility_matrix(self, *, expand_collectives: bool = False) -> pd.DataFrame:
        """Owners × targets and milestones: each cell a :class:`Role` value, or missing."""
        matrix: pd.DataFrame = _present(
            "responsibility_matrix", self, expand_collectives=expand_collectives
        )
        return matrix
