"""Test data for applications: a company with everything the checklist asks for, a passing
eligibility check, and the MFA re-authentication an officer does before signing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.test import Client
from django.urls import reverse

from accounts.models import User
from companies.models import Address, Company, Contact, Identifier


def complete_company(company: Company) -> Company:
    """Fill in what an importer's application needs (all but the eligibility check)."""
    company.commodities = "Kitchenware, small appliances"
    company.countries_of_origin = ["CN", "MX"]
    company.transport_modes = ["ocean", "truck"]
    company.yearly_shipments = 1200
    company.save()
    Address.objects.create(
        company=company,
        kind="headquarters",
        street="100 Harbor Way",
        city="Long Beach",
        region="CA",
        postal_code="90802",
        country="US",
    )
    for kind, name in (
        ("security", "Ana Ruiz"),
        ("officer", "Bo Li"),
        ("senior_management", "Cy Park"),
    ):
        Contact.objects.create(
            company=company, kind=kind, name=name, title="Director", email=f"{kind}@acme.test"
        )
    Identifier.objects.create(company=company, kind="ior", value="12-345678900")
    Identifier.objects.create(company=company, kind="bond", value="123456789")
    return company


@contextmanager
def eligibility(qualifies: bool | None = True) -> Iterator[None]:
    """Stand in for the eligibility wizard's latest result (None: never run)."""
    result = None if qualifies is None else SimpleNamespace(pk=1, qualifies=qualifies)
    with mock.patch.object(Company, "latest_eligibility_check", return_value=result):
        yield


def current_code(user: User, *, offset: int = 0) -> str:
    """The code the user's authenticator app shows now (`offset` periods away).

    A code read in the last seconds of its 30-second step may be stale by the time a busy
    machine posts it (the portal accepts the current step only), so this waits for the next
    step instead, as a person would wait for the app's next code."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    left = 30 - time.time() % 30
    if left < 4:
        time.sleep(left + 0.1)
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset)))


def reauthenticate_with_mfa(client: Client, user: User) -> None:
    """Type the authenticator code on allauth's MFA re-authentication page."""
    response = client.post(reverse("mfa_reauthenticate"), {"code": current_code(user)})
    assert response.status_code == 302, response.content[:500]
