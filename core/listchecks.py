"""The checks every list page owes its readers, written once (`ListPageChecks`).

A list's test class inherits `PersonaTestCase` and `ListPageChecks`, names the page and
says how to make a row; the mixin then tests that the FilterSet narrows the page, that a
column sorts both ways, that the CSV holds exactly the filtered rows, that a filter which
empties the list says so, that an unknown sort key is ignored, and that the page's query
count does not grow with the number of rows (pinned with `assertNumQueries`), and that
no id is used twice on the page (a label must point at one field: the filters and a form
to add a row often have fields of the same names).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

EMPTY_TEXT = "No results for these filters."
ID = re.compile(r'\sid="([^"]+)"')


class ListPageChecks:
    """Mixin for a `PersonaTestCase`. Set `list_url_name` (its one argument is the
    company's pk unless `list_args` says otherwise), `filter_query` (matches the rows
    made with `matching=True` only), `sort` (a column whose order follows `i`) and
    `empty_query` (matches nothing); write `make_row(i, matching)` and `label(row)`, a
    text that identifies the row on the page and in the CSV."""

    list_url_name = ""
    persona = "admin"
    filter_query: dict[str, str] = {}
    empty_query: dict[str, str] = {"q": "zz-no-such-row-zz"}
    sort = ""
    csv_export = True

    def make_row(self, i: int, matching: bool) -> Any:
        raise NotImplementedError

    def label(self, row: Any) -> str:
        raise NotImplementedError

    def list_args(self) -> list[Any]:
        return [self.company.pk]  # type: ignore[attr-defined]

    def get_list(self, query: dict[str, str] | None = None) -> Any:
        self.login(self.persona)  # type: ignore[attr-defined]
        url = reverse(self.list_url_name, args=self.list_args())
        response = self.client.get(url, query or {})  # type: ignore[attr-defined]
        self.assertEqual(response.status_code, 200)  # type: ignore[attr-defined]
        return response

    def page_text(self, query: dict[str, str] | None = None) -> str:
        return str(self.get_list(query).content.decode())

    def test_the_filter_narrows_the_list(self) -> None:
        inside = [self.make_row(i, True) for i in range(2)]
        outside = [self.make_row(i + 2, False) for i in range(2)]
        everything = self.page_text()
        filtered = self.page_text(self.filter_query)
        for row in inside + outside:
            self.assertIn(self.label(row), everything)  # type: ignore[attr-defined]
        for row in inside:
            self.assertIn(self.label(row), filtered)  # type: ignore[attr-defined]
        for row in outside:
            self.assertNotIn(self.label(row), filtered)  # type: ignore[attr-defined]

    def test_a_column_sorts_both_ways(self) -> None:
        rows = [self.make_row(i, True) for i in range(3)]
        up = self.page_text({"sort": self.sort})
        down = self.page_text({"sort": f"-{self.sort}"})
        labels = [self.label(r) for r in rows]
        self.assertEqual(  # type: ignore[attr-defined]
            sorted(labels, key=up.index), labels, "ascending follows the column"
        )
        self.assertEqual(sorted(labels, key=down.index), labels[::-1])  # type: ignore[attr-defined]
        self.assertIn('aria-sort="descending"', down)  # type: ignore[attr-defined]

    def test_an_unknown_sort_key_is_ignored(self) -> None:
        row = self.make_row(0, True)
        self.assertIn(self.label(row), self.page_text({"sort": "-password; drop"}))  # type: ignore[attr-defined]

    def test_the_csv_holds_exactly_the_filtered_rows(self) -> None:
        if not self.csv_export:
            return
        inside = [self.make_row(i, True) for i in range(2)]
        outside = [self.make_row(i + 2, False) for i in range(2)]
        response = self.get_list({**self.filter_query, "export": "csv"})
        self.assertTrue(response["Content-Type"].startswith("text/csv"))  # type: ignore[attr-defined]
        text = b"".join(response.streaming_content).decode()
        lines = list(csv.reader(io.StringIO(text)))
        self.assertEqual(len(lines) - 1, len(inside), text)  # type: ignore[attr-defined]
        for row in inside:
            self.assertIn(self.label(row), text)  # type: ignore[attr-defined]
        for row in outside:
            self.assertNotIn(self.label(row), text)  # type: ignore[attr-defined]

    def test_a_filter_that_empties_the_list_says_so(self) -> None:
        self.make_row(0, True)
        self.assertNotIn(EMPTY_TEXT, self.page_text())  # type: ignore[attr-defined]
        self.assertIn(EMPTY_TEXT, self.page_text(self.empty_query))  # type: ignore[attr-defined]

    def test_the_query_count_does_not_grow_with_the_rows(self) -> None:
        for i in range(2):
            self.make_row(i, i % 2 == 0)
        self.get_list()
        with CaptureQueriesContext(connection) as few:
            self.get_list({"sort": self.sort})
        for i in range(2, 14):
            self.make_row(i, i % 2 == 0)
        with self.assertNumQueries(len(few.captured_queries)):  # type: ignore[attr-defined]
            self.get_list({"sort": self.sort})

    def test_no_id_is_used_twice(self) -> None:
        self.make_row(0, True)
        ids = Counter(ID.findall(self.page_text()))
        self.assertEqual([i for i, n in ids.items() if n > 1], [])  # type: ignore[attr-defined]
