"""The browser harness for the end-to-end tests.

Each test drives pytest-django's `live_server` (a real HTTP server in a thread, on the
test database) with Debian's Chromium through Playwright's sync API. The browser is the
system package (`apt-get install chromium`), never one downloaded by `playwright install`.
Without it the tests skip on a developer machine but fail in CI (`CI` set), so a CI
image that lost the package cannot pass by silently skipping the end-to-end test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import shutil
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls pytest-django makes from it (database set-up and flush).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Without this, Chromium's service workers reach the network past set_offline() and routes:
# the offline journeys (e2e/test_inspection_offline.py) must cut the worker's network too.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

from django.core.servers.basehttp import ThreadedWSGIServer  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402
from playwright.sync_api import (  # noqa: E402
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Response,
    expect,
    sync_playwright,
)


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time while its threads share the test's
    in-memory SQLite connection (pytest-django hands it over when the test database exists
    before the server starts, as in a whole run; PostgreSQL gives each thread its own). Two
    requests at once — a page's background fetch and the next navigation — would
    interleave their transactions on that one connection ("cannot start a transaction
    within a transaction", seen in e2e/test_audit_trail.py). Connections are still taken
    at once, so a browser's idle spare socket blocks nobody."""

    def set_app(self, application: Any) -> None:
        if not self.connections_override:
            super().set_app(application)
            return
        lock = threading.Lock()

        def one_at_a_time(environ: dict[str, Any], start_response: Any) -> list[bytes]:
            with lock:
                response = application(environ, start_response)
                try:
                    # Read whole inside the lock: a streamed CSV reads the database as it goes.
                    body = b"".join(response)
                finally:
                    close = getattr(response, "close", None)
                    if close is not None:
                        close()
            return [body]

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATime

CHROMIUM = os.environ.get("CTPAT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# How long one page action or assertion may wait before the test fails (milliseconds).
TIMEOUT_MS = 10_000
TOTP_PERIOD = 30
TOTP_DIGITS = 6


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The RFC 6238 code an authenticator app would show for this base32 secret.

    HMAC-SHA1 over the 30-second time step, dynamic truncation (RFC 4226 §5.3), 6 digits.
    """
    counter = int((time.time() if at is None else at) // TOTP_PERIOD)
    key = base64.b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**TOTP_DIGITS:0{TOTP_DIGITS}d}"


def fresh_totp_code(secret: str) -> str:
    """The code an app shows now, unless it has under 4 seconds to live: then the next
    one (the portal allows no drift, and a slow browser would post a code already gone)."""
    if TOTP_PERIOD - time.time() % TOTP_PERIOD < 4:
        time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.2)
    return totp_code(secret)


class Authenticator:
    """The user's phone app for codes the portal spends (sign-in, MFA re-check).

    The portal refuses a code it has already accepted (replay protection), so a second
    such check inside the same 30-second step waits for the next step.
    """

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self._used_steps: set[int] = set()

    def code(self) -> str:
        fresh_totp_code(self.secret)  # past the edge of a step about to end
        step = int(time.time() // TOTP_PERIOD)
        if step in self._used_steps:
            time.sleep((step + 1) * TOTP_PERIOD - time.time() + 0.2)
            step = int(time.time() // TOTP_PERIOD)
        self._used_steps.add(step)
        return totp_code(self.secret, at=step * TOTP_PERIOD)


def artifact_path(name: str) -> Path:
    """A file under test-artifacts/ (gitignored, kept by CI), unique per xdist worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    folder = ARTIFACTS / "e2e" / worker
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


DOCS_SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def docs_screenshot(name: str) -> Path:
    """Where a test saves a picture that the documentation shows.

    A normal run writes it under test-artifacts/ (ignored by git), so `make test` leaves the
    work tree clean; `make screenshots` sets CTPAT_DOCS_SCREENSHOTS=1 and refreshes the
    committed images in docs/screenshots/ on purpose.
    """
    if os.environ.get("CTPAT_DOCS_SCREENSHOTS", "") in ("1", "true", "yes"):
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return DOCS_SCREENSHOTS / name
    return artifact_path(name)


def sign_in(page: Page, email: str, *, fresh: bool = False) -> None:
    """Sign in on the portal's sign-in page with the shared test password (users without a
    second factor). `fresh` first forgets whoever was signed in, as a second person on
    the same browser would."""
    from portal.testing import PASSWORD

    if fresh:
        page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def serious_accessibility_problems(page: Page) -> list[str]:
    """axe-core's critical and serious findings on the page as it is now, one line each.

    axe-core comes from the `axe-playwright-python` package (a dev dependency), so every
    machine that runs the suite checks, CI included. It is evaluated through the browser's
    debugging protocol, which the Content-Security-Policy does not govern; the page's own
    scripts still run under it.
    """
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text("utf-8")
    page.evaluate(script)
    result: dict[str, Any] = page.evaluate("axe.run()")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} ({len(v['nodes'])})"
        for v in result["violations"]
        if v["impact"] in ("critical", "serious")
    ]


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> None:
    """Rate limits and cached cards live in the cache, which a transactional test's flush
    does not empty: without this, a journey that signs up the same address as an earlier
    test on the same worker within minutes gets no confirmation e-mail (allauth's limit)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        message = (
            f"Chromium not found at {CHROMIUM}: install Debian's package "
            "(apt-get install -y chromium) or set CTPAT_CHROMIUM. "
            "Do not run `playwright install`."
        )
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    # launch() gives the browser a fresh temporary profile and deletes it on close.
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def browser(chromium: Browser, live_server: Any) -> Iterator[Browser]:
    """The session's Chromium, for one test. When the test ends, every page it left open
    (a test that failed before its own `close()`) is closed and the live server's requests
    are let finish before pytest-django empties the database: a page still polling, or a
    request still running, would share the in-memory SQLite connection with the flush and
    with the tests that come after it in this worker."""
    yield chromium
    for context in list(chromium.contexts):
        context.close()
    server = getattr(live_server.thread, "httpd", None)
    deadline = time.monotonic() + 30
    for thread in list(getattr(server, "_threads", None) or ()):
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            pytest.fail(
                "a live-server request was still running 30 s after the test ended",
                pytrace=False,
            )


@pytest.fixture
def context(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def broken(context: BrowserContext) -> list[str]:
    """Every response of 400 or more and every script error the browser met (the browser's
    own favicon request aside): a page that looks fine may still have lost its stylesheet."""
    problems: list[str] = []

    def on_response(response: Response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.status} {response.request.method} {response.url}")

    context.on("response", on_response)
    context.on("weberror", lambda error: problems.append(f"script error: {error.error}"))
    return problems


@pytest.fixture
def page(
    context: BrowserContext, broken: list[str], request: pytest.FixtureRequest
) -> Iterator[Page]:
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        # What the browser showed when the test failed, for the CI artifacts.
        page.screenshot(path=artifact_path(f"{request.node.name}-failed.png"), full_page=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


def phone_in_spanish(browser: Browser, live_server: Any, user: Any) -> BrowserContext:
    """A 390×844 touch phone in Spanish, already signed in as `user` (a session made by the
    test client, so no sign-in page; a user with an authenticator app has passed the second
    factor in it): how field staff see the portal."""
    from django.conf import settings
    from django.test import Client

    from portal.testing import sign_in as open_session

    client = Client()
    open_session(client, user)  # with the second factor passed, for one who has an app
    context = browser.new_context(
        base_url=live_server.url,
        locale="es-MX",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(30_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": live_server.url},
        ]
    )
    return context


def mexican_carrier_with_seals() -> tuple[Any, Any, Any, Any]:
    """The field journeys' world: a Mexican highway carrier with an inspector (role user)
    and an officer, five ISO 17712 seals received and TFB0001001 issued to a driver.
    Returns (company, inspector, officer, issued seal)."""
    from accounts.models import User
    from companies.models import Company, Membership
    from seals import workflow as seals
    from seals.models import Seal

    inspector = User.objects.create_user("inspector@norte.test", "Inspecciones-2026")
    officer = User.objects.create_user("oficial@norte.test", "Inspecciones-2026")
    company = Company.objects.create(
        legal_name="Transportes del Norte SA de CV",
        business_type="highway_carrier",
        business_subtype="us_mexico",
        country="MX",
    )
    Membership.objects.create(company=company, user=inspector, role="user")
    Membership.objects.create(company=company, user=officer, role="officer")
    seals.receive_range(
        company,
        numbers=seals.range_numbers("TFB", 1001, 1005, 7),
        manufacturer="TydenBrooks",
        iso_class="H",
        certificate_ref="ISO17712:2013 H, cert 778",
        storage_location="Caseta 1",
        by=officer,
    )
    seal = Seal.objects.get(number="TFB0001001")
    seals.issue(seal, to="Luis Pérez", by=officer)
    return company, inspector, officer, seal
