"""allauth adapters: officers and program-office staff may not switch MFA off."""

from __future__ import annotations

from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def can_delete_authenticator(self, authenticator: Any) -> bool:
        return not authenticator.user.requires_mfa()
