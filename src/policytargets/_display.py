"""Display: short plain reprs and HTML for notebooks.

(First cut; the notebook display issue refines the HTML.)
"""

from __future__ import annotations

import html
from typing import Any

__all__ = ["short_repr", "to_html"]


def short_repr(obj: Any) -> str:
    """A one-line repr naming the object's kind, id and its essentials."""
    from ._assessment import Assessment
    from ._model import Goal, Plan, Target

    if isinstance(obj, Plan):
        n = sum(1 for _ in obj.targets())
        return f"<Plan {obj.id!r} {obj.title.text('zh')!r}: {n} targets, {len(obj.owners)} owners>"
    if isinstance(obj, Goal):
        return f"<Goal {obj.id!r} {obj.section} {obj.title.text('zh')!r}>"
    if isinstance(obj, Target):
        return f"<Target {obj.id!r} {obj.describe('zh')!r} {obj.period}>"
    if isinstance(obj, Assessment):
        margin = "" if obj.margin is None else f" margin {obj.margin:+g} {obj.margin_unit}"
        return f"<Assessment {obj.target_id!r} {obj.status.value}{margin}>"
    return object.__repr__(obj)


def to_html(obj: Any) -> str:
    """HTML for a notebook cell."""
    return f"<pre>{html.escape(short_repr(obj))}</pre>"
