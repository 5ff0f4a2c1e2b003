"""A new catalogue version derived from a published one and a file of published changes.

CBP amends the Minimum Security Criteria between editions (MSC 3.9 became a Must on
1 January 2023 for importers, exporters and foreign manufacturers). A published version
never changes, so such a change is loaded as a new version: every criterion is copied from
the base version, the listed changes are applied, and each changed criterion keeps the
change's source and note in its provenance. Companies move their profile to the new
version explicitly (`profiles.workflow.upgrade_profile`).

The changes file is CSV with the columns `id, change, field, old, new, entity_types,
effective, source, note`:

- `relevel` sets the requirement (`new`: Must or Should) of the criterion for the business
  types in `entity_types` (all its types when empty); `old` must be the level the base
  version has for each of them, so a file written against another base is refused.
- `applicability` sets the business types the criterion applies to (`new`, separated by
  `;`); such a row may leave out the `entity_types` column.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.choices import Requirement
from catalogue.models import Applicability, Catalogue, Criterion
from companies.choices import BusinessType

COLUMNS = ("id", "change", "field", "old", "new", "entity_types", "effective", "source", "note")


class ChangesFileError(ValueError):
    """The changes file cannot be applied; `problems` names each row and column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Change:
    row: int
    ref_id: str
    kind: str
    old: str
    new: str
    entity_types: tuple[str, ...]
    effective: datetime.date
    sources: tuple[str, ...]
    note: str


def _types(value: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in value.split(";") if t.strip())


def _level(value: str) -> str:
    return value.strip().lower()


def _row(header: list[str], values: list[str]) -> dict[str, str]:
    """One row by column name. An `applicability` row carries its business types in `new`
    and may leave out the `entity_types` column altogether (the shipped changes file does);
    its later values then shift one place left, which is undone here."""
    if len(values) == len(header) - 1 and len(values) > 1 and values[1].strip() == "applicability":
        at = header.index("entity_types")
        values = [*values[:at], "", *values[at:]]
    return {name: (values[i] if i < len(values) else "") for i, name in enumerate(header)}


def parse_changes(text: str, base: Catalogue) -> list[Change]:
    """Read and check every row against `base`; raise ChangesFileError naming each
    problem (row, column, value, what to write instead)."""
    lines = list(csv.reader(io.StringIO(text)))
    header = [h.strip() for h in lines[0]] if lines else []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ChangesFileError([f"Header: missing column(s) {', '.join(missing)}."])
    criteria = {c.ref_id: c for c in base.criteria.all()}
    known_types = set(BusinessType.values)
    problems: list[str] = []
    changes: list[Change] = []
    for number, values in enumerate(lines[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        row = _row(header, values)
        where = f"Row {number}"
        ref_id = (row["id"] or "").strip()
        criterion = criteria.get(ref_id)
        if criterion is None:
            problems.append(f"{where}, column id: “{ref_id}” is not a criterion of {base}.")
            continue
        kind = (row["change"] or "").strip()
        types = _types(row["entity_types"] or "")
        unknown = [t for t in types if t not in known_types]
        if unknown:
            problems.append(f"{where}, column entity_types: unknown type(s) {', '.join(unknown)}.")
        try:
            effective = datetime.date.fromisoformat((row["effective"] or "").strip())
        except ValueError:
            problems.append(f"{where}, column effective: write the date as YYYY-MM-DD.")
            continue
        if kind == "relevel":
            new = _level(row["new"] or "")
            if new not in Requirement.values:
                problems.append(f"{where}, column new: “{row['new']}” is not Must or Should.")
                continue
            old = _level(row["old"] or "")
            for business_type in types or tuple(criterion.entity_types):
                if business_type not in known_types:
                    continue
                has = criterion.requirement_for(business_type)
                if has is not None and old and has != old:
                    problems.append(
                        f"{where}, column old: {ref_id} is {has} for {business_type} in "
                        f"{base}, not {old}; the file was written against another version."
                    )
        elif kind == "applicability":
            new_types = _types(row["new"] or "")
            bad = [t for t in new_types if t not in known_types]
            if not new_types or bad:
                problems.append(
                    f"{where}, column new: list business types separated by “;” "
                    f"({'unknown: ' + ', '.join(bad) if bad else 'none given'})."
                )
                continue
            new = ";".join(new_types)
        else:
            problems.append(
                f"{where}, column change: “{kind}” is not a change; use relevel or applicability."
            )
            continue
        changes.append(
            Change(
                row=number,
                ref_id=ref_id,
                kind=kind,
                old=_level(row["old"] or ""),
                new=new,
                entity_types=types,
                effective=effective,
                sources=tuple((row["source"] or "").split()),
                note=(row["note"] or "").strip(),
            )
        )
    if problems:
        raise ChangesFileError(problems)
    return changes


@dataclass
class DeriveResult:
    catalogue: Catalogue
    created: bool
    changed: list[str] = field(default_factory=list)


# Fields of a criterion that belong to its version, not to its content.
_NOT_COPIED = {"id", "catalogue"}


def derive_version(
    base: Catalogue,
    data: bytes,
    filename: str,
    *,
    version: str,
    name: str,
    effective_date: datetime.date,
) -> DeriveResult:
    """Write the published version `version` = `base` + the changes in `data`. Loading the
    same changes onto the same base again changes nothing; a different file under an
    existing version is refused."""
    sha256 = hashlib.sha256(base.source_sha256.encode() + b"\n" + data).hexdigest()
    existing = Catalogue.objects.filter(slug=base.slug, version=version).first()
    if existing is not None:
        if existing.source_sha256 != sha256:
            raise ChangesFileError(
                [
                    _(
                        "Version %(version)s already exists from other data; load the "
                        "changes under a new version."
                    )
                    % {"version": version}
                ]
            )
        return DeriveResult(existing, created=False)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ChangesFileError([f"{filename}: save the file as UTF-8."]) from exc
    changes = parse_changes(text, base)
    by_ref: dict[str, list[Change]] = {}
    for change in changes:
        by_ref.setdefault(change.ref_id, []).append(change)
    with transaction.atomic():
        catalogue = Catalogue.objects.create(
            slug=base.slug,
            version=version,
            name=name,
            publisher=base.publisher,
            effective_date=effective_date,
            source_file_name=f"{base.source_file_name} + {filename}",
            source_sha256=sha256,
        )
        copies = []
        for criterion in base.criteria.order_by("category_number", "sequence"):
            values = {
                f.name: getattr(criterion, f.name)
                for f in Criterion._meta.concrete_fields
                if f.name not in _NOT_COPIED
            }
            copy = Criterion(catalogue=catalogue, **values)
            for change in by_ref.get(criterion.ref_id, []):
                _apply(copy, change)
            copies.append(copy)
        Applicability.objects.derive(Criterion.objects.bulk_create(copies))
        catalogue.publish()
    return DeriveResult(catalogue, created=True, changed=sorted(by_ref))


def _apply(criterion: Criterion, change: Change) -> None:
    """Apply one change to an unsaved copy, recording where it came from."""
    if change.kind == "relevel":
        overrides = dict(criterion.requirement_overrides)
        for business_type in change.entity_types or tuple(criterion.entity_types):
            if change.new == criterion.requirement:
                overrides.pop(business_type, None)
            else:
                overrides[business_type] = change.new
        criterion.requirement_overrides = overrides
        what = f"{change.old or '?'} → {change.new} for {', '.join(change.entity_types) or 'all'}"
    else:
        types = change.new.split(";")
        criterion.entity_types = types
        criterion.verified_for = [t for t in criterion.verified_for if t in types]
        criterion.requirement_overrides = {
            t: level for t, level in criterion.requirement_overrides.items() if t in types
        }
        what = f"applies to {', '.join(types)}"
    criterion.sources = list(criterion.sources) + [
        s for s in change.sources if s not in criterion.sources
    ]
    line = f"{change.effective.isoformat()} change ({change.kind}): {what}. {change.note}".strip()
    criterion.notes = f"{criterion.notes}\n{line}".strip()


@dataclass
class Comparison:
    """What differs between two versions for one business type."""

    added: list[Criterion]
    removed: list[Criterion]
    relevelled: list[tuple[Criterion, str, str]]  # criterion of the new version, old, new

    @property
    def ref_ids_needing_attention(self) -> set[str]:
        return {c.ref_id for c in self.added} | {
            c.ref_id for c, old, new in self.relevelled if new == Requirement.MUST
        }


def compare(old: Catalogue, new: Catalogue, business_type: str) -> Comparison:
    """Criteria added, removed and re-levelled from `old` to `new` for `business_type`."""
    before = {c.ref_id: c for c in old.criteria_for(business_type)}
    after = {c.ref_id: c for c in new.criteria_for(business_type)}
    relevelled = []
    for ref_id, criterion in after.items():
        if ref_id in before:
            was = before[ref_id].requirement_for(business_type)
            now = criterion.requirement_for(business_type)
            if was != now and was is not None and now is not None:
                relevelled.append((criterion, was, now))
    return Comparison(
        added=[c for ref_id, c in after.items() if ref_id not in before],
        removed=[c for ref_id, c in before.items() if ref_id not in after],
        relevelled=relevelled,
    )
