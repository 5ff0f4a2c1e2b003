"""A web process's long-lived objects are frozen (`gc.freeze()`) when it starts and after
its 1st, 10th, 100th… request, so full garbage collections skip them instead of pausing
an unlucky request for the time it takes to walk the whole heap."""

from __future__ import annotations

import gc

from django.http import HttpRequest, HttpResponse
from django.test import SimpleTestCase

from core.middleware import FreezeLongLivedMiddleware


class FreezeTests(SimpleTestCase):
    def setUp(self) -> None:
        gc.unfreeze()
        self.addCleanup(gc.freeze)

    def frozen_by(self, middleware: FreezeLongLivedMiddleware) -> bool:
        gc.unfreeze()
        middleware(HttpRequest())
        return gc.get_freeze_count() > 0

    def test_frozen_at_start_and_after_the_first_requests_only(self) -> None:
        middleware = FreezeLongLivedMiddleware(lambda request: HttpResponse("ok"))
        self.assertGreater(gc.get_freeze_count(), 0)
        served = [self.frozen_by(middleware) for _ in range(100)]
        self.assertEqual([n + 1 for n, frozen in enumerate(served) if frozen], [1, 10, 100])

    def test_the_site_runs_it(self) -> None:
        from django.conf import settings

        self.assertIn("core.middleware.FreezeLongLivedMiddleware", settings.MIDDLEWARE)
