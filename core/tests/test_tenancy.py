"""`for_user()` is the one gate of every tenant-owned query: a table test over every
role and action, for every tenant-owned model of the companies app."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.test import override_settings

from companies.models import Address, Company, Contact, Identifier, Membership, ProgramParticipation
from core.tenancy import ACTIONS, ROLE_ACTIONS, get_for_user_or_404
from portal.testing import MEMBER_ROLES, PROGRAM_OFFICE, PersonaTestCase

TENANT_MODELS: tuple[type[models.Model], ...] = (
    Company,
    Membership,
    Address,
    Contact,
    Identifier,
    ProgramParticipation,
)


def _describe(company: Company) -> None:
    Address.objects.create(
        company=company, kind="headquarters", street="1 Main St", city="Laredo", country="US"
    )
    Contact.objects.create(company=company, kind="security", name="Ana", email="a@x.test")
    Identifier.objects.create(company=company, kind="scac", value="ABCD")
    ProgramParticipation.objects.create(company=company, program="pip", country="CA")


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class ForUserTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for company in (cls.company, cls.other_company, cls.third_company):
            _describe(company)

    def owners(self, model: type[models.Model], persona: str, action: str) -> set[int]:
        """The companies whose records of `model` the persona gets for `action`."""
        qs: Any = model._default_manager.all()
        rows = qs.for_user(self.users[persona], action)
        field = "pk" if model is Company else "company_id"
        return set(rows.values_list(field, flat=True))

    def test_members_get_their_company_exactly_when_their_role_allows_the_action(self) -> None:
        for model in TENANT_MODELS:
            for role in MEMBER_ROLES:
                for action in sorted(ACTIONS):
                    with self.subTest(model=model.__name__, role=role, action=action):
                        got = self.owners(model, role, action)
                        self.assertNotIn(self.other_company.pk, got)
                        expected_main = action in ROLE_ACTIONS[role]
                        self.assertEqual(self.company.pk in got, expected_main)

    def test_consultant_works_in_both_their_companies_and_no_other(self) -> None:
        for model in TENANT_MODELS:
            with self.subTest(model=model.__name__):
                self.assertEqual(
                    self.owners(model, "consultant", "edit"),
                    {self.company.pk, self.third_company.pk},
                )

    def test_program_office_views_every_company_but_edits_none(self) -> None:
        everyone = {self.company.pk, self.other_company.pk, self.third_company.pk}
        for model in TENANT_MODELS:
            for persona in PROGRAM_OFFICE:
                with self.subTest(model=model.__name__, persona=persona):
                    self.assertEqual(self.owners(model, persona, "view"), everyone)
                    for action in ACTIONS - {"view"}:
                        self.assertEqual(self.owners(model, persona, action), set())

    def test_anonymous_gets_nothing(self) -> None:
        for model in TENANT_MODELS:
            qs: Any = model._default_manager.all()
            self.assertFalse(qs.for_user(AnonymousUser(), "view").exists())

    def test_unknown_action_raises_for_everyone(self) -> None:
        for persona in ("viewer", "officer", "specialist"):
            with self.subTest(persona=persona), self.assertRaisesMessage(ValueError, "delete"):
                Company.objects.for_user(self.users[persona], "delete")

    def test_get_for_user_or_404_hides_other_companies(self) -> None:
        from django.http import Http404

        address = Address.objects.get(company=self.other_company)
        with self.assertRaises(Http404):
            get_for_user_or_404(Address, self.users["admin"], "view", pk=address.pk)
        with self.assertRaises(Http404):
            get_for_user_or_404(
                Address,
                self.users["viewer"],
                "edit",
                pk=Address.objects.get(company=self.company).pk,
            )
        own = Address.objects.get(company=self.company)
        self.assertEqual(get_for_user_or_404(Address, self.users["user"], "edit", pk=own.pk), own)
