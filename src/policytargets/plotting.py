"""Plots and styled tables of assessments (matplotlib, the ``plot`` extra).

Three plots, each taking a plan and its assessments (the frame
:func:`policytargets.evaluate` returns, or a list of
:class:`policytargets.Assessment`) and an optional matplotlib ``ax``, and
returning the Axes drawn on:

* :func:`plot_progress` — each target's judged value against its threshold,
  a bullet chart in document order;
* :func:`plot_scorecard` — owners × goals, the share of each owner's judged
  targets that are met or on track, as a heatmap;
* :func:`plot_status_summary` — how many targets have each status, per goal.

:func:`style_assessments` colours a result table for notebooks.

Chinese labels need a CJK font. :func:`cjk_font` finds one: a font matplotlib
already knows (Noto Sans CJK, Source Han Sans, WenQuanYi, Microsoft YaHei…),
or the Noto Sans CJK SC files the ``mpl-font`` package ships (installed with
the ``docs`` extra). Without one, ``lang=None`` and ``lang="zh"`` draw English
labels instead, so no figure ever shows empty boxes for missing glyphs.
Set ``POLICYTARGETS_CJK_FONT`` to a family name or a font file to choose
the font, or to ``none`` to draw English labels.

matplotlib is imported when a plot is drawn, not when this module is.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import os
import weakref
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ._display import STATUS_COLOURS, STATUS_LABELS, status_label, style_assessments
from ._errors import InvalidValueError
from ._extras import require

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from ._assessment import Assessment
    from ._labels import Label
    from ._model import Goal, Milestone, Plan, Target

__all__ = [
    "STATUS_COLOURS",
    "STATUS_LABELS",
    "alt_text",
    "cjk_font",
    "plot_progress",
    "plot_regions",
    "plot_scorecard",
    "plot_status_summary",
    "status_label",
    "style_assessments",
]

Lang = Literal["zh", "en"]

#: Families tried first, in order: those that cover simplified Chinese.
_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Source Han Sans",
)
#: Font files shipped inside pip packages: (package, folder inside it).
_PACKAGED_FONTS = (("mpl_font", "fonts/noto"), ("mpl_font", "fonts/wqy"))
#: Characters a CJK font must have to be chosen: the ones our labels use most.
_PROBE = "质量合格率达标未进度责任部门市局镇"
_FALLBACK_FAMILY = "DejaVu Sans"
_JUDGED = ("met", "on_track", "off_track", "not_met")
_GOOD = ("met", "on_track")


def _covers(path: str, text: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(c) in charmap for c in text)


def _family_of(path: str) -> str:
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)
    return str(font_manager.FontProperties(fname=path).get_name())


def _packaged_font_files() -> list[str]:
    files: list[str] = []
    for package, folder in _PACKAGED_FONTS:
        spec = importlib.util.find_spec(package)  # finds it without importing it
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            directory = Path(location, folder)
            if directory.is_dir():
                files.extend(
                    str(p)
                    for p in sorted(directory.iterdir())
                    if p.suffix.lower() in (".otf", ".ttf", ".ttc")
                )
    return files


@functools.cache
def cjk_font() -> str | None:
    """The family name of a font that draws Chinese, or ``None`` when there is none.

    Looks at ``POLICYTARGETS_CJK_FONT`` first (a family name, a font file, or
    ``none``), then at fonts matplotlib knows, then at fonts shipped by pip
    packages (``mpl-font``). A font is chosen only if it has the glyphs our
    labels use. The answer is cached; call ``cjk_font.cache_clear()`` after
    installing a font.

    Raises:
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).
    """
    require("matplotlib", "plot", "to draw plots")
    from matplotlib import font_manager

    chosen = os.environ.get("POLICYTARGETS_CJK_FONT", "").strip()
    if chosen.lower() == "none":
        return None
    if chosen and Path(chosen).is_file():
        return _family_of(chosen) if _covers(chosen, _PROBE) else None
    known: dict[str, str] = {}
    for entry in font_manager.fontManager.ttflist:
        known.setdefault(entry.name, entry.fname)
    families = (chosen,) if chosen else _CJK_FAMILIES
    for family in families:
        path = known.get(family)
        if path is not None and _covers(path, _PROBE):
            return family
    if chosen:
        return None
    for path in _packaged_font_files():
        # Register every weight of the family, so bold titles are bold.
        if _covers(path, _PROBE):
            family = _family_of(path)
            for sibling in Path(path).parent.iterdir():
                if sibling != Path(path) and sibling.suffix.lower() in (".otf", ".ttf"):
                    font_manager.fontManager.addfont(str(sibling))
            return family
    return None


def _resolve_lang(lang: Lang | None) -> Lang:
    if lang not in (None, "zh", "en"):
        raise InvalidValueError("lang", "'zh', 'en' or None", lang)
    if lang == "en" or cjk_font() is None:
        return "en"
    return "zh"


def _latin(text: str) -> bool:
    """Whether the default font draws every character (nothing from CJK blocks up)."""
    return all(ord(c) < 0x2E80 for c in text)


def _text(label: Label | None, lang: Lang, fallback: str, limit: int = 28) -> str:
    """A label in ``lang``; in English, never a character the fallback font lacks."""
    text = "" if label is None else label.text(lang)
    if lang == "en" and not _latin(text):
        text = label.en if label is not None and _latin(label.en) else ""
        text = text or (fallback if _latin(fallback) else "")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unit_text(unit: str, lang: Lang) -> str:
    from ._unit_names import unit_label

    text = unit_label(unit, lang)
    if lang == "en" and text[:1].isdigit():
        text = "× " + text  # "6 × 10,000 m²", not "6 10,000 m²"
    return text if lang == "zh" or _latin(text) else ""


def _status_text(status: str, lang: Lang) -> str:
    return status_label(status, lang)


def _apply_font(axes: Sequence[Axes], lang: Lang) -> None:
    """Give the texts of these Axes a CJK family, with DejaVu Sans for other glyphs."""
    if lang != "zh":
        return
    from matplotlib.text import Text

    family = [cjk_font() or _FALLBACK_FAMILY, _FALLBACK_FAMILY]
    for one in axes:
        figure = one.get_figure()
        legends = [] if figure is None else list(figure.legends)
        for artist in (one, *legends):
            for text in artist.findobj(Text):
                text.set_fontfamily(family)
        # Tick labels made later (on zoom, or when ticks change) get it too.
        one.tick_params(labelfontfamily=family)


def _frame(assessments: pd.DataFrame | Iterable[Assessment]) -> pd.DataFrame:
    """The evaluate() columns this module reads, from a frame or from Assessments."""
    import pandas as pd

    from ._assessment import Assessment

    if isinstance(assessments, pd.DataFrame):
        frame = assessments
    else:
        rows = []
        for i, a in enumerate(assessments):
            if not isinstance(a, Assessment):
                raise InvalidValueError(
                    f"assessments[{i}]", "an Assessment (or pass a DataFrame)", a
                )
            rows.append(
                {
                    "target_id": a.target_id,
                    "region": a.region,
                    "period": str(a.period),
                    "status": a.status.value,
                    "observed": a.observed,
                    "projected": a.projected,
                    "threshold": a.threshold,
                    "margin": a.margin,
                    "margin_unit": a.margin_unit,
                    "unit": a.unit,
                    "aspirational": a.aspirational,
                }
            )
        frame = pd.DataFrame(rows)
    for column in ("target_id", "status"):
        if column not in frame.columns:
            raise InvalidValueError(
                "assessments", f"a frame with a {column!r} column", list(frame.columns)
            )
    return frame


#: Alt text of the Axes drawn here (see :func:`alt_text`); weak, so closed figures go.
_ALT_TEXT: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def _status_counts(statuses: Iterable[str]) -> str:
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    shown = [f"{counts[s]} {status_label(s, 'en')}" for s in STATUS_COLOURS if s in counts]
    return ", ".join(shown) or "no rows"


def _describe(ax: Axes, text: str) -> None:
    _ALT_TEXT[ax] = text
    figure = ax.get_figure()
    if figure is not None:
        _ALT_TEXT[figure] = text


def alt_text(ax: Any) -> str:
    """A text alternative for a plot drawn here: what it shows, in English words.

    Use it as the ``alt`` of the image in HTML, or as the PNG's description:
    ``fig.savefig("p.png", metadata={"Description": plotting.alt_text(ax)})``.

    Args:
        ax: the Axes (or its Figure) a function of this module returned.

    Raises:
        InvalidValueError: ``ax`` was not drawn by this module.
    """
    try:
        return _ALT_TEXT[ax]
    except (KeyError, TypeError):
        raise InvalidValueError(
            "alt_text(ax)", "an Axes or Figure drawn by policytargets.plotting", ax
        ) from None


def _axes(ax: Axes | None, width: float, height: float) -> tuple[Axes, bool]:
    """The Axes to draw on, and whether it is in a figure made here."""
    if ax is not None:
        return ax, False
    plt = require("matplotlib.pyplot", "plot", "to draw plots")

    _, created = plt.subplots(figsize=(width, height), layout="constrained")
    return created, True


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number


def _attainment(value: float, threshold: float, higher: bool) -> float:
    """The judged value as a share of its threshold, turned so that 1 is "at the target"."""
    if math.isnan(value) or math.isnan(threshold):
        return math.nan
    if value == threshold:
        return 1.0
    if higher:
        return value / threshold if threshold > 0 and value >= 0 else math.nan
    if value == 0 and threshold > 0:
        return math.inf  # nothing happened where some was allowed: better than any share
    if value < 0:
        return math.nan
    return threshold / value if threshold >= 0 else math.nan


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _one_per_target(frame: pd.DataFrame) -> None:
    duplicated = frame["target_id"][frame["target_id"].duplicated()]
    if len(duplicated):
        raise InvalidValueError(
            "assessments",
            "one row per target (filter by region or period first, "
            "e.g. frame[frame['region'] == 'A'])",
            f"{len(duplicated)} repeated target ids, first {duplicated.iloc[0]!r}",
        )


def _legend(ax: Axes, statuses: Sequence[str], lang: Lang, below: bool) -> None:
    """A status legend: under the figure when it is ours, else where it fits in the Axes."""
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=STATUS_COLOURS[s][0], label=_status_text(s, lang))
        for s in STATUS_COLOURS
        if s in statuses
    ]
    figure = ax.get_figure()
    if not handles:
        return
    if below and figure is not None:
        figure.legend(handles=handles, frameon=False, fontsize=8, ncol=len(handles),
                      loc="outside lower center")  # fmt: skip
    else:
        ax.legend(handles=handles, frameon=False, fontsize=8)


def plot_progress(
    plan: Plan,
    assessments: pd.DataFrame | Iterable[Assessment],
    *,
    ax: Axes | None = None,
    lang: Lang | None = None,
    limit: float = 1.5,
) -> Axes:
    """A bullet chart: each target's judged value as a share of its threshold.

    One bar per target, in document order, coloured by status: 100 % is the
    threshold (a line), bars past it are better than required, whatever the
    indicator's direction (for "lower is better" the share is threshold /
    value). A flow observed over part of its period shows the observed value
    solid and its projection to the period's end hatched. Each row is
    annotated with the value and the condition in the target's own unit.
    Targets without a judged value are listed with their status.

    Args:
        plan: the plan the assessments are of; gives names, conditions, order.
        assessments: :func:`policytargets.evaluate` output with one row per
            target (filter regions first), or a list of Assessments.
        ax: the Axes to draw on; a new figure when ``None``.
        lang: ``"zh"`` or ``"en"`` labels; ``None`` picks Chinese when a CJK
            font is available (see :func:`cjk_font`).
        limit: the right end of the axis; longer bars are cut there.

    Returns:
        The Axes drawn on.
    """
    require("matplotlib", "plot", "to draw plots")
    language = _resolve_lang(lang)
    frame = _frame(assessments)
    _one_per_target(frame)
    by_id = {str(row["target_id"]): row for _, row in frame.iterrows()}
    targets = [t for t in plan.targets if t.id in by_id]
    if not targets:
        raise InvalidValueError(
            "assessments", f"rows for targets of plan {plan.id!r}", "none of them"
        )
    ax, created = _axes(ax, 9.0, 1.2 + 0.42 * len(targets))
    labels, statuses = [], []
    zeros: list[str] = []
    beyond: list[str] = []
    for y, target in enumerate(targets):
        row = by_id[target.id]
        status = str(row["status"])
        statuses.append(status)
        colour = STATUS_COLOURS.get(status, ("#999999", ""))[0]
        higher = target.indicator.direction.sign > 0
        observed = _number(row.get("observed"))
        projected = _number(row.get("projected"))
        threshold = _number(row.get("threshold"))
        ax.barh(y, 1.0, height=0.8, color="#f0f0f0", zorder=0)
        share = _attainment(observed, threshold, higher)
        share_projected = _attainment(projected, threshold, higher)
        if not math.isnan(share_projected):
            ax.barh(
                y, min(share_projected, limit), height=0.45, color=colour, alpha=0.45,
                hatch="///", edgecolor=colour, linewidth=0, zorder=1,
            )  # fmt: skip
        if not math.isnan(share):
            ax.barh(y, min(share, limit), height=0.45, color=colour, zorder=2)
            if share == 0:  # an observed 0 has no bar: mark it
                ax.plot([0], [y], marker="|", markersize=11, markeredgewidth=3,
                        color=colour, zorder=4, clip_on=False)  # fmt: skip
                zeros.append(target.id)
            elif share > limit:  # cut at the axis: an arrowhead says there is more
                ax.plot([limit], [y], marker=">", markersize=7, color=colour,
                        markeredgecolor="#333333", zorder=4, clip_on=False)  # fmt: skip
                beyond.append(target.id)
        margin = _number(row.get("margin"))
        direction = target.indicator.direction
        condition = target.condition.describe(target.unit, language, direction)
        unit = _unit_text(target.unit, language)
        if math.isnan(observed):
            note = f"{_status_text(status, language)} · {condition}"
        else:
            sep = "" if language == "zh" or unit in ("%", "‰", "") else " "
            note = f"{_fmt(observed)}{sep}{unit} · {condition}"
            if not math.isnan(projected):
                word = "预计" if language == "zh" else "projected"
                note = f"{_fmt(observed)}{sep}{unit} ({word} {_fmt(projected)}) · {condition}"
            if not math.isnan(margin) and status not in ("met", "on_track", "done"):
                # A 0.2-point miss on a rate is a hair on the bar: say it in numbers.
                margin_unit = _unit_text(str(row.get("margin_unit") or target.unit), language)
                note += f" · {margin:+.4g}{'' if margin_unit in ('%', '') else ' '}{margin_unit}"
        if language == "en" and not _latin(note):
            note = _status_text(status, language)
        ax.text(limit + 0.02, y, note, va="center", fontsize=8, clip_on=False)
        name = _text(target.indicator.name, language, target.id)
        if target.aspirational:
            name = "力争 " + name if language == "zh" else name + " (asp.)"
        labels.append(name)
    ax.axvline(1.0, color="#333333", linewidth=1, zorder=3)
    ax.set_yticks(range(len(targets)), labels)
    ax.set_ylim(len(targets) - 0.5, -0.5)
    ax.set_xlim(0, limit)
    ax.xaxis.set_major_formatter("{x:.0%}")
    ax.set_xlabel(
        "完成度（判定值 / 目标值；越长越好）"
        if language == "zh"
        else "attainment (judged value / threshold; longer is better)"
    )
    title = _text(plan.title, language, plan.id, limit=60)
    ax.set_title(title + (" · 目标完成情况" if language == "zh" else " · progress"), loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    _legend(ax, statuses, language, below=created)
    _apply_font([ax], language)
    _describe(
        ax,
        f"{title}: attainment of {len(targets)} targets (judged value / threshold, "
        f"100% is the target, bars longer than the line are better than required); "
        + _status_counts(statuses)
        + (f"; observed 0: {', '.join(zeros)}" if zeros else "")
        + (f"; past the axis at {limit:.0%}: {', '.join(beyond)}" if beyond else ""),
    )
    return ax


def _goal_of(plan: Plan, item_id: str, depth: int) -> Goal | None:
    """The goal above an item at ``depth`` (1 = a top-level heading), or its nearest."""
    parents = plan.parents_of(item_id)
    return parents[min(depth, len(parents)) - 1] if parents else None


def _check_depth(depth: int) -> None:
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
        raise InvalidValueError("depth", "a goal depth of 1 or more", depth)


def _goal_text(goal: Goal | None, lang: Lang, limit: int = 16) -> str:
    if goal is None:
        return "—"
    if lang == "zh":
        head = f"{goal.section} " if goal.section else ""
        return head + _text(goal.title, lang, goal.id, limit=limit)
    return _text(goal.title, lang, goal.id, limit=limit)


def plot_scorecard(
    plan: Plan,
    assessments: pd.DataFrame | Iterable[Assessment],
    *,
    ax: Axes | None = None,
    lang: Lang | None = None,
    role: Literal["lead", "any"] = "lead",
    depth: int = 2,
) -> Axes:
    """A heatmap of owners × goals: the share of judged targets met or on track.

    Each cell counts the targets of a goal that an owner is responsible for
    (as lead, or in any role) and whose status is a judgement (met, on track,
    off track, not met); it is annotated ``k/n`` and coloured by k / n. A cell
    whose targets all lack a judgement (no data, needs baseline…) is grey and
    annotated ``–``; an owner with no target in a goal leaves the cell blank.
    Collective owners (各区镇) are shown as themselves, not expanded.

    Args:
        plan: the plan; gives owners, roles and goals.
        assessments: :func:`policytargets.evaluate` output or a list of
            Assessments. With several rows per target (regions), every row
            counts.
        ax: the Axes to draw on; a new figure when ``None``.
        lang: ``"zh"``, ``"en"`` or ``None`` (Chinese when a CJK font exists).
        role: count only the targets an owner answers for (``"lead"``: its
            leads, or every owner of an unranked list, as
            :meth:`~policytargets.Plan.accountable_for` says), or any role.
        depth: the level of the goals that make the columns: 1 for the
            top-level headings (二、), 2 for the ones below (二.(一)); a target
            less deep counts under its own goal.

    Returns:
        The Axes drawn on (a colour bar is added beside it).
    """
    require("matplotlib", "plot", "to draw plots")
    import numpy as np

    _check_depth(depth)
    if role not in ("lead", "any"):
        raise InvalidValueError("role", "'lead' or 'any'", role)
    language = _resolve_lang(lang)
    frame = _frame(assessments)
    targets = {t.id: t for t in plan.targets}
    cells: dict[tuple[str, str], list[str]] = {}
    goals: dict[str, Goal | None] = {}
    for target_id, status in zip(frame["target_id"], frame["status"], strict=True):
        if target_id not in targets:
            continue
        goal = _goal_of(plan, target_id, depth)
        key = "" if goal is None else goal.id
        goals.setdefault(key, goal)
        owners = (
            [r.owner for r in plan.responsibilities_of(target_id)]
            if role == "any"
            else plan.accountable_for(target_id)
        )
        for owner in owners:
            cells.setdefault((owner, key), []).append(str(status))
    owner_ids = [o.id for o in plan.owners if any(k[0] == o.id for k in cells)]
    goal_ids = [g.id for g in plan.goals_flat() if g.id in goals] + ([""] if "" in goals else [])
    if not owner_ids:
        raise InvalidValueError(
            "assessments", f"rows for targets of plan {plan.id!r} with owners", "none"
        )
    shares = np.full((len(owner_ids), len(goal_ids)), np.nan)
    ax, _ = _axes(ax, 3.5 + 0.75 * len(goal_ids), 2.0 + 0.38 * len(owner_ids))
    for i, owner in enumerate(owner_ids):
        for j, goal_id in enumerate(goal_ids):
            statuses = cells.get((owner, goal_id))
            if statuses is None:
                continue
            judged = [s for s in statuses if s in _JUDGED]
            good = sum(s in _GOOD for s in judged)
            if judged:
                shares[i, j] = good / len(judged)
                colour = "white" if shares[i, j] < 0.2 or shares[i, j] > 0.8 else "black"
                ax.text(j, i, f"{good}/{len(judged)}", ha="center", va="center",
                        fontsize=8, color=colour)  # fmt: skip
            else:
                ax.add_patch(_grey_cell(j, i))
                ax.text(j, i, "–", ha="center", va="center", fontsize=8)
    image = ax.imshow(np.ma.masked_invalid(shares), cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    owner_labels = [
        _text(plan.owner(o).name, language, f"owner {k + 1}", limit=14)
        for k, o in enumerate(owner_ids)
    ]
    ax.set_yticks(range(len(owner_ids)), owner_labels)
    ax.set_xticks(
        range(len(goal_ids)),
        [_goal_text(goals[g], language) for g in goal_ids],
        rotation=90,  # tilted labels overlap their neighbours once goals are many
        ha="center",
    )
    ax.set_xlim(-0.5, len(goal_ids) - 0.5)
    ax.set_ylim(len(owner_ids) - 0.5, -0.5)
    colour_bar = ax.get_figure().colorbar(image, ax=ax, fraction=0.05)  # type: ignore[union-attr]
    colour_bar.ax.yaxis.set_major_formatter("{x:.0%}")
    colour_bar.set_label(
        "达标或进度正常的比例" if language == "zh" else "share met or on track", fontsize=8
    )
    who = {"lead": ("牵头", "as lead"), "any": ("牵头或配合", "in any role")}[role]
    ax.set_title(
        f"责任单位计分卡（{who[0]}）" if language == "zh" else f"Owner scorecard ({who[1]})",
        loc="left",
    )
    _apply_font([ax, colour_bar.ax], language)
    judged_cells = int(np.isfinite(shares).sum())
    _describe(
        ax,
        f"Owner scorecard ({who[1]}): {len(owner_ids)} owners by {len(goal_ids)} goals; "
        f"{judged_cells} cells with judged targets, coloured by the share met or on track "
        f"(mean {np.nanmean(shares):.0%})"
        if judged_cells
        else f"Owner scorecard ({who[1]}): no judged targets",
    )
    return ax


def _grey_cell(x: float, y: float) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor="#d9d9d9", edgecolor="none")


def plot_status_summary(
    plan: Plan,
    assessments: pd.DataFrame | Iterable[Assessment],
    *,
    ax: Axes | None = None,
    lang: Lang | None = None,
    by: Literal["goal", "aspirational"] = "goal",
    depth: int = 2,
) -> Axes:
    """Stacked bars: how many targets (and milestones) have each status.

    Args:
        plan: the plan; gives the goals the rows are grouped by.
        assessments: :func:`policytargets.evaluate` output or a list of
            Assessments (milestones' ``pending`` / ``done`` count too).
        ax: the Axes to draw on; a new figure when ``None``.
        lang: ``"zh"``, ``"en"`` or ``None`` (Chinese when a CJK font exists).
        by: one bar per goal, or one for binding and one for aspirational
            (力争) targets.
        depth: with ``by="goal"``, the level of the goals that make the bars
            (1 for 二、, 2 for 二.(一)).

    Returns:
        The Axes drawn on.
    """
    require("matplotlib", "plot", "to draw plots")
    from matplotlib.ticker import MaxNLocator

    _check_depth(depth)
    if by not in ("goal", "aspirational"):
        raise InvalidValueError("by", "'goal' or 'aspirational'", by)
    language = _resolve_lang(lang)
    frame = _frame(assessments)
    items: dict[str, Target | Milestone] = {t.id: t for t in plan.targets}
    items.update((m.id, m) for m in plan.milestones)
    groups: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for target_id, status in zip(frame["target_id"], frame["status"], strict=True):
        item = items.get(target_id)
        if item is None:
            continue
        if by == "goal":
            goal = _goal_of(plan, target_id, depth)
            key = "" if goal is None else goal.id
            names.setdefault(key, _goal_text(goal, language, limit=24))
        else:
            key = "aspirational" if item.aspirational else "binding"
            names[key] = {
                ("binding", "zh"): "约束性",
                ("binding", "en"): "binding",
                ("aspirational", "zh"): "力争",
                ("aspirational", "en"): "aspirational",
            }[(key, language)]
        tally = groups.setdefault(key, {})
        tally[str(status)] = tally.get(str(status), 0) + 1
    if not groups:
        raise InvalidValueError("assessments", f"rows for items of plan {plan.id!r}", "none")
    if by == "goal":
        order = [g.id for g in plan.goals_flat() if g.id in groups] + ([""] if "" in groups else [])
    else:
        order = [k for k in ("binding", "aspirational") if k in groups]
    ax, _ = _axes(ax, 8.0, 1.2 + 0.4 * len(order))
    statuses = [s for s in STATUS_COLOURS if any(s in groups[k] for k in order)]
    left = [0] * len(order)
    for status in statuses:
        counts = [groups[k].get(status, 0) for k in order]
        ax.barh(range(len(order)), counts, left=left, height=0.7,
                color=STATUS_COLOURS[status][0], label=_status_text(status, language))  # fmt: skip
        for y, (start, count) in enumerate(zip(left, counts, strict=True)):
            if count:
                ax.text(start + count / 2, y, str(count), ha="center", va="center",
                        fontsize=8, color=STATUS_COLOURS[status][1])  # fmt: skip
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.set_yticks(range(len(order)), [names[k] for k in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("目标与任务数" if language == "zh" else "number of targets and milestones")
    ax.spines[["top", "right"]].set_visible(False)
    title = _text(plan.title, language, plan.id, limit=60)
    ax.set_title(title + (" · 状态汇总" if language == "zh" else " · status summary"), loc="left")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _apply_font([ax], language)
    rows = "; ".join(
        f"{names[k] if _latin(names[k]) else k or 'other'}: "
        + _status_counts(s for s, n in groups[k].items() for _ in range(n))
        for k in order
    )
    _describe(ax, f"{title}: statuses of targets and milestones by {by}; {rows}")
    return ax


def plot_regions(
    plan: Plan,
    assessments: pd.DataFrame,
    *,
    by: str = "region",
    ax: Axes | None = None,
    lang: Lang | None = None,
) -> Axes:
    """Targets × regions: one cell per (target, region), coloured by status.

    The facet view of regional results: :func:`policytargets.evaluate` gives
    one row per target and region when the observations have a ``region``
    column; this draws them side by side, each cell annotated with its margin
    (``–`` where there is none), so a region that misses stands out.

    Args:
        plan: the plan; gives names and the order of the rows.
        assessments: :func:`policytargets.evaluate` output with a ``by`` column.
        by: the column that names the regions (or any other breakdown).
        ax: the Axes to draw on; a new figure when ``None``.
        lang: ``"zh"``, ``"en"`` or ``None`` (Chinese when a CJK font exists).

    Returns:
        The Axes drawn on.

    Raises:
        InvalidValueError: no ``by`` column, or no row for a target of the plan.
    """
    require("matplotlib", "plot", "to draw plots")
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    language = _resolve_lang(lang)
    frame = _frame(assessments)
    if by not in frame.columns:
        raise InvalidValueError(
            "assessments", f"a frame with a {by!r} column (evaluate(..., by={by!r}))",
            list(frame.columns),
        )  # fmt: skip
    rows = frame[frame[by].notna()]
    present = {str(t) for t in rows["target_id"]}
    targets = [t for t in plan.targets if t.id in present]
    if not targets:
        raise InvalidValueError(
            "assessments", f"rows for targets of plan {plan.id!r} by {by}", "none"
        )
    regions = list(dict.fromkeys(str(r) for r in rows[by]))
    cells = {(str(r["target_id"]), str(r[by])): r for r in rows.to_dict("records")}
    ax, created = _axes(ax, 3.0 + 0.9 * len(regions), 1.4 + 0.34 * len(targets))
    statuses = []
    for i, target in enumerate(targets):
        for j, region in enumerate(regions):
            row = cells.get((target.id, region))
            if row is None:
                continue
            status = str(row["status"])
            statuses.append(status)
            background, colour = STATUS_COLOURS.get(status, ("#eeeeee", "#1b1b1b"))
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=to_rgba(background),
                                   edgecolor="white", linewidth=1.5))  # fmt: skip
            margin = _number(row.get("margin"))
            ax.text(j, i, "–" if math.isnan(margin) else f"{margin:+.3g}", ha="center",
                    va="center", fontsize=7, color=colour)  # fmt: skip
    ax.set_xlim(-0.5, len(regions) - 0.5)
    ax.set_ylim(len(targets) - 0.5, -0.5)
    region_labels = [
        r if language == "zh" or _latin(r) else f"{by} {k + 1}" for k, r in enumerate(regions)
    ]
    ax.set_xticks(range(len(regions)), region_labels, rotation=90)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(targets)), [_text(t.indicator.name, language, t.id) for t in targets])
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    title = _text(plan.title, language, plan.id, limit=60)
    ax.set_title(title + (" · 分地区" if language == "zh" else f" · by {by}"), loc="left", pad=12)
    _legend(ax, statuses, language, below=created)
    _apply_font([ax], language)
    misses = sorted(
        {
            str(r[by])
            for r in rows.to_dict("records")
            if str(r["status"]) in ("not_met", "off_track")
        }
    )
    _describe(
        ax,
        f"{title}: statuses of {len(targets)} targets in {len(regions)} {by} values "
        f"({', '.join(regions)}), each cell annotated with its margin; "
        + _status_counts(statuses)
        + (f"; misses in {', '.join(misses)}" if misses else ""),
    )
    return ax
