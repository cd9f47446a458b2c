"""The document's shape: its heading tree, its owner notes and its metadata."""

from __future__ import annotations

import re
from datetime import date

from attrs import frozen

from ._text import Source

__all__ = [
    "Heading",
    "Metadata",
    "OwnerNote",
    "cn_number",
    "headings",
    "metadata",
    "owner_notes",
    "review_spans",
]

_CN = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_number(text: str) -> int | None:
    """A Chinese numeral up to 99 (十五, 二十三) as an int, else ``None``."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        high = _CN.get(tens) if tens else 1
        low = _CN.get(ones) if ones else 0
        if high is None or low is None:
            return None
        return high * 10 + low
    if len(text) == 1:
        return _CN.get(text)
    return None


@frozen
class _Level:
    name: str
    pattern: re.Pattern[str]
    label: str  # how the section path writes it; {n} is the numeral as written


#: Heading forms, outermost first. A heading's rank is its place here.
LEVELS: tuple[_Level, ...] = (
    _Level("part of document", re.compile(r"^第(?P<n>[一二三四五六七八九十]+)部分"), "第{n}部分"),
    _Level("chapter", re.compile(r"^第(?P<n>[一二三四五六七八九十]+)章"), "第{n}章"),
    _Level("section", re.compile(r"^第(?P<n>[一二三四五六七八九十]+)节"), "第{n}节"),
    _Level("part", re.compile(r"^(?P<n>[一二三四五六七八九十]+)、"), "{n}"),
    _Level("item", re.compile(r"^[(](?P<n>[一二三四五六七八九十]+)[)]"), "({n})"),
    _Level("task", re.compile(r"^(?P<n>\d{1,2})[.、](?!\d)"), "{n}"),
    _Level("subtask", re.compile(r"^[(](?P<n>\d{1,2})[)]"), "({n})"),
    # A task table pasted as text: "15<TAB>新辟优化公交线路15条<TAB>市交运局".
    _Level("table row", re.compile(r"^(?P<n>\d{1,3})\t"), "{n}"),
)


@frozen
class Heading:
    """A heading line.

    Attributes:
        rank: its level's place in :data:`LEVELS` (smaller is outer).
        label: the section label (``三``, ``(四)``, ``15``).
        number: the numeral as a number, for ids.
        title: the heading's words up to its first full stop.
        start: where the line starts in the reading copy.
        marker_end: where the numbering ends in the reading copy.
        line: the line index.
    """

    rank: int
    label: str
    number: int
    title: str
    start: int
    marker_end: int
    line: int
    title_end: int


_REVIEW = re.compile(
    r"总结|回顾|成效|成就|进展情况|发展基础|发展现状|基本情况|工作情况|发展环境|现状与形势"
)
_HEADING_YEAR = re.compile(r"(?P<y>\d{4})年")


def review_spans(heads: list[Heading], end: int, first_year: int | None) -> list[tuple[int, int]]:
    """Spans of sections that review the past (…工作总结, 发展基础, a heading on an earlier year).

    A section runs from its heading to the next heading of the same or an outer level.
    """
    spans = []
    for i, head in enumerate(heads):
        years = [int(y) for y in _HEADING_YEAR.findall(head.title)]
        past_year = first_year is not None and bool(years) and max(years) < first_year
        if not (_REVIEW.search(head.title) or past_year):
            continue
        stop = next((h.start for h in heads[i + 1 :] if h.rank <= head.rank), end)
        spans.append((head.start, stop))
    return spans


def lines(source: Source) -> list[tuple[int, int]]:
    """(start, end) of every line of the reading copy."""
    out = []
    start = 0
    text = source.text
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        out.append((start, end))
        start = end + 1
    return out


def headings(source: Source) -> list[Heading]:
    """Every heading of the document, in order."""
    found = []
    text = source.text
    for index, (start, end) in enumerate(lines(source)):
        line = text[start:end]
        for rank, level in enumerate(LEVELS):
            m = level.pattern.match(line)
            if not m:
                continue
            number = cn_number(m["n"])
            if number is None:
                continue
            rest = line[m.end() :]
            title = re.split(r"[。;!?\t]", rest, maxsplit=1)[0].strip()
            found.append(
                Heading(
                    rank=rank,
                    label=level.label.format(n=m["n"]),
                    number=number,
                    title=title[:60],
                    start=start,
                    marker_end=start + m.end(),
                    line=index,
                    title_end=start + m.end() + len(re.split(r"[。;!?\t]", rest, maxsplit=1)[0]),
                )
            )
            break
    return found


_NOTE = re.compile(
    r"[(](?P<body>(?:责任(?:部门|单位)|牵头(?:部门|单位)|配合(?:部门|单位)|主要责任单位)"
    r"[:][^()]*)[)]"
)


@frozen
class OwnerNote:
    """A responsibility note such as ``(责任部门:市工信局、市场监管局,各区镇)``.

    Attributes:
        start: offset of its opening bracket in the reading copy.
        end: offset after its closing bracket.
        body: the note's words (label and names), in the reading copy.
    """

    start: int
    end: int
    body: str


#: The last cell of a task table's row, when it names departments (市工信局、市场监管局).
_OWNER_CELL = re.compile(
    r"\t(?P<cell>[★\u4e00-\u9fff、,()]{2,80}?(?:局|委|办|部|院|会|中心|政府|区镇|单位|管委会|街道))\s*$"
)


def owner_notes(source: Source) -> list[OwnerNote]:
    """Every responsibility note of the document (and the owner cells of a task table).

    The table cells are read from the input's own lines, whose tabs the reading
    copy keeps.
    """
    notes = [
        OwnerNote(start=m.start(), end=m.end(), body=m["body"]) for m in _NOTE.finditer(source.text)
    ]
    for start, end in lines(source):
        line = source.text[start:end]
        m = _OWNER_CELL.search(line) if "\t" in line else None
        if m and not re.fullmatch(r"(?:责任|牵头|配合|主要责任)(?:部门|单位)", m["cell"]):
            notes.append(
                OwnerNote(start=start + m.start("cell"), end=end, body="责任单位:" + m["cell"])
            )
    return sorted(notes, key=lambda n: n.start)


@frozen
class Metadata:
    """What the text says about itself."""

    title: str | None = None
    document_number: str | None = None
    issuer: str | None = None
    issued: date | None = None
    published: date | None = None
    addressees: tuple[str, ...] = ()
    year: int | None = None
    first_year: int | None = None
    last_year: int | None = None


_DATE = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$")
_PUBLISHED = re.compile(
    r"(?:时间|发布日期|发布时间|日期)[:]\s*(?P<y>\d{4})[-年](?P<m>\d{1,2})[-月](?P<d>\d{1,2})"
)
_DOCNO = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[]\d{4}[〕\]]\d+号$")
_GENRE = re.compile(
    r"(?:工作要点|实施方案|实施意见|行动计划|行动方案|工作方案|规划纲要|远景目标纲要|规划|纲要|"
    r"方案|意见|要点|计划)(?:[(][^)]*[)])?$"
)
_PRINTED = re.compile(r"印发[《](?P<t>[^》]+)[》]")
_ISSUER = re.compile(
    r"^[\u4e00-\u9fff()]{2,30}(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|领导小组|局)$"
)
_TITLE_YEAR = re.compile(r"(?P<y>\d{4})年")
_SPAN = re.compile(r"[(]?(?P<a>\d{4})\s*[-~—–至]\s*(?P<b>\d{4})年?[)]?")
_FIVE_YEAR = {
    "十三五": (2016, 2020),
    "十四五": (2021, 2025),
    "十五五": (2026, 2030),
    "第十三个五年": (2016, 2020),
    "第十四个五年": (2021, 2025),
    "第十五个五年": (2026, 2030),
}


def _date(m: re.Match[str]) -> date | None:
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


def metadata(source: Source) -> Metadata:
    """Title, document number, issuer, dates, addressees and years, where the text has them."""
    text = source.text
    rows = [text[a:b].strip() for a, b in lines(source)]
    rows = [r for r in rows if r]
    title = None
    printed = _PRINTED.search(text[:3000])
    for row in rows[:60]:
        if len(row) <= 60 and _GENRE.search(row) and not re.search(r"[,。;:]", row):
            if "关于印发" in row or "的通知" in row:
                continue
            title = row
            break
    if title is None and printed:
        title = printed["t"]
    if title is None:
        for row in rows[:10]:
            heading = any(level.pattern.match(row) for level in LEVELS)
            if len(row) <= 60 and not heading and not re.search(r"[,。;]", row):
                title = row
                break
    document_number = next((r for r in rows[:40] if _DOCNO.match(r)), None)
    issuer = issued = None
    for i, row in enumerate(rows[:80]):
        m = _DATE.match(row)
        if m and i > 0 and _ISSUER.match(rows[i - 1]):
            issuer, issued = rows[i - 1], _date(m)
            break
    published = None
    if m2 := _PUBLISHED.search(text[:3000]):
        published = _date(m2)
    addressees: tuple[str, ...] = ()
    for row in rows[:40]:
        if row.endswith(":") and ("," in row or "、" in row) and len(row) < 200:
            addressees = tuple(p for p in row[:-1].split(",") if p)
            break
    year = first = last = None
    if title and not _SPAN.search(title) and (title_years := _TITLE_YEAR.findall(title)):
        # 2021年度…工作总结和2022年…工作要点: the plan is for the last year it names.
        year = max(int(y) for y in title_years)
    if m4 := _SPAN.search(title or ""):
        first, last = int(m4["a"]), int(m4["b"])
    else:
        for key, (a, b) in _FIVE_YEAR.items():
            if key in (title or ""):
                first, last = a, b
                break
    return Metadata(
        title=title,
        document_number=document_number,
        issuer=issuer,
        issued=issued,
        published=published,
        addressees=addressees,
        year=year,
        first_year=first,
        last_year=last,
    )
