"""The transition table walked exhaustively: every state × transition × role is allowed
exactly when the table says so, and a refused step changes nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from certification.choices import Actor, State
from certification.models import CertificationEvent
from certification.tests.factories import approved_report, certification_in, clear_vetting
from certification.workflow import PRIOR, TABLE, TransitionNotAllowed, perform
from portal.testing import PersonaTestCase

# The persona playing each role; "system" acts with no user.
ROLE_PERSONA = {
    Actor.OFFICER: "officer",
    Actor.SPECIALIST: "specialist",
    Actor.SUPERVISOR: "supervisor",
    Actor.SYSTEM: None,
}
# Details a transition needs beyond the table, so the walk tests the table alone.
DETAILS: dict[str, dict[str, Any]] = {"suspend": {"suspension_reason": "failed_validation"}}


class TransitionTableWalkTests(PersonaTestCase):
    def _prepare(self, state: str) -> Any:
        certification = certification_in(state, self.company)
        clear_vetting(certification)
        approved_report(certification, self.users["specialist"], self.users["supervisor"])
        return certification

    def test_every_state_transition_and_role(self) -> None:
        for state in State.values:
            certification = self._prepare(state)
            for name, transition in TABLE.items():
                for role, persona in ROLE_PERSONA.items():
                    # Each attempt is rolled back, so every one starts from `state`.
                    savepoint = transaction.savepoint()
                    with self.subTest(state=state, transition=name, role=role):
                        user = self.users[persona] if persona else None
                        expected = state in transition.sources and role in transition.who
                        # The system removes a suspended member only once its response
                        # window passed; from other states it never removes on its own.
                        if name == "remove" and role == Actor.SYSTEM:
                            expected = expected and state == State.SUSPENDED
                        try:
                            result = perform(
                                name,
                                certification,
                                by=user,
                                reason="Because.",
                                **DETAILS.get(name, {}),
                            )
                        except TransitionNotAllowed:
                            self.assertFalse(expected, "refused but the table allows it")
                            certification.refresh_from_db()
                            self.assertEqual(certification.status, state)
                            self.assertFalse(CertificationEvent.objects.exists())
                        else:
                            self.assertTrue(expected, "allowed but the table refuses it")
                            target = (
                                State.CERTIFIED if transition.target == PRIOR else transition.target
                            )
                            self.assertEqual(result.status, target)
                            event = CertificationEvent.objects.get()
                            self.assertEqual(
                                (event.from_status, event.to_status, event.transition, event.actor),
                                (state, target, name, user),
                            )
                            self.assertEqual(event.actor_role, role)
                    transaction.savepoint_rollback(savepoint)
                    certification.refresh_from_db()

    def test_member_roles_other_than_officer_and_strangers_are_refused(self) -> None:
        certification = self._prepare(State.APPLIED)
        for persona in ("viewer", "user", "admin", "consultant", "other"):
            with self.subTest(persona=persona), self.assertRaises(TransitionNotAllowed):
                perform("withdraw", certification, by=self.users[persona])
