"""Errors: one root, each concrete error also the natural builtin, messages that say why."""

from __future__ import annotations

import pandas as pd
import pytest

import policytargets as pt

CONCRETE = [
    (pt.InvalidValueError, ValueError),
    (pt.DuplicateIdError, ValueError),
    (pt.UnknownIdError, LookupError),
    (pt.UnitParseError, ValueError),
    (pt.DimensionMismatchError, ValueError),
    (pt.ObservationError, ValueError),
    (pt.PlanFileError, ValueError),
]


class TestHierarchy:
    """Every error is a PolicyTargetsError and the builtin code already catches."""

    @pytest.mark.parametrize(("error", "builtin"), CONCRETE)
    def test_subclasses(self, error: type[Exception], builtin: type[Exception]) -> None:
        assert issubclass(error, pt.PolicyTargetsError)
        assert issubclass(error, builtin)

    def test_duplicate_id_is_an_invalid_value(self) -> None:
        assert issubclass(pt.DuplicateIdError, pt.InvalidValueError)

    def test_the_root_is_an_exception(self) -> None:
        assert issubclass(pt.PolicyTargetsError, Exception)


class TestMessages:
    """Messages name where, what was expected and what was received."""

    def test_invalid_value(self) -> None:
        error = pt.InvalidValueError("Between.high", "a number >= low (5.0)", 3.0)
        assert str(error) == "Between.high: expected a number >= low (5.0), received 3.0"
        assert (error.where, error.expected, error.received) == (
            "Between.high",
            "a number >= low (5.0)",
            3.0,
        )

    def test_duplicate_id(self) -> None:
        error = pt.DuplicateIdError("Plan 'p'", "t1")
        assert str(error) == "Plan 'p': expected ids unique within the plan, received 't1'"
        assert error.duplicate == "t1"

    def test_unknown_id_without_keyerror_quotes(self) -> None:
        error = pt.UnknownIdError("Plan 'p': target", "t9", ("t1", "t2"))
        assert str(error) == "Plan 'p': target: unknown id 't9'; known: 't1', 't2'"

    def test_unknown_id_suggests_the_closest_ids(self) -> None:
        error = pt.UnknownIdError(
            "Plan 'p': target", "green-spcae", ("green-space", "afforestation", "pocket-parks")
        )
        assert error.suggestions == ("green-space",)
        assert "did you mean 'green-space'?" in str(error)

    def test_unknown_id_suggests_nothing_when_nothing_is_close(self) -> None:
        error = pt.UnknownIdError("Plan 'p': target", "zzz", ("green-space",))
        assert error.suggestions == ()
        assert "did you mean" not in str(error)

    def test_unknown_id_shows_at_most_eight_known_keys(self) -> None:
        error = pt.UnknownIdError("here", "x", tuple(f"k{i}" for i in range(10)))
        assert "'k7'" in str(error)
        assert "'k8'" not in str(error)
        assert str(error).endswith("and 2 more")

    def test_unit_parse(self) -> None:
        error = pt.UnitParseError("12 foo", "unknown unit")
        assert str(error) == "cannot read '12 foo' as a quantity or unit: unknown unit"
        assert (error.text, error.reason) == ("12 foo", "unknown unit")

    def test_dimension_mismatch(self) -> None:
        error = pt.DimensionMismatchError("Target 't'.unit", "个", "%", "[count] vs dimensionless")
        assert str(error) == (
            "Target 't'.unit: unit '个' does not have the dimension of '%' "
            "([count] vs dimensionless)"
        )

    def test_observation_error_carries_every_failure(self) -> None:
        failures = pd.DataFrame(
            {"row": [0, 3], "column": ["unit", "value"], "value": ["foo", "x"], "reason": ["", ""]}
        )
        error = pt.ObservationError("2 bad rows", failures)
        assert error.failures is failures
        assert str(error) == "2 bad rows"

    def test_plan_file_error_lists_every_problem(self) -> None:
        error = pt.PlanFileError(
            "plan.yaml", (("goals[0].id", "expected an id"), ("", "not a mapping"))
        )
        assert str(error) == "plan.yaml: goals[0].id: expected an id; not a mapping"
        assert error.path == "plan.yaml"


class TestRaisedErrorsAreCaughtByTheRoot:
    """What the library raises on bad input is always a PolicyTargetsError."""

    @pytest.mark.parametrize(
        "make",
        [
            lambda: pt.parse_quantity("abc"),
            lambda: pt.parse_unit("~"),
            lambda: pt.conversion_factor("个", "%"),
            lambda: pt.Period.parse("2022-Q5"),
            lambda: pt.AtLeast(value=float("nan")),
            lambda: pt.Between(low=2, high=1),
            lambda: pt.Indicator(id="x", name=pt.Label(zh="x"), kind="rat", unit="%"),
            lambda: pt.Baseline(value="80", period="2021"),
            lambda: pt.Responsibility(owner="x", role="boss"),
        ],
    )
    def test_caught_by_the_root(self, make: object) -> None:
        with pytest.raises(pt.PolicyTargetsError):
            make()  # type: ignore[operator]
