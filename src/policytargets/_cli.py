"""The ``policytargets`` command: show, evaluate, report on, validate and export plans.

PLAN is a plan file (``.json``, ``.yaml``, ``.yml``) or the name of a plan
that ships with the library (``taicang2022`` is ``policytargets.taicang2022.plan``).
Bad input exits with status 1 and one line on stderr naming the problem;
usage errors exit with status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import pkgutil
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ._errors import ObservationError, PlanFileError, PolicyTargetsError
from ._text import Records, table_rows, text_table

if TYPE_CHECKING:
    import pandas as pd

    from ._labels import Lang
    from ._model import Plan

__all__ = ["main"]

PROG = "policytargets"
_PLAN_SUFFIXES = (".json", ".yaml", ".yml")
_OBSERVATION_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".parquet")
#: How many failures an evaluate error prints (validate prints them all).
_FAILURES_SHOWN = 20
#: Columns the ``table`` format of ``evaluate`` shows (the other formats show all).
_TABLE_COLUMNS = (
    "target_id",
    "indicator",
    "period",
    "status",
    "observed",
    "threshold",
    "margin",
    "margin_unit",
    "coverage",
    "score",
)
#: ``evaluate``'s output format implied by the suffix of ``--out``.
_FORMAT_OF_SUFFIX = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".json": "json",
    ".md": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "table",
}
#: ``export``'s format implied by the suffix of ``--out``.
_PLAN_FORMAT_OF_SUFFIX = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".csv": "csv"}
#: Suffixes of Excel workbooks (``evaluate`` points to ``report`` for one).
_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: Status colours of the HTML page (background, text).
_STATUS_COLOURS = {
    "met": ("#d9f2d9", "#14532d"),
    "on_track": ("#e3f0fb", "#1e3a5f"),
    "not_met": ("#fbdada", "#7f1d1d"),
    "off_track": ("#fde9d0", "#7c2d12"),
    "no_data": ("#eeeeee", "#374151"),
    "not_comparable": ("#f3e8ff", "#581c87"),
    "needs_baseline": ("#fef9c3", "#713f12"),
}


class _UsageError(Exception):
    """Arguments that parse but do not make sense together (exit status 2)."""


# --- plans ----------------------------------------------------------------------------------


def builtin_plans() -> list[str]:
    """Names of the plans that ship with the library (its public subpackages)."""
    import policytargets

    return sorted(
        m.name
        for m in pkgutil.iter_modules(policytargets.__path__)
        if m.ispkg and not m.name.startswith("_")
    )


def resolve_plan(spec: str) -> Plan:
    """A plan from a file path or a built-in plan name.

    Raises:
        PlanFileError: the file is bad or missing, or no built-in plan has the name.
    """
    from ._model import Plan
    from ._serialization import load_plan

    path = Path(spec)
    if path.suffix.lower() in _PLAN_SUFFIXES or path.exists():
        return load_plan(path)
    known = builtin_plans()
    if spec.isidentifier() and spec in known:
        plan = getattr(importlib.import_module(f"policytargets.{spec}"), "plan", None)
        if isinstance(plan, Plan):
            return plan
    names = ", ".join(known) or "none"
    raise PlanFileError(
        spec,
        (("", f"not a plan file (.json, .yaml, .yml) nor a built-in plan ({names})"),),
    )


# --- text tables ----------------------------------------------------------------------------


def markdown_table(frame: pd.DataFrame) -> str:
    """A frame as a GitHub-flavoured Markdown pipe table (no ``tabulate`` needed).

    Cell text is escaped: Markdown renders raw HTML, so a plan's text such as
    ``<img onerror=...>`` is written as ``&lt;img onerror=...&gt;``.
    """
    import html

    columns, rows, numeric = table_rows(frame)

    def escape(text: str) -> str:
        text = html.escape(text, quote=False)
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(escape(c) for c in columns) + " |"]
    lines.append("|" + "|".join("---:" if n else ":---" for n in numeric) + "|")
    lines.extend("| " + " | ".join(escape(v) for v in row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


# --- commands -------------------------------------------------------------------------------


@contextlib.contextmanager
def _output(out: str | None) -> Iterator[TextIO]:
    if out is None:
        yield sys.stdout
        return
    with open(out, "w", encoding="utf-8", newline="") as handle:
        yield handle


def _targets_table(plan: Plan, lang: str) -> Records:
    # Rows, not a DataFrame: show imports no pandas (about 0.3 s of start-up).
    language: Lang = "en" if lang == "en" else "zh"
    rows = []
    for target in plan.targets:
        responsibilities = plan.responsibilities_of(target.id)
        ordered = sorted(responsibilities, key=lambda r: r.role.value != "lead")
        joiner = "、" if language == "zh" else ", "
        owners = joiner.join(plan.owner(r.owner).name.text(language) for r in ordered)
        condition = target.condition.describe(target.unit, language, target.indicator.direction)
        rows.append(
            [
                target.id,
                plan.section_of(target.id),
                target.indicator.name.text(language),
                condition + (" (aspirational)" if target.aspirational else ""),
                str(target.period),
                owners,
            ]
        )
    return ["id", "section", "indicator", "condition", "period", "owners"], rows


def _cmd_show(args: argparse.Namespace) -> int:
    plan = resolve_plan(args.plan)
    n_targets = sum(1 for _ in plan.targets)
    n_milestones = sum(1 for _ in plan.milestones)
    language: Lang = "en" if args.lang == "en" else "zh"
    title = plan.title.text(language)
    header = f"{plan.id}: {title}"
    if plan.document_number:
        header += f" ({plan.document_number})"
    sys.stdout.write(
        f"{header}\n{n_targets} targets, {n_milestones} milestones, {len(plan.owners)} owners\n\n"
    )
    width = args.width if args.width is not None else shutil.get_terminal_size((100, 24)).columns
    sys.stdout.write(text_table(_targets_table(plan, args.lang), width=width or None))
    return 0


def _html_page(frame: pd.DataFrame, title: str) -> str:
    """A whole HTML page (charset, status colours), every text escaped."""
    import html

    columns, rows, numeric = table_rows(frame)
    status = columns.index("status") if "status" in columns else -1
    style = "".join(
        f"td.s-{name}{{background:{bg};color:{fg}}}" for name, (bg, fg) in _STATUS_COLOURS.items()
    )
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            classes = ["num"] if numeric[i] else []
            if i == status and value in _STATUS_COLOURS:
                classes.append(f"s-{value}")
            attribute = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{attribute}>{html.escape(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        "<!DOCTYPE html>\n"
        '<html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:1.5em}"
        "table{border-collapse:collapse;font-size:14px}"
        "th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}"
        "th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}"
        f"{style}</style></head><body>\n<h1>{html.escape(title)}</h1>\n"
        "<p>For a report to hand over (summary, charts, owners, sources), run "
        "<code>policytargets report</code>.</p>\n"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n"
        + "\n".join(body)
        + "\n</tbody></table>\n</body></html>\n"
    )


def _shown(frame: pd.DataFrame, plan: Plan, lang: str, score: bool) -> pd.DataFrame:
    """The columns the text formats show: the indicator's name beside each target."""
    import pandas as pd

    from ._evaluation import RESULT_COLUMNS

    language: Lang = "en" if lang == "en" else "zh"
    names = {t.id: t.indicator.name.text(language) for t in plan.targets}
    frame = frame.copy()
    ids = frame["target_id"].astype(object)
    frame.insert(1, "indicator", pd.Series(ids.map(names), index=frame.index, dtype=object))
    wanted = [c for c in _TABLE_COLUMNS if score or c != "score"]
    # The by columns (region, ...) are not result columns and are always shown.
    known = (*RESULT_COLUMNS, "indicator")
    return frame[[c for c in frame.columns if c in wanted or c not in known]]


def _render(frame: pd.DataFrame, fmt: str, title: str) -> str:
    if fmt == "html":
        return _html_page(frame, title)
    if fmt == "markdown":
        return markdown_table(frame)
    # A terminal gets a table that fits it; a pipe or a file gets every character.
    width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else None
    return text_table(frame, width=width)


def _evaluate_format(args: argparse.Namespace) -> str:
    if args.format is not None:
        fmt: str = args.format
    else:
        excel = args.out is not None and Path(args.out).suffix.lower() in _EXCEL_SUFFIXES
        remedy = "give --format" + (
            "; an Excel workbook of the results is "
            "`policytargets report PLAN OBSERVATIONS --out FILE.xlsx`"
            if excel
            else ""
        )
        fmt = _format_of_out(args.out, _FORMAT_OF_SUFFIX, "table", remedy)
    if fmt == "parquet" and args.out is None:
        raise _UsageError("--format parquet writes a file: add --out FILE.parquet")
    if args.bom and fmt != "csv":
        raise _UsageError("--bom applies to CSV output only")
    return fmt


def _format_of_out(out: str | None, formats: dict[str, str], default: str, remedy: str) -> str:
    """The format that the suffix of ``--out`` names; ``default`` for stdout or no suffix.

    Any other suffix is a usage error ending in ``remedy``, not ``default``:
    ``evaluate --out result.xlsx`` wrote a text table that Excel could not open,
    and ``export --out plan.json`` wrote YAML that ``load_plan`` refused, both
    with status 0.
    """
    suffix = Path(out).suffix.lower() if out is not None else ""
    if not suffix:
        return default
    fmt = formats.get(suffix)
    if fmt is None:
        known = ", ".join(sorted(formats))
        raise _UsageError(
            f"--out {out}: no output format is known for {suffix!r} (known: {known}); {remedy}"
        )
    return fmt


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from ._observations import read_observations

    fmt = _evaluate_format(args)
    jemalloc = _arrow_memory_pool()
    # The file is read (mostly by pyarrow, which releases the GIL) while evaluate's own
    # modules are imported and the plan loads; a bad plan is still the error reported
    # first. Text as categories: less memory, and evaluate uses their codes.
    options = {"sheet": args.sheet, "encoding": args.encoding, "categories": True}
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(read_observations, args.observations, **options)
        from ._evaluation import evaluate
        from ._evaluation.writing import write_results

        if not reading.done():
            # pandas (a quarter of a second) is imported here while pyarrow parses the
            # file without the GIL, instead of by the reader after the parse; and before
            # the plan loads, which needs no pandas, so that the reader, which needs it
            # to make its frame, need not wait for it.
            import pandas  # noqa: F401
        plan = resolve_plan(args.plan)
        try:
            observations = reading.result()
        except ObservationError:
            if not plan.units:
                raise
            observations = None  # perhaps units of the plan's own: read them with it
        del reading
    if observations is None:
        from ._units import unit_scope

        with unit_scope(plan.units):
            observations = read_observations(args.observations, **options)
    progress = not args.quiet and (args.progress or sys.stderr.isatty())
    result = evaluate(
        plan,
        observations,
        by=args.by or None,
        scoring=args.scoring or "linear",
        progress=progress,
    )
    del observations
    if jemalloc:
        # Writing makes and frees the same few chunks' buffers over and over: returning
        # their pages to the system after 0.1 s only to fault them in again cost up to
        # 1 s of system time on 3 M rows. Nothing large is freed any more.
        import pyarrow as pa

        pa.jemalloc_set_decay_ms(-1)
    if fmt in ("csv", "parquet", "json"):
        if args.out is None:
            sys.stdout.flush()
            sink: Any = getattr(sys.stdout, "buffer", None)
            if sink is None:  # a text-only stream (tests, IDE consoles)
                import io

                buffer = io.BytesIO()
                write_results(result, buffer, format=fmt, bom=args.bom)
                sys.stdout.write(buffer.getvalue().decode("utf-8"))
            else:
                write_results(result, sink, format=fmt, bom=args.bom)
                sink.flush()
        else:
            write_results(result, args.out, format=fmt, bom=args.bom)
    else:
        language: Lang = "en" if args.lang == "en" else "zh"
        title = f"{plan.id}: {plan.title.text(language)}"
        shown = _shown(result, plan, args.lang, score=args.scoring is not None)
        with _output(args.out) as out:
            out.write(_render(shown, fmt, title))
    if args.out is not None and not args.quiet:
        counts = result["status"].value_counts()
        summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        sys.stderr.write(f"{args.out}: {len(result)} rows ({summary})\n")
    return 0


def _arrow_memory_pool() -> bool:
    """jemalloc (else the system's allocator) for pyarrow in this process, unless one is set.

    Returns whether jemalloc was set here.

    pyarrow's default, mimalloc, keeps what pyarrow frees to itself, so the
    arrays of evaluating and writing fault in fresh pages: on 3 M rows the
    command spent about 1 s of system time against about 0.65 s with jemalloc.
    ``ARROW_DEFAULT_MEMORY_POOL`` still decides when it is set.
    """
    import os

    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return False
    import pyarrow as pa

    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # a build without jemalloc (Windows wheels)
        pa.set_memory_pool(pa.system_memory_pool())
        return False
    # Freed pages go back after 0.1 s, not pyarrow's 1 s: the reader's buffers are gone
    # before evaluate's arrays are made (peak ~730 -> ~530 MB on 3 M rows, the same time).
    pa.jemalloc_set_decay_ms(100)
    pa.set_memory_pool(pool)
    return True


def _cmd_report(args: argparse.Namespace) -> int:
    from ._report import report

    suffix = Path(args.out).suffix.lower()
    if suffix not in (".html", ".htm", ".xlsx"):
        raise _UsageError(f"--out {args.out}: expected a .html or .xlsx file")
    plan = resolve_plan(args.plan)
    result = report(
        plan,
        args.observations,
        milestones=args.milestones,
        lang=args.lang,
        scoring=args.scoring,
    )
    result.write(args.out)
    summary = result.summary_table().set_index("status")
    totals = summary.sum(axis=1)
    counts = ", ".join(f"{int(n)} {status}" for status, n in totals.items())
    sys.stderr.write(f"{args.out}: report on {plan.id} written ({counts})\n")
    return 0


def _is_observation_file(spec: str) -> bool:
    return Path(spec).suffix.lower() in _OBSERVATION_SUFFIXES


def _cmd_validate(args: argparse.Namespace) -> int:
    if args.plan is not None:
        from ._evaluation.prepare import validate_observations
        from ._observations import read_observations

        if not _is_observation_file(args.file):
            raise _UsageError(
                f"{args.file}: with --plan, expected an observation file "
                f"({', '.join(_OBSERVATION_SUFFIXES)})"
            )
        from ._units import unit_scope

        plan = resolve_plan(args.plan)
        with unit_scope(plan.units):  # the file may use the plan's own units
            frame = read_observations(args.file, sheet=args.sheet, encoding=args.encoding)
        validate_observations(plan, frame)
        sys.stdout.write(f"{args.file}: {len(frame)} observations valid for plan {plan.id}\n")
        return 0
    if _is_observation_file(args.file):
        raise _UsageError(f"{args.file}: an observation file is checked against a plan: add --plan")
    plan = resolve_plan(args.file)
    n_targets = sum(1 for _ in plan.targets)
    n_milestones = sum(1 for _ in plan.milestones)
    n_goals = sum(1 for _ in plan.goals_flat())
    sys.stdout.write(
        f"{args.file}: valid plan {plan.id} ({n_goals} goals, {n_targets} targets, "
        f"{n_milestones} milestones, {len(plan.owners)} owners)\n"
    )
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from ._serialization import dumps_plan

    fmt = args.format or _format_of_out(args.out, _PLAN_FORMAT_OF_SUFFIX, "yaml", "give --format")
    plan = resolve_plan(args.plan)
    if fmt == "csv":
        frame = plan.targets_frame()
        frame["owners"] = frame["owners"].map("、".join)
        text = frame.to_csv(index=False, lineterminator="\n")
    else:
        text = dumps_plan(plan, fmt)
    with _output(args.out) as out:
        out.write(text)
    return 0


def _read_document(name: str) -> str:
    """A document's text from a file (or ``-`` for stdin): UTF-8, else GB18030; never binary."""
    from ._errors import InvalidValueError

    data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    where = "stdin" if name == "-" else name
    if b"\x00" in data[:8192]:
        raise InvalidValueError(
            f"extract {where}", "a text document, not a binary file", "NUL bytes"
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidValueError(f"extract {where}", "text in UTF-8 or GB18030", "undecodable bytes")


def _cmd_extract(args: argparse.Namespace) -> int:
    import json

    from ._extract import extract_plan
    from ._serialization import dumps_plan

    drafts = {k: v for k, v in _PLAN_FORMAT_OF_SUFFIX.items() if v != "csv"}
    fmt = _format_of_out(args.out, drafts, "yaml", "write the draft to a .yaml, .yml or .json file")
    text = _read_document(args.document)
    plan_id = args.id or (Path(args.document).stem if args.document != "-" else "draft")
    plan, report = extract_plan(text, id=plan_id, period=args.period)
    with _output(args.out) as out:
        out.write(dumps_plan(plan, fmt))
    if args.report:
        Path(args.report).write_text(
            json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    sys.stderr.write(report.summary() + "\n")
    return 0


# --- parser and main ------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Show, evaluate, validate and export policy-target plans.",
        epilog="PLAN is a .json/.yaml plan file or a built-in plan name such as taicang2022.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    show = sub.add_parser("show", help="a readable table of a plan's targets")
    show.add_argument("plan", metavar="PLAN")
    show.add_argument("--lang", choices=("zh", "en"), default="zh", help="language (default zh)")
    show.add_argument(
        "--width",
        type=int,
        metavar="N",
        help="fit the table in N columns, wrapping long cells (default: the terminal's "
        "width, or 100 when not a terminal; 0: no limit)",
    )
    show.set_defaults(func=_cmd_show)

    evaluate = sub.add_parser("evaluate", help="assess a plan's targets against observations")
    evaluate.add_argument("plan", metavar="PLAN")
    evaluate.add_argument(
        "observations", metavar="OBSERVATIONS", help="a .csv, .tsv, .xlsx, .xls or .parquet file"
    )
    _observation_options(evaluate)
    evaluate.add_argument(
        "--format",
        choices=("table", "csv", "json", "markdown", "html", "parquet"),
        help=(
            "output format (default: from the suffix of --out: .csv, .parquet, .json, .md, "
            ".html or .txt (table); a file without a suffix, or stdout: table)"
        ),
    )
    evaluate.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    evaluate.add_argument(
        "--bom",
        action="store_true",
        help="begin CSV output with a byte order mark (Excel then reads Chinese correctly)",
    )
    evaluate.add_argument(
        "--scoring",
        choices=("linear", "growth_ratio", "current_status_index"),
        help="progress scoring method, shown as a score column (default linear, not shown)",
    )
    evaluate.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="indicator names (default zh)"
    )
    noise = evaluate.add_mutually_exclusive_group()
    noise.add_argument(
        "--progress",
        action="store_true",
        help="show a progress bar on stderr (default: when stderr is a terminal)",
    )
    noise.add_argument(
        "--quiet", action="store_true", help="no progress bar and no summary line on stderr"
    )
    evaluate.add_argument(
        "--by",
        action="append",
        metavar="COLUMN",
        help="a disaggregation column (repeatable; default: region when present)",
    )
    evaluate.set_defaults(func=_cmd_evaluate)

    report = sub.add_parser(
        "report",
        help="a report to hand over: one HTML page or an Excel workbook",
        description="Judge PLAN against OBSERVATIONS (and milestone reports) and write a "
        "self-contained HTML page (metadata, summary, progress by goal, scorecard by owner, "
        "every target with its source) or an Excel workbook with one sheet per table.",
    )
    report.add_argument("plan", metavar="PLAN")
    report.add_argument("observations", metavar="OBSERVATIONS", help="a .csv or .xlsx file")
    report.add_argument(
        "--milestones",
        metavar="FILE",
        help="milestone reports: a CSV with milestone_id and done (1, 0 or empty)",
    )
    report.add_argument(
        "--out", metavar="FILE", required=True, help="the report: a .html or .xlsx file"
    )
    report.add_argument("--lang", choices=("zh", "en"), default="zh", help="language (default zh)")
    report.add_argument(
        "--scoring",
        choices=("linear", "growth_ratio", "current_status_index"),
        default="linear",
        help="progress scoring method (default linear)",
    )
    report.set_defaults(func=_cmd_report)

    validate = sub.add_parser(
        "validate", help="check a plan file, or an observation file against a plan"
    )
    validate.add_argument("file", metavar="PLAN-or-OBSERVATIONS")
    validate.add_argument("--plan", metavar="PLAN", help="check observations against this plan")
    _observation_options(validate)
    validate.set_defaults(func=_cmd_validate)

    export = sub.add_parser("export", help="write a plan as YAML, JSON or a CSV of its targets")
    export.add_argument("plan", metavar="PLAN")
    export.add_argument(
        "--format",
        choices=("yaml", "json", "csv"),
        help=(
            "(default: from the suffix of --out: .yaml/.yml, .json or .csv; else yaml. csv is a "
            "one-way table of targets: load_plan reads yaml and json)"
        ),
    )
    export.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    export.set_defaults(func=_cmd_export)

    extract = sub.add_parser(
        "extract", help="draft a plan from a document's text (review it before use)"
    )
    extract.add_argument("document", metavar="DOCUMENT", help="a .txt file, or - for stdin")
    extract.add_argument(
        "--out", metavar="FILE", help="write the draft to FILE (.yaml/.yml or .json); else stdout"
    )
    extract.add_argument("--report", metavar="FILE", help="write the full report (JSON) to FILE")
    extract.add_argument("--id", help="the plan's id (default: the file's name)")
    extract.add_argument(
        "--period", help="the plan's period, e.g. 2022 (default: read from the text)"
    )
    extract.set_defaults(func=_cmd_extract)
    return parser


def commands() -> list[str]:
    """The names of the subcommands, in the order ``--help`` lists them."""
    for action in _parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def command_help(command: str | None, width: int = 88) -> str:
    """The ``--help`` text of ``command`` (``None``: of the program), wrapped at ``width``.

    The docs' command-line reference is generated from it.
    """
    import os

    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)
    try:
        parser = _parser()
        if command is None:
            return parser.format_help()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                return str(action.choices[command].format_help())
        raise KeyError(command)
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _observation_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--sheet", metavar="SHEET", help="the sheet of a workbook (name; default the first)"
    )
    command.add_argument(
        "--encoding", metavar="NAME", help="the text encoding of a CSV (default: detected)"
    )


def _problems(exc: BaseException) -> list[str]:
    """Every problem an error lists, one line each (file line, column, value, reason)."""
    if isinstance(exc, PlanFileError):
        return [f"{where}: {what}" if where else what for where, what in exc.problems]
    if isinstance(exc, ObservationError) and exc.failures is not None:
        from ._failures import describe_failures

        return describe_failures(exc.failures)
    return []


def _error(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        name = exc.filename if exc.filename is not None else ""
        return f"{name}: {exc.strerror}" if name else exc.strerror
    return str(exc)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 bad data, 2 bad usage)."""
    if argv is None:  # this process's own command line: no code but the command's runs
        with _pint_without_dask():
            return _main(sys.argv[1:])
    return _main(argv)


def console() -> int:
    """The ``policytargets`` program (and ``python -m policytargets``): :func:`main`, then exit.

    The process ends as soon as the command is done and its output flushed,
    without the interpreter's teardown: freeing a large evaluation's frames
    and arrays one object at a time cost about 0.1-0.15 s on 3 M rows, to
    give back memory the system takes back at once anyway. It is safe here
    because nothing is left to do: every file a command writes is closed
    before it returns (``with`` blocks), its worker threads are joined, no
    code of ours registers exit handlers, and stdout and stderr are flushed
    first. When flushing fails (a closed pipe), the interpreter exits as
    usual and reports it as it always did. :func:`main`, called from Python
    (tests, a user's code), returns as before.

    Before numpy is imported, OpenBLAS is told to start no threads of its own
    (``OPENBLAS_NUM_THREADS=1`` unless the environment sets it): no command
    does linear algebra, and the thread numpy's OpenBLAS starts at import
    spins for about 0.1 s of CPU waiting for work, while pyarrow parses the
    observation file on the same cores.

    Returns:
        The exit status, only when the process does not end here.
    """
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: exit the usual way
        return code
    os._exit(code)


@contextlib.contextmanager
def _pint_without_dask() -> Iterator[None]:
    """pint, when imported inside the block, makes no room for dask arrays.

    pint imports dask whenever it is installed (about 0.1 s of start-up), so
    that quantities can wrap dask arrays; no command makes one (the command
    line never uses Dask). With ``sys.modules["dask"]`` None, pint's
    ``find_spec("dask")`` is None; the entry is removed again afterwards.
    """
    blocked = "pint" not in sys.modules and "dask" not in sys.modules
    if blocked:
        sys.modules["dask"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if blocked and "dask" in sys.modules and sys.modules["dask"] is None:
            del sys.modules["dask"]


def _main(argv: Sequence[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed its message already
        return exit_.code if isinstance(exit_.code, int) else 2
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return command(args)
    except _UsageError as exc:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"{PROG}: error: {_one_line(str(exc))}\n")
        return 2
    except (PolicyTargetsError, OSError) as exc:
        if isinstance(exc, BrokenPipeError):  # `policytargets show x | head`
            return 0
        problems = _problems(exc)
        message = _error(exc)
        if problems and args.command == "validate":  # every one on stdout; stderr counts them
            for line in problems:
                sys.stdout.write(f"{_one_line(line)}\n")
            n = len(problems)
            message = f"{args.file}: {n} problem{'s' if n > 1 else ''} (listed on stdout)"
        elif problems and isinstance(exc, ObservationError):  # the first few, and a count
            for line in problems[:_FAILURES_SHOWN]:
                sys.stderr.write(f"{_one_line(line)}\n")
            n, more = len(problems), len(problems) - _FAILURES_SHOWN
            rest = f"; {more} more not shown (policytargets validate lists all)" if more > 0 else ""
            message = f"{args.observations}: {n} bad observation{'s' if n > 1 else ''}{rest}"
        sys.stderr.write(f"{PROG}: error: {_one_line(message)}\n")
        return 1
