"""The arrangements file: the 18 MRAs load, and a broken file is refused with a message
naming the arrangement and the field."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import SimpleTestCase
from django.urls import reverse

from portal.testing import PersonaTestCase
from recognition.arrangements import (
    ArrangementFileError,
    is_recognised,
    load_arrangements,
    parse_arrangements,
)


def _one(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "ca_pip",
        "partner": {"en": "Canada", "es": "Canadá"},
        "countries": ["CA"],
        "programs": ["pip"],
        "program_name": "Partners in Protection",
        "signed": "2008-06",
        "status": "in_force",
        "source": "https://www.cbp.gov/",
    }
    item.update(changes)
    return {"version": "2022-09", "arrangement": [item]}


class ArrangementFileTests(SimpleTestCase):
    def test_the_eighteen_arrangements_of_april_2023(self) -> None:
        """Source: CBP's mutual recognition page (16 by September 2022) and CBP's release of
        18 April 2023: arrangements with Guatemala and Colombia signed on 17 April 2023."""
        data = load_arrangements()
        self.assertEqual(len(data.arrangements), 18)
        by_id = {a.id: a for a in data.arrangements}
        self.assertEqual(by_id["ca_pip"].signed, datetime.date(2008, 6, 1))
        self.assertEqual(by_id["br_oea"].signed, datetime.date(2022, 9, 1))
        self.assertEqual(len(by_id["eu_aeo"].countries), 27)
        for new, country in (("gt_oea", "GT"), ("co_oea", "CO")):
            self.assertEqual(by_id[new].signed, datetime.date(2023, 4, 1))
            self.assertEqual(by_id[new].countries, frozenset({country}))
            self.assertTrue(is_recognised("oea", country))
        self.assertTrue(all(a.source.startswith("https://") for a in data.arrangements))

    def test_recognition_follows_program_and_country(self) -> None:
        self.assertTrue(is_recognised("ctpat", "US"))
        self.assertTrue(is_recognised("aeo", "NL"))
        self.assertTrue(is_recognised("stp", "SG"))
        self.assertFalse(is_recognised("aeo", "CN"))
        self.assertFalse(is_recognised("aeo", "CA"))  # Canada's program is PIP
        self.assertFalse(is_recognised("other", "JP"))

    def test_mistakes_name_the_arrangement_and_field(self) -> None:
        cases = [
            (_one(programs=["aeo", "xyz"]), "programs: unknown code(s) ['xyz']"),
            (_one(countries=["ZZ"]), "countries: ['ZZ'] are not two-letter ISO"),
            (_one(signed="June 2008"), 'signed: write the year and month, e.g. "2012-05"'),
            (_one(partner={"en": "Canada"}), "partner: give the name in every language"),
            (_one(status="active"), "status: use one of in_force, suspended"),
            (_one(source="cbp.gov"), "source: give a web address"),
            (_one(signd="2008-06"), "unknown field(s) ['signd']"),
        ]
        for data, message in cases:
            with self.subTest(message=message):
                with self.assertRaises(ArrangementFileError) as caught:
                    parse_arrangements(data, source="arrangements.toml")
                self.assertIn("arrangements.toml, arrangement 1 (ca_pip)", str(caught.exception))
                self.assertIn(message, str(caught.exception))

    def test_repeated_id_is_refused(self) -> None:
        data = _one()
        data["arrangement"].append(dict(data["arrangement"][0]))
        with self.assertRaisesMessage(ArrangementFileError, "id 'ca_pip' is used twice"):
            parse_arrangements(data)

    def test_a_suspended_arrangement_does_not_count(self) -> None:
        data = parse_arrangements(_one(status="suspended"))
        self.assertIsNone(data.covering("pip", "CA"))
        self.assertNotIn(("pip", "CA"), data.recognised_pairs())


class ArrangementPageTests(PersonaTestCase):
    def test_page_lists_every_arrangement_in_the_users_language(self) -> None:
        self.login("viewer")
        url = reverse("recognition:arrangement-list", args=[self.company.pk])
        response = self.client.get(url)
        self.assertContains(response, "Partners in Protection")
        self.assertContains(response, "European Union")
        self.assertContains(response, "<tr>", count=19)  # header + 18
        response = self.client.get(url, headers={"accept-language": "es"})
        self.assertContains(response, "Unión Europea")

    def test_api_lists_the_arrangements(self) -> None:
        self.login("other")
        data = self.client.get(reverse("api:arrangement-list")).json()
        self.assertEqual(len(data["results"]), 18)
        mx = next(a for a in data["results"] if a["id"] == "mx_oea")
        self.assertEqual(mx["countries"], ["MX"])
        self.assertEqual(mx["signed"], "2014-10")
