"""Assessing a target (or a milestone) against observations.

:func:`assess` never raises on missing or odd data: it returns an
:class:`Assessment` whose :class:`Status` says what happened (no data, not
comparable, needs a baseline). It raises only for input that is wrong in
itself: an observation of another indicator, or two observations of the same
period that contradict each other.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from ._conditions import DEFAULT_RTOL, Bounds, satisfies
from ._errors import InvalidValueError, UnitParseError
from ._labels import check_optional_text
from ._model import Basis, IndicatorKind, Milestone, Target
from ._periods import Period, to_period
from ._scoring import ProgressInput, Score, Scorer, resolve_scorer

if TYPE_CHECKING:
    import pint

__all__ = [
    "Assessment",
    "Observation",
    "Status",
    "assess",
    "margin_unit",
]


class Status(StrEnum):
    """The outcome of an assessment."""

    MET = "met"
    """The whole period is observed and the condition holds."""
    NOT_MET = "not_met"
    """The whole period is observed and the condition fails, or a maintained
    condition failed in the part observed so far."""
    ON_TRACK = "on_track"
    """Only part of the period is observed, and so far the condition holds."""
    OFF_TRACK = "off_track"
    """Only part of the period is observed, and so far the condition fails.

    A maintained (保持) condition that fails in part of the period is
    ``not_met`` instead: it can no longer be met."""
    NO_DATA = "no_data"
    """No usable observation for the period (none, or all missing / NaN)."""
    NOT_COMPARABLE = "not_comparable"
    """An observation's unit has another dimension than the target's."""
    NEEDS_BASELINE = "needs_baseline"
    """The condition is relative to a baseline and none is known."""
    PENDING = "pending"
    """A milestone not (yet) done."""
    DONE = "done"
    """A milestone done."""


def _check_optional_number(instance: object, attribute: Any, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise InvalidValueError(f"Observation.{attribute.name}", "a number or None", value)
    # NaN means "not available"; an infinity is no measurement and would
    # judge, sum or pool into nonsense.
    if isinstance(value, float) and math.isinf(value):
        raise InvalidValueError(
            f"Observation.{attribute.name}", "a finite number (NaN or None if missing)", value
        )


def _to_float(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _check_observation_unit(instance: object, attribute: Any, value: Any) -> None:
    from ._units import parse_unit

    if not isinstance(value, str):
        raise InvalidValueError("Observation.unit", "a unit string", value)
    try:
        parse_unit(value)
    except UnitParseError as exc:
        raise InvalidValueError("Observation.unit", f"a known unit ({exc.reason})", value) from None


@frozen(kw_only=True)
class Observation:
    """A measured value of an indicator for a period.

    Attributes:
        period: the period the value is for.
        value: the value in ``unit``; ``None`` or NaN means "not available"
            and gives the status ``no_data`` rather than an error. An
            infinity is refused, here and in ``numerator`` and ``denominator``.
        unit: the unit the value is in; any unit of the indicator's dimension.
        indicator: the indicator's (or the target's) id, when known; checked
            against the target being assessed.
        region: the region or other breakdown the value is for.
        numerator: for a rate, the count on top (lets rates pool correctly).
        denominator: for a rate, the count below.
        source: where the value comes from.
    """

    period: Period = field(converter=to_period)
    value: float | None = field(converter=_to_float, validator=_check_optional_number)
    unit: str = field(default="", validator=_check_observation_unit)
    indicator: str | None = field(default=None, validator=check_optional_text)
    region: str | None = field(default=None, validator=check_optional_text)
    numerator: float | None = field(
        default=None, converter=_to_float, validator=_check_optional_number
    )
    denominator: float | None = field(
        default=None, converter=_to_float, validator=_check_optional_number
    )
    source: str | None = field(default=None, validator=check_optional_text)

    @classmethod
    def from_quantity(
        cls, quantity: str | pint.Quantity[Any], *, period: Period | str | int, **fields: Any
    ) -> Observation:
        """An observation from text such as ``"96.9%"`` or from a pint quantity (any registry)."""
        from ._units import to_quantity

        q = to_quantity(quantity, "Observation")
        return cls(period=period, value=float(q.magnitude), unit=f"{q.units:~}" or "", **fields)

    @property
    def missing(self) -> bool:
        """Whether the value is absent (``None`` or NaN)."""
        return self.value is None or math.isnan(self.value)


def margin_unit(unit: str) -> str:
    """The unit a margin is in: percentage points (百分点) for a %, else the unit itself."""
    from ._units import parse_unit

    if format(parse_unit(unit), "D") == "percent":
        return "百分点"
    return unit


@frozen(kw_only=True, repr=False)
class Assessment:
    """A target (or milestone) checked against observations.

    Attributes:
        target_id: what was assessed.
        status: the outcome (see :class:`Status`).
        reason: why, in a sentence.
        period: the target's period.
        unit: the target's unit; ``observed``, ``threshold`` and ``baseline``
            are in it.
        observed: the value judged: the latest level (of observations
            ending last, the longest one's), the sum of a flow, a pooled
            rate, or for a maintained target the worst observation.
        projected: for a flow observed over part of the period, the observed
            value extrapolated linearly to the period's end (what is judged).
        threshold: the value the margin is measured from.
        margin: judged value minus threshold, in ``margin_unit``.
        margin_unit: percentage points (百分点) for a target in %, else ``unit``.
        baseline: the baseline value used, if any.
        coverage: the share of the period the observations cover, 0 to 1.
        score: the progress score, when a baseline and a numeric target exist.
        aspirational: copied from the target (力争), so reports can set it apart.
        region: the region assessed, if the observations name one.
    """

    target_id: str
    status: Status
    reason: str
    period: Period
    unit: str = ""
    observed: float | None = None
    projected: float | None = None
    threshold: float | None = None
    margin: float | None = None
    margin_unit: str = ""
    baseline: float | None = None
    coverage: float = 0.0
    score: Score | None = None
    aspirational: bool = False
    region: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the status is a good one (met, on track, done)."""
        return self.status in (Status.MET, Status.ON_TRACK, Status.DONE)

    def __repr__(self) -> str:
        from ._display import short_repr

        return short_repr(self)

    def _repr_html_(self) -> str:
        from ._display import to_html

        return to_html(self)


ObservationLike = Observation | str | Any

#: Why a maintained (保持) or zero (不发生) condition that failed in part of the period is not met.
FAILED_FOR_GOOD = "a condition that failed once (保持, 不发生) can no longer be met"


def natural_limit(target: Target) -> float | None:
    """The indicator's natural floor or ceiling, in the target's unit, or ``None``.

    Lower is better: 0 (no bad events can be fewer than none). Higher is
    better, for a rate: 100 % (full coverage). Holding it is improving.
    """
    from ._conditions import Direction
    from ._units import conversion_factor

    if target.indicator.direction is Direction.LOWER_IS_BETTER:
        return 0.0
    if target.indicator.kind is IndicatorKind.RATE:
        return conversion_factor("", target.unit)
    return None


def _as_observations(observations: Any, target: Target) -> list[Observation]:
    import pint

    if observations is None:
        return []
    if isinstance(observations, Observation | str | pint.Quantity):
        observations = [observations]
    if not isinstance(observations, Iterable):
        raise InvalidValueError(
            "observations",
            "Observations, text such as '96.9%' or pint Quantities (or one of them)",
            observations,
        )
    result = []
    for i, item in enumerate(observations):
        if isinstance(item, Observation):
            result.append(item)
        elif isinstance(item, str | pint.Quantity):
            result.append(Observation.from_quantity(item, period=target.period))
        else:
            raise InvalidValueError(
                f"observations[{i}]",
                "an Observation, text such as '96.9%' or a pint Quantity",
                item,
            )
    return result


def _check_indicator(obs: Observation, i: int, target: Target) -> None:
    if obs.indicator is not None and obs.indicator not in (target.id, target.indicator.id):
        raise InvalidValueError(
            f"observations[{i}].indicator",
            f"{target.indicator.id!r} (or target {target.id!r})",
            obs.indicator,
        )


def _factor(unit: str, target_unit: str) -> float | None:
    from ._units import conversion_factor, is_compatible

    if not is_compatible(unit, target_unit):
        return None
    return conversion_factor(unit, target_unit)


class _Aggregate:
    """Observations of one period reduced to the value a target is judged on."""

    __slots__ = ("coverage", "end", "problem", "values")

    def __init__(self) -> None:
        self.values: list[tuple[Observation, float]] = []
        self.problem: tuple[Status, str] | None = None
        self.coverage = 0.0
        self.end: Period | None = None


def _latest_last(pair: tuple[Observation, float]) -> tuple[Any, int]:
    """Sort key: by period end, then longest first, so the last is the latest, longest one.

    Of a 2022 figure and a 2022-H2 one, both ending on 31 December, the whole
    year's is the level to judge: it is the one reported for the period.
    """
    period = pair[0].period
    return period.end, -period.start.toordinal()


def _collect(obs: list[Observation], period: Period, target: Target) -> _Aggregate:
    agg = _Aggregate()
    usable = [o for o in obs if not o.missing]
    if not usable:
        agg.problem = (
            Status.NO_DATA,
            f"no observation for {period}"
            if not obs
            else f"every observation for {period} is missing",
        )
        return agg
    for o in usable:
        factor = _factor(o.unit, target.unit)
        if factor is None:
            from ._units import dimensionality

            agg.problem = (
                Status.NOT_COMPARABLE,
                f"observed unit {o.unit!r} ({dimensionality(o.unit)}) cannot be compared with "
                f"the target's {target.unit!r} ({dimensionality(target.unit)})",
            )
            return agg
        assert o.value is not None
        agg.values.append((o, o.value * factor))
    # One value per period: an exact repeat is one observation, a different
    # value for the same period is a contradiction.
    unique: dict[Period, tuple[Observation, float]] = {}
    for o, v in agg.values:
        if o.period in unique and unique[o.period][1] != v:
            raise InvalidValueError(
                f"observations of {target.id!r}",
                f"one value per period, got {unique[o.period][1]} and {v} for {o.period}",
                o,
            )
        unique[o.period] = (o, v)
    agg.values = sorted(unique.values(), key=_latest_last)
    agg.end = agg.values[-1][0].period
    return agg


def _flow(target: Target) -> bool:
    return target.indicator.basis is Basis.FLOW


def _level(agg: _Aggregate, target: Target, period: Period) -> tuple[float, float]:
    """The value judged and the coverage of the period, for a non-maintained target."""
    if _flow(target):
        days = 0
        previous_end = None
        for o, _ in agg.values:
            if previous_end is not None and o.period.start <= previous_end:
                raise InvalidValueError(
                    f"observations of flow target {target.id!r}",
                    "periods that do not overlap (a flow is summed over them)",
                    str(o.period),
                )
            previous_end = o.period.end
            days += o.period.days
        return sum(v for _, v in agg.values), days / period.days
    coverage = (agg.values[-1][0].period.end - period.start).days + 1
    if target.indicator.kind is IndicatorKind.RATE and all(
        o.numerator is not None and o.denominator is not None for o, _ in agg.values
    ):
        # Pool the rate over the latest period end only when sub-periods are
        # disjoint; otherwise take the latest figure as reported.
        disjoint = all(
            a[0].period.end < b[0].period.start
            for a, b in zip(agg.values, agg.values[1:], strict=False)
        )
        if disjoint and len(agg.values) > 1:
            from ._units import conversion_factor

            num = sum(o.numerator or 0.0 for o, _ in agg.values)
            den = sum(o.denominator or 0.0 for o, _ in agg.values)
            if den > 0:
                return num / den * conversion_factor("", target.unit), coverage / period.days
    return agg.values[-1][1], coverage / period.days


def _snap(observed: float, reference: float, rtol: float) -> float:
    margin = observed - reference
    return 0.0 if abs(margin) <= rtol * abs(reference) else margin


def _inside(value: float, bounds: Bounds, rtol: float) -> bool:
    return bool(
        satisfies(value, bounds.low, bounds.high, bounds.low_closed, bounds.high_closed, rtol)
    )


def _baseline_value(
    target: Target, explicit: float | Observation | None, previous: list[Observation]
) -> tuple[float | None, Period, str]:
    prev = target.period.previous()
    if isinstance(explicit, Observation):
        factor = None if explicit.missing else _factor(explicit.unit, target.unit)
        if factor is None or explicit.value is None:
            return None, explicit.period, "the baseline given is missing or not comparable"
        return explicit.value * factor, explicit.period, ""
    if explicit is not None:
        if (
            isinstance(explicit, bool)
            or not isinstance(explicit, int | float)
            or not math.isfinite(explicit)
        ):
            raise InvalidValueError(
                "assess(baseline=)", "a finite number or an Observation", explicit
            )
        return float(explicit), prev, ""
    if target.baseline is not None:
        return target.baseline.value, target.baseline.period, ""
    agg = _collect(previous, prev, target)
    if agg.problem is not None:
        return None, prev, agg.problem[1]
    value, _ = _level(agg, target, prev)
    if _flow(target):
        # A flow summed over part of the period is not the period's figure
        # (2021-H1 alone is half a year): unknown, rather than silently low.
        days = sum(o.period.days for o, _ in agg.values)
        if days < prev.days:
            return None, prev, f"observations cover {_covered_percent(days, prev.days)}% of {prev}"
    return value, prev, ""


def _covered_percent(days: int, total: int) -> int:
    """``days`` of ``total`` in whole percent, rounded half up, and below 100 when short."""
    return min((200 * days + total) // (2 * total), 99 if days < total else 100)


def assess(
    item: Target | Milestone,
    observations: Iterable[ObservationLike] | ObservationLike | bool | None = None,
    *,
    baseline: float | Observation | None = None,
    scoring: str | Scorer = "linear",
    rtol: float = DEFAULT_RTOL,
) -> Assessment:
    """Check a target against observations (or a milestone against done / not done).

    Args:
        item: the target or milestone.
        observations: Observations, text such as ``"96.9%"`` or pint
            quantities (taken as covering the whole period), or one of them.
            Observations of the target's period are judged; those of the
            period before serve as the baseline; others are ignored. For a
            milestone: ``True`` (done), ``False`` or ``None`` (pending).
        baseline: a baseline in the target's unit, overriding the target's own
            and any observation of the previous period. Without either, the
            baseline is the previous period's level; for a flow, its sum,
            known only when the observations cover the whole previous period.
        scoring: ``"linear"``, ``"growth_ratio"``, ``"current_status_index"``
            or a callable taking a :class:`ProgressInput`.
        rtol: relative tolerance at bounds (see :data:`DEFAULT_RTOL`).

    Returns:
        The assessment; missing, NaN or incomparable data give a status, not
        an exception.

    Raises:
        InvalidValueError: an observation names another indicator, straddles
            the period's edge, or contradicts another for the same period.
    """
    if isinstance(item, Milestone):
        return _assess_milestone(item, observations)
    if not isinstance(item, Target):
        raise InvalidValueError("assess(item)", "a Target or a Milestone", item)
    target = item
    scorer = resolve_scorer(scoring)
    obs = _as_observations(observations, target)
    prev = target.period.previous()
    current: list[Observation] = []
    previous: list[Observation] = []
    for i, o in enumerate(obs):
        _check_indicator(o, i, target)
        if target.period.contains(o.period):
            current.append(o)
        elif prev.contains(o.period):
            previous.append(o)
        elif target.period.overlaps(o.period):
            raise InvalidValueError(
                f"observations[{i}].period",
                f"a period within {target.period} or wholly outside it",
                str(o.period),
            )
    regions = {o.region for o in current}
    if len(regions) > 1:
        raise InvalidValueError(
            f"observations of {target.id!r}",
            "observations of one region at a time (use policytargets.evaluate for many)",
            sorted(str(r) for r in regions),
        )
    region = next(iter(regions), None)
    base: dict[str, Any] = {
        "target_id": target.id,
        "period": target.period,
        "unit": target.unit,
        "margin_unit": margin_unit(target.unit),
        "aspirational": target.aspirational,
        "region": region,
    }
    agg = _collect(current, target.period, target)
    if agg.problem is not None:
        return Assessment(status=agg.problem[0], reason=agg.problem[1], **base)
    base_value, base_period, base_reason = _baseline_value(target, baseline, previous)
    base["baseline"] = base_value
    direction = target.indicator.direction
    condition = target.condition
    if condition.needs_baseline and base_value is None:
        observed, coverage = _level(agg, target, target.period)
        return Assessment(
            status=Status.NEEDS_BASELINE,
            reason=f"{condition.comparator} needs a baseline for {prev}: "
            f"{base_reason or 'none given'}",
            observed=observed,
            coverage=min(coverage, 1.0),
            **base,
        )
    bounds = condition.bounds(direction, base_value, limit=natural_limit(target))
    projected: float | None = None
    if condition.maintained:
        judged = [(o, v, _inside(v, bounds, rtol)) for o, v in agg.values]
        worst = min(judged, key=lambda t: (t[2], (t[1] - bounds.reference(t[1])) * direction.sign))
        observed = worst[1]
        holds = all(ok for _, _, ok in judged)
        coverage = (
            (agg.values[-1][0].period.end - target.period.start).days + 1
        ) / target.period.days
        value_judged = observed
    else:
        observed, coverage = _level(agg, target, target.period)
        value_judged = observed
        if _flow(target) and coverage < 1:
            projected = observed / coverage if coverage > 0 else observed
            value_judged = projected
        holds = _inside(value_judged, bounds, rtol)
    partial = coverage < 1 - 1e-12
    # A maintained condition must hold in every observation of the period, so
    # one that already failed is not met, however much of the period remains.
    final = partial and (condition.maintained or condition.final_on_failure) and not holds
    if partial and not final:
        status = Status.ON_TRACK if holds else Status.OFF_TRACK
    else:
        status = Status.MET if holds else Status.NOT_MET
    reference = bounds.reference(value_judged)
    margin = _snap(value_judged, reference, rtol)
    described = condition.describe(target.unit, "en", direction)
    verb = {
        Status.MET: "meets",
        Status.NOT_MET: "does not meet",
        Status.ON_TRACK: "so far meets",
        Status.OFF_TRACK: "so far does not meet",
    }[status]
    what = "projected value" if projected is not None else "observed value"
    if condition.maintained:
        what = "every observation" if holds else "the worst observation"
    reason = f"{what} {verb} '{described}'"
    if partial:
        reason += f" ({coverage:.0%} of {target.period} observed"
        reason += f"; {FAILED_FOR_GOOD})" if final else ")"
    score = None
    goal_value = condition.goal_value(direction, base_value)
    if base_value is not None and goal_value is not None and agg.end is not None:
        score = scorer(
            ProgressInput(
                baseline=base_value,
                baseline_period=base_period,
                current=value_judged if projected is None else observed,
                current_period=agg.end,
                target=goal_value,
                target_period=target.period,
                direction=direction,
            )
        )
    return Assessment(
        status=status,
        reason=reason,
        observed=observed,
        projected=projected,
        threshold=reference,
        margin=margin,
        coverage=min(coverage, 1.0),
        score=score,
        **base,
    )


def _assess_milestone(milestone: Milestone, done: Any) -> Assessment:
    if done is not None and not isinstance(done, bool):
        raise InvalidValueError(
            f"assess({milestone.id!r})",
            "True (done), False or None (pending) for a milestone",
            done,
        )
    status = Status.DONE if done else Status.PENDING
    reason = (
        "reported done" if done else ("reported not done" if done is False else "no report yet")
    )
    return Assessment(
        target_id=milestone.id,
        status=status,
        reason=reason,
        period=milestone.period,
        aspirational=milestone.aspirational,
    )
