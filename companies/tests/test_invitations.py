"""Joining a company by invitation: a manager invites an e-mail address, the link goes to
that mailbox, and only an account with that address joins, once, with the invited role.
Nothing tells the manager whether the address has an account on the installation."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import User
from companies import workflow
from companies.models import Invitation, Membership, hash_invitation_token
from portal.testing import PASSWORD, PersonaTestCase, make_user

FAST = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
LINK = re.compile(r"/companies/invitations/([^/\s]+)/")


def link_in(message: Any) -> str:
    """The accept path in an invitation e-mail."""
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(0)


class InvitationWorld(PersonaTestCase):
    def invite_on_page(self, email: str, role: str = "user") -> Any:
        return self.client.post(
            reverse("companies:member-list", args=[self.company.pk]),
            {"email": email, "role": role},
            follow=True,
        )

    def invite(self, email: str, role: str = "user", **kwargs: Any) -> tuple[Invitation, str]:
        """Invite through the workflow; returns the invitation and the e-mailed path."""
        with self.captureOnCommitCallbacks(execute=True):
            invitation = workflow.invite(
                self.company, email, role, by=self.users["admin"], **kwargs
            )
        return invitation, link_in(mail.outbox[-1])


@FAST
class InvitePageTests(InvitationWorld):
    def test_inviting_e_mails_a_link_and_adds_nobody_until_accepted(self) -> None:
        self.login("admin")
        with self.captureOnCommitCallbacks(execute=True):
            page = self.invite_on_page("New.Person@Example.test")
        self.assertContains(page, "Invitation sent to new.person@example.test")
        self.assertContains(page, "new.person@example.test")  # listed as pending
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["new.person@example.test"])
        path = link_in(mail.outbox[0])
        token = LINK.search(path).group(1)  # type: ignore[union-attr]
        invitation = Invitation.objects.get(email="new.person@example.test")
        # Only the digest is stored; the secret exists only in the e-mail.
        self.assertEqual(invitation.token_hash, hash_invitation_token(token))
        self.assertFalse(Invitation.objects.filter(token_hash=token).exists())
        self.assertFalse(User.objects.filter(email="new.person@example.test").exists())
        self.assertEqual(self.company.memberships.count(), 5)

    def test_the_page_and_e_mail_are_the_same_for_an_existing_account_and_a_new_address(
        self,
    ) -> None:
        self.login("admin")
        with self.captureOnCommitCallbacks(execute=True):
            known = self.invite_on_page("admin@norte.test")  # has an account elsewhere
        with self.captureOnCommitCallbacks(execute=True):
            unknown = self.invite_on_page("nobody@norte.test")  # has none
        messages = [[str(m) for m in page.context["messages"]] for page in (known, unknown)]
        self.assertEqual(
            messages[0], [m.replace("nobody@", "admin@") for m in messages[1]], messages
        )
        bodies = [LINK.sub("LINK", str(m.body)) for m in mail.outbox]
        self.assertEqual(bodies[0], bodies[1].replace("nobody@", "admin@"))
        self.assertNotIn("account yet", known.content.decode())
        self.assertFalse(User.objects.filter(email="nobody@norte.test").exists())

    def test_a_current_member_is_not_invited_again(self) -> None:
        self.login("admin")
        page = self.invite_on_page("Viewer@Acme.test", "admin")
        self.assertContains(page, "already a member of this company")
        self.assertEqual(self.company.role_of(self.users["viewer"]), "viewer")
        self.assertEqual(mail.outbox, [])

    def test_a_second_invitation_to_the_same_address_is_refused_while_one_is_pending(
        self,
    ) -> None:
        self.invite("new@example.test")
        self.login("admin")
        page = self.invite_on_page("new@example.test")
        self.assertContains(page, "already has a pending invitation")
        self.assertEqual(Invitation.objects.filter(email="new@example.test").count(), 1)

    def test_resend_e_mails_a_new_link_and_the_old_one_stops_working(self) -> None:
        invitation, old = self.invite("new@example.test")
        self.login("admin")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("companies:invitation-resend", args=[self.company.pk, invitation.pk])
            )
        new = link_in(mail.outbox[-1])
        self.assertNotEqual(old, new)
        self.client.force_login(make_user("new@example.test"))
        self.assertEqual(self.client.get(old).status_code, 404)
        self.assertEqual(self.client.get(new).status_code, 200)

    def test_revoke_from_the_page_kills_the_link(self) -> None:
        invitation, path = self.invite("new@example.test")
        self.login("admin")
        page = self.client.post(
            reverse("companies:invitation-revoke", args=[self.company.pk, invitation.pk]),
            follow=True,
        )
        self.assertContains(page, "Invitation revoked")
        self.assertContains(page, "No pending invitations")
        self.client.force_login(make_user("new@example.test"))
        self.assertContains(self.client.get(path), "invitation was withdrawn", status_code=410)

    def test_another_companys_invitation_cannot_be_revoked_or_resent(self) -> None:
        invitation, _path = self.invite("new@example.test")
        self.login("other")
        for step in ("invitation-revoke", "invitation-resend"):
            for company in (self.company, self.other_company):
                response = self.client.post(
                    reverse(f"companies:{step}", args=[company.pk, invitation.pk])
                )
                self.assertEqual(response.status_code, 404)
        invitation.refresh_from_db()
        self.assertEqual(invitation.status, "pending")

    def test_the_e_mail_speaks_the_companys_language(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            workflow.invite(
                self.other_company, "nuevo@norte.test", "viewer", by=self.users["other"]
            )
        self.assertIn("Invitación", mail.outbox[0].subject)
        self.assertIn("Transportes del Norte", mail.outbox[0].body)


@FAST
class AcceptPageTests(InvitationWorld):
    newcomer: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.newcomer = make_user("new@example.test")

    def test_the_invited_account_accepts_and_joins_with_the_role(self) -> None:
        _invitation, path = self.invite("New@Example.TEST", "admin")
        self.client.force_login(self.newcomer)
        page = self.client.get(path)
        self.assertContains(page, "Acme Imports LLC")
        self.assertContains(page, "Administrator")
        response = self.client.post(path)
        self.assertRedirects(response, reverse("companies:company-detail", args=[self.company.pk]))
        self.assertEqual(self.company.role_of(self.newcomer), "admin")
        invitation = Invitation.objects.get()
        self.assertEqual(invitation.accepted_by, self.newcomer)
        self.assertEqual(invitation.status, "accepted")

    def test_accepting_twice_is_harmless_and_the_used_link_then_says_so(self) -> None:
        _invitation, path = self.invite("new@example.test")
        self.client.force_login(self.newcomer)
        first = self.client.post(path)
        again = self.client.post(path)
        self.assertEqual(first["Location"], again["Location"])
        self.assertEqual(Membership.objects.filter(user=self.newcomer).count(), 1)
        self.assertContains(self.client.get(path), "already used", status_code=410)

    def test_another_account_is_refused_and_learns_nothing(self) -> None:
        _invitation, path = self.invite("new@example.test")
        self.login("other")
        for response in (self.client.get(path), self.client.post(path)):
            self.assertContains(response, "sent to another e-mail address")
            self.assertNotContains(response, "Acme Imports")
            self.assertNotContains(response, "new@example.test")
        self.assertIsNone(self.company.role_of(self.users["other"]))
        self.assertEqual(Invitation.objects.get().status, "pending")

    def test_expired_revoked_and_used_links_say_so_unknown_and_tampered_answer_404(
        self,
    ) -> None:
        past = timezone.now() - datetime.timedelta(days=15)
        _expired, expired = self.invite("new@example.test", now=past)
        revoked_invitation, revoked = self.invite("new@example.test")
        workflow.revoke(revoked_invitation, by=self.users["admin"])
        _used_invitation, used = self.invite("new@example.test")
        workflow.accept(LINK.search(used).group(1), by=self.newcomer)  # type: ignore[union-attr]
        tampered = used[:-3] + ("A" if used[-3] != "A" else "B") + used[-2:]
        unknown = reverse("companies:invitation-accept", args=["x" * 43])
        closed = {expired: "expired on", revoked: "withdrawn", used: "already used"}
        for signed_in in (True, False):
            self.client.logout()
            if signed_in:
                self.client.force_login(self.newcomer)
            answers = set()
            for path in (tampered, unknown):
                for method in (self.client.get, self.client.post):
                    response = method(path)
                    self.assertEqual(response.status_code, 404, path)
                    answers.add(response.content)
            self.assertEqual(len(answers), 1)
            for path, words in closed.items():
                methods: list[Any] = [self.client.get]
                if path != used or not signed_in:  # the accepting account's retry is fine
                    methods.append(self.client.post)
                for method in methods:
                    response = method(path)
                    self.assertContains(response, words, status_code=410)
                    if not signed_in:
                        self.assertNotContains(response, "Acme Imports", status_code=410)
        self.login("other")
        self.assertContains(self.client.post(used), "already used", status_code=410)

    def test_an_existing_member_keeps_their_role(self) -> None:
        invitation, path = self.invite("new@example.test", "viewer")
        Membership.objects.create(company=self.company, user=self.newcomer, role="admin")
        self.client.force_login(self.newcomer)
        self.client.post(path)
        self.assertEqual(self.company.role_of(self.newcomer), "admin")

    def test_an_anonymous_visitor_with_an_account_signs_in_and_comes_back(self) -> None:
        _invitation, path = self.invite("new@example.test", "viewer")
        response = self.client.get(path)
        login = f"{reverse('account_login')}?{urlencode({'next': path})}"
        self.assertContains(response, "exists already")
        self.assertContains(response, login.replace("&", "&amp;"))
        self.assertNotContains(response, 'name="password1"')
        signed_in = self.client.post(login, {"login": "new@example.test", "password": PASSWORD})
        self.assertRedirects(signed_in, path, fetch_redirect_response=False)
        self.client.post(path)
        self.assertEqual(self.company.role_of(self.newcomer), "viewer")

    def test_a_new_person_sets_a_password_and_joins_in_one_step(self) -> None:
        _invitation, path = self.invite("Fresh@Example.test", "user")
        page = self.client.get(path)
        self.assertContains(page, "Choose a password for <strong>fresh@example.test</strong>")
        response = self.client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
        self.assertRedirects(
            response, self.company.get_absolute_url(), fetch_redirect_response=False
        )
        fresh = User.objects.get(email="fresh@example.test")
        self.assertTrue(fresh.check_password(PASSWORD))
        self.assertEqual(self.company.role_of(fresh), "user")
        # The link proved the mailbox: the address is confirmed, and the person is in.
        self.assertTrue(EmailAddress.objects.get(user=fresh).verified)
        self.assertContains(self.client.get(self.company.get_absolute_url()), "Acme Imports")
        self.client.logout()
        self.assertContains(self.client.get(path), "already used", status_code=410)

    def test_an_invited_officer_is_led_to_set_up_two_factor_authentication(self) -> None:
        _invitation, path = self.invite("boss@example.test", "officer")
        page = self.client.get(path)
        self.assertContains(page, "two-factor authentication")
        response = self.client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
        setup = reverse("mfa_activate_totp")
        self.assertTrue(response["Location"].startswith(setup + "?required=1"), response)
        setup_page = self.client.get(response["Location"])
        self.assertEqual(setup_page.status_code, 200, setup_page.get("Location"))
        # Any other page sends the officer back there, never to an e-mail confirmation.
        elsewhere = self.client.get(self.company.get_absolute_url())
        self.assertTrue(elsewhere["Location"].startswith(setup), elsewhere)

    def test_the_join_page_speaks_spanish(self) -> None:
        _invitation, path = self.invite("nuevo@example.test", "officer")
        page = self.client.get(path, HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(page, "Elija una contraseña para <strong>nuevo@example.test</strong>")
        self.assertContains(page, "Guardar la contraseña y unirse")

    def test_password_mistakes_are_named_and_nothing_is_created(self) -> None:
        _invitation, path = self.invite("fresh@example.test", "user")
        differ = self.client.post(path, {"password1": PASSWORD, "password2": PASSWORD + "x"})
        self.assertContains(differ, "two passwords differ", status_code=400)
        weak = self.client.post(path, {"password1": "12345678", "password2": "12345678"})
        self.assertContains(weak, "Choose a password", status_code=400)
        self.assertContains(weak, "too short", status_code=400)
        self.assertFalse(User.objects.filter(email="fresh@example.test").exists())
        self.assertEqual(Invitation.objects.get().status, "pending")


@FAST
class InvitationAPITests(InvitationWorld):
    def post(self, url: str, data: dict[str, Any]) -> Any:
        return self.client.post(url, json.dumps(data), content_type="application/json")

    def api_invite(self, email: str, role: str = "user") -> Any:
        return self.post(
            reverse("api:invitation-list"),
            {"company": self.company.pk, "email": email, "role": role},
        )

    def test_invite_answers_the_same_for_an_existing_account_and_an_unknown_address(
        self,
    ) -> None:
        self.login("admin")
        with self.captureOnCommitCallbacks(execute=True):
            known = self.api_invite("admin@norte.test")
        with self.captureOnCommitCallbacks(execute=True):
            unknown = self.api_invite("nobody@norte.test")
        self.assertEqual((known.status_code, unknown.status_code), (201, 201), known.content)
        varying = {"id", "email", "created_at", "sent_at", "expires_at"}
        same = [{k: v for k, v in r.json().items() if k not in varying} for r in (known, unknown)]
        self.assertEqual(same[0], same[1])
        self.assertEqual(sorted(known.json()), sorted(unknown.json()))
        self.assertEqual(len(mail.outbox), 2)
        self.assertFalse(User.objects.filter(email="nobody@norte.test").exists())
        self.assertIsNone(self.company.role_of(self.users["other"]))

    def test_a_member_of_the_company_is_refused_with_a_code(self) -> None:
        self.login("admin")
        response = self.api_invite("viewer@acme.test")
        self.assertEqual(response.status_code, 409, response.content)
        self.assertEqual(response.json()["code"], "already_member")

    def test_an_editor_who_is_not_a_manager_cannot_invite(self) -> None:
        self.login("user")
        response = self.api_invite("new@example.test")
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("company", response.json())
        self.assertFalse(Invitation.objects.exists())

    def test_managers_list_and_revoke_their_invitations_and_others_get_404(self) -> None:
        invitation, path = self.invite("new@example.test")
        detail = reverse("api:invitation-detail", args=[invitation.pk])
        resend = reverse("api:invitation-resend", args=[invitation.pk])
        for persona in ("other", "viewer", "user", "specialist"):
            self.login(persona)
            self.assertEqual(self.client.get(reverse("api:invitation-list")).json()["count"], 0)
            self.assertEqual(self.client.get(detail).status_code, 404)
            self.assertEqual(self.client.delete(detail).status_code, 404)
            self.assertEqual(self.post(resend, {}).status_code, 404)
        self.login("officer")
        rows = self.client.get(reverse("api:invitation-list")).json()["results"]
        self.assertEqual(
            [(r["email"], r["status"]) for r in rows], [("new@example.test", "pending")]
        )
        self.assertNotIn("token", json.dumps(rows))
        self.assertEqual(self.client.delete(detail).status_code, 204)
        self.assertEqual(self.client.get(detail).json()["status"], "revoked")
        self.client.force_login(make_user("new@example.test"))
        self.assertEqual(self.client.get(path).status_code, 410)

    def test_the_invited_account_accepts_through_the_api(self) -> None:
        _invitation, path = self.invite("new@example.test", "viewer")
        token = LINK.search(path).group(1)  # type: ignore[union-attr]
        accept = reverse("api:invitation-accept")
        self.login("other")
        refused = self.post(accept, {"token": token})
        self.assertEqual(refused.status_code, 400, refused.content)
        self.assertEqual(refused.json()["code"], "wrong_account")
        self.assertNotIn("Acme", refused.content.decode())
        newcomer = make_user("new@example.test")
        self.client.force_login(newcomer)
        accepted = self.post(accept, {"token": token})
        self.assertEqual(accepted.status_code, 200, accepted.content)
        self.assertEqual(accepted.json()["role"], "viewer")
        self.assertEqual(self.post(accept, {"token": token}).json(), accepted.json())
        self.assertEqual(self.post(accept, {"token": token + "x"}).status_code, 404)
        self.assertEqual(self.post(accept, {}).status_code, 400)
        self.assertEqual(self.company.role_of(newcomer), "viewer")

    def test_an_accepted_invitation_cannot_be_revoked(self) -> None:
        invitation, path = self.invite("new@example.test")
        workflow.accept(LINK.search(path).group(1), by=make_user("new@example.test"))  # type: ignore[union-attr]
        self.login("admin")
        response = self.client.delete(reverse("api:invitation-detail", args=[invitation.pk]))
        self.assertEqual(response.status_code, 409, response.content)
        self.assertEqual(response.json()["code"], "already_accepted")
