"""What an observation of a rate can be: the one rule :func:`assess` and :func:`evaluate` share.

A rate (合格率, 覆盖率, 比例) is a share: numerator / denominator, between 0 and
100 %. A plain number above 1 for a rate is no measurement of the rate but a
misread unit: ``99.5`` in a column of unit ``1`` (9950 %), or a bare
``"96.9"`` meant as a percentage. Judged as it stands, it would be "met" with
a margin of thousands of points, so it is refused, naming the row, instead:

* ``implausible_rate``: a level below 0, or a plain fraction (unit ``1`` or
  no unit) above 1. A value stated in % or ‰ is taken as stated (the unit was
  written, not guessed);
* ``zero_denominator``: a denominator of 0 (no share can be formed);
* ``negative_count``: a negative numerator or denominator;
* ``numerator_exceeds_denominator``: more on top than below;
* ``value_disagrees_with_ratio``: the value differs from numerator /
  denominator by more than half a percentage point (the most rounding to
  whole percents can explain): a pooled 160/200 must not meet a target while
  the reported value says 99 %.

Only levels are checked: a change in percentage points (百分点) and a growth
rate (``measure`` ``growth``, 同比) may be negative. Indicators of other kinds are not checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["MEANINGS", "RATIO_TOLERANCE", "fraction_factor", "is_plain", "rate_problems"]

#: How far (as a fraction) a rate's value may lie from numerator / denominator.
RATIO_TOLERANCE = 0.005
# Float noise at the bounds (100 % written as 1 - 1e-16) is no misreading.
_SLACK = 1e-9
#: The level units and their factors to a plain fraction: pint's own definitions
#: (percent = 0.01, permille = 0.001), so that no unit conversion is needed (a test
#: holds them equal to ``conversion_factor``).
_LEVELS = {"%": 0.01, "‰": 0.001, "1": 1.0}

#: What each problem means, for messages.
MEANINGS: dict[str, str] = {
    "implausible_rate": "a rate of at least 0, and a plain fraction (unit 1 or none) of at "
    "most 1: 99.5 with unit 1 is 9950 % (write 99.5 with unit %, or 0.995 with unit 1)",
    "zero_denominator": "a denominator above 0",
    "negative_count": "a numerator and denominator of at least 0",
    "numerator_exceeds_denominator": "a numerator no larger than the denominator",
    "value_disagrees_with_ratio": "a value within half a percentage point of "
    "numerator / denominator",
}


def fraction_factor(unit: str | None) -> float | None:
    """The factor from ``unit`` to a plain fraction, for a level (%, ‰, 1); else ``None``."""
    from ._errors import PolicyTargetsError
    from ._units import parse_unit

    if unit is None:
        return None
    if not unit.strip():
        return 1.0  # a bare number: no unit says it is anything but a plain fraction
    try:
        parsed = parse_unit(unit)
    except PolicyTargetsError:
        return None
    # A unit that is a level (percent is %) has the level's factor.
    return next((f for level, f in _LEVELS.items() if parsed == parse_unit(level)), None)


def is_plain(unit: str | None) -> bool:
    """Whether ``unit`` is a plain fraction: ``1``, or no unit (a bare number)."""
    from ._errors import PolicyTargetsError
    from ._units import parse_unit

    if unit is None:
        return False
    if not unit.strip():
        return True
    try:
        return bool(parse_unit(unit) == parse_unit("1"))
    except PolicyTargetsError:
        return False


def rate_problems(
    value: npt.NDArray[np.float64],
    factor: npt.NDArray[np.float64],
    plain: npt.NDArray[np.bool_],
    numerator: npt.NDArray[np.float64] | None,
    denominator: npt.NDArray[np.float64] | None,
) -> list[tuple[str, str, npt.NDArray[np.bool_]]]:
    """``(reason, column, rows)`` for every problem among observations of a rate.

    Args:
        value: the values (NaN: missing).
        factor: per row, the factor of its unit to a fraction (NaN: not a level).
        plain: per row, whether its unit is a plain fraction (``1`` or none).
        numerator: the numerators, if any (NaN: none).
        denominator: the denominators, if any (NaN: none).
    """
    import numpy as np

    problems: list[tuple[str, str, npt.NDArray[np.bool_]]] = []
    # A ratio of extreme numbers may overflow to infinity: it then disagrees, and is refused.
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        # Infinities are refused as non_finite_value already; NaN is missing.
        fraction = np.where(np.isfinite(value), value * factor, np.nan)
        outside = (fraction < -_SLACK) | (plain & (fraction > 1 + _SLACK))
        if outside.any():
            problems.append(("implausible_rate", "value", outside))
        if numerator is None or denominator is None:
            return problems
        numerator = np.where(np.isfinite(numerator), numerator, np.nan)
        denominator = np.where(np.isfinite(denominator), denominator, np.nan)
        zero = denominator == 0
        if zero.any():
            problems.append(("zero_denominator", "denominator", zero))
        negative = (numerator < 0) | (denominator < 0)
        if negative.any():
            problems.append(("negative_count", "numerator", negative))
        exceeds = (numerator > denominator) & ~negative & ~zero
        if exceeds.any():
            problems.append(("numerator_exceeds_denominator", "numerator", exceeds))
        ratio = numerator / denominator
        sane = ~(zero | negative | exceeds | outside)
        disagrees = sane & (np.abs(fraction - ratio) > RATIO_TOLERANCE + _SLACK)
        if disagrees.any():
            problems.append(("value_disagrees_with_ratio", "value", disagrees))
    return problems
