"""The document's text in the form the rules read, tied back to the words as given.

Rules run on a *reading copy*: full-width ASCII folded to half-width, the
traditional script converted to the simplified, and blanks inside a line
dropped (PDF copies break words with spaces: ``質 量``). Every character of the
reading copy remembers where it stood in the input, so a span found in the
copy becomes a span of the input, and every quotation is an exact substring
of what the analyst gave.
"""

from __future__ import annotations

from attrs import field, frozen

from .._numerals import to_simplified

__all__ = ["Source", "read_text"]

# Tabs stay: they separate the cells of a task table pasted as text.
_BLANKS = frozenset(" \u3000\u00a0\u2002\u2003\u2009\ufeff\r")


def _fold_width(char: str) -> str:
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if code == 0x3000:
        return " "
    return char


def _simplified(text: str) -> str:
    """The simplified-script reading of ``text``, one character for one character."""
    converted = to_simplified(text)
    if len(converted) == len(text):
        return converted
    # A phrase conversion changed the length: convert character by character instead,
    # which keeps the offsets (phrase-level choices matter little to numbers and units).
    out = []
    for char in text:
        one = to_simplified(char)
        out.append(one if len(one) == 1 else char)
    return "".join(out)


@frozen(kw_only=True)
class Source:
    """The input text, its reading copy and the map between them.

    Attributes:
        original: the text as given.
        text: the reading copy the rules match.
        origin: for each character of ``text``, its offset in ``original``.
    """

    original: str
    text: str
    origin: tuple[int, ...] = field(repr=False)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The input offsets of the reading copy's ``text[start:end]`` (``end`` exclusive)."""
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else len(self.original)
            return at, at
        return self.origin[start], self.origin[end - 1] + 1

    def quote(self, start: int, end: int) -> str:
        """The input's words for the reading copy's ``text[start:end]``."""
        a, b = self.span(start, end)
        return self.original[a:b]

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an input offset."""
        line = self.original.count("\n", 0, offset) + 1
        column = offset - (self.original.rfind("\n", 0, offset) + 1) + 1
        return line, column


def read_text(original: str) -> Source:
    """The reading copy of ``original`` (see the module docstring)."""
    folded = "".join(_fold_width(c) for c in original)
    simplified = _simplified(folded) if folded else folded
    chars: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(simplified):
        if char in _BLANKS or char == " ":
            continue
        chars.append(char)
        origin.append(i)
    return Source(original=original, text="".join(chars), origin=tuple(origin))
