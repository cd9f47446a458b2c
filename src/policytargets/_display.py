"""Display: one-line plain reprs, and compact HTML for notebooks.

``short_repr`` and ``to_html`` are what the model classes' ``__repr__`` and
``_repr_html_`` call. Every piece of text that comes from a plan (names,
clause text, ids, URLs) is escaped: a plan is data, and data may be hostile.
pandas is imported only by :func:`style_assessments`.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, Any, Literal

from ._model import register_presenter

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler

    from ._assessment import Assessment
    from ._model import Goal, Plan, Target

__all__ = [
    "STATUS_COLOURS",
    "STATUS_LABELS",
    "short_repr",
    "status_label",
    "style_assessments",
    "to_html",
]

Lang = Literal["zh", "en"]

#: Status -> (background, text) colours, shared by the HTML, the Styler and the
#: plots. Diverging green/red with neutral greys and blues for the statuses
#: that are not judgements, chosen to stay apart for the common colour-vision
#: deficiencies (ColorBrewer RdYlBu family).
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "met": ("#1a9850", "#ffffff"),
    "on_track": ("#a6d96a", "#1b1b1b"),
    "off_track": ("#fdae61", "#1b1b1b"),
    "not_met": ("#d73027", "#ffffff"),
    "no_data": ("#d9d9d9", "#1b1b1b"),
    "not_comparable": ("#b2abd2", "#1b1b1b"),
    "needs_baseline": ("#92c5de", "#1b1b1b"),
    "pending": ("#fee090", "#1b1b1b"),
    "done": ("#35978f", "#ffffff"),
}

#: Status -> (Chinese, English) label.
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "met": ("达标", "met"),
    "on_track": ("进度正常", "on track"),
    "off_track": ("进度滞后", "off track"),
    "not_met": ("未达标", "not met"),
    "no_data": ("无数据", "no data"),
    "not_comparable": ("不可比", "not comparable"),
    "needs_baseline": ("缺基期值", "needs baseline"),
    "pending": ("未完成", "pending"),
    "done": ("已完成", "done"),
}

_LONG = 60  # characters of free text kept in a one-line repr


def status_label(status: str, lang: Lang = "en") -> str:
    """A status in words: ``status_label("not_met", "zh")`` is ``"未达标"``."""
    zh, en = STATUS_LABELS.get(str(status), (str(status), str(status)))
    return zh if lang == "zh" else en


def _one_line(text: str, limit: int = _LONG) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.6g}"


def short_repr(obj: Any) -> str:
    """A one-line repr naming the object's kind, id and its essentials."""
    from ._assessment import Assessment
    from ._model import Goal, Plan, Target

    if isinstance(obj, Plan):
        targets = sum(1 for _ in obj.targets)
        milestones = sum(1 for _ in obj.milestones)
        title = _one_line(obj.title.text("zh"))
        return (
            f"<Plan {obj.id!r} {title!r} {obj.period}: {targets} targets, "
            f"{milestones} milestones, {len(obj.owners)} owners>"
        )
    if isinstance(obj, Goal):
        count = len(obj.targets)
        section = f" {obj.section}" if obj.section else ""
        return (
            f"<Goal {obj.id!r}{section} {_one_line(obj.title.text('zh'))!r}: "
            f"{count} targets, {len(obj.goals)} sub-goals>"
        )
    if isinstance(obj, Target):
        return f"<Target {obj.id!r} {_one_line(obj.describe('zh'))!r} {obj.period}>"
    if isinstance(obj, Assessment):
        parts = [f"<Assessment {obj.target_id!r} {obj.status.value} {obj.period}"]
        if obj.region is not None:
            parts.append(f" region {obj.region!r}")
        if obj.observed is not None:
            parts.append(f": observed {_number(obj.observed)} {obj.unit}".rstrip())
        if obj.margin is not None:
            parts.append(f", margin {obj.margin:+.6g} {obj.margin_unit}".rstrip())
        return "".join(parts) + ">"
    return object.__repr__(obj)


# --- HTML -------------------------------------------------------------------

#: JupyterLab (``.jp-RenderedHTMLCommon``) and nbconvert/classic (``.rendered_html``)
#: centre tables, fix their layout, right-align and middle-align cells and stripe rows,
#: each with a (class, element) selector. Ours are one step more specific
#: (``div.pt-card``, class + two elements) so that the cards look the same everywhere.
_CSS = (
    "<style>"
    "div.pt-card{font-family:system-ui,sans-serif;font-size:13px;line-height:1.4;"
    "max-width:60em;text-align:left}"
    "div.pt-card table{border-collapse:collapse;margin:.3em 0;margin-left:0;"
    "margin-right:auto;table-layout:auto;border:none}"
    "div.pt-card th,div.pt-card td{padding:.15em .6em;text-align:left;vertical-align:top;"
    "border-bottom:1px solid #e0e0e0;white-space:normal}"
    "div.pt-card th{font-weight:600}"
    "div.pt-card tr,div.pt-card tbody tr:nth-child(odd){background:transparent}"
    ".pt-en{color:#666}"
    ".pt-status{display:inline-block;padding:0 .5em;border-radius:.6em;font-weight:600}"
    ".pt-kind{color:#666;font-size:11px;text-transform:uppercase;letter-spacing:.05em}"
    "</style>"
)


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _bilingual(zh: str, en: str) -> str:
    """Chinese, then English in grey; one of them may be empty."""
    if zh and en:
        return f'{_e(zh)} <span class="pt-en">{_e(en)}</span>'
    return _e(zh or en)


def _status_badge(status: str) -> str:
    background, colour = STATUS_COLOURS.get(status, ("#eeeeee", "#1b1b1b"))
    zh, en = STATUS_LABELS.get(status, (status, status))
    return (
        f'<span class="pt-status" style="background:{background};color:{colour}" '
        f'title="{_e(status)}">{_e(zh)} · {_e(en)}</span>'
    )


def _unit(unit: str) -> str:
    from ._unit_names import unit_label

    zh, en = unit_label(unit, "zh"), unit_label(unit, "en")
    return _e(zh) if zh == en else _bilingual(zh, en)


def _rows(pairs: Iterable[tuple[str, str]]) -> str:
    """A two-column key/value table; values are HTML already."""
    body = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in pairs if v)
    return f"<table>{body}</table>"


def _link(url: str) -> str:
    # Only web links become anchors: a javascript: URL in a plan must not run.
    if re.match(r"^https?://", url, flags=re.IGNORECASE):
        return f'<a href="{_e(url)}" target="_blank" rel="noopener noreferrer">{_e(url)}</a>'
    return _e(url)


def _owners(plan: Plan | None, item: Any) -> str:
    if plan is not None:
        responsibilities = plan.responsibilities_of(item.id)
    else:
        responsibilities = item.responsibilities
    names = []
    for r in sorted(responsibilities, key=lambda r: r.role != "lead"):
        name = r.owner
        if plan is not None:
            name = plan.owner(r.owner).name.text("zh")
        names.append(f"<b>{_e(name)}</b>" if r.role == "lead" else _e(name))
    return "、".join(names)


_TARGET_ROWS = 50  # targets shown in a plan's or goal's table before "… and N more"


def _targets_table(targets: list[Target], plan: Plan | None) -> str:
    head = (
        "<tr><th>§</th><th>指标 Indicator</th><th>目标 Target</th>"
        "<th>期 Period</th><th>责任 Owners</th></tr>"
    )
    rows = []
    for target in targets[:_TARGET_ROWS]:
        section = plan.section_of(target.id) if plan is not None else ""
        name = target.indicator.name
        condition = target.condition
        direction = target.indicator.direction
        zh = condition.describe(target.unit, "zh", direction)
        en = condition.describe(target.unit, "en", direction)
        if target.aspirational:
            zh, en = "力争" + zh, en + " (aspirational)"
        rows.append(
            f"<tr><td>{_e(section)}</td><td>{_bilingual(name.zh, name.en)}</td>"
            f"<td>{_bilingual(zh, en)}</td><td>{_e(target.period)}</td>"
            f"<td>{_owners(plan, target)}</td></tr>"
        )
    more = len(targets) - _TARGET_ROWS
    if more > 0:
        rows.append(f'<tr><td colspan="5">… and {more} more (plan.targets_frame())</td></tr>')
    return f"<table>{head}{''.join(rows)}</table>"


def _plan_html(plan: Plan) -> str:
    targets = list(plan.targets)
    milestones = sum(1 for _ in plan.milestones)
    issuer = plan.issuer
    meta = _rows(
        [
            ("issuer", "" if issuer is None else _bilingual(issuer.zh, issuer.en)),
            ("document", _e(plan.document_number or "")),
            ("issued", _e(plan.issued or "")),
            ("period", _e(plan.period)),
            ("validity", _e(plan.validity.value)),
            ("source", _link(plan.url) if plan.url else ""),
        ]
    )
    summary = (
        f"{len(targets)} targets · {milestones} milestones · "
        f"{sum(1 for _ in plan.goals_flat())} goals · {len(plan.owners)} owners"
    )
    return (
        f'{_CSS}<div class="pt-card"><div class="pt-kind">Plan · {_e(plan.id)}</div>'
        f"<div><b>{_bilingual(plan.title.zh, plan.title.en)}</b></div>{meta}"
        f"<details><summary>{_e(summary)}</summary>{_targets_table(targets, plan)}"
        "</details></div>"
    )


def _goal_html(goal: Goal) -> str:
    targets = [t for _, g in goal.walk() for t in g.targets]
    text = f"<div>{_e(_one_line(goal.text, 400))}</div>" if goal.text else ""
    section = f"{_e(goal.section)} " if goal.section else ""
    return (
        f'{_CSS}<div class="pt-card"><div class="pt-kind">Goal · {_e(goal.id)}</div>'
        f"<div><b>{section}{_bilingual(goal.title.zh, goal.title.en)}</b></div>{text}"
        f"{_targets_table(targets, None) if targets else ''}</div>"
    )


def _target_html(target: Target) -> str:
    indicator = target.indicator
    direction = indicator.direction
    zh = target.describe("zh")
    en = target.describe("en")
    baseline = ""
    if target.baseline is not None:
        baseline = f"{_number(target.baseline.value)} ({_e(target.baseline.period)})"
    kind = indicator.kind.value + ("" if indicator.basis is None else f", {indicator.basis.value}")
    # Every clause the commitment is quoted in, then the encoder's remarks, if any.
    source = "<br>".join(
        f"{_e(c.section)} “{_e(_one_line(c.text, 200))}”"
        + ("" if c.note is None else f"<br><i>{_e(_one_line(c.note, 300))}</i>")
        for c in target.sources
    )
    return (
        f'{_CSS}<div class="pt-card"><div class="pt-kind">Target · {_e(target.id)}</div>'
        f"<div><b>{_bilingual(zh, en)}</b></div>"
        + _rows(
            [
                ("indicator", _bilingual(indicator.name.zh, indicator.name.en)),
                ("kind", _e(kind)),
                ("condition", _e(target.condition.comparator.value)),
                ("unit", _unit(target.unit)),
                ("direction", _e(direction.value + " is better")),
                ("period", _e(target.period)),
                ("baseline", baseline),
                ("owners", _owners(None, target)),
                ("source", source),
            ]
        )
        + "</div>"
    )


def _assessment_html(a: Assessment) -> str:
    def with_unit(value: float | None, unit: str) -> str:
        return "" if value is None else f"{_e(_number(value))} {_unit(unit)}"

    score = ""
    if a.score is not None:
        score = f"{_e(_number(a.score.value))} ({_e(a.score.method)})"
    margin = ""
    if a.margin is not None:
        margin = f"{_e(f'{a.margin:+.6g}')} {_unit(a.margin_unit)}"
    aspirational = " · 力争 aspirational" if a.aspirational else ""
    return (
        f'{_CSS}<div class="pt-card"><div class="pt-kind">Assessment · {_e(a.target_id)}'
        f"{aspirational}</div><div>{_status_badge(a.status.value)} {_e(a.reason)}</div>"
        + _rows(
            [
                ("period", _e(a.period)),
                ("region", _e(a.region or "")),
                ("observed", with_unit(a.observed, a.unit)),
                ("projected", with_unit(a.projected, a.unit)),
                ("threshold", with_unit(a.threshold, a.unit)),
                ("margin", margin),
                ("baseline", with_unit(a.baseline, a.unit)),
                ("coverage", f"{a.coverage:.0%}"),
                ("score", score),
            ]
        )
        + "</div>"
    )


def to_html(obj: Any) -> str:
    """Compact HTML for a notebook cell: bilingual labels, units, status colours."""
    from ._assessment import Assessment
    from ._model import Goal, Plan, Target

    if isinstance(obj, Plan):
        return _plan_html(obj)
    if isinstance(obj, Goal):
        return _goal_html(obj)
    if isinstance(obj, Target):
        return _target_html(obj)
    if isinstance(obj, Assessment):
        return _assessment_html(obj)
    return f"<pre>{_e(short_repr(obj))}</pre>"


# --- result tables ------------------------------------------------------------


def style_assessments(frame: pd.DataFrame, *, lang: Lang = "en") -> Styler:
    """A pandas Styler for an assessments table: status colours, units, missing as "–".

    Args:
        frame: the output of :func:`policytargets.evaluate` (any subset of its
            columns; ``status`` is required).
        lang: the language of the status labels and units, ``"en"`` or ``"zh"``.

    Returns:
        A Styler that renders in notebooks and with ``.to_html()``; the frame
        itself is not changed. Needs ``jinja2`` (pandas' own requirement for
        styling).

    Raises:
        InvalidValueError: the frame has no ``status`` column.
    """
    from ._errors import InvalidValueError
    from ._extras import require
    from ._unit_names import unit_label

    require("jinja2", "plot", "to style tables (pandas' Styler)")
    if "status" not in frame.columns:
        raise InvalidValueError(
            "style_assessments(frame)", "a frame with a 'status' column", list(frame.columns)
        )
    shown = frame.copy()
    shown["status"] = [status_label(str(s), lang) for s in frame["status"]]
    for column in ("unit", "margin_unit"):
        if column in shown.columns:
            # 个, 张, 座 have no English word (unit_label gives ""): keep the plan's unit.
            shown[column] = [
                u if not isinstance(u, str) else (unit_label(u, lang) or u) for u in frame[column]
            ]
    colours = {status_label(k, lang): v for k, v in STATUS_COLOURS.items()}

    def paint(value: Any) -> str:
        background, colour = colours.get(str(value), ("", ""))
        return f"background-color:{background};color:{colour}" if background else ""

    numbers: list[Hashable] = [c for c in shown.columns if shown[c].dtype.kind == "f"]
    # Text from plans (ids, reasons, regions) is escaped: a Styler does not by default.
    styler = shown.style.map(paint, subset=["status"]).format(escape="html", na_rep="–")
    styler = styler.format("{:.4g}", subset=numbers, na_rep="–")
    if "coverage" in numbers:
        styler = styler.format("{:.0%}", subset=["coverage"], na_rep="–")
    return styler.hide(axis="index")


# The model shows itself through these (see _model.register_presenter).
register_presenter("repr", short_repr)
register_presenter("html", to_html)
