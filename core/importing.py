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
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Generic, TypeVar
from xml.etree.ElementTree import ParseError

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from core.exports import append_text_row, safe_writer

T = TypeVar("T")

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
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": row,
            "column": column,
            "message": message,
        }
    if row:
        return _("Row %(row)s: %(message)s") % {"row": row, "message": message}
    if column:
        return _("Column %(column)s: %(message)s") % {"column": column, "message": message}
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


# --- declared imports ----------------------------------------------------------------------
#
# Every import of the portal is a subclass of `Importer` that declares its columns once and
# says how to check a row and how to write the checked rows. The reading, the header, the
# empty, too long and unparseable cells, the problems and the downloadable template are
# done here, the same way for all of them.


def plain(text: str) -> str:
    """Text compared without case, accents or surrounding spaces ("México " == "mexico")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


def _header_key(text: str) -> str:
    """A header as compared with the declared names: "Correo electrónico" is correo_electronico."""
    return re.sub(r"[\s\-]+", "_", plain(text))


class Invalid(Exception):
    """A cell's value is refused; `reason` says what is wrong and what to write instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Problem:
    """The one kind of import error: where (row as a spreadsheet numbers it, header = 1;
    column by its declared name), the value found there, and the reason with the fix.
    `row` is None and `column` empty when the problem is the file as a whole."""

    row: int | None
    column: str
    value: str
    reason: str

    @property
    def message(self) -> str:
        return self.reason

    def __str__(self) -> str:
        return located(self.reason, self.row, self.column)

    def as_dict(self) -> dict[str, Any]:
        """The problem as stored with an import batch (JSON)."""
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.reason}

    @classmethod
    def from_file_error(cls, error: ImportFileError) -> Problem:
        return cls(error.row, error.column, "", error.message)


class ImportRefused(Exception):
    """The file was refused whole and nothing was written; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    """One column of an import, declared once.

    `name` is the English header (and the key of the checked value), `es` the Spanish one;
    `aliases` are further headers accepted. Headers are compared without case, accents or
    the difference between spaces, "-" and "_". `required` asks for a value in every row
    (`required_reason` replaces the generic refusal); `in_header` asks the header to name
    the column even when its cells may stay empty (it defaults to `required`). `parse`
    turns the cell's text into the stored value or raises `Invalid`; it is not called for
    an empty cell, whose value is `empty`. `help` says what the column holds (import page).
    """

    name: str
    es: str = ""
    aliases: tuple[str, ...] = ()
    required: bool = False
    in_header: bool | None = None
    parse: Parser | None = None
    max_length: int | None = None
    empty: Any = ""
    required_reason: StrOrPromise = ""
    help: StrOrPromise = ""

    @property
    def header_required(self) -> bool:
        return self.required if self.in_header is None else self.in_header

    def headers(self) -> set[str]:
        return {_header_key(h) for h in (self.name, self.es, *self.aliases) if h}

    def header(self, language: str | None = None) -> str:
        """The header a template shows: Spanish for a Spanish reader, else the name."""
        language = language or translation.get_language() or "en"
        return self.es if self.es and language.startswith("es") else self.name

    def value(self, text: str) -> Any:
        """The checked value of a non-empty cell; raises `Invalid`."""
        if self.max_length is not None and len(text) > self.max_length:
            raise Invalid(
                _("%(length)s characters is too long; shorten it to at most %(limit)s.")
                % {"length": len(text), "limit": self.max_length}
            )
        return self.parse(text) if self.parse is not None else text


def choice_parser(
    lookup: Callable[[], dict[str, str]], reason: StrOrPromise, accepted: Iterable[str] = ()
) -> Parser:
    """A parser that maps a cell (compared by `plain`) to a code through `lookup()`, built
    once on first use (the names of choices in English and Spanish, say). `reason` may
    name the `accepted` values as %(values)s."""
    table: dict[str, str] = {}
    values = ", ".join(accepted)

    def parse(text: str) -> str:
        if not table:
            table.update(lookup())
        found = table.get(plain(text))
        if found is None:
            raise Invalid(str(reason) % {"values": values} if values else str(reason))
        return found

    return parse


def date_parser(text: str) -> datetime.date:
    """An ISO date (2026-03-31; a time after it is ignored)."""
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise Invalid(_("Not a date; write it as YYYY-MM-DD, e.g. 2026-03-31.")) from None


def date_column(
    name: str, es: str, *, parse: Parser = date_parser, help: StrOrPromise = "", **more: Any
) -> Column:
    """An optional date column: ISO dates (or `parse`), an empty cell is None."""
    return Column(
        name, es, parse=parse, empty=None, help=help or gettext_lazy("YYYY-MM-DD"), **more
    )


class RowCheck:
    """One data row while it is checked: its number, the text of each declared column, the
    parsed values, and the problems found so far. `fail` adds one."""

    __slots__ = ("line", "number", "problems", "text", "values")

    def __init__(self, line: Row, text: dict[str, str], values: dict[str, Any]) -> None:
        self.line = line
        self.number = line.number
        self.text = text
        self.values = values
        self.problems: list[Problem] = []

    @property
    def ok(self) -> bool:
        return not self.problems

    def failed(self, column: str) -> bool:
        return any(p.column == column for p in self.problems)

    def fail(self, column: str, reason: str, value: str | None = None) -> None:
        shown = self.text.get(column, "") if value is None else value
        self.problems.append(Problem(self.number, column, shown, reason))


class _Plan:
    """How the cells of each row map to the declared columns, worked out once per file."""

    def __init__(self, columns: tuple[Column, ...], positions: dict[int, Column]) -> None:
        present = {c.name for c in positions.values()}
        self.cells = [
            (index, c, c.name, c.parse is None and c.max_length is None)
            for index, c in positions.items()
        ]
        self.absent_text = {c.name: "" for c in columns if c.name not in present}
        self.absent_values = {c.name: c.empty for c in columns if c.name not in present}


@dataclass
class Checked(Generic[T]):
    """The outcome of checking a whole file: the rows ready to write, or the problems."""

    rows: list[T] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [p.as_dict() for p in self.problems]


class Importer(Generic[T]):
    """One import: the declared `columns`, how a row becomes a `T` (`build_row`), and the
    write of all rows (`write`). `check` reads and checks a whole file without writing;
    `run` checks and then writes everything in one transaction, or raises `ImportRefused`.

    Subclasses set `columns` and usually `no_rows_reason`; `kinds` are the file formats
    accepted; `unknown_columns` is "refuse" (a header the import does not know is an
    error) or "ignore".
    """

    columns: tuple[Column, ...] = ()
    kinds: tuple[str, ...] = ("csv", "xlsx")
    unknown_columns: str = "refuse"
    template_name: str = "import-template"
    no_rows_reason: StrOrPromise = gettext_lazy(
        "The file has a header but no rows; add a row below it."
    )

    # -- hooks ------------------------------------------------------------------------------

    def max_rows(self) -> int | None:
        return None

    def max_bytes(self) -> int | None:
        return None

    def check_header(self, found: list[str]) -> list[Problem]:
        """Problems of the header beyond missing, unknown and repeated columns."""
        return []

    def build_row(self, row: RowCheck) -> T | None:
        """The row to write, from `row.values` (the parsed cells of every declared column);
        checks across columns and against stored data call `row.fail`. Called also when
        a cell failed, so that every problem of the row is listed at once."""
        raise NotImplementedError

    def check_rows(self, rows: list[T]) -> list[Problem]:
        """Problems across rows (duplicates, one spelling per category); `rows` are all
        the rows `build_row` returned, including those with problems of their own."""
        return []

    def write(self, rows: list[T]) -> Any:
        """Write every checked row; runs inside the transaction of `run`."""
        raise NotImplementedError

    # -- the machinery ----------------------------------------------------------------------

    def read(self, source: IO[bytes] | bytes, filename: str = "") -> Iterator[Row]:
        return read_rows(
            source,
            filename,
            kinds=self.kinds,
            max_rows=self.max_rows(),
            max_bytes=self.max_bytes(),
        )

    def check(self, source: IO[bytes] | bytes, filename: str = "") -> Checked[T]:
        """Every row checked, nothing written; a refused file gives its one problem."""
        suffix = filename.rpartition(".")[2].lower() if "." in filename else ""
        if filename and suffix not in self.kinds:
            accepted = _(" or ").join(f".{kind}" for kind in self.kinds)
            return Checked(
                problems=[
                    Problem(
                        None,
                        "",
                        filename,
                        _("Upload a %(kinds)s file, not “%(name)s”.")
                        % {"kinds": accepted, "name": filename},
                    )
                ]
            )
        try:
            return self.check_lines(self.read(source, filename))
        except ImportFileError as error:
            return Checked(problems=[Problem.from_file_error(error)])

    def check_lines(self, lines: Iterable[Row]) -> Checked[T]:
        """Check rows already read (header first); `ImportFileError` from the reader stops it."""
        iterator = iter(lines)
        first = next(iterator, None)
        if first is None:
            return Checked(problems=[Problem(None, "", "", _("The file is empty."))])
        positions, problems = self._match_header(first)
        problems.extend(self.check_header([c.name for c in positions.values()]))
        result: Checked[T] = Checked(
            problems=problems, columns=[c.name for c in positions.values()]
        )
        if problems:
            # Row checks against a wrong header would only repeat its problem on every row.
            return result
        plan = _Plan(self.columns, positions)
        count = 0
        built: list[T] = []  # every row built, with problems or not, for the checks across rows
        for line in iterator:
            count += 1
            row = self._check_line(line, plan)
            made = self.build_row(row)
            result.problems.extend(row.problems)
            if made is not None:
                built.append(made)
                if row.ok:
                    result.rows.append(made)
        if not count:
            result.problems.append(Problem(None, "", "", str(self.no_rows_reason)))
        result.problems.extend(self.check_rows(built))
        return result

    def run(self, source: IO[bytes] | bytes, filename: str = "") -> Any:
        """Check the whole file, then write all of it in one transaction, or nothing."""
        checked = self.check(source, filename)
        if not checked.ok:
            raise ImportRefused(checked.problems)
        with transaction.atomic():
            return self.write(checked.rows)

    def _match_header(self, first: Row) -> tuple[dict[int, Column], list[Problem]]:
        by_header = {h: c for c in self.columns for h in c.headers()}
        positions: dict[int, Column] = {}
        problems: list[Problem] = []
        seen: set[str] = set()
        for index, cell in enumerate(first.values):
            if not cell:
                continue
            column = by_header.get(_header_key(cell))
            if column is None:
                if self.unknown_columns == "refuse":
                    problems.append(
                        Problem(
                            first.number,
                            cell,
                            cell,
                            _(
                                "Not a column of this import (unknown column); the columns "
                                "are: %(columns)s."
                            )
                            % {"columns": self.column_list()},
                        )
                    )
                continue
            if column.name in seen:
                problems.append(
                    Problem(
                        first.number,
                        column.name,
                        cell,
                        _("The column appears more than once; delete the repeated one."),
                    )
                )
                continue
            seen.add(column.name)
            positions[index] = column
        for column in self.columns:
            if column.header_required and column.name not in seen:
                problems.append(
                    Problem(
                        first.number,
                        column.name,
                        "",
                        _(
                            "This column is missing; the header row must name it. "
                            "The columns are: %(columns)s."
                        )
                        % {"columns": self.column_list()},
                    )
                )
        return positions, problems

    def _check_line(self, line: Row, plan: _Plan) -> RowCheck:
        # The hot loop of every import (a partner file has up to 100,000 rows): plain
        # local lookups, and a cell with neither parser nor length limit is taken as is.
        cells = line.values
        width = len(cells)
        row = RowCheck(line, dict(plan.absent_text), dict(plan.absent_values))
        text, values = row.text, row.values
        for index, column, name, as_is in plan.cells:
            cell = cells[index] if index < width else ""
            text[name] = cell
            if not cell:
                values[name] = column.empty
                if column.required:
                    row.fail(
                        name,
                        str(column.required_reason)
                        or _("Required: this cell may not be empty; fill it in."),
                    )
            elif as_is:
                values[name] = cell
            else:
                try:
                    values[name] = column.value(cell)
                except Invalid as refusal:
                    values[name] = column.empty
                    row.fail(name, refusal.reason)
        return row

    def column_list(self) -> str:
        return ", ".join(c.header() for c in self.columns)


def template_response(importer: type[Importer[Any]] | Importer[Any], kind: str) -> HttpResponse:
    """The import's template file: the header row in the reader's language (the English
    names are accepted on import too), as CSV or, when the import takes Excel, .xlsx."""
    if kind not in importer.kinds:
        raise Http404
    header = [c.header() for c in importer.columns]
    name = f"{importer.template_name}.{kind}"
    if kind == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        safe_writer(response).writerow(header)
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet: Any = book.active
        append_text_row(sheet, header)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ImportForm(forms.Form):
    """The upload form of every import page. Given `kinds`, a file whose name says another
    type is refused on the form; given `max_bytes`, a file over that size too (the reader
    checks both again)."""

    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8) or Excel (.xlsx) with the column names in the first row."
        ),
    )

    def __init__(
        self,
        *args: Any,
        kinds: Collection[str] = (),
        max_bytes: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes
        if self.kinds == ("csv",):
            self.fields["file"].help_text = gettext_lazy(
                "CSV (UTF-8) with the column names in the first row."
            )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = upload.name.rpartition(".")[2].lower()
        if self.kinds and suffix not in self.kinds:
            raise forms.ValidationError(
                _("Upload a %(kinds)s file.")
                % {"kinds": _(" or ").join(f".{kind}" for kind in self.kinds)}
            )
        if self.max_bytes is not None and upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s; split it into smaller files.")
                % {"limit": _megabytes(self.max_bytes)}
            )
        return upload


def upload_page(
    request: HttpRequest, importer: Importer[Any], batch_model: Any, template: str, **context: Any
) -> HttpResponse:
    """The first step of a two-step import page (partners, threat ratings): the upload form;
    a file sent is checked whole and stored as a batch (`batch_model`: company, uploaded_by,
    filename, status PREVIEW or INVALID, rows, errors) that shows the preview or the
    problems, where the page then goes."""
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        kinds=importer.kinds,
        max_bytes=importer.max_bytes(),
    )
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        checked = importer.check(upload, upload.name)
        batch = batch_model.objects.create(
            company=context["company"],
            uploaded_by=request.user,
            filename=clean_filename(upload.name),
            status=batch_model.Status.INVALID if checked.problems else batch_model.Status.PREVIEW,
            rows=[] if checked.problems else checked.rows,
            errors=checked.errors[:1000],
        )
        return redirect(batch)
    return render(request, template, {**context, "form": form, "columns": importer.columns})
