"""Reading uploaded CSV, XLSX and JSON files into text rows, and text cells into typed values. No database.

Country offices export these files from Excel (in English, French or Spanish locales) and from other tools, so
the reader is forgiving about form and strict about meaning. The rules below are the ones users meet:

- **Format** is detected from the content (an XLSX is a ZIP holding `xl/workbook.xml`; JSON starts with `[` or
  `{`); the file name and content type only decide between JSON and CSV when the content cannot. Anything
  else binary is refused with an `ImportFileError` saying what the file is and what to do (old `.xls`, `.ods`
  and web-page "Excel" exports: "save it as .xlsx or CSV").
- **Row numbers** are the ones a person sees: the spreadsheet row for CSV and XLSX (blank rows are skipped but
  still counted, a multi-line quoted cell is one row), the 1-based position in the array for JSON.
- **Cells** are stripped; an empty cell is `None`; newlines inside cells become `\\n`.
- **Columns without a header** are dropped when empty everywhere (Excel often leaves trailing separators). If
  they hold values the file is refused: for a CSV row with more cells than the header row the code is
  `extra_cells` and the message lists the rows. We refuse the file rather than the row because shifted cells
  mean an unquoted delimiter inside a value or a missing header: the values would land in the wrong columns,
  and the cause is usually in several rows and must be fixed in the source.
- **Headers** must be unique as written (after collapsing whitespace). Headers that differ only in case or
  accents but mean the same column are reported by `match_headers` as `duplicates`.
- **Dates** are read day first: `07/03/2024` is 7 March 2024. The platform's users are mostly outside the US;
  a value that only makes sense month first (`03/25/2024`) is an error whose message suggests the fix. Excel
  serial numbers are read in the 1900 date system, except that a bare four-digit number from 1900 to 2100 is
  refused as "looks like a year": read as a serial, `2024` would silently become a day in 1905.
- **Numbers**: spaces (including non-breaking ones) and apostrophes may group thousands. When both `,` and
  `.` appear, the last one is the decimal separator. A separator appearing once is the decimal separator
  (`1,5` and `1,234` are 1.5 and 1.234); appearing more than once it groups thousands (`1,234,567`). Where a
  whole number is expected, a single separator followed by exactly three digits groups thousands instead
  (`1,234` is 1234), since a fraction cannot be meant.
- **Lists** are separated by `;`, `|` or newlines; only when none of those appears do commas separate.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import json
import math
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

__all__ = [
    "CellError",
    "ColumnKind",
    "ColumnSpec",
    "CountryNames",
    "CountryResolver",
    "FileErrorCode",
    "HeaderMatch",
    "ImportFileError",
    "SourceRow",
    "Table",
    "TableFormat",
    "match_headers",
    "normalise",
    "parse_bool",
    "parse_code",
    "parse_codes",
    "parse_date",
    "parse_float",
    "parse_int",
    "parse_list",
    "read_table",
]

TableFormat = Literal["csv", "xlsx", "json"]
ColumnKind = Literal["text", "date", "bool", "int", "float", "country", "list", "code", "codes"]
FileErrorCode = Literal[
    "empty_file",
    "unsupported_format",
    "unsupported_spreadsheet",
    "unreadable_file",
    "invalid_json",
    "json_not_table",
    "json_nested_value",
    "too_many_rows",
    "empty_header",
    "duplicate_header",
    "extra_cells",
    "malformed_csv",
]


class ImportFileError(Exception):
    """The whole file is refused; `message` is meant for the person who uploaded it."""

    def __init__(self, code: FileErrorCode, message: str) -> None:
        super().__init__(message)
        self.code: FileErrorCode = code
        self.message = message


class CellError(ValueError):
    """One cell's text is not a valid value; `message` says what was expected."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class SourceRow:
    number: int
    values: dict[str, str | None]


@dataclass(frozen=True, slots=True)
class Table:
    format: TableFormat
    headers: list[str]
    rows: list[SourceRow]
    # Rows above the header row (a title, notes), not read: when known header names showed the header lower down.
    skipped_above_header: list[int] = field(default_factory=list)


# --- folding text for comparison --------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
# Letters that Unicode does not decompose but that people type without their stroke or as two letters.
_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    unmarked = "".join(char for char in decomposed if not unicodedata.category(char).startswith("M"))
    return " ".join(_WORD.findall(unmarked.casefold().translate(_LETTERS)))


def normalise(text: str) -> str:
    """Fold text for matching: no accents, lower case, every run of punctuation or spaces a single space.

    `"Pays d’origine"`, `"pays_d_origine"` and `" PAYS D ORIGINE "` all give `"pays d origine"`.
    """
    folded = _fold(text)
    # Case folding can produce characters that decompose again (and vice versa); a second pass settles
    # them so that normalise(normalise(x)) == normalise(x), which matching relies on.
    for _ in range(3):
        again = _fold(folded)
        if again == folded:
            break
        folded = again
    return folded


# --- reading a file ---------------------------------------------------------------------------------------

_SAVE_AS = "Open it in Excel (or LibreOffice) and save it as .xlsx or CSV, then upload that file."
_UPLOAD_HINT = "Upload an .xlsx, CSV or JSON file (the templates show the expected columns)."
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "a Rich Text document"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def read_table(
    data: bytes,
    *,
    filename: str | None,
    content_type: str | None,
    max_rows: int,
    sheet: str | None = None,
    is_header_name: Callable[[str], bool] | None = None,
) -> Table:
    """Read an uploaded file into its headers and non-empty rows, or raise `ImportFileError`.

    `sheet` names the XLSX sheet wanted (compared folded; a sheet whose name contains it will do); without
    it, or when no sheet is named so, the first visible sheet is read. The header row is the first non-empty
    row, unless `is_header_name` (whether a text names a column of the kind imported) finds a row lower down,
    among the first few, with two or more known column names: then the rows above it (a title, notes, a date)
    are skipped, as a person reading the sheet would.
    """
    if not data.strip():
        raise ImportFileError("empty_file", "The file is empty.")
    if _is_xlsx(data):
        return _read_xlsx(data, max_rows=max_rows, sheet=sheet, is_header_name=is_header_name)
    text = _decode_text(data)
    if not text.strip():
        raise ImportFileError("empty_file", "The file is empty.")
    _refuse_markup(text)
    declared = _declared_format(filename, content_type)
    if text.lstrip()[:1] in ("[", "{"):
        try:
            return _read_json(text, max_rows=max_rows)
        except ImportFileError as error:
            # A CSV whose first header happens to start with a bracket: trust the name only then.
            if error.code != "invalid_json" or declared != "csv":
                raise
    elif declared == "json":
        return _read_json(text, max_rows=max_rows)
    return _read_csv(text, max_rows=max_rows, is_header_name=is_header_name)


def _declared_format(filename: str | None, content_type: str | None) -> str | None:
    extension = filename.rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    if extension in ("csv", "tsv", "txt", "tab"):
        return "csv"
    if extension == "json":
        return "json"
    media = (content_type or "").split(";")[0].strip().lower()
    if media in ("text/csv", "text/tab-separated-values", "text/plain"):
        return "csv"
    if media == "application/json" or media.endswith("+json"):
        return "json"
    return None


def _is_xlsx(data: bytes) -> bool:
    """True for an XLSX; raises for any other binary file, with what it is and what to do."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        _refuse_other_zip(data)
        return True
    if data.startswith(_OLE2):
        raise ImportFileError(
            "unsupported_spreadsheet",
            "This is an Excel 97-2003 workbook (.xls) or a password-protected workbook, which cannot be read. "
            "Remove any password, then save it as .xlsx or CSV and upload that file.",
        )
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ImportFileError("unsupported_format", f"This file is {what}, not a spreadsheet. {_UPLOAD_HINT}")
    return False


def _refuse_other_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise ImportFileError("unreadable_file", f"The file is damaged and cannot be opened. {_SAVE_AS}") from error
    if "xl/workbook.xml" in names:
        return
    if "opendocument.spreadsheet" in mimetype:
        raise ImportFileError("unsupported_spreadsheet", f"This is an OpenDocument spreadsheet (.ods). {_SAVE_AS}")
    what = "a Word document" if "word/document.xml" in names else "a ZIP archive"
    if "ppt/presentation.xml" in names:
        what = "a PowerPoint presentation"
    raise ImportFileError("unsupported_format", f"This file is {what}, not a spreadsheet. {_UPLOAD_HINT}")


def _refuse_markup(text: str) -> None:
    # Many systems export "Excel" files that are really web pages or the old XML spreadsheet format.
    start = text.lstrip()[:200].lower()
    if start.startswith(("<!doctype", "<html", "<table", "<?xml", "<workbook")):
        raise ImportFileError(
            "unsupported_spreadsheet", f"This file is a web page or XML, not a spreadsheet file. {_SAVE_AS}"
        )


def _decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), else Windows-1252, else Latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_strict(data, ("utf-16",))
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decode_strict(data, (utf16,))
    if b"\x00" in data[:8192]:
        raise ImportFileError("unsupported_format", f"This is a binary file, not a spreadsheet. {_UPLOAD_HINT}")
    body = data.removeprefix(codecs.BOM_UTF8)
    # Latin-1 decodes any byte, so the chain always ends with text; cp1252 comes first because Excel on
    # Windows writes it (curly quotes and dashes live where Latin-1 has control characters).
    return _decode_strict(body, ("utf-8", "cp1252", "latin-1"))


def _decode_strict(data: bytes, encodings: Sequence[str]) -> str:
    for encoding in encodings:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
    raise ImportFileError("unreadable_file", "The file's text encoding could not be recognised; save it as UTF-8.")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of Latin letters has a zero in every other byte; nothing else we accept does."""
    sample = data[:512]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) == len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) == len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


_INVISIBLE = "\u200b\ufeff"


def _clean_cell(value: str) -> str | None:
    if not value:
        return None
    # Most cells need nothing done (a 100,000-row file has 1.5 million): check before building new strings.
    first, last = value[0], value[-1]
    if not (first.isspace() or last.isspace() or first in _INVISIBLE or last in _INVISIBLE or "\r" in value):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip().strip("\u200b\ufeff").strip()
    return text or None


def _clean_header(value: str | None) -> str | None:
    return " ".join(value.split()) if value else None


# --- CSV --------------------------------------------------------------------------------------------------

_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_CHARS = 64 * 1024
_SNIFF_RECORDS = 200
_SEPARATOR_LINE = re.compile(r"\A\s*sep=(.)[ \t]*\r?\n", re.IGNORECASE)

Record = tuple[int, list[str | None]]


def _read_csv(text: str, *, max_rows: int, is_header_name: Callable[[str], bool] | None = None) -> Table:
    # Excel honours a first line "sep=;" and does not show it, so the header is still row 1.
    hint = _SEPARATOR_LINE.match(text)
    if hint:
        text, delimiter = text[hint.end() :], hint.group(1)
    else:
        delimiter = _sniff_delimiter(text)
    return _build_table(
        "csv",
        _csv_records(text, delimiter),
        max_rows=max_rows,
        column_name=_csv_column_name,
        is_header_name=is_header_name,
    )


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits most rows into the same number (at least two) of cells.

    The most common width rather than the first row's decides, so a title line above the header does not
    hide the delimiter; ties go to the earlier of comma, semicolon, tab, pipe.
    """
    sample = text[:_SNIFF_CHARS]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        widths = Counter(width for width in _record_widths(sample, delimiter) if width >= 2)
        if widths:
            width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
            if (count, width) > best_score:
                best, best_score = delimiter, (count, width)
    return best


def _record_widths(sample: str, delimiter: str) -> list[int]:
    widths: list[int] = []
    try:
        for cells in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
            if any(cell.strip() for cell in cells):
                widths.append(len(cells))
            if len(widths) >= _SNIFF_RECORDS:
                break
    except csv.Error:
        return []
    return widths


def _csv_records(text: str, delimiter: str) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, list(map(_clean_cell, cells))
    except csv.Error as error:
        raise ImportFileError("malformed_csv", f"Row {number + 1} of the CSV file cannot be read: {error}.") from error


def _csv_column_name(index: int) -> str:
    return f"column {index + 1}"


# --- XLSX -------------------------------------------------------------------------------------------------


def _read_xlsx(
    data: bytes, *, max_rows: int, sheet: str | None, is_header_name: Callable[[str], bool] | None = None
) -> Table:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors for a damaged file; all mean the same
        raise ImportFileError("unreadable_file", f"The workbook is damaged and cannot be opened. {_SAVE_AS}") from error
    try:
        worksheet = _pick_sheet(workbook.worksheets, sheet)
        return _build_table(
            "xlsx",
            _xlsx_records(worksheet),
            max_rows=max_rows,
            column_name=_xlsx_column_name,
            is_header_name=is_header_name,
        )
    finally:
        workbook.close()


def _pick_sheet(worksheets: Sequence[object], wanted: str | None) -> ReadOnlyWorksheet:
    visible = [ws for ws in worksheets if isinstance(ws, ReadOnlyWorksheet) and ws.sheet_state == "visible"]
    if not visible:
        raise ImportFileError("empty_file", "The workbook has no visible sheet.")
    if wanted and normalise(wanted):
        target = normalise(wanted)
        exact = [ws for ws in visible if normalise(ws.title) == target]
        close = [ws for ws in visible if target in normalise(ws.title)]
        return (exact or close or visible)[0]
    return visible[0]


def _xlsx_records(worksheet: ReadOnlyWorksheet) -> Iterator[Record]:
    # The stored dimension is sometimes wrong (some tools write "A1"), which would silently cut rows off.
    worksheet.reset_dimensions()
    # The stubs borrow Worksheet.iter_rows for the read-only class, which mypy reads as a wrong `self`.
    rows = iter(worksheet.iter_rows(min_row=1, min_col=1, values_only=True))  # type: ignore[misc]
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as error:  # damaged sheet XML surfaces only while reading it
            raise ImportFileError(
                "unreadable_file", f"Row {number + 1} of the sheet cannot be read; the workbook may be damaged."
            ) from error
        number += 1
        cells = [_xlsx_cell(value) for value in values]
        # Formatted but empty cells pad rows out to the right; dropping them keeps wide sheets cheap.
        while cells and cells[-1] is None:
            cells.pop()
        yield number, cells


def _xlsx_cell(value: object) -> str | None:
    """The cell as a person sees it: ISO dates, whole numbers without ".0", booleans as true/false."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel shows 15 significant digits, so 0.1 + 0.2 computed by a formula reads "0.3" as in the sheet.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else format(value, ".15g")
    if isinstance(value, datetime):
        return _format_datetime(value)
    if isinstance(value, date | time):
        return value.isoformat()
    return _clean_cell(str(value))


def _format_datetime(value: datetime) -> str:
    if value.time() == time():
        return value.date().isoformat()
    return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")


def _xlsx_column_name(index: int) -> str:
    return f"column {get_column_letter(index + 1)}"


# --- JSON -------------------------------------------------------------------------------------------------

_WRAPPER_KEYS = ("items", "records", "rows")
_JSON_SHAPE = f"JSON must be an array of objects, or an object with an {', '.join(_WRAPPER_KEYS)} array."


def _read_json(text: str, *, max_rows: int) -> Table:
    try:
        document = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            "invalid_json", f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from error
    headers: dict[str, None] = {}
    rows: list[SourceRow] = []
    for number, item in enumerate(_json_items(document), start=1):
        values = _json_row(number, item)
        headers.update(dict.fromkeys(values))
        if any(value is not None for value in values.values()):
            rows.append(SourceRow(number, values))
            _check_row_count(len(rows), max_rows)
    for row in rows:
        for header in headers:
            row.values.setdefault(header, None)
    return Table("json", list(headers), rows)


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        header = _clean_header(key)
        if header is None:
            raise ImportFileError("empty_header", "An object in the file has an empty key; every key must be named.")
        if header in result:
            raise ImportFileError("duplicate_header", f'The key "{header}" appears twice in the same object.')
        result[header] = value
    return result


def _json_items(document: object) -> list[object]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in _WRAPPER_KEYS:
            if isinstance(document.get(key), list):
                items: list[object] = document[key]
                return items
    raise ImportFileError("json_not_table", _JSON_SHAPE)


def _json_row(number: int, item: object) -> dict[str, str | None]:
    if not isinstance(item, dict):
        raise ImportFileError("json_not_table", f"Item {number} is {_json_kind(item)}, not an object. {_JSON_SHAPE}")
    return {key: _json_cell(value, number, key) for key, value in item.items()}


def _json_cell(value: object, number: int, key: str) -> str | None:
    if isinstance(value, list):
        # A list of scalars becomes the ";"-separated text that list and code columns read.
        parts = [_json_scalar(part, number, key) for part in value]
        return "; ".join(part for part in parts if part is not None) or None
    return _json_scalar(value, number, key)


def _json_scalar(value: object, number: int, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, str):
        return _clean_cell(value)
    raise ImportFileError(
        "json_nested_value",
        f'Item {number}, "{key}": {_json_kind(value)} cannot be imported; use text, a number, true/false, '
        "or a list of those.",
    )


def _json_kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a nested list"
    if isinstance(value, str):
        return "text"
    return "a number" if isinstance(value, int | float) else "null"


# --- from records to a table ------------------------------------------------------------------------------


def _build_table(
    table_format: TableFormat,
    records: Iterator[Record],
    *,
    max_rows: int,
    column_name: Callable[[int], str],
    is_header_name: Callable[[str], bool] | None = None,
) -> Table:
    header_cells, read_past, skipped = _header_record(records, is_header_name)
    data = _data_records(records, max_rows, first=read_past)
    columns = _labelled_columns(table_format, header_cells, data, column_name)
    _refuse_duplicate_headers(columns, column_name)
    headers = [header for _, header in columns]
    if [index for index, _ in columns] == list(range(len(columns))):
        # Every column has its header (the usual case): pair cells with headers without indexing each one.
        # Shorter rows are padded; longer ones only have empty cells beyond the header (checked above).
        padding = [None] * len(headers)
        rows = [SourceRow(number, dict(zip(headers, [*cells, *padding], strict=False))) for number, cells in data]
    else:
        rows = [SourceRow(number, {header: _at(cells, index) for index, header in columns}) for number, cells in data]
    return Table(table_format, headers, rows, skipped)


# How far down a header row is looked for, and how many known column names make a row the header row.
HEADER_SEARCH_ROWS = 10
HEADER_NAMES_NEEDED = 2


def _header_record(
    records: Iterator[Record], is_header_name: Callable[[str], bool] | None
) -> tuple[list[str | None], list[Record], list[int]]:
    """The header row's cells, the non-empty rows read past it (data), and the row numbers skipped above it."""

    def looks_like_header(cells: list[str | None]) -> bool:
        assert is_header_name is not None
        names = sum(1 for cell in cells if cell is not None and is_header_name(_clean_header(cell) or ""))
        return names >= HEADER_NAMES_NEEDED

    seen: list[Record] = []
    for number, cells in records:
        if not any(cell is not None for cell in cells):
            continue
        seen.append((number, cells))
        if is_header_name is None or looks_like_header(cells) or len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise ImportFileError("empty_file", "The file has no header row and no data.")
    position = 0
    if is_header_name is not None and looks_like_header(seen[-1][1]):
        position = len(seen) - 1
    header = [_clean_header(cell) for cell in seen[position][1]]
    return header, seen[position + 1 :], [number for number, _ in seen[:position]]


def _data_records(records: Iterator[Record], max_rows: int, *, first: Sequence[Record] = ()) -> list[Record]:
    data: list[Record] = list(first)
    _check_row_count(len(data), max_rows)
    for number, cells in records:
        if any(cell is not None for cell in cells):
            data.append((number, cells))
            _check_row_count(len(data), max_rows)
    return data


def _check_row_count(count: int, max_rows: int) -> None:
    if count > max_rows:
        raise ImportFileError(
            "too_many_rows",
            f"The file has more than {max_rows} rows of data; at most {max_rows} can be imported at once. "
            "Split it into smaller files.",
        )


def _at(cells: Sequence[str | None], index: int) -> str | None:
    return cells[index] if index < len(cells) else None


def _labelled_columns(
    table_format: TableFormat,
    header_cells: list[str | None],
    data: list[Record],
    column_name: Callable[[int], str],
) -> list[tuple[int, str]]:
    """(position, header) of the columns kept; columns without a header must be empty in every row."""
    columns = [(index, header) for index, header in enumerate(header_cells) if header is not None]
    # Positions without a header: those inside the header row, then any beyond it in a row.
    blank = [index for index, header in enumerate(header_cells) if header is None]
    width = len(header_cells)
    unlabelled: dict[int, list[int]] = {}  # position -> rows with a value there
    for number, cells in data:
        if len(cells) <= width and not blank:
            continue
        for index in (*blank, *range(width, len(cells))):
            if index < len(cells) and cells[index] is not None:
                unlabelled.setdefault(index, []).append(number)
    if unlabelled:
        _refuse_unlabelled(table_format, unlabelled, columns, column_name)
    return columns


def _refuse_unlabelled(
    table_format: TableFormat,
    unlabelled: dict[int, list[int]],
    columns: list[tuple[int, str]],
    column_name: Callable[[int], str],
) -> None:
    # A lone header over wider rows is usually a title line above the real header row.
    title_hint = (
        " The first non-empty row is read as the header row: remove any title above it." if len(columns) == 1 else ""
    )
    last_labelled = columns[-1][0] if columns else -1
    beyond = sorted({number for index, numbers in unlabelled.items() if index > last_labelled for number in numbers})
    if table_format == "csv" and beyond:
        raise ImportFileError(
            "extra_cells",
            f"{_row_list(beyond).capitalize()} {'has' if len(beyond) == 1 else 'have'} more cells than the header "
            f"row ({last_labelled + 1}). A value containing the delimiter must be in double quotes, or a column is "
            f"missing its header.{title_hint}",
        )
    index, numbers = min(unlabelled.items())
    raise ImportFileError(
        "empty_header",
        f"The header of {column_name(index)} is empty but it has values in {_row_list(numbers)}.{title_hint}",
    )


def _row_list(numbers: Sequence[int]) -> str:
    """Like "row 4" or "rows 4, 9, 12 and 3 more": enough to find them, short enough to read."""
    shown = ", ".join(str(number) for number in numbers[:10])
    more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
    return f"{'row' if len(numbers) == 1 else 'rows'} {shown}{more}"


def _refuse_duplicate_headers(columns: list[tuple[int, str]], column_name: Callable[[int], str]) -> None:
    seen: dict[str, int] = {}
    for index, header in columns:
        if header in seen:
            raise ImportFileError(
                "duplicate_header",
                f'The header "{header}" appears twice ({column_name(seen[header])} and {column_name(index)}); '
                "each column must have its own header.",
            )
        seen[header] = index


# --- matching headers to columns --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """A column an import accepts: its key, its header in each language, and what its cells hold."""

    key: str
    labels: Mapping[str, str]  # language -> header text, e.g. {"en": "Country", "fr": "Pays", "es": "País"}
    aliases: tuple[str, ...] = ()
    required: bool = False
    description: Mapping[str, str] = field(default_factory=dict)  # language -> help text
    choices: Sequence[str] | None = None
    kind: ColumnKind = "text"


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """`mapping` keeps the first header of each column; `duplicates` are the later headers meaning the same.

    `suggestions` gives, for unknown headers that resemble an unmatched column, that column's key.
    """

    mapping: dict[str, str]  # file header -> column key
    unknown: list[str]
    missing_required: list[str]
    duplicates: list[str]
    suggestions: dict[str, str] = field(default_factory=dict)


def match_headers(headers: list[str], columns: Sequence[ColumnSpec]) -> HeaderMatch:
    """Match file headers to columns by key, any label or any alias, ignoring case, accents and punctuation."""
    names = _column_names(columns)
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for header in headers:
        key = names.get(normalise(header))  # never "": names holds no empty folded name
        if key is None:
            unknown.append(header)
        elif key in mapping.values():
            duplicates.append(header)
        else:
            mapping[header] = key
    matched = set(mapping.values())
    missing = [column.key for column in columns if column.required and column.key not in matched]
    return HeaderMatch(mapping, unknown, missing, duplicates, _header_suggestions(unknown, names, matched))


def header_name_test(columns: Sequence[ColumnSpec]) -> Callable[[str], bool]:
    """Whether a text names one of `columns` (by key, label or alias, folded as `match_headers` folds)."""
    names = _column_names(columns)
    return lambda text: normalise(text) in names


def _column_names(columns: Sequence[ColumnSpec]) -> dict[str, str]:
    names: dict[str, str] = {}
    for column in columns:
        for name in (column.key, *column.labels.values(), *column.aliases):
            folded = normalise(name)
            if not folded:
                continue
            if names.setdefault(folded, column.key) != column.key:
                raise ValueError(f'"{name}" names both columns {names[folded]!r} and {column.key!r}')
    return names


def _header_suggestions(unknown: list[str], names: dict[str, str], matched: set[str]) -> dict[str, str]:
    candidates = [name for name, key in names.items() if key not in matched]
    suggestions: dict[str, str] = {}
    for header in unknown:
        close = difflib.get_close_matches(normalise(header), candidates, n=1, cutoff=0.75)
        if close:
            suggestions[header] = names[close[0]]
    return suggestions


# --- dates ------------------------------------------------------------------------------------------------

_DATE_FORM = "a date such as 2024-03-07 or 07/03/2024 (day/month/year)"
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}.*")
_YEAR_FIRST = re.compile(rf"(\d{{4}})[/.](\d{{1,2}})[/.](\d{{1,2}}){_TIME}")
_DAY_FIRST = re.compile(rf"(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}){_TIME}")
_SHORT_YEAR = re.compile(r"\d{1,2}([/.-])\d{1,2}\1\d{2}")
_SERIAL = re.compile(r"\d{1,7}(?:\.\d+)?")  # 2958465 (9999-12-31) has seven digits
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:er)? (?:de )?([a-z]+) (?:de )?(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+) (\d{1,2}) (\d{4})")
# Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 the 29 February 1900 that never was.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan enero ene janvier janv",
            "february feb febrero fevrier fevr fev",
            "march mar marzo mars",
            "april apr abril abr avril avr",
            "may mayo mai",
            "june jun junio juin",
            "july jul julio juillet juil",
            "august aug agosto ago aout",
            "september sep sept septiembre setiembre set septembre",
            "october oct octubre octobre",
            "november nov noviembre novembre",
            "december dec diciembre dic decembre",
        ),
        start=1,
    )
    for name in names.split()
}


def parse_date(text: str) -> date:
    """A date written as in the file; day/month/year is assumed (see the module notes).

    Accepted: 2024-03-07, 07/03/2024, 7/3/2024, 07.03.2024, 07-03-2024, 2024/03/07, 2024.03.07, an ISO date
    and time (the date is kept), an Excel serial number (45358), and 7 March 2024 / 7 mars 2024 /
    7 de marzo de 2024 / March 7, 2024.
    """
    value = text.strip()
    if not value:
        raise CellError(f"Expected {_DATE_FORM}.")
    for parse in (_date_from_digits, _date_from_excel_serial, _date_from_words):
        parsed = parse(value)
        if parsed is not None:
            return parsed
    raise CellError(f'"{value}" is not a date; expected {_DATE_FORM}.')


def _date_from_digits(value: str) -> date | None:
    if match := _ISO_DATE.fullmatch(value):
        return _make_date(value, int(match[1]), int(match[2]), int(match[3]))
    if _ISO_DATETIME.fullmatch(value):
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            raise CellError(f'"{value}" is not a valid date and time; expected {_DATE_FORM}.') from None
    if match := _YEAR_FIRST.fullmatch(value):
        return _make_date(value, int(match[1]), int(match[2]), int(match[3]))
    if match := _DAY_FIRST.fullmatch(value):
        return _make_date(value, int(match[4]), int(match[3]), int(match[1]), day_first=True)
    if _SHORT_YEAR.fullmatch(value):
        raise CellError(f'"{value}" has a two-digit year; write the year in full, e.g. 07/03/2024.')
    return None


def _make_date(value: str, year: int, month: int, day: int, *, day_first: bool = False) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        pass
    if day_first and month > 12 and 1 <= day <= 12:
        raise CellError(
            f'"{value}" is not a valid date: dates are read as day/month/year and there is no month {month}. '
            f"If month {day} is meant, write {month:02d}/{day:02d}/{year} or {year}-{day:02d}-{month:02d}."
        )
    if not 1 <= month <= 12:
        raise CellError(f'"{value}" is not a valid date: there is no month {month}; dates are read as day/month/year.')
    raise CellError(f'"{value}" is not a real date: that month has no day {day}.')


def _date_from_excel_serial(value: str) -> date | None:
    if not _SERIAL.fullmatch(value):
        return None
    serial = int(Decimal(value))  # a fraction is the time of day, which a date drops
    if "." not in value and len(value) == 4 and 1900 <= serial <= 2100:
        # Read as a serial, a bare year would become a day in 1905: refuse rather than mislead.
        raise CellError(f'"{value}" looks like a year, not a date; write the full date, e.g. {value}-03-07.')
    if not 1 <= serial <= _EXCEL_MAX_SERIAL:
        raise CellError(f'"{value}" is outside the range of Excel dates; expected {_DATE_FORM}.')
    if serial == 60:
        raise CellError(f'"{value}" is Excel\'s 29 February 1900, which did not exist; expected {_DATE_FORM}.')
    return _EXCEL_EPOCH + timedelta(days=serial if serial > 60 else serial + 1)


def _date_from_words(value: str) -> date | None:
    words = normalise(value)
    if match := _DAY_MONTH_YEAR.fullmatch(words):
        day, month, year = match[1], match[2], match[3]
    elif match := _MONTH_DAY_YEAR.fullmatch(words):
        month, day, year = match[1], match[2], match[3]
    else:
        return None
    if month not in _MONTHS:
        return None
    return _make_date(value, int(year), _MONTHS[month], int(day))


# --- booleans, numbers, lists -----------------------------------------------------------------------------

_TRUE = frozenset({"yes", "y", "oui", "si", "true", "vrai", "verdadero", "1", "x"})
_FALSE = frozenset({"no", "n", "non", "false", "faux", "falso", "0"})
_CHECK_MARKS = frozenset({"✓", "✔", "☑"})


def parse_bool(text: str) -> bool:
    """yes/no, oui/non, sí/no, true/false, vrai/faux, verdadero/falso, y/n, 1/0, or x (a ticked box)."""
    if text.strip() in _CHECK_MARKS:
        return True
    value = normalise(text)
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(f'"{text.strip()}" is not yes or no; expected yes/no (oui/non, sí/no, true/false, 1/0).')


_NUMBER_FORM = "a number such as 1234.5, 1 234,5 or 1,234.5"
_GROUPING = " \u00a0\u202f\u2009'’"
_SPACE_GROUPED = re.compile(rf"\d{{1,3}}(?:[{_GROUPING}]\d{{3}})+(?:[.,]\d+)?")
_NUMBER = re.compile(r"([+\-−]?)\s*(\d[\d.,\s'’]*|[.,]\d+)(?:[eE]([+-]?\d+))?")
_MAX_EXPONENT = 308


def parse_int(text: str, *, min_value: int | None = None, max_value: int | None = None) -> int:
    """A whole number; `1 234`, `1,234`, `1.234` and `1234.0` are all 1234 (see the module notes)."""
    number = _parse_decimal(text, whole=True)
    if number != number.to_integral_value():
        raise CellError(f'"{text.strip()}" is not a whole number.')
    value = int(number)
    _check_range(text, value, min_value, max_value)
    return value


def parse_float(text: str, *, min_value: float | None = None, max_value: float | None = None) -> float:
    """A number with `,` or `.` as decimal separator (see the module notes for the rule)."""
    value = float(_parse_decimal(text, whole=False))
    if not math.isfinite(value):
        raise CellError(f'"{text.strip()}" is too large a number.')
    _check_range(text, value, min_value, max_value)
    return value


def _check_range(text: str, value: float, min_value: float | None, max_value: float | None) -> None:
    if min_value is not None and value < min_value:
        raise CellError(f'"{text.strip()}" is too small; the minimum is {min_value}.')
    if max_value is not None and value > max_value:
        raise CellError(f'"{text.strip()}" is too large; the maximum is {max_value}.')


def _parse_decimal(text: str, *, whole: bool) -> Decimal:
    value = text.strip()
    match = _NUMBER.fullmatch(value)
    body = _ungroup(match[2].strip(), whole=whole) if match else None
    exponent = int(match[3] or 0) if match else 0
    # Past a float's range nothing is meant, and int() of a huge power of ten would take the memory.
    if match is None or body is None or abs(exponent) > _MAX_EXPONENT:
        raise CellError(f'"{value}" is not a number; expected {_NUMBER_FORM}.')
    sign = "-" if match[1] in ("-", "−") else ""
    return Decimal(f"{sign}{body}e{exponent}")


def _ungroup(body: str, *, whole: bool) -> str | None:
    """The digits with "." as the only (decimal) separator, or None when the grouping is not sensible."""
    if any(char in _GROUPING or char.isspace() for char in body):
        if not _SPACE_GROUPED.fullmatch(body):
            return None
        body = "".join(char for char in body if not (char in _GROUPING or char.isspace()))
    commas, dots = body.count(","), body.count(".")
    if commas and dots:
        decimal_mark = "," if body.rfind(",") > body.rfind(".") else "."
        return _split_groups(body, thousands="." if decimal_mark == "," else ",", decimal_mark=decimal_mark)
    if commas + dots == 0:
        return body
    mark = "," if commas else "."
    if commas + dots > 1:
        return _split_groups(body, thousands=mark, decimal_mark=None)
    integer, fraction = body.split(mark)
    if not fraction.isdigit():
        return None
    if whole and len(fraction) == 3 and 1 <= len(integer) <= 3 and not integer.startswith("0"):
        return integer + fraction
    return f"{integer or '0'}.{fraction}"


def _split_groups(body: str, *, thousands: str, decimal_mark: str | None) -> str | None:
    integer, _, fraction = body.rpartition(decimal_mark) if decimal_mark else (body, "", "")
    if decimal_mark and (not fraction.isdigit() or decimal_mark in integer):
        return None
    groups = integer.split(thousands)
    if not (1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])):
        return None
    if not all(group.isdigit() for group in groups):
        return None
    return "".join(groups) + (f".{fraction}" if fraction else "")


_PREFERRED_SEPARATORS = re.compile(r"[;|\r\n]")
_COMMA = re.compile(",")


def parse_list(text: str) -> list[str]:
    """Items separated by `;`, `|` or newlines, else by commas; trimmed, without empties or repeats."""
    separator = _PREFERRED_SEPARATORS if _PREFERRED_SEPARATORS.search(text) else _COMMA
    items = (_clean_cell(part) for part in separator.split(text))
    return list(dict.fromkeys(item for item in items if item is not None))


def join_list(items: Iterable[str]) -> str:
    """The cell text that `parse_list` reads back as `items` (exports write lists with it): items joined by "; ";
    a lone item holding a comma ends with ";", or its commas would separate items on the way back."""
    text = "; ".join(items)
    if "," in text and not _PREFERRED_SEPARATORS.search(text):
        return text + ";"
    return text


# --- countries --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountryNames:
    iso3: str
    iso2: str
    names: Sequence[str]  # English, French and Spanish names, then aliases


class CountryResolver:
    """Turns what people write for a country (ISO3, ISO2, a name in any of three languages) into ISO3."""

    def __init__(self, countries: Iterable[CountryNames]) -> None:
        self._codes: dict[str, str] = {}
        self._names: dict[str, set[str]] = {}
        self._spelling: dict[str, str] = {}  # folded name -> a name as written, for suggestions
        self._display: dict[str, str] = {}  # iso3 -> its first name
        for country in countries:
            self._add(country)

    def _add(self, country: CountryNames) -> None:
        iso3 = country.iso3.upper()
        for code in filter(None, (normalise(country.iso3), normalise(country.iso2))):
            self._codes[code] = iso3
        self._display.setdefault(iso3, country.names[0] if country.names else iso3)
        for name in country.names:
            folded = normalise(name)
            if folded:
                self._names.setdefault(folded, set()).add(iso3)
                self._spelling.setdefault(folded, name)

    def resolve(self, text: str) -> str:
        folded = normalise(text)
        if not folded:
            raise CellError("Expected a country: its name in English, French or Spanish, or its ISO code.")
        # Codes first: a two- or three-letter entry is far more likely a code than a name.
        if folded in self._codes:
            return self._codes[folded]
        found = self._names.get(folded, set())
        if len(found) == 1:
            return next(iter(found))
        if found:
            options = " or ".join(f"{self._display[iso3]} ({iso3})" for iso3 in sorted(found))
            raise CellError(f'"{text.strip()}" could be {options}; use the ISO code.')
        raise CellError(self._unknown_message(text.strip(), folded))

    def _unknown_message(self, text: str, folded: str) -> str:
        message = f'"{text}" is not a known country; use its name in English, French or Spanish, or its ISO code.'
        suggestions: dict[str, str] = {}
        for name in difflib.get_close_matches(folded, list(self._names), n=10, cutoff=0.6):
            for iso3 in sorted(self._names[name]):
                suggestions.setdefault(iso3, f"{self._spelling[name]} ({iso3})")
        if suggestions:
            message += f" Did you mean {_or_list(list(suggestions.values())[:3])}?"
        return message


def _or_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


# --- vocabulary codes -------------------------------------------------------------------------------------

_LIST_ALL_UP_TO = 12


class _Vocabulary:
    def __init__(self, allowed: Collection[str], labels: Mapping[str, Sequence[str]] | None) -> None:
        self.allowed = allowed
        self.names: dict[str, str] = {}  # folded code or label -> code; codes first, so they win over labels
        for code in allowed:
            self._add(code, code)
        for code, code_labels in (labels or {}).items():
            if code in allowed:
                for label in code_labels:
                    self._add(label, code)

    def _add(self, name: str, code: str) -> None:
        folded = normalise(name)
        if folded:
            self.names.setdefault(folded, code)

    def find(self, text: str) -> str | None:
        value = text.strip()
        return value if value in self.allowed else self.names.get(normalise(value))

    def unknown(self, items: Sequence[str]) -> CellError:
        quoted = ", ".join(f'"{item}"' for item in items)
        message = f"{quoted} {'is not an accepted value' if len(items) == 1 else 'are not accepted values'}"
        if len(self.allowed) <= _LIST_ALL_UP_TO:
            return CellError(f"{message}; expected one of: {', '.join(sorted(self.allowed))}.")
        close = {
            self.names[name]: None
            for item in items
            for name in difflib.get_close_matches(normalise(item), list(self.names), n=3, cutoff=0.6)
        }
        hint = f" Did you mean {_or_list(list(close)[:3])}?" if close else ""
        return CellError(f"{message}.{hint}")


def parse_code(text: str, allowed: Collection[str], *, labels: Mapping[str, Sequence[str]] | None = None) -> str:
    """One vocabulary code: the code itself, or its code or a label written in any case or accents."""
    vocabulary = _Vocabulary(allowed, labels)
    code = vocabulary.find(text)
    if code is None:
        raise vocabulary.unknown([text.strip()])
    return code


def parse_codes(text: str, allowed: Collection[str], *, labels: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """Several codes as a list (see `parse_list`), each read as by `parse_code`; every unknown item is named."""
    vocabulary = _Vocabulary(allowed, labels)
    whole = vocabulary.find(text)
    if whole is not None:  # a label containing a comma is one item, not two
        return [whole]
    codes: list[str] = []
    unknown: list[str] = []
    for item in parse_list(text):
        code = vocabulary.find(item)
        if code is None:
            unknown.append(item)
        else:
            codes.append(code)
    if unknown:
        raise vocabulary.unknown(unknown)
    return list(dict.fromkeys(codes))
