"""Chunked screening through task workers gives the same result as one run."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from screening.tasks import count_data_rows, enqueue_chunks, merge_parts


class ChunkedScreeningTests(TestCase):
    def test_chunks_merge_to_the_single_run_output(self) -> None:
        tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, tmp)
        src = tmp / "partners.csv"
        names = ["Banco Nacional de Cuba", "Mahan Air", "Acme Widgets", '"Anglo, Caribbean Co"']
        src.write_text("id,name\n" + "".join(f"p{i},{names[i % 4]}\n" for i in range(7)))
        self.assertEqual(count_data_rows(src), 7)

        results = enqueue_chunks(src, tmp / "parts", rows_per_chunk=3, min_score=0)
        self.assertEqual(len(results), 3)
        self.assertEqual(sum(r.return_value["partners"] for r in results), 7)
        merged = tmp / "merged.csv"
        merge_parts([r.return_value["output"] for r in results], merged)

        single = tmp / "single.csv"
        call_command(
            "screen", str(src), "--out", str(single), "--min-score", "0",
            stderr=io.StringIO(),
        )  # fmt: skip
        self.assertEqual(merged.read_text(), single.read_text())
