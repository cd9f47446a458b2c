"""From what the rules read to a :class:`~policytargets.Plan` that ``load_plan`` reads."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict

from .._conditions import Direction
from .._errors import PolicyTargetsError
from .._labels import Label
from .._model import (
    Baseline,
    Basis,
    Goal,
    Indicator,
    IndicatorKind,
    Plan,
    SourceClause,
    Target,
)
from .._owners import (
    LeadRule,
    Owner,
    OwnerKind,
    Responsibility,
    Role,
    responsibilities_from_note,
)
from ._report import ExtractedTarget, UnreadText
from ._rules import (
    COUNT_UNITS,
    FLOW_WORDS,
    LOWER_IS_BETTER_WORDS,
    STOCK_WORDS,
    TIME_UNITS,
)
from ._structure import Heading, Metadata, OwnerNote
from ._targets import Candidate
from ._text import Source
from ._wording import condition_of

__all__ = ["Draft", "guess_indicator"]

#: Units as written that the unit layer knows by another spelling.
_UNIT_SPELLING = {"个工作日": "工作日", "个月": "月"}
_LOWER_RATES = re.compile(r"(?:发生率|失业率|不合格率|空置率|死亡率|事故率|负债率|差错率|投诉率)$")
_PER_POPULATION = re.compile(r"/(?:千|万|百)?(?:人|台|户|人口)$")


def guess_indicator(candidate: Candidate, target_id: str, clause: str) -> Indicator:
    """The indicator a candidate measures: kind, unit, basis and direction guessed from its words.

    Raises:
        PolicyTargetsError: the unit is not one the unit layer knows, or the
            guess does not make a valid indicator.
    """
    name = candidate.name
    unit = _UNIT_SPELLING.get(candidate.unit, candidate.unit)
    bare = unit.lstrip("万亿千百")
    basis: Basis | None = None
    if unit in ("%", "‰") or unit.endswith("百分点"):
        # A change in percentage points is a change of a rate in %.
        kind, unit = IndicatorKind.RATE, "%"
    elif unit == "分" or (not unit and "指数" in name):
        kind = IndicatorKind.INDEX  # a bare index (指数达到92) is dimensionless: unit ""
    elif "/" in unit:
        kind = IndicatorKind.PER_CAPITA if _PER_POPULATION.search(unit) else IndicatorKind.AMOUNT
    elif bare in COUNT_UNITS and bare not in ("公里",):
        kind = IndicatorKind.COUNT
    elif unit:
        kind = IndicatorKind.AMOUNT
    elif candidate.value is None and candidate.mention is None:
        # Direction-only and zero clauses carry no unit: a rate when named so, else a count.
        if re.search(r"(?:率|满意度|比重|比例|占比)$", name):
            kind, unit = IndicatorKind.RATE, "%"
        else:
            kind, unit = IndicatorKind.COUNT, "起" if candidate.lower_is_better else "个"
    else:
        raise PolicyTargetsError(f"no unit after the number for {name!r}")
    if unit.count("/") > 1 or unit.endswith("/"):
        raise PolicyTargetsError(f"unit {unit!r} not read")
    if kind in (IndicatorKind.COUNT, IndicatorKind.AMOUNT):
        words = clause + name
        if unit in TIME_UNITS or STOCK_WORDS.search(words):
            basis = Basis.STOCK
        elif FLOW_WORDS.search(words):
            basis = Basis.FLOW
        elif re.search(r"(?:数|量)$", name):
            basis = Basis.STOCK
        else:
            basis = Basis.FLOW
    lower = candidate.lower_is_better
    if kind is IndicatorKind.RATE:
        lower = lower or bool(_LOWER_RATES.search(name))
    elif LOWER_IS_BETTER_WORDS.search(name):
        lower = True
    suffix = ""
    if kind is IndicatorKind.COUNT and not re.search(r"(?:数|量|总数|总量)$", name):
        suffix = "数"
    return Indicator(
        id=target_id,
        name=Label(zh=name + suffix),
        kind=kind,
        unit=unit,
        basis=basis,
        direction=Direction.LOWER_IS_BETTER if lower else Direction.HIGHER_IS_BETTER,
    )


def _owner_kind(name: str) -> OwnerKind:
    if name.startswith("各") or name.endswith("成员单位"):
        return OwnerKind.COLLECTIVE
    if re.search(r"(?:镇|街道|乡|开发区|高新区|度假区|新城|管委会|区|县)$", name):
        return OwnerKind.DISTRICT
    if re.search(r"(?:局|委|办|厅|部|办公室|中心|署|院|队|处)$", name):
        return OwnerKind.DEPARTMENT
    return OwnerKind.ORGANISATION


def responsibilities(note: OwnerNote) -> tuple[Responsibility, ...]:
    """The responsibilities a note gives, ranked only as the note ranks them.

    The note is read by :func:`~policytargets.responsibilities_from_note`, the
    one reader of 责任部门 notes: 牵头 and ★ mark leads (the other owners
    support); a note that marks none lists its owners unranked
    (:attr:`~policytargets.Role.RESPONSIBLE`).
    """
    return responsibilities_from_note(note.body)


#: A document's rule that the unit a note names first leads (排名第一的为牵头单位).
_FIRST_NAMED_LEADS = re.compile(
    r"(?:排名|排序|排列|排在|列|位列|列于)?(?:第一|首位)(?:位|个|名)?的?(?:单位|部门)?"
    r"(?:为|是)(?:牵头|主要?责任)(?:单位|部门)"
)


def first_named_rule(text: str) -> re.Match[str] | None:
    """Where the document states that the first named unit leads, if it does."""
    return _FIRST_NAMED_LEADS.search(text)


class Draft:
    """Assembles the goal tree, targets and owners of one document."""

    def __init__(
        self,
        source: Source,
        meta: Metadata,
        heads: list[Heading],
        notes: list[OwnerNote],
        *,
        plan_id: str,
        period: str,
        target_years: list[tuple[int, int]],
        single_year: int | None,
    ) -> None:
        self.source = source
        self.meta = meta
        self.heads = heads
        self.notes = notes
        self.plan_id = plan_id
        self.period = period
        self.target_years = target_years
        self.single_year = single_year
        self._starts = [head.start for head in heads]
        self.provenance: list[ExtractedTarget] = []
        self.not_understood: list[UnreadText] = []
        self.remarks: list[str] = []

    # --- goals --------------------------------------------------------------------------

    def _paths(self) -> list[tuple[Heading, tuple[Heading, ...]]]:
        stack: list[Heading] = []
        out = []
        for head in self.heads:
            while stack and stack[-1].rank >= head.rank:
                stack.pop()
            stack.append(head)
            out.append((head, tuple(stack)))
        return out

    def _owner_of(self, at: int) -> int | None:
        """Index of the innermost heading at or before offset ``at``."""
        i = bisect_right(self._starts, at)
        return i - 1 if i else None

    def finding(self, start: int, end: int, reason: str) -> UnreadText:
        """A report entry for the reading copy's ``text[start:end]``."""
        a, b = self.source.span(start, end)
        line, column = self.source.line_column(a)
        lo = max(0, a - 20)
        context = self.source.original[lo : b + 20].replace("\n", " ")
        return UnreadText(
            text=self.source.original[a:b],
            start=a,
            end=b,
            line=line,
            column=column,
            reason=reason,
            context=context,
        )

    def _period_of(self, at: int) -> str:
        if self.single_year is not None:
            return str(self.single_year)
        year = None
        for pos, y in self.target_years:
            if pos <= at:
                year = y
        return str(year) if year is not None else self.period

    def _target_period(self, candidate: Candidate) -> str:
        if candidate.every_year:
            return self.period
        if candidate.year is not None:
            return str(candidate.year)
        return self._period_of(candidate.start)

    def build(self, candidates: list[Candidate]) -> Plan:
        """The draft plan."""
        paths = self._paths()
        ids: list[str] = []
        used: set[str] = set()
        for _head, path in paths:
            gid = ".".join(str(h.number) for h in path)
            base, n = gid, 2
            while gid in used:
                gid, n = f"{base}-{n}", n + 1
            used.add(gid)
            ids.append(gid)
        targets: dict[int | None, list[Target]] = defaultdict(list)
        counters: dict[int | None, int] = defaultdict(int)
        for candidate in sorted(candidates, key=lambda c: c.start):
            owner = self._owner_of(candidate.start)
            goal_id = ids[owner] if owner is not None else "0"
            section = ".".join(h.label for h in paths[owner][1]) if owner is not None else ""
            if not candidate.base_known:
                self.not_understood.append(
                    self.finding(
                        candidate.start,
                        candidate.end,
                        f"{candidate.wording}: {candidate.reading.value} needs a base year the "
                        "text does not name (较2020年, or a plan span such as 2021-2025年); "
                        "not drafted",
                    )
                )
                continue
            if candidate.pending:
                self.not_understood.append(
                    self.finding(
                        candidate.start,
                        candidate.end,
                        f"{candidate.wording}: {candidate.reading.value} has no condition class "
                        "yet; not drafted",
                    )
                )
                continue
            counters[owner] += 1
            target_id = f"{goal_id}-t{counters[owner]}"
            quote = self.source.quote(candidate.start, candidate.end)
            clause = self.source.text[candidate.start : candidate.end]
            try:
                indicator = guess_indicator(candidate, target_id, clause)
                condition = condition_of(
                    candidate.reading,
                    candidate.value,
                    high=candidate.high,
                    maintained=candidate.maintained,
                    decrease=candidate.decrease,
                    base=candidate.base_year,
                    about=candidate.about,
                    every_year=candidate.every_year,
                )
                target = Target(
                    id=target_id,
                    indicator=indicator,
                    condition=condition,
                    period=self._target_period(candidate),
                    baseline=(
                        Baseline(value=candidate.baseline[0], period=str(candidate.baseline[1]))
                        if candidate.baseline is not None
                        else None
                    ),
                    aspirational=candidate.aspirational,
                    source=SourceClause(section=section or "正文", text=quote),
                )
            except (PolicyTargetsError, ValueError) as exc:
                counters[owner] -= 1
                self.not_understood.append(
                    self.finding(candidate.start, candidate.end, f"not drafted: {exc}")
                )
                continue
            targets[owner].append(target)
            a, b = self.source.span(candidate.start, candidate.end)
            self.provenance.append(
                ExtractedTarget(
                    target_id=target_id,
                    rule=candidate.rule,
                    wording=candidate.wording,
                    confidence=candidate.confidence,
                    start=a,
                    end=b,
                    quote=quote,
                )
            )
        # Owner notes belong to the innermost heading before them.
        notes_of: dict[int | None, list[Responsibility]] = defaultdict(list)
        unranked = 0
        for note in self.notes:
            owner = self._owner_of(note.start)
            try:
                found = responsibilities(note)
            except PolicyTargetsError:
                self.not_understood.append(
                    self.finding(note.start, note.end, "a responsibility note naming nobody")
                )
                continue
            unranked += all(r.role is Role.RESPONSIBLE for r in found)
            for r in found:
                if all(r.owner != x.owner for x in notes_of[owner]):
                    notes_of[owner].append(r)
        rule = first_named_rule(self.source.text)
        lead_rule = LeadRule.FIRST_NAMED if rule else LeadRule.MARKED
        if rule:
            self.remarks.append(
                f"the document says the first named unit leads ({rule[0]}): the plan's "
                "lead_rule is first_named, so the first owner of an unmarked note leads"
            )
        elif unranked:
            self.remarks.append(
                f"{unranked} responsibility notes mark no lead (牵头, ★) and the document states "
                "no rule that the first named leads: their owners are listed unranked "
                "(responsible); mark a lead where the document's own words give one"
            )
        goals = self._tree(paths, ids, targets, notes_of)
        if targets.get(None):
            goals.insert(
                0,
                Goal(id="0", title=Label(zh="正文", en="Body text"), targets=tuple(targets[None])),
            )
        owner_names: list[str] = []
        for rs in notes_of.values():
            owner_names.extend(r.owner for r in rs if r.owner not in owner_names)
        owners = tuple(
            Owner(
                id=name,
                name=Label(zh=name),
                kind=_owner_kind(name),
                aliases=(name[1:],)
                if name.startswith("市") and not name.startswith("市委")
                else (),
            )
            for name in owner_names
        )
        if any(o.kind is OwnerKind.COLLECTIVE for o in owners):
            self.remarks.append(
                "collective owners (各区镇, 各成员单位) are registered without members: list them"
            )
        meta = self.meta
        return Plan(
            id=self.plan_id,
            title=Label(zh=meta.title or self.plan_id),
            period=self.period,
            issuer=Label(zh=meta.issuer) if meta.issuer else None,
            document_number=meta.document_number,
            issued=meta.issued,
            published=meta.published,
            addressees=meta.addressees,
            goals=tuple(goals),
            owners=owners,
            lead_rule=lead_rule,
        )

    def _tree(
        self,
        paths: list[tuple[Heading, tuple[Heading, ...]]],
        ids: list[str],
        targets: dict[int | None, list[Target]],
        notes_of: dict[int | None, list[Responsibility]],
    ) -> list[Goal]:
        children: dict[int | None, list[int]] = defaultdict(list)
        index_of = {id(head): i for i, (head, _) in enumerate(paths)}
        for i, (_, path) in enumerate(paths):
            parent = index_of[id(path[-2])] if len(path) > 1 else None
            children[parent].append(i)

        def goal(i: int) -> Goal:
            head, path = paths[i]
            return Goal(
                id=ids[i],
                title=Label(zh=head.title or head.label),
                section=".".join(h.label for h in path),
                responsibilities=tuple(notes_of.get(i, ())),
                targets=tuple(targets.get(i, ())),
                goals=tuple(goal(c) for c in children.get(i, ())),
            )

        return [goal(i) for i in children.get(None, ())]
