"""Import a criteria catalogue version from a CSV, Excel (.xlsx) or YAML file.

Every file has the columns of the shipped `shared/data/msc/criteria.csv`:

    id, focus_area, category_number, category_name, requirement, entity_types, summary,
    source, requirement_overrides, verified_for, evidence, msc_documents, notes

plus the optional `guidance`, and `text_es` / `guidance_es` (the summary and the guidance in
Spanish). A row without `text_es` whose English summary is exactly one the project has
translated (catalogue/data/criteria-es.csv) is written with that translation, so the
shipped criteria carry their Spanish text as data. The columns are declared once in
`CriteriaImporter` (core.importing), which also accepts their Spanish headers. Conventions
inside a cell:

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
header is row 1; in YAML the entry number), the column, the value and the reason, and nothing is
written. A valid file is written in one transaction and published. Re-importing the same
file (same SHA-256) as an existing version changes nothing; a different file under an
existing version is refused.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from catalogue import translations
from catalogue.choices import Requirement
from catalogue.models import Applicability, Catalogue, Criterion
from companies.choices import BusinessType
from core.importing import (
    Checked,
    Column,
    Importer,
    ImportRefused,
    Invalid,
    Parser,
    Problem,
    Row,
    RowCheck,
    cell_text,
)

if TYPE_CHECKING:
    from accounts.models import User

__all__ = ["CatalogueImportError", "Metadata", "Problem", "import_catalogue", "validate"]

FORMATS = (".csv", ".xlsx", ".yaml", ".yml")
# Far above the shipped file (~85 kB); an upload beyond this is not a criteria list. The
# upload page carries the file through its confirm step in a form field, which must stay
# under Django's 2.5 MB request limit once base64-encoded.
MAX_FILE_BYTES = 1_500_000

# No leading zeros: "3.01" and "3.1" would otherwise be two spellings of one criterion.
ID_PATTERN = re.compile(r"([1-9][0-9]{0,2})\.([1-9][0-9]{0,3})")
_url = URLValidator(schemes=["http", "https"])

# The 2019 MSC as shipped in shared/data/msc/criteria.csv (domain.md §2, §9).
DEFAULT_SLUG = "ctpat-msc"
DEFAULT_VERSION = "2019"
DEFAULT_NAME = "CTPAT Minimum Security Criteria 2019"
DEFAULT_PUBLISHER = "U.S. Customs and Border Protection (CTPAT)"
DEFAULT_EFFECTIVE = datetime.date(2020, 1, 1)


class CatalogueImportError(ImportRefused):
    """The file was refused; `problems` lists every reason."""


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
    text_es: str = ""
    guidance_es: str = ""

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


# --- the cells -----------------------------------------------------------------------------


def _split(value: str, sep: str | None) -> list[str]:
    return [v.strip() for v in value.split(sep) if v.strip()]


def _identifier(text: str) -> tuple[str, int, int]:
    match = ID_PATTERN.fullmatch(text)
    if not match:
        raise Invalid(
            _(
                "“%(value)s” is not a criterion ID; use category.number without leading "
                "zeros, e.g. 3.1 or 7.37."
            )
            % {"value": text}
        )
    return text, int(match.group(1)), int(match.group(2))


def _category_number(text: str) -> int:
    if not text.isdigit():
        raise Invalid(
            _("“%(value)s” is not a category number; use a whole number such as 3.")
            % {"value": text}
        )
    return int(text)


def _level(text: str) -> str:
    level = text.strip().lower()
    if level not in Requirement.values:
        raise Invalid(
            _("“%(value)s” is not a requirement level; use Must or Should.") % {"value": text}
        )
    return level


def _business_types(text: str) -> list[str]:
    items = _split(text, ";")
    unknown = [item for item in items if item not in BusinessType.values]
    if unknown:
        raise Invalid(
            _("“%(value)s” is not a business type; use one of: %(valid)s.")
            % {"value": "”, “".join(unknown), "valid": ", ".join(BusinessType.values)}
        )
    twice = [item for item, count in Counter(items).items() if count > 1]
    if twice:
        raise Invalid(
            _("“%(value)s” is listed twice; list it once.") % {"value": "”, “".join(twice)}
        )
    return items


def _urls(text: str) -> list[str]:
    items = _split(text, None)
    for item in items:
        try:
            _url(item)
        except ValidationError:
            raise Invalid(
                _("“%(value)s” is not a web address; use full http(s) URLs separated by spaces.")
                % {"value": item}
            ) from None
    return items


def _overrides(text: str, entity_types: list[str]) -> dict[str, str]:
    """`slug:Level` pairs, each slug one of the row's business types; raises `Invalid`."""
    result: dict[str, str] = {}
    for pair in _split(text, ";"):
        slug, sep, level = (part.strip() for part in pair.partition(":"))
        if not sep or not slug or not level:
            raise Invalid(
                _("“%(value)s” is not a business_type:Level pair, e.g. customs_broker:Should.")
                % {"value": pair}
            )
        _business_types(slug)
        if slug not in entity_types:
            raise Invalid(
                _("“%(value)s” is not in this row's entity_types; add it there first.")
                % {"value": slug}
            )
        if slug in result:
            raise Invalid(_("“%(value)s” is overridden twice; keep one.") % {"value": slug})
        result[slug] = _level(level)
    return result


def _list(name: str, es: str, parse: Parser, reason: StrOrPromise) -> Column:
    """A required column holding a list (separated by ";"), refused with `reason` when empty."""
    return Column(name, es, required=True, parse=parse, empty=[], required_reason=reason)


def _text(name: str, es: str, limit: int | None = None, **options: Any) -> Column:
    return Column(name, es, in_header=True, max_length=limit, **options)


class CriteriaImporter(Importer[CriterionRow]):
    """A criteria catalogue file; `write` creates it as one published catalogue version."""

    columns = (
        Column(
            "id",
            "id",
            required=True,
            parse=_identifier,
            required_reason=gettext_lazy(
                "The cell is empty, which is not a criterion ID; give one, e.g. 3.1."
            ),
        ),
        _text("focus_area", "área_de_enfoque", 100, required=True),
        Column("category_number", "número_categoría", required=True, parse=_category_number),
        _text("category_name", "nombre_categoría", 200, required=True),
        Column("requirement", "requisito", required=True, parse=_level),
        _list(
            "entity_types",
            "tipos_de_entidad",
            _business_types,
            gettext_lazy("Name at least one business type, e.g. importer."),
        ),
        _text("summary", "resumen", required=True),
        _list("source", "fuente", _urls, gettext_lazy("Give at least one source URL (https://…).")),
        _text("requirement_overrides", "excepciones_de_requisito"),
        Column("verified_for", "verificado_para", in_header=True, parse=_business_types, empty=[]),
        _text("evidence", "evidencia", 200, required=True),
        Column("msc_documents", "documentos_msc", in_header=True, parse=_urls, empty=[]),
        _text("notes", "notas"),
        Column("guidance", "orientación"),
        Column("text_es", "texto_es", aliases=("summary_es", "resumen_es")),
        Column("guidance_es", "orientación_es"),
    )
    template_name = "criteria-template"
    no_rows_reason = gettext_lazy("The file has no criteria rows; add one row per criterion.")

    def __init__(self, validation: Validation | None = None, user: User | None = None) -> None:
        self.validation = validation
        self.user = user
        self.width = 0  # header cells up to the last named one (set by check_lines)
        self.id_index = -1

    def max_bytes(self) -> int:
        return MAX_FILE_BYTES

    def build_row(self, row: RowCheck) -> CriterionRow:
        values = row.values
        if isinstance(_cell(row.line, self.id_index), int | float):
            row.fail(
                "id",
                _(
                    "the ID is stored as a number, which turns 3.10 into 3.1; store it as text "
                    "(format the cell as text in Excel, quote it in YAML)."
                ),
            )
        if any(row.line.values[self.width :]):
            row.fail("", _("The row has values to the right of the last column; delete them."))
        ref_id, id_category, sequence = values["id"] or ("", 0, 0)
        number = values["category_number"] or 0
        if id_category and number and number != id_category:
            row.fail(
                "category_number",
                _("%(number)s does not match the ID, whose category is %(expected)s.")
                % {"number": number, "expected": id_category},
            )
        entity_types = values["entity_types"]
        # Against an unreadable entity_types cell these checks would only repeat its problem.
        known = not row.failed("entity_types")
        for slug in values["verified_for"] if known else ():
            if slug not in entity_types:
                row.fail(
                    "verified_for",
                    _("“%(value)s” is verified but not in this row's entity_types; add it there.")
                    % {"value": slug},
                )
        overrides: dict[str, str] = {}
        try:
            if known:
                overrides = _overrides(values["requirement_overrides"], entity_types)
        except Invalid as refusal:
            row.fail("requirement_overrides", refusal.reason)
        return CriterionRow(
            row=row.number,
            ref_id=ref_id,
            category_number=number,
            sequence=sequence,
            focus_area=values["focus_area"],
            category_name=values["category_name"],
            requirement=values["requirement"],
            entity_types=entity_types,
            requirement_overrides=overrides,
            verified_for=values["verified_for"],
            summary=values["summary"],
            guidance=values["guidance"],
            sources=values["source"],
            evidence=values["evidence"],
            msc_documents=values["msc_documents"],
            notes=values["notes"],
            text_es=values["text_es"],
            guidance_es=values["guidance_es"],
        )

    def check_lines(self, lines: Any) -> Checked[CriterionRow]:
        iterator = iter(lines)
        first = next(iterator, None)
        header = list(first.values) if first is not None else []
        while header and not header[-1]:
            header.pop()
        self.width = len(header)
        self.id_index = header.index("id") if "id" in header else -1
        return super().check_lines(_chain(first, iterator))

    def check_rows(self, rows: list[CriterionRow]) -> list[Problem]:
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
                        row.ref_id,
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
                            mine,
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

    def write(self, rows: list[CriterionRow]) -> Catalogue:
        assert self.validation is not None
        meta = self.validation.metadata
        catalogue = Catalogue.objects.create(
            slug=meta.slug,
            version=meta.version,
            name=meta.name,
            publisher=meta.publisher,
            effective_date=meta.effective_date,
            source_file_name=self.validation.filename,
            source_sha256=self.validation.sha256,
            imported_by=self.user,
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
                text_es=r.text_es or translations.spanish_summary(r.summary) or "",
                guidance_es=r.guidance_es,
                sources=r.sources,
                evidence=r.evidence,
                msc_documents=r.msc_documents,
                notes=r.notes,
            )
            for r in rows
        )
        Applicability.objects.derive(criteria)
        catalogue.publish()
        return catalogue


COLUMNS = tuple(c.name for c in CriteriaImporter.columns if c.header_required)
OPTIONAL_COLUMNS = tuple(c.name for c in CriteriaImporter.columns if not c.header_required)


def _cell(line: Row, index: int) -> Any:
    return line.raw[index] if 0 <= index < len(line.raw) else None


def _chain(first: Row | None, rest: Iterator[Row]) -> Iterator[Row]:
    if first is not None:
        yield first
    yield from rest


# --- YAML ----------------------------------------------------------------------------------


def _yaml_cell(key: str, value: Any) -> Any:
    """A YAML value as a cell: lists and mappings joined as the CSV writes them; a number
    stays a number (so that an unquoted ID is caught)."""
    if isinstance(value, dict):
        return ";".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, list):
        joiner = " " if key in ("source", "msc_documents") else ";"
        return joiner.join(cell_text(v) for v in value)
    return value


def _yaml_rows(data: bytes) -> list[Row]:
    """A YAML file as rows (a header made of every key, then one row per entry, numbered
    from 1); raises CatalogueImportError when it is not a list of mappings."""
    import yaml

    try:
        document = yaml.safe_load(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _refused(_("The file is not valid YAML: %(error)s") % {"error": exc}) from None
    if isinstance(document, dict):
        document = document.get("criteria")
    if not isinstance(document, list) or not all(isinstance(e, dict) for e in document):
        raise _refused(_("The YAML file must be a list of criteria (mappings)."))
    header = list(dict.fromkeys(str(key) for entry in document for key in entry))
    rows = [Row(0, header, tuple(header))]
    for number, entry in enumerate(document, start=1):
        raw = tuple(_yaml_cell(key, entry.get(key)) for key in header)
        rows.append(Row(number, [cell_text(v) for v in raw], raw))
    return rows


def _refused(message: str) -> CatalogueImportError:
    return CatalogueImportError([Problem(None, "", "", message)])


# --- checking and writing ------------------------------------------------------------------


def _check_metadata(metadata: Metadata) -> list[Problem]:
    problems = []
    try:
        validate_slug(metadata.slug)
    except ValidationError:
        problems.append(
            Problem(
                None,
                "slug",
                metadata.slug,
                _("“%(value)s” is not a valid identifier; use letters, digits, - and _.")
                % {"value": metadata.slug},
            )
        )
    for name, limit in (("version", 20), ("name", 200), ("publisher", 200), ("slug", 50)):
        value = getattr(metadata, name)
        if name != "publisher" and not value.strip():
            problems.append(Problem(None, name, value, _("this may not be empty.")))
        elif len(value) > limit:
            problems.append(
                Problem(None, name, value, _("at most %(limit)s characters.") % {"limit": limit})
            )
    return problems


def _check(data: bytes, filename: str) -> Checked[CriterionRow]:
    suffix = PurePath(filename).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        size = _("The file is larger than %(limit)s kB; a criteria list is far smaller.")
        return Checked(problems=[Problem(None, "", "", size % {"limit": MAX_FILE_BYTES // 1000})])
    if suffix not in FORMATS:
        reason = _("“%(name)s” is not a supported file type; use %(formats)s.") % {
            "name": filename,
            "formats": ", ".join(FORMATS),
        }
        return Checked(problems=[Problem(None, "", filename, reason)])
    if suffix in (".yaml", ".yml"):
        try:
            return CriteriaImporter().check_lines(_yaml_rows(data))
        except CatalogueImportError as refused:
            return Checked(problems=refused.problems)
    return CriteriaImporter().check(data, filename)


def validate(data: bytes, filename: str, metadata: Metadata) -> Validation:
    """Check a file completely without writing anything."""
    result = Validation(
        filename=PurePath(filename).name,
        sha256=hashlib.sha256(data).hexdigest(),
        metadata=metadata,
    )
    result.problems.extend(_check_metadata(metadata))
    checked = _check(data, filename)
    result.rows = checked.rows
    result.problems.extend(checked.problems)
    existing = Catalogue.objects.filter(slug=metadata.slug, version=metadata.version).first()
    if existing is not None:
        if existing.source_sha256 == result.sha256:
            result.already_loaded = existing
        else:
            result.problems.append(
                Problem(
                    None,
                    "version",
                    metadata.version,
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
                catalogue = CriteriaImporter(validation, user).write(validation.rows)
                return ImportResult(catalogue, created=True)
        except IntegrityError:
            # Another import of the same version committed between our check and our
            # write; the second pass reports it as loaded or as a conflicting file.
            continue
    raise CatalogueImportError(
        [
            Problem(
                None,
                "version",
                metadata.version,
                _("the version is being imported by someone else; retry."),
            )
        ]
    )
