"""A company officer answers three criteria of the security profile (autosaved), uploads
evidence and submits the profile after the MFA re-check, in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator as MFAAuthenticator
from allauth.mfa.utils import decrypt
from playwright.sync_api import Page, expect

from e2e.conftest import Authenticator, artifact_path
from portal.testing import PASSWORD, add_member, make_company, make_user
from profiles.models import EvidenceFile, Response, Submission
from profiles.tests.factories import PDF_BYTES, load_msc

OFFICER = "dana.price@acme-imports.test"
ANSWERS = (
    ("1.1", "implemented", "Our CEO signed the supply chain security statement in March."),
    ("1.2", "partly", "Security, HR and logistics meet monthly; IT joins from next quarter."),
    ("3.1", "not_implemented", "Partner screening starts with the new vendor portal."),
)


def sign_in_with_code(page: Page, authenticator: Authenticator) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(OFFICER)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(authenticator.code())
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))


def answer(page: Page, company_pk: int, ref_id: str, status: str, narrative: str) -> None:
    """Open the criterion from the profile page and type the answer; autosave keeps it."""
    page.goto(f"/companies/{company_pk}/profile/")
    page.get_by_test_id(f"criterion-{ref_id}").get_by_role("link", name=ref_id).click()
    expect(page.get_by_test_id("provenance")).to_contain_text(
        re.compile("verified for importers", re.I)
    )
    page.get_by_label("Status").select_option(status)
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.get_by_label("How we meet it").fill(narrative)
    expect(page.locator("#save-status")).to_contain_text("(version 2)")


@pytest.mark.django_db(transaction=True)
def test_an_officer_answers_uploads_evidence_and_submits_the_profile(
    page: Page, live_server: Any, broken: list[str], tmp_path: Any, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_msc()
    company = make_company("Acme Imports LLC")
    officer = make_user(OFFICER, mfa=True, first_name="Dana", last_name="Price")
    add_member(company, officer, "officer")
    secret = decrypt(MFAAuthenticator.objects.get(user=officer, type="totp").data["secret"])
    authenticator = Authenticator(str(secret))

    sign_in_with_code(page, authenticator)
    for ref_id, status, narrative in ANSWERS:
        answer(page, company.pk, ref_id, status, narrative)

    # Evidence for 1.1: the signed statement.
    document = tmp_path / "security-statement.pdf"
    document.write_bytes(PDF_BYTES)
    page.goto(f"/companies/{company.pk}/profile/")
    page.get_by_test_id("criterion-1.1").get_by_role("link", name="1.1").click()
    form = page.get_by_test_id("evidence-form")
    form.get_by_label("Title").fill("Signed security statement")
    form.get_by_label("File").set_input_files(str(document))
    form.get_by_role("button", name="Upload evidence").click()
    expect(page.get_by_text("Evidence “Signed security statement” uploaded.")).to_be_visible()
    expect(page.get_by_test_id("evidence-table")).to_contain_text("security-statement.pdf")
    # The evidence link serves the file to the member through the permission check.
    # (The test server itself serves /media/; the portal's URL map never does, see
    # core/tests/test_files.py.)
    link = page.get_by_test_id("evidence-table").get_by_role("link", name="security-statement.pdf")
    download = page.request.get(str(link.get_attribute("href")))
    assert download.status == 200
    assert download.body() == PDF_BYTES
    assert download.headers["cache-control"] == "private, no-store"
    assert download.headers["x-content-type-options"] == "nosniff"
    page.screenshot(path=artifact_path("security-profile-evidence.png"), full_page=True)

    page.goto(f"/companies/{company.pk}/profile/")
    expect(page.get_by_test_id("progress")).to_contain_text("3/")
    expect(page.get_by_test_id("criterion-1.2")).to_contain_text("Partly implemented")
    page.get_by_role("link", name="Review and submit").click()
    # Submitting asks for a fresh authenticator code even though the session is signed in.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/reauthenticate/"))
    page.locator("input[name=code]").fill(authenticator.code())
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("unanswered-warning")).to_be_visible()
    page.get_by_label("Your full name").fill("Dana Price")
    page.get_by_label("Your title").fill("Chief Operating Officer")
    page.get_by_label("I attest that this security profile is accurate").check()
    page.get_by_role("button", name="Sign and submit the profile").click()

    expect(page.get_by_text("Security profile submitted as submission 1.")).to_be_visible()
    expect(page.get_by_test_id("snapshot-table")).to_contain_text(ANSWERS[1][2])
    page.screenshot(path=artifact_path("security-profile-submitted.png"), full_page=True)

    submission = Submission.objects.get()
    entries = {c["ref_id"]: c for c in submission.snapshot["criteria"]}
    for ref_id, status, narrative in ANSWERS:
        assert (entries[ref_id]["status"], entries[ref_id]["narrative"]) == (status, narrative)
    assert entries["1.1"]["evidence"][0]["sha256"] == EvidenceFile.objects.get().sha256
    assert Response.objects.get(criterion__ref_id="1.2").version == 2
    page.goto(f"/companies/{company.pk}/profile/gaps/")
    expect(page.get_by_test_id("readiness-chart")).to_be_visible()
    page.screenshot(path=artifact_path("security-profile-gaps.png"), full_page=True)
    assert not broken, "failed requests or script errors on the way:\n" + "\n".join(
        sorted(set(broken))
    )
