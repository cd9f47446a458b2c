"""The HTML page of a :class:`~policytargets._report.Report`: inline CSS and SVG, no script.

Every text from a plan or a data file goes through :func:`_e` (HTML escaping,
quotes included); only ``http``/``https`` URLs become links. A Content
Security Policy in the page forbids scripts and every external load, so the
page is the same offline as online, and a hostile plan cannot make it fetch
anything.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from ._display import STATUS_COLOURS
from ._report import _ORDER, FONT_FAMILY, _status_word, _w

if TYPE_CHECKING:
    import pandas as pd

    from ._labels import Lang
    from ._report import Report

__all__ = ["render_body", "render_cell", "render_html"]

_RULES = (
    ("", "font-family:{font};font-size:14px;line-height:1.5;color:#1b1b1b;background:#fff"),
    ("h1", "font-size:1.6em;margin:.3em 0 .1em"),
    ("h2", "font-size:1.25em;margin:1.6em 0 .4em;border-bottom:2px solid #ddd;padding-bottom:.2em"),
    (".pt-sub", "color:#555;margin:0 0 1em"),
    (
        ".pt-banner",
        "background:#fff3cd;border:2px solid #b45309;color:#7c2d12;font-weight:700;"
        "padding:.6em 1em;margin:.5em 0;border-radius:4px",
    ),
    ("table", "border-collapse:collapse;margin:.4em 0;width:100%"),
    (
        "th,td",
        "padding:.25em .5em;text-align:left;vertical-align:top;border-bottom:1px solid #e5e5e5",
    ),
    ("th", "background:#f5f5f5;font-weight:600"),
    ("td.num", "text-align:right;font-variant-numeric:tabular-nums"),
    (".pt-scroll", "overflow-x:auto;max-width:100%"),
    ("table.meta", "width:auto"),
    ("table.meta th", "background:none;white-space:nowrap"),
    (
        ".pt-status",
        "display:inline-block;padding:0 .5em;border-radius:.6em;font-weight:600;white-space:nowrap",
    ),
    (".pt-id", "color:#666;font-size:.85em;display:block"),
    (".pt-quote", "color:#444;font-size:.85em;max-width:28em"),
    (".pt-reason", "font-size:.85em;max-width:22em"),
    (".pt-asp", "color:#7c3aed;font-size:.85em"),
    (
        "footer",
        "color:#666;font-size:.85em;margin-top:2em;border-top:1px solid #ddd;padding-top:.5em",
    ),
    ("svg text", "font-family:{font}"),
)


def _css(scope: str) -> str:
    """The report's style; ``scope`` prefixes every rule (for a notebook cell)."""
    rules = []
    for selector, body in _RULES:
        if not selector:
            full = scope or "body"
        else:
            full = ",".join(f"{scope} {part}".strip() for part in selector.split(","))
        rules.append(f"{full}{{{body.format(font=FONT_FAMILY)}}}")
    if not scope:
        rules.append("body{margin:0 auto;max-width:1200px;padding:1em 1.5em}")
        rules.append(
            "@media print{body{max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}"
        )
    return "".join(rules)


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _link(url: str) -> str:
    # Only web links become anchors: a javascript: or data: URL in a plan must not run.
    if re.match(r"^https?://", url, flags=re.IGNORECASE):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(url)}</a>'
    return _e(url)


def _badge(status: str, lang: Lang) -> str:
    background, colour = STATUS_COLOURS.get(status, ("#eeeeee", "#1b1b1b"))
    return (
        f'<span class="pt-status" style="background:{background};color:{colour}" '
        f'data-status="{_e(status)}">{_e(_status_word(status, lang))}</span>'
    )


def _table(frame: pd.DataFrame, columns: list[tuple[str, str]], lang: Lang) -> str:
    """A table of ``frame``: (column, heading) pairs; status columns become badges."""
    head = "".join(f"<th>{_e(title)}</th>" for _, title in columns)
    body = []
    for record in frame.to_dict("records"):
        cells = []
        for column, _ in columns:
            value = record.get(column)
            if column == "status":
                cells.append(f"<td>{_badge(str(value), lang)}</td>")
            elif isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(f'<td class="num">{_e(value)}</td>')
            else:
                cells.append(f"<td>{_e('' if value is None else value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _counts_columns(frame: pd.DataFrame, lang: Lang) -> list[tuple[str, str]]:
    return [(s, _status_word(s, lang)) for s in _ORDER if s in frame.columns] + [
        ("total", _w("total", lang))
    ]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _stacked_bars(
    rows: list[tuple[str, dict[str, int]]], lang: Lang, title: str, label_width: int = 260
) -> str:
    """Horizontal stacked bars, one per row, coloured by status, as inline SVG with alt text."""
    bar_width, height, gap = 560, 18, 8
    total_max = max((sum(c.values()) for _, c in rows), default=0) or 1
    width = label_width + bar_width + 60
    legend_height = 26
    svg_height = legend_height + len(rows) * (height + gap) + gap
    parts = []
    described = []
    for i, (label, counts) in enumerate(rows):
        y = legend_height + gap + i * (height + gap)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + height - 4}" text-anchor="end" '
            f'font-size="12">{_e(_cut(label, 24))}</text>'
        )
        x = float(label_width)
        for status in _ORDER:
            n = counts.get(status, 0)
            if not n:
                continue
            w = bar_width * n / total_max
            background, colour = STATUS_COLOURS.get(status, ("#eeeeee", "#1b1b1b"))
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{height}" '
                f'fill="{background}"><title>{_e(label)}: {n} '
                f"{_e(_status_word(status, lang))}</title></rect>"
            )
            if w >= 16:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + height - 5}" text-anchor="middle" '
                    f'font-size="11" fill="{colour}">{n}</text>'
                )
            x += w
        total = sum(counts.values())
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + height - 4}" font-size="11" fill="#555">{total}</text>'
        )
        described.append(
            f"{label}: "
            + ", ".join(f"{counts[s]} {_status_word(s, lang)}" for s in _ORDER if counts.get(s, 0))
        )
    shown = [s for s in _ORDER if any(c.get(s, 0) for _, c in rows)]
    x = float(label_width)
    for status in shown:
        background, _ = STATUS_COLOURS.get(status, ("#eeeeee", "#1b1b1b"))
        word = _status_word(status, lang)
        parts.append(f'<rect x="{x:.0f}" y="4" width="12" height="12" fill="{background}"/>')
        parts.append(f'<text x="{x + 16:.0f}" y="14" font-size="11">{_e(word)}</text>')
        x += 16 + 7.5 * len(word) * (2 if lang == "zh" else 1) + 14
    alt = title + ". " + "; ".join(described)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(alt)}" '
        f'width="{width}" height="{svg_height}" viewBox="0 0 {width} {svg_height}">'
        f"<title>{_e(alt)}</title>{''.join(parts)}</svg>"
    )


def _targets(report: Report) -> str:
    lang = report.lang
    frame = report.targets_table()
    has_region = "region" in frame.columns
    has_progress = bool(frame["progress"].astype(bool).any())
    heads = [
        ("section", _w("section", lang)),
        ("indicator", _w("indicator", lang)),
        ("condition", _w("condition", lang)),
        ("period", _w("period", lang)),
    ]
    if has_region:
        heads.append(("region", _w("region", lang)))
    heads += [
        ("owners", _w("owners_col", lang)),
        ("observed", _w("observed", lang)),
        ("margin", _w("margin", lang)),
        ("status", _w("status", lang)),
    ]
    if has_progress:
        heads.append(("progress", _w("progress", lang)))
    heads += [("reason", _w("reason", lang)), ("source", _w("source", lang))]
    head = "".join(f"<th>{_e(t)}</th>" for _, t in heads)
    rows = []
    for r in frame.to_dict("records"):
        aspirational = (
            f' <span class="pt-asp">({_e(_w("aspirational", lang))})</span>'
            if r["aspirational"]
            else ""
        )
        cells = [
            f"<td>{_e(r['section'])}</td>",
            f'<td>{_e(r["indicator"])}<span class="pt-id">{_e(r["target_id"])}</span></td>',
            f"<td>{_e(r['condition'])}{aspirational}</td>",
            f"<td>{_e(r['period'])}</td>",
        ]
        if has_region:
            cells.append(f"<td>{_e(r['region'])}</td>")
        cells += [
            f"<td>{_e(r['owners'])}</td>",
            f'<td class="num">{_e(r["observed_text"])}</td>',
            f'<td class="num">{_e(r["margin_text"])}</td>',
            f"<td>{_badge(r['status'], lang)}</td>",
        ]
        if has_progress:
            cells.append(f"<td>{_e(r['progress'])}</td>")
        cells += [
            f'<td class="pt-reason">{_e(r["reason"])}</td>',
            f'<td class="pt-quote">{"“" + _e(r["source"]) + "”" if r["source"] else ""}</td>',
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="pt-scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def render_cell(report: Report) -> str:
    """The report for a notebook cell: its content under a scoped style."""
    return f'<div class="pt-report"><style>{_css(".pt-report")}</style>{render_body(report)}</div>'


def render_body(report: Report) -> str:
    """The report's content (no ``<html>``/``<head>``), for a notebook cell or a page."""
    lang, plan = report.lang, report.plan
    out = []
    banner = (
        f'<div class="pt-banner" role="note">{_e(_w("illustrative", lang))}</div>'
        if report.illustrative
        else ""
    )
    out.append(banner)
    out.append(f"<h1>{_e(plan.title.text(lang))}</h1>")
    sub = [plan.document_number or "", _w("report", lang)]
    out.append(f'<p class="pt-sub">{_e(" · ".join(s for s in sub if s))}</p>')

    meta_rows = []
    for label, value in report._metadata():
        if not value:
            continue
        shown = _link(value) if value.lower().startswith(("http://", "https://")) else _e(value)
        meta_rows.append(f"<tr><th>{_e(label)}</th><td>{shown}</td></tr>")
    out.append(
        f"<section><h2>{_e(_w('document', lang))} · {_e(_w('provenance', lang))}</h2>"
        f'<table class="meta">{"".join(meta_rows)}</table></section>'
    )

    summary = report.summary_table()
    bars = []
    for column in ("binding", "aspirational", "milestones"):
        counts = dict(zip(summary["status"], summary[column], strict=True))
        if sum(counts.values()):
            bars.append((_w(column, lang), {k: int(v) for k, v in counts.items()}))
    chart = _stacked_bars(bars, lang, _w("status_chart", lang), label_width=120)
    columns = [
        ("status", _w("status", lang)),
        ("binding", _w("binding", lang)),
        ("aspirational", _w("aspirational", lang)),
        ("milestones", _w("milestones", lang)),
    ]
    out.append(
        f"<section><h2>{_e(_w('summary', lang))}</h2>{chart}"
        f"{_table(summary, columns, lang)}</section>"
    )

    goals = report.goals_table()
    rows = [
        (
            f"{g['section']} {g['goal']}".strip() or "—",
            {s: int(g[s]) for s in _ORDER if s in goals.columns},
        )
        for g in goals.to_dict("records")
    ]
    goal_columns = [("section", _w("section", lang)), ("goal", _w("goal", lang))]
    out.append(
        f"<section><h2>{_e(_w('goals', lang))}</h2>"
        f"{_stacked_bars(rows, lang, _w('goal_chart', lang))}"
        f"{_table(goals, goal_columns + _counts_columns(goals, lang), lang)}</section>"
    )

    owners = report.owners_table()
    owner_columns = [("owner", _w("owner", lang)), *_counts_columns(owners, lang)]
    out.append(
        f"<section><h2>{_e(_w('owners', lang))}</h2>{_table(owners, owner_columns, lang)}</section>"
    )
    out.append(f"<section><h2>{_e(_w('targets', lang))}</h2>{_targets(report)}</section>")

    milestone_columns = [
        ("section", _w("section", lang)),
        ("name", _w("milestone", lang)),
        ("period", _w("period", lang)),
        ("owners", _w("owners_col", lang)),
        ("status", _w("status", lang)),
        ("reason", _w("reason", lang)),
    ]
    if len(report.milestones):
        out.append(
            f"<section><h2>{_e(_w('milestones', lang))}</h2>"
            f"{_table(report.milestones, milestone_columns, lang)}</section>"
        )
    out.append(banner)
    out.append(
        f"<footer><p>{_e(_w('fonts_note', lang))}</p>"
        f"<p>{_e(_w('fonts', lang))}: <code>{_e(FONT_FAMILY)}</code></p></footer>"
    )
    return "".join(out)


def render_html(report: Report) -> str:
    """The report as a whole page: charset, language, inline style, a strict CSP."""
    lang = report.lang
    title = f"{report.plan.title.text(lang)} · {_w('report', lang)}"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        f'<meta name="generator" content="policytargets">\n<title>{_e(title)}</title>\n'
        f"<style>{_css('')}</style>\n</head>\n<body>\n{render_body(report)}\n</body>\n</html>\n"
    )
