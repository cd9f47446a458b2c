"""Chinese text as plans write it: traditional script, Chinese numerals, numbers.

Private helpers shared by the unit layer (``parse_quantity``), the observation
readers and plan extraction. Script conversion and numeral reading are done by
maintained libraries (zhconv, cn2an), imported on first use so that
``import policytargets`` stays light.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from functools import lru_cache
from typing import Any

__all__ = [
    "CHINESE_NUMERAL_CHARS",
    "chinese_number",
    "parse_number",
    "split_chinese_number",
    "to_simplified",
]

#: Characters a Chinese numeral is written with (cn2an reads runs of these).
CHINESE_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿点负壹贰叁肆伍陆柒捌玖拾佰仟"

_NUMERAL_RUN = re.compile(f"^[{CHINESE_NUMERAL_CHARS}]+")
#: 百分之九十 is 90 %, 千分之三 is 3 ‰: a fraction word before the numeral.
_FRACTION_WORDS: tuple[tuple[str, str], ...] = (("百分之", "%"), ("千分之", "‰"))

#: A plain decimal number: digits with thousands separators only in valid
#: positions (groups of three after one to three leading digits), an optional
#: fraction and exponent.
_DECIMAL = re.compile(
    r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d{1,3})?|[+-]?\.\d+(?:[eE][+-]?\d{1,3})?"
)


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Text in simplified script: 萬件 → 万件, 噸標準煤 → 吨标准煤 (zhconv, zh-cn).

    Simplified text and text without Han characters are returned unchanged.
    """
    if text.isascii():
        return text
    return str(_zhconv().convert(text, "zh-cn"))


def _zhconv() -> Any:
    """``zhconv.zhconv`` with its dictionary loaded; safe from any thread.

    Only a module whose import and dictionary load have both finished is
    handed out: ``sys.modules`` holds a module from the start of its import,
    so another thread (the command line reads the observations on one while
    the plan loads on another) could see it half-made.
    """
    impl = _ready
    if impl is None:
        with _import_lock:
            impl = _ready if _ready is not None else _load_zhconv()
    return impl


def _load_zhconv() -> Any:
    """Import zhconv and load its dictionary (under ``_import_lock``)."""
    global _ready
    impl = _import_zhconv()
    if impl.zhcdicts is None:
        # Load the dictionary by its path: zhconv's own default leaves the
        # packaged file open (a ResourceWarning, an error under pytest -W error).
        impl.loaddict(os.path.join(os.path.dirname(impl.__file__), impl.DICTIONARY))
    _ready = impl
    return impl


_ready: Any = None
_import_lock = threading.Lock()


def _import_zhconv() -> Any:
    """``zhconv.zhconv``, imported without the ``pkg_resources`` it tries first.

    zhconv finds its dictionary with setuptools' ``pkg_resources`` when it
    can import it, by path otherwise; importing ``pkg_resources`` costs about
    70 ms (it scans every installed distribution), and the dictionary is
    loaded here by path anyway. So the module runs with an ``__import__`` of
    its own that refuses ``pkg_resources``; nothing else in the process sees
    a difference. Should zhconv's layout ever differ, it is imported as usual.
    """
    import builtins
    import importlib.util

    impl = sys.modules.get("zhconv.zhconv")
    package = importlib.util.find_spec("zhconv")
    locations = None if package is None else package.submodule_search_locations
    path = os.path.join(next(iter(locations)), "zhconv.py") if locations else ""
    if impl is not None or "pkg_resources" in sys.modules or not os.path.isfile(path):
        import zhconv.zhconv

        return zhconv.zhconv
    spec = importlib.util.spec_from_file_location("zhconv.zhconv", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)

    def refusing(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.partition(".")[0] == "pkg_resources":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return builtins.__import__(name, *args, **kwargs)

    module.__dict__["__builtins__"] = {**vars(builtins), "__import__": refusing}
    sys.modules["zhconv.zhconv"] = module
    try:
        spec.loader.exec_module(module)
        import zhconv  # the package, whose __init__ takes the module above
    except BaseException:
        del sys.modules["zhconv.zhconv"]
        raise
    zhconv.zhconv = module
    return module


@lru_cache(maxsize=65536)
def chinese_number(text: str) -> float | None:
    """The value of a Chinese numeral (十五 → 15, 两 → 2, 九十六点八 → 96.8), or None.

    Read with cn2an in its "normal" mode, which accepts 两 and 〇; mixed
    forms such as ``1.2万`` are left to the unit layer (万 is a prefix there).
    """
    if not text or not _NUMERAL_RUN.fullmatch(text):
        return None
    import cn2an

    try:
        value = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return float(value)


def split_chinese_number(text: str) -> list[tuple[float, str]]:
    """The ways ``text`` can be read as a Chinese numeral followed by the rest.

    Longest numeral first: ``十五家`` gives ``[(15.0, "家"), (10.0, "五家"), ...]``
    as far as each prefix is a numeral. ``百分之九十`` gives ``[(90.0, "%")]``
    and ``千分之三`` ``[(3.0, "‰")]``. The caller keeps the first reading whose
    rest is a known unit (``一千瓦时`` is 1 千瓦时, not 1000 瓦时).
    """
    for word, unit in _FRACTION_WORDS:
        if text.startswith(word):
            value = chinese_number(text[len(word) :])
            return [] if value is None else [(value, unit)]
    match = _NUMERAL_RUN.match(text)
    if match is None:
        return []
    readings: list[tuple[float, str]] = []
    for end in range(match.end(), 0, -1):
        value = chinese_number(text[:end])
        if value is not None:
            readings.append((value, text[end:]))
    return readings


def parse_number(text: str) -> float | None:
    """A decimal number as published (``5,873``, ``96.8``, ``-3e2``), or None.

    Thousands separators are accepted only in valid positions: ``96,8`` (a
    decimal comma) and ``1,00`` are not numbers, never 968 or 100.
    """
    text = text.strip()
    if not _DECIMAL.fullmatch(text):
        return None
    return float(text.replace(",", ""))
