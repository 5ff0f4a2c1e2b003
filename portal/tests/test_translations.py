"""Spanish is complete: every catalogue of ours has no fuzzy and no empty translation, and
its compiled .mo exists (field staff and Mexican partners work in
Spanish, so an untranslated string is a bug)."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

ROOT = Path(settings.BASE_DIR)


def catalogues() -> list[Path]:
    return sorted(
        p for p in ROOT.glob("*/locale/es/LC_MESSAGES/django.po") if ".venv" not in p.parts
    )


def problems(po: Path) -> list[str]:
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or all(line.startswith("#~") for line in lines):
            continue  # obsolete entries are ignored by gettext
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            found.append(f"fuzzy: {lines[-2] if len(lines) > 1 else lines[0]}")
        for i, line in enumerate(lines):
            if line.startswith("msgid ") and line != 'msgid ""':
                rest = lines[i + 1 :]
                strs = [r for r in rest if r.startswith("msgstr")]
                if strs and strs[0] == 'msgstr ""':
                    after = rest[rest.index(strs[0]) + 1 :]
                    if not after or not after[0].startswith('"'):
                        found.append(f"untranslated: {line}")
    return found


class TranslationTests(SimpleTestCase):
    def test_there_are_catalogues(self) -> None:
        self.assertGreater(len(catalogues()), 3)

    def test_every_entry_is_translated(self) -> None:
        for po in catalogues():
            with self.subTest(catalogue=str(po.relative_to(ROOT))):
                self.assertEqual(problems(po), [])

    def test_plural_entries_give_every_form_the_header_declares(self) -> None:
        """Spanish declares three plural forms (one, many as in "1 millón", other); an entry
        with two leaves gettext to print the English for the third."""
        for po in catalogues():
            text = po.read_text(encoding="utf-8")
            declared = re.search(r"nplurals=(\d+)", text)
            assert declared is not None
            with self.subTest(catalogue=str(po.relative_to(ROOT))):
                for block in text.split("\n\n"):
                    if "msgid_plural" in block and not block.lstrip().startswith("#~"):
                        forms = len(re.findall(r"^msgstr\[\d+\]", block, re.M))
                        self.assertEqual(forms, int(declared.group(1)), block)

    def test_msgfmt_check_passes(self) -> None:
        """The strict check translators' tools run (format strings, headers, plurals)."""
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            self.skipTest("msgfmt (gettext) is not installed")
        for po in catalogues():
            with self.subTest(catalogue=str(po.relative_to(ROOT))):
                done = subprocess.run(
                    [msgfmt, "--check-format", "--check-domain", "-o", "/dev/null", str(po)],
                    capture_output=True,
                    text=True,
                )
                self.assertEqual(done.returncode, 0, done.stderr)

    def test_each_compiled_file_holds_its_catalogue(self) -> None:
        """A .mo that lags its .po (one side of a merge checked out, a forgotten compile)
        shows English where the .po has Spanish."""
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            self.skipTest("msgfmt (gettext) is not installed")
        with tempfile.TemporaryDirectory() as tmp:
            for po in catalogues():
                fresh = Path(tmp) / "fresh.mo"
                subprocess.run([msgfmt, "-o", str(fresh), str(po)], check=True)
                with self.subTest(catalogue=str(po.relative_to(ROOT))):
                    with fresh.open("rb") as a, po.with_suffix(".mo").open("rb") as b:
                        expected = gettext.GNUTranslations(a)._catalog  # type: ignore[attr-defined]
                        found = gettext.GNUTranslations(b)._catalog  # type: ignore[attr-defined]
                    stale = sorted(str(k) for k in expected if found.get(k) != expected[k])
                    self.assertEqual(stale, [], f"{po.with_suffix('.mo')}: run make messages")

    def test_compiled_files_are_current(self) -> None:
        for po in catalogues():
            mo = po.with_suffix(".mo")
            with self.subTest(catalogue=str(po.relative_to(ROOT))):
                self.assertTrue(mo.exists(), f"{mo} is missing: run make messages")
