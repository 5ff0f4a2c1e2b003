from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Receivers: the second factor typed while setting it up, token revocation, and an
        # IdP's MFA at single sign-on.
        from accounts import mfa, sso, tokens  # noqa: F401
