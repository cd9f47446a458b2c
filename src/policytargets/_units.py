"""Units: the library's one pint registry, built lazily, and unit parsing.

Nothing here imports pint until a unit is actually needed, so that
``import policytargets`` stays light. Conversion factors and dimension checks
are cached per pair of unit strings: evaluating a million observations
converts once per (observed unit, target unit) pair, never once per row.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ._errors import DimensionMismatchError, UnitParseError

if TYPE_CHECKING:
    import pint

__all__ = [
    "conversion_factor",
    "define_units",
    "dimensionality",
    "get_registry",
    "is_compatible",
    "parse_quantity",
    "parse_unit",
    "to_quantity",
]

_lock = threading.Lock()
_registry: pint.UnitRegistry[Any] | None = None
_extra_definitions: list[str] = []

#: Superscripts, rewritten before NFKC folding would turn m² into m2.
_SUPERSCRIPTS: tuple[tuple[str, str], ...] = (
    ("㎡", " meter ** 2 "),
    ("²", " ** 2"),
    ("³", " ** 3"),
)
#: Text forms that pint's tokenizer cannot read, rewritten before parsing.
_REWRITES: tuple[tuple[str, str], ...] = (
    ("‰", " permille "),
    ("%", " percent "),
    ("×", "*"),
    ("^", "**"),
    ("每", "/"),
)

#: A power of a power (``4 ** 3 ** 35``) or a large numeric exponent: pint's
#: parser would evaluate it as Python does and hang on the big integer.
_RUNAWAY_POWER = re.compile(r"\*\*[\s\d.()+-]*\*\*|\*\*\s*[(+-]*\s*\d{3,}")

_NUMBER = re.compile(
    r"""^\s*
    (?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?|[+-]?\.\d+)
    \s*(?P<unit>.*?)\s*$""",
    re.VERBOSE,
)


def get_registry() -> pint.UnitRegistry[Any]:
    """Return the library's unit registry, building it on first use.

    The registry holds pint's default definitions plus the plan units of
    ``plan_units.txt`` (万, 亿, 千, 亩, 公顷, 百分点, 分, counting words, persons).
    It is one registry for the whole process; quantities made with any other
    registry are converted at the edge by :func:`to_quantity`.
    """
    global _registry
    if _registry is None:
        with _lock:
            if _registry is None:
                _registry = _build_registry()
    return _registry


def _build_registry() -> pint.UnitRegistry[Any]:
    import pint

    # Our own file may take over a few of pint's names on purpose: pint makes
    # "count" dimensionless, which would let "35 count" equal 35 %; in a plan a
    # count is a number of things ([count]). Only that file may redefine.
    registry: pint.UnitRegistry[Any] = pint.UnitRegistry(
        autoconvert_offset_to_baseunit=True, cache_folder=None, on_redefinition="ignore"
    )
    definitions = resources.files("policytargets").joinpath("plan_units.txt")
    with resources.as_file(definitions) as path:
        registry.load_definitions(str(path))
    # From here on, define_units must refuse to change what an existing unit
    # means (pint's default only logs a warning and redefines). pint has no
    # public setter for this; the attribute is the one its constructor sets.
    registry._on_redefinition = "raise"
    for text in _extra_definitions:
        _load_text(registry, text)
    return registry


def _load_text(registry: pint.UnitRegistry[Any], text: str) -> None:
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            registry.define(line)


def define_units(definitions: str) -> None:
    """Add unit definitions, in pint's syntax, to the library's registry.

    Args:
        definitions: one definition per line, e.g. ``"dun = tonne = 吨位"`` or
            ``"bai- = 100 = 百-"``; ``#`` starts a comment.

    Raises:
        UnitParseError: a line is not a valid definition.
    """
    import pint

    registry = get_registry()
    # Lines are recorded one by one as they succeed, so that a registry rebuilt
    # later holds exactly what this one holds, even after a bad line.
    try:
        for line in definitions.splitlines():
            _load_text(registry, line)
            _extra_definitions.append(line)
    except (pint.errors.DefinitionSyntaxError, pint.errors.RedefinitionError, ValueError) as exc:
        raise UnitParseError(line.strip(), f"not a valid pint definition: {exc}") from None
    finally:
        _clear_caches()


def _clear_caches() -> None:
    parse_unit.cache_clear()
    conversion_factor.cache_clear()
    dimensionality.cache_clear()
    is_compatible.cache_clear()


def _fold(text: str) -> str:
    for old, new in _SUPERSCRIPTS:
        text = text.replace(old, new)
    # NFKC folds full-width digits, letters and punctuation (１２％, ，) to ASCII.
    return unicodedata.normalize("NFKC", text).strip()


def _normalise(text: str) -> str:
    text = _fold(text)
    for old, new in _REWRITES:
        text = text.replace(old, new)
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit string such as ``"%"``, ``"批次/千人"`` or ``"万平方米"``.

    An empty string is the dimensionless unit.

    Raises:
        UnitParseError: the text names no known unit.
    """
    import pint

    if not isinstance(text, str):
        raise UnitParseError(repr(text), f"expected text, received {type(text).__name__}")
    registry = get_registry()
    normalised = _normalise(text)
    if not normalised:
        return registry.dimensionless
    if _RUNAWAY_POWER.search(normalised):
        raise UnitParseError(text, "exponents must be small numbers, not powers of powers")
    try:
        unit = registry.parse_units(normalised)
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError) as exc:
        raise UnitParseError(text, f"unknown unit ({exc})") from None
    except Exception as exc:
        # pint evaluates the text with Python's tokenizer and arithmetic, so bad
        # text fails in many ways (TokenError, AssertionError, KeyError,
        # ZeroDivisionError, OverflowError...): all of them mean "not a unit".
        raise UnitParseError(text, f"not a unit expression ({type(exc).__name__}: {exc})") from None
    return unit


def parse_quantity(text: str) -> pint.Quantity[Any]:
    """Read a quantity as plans write it.

    Examples of accepted text: ``"96.8%"``, ``"10.9万平方米"``, ``"7批次/千人"``,
    ``"400亩"``, ``"80.40分"``, ``"1.5 hectare"``, ``"35家"``, ``"1小时"``,
    ``"5,873 batch"``. Full-width digits and ``％`` are accepted.

    Returns:
        A quantity of the library's registry.

    Raises:
        UnitParseError: the text is not a number followed by a known unit.
    """
    if not isinstance(text, str):
        raise UnitParseError(repr(text), f"expected text, received {type(text).__name__}")
    match = _NUMBER.match(_fold(text))
    if match is None:
        raise UnitParseError(text, "it does not start with a number")
    number = float(match["number"].replace(",", ""))
    if not math.isfinite(number):
        raise UnitParseError(text, "the number is too large to be represented")
    unit_text = match["unit"]
    try:
        unit = parse_unit(unit_text)
    except UnitParseError as exc:
        raise UnitParseError(text, exc.reason) from None
    return get_registry().Quantity(number, unit)


def to_quantity(value: Any, where: str = "value") -> pint.Quantity[Any]:
    """Return ``value`` as a quantity of the library's registry.

    Accepts text (read with :func:`parse_quantity`) and pint quantities from
    any registry, including ``pint.get_application_registry()`` or a user's own
    ``pint.UnitRegistry()``: those are re-expressed by magnitude and unit
    name, so they compare with plan quantities instead of raising pint's
    "Cannot operate with Quantity and Quantity of different registries".

    Raises:
        UnitParseError: text that cannot be read, or a foreign unit this
            library's registry does not define.
    """
    import pint

    registry = get_registry()
    if isinstance(value, str):
        return parse_quantity(value)
    if isinstance(value, pint.Quantity):
        if value._REGISTRY is registry:
            return value
        unit_text = str(value.units)
        try:
            unit = parse_unit(unit_text)
        except UnitParseError as exc:
            raise UnitParseError(
                unit_text,
                f"{where} comes from another unit registry and its unit is not "
                f"defined here; add it with policytargets.define_units ({exc.reason})",
            ) from None
        return registry.Quantity(value.magnitude, unit)
    raise UnitParseError(repr(value), f"{where} must be text such as '96.8%' or a pint Quantity")


@lru_cache(maxsize=4096)
def dimensionality(unit: str) -> str:
    """Return the dimensionality of a unit string, e.g. ``"[count] / [population]"``."""
    dims = parse_unit(unit).dimensionality
    return str(dims) if dims else "dimensionless"


@lru_cache(maxsize=4096)
def is_compatible(unit: str, other: str) -> bool:
    """Whether two unit strings share a dimension (and so can be compared)."""
    return bool(parse_unit(unit).dimensionality == parse_unit(other).dimensionality)


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """The factor ``f`` such that a value in ``from_unit`` times ``f`` is in ``to_unit``.

    Raises:
        UnitParseError: either unit is unknown.
        DimensionMismatchError: the units have different dimensions.
    """
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    if source.dimensionality != target.dimensionality:
        raise DimensionMismatchError(
            "conversion",
            from_unit,
            to_unit,
            f"{dimensionality(from_unit)} vs {dimensionality(to_unit)}",
        )
    registry = get_registry()
    return float(registry.Quantity(1.0, source).to(target).magnitude)
