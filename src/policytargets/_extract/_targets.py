"""Reading commitments: every number of the text, and the clauses around them.

The reader looks at every number of the reading copy. A number some rule of
:data:`~._rules.NON_TARGETS` explains is a known non-target; a number in a
clause the target rules read becomes a candidate target; every other number
is *unread* and goes into the report. Clauses without a number are read by the
few rules of :data:`CLAUSE_RULES` (逐渐下降, 提升…率, 不发生, 全覆盖).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from attrs import frozen

from .._numerals import chinese_number
from ._rules import (
    ACTION_VERBS,
    ASPIRATIONAL,
    CHINESE_DIGITS,
    HEADS,
    LEADING_CONNECTIVES,
    MAINTAIN_WORDS,
    NON_TARGETS,
    NOT_A_COMMITMENT,
    TIME_UNITS,
    TRAILING_VERBS,
    Rule,
    unit_pattern,
)
from ._text import Source
from ._wording import (
    BASED,
    CHANGES,
    PENDING,
    Reading,
    find_prefix,
    find_suffix,
    find_unit_reading,
    is_decrease,
)

__all__ = ["CLAUSE_RULES", "Candidate", "Mention", "Reader"]

#: A number: digits with an optional fraction; thousands separators only in groups of three.
_NUMBER = r"\d{1,3}(?:,\d{3})+(?![\d])(?:\.\d+)?|\d+(?:\.\d+)?"
_DELIMITERS = frozenset(",;。:!?\n\t")
_QUANTITY = re.compile(
    rf"(?<![\d.])(?P<a>{_NUMBER})(?P<ua>%|‰)?"
    rf"(?:(?P<sep>~|-|—|–|至)(?P<b>{_NUMBER}))?"
    rf"(?P<approx>余|多)?(?P<unit>{unit_pattern()})?(?P<per>/(?:万|千|百)?(?:人口|人|台|户|元|吨|平方米|公里|亩|家|个|辆))?"
    rf"(?:\((?P<alt>[\u4e00-\u9fff]{{1,2}})\))?"
)
_CHINESE = re.compile(
    r"(?<![一二两三四五六七八九十百千万第])(?P<cn>[两二三四五六七八九十])"
    r"(?P<unit>个|家|项|次|轮|张|条|户|座|所|台|批次)"
)
_CHINESE_VERB = re.compile(r"^(?:开展|组织|举办|新增|新建|建成|培育|打造|实施|完成|创建)")
_PAREN_GROUP = re.compile(r"\([^()]*\)")
_NAMED_BASE = re.compile(
    r"(?:较|比|相比|与)(\d{4})年|以(\d{4})年为基|(\d{4})年(?:的)?基础上|从(\d{4})年"
)
_RESPECTIVE_RUN = re.compile(
    r"(?P<verb>达到|达|为|增长|增加|提高到|提升到|提高|提升|下降|降低|减少|控制在|不低于|"
    r"不少于|超过|在|保持在|稳定在)?"
    rf"(?P<run>(?:{_NUMBER})[^,;。和、及与]{{0,8}}?(?:(?:和|、|及|与)(?:{_NUMBER})[^,;。和、及与]{{0,8}})+)"
)
_COMPARATOR_BEFORE_VERB = re.compile(
    r"(?P<cmp>不少于|至少|最少|不超过|至多|最多|超过)"
    r"(?:开展|组织|举办|新增|新建|完成|培育|建成|实施|推动|服务|培训|发布|制定|引进|认定)$"
)
_ASPIRATIONAL_OPENING = re.compile(
    r"^(?:力争|争取|努力)(?:到|在)?(?:\d{4}年(?:底|末)?(?:前)?|今年|全年|年内|年底前)?,"
)
_YEAR_BEFORE = re.compile(r"(?P<y>\d{4})年(?:底|末)?(?:的|时)?(?:达到|达|为)?$")
_OPENING_YEAR = re.compile(r"^(?:截至|截止|在)?(?P<y>\d{4})年(?:底|末|度)?")
_PAST_PERIOD = re.compile(r"^(?:“?十[一二三]五”?(?:期间|时期)|过去五年|近年来|近五年)")
_FUTURE = re.compile(r"到\d{4}年|力争|目标|将|计划|预计|确保")


@frozen
class Mention:
    """A number in the reading copy, with the unit written after it.

    Attributes:
        start: where the number starts.
        end: where the quantity (number, unit) ends.
        value: the number (the low end of a range).
        high: the high end of a range, or ``None``.
        unit: the unit as written after the number (``""`` when none).
        chinese: written in Chinese numerals (两轮).
        more: 余 or 多 between number and unit (20余家, 100多个): more than the number.
    """

    start: int
    end: int
    value: float
    high: float | None
    unit: str
    chinese: bool = False
    more: bool = False


@frozen
class Candidate:
    """A commitment the rules read.

    Attributes:
        start: span start in the reading copy.
        end: span end in the reading copy.
        name: the indicator's name as written (simplified script).
        value: the condition's number (``None`` for direction-only and zero).
        high: the high end of a range.
        unit: the unit as written.
        reading: what the wording means.
        wording: the name of the wording rule that gave the reading.
        maintained: 保持/稳定在, 每月…: must hold throughout.
        decrease: the wording says down (下降).
        aspirational: 力争, 争取, 努力 in the clause.
        rule: the name of the rule that read the clause.
        confidence: how sure the rule is (0 to 1).
        mention: the number it comes from (``None`` for clause rules).
        lower_is_better: the wording says lower is better (下降, 控制在, 以内).
        base_year: the base year of a change; ``None`` for the previous period.
        base_known: whether the text says which base a change is on.
        about: 左右 on a change (a tolerance in points of growth).
        every_year: 逐年, 每年 over a multi-year plan.
        year: the target year when the text gives it with the number (a table column).
        baseline: a base-year figure and its year, when the text gives them.
    """

    start: int
    end: int
    name: str
    value: float | None
    high: float | None
    unit: str
    reading: Reading
    wording: str
    maintained: bool
    decrease: bool
    aspirational: bool
    rule: str
    confidence: float
    mention: Mention | None
    lower_is_better: bool = False
    base_year: int | None = None
    base_known: bool = True
    about: bool = False
    every_year: bool = False
    year: int | None = None
    baseline: tuple[float, int] | None = None

    @property
    def pending(self) -> bool:
        """Whether no condition class expresses the reading yet."""
        return self.reading in PENDING


@frozen
class ClauseRule:
    """A rule over a whole clause without a number.

    Attributes:
        name: stable name, shown in the report.
        pattern: a regex with a group ``name`` (the indicator) and optionally
            ``verb`` (which way it moves).
        reading: what the clause commits to.
        examples: clauses it must read (checked by the tests).
    """

    name: str
    pattern: str
    reading: Reading
    examples: tuple[str, ...] = ()

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)


_MOVE_ADVERB = r"(?:逐渐|逐步|持续|不断|逐年|稳步|全面|明显|大幅|进一步|有所)"
CLAUSE_RULES: tuple[ClauseRule, ...] = (
    ClauseRule(
        "name then direction",
        rf"^(?P<name>.+?)(?:控制指标|控制)?{_MOVE_ADVERB}(?P<verb>下降|降低|减少|提高|提升|上升|增长)$",
        Reading.IMPROVE,
        ("特种设备事故起数和亡人数持续下降", "工程质量抽检合格率逐年提高"),
    ),
    ClauseRule(
        "raise a named rate",
        r"^(?:大力|不断|持续|进一步|稳步|逐步|全面|着力)?(?P<verb>提升|提高)(?P<name>.+?(?:率|满意度))$",
        Reading.IMPROVE,
        ("提升省重点水利工程质量评定优良率", "大力提高三级医疗机构住院病案首页合格率"),
    ),
    ClauseRule(
        "no occurrence",
        r"^(?:坚决)?(?:不发生|杜绝|避免发生)(?P<name>.+?(?:事件|事故|案件|问题))$",
        Reading.ZERO,
        ("不发生负有直接监管责任的重特大质量安全事件",),
    ),
    ClauseRule(
        "zero occurrence",
        r"^(?:实现|确保|保持|力争)?(?P<name>.+?(?:事件|事故|案件|问题))零发生$",
        Reading.ZERO,
        ("确保重特大质量安全事故零发生",),
    ),
    ClauseRule(
        "full coverage",
        r"^(?:实现|达到)?(?P<name>.+?)全覆盖$",
        Reading.AT_LEAST,
        ("实现农村寄递物流服务全覆盖",),
    ),
)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class Reader:
    """Reads one document's numbers and clauses.

    Args:
        source: the document.
        blocked: spans no target may come from (headings' numbering, owner
            notes), each with the name that explains its numbers.
        single_year: the plan is for one year (a bare 增长 X% is then on the
            previous year).
        first_year: the plan's first year; a sentence about an earlier year
            reports the past.
    """

    def __init__(
        self,
        source: Source,
        blocked: list[tuple[int, int, str]],
        *,
        single_year: bool,
        first_year: int | None,
        titles: tuple[tuple[int, int], ...] | list[tuple[int, int]] = (),
        reviews: tuple[tuple[int, int], ...] | list[tuple[int, int]] = (),
        span_years: tuple[int, int] | None = None,
    ) -> None:
        self.span_years = span_years
        self.titles = list(titles)
        self.reviews = list(reviews)
        self.source = source
        self.text = source.text
        self.blocked = blocked
        self.single_year = single_year
        self.first_year = first_year
        self.explained: list[tuple[Mention, str]] = []
        self.unread: list[tuple[Mention, str]] = []
        self.candidates: list[Candidate] = []
        self._non_targets = self._find_non_targets()
        self._rule_at: list[str | None] | None = None
        self._blocked_starts = sorted(a for a, _, _ in blocked)
        self._blocked_ends = sorted(b for _, b, _ in blocked)

    # --- numbers ------------------------------------------------------------------------

    def _find_non_targets(self) -> list[tuple[int, int, str]]:
        found = [(s, e, name) for s, e, name in self.blocked]
        for rule in NON_TARGETS:
            found.extend((m.start(), m.end(), rule.name) for m in rule.regex.finditer(self.text))
        return found

    def _explains(self, mention: Mention) -> str | None:
        if self._rule_at is None:
            # Which rule explains each character: one pass over the rules' spans, so a
            # long document is read in time linear in its length.
            at: list[str | None] = [None] * (len(self.text) + 1)
            for start, end, name in self._non_targets:
                for i in range(start, end):
                    if at[i] is None:
                        at[i] = name
            self._rule_at = at
        return self._rule_at[mention.start]

    def mentions(self) -> Iterator[Mention]:
        """Every number of the reading copy, Arabic or (with a counting word) Chinese."""
        for m in _QUANTITY.finditer(self.text):
            unit = m["unit"] or m["ua"] or ""
            if m["ua"] and m["unit"] and m["b"]:
                unit = m["unit"]
            if m["per"] and m["unit"] and "/" not in m["unit"]:
                unit += m["per"]  # 27万元/人: a per-person amount, never 27万元
            low = float(m["a"].replace(",", ""))
            high = float(m["b"].replace(",", "")) if m["b"] else None
            if high is not None and high < low:
                high = None  # 2022-06: not a range
            yield Mention(
                start=m.start(),
                end=m.end(),
                value=low,
                high=high,
                unit=unit,
                more=bool(m["approx"]) and bool(m["unit"]),
            )
        for m in _CHINESE.finditer(self.text):
            yield Mention(
                start=m.start(),
                end=m.end(),
                value=chinese_number(m["cn"]) or float(CHINESE_DIGITS[m["cn"]]),
                high=None,
                unit=m["unit"],
                chinese=True,
            )

    # --- clauses ------------------------------------------------------------------------

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The clause around ``text[start:end]``: delimited by punctuation, inside brackets."""
        text = self.text
        depth = 0
        left = start
        while left > 0:
            ch = text[left - 1]
            if ch == ")":
                depth += 1
            elif ch == "(":
                if depth == 0:
                    break
                depth -= 1
            elif ch in _DELIMITERS and depth == 0 and not self._in_number(left - 1):
                break
            left -= 1
        depth = 0
        right = end
        while right < len(text):
            ch = text[right]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            elif ch in _DELIMITERS and depth == 0 and not self._in_number(right):
                break
            right += 1
        # An owner note or a heading number ends a clause (the spans are sorted: bisect).
        i = bisect_left(self._blocked_starts, start)
        if i < len(self._blocked_starts) and self._blocked_starts[i] < right:
            right = self._blocked_starts[i]
        j = bisect_right(self._blocked_ends, start)
        if j and self._blocked_ends[j - 1] > left:
            left = self._blocked_ends[j - 1]
        return left, right

    def _in_number(self, at: int) -> bool:
        """Whether the comma at ``at`` separates thousands (1,200万人)."""
        text = self.text
        return (
            text[at] == ","
            and at > 0
            and text[at - 1].isdigit()
            and text[at + 1 : at + 4].isdigit()
            and not text[at + 4 : at + 5].isdigit()
        )

    def sentence(self, at: int) -> str:
        text = self.text
        left = max(text.rfind(c, 0, at) for c in "。;\n!?") + 1
        ends = [i for i in (text.find(c, at) for c in "。;\n!?") if i >= 0]
        return text[left : min(ends) if ends else len(text)]

    def _respectively(
        self, cs: int, ce: int, mention: Mention
    ) -> tuple[str, str, int, int, int, str] | None:
        """The shape of a 分别 clause (A和B分别达到90%和95%) around ``mention``, if it is one.

        Returns the words before 分别, the verb after it, this number's place in
        the list, the list's length, where this number's words end, and a
        wording said once for the whole list (95%、98%以上).
        """
        text = self.text
        at = text.rfind("分别", cs, mention.start)
        if at < 0:
            return None
        run = _RESPECTIVE_RUN.match(text, at + 2, ce)
        if run is None:
            return None
        quantities = [
            m for m in _QUANTITY.finditer(text, run.start("run"), run.end("run")) if m.group()
        ]
        starts = [m.start() for m in quantities]
        if len(quantities) < 2 or mention.start not in starts:
            return None
        index = starts.index(mention.start)
        own_end = starts[index + 1] if index + 1 < len(starts) else run.end("run")
        own = text[mention.end : own_end]
        own_end = mention.end + len(re.sub(r"(?:和|、|及|与)$", "", own))
        last = quantities[-1]
        tail = text[last.end() : run.end("run")]
        shared_suffix = find_suffix(tail)
        shared = shared_suffix[1][0] if shared_suffix else ""
        return text[cs:at], run["verb"] or "", index, len(quantities), own_end, shared

    def _past_value(self, at: int) -> bool:
        """Whether the number is the figure of an earlier year (从…增加到2020年的95%)."""
        if self.first_year is None:
            return False
        m = _YEAR_BEFORE.search(self.text[max(0, at - 12) : at])
        return m is not None and int(m["y"]) < self.first_year

    def _base_of(self, at: int) -> tuple[int | None, bool]:
        """The base year of a change at ``at``, and whether the text gives it.

        Named in the sentence (较2020年, 以2020年为基数, 在2020年基础上); else the
        previous period in a one-year plan; else the year before a plan span the
        title states (2021-2025年, 十四五: 2020); else unknown.
        """
        sentence = self.sentence(at)
        if m := _NAMED_BASE.search(sentence):
            return int(next(g for g in m.groups() if g)), True
        if self.single_year:
            return None, True
        if self.span_years is not None:
            return self.span_years[0] - 1, True
        return None, False

    def _past(self, at: int) -> bool:
        """Whether the sentence reports the past: it opens with an earlier year (2019年,…)."""
        if self.first_year is None:
            return False
        sentence = self.sentence(at).lstrip("—- ")
        if _PAST_PERIOD.match(sentence):
            return True
        m = _OPENING_YEAR.match(sentence)
        if m is None:
            return False
        return int(m["y"]) < self.first_year and not _FUTURE.search(sentence)

    # --- reading ------------------------------------------------------------------------

    def read(self) -> None:
        """Read every number, then every clause without one."""
        mentions = sorted(self.mentions(), key=lambda m: m.start)
        taken = bytearray(len(self.text) + 1)
        in_review = bytearray(len(self.text) + 1)
        for a, b in self.reviews:
            in_review[a:b] = b"\x01" * (b - a)
        for mention in mentions:
            if any(taken[mention.start : mention.end]):
                continue  # part of a quantity already read (the 2 of 1~2个)
            rule = self._explains(mention)
            if rule is not None:
                self.explained.append((mention, rule))
                continue
            if self._past(mention.start) or self._past_value(mention.start):
                self.explained.append((mention, "a figure of a past year"))
                continue
            if in_review[mention.start]:
                self.explained.append((mention, "in a section reviewing past work"))
                continue
            found, reason = self._read_mention(mention)
            if found:
                self.candidates.extend(found)
                taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
            else:
                self.unread.append((mention, reason))
        self._read_clauses()

    def _read_mention(self, mention: Mention) -> tuple[list[Candidate], str]:
        text = self.text
        cs, ce = self.clause(mention.start, mention.end)
        clause_start = cs
        respective = self._respectively(cs, ce, mention)
        if respective is not None:
            # A和B分别达到90%和95%: each number takes the words before 分别 and its own part.
            head, verb_words, index, count, own_end, shared = respective
            parts = [p for p in re.split(r"和|、|及|与", head) if p]
            whole = len(parts) == count and all(HEADS.search(p) for p in parts)
            head = parts[index] if whole else f"{head}({index + 1}/{count})"
            left = head + verb_words
            right = text[mention.end : own_end]
            if find_suffix(right) is None and shared:
                right = shared + right  # 95%、98%以上: 以上 is said once for the list
        else:
            # In a list of quantities (A35家左右、B15家左右; 85%甲、60%乙), each item is its
            # own clause.
            before = text[cs : mention.start]
            if "、" in before and re.search(r"\d", before[: before.rindex("、")]):
                cs = cs + before.rindex("、") + 1
            after_all = text[mention.end : ce]
            m_next = re.search(r"、(?=[^、]*?\d)", after_all)
            if m_next and re.match(r"[\d两二三四五六七八九十]", after_all[m_next.end() :]):
                ce = mention.end + m_next.start()
            left = text[cs : mention.start]
            right = text[mention.end : ce]
        # Wording right after the quantity: 以上, 左右 (skipping an alternative unit "(个)").
        suffix = find_suffix(right)
        after = right[len(suffix[1][0]) :] if suffix else right
        # Wording right before the number: 不低于, 较上年增长, 年均增长 …
        prefix = find_prefix(left)
        if prefix and prefix[0].name == "增加N项" and mention.unit in ("%", "‰"):
            prefix = None  # 提高5%: a relative change (below), not 5 in the rate's unit
        name_left = left[: len(left) - len(prefix[1][0])] if prefix else left
        verb = ""
        if m := TRAILING_VERBS.search(name_left):
            verb = m["verb"]
            name_left = name_left[: m.start()]
            if prefix is None:
                prefix = find_prefix(name_left)
                if prefix:
                    name_left = name_left[: len(name_left) - len(prefix[1][0])]
        if prefix is None and (
            split := _COMPARATOR_BEFORE_VERB.search(name_left)
        ):  # 至少开展2次: the comparator stands before the verb
            prefix = find_prefix(name_left[: split.end("cmp")])
            name_left = name_left[: split.start("cmp")] + name_left[split.end("cmp") :]
        maintained = bool(MAINTAIN_WORDS.search(verb)) or bool(
            re.search(r"每月|每季度|每周|每年", left)
        )
        name_left = re.sub(
            r"(?:整体|总体|均|各|分别|稳步|持续|进一步|累计|力争|争取|努力)+$", "", name_left
        )
        # 从2020年的93%提高到95%: the name stops before 从 (the 93% is a baseline).
        name_left = re.sub(r"(?:由|从)[^由从]*\d[^由从]*$", "", name_left)
        stripped = LEADING_CONNECTIVES.sub("", name_left)
        name_left = stripped
        # A bare 增长/下降 X% (no 较…): on the previous year in a one-year plan.
        bare_change = None
        bc = re.search(r"(?:增长|增加|提高|提升|下降|降低|减少)$", name_left)
        if (
            prefix is None
            and (mention.unit in ("%", "‰") or mention.unit.endswith("百分点"))
            and bc
        ):
            bare_change = bc[0]
            name_left = name_left[: bc.start()]
        rest = _PAREN_GROUP.sub("", after)
        rest = rest.removeprefix("的").strip()
        # The reading.
        wording = "bare number"
        decrease = False
        lower = False
        if mention.high is not None:
            reading, wording = Reading.BETWEEN, "X~Y"
            if bare_change is not None or (prefix is not None and prefix[0].reading in CHANGES):
                # 增长6.5%-7%: a band of growth, not a level between 6.5 and 7.
                reading, wording = Reading.CHANGE_BETWEEN, "增长X%~Y%"
                decrease = is_decrease(bare_change or prefix[1][0] if prefix else bare_change or "")
        elif mention.more and prefix is None and suffix is None:
            reading, wording = Reading.MORE_THAN, "N余"
        elif prefix is not None:
            reading, wording = prefix[0].reading, prefix[0].name
            decrease = is_decrease(prefix[1][0])
            if reading is Reading.CHANGE_ON_PREVIOUS and suffix and suffix[0].name == "左右":
                # RelativeChange has no tolerance: 增长6%左右 read as "at least +6%" would
                # fail a 5.9% growth the plan accepts.
                reading, wording = Reading.CHANGE_ABOUT, f"{prefix[0].name}X%左右"
            if reading in (Reading.AT_MOST, Reading.LESS_THAN):
                lower = True
        elif bare_change is not None:
            decrease = is_decrease(bare_change)
            reading = (
                Reading.CHANGE_ON_PREVIOUS if self.single_year else Reading.CHANGE_ON_BASE_YEAR
            )
            wording = "增长X%" if not decrease else "下降X%"
            if suffix and suffix[0].name == "左右":
                reading, wording = Reading.CHANGE_ABOUT, wording + "左右"
        elif suffix is not None:
            reading, wording = suffix[0].reading, suffix[0].name
            if reading is Reading.AT_MOST:
                lower = True
        elif mention.unit in TIME_UNITS or mention.unit in ("个工作日",):
            reading, wording, lower = Reading.AT_MOST, "duration", True
        elif mention.unit in ("%",) and mention.value == 100:
            reading, wording = Reading.AT_LEAST, "100%"
        else:
            reading = Reading.POINT
        if forced := find_unit_reading(mention.unit):
            reading, wording = forced.reading, forced.name
            if prefix is None and bare_change is not None:
                decrease = is_decrease(bare_change)
        about_suffix = suffix is not None and suffix[0].name == "左右"
        about = reading is Reading.CHANGE_ABOUT or (
            reading is Reading.ANNUAL_GROWTH and about_suffix
        )
        base_year: int | None = None
        base_known = True
        if reading in BASED:
            named = prefix is not None and prefix[0].reading is Reading.CHANGE_ON_BASE_YEAR
            on_previous = prefix is not None and re.search(r"上年|去年|同比", prefix[1][0])
            if named and prefix is not None:
                base_year = int(prefix[1]["year"])
            elif not on_previous:
                base_year, base_known = self._base_of(mention.start)
        every_year = bool(re.search(r"逐年|每年", left)) and self.span_years is not None
        described = NOT_A_COMMITMENT.search(text[clause_start : mention.start])
        if described and not re.search(r"达到|达|新增|新建|建成|完成|培育|提高|提升", described[0]):
            return [], "the words before it describe, not commit (围绕, 共有, 已…)"
        # The indicator's name.
        form = "name before number"
        if mention.chinese:
            if not _CHINESE_VERB.search(name_left) and not _CHINESE_VERB.search(verb):
                return [], "a Chinese numeral outside a commitment"
            form = "Chinese numeral"
            names = [name_left + rest]
        elif rest and not name_left and mention.unit in ("%", "‰"):
            form = "share of subjects"
            names = [rest + "的比例"]
        elif (
            rest
            and re.match(r"[\u4e00-\u9fff“]", rest)
            and (not name_left or ACTION_VERBS.search(name_left) or ACTION_VERBS.search(verb))
        ):
            form = "verb, number, thing"
            names = [(name_left or verb) + rest]
        else:
            names = [name_left]
        names = [n.strip("“” ") for n in names]
        if not names[0]:
            return [], "no indicator name next to the number"
        if not mention.unit and not any("指数" in n for n in names):
            return [], "a number without a unit"
        if (
            (
                form == "name before number"
                and len(parts := re.split(r"和|及|与|、|以及", names[0])) > 1
            )
            and all(HEADS.search(p) for p in parts if p)
            and all(parts)
        ):
            names = parts
            form = "coordinated names"
        end = mention.end + (len(suffix[1][0]) if suffix else 0)
        if form in ("verb, number, thing", "share of subjects", "Chinese numeral"):
            end = (
                ce
                if "(" not in after
                else mention.end + len(after.split("(")[0]) + (len(suffix[1][0]) if suffix else 0)
            )
            end = min(end, ce)
        start = cs
        while start < end and self.text[start] in "—-(":
            start += 1
        confidence = {
            "name before number": 0.9 if (prefix or suffix) else (0.8 if verb else 0.6),
            "coordinated names": 0.85,
            "verb, number, thing": 0.75,
            "share of subjects": 0.6,
            "Chinese numeral": 0.5,
        }[form]
        # 力争 reaches over a list (力争85%甲、60%乙) but not past the clause's comma, unless
        # the sentence opens with it and a time (力争到2025年,新增…).
        aspirational = bool(ASPIRATIONAL.search(text[clause_start : mention.start])) or bool(
            _ASPIRATIONAL_OPENING.match(self.sentence(mention.start).lstrip("—- "))
        )
        return [
            Candidate(
                start=start,
                end=end,
                name=name,
                value=mention.value,
                high=mention.high,
                unit=mention.unit,
                reading=reading,
                wording=wording,
                maintained=maintained,
                decrease=decrease,
                aspirational=aspirational,
                rule=form,
                confidence=confidence,
                mention=mention,
                lower_is_better=lower or decrease,
                base_year=base_year,
                base_known=base_known,
                about=about,
                every_year=every_year,
            )
            for name in names
        ], ""

    def _clauses(self) -> Iterator[tuple[int, int]]:
        text = self.text
        start = 0
        for i, ch in enumerate(text):
            if ch in _DELIMITERS or ch in "()":
                if i > start:
                    yield start, i
                start = i + 1
        if start < len(text):
            yield start, len(text)

    def _read_clauses(self) -> None:
        # Characters no clause rule may read: owner notes, heading numbers, what a number
        # was read from, a heading's title (质量水平持续提高 names a goal, not a target)
        # and sections that review past work.
        used = bytearray(len(self.text) + 1)
        spans = [(a, b) for a, b, _ in self.blocked]
        spans += [(c.start, c.end) for c in self.candidates]
        for a, b in spans + self.titles + self.reviews:
            used[a:b] = b"\x01" * max(0, b - a)
        for cs, ce in self._clauses():
            if any(used[cs:ce]):
                continue
            clause = self.text[cs:ce]
            if re.search(r"\d", clause):
                continue
            stripped = LEADING_CONNECTIVES.sub("", clause)
            offset = cs + len(clause) - len(stripped)
            opening = bool(_ASPIRATIONAL_OPENING.match(self.sentence(cs).lstrip("—- ")))
            for rule in CLAUSE_RULES:
                m = rule.regex.match(stripped)
                if not m:
                    continue
                name = m["name"]
                if rule.reading is Reading.IMPROVE and not HEADS.search(name):
                    continue
                names = [name]
                parts = re.split(r"和|及|与|、", name)
                if len(parts) > 1 and rule.reading is Reading.IMPROVE:
                    if not all(p and HEADS.search(p) for p in parts):
                        continue  # 质量整体水平、品牌影响力…提高: not every part is measured
                    names = [re.sub(r"(?:控制指标|控制|指标)$", "", p) for p in parts]
                decrease = bool(m.groupdict().get("verb") and is_decrease(m["verb"]))
                value = 100.0 if rule.name == "full coverage" else None
                for one in names:
                    self.candidates.append(
                        Candidate(
                            start=offset,
                            end=ce,
                            name=one + ("覆盖率" if rule.name == "full coverage" else ""),
                            value=value,
                            high=None,
                            unit="%" if rule.name == "full coverage" else "",
                            reading=rule.reading,
                            wording=rule.name,
                            maintained=False,
                            decrease=decrease,
                            aspirational=bool(ASPIRATIONAL.search(clause)) or opening,
                            rule=rule.name,
                            confidence=0.6,
                            mention=None,
                            lower_is_better=decrease or rule.reading is Reading.ZERO,
                            every_year="逐年" in clause and self.span_years is not None,
                        )
                    )
                break


def rules_with_examples() -> tuple[Rule | ClauseRule, ...]:
    """Every named rule with examples (for the tests and the docs)."""
    return (*NON_TARGETS, *CLAUSE_RULES)
