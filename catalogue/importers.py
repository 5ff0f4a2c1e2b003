"""Import a criteria catalogue version from a CSV, Excel (.xlsx) or YAML file.

Every file has the columns of the shipped `shared/data/msc/criteria.csv`:

    id, focus_area, category_number, category_name, requirement, entity_types, summary,
    source, requirement_overrides, verified_for, evidence, msc_documents, notes

plus an optional `guidance` column. Conventions inside a cell:

- `id` is `category.sequence` (`3.1`, `7.37`) and its first part equals `category_number`.
- `requirement` is `Must` or `Should` (any letter case).
- `entity_types` and `verified_for` list business-type slugs separated by `;`
  (`importer;highway_carrier`); `verified_for` is a subset of `entity_types`.
- `requirement_overrides` lists `slug:Level` pairs separated by `;`
  (`customs_broker:Should`), each slug one of the row's `entity_types`.
- `source` (required) and `msc_documents` hold one or more http(s) URLs separated by spaces.

In an Excel workbook the first sheet is read, with the column names in row 1; format the
`id` column as text (a number cell would turn 3.10 into 3.1). A YAML file is a list of
mappings with the same keys (or a mapping with a `criteria` list); lists and, for
`requirement_overrides`, a mapping are accepted where the CSV has separated text.

The whole file is validated before anything is written. A file with any problem is
refused with every problem listed, each naming the row (as a spreadsheet shows it: the
header is row 1; in YAML the entry number), the column and the reason, and nothing is
written. A valid file is written in one transaction and published. Re-importing the same
file (same SHA-256) as an existing version changes nothing; a different file under an
existing version is refused.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from catalogue.choices import Requirement
from catalogue.models import Applicability, Catalogue, Criterion
from companies.choices import BusinessType
from core.importing import ImportFileError, read_rows

if TYPE_CHECKING:
    from accounts.models import User

COLUMNS = (
    "id",
    "focus_area",
    "category_number",
    "category_name",
    "requirement",
    "entity_types",
    "summary",
    "source",
    "requirement_overrides",
    "verified_for",
    "evidence",
    "msc_documents",
    "notes",
)
OPTIONAL_COLUMNS = ("guidance",)
FORMATS = (".csv", ".xlsx", ".yaml", ".yml")
# Far above the shipped file (~85 kB); an upload beyond this is not a criteria list. The
# upload page carries the file through its confirm step in a form field, which must stay
# under Django's 2.5 MB request limit once base64-encoded.
MAX_FILE_BYTES = 1_500_000

# No leading zeros: "3.01" and "3.1" would otherwise be two spellings of one criterion.
ID_PATTERN = re.compile(r"([1-9][0-9]{0,2})\.([1-9][0-9]{0,3})")
_LIMITS = {"focus_area": 100, "category_name": 200, "evidence": 200}
_url = URLValidator(schemes=["http", "https"])

# The 2019 MSC as shipped in shared/data/msc/criteria.csv (domain.md §2, §9).
DEFAULT_SLUG = "ctpat-msc"
DEFAULT_VERSION = "2019"
DEFAULT_NAME = "CTPAT Minimum Security Criteria 2019"
DEFAULT_PUBLISHER = "U.S. Customs and Border Protection (CTPAT)"
DEFAULT_EFFECTIVE = datetime.date(2020, 1, 1)


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused. `row` is None for the file as a whole."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None and not self.column:
            return self.message
        if self.row is None:
            return _("Column %(column)s: %(message)s") % {
                "column": self.column,
                "message": self.message,
            }
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class CatalogueImportError(Exception):
    """The file was refused; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Metadata:
    """What the file itself does not say: which catalogue and version it is."""

    slug: str = DEFAULT_SLUG
    version: str = DEFAULT_VERSION
    name: str = DEFAULT_NAME
    publisher: str = DEFAULT_PUBLISHER
    effective_date: datetime.date = DEFAULT_EFFECTIVE

    @staticmethod
    def default_name(version: str) -> str:
        return f"CTPAT Minimum Security Criteria {version}"


@dataclass
class CriterionRow:
    """One validated row, ready to become a Criterion."""

    row: int
    ref_id: str
    category_number: int
    sequence: int
    focus_area: str
    category_name: str
    requirement: str
    entity_types: list[str]
    requirement_overrides: dict[str, str]
    verified_for: list[str]
    summary: str
    guidance: str
    sources: list[str]
    evidence: str
    msc_documents: list[str]
    notes: str

    def requirement_for(self, business_type: str) -> str:
        return self.requirement_overrides.get(business_type, self.requirement)


@dataclass
class TypeCount:
    """Preview line: how many criteria one business type gets."""

    business_type: str
    label: str
    total: int
    must: int
    should: int
    verified: int


@dataclass
class Validation:
    """The result of checking a file: its rows, its problems, and whether this exact
    file is already loaded as the requested version."""

    filename: str
    sha256: str
    metadata: Metadata
    rows: list[CriterionRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already_loaded: Catalogue | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def requirement_counts(self) -> Counter[str]:
        return Counter(r.requirement for r in self.rows)

    def category_counts(self) -> list[tuple[int, str, int]]:
        counts: Counter[tuple[int, str]] = Counter(
            (r.category_number, r.category_name) for r in self.rows
        )
        return [(num, name, n) for (num, name), n in sorted(counts.items())]

    def type_counts(self) -> list[TypeCount]:
        result = []
        for value, label in BusinessType.choices:
            rows = [r for r in self.rows if value in r.entity_types]
            levels = Counter(r.requirement_for(value) for r in rows)
            result.append(
                TypeCount(
                    business_type=value,
                    label=str(label),
                    total=len(rows),
                    must=levels[Requirement.MUST],
                    should=levels[Requirement.SHOULD],
                    verified=sum(value in r.verified_for for r in rows),
                )
            )
        return result


@dataclass(frozen=True)
class ImportResult:
    catalogue: Catalogue
    created: bool


# --- reading the file --------------------------------------------------------------------


RawRows = list[tuple[int, dict[str, str]]]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_sheet(data: bytes, filename: str) -> tuple[list[str], RawRows, list[Problem]]:
    """A CSV or .xlsx file through `core.importing.read_rows` (its limits and refusals)."""
    header: list[str] = []
    rows: RawRows = []
    problems: list[Problem] = []
    try:
        for line in read_rows(data, filename, max_bytes=MAX_FILE_BYTES):
            if not header:
                header = list(line.values)
                while header and not header[-1]:
                    header.pop()
                continue
            cells = line.values
            if any(cells[len(header) :]):
                problems.append(
                    Problem(
                        line.number,
                        "",
                        _("the row has values to the right of the last column."),
                    )
                )
                continue
            if "id" in header and isinstance(_at(line.raw, header.index("id")), int | float):
                problems.append(_numeric_id_problem(line.number))
                continue
            rows.append((line.number, dict(zip(header, cells, strict=False))))
    except ImportFileError as exc:
        return [], [], [Problem(exc.row, exc.column, exc.message)]
    return header, rows, problems


def _at(cells: tuple[Any, ...], index: int) -> Any:
    return cells[index] if index < len(cells) else None


def _numeric_id_problem(row: int) -> Problem:
    return Problem(
        row,
        "id",
        _(
            "the ID is stored as a number, which turns 3.10 into 3.1; "
            "store it as text (format the cell as text in Excel, quote it in YAML)."
        ),
    )


def _yaml_cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return ";".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, list):
        joiner = " " if key in ("source", "msc_documents") else ";"
        return joiner.join(_cell_text(v) for v in value)
    return _cell_text(value)


def _read_yaml(data: bytes) -> tuple[list[str], RawRows, list[Problem]]:
    import yaml

    try:
        document = yaml.safe_load(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        return (
            [],
            [],
            [Problem(None, "", _("The file is not valid YAML: %(error)s") % {"error": exc})],
        )
    if isinstance(document, dict):
        document = document.get("criteria")
    if not isinstance(document, list) or not all(isinstance(e, dict) for e in document):
        return (
            [],
            [],
            [Problem(None, "", _("The YAML file must be a list of criteria (mappings)."))],
        )
    header: list[str] = []
    rows: RawRows = []
    problems: list[Problem] = []
    for number, entry in enumerate(document, start=1):
        for key in entry:
            if str(key) not in header:
                header.append(str(key))
        if isinstance(entry.get("id"), int | float):
            problems.append(_numeric_id_problem(number))
            continue
        rows.append((number, {str(k): _yaml_cell(str(k), v) for k, v in entry.items()}))
    return header, rows, problems


def read_table(data: bytes, filename: str) -> tuple[list[str], RawRows, list[Problem]]:
    """The header and the non-empty rows of a file, by its extension."""
    suffix = PurePath(filename).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        size = _("The file is larger than %(limit)s kB; a criteria list is far smaller.")
        return [], [], [Problem(None, "", size % {"limit": MAX_FILE_BYTES // 1000})]
    if suffix in (".csv", ".xlsx"):
        return _read_sheet(data, filename)
    if suffix in (".yaml", ".yml"):
        return _read_yaml(data)
    return (
        [],
        [],
        [
            Problem(
                None,
                "",
                _("“%(name)s” is not a supported file type; use %(formats)s.")
                % {"name": filename, "formats": ", ".join(FORMATS)},
            )
        ],
    )


# --- checking the rows -------------------------------------------------------------------


def _split(value: str, sep: str | None) -> list[str]:
    return [v.strip() for v in value.split(sep) if v.strip()]


class _RowChecker:
    """Checks one row; collects problems instead of stopping at the first."""

    def __init__(self, number: int, values: dict[str, str]) -> None:
        self.number = number
        self.values = values
        self.problems: list[Problem] = []

    def fail(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))

    def text(self, column: str, required: bool = True) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.fail(column, _("this column may not be empty."))
        limit = _LIMITS.get(column)
        if limit and len(value) > limit:
            self.fail(
                column,
                _("%(length)s characters is too long; at most %(limit)s.")
                % {"length": len(value), "limit": limit},
            )
        return value

    def level(self, column: str, value: str) -> str:
        level = value.strip().lower()
        if level not in Requirement.values:
            self.fail(
                column,
                _("“%(value)s” is not a requirement level; use Must or Should.") % {"value": value},
            )
        return level

    def business_types(self, column: str, required: bool) -> list[str]:
        items = _split(self.values.get(column, ""), ";")
        if required and not items:
            self.fail(column, _("name at least one business type."))
        known = set(BusinessType.values)
        for item in items:
            if item not in known:
                self.fail(
                    column,
                    _("“%(value)s” is not a business type; use one of: %(valid)s.")
                    % {"value": item, "valid": ", ".join(BusinessType.values)},
                )
        for item, count in Counter(items).items():
            if count > 1:
                self.fail(column, _("“%(value)s” is listed twice.") % {"value": item})
        return list(dict.fromkeys(items))

    def urls(self, column: str, required: bool) -> list[str]:
        items = _split(self.values.get(column, ""), None)
        if required and not items:
            self.fail(column, _("give at least one source URL."))
        for item in items:
            try:
                _url(item)
            except ValidationError:
                self.fail(
                    column,
                    _(
                        "“%(value)s” is not a web address; use full http(s) URLs "
                        "separated by spaces."
                    )
                    % {"value": item},
                )
        return items

    def identifier(self) -> tuple[str, int, int]:
        ref_id = self.values.get("id", "")
        match = ID_PATTERN.fullmatch(ref_id)
        if not match:
            self.fail(
                "id",
                _(
                    "“%(value)s” is not a criterion ID; use category.number without "
                    "leading zeros, e.g. 3.1 or 7.37."
                )
                % {"value": ref_id},
            )
            return ref_id, 0, 0
        return ref_id, int(match.group(1)), int(match.group(2))

    def category_number(self, id_category: int) -> int:
        raw = self.values.get("category_number", "")
        if not raw.isdigit():
            self.fail(
                "category_number",
                _("“%(value)s” is not a category number; use a whole number such as 3.")
                % {"value": raw},
            )
            return 0
        number = int(raw)
        if id_category and number != id_category:
            self.fail(
                "category_number",
                _("%(number)s does not match the ID, whose category is %(expected)s.")
                % {"number": number, "expected": id_category},
            )
        return number

    def overrides(self, entity_types: list[str]) -> dict[str, str]:
        result: dict[str, str] = {}
        column = "requirement_overrides"
        for pair in _split(self.values.get(column, ""), ";"):
            slug, sep, level = (part.strip() for part in pair.partition(":"))
            if not sep or not slug or not level:
                self.fail(
                    column,
                    _("“%(value)s” is not a business_type:Level pair, e.g. customs_broker:Should.")
                    % {"value": pair},
                )
                continue
            if slug not in BusinessType.values:
                self.fail(
                    column,
                    _("“%(value)s” is not a business type; use one of: %(valid)s.")
                    % {"value": slug, "valid": ", ".join(BusinessType.values)},
                )
                continue
            if slug not in entity_types:
                self.fail(
                    column,
                    _("“%(value)s” is not in this row's entity_types; add it there first.")
                    % {"value": slug},
                )
                continue
            if slug in result:
                self.fail(column, _("“%(value)s” is overridden twice.") % {"value": slug})
                continue
            result[slug] = self.level(column, level)
        return result

    def check(self) -> CriterionRow:
        ref_id, id_category, sequence = self.identifier()
        entity_types = self.business_types("entity_types", required=True)
        verified_for = self.business_types("verified_for", required=False)
        for slug in verified_for:
            if slug in BusinessType.values and slug not in entity_types:
                self.fail(
                    "verified_for",
                    _("“%(value)s” is verified but not in this row's entity_types.")
                    % {"value": slug},
                )
        return CriterionRow(
            row=self.number,
            ref_id=ref_id,
            category_number=self.category_number(id_category),
            sequence=sequence,
            focus_area=self.text("focus_area"),
            category_name=self.text("category_name"),
            requirement=self.level("requirement", self.values.get("requirement", "")),
            entity_types=entity_types,
            requirement_overrides=self.overrides(entity_types),
            verified_for=verified_for,
            summary=self.text("summary"),
            guidance=self.text("guidance", required=False),
            sources=self.urls("source", required=True),
            evidence=self.text("evidence"),
            msc_documents=self.urls("msc_documents", required=False),
            notes=self.text("notes", required=False),
        )


def _check_header(header: list[str]) -> list[Problem]:
    problems = []
    allowed = set(COLUMNS) | set(OPTIONAL_COLUMNS)
    for name, count in Counter(header).items():
        if count > 1:
            problems.append(Problem(None, name, _("the column appears more than once.")))
    for name in header:
        if name not in allowed:
            problems.append(
                Problem(
                    None,
                    name or "?",
                    _("unknown column; the columns are: %(columns)s.")
                    % {"columns": ", ".join(COLUMNS + OPTIONAL_COLUMNS)},
                )
            )
    for name in COLUMNS:
        if name not in header:
            problems.append(Problem(None, name, _("the column is missing.")))
    return problems


def _check_file_level(rows: list[CriterionRow]) -> list[Problem]:
    """Rules across rows: unique IDs, one name and focus area per category."""
    problems: list[Problem] = []
    first_id: dict[str, int] = {}
    first_category: dict[int, CriterionRow] = {}
    for row in rows:
        if row.ref_id in first_id:
            problems.append(
                Problem(
                    row.row,
                    "id",
                    _("%(id)s appears twice; it was first used on row %(first)s.")
                    % {"id": row.ref_id, "first": first_id[row.ref_id]},
                )
            )
        else:
            first_id[row.ref_id] = row.row
        if not row.category_number:
            continue
        first = first_category.setdefault(row.category_number, row)
        for column in ("category_name", "focus_area"):
            mine, theirs = getattr(row, column), getattr(first, column)
            if mine and theirs and mine != theirs:
                problems.append(
                    Problem(
                        row.row,
                        column,
                        _(
                            "category %(number)s is called “%(theirs)s” on row %(first)s "
                            "but “%(mine)s” here; use one spelling."
                        )
                        % {
                            "number": row.category_number,
                            "theirs": theirs,
                            "first": first.row,
                            "mine": mine,
                        },
                    )
                )
    return problems


def _check_metadata(metadata: Metadata) -> list[Problem]:
    problems = []
    try:
        validate_slug(metadata.slug)
    except ValidationError:
        problems.append(
            Problem(
                None,
                "slug",
                _("“%(value)s” is not a valid identifier; use letters, digits, - and _.")
                % {"value": metadata.slug},
            )
        )
    for name, limit in (("version", 20), ("name", 200), ("publisher", 200), ("slug", 50)):
        value = getattr(metadata, name)
        if name != "publisher" and not value.strip():
            problems.append(Problem(None, name, _("this may not be empty.")))
        elif len(value) > limit:
            problems.append(
                Problem(None, name, _("at most %(limit)s characters.") % {"limit": limit})
            )
    return problems


def validate(data: bytes, filename: str, metadata: Metadata) -> Validation:
    """Check a file completely without writing anything."""
    result = Validation(
        filename=PurePath(filename).name,
        sha256=hashlib.sha256(data).hexdigest(),
        metadata=metadata,
    )
    result.problems.extend(_check_metadata(metadata))
    header, raw_rows, read_problems = read_table(data, filename)
    result.problems.extend(read_problems)
    if not header and not read_problems:
        result.problems.append(Problem(None, "", _("The file is empty.")))
    if not header:
        return result
    header_problems = _check_header(header)
    result.problems.extend(header_problems)
    if header_problems:
        # Row checks against a wrong header would only repeat the same problem per row.
        return result
    for number, values in raw_rows:
        checker = _RowChecker(number, values)
        row = checker.check()
        result.problems.extend(checker.problems)
        result.rows.append(row)
    if not raw_rows and not read_problems:
        result.problems.append(Problem(None, "", _("The file has no criteria rows.")))
    result.problems.extend(_check_file_level(result.rows))
    existing = Catalogue.objects.filter(slug=metadata.slug, version=metadata.version).first()
    if existing is not None:
        if existing.source_sha256 == result.sha256:
            result.already_loaded = existing
        else:
            result.problems.append(
                Problem(
                    None,
                    "version",
                    _(
                        "version %(version)s of %(slug)s is already loaded from a different "
                        "file; a published version never changes, so import this file as a "
                        "new version."
                    )
                    % {"version": metadata.version, "slug": metadata.slug},
                )
            )
    result.problems.sort(key=lambda p: (p.row or 0,))
    return result


# --- writing -----------------------------------------------------------------------------


def _write(validation: Validation, user: User | None) -> Catalogue:
    meta = validation.metadata
    catalogue = Catalogue.objects.create(
        slug=meta.slug,
        version=meta.version,
        name=meta.name,
        publisher=meta.publisher,
        effective_date=meta.effective_date,
        source_file_name=validation.filename,
        source_sha256=validation.sha256,
        imported_by=user,
    )
    criteria = Criterion.objects.bulk_create(
        Criterion(
            catalogue=catalogue,
            ref_id=r.ref_id,
            category_number=r.category_number,
            sequence=r.sequence,
            focus_area=r.focus_area,
            category_name=r.category_name,
            requirement=r.requirement,
            entity_types=r.entity_types,
            requirement_overrides=r.requirement_overrides,
            verified_for=r.verified_for,
            summary=r.summary,
            guidance=r.guidance,
            sources=r.sources,
            evidence=r.evidence,
            msc_documents=r.msc_documents,
            notes=r.notes,
        )
        for r in validation.rows
    )
    Applicability.objects.bulk_create(
        Applicability(
            criterion=criterion,
            business_type=business_type,
            requirement=row.requirement_for(business_type),
            verified=business_type in row.verified_for,
        )
        for criterion, row in zip(criteria, validation.rows, strict=True)
        for business_type in row.entity_types
    )
    catalogue.publish()
    return catalogue


def import_catalogue(
    data: bytes, filename: str, metadata: Metadata, user: User | None = None
) -> ImportResult:
    """Validate the whole file, then write it as one published catalogue version.

    Raises CatalogueImportError (and writes nothing) when anything is wrong. Returns the
    existing catalogue with `created=False` when this exact file is already that version.
    """
    for _attempt in range(2):
        try:
            with transaction.atomic():
                validation = validate(data, filename, metadata)
                if not validation.ok:
                    raise CatalogueImportError(validation.problems)
                if validation.already_loaded is not None:
                    return ImportResult(validation.already_loaded, created=False)
                return ImportResult(_write(validation, user), created=True)
        except IntegrityError:
            # Another import of the same version committed between our check and our
            # write; the second pass reports it as loaded or as a conflicting file.
            continue
    raise CatalogueImportError(
        [Problem(None, "version", _("the version is being imported by someone else; retry."))]
    )
