"""A report to hand over: one self-contained HTML page, or an Excel workbook.

:func:`report` judges a plan against observations (with :func:`evaluate`) and
milestone reports, and returns a :class:`Report`: the tables a reader needs
(summary, goals, owners, targets, milestones, provenance) and two writers,
:meth:`Report.to_html` (one page with inline SVG charts, no external file,
script or font) and :meth:`Report.to_excel` (one sheet per table).

Every text that comes from a plan or a data file is escaped in HTML, and text
cells that a spreadsheet would read as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) are neutralised with a leading
apostrophe, as OWASP advises against CSV/formula injection. Nothing here
needs an optional dependency except the workbook (``openpyxl``, the
``excel`` extra).
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from ._errors import InvalidValueError, ObservationError
from ._labels import Lang

if TYPE_CHECKING:
    import pandas as pd

    from ._model import Goal, Plan
    from ._scoring import Scorer

__all__ = ["FONT_FAMILY", "Report", "read_milestones", "report"]

#: The CSS font stack the HTML report asks for: the system's UI font, then the
#: common CJK fonts of each platform (Noto/Source Han on Linux and Android,
#: PingFang on Apple, Microsoft YaHei on Windows, WenQuanYi), then any sans-serif.
#: No web font is downloaded: the page stays self-contained.
FONT_FAMILY = (
    'system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC", '
    '"Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
    '"WenQuanYi Micro Hei", sans-serif'
)

#: Statuses in the order the summaries list them.
_ORDER = (
    "met",
    "on_track",
    "off_track",
    "not_met",
    "needs_baseline",
    "not_comparable",
    "no_data",
    "done",
    "pending",
)
#: Words a data file uses to say its figures are invented (English and Chinese).
_ILLUSTRATIVE_WORDS = ("illustrative", "示意", "虚构", "演示", "模拟数据")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_WORDS: dict[str, tuple[str, str]] = {
    "report": ("目标完成情况报告", "Progress report"),
    "illustrative": (
        "示意数据,非官方结果:本报告中的数据为演示而编造。",
        "ILLUSTRATIVE FIGURES, NOT OFFICIAL RESULTS: the data in this report were invented.",
    ),
    "document": ("文件", "Document"),
    "provenance": ("数据来源", "Provenance"),
    "summary": ("总体情况", "Summary"),
    "goals": ("各项目标进展", "Progress by goal"),
    "owners": ("责任单位记分卡", "Scorecard by responsible owner"),
    "targets": ("全部指标", "Every target"),
    "milestones": ("工作任务", "Milestones"),
    "binding": ("约束性", "binding"),
    "aspirational": ("力争", "aspirational"),
    "all": ("合计", "all"),
    "issuer": ("发文机关", "Issuer"),
    "number": ("文号", "Document number"),
    "issued": ("成文日期", "Issued"),
    "published": ("发布日期", "Published"),
    "period": ("期间", "Period"),
    "validity": ("效力", "Validity"),
    "url": ("原文", "Source"),
    "observations": ("观测数据", "Observations"),
    "milestone_file": ("任务完成情况", "Milestone reports"),
    "rows": ("行", "rows"),
    "sha256": ("SHA-256", "SHA-256"),
    "scoring": ("进度评分方法", "Scoring method"),
    "generated": ("生成时间", "Generated"),
    "software": ("软件", "Software"),
    "fonts": ("字体", "Fonts"),
    "section": ("条款", "Section"),
    "goal": ("目标", "Goal"),
    "target_id": ("编号", "Id"),
    "indicator": ("指标", "Indicator"),
    "condition": ("目标值", "Target"),
    "owner": ("责任单位", "Owner"),
    "owners_col": ("责任单位", "Owners"),
    "region": ("地区", "Region"),
    "observed": ("实际值", "Observed"),
    "threshold": ("目标值", "Threshold"),
    "margin": ("差距", "Margin"),
    "unit": ("单位", "Unit"),
    "margin_unit": ("差距单位", "Margin unit"),
    "status": ("状态", "Status"),
    "progress": ("进度类别", "Progress"),
    "score": ("进度得分", "Score"),
    "reason": ("说明", "Reason"),
    "source": ("原文摘录", "Source quotation"),
    "milestone": ("任务", "Milestone"),
    "count": ("数量", "Count"),
    "total": ("合计", "Total"),
    "status_chart": ("状态分布", "Statuses"),
    "goal_chart": ("各目标的指标状态", "Target statuses by goal"),
    "fonts_note": (
        "本页使用系统字体,中文需浏览器有中文字体(如 Noto Sans CJK、思源黑体、苹方、微软雅黑)。",
        "This page uses the system's fonts; Chinese text needs a CJK font in the browser "
        "(such as Noto Sans CJK, Source Han Sans, PingFang or Microsoft YaHei).",
    ),
}


def _w(key: str, lang: Lang) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


def _status_word(status: str, lang: Lang) -> str:
    from ._display import status_label

    return status_label(status, lang)


def _number(value: Any) -> str:
    """A number as people read it: at most four decimals, thousands separated."""
    if value is None:
        return ""
    number = float(value)
    if math.isnan(number):
        return ""
    text = f"{number:,.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _signed(value: Any) -> str:
    text = _number(value)
    if text and not text.startswith("-") and text != "0":
        text = "+" + text
    return text


def _with_unit(value: str, unit: str, lang: Lang) -> str:
    from ._unit_names import unit_label

    if not value:
        return ""
    label = unit_label(unit, lang) if unit else ""
    if not label and unit:  # 个, 张, 座 have no English word: keep the plan's unit
        label = unit
    if not label:
        return value
    if label in ("%", "‰") or (lang == "zh" and not label.isascii()):
        return value + label if label in ("%", "‰") else f"{value} {label}"
    return f"{value} {label}"


# --- reading ------------------------------------------------------------------------------


def _file_facts(path: str | os.PathLike[str]) -> tuple[str, str]:
    data = Path(path).read_bytes()
    return Path(path).name, hashlib.sha256(data).hexdigest()


def _done(text: str) -> bool | None:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "done", "是", "已完成", "完成"):
        return True
    if value in ("0", "false", "no", "not done", "否", "未完成"):
        return False
    if value == "":
        return None
    raise ValueError(value)


def read_milestones(
    path: str | os.PathLike[str], plan: Plan | None = None
) -> dict[str, bool | None]:
    """Milestone reports from a CSV file: done, not done or no report, by milestone id.

    The file has a ``milestone_id`` column and a ``done`` column (``1``/``0``,
    ``true``/``false``, ``yes``/``no``, ``是``/``否``; empty means no report
    yet); other columns (``period``, ``source``) are kept out of the verdict.
    Leading lines starting with ``#`` are notes and are skipped.

    Args:
        path: the CSV file.
        plan: when given, every id must name one of its milestones.

    Raises:
        FileNotFoundError: the file does not exist.
        ObservationError: missing columns, unreadable ``done`` values or
            unknown ids; every problem at once, each with its line number.
    """
    name = os.fspath(path)
    if not os.path.exists(name):
        raise FileNotFoundError(f"{name}: no such milestone file")
    with open(name, encoding="utf-8-sig", newline="") as handle:
        lines = handle.read().splitlines()
    skipped = 0
    while skipped < len(lines) and lines[skipped].lstrip().startswith("#"):
        skipped += 1
    reader = csv.DictReader(lines[skipped:])
    columns = [c.strip() for c in reader.fieldnames or ()]
    missing = [c for c in ("milestone_id", "done") if c not in columns]
    if missing:
        raise ObservationError(
            f"{name}: line {skipped + 1}: missing column(s) {', '.join(missing)}; expected a "
            "header with milestone_id and done (1 = done, 0 = not done, empty = no report)"
        )
    known = {m.id for m in plan.milestones} if plan is not None else None
    reports: dict[str, bool | None] = {}
    problems: list[str] = []
    for number, row in enumerate(reader, start=skipped + 2):
        row = {str(k).strip(): (v or "") for k, v in row.items()}
        milestone_id = row["milestone_id"].strip()
        try:
            done = _done(row["done"])
        except ValueError:
            problems.append(
                f"line {number}: done {row['done']!r} for {milestone_id!r}: "
                "expected 1 (done), 0 (not done) or empty (no report)"
            )
            continue
        if known is not None and milestone_id not in known:
            problems.append(f"line {number}: {milestone_id!r} is not a milestone of the plan")
            continue
        if milestone_id in reports and reports[milestone_id] != done:
            problems.append(f"line {number}: {milestone_id!r} reported twice, differently")
            continue
        reports[milestone_id] = done
    if problems:
        n = len(problems)
        raise ObservationError(f"{name}: {n} bad milestone report(s): " + "; ".join(problems))
    return reports


def _illustrative_file(path: str | os.PathLike[str]) -> bool:
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        notes = []
        for line in handle:
            if not line.lstrip().startswith("#"):
                break
            notes.append(line)
    return _says_illustrative(" ".join(notes))


def _says_illustrative(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _ILLUSTRATIVE_WORDS)


# --- the report ---------------------------------------------------------------------------


@frozen(kw_only=True, eq=False)
class Report:
    """A plan judged against observations, ready to be written as HTML or Excel.

    Made by :func:`report`. The tables are pandas DataFrames with plain
    (not localised) column names; the writers localise them.

    Attributes:
        plan: the plan reported on.
        lang: ``"zh"`` or ``"en"``, the language of the written report.
        assessments: :func:`evaluate`'s result for the plan's targets.
        milestones: one row per milestone: ``milestone_id``, ``section``,
            ``name``, ``owners``, ``status`` (``done`` or ``pending``) and
            ``reason``.
        illustrative: whether the figures are invented (the report then
            carries a banner saying so on every page and sheet).
        provenance: ``(label, value)`` pairs: the files read, their SHA-256,
            the scoring method, when the report was made and by what.
    """

    plan: Plan
    lang: Lang
    assessments: pd.DataFrame
    milestones: pd.DataFrame
    illustrative: bool
    provenance: tuple[tuple[str, str], ...] = field(default=())

    # -- tables --------------------------------------------------------------------------

    def targets_table(self) -> pd.DataFrame:
        """Every target with its indicator, condition, owners, result and source quotation."""
        import pandas as pd

        plan, lang = self.plan, self.lang
        frame = self.assessments
        region = "region" in frame.columns
        progress_column = _progress_column(frame)
        rows = []
        for record in frame.to_dict("records"):
            target = plan.target(str(record["target_id"]))
            unit = target.unit
            condition = target.condition.describe(unit, lang, target.indicator.direction)
            if target.aspirational:
                condition = ("力争" + condition) if lang == "zh" else condition + " (aspirational)"
            observed = _number(record.get("observed"))
            projected = _number(record.get("projected"))
            row = {
                "section": plan.section_of(target.id),
                "target_id": target.id,
                "indicator": target.indicator.name.text(lang),
                "condition": condition,
                "period": str(record.get("period", target.period)),
                "owners": _owner_names(plan, target.id, lang),
                "observed": _float(record.get("observed")),
                "projected": _float(record.get("projected")),
                "unit": unit,
                "observed_text": _with_unit(observed, unit, lang)
                + (f" → {_with_unit(projected, unit, lang)}" if projected else ""),
                "margin": _float(record.get("margin")),
                "margin_unit": str(record.get("margin_unit") or ""),
                "margin_text": _with_unit(
                    _signed(record.get("margin")), str(record.get("margin_unit") or ""), lang
                ),
                "status": str(record["status"]),
                "progress": _progress_text(record, progress_column),
                "score": _float(record.get("score")),
                "aspirational": bool(target.aspirational),
                "reason": str(record.get("reason") or ""),
                "source": "" if target.source is None else " ".join(target.source.text.split()),
            }
            if region:
                row["region"] = "" if _missing(record.get("region")) else str(record["region"])
            rows.append(row)
        columns = list(_TARGET_COLUMNS)
        if region:
            columns.insert(columns.index("period") + 1, "region")
        return pd.DataFrame(rows, columns=columns)

    def summary_table(self) -> pd.DataFrame:
        """Counts of statuses: binding targets, aspirational targets, all, and milestones."""
        import pandas as pd

        targets = self.assessments
        binding = Counter(
            str(s) for s, a in zip(targets["status"], targets["aspirational"], strict=True) if not a
        )
        aspirational = Counter(
            str(s) for s, a in zip(targets["status"], targets["aspirational"], strict=True) if a
        )
        milestones = Counter(str(s) for s in self.milestones["status"])
        statuses = [s for s in _ORDER if binding[s] or aspirational[s] or milestones[s]]
        return pd.DataFrame(
            {
                "status": statuses,
                "binding": [binding[s] for s in statuses],
                "aspirational": [aspirational[s] for s in statuses],
                "milestones": [milestones[s] for s in statuses],
            }
        )

    def goals_table(self) -> pd.DataFrame:
        """Statuses of targets and milestones per goal (the headings two levels down)."""
        import pandas as pd

        plan = self.plan
        counts: dict[str, Counter[str]] = {}
        goals: dict[str, Goal | None] = {}
        for item_id, status in self._statuses():
            goal = _goal_of(plan, item_id)
            key = "" if goal is None else goal.id
            goals.setdefault(key, goal)
            counts.setdefault(key, Counter())[status] += 1
        order = {g.id: i for i, g in enumerate(plan.goals_flat())}
        rows = []
        for key, goal in sorted(goals.items(), key=lambda kv: order.get(kv[0], -1)):
            row: dict[str, Any] = {
                "goal_id": key,
                "section": "" if goal is None else goal.section,
                "goal": "" if goal is None else goal.title.text(self.lang),
            }
            row.update({s: counts[key][s] for s in _ORDER})
            row["total"] = counts[key].total()
            rows.append(row)
        frame = pd.DataFrame(rows, columns=["goal_id", "section", "goal", *_ORDER, "total"])
        return _drop_empty_statuses(frame)

    def _statuses(self) -> list[tuple[str, str]]:
        """(item id, status) of every target and milestone, as the tables count them."""
        return [
            (str(t), str(s))
            for t, s in zip(self.assessments["target_id"], self.assessments["status"], strict=True)
        ] + [
            (str(m), str(s))
            for m, s in zip(self.milestones["milestone_id"], self.milestones["status"], strict=True)
        ]

    def owners_table(self) -> pd.DataFrame:
        """A scorecard: statuses of the items each owner answers for (``Plan.accountable_for``)."""
        import pandas as pd

        plan = self.plan
        counts: dict[str, Counter[str]] = {}
        for item_id, status in self._statuses():
            leads = _leads(plan, item_id)
            for owner in leads:
                counts.setdefault(owner, Counter())[status] += 1
        rows = []
        for owner_id, card in sorted(counts.items(), key=lambda kv: (-kv[1].total(), kv[0])):
            row: dict[str, Any] = {
                "owner_id": owner_id,
                "owner": plan.owner(owner_id).name.text(self.lang),
            }
            row.update({s: card[s] for s in _ORDER})
            row["total"] = card.total()
            rows.append(row)
        frame = pd.DataFrame(rows, columns=["owner_id", "owner", *_ORDER, "total"])
        return _drop_empty_statuses(frame)

    def metadata_table(self) -> pd.DataFrame:
        """The plan's metadata and the report's provenance, as (field, value) rows."""
        import pandas as pd

        return pd.DataFrame(
            [(label, value) for label, value in self._metadata() if value],
            columns=["field", "value"],
        )

    def _metadata(self) -> list[tuple[str, str]]:
        plan, lang = self.plan, self.lang
        issuer = "" if plan.issuer is None else plan.issuer.text(lang)
        pairs = [
            (_w("issuer", lang), issuer),
            (_w("number", lang), plan.document_number or ""),
            (_w("issued", lang), "" if plan.issued is None else plan.issued.isoformat()),
            (_w("published", lang), "" if plan.published is None else plan.published.isoformat()),
            (_w("period", lang), str(plan.period)),
            (_w("validity", lang), plan.validity.value),
            (_w("url", lang), plan.url or ""),
        ]
        return pairs + [(_w(k, lang), v) for k, v in self.provenance]

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the report by name, in the order the report shows them."""
        return {
            "document": self.metadata_table(),
            "summary": self.summary_table(),
            "goals": self.goals_table(),
            "owners": self.owners_table(),
            "targets": self.targets_table(),
            "milestones": self.milestones,
        }

    # -- writers -------------------------------------------------------------------------

    def to_html(self) -> str:
        """The report as one self-contained HTML page (inline CSS and SVG; no script)."""
        from ._report_html import render_html

        return render_html(self)

    def to_excel(self, path: str | os.PathLike[str]) -> None:
        """Write the report as an Excel workbook: one sheet per table, statuses coloured.

        Needs ``openpyxl`` (``pip install "policytargets[excel]"``).
        """
        from ._report_xlsx import write_xlsx

        write_xlsx(self, path)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the report to ``path``: ``.html``/``.htm`` or ``.xlsx``, by suffix.

        Raises:
            InvalidValueError: another suffix.
        """
        target = Path(path)
        suffix = target.suffix.lower()
        if suffix in (".html", ".htm"):
            target.write_text(self.to_html(), encoding="utf-8")
        elif suffix == ".xlsx":
            self.to_excel(target)
        else:
            raise InvalidValueError("report output", "a .html or .xlsx file", os.fspath(path))
        return target

    def _repr_html_(self) -> str:
        from ._report_html import render_cell

        return render_cell(self)

    def __repr__(self) -> str:
        statuses = Counter(str(s) for s in self.assessments["status"])
        shown = ", ".join(f"{n} {s}" for s, n in statuses.most_common())
        flag = " illustrative" if self.illustrative else ""
        return f"<Report {self.plan.id!r} {self.lang}{flag}: {shown}>"


_TARGET_COLUMNS = (
    "section",
    "target_id",
    "indicator",
    "condition",
    "period",
    "owners",
    "observed",
    "projected",
    "unit",
    "observed_text",
    "margin",
    "margin_unit",
    "margin_text",
    "status",
    "progress",
    "score",
    "aspirational",
    "reason",
    "source",
)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _float(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _progress_column(frame: pd.DataFrame) -> str | None:
    # The trajectory / growth-ratio category, when evaluate's result carries one.
    for name in ("progress", "progress_category", "category"):
        if name in frame.columns:
            return name
    return None


def _progress_text(record: Mapping[Any, Any], column: str | None) -> str:
    if column is None or _missing(record.get(column)):
        return ""
    return str(record[column]).replace("_", " ")


def _owner_names(plan: Plan, item_id: str, lang: Lang) -> str:
    responsibilities = sorted(plan.responsibilities_of(item_id), key=lambda r: r.role != "lead")
    names = [plan.owner(r.owner).name.text(lang) for r in responsibilities]
    return ("、" if lang == "zh" else ", ").join(names)


def _leads(plan: Plan, item_id: str) -> list[str]:
    # Its leads, or every owner of an unranked list (never the first named by position).
    return list(plan.accountable_for(item_id))


def _goal_of(plan: Plan, item_id: str, depth: int = 2) -> Goal | None:
    parents = plan.parents_of(item_id)
    return parents[min(depth, len(parents)) - 1] if parents else None


def _drop_empty_statuses(frame: pd.DataFrame) -> pd.DataFrame:
    empty = [s for s in _ORDER if s in frame.columns and not frame[s].any()]
    return frame.drop(columns=empty)


def neutralise_formula(text: str) -> str:
    """Text safe in a spreadsheet cell: a leading ``= + - @``, tab or CR gets an apostrophe."""
    return "'" + text if text.startswith(_FORMULA_START) else text


# --- building a report -------------------------------------------------------------------


def _milestones_frame(plan: Plan, reports: Mapping[str, bool | None], lang: Lang) -> pd.DataFrame:
    import pandas as pd

    from ._assessment import assess

    rows = []
    for milestone in plan.milestones:
        result = assess(milestone, reports.get(milestone.id))
        rows.append(
            {
                "section": plan.section_of(milestone.id),
                "milestone_id": milestone.id,
                "name": milestone.name.text(lang),
                "period": str(milestone.period),
                "owners": _owner_names(plan, milestone.id, lang),
                "status": result.status.value,
                "aspirational": milestone.aspirational,
                "reason": result.reason,
                "source": ""
                if milestone.source is None
                else " ".join(milestone.source.text.split()),
            }
        )
    columns = [
        "section",
        "milestone_id",
        "name",
        "period",
        "owners",
        "status",
        "aspirational",
        "reason",
        "source",
    ]
    return pd.DataFrame(rows, columns=columns)


def _as_plan(plan: Any) -> Plan:
    from ._model import Plan

    if isinstance(plan, Plan):
        return plan
    if isinstance(plan, str | os.PathLike):
        from ._cli import resolve_plan

        return resolve_plan(os.fspath(plan))
    raise InvalidValueError("report(plan)", "a Plan, a plan file or a built-in plan name", plan)


def report(
    plan: Plan | str | os.PathLike[str],
    observations: Any,
    *,
    milestones: Mapping[str, bool | None] | str | os.PathLike[str] | None = None,
    lang: Lang = "zh",
    scoring: str | Scorer = "linear",
    illustrative: bool | None = None,
    out: str | os.PathLike[str] | None = None,
) -> Report:
    """Judge a plan against observations and milestone reports, as a report to hand over.

    Args:
        plan: a :class:`Plan`, a plan file, or a built-in plan name (``"taicang2022"``).
        observations: an observation file (CSV or xlsx, read with
            :func:`read_observations`) or a table :func:`evaluate` accepts.
        milestones: milestone reports: a CSV file (see :func:`read_milestones`)
            or a mapping of milestone id to ``True`` (done), ``False`` (not done)
            or ``None`` (no report). Milestones not mentioned are pending.
        lang: ``"zh"`` or ``"en"``: the language of labels, names and units.
        scoring: the progress scoring method, as for :func:`evaluate`.
        illustrative: whether the figures are invented. ``None`` (the
            default) looks at the data: a ``source`` column, or the leading
            ``#`` notes of a CSV file, that says "illustrative" (示意, 虚构,
            演示) marks the report illustrative.
        out: also write the report there (``.html`` or ``.xlsx``).

    Returns:
        The :class:`Report`; ``report.to_html()`` is the page, and
        ``report.write("report.xlsx")`` the workbook.

    Raises:
        ObservationError: bad observations or milestone reports (every
            problem at once).
        PlanFileError: a plan file that cannot be read.
        InvalidValueError: an unknown language or output suffix.
    """
    from . import __version__
    from ._evaluation import evaluate
    from ._observations import read_observations

    if lang not in ("zh", "en"):
        raise InvalidValueError("report(lang)", "'zh' or 'en'", lang)
    the_plan = _as_plan(plan)
    provenance: list[tuple[str, str]] = []
    says_illustrative = False
    if isinstance(observations, str | os.PathLike):
        name, digest = _file_facts(observations)
        frame = read_observations(observations)
        says_illustrative = _illustrative_file(observations)
        provenance.append(("observations", f"{name} ({len(frame)} rows, SHA-256 {digest[:16]}…)"))
    else:
        frame = _as_frame(observations)
        provenance.append(("observations", f"a table of {len(frame)} rows"))
    if "source" in frame.columns:
        sources = {str(s) for s in frame["source"].dropna().unique()}
        says_illustrative = says_illustrative or any(_says_illustrative(s) for s in sources)
    reports: Mapping[str, bool | None]
    if milestones is None:
        reports = {}
    elif isinstance(milestones, str | os.PathLike):
        reports = read_milestones(milestones, the_plan)
        name, digest = _file_facts(milestones)
        provenance.append(("milestone_file", f"{name} (SHA-256 {digest[:16]}…)"))
        says_illustrative = says_illustrative or _illustrative_file(milestones)
    else:
        reports = dict(milestones)
        unknown = sorted(set(reports) - {m.id for m in the_plan.milestones})
        if unknown:
            from ._errors import UnknownIdError

            raise UnknownIdError(
                "report(milestones)", unknown[0], tuple(m.id for m in the_plan.milestones)
            )
    assessments = evaluate(the_plan, frame, scoring=scoring)
    # Plan order (evaluate lists targets with no data last), regions in their order.
    order = {t.id: i for i, t in enumerate(the_plan.targets)}
    position = assessments["target_id"].astype(str).map(order)
    assessments = assessments.iloc[position.argsort(kind="stable")].reset_index(drop=True)
    scoring_name = scoring if isinstance(scoring, str) else getattr(scoring, "__name__", "custom")
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    provenance += [
        ("scoring", str(scoring_name)),
        ("generated", generated),
        ("software", f"policytargets {__version__}"),
    ]
    result = Report(
        plan=the_plan,
        lang=lang,
        assessments=assessments,
        milestones=_milestones_frame(the_plan, reports, lang),
        illustrative=says_illustrative if illustrative is None else bool(illustrative),
        provenance=tuple(provenance),
    )
    if out is not None:
        result.write(out)
    return result


def _as_frame(observations: Any) -> pd.DataFrame:
    import pandas as pd

    if isinstance(observations, pd.DataFrame):
        return observations
    if isinstance(observations, Mapping) or (
        isinstance(observations, list | tuple)
        and all(isinstance(row, Mapping) for row in observations)
    ):
        return pd.DataFrame(observations)
    raise InvalidValueError(
        "report(observations)",
        "an observation file, a DataFrame, a list of dicts or a dict of lists",
        type(observations).__name__,
    )
