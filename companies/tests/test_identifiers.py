"""Table tests of every identifier format (domain.md §1.3) and of what each business type
must hold."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from companies.choices import BusinessType
from companies.identifiers import (
    IdentifierType,
    missing_identifiers,
    required_identifiers,
    validate_identifier,
)
from eligibility.tests.factories import DefaultLanguage

T = IdentifierType

# kind → [(typed, stored)]: accepted values and their canonical form.
VALID: dict[str, list[tuple[str, str]]] = {
    T.IOR: [
        ("12-345678900", "12-345678900"),
        ("12 3456789 00", "12-345678900"),
        ("12345678900", "12-345678900"),
        ("12-3456789ab", "12-3456789AB"),
        ("123-45-6789", "123-45-6789"),
        ("981234-56789", "981234-56789"),
    ],
    T.EIN: [("12-3456789", "12-3456789"), ("123456789", "12-3456789")],
    T.DUNS: [("123456789", "123456789"), ("12-345-6789", "123456789")],
    T.MID: [
        ("MXACMTOO1234MON", "MXACMTOO1234MON"),
        ("cnshahai1234sha", "CNSHAHAI1234SHA"),
        ("XOACME123TOR", "XOACME123TOR"),  # Canada: province code (Ontario)
    ],
    T.SCAC: [("ABCD", "ABCD"), ("ab cd", "ABCD")],
    T.USDOT: [("12345", "12345"), ("1234567", "1234567"), ("12345678", "12345678")],
    T.FMC: [("012345", "012345"), ("ab12cd", "AB12CD")],
    T.IATA: [("AA", "AA"), ("0112345", "0112345"), ("A" * 15, "A" * 15)],
    T.BROKER_LICENSE: [("1234", "1234"), ("12345", "12345")],
    T.FILER_CODE: [("A1B", "A1B"), ("9z9", "9Z9")],
    T.RFC: [
        ("ABC010203XY1", "ABC010203XY1"),  # company (persona moral): 12 characters
        ("abcd-010203-xy1", "ABCD010203XY1"),  # person (persona física): 13 characters
        ("ÑAB991231A12", "ÑAB991231A12"),
        ("A&B000229AB1", "A&B000229AB1"),  # 29 February 2000 is a real date
    ],
    T.SCT: [
        ("12345", "12345"),
        ("ABC12345", "ABC12345"),
        ("123456789012", "123456789012"),
        ("1234567890123", "1234567890123"),
    ],
    T.BOND: [("123456789", "123456789"), ("99a123456", "99A123456")],
    T.FAST_ID: [("  FAST 123 ", "FAST 123")],
    T.TSA: [("IAC-123", "IAC-123")],
}

# kind → [(typed, a fragment of the message saying what is accepted)].
INVALID: dict[str, list[tuple[str, str]]] = {
    T.IOR: [
        ("123456789", "an EIN with its suffix (12-345678900)"),
        ("12-34567", "a CBP-assigned number (981234-56789)"),
        ("", "a social security number (123-45-6789)"),
    ],
    T.EIN: [("12-345678", "nine digits written 12-3456789"), ("AB-CDEFGHI", "12-3456789")],
    T.DUNS: [("12345678", "nine digits (123456789 or 12-345-6789)"), ("1234567890", "nine digits")],
    T.MID: [
        ("MX", "at most 15 letters and digits"),
        ("MXACMTOO1234MONT1", "at most 15 letters and digits"),
        ("QQACME1", "“QQ” is neither"),
        ("MX-ACME-1", "starting with the country code"),
    ],
    T.SCAC: [("ABC1", "exactly 4 letters"), ("ABCDE", "for example ABCD"), ("AB", "4 letters")],
    T.USDOT: [
        ("1234", "5 to 8 digits"),
        ("123456789", "5 to 8 digits"),
        ("ABCDE", "5 to 8 digits"),
    ],
    T.FMC: [("01234", "exactly 6 characters"), ("0123456", "for example 012345")],
    T.IATA: [("", "1 to 15 letters and digits"), ("A" * 16, "1 to 15"), ("A-A", "1 to 15")],
    T.BROKER_LICENSE: [
        ("123", "4 or 5 digits"),
        ("123456", "4 or 5 digits"),
        ("12A45", "for example 12345"),
    ],
    T.FILER_CODE: [("A1", "exactly 3 letters or digits"), ("A1B2", "for example A1B")],
    T.RFC: [
        ("AB010203XY1", "12 characters for a company"),
        ("ABCDE010203XY1", "13 for a person"),
        ("ABC011303XY1", "011303, is not a real date (YYMMDD)"),
        ("ABC010230XY1", "is not a real date"),
        ("ABC01020XY1", "ABC010203XY1"),
    ],
    T.SCT: [
        ("1234", "5 to 8 or 12 to 13"),
        ("1234567890", "(10 characters)"),
        ("12345678901234", "5 to 8 or 12 to 13"),
    ],
    T.BOND: [("12345678", "exactly 9 letters and digits"), ("1234567890", "for example 123456789")],
    T.FAST_ID: [("   ", "required")],
    T.TSA: [("", "required")],
}


class IdentifierFormatTests(DefaultLanguage, SimpleTestCase):
    def test_the_tables_cover_every_identifier_type(self) -> None:
        self.assertEqual(set(VALID), set(T.values))
        self.assertEqual(set(INVALID), set(T.values))

    def test_valid_values_are_accepted_in_canonical_form(self) -> None:
        for kind, samples in VALID.items():
            for typed, stored in samples:
                with self.subTest(kind=kind, value=typed):
                    self.assertEqual(validate_identifier(kind, typed), stored)

    def test_invalid_values_are_refused_saying_what_is_accepted(self) -> None:
        for kind, samples in INVALID.items():
            for typed, fragment in samples:
                with self.subTest(kind=kind, value=typed):
                    with self.assertRaises(ValidationError) as caught:
                        validate_identifier(kind, typed)
                    (message,) = caught.exception.messages
                    self.assertIn(fragment, message)

    def test_format_messages_repeat_what_was_entered(self) -> None:
        for kind in (T.IOR, T.EIN, T.SCAC, T.RFC, T.BOND):
            typed = INVALID[kind][0][0]
            with self.subTest(kind=kind), self.assertRaises(ValidationError) as caught:
                validate_identifier(kind, typed)
            self.assertIn(f"“{typed.upper()}”", caught.exception.messages[0])

    def test_an_unknown_type_is_named(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Unknown identifier type “vin”"):
            validate_identifier("vin", "1HGCM82633A004352")


# business type → (requirements anywhere, extra requirements for Mexican companies).
REQUIRED: dict[str, tuple[list[set[str]], list[set[str]]]] = {
    "importer": ([{T.IOR}, {T.BOND}], []),
    "exporter": ([{T.EIN, T.DUNS}], []),
    "foreign_manufacturer": ([{T.MID}], [{T.RFC}]),
    "highway_carrier": ([{T.SCAC}, {T.USDOT}], [{T.RFC}]),
    "mexico_long_haul_carrier": ([{T.SCT}, {T.RFC}], []),
    "air_carrier": ([{T.IATA}, {T.BOND}], []),
    # CBP "Sea Carriers": SCAC, continuous international carrier bond, FMC VOCC number.
    "sea_carrier": ([{T.SCAC}, {T.BOND}, {T.FMC}], []),
    # CBP "Rail Carriers": SCAC and carrier bond; Mexican-based companies also the RFC.
    "rail_carrier": ([{T.SCAC}, {T.BOND}], [{T.RFC}]),
    "consolidator": ([{T.BOND}, {T.FMC, T.IATA}], []),
    "customs_broker": ([{T.BROKER_LICENSE}, {T.FILER_CODE}], []),
    "marine_port_terminal": ([{T.FMC}], []),
    "third_party_logistics": ([{T.FMC, T.TSA, T.BOND, T.USDOT}], []),
}


class RequiredIdentifierTests(DefaultLanguage, SimpleTestCase):
    def test_the_table_covers_every_business_type(self) -> None:
        self.assertEqual(set(REQUIRED), set(BusinessType.values))

    def test_each_type_requires_its_identifiers_and_mexican_firms_the_extra(self) -> None:
        for business_type, (anywhere, mexican_extra) in REQUIRED.items():
            with self.subTest(business_type):
                for country in ("US", "CA"):
                    got = [set(g) for g in required_identifiers(business_type, country)]
                    self.assertEqual(got, anywhere)
                got_mx = [set(g) for g in required_identifiers(business_type, "MX")]
                self.assertEqual(got_mx, anywhere + mexican_extra)

    def test_any_one_kind_of_a_group_meets_it(self) -> None:
        self.assertEqual(missing_identifiers("exporter", "US", {T.DUNS}), [])
        self.assertEqual(missing_identifiers("exporter", "US", {T.EIN}), [])
        self.assertEqual(missing_identifiers("exporter", "US", {T.IOR}), [(T.EIN, T.DUNS)])

    def test_missing_lists_only_the_unmet_requirements(self) -> None:
        self.assertEqual(
            missing_identifiers("highway_carrier", "MX", {T.SCAC}), [(T.USDOT,), (T.RFC,)]
        )
        self.assertEqual(missing_identifiers("highway_carrier", "US", {T.SCAC, T.USDOT}), [])
        self.assertEqual(missing_identifiers("importer", "US", set()), [(T.IOR,), (T.BOND,)])
