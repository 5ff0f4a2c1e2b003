"""One client address for every limit: `core.clientip` and the places that count with it.

`TRUSTED_PROXY_COUNT` says how many proxies of ours append to X-Forwarded-For. With 0 the
header is the client's own writing and never counts; with N the N-th entry from the right
is the client (what our outermost proxy saw)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse

from core.clientip import client_address
from incidents.models import Incident
from incidents.report import link_for
from portal.testing import PersonaTestCase
from verification.api import LookupThrottle

PROXY = "10.0.0.1"


def request_from(remote: str = "192.0.2.10", forwarded: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


class ClientAddressTests(SimpleTestCase):
    @override_settings(TRUSTED_PROXY_COUNT=0)
    def test_without_trusted_proxies_the_forwarded_header_is_ignored(self) -> None:
        request = request_from("192.0.2.10", "198.51.100.7")
        self.assertEqual(client_address(request), "192.0.2.10")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_one_proxy_the_address_it_appended_is_the_client(self) -> None:
        request = request_from(PROXY, "203.0.113.9")
        self.assertEqual(client_address(request), "203.0.113.9")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_spoofed_hops_on_the_left_are_ignored(self) -> None:
        request = request_from(PROXY, "1.2.3.4, 5.6.7.8, 203.0.113.9")
        self.assertEqual(client_address(request), "203.0.113.9")

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_behind_two_proxies_the_outer_ones_address_is_the_client(self) -> None:
        request = request_from(PROXY, "1.2.3.4, 203.0.113.9, 10.0.0.2")
        self.assertEqual(client_address(request), "203.0.113.9")

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_fewer_hops_than_trusted_proxies_falls_back_to_the_peer(self) -> None:
        request = request_from(PROXY, "203.0.113.9")
        self.assertEqual(client_address(request), PROXY)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_a_malformed_header_falls_back_to_the_peer(self) -> None:
        for header in ("not-an-ip", "203.0.113.9, <script>", "", " , ", "999.1.1.1"):
            with self.subTest(header=header):
                request = request_from(PROXY, header)
                self.assertEqual(client_address(request), PROXY)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_a_port_or_brackets_written_by_the_proxy_are_dropped(self) -> None:
        self.assertEqual(client_address(request_from(PROXY, "203.0.113.9:51234")), "203.0.113.9")
        self.assertEqual(client_address(request_from(PROXY, "[2001:db8::1]:443")), "2001:db8::1")

    @override_settings(TRUSTED_PROXY_COUNT=0)
    def test_no_usable_peer_address_gives_none(self) -> None:
        self.assertIsNone(client_address(request_from("garbage")))

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_allauth_counts_the_same_client(self) -> None:
        request = request_from(PROXY, "1.2.3.4, 203.0.113.9")
        self.assertEqual(get_adapter().get_client_ip(request), "203.0.113.9")


class StatusLookupThrottleTests(PersonaTestCase):
    def setUp(self) -> None:
        cache.clear()

    def lookup(self, **extra: str) -> int:
        url = reverse("api:status-lookup", args=["CT9999999"])
        return self.client.get(url, **extra).status_code  # type: ignore[arg-type]

    @override_settings(STATUS_LOOKUP_RATE="3/min", TRUSTED_PROXY_COUNT=0)
    def test_a_rotating_forwarded_header_does_not_escape_the_throttle(self) -> None:
        codes = [self.lookup(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(6)]
        self.assertEqual(codes, [404, 404, 404, 429, 429, 429])

    @override_settings(STATUS_LOOKUP_RATE="3/min", TRUSTED_PROXY_COUNT=1)
    def test_behind_the_proxy_spoofed_left_hops_do_not_escape_the_throttle(self) -> None:
        codes = [
            self.lookup(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9")
            for n in range(4)
        ]
        self.assertEqual(codes, [404, 404, 404, 429])
        # Another client behind the same proxy has its own allowance.
        self.assertEqual(self.lookup(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10"), 404)

    def test_every_throttle_of_ours_counts_per_client_address(self) -> None:
        from core.throttling import ClientAddressThrottle

        self.assertTrue(issubclass(LookupThrottle, ClientAddressThrottle))


@override_settings(INCIDENT_REPORT_RATE=(2, 3600), TRUSTED_PROXY_COUNT=1)
class IncidentFormBehindProxyTests(PersonaTestCase):
    def setUp(self) -> None:
        cache.clear()

    def send(self, forwarded: str) -> int:
        return self.client.post(
            link_for(self.company).get_absolute_url(),
            {"kind": "other", "description": "The back gate is left open."},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    def test_two_clients_behind_the_same_proxy_have_separate_allowances(self) -> None:
        first = [self.send("203.0.113.9") for _ in range(3)]
        self.assertEqual(first, [200, 200, 429])
        self.assertEqual(self.send("198.51.100.4"), 200)
        self.assertEqual(Incident.objects.count(), 3)

    def test_spoofed_left_hops_do_not_give_a_client_a_new_allowance(self) -> None:
        codes = [self.send(f"1.2.3.{n}, 203.0.113.9") for n in range(3)]
        self.assertEqual(codes, [200, 200, 429])


@override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"}, TRUSTED_PROXY_COUNT=1)
class SignInLimitBehindProxyTests(PersonaTestCase):
    def setUp(self) -> None:
        cache.clear()

    def sign_in(self, forwarded: str) -> int:
        return self.client.post(
            reverse("account_login"),
            {"login": "viewer@acme.test", "password": "wrong password"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    def test_allauth_counts_sign_in_attempts_per_client_behind_the_proxy(self) -> None:
        codes = [self.sign_in(f"1.2.3.{n}, 203.0.113.9") for n in range(3)]
        self.assertEqual(codes, [200, 200, 429])
        self.assertEqual(self.sign_in("198.51.100.4"), 200)


class SettingTests(SimpleTestCase):
    def configured_count(self, **env: str) -> int:
        """TRUSTED_PROXY_COUNT as a fresh process reads it from the environment."""
        environ = {
            k: v
            for k, v in os.environ.items()
            if k not in {"BEHIND_TLS_PROXY", "TRUSTED_PROXY_COUNT"}
        }
        environ.update(SECRET_KEY="settings-test-key", CTPAT_DATA_DIR=tempfile.mkdtemp(), **env)
        out = subprocess.run(
            [sys.executable, "-c", "import portal.settings as s; print(s.TRUSTED_PROXY_COUNT)"],
            env=environ,
            capture_output=True,
            text=True,
            check=True,
        )
        return int(out.stdout.strip())

    def test_the_header_is_not_trusted_by_default(self) -> None:
        self.assertEqual(self.configured_count(), 0)

    def test_behind_the_tls_proxy_one_proxy_is_trusted(self) -> None:
        self.assertEqual(self.configured_count(BEHIND_TLS_PROXY="true"), 1)
        self.assertEqual(self.configured_count(BEHIND_TLS_PROXY="true", TRUSTED_PROXY_COUNT="2"), 2)
