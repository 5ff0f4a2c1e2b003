"""Loaders on the real files (counts from shared/data/watchlists/README.md) and refusals."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from screening_engine import ListFormatError, LoadedList, diff_versions, load_directory
from screening_engine.entities import Entity, diff_entities
from screening_engine.loaders import (
    load_bis_dpl,
    load_csl,
    load_ofac_enhanced_xml,
    load_ofac_legacy,
)


def test_sdn_2021_counts_match_the_data_readme(sdn: LoadedList) -> None:
    counts = sdn.version.counts
    assert counts["entities"] == 8976
    assert (counts["person"], counts["organization"], counts["vessel"], counts["aircraft"]) == (
        4620,
        3673,
        406,
        277,
    )
    assert counts["alias_rows"] == 11910
    assert counts["address_rows"] == 13837
    assert len({e.entity_id for e in sdn.entities if e.aliases}) == 4139
    assert sdn.version.source == "ofac_sdn"
    assert sdn.version.list_date == dt.date(2021, 7, 7)
    assert (
        sdn.version.file_hashes["sdn.csv"]
        == "2a08fac873a3be0b92208f8874b2e7c138b7938190eeeb7ef991c15ba60e855b"
    )


def test_sdn_entity_keeps_programs_addresses_countries_and_ids(sdn: LoadedList) -> None:
    by_id = {e.entity_id: e for e in sdn.entities}
    bank = by_id["306"]
    assert bank.name == "BANCO NACIONAL DE CUBA"
    assert bank.type == "organization"
    assert bank.aliases == ("NATIONAL BANK OF CUBA",)
    assert bank.programs == ("CUBA",)
    assert "ch" in bank.countries
    assert any("Zurich" in a.text for a in bank.addresses)
    vessel = by_id["4234"]
    assert vessel.type == "vessel"
    assert vessel.identifiers[0].kind == "Call Sign"
    multi = [e for e in sdn.entities if len(e.programs) > 1]
    assert multi and all("]" not in p and "[" not in p for e in multi for p in e.programs)
    assert any(i.kind == "Passport" for e in sdn.entities for i in e.identifiers)


def test_consolidated_csv_and_enhanced_xml(cons: LoadedList, watchlists: Path) -> None:
    assert cons.version.source == "ofac_cons"
    assert cons.version.counts["entities"] == 442
    assert (cons.version.counts["person"], cons.version.counts["organization"]) == (79, 363)
    assert cons.version.counts["alias_rows"] == 1073
    assert cons.version.counts["address_rows"] == 574
    xml = load_ofac_enhanced_xml(
        watchlists / "ofac_consolidated_enhanced_2025-01-14" / "CONS_ENHANCED.ZIP"
    )
    assert xml.version.source == "ofac_cons"
    assert xml.version.list_date == dt.date(2025, 1, 10)
    assert xml.version.counts["entities"] == 443
    assert (xml.version.counts["person"], xml.version.counts["organization"]) == (80, 363)
    haniya = next(e for e in xml.entities if e.entity_id == "9639")
    assert haniya.name == "HANIYA, Ismail Abdul Salah"
    assert "HANIYYA, Ismaeel" in haniya.aliases
    assert haniya.programs == ("NS-PLC",)
    vtb = next(e for e in xml.entities if "VTB BANK" in e.name)
    assert any(i.value == "1027739609391" for i in vtb.identifiers)


def test_csl_counts_per_sub_list(csl: LoadedList) -> None:
    # The README's 4,228 rows are the lines after the header: one of them repeats the
    # header and the last one is cut off in the middle (the subset was truncated), which
    # is dropped only because the fixture asks for it (1,738 SDN rows → 1,737 loaded).
    by_source = Counter(e.sub_list.split(" (")[0] for e in csl.entities)
    assert by_source["Specially Designated Nationals"] == 1737
    assert by_source["Entity List"] == 919
    assert by_source["Denied Persons List"] == 577
    assert by_source["Sectoral Sanctions Identifications List"] == 288
    assert csl.version.counts["entities"] == 4226
    assert csl.version.counts["truncated_rows_dropped"] == 1
    # entity_number repeated across sub-lists: unique record ids keep both records.
    assert len({e.uid for e in csl.entities}) == len(csl.entities)
    no_number = [e for e in csl.entities if len(e.entity_id) == 32]
    assert no_number, "rows without entity_number use _id"


def test_csl_is_refused_by_default_because_its_last_row_is_cut(watchlists: Path) -> None:
    with pytest.raises(ListFormatError, match="truncated") as info:
        load_csl(watchlists / "trade_gov_csl_2023-11-30_subset" / "csl.csv")
    assert info.value.line is not None


def test_bis_dpl_rows_are_numbered(dpl: LoadedList) -> None:
    assert dpl.version.counts["entities"] == 581
    first = dpl.entities[0]
    assert (first.entity_id, first.name) == ("1", "I. ASH")
    assert dpl.entities[-1].entity_id == "581"
    assert dpl.entities[-1].name == "ZIMO SHENG"


def test_directory_load_reports_refusals_and_skips(watchlists: Path) -> None:
    result = load_directory(watchlists)
    sources = sorted(item.version.source for item in result.loaded)
    assert sources == ["bis_dpl", "ofac_cons", "ofac_cons", "ofac_sdn"]
    assert [Path(e.path).name for e in result.errors] == ["csl.csv"]
    assert any("no primary names" in s for s in result.skipped)
    newest = {item.version.source: item.version.format for item in result.newest_per_source()}
    assert newest["ofac_cons"] == "ofac_legacy_csv"  # 2025-12 CSV is newer than 2025-01 XML


# ------------------------------------------------------------------ refusals


def _copy_sdn(watchlists: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "sdn"
    shutil.copytree(watchlists / "ofac_sdn_2021-07-07", folder)
    for f in folder.iterdir():
        f.chmod(0o644)
    return folder


def test_truncated_sdn_is_refused_with_line(watchlists: Path, tmp_path: Path) -> None:
    folder = _copy_sdn(watchlists, tmp_path)
    data = (folder / "sdn.csv").read_bytes()
    (folder / "sdn.csv").write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError, match=r"sdn\.csv:\d+: truncated"):
        load_ofac_legacy(folder)


def test_corrupt_rows_are_refused(watchlists: Path, tmp_path: Path) -> None:
    folder = _copy_sdn(watchlists, tmp_path)
    lines = (folder / "alt.csv").read_bytes().split(b"\n")
    lines[10] = b'36,12,"aka"'
    (folder / "alt.csv").write_bytes(b"\n".join(lines))
    with pytest.raises(ListFormatError, match=r"alt\.csv:11: row has 3 fields, expected 5"):
        load_ofac_legacy(folder)
    (folder / "sdn.csv").write_bytes(b"")
    with pytest.raises(ListFormatError, match="empty"):
        load_ofac_legacy(folder)


def test_binary_garbage_and_bad_ids_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "sdn.csv").write_bytes(b"\x00\x01\x02garbage\n")
    with pytest.raises(ListFormatError, match="NUL byte"):
        load_ofac_legacy(folder)
    (folder / "sdn.csv").write_text(
        'X1,"NAME",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
    )
    with pytest.raises(ListFormatError, match="ent_num 'X1' is not a number"):
        load_ofac_legacy(folder)


def test_corrupt_zip_and_broken_xml_are_refused(watchlists: Path, tmp_path: Path) -> None:
    raw = (watchlists / "ofac_consolidated_enhanced_2025-01-14" / "CONS_ENHANCED.ZIP").read_bytes()
    cut = tmp_path / "CONS_ENHANCED.ZIP"
    cut.write_bytes(raw[: len(raw) - 5000])
    with pytest.raises(ListFormatError, match="ZIP"):
        load_ofac_enhanced_xml(cut)
    with zipfile.ZipFile(
        watchlists / "ofac_consolidated_enhanced_2025-01-14" / "CONS_ENHANCED.ZIP"
    ) as z:
        xml = z.read("CONS_ENHANCED.XML")
    broken = tmp_path / "cons_enhanced.xml"
    broken.write_bytes(xml[: len(xml) // 3])
    with pytest.raises(ListFormatError, match="not well-formed"):
        load_ofac_enhanced_xml(broken)


def test_dpl_with_missing_column_is_refused(watchlists: Path, tmp_path: Path) -> None:
    text = (watchlists / "bis_dpl_2022-09-07" / "dpl.txt").read_text()
    bad = tmp_path / "dpl.txt"
    bad.write_text(text.replace('"Street_Address"', '"Street"', 1))
    with pytest.raises(ListFormatError, match="header lacks column"):
        load_bis_dpl(bad)


# ------------------------------------------------------------------ diffs


def test_diff_between_versions(sdn: LoadedList) -> None:
    old = list(sdn.entities[:100])
    new = list(sdn.entities[1:101])
    changed = dataclasses.replace(new[5], name="CHANGED")
    new[5] = changed
    diff = diff_entities(old, new, "ofac_sdn")
    assert diff.added == (sdn.entities[100].entity_id,)
    assert diff.removed == (sdn.entities[0].entity_id,)
    assert diff.changed == (changed.entity_id,)
    assert set(diff.touched) == {sdn.entities[100].entity_id, changed.entity_id}
    assert "+1 added" in diff.summary()
    assert diff_versions(sdn, sdn).changed == ()


def test_entity_round_trips_through_dict(sdn: LoadedList) -> None:
    for ent in sdn.entities[:50]:
        assert Entity.from_dict(ent.to_dict()) == ent


def test_allow_truncated_tail_does_not_hide_corruption_mid_file(
    watchlists: Path, tmp_path: Path
) -> None:
    text = (watchlists / "bis_dpl_2022-09-07" / "dpl.txt").read_text()
    lines = text.splitlines(keepends=True)
    lines[5] = lines[5].replace('"\t"', '"x"\t"', 1)  # a stray character after a quote
    bad = tmp_path / "dpl.txt"
    bad.write_text("".join(lines).rstrip("\n"))  # and no final line end
    with pytest.raises(ListFormatError) as info:
        load_bis_dpl(bad, allow_truncated_tail=True)
    assert info.value.line == 6
