"""The questionnaire list: FilterSet, sorting, CSV, empty state, query count."""

from __future__ import annotations

from typing import Any

from core.listchecks import ListPageChecks
from partners.models import BusinessPartner
from portal.testing import PersonaTestCase
from questionnaires import workflow


class QuestionnaireListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "questionnaires:questionnaire-list"
    filter_query = {"status": "revoked"}
    sort = "partner"

    def make_row(self, i: int, matching: bool) -> Any:
        partner = BusinessPartner.objects.create(
            company=self.company, name=f"Bodega {i:03d}", role="warehouse", country="MX"
        )
        questionnaire, _token = workflow.send(partner, contact_email="s@example.test")
        if matching:
            questionnaire.status = "revoked"
            questionnaire.save()
        return questionnaire

    def label(self, row: Any) -> str:
        return str(row.partner.name)
