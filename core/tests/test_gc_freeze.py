"""A web process's long-lived objects are frozen (`gc.freeze()`) when it starts and after
its 1st, 10th, 100th… request, so full garbage collections skip them instead of pausing
an unlucky request for the time it takes to walk the whole heap."""

from __future__ import annotations

import gc

from django.http import HttpRequest, HttpResponse
from django.test import SimpleTestCase

from core import middleware
from core.middleware import FreezeLongLivedMiddleware


class FreezeTests(SimpleTestCase):
    def setUp(self) -> None:
        saved = dict(middleware._process)
        self.addCleanup(middleware._process.update, saved)
        middleware._process.update(started=0, served=0)
        gc.unfreeze()
        self.addCleanup(gc.freeze)

    def frozen_by(self, handler: FreezeLongLivedMiddleware) -> bool:
        gc.unfreeze()
        handler(HttpRequest())
        return gc.get_freeze_count() > 0

    def test_frozen_at_start_and_after_the_first_requests_only(self) -> None:
        first = FreezeLongLivedMiddleware(lambda request: HttpResponse("ok"))
        self.assertGreater(gc.get_freeze_count(), 0)
        gc.unfreeze()
        second = FreezeLongLivedMiddleware(lambda request: HttpResponse("ok"))
        self.assertEqual(gc.get_freeze_count(), 0)  # once a process, not once a handler
        served = [self.frozen_by(m) for m in [first, second] * 50]  # the process's count
        self.assertEqual([n + 1 for n, frozen in enumerate(served) if frozen], [1, 10, 100])

    def test_the_site_runs_it(self) -> None:
        from django.conf import settings

        self.assertIn("core.middleware.FreezeLongLivedMiddleware", settings.MIDDLEWARE)
