"""`ctpat load_watchlists`: new versions, diffs, refusal keeps the active version."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from screening.index import default_lists_dir
from screening.models import ListVersion


class LoadWatchlistsTests(TestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.source = (default_lists_dir() / "bis_dpl_2022-09-07" / "dpl.txt").read_text()

    def load(self, text: str, folder: str) -> tuple[str, str]:
        path = self.tmp / folder
        path.mkdir()
        (path / "dpl.txt").write_text(text)
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("load_watchlists", str(path), stdout=out, stderr=err)
        except CommandError as exc:
            err.write(str(exc))
        return out.getvalue(), err.getvalue()

    def test_loads_a_version_then_shows_the_diff_of_the_next(self) -> None:
        out, _ = self.load(self.source, "dpl_2022-09-07")
        first = ListVersion.objects.get()
        self.assertTrue(first.active)
        self.assertEqual(first.counts["entities"], 581)
        self.assertEqual(first.listed_entities.count(), 581)
        self.assertIn("first version", out)

        lines = self.source.splitlines(keepends=True)
        changed = (
            lines[:2] + [lines[2].replace("AARON ABRAHAM VILLA", "AARON A. VILLA")] + lines[3:-1]
        )
        out, _ = self.load("".join(changed), "dpl_2022-10-01")
        second = ListVersion.objects.get(active=True)
        self.assertNotEqual(second.pk, first.pk)
        self.assertEqual(second.diff, {"added": [], "removed": ["581"], "changed": ["2"]})
        self.assertIn("-1 removed", out)

        again, _ = self.load("".join(changed), "again_2022-10-01")
        self.assertIn("already loaded", again)
        self.assertEqual(ListVersion.objects.count(), 2)

    def test_a_truncated_file_is_refused_and_the_active_version_stays(self) -> None:
        self.load(self.source, "dpl_2022-09-07")
        active = ListVersion.objects.get(active=True)
        _, err = self.load(self.source[: len(self.source) // 2], "dpl_2022-12-01")
        self.assertIn("refused", err)
        self.assertIn("dpl.txt", err)
        self.assertEqual(ListVersion.objects.get(active=True).pk, active.pk)
        self.assertEqual(ListVersion.objects.count(), 1)
