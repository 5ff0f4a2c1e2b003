"""`ctpat demo_totp EMAIL`: the current authenticator code of a demo user.

Lets a newcomer sign in as a demo company officer or program-office user without a phone.
It only answers for authenticators that hold the published demo secret (see load_demo),
so it never reveals a real user's code.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.management.commands.load_demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current six-digit authenticator code of a demo user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="e.g. importer.officer@demo.openctpat.test")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        authenticator = Authenticator.objects.filter(
            user__email=email, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(
                f"{email} has no authenticator app. Demo users with one are the company "
                "officers and the program office; run `ctpat load_demo` first."
            )
        if decrypt(authenticator.data["secret"]) != DEMO_TOTP_SECRET:
            raise CommandError(f"{email} is not a demo user: their authenticator is their own.")
        now = time.time()
        period = mfa_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now) // period)))
        if options["verbosity"] > 0:
            left = period - int(now) % period
            self.stderr.write(f"valid for another {left} s", style_func=lambda s: s)
