"""/healthz, /readyz, /metrics, the request id and the JSON log lines (docs/observability.md)."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from django.db import connection
from django.test import Client, SimpleTestCase, TestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from partners.models import BusinessPartner, PartnerScreening
from portal.testing import add_member, make_company, make_user
from screening.models import ListVersion

ROOT = Path(__file__).resolve().parents[2]


def loaded_list() -> ListVersion:
    return ListVersion.objects.create(
        source="bis_dpl", list_date=date(2026, 11, 30), sha256="0" * 64, file_format="csv",
        active=True,
    )  # fmt: skip


def enqueue_waiting_task(age: timedelta) -> None:
    task = DBTaskResult.objects.create(
        status="READY", args_kwargs={"args": [], "kwargs": {}}, task_path="x.y",
        backend_name="default", queue_name="default", run_after=timezone.now() - age,
        priority=0,
    )  # fmt: skip
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - age)


def metric_values(text: str) -> dict[str, float]:
    values: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            values[f"{sample.name}{{{labels}}}"] = sample.value
    return values


@override_settings(ALLOWED_HOSTS=["portal.example.com"])
class LivenessTests(SimpleTestCase):
    def test_healthz_answers_without_a_database_and_under_an_internal_host_name(self) -> None:
        # SimpleTestCase refuses every query: a database touch would fail the test.
        response = Client(HTTP_HOST="web:8000").get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})

    def test_other_pages_still_refuse_an_unknown_host(self) -> None:
        response = Client(HTTP_HOST="web:8000").get("/accounts/login/")
        self.assertEqual(response.status_code, 400)


class ReadinessTests(TestCase):
    def test_ready_when_database_cache_tasks_and_lists_answer(self) -> None:
        loaded_list()
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual((body["status"], body["failing"]), ("ok", []))
        self.assertEqual(body["watchlists"]["versions"]["bis_dpl"]["list_date"], "2026-11-30")
        for check in ("database", "cache", "tasks", "watchlists"):
            self.assertTrue(body[check]["ok"], check)

    def test_no_watchlist_loaded_is_named(self) -> None:
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["failing"], ["watchlists"])
        self.assertIn("ctpat load_watchlists", body["watchlists"]["error"])

    @override_settings(READYZ_TASK_BACKLOG_SECONDS=600)
    def test_a_task_waiting_longer_than_the_limit_fails_the_tasks_check(self) -> None:
        loaded_list()
        enqueue_waiting_task(timedelta(minutes=5))
        self.assertEqual(self.client.get("/readyz").status_code, 200)
        enqueue_waiting_task(timedelta(minutes=30))
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["failing"], ["tasks"])
        self.assertEqual(body["tasks"]["waiting"], 2)
        self.assertIn("workers running", body["tasks"]["error"])

    @override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                            "LOCATION": "redis://127.0.0.1:1/0"}}
    )  # fmt: skip
    def test_an_unreachable_cache_is_named_without_its_address(self) -> None:
        loaded_list()
        with self.assertLogs("portal.health", "ERROR"):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["failing"], ["cache"])
        self.assertEqual(body["cache"]["error"], "ConnectionError")
        self.assertNotIn("127.0.0.1", response.content.decode())


class MetricsTests(TestCase):
    def scrape(self, **extra: str) -> dict[str, float]:
        response = self.client.get("/metrics", **extra)  # type: ignore[arg-type]
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/plain"))
        return metric_values(response.content.decode())

    def test_requests_latency_queue_failures_and_screenings_are_exported(self) -> None:
        company = make_company()
        user = make_user("officer@acme.test")
        add_member(company, user, "user")
        partner = BusinessPartner.objects.create(company=company, name="Fletes Norte")
        loaded_list()
        before = self.scrape()
        route = "method=GET,route=/companies/,status=302"
        self.client.get("/companies/")
        enqueue_waiting_task(timedelta(minutes=3))
        failed = DBTaskResult.objects.create(
            status="FAILED", args_kwargs={}, task_path="x.y", backend_name="default",
            queue_name="default", run_after=timezone.now(), priority=0,
        )  # fmt: skip
        self.assertTrue(failed.pk)
        PartnerScreening.objects.create(partner=partner, threshold=0.9, status="clear")
        after = self.scrape()

        key = f"ctpat_http_requests_total{{{route}}}"
        self.assertEqual(after[key] - before.get(key, 0), 1)
        self.assertIn(
            "ctpat_http_request_duration_seconds_count{method=GET,route=/companies/}", after
        )
        self.assertEqual(after["ctpat_task_queue_depth{queue=default}"], 1)
        self.assertGreaterEqual(after["ctpat_task_oldest_waiting_seconds{queue=default}"], 170)
        self.assertEqual(after["ctpat_task_failures_total{queue=default}"], 1)
        self.assertEqual(
            after["ctpat_partner_screenings_total{}"] - before["ctpat_partner_screenings_total{}"],
            1,
        )
        self.assertGreater(after["ctpat_watchlist_version_age_seconds{source=bis_dpl}"], 0)
        self.assertEqual(after["ctpat_metrics_collect_ok{}"], 1)

    def test_a_raw_path_never_becomes_a_label(self) -> None:
        self.client.get("/companies/123456/seals/")
        text = self.client.get("/metrics").content.decode()
        # The labels only: a sample's value (a count of collected objects) may hold the
        # same digits by chance.
        labels = re.findall(r"\{[^}]*\}", text)
        self.assertFalse([found for found in labels if "123456" in found])
        self.assertIn('route="/companies/<int:company_pk>/seals/"', text)

    @override_settings(METRICS_BEARER_TOKEN="s3cret-scrape-token")  # noqa: S106
    def test_a_configured_bearer_token_is_required(self) -> None:
        self.assertEqual(self.client.get("/metrics").status_code, 403)
        wrong = self.client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
        self.assertEqual(wrong.status_code, 403)
        self.scrape(HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")

    def test_an_allowed_ip_list_refuses_other_addresses(self) -> None:
        import ipaddress

        with override_settings(METRICS_ALLOWED_NETWORKS=[ipaddress.ip_network("10.0.0.0/8")]):
            self.assertEqual(self.client.get("/metrics").status_code, 403)
            self.scrape(REMOTE_ADDR="10.1.2.3")


class RequestIdTests(TestCase):
    def test_a_sane_caller_id_is_kept_and_answered(self) -> None:
        response = self.client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42")
        self.assertEqual(response["X-Request-ID"], "lb-7f3a.42")

    def test_an_absent_or_unsafe_id_is_replaced_by_a_new_one(self) -> None:
        first = self.client.get("/healthz")["X-Request-ID"]
        forged = self.client.get("/healthz", HTTP_X_REQUEST_ID='x" level="CRITICAL')
        self.assertRegex(first, r"^[0-9a-f]{32}$")
        self.assertRegex(forged["X-Request-ID"], r"^[0-9a-f]{32}$")
        self.assertNotEqual(first, forged["X-Request-ID"])

    def test_every_log_line_of_a_request_carries_its_id_as_json(self) -> None:
        from portal.observability import JsonFormatter, RequestIdFilter

        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.addFilter(RequestIdFilter())
        handler.setFormatter(JsonFormatter())
        django_request = logging.getLogger("django.request")
        django_request.addHandler(handler)
        self.addCleanup(django_request.removeHandler, handler)
        self.client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-abc-123")
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        self.assertTrue(lines)
        for line in lines:
            self.assertEqual(line["request_id"], "req-abc-123")
            self.assertEqual(line["logger"], "django.request")
            self.assertEqual(line["level"], "WARNING")
            self.assertIn("Not Found", line["message"])
            self.assertIn("time", line)
        self.assertTrue(connection.vendor)


class LoggingConfigurationTests(SimpleTestCase):
    def test_a_process_started_with_the_defaults_logs_json_lines(self) -> None:
        env = {**os.environ, "SECRET_KEY": "x", "DEBUG": "false"}
        env.pop("LOG_FORMAT", None)
        code = "import logging; logging.getLogger('ctpat.test').warning('hello %s', 'ops')"
        result = subprocess.run(
            [str(Path(sys.executable).with_name("ctpat")), "shell", "-c", code],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        self.assertEqual(result.returncode, 0, result.stderr)
        line = json.loads(result.stderr.strip().splitlines()[-1])
        self.assertEqual(
            {k: line[k] for k in ("level", "logger", "message", "request_id")},
            {"level": "WARNING", "logger": "ctpat.test", "message": "hello ops", "request_id": "-"},
        )

    def test_an_unknown_log_format_stops_the_start_with_its_name(self) -> None:
        env = {**os.environ, "SECRET_KEY": "x", "LOG_FORMAT": "xml"}
        result = subprocess.run(
            [str(Path(sys.executable).with_name("ctpat")), "check"],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("LOG_FORMAT='xml'", result.stderr)


RQ = "django_tasks_rq.RQBackend"
RQ_TEST_URL = "redis://127.0.0.1:6379/15"


@override_settings(
    TASKS={"default": {"BACKEND": RQ, "QUEUES": ["default"]}},
    RQ_QUEUES={"default": {"URL": RQ_TEST_URL}},
    CACHES={
        "default": {
            "BACKEND": "portal.testing.PrefixedRedisCache",
            "LOCATION": RQ_TEST_URL,
            "KEY_PREFIX": f"ctpat-readyz-{os.getpid()}",
        }
    },
)
class ReadinessOnRedisTests(TestCase):
    """With REDIS_URL and the RQ queue (the set-up that once stopped the portal), /readyz
    and /metrics read the cache and the queue on the machine's real Redis."""

    def setUp(self) -> None:
        from core.tests.test_redis import require_redis

        require_redis()
        import django_rq

        # Enqueued at once, not when the test's transaction commits (it never does).
        self.queue = django_rq.get_queue("default", commit_mode="auto")
        self.queue.empty()
        self.addCleanup(self.queue.empty)

    def test_cache_and_rq_backlog_are_checked_on_redis(self) -> None:
        loaded_list()
        body = self.client.get("/readyz").json()
        self.assertEqual(body["failing"], [])
        self.assertEqual(body["cache"]["backend"], "PrefixedRedisCache")
        self.assertEqual(body["tasks"]["waiting"], 0)
        self.queue.enqueue("os.getpid")
        self.queue.enqueue("os.getpid")
        body = self.client.get("/readyz").json()
        self.assertEqual(body["tasks"]["waiting"], 2)
        self.assertTrue(body["tasks"]["ok"])
        self.assertLess(body["tasks"]["oldest_age_seconds"], 60)
        scraped = metric_values(self.client.get("/metrics").content.decode())
        self.assertEqual(scraped["ctpat_task_queue_depth{queue=default}"], 2)
        self.assertEqual(scraped["ctpat_task_failures_total{queue=default}"], 0)
        with override_settings(READYZ_TASK_BACKLOG_SECONDS=-1):
            self.assertEqual(self.client.get("/readyz").json()["failing"], ["tasks"])


class QuietLibraryTests(SimpleTestCase):
    def test_drawing_a_pdf_logs_nothing_under_a_warning(self) -> None:
        from core.pdf import render_pdf_string

        records: list[logging.LogRecord] = []

        class Keep(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                records.append(record)

        keep = Keep(level=logging.DEBUG)
        logging.getLogger().addHandler(keep)
        try:
            pdf = render_pdf_string("<p>Hola, mundo</p>")
        finally:
            logging.getLogger().removeHandler(keep)
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual([r.name for r in records if r.levelno < logging.WARNING], [])
