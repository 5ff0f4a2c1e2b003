"""Selects with many options (countries, languages) are written in Python
(`core.widgets.QuickSelect`): the same markup as Django's own select templates."""

from __future__ import annotations

import re

from django import forms
from django.test import SimpleTestCase

from core.widgets import QuickSelect, QuickSelectMultiple

CHOICES = [
    ("", "---------"),
    ("MX", "Mexico"),
    ("x", 'A "quoted" <b>&</b> name'),
    ("Americas", [("US", "United States"), ("CA", "Canada")]),
]


def tags(html: str) -> list[str]:
    """The markup without the whitespace between tags."""
    return [t for t in re.split(r">\s*<", html.strip()) if t]


class QuickSelectTests(SimpleTestCase):
    def test_a_single_choice_is_written_as_django_writes_it(self) -> None:
        for value in ("", "MX", "x", "CA", None):
            with self.subTest(value=value):
                django = forms.Select(choices=CHOICES, attrs={"id": "id_c"})
                quick = QuickSelect(choices=CHOICES, attrs={"id": "id_c"})
                self.assertEqual(
                    tags(quick.render("country", value)), tags(django.render("country", value))
                )

    def test_several_choices_are_written_as_django_writes_them(self) -> None:
        django = forms.SelectMultiple(choices=CHOICES)
        quick = QuickSelectMultiple(choices=CHOICES)
        for value in ([], ["MX", "US"], ["x"]):
            with self.subTest(value=value):
                self.assertEqual(
                    tags(quick.render("origins", value)), tags(django.render("origins", value))
                )

    def test_names_are_escaped_once(self) -> None:
        html = QuickSelect(choices=CHOICES).render("country", "x")
        self.assertIn(
            '<option value="x" selected>'
            "A &quot;quoted&quot; &lt;b&gt;&amp;&lt;/b&gt; name</option>",
            html,
        )
