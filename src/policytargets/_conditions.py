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
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple, Self

from attrs import field, frozen

from ._errors import InvalidValueError
from ._periods import Period, to_period

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "DEFAULT_RTOL",
    "AbsoluteChange",
    "AnnualGrowth",
    "Approximately",
    "AtLeast",
    "AtMost",
    "Between",
    "Bounds",
    "Comparator",
    "Condition",
    "Direction",
    "Every",
    "EveryYear",
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


class Every(StrEnum):
    """The reporting resolution a maintained condition is judged at."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


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
    ANNUAL_GROWTH = "annual_growth"
    ABSOLUTE_CHANGE = "absolute_change"


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


class _BoundsArrays(NamedTuple):
    """:class:`Bounds` of many groups: one array per field; a NaN threshold is ``None``."""

    low: Any
    high: Any
    low_closed: Any
    high_closed: Any
    threshold: Any


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
        # No tolerance: 0, not 0 * inf (NaN) at an infinite bound of an array.
        tol = rtol * np.abs(bound) if rtol else 0.0
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


def satisfies_one(
    observed: float,
    low: float,
    high: float,
    low_closed: bool,
    high_closed: bool,
    rtol: float = DEFAULT_RTOL,
) -> bool:
    """:func:`satisfies` for one value and one pair of bounds, in plain Python.

    ``assess`` judges one figure at a time, where numpy's call overhead is
    most of the cost; a property test holds this equal to :func:`satisfies`.
    """
    inside = observed == observed  # NaN is inside nothing
    if not (low_closed and low == -math.inf):
        tol = rtol * abs(low) if rtol else 0.0
        inside = inside and (observed >= low - tol if low_closed else observed > low + tol)
    if not (high_closed and high == math.inf):
        tol = rtol * abs(high) if rtol else 0.0
        inside = inside and (observed <= high + tol if high_closed else observed < high - tol)
    return bool(inside)


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
    from ._unit_names import unit_label

    if lang == "zh":
        return f"{fmt_number(value)}{unit_label(unit, 'zh')}"
    number, label = _english_number(value, unit)
    if label in ("%", "‰") or not label:
        return f"{number}{label}"
    return f"{number} {label}"


def _english_number(value: float, unit: str) -> tuple[str, str]:
    """``value`` in ``unit`` as English writes it (万平方米 in m², times 10,000), and the label."""
    from ._unit_names import english_amount

    value, label = english_amount(value, unit)
    value = float(f"{value:.12g}")  # 164.7 万 is 1,647,000, not 1,647,000.0000000002
    number = f"{int(value):,}" if value == int(value) and abs(value) < 1e15 else f"{value:,}"
    return _in_words(value) or number, label


#: The short scale, largest first: 100 亿元 is "10 billion yuan", not "10,000,000,000 yuan".
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def _in_words(value: float) -> str | None:
    """A whole number of a million or more as "10 billion" or "96.8 billion", when exact.

    Integer arithmetic, so the words say the very number: at most one decimal
    (1,647,000 and 1,234,567 stay digits). None when the digits must stay.
    """
    if value != int(value) or not 1e6 <= abs(value) < 1e15:
        return None
    n = abs(int(value))
    scale, word = next((s, w) for s, w in _SCALES if n >= s)  # the largest that fits
    step = scale // 10
    if n % step:
        return None
    whole, tenths = divmod(n // step, 10)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole:,}{f'.{tenths}' if tenths else ''} {word}"


def _is_percent(unit: str) -> bool:
    """Whether ``unit`` is a percentage (its differences are 百分点, percentage points)."""
    from ._units import parse_unit

    return bool(unit) and format(parse_unit(unit), "D") == "percent"


def _change_amount(value: float, unit: str, lang: Lang) -> str:
    """A difference in the target's unit: percentage points (个百分点) for a rate in %."""
    if _is_percent(unit):
        number = fmt_number(value)
        if lang == "zh":
            return f"{number}个百分点"
        return f"{number} percentage point{'' if value == 1 else 's'}"
    return _with_unit(value, unit, lang)


def _base_text(base: Period | None, lang: Lang) -> str:
    """较2020年 / 较上年 (zh), "2020" / "the previous period" (en)."""
    if base is None:
        return "较上年" if lang == "zh" else "the previous period"
    text = str(base)
    if lang == "zh":
        return f"较{text}年" if text.isdigit() else f"较{text}"
    return text


def _optional_period(value: Any) -> Period | None:
    return None if value is None else to_period(value)


class Condition:
    """Base of every condition. Subclasses are frozen attrs classes.

    A condition says what a value must satisfy given the indicator's good
    direction, a baseline (for changes) and the years from the base period
    (for average annual growth): :meth:`bounds`. How it is judged over time
    (one figure, every year, a path from the baseline) follows from the class
    attributes below; the judging itself is one kernel, shared by
    :func:`~policytargets.assess` and :func:`~policytargets.evaluate`.

    Attributes:
        comparator: the condition's name in the :class:`Comparator` vocabulary.
        needs_baseline: whether judging it needs a baseline value.
        change: whether it compares two years' figures (a change against a
            base period), rather than a level or an amount over the period.
        compound: whether the path from the baseline to the target is
            compound (growth, cumulative reductions) rather than straight.
        growth: whether an observed growth rate (同比) can judge it.
        final_on_failure: whether one failure is final (不发生, 保持, 每年).
    """

    __slots__ = ()

    comparator: ClassVar[Comparator]
    needs_baseline: ClassVar[bool] = False
    change: ClassVar[bool] = False
    compound: ClassVar[bool] = False
    growth: ClassVar[bool] = False
    final_on_failure: ClassVar[bool] = False

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
        """The interval the observed value must lie in.

        Args:
            direction: the indicator's good direction.
            baseline: the base period's figure, for a change.
            years: years from the base period to the figure judged (average
                annual growth compounds over them).
            limit: the indicator's natural floor or ceiling (0 bad events,
                100 % coverage), where holding it counts as improving.

        Raises:
            InvalidValueError: the condition needs a baseline and got ``None``.
        """
        raise NotImplementedError

    def goal_value(self, direction: Direction, baseline: float | None = None) -> float | None:
        """The value progress is scored towards, or ``None`` where there is none."""
        return self.bounds(direction, baseline).threshold

    def _bounds_many(
        self,
        direction: Direction,
        baselines: Any,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> _BoundsArrays:
        """:meth:`bounds` for many baselines at once (NaN: none), the very same numbers.

        The default calls :meth:`bounds` once per distinct baseline; the
        conditions relative to a baseline compute theirs with numpy, in the
        same arithmetic (a test holds the two equal).
        """
        import numpy as np

        base = np.asarray(baselines, dtype=np.float64)
        if not self.needs_baseline:
            base = np.full(len(base), math.nan)  # bounds that no baseline moves: worked out once
        unique, inverse = np.unique(base, return_inverse=True)
        table = np.empty((len(unique), 5))
        for i, b in enumerate(unique.tolist()):
            bd = self.bounds(direction, None if math.isnan(b) else b, years=years, limit=limit)
            t = math.nan if bd.threshold is None else bd.threshold
            table[i] = (bd.low, bd.high, bd.low_closed, bd.high_closed, t)
        rows = table[np.asarray(inverse).ravel()]
        return _BoundsArrays(rows[:, 0], rows[:, 1], rows[:, 2] > 0, rows[:, 3] > 0, rows[:, 4])

    def _goal_many(self, direction: Direction, baselines: Any) -> Any:
        """:meth:`goal_value` for many baselines at once (NaN where it is ``None``)."""
        import numpy as np

        if type(self).goal_value is Condition.goal_value:
            return self._bounds_many(direction, baselines).threshold
        base = np.asarray(baselines, dtype=np.float64)
        if not self.needs_baseline:
            base = np.full(len(base), math.nan)
        unique, inverse = np.unique(base, return_inverse=True)
        goals = [self.goal_value(direction, None if math.isnan(b) else b) for b in unique.tolist()]
        table = np.array([math.nan if g is None else g for g in goals], dtype=np.float64)
        return table[np.asarray(inverse).ravel()]

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
    def base(self) -> Period | None:
        """The named base period of a change (较2020年), or ``None`` for the previous one."""
        return None

    @property
    def tolerance(self) -> float | None:
        """A tolerance (左右), in the target's unit or, for growth, in points of growth."""
        return None

    @property
    def two_sided(self) -> bool:
        """Whether a tolerance is a band both ways rather than read in the good direction."""
        return False

    @property
    def maintained(self) -> bool:
        """Whether the condition must hold in every year (reporting period) of the period."""
        return False

    @property
    def every_year(self) -> bool:
        """Whether the condition holds year on year, each year against the one before."""
        return False


def _require_baseline(name: str, baseline: float | None) -> float:
    if baseline is None or not math.isfinite(baseline):
        raise InvalidValueError(f"{name}.bounds", "a finite baseline value", baseline)
    return baseline


def _one_sided(direction: Direction, required: float) -> Bounds:
    """At least ``required`` when higher is better, at most it when lower is better."""
    if direction is Direction.HIGHER_IS_BETTER:
        return Bounds(low=required, threshold=required)
    return Bounds(high=required, threshold=required)


def _tolerant(direction: Direction, required: float, tol: float | None, two_sided: bool) -> Bounds:
    """Bounds around ``required`` with a tolerance (左右).

    Read in the good direction by default: over-fulfilment is met (超额完成), a
    shortfall within the tolerance is met (基本完成). ``two_sided``: a band.
    """
    if tol is None:
        return _one_sided(direction, required)
    if two_sided:
        return Bounds(low=required - tol, high=required + tol, threshold=required)
    if direction is Direction.HIGHER_IS_BETTER:
        return Bounds(low=required - tol, threshold=required)
    return Bounds(high=required + tol, threshold=required)


def _growth_bounds(direction: Direction, baseline: float, growth: Bounds, power: float) -> Bounds:
    """Bounds on growth (in %, per year when ``power`` is the years) mapped onto the level."""

    def level(g: float) -> float:
        if math.isinf(g):
            return g
        return float(baseline * (1 + g / 100) ** power)

    threshold = None if growth.threshold is None else level(growth.threshold)
    low, high = level(growth.low), level(growth.high)
    if baseline < 0:  # a negative base reverses the order (kept for completeness)
        low, high = high, low
        return Bounds(
            low=low,
            high=high,
            low_closed=growth.high_closed,
            high_closed=growth.low_closed,
            threshold=threshold,
        )
    return Bounds(
        low=low,
        high=high,
        low_closed=growth.low_closed,
        high_closed=growth.high_closed,
        threshold=threshold,
    )


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

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
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

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
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

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
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

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
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

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
        return _one_sided(direction, self.value)

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
    """No occurrences at all (不发生): at most 0, inclusive.

    One occurrence is final: the count can no longer come back to zero, so a
    target that failed part-way is ``not_met``, not ``off_track``.
    """

    comparator = Comparator.ZERO
    final_on_failure: ClassVar[bool] = True

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
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
            f"{type(instance).__name__}.{attribute.name}", "a positive number or None", value
        )


def _check_bool(instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, bool):
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name}", "True or False", value
        )


def _check_optional_period(instance: object, attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, Period):
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name}", "a period such as '2020', or None", value
        )


@frozen(kw_only=True)
class Approximately(Condition):
    """About ``value`` (X 左右), within an explicit tolerance.

    Exactly one of ``abs_tol`` (in the target's unit; percentage points for a
    rate in %) and ``rel_tol`` (a fraction of ``value``, 0.1 for ±10 %) must be
    given: plans never say how wide 左右 is, so the encoder has to.

    Read in the indicator's good direction, as review practice does:
    over-fulfilment is met (超额完成) and a shortfall within the tolerance is
    met (基本完成). ``two_sided=True`` is a band, for plans that mean one.
    """

    comparator: ClassVar[Comparator] = Comparator.APPROXIMATELY

    value: float = field(converter=_number, validator=_finite)
    abs_tol: float | None = field(default=None, converter=_number, validator=_positive_or_none)
    rel_tol: float | None = field(default=None, converter=_number, validator=_positive_or_none)
    two_sided: bool = field(default=False, validator=_check_bool)

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

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
        return _tolerant(direction, self.value, self.tolerance, self.two_sided)

    def scaled(self, factor: float) -> Self:
        abs_tol = None if self.abs_tol is None else self.abs_tol * abs(factor)
        return type(self)(
            value=self.value * factor,
            abs_tol=abs_tol,
            rel_tol=self.rel_tol,
            two_sided=self.two_sided,
        )

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        q = _with_unit(self.value, unit, lang)
        tol = (
            _change_amount(self.abs_tol, unit, lang)
            if self.abs_tol is not None
            else f"{fmt_number(100 * (self.rel_tol or 0.0))}%"
        )
        if lang == "zh":
            return f"{q}左右(±{tol}{',双向' if self.two_sided else ''})"
        return f"about {q} (±{tol}{', either way' if self.two_sided else ''})"


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

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
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
        # Both ends in the same English unit (万平方米: 10 and 20 are 100,000 and 200,000 m²).
        return f"between {_english_number(self.low, unit)[0]} and {high}"


def _growth_words(percent: float, lang: Lang) -> str:
    size = fmt_number(abs(percent))
    if lang == "zh":
        return f"{'增长' if percent >= 0 else '下降'}{size}%"
    return f"{'up' if percent >= 0 else 'down'} {size}%"


def _tolerance_words(tolerance: float | None, two_sided: bool, lang: Lang) -> str:
    if tolerance is None:
        return ""
    points = fmt_number(tolerance)
    if lang == "zh":
        return f"左右(±{points}个百分点{',双向' if two_sided else ''})"
    unit = "percentage point" if tolerance == 1 else "percentage points"
    return f" (±{points} {unit} of growth{', either way' if two_sided else ''})"


@frozen(kw_only=True)
class _Growth(Condition):
    """A growth in % against a base period, with an optional tolerance in points of growth.

    What :class:`RelativeChange` (over the whole change) and
    :class:`AnnualGrowth` (a year, compounded) share: their fields, the bounds
    on the growth itself and their indifference to the indicator's unit.
    """

    needs_baseline: ClassVar[bool] = True
    change: ClassVar[bool] = True
    compound: ClassVar[bool] = True
    growth: ClassVar[bool] = True

    percent: float = field(converter=_number, validator=_finite)
    base: Period | None = field(
        default=None, converter=_optional_period, validator=_check_optional_period
    )
    tolerance: float | None = field(default=None, converter=_number, validator=_positive_or_none)
    two_sided: bool = field(default=False, validator=_check_bool)

    @property
    def value(self) -> float:
        return self.percent

    def growth_bounds(self, direction: Direction) -> Bounds:
        """The bounds on the growth itself, in % (over the whole change, or a year)."""
        return _tolerant(direction, self.percent, self.tolerance, self.two_sided)

    def _power(self, years: float | None) -> float:
        """The power the growth factor is raised to: 1, or the years it compounds over."""
        return 1.0

    def _bounds_many(
        self,
        direction: Direction,
        baselines: Any,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> _BoundsArrays:
        import numpy as np

        base = np.asarray(baselines, dtype=np.float64)
        growth, power = self.growth_bounds(direction), self._power(years)

        def level(g: float) -> Any:
            # As _growth_bounds: baseline * (1 + g/100) ** power, the factor first.
            if math.isinf(g):
                return np.full(len(base), g)
            return base * (1 + g / 100) ** power

        low, high = level(growth.low), level(growth.high)
        threshold = (
            np.full(len(base), math.nan) if growth.threshold is None else level(growth.threshold)
        )
        negative = base < 0  # a negative base reverses the order (kept for completeness)
        lc = np.where(negative, growth.high_closed, growth.low_closed)
        hc = np.where(negative, growth.low_closed, growth.high_closed)
        low, high = np.where(negative, high, low), np.where(negative, low, high)
        return _BoundsArrays(low, high, lc, hc, threshold)

    def scaled(self, factor: float) -> Self:
        return self  # a growth in % is the same in every unit of the indicator


@frozen(kw_only=True)
class RelativeChange(_Growth):
    """A change of ``percent`` per cent against a base period (较上年增长 X%, 较2020年下降 X%).

    In the indicator's good direction: with higher-is-better, the value must
    reach ``baseline × (1 + percent/100)`` or more; with lower-is-better
    (下降 5% is ``percent=-5``), that value or less. ``percent`` is a relative
    change in %, not percentage points (that is :class:`AbsoluteChange`).

    Attributes:
        percent: the change in %.
        base: the base period (较2020年); ``None`` for the period before the
            target's (较上年).
        tolerance: 增长5%左右: how far the growth may fall short, in
            percentage points of growth (read in the good direction unless
            ``two_sided``).
        two_sided: the tolerance is a band both ways.
    """

    comparator: ClassVar[Comparator] = Comparator.RELATIVE_CHANGE

    def target_value(self, baseline: float) -> float:
        """The value the change requires, in the target's unit."""
        return baseline * (1 + self.percent / 100)

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
        base = _require_baseline("RelativeChange", baseline)
        return _growth_bounds(direction, base, self.growth_bounds(direction), 1.0)

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        words = _growth_words(self.percent, lang)
        tol = _tolerance_words(self.tolerance, self.two_sided, lang)
        if lang == "zh":
            return f"{_base_text(self.base, lang)}{words}{tol}"
        return f"{words}{tol} on {_base_text(self.base, lang)}"


@frozen(kw_only=True)
class AnnualGrowth(_Growth):
    """Average annual (compound) growth of ``percent`` per cent from the base year (年均增长 X%).

    The figure of year *n* years after the base must reach
    ``baseline × (1 + percent/100) ** n`` (or, with lower-is-better and a
    negative ``percent``, stay at or under it): the compound path, as 年均
    means. Judged from levels or from the published growth rates of each year
    (同比), chained.

    Attributes:
        percent: the average annual growth in %.
        base: the base year; ``None`` for the year before the target period
            starts (2020 for a 2021–2025 plan).
        tolerance: 年均增长6%左右: in percentage points of annual growth.
        two_sided: the tolerance is a band both ways.
    """

    comparator: ClassVar[Comparator] = Comparator.ANNUAL_GROWTH

    def __attrs_post_init__(self) -> None:
        if self.percent <= -100:
            raise InvalidValueError("AnnualGrowth.percent", "a growth above -100 %", self.percent)

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
        base = _require_baseline("AnnualGrowth", baseline)
        return _growth_bounds(direction, base, self.growth_bounds(direction), self._power(years))

    def _power(self, years: float | None) -> float:
        return 1.0 if years is None else years

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        size = fmt_number(abs(self.percent))
        tol = _tolerance_words(self.tolerance, self.two_sided, lang)
        if lang == "zh":
            verb = "年均增长" if self.percent >= 0 else "年均下降"
            base = "" if self.base is None else f"(基期{self.base})"
            return f"{verb}{size}%{tol}{base}"
        verb = "growth" if self.percent >= 0 else "decline"
        since = "" if self.base is None else f" since {_base_text(self.base, lang)}"
        return f"average annual {verb} of {size}%{tol}{since}"


@frozen(kw_only=True)
class AbsoluteChange(Condition):
    """A change of ``amount`` in the target's unit against a base period.

    提高2个百分点 (a rate: the amount is in percentage points, never a level),
    增加12项 (a stock), 提高1岁 (life expectancy). In the good direction: with
    higher-is-better the value must reach ``baseline + amount`` or more; with
    lower-is-better (下降 is a negative ``amount``), that value or less.

    Attributes:
        amount: the change, in the target's unit (percentage points for %).
        base: the base period; ``None`` for the period before the target's.
    """

    comparator: ClassVar[Comparator] = Comparator.ABSOLUTE_CHANGE
    needs_baseline: ClassVar[bool] = True
    change: ClassVar[bool] = True

    amount: float = field(converter=_number, validator=_finite)
    base: Period | None = field(
        default=None, converter=_optional_period, validator=_check_optional_period
    )

    @property
    def value(self) -> float:
        return self.amount

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
        base = _require_baseline("AbsoluteChange", baseline)
        return _one_sided(direction, base + self.amount)

    def _bounds_many(
        self,
        direction: Direction,
        baselines: Any,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> _BoundsArrays:
        import numpy as np

        required = np.asarray(baselines, dtype=np.float64) + self.amount
        unbounded = np.full(len(required), math.inf)
        closed = np.ones(len(required), dtype=bool)
        if direction is Direction.HIGHER_IS_BETTER:  # as _one_sided
            return _BoundsArrays(required, unbounded, closed, closed, required)
        return _BoundsArrays(-unbounded, required, closed, closed, required)

    def scaled(self, factor: float) -> Self:
        return type(self)(amount=self.amount * factor, base=self.base)

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        size = _change_amount(abs(self.amount), unit, lang)
        if lang == "zh":
            rate = _is_percent(unit)
            verb = (
                ("提高" if rate else "增加") if self.amount >= 0 else ("下降" if rate else "减少")
            )
            return f"{_base_text(self.base, lang)}{verb}{size}"
        verb = "up" if self.amount >= 0 else "down"
        return f"{verb} {size} on {_base_text(self.base, lang)}"


@frozen(kw_only=True)
class Improve(Condition):
    """Direction only (逐渐下降, 持续下降, 逐年提高): strictly better than the baseline.

    At a natural floor (0 bad events; 100 % for a coverage rate), holding
    the floor is met: nothing is left to improve.
    """

    comparator: ClassVar[Comparator] = Comparator.IMPROVE
    needs_baseline: ClassVar[bool] = True
    change: ClassVar[bool] = True

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
        base = _require_baseline("Improve", baseline)
        if direction is Direction.HIGHER_IS_BETTER:
            if limit is not None and base >= limit:
                return Bounds(low=limit, threshold=limit)
            return Bounds(low=base, low_closed=False, threshold=base)
        if limit is not None and base <= limit:
            return Bounds(high=limit, threshold=limit)
        return Bounds(high=base, high_closed=False, threshold=base)

    def _bounds_many(
        self,
        direction: Direction,
        baselines: Any,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> _BoundsArrays:
        import numpy as np

        base = np.asarray(baselines, dtype=np.float64)
        unbounded = np.full(len(base), math.inf)
        closed = np.ones(len(base), dtype=bool)
        higher = direction is Direction.HIGHER_IS_BETTER
        # At the natural limit, holding it is improving (as bounds).
        at_limit = (
            np.zeros(len(base), dtype=bool)
            if limit is None
            else (base >= limit if higher else base <= limit)
        )
        edge = np.where(at_limit, limit if limit is not None else 0.0, base)
        if higher:
            return _BoundsArrays(edge, unbounded, at_limit, closed, edge)
        return _BoundsArrays(-unbounded, edge, closed, at_limit, edge)

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


def _check_inner(instance: object, attribute: Any, value: Condition) -> None:
    name = type(instance).__name__
    if not isinstance(value, Condition) or isinstance(value, Maintained | EveryYear):
        raise InvalidValueError(
            f"{name}.condition", "a condition other than Maintained or EveryYear", value
        )


@frozen(kw_only=True)
class _Wrapper(Condition):
    """A condition judged year by year: the inner one's numbers, bounds and wording."""

    condition: Condition = field(validator=_check_inner)
    final_on_failure: ClassVar[bool] = True

    @property
    def comparator(self) -> Comparator:  # type: ignore[override]
        return self.condition.comparator

    @property
    def needs_baseline(self) -> bool:  # type: ignore[override]
        return self.condition.needs_baseline

    @property
    def change(self) -> bool:  # type: ignore[override]
        return self.condition.change

    @property
    def compound(self) -> bool:  # type: ignore[override]
        return self.condition.compound

    @property
    def growth(self) -> bool:  # type: ignore[override]
        return self.condition.growth

    @property
    def value(self) -> float | None:
        return self.condition.value

    @property
    def value_high(self) -> float | None:
        return self.condition.value_high

    @property
    def base(self) -> Period | None:
        return self.condition.base

    @property
    def tolerance(self) -> float | None:
        return self.condition.tolerance

    @property
    def two_sided(self) -> bool:
        return self.condition.two_sided

    def bounds(
        self,
        direction: Direction,
        baseline: float | None = None,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> Bounds:
        return self.condition.bounds(direction, baseline, years=years, limit=limit)

    def goal_value(self, direction: Direction, baseline: float | None = None) -> float | None:
        return self.condition.goal_value(direction, baseline)

    def _bounds_many(
        self,
        direction: Direction,
        baselines: Any,
        *,
        years: float | None = None,
        limit: float | None = None,
    ) -> _BoundsArrays:
        return self.condition._bounds_many(direction, baselines, years=years, limit=limit)

    def _goal_many(self, direction: Direction, baselines: Any) -> Any:
        return self.condition._goal_many(direction, baselines)

    def scaled(self, factor: float) -> Self:
        return type(self)(condition=self.condition.scaled(factor))


def _every(value: Any) -> Every:
    try:
        return Every(value)
    except ValueError:
        raise InvalidValueError(
            "Maintained.every", f"one of {', '.join(e.value for e in Every)}", value
        ) from None


@frozen(kw_only=True)
class Maintained(_Wrapper):
    """Maintained (保持/稳定在 X 以上): ``condition`` holds in every year of the period.

    Judged at the target's reporting resolution, ``every`` year by default
    (每月: ``every="month"``): on each such period's figure (a flow summed,
    a rate pooled), never on each sub-period observation. One that fails is
    final.
    """

    every: Every = field(default=Every.YEAR, converter=_every)

    @property
    def maintained(self) -> bool:
        return True

    def scaled(self, factor: float) -> Self:
        return type(self)(condition=self.condition.scaled(factor), every=self.every)

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        inner = self.condition.describe(unit, lang, direction)
        if lang == "zh":
            each = {Every.YEAR: "", Every.QUARTER: "每季度", Every.MONTH: "每月"}[self.every]
            return each + "保持" + inner.removeprefix("达到")
        if self.every is Every.YEAR:
            return f"{inner}, maintained throughout"
        return f"{inner}, every {self.every.value}"


@frozen(kw_only=True)
class EveryYear(_Wrapper):
    """Every year (逐年提高, 每年): ``condition`` holds year on year over a multi-year period.

    Each year's figure is judged against the condition; a change (提高,
    增长 X%) against the year before. One year that fails is final.
    """

    @property
    def every_year(self) -> bool:
        return True

    def describe(
        self, unit: str = "", lang: Lang = "zh", direction: Direction | None = None
    ) -> str:
        if isinstance(self.condition, Improve):
            return (
                self.condition.describe(unit, lang, direction)
                if lang == "zh"
                else ("better every year than the year before")
            )
        inner = self.condition.describe(unit, lang, direction)
        if lang == "zh":
            return "每年" + inner.removeprefix("较上年")
        return f"every year: {inner}"
