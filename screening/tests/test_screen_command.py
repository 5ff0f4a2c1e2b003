"""The `ctpat screen` contract: header, ranks, min-score, bad rows, --lists."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from screening.index import default_lists_dir
from screening_engine import DEFAULT_THRESHOLD

HEADER = ["id", "rank", "score", "list", "entity_id", "matched_name"]


class ScreenCommandTests(TestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def screen(self, content: bytes, *args: str) -> tuple[list[list[str]], str]:
        src = self.tmp / "in.csv"
        src.write_bytes(content)
        out = self.tmp / "out.csv"
        err = io.StringIO()
        call_command("screen", str(src), "--out", str(out), *args, stderr=err, stdout=io.StringIO())
        with out.open(encoding="utf-8") as fh:
            return list(csv.reader(fh)), err.getvalue()

    def test_writes_header_and_ranked_hits_above_the_threshold(self) -> None:
        rows, _ = self.screen(
            b"id,name,country,address,type\n"
            b"p1,Banco Nacional de Cuba,CU,,organization\n"
            b"p2,Maple Leaf Organic Farms Ltd,CA,,organization\n"
            b"p3,AARON ABRAHAM VILLA,US,,person\n"
        )
        self.assertEqual(rows[0], HEADER)
        by_id: dict[str, list[list[str]]] = {}
        for row in rows[1:]:
            by_id.setdefault(row[0], []).append(row)
        self.assertNotIn("p2", by_id)
        p1 = by_id["p1"]
        self.assertEqual([r[1] for r in p1], [str(i) for i in range(1, len(p1) + 1)])
        self.assertTrue(all(float(r[2]) >= DEFAULT_THRESHOLD for r in p1))
        self.assertEqual(sorted((float(r[2]) for r in p1), reverse=True), [float(r[2]) for r in p1])
        self.assertIn(("ofac_sdn", "306"), {(r[3], r[4]) for r in p1})
        self.assertIn(
            ("bis_dpl", "2", "AARON ABRAHAM VILLA"), {(r[3], r[4], r[5]) for r in by_id["p3"]}
        )

    def test_min_score_zero_always_writes_the_best_candidate_and_top_limits(self) -> None:
        rows, _ = self.screen(
            b"id,name\nq1,Maple Leaf Organic Farms Ltd\nq2,Zzyzx Qwv\n",
            "--min-score",
            "0",
            "--top",
            "2",
        )
        ids = [r[0] for r in rows[1:]]
        self.assertEqual(ids.count("q1"), 2)
        self.assertGreaterEqual(ids.count("q2"), 1)
        for row in rows[1:]:
            self.assertTrue(0 <= float(row[2]) <= 100)
            self.assertIn(row[3], {"ofac_sdn", "ofac_cons", "csl", "bis_dpl"})

    def test_bad_rows_are_reported_with_line_numbers_and_skipped(self) -> None:
        rows, err = self.screen(
            b"id,name,country\n"
            b"a,Banco Nacional de Cuba,CU\n"
            b"b,,US\n"
            b"c,Caf\xe9 Ltd,FR\n"
            b"d,Banco Nacional de Cuba\n",
            "--min-score",
            "0",
        )
        self.assertIn("line 3", err)
        self.assertIn("line 4", err)
        self.assertIn("line 5", err)
        self.assertEqual({r[0] for r in rows[1:]}, {"a"})

    def test_lists_dir_loads_only_those_lists(self) -> None:
        lists = self.tmp / "lists"
        shutil.copytree(default_lists_dir() / "bis_dpl_2022-09-07", lists / "dpl")
        rows, err = self.screen(b"id,name\n1,ZIMO SHENG\n", "--lists", str(lists))
        self.assertEqual(rows[1][:2], ["1", "1"])
        self.assertEqual((rows[1][3], rows[1][4]), ("bis_dpl", "581"))
        self.assertTrue(all(r[3] == "bis_dpl" for r in rows[1:]))
        self.assertIn("list bis_dpl", err)

    def test_lists_dir_follows_symlinked_list_folders(self) -> None:
        lists = self.tmp / "lists"
        lists.mkdir()
        (lists / "dpl").symlink_to(default_lists_dir() / "bis_dpl_2022-09-07")
        rows, err = self.screen(b"id,name\n1,ZIMO SHENG\n", "--lists", str(lists))
        self.assertEqual((rows[1][3], rows[1][4]), ("bis_dpl", "581"))
        self.assertIn("581 entities", err)

    def test_lists_dir_without_list_files_says_so(self) -> None:
        (self.tmp / "empty").mkdir()
        with self.assertRaisesMessage(CommandError, "no usable list file"):
            self.screen(b"id,name\n1,ZIMO SHENG\n", "--lists", str(self.tmp / "empty"))

    def test_the_index_of_a_lists_dir_is_built_once_and_then_loaded(self) -> None:
        lists = self.tmp / "lists"
        lists.mkdir()
        (lists / "dpl").symlink_to(default_lists_dir() / "bis_dpl_2022-09-07")
        with override_settings(SCREENING_INDEX_DIR=str(self.tmp / "index")):
            first, _ = self.screen(b"id,name\n1,ZIMO SHENG\n", "--lists", str(lists))
            stored = [p for p in (self.tmp / "index").iterdir() if not p.name.startswith(".")]
            self.assertEqual(len(stored), 1)
            # The stored copy is what answers the second run: spoil its list summary.
            meta = stored[0] / "meta.json"
            meta.write_text(meta.read_text().replace('"entities": 581', '"entities": 580'))
            again, err = self.screen(b"id,name\n1,ZIMO SHENG\n", "--lists", str(lists))
        self.assertEqual(first, again)
        self.assertIn("580 entities", err)

    def test_row_ranges_split_a_file_for_task_workers(self) -> None:
        content = b"id,name\n" + b"".join(
            f"r{i},Banco Nacional de Cuba\n".encode() for i in range(5)
        )
        first, _ = self.screen(content, "--max-rows", "2", "--top", "1")
        rest, _ = self.screen(content, "--start-row", "2", "--top", "1")
        self.assertEqual([r[0] for r in first[1:]], ["r0", "r1"])
        self.assertEqual([r[0] for r in rest[1:]], ["r2", "r3", "r4"])

    def test_missing_name_column_fails(self) -> None:
        with self.assertRaises(CommandError):
            self.screen(b"id,company\n1,x\n")


class UnmigratedDatabaseTests(TestCase):
    """A fresh installation: `ctpat screen` before `ctpat migrate`."""

    def test_it_screens_with_the_list_files_and_says_what_to_run(self) -> None:
        tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, tmp)
        (tmp / "shared" / "watchlists").mkdir(parents=True)
        (tmp / "shared" / "watchlists" / "dpl").symlink_to(
            default_lists_dir() / "bis_dpl_2022-09-07"
        )
        (tmp / "in.csv").write_text("id,name\n1,ZIMO SHENG\n", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            SECRET_KEY="x",
            CTPAT_DATA_DIR=str(tmp / "data"),  # a new, empty SQLite database
            CTPAT_SHARED_DATA_DIR=str(tmp / "shared"),
            SCREENING_INDEX_DIR=str(tmp / "index"),
        )
        done = subprocess.run(
            [sys.executable, "-m", "portal.manage", "screen", "in.csv", "--out", "out.csv"],
            cwd=tmp,
            env={**env, "PYTHONPATH": str(settings.BASE_DIR)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertNotIn("Traceback", done.stderr)
        self.assertIn("run `ctpat migrate`", done.stderr)
        with (tmp / "out.csv").open(encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        self.assertEqual((rows[1][3], rows[1][4]), ("bis_dpl", "581"))
