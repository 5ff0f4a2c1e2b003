"""Loaded by pytest before Django starts (`-p portal.pytest_env` in pyproject.toml): the
environment the suite runs with. A DATABASE_URL set by the caller (CI's PostgreSQL run)
is kept."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_COOKIES", "false")
