from __future__ import annotations

from typing import Any

from django.utils import timezone

from certification.choices import State
from certification.tests.factories import certification_in
from companies.models import Company
from verification.models import Consent


def participating(
    company: Company, signer: Any, state: str = State.CERTIFIED, **consent: Any
) -> Consent:
    """A company that is certified (or in `state`) and whose officer signed the consent."""
    certification_in(state, company)
    return Consent.objects.create(
        company=company,
        signed_by=signer,
        signer_name="Bo Li",
        signer_title="CEO",
        signed_at=timezone.now(),
        **consent,
    )
