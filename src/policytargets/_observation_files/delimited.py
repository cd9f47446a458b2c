"""CSV and TSV files: the encoding detected, the header found, the cells read by pyarrow.

* Encoding: a byte-order mark decides (UTF-8, UTF-16, UTF-32); else text that
  is valid UTF-8 is UTF-8; else charset-normalizer chooses among the
  encodings Chinese agencies write (GB18030, which covers GBK and GB2312;
  Big5; UTF-16 without a mark; Windows-1252). The encoding read is reported
  (``frame.attrs["encoding"]``); bytes it cannot decode are one
  :class:`~policytargets.ObservationFileError` naming the line.
* Header: lines starting with ``#`` before it are notes; title lines above
  it are skipped (see ``header_row``).
* Cells: pyarrow's multithreaded CSV reader, numbers parsed in C; text
  stays text, as dictionary columns (each distinct text stored once). A
  UTF-8 file is read as it is (streamed, not memory-mapped, so the file's
  pages do not count in the process's memory); another encoding is decoded
  to UTF-8 in memory first.
* Quoted cells of several lines (Alt+Enter in Excel): pyarrow cuts a file
  into blocks at line breaks, which may fall inside quotes, so a file with
  such a cell (or a cell pyarrow read with a stray quote, what a cut leaves)
  is read again as one stream when it is longer than a block; each row's
  first line is then found with Python's csv module.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from .._errors import ObservationFileError
from .columns import RawTable, header_row, known_headers
from .excel import OLE_SIGNATURE

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["detect_encoding", "read_delimited"]

_SAMPLE = 1 << 20
_CANDIDATES = ["gb18030", "big5", "utf_16", "cp1252"]
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_HEADER_SEARCH = 30
#: A line and its line break: pyarrow's (CR, LF or CRLF), not str.splitlines' (which also
#: splits at form feeds, U+2028 and others, and so miscounted the lines above the header).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
#: Files that are not text, by their first bytes: a file of another kind given a text suffix.
_BINARY_FILES = (
    (b"PAR1", "a parquet file (it begins with PAR1): give it the suffix .parquet"),
    (b"PK\x03\x04", "a zip archive, such as an .xlsx workbook: give a workbook the suffix .xlsx"),
    (OLE_SIGNATURE, "an Excel 97-2003 workbook (or an encrypted .xlsx): give it the suffix .xls"),
)
#: Bytes pyarrow parses at a time (its default); a block ends at a line break.
_BLOCK_SIZE = 1 << 20


def detect_encoding(sample: bytes, complete: bool) -> str:
    """The encoding of a file from its first bytes (``complete``: the sample is the whole file)."""
    import codecs

    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    if sample[:200].count(b"\x00") * 4 > min(len(sample), 200):
        # UTF-16 without a mark: every other byte of ASCII text is zero.
        return (
            "utf-16-le"
            if sample[1:200:2].count(b"\x00") > sample[:200:2].count(b"\x00")
            else "utf-16-be"
        )
    import charset_normalizer

    found = list(charset_normalizer.from_bytes(sample, cp_isolation=_CANDIDATES))
    if not found:
        return "gb18030"  # decoding will name the first byte it cannot read
    # A short text is often as plausible in GB18030 as in Big5 (镇 read as 淜, 沙溪镇 as
    # 銡碩淜): charset-normalizer then names either; a tie goes to what zh-CN Excel writes.
    rank = {name: i for i, name in enumerate(_CANDIDATES)}
    best = min(found, key=lambda r: (r.chaos, -r.coherence, rank.get(r.encoding, len(rank))))
    return str(best.encoding).replace("_", "-")


def _offset_line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _undecodable(path: str, data: bytes, start: int, encoding: str) -> ObservationFileError:
    """The error for bytes at ``start`` that ``encoding`` cannot read, with their line."""
    return ObservationFileError(
        path,
        f"bytes {data[start : start + 4]!r} cannot be read as {encoding}; "
        "save the file as UTF-8 or pass encoding=",
        line=_offset_line(data, start),
    )


def read_delimited(
    path: str,
    *,
    delimiter: str | None,
    encoding: str | None,
    numeric: Callable[[str], bool],
    headers: Collection[str] = (),
) -> RawTable:
    """Read a CSV or TSV file into a raw table.

    Args:
        path: the file.
        delimiter: the field separator; ``None``: a tab for ``.tsv``; else a
            comma, or a tab when the first line has tabs and no commas, or the
            tab or semicolon under which a line names more known columns (two
            at least: a title line's commas say nothing).
        encoding: the text encoding; ``None`` detects it.
        numeric: whether a header's cells should be tried as numbers first.
        headers: the caller's own header texts (folded), which find the header
            below title lines as the recognised ones do.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    size = os.path.getsize(path)
    if size == 0:
        raise ObservationFileError(path, "the file is empty")
    with open(path, "rb") as file:
        sample = file.read(_SAMPLE)
    for magic, what in _BINARY_FILES:
        if sample.startswith(magic):
            # Read as text it fails on its first bytes, "cannot be read as gb18030".
            raise ObservationFileError(path, f"{what}, not delimited text")
    name = encoding or detect_encoding(sample, complete=size <= _SAMPLE)
    utf8 = name.replace("_", "-").lower() in ("utf-8", "utf8", "utf-8-sig")
    if utf8:
        data: bytes | None = None
        bom = 3 if sample.startswith(b"\xef\xbb\xbf") else 0
        head = sample[bom:]
    else:
        with open(path, "rb") as file:
            raw = file.read()
        try:
            text = raw.decode(name)
        except UnicodeDecodeError as exc:
            raise _undecodable(path, raw, exc.start, name) from None
        except LookupError:
            raise ObservationFileError(path, f"unknown encoding {name!r}") from None
        data = text.encode("utf-8")
        del raw, text
        bom, head = 0, data[:_SAMPLE]
    # The header: skip '#' notes and title lines; the sample's complete lines only.
    # Strictly: a replaced byte would change the header's length in bytes, and with it the
    # offset pyarrow starts reading at. Only a character cut by the sample's end is let go.
    try:
        head_text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if len(head) < _SAMPLE or exc.reason != "unexpected end of data":
            raise _undecodable(path, head, exc.start, "utf-8") from None
        head_text = head[: exc.start].decode("utf-8")
    head_lines = _LINE.findall(head_text)
    if len(head) == _SAMPLE and len(head_lines) > 1:
        head_lines = head_lines[:-1]
    first = 0
    while first < len(head_lines) and head_lines[first].startswith("#"):
        first += 1
    window = head_lines[first : first + _HEADER_SEARCH]

    def split(separator: str) -> list[list[str]]:
        return [
            [c.strip() for c in next(csv.reader([line], delimiter=separator), [])]
            for line in window
        ]

    if delimiter is None:
        header_text = next((line for line in window if line.strip()), "")
        tabs = "\t" in header_text and "," not in header_text
        delimiter = "\t" if path.lower().endswith(".tsv") or tabs else ","
        if not path.lower().endswith(".tsv"):
            # The first line may be a title (its commas or none say nothing): the
            # separator under which a line names the most known columns, two at least.
            best = max([2, *(known_headers(row, headers) for row in split(delimiter))])
            for other in ("\t", ",", ";"):
                known = max([0, *(known_headers(row, headers) for row in split(other))])
                if known > best:
                    delimiter, best = other, known
    rows = split(delimiter)
    index = first + header_row(rows, headers)
    if index >= len(head_lines) or not head_lines[index].strip():
        raise ObservationFileError(path, "no header line (the file has only notes)")
    header = [c.strip() for c in rows[index - first]]
    header_line = index + 1
    offset = bom + len("".join(head_lines[: index + 1]).encode("utf-8"))

    names = [f"c{i}" for i in range(len(header))]
    numbers = {n for n, h in zip(names, header, strict=True) if numeric(h)}
    # Text columns become dictionaries once read (see _encoded).
    text = pa.string()

    def parse(blank_lines_are_rows: bool, line_breaks: bool) -> Any:
        """The rows after the header; ``None``: pyarrow refused them.

        ``line_breaks``: parse the file as one stream, so that a quoted line
        break never ends one of pyarrow's blocks (slower, so only when needed).
        """
        for number in (pa.float64(), pa.string()):
            column_types = {n: number if n in numbers else text for n in names}
            # A plain file read, not a memory map: mapped pages would count in the
            # process's memory beside the parsed table.
            source: Any = pa.OSFile(path) if data is None else pa.BufferReader(data)
            try:
                source.seek(offset)
                return pacsv.read_csv(
                    source,
                    read_options=pacsv.ReadOptions(
                        column_names=names, use_threads=True, block_size=_BLOCK_SIZE
                    ),
                    parse_options=pacsv.ParseOptions(
                        delimiter=delimiter,
                        ignore_empty_lines=not blank_lines_are_rows,
                        newlines_in_values=line_breaks,
                    ),
                    convert_options=pacsv.ConvertOptions(
                        column_types=column_types,
                        null_values=[""],
                        strings_can_be_null=True,
                        quoted_strings_can_be_null=True,
                    ),
                )
            except pa.ArrowInvalid as exc:
                message = str(exc)
                if "conversion error to double" in message and number == pa.float64():
                    continue  # text in a number column: read it as text and say which cells
                if blank_lines_are_rows or not line_breaks:
                    return None  # tried again: blank lines skipped, or quoted line breaks
                raise _parse_error(path, data, offset, delimiter, len(header), message) from None
            finally:
                source.close()
        raise AssertionError("unreachable: text columns take any text")

    texts = {i for i, n in enumerate(names) if n not in numbers}

    def read(line_breaks: bool) -> tuple[list[Any], int, bool] | None:
        """The columns (text as dictionaries), the rows' number, whether a blank line is a row.

        ``None``: pyarrow refused the file cut into blocks (``line_breaks`` False).
        """
        # Read first with a blank line as a row of empty cells: when no row is empty
        # (the usual file), no line is blank and each row is the line after the one
        # before, and the file need not be read again to count its lines. Otherwise it
        # is read again, blank lines skipped, and the rows' lines counted (see _lines).
        table = parse(blank_lines_are_rows=True, line_breaks=line_breaks)
        blank = table is None or _empty_rows(table)
        if blank:
            table = parse(blank_lines_are_rows=False, line_breaks=line_breaks)
        if table is None:
            return None
        n_rows = table.num_rows
        chunked = list(table.columns)
        del table
        return _encoded(chunked, texts), n_rows, blank

    def streamed() -> tuple[list[Any], int, bool]:
        """The file read as one stream: a quoted line break never ends a block."""
        read_ = read(line_breaks=True)
        assert read_ is not None  # parse() raises what it refuses when streaming
        return read_

    # in_blocks is None when pyarrow cut the file into blocks at a line break inside quotes
    # (a cell of two lines), or the file is malformed (then the streamed read names its line).
    # cut: the file is longer than a block.
    in_blocks = read(line_breaks=False)
    cut = in_blocks is not None and (size if data is None else len(data)) - offset > _BLOCK_SIZE
    columns, n_rows, blank = in_blocks if in_blocks is not None else streamed()
    del in_blocks
    spans = _holding(columns, "\n")
    # A block that ended inside quotes can also be read without an error: the
    # cell's first line lost, its closing quote kept (``yy"``). Read as one stream.
    if cut and (spans or _holding(columns, '"')):
        del columns
        columns, n_rows, blank = streamed()
        spans = _holding(columns, "\n")
    result = RawTable(
        path=path, header=header, header_line=header_line, columns=columns, encoding=name
    )
    if spans:
        result.lines = _row_lines(path, data, offset, header_line, n_rows, delimiter)
    if blank and result.lines is None:
        result.lines = _lines(path, data, offset, header_line, n_rows)
    return result


def chunked_columns(table: Any) -> list[Any]:
    """A table's columns, dictionary columns with one dictionary (each chunk has its own)."""
    import pyarrow as pa

    if any(pa.types.is_dictionary(t) for t in table.schema.types):
        table = table.unify_dictionaries()
    return list(table.columns)


def combined(chunked: list[Any]) -> list[Any]:
    """Each chunked column as one array; the chunks are freed as each column is done.

    Pass the only reference to ``chunked``'s columns: it is emptied.
    """
    columns = []
    for i in range(len(chunked)):
        columns.append(chunked[i].combine_chunks())
        chunked[i] = None
    return columns


def _holding(columns: list[Any], part: str) -> bool:
    """Whether a text cell holds ``part`` (a line break: rows and lines differ).

    A dictionary column is checked once per distinct text.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    for column in columns:
        if pa.types.is_dictionary(column.type):
            column = column.dictionary
        if pa.types.is_string(column.type) and pc.any(pc.match_substring(column, part)).as_py():
            return True
    return False


def _row_lines(
    path: str, data: bytes | None, offset: int, header_line: int, n_rows: int, delimiter: str
) -> npt.NDArray[np.int64] | None:
    """Each row's first line when quoted cells span lines, found with Python's csv module.

    Only files with such cells pay for it (Python per row). ``None`` when the
    csv module does not see pyarrow's rows (then rows are taken to follow lines).
    """
    import numpy as np

    raw: Any = open(path, "rb") if data is None else io.BytesIO(data)  # noqa: SIM115
    with raw:
        raw.seek(offset)
        # Lines end at LF only (a CRLF's CR is the csv module's), as _offset_line counts.
        lines = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="\n")
        reader = csv.reader(lines, delimiter=delimiter)
        starts: list[int] = []
        before = 0
        try:
            for row in reader:
                if row:  # a blank line is no row (pyarrow skips it too)
                    starts.append(header_line + before + 1)
                before = reader.line_num
        except csv.Error:
            return None
    if len(starts) != n_rows:
        return None
    return np.array(starts, dtype=np.int64)


def _empty_rows(table: Any) -> bool:
    """Whether any row of a table has no value at all (a blank line, or only empty cells)."""
    import pyarrow.compute as pc

    if table.num_rows == 0 or any(column.null_count == 0 for column in table.columns):
        return False
    empty = pc.is_null(table.column(0))
    for column in table.columns[1:]:
        empty = pc.and_(empty, pc.is_null(column))
    return bool(pc.any(empty).as_py())


def _encoded(chunked: list[Any], texts: set[int]) -> list[Any]:
    """Each column as one array, the columns ``texts`` as dictionaries.

    ids, periods, units and regions repeat, so each distinct text is stored,
    trimmed and checked once. The text is read plain and encoded here, a
    column a thread (pyarrow hashes without the GIL): pyarrow's reader making
    a dictionary per block, unified after, took about 10 % more CPU on 3 M
    rows. The dictionaries are the same (each text where it first appears).
    Pass the only reference to ``chunked``'s columns: it is emptied.
    """
    from concurrent.futures import ThreadPoolExecutor

    from .._cores import usable_cores

    def one(i: int) -> Any:
        column, chunked[i] = chunked[i], None
        if i in texts:
            column = column.dictionary_encode()
        return column.combine_chunks()

    with ThreadPoolExecutor(max(1, min(len(texts), usable_cores()))) as pool:
        return list(pool.map(one, range(len(chunked))))


def _parse_error(
    path: str, data: bytes | None, offset: int, delimiter: str, width: int, message: str
) -> ObservationFileError:
    """The line pyarrow refused, found again with Python's csv module (the error path only)."""
    if data is not None:
        raw = data
    else:
        with open(path, "rb") as file:
            raw = file.read()
    if "invalid UTF8" in message:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return _undecodable(path, raw, exc.start, "utf-8")
        return ObservationFileError(path, "the file is not valid UTF-8; pass encoding=")
    text = raw[offset:].decode("utf-8", errors="replace")
    header_lines = raw[:offset].count(b"\n")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if row and len(row) != width:
                return ObservationFileError(
                    path,
                    f"{len(row)} fields where the header has {width}",
                    line=header_lines + reader.line_num,
                )
    except csv.Error as exc:
        return ObservationFileError(path, f"malformed CSV ({exc})", header_lines + reader.line_num)
    detail = message.split(": ", 1)[-1]
    return ObservationFileError(path, f"malformed CSV ({detail})")


#: Bytes of the file scanned at a time when its line breaks are counted.
_COUNT_BLOCK = 1 << 22


def _count_newlines(path: str, data: bytes | None, offset: int) -> tuple[int, bytes]:
    """The line breaks after ``offset``, and the last byte after it (``b""``: none).

    numpy compares a block at a time, read into one buffer (``readinto``, no
    new bytes objects): about 15 ms per 100 MB, against 60 ms with
    ``bytes.count`` on blocks read as bytes.
    """
    import numpy as np

    count, last = 0, b""
    if data is not None:
        body = np.frombuffer(data, dtype=np.uint8)[offset:]
        for start in range(0, len(body), _COUNT_BLOCK):
            count += int(np.count_nonzero(body[start : start + _COUNT_BLOCK] == 10))
        return count, data[-1:] if len(data) > offset else b""
    buffer = bytearray(_COUNT_BLOCK)
    block = np.frombuffer(buffer, dtype=np.uint8)
    with open(path, "rb", buffering=0) as file:
        file.seek(offset)
        while size := file.readinto(buffer):
            count += int(np.count_nonzero(block[:size] == 10))
            last = bytes(buffer[size - 1 : size])
    return count, last


def _lines(
    path: str, data: bytes | None, offset: int, header_line: int, n_rows: int
) -> npt.NDArray[np.int64] | None:
    """Each row's file line when blank lines sit among the rows; ``None`` when none do."""
    import numpy as np

    # Rows follow line by line when there are as many lines after the header as
    # rows: a line for each line break, and one more when the last has none.
    count, last = _count_newlines(path, data, offset)
    if count + (last not in (b"\n", b"")) == n_rows:
        return None
    if data is None:
        with open(path, "rb") as file:
            file.seek(offset)
            body = memoryview(file.read())
    else:
        body = memoryview(data)[offset:]
    array = np.frombuffer(body, dtype=np.uint8)
    ends = np.flatnonzero(array == 10)
    starts = np.concatenate([[0], ends + 1])
    stops = np.concatenate([ends, [len(array)]])
    lengths = stops - starts
    cr = np.zeros(len(starts), dtype=bool)
    nonzero = lengths > 0
    cr[nonzero] = array[starts[nonzero]] == 13
    filled = (lengths > 1) | ((lengths == 1) & ~cr)
    lines = np.flatnonzero(filled).astype(np.int64) + header_line + 1
    if len(lines) != n_rows:  # quoted line breaks: lines are not rows; say the first row's line
        return None
    return lines
