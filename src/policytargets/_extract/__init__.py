"""From a plan's text to a typed draft plan (``policytargets extract``).

The extractor is a rule set over the closed wording of Chinese plans, written
as data: :mod:`._wording` maps condition wordings to readings (one table),
:mod:`._rules` names units, verbs and the patterns of numbers that are not
targets, :mod:`._targets` reads the clauses around every number, and
:mod:`._structure` reads headings, owner notes and metadata. It runs offline
and loads no model.
"""

from __future__ import annotations

import re

from .._errors import InvalidValueError
from .._model import Plan
from ._draft import Draft
from ._report import ExtractedTarget, ExtractionReport, UnreadText
from ._structure import headings, metadata, owner_notes, review_spans
from ._tables import indicator_tables
from ._targets import Reader
from ._text import read_text

__all__ = ["ExtractedTarget", "ExtractionReport", "UnreadText", "extract_plan"]

_BY_YEAR = re.compile(r"到(?P<y>\d{4})年")


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise InvalidValueError(
            "extract_plan text", "the document as text (str)", type(text).__name__
        )
    if "\x00" in text or sum(1 for c in text[:4000] if ord(c) < 32 and c not in "\n\r\t\f") > 8:
        raise InvalidValueError(
            "extract_plan text", "a plain-text document, not binary data", text[:40]
        )
    if not text.strip():
        raise InvalidValueError("extract_plan text", "a document with some text", text)
    return text


def extract_plan(
    text: str, *, id: str | None = None, period: str | None = None
) -> tuple[Plan, ExtractionReport]:
    """Draft a plan from a document's text, with a report of what was not understood.

    The draft has the document's heading tree as goals (section paths such as
    ``三.(四).15``), a target for every quantified commitment the rules read,
    with its exact words (``target.source.text`` is a substring of ``text``)
    and the owners its responsibility notes name. Review it: the report lists
    every number that became neither a target nor a known non-target, every
    commitment that could not be drafted faithfully, and each target's rule
    and confidence.

    Args:
        text: the document, simplified or traditional script, half- or full-width.
        id: the plan's id (default ``"draft"``).
        period: the plan's period (``"2022"``, ``"2021-01-01/2025-12-31"``);
            by default read from the title (``2022年…工作要点``), a span
            (``2021-2025年``, 十四五) or the last ``到2025年``.

    Returns:
        The draft plan and the :class:`ExtractionReport`.

    Raises:
        InvalidValueError: the text is empty or binary, or no period is given
            and the text names none.
    """
    source = read_text(_check_text(text))
    meta = metadata(source)
    heads = headings(source)
    notes = owner_notes(source)
    # A one-year plan (2022年…工作要点, or a one-year period= given): a change with no
    # named base is on the previous year. A period only inferred from 到2025年 is not
    # one: the base of its changes must be named.
    given = period is not None
    if period is None:
        if meta.year is not None:
            period = str(meta.year)
        elif years := sorted({int(y) for y in _BY_YEAR.findall(source.text)}):
            # A plan with target years (到2025年, 到2027年): from the issue year (or the
            # first target year) to the last; each target takes the year it is under.
            first = meta.first_year if meta.first_year is not None else years[0]
            if meta.first_year is None and meta.issued is not None:
                first = min(meta.issued.year, years[0])
            last = max(years[-1], meta.last_year or years[-1])
            period = str(last) if first == last else f"{first}-01-01/{last}-12-31"
        elif meta.first_year is not None and meta.last_year is not None:
            first, last = meta.first_year, meta.last_year
            period = str(last) if first == last else f"{first}-01-01/{last}-12-31"
        else:
            raise InvalidValueError(
                "extract_plan period",
                "a year in the text's title or 到YYYY年, or period= (--period)",
                None,
            )
    from .._periods import Period

    plan_period = Period.parse(period)
    one_year = plan_period.start.year == plan_period.end.year and (given or meta.year is not None)
    table_rows = indicator_tables(source)
    blocked = [(n.start, n.end, "owner note") for n in notes]
    blocked += [(r.candidate.start, r.candidate.end, "indicator table row") for r in table_rows]
    blocked += [(h.start, h.marker_end, "heading number") for h in heads]
    reviews = review_spans(heads, len(source.text), plan_period.start.year)
    reader = Reader(
        source,
        blocked,
        single_year=one_year,
        first_year=plan_period.start.year,
        titles=[(h.marker_end, h.title_end) for h in heads],
        reviews=reviews,
        span_years=(
            (meta.first_year, meta.last_year)
            if meta.first_year is not None
            and meta.last_year is not None
            and meta.first_year < meta.last_year
            else None
        ),
    )
    reader.read()
    target_years = [(m.start(), int(m["y"])) for m in _BY_YEAR.finditer(source.text)]
    draft = Draft(
        source,
        meta,
        heads,
        notes,
        plan_id=id or "draft",
        period=period,
        target_years=target_years,
        single_year=plan_period.start.year if one_year else None,
    )
    for row in table_rows:
        if row.problem is not None:
            draft.not_understood.append(
                draft.finding(row.candidate.start, row.candidate.end, row.problem)
            )
    plan = draft.build(reader.candidates + [r.candidate for r in table_rows if r.problem is None])
    remarks = list(draft.remarks)
    if meta.title is None:
        remarks.append("no title found: the plan is titled by its id")
    if not reader.candidates and not table_rows:
        remarks.append("no quantified commitment found: the draft has no targets")
    report = ExtractionReport(
        targets=tuple(draft.provenance),
        unread=tuple(draft.finding(m.start, m.end, reason) for m, reason in reader.unread),
        not_understood=tuple(draft.not_understood),
        explained=tuple(draft.finding(m.start, m.end, rule) for m, rule in reader.explained),
        notes=tuple(remarks),
    )
    return plan, report
