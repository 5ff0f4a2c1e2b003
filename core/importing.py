"""Reading an uploaded CSV or Excel (.xlsx) file for an import, with the same limits everywhere.

Every import in the portal (partners, threat ratings, employees, training attendance, criteria
catalogues) reads its file through `read_rows`. It guarantees, before a row reaches the
importer's own checks:

- the file is no larger than the import's size limit (`CTPAT_IMPORT_MAX_MB` unless the
  importer sets its own), checked before a byte of it is parsed;
- the kind is decided from the content, not the name: a zip archive is read as an Excel
  workbook, anything else as UTF-8 text (a byte-order mark is allowed); a file named
  ``.xlsx`` that is not a zip archive, an old ``.xls`` workbook, or text in another encoding
  is refused with a message that says how to save the file instead;
- a workbook is read lazily (openpyxl ``read_only``) and its declared size is not trusted:
  a sheet that claims more rows or columns than Excel itself allows, that expands to far more
  than its size, or that has a long run of empty rows is refused instead of being walked
  row by row (a small file can declare millions of empty rows);
- no more than the import's row limit (`CTPAT_IMPORT_MAX_ROWS` unless the importer sets its
  own) data rows are read: the row after the limit refuses the file, naming the limit;
- no cell holds a NUL byte or another control character that the database or an export
  cannot store; the refusal names the row and the column;
- every failure of the file format (not a zip, broken sheet XML, a missing part) becomes one
  `ImportFileError` with a message naming the problem and the fix, never a server error.

Rows come out as `Row` (the spreadsheet's row number, the cell texts and the raw cell values);
empty rows are skipped. The first row yielded is the header. Nothing here writes to the
database: the importers check every row and then write all of them or none.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import importlib
import io
import re
import zipfile
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

DEFAULT_MAX_MB = 10
DEFAULT_MAX_ROWS = 5000
# Excel's own sheet limits: a sheet declaring more was not written by a spreadsheet program.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
# Columns accepted in one row; no import of the portal has more than a few dozen.
MAX_COLUMNS = 500
# Consecutive empty rows tolerated in a workbook (rows formatted but left empty). Beyond this
# the sheet is refused rather than walked to its end.
MAX_BLANK_RUN = 10_000
# A workbook may expand to at most this many times the size limit once unzipped; ordinary
# workbooks expand five to ten times.
MAX_EXPANSION = 10

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)
# C0 control characters other than tab, line feed and carriage return: PostgreSQL refuses
# NUL in text, and XML (hence .xlsx exports) refuses all of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_XML_ERRORS: tuple[type[BaseException], ...] = (ParseError,)
try:  # lxml is optional for openpyxl; its parse errors are not ParseError.
    _XML_ERRORS = (ParseError, importlib.import_module("lxml.etree").LxmlError)
except ImportError:  # pragma: no cover - depends on the environment
    pass


def located(message: str, row: int | None, column: str) -> str:
    """The message a person reads for one import problem: "Row 4, column “country”: …",
    "Row 4: …", or the message alone when the problem is the whole file."""
    if row and column:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": row,
            "column": column,
            "message": message,
        }
    if row:
        return _("Row %(row)s: %(message)s") % {"row": row, "message": message}
    return message


class ImportFileError(Exception):
    """The uploaded file is refused as a whole; `message` says why and what to do.

    `row` and `column` locate the problem when it is in one cell (row as numbered in the
    spreadsheet, header = 1; column by its header name or letter); both are empty otherwise.
    """

    def __init__(self, message: str, *, row: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column

    def __str__(self) -> str:
        return located(self.message, self.row, self.column)


@dataclass(frozen=True, slots=True)
class Row:
    """One non-empty row: its number in the spreadsheet, its cells as text, and as read."""

    number: int
    values: list[str]
    raw: tuple[Any, ...]


def max_bytes_default() -> int:
    return int(getattr(settings, "CTPAT_IMPORT_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def max_rows_default() -> int:
    return int(getattr(settings, "CTPAT_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def cell_text(value: Any) -> str:
    """A cell as the text a person sees: dates as YYYY-MM-DD, 12.0 as 12, trimmed."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def clean_filename(name: str, limit: int = 200) -> str:
    """An uploaded file's name fit to store and show: control characters removed, cut short."""
    return _CONTROL.sub("", name)[:limit]


def _size_of(source: IO[bytes] | bytes) -> int | None:
    if isinstance(source, bytes | bytearray):
        return len(source)
    size = getattr(source, "size", None)
    if isinstance(size, int):
        return size
    try:
        position = source.tell()
        end = source.seek(0, io.SEEK_END)
        source.seek(position)
        return int(end) - int(position)
    except (AttributeError, OSError, ValueError):
        return None


def _count(number: int) -> str:
    """A count with the reader's thousands separator (20,000 in English, 20.000 in Spanish)."""
    return str(number_format(number, force_grouping=True))


def _megabytes(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.0f} MB"
    return f"{max(1, round(limit / 1000))} kB"


def read_bytes(source: IO[bytes] | bytes, *, max_bytes: int | None = None) -> bytes:
    """The file's bytes, after checking its size against the limit (before reading it)."""
    limit = max_bytes if max_bytes is not None else max_bytes_default()
    size = _size_of(source)
    if size is not None and size > limit:
        raise ImportFileError(
            _("The file is larger than %(limit)s; split it into smaller files.")
            % {"limit": _megabytes(limit)}
        )
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    # Read one byte past the limit so a source of unknown size cannot exceed it either.
    data = source.read(limit + 1)
    if len(data) > limit:
        raise ImportFileError(
            _("The file is larger than %(limit)s; split it into smaller files.")
            % {"limit": _megabytes(limit)}
        )
    return data


def read_rows(
    source: IO[bytes] | bytes,
    filename: str = "",
    *,
    kinds: Collection[str] = ("csv", "xlsx"),
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> Iterator[Row]:
    """The non-empty rows of an uploaded file, header first, read lazily.

    `kinds` are the formats this import accepts ("csv", "xlsx"). Raises `ImportFileError`
    (possibly after some rows were yielded) when the file is refused; see the module
    docstring for what is checked.
    """
    limit_rows = max_rows if max_rows is not None else max_rows_default()
    limit_bytes = max_bytes if max_bytes is not None else max_bytes_default()
    data = read_bytes(source, max_bytes=limit_bytes)
    kind = _detect_kind(data, filename, kinds)
    lines = _xlsx_lines(data, limit_bytes) if kind == "xlsx" else _csv_lines(data)
    header: list[str] = []
    data_rows = 0
    blank_run = 0
    for number, raw in lines:
        if len(raw) > MAX_COLUMNS:
            raise ImportFileError(
                _("The row has more than %(n)s columns; delete the unused columns.")
                % {"n": MAX_COLUMNS},
                row=number,
            )
        values = [cell_text(v) for v in raw]
        if not any(values):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                raise ImportFileError(
                    _(
                        "More than %(n)s empty rows in a row before row %(row)s. Delete the "
                        "empty rows below your data and upload the file again."
                    )
                    % {"n": _count(MAX_BLANK_RUN), "row": number}
                )
            continue
        blank_run = 0
        if header:
            data_rows += 1
            if data_rows > limit_rows:
                raise ImportFileError(
                    _(
                        "The file has more than %(n)s rows; this import takes at most %(n)s "
                        "rows at a time. Split the file and import each part."
                    )
                    % {"n": _count(limit_rows)},
                    row=number,
                )
        _refuse_control_characters(number, values, header)
        if not header:
            header = [v.lower() for v in values]
        yield Row(number, values, tuple(raw))


def _refuse_control_characters(number: int, values: list[str], header: list[str]) -> None:
    for index, value in enumerate(values):
        if _CONTROL.search(value):
            if index < len(header) and header[index]:
                column = header[index]
            else:
                from openpyxl.utils import get_column_letter

                column = get_column_letter(index + 1)
            raise ImportFileError(
                _(
                    "The cell holds a control character (such as a NUL byte) that cannot be "
                    "stored. Retype the cell or save the file again as CSV UTF-8 or .xlsx."
                ),
                row=number,
                column=column,
            )


def _detect_kind(data: bytes, filename: str, kinds: Collection[str]) -> str:
    looks_xlsx = filename.lower().endswith((".xlsx", ".xlsm"))
    if data.startswith(ZIP_MAGIC):
        if "xlsx" in kinds:
            return "xlsx"
        raise ImportFileError(
            _("This is an Excel workbook, not a CSV file. Save it as “CSV UTF-8” and upload that.")
        )
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(
            _(
                "This is an old Excel 97-2003 (.xls) workbook. Save it as Excel workbook "
                "(.xlsx) or as “CSV UTF-8” and upload that."
            )
        )
    if looks_xlsx:
        raise ImportFileError(
            _(
                "The file is named .xlsx but is not an Excel workbook (it is not a zip "
                "archive). Open it in Excel and save it as Excel workbook (.xlsx) or as "
                "“CSV UTF-8”."
            )
        )
    if "csv" not in kinds:
        raise ImportFileError(_("Upload an Excel workbook (.xlsx)."))
    return "csv"


def _csv_lines(data: bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
    try:
        text = codecs.decode(data, "utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (line %(line)s). In Excel choose "
                "Save As → “CSV UTF-8 (comma delimited)” and upload that file."
            )
            % {"line": line}
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Rows are counted as records, as a spreadsheet numbers them (a quoted cell may
        # span several lines of text).
        for number, values in enumerate(reader, start=1):
            yield number, tuple(values)
    except csv.Error as exc:
        raise ImportFileError(
            _(
                "The file is not valid CSV near line %(line)s (%(error)s); save it again "
                "as CSV UTF-8."
            )
            % {"line": reader.line_num, "error": exc}
        ) from None


def _broken_workbook() -> ImportFileError:
    return ImportFileError(
        _(
            "The Excel workbook is damaged and cannot be read. Open it in Excel, save it "
            "again as Excel workbook (.xlsx) or as “CSV UTF-8”, and upload that."
        )
    )


# Everything openpyxl, zipfile and the XML parser raise on a damaged or hostile workbook.
_WORKBOOK_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    EOFError,
    OSError,
    *_XML_ERRORS,
)


def _xlsx_lines(data: bytes, limit_bytes: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    errors: tuple[type[BaseException], ...] = (*_WORKBOOK_ERRORS, InvalidFileException)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except errors:
        raise _broken_workbook() from None
    if expanded > limit_bytes * MAX_EXPANSION:
        raise ImportFileError(
            _(
                "The workbook unpacks to %(size)s, far more than its data can need. Save it "
                "as “CSV UTF-8” and upload that."
            )
            % {"size": _megabytes(expanded)}
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except errors:
        raise _broken_workbook() from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no sheet."))
        sheet: Any = workbook.worksheets[0]
        if (sheet.max_row or 0) > EXCEL_MAX_ROWS or (sheet.max_column or 0) > EXCEL_MAX_COLUMNS:
            raise ImportFileError(
                _(
                    "The first sheet declares %(rows)s rows, more than Excel allows; the file "
                    "was not written by a spreadsheet program. Save it again from Excel."
                )
                % {"rows": _count(sheet.max_row)}
            )
        # The declared size is not trusted: openpyxl would otherwise pad the sheet with
        # empty rows up to it, which is how a small file costs seconds of CPU.
        sheet.reset_dimensions()
        number = 0
        try:
            for raw in sheet.iter_rows(values_only=True):
                number += 1
                if number > EXCEL_MAX_ROWS:
                    raise ImportFileError(
                        _("The sheet has more rows than Excel allows. Save it again from Excel.")
                    )
                yield number, tuple(raw)
        except errors:
            raise _broken_workbook() from None
    finally:
        workbook.close()
