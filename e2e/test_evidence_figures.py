"""A member opens criteria of the security profile and sees, beside the uploaded evidence,
the figures other parts of the portal keep for them: training coverage (1.2), the risk
assessment (2.1) and the seal figures (6.1). The page looks the same whichever app
answers (profiles asks the apps that registered an evidence provider)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.conftest import artifact_path, serious_accessibility_problems, sign_in
from portal.testing import add_member, make_company, make_user
from profiles.models import SecurityProfile
from profiles.tests.factories import criterion, load_msc
from training.tests import factories as training

MEMBER = "ana.ruiz@acme-imports.test"


@pytest.mark.django_db(transaction=True)
def test_a_member_sees_the_figures_other_apps_keep_for_a_criterion(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    catalogue = load_msc()
    company = make_company("Acme Imports LLC")
    add_member(company, make_user(MEMBER), "user")
    SecurityProfile.start(company)
    guard = training.role(company)
    course = training.course(
        company, "security_team", roles=[guard], criteria=["1.2"], title_en="Security briefing"
    )
    done = training.employee(company, "Ana", "Ruiz", roles=[guard])
    training.employee(company, "Luis", "Paz", roles=[guard])
    training.record(done, course, timezone.localdate() - datetime.timedelta(days=10))

    sign_in(page, MEMBER)
    expected = {
        "1.2": ["Training and personnel", "Security briefing", "50% current (1 of 2 people)"],
        "2.1": ["Risk assessment", "none completed yet"],
        "6.1": ["Field operations", "Seal discrepancies, last 12 months", "none recorded"],
    }
    for ref_id, texts in expected.items():
        page.goto(f"/companies/{company.pk}/profile/criteria/{criterion(catalogue, ref_id).pk}/")
        figures = page.get_by_test_id("linked-records")
        for text in texts:
            expect(figures).to_contain_text(text)
        page.screenshot(path=str(artifact_path(f"evidence-figures-{ref_id}.png")), full_page=True)
    assert serious_accessibility_problems(page) == []
    assert broken == []
