"""Unit labels for people: the unit as the plan wrote it, or in English."""

from __future__ import annotations

from typing import Literal

from ._numerals import to_simplified

_EN_WORDS: dict[str, str] = {
    "个": "",
    "家": "enterprises",
    "项": "items",
    "张": "",
    "条": "items",
    "批次": "batches",
    "批": "batches",
    "台": "units",
    "户": "households",
    "次": "times",
    "人次": "person-times",
    "轮": "rounds",
    "起": "incidents",
    "处": "sites",
    "座": "",
    "件": "pieces",
    "例": "cases",
    "人": "persons",
    "名": "persons",
    "分": "points",
    "平方米": "m²",
    "亩": "mu",
    "公顷": "ha",
    "平方公里": "km²",
    "平方千米": "km²",
    "米": "m",
    "公里": "km",
    "小时": "hours",
    "个小时": "hours",
    "分钟": "minutes",
    "天": "days",
    "日": "days",
    "工作日": "working days",
    "个工作日": "working days",
    "年": "years",
    "元": "yuan",
    "吨": "t",
    "公斤": "kg",
    "斤": "jin",
    "克": "g",
    "千瓦时": "kWh",
    "度": "kWh",
    "吨标准煤": "tce",
    "吨标煤": "tce",
    "千克标准煤": "kgce",
    "公斤标准煤": "kgce",
    "吨二氧化碳": "t CO₂",
    "平米": "m²",
    "立方米": "m³",
    "千米": "km",
    "岁": "years of age",
    "人口": "persons",
    "百分点": "percentage points",
    "个百分点": "percentage points",
    "％": "%",
}
_EN_PREFIXES: dict[str, str] = {
    "万亿": "1 trillion ",
    "万": "10,000 ",
    "亿": "100 million ",
    "千": "1,000 ",
}
_MULTIPLIERS: dict[str, float] = {"万亿": 1e12, "万": 1e4, "亿": 1e8, "千": 1e3}


def _split_prefix(unit: str) -> tuple[str, str] | None:
    """A multiplier and a known word (万亿元 → 万亿, 元), longest multiplier first."""
    for prefix in _MULTIPLIERS:  # 万亿 before 万
        if unit.startswith(prefix) and unit[len(prefix) :] in _EN_WORDS:
            return prefix, unit[len(prefix) :]
    return None


def _english_part(part: str) -> str:
    part = part.strip()
    if part in _EN_WORDS:
        return _EN_WORDS[part]
    split = _split_prefix(part)
    if split is not None:
        return (_EN_PREFIXES[split[0]] + _EN_WORDS[split[1]]).strip()
    return part


def english_amount(value: float, unit: str) -> tuple[float, str]:
    """A value and unit as an English reader expects them: multipliers folded into the number.

    ``english_amount(10.9, "万平方米")`` is ``(109000.0, "m²")``; units with a
    denominator (``批次/千人``) and units without a Chinese multiplier are
    returned unchanged, the label translated by :func:`unit_label`.
    """
    unit = to_simplified(unit.strip())
    split = None if "/" in unit else _split_prefix(unit)
    if split is not None:
        return value * _MULTIPLIERS[split[0]], _EN_WORDS[split[1]]
    return value, unit_label(unit, "en")


def unit_label(unit: str, lang: Literal["zh", "en"] = "zh") -> str:
    """A unit for display: as written in Chinese, translated word by word in English.

    ``unit_label("批次/千人", "en")`` is ``"batches per 1,000 persons"``;
    ``unit_label("万平方米", "en")`` is ``"10,000 m²"``. Units already in Latin
    script are returned as they are.
    """
    unit = unit.strip()
    if lang == "zh" or unit.isascii():
        return unit
    unit = to_simplified(unit)  # 萬平方米 is labelled as 万平方米
    parts = [_english_part(p) for p in unit.split("/")]
    head, rest = parts[0], parts[1:]
    return " per ".join([head or "items", *rest]) if rest else head
