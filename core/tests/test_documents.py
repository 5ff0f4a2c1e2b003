"""Read-only records as documents: Markdown is rendered and cannot carry HTML or scripts;
recorded changes read "—", "Yes" and "No" instead of "None", "True" and "False"."""

from __future__ import annotations

from django.test import SimpleTestCase

from core.documents import markdown_html, readable_value


class MarkdownTests(SimpleTestCase):
    def test_headings_lists_and_emphasis_are_rendered(self) -> None:
        html = markdown_html("# Title\n\n## 1. Purpose\n\n1. one\n2. *two*\n")
        self.assertIn("<h1>Title</h1>", html)
        self.assertIn("<h2>1. Purpose</h2>", html)
        self.assertIn("<li><em>two</em></li>", html)

    def test_raw_html_and_script_links_do_not_pass(self) -> None:
        html = markdown_html(
            '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick="x">b</b>'
        )
        self.assertNotIn("<script>", html)
        self.assertNotIn('href="javascript:', html)
        self.assertNotIn("<b ", html)
        self.assertIn("&lt;script&gt;", html)


class ReadableValueTests(SimpleTestCase):
    def test_empty_and_boolean_values(self) -> None:
        for raw in (None, "", "None", "[]"):
            self.assertEqual(readable_value(raw), "—")
        self.assertEqual(readable_value("True"), "Yes")
        self.assertEqual(readable_value("False"), "No")
        self.assertEqual(readable_value("1"), "1")
