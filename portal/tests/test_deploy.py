"""The deployment files, exercised as far as this machine allows (docs/deploy.md):
deploy/compose.yaml against the Compose Specification's JSON schema, the Dockerfile's
promises, and deploy/entrypoint.sh run for real (web under gunicorn, the scheduler, a
management command). The systemd units are checked by `systemd-analyze verify` in .ci/run
(deploy/systemd/verify.sh)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ENTRYPOINT = DEPLOY / "entrypoint.sh"


def interpolate(text: str) -> str:
    """Compose's variable substitution with nothing set: `${X:-default}` gives the default,
    `${X:?message}` (required) a placeholder, `${X}` nothing."""

    def value(match: re.Match[str]) -> str:
        operator, word = match.group(2) or "", match.group(3) or ""
        if operator in (":-", "-"):
            return word
        if operator in (":?", "?"):
            return "set-in-env-file"
        return ""

    return re.sub(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}", value, text)


def compose_document(text: str | None = None) -> Any:
    return yaml.safe_load(interpolate(text or (DEPLOY / "compose.yaml").read_text()))


def schema_errors(document: Any) -> list[str]:
    schema = json.loads((DEPLOY / "schema" / "compose-spec.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


class ComposeFileTests(SimpleTestCase):
    def test_the_compose_file_follows_the_compose_specification(self) -> None:
        self.assertEqual(schema_errors(compose_document()), [])

    def test_the_schema_check_catches_a_mistake(self) -> None:
        text = (DEPLOY / "compose.yaml").read_text()
        broken = text.replace("      retries: 10\n", "      retries: 10\n      retry: 3\n", 1)
        self.assertNotEqual(text, broken)
        errors = schema_errors(compose_document(broken))
        self.assertTrue(any("retry" in error for error in errors), errors)

    def test_every_service_has_a_health_check_and_the_data_is_on_volumes(self) -> None:
        document = compose_document()
        services = document["services"]
        self.assertEqual(set(services), {"web", "worker", "scheduler", "db", "redis"})
        for name, service in services.items():
            self.assertIn("test", service.get("healthcheck", {}), name)
        self.assertEqual(
            [services[n]["command"] for n in ("web", "worker", "scheduler")],
            [["web"], ["worker"], ["scheduler"]],
        )
        self.assertIn("data:/data", services["web"]["volumes"])
        self.assertIn("pgdata:/var/lib/postgresql/data", services["db"]["volumes"])
        self.assertEqual(set(document["volumes"]), {"data", "pgdata", "redisdata"})
        self.assertEqual(services["worker"]["depends_on"]["web"]["condition"], "service_healthy")

    def test_the_image_can_dump_the_compose_database(self) -> None:
        """pg_dump refuses a server newer than itself: the client in the image and the
        PostgreSQL of the compose file must be the same major version."""
        dockerfile = (ROOT / "Dockerfile").read_text()
        client = re.search(r"postgresql-client-(\d+)", dockerfile)
        server = re.match(r"postgres:(\d+)", compose_document()["services"]["db"]["image"])
        self.assertIsNotNone(client)
        self.assertIsNotNone(server)
        self.assertEqual(client.group(1), server.group(1))  # type: ignore[union-attr]

    def test_the_dockerfile_is_multi_stage_slim_non_root_with_pango(self) -> None:
        dockerfile = (ROOT / "Dockerfile").read_text()
        stages = re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE)
        self.assertEqual(stages, ["${BASE}", "${BASE}"])
        # Both stages start from the build argument, whose default is the slim image.
        base = re.search(r"^ARG BASE=(\S+)$", dockerfile, re.MULTILINE)
        self.assertIsNotNone(base)
        self.assertIn("slim", base[1] if base else "")
        self.assertIn("libicu72", dockerfile)  # PyICU, built in the first stage, needs it
        users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
        self.assertEqual(users, ["ctpat"])
        self.assertIn("libpango-1.0-0", dockerfile)
        self.assertIn('ENTRYPOINT ["/app/deploy/entrypoint.sh"]', dockerfile)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(data: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "SECRET_KEY": "entrypoint-test",
        "ALLOWED_HOSTS": "portal.example.com",
        "CTPAT_DATA_DIR": str(data),
        "CTPAT_DB_WAIT_SECONDS": "120",
        **extra,
    }
    for name in ("DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "DEBUG"):
        env.pop(name, None)
    return env


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class EntrypointTests(SimpleTestCase):
    def setUp(self) -> None:
        self.data = Path(tempfile.mkdtemp(prefix="ctpat-entrypoint-"))

    def test_web_migrates_then_serves_with_gunicorn_and_stops_on_sigterm(self) -> None:
        port = free_port()
        metrics_dir = self.data / "prometheus"
        metrics_dir.mkdir()
        (metrics_dir / "counter_99999.db").write_bytes(b"stale figures of an earlier run")
        env = environment(
            self.data,
            CTPAT_MIGRATE_ON_START="true",
            BIND=f"127.0.0.1:{port}",
            WEB_WORKERS="2",
            PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
            # Collected static files are not needed by these endpoints.
            CTPAT_STATIC_ROOT=str(self.data / "static"),
        )
        server = subprocess.Popen(
            [str(ENTRYPOINT), "web"], env=env, cwd="/", stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 400
            status = 0
            while time.monotonic() < deadline and status != 200:
                self.assertIsNone(server.poll(), "the entry point stopped before serving")
                try:
                    status, _ = get(f"http://127.0.0.1:{port}/healthz")
                except OSError:
                    time.sleep(2)
            self.assertEqual(status, 200)
            status, body = get(f"http://127.0.0.1:{port}/readyz")
            ready = json.loads(body)
            # Migrated (database), cache table created (cache); no watchlist is loaded here.
            self.assertEqual((status, ready["failing"]), (503, ["watchlists"]), ready)
            self.assertNotIn("counter_99999.db", os.listdir(metrics_dir))
            for _ in range(4):
                get(f"http://127.0.0.1:{port}/healthz")
            _, text = get(f"http://127.0.0.1:{port}/metrics")
            found = re.search(
                rb'ctpat_http_requests_total\{method="GET",route="/healthz",status="200"\} (\S+)',
                text,
            )
            self.assertIsNotNone(found, text[:2000])
            self.assertGreaterEqual(float(found.group(1)), 5)  # type: ignore[union-attr]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            output = server.communicate(timeout=60)[0].decode()
        self.assertEqual(server.returncode, 0, output[-3000:])
        self.assertIn('"message": "applying migrations"', output)
        self.assertTrue((self.data / "ctpat.sqlite3").exists())

    def test_the_scheduler_runs_the_daily_jobs_once_a_day(self) -> None:
        env = environment(self.data, SCHEDULER_ONCE="true", DAILY_AT="00:00")
        subprocess.run(
            [str(Path(sys.executable).with_name("ctpat")), "migrate", "-v0"],
            env=env, check=True, timeout=600, capture_output=True,
        )  # fmt: skip
        first = subprocess.run(
            [str(ENTRYPOINT), "scheduler"], env=env, capture_output=True, text=True, timeout=600
        )
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("reminder(s) queued", first.stdout)
        today = time.strftime("%Y-%m-%d", time.gmtime())
        self.assertIn(f"send_reminders: ran on {today}", first.stdout)
        self.assertTrue((self.data / "scheduler-alive").exists())
        second = subprocess.run(
            [str(ENTRYPOINT), "scheduler"], env=env, capture_output=True, text=True, timeout=600
        )
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertNotIn("reminder(s) queued", second.stdout)
        self.assertIn("send_reminders: skipped, done on", second.stdout)

    def test_management_commands_pass_through_and_an_unknown_role_is_refused(self) -> None:
        env = environment(self.data)
        check = subprocess.run(
            [str(ENTRYPOINT), "ctpat", "check", "--deploy", "--fail-level", "CRITICAL"],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertIn("System check identified", check.stdout + check.stderr)
        unknown = subprocess.run(
            [str(ENTRYPOINT), "serve"], env=env, capture_output=True, text=True, timeout=60
        )
        self.assertEqual(unknown.returncode, 64)
        self.assertIn("usage: entrypoint.sh web | worker | scheduler", unknown.stderr)
