"""What an extraction did not understand, and where every draft target came from."""

from __future__ import annotations

from typing import Any

from attrs import asdict, frozen

__all__ = ["ExtractedTarget", "ExtractionReport", "UnreadText"]


@frozen(kw_only=True)
class ExtractedTarget:
    """Where a draft target came from, and how sure the rule that read it is.

    Attributes:
        target_id: the draft target's id.
        rule: the name of the rule that read the clause (``name before number``,
            ``verb, number, thing``, ``coordinated names``, ``name then direction`` …).
        wording: the name of the condition wording (``以上``, ``左右``, ``bare number`` …).
        confidence: from 0 to 1; review the lowest first.
        start: offset of the quotation in the input text.
        end: offset after it.
        quote: the input's words, ``text[start:end]`` exactly.
    """

    target_id: str
    rule: str
    wording: str
    confidence: float
    start: int
    end: int
    quote: str


@frozen(kw_only=True)
class UnreadText:
    """A number (or clause) of the input with what the extractor made of it.

    Attributes:
        text: the input's words.
        start: offset in the input.
        end: offset after it.
        line: 1-based line in the input.
        column: 1-based column in the input.
        reason: why it is listed (``no indicator name next to the number``,
            the wording that has no condition class yet, or for
            :attr:`ExtractionReport.explained` the rule that explains it).
        context: the words around it, for review.
    """

    text: str
    start: int
    end: int
    line: int
    column: int
    reason: str
    context: str


@frozen(kw_only=True)
class ExtractionReport:
    """What :func:`policytargets.extract_plan` read, and what it could not.

    Attributes:
        targets: one entry per draft target: rule, wording, confidence, span.
        unread: numbers that became neither a target nor a known non-target:
            the draft may have missed a commitment there.
        not_understood: commitments the rules found but could not draft
            faithfully (a wording with no condition class yet, a unit not
            known): listed instead of drafted with a look-alike condition.
        explained: numbers known not to be targets (dates, document numbers,
            names with numerals), each with the rule that says so.
        notes: anything else the reviewer should know (guessed leads, missing
            metadata).
    """

    targets: tuple[ExtractedTarget, ...] = ()
    unread: tuple[UnreadText, ...] = ()
    not_understood: tuple[UnreadText, ...] = ()
    explained: tuple[UnreadText, ...] = ()
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        """A short text for a terminal: counts, then every unread and not understood item."""
        out = [
            f"{len(self.targets)} draft targets, {len(self.not_understood)} not understood, "
            f"{len(self.unread)} unread numbers, {len(self.explained)} known non-targets"
        ]
        for title, items in (("not understood", self.not_understood), ("unread", self.unread)):
            for item in items:
                out.append(
                    f"{title}: line {item.line}, column {item.column}: {item.text!r}: {item.reason}"
                )
        out.extend(f"note: {note}" for note in self.notes)
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data, for JSON."""
        return asdict(self)
