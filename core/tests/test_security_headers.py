"""The headers every answer carries: what the browser may run, which features it may use,
what it may keep, and what the server says about itself (docs/security.md, "Headers")."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse

from portal.testing import PersonaTestCase

ROOT = Path(settings.BASE_DIR)
# Production settings as the README's "Running in production" sets them, behind the proxy.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "production-like-secret-for-the-header-tests",
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "BEHIND_TLS_PROXY": "true",
    "SECURE_COOKIES": "true",
}


def production_settings(*names: str) -> dict[str, object]:
    """The named settings as a fresh process with production environment sees them."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECURE_HSTS_SECONDS",)}
    env.update(PRODUCTION_ENV)
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


class SignedInPageHeadersTest(PersonaTestCase):
    def test_a_signed_in_page_allows_only_the_portals_own_scripts(self) -> None:
        self.login("viewer")
        response = self.client.get(reverse("companies:company-detail", args=[self.company.pk]))
        self.assertEqual(response.status_code, 200)
        policy = dict(
            part.strip().split(" ", 1)
            for part in response["Content-Security-Policy"].split(";")
            if part.strip()
        )
        self.assertEqual(policy["script-src"], "'self'")
        self.assertEqual(policy["object-src"], "'none'")
        self.assertEqual(policy["frame-ancestors"], "'none'")
        self.assertNotIn("unsafe-eval", response["Content-Security-Policy"])

    def test_a_signed_in_page_is_never_stored_by_a_cache(self) -> None:
        self.login("viewer")
        response = self.client.get(reverse("companies:company-detail", args=[self.company.pk]))
        cache_control = {p.strip() for p in response["Cache-Control"].split(",")}
        self.assertLessEqual({"private", "no-store"}, cache_control)

    def test_exports_and_pdfs_are_never_stored_by_a_cache(self) -> None:
        from partners.models import BusinessPartner

        partner = BusinessPartner.objects.create(
            company=self.company, name="Bodega Tranquila", role="warehouse", country="MX"
        )
        self.login("admin")
        for url in (
            reverse("partners:partner-export", args=[self.company.pk]),
            reverse("partners:partner-screening-pdf", args=[self.company.pk, partner.pk]),
        ):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                cache_control = {p.strip() for p in response["Cache-Control"].split(",")}
                self.assertLessEqual({"private", "no-store"}, cache_control)

    def test_features_the_portal_never_uses_are_switched_off(self) -> None:
        self.login("viewer")
        response = self.client.get(reverse("companies:company-detail", args=[self.company.pk]))
        features = dict(
            part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
        )
        self.assertEqual(features["microphone"], "()")
        self.assertEqual(features["geolocation"], "()")
        self.assertEqual(features["camera"], "(self)")

    def test_the_api_documentation_loads_its_script_from_the_portal(self) -> None:
        self.login("viewer")
        response = self.client.get(reverse("api:docs"))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertNotIn("cdn.jsdelivr.net", html)
        self.assertEqual(inline_scripts(html), [])
        script = self.client.get(reverse("api:docs") + "?script=")
        self.assertEqual(script.status_code, 200)
        self.assertIn("SwaggerUIBundle", script.content.decode())

    @override_settings(LANGUAGE_COOKIE_SECURE=True)
    def test_the_language_cookie_is_sent_only_over_tls_when_cookies_are_secure(self) -> None:
        response = self.client.post(reverse("set_language"), {"language": "es", "next": "/"})
        self.assertTrue(response.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"])


def inline_scripts(html: str) -> list[str]:
    """Script elements with code in the page (JSON data blocks are not code)."""
    found = []
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S | re.I):
        if "src=" in attrs or "application/json" in attrs or not body.strip():
            continue
        found.append(body.strip()[:80])
    return found


INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


class TemplatesHaveNoInlineScriptTest(SimpleTestCase):
    """The policy refuses inline code, so a template that carries some is broken in the
    browser: find it here rather than in a user's console."""

    def test_no_template_has_an_inline_script_or_handler(self) -> None:
        offenders = []
        for path in ROOT.glob("*/templates/**/*.html"):
            if ".venv" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            rel = path.relative_to(ROOT)
            offenders += [f"{rel}: <script>{body}" for body in inline_scripts(text)]
            offenders += [f"{rel}: {m.group(0).strip()}" for m in INLINE_HANDLER.finditer(text)]
            if "javascript:" in text:
                offenders.append(f"{rel}: javascript: URL")
        self.assertEqual(offenders, [])


class ProductionSettingsTest(SimpleTestCase):
    def test_behind_the_tls_proxy_hsts_is_on_and_the_language_cookie_is_secure(self) -> None:
        values = production_settings(
            "SECURE_HSTS_SECONDS", "LANGUAGE_COOKIE_SECURE", "SESSION_COOKIE_SECURE"
        )
        self.assertGreaterEqual(int(str(values["SECURE_HSTS_SECONDS"])), 365 * 24 * 3600)
        self.assertIs(values["LANGUAGE_COOKIE_SECURE"], True)
        self.assertIs(values["SESSION_COOKIE_SECURE"], True)


class HstsTest(TestCase):
    @override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_PROXY_SSL_HEADER=None)
    def test_hsts_is_sent_on_answers_over_tls(self) -> None:
        response = self.client.get("/healthz", secure=True)
        self.assertEqual(response["Strict-Transport-Security"], "max-age=31536000")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerBannerTest(SimpleTestCase):
    """gunicorn, as the README runs it in production, does not name itself."""

    def test_gunicorn_sends_no_server_banner(self) -> None:
        port = free_port()
        data_dir = tempfile.mkdtemp(prefix="ctpat-banner-")
        env = {**os.environ, **PRODUCTION_ENV, "CTPAT_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            headers = None
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and headers is None:
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/healthz", timeout=5
                    ) as answer:
                        headers = answer.headers
                except OSError:
                    if server.poll() is not None:
                        stderr = server.stderr.read().decode() if server.stderr else ""
                        self.fail(f"gunicorn stopped: {stderr[-2000:]}")
                    time.sleep(0.3)
            self.assertIsNotNone(headers, "gunicorn did not answer within 60 s")
            assert headers is not None
            self.assertEqual(headers.get("Server", ""), "")
            self.assertIn("script-src 'self'", headers["Content-Security-Policy"])
        finally:
            server.terminate()
            server.wait(timeout=30)
