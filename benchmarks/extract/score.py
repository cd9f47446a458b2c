"""Recall and precision of ``policytargets extract`` on the development set, per document.

Run from the repository root::

    python benchmarks/extract/score.py            # the table
    python benchmarks/extract/score.py --misses   # and every miss and false alarm

An extracted target matches an annotated one when their spans in the text
overlap and their numbers are equal (direction-only and zero targets have no
number and match on the span alone); each annotation matches at most one
extracted target. Comparator and aspirational agreement are counted over the
matches. The Taicang text is scored against ``policytargets.taicang2022``.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

import yaml

import policytargets as pt

HERE = Path(__file__).resolve().parent
SEED = HERE / "documents" / "taicang2022.txt"

#: Annotated meanings with no condition class yet; any drafted condition is wrong for them.
PENDING = {"change_between"}


def _span(text: str, quote: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.find(quote, start + 1)
        if start < 0:
            raise SystemExit(f"annotation quote not in the document: {quote!r}")
    return start, start + len(quote)


def _comparator(condition: pt.Condition) -> str:
    return condition.comparator.value


def _key(doc_id: str, text: str, spec: dict[str, Any]) -> list[dict[str, Any]]:
    if doc_id == "taicang2022":
        out = []
        for target in pt.taicang2022.plan.targets:
            assert target.source is not None
            start, end = _span(text, target.source.text)
            out.append(
                {
                    "quote": target.source.text,
                    "span": (start, end),
                    "value": target.condition.value,
                    "comparator": _comparator(target.condition),
                    "aspirational": target.aspirational,
                }
            )
        return out
    seen: dict[str, int] = {}
    out = []
    for item in spec["targets"]:
        quote = item["quote"]
        # A repeated quote (coordinated clause) is the same words: the same span.
        seen[quote] = seen.get(quote, 0) + 1
        out.append(
            {
                "quote": quote,
                "span": _span(text, quote),
                "value": item.get("value"),
                "comparator": item["comparator"],
                "aspirational": bool(item.get("aspirational", False)),
            }
        )
    return out


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9)


def score(doc_id: str, text: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Match one document's draft against its annotations."""
    plan, report = pt.extract_plan(text, id=doc_id, period=spec.get("period"))
    where = {p.target_id: (p.start, p.end) for p in report.targets}
    drafted = [
        {
            "id": t.id,
            "span": where[t.id],
            "value": t.condition.value,
            "comparator": _comparator(t.condition),
            "aspirational": t.aspirational,
            "quote": t.source.text if t.source else "",
        }
        for t in plan.targets
    ]
    key = _key(doc_id, text, spec)
    used: set[int] = set()
    matches = []
    missed = []
    for k in key:
        hit = next(
            (
                i
                for i, d in enumerate(drafted)
                if i not in used
                and d["span"][0] < k["span"][1]
                and k["span"][0] < d["span"][1]
                and _same(d["value"], k["value"])
            ),
            None,
        )
        if hit is None:
            missed.append(k)
        else:
            used.add(hit)
            matches.append((k, drafted[hit]))
    false_alarms = [d for i, d in enumerate(drafted) if i not in used]
    # A miss the report lists (not understood, overlapping span) is no silent miss: the
    # analyst is told to encode it.
    listed = [(u.start, u.end) for u in report.not_understood]
    missed_listed = [
        k for k in missed if any(a < k["span"][1] and k["span"][0] < b for a, b in listed)
    ]
    quotes_exact = all(d["quote"] == text[d["span"][0] : d["span"][1]] for d in drafted)
    return {
        "id": doc_id,
        "annotated": len(key),
        "drafted": len(drafted),
        "matched": len(matches),
        "recall": len(matches) / len(key) if key else math.nan,
        "precision": len(matches) / len(drafted) if drafted else math.nan,
        "comparator_agree": sum(k["comparator"] == d["comparator"] for k, d in matches),
        "aspirational_agree": sum(k["aspirational"] == d["aspirational"] for k, d in matches),
        "not_understood": len(report.not_understood),
        "missed_listed": len(missed_listed),
        "missed_silent": len(missed) - len(missed_listed),
        "unread": len(report.unread),
        "quotes_exact": quotes_exact,
        "missed": missed,
        "false_alarms": false_alarms,
        "disagree": [(k, d) for k, d in matches if k["comparator"] != d["comparator"]],
    }


def documents() -> dict[str, tuple[str, dict[str, Any]]]:
    """Every document of the set: id -> (text, annotation)."""
    data = yaml.safe_load((HERE / "annotations.yaml").read_text(encoding="utf-8"))
    docs = {"taicang2022": (pt.taicang2022.SOURCE_TEXT, {})}
    for group in ("documents", "held_out"):
        for doc_id, item in data.get(group, {}).items():
            text = (HERE / "documents" / f"{doc_id}.txt").read_text(encoding="utf-8")
            docs[doc_id] = (text, {**item, "held_out": group == "held_out"})
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)
    rows = [score(doc_id, text, spec) for doc_id, (text, spec) in documents().items()]
    head = (
        f"{'document':<14}{'annotated':>10}{'drafted':>9}{'matched':>9}{'recall':>8}"
        f"{'precision':>11}{'comparator':>12}{'aspir.':>8}{'not und.':>10}{'unread':>8}"
        f"{'missed: listed':>16}{'silent':>8}"
    )
    print(head)
    total = {"annotated": 0, "drafted": 0, "matched": 0, "cmp": 0, "asp": 0}
    for r in rows:
        print(
            f"{r['id']:<14}{r['annotated']:>10}{r['drafted']:>9}{r['matched']:>9}"
            f"{r['recall']:>8.2f}{r['precision']:>11.2f}"
            f"{r['comparator_agree']:>7}/{r['matched']:<4}{r['aspirational_agree']:>4}/{r['matched']:<3}"
            f"{r['not_understood']:>10}{r['unread']:>8}"
            f"{r['missed_listed']:>16}{r['missed_silent']:>8}"
        )
        total["annotated"] += r["annotated"]
        total["drafted"] += r["drafted"]
        total["matched"] += r["matched"]
        total["cmp"] += r["comparator_agree"]
        total["asp"] += r["aspirational_agree"]
        if not r["quotes_exact"]:
            print(f"  ! {r['id']}: a quotation is not the input's words at its span")
    held = {doc_id for doc_id, (_, spec) in documents().items() if spec.get("held_out")}
    others = [r for r in rows if r["id"] != "taicang2022" and r["id"] not in held]
    a = sum(r["annotated"] for r in others)
    d = sum(r["drafted"] for r in others)
    m = sum(r["matched"] for r in others)
    ho = [r for r in rows if r["id"] in held]
    print(
        f"{'all':<14}{total['annotated']:>10}{total['drafted']:>9}{total['matched']:>9}"
        f"{total['matched'] / total['annotated']:>8.2f}{total['matched'] / total['drafted']:>11.2f}"
        f"{total['cmp']:>7}/{total['matched']:<4}{total['asp']:>4}/{total['matched']:<3}"
    )
    print(f"{'development':<14}{a:>10}{d:>9}{m:>9}{m / a:>8.2f}{m / d:>11.2f}  (beyond Taicang)")
    if ho:
        a, d, m = (sum(r[k] for r in ho) for k in ("annotated", "drafted", "matched"))
        print(f"{'held out':<14}{a:>10}{d:>9}{m:>9}{m / a:>8.2f}{m / d:>11.2f}")
    if args.misses:
        for r in rows:
            for k in r["missed"]:
                print(f"{r['id']}: missed {k['comparator']} {k['value']}: {k['quote']}")
            for f in r["false_alarms"]:
                print(f"{r['id']}: false alarm {f['comparator']} {f['value']}: {f['quote']}")
            for k, f in r["disagree"]:
                print(
                    f"{r['id']}: comparator {f['comparator']} for {k['comparator']}: {k['quote']}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
