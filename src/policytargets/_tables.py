"""Plans as tables for reading: one row per target, and owners × items.

:func:`targets_frame` (behind :meth:`Plan.targets_frame`) and
:func:`responsibility_matrix` (behind :meth:`Plan.responsibility_matrix`).
Turning a whole plan into frames and back is ``_frames``. pandas is imported
on first use, not with the package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._conditions import Approximately
from ._model import Plan, register_presenter
from ._owners import Role

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TARGET_COLUMNS", "responsibility_matrix", "targets_frame"]

#: The columns of :meth:`Plan.targets_frame`, in order.
TARGET_COLUMNS: tuple[str, ...] = (
    "target_id",
    "section",
    "goal_id",
    "indicator_id",
    "indicator_zh",
    "indicator_en",
    "kind",
    "basis",
    "direction",
    "comparator",
    "value",
    "value_high",
    "abs_tol",
    "rel_tol",
    "maintained",
    "every_year",
    "every",
    "two_sided",
    "condition_base",
    "unit",
    "period",
    "aspirational",
    "owners",
    "lead",
    "baseline_value",
    "baseline_period",
    "source_text",
)


def _owner_names(plan: Plan, item_id: str) -> tuple[list[str], str | None]:
    """The owner ids, leads first, and the first lead (``None`` when nobody is ranked lead)."""
    responsibilities = plan.responsibilities_of(item_id)
    leads = [r.owner for r in responsibilities if r.role is Role.LEAD]
    others = [r.owner for r in responsibilities if r.role is not Role.LEAD]
    return leads + others, leads[0] if leads else None


def targets_frame(plan: Plan) -> pd.DataFrame:
    """One row per target; the columns are :data:`TARGET_COLUMNS`."""
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for target in plan.targets:
        condition = target.condition
        inner = getattr(condition, "condition", condition)
        owners, lead = _owner_names(plan, target.id)
        parents = plan.parents_of(target.id)
        rows.append(
            {
                "target_id": target.id,
                "section": plan.section_of(target.id),
                "goal_id": parents[-1].id if parents else None,
                "indicator_id": target.indicator.id,
                "indicator_zh": target.indicator.name.zh,
                "indicator_en": target.indicator.name.en,
                "kind": target.indicator.kind.value,
                "basis": None if target.indicator.basis is None else target.indicator.basis.value,
                "direction": target.indicator.direction.value,
                "comparator": condition.comparator.value,
                "value": condition.value,
                "value_high": condition.value_high,
                "abs_tol": inner.abs_tol
                if isinstance(inner, Approximately)
                else condition.tolerance,
                "rel_tol": inner.rel_tol if isinstance(inner, Approximately) else None,
                "maintained": condition.maintained,
                "every_year": condition.every_year,
                "every": getattr(getattr(condition, "every", None), "value", None),
                "two_sided": condition.two_sided,
                "condition_base": None if condition.base is None else str(condition.base),
                "unit": target.unit,
                "period": str(target.period),
                "aspirational": target.aspirational,
                "owners": owners,
                "lead": lead,
                "baseline_value": None if target.baseline is None else target.baseline.value,
                "baseline_period": None if target.baseline is None else str(target.baseline.period),
                "source_text": None if target.source is None else target.source.text,
            }
        )
    frame = pd.DataFrame(rows, columns=list(TARGET_COLUMNS))
    for column in ("value", "value_high", "abs_tol", "rel_tol", "baseline_value"):
        frame[column] = frame[column].astype("float64")
    for column in ("maintained", "every_year", "two_sided"):
        frame[column] = frame[column].astype(bool)
    frame["aspirational"] = frame["aspirational"].astype(bool)
    return frame


def responsibility_matrix(plan: Plan, *, expand_collectives: bool = False) -> pd.DataFrame:
    """Owners × items: ``"lead"``, ``"supporting"``, ``"responsible"`` (unranked) or missing.

    Rows are owner ids (in a Chinese plan, the names its notes use: 市住建局), in
    registry order; columns are target
    and milestone ids in document order. With ``expand_collectives``, a
    collective (各区镇) is replaced by each of its members.
    """
    import pandas as pd

    items = [t.id for t in plan.targets] + [m.id for m in plan.milestones]
    cells: dict[tuple[str, str], str] = {}
    for item_id in items:
        for r in plan.responsibilities_of(item_id):
            owners = plan.members_of(r.owner) if expand_collectives else (plan.owner(r.owner),)
            for owner in owners:
                key = (owner.id, item_id)
                if cells.get(key) != Role.LEAD.value:
                    cells[key] = r.role.value
    owner_ids = [o.id for o in plan.owners]
    data = {item: [cells.get((o, item)) for o in owner_ids] for item in items}
    frame = pd.DataFrame(data, index=pd.Index(owner_ids, name="owner"), columns=items)
    roles = pd.CategoricalDtype([role.value for role in Role])
    frame = frame.astype(roles)
    frame.columns.name = "item"
    return frame


# Plan.targets_frame and Plan.responsibility_matrix delegate here (see
# _model.register_presenter): the model does not import its tables.
register_presenter("targets_frame", targets_frame)
register_presenter("responsibility_matrix", responsibility_matrix)
