"""Matching: accuracy floors on a fixed sample, explanations, qualifiers, batch API."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening_engine import DEFAULT_THRESHOLD, Entity, Query, ScreeningIndex, screen_batch
from screening_engine.batch import read_partner_csv, screen_file
from screening_engine.matcher import COUNTRY_PENALTY
from screening_engine.normalize import normalize

# (query, list, native id): one or two perturbations each of real listed names.
POSITIVES = [
    ("Banco Nacional de Cuba", "ofac_sdn", "306"),
    ("banco nacionall de cuba", "ofac_sdn", "306"),  # typo
    ("Bаnco Nаcional de Cuba", "ofac_sdn", "306"),  # Cyrillic homoglyphs
    ("Banco\u200b Nacional de Cuba", "ofac_sdn", "306"),  # zero-width space
    ("Anglo Caribbean Company Limited", "ofac_sdn", "173"),  # legal form written out
    ("Osama bin Laden", "ofac_sdn", "6365"),  # transliteration
    ("Ismail Haniyeh", "ofac_sdn", "23627"),  # 'LAST, First' reordered
    ("Nicolas Maduro Moros", "ofac_sdn", "22790"),
    ("Nicolás Maduro", "ofac_sdn", "22790"),  # diacritics + token drop
    ("China Telecom Corp Ltd", "csl", "30882"),  # abbreviations
    ("Aerocaribbean Airlines", "ofac_sdn", "36"),
    ("Aaron Abraham Villa", "bis_dpl", "2"),
    ("Cimex Iberica", "ofac_sdn", "536"),
    ("Mahan Airlines", "ofac_sdn", "12927"),
    ("Islamic Revolutionary Guard Corp", "ofac_sdn", "10391"),
    ("Tidewater Middle East Company", "ofac_sdn", "12803"),
    ("KOREA MINING DEVELOPMENT TRADING CORP", "ofac_sdn", "9345"),
    ("Rosoboronexport JSC", "ofac_sdn", "18782"),
]
NEGATIVES = [
    "Siemens AG",
    "Acme Trading Company",
    "Robert Bosch GmbH",
    "Maersk Line",
    "Nestle S.A.",
    "Toyota Motor Corporation",
    "John Smith",
    "Maria Garcia Lopez",
    "Walmart Inc",
    "Deutsche Bahn AG",
    "Samsung Electronics Co Ltd",
    "Shanghai Trading Company Limited",
    "Global Logistics International",
    "Petroleos Mexicanos",
    "Banco Santander S.A.",
    "Emirates Airline",
    "Hyundai Merchant Marine",
]


def test_accuracy_floor_on_fixed_sample(index: ScreeningIndex) -> None:
    found = 0
    for name, list_id, entity_id in POSITIVES:
        hits = index.search(name, top=5, min_score=DEFAULT_THRESHOLD, explain=False)
        if any(
            h.entity.list_id == list_id and h.entity.entity_id == entity_id for h in hits
        ) or any(h.entity.entity_id == entity_id for h in hits[:1]):
            found += 1
    assert found / len(POSITIVES) >= 0.9, f"recall {found}/{len(POSITIVES)}"
    alerts = [n for n in NEGATIVES if index.search(n, top=1, min_score=DEFAULT_THRESHOLD)]
    assert len(alerts) <= 1, alerts


def test_generic_words_do_not_make_a_match(index: ScreeningIndex) -> None:
    hits = index.search("International Trading Company Limited", top=1)
    assert not hits or hits[0].score < DEFAULT_THRESHOLD


def test_dropped_token_does_not_hide_a_match(index: ScreeningIndex) -> None:
    hits = index.search("ANGLO CARIBBEAN", top=1)
    assert hits[0].entity.entity_id == "173"
    assert hits[0].score >= DEFAULT_THRESHOLD


def test_explanation_names_tokens_list_programs_and_addresses(index: ScreeningIndex) -> None:
    hit = index.search("Bamco Nacional de Cuba", country="CH", type="organization")[0]
    expl = hit.explanation
    assert expl is not None
    assert expl.list_id == hit.entity.list_id
    assert "CUBA" in expl.programs
    assert any("Zurich" in a for a in expl.addresses)
    pairs = {m.query_token: m.listed_token for m in expl.query_tokens}
    assert pairs["bamco"] == "banco"
    # "Nacional" is read as the business word "national" on both sides.
    assert pairs["national"] == "national"
    text = expl.summary()
    assert "bamco≈banco" in text
    assert "query coverage" in text and "listed coverage" in text
    assert any("country" in reason for reason, _ in expl.adjustments)
    data = expl.to_dict()
    assert data["list"] == hit.entity.list_id and data["tokens"]


def test_type_and_country_qualify_the_score(index: ScreeningIndex) -> None:
    plain = index.search("Banco Nacional de Cuba", top=1)[0].score
    wrong_type = index.search("Banco Nacional de Cuba", type="person", top=1)[0]
    wrong_country = index.search("Banco Nacional de Cuba", country="Brazil", top=1)[0]
    assert wrong_type.score < plain
    assert wrong_country.score < plain
    assert wrong_type.explanation is not None
    assert any("type" in reason for reason, _ in wrong_type.explanation.adjustments)


def test_country_program_counts_as_the_entity_country(index: ScreeningIndex) -> None:
    # BANCO NACIONAL DE CUBA's addresses are abroad; its program (CUBA) ties it to Cuba.
    hit = index.search("Banco Nacional de Cuba", country="CU", top=1)[0]
    assert hit.explanation is not None
    assert [d for _, d in hit.explanation.adjustments] == [2.0]


def test_normalisation() -> None:
    assert normalize("ANGLO-CARIBBEAN CO., LTD.").tokens == ("anglo", "caribbean", "llc")
    assert normalize("Mohammed").skeletons == normalize("Muhammad").skeletons
    assert normalize("Youssef").skeletons == normalize("Yusuf").skeletons
    assert normalize("Aсme\u200b").tokens == ("acme",)  # Cyrillic с, zero-width space
    assert (
        normalize("GRUPO CINJAB S. A. DE C. V.").tokens == normalize("Grupo Cinjab SA de CV").tokens
    )


def test_a_typo_in_a_legal_form_or_business_word_is_read_as_that_word() -> None:
    assert normalize("SARA PROPERTIES LEEMITED").tokens == normalize("Sara Properties Ltd").tokens
    assert normalize("PABAS HOLIDNGS").tokens == ("pabas", "holding")
    assert normalize("ZEBRA COMPNAY LIMMITED").tokens == normalize("Zebra Company Limited").tokens
    # Two edits away is another word; given names are left to the edit-distance credit.
    assert normalize("Hamida Garden").tokens == ("hamida", "garden")


def test_misspelt_legal_form_still_alerts(index: ScreeningIndex) -> None:
    hit = index.search("ANGLO CARIBBEAN COMPNAY LIMMITED", top=1)[0]
    assert hit.entity.entity_id == "173"
    assert hit.score >= DEFAULT_THRESHOLD


def test_batch_matches_single_lookup(index: ScreeningIndex) -> None:
    queries = [Query(name) for name, _, _ in POSITIVES] * 3
    raw = screen_batch(index, queries, top=3, workers=1)
    single = [index.screen_raw([q], top=3)[0] for q in queries[:5]]
    assert raw[:5] == single
    assert len(raw) == len(queries)


def test_partner_csv_reports_bad_rows(index: ScreeningIndex, tmp_path: Path) -> None:
    src = tmp_path / "partners.csv"
    src.write_bytes(
        b"id,name,country,address,type\n"
        b"1,Banco Nacional de Cuba,CU,,organization\n"
        b"2,,US,,\n"
        b"3,Caf\xe9 Latin1 GmbH,DE,,\n"
        b"4,Acme Trading Company,US,,spaceship\n"
        b'5,"ANGLO CARIBBEAN CO., LTD.",GB,,\n'
    )
    rows, problems = read_partner_csv(src)
    assert [r.query.id for r in rows] == ["1", "5"]
    assert [p.line for p in problems] == [3, 4, 5]
    assert "no name" in problems[0].reason and "UTF-8" in problems[1].reason
    out = tmp_path / "out.csv"
    n, written, _ = screen_file(index, src, out, top=2, min_score=0, workers=1)
    lines = out.read_text().splitlines()
    assert lines[0] == "id,rank,score,list,entity_id,matched_name"
    assert n == 2 and written == len(lines) - 1
    assert lines[1].startswith("1,1,") and float(lines[1].split(",")[2]) >= DEFAULT_THRESHOLD


def test_header_without_name_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "p.csv"
    src.write_text("id,company\n1,x\n")
    with pytest.raises(ValueError, match="name"):
        read_partner_csv(src)


def test_an_index_without_names_matches_nothing() -> None:
    empty = ScreeningIndex([])
    assert empty.search("Banco Nacional de Cuba", country="CU") == []
    assert empty.screen_raw([Query("Acme"), Query("Banco Nacional de Cuba")]) == [[], []]


def test_country_written_in_capitals_on_the_listing_matches_the_query() -> None:
    listed = Entity(
        list_id="ofac_sdn",
        entity_id="1",
        type="organization",
        name="Oceanic Panamax Shipping S.A.",
        countries=("PA",),
    )
    index = ScreeningIndex([listed])
    for country in ("PA", "pa", "Panama"):
        hit = index.search("Oceanic Panamax Shipping SA", country=country, top=1)[0]
        assert hit.explanation is not None
        assert hit.explanation.adjustments == ((f"country {country} matches the listing", 2.0),)
    other = index.search("Oceanic Panamax Shipping SA", country="CU", top=1)[0]
    assert other.explanation is not None
    assert [d for _, d in other.explanation.adjustments] == [-COUNTRY_PENALTY]
    assert "not among listed (pa)" in other.explanation.adjustments[0][0]


def test_one_query_word_covers_one_listed_word() -> None:
    """A one-word partner name close to two different words of a listed name covers one
    of them; the same word written twice on both sides is covered whole."""
    foundation = Entity(
        list_id="ofac_sdn", entity_id="1", type="organization", name="FUNDACION SALVA LA SELVA"
    )
    twice = Entity(list_id="ofac_sdn", entity_id="2", type="person", name="SA'ID, Sa'id")
    index = ScreeningIndex([foundation, twice])

    (hit,) = index.search("Silva", top=1)
    assert hit.entity.entity_id == "1"
    assert hit.explanation is not None
    assert hit.explanation.listed_coverage < 0.5  # SALVA, not SELVA as well
    assert "selva" in hit.explanation.unmatched_listed_tokens
    assert hit.score < DEFAULT_THRESHOLD

    (hit,) = index.search("Said Said", top=1)
    assert hit.entity.entity_id == "2"
    assert hit.explanation is not None
    assert hit.explanation.unmatched_listed_tokens == ()
    assert hit.explanation.listed_coverage == pytest.approx(1.0)


def test_a_name_with_a_word_left_out_in_the_listed_order_alerts(index: ScreeningIndex) -> None:
    """Three or more words, each found exactly and in the listed name's order, are the
    listed name with a word left out: an alert even where the country contradicts; the
    same words out of order, or only common words, are weaker evidence."""
    listed = "FUNDACION CENTRO DE INVESTIGACION HORTIFRUTICOLA DE COLOMBIA"
    ordered = index.search("Fundacion Centro de Hortifruticola de Colombia", country="BD", top=1)
    shuffled = index.search("Centro Fundacion de Hortifruticola de Colombia", country="BD", top=1)
    assert ordered[0].matched_name == shuffled[0].matched_name == listed
    assert ordered[0].score >= DEFAULT_THRESHOLD
    assert shuffled[0].score < ordered[0].score - 3
    assert ordered[0].explanation is not None
    assert ordered[0].explanation.unmatched_listed_tokens == ("investigacion",)

    (common,) = index.search("Shipping Company Limited", top=1)
    assert common.score < DEFAULT_THRESHOLD


def test_a_business_word_counts_against_a_listed_person(index: ScreeningIndex) -> None:
    """A person's name holds no legal form: "LIMITADA" in place of a listed person's
    surname is a difference, while a company's legal form still weighs little."""
    (person,) = index.search("Gomez Sor Teresa", top=1)
    (stray,) = index.search("Gomez Limitada Sor Teresa", top=1)
    assert person.matched_name == stray.matched_name == "GOMEZ ALVAREZ, Sor Teresa"
    assert person.score >= DEFAULT_THRESHOLD > stray.score

    (company,) = index.search("Anglo Caribbean LLC", top=1)
    assert company.entity.entity_id == "173"
    assert company.score >= DEFAULT_THRESHOLD
