"""Hypothesis strategies for policytargets objects, for your tests and ours.

Every strategy draws valid objects (construction never raises); invalid input
is for your own tests to build. Use them to check laws, for example that your
own serialisation round-trips any plan::

    from hypothesis import given
    from policytargets.testing import plans

    @given(plans())
    def test_round_trip(plan):
        assert my_load(my_dump(plan)) == plan

Requires ``hypothesis``, which is not a core dependency: install the
``testing`` extra (``pip install "policytargets[testing]"``; the ``test``
extra includes it). Without it, importing this module raises
:class:`~policytargets.MissingDependencyError` saying so.
"""

from __future__ import annotations

import itertools
from typing import Any

from ._conditions import (
    AbsoluteChange,
    AnnualGrowth,
    Approximately,
    AtLeast,
    AtMost,
    Between,
    Condition,
    Direction,
    EveryYear,
    Improve,
    LessThan,
    Maintained,
    MoreThan,
    Point,
    RelativeChange,
    Zero,
)
from ._extras import require
from ._labels import Label
from ._model import (
    Basis,
    Goal,
    Indicator,
    IndicatorKind,
    Milestone,
    Plan,
    Projection,
    SourceClause,
    Target,
)
from ._owners import LeadRule, Owner, OwnerKind, Responsibility, Role
from ._periods import Period

# Before hypothesis itself: without it, say which extra brings it.
require("hypothesis", "testing", "by policytargets.testing (Hypothesis strategies)")

from hypothesis import strategies as st  # noqa: E402

__all__ = [
    "UNIT_GROUPS",
    "conditions",
    "goals",
    "indicators",
    "labels",
    "milestones",
    "observation_values",
    "owners",
    "period_texts",
    "periods",
    "plans",
    "quantities",
    "quantity_texts",
    "targets",
    "units",
]

#: Units that share a dimension, by indicator kind; each group's first unit is
#: the one indicators of that kind are reported in.
UNIT_GROUPS: dict[IndicatorKind, tuple[str, ...]] = {
    IndicatorKind.RATE: ("%", "‰", ""),
    IndicatorKind.COUNT: ("个", "家", "万个", "items", "batch", "千项"),
    IndicatorKind.PER_CAPITA: ("批次/千人", "批次/万人", "batch/person", "起/亿人"),
    IndicatorKind.INDEX: ("分", "points"),
    IndicatorKind.AMOUNT: ("万平方米", "平方米", "亩", "公顷", "hectare", "m**2", "km**2"),
    IndicatorKind.INTENSITY: ("吨标准煤/万元", "千克标准煤/元", "吨标准煤/亿元", "tce/万元"),
}

_kinds = st.sampled_from(list(IndicatorKind))


def units(kind: IndicatorKind | None = None) -> st.SearchStrategy[str]:
    """A unit string of an indicator kind's dimension (any kind when ``None``)."""
    if kind is None:
        return _kinds.flatmap(units)
    return st.sampled_from(UNIT_GROUPS[IndicatorKind(kind)])


def observation_values(min_value: float = 0.0, max_value: float = 1e6) -> st.SearchStrategy[float]:
    """Finite floats of a size plans publish (no NaN, no infinities, no subnormals)."""
    return st.floats(
        min_value=min_value,
        max_value=max_value,
        allow_nan=False,
        allow_infinity=False,
        allow_subnormal=False,
    )


def quantities(kind: IndicatorKind | None = None) -> st.SearchStrategy[Any]:
    """pint quantities of the library's registry, in units of a kind's dimension."""

    def build(value: float, unit: str) -> Any:
        from ._units import get_registry, parse_unit

        return get_registry().Quantity(value, parse_unit(unit))

    return st.builds(build, observation_values(), units(kind))


#: Units plans write, by kind, for generated quantity text (with UNIT_GROUPS).
_TEXT_UNITS: dict[IndicatorKind, tuple[str, ...]] = {
    IndicatorKind.RATE: ("%", "‰"),
    IndicatorKind.COUNT: (
        "项",
        "家",
        "万件",
        "个",
        "张",
        "条",
        "户",
        "批次",
        "人次",
        "万人次",
        "台",
    ),
    IndicatorKind.PER_CAPITA: ("批次/千人", "张/万人口", "起/亿人"),
    IndicatorKind.INDEX: ("分",),
    IndicatorKind.AMOUNT: (
        "亩",
        "万平方米",
        "平米",
        "公顷",
        "亿元",
        "万亿元",
        "万元",
        "吨",
        "万吨",
        "万吨标准煤",
        "千瓦时",
        "亿千瓦时",
        "公里",
        "千米",
        "立方米",
        "小时",
        "岁",
    ),
    IndicatorKind.INTENSITY: ("吨标准煤/万元", "吨二氧化碳/万元"),
}


@st.composite
def quantity_texts(draw: st.DrawFn, kind: IndicatorKind | None = None) -> tuple[str, float, str]:
    """Quantity text as plans write it, with the value and the unit it means.

    Draws a value and a unit of a kind (any when ``None``) and writes them as a
    plan might: digits with or without thousands separators, full-width
    digits, Chinese numerals for whole numbers (十五家), simplified or
    traditional script (萬件), with or without a space. Returns ``(text,
    value, unit)``: ``parse_quantity(text)`` is ``value`` in ``unit``.
    """
    chosen = IndicatorKind(kind) if kind is not None else draw(_kinds)
    unit = draw(st.sampled_from(_TEXT_UNITS[chosen] + UNIT_GROUPS[chosen]))
    whole = draw(st.integers(min_value=0, max_value=10**9))
    decimals = draw(st.integers(min_value=0, max_value=3))
    fraction = draw(st.integers(min_value=0, max_value=10**decimals - 1))
    style = draw(st.sampled_from(["plain", "thousands", "full-width", "numerals"]))
    numerals = style == "numerals" and whole <= 99_999
    if numerals:
        import cn2an

        number = str(cn2an.an2cn(whole, "low"))
        decimals = 0
    elif style == "thousands":
        number = f"{whole:,}"
    else:
        number = f"{whole}"
    if decimals:
        number += f".{fraction:0{decimals}d}"
    value = float(f"{whole}.{fraction:0{decimals}d}") if decimals else float(whole)
    if style == "full-width":
        number = number.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    text_unit = unit
    if draw(st.booleans()):
        from ._numerals import _zhconv

        text_unit = str(_zhconv().convert(unit, draw(st.sampled_from(["zh-hant", "zh-tw"]))))
    space = "" if numerals else draw(st.sampled_from(["", " "]))
    if unit and unit.isascii() and unit[0].isalpha():
        space = " "  # 5 items, never 5items (pint would read 5items as one name)
    return f"{number}{space}{text_unit}", value, unit


def period_texts() -> st.SearchStrategy[tuple[str, Period]]:
    """Period text in a form :meth:`policytargets.Period.parse` reads, with the period it means.

    Years, halves (2022-H1, 2022-S1, 2022年上半年), quarters (2022-Q3,
    2022Q3, 2022年第三季度), months (2022-06, 2022年6月), runs of years
    (2021-2025, 2021—2025年) and five-year plans (十四五, “十四五”时期).
    """
    years = st.integers(min_value=1990, max_value=2060)

    def half(t: tuple[int, int, int]) -> tuple[str, Period]:
        year, h, form = t
        texts = (f"{year}-H{h}", f"{year}-S{h}", f"{year}年{'上下'[h - 1]}半年")
        return texts[form], Period.parse(f"{year}-H{h}")

    def quarter(t: tuple[int, int, int]) -> tuple[str, Period]:
        year, q, form = t
        texts = (f"{year}-Q{q}", f"{year}Q{q}", f"{year}年第{'一二三四'[q - 1]}季度")
        return texts[form], Period.parse(f"{year}-Q{q}")

    def month(t: tuple[int, int, int]) -> tuple[str, Period]:
        year, m, form = t
        texts = (f"{year}-{m:02d}", f"{year}年{m}月")
        return texts[form % 2], Period.parse(f"{year}-{m:02d}")

    def run(t: tuple[int, int, int]) -> tuple[str, Period]:
        first, length, form = t
        last = first + length
        texts = (f"{first}-{last}", f"{first}—{last}年", f"{first}年-{last}年")
        return texts[form], Period.years(first, last)

    def five_year(t: tuple[int, int]) -> tuple[str, Period]:
        number, form = t
        import cn2an

        name = f"{cn2an.an2cn(number, 'low')}五"
        first = 1966 + 5 * (number - 3)
        return (name, f"“{name}”时期", f'"{name}"期间')[form], Period.years(first, first + 4)

    forms = st.integers(0, 2)
    return st.one_of(
        st.tuples(years, st.booleans()).map(
            lambda t: (f"{t[0]}年" if t[1] else f"{t[0]}", Period.year(t[0]))
        ),
        st.tuples(years, st.integers(1, 2), forms).map(half),
        st.tuples(years, st.integers(1, 4), forms).map(quarter),
        st.tuples(years, st.integers(1, 12), forms).map(month),
        st.tuples(years, st.integers(1, 9), forms).map(run),
        st.tuples(st.integers(8, 20), forms).map(five_year),
    )


_zh = st.text(
    alphabet="质量合格率产品制造业新增企业标准认证服务满意度绿地养老", min_size=1, max_size=12
)
_en = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=20).map(
    lambda s: s.strip() or "x"
)


def labels() -> st.SearchStrategy[Label]:
    """Labels with a Chinese text, an English text, or both."""
    return st.one_of(
        st.builds(Label, zh=_zh, en=_en),
        st.builds(Label, zh=_zh),
        st.builds(Label, en=_en),
    )


def periods() -> st.SearchStrategy[Period]:
    """Calendar years, halves, quarters and months from 2015 to 2035."""
    years = st.integers(min_value=2015, max_value=2035)
    return st.one_of(
        years.map(Period.year),
        st.tuples(years, st.integers(1, 2)).map(lambda t: Period.parse(f"{t[0]}-H{t[1]}")),
        st.tuples(years, st.integers(1, 4)).map(lambda t: Period.parse(f"{t[0]}-Q{t[1]}")),
        st.tuples(years, st.integers(1, 12)).map(lambda t: Period.parse(f"{t[0]}-{t[1]:02d}")),
    )


@st.composite
def indicators(
    draw: st.DrawFn, kind: IndicatorKind | None = None, id: str | None = None
) -> Indicator:
    """Indicators of a kind (any when ``None``), in their group's first unit."""
    chosen = IndicatorKind(kind) if kind is not None else draw(_kinds)
    basis = (
        draw(st.sampled_from(list(Basis)))
        if chosen in (IndicatorKind.COUNT, IndicatorKind.AMOUNT)
        else None
    )
    return Indicator(
        id=id or draw(st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)),
        name=draw(labels()),
        kind=chosen,
        unit=UNIT_GROUPS[chosen][0],
        direction=draw(st.sampled_from(list(Direction))),
        basis=basis,
        projection=draw(st.sampled_from(list(Projection))),
    )


_numbers = observation_values(0.0, 1e5)


def _simple_conditions() -> st.SearchStrategy[Condition]:
    ordered = st.tuples(_numbers, _numbers).map(sorted)
    return st.one_of(
        st.builds(AtLeast, value=_numbers),
        st.builds(MoreThan, value=_numbers),
        st.builds(AtMost, value=_numbers),
        st.builds(LessThan, value=_numbers),
        st.builds(Point, value=_numbers),
        st.builds(
            Approximately,
            value=_numbers,
            abs_tol=observation_values(0.01, 100.0),
        ),
        st.builds(
            Approximately,
            value=_numbers,
            rel_tol=st.sampled_from([0.01, 0.05, 0.1]),
        ),
        st.builds(
            Approximately,
            value=_numbers,
            abs_tol=observation_values(0.01, 100.0),
            two_sided=st.just(True),
        ),
        ordered.map(lambda lh: Between(low=lh[0], high=lh[1])),
        st.builds(RelativeChange, percent=observation_values(-50.0, 50.0)),
        st.builds(
            RelativeChange,
            percent=observation_values(-50.0, 50.0),
            tolerance=st.sampled_from([0.5, 1.0, 2.0]),
            two_sided=st.booleans(),
        ),
        st.builds(
            AnnualGrowth,
            percent=observation_values(-50.0, 50.0),
            tolerance=st.none() | st.sampled_from([0.5, 1.0]),
        ),
        st.builds(AbsoluteChange, amount=observation_values(-100.0, 100.0)),
        st.just(Improve()),
        st.just(Zero()),
    )


def conditions(*, baseline: bool = True, maintained: bool = True) -> st.SearchStrategy[Condition]:
    """Conditions of every type.

    Args:
        baseline: include conditions that need a baseline (relative change,
            improve).
        maintained: include maintained (保持) and every-year (每年) wrappers.
    """
    simple = _simple_conditions()
    if not baseline:
        simple = simple.filter(lambda c: not c.needs_baseline)
    if maintained:
        return st.one_of(
            simple,
            simple.map(lambda c: Maintained(condition=c)),
            simple.map(lambda c: EveryYear(condition=c)),
        )
    return simple


@st.composite
def targets(
    draw: st.DrawFn,
    id: str | None = None,
    owner_ids: tuple[str, ...] = (),
    indicator: Indicator | None = None,
    condition: st.SearchStrategy[Condition] | None = None,
) -> Target:
    """Targets with a drawn indicator, condition, period, unit and owners.

    Args:
        id: the target id (drawn when ``None``).
        owner_ids: owners to draw responsibilities from (none when empty).
        indicator: a fixed indicator, or ``None`` to draw one.
        condition: a strategy for the condition, or ``None`` for every type.
    """
    ind = indicator if indicator is not None else draw(indicators())
    unit = draw(st.sampled_from(UNIT_GROUPS[ind.kind]))
    responsibilities: tuple[Responsibility, ...] = ()
    if owner_ids:
        chosen = draw(st.lists(st.sampled_from(owner_ids), unique=True, max_size=3))
        ranked = draw(st.booleans())  # a ranked note (lead first) or an unranked list
        responsibilities = tuple(
            Responsibility(
                owner=o,
                role=(Role.LEAD if i == 0 else Role.SUPPORTING) if ranked else Role.RESPONSIBLE,
            )
            for i, o in enumerate(chosen)
        )
    return Target(
        id=id or draw(st.from_regex(r"t[0-9]{1,4}", fullmatch=True)),
        indicator=ind,
        condition=draw(condition if condition is not None else conditions()),
        period=draw(periods()),
        unit=unit,
        responsibilities=responsibilities,
        aspirational=draw(st.booleans()),
        sources=draw(st.lists(_clauses, unique=True, max_size=2)),
    )


#: Source clauses: a section, the quoted words and, sometimes, an encoder's note.
_clauses = st.builds(
    SourceClause,
    section=st.sampled_from(["二.(一)", "三.(四).15"]),
    text=_zh,
    note=st.none() | st.just("Owners are an encoding judgement"),
)


@st.composite
def milestones(
    draw: st.DrawFn, id: str | None = None, owner_ids: tuple[str, ...] = ()
) -> Milestone:
    """Milestones with a drawn name, period and owners."""
    chosen = (
        draw(st.lists(st.sampled_from(owner_ids), unique=True, max_size=2)) if owner_ids else []
    )
    return Milestone(
        id=id or draw(st.from_regex(r"m[0-9]{1,4}", fullmatch=True)),
        name=draw(labels()),
        period=draw(periods()),
        responsibilities=tuple(Responsibility(owner=o) for o in chosen),
        aspirational=draw(st.booleans()),
        sources=draw(st.lists(_clauses, unique=True, max_size=2)),
    )


@st.composite
def owners(draw: st.DrawFn, count: int | None = None) -> tuple[Owner, ...]:
    """A registry of owners with unique ids, sometimes with a collective of the others."""
    n = count if count is not None else draw(st.integers(1, 5))
    registry = [
        Owner(
            id=f"owner{i}",
            name=draw(labels()),
            kind=draw(
                st.sampled_from([OwnerKind.DEPARTMENT, OwnerKind.DISTRICT, OwnerKind.ORGANISATION])
            ),
        )
        for i in range(n)
    ]
    if n > 1 and draw(st.booleans()):
        registry.append(
            Owner(
                id="collective",
                name=Label(zh="各成员单位", en="every member unit"),
                kind=OwnerKind.COLLECTIVE,
                members=tuple(o.id for o in registry),
            )
        )
    return tuple(registry)


@st.composite
def goals(draw: st.DrawFn, owner_ids: tuple[str, ...] = (), depth: int = 2) -> Goal:
    """A goal with targets, milestones and (up to ``depth`` levels of) sub-goals.

    Ids are unique within the drawn goal tree.
    """
    counter = itertools.count()

    def build(level: int) -> Goal:
        n = next(counter)
        children = (
            tuple(build(level + 1) for _ in range(draw(st.integers(0, 2)))) if level < depth else ()
        )
        return Goal(
            id=f"g{n}",
            title=draw(labels()),
            section=f"{n}",
            targets=tuple(
                draw(
                    targets(
                        id=f"g{n}.t{i}",
                        owner_ids=owner_ids,
                        # One indicator id, one definition (a plan refuses two).
                        indicator=draw(indicators(id=f"i{n}.{i}")),
                    )
                )
                for i in range(draw(st.integers(0, 3)))
            ),
            milestones=tuple(
                draw(milestones(id=f"g{n}.m{i}", owner_ids=owner_ids))
                for i in range(draw(st.integers(0, 1)))
            ),
            goals=children,
        )

    return build(1)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """Valid plans: metadata, an owner registry, and a goal tree with unique ids."""
    registry = draw(owners())
    owner_ids = tuple(o.id for o in registry)
    roots = []
    for r in range(draw(st.integers(1, 3))):
        root = draw(goals(owner_ids=owner_ids, depth=2))
        roots.append(_prefix(root, f"r{r}."))
    return Plan(
        id=draw(st.from_regex(r"plan[0-9]{1,3}", fullmatch=True)),
        title=draw(labels()),
        period=draw(periods()),
        issuer=draw(st.none() | labels()),
        document_number=draw(st.none() | st.just("太政办〔2022〕64号")),
        issued=draw(st.none() | st.dates()),
        url=draw(st.none() | st.just("http://example.org/plan")),
        goals=tuple(roots),
        owners=registry,
        lead_rule=draw(st.sampled_from(list(LeadRule))),
    )


def _prefix(goal: Goal, prefix: str) -> Goal:
    import attrs

    return attrs.evolve(
        goal,
        id=prefix + goal.id,
        targets=tuple(
            attrs.evolve(
                t, id=prefix + t.id, indicator=attrs.evolve(t.indicator, id=prefix + t.indicator.id)
            )
            for t in goal.targets
        ),
        milestones=tuple(attrs.evolve(m, id=prefix + m.id) for m in goal.milestones),
        goals=tuple(_prefix(g, prefix) for g in goal.goals),
    )
