"""A company officer asks for the validation-readiness binder from the security profile
page, watches its progress and downloads the PDF, in a real browser.

The queue is the database backend, so the request only records the job and the page
shows it waiting; the test then plays the worker (`core.export_jobs.run`, what
`ctpat db_worker` calls) in a thread while the page polls, until the download appears."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from allauth.mfa.models import Authenticator as MFAAuthenticator
from allauth.mfa.utils import decrypt
from django.test import override_settings
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from core import export_jobs
from core.models import ExportJob
from e2e.conftest import Authenticator, artifact_path, serious_accessibility_problems
from e2e.test_security_profile import OFFICER, sign_in_with_code
from portal.testing import add_member, make_company, make_user
from portal.tests.test_binder import build_world


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_an_officer_asks_for_the_binder_sees_progress_and_downloads_it(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    company = make_company("Acme Imports LLC")
    officer = make_user(OFFICER, mfa=True, first_name="Dana", last_name="Price")
    add_member(company, officer, "officer")
    build_world(company, officer)
    secret = decrypt(MFAAuthenticator.objects.get(user=officer, type="totp").data["secret"])
    sign_in_with_code(page, Authenticator(str(secret)))

    page.goto(f"/companies/{company.pk}/profile/")
    page.get_by_test_id("binder-link").click()
    expect(page.get_by_role("heading", name="Validation-readiness binder")).to_be_visible()
    page.get_by_label("Spanish").check()
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=str(artifact_path("binder-ask.png")), full_page=True)
    page.get_by_role("button", name="Build the binder").click()

    status = page.get_by_test_id("export-status")
    expect(status.get_by_role("status")).to_contain_text("Waiting for a background worker")
    expect(status.get_by_role("progressbar")).to_be_visible()
    page.screenshot(path=str(artifact_path("binder-waiting.png")), full_page=True)
    assert serious_accessibility_problems(page) == []
    worker = threading.Thread(target=export_jobs.run, args=[ExportJob.objects.get().pk])
    worker.start()
    expect(status.get_by_role("status")).to_contain_text("Your file is ready.", timeout=60_000)
    worker.join()
    link = page.get_by_test_id("export-download")
    expect(link).to_contain_text("validation-binder-")
    page.screenshot(path=str(artifact_path("binder-ready.png")), full_page=True)
    assert serious_accessibility_problems(page) == []
    with page.expect_download() as caught:
        link.click()
    download = caught.value
    saved = artifact_path("binder.pdf")
    download.save_as(str(saved))
    assert download.suggested_filename.endswith("-es-" + download.suggested_filename[-14:])
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(saved.read_bytes())).pages)
    assert "Carpeta de preparación para la validación" in text
    assert "Índice de evidencia" in text

    # The binder page lists it for later.
    page.goto(f"/companies/{company.pk}/binder/")
    expect(page.get_by_role("table")).to_contain_text("Spanish")
    assert broken == []
