"""Conditions: what an observed value must satisfy for a target to be met.

Every condition reduces to :class:`Bounds`, an interval on the observed value
in the target's unit, given the indicator's good direction and (for
relative-change and direction-only conditions) a baseline. The scalar
assessment and the vectorised evaluation both judge values against those
bounds with one kernel, :func:`satisfies`, so the two can never disagree.

Inclusivity follows the PRC Civil Code, Art. 1259: 以上, 以下 and 以内 include
the number (:class:`AtLeast`, :class:`AtMost`); 超过 and 不满 exclude it
(:class:`MoreThan`, :class:`LessThan`).
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

from attrs import field, frozen

from ._errors import InvalidValueError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "DEFAULT_RTOL",
    "Approximately",
    "AtLeast",
    "AtMost",
    "Between",
    "Bounds",
    "Comparator",
    "Condition",
    "Direction",
    "Improve",
    "LessThan",
    "Maintained",
    "MoreThan",
    "Point",
    "RelativeChange",
    "Zero",
    "satisfies",
]

#: Relative tolerance at a bound. Two values closer than ``DEFAULT_RTOL`` times
#: the bound are the same value: 0.57 (a fraction) converted to percent is
#: 56.99999999999999, and must meet "57%以上". Published statistics carry far
#: fewer than nine significant digits, so no real difference is hidden.
DEFAULT_RTOL = 1e-9

Lang = Literal["zh", "en"]


class Direction(StrEnum):
    """Which way an indicator improves."""

    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"

    @property
    def sign(self) -> int:
        """+1 when higher is better, -1 when lower is better."""
        return 1 if self is Direction.HIGHER_IS_BETTER else -1


class Comparator(StrEnum):
    """The closed vocabulary of conditions, as written in tables and files."""

    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"
    POINT = "point"
    APPROXIMATELY = "approximately"
    BETWEEN = "between"
    RELATIVE_CHANGE = "relative_change"
    IMPROVE = "improve"
    ZERO = "zero"


@frozen(kw_only=True)
class Bounds:
    """An interval on the observed value, in the target's unit.

    Attributes:
        low: lower bound (``-inf`` when there is none).
        high: upper bound (``inf`` when there is none).
        low_closed: whether ``low`` itself satisfies the condition.
        high_closed: whether ``high`` itself satisfies the condition.
        threshold: the value a margin is measured from, or ``None`` when it
            depends on the observation (two-sided bounds use the nearer end).
    """

    low: float = -math.inf
    high: float = math.inf
    low_closed: bool = True
    high_closed: bool = True
    threshold: float | None = None

    def reference(self, observed: float) -> float:
        """The threshold that ``observed`` is measured against for its margin."""
        if self.threshold is not None:
            return self.threshold
        if math.isinf(self.low):
            return self.high
        if math.isinf(self.high):
            return self.low
        return self.low if abs(observed - self.low) <= abs(observed - self.high) else self.high


def satisfies(
    observed: Any,
    low: Any,
    high: Any,
    low_closed: Any,
    high_closed: Any,
    rtol: float = DEFAULT_RTOL,
) -> npt.NDArray[np.bool_]:
    """Whether observed values lie within bounds, elementwise (numpy broadcasting).

    A value within ``rtol`` times a bound counts as equal to it: it satisfies a
    closed bound and fails an open one. Infinite bounds must be closed.
    """
    import numpy as np

    def side(bound: Any, closed: Any, upper: bool) -> Any:
        # Branch on a scalar (or uniform) ``closed``: one comparison per value
        # instead of the two that ``np.where`` computes. ``None``: a scalar
        # infinite closed bound, which excludes nothing but NaN.
        infinite = np.inf if upper else -np.inf
        if np.ndim(bound) == 0 and np.ndim(closed) == 0 and bool(closed) and bound == infinite:
            return None
        tol = rtol * np.abs(bound)
        uniform: bool | None = None
        if np.ndim(closed) == 0:
            uniform = bool(closed)
        elif np.shape(closed) == np.broadcast_shapes(np.shape(observed), np.shape(bound)):
            closed = np.asarray(closed)
            uniform = True if closed.all() else False if not closed.any() else None
        if upper:
            if uniform is None:
                return np.where(closed, observed <= bound + tol, observed < bound - tol)
            return observed <= bound + tol if uniform else observed < bound - tol
        if uniform is None:
            return np.where(closed, observed >= bound - tol, observed > bound + tol)
        return observed >= bound - tol if uniform else observed > bound + tol

    with np.errstate(invalid="ignore"):
        above = side(low, low_closed, False)
        below = side(high, high_closed, True)
    if above is None and below is None:
        values = np.asarray(observed)
        return np.asarray(values == values)
    if above is None or below is None:
        return np.asarray(below if above is None else above)
    return np.asarray(above & below)


def _is_finite_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _finite(instance: object, attribute: Any, value: float) -> None:
    if not _is_finite_number(value):
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name}", "a finite number", value
        )


def _number(value: Any) -> Any:
    # ints become floats so that AtLeast(value=7) == AtLeast(value=7.0); anything
    # else is passed through untouched for the validator to refuse by name.
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def fmt_number(value: float) -> str:
    """Write a number as plans do: 96.8, 7, 109000 (no trailing .0, no exponent)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _with_unit(value: float, unit: str, lang: Lang) -> str:
    from ._unit_names import english_amount, unit_label

    if lang == "zh":
        return f"{fmt_number(value)}{unit_label(unit, 'zh')}"
    value, label = english_amount(value, unit)
    number = f"{int(value):,}" if value == int(value) and abs(value) < 1e15 else f"{value:,}"
    if label in ("%", "‰") or not label:
        return f"{number}{label}"
    return f"{number} {label}"


class Condition:
    """Base of every condition. Subclasses are frozen attrs classes.

    Attributes:
        comparator: the condition's name in the :class:`Comparator` vocabulary.
        needs_baseline: whether judging it needs a baseline value.
    """

    __slots__ = ()

    comparator: ClassVar[Comparator]
    needs_baseline: ClassVar[bool] = False

    def bounds(self, direction: Direction, baseline: float | None = None) -> Bounds:
        """The interval the observed value must lie in.

        Raises:
            InvalidValueError: the condition needs a baseline and got ``None``.
        """
        raise NotImplementedError

    def goal_value(self, direction: Direction, baseline: float | None = None) -> float | None:
        """The value progress is scored towards, or ``None`` where there is none."""
        return self.bounds(direction, baseline).threshold

    def scaled(self, factor: float) -> Self:
        """The same condition with its numbers re-expressed in another unit."""
        raise NotImplementedError

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        """The condition in plan wording, e.g. ``达到96.8%以上`` or ``at least 96.8%``."""
        raise NotImplementedError

    @property
    def value(self) -> float | None:
        """The condition's main number (the low end for a range), or ``None``."""
        return None

    @property
    def value_high(self) -> float | None:
        """The high end of a range, or ``None``."""
        return None

    @property
    def maintained(self) -> bool:
        """Whether the condition must hold in every observation of the period."""
        return False


def _require_baseline(name: str, baseline: float | None) -> float:
    if baseline is None or not math.isfinite(baseline):
        raise InvalidValueError(f"{name}.bounds", "a finite baseline value", baseline)
    return baseline


@frozen(kw_only=True)
class _Single(Condition):
    """A condition on one number."""

    value: float = field(converter=_number, validator=_finite)

    def scaled(self, factor: float) -> Self:
        return type(self)(value=self.value * factor)


@frozen(kw_only=True)
class AtLeast(_Single):
    """At least ``value``, inclusive: 达到 X 以上, 不低于 X, 不少于 X, X 及以上, 全覆盖."""

    comparator = Comparator.AT_LEAST

    def bounds(self, direction: Direction, baseline: float | None = None) -> Bounds:
        return Bounds(low=self.value, threshold=self.value)

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        q = _with_unit(self.value, unit, lang)
        return f"达到{q}以上" if lang == "zh" else f"at least {q}"


@frozen(kw_only=True)
class MoreThan(_Single):
    """More than ``value``, exclusive: 超过 X, 高于 X."""

    comparator = Comparator.MORE_THAN

    def bounds(self, direction: Direction, baseline: float | None = None) -> Bounds:
        return Bounds(low=self.value, low_closed=False, threshold=self.value)

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        q = _with_unit(self.value, unit, lang)
        return f"超过{q}" if lang == "zh" else f"more than {q}"


@frozen(kw_only=True)
class AtMost(_Single):
    """At most ``value``, inclusive: X 以下, 不超过 X, X 以内."""

    comparator = Comparator.AT_MOST

    def bounds(self, direction: Direction, baseline: float | None = None) -> Bounds:
        return Bounds(high=self.value, threshold=self.value)

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        q = _with_unit(self.value, unit, lang)
        return f"不超过{q}" if lang == "zh" else f"at most {q}"


@frozen(kw_only=True)
class LessThan(_Single):
    """Less than ``value``, exclusive: 低于 X, 不满 X."""

    comparator = Comparator.LESS_THAN

    def bounds(self, direction: Direction, baseline: float | None = None) -> Bounds:
        return Bounds(high=self.value, high_closed=False, threshold=self.value)

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        q = _with_unit(self.value, unit, lang)
        return f"低于{q}" if lang == "zh" else f"less than {q}"


@frozen(kw_only=True)
class Point(_Single):
    """A bare number (新增 X 个), judged in the indicator's good direction.

    Exceeding it counts as met when higher is better; staying under it when
    lower is better. Both ends are inclusive.
    """

    comparator = Comparator.POINT

    def bounds(self, direction: Direction, baseline: float | None = None) -> Bounds:
        if direction is Direction.HIGHER_IS_BETTER:
            return Bounds(low=self.value, threshold=self.value)
        return Bounds(high=self.value, threshold=self.value)

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        q = _with_unit(self.value, unit, lang)
        if lang == "zh":
            return q
        if direction is Direction.LOWER_IS_BETTER:
            return f"{q} (or fewer)"
        return f"{q} (or more)" if direction is Direction.HIGHER_IS_BETTER else q


@frozen(kw_only=True)
class Zero(Condition):
    """No occurrences at all (不发生): at most 0, inclusive."""

    comparator = Comparator.ZERO

    def bounds(self, direction: Direction, baseline: float | None = None) -> Bounds:
        return Bounds(high=0.0, threshold=0.0)

    @property
    def value(self) -> float:
        return 0.0

    def scaled(self, factor: float) -> Self:
        return self

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        return "不发生" if lang == "zh" else "none at all"


def _positive_or_none(instance: object, attribute: Any, value: float | None) -> None:
    if value is not None and (not _is_finite_number(value) or value <= 0):
        raise InvalidValueError(
            f"Approximately.{attribute.name}", "a positive number or None", value
        )


@frozen(kw_only=True)
class Approximately(Condition):
    """About ``value`` (X 左右), within an explicit tolerance, ends inclusive.

    Exactly one of ``abs_tol`` (in the target's unit) and ``rel_tol`` (a
    fraction of ``value``, 0.1 for ±10 %) must be given: plans never say how
    wide 左右 is, so the encoder has to.
    """

    comparator: ClassVar[Comparator] = Comparator.APPROXIMATELY

    value: float = field(converter=_number, validator=_finite)
    abs_tol: float | None = field(default=None, converter=_number, validator=_positive_or_none)
    rel_tol: float | None = field(default=None, converter=_number, validator=_positive_or_none)

    def __attrs_post_init__(self) -> None:
        if (self.abs_tol is None) == (self.rel_tol is None):
            raise InvalidValueError(
                "Approximately", "exactly one of abs_tol and rel_tol", (self.abs_tol, self.rel_tol)
            )

    @property
    def tolerance(self) -> float:
        """The half-width of the accepted range, in the target's unit."""
        if self.abs_tol is not None:
            return self.abs_tol
        assert self.rel_tol is not None
        return abs(self.value) * self.rel_tol

    def bounds(self, direction: Direction, baseline: float | None = None) -> Bounds:
        return Bounds(
            low=self.value - self.tolerance,
            high=self.value + self.tolerance,
            threshold=self.value,
        )

    def scaled(self, factor: float) -> Self:
        abs_tol = None if self.abs_tol is None else self.abs_tol * abs(factor)
        return type(self)(value=self.value * factor, abs_tol=abs_tol, rel_tol=self.rel_tol)

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        q = _with_unit(self.value, unit, lang)
        tol = (
            _with_unit(self.abs_tol, unit, lang)
            if self.abs_tol is not None
            else f"{fmt_number(100 * (self.rel_tol or 0.0))}%"
        )
        return f"{q}左右(±{tol})" if lang == "zh" else f"about {q} (±{tol})"


@frozen(kw_only=True)
class Between(Condition):
    """Between ``low`` and ``high``, both inclusive (X~Y 个, X-Y 个)."""

    comparator: ClassVar[Comparator] = Comparator.BETWEEN

    low: float = field(converter=_number, validator=_finite)
    high: float = field(converter=_number, validator=_finite)

    def __attrs_post_init__(self) -> None:
        if self.low > self.high:
            raise InvalidValueError("Between.high", f"a number >= low ({self.low})", self.high)

    @property
    def value(self) -> float:
        return self.low

    @property
    def value_high(self) -> float:
        return self.high

    def bounds(self, direction: Direction, baseline: float | None = None) -> Bounds:
        return Bounds(low=self.low, high=self.high)

    def goal_value(self, direction: Direction, baseline: float | None = None) -> float:
        return self.low if direction is Direction.HIGHER_IS_BETTER else self.high

    def scaled(self, factor: float) -> Self:
        low, high = sorted((self.low * factor, self.high * factor))
        return type(self)(low=low, high=high)

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        high = _with_unit(self.high, unit, lang)
        if lang == "zh":
            return f"{fmt_number(self.low)}~{high}"
        return f"between {fmt_number(self.low)} and {high}"


@frozen(kw_only=True)
class RelativeChange(Condition):
    """A change against the baseline of at least ``percent`` per cent (较上年增长 X%).

    In the indicator's good direction: with higher-is-better, the value must
    reach ``baseline × (1 + percent/100)`` or more; with lower-is-better
    (较上年下降 5% is ``percent=-5``), that value or less. ``percent`` is a
    relative change in %, not percentage points.
    """

    comparator: ClassVar[Comparator] = Comparator.RELATIVE_CHANGE
    needs_baseline: ClassVar[bool] = True

    percent: float = field(converter=_number, validator=_finite)

    @property
    def value(self) -> float:
        return self.percent

    def target_value(self, baseline: float) -> float:
        """The value the change requires, in the target's unit."""
        return baseline * (1 + self.percent / 100)

    def bounds(self, direction: Direction, baseline: float | None = None) -> Bounds:
        required = self.target_value(_require_baseline("RelativeChange", baseline))
        if direction is Direction.HIGHER_IS_BETTER:
            return Bounds(low=required, threshold=required)
        return Bounds(high=required, threshold=required)

    def scaled(self, factor: float) -> Self:
        return self

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        size = fmt_number(abs(self.percent))
        if lang == "zh":
            return f"较上年{'增长' if self.percent >= 0 else '下降'}{size}%"
        return f"{'up' if self.percent >= 0 else 'down'} {size}% on the previous period"


@frozen(kw_only=True)
class Improve(Condition):
    """Direction only (逐渐下降, 持续下降, 逐年提高): strictly better than the baseline."""

    comparator: ClassVar[Comparator] = Comparator.IMPROVE
    needs_baseline: ClassVar[bool] = True

    def bounds(self, direction: Direction, baseline: float | None = None) -> Bounds:
        base = _require_baseline("Improve", baseline)
        if direction is Direction.HIGHER_IS_BETTER:
            return Bounds(low=base, low_closed=False, threshold=base)
        return Bounds(high=base, high_closed=False, threshold=base)

    def goal_value(self, direction: Direction, baseline: float | None = None) -> float | None:
        return None

    def scaled(self, factor: float) -> Self:
        return self

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        if direction is Direction.LOWER_IS_BETTER:
            return "逐渐下降" if lang == "zh" else "falling, below the previous period"
        if direction is Direction.HIGHER_IS_BETTER:
            return "逐年提高" if lang == "zh" else "rising, above the previous period"
        return "较上期改善" if lang == "zh" else "better than the previous period"


def _not_maintained(instance: object, attribute: Any, value: Condition) -> None:
    if not isinstance(value, Condition) or isinstance(value, Maintained):
        raise InvalidValueError("Maintained.condition", "a condition other than Maintained", value)


@frozen(kw_only=True)
class Maintained(Condition):
    """Maintained (保持/稳定在 X 以上): ``condition`` holds in every observation of the period."""

    condition: Condition = field(validator=_not_maintained)

    @property
    def comparator(self) -> Comparator:  # type: ignore[override]
        return self.condition.comparator

    @property
    def needs_baseline(self) -> bool:  # type: ignore[override]
        return self.condition.needs_baseline

    @property
    def value(self) -> float | None:
        return self.condition.value

    @property
    def value_high(self) -> float | None:
        return self.condition.value_high

    @property
    def maintained(self) -> bool:
        return True

    def bounds(self, direction: Direction, baseline: float | None = None) -> Bounds:
        return self.condition.bounds(direction, baseline)

    def goal_value(self, direction: Direction, baseline: float | None = None) -> float | None:
        return self.condition.goal_value(direction, baseline)

    def scaled(self, factor: float) -> Self:
        return type(self)(condition=self.condition.scaled(factor))

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        inner = self.condition.describe(unit, lang, direction)
        if lang == "zh":
            return "保持" + inner.removeprefix("达到")
        return f"{inner}, maintained throughout"
