"""The audit trail: every create, update and delete of a company's records, with who
did it, when and which fields changed, readable by the company's admins and officers."""

from __future__ import annotations

import datetime
import json

import time_machine
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tokens import issue_token
from companies.models import Address, Membership
from portal.testing import PersonaTestCase

FAST = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
WHEN = datetime.datetime(2026, 3, 4, 15, 30, tzinfo=datetime.UTC)


def _entries(address_pk: int) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(content_type__model="address", object_pk=str(address_pk)).order_by(
            "pk"
        )
    )


@FAST
class AuditTrailTests(PersonaTestCase):
    def edit_address_through_the_pages(self) -> int:
        """Create, rename and delete one address as the company's user; return its id."""
        self.login("user")
        with time_machine.travel(WHEN, tick=False):
            self.client.post(
                reverse("companies:address-list", args=[self.company.pk]),
                {
                    "kind": "facility",
                    "street": "2 Dock Rd",
                    "city": "Reno",
                    "country": "US",
                    "staffed": "on",
                },
            )
            address = Address.objects.get(company=self.company, city="Reno")
            self.client.post(
                reverse("companies:address-edit", args=[self.company.pk, address.pk]),
                {
                    "kind": "warehouse",
                    "street": "2 Dock Rd",
                    "city": "Sparks",
                    "country": "US",
                    "staffed": "on",
                },
            )
            self.client.post(
                reverse("companies:address-delete", args=[self.company.pk, address.pk])
            )
        return address.pk

    def test_create_update_delete_record_actor_time_and_changed_fields(self) -> None:
        pk = self.edit_address_through_the_pages()
        created, updated, deleted = _entries(pk)
        for entry in (created, updated, deleted):
            self.assertEqual(entry.actor, self.users["user"])
            self.assertEqual(entry.timestamp, WHEN)
            self.assertEqual(entry.additional_data, {"company_id": self.company.pk})
        self.assertEqual(
            [created.action, updated.action, deleted.action],
            [LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE],
        )
        self.assertEqual(created.changes_dict["city"], ["None", "Reno"])
        self.assertEqual(
            updated.changes_dict,
            {"kind": ["facility", "warehouse"], "city": ["Reno", "Sparks"]},
        )

    def test_update_lists_only_the_fields_that_changed(self) -> None:
        address = Address.objects.create(
            company=self.company, kind="office", street="5 Elm", city="Austin", country="US"
        )
        self.login("user")
        with time_machine.travel(WHEN + datetime.timedelta(days=1), tick=False):
            self.client.post(
                reverse("companies:address-edit", args=[self.company.pk, address.pk]),
                {"kind": "office", "street": "5 Elm", "city": "Dallas", "country": "US"},
            )
        update = _entries(address.pk)[-1]
        self.assertEqual(
            update.changes_dict, {"city": ["Austin", "Dallas"], "staffed": ["True", "False"]}
        )

    def test_api_changes_made_with_a_token_name_the_token_owner(self) -> None:
        _token, key = issue_token(self.users["user"], name="audit script")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        response = client.post(
            reverse("api:address-list"),
            json.dumps(
                {
                    "company": self.company.pk,
                    "kind": "office",
                    "street": "5 Elm",
                    "city": "Austin",
                    "country": "US",
                }
            ),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        client.patch(
            reverse("api:address-detail", args=[pk]),
            json.dumps({"city": "Dallas"}),
            content_type="application/json",
        )
        client.delete(reverse("api:address-detail", args=[pk]))
        entries = _entries(pk)
        self.assertEqual(len(entries), 3)
        self.assertEqual({e.actor for e in entries}, {self.users["user"]})

    def test_admins_and_officers_read_the_trail(self) -> None:
        self.edit_address_through_the_pages()
        url = reverse("companies:audit-log", args=[self.company.pk])
        for persona in ("admin", "officer"):
            with self.subTest(persona=persona):
                self.login(persona)
                page = self.client.get(url)
                self.assertContains(page, "<td>user@acme.test</td>", count=3)
                self.assertContains(page, WHEN.strftime("%Y-%m-%d %H:%M:%S"), count=3)
                self.assertContains(page, "Sparks")

    def test_viewers_and_users_get_404(self) -> None:
        url = reverse("companies:audit-log", args=[self.company.pk])
        for persona in ("viewer", "user", "consultant", "other"):
            with self.subTest(persona=persona):
                self.login(persona)
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_another_companys_entries_never_appear(self) -> None:
        theirs = Address.objects.create(
            company=self.other_company,
            kind="headquarters",
            street="Av. Secreta 7",
            city="Monterrey",
            country="MX",
        )
        theirs.city = "Saltillo"
        theirs.save()
        self.other_company.dba = "Norte Secret DBA"
        self.other_company.save()
        self.login("admin")
        page = self.client.get(reverse("companies:audit-log", args=[self.company.pk]))
        for secret in ("Av. Secreta", "Saltillo", "Norte Secret DBA", "Transportes del Norte"):
            self.assertNotContains(page, secret)
        self.assertTrue(page.context["listing"].page.rows)  # our own entries are there

    def test_the_trail_reads_with_labels_and_dashes_not_none(self) -> None:
        self.company.yearly_shipments = None
        self.company.uses_ftz = False
        self.company.save()
        self.company.yearly_shipments = 1200
        self.company.uses_ftz = True
        self.company.transport_modes = ["ocean"]
        self.company.save()
        self.login("admin")
        page = self.client.get(reverse("companies:audit-log", args=[self.company.pk]))
        body = page.content.decode()
        self.assertIn("— → 1200", body)
        self.assertIn("No → Yes", body)
        self.assertNotIn("None →", body)
        self.assertNotIn("→ None", body)


@FAST
class AuditTrailQueryTests(PersonaTestCase):
    """The records a change points to are named with one query per kind of record, so a
    page costs the same number of queries whatever its entries changed."""

    def record(self, n: int) -> None:
        kind = ContentType.objects.get_for_model(Membership)
        people = [self.users[role] for role in ("admin", "user", "viewer", "consultant")]
        LogEntry.objects.bulk_create(
            LogEntry(
                content_type=kind,
                object_pk=str(i),
                object_repr=f"membership {i}",
                action=LogEntry.Action.UPDATE,
                changes={"user": [str(people[i % 4].pk), str(people[(i + 1) % 4].pk)]},
                actor=people[i % 4],
                additional_data={"company_id": self.company.pk},
            )
            for i in range(n)
        )

    def queries_for_the_page(self) -> tuple[int, str]:
        url = reverse("companies:audit-log", args=[self.company.pk])
        with CaptureQueriesContext(connection) as queries:
            body = self.client.get(url).content.decode()
        return len(queries), body

    def test_a_page_costs_the_same_queries_whatever_it_shows(self) -> None:
        self.login("admin")
        self.record(50)  # a full page of changes that name people
        for _ in range(2):  # the first pages after signing in also settle the session
            self.queries_for_the_page()
        few, body = self.queries_for_the_page()
        self.assertIn("admin@acme.test → user@acme.test", body)
        self.record(100)
        many, body = self.queries_for_the_page()
        self.assertEqual(few, many)
        # session, user, MFA and officer checks, company, memberships; the page's own:
        # entries (no COUNT: the trail is a long log) and the people its changes name (one
        # query for all of them)
        self.assertEqual(many, 8)
        self.assertIn("consultant@acme.test → admin@acme.test", body)

    def test_a_record_deleted_since_reads_as_deleted(self) -> None:
        LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(Membership),
            object_pk="1",
            object_repr="membership 1",
            action=LogEntry.Action.UPDATE,
            changes={"user": ["999999", str(self.users["admin"].pk)]},
            additional_data={"company_id": self.company.pk},
        )
        self.login("admin")
        body = self.queries_for_the_page()[1]
        self.assertIn("Deleted &#x27;User&#x27; (999999) → admin@acme.test", body)
