"""A compliance user adds a corrective action, uploads the photo that shows it done and
closes it with a note, in a real browser (the page calls `actions.workflow.save_action` and
`add_evidence`, as the API does for the action)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from actions.models import ActionEvidence, CorrectiveAction
from e2e.conftest import artifact_path, serious_accessibility_problems, sign_in
from portal.testing import add_member, make_company, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_add_an_action_upload_evidence_and_close_it(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    company = make_company("Acme Imports LLC")
    user = make_user("compliance@acme.test")
    add_member(company, user, "user")
    sign_in(page, "compliance@acme.test")

    page.goto(f"/companies/{company.pk}/actions/")
    add = page.locator("form:has(input[name=submission_key])")  # not the list's filters
    add.locator("input[name=title]").fill("Fit a high-security padlock")
    add.locator("input[name=criterion_ref]").fill("5.4")
    add.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Corrective action added.")).to_be_visible()
    action = CorrectiveAction.objects.get()
    assert action.created_by == user

    page.locator("input[name=file]").set_input_files(
        {"name": "padlock.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="padlock.pdf")).to_be_visible()
    assert ActionEvidence.objects.get().uploaded_by == user

    page.locator("form.card select[name=status]").select_option(value="done")
    page.locator("textarea[name=completion_note]").fill("Padlock fitted on all gates.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    action.refresh_from_db()
    assert action.completed_at is not None
    page.screenshot(path=artifact_path("corrective-action-closed.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    assert broken == []
