"""Every shipped TOML data file is read by one reader whose errors name the file and line,
in the error type of the app that owns the file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from core.datafiles import DataFileError, read_toml
from eligibility.questions import QuestionFileError, load_questions
from recognition.arrangements import ArrangementFileError, load_arrangements
from training.programme import ProgrammeFileError, load_programme, parse_programme


class ReadTomlTest(SimpleTestCase):
    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp())

    def write(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        return path

    def test_a_syntax_error_names_the_file_line_and_column(self) -> None:
        path = self.write("checklists.toml", b'version = "1"\n\n[[list]]\nkey = oops\n')
        with self.assertRaisesMessage(DataFileError, "checklists.toml, line 4, column 7"):
            read_toml(path)

    def test_bytes_that_are_not_utf8_name_the_line(self) -> None:
        path = self.write("questions.toml", b'version = "1"\ntitle = "Espa\xf1a"\n')
        with self.assertRaisesMessage(DataFileError, "questions.toml, line 2: not UTF-8"):
            read_toml(path)

    def test_a_missing_file_is_named(self) -> None:
        with self.assertRaisesMessage(DataFileError, "nowhere.toml: cannot be read"):
            read_toml(self.folder / "nowhere.toml")

    def test_each_app_gets_its_own_error_type_with_the_line(self) -> None:
        broken = b'version = "1"\n[[x]\n'
        loaders = [
            (load_questions, QuestionFileError),
            (load_arrangements, ArrangementFileError),
            (load_programme, ProgrammeFileError),
        ]
        for loader, error in loaders:
            with self.subTest(loader.__name__):
                path = self.write(f"{loader.__name__}.toml", broken)
                with self.assertRaisesMessage(error, f"{path.name}, line 2"):
                    loader.__wrapped__(path)

    def test_the_training_programme_text_names_its_line_too(self) -> None:
        with self.assertRaisesMessage(ProgrammeFileError, "programme, line 1"):
            parse_programme("version = \n")
