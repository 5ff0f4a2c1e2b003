"""Global search within one company: partners, criteria of its security profile,
inspections, seals, incidents and corrective actions.

Every source starts from `for_user(user, "view")` and the company, so nothing of another
company is ever found. Every word of the query must match some field of the row, in any
order. On PostgreSQL a word matches as part of a field or as a word close to one
(pg_trgm, `core.trigram`: "trasnportes" finds "Transportes"), both answered by a GIN
trigram index on the source's table, and the closest rows come first; on SQLite a word
matches as part of a field, answered by the source's FTS5 trigram table (LIKE for words
under three characters). At most `LIMIT` hits per source: a fixed number of queries
whatever the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from actions.models import CorrectiveAction
from companies.models import Company
from core import trigram
from incidents.models import Incident
from inspections.models import Inspection
from partners.models import BusinessPartner
from profiles.models import Response, SecurityProfile
from seals.models import Seal

LIMIT = 10
MAX_LENGTH = 100


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class Source:
    label: StrOrPromise
    model: type[models.Model]
    fields: tuple[str, ...]
    order: tuple[str, ...]
    hit: Callable[[Any], Hit]
    company_path: str = "company"
    related: tuple[str, ...] = ()
    # The trigram index over `fields` (core.trigram; its migration names it).
    index: str = ""
    # Narrows the company's rows further (the criteria: only the current profile's).
    narrow: Callable[[Any, Company], Any] | None = None


def _criterion_hit(r: Any) -> Hit:
    return Hit(
        f"{r.criterion.ref_id} {r.criterion.category_name}",
        r.criterion.summary[:160],
        reverse("profiles:response-edit", args=[r.profile.company_id, r.criterion_id]),
    )


def _current_profile(company: Company) -> Any:
    """The company's current profile (as SecurityProfile.current_for), as a subquery."""
    return (
        SecurityProfile.objects.filter(company=company)
        .order_by("-catalogue__effective_date", "-pk")
        .values("pk")[:1]
    )


SOURCES: tuple[Source, ...] = (
    Source(
        _("Partners"),
        BusinessPartner,
        ("name", "city", "tax_id", "contact_name"),
        ("name",),
        lambda p: Hit(p.name, f"{p.get_role_display()} · {p.city}", p.get_absolute_url()),
        index="partner_search_trgm",
    ),
    Source(
        _("Criteria"),
        Response,
        ("criterion__ref_id", "criterion__summary", "criterion__category_name", "narrative"),
        ("criterion__category_number", "criterion__sequence"),
        _criterion_hit,
        company_path="profile__company",
        related=("criterion", "profile"),
        narrow=lambda rows, company: rows.filter(profile__in=_current_profile(company)),
    ),
    Source(
        _("Inspections"),
        Inspection,
        ("iit_number", "plate", "seal_number", "checklist_name", "location_note"),
        ("-performed_at",),
        lambda i: Hit(
            f"{i.checklist_name} · {i.iit_number}",
            f"{i.performed_at:%Y-%m-%d %H:%M}",
            i.get_absolute_url(),
        ),
        index="inspection_search_trgm",
    ),
    Source(
        _("Seals"),
        Seal,
        ("number", "iit_number", "holder_name"),
        ("number",),
        lambda s: Hit(s.number, s.get_status_display(), s.get_absolute_url()),
        index="seal_search_trgm",
    ),
    Source(
        _("Incidents"),
        Incident,
        ("title", "description", "location"),
        ("-occurred_at",),
        lambda i: Hit(i.title, i.get_status_display(), i.get_absolute_url()),
        index="incident_search_trgm",
    ),
    Source(
        _("Corrective actions"),
        CorrectiveAction,
        ("title", "description"),
        ("due_date",),
        lambda a: Hit(
            a.title,
            f"{a.get_status_display()}{f' · {a.due_date}' if a.due_date else ''}",
            a.get_absolute_url(),
        ),
        index="action_search_trgm",
    ),
)


@dataclass
class Found:
    label: StrOrPromise
    hits: list[Hit]
    more: bool


def _words(query: str) -> list[str]:
    return [w for w in query.split() if w][:5]


def _matches(source: Source, query: str) -> models.Q:
    """Every word found in (or, on PostgreSQL, close to a word of) some field."""
    if not trigram.is_postgresql():
        return trigram.contains_all(source.fields, _words(query), source.index)
    return reduce(
        lambda a, b: a & b,
        (trigram.word_matches(source.fields, word) for word in _words(query)),
        models.Q(),
    )


def _queryset(source: Source, user: Any, company: Company, query: str) -> models.QuerySet[Any]:
    manager: Any = source.model._default_manager
    queryset: models.QuerySet[Any] = manager.for_user(user, "view").filter(
        **{source.company_path: company}
    )
    if source.narrow is not None:
        queryset = source.narrow(queryset, company)
    if source.related:
        queryset = queryset.select_related(*source.related)
    queryset = queryset.filter(_matches(source, query))
    if trigram.is_postgresql():
        closeness = trigram.closeness(source.fields, _words(query))
        ordered: models.QuerySet[Any] = queryset.annotate(_closeness=closeness).order_by(
            "-_closeness", *source.order
        )
        return ordered
    return queryset.order_by(*source.order)


def search(user: Any, company: Company, query: str) -> list[Found]:
    """The hits of each source (those with none left out), at most LIMIT each."""
    query = query.strip()[:MAX_LENGTH]
    if not _words(query):
        return []
    found = []
    with trigram.forgiving():
        for source in SOURCES:
            rows = list(_queryset(source, user, company, query)[: LIMIT + 1])
            if rows:
                hits = [source.hit(r) for r in rows[:LIMIT]]
                found.append(Found(source.label, hits, len(rows) > LIMIT))
    return found
