"""A plan as pandas DataFrames, one per noun, and back again.

:func:`plan_to_frames` writes a plan as frames whose columns
:data:`FRAME_COLUMNS` lists (the ``targets`` frame extends
:data:`~policytargets.TARGET_COLUMNS` of ``_tables``);
:func:`plan_from_frames` rebuilds the plan, reading every cell through
``_FrameReader`` so that every bad cell is reported at once. pandas is
imported on first use, not with the package.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ._conditions import (
    AbsoluteChange,
    AnnualGrowth,
    Approximately,
    AtLeast,
    AtMost,
    Between,
    Comparator,
    Condition,
    Direction,
    Every,
    EveryYear,
    Improve,
    LessThan,
    Maintained,
    MoreThan,
    Point,
    RelativeChange,
    Zero,
)
from ._errors import InvalidValueError, PlanFileError
from ._labels import Label
from ._model import (
    Basis,
    Goal,
    Indicator,
    IndicatorKind,
    Milestone,
    Plan,
    Projection,
    Target,
    Validity,
)
from ._owners import LeadRule, OwnerKind, Role
from ._tables import TARGET_COLUMNS, targets_frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FRAME_COLUMNS", "plan_from_frames", "plan_to_frames"]

#: Columns :func:`plan_to_frames` adds to :data:`TARGET_COLUMNS` so that targets can be rebuilt.
TARGET_REBUILD_COLUMNS: tuple[str, ...] = (
    "indicator_unit",
    "projection",
    "numerator_zh",
    "numerator_en",
    "denominator_zh",
    "denominator_en",
    "source_section",
)

#: Columns of :data:`TARGET_COLUMNS` that are derived from other frames; they are
#: checked, not read, by :func:`plan_from_frames`.
DERIVED_TARGET_COLUMNS: tuple[str, ...] = ("section", "owners", "lead")

#: The frames of :func:`plan_to_frames` and their columns, in order.
FRAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "plan": (
        "id",
        "title_zh",
        "title_en",
        "period",
        "issuer_zh",
        "issuer_en",
        "document_number",
        "issued",
        "published",
        "validity",
        "url",
        "addressees",
        "lead_rule",
    ),
    "goals": ("id", "parent_id", "section", "title_zh", "title_en", "text"),
    "targets": TARGET_COLUMNS + TARGET_REBUILD_COLUMNS,
    "milestones": (
        "id",
        "goal_id",
        "name_zh",
        "name_en",
        "period",
        "aspirational",
        "source_section",
        "source_text",
    ),
    "owners": ("id", "name_zh", "name_en", "kind", "members", "aliases"),
    "responsibilities": ("item_id", "owner", "role"),
    "sources": ("item_id", "section", "text", "note"),
    "indicators": (
        "id",
        "name_zh",
        "name_en",
        "kind",
        "unit",
        "direction",
        "basis",
        "numerator_zh",
        "numerator_en",
        "denominator_zh",
        "denominator_en",
        "projection",
    ),
}


#: Columns a frame written by an earlier version lacks; read as their default when absent.
_OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"plan": ("lead_rule",)}


def _label_cells(label: Label | None) -> tuple[str | None, str | None]:
    return (None, None) if label is None else (label.zh, label.en)


def _indicator_cells(indicator: Indicator) -> dict[str, Any]:
    numerator = _label_cells(indicator.numerator)
    denominator = _label_cells(indicator.denominator)
    return {
        "id": indicator.id,
        "name_zh": indicator.name.zh,
        "name_en": indicator.name.en,
        "kind": indicator.kind.value,
        "unit": indicator.unit,
        "direction": indicator.direction.value,
        "basis": None if indicator.basis is None else indicator.basis.value,
        "numerator_zh": numerator[0],
        "numerator_en": numerator[1],
        "denominator_zh": denominator[0],
        "denominator_en": denominator[1],
        "projection": indicator.projection.value,
    }


def plan_to_frames(plan: Plan) -> dict[str, pd.DataFrame]:
    """A plan as pandas DataFrames, one per noun; :func:`plan_from_frames` reverses it.

    Frames (columns in ``FRAME_COLUMNS``):

    * ``plan``: one row of document metadata;
    * ``goals``: one row per goal, depth first, with its ``parent_id``;
    * ``targets``: :meth:`Plan.targets_frame` plus the indicator's own unit,
      its numerator and denominator labels and the source clause's section
      (``section``, ``owners`` and ``lead`` are derived: they are checked on
      the way back, never read);
    * ``milestones``: one row per milestone, with its ``goal_id``;
    * ``owners``: the owner registry (``members`` and ``aliases`` are lists);
    * ``responsibilities``: ``item_id``, ``owner`` (an owner id), ``role``,
      the responsibilities each goal, target and milestone names itself;
    * ``sources``: ``item_id``, ``section``, ``text``, ``note``: every source
      clause of every target and milestone, in order (an item's first clause
      is also in its own ``source_section`` and ``source_text`` columns);
    * ``indicators``: each distinct indicator once.

    Row order is document order, and it matters on the way back.
    """
    import pandas as pd

    frames: dict[str, pd.DataFrame] = {}
    frames["plan"] = pd.DataFrame(
        [
            {
                "id": plan.id,
                "title_zh": plan.title.zh,
                "title_en": plan.title.en,
                "period": str(plan.period),
                "issuer_zh": _label_cells(plan.issuer)[0],
                "issuer_en": _label_cells(plan.issuer)[1],
                "document_number": plan.document_number,
                "issued": None if plan.issued is None else plan.issued.isoformat(),
                "published": None if plan.published is None else plan.published.isoformat(),
                "validity": plan.validity.value,
                "url": plan.url,
                "addressees": list(plan.addressees),
                "lead_rule": plan.lead_rule.value,
            }
        ],
        columns=list(FRAME_COLUMNS["plan"]),
    )
    goal_rows: list[dict[str, Any]] = []
    responsibility_rows: list[dict[str, Any]] = []
    milestone_rows: list[dict[str, Any]] = []
    for goal in plan.goals_flat():
        parents = plan.parents_of(goal.id)
        goal_rows.append(
            {
                "id": goal.id,
                "parent_id": parents[-1].id if parents else None,
                "section": goal.section,
                "title_zh": goal.title.zh,
                "title_en": goal.title.en,
                "text": goal.text,
            }
        )
    items: list[Goal | Target | Milestone] = [
        *plan.goals_flat(),
        *plan.targets,
        *plan.milestones,
    ]
    for item in items:
        responsibility_rows.extend(
            {"item_id": item.id, "owner": r.owner, "role": r.role.value}
            for r in item.responsibilities
        )
    for milestone in plan.milestones:
        milestone_rows.append(
            {
                "id": milestone.id,
                "goal_id": plan.parents_of(milestone.id)[-1].id,
                "name_zh": milestone.name.zh,
                "name_en": milestone.name.en,
                "period": str(milestone.period),
                "aspirational": milestone.aspirational,
                "source_section": None if milestone.source is None else milestone.source.section,
                "source_text": None if milestone.source is None else milestone.source.text,
            }
        )
    frames["goals"] = pd.DataFrame(goal_rows, columns=list(FRAME_COLUMNS["goals"]))
    targets = targets_frame(plan)
    extra = []
    indicators: dict[Indicator, None] = {}
    for target in plan.targets:
        cells = _indicator_cells(target.indicator)
        indicators[target.indicator] = None
        extra.append(
            {
                "indicator_unit": cells["unit"],
                "projection": cells["projection"],
                "numerator_zh": cells["numerator_zh"],
                "numerator_en": cells["numerator_en"],
                "denominator_zh": cells["denominator_zh"],
                "denominator_en": cells["denominator_en"],
                "source_section": None if target.source is None else target.source.section,
            }
        )
    extra_frame = pd.DataFrame(extra, columns=list(TARGET_REBUILD_COLUMNS), index=targets.index)
    frames["targets"] = pd.concat([targets, extra_frame], axis=1)
    milestones = pd.DataFrame(milestone_rows, columns=list(FRAME_COLUMNS["milestones"]))
    frames["milestones"] = milestones.astype({"aspirational": bool})
    frames["owners"] = pd.DataFrame(
        [
            {
                "id": o.id,
                "name_zh": o.name.zh,
                "name_en": o.name.en,
                "kind": o.kind.value,
                "members": list(o.members),
                "aliases": list(o.aliases),
            }
            for o in plan.owners
        ],
        columns=list(FRAME_COLUMNS["owners"]),
    )
    frames["responsibilities"] = pd.DataFrame(
        responsibility_rows, columns=list(FRAME_COLUMNS["responsibilities"])
    )
    quoting: list[Target | Milestone] = [*plan.targets, *plan.milestones]
    frames["sources"] = pd.DataFrame(
        [
            {"item_id": item.id, "section": c.section, "text": c.text, "note": c.note}
            for item in quoting
            for c in item.sources
        ],
        columns=list(FRAME_COLUMNS["sources"]),
    )
    frames["indicators"] = pd.DataFrame(
        [_indicator_cells(i) for i in indicators], columns=list(FRAME_COLUMNS["indicators"])
    )
    return frames


class _FrameReader:
    """Reads cells of plan frames, collecting every problem with its frame, row and column."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, frame: str, row: Any, column: str | None, message: str) -> None:
        where = f"{frame}, row {row!r}" if row is not None else frame
        if column is not None:
            where += f", column {column!r}"
        self.problems.append((where, message))

    @staticmethod
    def missing(value: Any) -> bool:
        if value is None:
            return True
        if isinstance(value, float) and math.isnan(value):
            return True
        import pandas as pd

        return value is pd.NA or value is pd.NaT

    def cell(
        self,
        frame: str,
        row: Any,
        record: Mapping[str, Any],
        column: str,
        kind: str,
        *,
        required: bool = False,
    ) -> Any:
        """A cell as a Python value of ``kind`` (text, number, flag, list), or None when empty.

        Raises:
            _BadCell: the cell holds the wrong kind of value (the problem is recorded).
        """
        value = record.get(column)
        if self.missing(value):
            if required:
                self.fail(frame, row, column, "a value is required")
                raise _BadCell
            return None
        import numpy as np

        if kind == "text" and isinstance(value, str):
            return value
        if (
            kind == "number"
            and isinstance(value, int | float | np.number)
            and not isinstance(value, bool | np.bool_)
        ):
            return float(value)
        if kind == "flag" and isinstance(value, bool | np.bool_):
            return bool(value)
        if kind == "list" and isinstance(value, list | tuple | np.ndarray):
            items = list(value)
            if all(isinstance(v, str) for v in items):
                return tuple(items)
        if kind == "period" and isinstance(value, str | int) and not isinstance(value, bool):
            return value
        expected = {
            "text": "text",
            "number": "a number",
            "flag": "True or False",
            "list": "a list of text",
            "period": "a period such as '2022'",
        }[kind]
        self.fail(frame, row, column, f"expected {expected}, received {value!r}")
        raise _BadCell

    def choice(
        self,
        frame: str,
        row: Any,
        record: Mapping[str, Any],
        column: str,
        vocabulary: type[StrEnum],
        *,
        required: bool = False,
    ) -> Any:
        """A cell holding one value of a closed vocabulary (an enum's lowercase values)."""
        value = self.cell(frame, row, record, column, "text", required=required)
        if value is None or value in {m.value for m in vocabulary}:
            return value
        known = ", ".join(repr(m.value) for m in vocabulary)
        self.fail(frame, row, column, f"expected one of {known}, received {value!r}")
        raise _BadCell

    def label(
        self, frame: str, row: Any, record: Mapping[str, Any], prefix: str, *, required: bool
    ) -> Label | None:
        zh = self.cell(frame, row, record, f"{prefix}_zh", "text")
        en = self.cell(frame, row, record, f"{prefix}_en", "text")
        if zh is None and en is None:
            if required:
                self.fail(frame, row, f"{prefix}_zh", "a Chinese or an English text is required")
                raise _BadCell
            return None
        label: Label = self.build(
            frame, row, Label, {"zh": zh or "", "en": en or ""}, {}, f"{prefix}_zh"
        )
        return label

    def build(
        self,
        frame: str,
        row: Any,
        cls: Callable[..., Any],
        kwargs: Mapping[str, Any],
        columns: Mapping[str, str],
        fallback: str | None = None,
    ) -> Any:
        """``cls(**kwargs)``, with a model error recorded at the column of the field it names."""
        from ._errors import PolicyTargetsError

        try:
            return cls(**kwargs)
        except PolicyTargetsError as exc:
            where = str(getattr(exc, "where", ""))
            match = re.search(r"\.([A-Za-z_]\w*)(?:\[\d+\])?(?:\s|$)", where)
            name = match[1] if match else ""
            column = columns.get(name, name if name in kwargs else fallback)
            message = (
                f"expected {exc.expected}, received {exc.received!r}"
                if isinstance(exc, InvalidValueError)
                else str(exc)
            )
            self.fail(frame, row, column, message)
            raise _BadCell from None


class _BadCell(Exception):
    """A row could not be read; its problems are recorded already."""


_CONDITION_CLASSES: dict[str, type[Condition]] = {
    Comparator.AT_LEAST.value: AtLeast,
    Comparator.MORE_THAN.value: MoreThan,
    Comparator.AT_MOST.value: AtMost,
    Comparator.LESS_THAN.value: LessThan,
    Comparator.POINT.value: Point,
}


def _condition(reader: _FrameReader, row: Any, record: Mapping[str, Any]) -> Condition:
    frame = "targets"
    comparator = reader.cell(frame, row, record, "comparator", "text", required=True)
    value = reader.cell(frame, row, record, "value", "number")
    high = reader.cell(frame, row, record, "value_high", "number")
    abs_tol = reader.cell(frame, row, record, "abs_tol", "number")
    rel_tol = reader.cell(frame, row, record, "rel_tol", "number")
    maintained = reader.cell(frame, row, record, "maintained", "flag")
    every_year = reader.cell(frame, row, record, "every_year", "flag")
    every = reader.choice(frame, row, record, "every", Every)
    two_sided = reader.cell(frame, row, record, "two_sided", "flag")
    base = reader.cell(frame, row, record, "condition_base", "text")
    columns = {
        "low": "value",
        "percent": "value",
        "amount": "value",
        "high": "value_high",
        "tolerance": "abs_tol",
        "base": "condition_base",
        "two_sided": "two_sided",
    }
    condition: Condition
    growth = {"percent": value, "base": base, "tolerance": abs_tol, "two_sided": bool(two_sided)}
    if comparator in _CONDITION_CLASSES:
        cls = _CONDITION_CLASSES[comparator]
        condition = reader.build(frame, row, cls, {"value": value}, columns, "value")
    elif comparator == Comparator.APPROXIMATELY.value:
        kwargs = {
            "value": value,
            "abs_tol": abs_tol,
            "rel_tol": rel_tol,
            "two_sided": bool(two_sided),
        }
        condition = reader.build(frame, row, Approximately, kwargs, columns, "abs_tol")
    elif comparator == Comparator.BETWEEN.value:
        kwargs = {"low": value, "high": high}
        condition = reader.build(frame, row, Between, kwargs, columns, "value")
    elif comparator == Comparator.RELATIVE_CHANGE.value:
        condition = reader.build(frame, row, RelativeChange, growth, columns, "value")
    elif comparator == Comparator.ANNUAL_GROWTH.value:
        condition = reader.build(frame, row, AnnualGrowth, growth, columns, "value")
    elif comparator == Comparator.ABSOLUTE_CHANGE.value:
        kwargs = {"amount": value, "base": base}
        condition = reader.build(frame, row, AbsoluteChange, kwargs, columns, "value")
    elif comparator == Comparator.IMPROVE.value:
        condition = Improve()
    elif comparator == Comparator.ZERO.value:
        condition = Zero()
    else:
        known = ", ".join(repr(c.value) for c in Comparator)
        reader.fail(frame, row, "comparator", f"expected one of {known}, received {comparator!r}")
        raise _BadCell
    if maintained and every_year:
        reader.fail(frame, row, "every_year", "at most one of maintained and every_year")
        raise _BadCell
    if every_year:
        return EveryYear(condition=condition)
    if every is not None and not maintained:
        reader.fail(frame, row, "every", "empty unless the condition is maintained")
        raise _BadCell
    if maintained:
        return Maintained(condition=condition, every=every or Every.YEAR)
    return condition


def _records(frame: pd.DataFrame) -> list[tuple[Any, dict[str, Any]]]:
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in rec.items()} for rec in frame.to_dict("records")
    ]
    return list(zip(frame.index, records, strict=True))


def plan_from_frames(frames: Mapping[str, pd.DataFrame]) -> Plan:
    """Rebuild a plan from the frames :func:`plan_to_frames` makes.

    ``plan``, ``goals``, ``targets``, ``milestones``, ``owners`` and
    ``responsibilities`` are required; ``indicators`` is optional and, when
    given, each target's indicator must match a row of it. ``sources`` is
    optional: when given it holds every clause of every item (and an item's
    ``source_section`` / ``source_text`` must repeat its first); frames
    without it (as 0.1 wrote them) give each item the one clause of its row.
    Columns are the ones ``FRAME_COLUMNS`` lists, no more and no fewer,
    except that the plan's ``lead_rule`` may be missing (read as ``"marked"``).

    Raises:
        PlanFileError: listing every bad cell at once, each located as
            ``"targets, row 3, column 'value'"`` (``path`` is ``"<frames>"``).
    """
    reader = _FrameReader()
    required = ("plan", "goals", "targets", "milestones", "owners", "responsibilities")
    targets = frames.get("targets")
    columns = getattr(targets, "columns", ())
    if "id" in columns and "target_id" not in columns:
        # Written by 0.1.0, whose targets frame called the key "id".
        frames = {**frames, "targets": targets.rename(columns={"id": "target_id"})}  # type: ignore[union-attr]
    for name in required:
        if name not in frames:
            reader.fail(name, None, None, "frame missing")
    for name in frames:
        if name not in FRAME_COLUMNS:
            reader.fail(
                str(name), None, None, f"unknown frame; expected {', '.join(FRAME_COLUMNS)}"
            )
    for name, frame in frames.items():
        if name not in FRAME_COLUMNS:
            continue
        if not hasattr(frame, "columns") or not hasattr(frame, "to_dict"):
            reader.fail(name, None, None, f"expected a DataFrame, received {type(frame).__name__}")
            continue
        expected = FRAME_COLUMNS[name]
        for column in expected:
            if column not in frame.columns and column not in _OPTIONAL_COLUMNS.get(name, ()):
                reader.fail(name, None, column, "column missing")
        for column in frame.columns:
            if column not in expected:
                reader.fail(name, None, str(column), "unknown column")
    if reader.problems:
        raise PlanFileError("<frames>", tuple(reader.problems))
    plan = _rebuild(reader, frames)
    if reader.problems or plan is None:
        raise PlanFileError("<frames>", tuple(reader.problems))
    _check_derived(reader, plan, frames["targets"])
    if reader.problems:
        raise PlanFileError("<frames>", tuple(reader.problems))
    return plan


def _rebuild(reader: _FrameReader, frames: Mapping[str, pd.DataFrame]) -> Plan | None:
    from ._model import Baseline, SourceClause
    from ._owners import Owner, Responsibility

    # Owners.
    owners: list[Owner] = []
    for row, rec in _records(frames["owners"]):
        with contextlib.suppress(_BadCell):
            kwargs = {
                "id": reader.cell("owners", row, rec, "id", "text", required=True),
                "name": reader.label("owners", row, rec, "name", required=True),
                "kind": reader.choice("owners", row, rec, "kind", OwnerKind, required=True),
                "members": reader.cell("owners", row, rec, "members", "list") or (),
                "aliases": reader.cell("owners", row, rec, "aliases", "list") or (),
            }
            owners.append(reader.build("owners", row, Owner, kwargs, {}))

    owner_ids = dict.fromkeys(o.id for o in owners)

    # Responsibilities, per item in row order.
    responsibilities: dict[str, list[tuple[Any, Responsibility]]] = {}
    for row, rec in _records(frames["responsibilities"]):
        with contextlib.suppress(_BadCell):
            frame = "responsibilities"
            item_id = reader.cell(frame, row, rec, "item_id", "text", required=True)
            kwargs = {
                "owner": reader.cell(frame, row, rec, "owner", "text", required=True),
                "role": reader.choice(frame, row, rec, "role", Role, required=True),
            }
            responsibility = reader.build(frame, row, Responsibility, kwargs, {})
            if responsibility.owner not in owner_ids:
                known = ", ".join(repr(o) for o in list(owner_ids)[:8]) or "none"
                reader.fail(
                    frame,
                    row,
                    "owner",
                    f"unknown owner {responsibility.owner!r}; the owners frame has {known}",
                )
            responsibilities.setdefault(item_id, []).append((row, responsibility))
    item_ids: set[str] = set()

    def unique(frame: str, row: Any, item_id: str) -> None:
        # The Plan would refuse a duplicate too, but could not say which row.
        if item_id in item_ids:
            reader.fail(frame, row, "id", f"id {item_id!r} is used twice in the plan")
            raise _BadCell
        item_ids.add(item_id)

    def own(item_id: str) -> tuple[Responsibility, ...]:
        return tuple(r for _, r in responsibilities.get(item_id, ()))

    # Source clauses: the sources frame when given (every clause), else one per row.
    clauses: dict[str, list[SourceClause]] | None = None
    clause_rows: dict[str, Any] = {}
    if "sources" in frames:
        clauses = {}
        for row, rec in _records(frames["sources"]):
            with contextlib.suppress(_BadCell):
                item_id = reader.cell("sources", row, rec, "item_id", "text", required=True)
                kwargs = {
                    "section": reader.cell("sources", row, rec, "section", "text") or "",
                    "text": reader.cell("sources", row, rec, "text", "text") or "",
                    "note": reader.cell("sources", row, rec, "note", "text"),
                }
                clauses.setdefault(item_id, []).append(
                    reader.build("sources", row, SourceClause, kwargs, {})
                )
                clause_rows.setdefault(item_id, row)

    def source(
        frame: str, row: Any, rec: Mapping[str, Any], item_id: str
    ) -> tuple[SourceClause, ...]:
        section = reader.cell(frame, row, rec, "source_section", "text")
        text = reader.cell(frame, row, rec, "source_text", "text")
        if clauses is not None:
            found = tuple(clauses.get(item_id, ()))
            first = (found[0].section, found[0].text) if found else (None, None)
            if (section or None, text or None) != (first[0] or None, first[1] or None):
                reader.fail(
                    frame,
                    row,
                    "source_text",
                    "differs from the item's first clause in the sources frame; "
                    "edit the sources frame (these columns repeat it)",
                )
            return found
        if section is None and text is None:
            return ()
        return (SourceClause(section=section or "", text=text or ""),)

    # Targets, per goal in row order.
    targets: dict[str, list[Target]] = {}
    target_rows: dict[str, Any] = {}
    for row, rec in _records(frames["targets"]):
        frame = "targets"
        with contextlib.suppress(_BadCell):
            target_id = reader.cell(frame, row, rec, "target_id", "text", required=True)
            unique(frame, row, target_id)
            goal_id = reader.cell(frame, row, rec, "goal_id", "text", required=True)
            indicator_kwargs = {
                "id": reader.cell(frame, row, rec, "indicator_id", "text", required=True),
                "name": reader.label(frame, row, rec, "indicator", required=True),
                "kind": reader.choice(frame, row, rec, "kind", IndicatorKind, required=True),
                "unit": reader.cell(frame, row, rec, "indicator_unit", "text", required=True),
                "direction": reader.choice(frame, row, rec, "direction", Direction, required=True),
                "basis": reader.choice(frame, row, rec, "basis", Basis),
                "numerator": reader.label(frame, row, rec, "numerator", required=False),
                "denominator": reader.label(frame, row, rec, "denominator", required=False),
                "projection": reader.choice(frame, row, rec, "projection", Projection),
            }
            indicator_columns = {
                "id": "indicator_id",
                "unit": "indicator_unit",
                "name": "indicator_zh",
            }
            indicator = reader.build(
                frame, row, Indicator, indicator_kwargs, indicator_columns, "indicator_id"
            )
            baseline_value = reader.cell(frame, row, rec, "baseline_value", "number")
            baseline_period = reader.cell(frame, row, rec, "baseline_period", "period")
            baseline = None
            if baseline_value is not None or baseline_period is not None:
                baseline = reader.build(
                    frame,
                    row,
                    Baseline,
                    {"value": baseline_value, "period": baseline_period},
                    {"value": "baseline_value", "period": "baseline_period"},
                    "baseline_value",
                )
            kwargs = {
                "id": target_id,
                "indicator": indicator,
                "condition": _condition(reader, row, rec),
                "period": reader.cell(frame, row, rec, "period", "period", required=True),
                "unit": reader.cell(frame, row, rec, "unit", "text", required=True),
                "responsibilities": own(target_id),
                "aspirational": reader.cell(frame, row, rec, "aspirational", "flag", required=True),
                "sources": source(frame, row, rec, target_id),
                "baseline": baseline,
            }
            targets.setdefault(goal_id, []).append(reader.build(frame, row, Target, kwargs, {}))
            target_rows[target_id] = row

    milestones: dict[str, list[Milestone]] = {}
    for row, rec in _records(frames["milestones"]):
        frame = "milestones"
        with contextlib.suppress(_BadCell):
            milestone_id = reader.cell(frame, row, rec, "id", "text", required=True)
            unique(frame, row, milestone_id)
            goal_id = reader.cell(frame, row, rec, "goal_id", "text", required=True)
            kwargs = {
                "id": milestone_id,
                "name": reader.label(frame, row, rec, "name", required=True),
                "period": reader.cell(frame, row, rec, "period", "period", required=True),
                "responsibilities": own(milestone_id),
                "aspirational": reader.cell(frame, row, rec, "aspirational", "flag", required=True),
                "sources": source(frame, row, rec, milestone_id),
            }
            milestones.setdefault(goal_id, []).append(
                reader.build(frame, row, Milestone, kwargs, {})
            )

    # Goals: rows in depth-first order, each child after its parent.
    goal_records: dict[str, tuple[Any, dict[str, Any]]] = {}
    children: dict[str | None, list[str]] = {}
    for row, rec in _records(frames["goals"]):
        with contextlib.suppress(_BadCell):
            goal_id = reader.cell("goals", row, rec, "id", "text", required=True)
            parent_id = reader.cell("goals", row, rec, "parent_id", "text")
            unique("goals", row, goal_id)
            goal_records[goal_id] = (row, rec)
            children.setdefault(parent_id, []).append(goal_id)
    for parent_id, kids in children.items():
        if parent_id is not None and parent_id not in goal_records:
            row = goal_records[kids[0]][0]
            reader.fail("goals", row, "parent_id", f"unknown goal {parent_id!r}")
    for kind, table in (("targets", targets), ("milestones", milestones)):
        for goal_id in table:
            if goal_id not in goal_records:
                frame_records = _records(frames[kind])
                row = next(r for r, rec in frame_records if rec.get("goal_id") == goal_id)
                reader.fail(kind, row, "goal_id", f"unknown goal {goal_id!r}")

    def build_goal(goal_id: str, seen: tuple[str, ...]) -> Goal:
        row, rec = goal_records[goal_id]
        if goal_id in seen:
            reader.fail("goals", row, "parent_id", f"goal {goal_id!r} is its own ancestor")
            raise _BadCell
        kids = [build_goal(k, (*seen, goal_id)) for k in children.get(goal_id, [])]
        kwargs = {
            "id": goal_id,
            "title": reader.label("goals", row, rec, "title", required=True),
            "section": reader.cell("goals", row, rec, "section", "text") or "",
            "text": reader.cell("goals", row, rec, "text", "text"),
            "responsibilities": own(goal_id),
            "targets": tuple(targets.get(goal_id, ())),
            "milestones": tuple(milestones.get(goal_id, ())),
            "goals": tuple(kids),
        }
        built: Goal = reader.build("goals", row, Goal, kwargs, {})
        return built

    roots: list[Goal] = []
    for goal_id in children.get(None, []):
        with contextlib.suppress(_BadCell):
            roots.append(build_goal(goal_id, ()))
    reached = {g for root in roots for _, g in _walk_ids(root)}
    for goal_id, (row, _) in goal_records.items():
        if goal_id not in reached and not reader.problems:
            reader.fail("goals", row, "parent_id", "goal is not reachable from a root goal")
    for item_id, entries in responsibilities.items():
        if item_id not in item_ids:
            reader.fail("responsibilities", entries[0][0], "item_id", f"unknown item {item_id!r}")
    for item_id, first_row in clause_rows.items():
        if item_id not in item_ids:
            reader.fail("sources", first_row, "item_id", f"unknown item {item_id!r}")

    # The plan's own row.
    plan_records = _records(frames["plan"])
    if len(plan_records) != 1:
        reader.fail("plan", None, None, f"expected exactly one row, received {len(plan_records)}")
        return None
    row, rec = plan_records[0]
    try:
        issuer = reader.label("plan", row, rec, "issuer", required=False)
        kwargs = {
            "id": reader.cell("plan", row, rec, "id", "text", required=True),
            "title": reader.label("plan", row, rec, "title", required=True),
            "period": reader.cell("plan", row, rec, "period", "period", required=True),
            "issuer": issuer,
            "document_number": reader.cell("plan", row, rec, "document_number", "text"),
            "issued": reader.cell("plan", row, rec, "issued", "text"),
            "published": reader.cell("plan", row, rec, "published", "text"),
            "validity": reader.choice("plan", row, rec, "validity", Validity, required=True),
            "url": reader.cell("plan", row, rec, "url", "text"),
            "addressees": reader.cell("plan", row, rec, "addressees", "list") or (),
            "lead_rule": reader.choice("plan", row, rec, "lead_rule", LeadRule) or LeadRule.MARKED,
        }
    except _BadCell:
        return None
    if reader.problems:
        return None
    _check_indicators(reader, frames, targets, target_rows)
    if reader.problems:
        return None
    try:
        plan: Plan = reader.build(
            "plan", row, Plan, {**kwargs, "goals": tuple(roots), "owners": tuple(owners)}, {}
        )
    except _BadCell:
        return None
    return plan


def _walk_ids(goal: Goal) -> Iterator[tuple[tuple[Goal, ...], str]]:
    for parents, g in goal.walk():
        yield parents, g.id


def _check_indicators(
    reader: _FrameReader,
    frames: Mapping[str, pd.DataFrame],
    targets: Mapping[str, list[Target]],
    target_rows: Mapping[str, Any],
) -> None:
    """Each target's indicator must match a row of the ``indicators`` frame, when it is given."""
    if "indicators" not in frames:
        return
    listed: dict[str, list[Indicator]] = {}
    rows: dict[str, Any] = {}
    for row, rec in _records(frames["indicators"]):
        with contextlib.suppress(_BadCell):
            kwargs = {
                "id": reader.cell("indicators", row, rec, "id", "text", required=True),
                "name": reader.label("indicators", row, rec, "name", required=True),
                "kind": reader.choice("indicators", row, rec, "kind", IndicatorKind, required=True),
                "unit": reader.cell("indicators", row, rec, "unit", "text", required=True),
                "direction": reader.choice(
                    "indicators", row, rec, "direction", Direction, required=True
                ),
                "basis": reader.choice("indicators", row, rec, "basis", Basis),
                "numerator": reader.label("indicators", row, rec, "numerator", required=False),
                "denominator": reader.label("indicators", row, rec, "denominator", required=False),
                "projection": reader.choice("indicators", row, rec, "projection", Projection),
            }
            indicator = reader.build("indicators", row, Indicator, kwargs, {"name": "name_zh"})
            listed.setdefault(indicator.id, []).append(indicator)
            rows.setdefault(indicator.id, row)
    used: set[str] = set()
    for goal_targets in targets.values():
        for target in goal_targets:
            used.add(target.indicator.id)
            if target.indicator not in listed.get(target.indicator.id, []):
                reader.fail(
                    "targets",
                    target_rows[target.id],
                    "indicator_id",
                    f"indicator {target.indicator.id!r} does not match the indicators frame",
                )
    for indicator_id, row in rows.items():
        if indicator_id not in used:
            reader.fail("indicators", row, "id", f"indicator {indicator_id!r} has no target")


def _check_derived(reader: _FrameReader, plan: Plan, given: pd.DataFrame) -> None:
    """Derived columns (section, owners, lead) must agree with what the plan implies."""
    rebuilt = {rec["target_id"]: rec for _, rec in _records(targets_frame(plan))}
    for row, rec in _records(given):
        expected = rebuilt[rec["target_id"]]
        for column in DERIVED_TARGET_COLUMNS:
            value: Any = rec.get(column)
            want = expected[column]
            if isinstance(value, tuple) or hasattr(value, "tolist"):
                value = list(value)
            if reader.missing(value) and reader.missing(want):
                continue
            if value != want:
                reader.fail(
                    "targets",
                    row,
                    column,
                    f"derived from the other frames as {want!r}, received {value!r}; "
                    "edit the goals, responsibilities or source columns instead",
                )
