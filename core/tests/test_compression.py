"""Pages go compressed to a browser that accepts gzip; files that are compressed already
(PDFs, images, Excel) go as they are."""

from __future__ import annotations

import gzip

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, TestCase

from core.middleware import CompressTextMiddleware


class CompressionTests(TestCase):
    def test_a_page_is_gzipped_for_a_browser_that_accepts_it(self) -> None:
        plain = self.client.get("/accounts/login/")
        packed = self.client.get("/accounts/login/", headers={"accept-encoding": "gzip, br"})
        self.assertEqual(packed.status_code, 200)
        self.assertEqual(packed["Content-Encoding"], "gzip")
        self.assertIn("Accept-Encoding", packed["Vary"])
        self.assertIn(b"<form", gzip.decompress(packed.content))
        self.assertLess(len(packed.content), len(plain.content) / 2)
        self.assertNotIn("Content-Encoding", plain)

    def test_a_pdf_goes_as_it_is(self) -> None:
        request = RequestFactory().get("/", headers={"accept-encoding": "gzip"})

        def pdf(_: HttpRequest) -> HttpResponse:
            return HttpResponse(b"%PDF-1.7 " + b"x" * 5000, content_type="application/pdf")

        response = CompressTextMiddleware(pdf)(request)
        assert isinstance(response, HttpResponse)
        self.assertFalse(response.has_header("Content-Encoding"))
        self.assertTrue(response.content.startswith(b"%PDF"))
