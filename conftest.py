"""Test configuration: fast settings for the suite (house style: overrides live here)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Set before any test class's setUpTestData runs, so the personas are created with the
    # fast hasher and tasks enqueued while building test data run at once.
    import tempfile

    from django.conf import settings

    # The suite runs on the real data (list files, the criteria); without it hundreds of
    # tests would fail one by one, and a failed set-up can leave the worker's database
    # unusable for the tests after it. Say once what is missing instead.
    shared = Path(settings.SHARED_DATA_DIR)
    missing = [
        str(path)
        for path in (shared / "watchlists", shared / "msc" / "criteria.csv")
        if not path.exists()
    ]
    if missing:
        raise pytest.UsageError(
            f"the real data the tests run on is missing: {', '.join(missing)}. Keep the "
            "checkout beside shared/ (its data is read from ../shared/data) or set "
            "CTPAT_SHARED_DATA_DIR to that data folder."
        )

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SECURE_COOKIES = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Uploaded files of the suite go to a throwaway folder, never into ./var/media.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="ctpat-test-media-")
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    # A request with Accept-Language: es activates Spanish in this thread; without this the
    # next test on the same worker would see Spanish messages.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_process_caches() -> None:
    # The caches kept in a process's memory (list counts, status cards) outlive a test's
    # rolled-back transaction: a later test's company with the same key must not see them.
    from django.conf import settings
    from django.core.cache import caches

    for alias in ("list_counts", "status_cards"):
        if alias in settings.CACHES:  # a test may replace the caches with its own
            caches[alias].clear()
