"""Membership steps done once through the page and once through the API write the same
rows and audit entries (both call `companies.workflow`); a refusal is a page message and an
API answer with its code."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import APIToken
from accounts.tokens import issue_token
from companies.models import Invitation, Membership
from companies.tests.test_invitations import FAST, InvitationWorld
from core.testing import add_member, make_user, written

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
