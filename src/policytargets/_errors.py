"""The exception hierarchy: one root, each concrete error also a builtin."""

from __future__ import annotations

import difflib
from typing import Any

__all__ = [
    "DimensionMismatchError",
    "DuplicateIdError",
    "InvalidValueError",
    "MissingDependencyError",
    "ObservationError",
    "ObservationFileError",
    "PlanFileError",
    "PolicyTargetsError",
    "UnitParseError",
    "UnknownIdError",
]


class PolicyTargetsError(Exception):
    """Root of every error raised on purpose by ``policytargets``.

    Catch this to handle any bad input the library refuses; each concrete
    subclass is also the natural builtin (``ValueError``, ``LookupError``), so
    code that already catches builtins keeps working.
    """


class InvalidValueError(PolicyTargetsError, ValueError):
    """A field received a value outside what it accepts.

    Attributes:
        where: the object and field, e.g. ``"Between.high"``.
        expected: what the field accepts.
        received: the value it got.
    """

    def __init__(self, where: str, expected: str, received: Any) -> None:
        self.where = where
        self.expected = expected
        self.received = received
        super().__init__(f"{where}: expected {expected}, received {received!r}")


class DuplicateIdError(InvalidValueError):
    """Two items of one plan share an id, or one indicator id has two definitions.

    Attributes:
        duplicate: the id used twice.
    """

    def __init__(
        self, where: str, duplicate: str, expected: str = "ids unique within the plan"
    ) -> None:
        super().__init__(where, expected, duplicate)
        self.duplicate = duplicate


class UnknownIdError(PolicyTargetsError, LookupError):
    """An id or name refers to nothing registered.

    The message suggests the closest known ids ("did you mean …?", by
    ``difflib.get_close_matches``) and lists a few known ones.

    Attributes:
        where: where the reference was made or looked up.
        key: the id or name that did not resolve.
        known: the known keys, to help spot a typo.
        suggestions: the known keys closest to ``key``, best first (at most three).
    """

    def __init__(self, where: str, key: str, known: tuple[str, ...] = ()) -> None:
        self.where = where
        self.key = key
        self.known = known
        self.suggestions: tuple[str, ...] = (
            tuple(difflib.get_close_matches(key, known, n=3, cutoff=0.6))
            if isinstance(key, str)
            else ()
        )
        hint = ""
        if self.suggestions:
            hint = "; did you mean " + " or ".join(repr(k) for k in self.suggestions) + "?"
        if known:
            shown = ", ".join(repr(k) for k in known[:8])
            more = f" and {len(known) - 8} more" if len(known) > 8 else ""
            hint += f"; known: {shown}{more}"
        super().__init__(f"{where}: unknown id {key!r}{hint}")

    def __str__(self) -> str:  # LookupError subclasses of KeyError quote; we don't
        return str(self.args[0])


class UnitParseError(PolicyTargetsError, ValueError):
    """Text could not be read as a quantity or a unit.

    Attributes:
        text: the text as given.
        reason: why it was refused.
    """

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"cannot read {text!r} as a quantity or unit: {reason}")


class DimensionMismatchError(PolicyTargetsError, ValueError):
    """Two units that must be comparable have different dimensions.

    Attributes:
        where: where the comparison was required.
        unit: the unit received.
        expected_unit: the unit whose dimension was expected.
    """

    def __init__(self, where: str, unit: str, expected_unit: str, detail: str = "") -> None:
        self.where = where
        self.unit = unit
        self.expected_unit = expected_unit
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"{where}: unit {unit!r} does not have the dimension of {expected_unit!r}{extra}"
        )


class ObservationError(PolicyTargetsError, ValueError):
    """Observations were refused; ``failures`` lists every bad row at once.

    Attributes:
        failures: a ``pandas.DataFrame`` of failure cases (one row per
            problem, with ``row``, ``column``, ``reason`` and ``value``), or
            ``None`` for a single scalar observation.
    """

    def __init__(self, message: str, failures: Any = None) -> None:
        self.failures = failures
        super().__init__(message)


class ObservationFileError(ObservationError):
    """An observation file could not be read at all.

    Not a workbook, corrupt, truncated, password-protected or empty; text in
    no encoding the reader knows; a malformed CSV line; a header it cannot
    use. (Bad cells in a readable file are an :class:`ObservationError`
    listing each of them.)

    Attributes:
        path: the file.
        line: the 1-based line (or spreadsheet row) at fault, if one is.
        problem: what is wrong, in a sentence.
    """

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


class PlanFileError(PolicyTargetsError, ValueError):
    """A plan file (JSON or YAML) could not be read into a plan.

    Attributes:
        path: the file.
        problems: ``(location, message)`` pairs, every bad field at once; a
            location is a path inside the file such as
            ``goals[2].targets[0].condition.value``.
    """

    def __init__(self, path: str, problems: tuple[tuple[str, str], ...]) -> None:
        self.path = path
        self.problems = problems
        lines = "; ".join(f"{loc}: {msg}" if loc else msg for loc, msg in problems)
        super().__init__(f"{path}: {lines}")


class MissingDependencyError(PolicyTargetsError, ModuleNotFoundError):
    """A feature needs an optional dependency that is not installed.

    The message names the extra that brings it, e.g.
    ``pip install "policytargets[plot]"``.

    Attributes:
        module: the missing module.
        extra: the ``policytargets`` extra to install.
    """

    def __init__(self, module: str, extra: str, purpose: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(
            f"{module} is needed {purpose} but is not installed: "
            f'pip install "policytargets[{extra}]"',
            name=module,
        )
