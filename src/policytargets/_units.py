"""Units: the library's one pint registry, built lazily, and unit parsing.

Nothing here imports pint until a unit is actually needed, so that
``import policytargets`` stays light. Conversion factors and dimension checks
are cached per pair of unit strings: evaluating a million observations
converts once per (observed unit, target unit) pair, never once per row.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import DimensionMismatchError, UnitParseError
from ._numerals import split_chinese_number, to_simplified

if TYPE_CHECKING:
    import pint

__all__ = [
    "conversion_factor",
    "define_units",
    "dimensionality",
    "get_registry",
    "is_compatible",
    "parse_quantities",
    "parse_quantity",
    "parse_unit",
    "to_quantity",
    "unit_scope",
]

_lock = threading.Lock()
_registry: pint.UnitRegistry[Any] | None = None
_extra_definitions: list[str] = []
#: Registries of plan-scoped units, by their definition lines (see unit_scope).
_scoped: dict[tuple[str, ...], pint.UnitRegistry[Any]] = {}
#: The definitions in force here: () for the library's registry alone.
_active: ContextVar[tuple[str, ...]] = ContextVar("policytargets_unit_scope", default=())

#: Bounded work per input: pint's parser is not linear in the length of an
#: unknown name (100,000 characters took minutes), and no unit is this long.
MAX_UNIT_CHARS = 100
MAX_QUANTITY_CHARS = 200

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
    ("·", "*"),  # pint's pretty format writes kg·m²
    ("⋅", "*"),
    ("^", "**"),
    ("每", "/"),
    # pint writes a temperature difference as Δ°C: read back what it writes.
    ("Δ°C", " delta_degC "),
    ("Δ°F", " delta_degF "),
    ("°C", " degC "),
    ("°F", " degF "),
)

#: What may follow ``**``: a number of at most two digits, bare or in
#: parentheses, and not itself raised to a power. pint evaluates exponents as
#: Python does, so ``99**(99*99*99*99)`` would never finish.
_EXPONENT = re.compile(
    r"\*\*\s*(?:\(\s*[+-]?\d{1,2}(?:\.\d+)?\s*\)|[+-]?\d{1,2}(?:\.\d+)?)(?![\d.eE])"
)
_POWER_OF_POWER = re.compile(r"\*\*[\s\d.()+-]*\*\*")

#: The library's own fractions: the only dimensionless units that may compare
#: with a rate. pint also makes radian, degree, byte, bit, pi and the like
#: dimensionless, so 96.9 ° would otherwise meet "96.8 % 以上".
FRACTION_UNITS = frozenset({"percent", "permille"})

_NUMBER = re.compile(
    r"""^\s*
    (?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d{1,3})?|[+-]?\.\d+(?:[eE][+-]?\d{1,3})?)
    (?![\d,.])\s*(?P<unit>.*?)\s*$""",
    re.VERBOSE,
)


def get_registry() -> pint.UnitRegistry[Any]:
    """Return the unit registry in force, building it on first use.

    The registry holds pint's default definitions plus the plan units of
    ``plan_units.txt`` (万, 亿, 千, 亩, 公顷, 百分点, 分, counting words, persons,
    money and energy) and those added by :func:`define_units`. It is one
    registry for the whole process, except inside ``unit_scope`` (a plan
    file's own ``units:``), where it is that scope's registry; quantities made
    with any other registry are converted at the edge by :func:`to_quantity`.
    """
    global _registry
    scope = _active.get()
    if scope:
        return _scope_registry(scope)
    if _registry is None:
        with _lock:
            if _registry is None:
                _registry = _build_registry()
    return _registry


def _build_registry(scope: tuple[str, ...] = ()) -> pint.UnitRegistry[Any]:
    definitions = resources.files("policytargets").joinpath("plan_units.txt")
    with resources.as_file(definitions) as path:
        registry = _cached_registry(path)
    # From here on, define_units must refuse to change what an existing unit
    # means (pint's default only logs a warning and redefines). pint has no
    # public setter for this; the attribute is the one its constructor sets.
    registry._on_redefinition = "raise"
    for text in [*_extra_definitions, *scope]:
        _load_text(registry, text)
    return registry


def _new_registry(definitions: Path, cache: Path | None) -> pint.UnitRegistry[Any]:
    """pint's units and ours (``definitions``), parsed or read from the folder ``cache``."""
    import pint

    # Our own file may take over a few of pint's names on purpose: pint makes
    # "count" dimensionless, which would let "35 count" equal 35 %; in a plan a
    # count is a number of things ([count]). Only that file may redefine.
    registry: pint.UnitRegistry[Any] = pint.UnitRegistry(
        autoconvert_offset_to_baseunit=True, cache_folder=cache, on_redefinition="ignore"
    )
    # Quantities print with the units plans write (10.9 万平方米, 7 批次/千人), never with
    # the internal names (wansquare_meter_zh): "~P" prints each unit's symbol. Code that
    # needs the internal name asks for it with format(unit, "D").
    registry.formatter.default_format = "~P"
    registry.load_definitions(str(definitions))
    # Built: nothing more is read from the cache or written to it (define_units and
    # plan units are defined line by line, never cached).
    registry._diskcache = None
    if registry._def_parser is not None:
        registry._def_parser._diskcache = None  # type: ignore[assignment]  # pint: always set
    return registry


def _cached_registry(definitions: Path) -> pint.UnitRegistry[Any]:
    """A new registry, its definition files parsed once per machine (see :func:`_cache_folder`).

    pint's parse of its ~1,000 definitions is most of a registry's cost (about
    0.1 s of 0.13 s); pint keeps the parse in a folder (with ``flexcache``,
    which names each file by the content it was parsed from, and pint's
    version). A folder is made whole under a temporary name and renamed into
    place, so no process reads one half written; one that cannot be read is
    removed and the registry built without it; and any failure to make one (a
    read-only or missing home) builds without it, silently.
    """
    folder = _cache_folder(definitions)
    if folder is None:
        return _new_registry(definitions, None)
    if folder.is_dir():
        try:
            return _new_registry(definitions, folder)
        except Exception:  # a damaged cache (a file cut short): remade by the next process
            shutil.rmtree(folder, ignore_errors=True)
            return _new_registry(definitions, None)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))
    except OSError:
        return _new_registry(definitions, None)
    try:
        registry = _new_registry(definitions, staging)
    except Exception:  # a full disk, say: the cache is only ever a shortcut
        return _new_registry(definitions, None)
    else:
        with contextlib.suppress(OSError):  # another process may have put its own there
            os.rename(staging, folder)
        return registry
    finally:
        shutil.rmtree(staging, ignore_errors=True)


#: The environment variable that names the folder of the unit cache; ``off`` turns it off.
_CACHE_ENV = "POLICYTARGETS_UNIT_CACHE"


def _cache_folder(definitions: Path | None = None) -> Path | None:
    """The folder that holds pint's parse of the unit definitions, or None when there is none.

    By default ``units-<key>`` in the user's cache folder (``~/.cache/policytargets``
    on Linux, from ``platformdirs``); the environment variable
    ``POLICYTARGETS_UNIT_CACHE`` names another parent folder, or turns the
    cache off when it is ``off`` or empty. The key is a hash of the versions
    of Python, pint and its parser, and of the definition files (pint's and
    ``plan_units.txt``): a new version or a changed file uses a new folder.
    """
    import hashlib
    import platform

    setting = os.environ.get(_CACHE_ENV)
    if setting is not None and setting.strip().lower() in ("", "off"):
        return None
    try:
        import flexcache
        import flexparser
        import pint

        if setting is not None:
            parent = Path(setting).expanduser()
        else:
            import platformdirs

            parent = platformdirs.user_cache_path("policytargets", appauthor=False)
        if definitions is None:
            definitions = Path(str(resources.files("policytargets").joinpath("plan_units.txt")))
        key = hashlib.sha256()
        versions = (
            platform.python_implementation(),
            platform.python_version(),
            pint.__version__,
            getattr(flexparser, "__version__", ""),
            getattr(flexcache, "__version__", ""),
        )
        key.update(repr(versions).encode())
        pint_files = Path(pint.__file__).parent
        for file in (pint_files / "default_en.txt", pint_files / "constants_en.txt", definitions):
            key.update(file.read_bytes())
    except Exception:  # no home folder, an unreadable file: no cache
        return None
    return parent / f"units-{key.hexdigest()[:20]}"


def _scope_registry(scope: tuple[str, ...]) -> pint.UnitRegistry[Any]:
    registry = _scoped.get(scope)
    if registry is None:
        with _lock:
            registry = _scoped.get(scope)
            if registry is None:
                registry = _scoped[scope] = _build_registry(scope)
    return registry


def _load_text(registry: pint.UnitRegistry[Any], text: str) -> None:
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            registry.define(line)


def _definition_lines(definitions: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(definitions, str):
        definitions = definitions.splitlines()
    else:
        definitions = [line for text in definitions for line in str(text).splitlines()]
    lines = (line.strip() for line in definitions)
    return tuple(line for line in lines if line and not line.startswith("#"))


def _check_definitions(lines: tuple[str, ...], registry: pint.UnitRegistry[Any]) -> None:
    """Define ``lines`` in ``registry``, refusing the first bad one by its text."""
    import pint

    for line in lines:
        if len(line) > 4 * MAX_UNIT_CHARS:
            raise UnitParseError(line[:40] + "…", f"a definition longer than {4 * MAX_UNIT_CHARS}")
        try:
            _load_text(registry, line)
        except (pint.errors.DefinitionSyntaxError, pint.errors.RedefinitionError) as exc:
            raise UnitParseError(line, f"not a valid pint definition: {exc}") from None
        except Exception as exc:
            # pint evaluates a definition's right-hand side with Python's
            # tokenizer and arithmetic: any failure there means "not valid".
            raise UnitParseError(
                line, f"not a valid pint definition ({type(exc).__name__}: {exc})"
            ) from None


def define_units(definitions: str) -> None:
    """Add unit definitions, in pint's syntax, to the library's registry.

    These units are seen by every plan in the process. Units that belong to
    one plan go in its file's ``units:`` section instead (or, in Python,
    ``unit_scope``), where no other plan sees them.

    Args:
        definitions: one definition per line, e.g. ``"dun = tonne = 吨位"`` or
            ``"bai- = 100 = 百-"``; ``#`` starts a comment.

    Raises:
        UnitParseError: a line is not a valid definition.
    """
    outside = _active.set(())  # the library's registry, never a plan's
    try:
        registry = get_registry()
        # Lines are recorded one by one as they succeed, so that a registry
        # rebuilt later holds exactly what this one holds, even after a bad line.
        for line in _definition_lines(definitions):
            _check_definitions((line,), registry)
            _extra_definitions.append(line)
    finally:
        _active.reset(outside)
        _clear_caches()


@contextmanager
def unit_scope(definitions: str | Iterable[str]) -> Iterator[tuple[str, ...]]:
    """Use a plan's own units within a ``with`` block, and nowhere else.

    Inside the block, every unit function (and :class:`Indicator`,
    :class:`Target`, :func:`assess`, :func:`evaluate`) reads units with the
    library's registry plus ``definitions``; outside it, and in other threads
    or tasks, those units do not exist. An indicator built inside the block
    remembers the scope, so :func:`assess` finds its units later. This is what
    a plan file's ``units:`` section does; two plans with different units
    never see each other's. Scopes do not nest: an inner one replaces the
    outer one.

    Args:
        definitions: definition lines in :func:`define_units` syntax (a text
            or a sequence of lines); they may not redefine an existing unit.

    Yields:
        The definition lines in force (comments and blank lines dropped).

    Raises:
        UnitParseError: a line is not a valid definition.
    """
    lines = check_unit_definitions(definitions)
    token = _active.set(lines)
    try:
        yield lines
    finally:
        _active.reset(token)


def check_unit_definitions(definitions: str | Iterable[str]) -> tuple[str, ...]:
    """Validate plan-scoped definition lines; return them without comments and blanks.

    Raises:
        UnitParseError: a line is not a valid definition, naming it.
    """
    lines = _definition_lines(definitions)
    if lines and lines not in _scoped:
        with _lock:
            if lines not in _scoped:
                saved = _active.set(())
                try:
                    registry = _build_registry()
                    _check_definitions(lines, registry)
                finally:
                    _active.reset(saved)
                _scoped[lines] = registry
    return lines


def current_unit_scope() -> tuple[str, ...]:
    """The plan-scoped definition lines in force here (``()`` outside any scope)."""
    return _active.get()


@contextmanager
def using_scope(lines: tuple[str, ...]) -> Iterator[None]:
    """Re-enter a scope already validated (an indicator's, a plan's)."""
    if lines == _active.get():
        yield
        return
    token = _active.set(check_unit_definitions(lines) if lines else ())
    try:
        yield
    finally:
        _active.reset(token)


def _clear_caches() -> None:
    _scoped.clear()  # built on the library's registry, which has changed
    _parse_unit.cache_clear()
    _conversion_factor.cache_clear()
    _dimensionality.cache_clear()
    _is_compatible.cache_clear()


def _fold(text: str) -> str:
    original = text
    for old, new in _SUPERSCRIPTS:
        text = text.replace(old, new)
    if any(unicodedata.category(c) == "No" for c in text):
        # NFKC would make them digits: 10⁴ read as 104, 2₂ as 22, ①家 as 1 家.
        raise UnitParseError(
            original,
            "a superscript, subscript, circled or fraction number (⁴, ₂, ①, ½) is not a digit;"
            " write the number in digits (10000, not 10⁴)",
        )
    # NFKC folds full-width digits, letters and punctuation (１２％, ，) to ASCII;
    # traditional script (萬件, 噸) is read as simplified (万件, 吨).
    return to_simplified(unicodedata.normalize("NFKC", text).strip())


def _normalise(text: str) -> str:
    text = _fold(text)
    for old, new in _REWRITES:
        text = text.replace(old, new)
    return " ".join(text.split())


def _check_exponents(text: str, normalised: str) -> None:
    if _POWER_OF_POWER.search(normalised):
        raise UnitParseError(text, "exponents must be small numbers, not powers of powers")
    for match in re.finditer(r"\*\*", normalised):
        if not _EXPONENT.match(normalised, match.start()):
            raise UnitParseError(
                text, "an exponent must be a number of at most two digits, such as m**2"
            )


def parse_unit(text: str) -> pint.Unit:
    """Parse a unit string such as ``"%"``, ``"批次/千人"`` or ``"万平方米"``.

    Traditional script reads as simplified (``"萬平方米"``). An empty string is
    the dimensionless unit (a fraction). Units pint treats as pure numbers
    (radian, degree, byte, decibel, pi, ``%%``) are refused: only % and ‰ are
    fractions here (百分点, a difference of two percentages, has a dimension of
    its own). A temperature on an offset scale (°C, °F) stands
    alone, never inside a compound unit.

    Raises:
        UnitParseError: the text names no usable unit, is longer than
            ``MAX_UNIT_CHARS`` (100) characters, or raises to a power that is
            not a small number.
    """
    if not isinstance(text, str):
        raise UnitParseError(repr(text), f"expected text, received {type(text).__name__}")
    return _parse_unit(_active.get(), text)


@lru_cache(maxsize=4096)
def _parse_unit(scope: tuple[str, ...], text: str) -> pint.Unit:
    registry = get_registry()
    if len(text) > MAX_UNIT_CHARS:
        raise UnitParseError(_shown(text), f"a unit is at most {MAX_UNIT_CHARS} characters")
    normalised = _normalise(text)
    if len(normalised) > 2 * MAX_UNIT_CHARS:
        raise UnitParseError(text, f"a unit is at most {MAX_UNIT_CHARS} characters")
    if not normalised or normalised == "1":
        # What pint parses "1" to, without its tokenizer (costly the first time in a process).
        return registry.dimensionless
    _check_exponents(text, normalised)
    try:
        unit = registry.parse_units(normalised)
    except Exception as exc:
        # pint evaluates the text with Python's tokenizer and arithmetic, so bad
        # text fails in many ways (UndefinedUnitError, TokenError,
        # AssertionError, KeyError, ZeroDivisionError, OverflowError...): all
        # of them mean "not a unit".
        name = type(exc).__name__
        if name == "UndefinedUnitError":
            raise UnitParseError(text, f"unknown unit ({exc})") from None
        raise UnitParseError(text, f"not a unit expression ({name}: {exc})") from None
    try:
        _check_usable(text, unit, registry)
    except UnitParseError:
        raise
    except Exception as exc:  # pint, asked about a name it made itself (dB% → delta_decibel)
        raise UnitParseError(text, f"not a usable unit ({type(exc).__name__}: {exc})") from None
    return unit


def _shown(text: str) -> str:
    """Over-long text, shortened for an error message."""
    return f"{text[:40]}… ({len(text)} characters)"


def _kind_of(registry: pint.UnitRegistry[Any], name: str) -> str:
    """``"offset"``, ``"logarithmic"`` or ``"scale"`` for a unit name pint parsed."""
    definition = registry._units.get(name)
    converter = getattr(definition, "converter", None)
    if converter is None or getattr(definition, "is_multiplicative", True):
        return "scale"
    return "logarithmic" if getattr(converter, "is_logarithmic", False) else "offset"


def _check_usable(text: str, unit: pint.Unit, registry: pint.UnitRegistry[Any]) -> None:
    names = dict(unit._units)
    # A pure number inside a unit with a dimension (rad/s) compares with no
    # rate, so only a dimensionless whole is checked for them.
    dimensioned = bool(unit.dimensionality)
    for name, exponent in names.items():
        kind = _kind_of(registry, name)
        if kind == "logarithmic":
            raise UnitParseError(text, f"{name} is a logarithmic unit, not an amount")
        if kind == "offset" and (len(names) > 1 or exponent != 1):
            raise UnitParseError(
                text,
                f"{name} is a temperature on an offset scale and cannot be part of a "
                "compound unit; use kelvin or delta_degC (a difference)",
            )
        if not dimensioned and not registry.get_dimensionality(name) and name not in FRACTION_UNITS:
            raise UnitParseError(
                text,
                f"pint treats {name} as a pure number; the only fractions here are "
                "% and ‰ (write '' for a plain fraction)",
            )
    fractions = [n for n in names if n in FRACTION_UNITS]
    if len(fractions) > 1 or any(names[n] != 1 for n in fractions):
        raise UnitParseError(text, "a fraction unit (% or ‰) may appear once, to the first power")


def _is_offset(unit: pint.Unit) -> bool:
    registry = get_registry()
    return any(_kind_of(registry, name) == "offset" for name in unit._units)


def _read_number(text: str, folded: str) -> tuple[float, str]:
    """The leading number of ``folded`` and the text after it."""
    match = _NUMBER.match(folded)
    if match is not None:
        return float(match["number"].replace(",", "")), match["unit"]
    if re.match(r"^\s*[+-]?\d+(?:[.,]\d+)*,", folded):
        raise UnitParseError(
            text,
            "a comma is read only as a thousands separator between groups of three "
            "digits (5,873); a decimal comma (96,8) is not accepted",
        )
    raise UnitParseError(text, "it does not start with a number")


def parse_quantity(text: str) -> pint.Quantity[Any]:
    """Read a quantity as plans write it.

    Examples of accepted text: ``"96.8%"``, ``"10.9万平方米"``, ``"7批次/千人"``,
    ``"400亩"``, ``"80.40分"``, ``"1.5 hectare"``, ``"35家"``, ``"1小时"``,
    ``"5,873 batch"``, ``"1.18万"`` (11,800), ``"7萬件"`` (traditional
    script), ``"十五家"``, ``"两轮"``, ``"百分之九十"`` (Chinese numerals).
    Full-width digits and ``％`` are accepted; a comma only separates
    thousands (``"96,8"`` is refused, never 968). A second number after the
    number (``"96.5+1"``, ``"5 1"``) and numbers that are not digits
    (``"10⁴"``, ``"①"``; ``²`` and ``³`` are read only as a unit's power,
    ``"100m²"``) are refused, never read as part of the number or dropped.

    Returns:
        A quantity of the registry in force (see :func:`get_registry`).

    Raises:
        UnitParseError: the text is not a number followed by a known unit, or
            is longer than ``MAX_QUANTITY_CHARS`` (200) characters.
    """
    if not isinstance(text, str):
        raise UnitParseError(repr(text), f"expected text, received {type(text).__name__}")
    if len(text) > MAX_QUANTITY_CHARS:
        raise UnitParseError(_shown(text), f"a quantity is at most {MAX_QUANTITY_CHARS} characters")
    registry = get_registry()
    folded = _fold(text)
    readings = split_chinese_number(folded.lstrip())
    if readings:
        # 一千瓦时 is 1 千瓦时: the longest numeral whose rest is a unit.
        error: UnitParseError | None = None
        for number, rest in readings:
            try:
                multiplier, unit = _number_unit(text, rest.strip())
            except UnitParseError as exc:
                error = error or exc
                continue
            return registry.Quantity(number * multiplier, unit)
        assert error is not None
        raise error
    number, unit_text = _read_number(text, folded)
    if not math.isfinite(number):
        raise UnitParseError(text, "the number is too large to be represented")
    multiplier, unit = _number_unit(text, unit_text)
    value = number * multiplier
    if not math.isfinite(value):
        raise UnitParseError(text, "the number is too large to be represented")
    return registry.Quantity(value, unit)


#: A bare multiplier after a number (1.18万, 3亿): part of the number.
_BARE_MULTIPLIERS: dict[str, float] = {"万": 1e4, "亿": 1e8, "万亿": 1e12, "千": 1e3}


def _number_unit(text: str, unit_text: str) -> tuple[float, pint.Unit]:
    if unit_text in _BARE_MULTIPLIERS:
        return _BARE_MULTIPLIERS[unit_text], get_registry().dimensionless
    head, _, rest = unit_text.partition(" ")
    if head in _BARE_MULTIPLIERS and rest.strip():  # "801万 TEU": the multiplier, then the unit
        return _BARE_MULTIPLIERS[head], _number_unit(text, rest.strip())[1]
    try:
        unit = parse_unit(unit_text)
    except UnitParseError as exc:
        raise UnitParseError(text, exc.reason) from None
    if unit.dimensionless and any(c.isdigit() for c in unit_text):
        # pint reads a second number as a unit of one: 96.5+1, 5 1, 5(1), 5%1 were 96.5, 5, 5, 5%.
        raise UnitParseError(text, "a second number follows the number")
    return 1.0, unit


def parse_quantities(texts: Iterable[str]) -> dict[str, pint.Quantity[Any] | UnitParseError]:
    """Each distinct text read once: its quantity, or the error that refuses it.

    For columns of cells (``"99.5%"``, ``"1.18万"``, ``"7批次/千人"``): a column
    of a million cells with a few hundred distinct texts parses a few hundred
    times. Errors are returned, not raised, so that every bad cell can be
    reported at once.
    """
    results: dict[str, pint.Quantity[Any] | UnitParseError] = {}
    for text in texts:
        if text in results:
            continue
        try:
            results[text] = parse_quantity(text)
        except UnitParseError as exc:
            results[text] = exc
    return results


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


def dimensionality(unit: str) -> str:
    """Return the dimensionality of a unit string, e.g. ``"[count] / [population]"``.

    A temperature on an offset scale names its scale too
    (``"[temperature] on the degree_Celsius scale"``): it compares only with
    itself.

    Raises:
        UnitParseError: the unit is unknown.
    """
    return _dimensionality(_active.get(), unit)


@lru_cache(maxsize=4096)
def _dimensionality(scope: tuple[str, ...], unit: str) -> str:
    parsed = parse_unit(unit)
    dims = parsed.dimensionality
    text = str(dims) if dims else "dimensionless"
    if _is_offset(parsed):
        text += f" on the {next(iter(parsed._units))} scale"
    return text


def is_compatible(unit: str, other: str) -> bool:
    """Whether two unit strings share a dimension (and so can be compared).

    Temperatures on offset scales compare only with the same scale: 64.4 °F
    is not converted to °C by a factor.
    """
    return _is_compatible(_active.get(), unit, other)


@lru_cache(maxsize=4096)
def _is_compatible(scope: tuple[str, ...], unit: str, other: str) -> bool:
    return dimensionality(unit) == dimensionality(other)


def conversion_factor(from_unit: str, to_unit: str) -> float:
    """The factor ``f`` such that a value in ``from_unit`` times ``f`` is in ``to_unit``.

    Raises:
        UnitParseError: either unit is unknown.
        DimensionMismatchError: the units have different dimensions, or are
            temperatures on different offset scales (no factor converts them).
    """
    return _conversion_factor(_active.get(), from_unit, to_unit)


@lru_cache(maxsize=4096)
def _conversion_factor(scope: tuple[str, ...], from_unit: str, to_unit: str) -> float:
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    if not is_compatible(from_unit, to_unit):
        raise DimensionMismatchError(
            "conversion",
            from_unit,
            to_unit,
            f"{dimensionality(from_unit)} vs {dimensionality(to_unit)}",
        )
    if _is_offset(source):  # the same offset scale: is_compatible checked it
        return 1.0
    registry = get_registry()
    return float(registry.Quantity(1.0, source).to(target).magnitude)


def _definition_rows() -> list[tuple[str, str, str, str, str]]:
    """The plan units as (section, Chinese names, English names, definition, in base units).

    Read from ``plan_units.txt`` itself, so that the unit reference (which a
    test compares with these rows) lists every unit the registry defines.
    """
    registry = _build_registry()
    text = resources.files("policytargets").joinpath("plan_units.txt").read_text("utf-8")
    rows: list[tuple[str, str, str, str, str]] = [
        ("Fractions", "%", "percent", "0.01 (pint's own)", "0.01"),
        ("Fractions", "‰", "permille", "0.001 (pint's own)", "0.001"),
    ]
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("# ---"):
            section = line.strip("# -").split(":")[0].strip()
            continue
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("=")]
        name, definition, aliases = parts[0], parts[1], parts[2:]
        prefix = name.endswith("-")
        names = [name.rstrip("-")] + [a.rstrip("-") for a in aliases]
        zh = " ".join(n for n in names if not n.isascii())
        en = " ".join(n for n in names if n.isascii())
        if prefix:
            base = f"{float(definition):g}"
        else:
            q = registry.Quantity(1.0, name).to_base_units()
            if q.dimensionality == registry.joule.dimensionality:
                q = q.to("J")  # kg m²/s² says less to a reader than joules
            unit = f"{q.units:~}"
            base = f"{q.magnitude:.6g} {unit}".strip() if unit else f"{q.magnitude:.6g}"
        rows.append((section, zh, en, definition, base))
    return rows


def _definition_table() -> str:
    """The rows of ``_definition_rows`` as a Markdown table."""
    lines = [
        "| group | Chinese | English (pint names) | definition | 1 unit in base units |",
        "|---|---|---|---|---|",
    ]
    for section, zh, en, definition, base in _definition_rows():
        cells = (section, zh, en, f"`{definition}`", base)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)
