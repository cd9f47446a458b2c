"""Derived requirements: what a target asks for, in absolute terms or in other units.

A per-capita target (7 批次/千人) becomes a number of batches once the
population is known; an area target (10.9 万平方米) reads as 109,000 m², about
163.5 亩 or 10.9 hectares. Both start from the target's threshold: the number
its condition is judged against (see :meth:`Condition.goal_value`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ._conditions import Comparator
from ._errors import DimensionMismatchError, InvalidValueError, UnitParseError
from ._model import IndicatorKind, Target

if TYPE_CHECKING:
    import pint

__all__ = ["required_amount", "threshold_in"]


def _threshold(target: Target, where: str) -> float:
    """The number the target's condition is judged against, in the target's unit."""
    if not isinstance(target, Target):
        raise InvalidValueError(f"{where}(target)", "a Target", target)
    condition = target.condition
    baseline = None if target.baseline is None else target.baseline.value
    if condition.comparator is Comparator.IMPROVE:
        raise InvalidValueError(
            f"{where}({target.id!r})", "a condition with a number (not direction only)", condition
        )
    if condition.needs_baseline and baseline is None:
        raise InvalidValueError(
            f"{where}({target.id!r})",
            "a condition with a number of its own, or a target with a baseline",
            condition,
        )
    value = condition.goal_value(target.indicator.direction, baseline)
    if value is None:
        raise InvalidValueError(
            f"{where}({target.id!r})", "a condition with a number (not direction only)", condition
        )
    return value


def _population(value: Any, denominator: pint.Unit, where: str) -> pint.Quantity[Any]:
    """The population as a quantity; a plain number counts the denominator's base unit."""
    import pint

    from ._units import get_registry, to_quantity

    registry = get_registry()
    if isinstance(value, bool) or not isinstance(value, int | float | str | pint.Quantity):
        raise InvalidValueError(
            where, "a number of persons, text such as '839000人' or a pint Quantity", value
        )
    if isinstance(value, int | float):
        # 839000 means 839,000 persons (or machines, for 起/万台), not 839,000 千人.
        base = registry.Quantity(1.0, denominator).to_root_units().units
        quantity = registry.Quantity(float(value), base)
    else:
        try:
            quantity = to_quantity(value, where)
        except UnitParseError as exc:
            raise InvalidValueError(where, f"a population ({exc.reason})", value) from None
    magnitude = float(quantity.magnitude)
    if not math.isfinite(magnitude) or magnitude < 0:
        raise InvalidValueError(where, "a finite population of zero or more", value)
    if quantity.dimensionality != denominator.dimensionality:
        raise DimensionMismatchError(
            where,
            str(quantity.units),
            str(denominator),
            f"{quantity.dimensionality} vs {denominator.dimensionality}",
        )
    return quantity


def required_amount(target: Target, population: Any) -> pint.Quantity[Any]:
    """The absolute amount a per-capita target asks of a population.

    7 批次/千人 for a resident population of 839,000 asks for at least
    7 × 839 = 5,873 批次::

        >>> required_amount(target, "839000人")   # doctest: +SKIP
        <Quantity(5873.0, 'batch')>

    Args:
        target: a target on a per-capita indicator (unit ``X/Y``, e.g. ``批次/千人``).
        population: text such as ``"839000人"`` or ``"83.9万人"``, a pint quantity
            (any registry), or a plain number counted in the denominator's base unit
            (persons for ``批次/千人``).

    Returns:
        A quantity of the library's registry in the target unit's numerator
        (``批次``), not rounded.

    Raises:
        InvalidValueError: the target is not per-capita, its condition has no
            number (direction only, or relative without a baseline), or the
            population is not a finite, non-negative amount.
        DimensionMismatchError: the population does not have the dimension of
            the unit's denominator (``"5 hectare"`` for persons).
    """
    from ._units import get_registry, parse_unit

    if not isinstance(target, Target):
        raise InvalidValueError("required_amount(target)", "a Target", target)
    where = f"required_amount({target.id!r})"
    if target.indicator.kind is not IndicatorKind.PER_CAPITA or "/" not in target.unit:
        raise InvalidValueError(
            where, "a per-capita target (a unit such as '批次/千人')", target.indicator.kind.value
        )
    numerator_text, denominator_text = target.unit.split("/", 1)
    threshold = _threshold(target, "required_amount")
    numerator, denominator = parse_unit(numerator_text), parse_unit(denominator_text)
    people = _population(population, denominator, f"{where}: population")
    registry = get_registry()
    amount: pint.Quantity[Any] = registry.Quantity(threshold, parse_unit(target.unit)) * people
    return amount.to(numerator)


def threshold_in(target: Target, unit: str) -> pint.Quantity[Any]:
    """A target's threshold expressed in another unit of the same dimension.

    ``threshold_in(green_space, "亩")`` for 新增绿地10.9万平方米 is about 163.5 亩;
    in ``"平方米"`` it is 109,000 m², in ``"公顷"`` 10.9 ha.

    Args:
        target: a target whose condition has a number (or a baseline, for a
            relative change).
        unit: a unit string such as ``"亩"``, ``"hectare"`` or ``"平方米"``.

    Returns:
        A quantity of the library's registry.

    Raises:
        InvalidValueError: the condition has no number (direction only, or
            relative without a baseline).
        UnitParseError: ``unit`` is not a known unit.
        DimensionMismatchError: ``unit`` has another dimension than the target's.
    """
    from ._units import conversion_factor, dimensionality, get_registry, is_compatible, parse_unit

    threshold = _threshold(target, "threshold_in")
    where = f"threshold_in({target.id!r})"
    if not isinstance(unit, str):
        raise InvalidValueError(f"{where}: unit", "a unit string such as '亩'", unit)
    parsed = parse_unit(unit)
    if not is_compatible(unit, target.unit):
        raise DimensionMismatchError(
            where, unit, target.unit, f"{dimensionality(unit)} vs {dimensionality(target.unit)}"
        )
    return get_registry().Quantity(threshold * conversion_factor(target.unit, unit), parsed)
