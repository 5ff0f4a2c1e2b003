"""People of a company: managers change roles and remove people, and a company that has a
company officer always keeps one (only an officer signs the partner agreement). Adding a
person is an invitation (test_invitations.py)."""

from __future__ import annotations

import json
from typing import Any

from django.test import override_settings
from django.urls import reverse

from companies.models import Membership
from portal.testing import PersonaTestCase

FAST = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST
class MemberPageTests(PersonaTestCase):
    def officer_membership(self) -> Membership:
        return self.company.memberships.get(role="officer")

    def set_role(self, persona: str, role: str, *, follow: bool = False) -> Any:
        membership = self.company.memberships.get(user=self.users[persona])
        return self.client.post(
            reverse("companies:member-role", args=[self.company.pk, membership.pk]),
            {"role": role},
            follow=follow,
        )

    def test_manager_changes_a_role(self) -> None:
        self.login("admin")
        self.set_role("viewer", "user")
        self.assertEqual(self.company.role_of(self.users["viewer"]), "user")

    def test_an_unknown_role_is_refused_with_a_message(self) -> None:
        self.login("admin")
        response = self.set_role("viewer", "emperor", follow=True)
        self.assertContains(response, "emperor")
        self.assertEqual(self.company.role_of(self.users["viewer"]), "viewer")

    def test_the_last_officer_cannot_be_demoted(self) -> None:
        self.login("admin")
        response = self.set_role("officer", "admin", follow=True)
        self.assertContains(response, "at least one company officer")
        self.assertEqual(self.officer_membership().user, self.users["officer"])

    def test_the_last_officer_cannot_be_removed(self) -> None:
        self.login("admin")
        officer = self.officer_membership()
        response = self.client.post(
            reverse("companies:member-remove", args=[self.company.pk, officer.pk]), follow=True
        )
        self.assertContains(response, "at least one company officer")
        self.assertTrue(Membership.objects.filter(pk=officer.pk).exists())

    def test_an_officer_can_step_down_once_another_is_named(self) -> None:
        self.login("officer")
        self.set_role("admin", "officer")
        self.set_role("officer", "admin")
        self.assertEqual(self.company.role_of(self.users["officer"]), "admin")
        self.assertEqual(self.company.role_of(self.users["admin"]), "officer")


@FAST
class MemberAPITests(PersonaTestCase):
    def test_the_last_officer_cannot_be_demoted_or_removed_through_the_api(self) -> None:
        self.login("admin")
        officer = self.company.memberships.get(role="officer")
        url = reverse("api:membership-detail", args=[officer.pk])
        patch = self.client.patch(
            url, json.dumps({"role": "admin"}), content_type="application/json"
        )
        self.assertEqual(patch.status_code, 400, patch.content)
        self.assertIn("at least one company officer", patch.json()["role"][0])
        delete = self.client.delete(url)
        self.assertEqual(delete.status_code, 400, delete.content)
        officer.refresh_from_db()
        self.assertEqual(officer.role, "officer")

    def test_a_company_without_an_officer_may_lose_its_admins(self) -> None:
        self.login("consultant")
        Membership.objects.filter(company=self.third_company).update(role="admin")
        membership = self.third_company.memberships.get()
        self.login("consultant")
        response = self.client.patch(
            reverse("api:membership-detail", args=[membership.pk]),
            json.dumps({"role": "consultant"}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
