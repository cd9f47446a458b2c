"""What evaluate saves on a small table's first call changes no result.

Each shortcut (categories known to be distinct, the missing rows of a
breakdown column, the factors of the level units, the unit ``1``) is held
equal to the general way it replaces. Every number here is illustrative.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policytargets as pt
from policytargets import _units
from policytargets._assessment import margin_unit
from policytargets._evaluation import dispatch
from policytargets._evaluation.frame import _categorical, _dtype, _numbered, with_missing
from policytargets._plausibility import _LEVELS, fraction_factor


class TestCategoryTypes:
    """A result's categorical types equal pandas' own, checked ones."""

    @pytest.mark.parametrize(
        "categories",
        [
            ("met", "not_met", "no_data"),
            ("t1",),
            (),
            ("", "%", "万平方米", "批次/千人"),
            tuple(f"target {i}" for i in range(300)),
        ],
    )
    def test_distinct_texts_give_pandas_own_type(self, categories: tuple[str, ...]) -> None:
        """Categories, their order and their type are those of ``pd.CategoricalDtype``."""
        want = pd.CategoricalDtype(pd.Index(categories, dtype="str"))
        got = _dtype(categories)
        assert got == want
        assert got.ordered == want.ordered
        assert got.categories.dtype == want.categories.dtype
        pd.testing.assert_index_equal(got.categories, want.categories)

    @pytest.mark.parametrize(
        "categories", [("met", "met"), ("a", "b", "a"), ("a", None), ("a", float("nan"))]
    )
    def test_repeated_or_missing_texts_are_refused_as_pandas_refuses(
        self, categories: tuple[Any, ...]
    ) -> None:
        """Lists a set shows not to be distinct texts still go through pandas' checks."""
        with pytest.raises(ValueError, match="Categorical categories"):
            _dtype(categories)

    def test_a_categorical_from_codes_equals_one_from_texts(self) -> None:
        """Codes (-1 missing) over the categories read back as the texts they stand for."""
        got = _categorical(np.array([2, 0, -1, 1, 2]), ["保持", "met", "2022"])
        want = pd.Categorical(
            ["2022", "保持", None, "met", "2022"],
            categories=pd.Index(["保持", "met", "2022"], dtype="str"),
        )
        pd.testing.assert_extension_array_equal(got, want)


def _concatenated(column: pd.Series[Any], k: int) -> pd.Series[Any]:
    """What ``with_missing`` gave before its shortcut: the column and ``k`` missing values."""
    filler = pd.Series([None] * k, dtype=column.dtype)
    return pd.concat([column.reset_index(drop=True), filler], ignore_index=True)


class TestWithMissing:
    """A breakdown column followed by missing values, whatever its type."""

    @pytest.mark.parametrize(
        "column",
        [
            pd.Series(["太仓", "昆山"], dtype="str", name="region"),
            pd.Series(["太仓", None], dtype="string", name="region"),
            pd.Series(["太仓", "昆山"], dtype=pd.ArrowDtype(__import__("pyarrow").string())),
            pd.Series(pd.Categorical(["b", "a", "b"], categories=["a", "b", "c"])),
            pd.Series([1, 2], dtype="Int16"),
            pd.Series([True, False], dtype="boolean"),
            pd.Series([1.5, np.nan]),
            pd.Series(["太仓", 3], dtype=object),
            pd.Series(pd.to_datetime(["2022-01-01", "2023-06-30"])),
        ],
        ids=lambda c: str(c.dtype),
    )
    @pytest.mark.parametrize("k", [1, 3])
    def test_equals_concatenating_missing_values(self, column: pd.Series[Any], k: int) -> None:
        """Values, type and index are those of ``pd.concat`` with a column of ``None``."""
        shifted = column.set_axis(range(10, 10 + len(column)))  # the index is not kept
        want = _concatenated(shifted, k)
        pd.testing.assert_series_equal(with_missing(shifted, k), want)

    @pytest.mark.parametrize(
        ("values", "dtype", "nullable"),
        [([1, 2], "int64", "Int64"), ([3], "uint8", "UInt8"), ([True], "bool", "boolean")],
    )
    def test_integers_and_booleans_become_nullable(
        self, values: list[Any], dtype: str, nullable: str
    ) -> None:
        """Numbers that hold no missing value keep their numbers in the nullable type."""
        got = with_missing(pd.Series(values, dtype=dtype), 2)
        want = pd.Series([*values, None, None], dtype=nullable)
        pd.testing.assert_series_equal(got, want)

    def test_no_missing_value_returns_the_column_itself(self) -> None:
        """Nothing to add: the same column, not a copy."""
        column = pd.Series(["太仓"], dtype="str")
        assert with_missing(column, 0) is column


class TestLevelUnits:
    """The level units' factors to a fraction, without a unit conversion."""

    @pytest.mark.parametrize("level", sorted(_LEVELS))
    def test_each_factor_is_the_unit_conversion(self, level: str) -> None:
        """%, ‰ and 1 have the factor pint converts them with, exactly."""
        assert _LEVELS[level] == _units.conversion_factor(level, "1")

    @pytest.mark.parametrize(
        ("unit", "factor"),
        [("%", 0.01), ("percent", 0.01), ("％", 0.01), ("‰", 0.001), ("1", 1.0), (" ", 1.0)],
    )
    def test_a_level_by_any_name_has_its_factor(self, unit: str, factor: float) -> None:
        """Another name or width of a level unit is that level (a blank unit is a fraction)."""
        assert fraction_factor(unit) == factor == _units.conversion_factor(unit or "1", "1")

    @pytest.mark.parametrize("unit", ["家", "百分点", "万人", "not a unit", None])
    def test_other_units_have_none(self, unit: str | None) -> None:
        """A count, a percentage-point change or an unreadable unit is no level."""
        assert fraction_factor(unit) is None

    def test_the_unit_one_is_what_pint_parses(self) -> None:
        """``1`` (and ``１``) read as pint reads the number 1: the dimensionless unit."""
        registry = _units.get_registry()
        assert _units.parse_unit("1") == registry.parse_units("1") == registry.dimensionless
        assert _units.parse_unit("１") == registry.dimensionless
        assert _units.dimensionality("1") == "dimensionless"


class TestMarginUnit:
    """A margin's unit: percentage points for percent by any name, else the unit itself."""

    @pytest.mark.parametrize(
        "unit",
        ["%", "％", "percent", "‰", "1", "", "百分点", "万人", "%/年", "万平方米", "批次/千人"],
    )
    def test_as_pints_own_name_of_the_unit_says(self, unit: str) -> None:
        """百分点 exactly where pint names the unit ``percent`` (what the formatter said)."""
        named = format(_units.parse_unit(unit), "D")
        assert margin_unit(unit) == ("百分点" if named == "percent" else unit)


class TestNumberedTexts:
    """Reason texts numbered as ``pd.factorize`` numbers them."""

    @pytest.mark.parametrize(
        "texts", [[], ["a"], ["b", "a", "b", "c", "a"], ["达到", "", "达到", " "]]
    )
    def test_equals_pandas_factorize(self, texts: list[str]) -> None:
        """Codes in order of first appearance, and the distinct texts in that order."""
        codes, uniques = _numbered(texts)
        want_codes, want_uniques = pd.factorize(pd.Series(texts, dtype=object))
        assert codes.tolist() == want_codes.tolist()
        assert uniques == list(want_uniques)


def _plan() -> pt.Plan:
    rate = pt.Indicator(id="pass_rate", name=pt.Label(zh="合格率"), kind="rate", unit="%")
    targets = tuple(
        pt.Target(id=f"t{i}", indicator=rate, condition=pt.AtLeast(value=90.0), period="2022")
        for i in range(3)
    )
    goal = pt.Goal(id="g", title=pt.Label(zh="目标"), targets=targets)
    return pt.Plan(id="p", title=pt.Label(zh="计划"), period="2021-2025", goals=(goal,))


class TestIndexOfTheObservations:
    """A table's own index (file lines, a filter's labels) never moves a breakdown value."""

    @pytest.mark.parametrize(
        "periods", [["2022", "2022"], ["2022-H1", "2022-H2"]], ids=["fast", "general"]
    )
    @pytest.mark.parametrize("every_target", [True, False], ids=["all", "absent"])
    def test_a_shifted_index_gives_the_same_result(
        self, periods: list[str], every_target: bool
    ) -> None:
        """Rows labelled from 100 down give what rows labelled from 0 up give."""
        rows = pd.DataFrame(
            {
                "target_id": ["t0", "t1"],
                "period": periods,
                "value": [95.0, 85.0],
                "unit": ["%", "%"],
                "region": ["太仓", "昆山"],
            }
        )
        if every_target:
            rows = pd.concat([rows, rows.assign(target_id="t2")], ignore_index=True)
        want = pt.evaluate(_plan(), rows)
        assert want["region"].isna().sum() == (0 if every_target else 1)
        shifted = rows.set_axis(range(100 + len(rows) - 1, 99, -1))
        pd.testing.assert_frame_equal(pt.evaluate(_plan(), shifted), want)


@st.composite
def _joins(draw: st.DrawFn) -> tuple[pd.Categorical, list[Any], Any]:
    """A categorical (texts or numbers), other paths' values for it, and an order of the rows."""
    pool = draw(
        st.sampled_from(
            [["达到", "met", "", "b", "a"], [3, 1, 2, 10, 0]]  # texts, or a numeric breakdown
        )
    )
    k = draw(st.integers(0, len(pool)))
    categories, others = pool[:k], pool[k:]
    codes = draw(st.lists(st.integers(-1, k - 1), max_size=6)) if k else []
    values = draw(st.lists(st.sampled_from([*pool, None, float("nan")]), max_size=6))
    order = draw(st.permutations(range(len(codes) + len(values))))
    # Texts as pandas keeps them, or as plain objects (a user's own categorical breakdown).
    kind = draw(st.sampled_from(["str", object])) if isinstance(pool[0], str) else None
    cat = pd.Categorical.from_codes(
        codes, dtype=pd.CategoricalDtype(pd.Index(categories, dtype=kind))
    )
    del others
    return cat, values, np.array(order, dtype=np.int64)


def _expected(cat: pd.Categorical, values: list[Any], order: Any) -> pd.Categorical:
    """The join written plainly: every row's value, the new texts in order of appearance."""
    rows = [None if pd.isna(v) else v for v in [*cat.astype(object), *values]]
    rows = [rows[i] for i in order]
    known = list(cat.categories)
    new = [v for v in dict.fromkeys(rows) if v is not None and v not in known]
    return pd.Categorical(rows, categories=pd.Index(known + new))


class TestJoinedCategorical:
    """Other paths' values joined to a categorical column, by a dict or by pandas."""

    @settings(max_examples=60, deadline=None)
    @given(_joins())
    def test_a_dict_and_pandas_hash_tables_join_alike(
        self, join: tuple[pd.Categorical, list[Any], Any]
    ) -> None:
        """Codes, categories and their type equal the plain join, on both ways."""
        cat, values, order = join
        want = _expected(cat, values, order)
        small = dispatch._joined_categorical(cat, values, order)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(dispatch, "SMALL_JOIN", -1)
            large = dispatch._joined_categorical(cat, values, order)
        for got in (small, large):
            pd.testing.assert_extension_array_equal(got, want)
            pd.testing.assert_index_equal(got.categories, want.categories, exact=True)


#: Run in a fresh interpreter: the first evaluate of a process, then the same again.
FIRST_CALL = """
import sys
sys.path.insert(0, {benchmarks!r})
import attrs
import pandas as pd
import evaluate_bench
import policytargets as pt
plan = evaluate_bench.build_plan()[0]
frame = evaluate_bench.build_frame(plan, 1000, "string").iloc[:3]
first = pt.evaluate(plan, frame)
pd.testing.assert_frame_equal(first, pt.evaluate(attrs.evolve(plan), frame))
print("equal")
"""


def test_a_processs_first_evaluate_equals_a_later_one() -> None:
    """Nothing the first call of a process works out differs from what later calls reuse."""
    benchmarks = str(Path(__file__).parents[1] / "benchmarks")
    done = subprocess.run(
        [sys.executable, "-c", FIRST_CALL.format(benchmarks=benchmarks)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["equal"]
