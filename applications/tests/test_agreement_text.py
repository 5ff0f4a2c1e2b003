"""The agreement texts are versioned data: a published text never changes."""

from __future__ import annotations

from django.test import SimpleTestCase

from applications.models import agreement_text, current_agreement

# The SHA-256 of every published text. Signatures store these; a change here means a
# published agreement was edited, which must instead be a new version (agreements/README.md).
PUBLISHED = {
    (1, "en"): "f8922d9461c81770ea738c12d2f8d9b7197a46a77ccead330192f74312be663e",
    (1, "es"): "5526ef2f6613cf833a8e8e243711db500f05d5691fb52b3c929e449355c7eb44",
}


class AgreementTextTests(SimpleTestCase):
    def test_published_texts_are_unchanged(self) -> None:
        for (version, language), digest in PUBLISHED.items():
            with self.subTest(version=version, language=language):
                self.assertEqual(agreement_text(version, language).sha256, digest)

    def test_the_newest_version_is_offered_in_the_readers_language(self) -> None:
        self.assertEqual(current_agreement("es").language, "es")
        self.assertEqual(current_agreement("es").version, max(v for v, _lang in PUBLISHED))

    def test_a_language_without_a_translation_falls_back_to_english(self) -> None:
        self.assertEqual(current_agreement("fr").language, "en")

    def test_an_unpublished_version_is_not_found(self) -> None:
        with self.assertRaises(LookupError):
            agreement_text(99, "en")
