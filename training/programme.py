"""The standard training programme (data/programme.toml) and seeding it into a company.

The file is data a non-programmer can edit: security roles and the courses each needs,
with English and Spanish texts, MSC criterion ids and refresher periods. `load_programme()`
reads and checks it; a mistake (missing Spanish text, unknown role in a course, malformed
criterion id, repeated code) stops loading with a message naming the entry and field.

`seed_company()` gives a company its own editable copy: it creates the roles and courses
the company does not have yet (matched by code) and never changes what the company edited.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from companies.models import Company
from core.datafiles import parse_toml, read_toml
from personnel.models import SecurityRole
from training.models import CRITERION_ID, Course

PROGRAMME_FILE = Path(__file__).resolve().parent / "data" / "programme.toml"
ALL_ROLES = "all"
_CODE = re.compile(r"^[a-z0-9_]+$")
ROLE_FIELDS = ("code", "name_en", "name_es", "description_en", "description_es")
COURSE_FIELDS = (
    "code",
    "title_en",
    "title_es",
    "description_en",
    "description_es",
    "criteria",
    "refresher_months",
    "roles",
)


class ProgrammeFileError(ValueError):
    """The programme file breaks a rule; the message names the entry and the field."""


@dataclass(frozen=True)
class RoleSpec:
    code: str
    name_en: str
    name_es: str
    description_en: str
    description_es: str


@dataclass(frozen=True)
class CourseSpec:
    code: str
    title_en: str
    title_es: str
    description_en: str
    description_es: str
    criteria: tuple[str, ...]
    refresher_months: int
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Programme:
    version: str
    roles: tuple[RoleSpec, ...]
    courses: tuple[CourseSpec, ...]


def _check_fields(kind: str, index: int, entry: dict[str, Any], fields: tuple[str, ...]) -> str:
    where = f"{kind} #{index + 1}"
    code = entry.get("code")
    if isinstance(code, str):
        where = f"{kind} {code!r}"
    unknown = sorted(set(entry) - set(fields))
    if unknown:
        raise ProgrammeFileError(f"{where}: unknown field(s) {unknown}; allowed: {list(fields)}")
    for field in fields:
        if field not in entry:
            raise ProgrammeFileError(f"{where}: field {field!r} is missing")
    if not isinstance(code, str) or not _CODE.match(code):
        raise ProgrammeFileError(f"{where}: 'code' must be lower-case letters, digits or _")
    for field in fields:
        value = entry[field]
        if field.endswith(("_en", "_es")) and (not isinstance(value, str) or not value.strip()):
            raise ProgrammeFileError(f"{where}: {field!r} must be a non-empty text")
    return where


def parse_programme(text: str, source: str = "programme") -> Programme:
    return parse_programme_data(parse_toml(text, source=source, error=ProgrammeFileError))


def parse_programme_data(data: dict[str, Any]) -> Programme:
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise ProgrammeFileError("'version' (text) is missing at the top of the file")
    roles: list[RoleSpec] = []
    for i, entry in enumerate(data.get("roles", [])):
        _check_fields("role", i, entry, ROLE_FIELDS)
        roles.append(RoleSpec(**{f: entry[f].strip() for f in ROLE_FIELDS}))
    role_codes = [r.code for r in roles]
    if len(set(role_codes)) != len(role_codes):
        raise ProgrammeFileError(f"a role code is used twice: {sorted(role_codes)}")
    courses: list[CourseSpec] = []
    for i, entry in enumerate(data.get("courses", [])):
        where = _check_fields("course", i, entry, COURSE_FIELDS)
        criteria = entry["criteria"]
        if (
            not isinstance(criteria, list)
            or not criteria
            or not all(isinstance(c, str) and CRITERION_ID.match(c) for c in criteria)
        ):
            raise ProgrammeFileError(f"{where}: 'criteria' must list MSC ids such as \"12.10\"")
        months = entry["refresher_months"]
        if not isinstance(months, int) or isinstance(months, bool) or not 0 <= months <= 120:
            raise ProgrammeFileError(f"{where}: 'refresher_months' must be a whole number 0–120")
        course_roles = entry["roles"]
        if not isinstance(course_roles, list) or not course_roles:
            raise ProgrammeFileError(f"{where}: 'roles' must list role codes or \"all\"")
        if course_roles == [ALL_ROLES]:
            course_roles = role_codes
        unknown = [r for r in course_roles if r not in role_codes]
        if unknown:
            raise ProgrammeFileError(f"{where}: unknown role(s) {unknown}; roles are {role_codes}")
        courses.append(
            CourseSpec(
                code=entry["code"],
                title_en=entry["title_en"].strip(),
                title_es=entry["title_es"].strip(),
                description_en=entry["description_en"].strip(),
                description_es=entry["description_es"].strip(),
                criteria=tuple(criteria),
                refresher_months=months,
                roles=tuple(course_roles),
            )
        )
    codes = [c.code for c in courses]
    if len(set(codes)) != len(codes):
        raise ProgrammeFileError(f"a course code is used twice: {sorted(codes)}")
    return Programme(version=version, roles=tuple(roles), courses=tuple(courses))


@functools.cache
def load_programme(path: Path = PROGRAMME_FILE) -> Programme:
    data = read_toml(path, error=ProgrammeFileError)
    return parse_programme_data(data)


@dataclass(frozen=True)
class SeedResult:
    roles_created: int
    courses_created: int


def is_seeded(company: Company) -> bool:
    return Course.objects.filter(company=company).exists()


def seed_company(company: Company, programme: Programme | None = None) -> SeedResult:
    """Create the programme's roles and courses the company lacks (matched by code).

    Safe to run again and concurrently: existing rows, edited or not, are left as they are,
    and the unique (company, code) constraints stop a race from creating duplicates.
    """
    programme = programme or load_programme()
    roles_created = courses_created = 0
    with transaction.atomic():
        roles: dict[str, SecurityRole] = {}
        for spec in programme.roles:
            role, created = SecurityRole.objects.get_or_create(
                company=company,
                code=spec.code,
                defaults={
                    "name_en": spec.name_en,
                    "name_es": spec.name_es,
                    "description_en": spec.description_en,
                    "description_es": spec.description_es,
                },
            )
            roles[spec.code] = role
            roles_created += created
        for course_spec in programme.courses:
            course, created = Course.objects.get_or_create(
                company=company,
                code=course_spec.code,
                defaults={
                    "title_en": course_spec.title_en,
                    "title_es": course_spec.title_es,
                    "description_en": course_spec.description_en,
                    "description_es": course_spec.description_es,
                    "criteria": list(course_spec.criteria),
                    "refresher_months": course_spec.refresher_months,
                },
            )
            if created:
                course.roles.set([roles[code] for code in course_spec.roles])
                courses_created += 1
    return SeedResult(roles_created, courses_created)
