"""Progress scores: how far an indicator has moved from its baseline to its target.

Three methods, each a function from :class:`ProgressInput` to a score object
that carries its components, so a report can show its working:

* ``linear`` — linear achievement, (actual − baseline) / (target − baseline);
* ``growth_ratio`` — the Statistics Canada / Open SDG growth ratio: the
  compound annual growth rate observed, over the rate needed;
* ``current_status_index`` — the UN ESCAP current status index,
  10 · d · (now − baseline) / |target − baseline|.

Any callable with the same signature can be passed as ``scoring=`` to
:func:`policytargets.assess`: scoring is pluggable.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum
from typing import Protocol

from attrs import frozen

from ._conditions import Direction
from ._errors import InvalidValueError
from ._periods import Period

__all__ = [
    "CurrentStatusIndex",
    "GrowthRatio",
    "LinearAchievement",
    "ProgressCategory",
    "ProgressInput",
    "Score",
    "ScoringMethod",
    "current_status_index",
    "growth_ratio",
    "linear_achievement",
    "resolve_scorer",
]


class ScoringMethod(StrEnum):
    """The built-in progress scoring methods."""

    LINEAR = "linear"
    GROWTH_RATIO = "growth_ratio"
    CURRENT_STATUS_INDEX = "current_status_index"


class ProgressCategory(StrEnum):
    """Growth-ratio categories (Statistics Canada / Open SDG thresholds 95 %, 60 %, 0)."""

    TARGET_ACHIEVED = "target_achieved"
    SUBSTANTIAL = "substantial_progress"
    MODERATE = "moderate_progress"
    LIMITED = "limited_progress"
    DETERIORATION = "deterioration"


@frozen(kw_only=True)
class ProgressInput:
    """What every scoring method gets: where the indicator was, is, and must get to.

    All values are in the target's unit.
    """

    baseline: float
    baseline_period: Period
    current: float
    current_period: Period
    target: float
    target_period: Period
    direction: Direction


class Score(Protocol):
    """What a scoring method returns: a method name, a value (or None) and a reason."""

    @property
    def method(self) -> str:
        """The method's name, e.g. ``"linear"``."""
        ...

    @property
    def value(self) -> float | None:
        """The score, or ``None`` where it is undefined."""
        ...

    @property
    def reason(self) -> str:
        """Why the score is ``None`` (empty when it is not)."""
        ...


Scorer = Callable[[ProgressInput], Score]


@frozen(kw_only=True)
class LinearAchievement:
    """Linear achievement: 0 at the baseline, 1 at the target, above 1 past it."""

    method: str = ScoringMethod.LINEAR.value
    value: float | None
    actual: float
    baseline: float
    target: float
    reason: str = ""


def linear_achievement(p: ProgressInput) -> LinearAchievement:
    """(actual − baseline) / (target − baseline); undefined when target equals baseline."""
    gap = p.target - p.baseline
    if gap == 0:
        return LinearAchievement(
            value=None,
            actual=p.current,
            baseline=p.baseline,
            target=p.target,
            reason="the target equals the baseline, so there is no distance to cover",
        )
    return LinearAchievement(
        value=(p.current - p.baseline) / gap, actual=p.current, baseline=p.baseline, target=p.target
    )


@frozen(kw_only=True)
class GrowthRatio:
    """The Statistics Canada / Open SDG growth ratio and its category."""

    method: str = ScoringMethod.GROWTH_RATIO.value
    value: float | None
    observed_cagr: float | None
    required_cagr: float | None
    years_elapsed: float
    years_total: float
    category: ProgressCategory | None
    reason: str = ""


def _cagr(start: float, end: float, years: float) -> float | None:
    if years <= 0 or start <= 0 or end < 0:
        return None
    return float((end / start) ** (1 / years) - 1)


def growth_ratio(p: ProgressInput) -> GrowthRatio:
    """Observed compound annual growth over the growth needed to reach the target.

    A zero target needs no substitution: the growth it needs is −100 % a year.
    Categories: target achieved when the current value is at or past the
    target; otherwise substantial (ratio ≥ 0.95), moderate (≥ 0.6), limited
    (≥ 0) or deterioration (< 0).
    """
    elapsed = p.baseline_period.years_until(p.current_period)
    total = p.baseline_period.years_until(p.target_period)
    observed = _cagr(p.baseline, p.current, elapsed)
    required = _cagr(p.baseline, p.target, total)

    def fail(reason: str) -> GrowthRatio:
        return GrowthRatio(
            value=None,
            observed_cagr=observed,
            required_cagr=required,
            years_elapsed=elapsed,
            years_total=total,
            category=None,
            reason=reason,
        )

    if elapsed <= 0 or total <= 0:
        return fail("the current or target period does not come after the baseline period")
    if observed is None or required is None:
        return fail("growth rates need a positive baseline and non-negative values")
    if required == 0:
        return fail("the target equals the baseline, so no growth is needed")
    ratio = observed / required
    reached = (p.current - p.target) * p.direction.sign >= 0
    if reached:
        category = ProgressCategory.TARGET_ACHIEVED
    elif ratio >= 0.95:
        category = ProgressCategory.SUBSTANTIAL
    elif ratio >= 0.6:
        category = ProgressCategory.MODERATE
    elif ratio >= 0:
        category = ProgressCategory.LIMITED
    else:
        category = ProgressCategory.DETERIORATION
    return GrowthRatio(
        value=ratio,
        observed_cagr=observed,
        required_cagr=required,
        years_elapsed=elapsed,
        years_total=total,
        category=category,
    )


@frozen(kw_only=True)
class CurrentStatusIndex:
    """The ESCAP current status index: 10 at the target, 0 at the baseline."""

    method: str = ScoringMethod.CURRENT_STATUS_INDEX.value
    value: float | None
    direction_sign: int
    current: float
    baseline: float
    target: float
    reason: str = ""


def current_status_index(p: ProgressInput) -> CurrentStatusIndex:
    """10 · d · (now − baseline) / |target − baseline|, d = +1 if higher is better, else −1."""
    d = p.direction.sign
    gap = abs(p.target - p.baseline)
    value = None if gap == 0 else 10 * d * (p.current - p.baseline) / gap
    reason = "the target equals the baseline, so there is no distance to cover" if gap == 0 else ""
    return CurrentStatusIndex(
        value=value,
        direction_sign=d,
        current=p.current,
        baseline=p.baseline,
        target=p.target,
        reason=reason,
    )


_BUILT_IN: dict[ScoringMethod, Scorer] = {
    ScoringMethod.LINEAR: linear_achievement,
    ScoringMethod.GROWTH_RATIO: growth_ratio,
    ScoringMethod.CURRENT_STATUS_INDEX: current_status_index,
}


def resolve_scorer(scoring: str | Scorer) -> Scorer:
    """A scoring method by name (see :class:`ScoringMethod`), or a callable passed through.

    Raises:
        InvalidValueError: an unknown method name.
    """
    if callable(scoring):
        return scoring
    try:
        return _BUILT_IN[ScoringMethod(scoring)]
    except ValueError:
        raise InvalidValueError(
            "scoring", f"one of {', '.join(m.value for m in ScoringMethod)} or a callable", scoring
        ) from None


def finite(value: float | None) -> bool:
    """Whether a value is a real, finite number."""
    return value is not None and math.isfinite(value)
