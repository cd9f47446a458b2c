"""Indicator tables pasted as text: the main-indicator table of a five-year outline.

A table reads when its header line (cells separated by tabs) names an
indicator column (指标), a target-year column (2025年, 2025年目标) and, when it
has them, a unit column (单位) and a base-year column (2020年, 基期). Each row
below it with as many cells becomes a candidate target: the target cell's
wording (95以上, ≥95, 6左右, a bare number) gives the condition, the base cell a
baseline. Growth rows (…增长, 年均…) and cumulative cells ([13.5], 累计) are
listed as not understood unless the name says 年均 and the base year is known.
"""

from __future__ import annotations

import re

from attrs import evolve, frozen

from ._targets import Candidate
from ._text import Source
from ._wording import Reading

__all__ = ["TableRow", "indicator_tables"]

_YEAR = re.compile(r"(?P<y>\d{4})年")
_CELL = re.compile(
    r"^(?P<cmp>>=|<=|≥|≤|>|<|＞|＜)?(?P<num>\d+(?:\.\d+)?)(?P<suf>以上|以下|左右|以内)?$"
)
_COMPARATORS = {
    ">=": (Reading.AT_LEAST, "≥"),
    "≥": (Reading.AT_LEAST, "≥"),
    ">": (Reading.MORE_THAN, ">"),
    "<=": (Reading.AT_MOST, "≤"),
    "≤": (Reading.AT_MOST, "≤"),
    "<": (Reading.LESS_THAN, "<"),
    "以上": (Reading.AT_LEAST, "以上"),
    "以下": (Reading.AT_MOST, "以下"),
    "以内": (Reading.AT_MOST, "以内"),
    "左右": (Reading.ABOUT, "左右"),
}


@frozen
class TableRow:
    """A row of an indicator table read as a candidate, with its base-year figure."""

    candidate: Candidate
    baseline: tuple[float, int] | None
    problem: str | None = None


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def indicator_tables(source: Source) -> list[TableRow]:
    """Every row of every indicator table of the document, in order."""
    text = source.text
    rows: list[TableRow] = []
    offset = 0
    lines = text.split("\n")
    starts = []
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    i = 0
    while i < len(lines):
        header = _cells(lines[i])
        name_col = next((k for k, c in enumerate(header) if "指标" in c), None)
        years = [(k, int(m["y"])) for k, c in enumerate(header) if (m := _YEAR.search(c))]
        if len(header) < 3 or name_col is None or not years:
            i += 1
            continue
        target_col, target_year = max(years, key=lambda kv: kv[1])
        base = [(k, y) for k, y in years if y < target_year]
        base_col, base_year = base[0] if base else (None, None)
        unit_col = next((k for k, c in enumerate(header) if "单位" in c), None)
        i += 1
        while i < len(lines) and "\t" in lines[i]:
            cells = _cells(lines[i])
            if len(cells) != len(header):
                i += 1
                continue
            row_start = starts[i]
            row_end = row_start + len(lines[i])
            name = re.sub(r"[*※△▲]+$", "", cells[name_col])
            unit = cells[unit_col] if unit_col is not None else ""
            unit = unit.strip("()")
            if unit in ("-", "—", "/"):
                unit = ""
            raw = cells[target_col]
            baseline = None
            base_cell = cells[base_col] if base_col is not None else ""
            if base_year is not None and (b := re.fullmatch(r"\d+(?:\.\d+)?", base_cell)):
                baseline = (float(b[0]), base_year)
            m = _CELL.fullmatch(raw)
            problem = None
            reading, wording = Reading.POINT, "table: bare number"
            value = None
            about = False
            if m is None:
                problem = f"table cell {raw!r} not read (累计 [..], a range or words)"
            else:
                value = float(m["num"])
                key = m["cmp"] or m["suf"]
                if key:
                    reading, wording = _COMPARATORS[key]
                    wording = f"table: {wording}"
                if "增长" in name or "增速" in name:
                    if "年均" in name and base_year is not None:
                        about = reading is Reading.ABOUT
                        reading, wording = Reading.ANNUAL_GROWTH, "table: 年均增长"
                        name = re.sub(r"年均(?:增长|增速)率?$", "", name) or name
                    else:
                        problem = "a growth row of a table: say 年均 or 较上年 and the base"
                if "累计" in name or raw.startswith("["):
                    problem = "a cumulative change in a table (累计, [..]): not read"
            candidate = Candidate(
                start=row_start,
                end=row_end,
                name=name,
                value=value,
                high=None,
                unit=unit,
                reading=reading,
                wording=wording,
                maintained=False,
                decrease=False,
                aspirational=False,
                rule="indicator table",
                confidence=0.7,
                mention=None,
                lower_is_better=reading in (Reading.AT_MOST, Reading.LESS_THAN),
                base_year=base_year if reading is Reading.ANNUAL_GROWTH else None,
                base_known=True,
                about=about,
            )
            # A base-year figure is the level to start from only for a level target: in a
            # growth row it is that year's growth rate, no baseline of the level.
            level = reading not in (Reading.ANNUAL_GROWTH,) and "增长" not in name
            candidate = evolve(candidate, year=target_year, baseline=baseline if level else None)
            rows.append(TableRow(candidate=candidate, baseline=baseline, problem=problem))
            i += 1
    return rows
