"""Creating a company, and the membership steps, done once through the page and once
through the API write the same rows and audit entries (both call `companies.workflow`); a
refusal is a page message and an API answer with its code."""

from __future__ import annotations

import uuid

from django.urls import reverse

from accounts.models import APIToken
from accounts.tokens import issue_token
from companies.models import Company, Invitation, Membership
from companies.tests.test_invitations import FAST, InvitationWorld
from portal.testing import PersonaTestCase, add_member, make_user, written

TABLES = (Invitation, Membership, APIToken)


@FAST
class MembershipParityTests(InvitationWorld):
    def setUp(self) -> None:
        super().setUp()
        self.api = self.api_as("admin")  # its token is written before the counts start

    def invite_api(self, email: str) -> object:
        return self.api.post(
            reverse("api:invitation-list"),
            {"company": self.company.pk, "email": email, "role": "user"},
            format="json",
        )

    def test_an_invitation_writes_the_same_rows(self) -> None:
        self.login("admin")
        with self.captureOnCommitCallbacks(execute=True), written(*TABLES) as page:
            self.invite_on_page("page@example.test")
        with self.captureOnCommitCallbacks(execute=True), written(*TABLES) as api:
            self.assertEqual(self.invite_api("api@example.test").status_code, 201)  # type: ignore[attr-defined]
        self.assertEqual(page.rows["companies.Invitation"], 1)
        self.assertEqual(page, api)

    def test_inviting_a_member_is_refused_on_both_sides_with_its_code(self) -> None:
        self.login("admin")
        with written(*TABLES) as page:
            shown = self.invite_on_page("viewer@acme.test")
        self.assertContains(shown, "is already a member of this company")
        with written(*TABLES) as api:
            answer = self.invite_api("viewer@acme.test")
        self.assertEqual(answer.status_code, 409)  # type: ignore[attr-defined]
        body = answer.json()  # type: ignore[attr-defined]
        self.assertEqual(body["code"], "already_member")
        self.assertIn("is already a member of this company", body["detail"])
        self.assertFalse(page)
        self.assertFalse(api)

    def test_removing_a_member_writes_the_same_rows_and_revokes_their_tokens(self) -> None:
        leaving = [make_user(f"leaving{n}@acme.test") for n in (1, 2)]
        memberships = [add_member(self.company, user, "user") for user in leaving]
        for user in leaving:
            issue_token(user, name="script")
        self.login("admin")
        with written(*TABLES) as page:
            self.client.post(
                reverse("companies:member-remove", args=[self.company.pk, memberships[0].pk])
            )
        with written(*TABLES) as api:
            answer = self.api.delete(reverse("api:membership-detail", args=[memberships[1].pk]))
            self.assertEqual(answer.status_code, 204, answer.content)
        # Minus the person's membership and token (the API caller's own token is new).
        self.assertEqual(page.rows, {"companies.Invitation": 0, "companies.Membership": -1,
                                     "accounts.APIToken": -1})  # fmt: skip
        self.assertEqual(page, api)
        self.assertFalse(APIToken.objects.filter(user__in=leaving).exists())


class CompanyCreateParityTests(PersonaTestCase):
    """Both go through `companies.workflow.create_company`: the company and its creator's
    membership, in one transaction."""

    # (An officer must set up two-factor sign-in first, so the creator takes "admin" here.)
    FIELDS = {"business_type": "importer", "country": "US", "my_role": "admin"}

    def test_a_company_writes_the_same_rows_and_membership_from_the_page_and_the_api(self) -> None:
        newcomer = make_user("new@startup.test")
        self.client.force_login(newcomer)
        page_data = {**self.FIELDS, "legal_name": "Page Freight LLC", "language": "en"}
        with written(Company, Membership) as page:
            self.client.post(
                reverse("companies:company-create"),
                {**page_data, "submission_key": str(uuid.uuid4())},
            )
        api_data = {**self.FIELDS, "legal_name": "API Freight LLC"}
        with written(Company, Membership) as api:
            answer = self.client.post(
                reverse("api:company-list"), api_data, content_type="application/json"
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows, {"companies.Company": 1, "companies.Membership": 1})
        self.assertEqual(page, api)
        for name in ("Page Freight LLC", "API Freight LLC"):
            self.assertEqual(Company.objects.get(legal_name=name).role_of(newcomer), "admin")

    def test_neither_side_creates_a_company_that_does_not_hold(self) -> None:
        self.login("user")
        bad = {**self.FIELDS, "legal_name": "Odd Co", "business_subtype": "us_canada"}
        with written(Company, Membership) as page:
            shown = self.client.post(
                reverse("companies:company-create"),
                {**bad, "language": "en", "submission_key": str(uuid.uuid4())},
            )
        self.assertEqual(shown.status_code, 200)
        with written(Company, Membership) as api:
            answer = self.client.post(
                reverse("api:company-list"), bad, content_type="application/json"
            )
        self.assertEqual(answer.status_code, 400)
        self.assertFalse(page)
        self.assertFalse(api)
