"""Assessing a target (or a milestone) against observations.

:func:`assess` never raises on missing or odd data: it returns an
:class:`Assessment` whose :class:`Status` says what happened (no data, not
comparable, needs a baseline). It raises only for input that is wrong in
itself: an observation of another indicator, or two observations of the same
period that contradict each other.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from ._conditions import DEFAULT_RTOL, Bounds, Condition, Direction, satisfies_one
from ._errors import InvalidValueError, UnitParseError
from ._labels import check_optional_text
from ._model import Basis, IndicatorKind, Milestone, Projection, Target
from ._periods import Period, to_period
from ._scoring import ProgressInput, Score, Scorer, resolve_scorer

if TYPE_CHECKING:
    import pint

__all__ = [
    "Assessment",
    "Measure",
    "Observation",
    "Progress",
    "ProgressThresholds",
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
    """A milestone not (yet) done; or a lumpy flow (projection ``none``) that
    has not reached its target part-way through the period: no projection
    says it is behind."""
    DONE = "done"
    """A milestone done."""


class Measure(StrEnum):
    """What an observation's value measures."""

    LEVEL = "level"
    """The indicator's own figure for the period (a level, a sum, a rate)."""
    GROWTH = "growth"
    """The growth of the indicator in % on the same period a year before (同比, at
    comparable prices), as statistics offices publish it."""


class Progress(StrEnum):
    """Where a multi-year target stands against the path from its baseline (mid-term review).

    The national mid-term evaluation of a five-year plan uses the first four
    (提前实现, 快于预期, 基本符合预期, 滞后); ``achieved`` is a target met at its end.
    """

    ACHIEVED = "achieved"
    """已实现: met at the end of its period."""
    ACHIEVED_EARLY = "achieved_early"
    """提前实现: the end-of-period condition already holds before the end."""
    AHEAD_OF_SCHEDULE = "ahead_of_schedule"
    """快于预期: further along than the path, by at least ``ahead``."""
    ON_TRACK = "on_track"
    """基本符合预期: at least ``on_track`` of the way the path expects."""
    BEHIND = "behind"
    """滞后: less than that, or not met at the end."""


def _ratio(instance: object, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InvalidValueError(f"ProgressThresholds.{attribute.name}", "a positive number", value)


@frozen(kw_only=True)
class ProgressThresholds:
    """Where the graded progress categories start, as shares of the progress the path expects.

    Progress is the share of the way from the baseline to the target that an
    observation has covered, over the share the path expects by its date
    (compound paths on a log scale, so it equals Open SDG's growth ratio).

    Attributes:
        ahead: at or above this: ahead of schedule (快于预期). Default 1.05.
        on_track: at or above this: on track (基本符合预期); below: behind
            (滞后). Default 0.95, Open SDG's and Statistics Canada's threshold
            for a target on track.
    """

    ahead: float = field(default=1.05, validator=_ratio)
    on_track: float = field(default=0.95, validator=_ratio)

    def __attrs_post_init__(self) -> None:
        if self.on_track > self.ahead:
            raise InvalidValueError(
                "ProgressThresholds.on_track", f"at most ahead ({self.ahead})", self.on_track
            )

    def category(self, ratio: float) -> Progress:
        """The category of a progress ratio."""
        if ratio >= self.ahead:
            return Progress.AHEAD_OF_SCHEDULE
        if ratio >= self.on_track:
            return Progress.ON_TRACK
        return Progress.BEHIND


def _measure(value: Any) -> Measure:
    from ._labels import to_enum

    return to_enum(Measure, "Observation.measure", value)


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
        measure: ``level`` (the indicator's figure) or ``growth`` (its growth in
            % on the same period a year before, 同比): a growth target is
            judged from published growth rates as well as from levels.
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
    measure: Measure = field(default=Measure.LEVEL, converter=_measure)

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


def checked_observation(
    period: Period,
    value: float,
    unit: str,
    numerator: float | None,
    denominator: float | None,
    measure: Measure,
) -> Observation:
    """An :class:`Observation` of values checked already, built without checking them again.

    ``evaluate``'s kernel makes one per row of a group it judges with
    ``assess``'s code; the table's rows were checked as a whole (periods
    parsed, units read, numbers finite, measures known), and the validators
    were a third of that code's time. A test holds it equal to the checked
    constructor, field for field.
    """
    observation = object.__new__(Observation)
    put = object.__setattr__
    put(observation, "period", period)
    put(observation, "value", value)
    put(observation, "unit", unit)
    put(observation, "indicator", None)
    put(observation, "region", None)
    put(observation, "numerator", numerator)
    put(observation, "denominator", denominator)
    put(observation, "source", None)
    put(observation, "measure", measure)
    return observation


@functools.lru_cache(maxsize=4096)
def margin_unit(unit: str) -> str:
    """The unit a margin is in: percentage points (百分点) for a %, else the unit itself.

    Cached by text: no plan's units can make a text mean % (a definition that
    is a pure number is refused), and a text no registry reads raises, uncached.
    """
    from ._units import parse_unit

    # The unit itself is percent (% or another name of it): pint's units compare by their
    # names and powers, as format(unit, "D") == "percent" did, without its formatter.
    if parse_unit(unit) == parse_unit("%"):
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
            rate; for a multi-year target the latest year's figure (a
            cumulative flow its sum); for a maintained or every-year target
            the failing year's figure, else the latest. Judged from growth
            rates: the growth in % (average annual for 年均增长).
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
        progress: for a multi-year target, where it stands against the path
            from its baseline (see :class:`Progress`); ``None`` otherwise.
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
    progress: Progress | None = None

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


def _check_rate(obs: list[Observation], target: Target) -> None:
    """Refuse observations of a rate outside 0–100 % or at odds with their ratio (as evaluate)."""
    # Only levels: a growth rate (同比) of a rate may well be negative.
    obs = [o for o in obs if o.measure is Measure.LEVEL]
    if target.indicator.kind is not IndicatorKind.RATE or not obs:
        return
    import numpy as np

    from ._plausibility import MEANINGS, fraction_factor, is_plain, rate_problems

    def column(values: list[float | None]) -> Any:
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

    factors = {o.unit: fraction_factor(o.unit) for o in obs}
    found = rate_problems(
        column([o.value for o in obs]),
        column([factors[o.unit] for o in obs]),
        np.array([is_plain(o.unit) for o in obs], dtype=bool),
        column([o.numerator for o in obs]),
        column([o.denominator for o in obs]),
    )
    if found:
        reason, field_name, rows = found[0]
        i = int(np.flatnonzero(rows)[0])
        o = obs[i]
        received = (
            f"{o.value} {o.unit or '(no unit)'}"
            if field_name == "value" and reason == "implausible_rate"
            else f"value {o.value} {o.unit}, numerator {o.numerator}, denominator {o.denominator}"
        )
        raise InvalidValueError(f"observations[{i}] ({reason})", MEANINGS[reason], received)


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


Values = list[tuple[Observation, float]]


def ordered_sum(values: Iterable[float]) -> float:
    """The sum of a period's observations: plain left-to-right addition.

    This is the one definition of a summed flow and of a rate's pooled
    numerators and denominators. The values come in the order observations
    are sorted (by period end, then longest first; summed observations never
    overlap, so no two share an end). ``evaluate`` adds its groups the same
    way and in the same order (``_evaluation.grouped.segment_sums``), so both
    give the very same bits; a correctly rounded or pairwise sum (``math.fsum``,
    ``np.add.reduceat``) would differ from it in the last bits.
    """
    it = iter(values)
    total = next(it, 0.0)
    for v in it:
        total += v
    return float(total)


def _figure(values: Values, target: Target, span: Period, flow: bool) -> tuple[float, float]:
    """The figure of ``span`` from its observations, and the share of ``span`` they cover.

    A flow is summed (its observations must not overlap), a rate with
    numerators and denominators of disjoint sub-periods is pooled, and any
    other indicator takes its latest level (of observations ending together,
    the longest one's).
    """
    if flow:
        days = 0
        previous_end = None
        for o, _ in values:
            if previous_end is not None and o.period.start <= previous_end:
                raise InvalidValueError(
                    f"observations of flow target {target.id!r}",
                    "periods that do not overlap (a flow is summed over them)",
                    str(o.period),
                )
            previous_end = o.period.end
            days += o.period.days
        return ordered_sum(v for _, v in values), days / span.days
    coverage = ((values[-1][0].period.end - span.start).days + 1) / span.days
    if target.indicator.kind is IndicatorKind.RATE and all(
        o.numerator is not None and o.denominator is not None for o, _ in values
    ):
        # Pool the rate over the latest period end only when sub-periods are
        # disjoint; otherwise take the latest figure as reported.
        disjoint = all(a[0].period.end < b[0].period.start for a, b in itertools.pairwise(values))
        if disjoint and len(values) > 1:
            from ._units import conversion_factor

            num = ordered_sum(o.numerator or 0.0 for o, _ in values)
            den = ordered_sum(o.denominator or 0.0 for o, _ in values)
            if den > 0:
                return num / den * conversion_factor("", target.unit), coverage
    return values[-1][1], coverage


def _level(agg: _Aggregate, target: Target, period: Period) -> tuple[float, float]:
    """The value judged and the coverage of the period, for a non-maintained target."""
    return _figure(agg.values, target, period, _flow(target))


def _snap(observed: float, reference: float, rtol: float) -> float:
    margin = observed - reference
    return 0.0 if abs(margin) <= rtol * abs(reference) else margin


def _inside(value: float, bounds: Bounds, rtol: float) -> bool:
    return satisfies_one(
        float(value), bounds.low, bounds.high, bounds.low_closed, bounds.high_closed, rtol
    )


def years_of(period: Period) -> list[Period] | None:
    """The calendar years of a period of two or more whole years (2021–2025), else ``None``.

    A multi-year target is reported, and judged, year by year: its reporting
    resolution is the year.
    """
    years = _years_of(period)
    return None if years is None else list(years)


@functools.lru_cache(maxsize=1 << 12)
def _years_of(period: Period) -> tuple[Period, ...] | None:
    # Cached: evaluate asks once or more per target, and making five Periods costs ~15 µs.
    if period.start.month != 1 or period.start.day != 1:
        return None
    if period.end.month != 12 or period.end.day != 31 or period.end.year == period.start.year:
        return None
    return tuple(Period.year(y) for y in range(period.start.year, period.end.year + 1))


@functools.lru_cache(maxsize=1024)
def _spans(period: Period, every: Any) -> tuple[Period, ...] | None:
    """The months or quarters of ``period`` a maintained condition is judged in, if asked.

    Cached: every group of a target asks for the same spans.
    """
    from ._conditions import Every

    if every not in (Every.MONTH, Every.QUARTER) or period._whole_months() is None:
        return None
    step = 1 if every is Every.MONTH else 3
    spans = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        last_month = month + step - 1
        end = Period.parse(f"{year}-{last_month:02d}").end
        spans.append(
            Period(start=Period.parse(f"{year}-{month:02d}").start, end=min(end, period.end))
        )
        month += step
        if month > 12:
            year, month = year + 1, month - 12
    return tuple(spans)


def base_period(target: Target) -> Period:
    """The period a target's baseline is the figure of.

    The condition's own base (较2020年), else the plan's baseline period, else
    for a multi-year target the year before it starts (2020 for 2021–2025),
    else the period before the target's (较上年).
    """
    if target.condition.base is not None:
        return target.condition.base
    if target.baseline is not None:
        return target.baseline.period
    if years_of(target.period) is not None:
        return Period.year(target.period.start.year - 1)
    return target.period.previous()


def relevant(target: Target, period: Period) -> bool:
    """Whether an observation of ``period`` matters to ``target`` (period, base, year before)."""
    if target.period.contains(period) or base_period(target).contains(period):
        return True
    if target.period.previous().contains(period):
        return True
    return Period.year(target.period.start.year - 1).contains(period)


def _baseline_value(
    target: Target,
    explicit: float | Observation | None,
    earlier: list[Observation],
) -> tuple[float | None, Period, str]:
    base_p = base_period(target)
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
        return float(explicit), base_p, ""
    if target.baseline is not None and target.baseline.period == base_p:
        return target.baseline.value, base_p, ""
    previous = [o for o in earlier if base_p.contains(o.period) and o.measure is Measure.LEVEL]
    agg = _collect(previous, base_p, target)
    if agg.problem is not None:
        return None, base_p, agg.problem[1]
    value, _ = _level(agg, target, base_p)
    if _flow(target):
        # A flow summed over part of the period is not the period's figure
        # (2021-H1 alone is half a year): unknown, rather than silently low.
        days = sum(o.period.days for o, _ in agg.values)
        if days < base_p.days:
            return (
                None,
                base_p,
                f"observations cover {_covered_percent(days, base_p.days)}% of {base_p}",
            )
    return value, base_p, ""


def _covered_percent(days: int, total: int) -> int:
    """``days`` of ``total`` in whole percent, rounded half up, and below 100 when short."""
    return min((200 * days + total) // (2 * total), 99 if days < total else 100)


def _growth_index(
    growth: list[Observation], target: Target, base_p: Period
) -> tuple[Values, tuple[Status, str] | None]:
    """Published growth rates (同比) chained into an index, 100 at the base period.

    Year by year from the one after the base: each year's latest (longest)
    growth rate; a partial year's rate is its growth so far (1–6月同比).
    """
    from ._units import conversion_factor, is_compatible

    usable = [o for o in growth if not o.missing]
    if not usable:
        return [], (Status.NO_DATA, f"every observation for {target.period} is missing")
    for o in usable:
        if not is_compatible(o.unit, "%"):
            return [], (
                Status.NOT_COMPARABLE,
                f"a growth rate is a %, not {o.unit!r}",
            )
    is_year = base_p.start.month == 1 and base_p.start.day == 1 and str(base_p).isdigit()
    if not is_year:
        return [], (
            Status.NOT_COMPARABLE,
            f"growth rates (同比) chain only from a base year, not from {base_p}",
        )
    by_year: dict[int, tuple[Observation, float]] = {}
    # One rate per period, as one level per period: an exact repeat is one
    # observation, two different rates for one period a contradiction (which of
    # them was judged depended on the order of the rows).
    seen: dict[Period, float] = {}
    for o in usable:
        assert o.value is not None
        g = o.value * conversion_factor(o.unit, "%")
        if o.period in seen and seen[o.period] != g:
            raise InvalidValueError(
                f"observations of {target.id!r}",
                f"one value per period, got {seen[o.period]} and {g} for {o.period}",
                o,
            )
        seen[o.period] = g
    for o in sorted(usable, key=lambda o: (o.period.end, -o.period.start.toordinal())):
        if o.period.start.year != o.period.end.year:
            return [], (
                Status.NOT_COMPARABLE,
                f"a growth rate (同比) is for one year or part of one, not {o.period}",
            )
        by_year[o.period.end.year] = (o, seen[o.period])
    last = max(by_year)
    missing = [y for y in range(base_p.end.year + 1, last + 1) if y not in by_year]
    if missing:
        return [], (
            Status.NEEDS_BASELINE,
            f"{target.condition.comparator} needs a baseline for {base_p}: growth rates (同比) "
            f"of every year since are chained, and {', '.join(map(str, missing))} has none",
        )
    index = 100.0
    values: Values = []
    for year in range(base_p.end.year + 1, last + 1):
        o, g = by_year[year]
        index *= 1 + g / 100
        values.append((o, index))
    return values, None


def undefined_average(index: Any, years: Any) -> Any:
    """Whether an average annual growth from an index (100 at the base) is undefined.

    A fall of 100 % or more leaves no positive figure to take a root of: over
    a year it is the fall itself, over any other span there is no average.
    Numbers or numpy arrays alike.
    """
    return (index <= 0) & (years != 1)


def undefined_average_reason(index: float, base: Period | int) -> str:
    """The reason given when ``undefined_average`` holds (``base``: the base period)."""
    return (
        f"average annual growth is undefined after a fall of 100 % or more "
        f"(the growth rates chain to {_fmt(index - 100)}% since {base})"
    )


def _undefined_average(condition: Condition, values: Values, base_p: Period) -> str | None:
    """Why growth rates chained into ``values`` have no average annual growth, if they have none."""
    if condition.comparator.value != "annual_growth" or not values:
        return None
    index = values[-1][1]
    years = base_p.years_until(values[-1][0].period)
    if not undefined_average(index, years):
        return None
    return undefined_average_reason(index, base_p)


def _project(
    target: Target,
    value: float,
    coverage: float,
    values: Values,
    span: Period,
    pool: Values,
) -> tuple[float | None, str]:
    """A partial flow carried to the end of ``span`` as the indicator says, or why not."""
    mode = target.indicator.projection
    if mode is Projection.LINEAR:
        return (value / coverage if coverage > 0 else value), ""
    if mode is Projection.NONE:
        return None, "a lumpy flow is not projected"
    # Same period last year: this year's part times last year's whole over its same part.
    last_year = {o.period: v for o, v in pool}
    whole = Period(
        start=span.start.replace(year=span.start.year - 1),
        end=span.end.replace(year=span.end.year - 1),
    )
    part = 0.0
    for o, _ in values:
        try:
            shifted = Period(
                start=o.period.start.replace(year=o.period.start.year - 1),
                end=o.period.end.replace(year=o.period.end.year - 1),
            )
        except ValueError:
            return None, "no figure for the same period last year"
        if shifted not in last_year:
            return None, f"no figure for {shifted}, the same period last year"
        part += last_year[shifted]
    full = [v for o, v in pool if whole.contains(o.period)]
    total_days = sum(o.period.days for o, _ in pool if whole.contains(o.period))
    if total_days < whole.days or part == 0:
        return None, f"no whole figure for {whole} to project by"
    return value * math.fsum(full) / part, ""


def _path(base: float, goal: float, share: float, compound: bool) -> float:
    """Where a steady path from ``base`` to ``goal`` stands after ``share`` of the time."""
    if compound and base > 0 and goal > 0:
        return float(base * (goal / base) ** share)
    return base + share * (goal - base)


def _progress_ratio(base: float, value: float, expected: float, compound: bool) -> float | None:
    """The progress made over the progress the path expects (log scale for compound paths)."""
    if compound and base > 0 and value > 0 and expected > 0 and expected != base:
        return math.log(value / base) / math.log(expected / base)
    if expected == base:
        return None
    return (value - base) / (expected - base)


_VERB = {
    Status.MET: "meets",
    Status.NOT_MET: "does not meet",
    Status.ON_TRACK: "so far meets",
    Status.OFF_TRACK: "so far does not meet",
    Status.PENDING: "does not yet meet",
}


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def assess(
    item: Target | Milestone,
    observations: Iterable[ObservationLike] | ObservationLike | bool | None = None,
    *,
    baseline: float | Observation | None = None,
    scoring: str | Scorer = "linear",
    rtol: float = DEFAULT_RTOL,
    thresholds: ProgressThresholds | None = None,
) -> Assessment:
    """Check a target against observations (or a milestone against done / not done).

    Args:
        item: the target or milestone.
        observations: Observations, text such as ``"96.9%"`` or pint
            quantities (taken as covering the whole period), or one of them.
            Observations of the target's period are judged; those of the
            base period (see ``base_period``: the condition's base, the
            plan's baseline period, the year before a multi-year period, or
            the period before) give the baseline; others are ignored. For a
            milestone: ``True`` (done), ``False`` or ``None`` (pending).
        baseline: a baseline in the target's unit, overriding the target's own
            and any observation of the base period. Without either, the
            baseline is the base period's level; for a flow, its sum,
            known only when the observations cover the whole base period.
        scoring: ``"linear"``, ``"growth_ratio"``, ``"current_status_index"``
            or a callable taking a :class:`ProgressInput`.
        rtol: relative tolerance at bounds (see :data:`DEFAULT_RTOL`).
        thresholds: where the progress categories of a multi-year target
            start (default :class:`ProgressThresholds`).

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
    if thresholds is None:
        thresholds = ProgressThresholds()
    elif not isinstance(thresholds, ProgressThresholds):
        raise InvalidValueError("assess(thresholds=)", "a ProgressThresholds", thresholds)
    target = item
    from ._units import current_unit_scope, using_scope

    scope = target.indicator._unit_scope
    if scope and scope != current_unit_scope():  # the units of the plan it was built for
        with using_scope(scope):
            return assess(
                target,
                observations,
                baseline=baseline,
                scoring=scoring,
                rtol=rtol,
                thresholds=thresholds,
            )
    scorer = resolve_scorer(scoring)
    obs = _as_observations(observations, target)
    current: list[Observation] = []
    earlier: list[Observation] = []
    _check_rate(obs, target)
    for i, o in enumerate(obs):
        _check_indicator(o, i, target)
        if target.period.contains(o.period):
            current.append(o)
        elif target.period.overlaps(o.period):
            raise InvalidValueError(
                f"observations[{i}].period",
                f"a period within {target.period} or wholly outside it",
                str(o.period),
            )
        elif o.period.end < target.period.start:
            earlier.append(o)
    regions = {o.region for o in current}
    if len(regions) > 1:
        raise InvalidValueError(
            f"observations of {target.id!r}",
            "observations of one region at a time (use policytargets.evaluate for many)",
            sorted(str(r) for r in regions),
        )
    return _Judge(target, scorer, rtol, thresholds).run(current, earlier, baseline)


class _Judge:
    """The one place that says what a condition means for figures, a baseline and a date.

    :func:`assess` runs it on one target's observations;
    :func:`~policytargets.evaluate` runs it on every group whose target needs
    more than the vectorised kernel (multi-year periods, changes against a
    named base, every-year and maintained conditions, projections other than
    linear, growth rates), so the two can never disagree.
    """

    def __init__(
        self, target: Target, scorer: Scorer, rtol: float, thresholds: ProgressThresholds
    ) -> None:
        self.target = target
        self.scorer = scorer
        self.rtol = rtol
        self.thresholds = thresholds
        self.condition = target.condition
        self.direction = target.indicator.direction
        self.period = target.period
        self.years = years_of(target.period)
        self.base_p = base_period(target)
        self.limit = natural_limit(target)
        self.described = self.condition.describe(target.unit, "en", self.direction)

    def run(
        self,
        current: list[Observation],
        earlier: list[Observation],
        explicit: float | Observation | None,
    ) -> Assessment:
        target = self.target
        region = next(iter({o.region for o in current}), None)
        self.base: dict[str, Any] = {
            "target_id": target.id,
            "period": target.period,
            "unit": target.unit,
            "margin_unit": margin_unit(target.unit),
            "aspirational": target.aspirational,
            "region": region,
        }
        growth = [o for o in current if o.measure is Measure.GROWTH]
        if growth:
            if not self.condition.growth:
                return self._done(
                    Status.NOT_COMPARABLE,
                    f"an observed growth rate (同比) judges only a growth condition "
                    f"(relative_change, annual_growth), not {self.condition.comparator}",
                )
            values, problem = _growth_index(growth, target, self.base_p)
            if problem is not None:
                return self._done(*problem)
            undefined = _undefined_average(self.condition, values, self.base_p)
            if undefined is not None:
                return self._done(Status.NOT_COMPARABLE, undefined)
            self.growth_mode = True
            return self._judge(values, 100.0, self.base_p, "", flow=False, pool=[])
        self.growth_mode = False
        agg = _collect(current, target.period, target)
        if agg.problem is not None:
            return self._done(*agg.problem)
        base_value, base_p, base_reason = _baseline_value(target, explicit, earlier)
        pool = agg.values
        if target.indicator.projection is Projection.SAME_PERIOD:
            # Only a same-period projection reads last year's figures: only then
            # do contradictions among them stop the assessment. Only the periods
            # that matter to the target (as evaluate reads them): it never reads
            # a year further back, so a contradiction there stops nothing.
            read = [o for o in earlier if not o.missing and relevant(target, o.period)]
            earlier_values = _collect(read, target.period, target)
            pool = earlier_values.values + pool
        return self._judge(agg.values, base_value, base_p, base_reason, _flow(target), pool)

    def _done(self, status: Status, reason: str, **fields: Any) -> Assessment:
        return Assessment(status=status, reason=reason, **{**self.base, **fields})

    def _bounds(self, base: float | None, years: float | None) -> Bounds:
        return self.condition.bounds(self.direction, base, years=years, limit=self.limit)

    def _judge(
        self,
        values: Values,
        base: float | None,
        base_p: Period,
        base_reason: str,
        flow: bool,
        pool: Values,
    ) -> Assessment:
        condition, period = self.condition, self.period
        if condition.maintained or condition.every_year:
            return self._each_year(values, base, base_p, base_reason, flow, pool)
        cumulative = self.years is not None and flow and not condition.change
        if self.years is not None and not cumulative:
            latest = values[-1][0].period
            span = Period.year(latest.end.year)
            values = [x for x in values if span.contains(x[0].period)]
            if not values:
                # No figure of one year to judge: refuse rather than guess.
                return self._done(
                    Status.NOT_COMPARABLE,
                    f"a target over {period} is judged on a calendar year's figure; the latest "
                    f"observation, for {latest}, spans more than one year",
                )
        else:
            span = period
        observed, coverage = _figure(values, self.target, span, flow)
        overall = (
            coverage
            if span == period
            else ((values[-1][0].period.end - period.start).days + 1) / period.days
        )
        if not self.growth_mode:
            self.base["baseline"] = base
        if condition.needs_baseline and base is None:
            return self._done(
                Status.NEEDS_BASELINE,
                f"{condition.comparator} needs a baseline for {base_p}: "
                f"{base_reason or 'none given'}",
                observed=observed,
                coverage=min(overall, 1.0),
            )
        total_years = base_p.years_until(period) if self.years is not None else None
        final = self._bounds(base, total_years if self.years is not None else None)
        partial_span = coverage < 1 - 1e-12
        complete = span.end == period.end and not partial_span
        projected: float | None = None
        note = ""
        if flow and partial_span:
            projected, note = _project(self.target, observed, coverage, values, span, pool)
        judged = observed if projected is None else projected
        holds_now = _inside(observed, final, self.rtol)
        reference = final.reference(judged)
        progress: Progress | None = None
        what = "projected value" if projected is not None else "observed value"
        if self.growth_mode:
            what = "observed growth"
        if complete:
            holds = _inside(observed, final, self.rtol)
            status = Status.MET if holds else Status.NOT_MET
            if self.years is not None:
                progress = Progress.ACHIEVED if holds else Progress.BEHIND
            text = f"{what} {_VERB[status]} '{self.described}'"
        elif condition.final_on_failure and not holds_now:
            status = Status.NOT_MET
            reference = final.reference(observed)
            judged = observed
            progress = Progress.BEHIND if self.years is not None else None
            text = f"observed value {_VERB[status]} '{self.described}'"
        elif flow and partial_span and projected is None and not holds_now:
            status = Status.PENDING
            text = f"observed value {_VERB[status]} '{self.described}' ({note})"
            judged = observed
        else:
            status, progress, reference, text, judged = self._interim(
                observed,
                judged,
                projected,
                final,
                base,
                base_p,
                span,
                values,
                cumulative,
                coverage,
                what,
            )
        if not complete:
            text += f" ({overall:.0%} of {period} observed"
            text += f"; {FAILED_FOR_GOOD})" if status is Status.NOT_MET else ")"
        margin = _snap(judged, reference, self.rtol)
        fields: dict[str, Any] = {
            "observed": observed,
            "projected": projected,
            "threshold": reference,
            "margin": margin,
            "coverage": min(overall, 1.0),
            "progress": progress,
        }
        if self.growth_mode:
            fields.update(self._as_growth(observed, reference, values, base_p))
            fields["projected"] = None
        else:
            fields["score"] = self._score(base, base_p, judged, projected, span, values, final)
        return self._done(status, text, **fields)

    def _interim(
        self,
        observed: float,
        judged: float,
        projected: float | None,
        final: Bounds,
        base: float | None,
        base_p: Period,
        span: Period,
        values: Values,
        cumulative: bool,
        coverage: float,
        what: str,
    ) -> tuple[Status, Progress | None, float, str, float]:
        """Part-way: against the final condition, or for a multi-year target its path.

        Returns the status, the progress category, the reference the margin is
        measured from, the reason and the value compared.
        """
        holds = _inside(judged, final, self.rtol)
        if self.years is None:
            status = Status.ON_TRACK if holds else Status.OFF_TRACK
            return (
                status,
                None,
                final.reference(judged),
                f"{what} {_VERB[status]} '{self.described}'",
                judged,
            )
        if _inside(observed, final, self.rtol) and (cumulative or projected is None):
            text = f"observed value {_VERB[Status.ON_TRACK]} '{self.described}' already"
            if self.growth_mode:
                text = f"observed growth {_VERB[Status.ON_TRACK]} '{self.described}' already"
            reference = final.reference(observed)
            return Status.ON_TRACK, Progress.ACHIEVED_EARLY, reference, text, observed
        # The path runs to the pass line: the bound in the good direction (a
        # 左右 target's value less its tolerance), so met at the end is on it.
        edge = final.low if self.direction is Direction.HIGHER_IS_BETTER else final.high
        goal = edge if math.isfinite(edge) else final.threshold
        start = 0.0 if cumulative else base
        if goal is None or start is None or self.condition.two_sided:
            status = Status.ON_TRACK if holds else Status.OFF_TRACK
            progress = Progress.ON_TRACK if holds else Progress.BEHIND
            return (
                status,
                progress,
                final.reference(judged),
                f"{what} {_VERB[status]} '{self.described}'",
                judged,
            )
        if cumulative:
            # A cumulative flow's path starts at zero when the period starts.
            start_year = Period.year(self.period.start.year - 1)
            last = values[-1][0].period
            share = start_year.years_until(last) / start_year.years_until(self.period)
            value = observed
            what = "observed value"
        else:
            when = span if projected is not None else values[-1][0].period
            share = base_p.years_until(when) / base_p.years_until(self.period)
            value = judged
        share = min(max(share, 0.0), 1.0)
        compound = self.condition.compound and not cumulative
        expected = _path(start, goal, share, compound)
        ratio = _progress_ratio(start, value, expected, compound)
        if ratio is None or (expected - start) * self.direction.sign <= 0:
            # No progress is required by now: on the path or behind it.
            ok = (value - expected) * self.direction.sign >= -self.rtol * abs(expected)
            progress = Progress.ON_TRACK if ok else Progress.BEHIND
        else:
            progress = self.thresholds.category(ratio + self.rtol)
        status = Status.OFF_TRACK if progress is Progress.BEHIND else Status.ON_TRACK
        when_text = values[-1][0].period if projected is None or cumulative else span
        shown = _fmt(expected)
        if self.growth_mode:
            shown = f"{_fmt(self._growth(expected, values, base_p))}%"
        text = (
            f"{what} {_VERB[status]} the path to '{self.described}' "
            f"({shown} expected by {when_text})"
        )
        return status, progress, expected, text, value

    def _as_growth(
        self, observed: float, reference: float, values: Values, base_p: Period
    ) -> dict[str, Any]:
        """An index judged from growth rates, reported as growth in % and 百分点."""
        g_obs = self._growth(observed, values, base_p)
        g_ref = self._growth(reference, values, base_p)
        return {
            "observed": g_obs,
            "threshold": g_ref,
            "margin": _snap(g_obs, g_ref, self.rtol),
            "unit": "%",
            "margin_unit": "百分点",
        }

    def _growth(self, index: float, values: Values, base_p: Period) -> float:
        """An index (100 at the base) as growth in %: average annual for 年均增长."""
        years = base_p.years_until(values[-1][0].period)
        if self.condition.comparator.value == "annual_growth" and years > 0:
            return float(((index / 100) ** (1 / years) - 1) * 100)
        return index - 100

    def _score(
        self,
        base: float | None,
        base_p: Period,
        judged: float,
        projected: float | None,
        span: Period,
        values: Values,
        final: Bounds,
    ) -> Score | None:
        goal = self.condition.goal_value(self.direction, base)
        if base is None or goal is None:
            return None
        if final.threshold is not None:
            goal = final.threshold
        return self.scorer(
            ProgressInput(
                baseline=base,
                baseline_period=base_p,
                current=judged,
                current_period=span if projected is not None else values[-1][0].period,
                target=goal,
                target_period=self.period,
                direction=self.direction,
            )
        )

    def _each_year(
        self,
        values: Values,
        base: float | None,
        base_p: Period,
        base_reason: str,
        flow: bool,
        pool: Values,
    ) -> Assessment:
        """保持 / 每年: each year's figure holds (flows summed, rates pooled); one miss is final."""
        condition, period = self.condition, self.period
        spans = _spans(period, getattr(condition, "every", None)) or self.years or (period,)
        if not self.growth_mode:
            self.base["baseline"] = base
        overall = ((values[-1][0].period.end - period.start).days + 1) / period.days
        yearly = condition.every_year and condition.change
        judged_years: list[tuple[Period, float, float, Bounds, bool, bool, float | None]] = []
        previous = base
        for span in spans:
            inside = [x for x in values if span.contains(x[0].period)]
            if not inside:
                previous = None
                continue
            figure, coverage = _figure(inside, self.target, span, flow)
            partial = coverage < 1 - 1e-12
            base_y = previous if yearly else base
            if condition.needs_baseline and base_y is None:
                when = span.previous() if yearly else base_p
                return self._done(
                    Status.NEEDS_BASELINE,
                    f"{condition.comparator} needs a baseline for {when}: "
                    f"{base_reason or 'no figure for it'}",
                    observed=figure,
                    coverage=min(overall, 1.0),
                )
            years = 1.0 if yearly else (base_p.years_until(span) if self.years else None)
            bounds = self._bounds(base_y, years)
            projected = None
            if flow and partial:
                projected, _ = _project(self.target, figure, coverage, inside, span, pool)
            value = figure if projected is None else projected
            holds = _inside(value, bounds, self.rtol)
            judged_years.append((span, figure, value, bounds, holds, partial, projected))
            previous = None if partial else figure
        if not judged_years:
            # No figure of one year (quarter, month) to judge: refuse rather than guess.
            latest = values[-1][0].period
            unit = str(getattr(condition, "every", "year"))
            return self._done(
                Status.NOT_COMPARABLE,
                f"a target over {period} is judged on each {unit}'s figure; the latest "
                f"observation, for {latest}, spans more than one {unit}",
            )
        failed = [y for y in judged_years if not y[4] and not y[5]]
        last = judged_years[-1]
        if failed:
            span, figure, value, bounds, holds, partial, projected = failed[0]
            status = Status.NOT_MET
            text = f"the figure for {span} {_VERB[status]} '{self.described}'"
            if not (last[0].end == period.end and not last[5]):
                text += f" ({FAILED_FOR_GOOD})"
        else:
            # Nothing failed: the latest year's figure is the one to show.
            span, figure, value, bounds, holds, partial, projected = last
            every = len(judged_years) == len(spans) and not last[5]
            if every:
                status = Status.MET
            elif last[5] and not last[4]:
                status = Status.PENDING if last[6] is None and flow else Status.OFF_TRACK
            else:
                status = Status.ON_TRACK
            what = "every year's figure" if len(spans) > 1 else "the period's figure"
            if getattr(condition, "every", None) not in (None, "year"):
                what = f"every {condition.every}'s figure"  # type: ignore[attr-defined]
            text = f"{what} {_VERB[status]} '{self.described}'"
            if not every:
                text += f" ({min(overall, 1.0):.0%} of {period} observed)"
        progress = None
        if self.years is not None:
            progress = {
                Status.MET: Progress.ACHIEVED,
                Status.NOT_MET: Progress.BEHIND,
                Status.ON_TRACK: Progress.ON_TRACK,
                Status.OFF_TRACK: Progress.BEHIND,
            }.get(status)
        reference = bounds.reference(value)
        fields: dict[str, Any] = {
            "observed": figure,
            "projected": projected,
            "threshold": reference,
            "margin": _snap(value, reference, self.rtol),
            "coverage": min(overall, 1.0),
            "progress": progress,
        }
        if self.growth_mode:
            fields.update(self._as_growth(figure, reference, values, base_p))
            fields["projected"] = None
        return self._done(status, text, **fields)


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
