"""Laws, checked with the public strategies of policytargets.testing."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import policytargets as pt
from policytargets import testing as pts
from policytargets._conditions import satisfies

RTOL = pt.DEFAULT_RTOL
kinds = st.sampled_from(list(pt.IndicatorKind))


def holds(value: float, bounds: pt.Bounds, rtol: float = RTOL) -> bool:
    return bool(
        satisfies(value, bounds.low, bounds.high, bounds.low_closed, bounds.high_closed, rtol)
    )


def clear_of_the_tolerance_edge(value: float, bounds: pt.Bounds) -> bool:
    """Whether ``value`` is well inside or well outside the tolerance band of every bound.

    Right at ``bound ± rtol·|bound|`` a verdict may flip with the last bit of a
    unit conversion; everywhere else the law must hold exactly.
    """
    for bound in (bounds.low, bounds.high):
        if math.isfinite(bound) and bound != 0:
            distance = abs(value - bound) / abs(bound)
            if 0.5 * RTOL <= distance <= 2 * RTOL:
                return False
    return True


@st.composite
def near_the_bounds(draw: st.DrawFn, bounds: pt.Bounds) -> float:
    """A value anywhere, or at a bound, or just either side of it."""
    edges = [b for b in (bounds.low, bounds.high) if math.isfinite(b)]
    free = pts.observation_values(-1e6, 1e6)
    if not edges:
        return draw(free)
    edge = draw(st.sampled_from(edges))
    offset = draw(st.sampled_from([0.0, 1e-12, -1e-12, 1e-6, -1e-6, 0.01, -0.01]))
    return draw(st.one_of(free, st.just(edge + offset * (abs(edge) or 1.0))))


class TestUnitRoundTrips:
    """A value converted to another unit of its dimension and back is unchanged."""

    @given(data=st.data(), kind=kinds)
    def test_factor_there_and_back(self, data: st.DataObject, kind: pt.IndicatorKind) -> None:
        a, b = data.draw(pts.units(kind)), data.draw(pts.units(kind))
        value = data.draw(pts.observation_values())
        there = value * pt.conversion_factor(a, b)
        assert there * pt.conversion_factor(b, a) == pytest.approx(value, rel=1e-12, abs=1e-300)

    @given(data=st.data(), kind=kinds)
    def test_quantity_there_and_back(self, data: st.DataObject, kind: pt.IndicatorKind) -> None:
        q = data.draw(pts.quantities(kind))
        other = pt.parse_unit(data.draw(pts.units(kind)))
        back = q.to(other).to(q.units)
        assert back.magnitude == pytest.approx(q.magnitude, rel=1e-12, abs=1e-300)

    @given(kind=kinds, data=st.data())
    def test_text_there_and_back(self, kind: pt.IndicatorKind, data: st.DataObject) -> None:
        q = data.draw(pts.quantities(kind))
        again = pt.parse_quantity(f"{q.magnitude!r} {q.units:~}")
        assert again.magnitude == q.magnitude
        assert pt.conversion_factor(f"{again.units}", f"{q.units}") == pytest.approx(1.0)

    @given(a=kinds, b=kinds, data=st.data())
    def test_units_of_different_kinds_never_convert(
        self, a: pt.IndicatorKind, b: pt.IndicatorKind, data: st.DataObject
    ) -> None:
        assume(a != b)
        with pytest.raises(pt.DimensionMismatchError):
            pt.conversion_factor(data.draw(pts.units(a)), data.draw(pts.units(b)))


class TestVerdictIsUnitFree:
    """A condition's verdict is unchanged when both sides are re-expressed in another unit."""

    @given(data=st.data())
    def test_bounds_kernel(self, data: st.DataObject) -> None:
        kind = data.draw(kinds)
        unit, other = data.draw(pts.units(kind)), data.draw(pts.units(kind))
        factor = pt.conversion_factor(unit, other)
        condition = data.draw(pts.conditions())
        direction = data.draw(st.sampled_from(list(pt.Direction)))
        baseline = data.draw(pts.observation_values(1.0, 1e5))
        bounds = condition.bounds(direction, baseline)
        value = data.draw(near_the_bounds(bounds))
        assume(clear_of_the_tolerance_edge(value, bounds))
        scaled = condition.scaled(factor).bounds(direction, baseline * factor)
        assert holds(value * factor, scaled) == holds(value, bounds)

    @given(data=st.data())
    def test_assess(self, data: st.DataObject) -> None:
        t = data.draw(pts.targets())
        other = data.draw(pts.units(t.indicator.kind))
        factor = pt.conversion_factor(t.unit, other)
        baseline = data.draw(pts.observation_values(1.0, 1e5))
        bounds = t.condition.bounds(t.indicator.direction, baseline)
        value = data.draw(near_the_bounds(bounds))
        assume(clear_of_the_tolerance_edge(value, bounds))
        assume(_judgeable(t, value, t.unit) and _judgeable(t, value * factor, other))
        moved = attrs.evolve(t, unit=other, condition=t.condition.scaled(factor))
        a = pt.assess(
            t, [pt.Observation(period=t.period, value=value, unit=t.unit)], baseline=baseline
        )
        b = pt.assess(
            moved,
            [pt.Observation(period=t.period, value=value * factor, unit=other)],
            baseline=baseline * factor,
        )
        assert a.status is b.status
        assert a.status in (pt.Status.MET, pt.Status.NOT_MET)
        assert b.margin == pytest.approx(a.margin * factor, rel=1e-9, abs=1e-9 * abs(factor))

    @given(data=st.data())
    def test_observations_in_any_unit_judge_alike(self, data: st.DataObject) -> None:
        t = data.draw(pts.targets(condition=pts.conditions(baseline=False)))
        other = data.draw(pts.units(t.indicator.kind))
        bounds = t.condition.bounds(t.indicator.direction)
        value = data.draw(near_the_bounds(bounds))
        assume(clear_of_the_tolerance_edge(value, bounds))
        given_in_other = value * pt.conversion_factor(t.unit, other)
        assume(_judgeable(t, value, t.unit) and _judgeable(t, given_in_other, other))
        a = pt.assess(t, [pt.Observation(period=t.period, value=value, unit=t.unit)])
        b = pt.assess(t, [pt.Observation(period=t.period, value=given_in_other, unit=other)])
        assert a.status is b.status


def _judgeable(t: pt.Target, value: float, unit: str) -> bool:
    """Whether a value is judged at all: a rate's level below 0, or above 1 as a plain fraction
    (unit 1 or none), is refused as a misread unit (see _plausibility)."""
    if t.indicator.kind is not pt.IndicatorKind.RATE or "百分点" in unit:
        return True
    return value >= 0 and not (unit in ("", "1") and value > 1)


class TestBoundaries:
    """Inclusive bounds hold at the bound itself; exclusive ones do not."""

    @given(value=pts.observation_values(-1e6, 1e6))
    def test_at_the_bound(self, value: float) -> None:
        d = pt.Direction.HIGHER_IS_BETTER
        assert holds(value, pt.AtLeast(value=value).bounds(d))
        assert holds(value, pt.AtMost(value=value).bounds(d))
        assert not holds(value, pt.MoreThan(value=value).bounds(d))
        assert not holds(value, pt.LessThan(value=value).bounds(d))
        assert holds(value, pt.Between(low=value, high=value).bounds(d))

    @given(value=pts.observation_values(-1e6, 1e6).filter(lambda v: v != 0))
    def test_just_either_side(self, value: float) -> None:
        d = pt.Direction.HIGHER_IS_BETTER
        above, below = value + 1e-6 * abs(value), value - 1e-6 * abs(value)
        for kind in (pt.AtLeast, pt.MoreThan):
            assert holds(above, kind(value=value).bounds(d))
            assert not holds(below, kind(value=value).bounds(d))
        for kind in (pt.AtMost, pt.LessThan):
            assert holds(below, kind(value=value).bounds(d))
            assert not holds(above, kind(value=value).bounds(d))

    @given(value=pts.observation_values(0, 1e6), kind=kinds, data=st.data())
    def test_a_bound_met_exactly_in_another_unit(
        self, value: float, kind: pt.IndicatorKind, data: st.DataObject
    ) -> None:
        # The 0.57-against-57% law: the bound, expressed in any unit, meets 以上 and fails 超过.
        unit, other = data.draw(pts.units(kind)), data.draw(pts.units(kind))
        indicator = data.draw(pts.indicators(kind))
        given_in_other = value * pt.conversion_factor(unit, other)
        probe = pt.Target(
            id="t", indicator=indicator, condition=pt.AtLeast(value=value), period="2022", unit=unit
        )
        assume(_judgeable(probe, given_in_other, other))
        for condition, status in (
            (pt.AtLeast(value=value), "met"),
            (pt.MoreThan(value=value), "not_met"),
        ):
            t = pt.Target(
                id="t", indicator=indicator, condition=condition, period="2022", unit=unit
            )
            observed = pt.Observation(period="2022", value=given_in_other, unit=other)
            assert pt.assess(t, [observed]).status == status


class TestOrderingLaws:
    """Easier conditions are met whenever harder ones are."""

    values = pts.observation_values(-1e6, 1e6)

    @given(observed=values, x=values, y=values)
    def test_at_least(self, observed: float, x: float, y: float) -> None:
        d = pt.Direction.HIGHER_IS_BETTER
        low, high = sorted((x, y))
        if holds(observed, pt.AtLeast(value=high).bounds(d)):
            assert holds(observed, pt.AtLeast(value=low).bounds(d))
        if holds(observed, pt.AtMost(value=low).bounds(d)):
            assert holds(observed, pt.AtMost(value=high).bounds(d))
        if holds(observed, pt.MoreThan(value=high).bounds(d)):
            assert holds(observed, pt.MoreThan(value=low).bounds(d))
        if holds(observed, pt.LessThan(value=low).bounds(d)):
            assert holds(observed, pt.LessThan(value=high).bounds(d))

    @given(observed=values, x=values)
    def test_exclusive_implies_inclusive(self, observed: float, x: float) -> None:
        d = pt.Direction.HIGHER_IS_BETTER
        if holds(observed, pt.MoreThan(value=x).bounds(d)):
            assert holds(observed, pt.AtLeast(value=x).bounds(d))
        if holds(observed, pt.LessThan(value=x).bounds(d)):
            assert holds(observed, pt.AtMost(value=x).bounds(d))

    @given(observed=values, x=values, y=values)
    def test_between_is_at_least_and_at_most(self, observed: float, x: float, y: float) -> None:
        d = pt.Direction.HIGHER_IS_BETTER
        low, high = sorted((x, y))
        both = holds(observed, pt.AtLeast(value=low).bounds(d)) and holds(
            observed, pt.AtMost(value=high).bounds(d)
        )
        assert holds(observed, pt.Between(low=low, high=high).bounds(d)) == both

    @given(condition=pts.conditions(maintained=False), data=st.data())
    def test_maintained_with_one_observation_is_the_condition(
        self, condition: pt.Condition, data: st.DataObject
    ) -> None:
        indicator = data.draw(pts.indicators())
        t = data.draw(pts.targets(indicator=indicator, condition=st.just(condition)))
        kept = attrs.evolve(t, condition=pt.Maintained(condition=condition))
        value = data.draw(pts.observation_values())
        assume(_judgeable(t, value, t.unit))
        observed = [pt.Observation(period=t.period, value=value, unit=t.unit)]
        assert (
            pt.assess(t, observed, baseline=1.0).status
            is pt.assess(kept, observed, baseline=1.0).status
        )


def _bad_numbers() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from([math.nan, math.inf, -math.inf, None, True, False]),
        st.text(max_size=5),
        st.lists(st.integers(), max_size=2),
    )


def _not_units() -> st.SearchStrategy[str]:
    def unreadable(text: str) -> bool:
        try:
            pt.parse_unit(text)
        except pt.UnitParseError:
            return True
        return False

    return st.one_of(
        st.sampled_from(["foo", "~", "12 / ", "米/0", "%^0", "4³³5", "widgets/人"]),
        st.text(max_size=8).filter(unreadable),
    )


class TestInvalidConstruction:
    """Invalid input always raises a PolicyTargetsError, never a bare builtin."""

    @given(
        kind=st.sampled_from([pt.AtLeast, pt.MoreThan, pt.AtMost, pt.LessThan, pt.Point]),
        bad=_bad_numbers(),
    )
    def test_single_value_conditions(self, kind: type[Any], bad: Any) -> None:
        with pytest.raises(pt.PolicyTargetsError):
            kind(value=bad)

    @given(a=pts.observation_values(-1e6, 1e6), b=pts.observation_values(-1e6, 1e6))
    def test_between_low_above_high(self, a: float, b: float) -> None:
        assume(a != b)
        with pytest.raises(pt.PolicyTargetsError):
            pt.Between(low=max(a, b), high=min(a, b))

    @given(bad=_bad_numbers(), good=pts.observation_values())
    def test_between_bad_numbers(self, bad: Any, good: float) -> None:
        with pytest.raises(pt.PolicyTargetsError):
            pt.Between(low=bad, high=good)
        with pytest.raises(pt.PolicyTargetsError):
            pt.Between(low=good, high=bad)

    @given(
        value=pts.observation_values(),
        tolerances=st.one_of(
            st.just({}),
            st.fixed_dictionaries({"abs_tol": _bad_numbers()}),
            st.fixed_dictionaries({"rel_tol": pts.observation_values(-1e3, 0)}),
            st.fixed_dictionaries(
                {
                    "abs_tol": pts.observation_values(0.1, 1),
                    "rel_tol": pts.observation_values(0.1, 1),
                }
            ),
        ),
    )
    def test_approximately(self, value: float, tolerances: dict[str, Any]) -> None:
        with pytest.raises(pt.PolicyTargetsError):
            pt.Approximately(value=value, **tolerances)

    @given(kind=kinds, unit=_not_units(), name=pts.labels())
    def test_indicator_with_a_bad_unit(
        self, kind: pt.IndicatorKind, unit: str, name: pt.Label
    ) -> None:
        with pytest.raises(pt.PolicyTargetsError):
            pt.Indicator(id="i", name=name, kind=kind, unit=unit, basis="flow")

    @given(a=kinds, b=kinds, data=st.data())
    def test_target_unit_of_another_dimension(
        self, a: pt.IndicatorKind, b: pt.IndicatorKind, data: st.DataObject
    ) -> None:
        assume(a != b)
        indicator = data.draw(pts.indicators(a))
        with pytest.raises(pt.DimensionMismatchError):
            pt.Target(
                id="t",
                indicator=indicator,
                condition=pt.AtLeast(value=1),
                period="2022",
                unit=data.draw(pts.units(b)),
            )

    @given(
        field=st.sampled_from(["kind", "direction", "basis", "id", "name"]),
        bad=st.one_of(st.text(max_size=6), st.integers(), st.none()),
    )
    def test_indicator_with_a_bad_field(self, field: str, bad: Any) -> None:
        given_fields: dict[str, Any] = {
            "id": "i",
            "name": pt.Label(en="x"),
            "kind": "count",
            "unit": "个",
            "basis": "flow",
            field: bad,
        }
        valid = {
            "kind": [k.value for k in pt.IndicatorKind],
            "direction": [d.value for d in pt.Direction],
            "basis": ["flow", "stock"],
        }
        assume(bad not in valid.get(field, []))
        assume(
            not (
                field == "id"
                and isinstance(bad, str)
                and bad
                and bad.strip() == bad
                and bad.isprintable()
            )
        )
        with pytest.raises(pt.PolicyTargetsError):
            pt.Indicator(**given_fields)

    @given(text=st.text(max_size=12))
    def test_periods(self, text: str) -> None:
        try:
            pt.Period.parse(text)
        except pt.PolicyTargetsError:
            return

    @given(bad=_bad_numbers())
    def test_baselines_and_observations(self, bad: Any) -> None:
        with pytest.raises(pt.PolicyTargetsError):
            pt.Baseline(value=bad, period="2021")
        assume(bad is not None and not (isinstance(bad, float) and math.isnan(bad)))
        assume(not isinstance(bad, float))
        with pytest.raises(pt.PolicyTargetsError):
            pt.Observation(period="2022", value=bad, unit="%")

    @given(text=st.text(max_size=10))
    def test_parse_quantity_reads_or_refuses(self, text: str) -> None:
        try:
            pt.parse_quantity(text)
        except pt.PolicyTargetsError:
            return


class TestPeriods:
    """A period's text form reads back as the same period."""

    @given(period=pts.periods())
    def test_round_trip(self, period: pt.Period) -> None:
        assert pt.Period.parse(str(period)) == period

    @given(
        a=st.dates(min_value=date(1000, 1, 1), max_value=date(9998, 12, 31)),
        b=st.dates(min_value=date(1000, 1, 1), max_value=date(9998, 12, 31)),
    )
    def test_round_trip_any_range(self, a: date, b: date) -> None:
        """Any range within the years text may name (1000 to 9998) reads back from its text."""
        start, end = sorted((a, b))
        period = pt.Period(start=start, end=end)
        assert pt.Period.parse(str(period)) == period

    @given(period=pts.periods())
    def test_previous_ends_the_day_before(self, period: pt.Period) -> None:
        previous = period.previous()
        assert (period.start - previous.end).days == 1
        assert str(previous).count("-") == str(period).count("-")


class TestAssessNeverCrashes:
    """Well-formed input gives a status, whatever the values and units."""

    @given(
        t=pts.targets(),
        unit_kind=kinds,
        data=st.data(),
    )
    def test_any_observation(
        self, t: pt.Target, unit_kind: pt.IndicatorKind, data: st.DataObject
    ) -> None:
        unit = data.draw(pts.units(unit_kind))
        value = data.draw(st.one_of(pts.observation_values(), st.just(math.nan), st.none()))
        try:
            a = pt.assess(t, [pt.Observation(period=t.period, value=value, unit=unit)])
        except pt.InvalidValueError as exc:
            # A rate outside 0-100 % is refused by design (implausible_rate), never judged.
            refused = "implausible_rate" in str(exc)
            assert t.indicator.kind is pt.IndicatorKind.RATE
            assert refused
            return
        assert a.status in set(pt.Status)
        if unit_kind is not t.indicator.kind and value is not None and not math.isnan(value):
            assert a.status is pt.Status.NOT_COMPARABLE

    @given(plan=pts.plans())
    def test_every_target_of_a_plan_is_found_and_assessable(self, plan: pt.Plan) -> None:
        for t in plan.targets:
            assert plan.target(t.id) is t
            assert pt.assess(t, None).status is pt.Status.NO_DATA
            for r in plan.responsibilities_of(t.id):
                assert plan.owner(r.owner).id == r.owner
