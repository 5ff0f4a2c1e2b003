"""Who may see sensitive personnel data, and the log of every showing.

Screening outcome details and notes are shown only to the company's officers and admins:
the people whose role allows the `manage` action in `core.tenancy`. Program-office staff,
consultants, users and viewers see that a check was done and its outcome, never the
details. Each time the details are shown (page or API), one `SensitiveAccessLog` row per
employee records who saw them and when. The signed copies of code-of-conduct
acknowledgements follow the same rule: only managers download them (`core.files` checks
`SENSITIVE_ACTION`), and each download is logged (`log_file_access`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from companies.models import Company
from personnel.models import ConductAcknowledgement, Employee, SensitiveAccessLog

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest

SENSITIVE_ACTION = "manage"


def company_allows(
    user: AbstractBaseUser | AnonymousUser, company: Company | int, action: str
) -> bool:
    """Whether the user's role in the company allows `action` (core.tenancy decides)."""
    company_pk = company.pk if isinstance(company, Company) else company
    return Company.objects.for_user(user, action).filter(pk=company_pk).exists()


def can_see_sensitive(user: AbstractBaseUser | AnonymousUser, company: Company | int) -> bool:
    return company_allows(user, company, SENSITIVE_ACTION)


def log_sensitive_view(
    request: HttpRequest, employees: Iterable[Employee], *, channel: str
) -> None:
    """Record that `request.user` was shown the sensitive fields of these employees."""
    user = request.user
    rows = [
        SensitiveAccessLog(
            company_id=e.company_id,
            employee=e,
            user_id=user.pk,
            user_email=getattr(user, "email", ""),
            channel=channel,
            path=request.get_full_path()[:300],
        )
        for e in {e.pk: e for e in employees}.values()
    ]
    SensitiveAccessLog.objects.bulk_create(rows)


def log_file_access(request: HttpRequest, obj: ConductAcknowledgement) -> None:
    """Record a download of an employee's signed copy (called by `core.files` once the
    user's role was found to allow `SENSITIVE_ACTION`)."""
    log_sensitive_view(request, [obj.employee], channel="file")
