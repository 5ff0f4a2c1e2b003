"""The portal's own static files are found, so pages are styled in development and after
collectstatic in production."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.test import SimpleTestCase


class StaticFilesTests(SimpleTestCase):
    def test_the_stylesheet_and_htmx_are_found(self) -> None:
        self.assertIsNotNone(finders.find("portal/portal.css"))
        self.assertIsNotNone(finders.find("django_htmx/htmx-2.min.js"))
