"""The main menu: links grouped by area, only those the signed-in person's role can open,
the section being read marked, and the company switcher that keeps that section.

Each `Item` names the URL and the action its page needs (`core.tenancy.ROLE_ACTIONS`);
`portal/tests/test_navigation.py` opens every link each persona is shown and holds the
actions here to the permission matrix (`<app>/tests/permissions.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from companies.context_processors import SESSION_KEY
from companies.models import Company, Membership
from core.tenancy import ROLE_ACTIONS

# The section (menu item's URL name) last worked in: the consultant's portfolio opens each
# client there.
SECTION_KEY = "ctpat_section"


@dataclass(frozen=True)
class Item:
    """One menu link. `company`: the URL takes the company's pk. `action`: what the
    person's role in that company must allow; "program_office" for the program office's
    own pages; "" for every signed-in person."""

    label: StrOrPromise
    url_name: str
    action: str = "view"
    company: bool = True


@dataclass(frozen=True)
class Group:
    label: StrOrPromise
    items: tuple[Item, ...]


def _program_office_home() -> str:
    """The program office's dashboard when it exists, else its review queue."""
    try:
        reverse("certification:dashboard")
    except NoReverseMatch:
        return "certification:certification-list"
    return "certification:dashboard"


GROUPS: tuple[Group, ...] = (
    Group(
        _("Program"),
        (
            Item(_("Home"), "home", "", company=False),
            Item(_("Overview"), "companies:company-detail"),
            Item(_("Eligibility"), "eligibility:check"),
            Item(_("Application"), "applications:application-detail"),
            Item(_("CTPAT status"), "certification_member:status"),
            Item(_("Status verification"), "verification:company-detail"),
            Item(_("Trade Compliance"), "tradecompliance:overview"),
        ),
    ),
    Group(
        _("Security profile"),
        (
            Item(_("Security profile"), "profiles:profile-detail"),
            Item(_("Corrective actions"), "actions:action-list"),
            Item(_("Mock audits"), "audits:audit-list"),
            Item(_("Profile sharing"), "sharing:share-list"),
            Item(_("Criteria"), "catalogue:criterion-list", "", company=False),
        ),
    ),
    Group(
        _("Risk"),
        (
            Item(_("Risk assessment"), "risk:assessment-list"),
            Item(_("Threat ratings"), "threats:rating-grid"),
        ),
    ),
    Group(
        _("Partners"),
        (
            Item(_("Partners"), "partners:partner-list"),
            Item(_("Partners dashboard"), "partners:partner-dashboard"),
            Item(_("Screening alerts"), "partners:alert-list", "edit"),
            Item(_("Questionnaires"), "questionnaires:questionnaire-list"),
            Item(_("Site audits"), "siteaudits:audit-list"),
            Item(_("Watchlist search"), "screening:search", "", company=False),
        ),
    ),
    Group(
        _("Operations"),
        (
            Item(_("Inspections"), "inspections:inspection-list"),
            Item(_("Seals"), "seals:seal-list"),
            Item(_("Gate log"), "inspections:gate-list"),
            Item(_("Incidents"), "incidents:incident-list"),
        ),
    ),
    Group(
        _("People"),
        (
            Item(_("Training"), "training:dashboard"),
            Item(_("Employees"), "personnel:employee-list"),
            Item(_("Users and invitations"), "companies:member-list", "manage"),
        ),
    ),
    Group(
        _("Program office"),
        (
            Item(_("Dashboard"), "", "program_office", company=False),
            Item(_("Review queue"), "certification:certification-list", "program_office", False),
            Item(_("Deadlines"), "certification:deadline-list", "program_office", False),
            Item(
                _("Trade Compliance"),
                "tradecompliance_office:application-list",
                "program_office",
                False,
            ),
            Item(_("Criteria"), "catalogue:criterion-list", "program_office", False),
        ),
    ),
)


@dataclass
class Link:
    label: StrOrPromise
    url: str
    current: bool = False
    url_name: str = ""


@dataclass
class ShownGroup:
    label: StrOrPromise
    links: list[Link]


def allowed(item: Item, role: str | None, program_office: bool) -> bool:
    if item.action == "program_office":
        return program_office
    if not item.company:
        return True
    if role is None:
        return False
    return item.action in ROLE_ACTIONS.get(role, frozenset())


def _url(item: Item, company_pk: int | None) -> str:
    name = item.url_name or _program_office_home()
    return reverse(name, args=[company_pk]) if item.company else reverse(name)


def _company_from_url(request: HttpRequest) -> int | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    pk = match.kwargs.get("company_pk")
    if pk is None and match.view_name in ("companies:company-detail", "companies:company-edit"):
        pk = match.kwargs.get("pk")
    if pk is None and match.view_name == "verification:company-detail":
        pk = match.kwargs.get("company_pk")
    return int(pk) if pk is not None else None


def menu(
    request: HttpRequest, company: Company | None, role: str | None
) -> tuple[list[ShownGroup], Link | None]:
    """The groups the person may use, and the current link (the longest address that
    starts the page's path)."""
    user: Any = request.user
    program_office = bool(getattr(user, "is_program_office", False))
    groups: list[ShownGroup] = []
    links: list[Link] = []
    seen: set[str] = set()
    for group in GROUPS:
        shown: list[Link] = []
        for item in group.items:
            if item.company and company is None:
                continue
            if not allowed(item, role, program_office):
                continue
            url = _url(item, company.pk if company else None)
            if url in seen:
                continue
            seen.add(url)
            link = Link(item.label, url, url_name=item.url_name)
            shown.append(link)
            links.append(link)
        if shown:
            groups.append(ShownGroup(group.label, shown))
    path = request.path
    candidates = [
        link for link in links if path.startswith(link.url) and (link.url != "/" or path == "/")
    ]
    current = max(candidates, key=lambda link: len(link.url), default=None)
    if current is not None:
        current.current = True
    return groups, current


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor (after companies.context_processors.active_company): the menu,
    the company the address names (it becomes the active one), and the switcher's links,
    each to the same section in the other company."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # One query for the roles and the switcher's names (it runs on every page).
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("company")
        .only("company_id", "role", "company__id", "company__legal_name")
        .order_by("company__legal_name", "company_id")
    )
    roles: dict[int, str] = {}
    mine: list[Company] = []
    for membership in memberships:
        roles[membership.company_id] = membership.role
        mine.append(membership.company)
    url_company = _company_from_url(request)
    if url_company in roles:
        if request.session.get(SESSION_KEY) != url_company:
            request.session[SESSION_KEY] = url_company
        active_pk: int | None = url_company
    else:
        active_pk = request.session.get(SESSION_KEY)
    active = next((c for c in mine if c.pk == active_pk), None)
    role = roles.get(active.pk) if active else None
    groups, current = menu(request, active, role)
    section = _section(current) if active is not None else None
    if section is not None and request.session.get(SECTION_KEY) != section.url_name:
        request.session[SECTION_KEY] = section.url_name  # the portfolio opens clients here
    switch = []
    for c in mine:
        url = reverse("companies:company-detail", args=[c.pk])
        if section is not None and allowed(section, roles.get(c.pk), False):
            url = _url(section, c.pk)
        switch.append({"company": c, "url": url, "current": active is not None and c == active})
    return {
        "my_companies": mine,
        "active_company": active,
        "active_role": role,
        "nav_groups": groups,
        "nav_current": current,
        "company_switch": switch,
    }


def _section(current: Link | None) -> Item | None:
    return section_item(current.url_name) if current is not None else None


def section_item(url_name: str) -> Item | None:
    for group in GROUPS:
        for item in group.items:
            if item.company and item.url_name == url_name:
                return item
    return None


def section_url(request: HttpRequest, company_pk: int, role: str) -> str:
    """The page of the section last worked in for this company, if the role may open it;
    else the company's overview."""
    item = section_item(str(request.session.get(SECTION_KEY, "")))
    if item is not None and allowed(item, role, False):
        return _url(item, company_pk)
    return reverse("companies:company-detail", args=[company_pk])
