"""Loaders for the published watchlist formats.

Formats (see ``shared/data/watchlists/README.md`` for the files this is tested on):

* OFAC legacy CSV: ``sdn.csv``/``alt.csv``/``add.csv``/``sdn_comments.csv`` and the
  consolidated non-SDN set ``cons_prim.csv``/``cons_alt.csv``/``cons_add.csv``/
  ``cons_comments.csv``. No header, ``-0-`` for empty, optional trailing 0x1A byte.
* OFAC enhanced XML (``SDN_ENHANCED``/``CONS_ENHANCED``), as ``.XML`` or inside a ``.ZIP``.
* trade.gov Consolidated Screening List CSV export (``csl.csv``).
* BIS Denied Persons List, tab-separated text with header (``dpl.txt``).

Every loader either returns a complete :class:`LoadedList` or raises
:class:`ListFormatError` naming the file, the line when known, and the reason. A file that
ends inside a row is truncated and refused, unless the caller explicitly accepts dropping
an incomplete last row (``allow_truncated_tail=True``; the dropped row is counted in the
version's ``counts["truncated_rows_dropped"]``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .countries import to_iso2
from .entities import (
    Address,
    Entity,
    EntityType,
    Identifier,
    ListFormatError,
    ListId,
    ListVersion,
    LoadedList,
    entity_counts,
)

csv.field_size_limit(16 * 1024 * 1024)

_DATE_IN_PATH = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_EMPTY = "-0-"


# --------------------------------------------------------------------------- helpers


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _combined_digest(file_hashes: dict[str, str]) -> str:
    lines = "".join(f"{name}:{digest}\n" for name, digest in sorted(file_hashes.items()))
    return sha256_bytes(lines.encode("ascii"))


def _decode(path: Path, data: bytes) -> str:
    if not data.strip(b"\x1a \r\n\t"):
        raise ListFormatError(path, "file is empty")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ListFormatError(path, "NUL byte in a text file: corrupt or not a list file", line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # OFAC has published Windows-1252 files; a byte sequence that is neither is corrupt.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ListFormatError(path, f"undecodable byte at offset {exc.start}", line) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.rstrip("\x1a")


def _clean(value: str) -> str:
    value = value.strip()
    return "" if value == _EMPTY else value


def _date_from_path(path: Path) -> dt.date | None:
    for part in reversed(path.parts):
        match = _DATE_IN_PATH.search(part)
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
    return None


def _mtime_date(path: Path) -> dt.date:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).date()


@dataclass
class _Rows:
    """Parsed CSV rows with their (last physical) line numbers."""

    rows: list[tuple[int, list[str]]]
    truncated_dropped: int = 0


def _read_rows(
    path: Path,
    text: str,
    ncols: int | None,
    *,
    delimiter: str = ",",
    header: Sequence[str] | None = None,
    allow_truncated_tail: bool = False,
) -> _Rows:
    """Strictly parse CSV text; every row must have ``ncols`` (or ``len(header)``) fields.

    A last row that is cut short (wrong field count or open quote, and no final line end)
    means the file was truncated.
    """
    ends_cleanly = text.endswith(("\n", "\r"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out: list[tuple[int, list[str]]] = []
    expected = ncols
    try:
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if header is not None and expected is None:
                names = [c.strip().strip('"') for c in row]
                missing = [h for h in header if h not in names]
                if missing:
                    raise ListFormatError(
                        path, f"header lacks column(s) {', '.join(missing)}", line
                    )
                expected = len(row)
                out.append((line, names))
                continue
            if expected is not None and len(row) != expected:
                out.append((line, row))
                break
            out.append((line, row))
        else:
            return _Rows(out)
    except csv.Error as exc:
        # Only an error on the last physical line of a file without a final line end is a
        # cut-off tail; anything earlier is corruption.
        at_tail = not ends_cleanly and reader.line_num >= text.count("\n") + 1
        if at_tail and allow_truncated_tail:
            return _Rows(out, truncated_dropped=1)
        reason = "truncated: the file ends inside a quoted field" if at_tail else str(exc)
        raise ListFormatError(path, reason, reader.line_num) from exc
    # A row with the wrong number of fields stopped the loop.
    line, row = out.pop()
    try:
        is_last = next(reader, None) is None
    except csv.Error:
        is_last = False
    if is_last and not ends_cleanly:
        if allow_truncated_tail:
            return _Rows(out, truncated_dropped=1)
        raise ListFormatError(
            path, f"truncated: last row has {len(row)} of {expected} fields and no line end", line
        )
    raise ListFormatError(path, f"row has {len(row)} fields, expected {expected}", line)


def _find(folder: Path, name: str) -> Path | None:
    """Case-insensitive lookup of a file in one folder."""
    wanted = name.lower()
    for entry in folder.iterdir():
        if entry.is_file() and entry.name.lower() == wanted:
            return entry
    return None


# ------------------------------------------------------------------ OFAC legacy CSV

_OFAC_TYPES: dict[str, EntityType] = {
    "individual": "person",
    "vessel": "vessel",
    "aircraft": "aircraft",
    "": "organization",
    "entity": "organization",
}

_REMARK_ID = re.compile(
    r"^(?:alt\.\s+)?(?P<kind>(?:[A-Z][A-Za-z0-9 .'()/&-]{0,60}?)?"
    r"(?:No\.|Number|ID|#|IMO|MMSI|SWIFT/BIC|Passport|RFC|CURP|NIT|C\.U\.I\.T\.|Cedula|License))"
    r"\s+(?P<value>[A-Za-z0-9][A-Za-z0-9./-]*)(?:\s+\((?P<country>[^)]*)\))?"
)
_REMARK_COUNTRY = re.compile(
    r"^(?:alt\.\s+)?(?:nationality|citizen|Nationality of Registration)\s+(?P<country>[^;.(]+)",
    re.IGNORECASE,
)


def _parse_ofac_remarks(remarks: str) -> tuple[list[str], list[Identifier]]:
    """Countries (nationality/citizenship) and identifiers written in OFAC remarks."""
    countries: list[str] = []
    ids: list[Identifier] = []
    for item in remarks.split(";"):
        item = item.strip().rstrip(".")
        if not item:
            continue
        cmatch = _REMARK_COUNTRY.match(item)
        if cmatch:
            code = to_iso2(cmatch["country"].strip())
            if code:
                countries.append(code)
            continue
        imatch = _REMARK_ID.match(item)
        if imatch and not item.lower().startswith(("dob", "pob", "a.k.a", "f.k.a", "n.k.a")):
            ids.append(
                Identifier(
                    imatch["kind"].strip(),
                    imatch["value"].strip(),
                    to_iso2(imatch["country"]) if imatch["country"] else None,
                )
            )
    return countries, ids


def _ofac_programs(value: str) -> tuple[str, ...]:
    value = _clean(value)
    if not value:
        return ()
    return tuple(p.strip(" []") for p in value.split("] [") if p.strip(" []"))


def _ent_num(path: Path, line: int, value: str) -> str:
    value = value.strip()
    if not value.isdigit():
        raise ListFormatError(path, f"ent_num {value!r} is not a number", line)
    return value


@dataclass
class _Draft:
    """An OFAC entry while its alias/address/comment rows are being attached."""

    type: EntityType
    name: str
    programs: tuple[str, ...]
    remarks: str
    countries: list[str]
    ids: list[Identifier]
    aliases: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)


def load_ofac_legacy(
    folder: str | Path, *, consolidated: bool | None = None, allow_truncated_tail: bool = False
) -> LoadedList:
    """Load an OFAC legacy CSV set (SDN or consolidated) from the folder holding it."""
    folder = Path(folder)
    if consolidated is None:
        consolidated = _find(folder, "cons_prim.csv") is not None
    names = (
        ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv")
        if consolidated
        else ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
    )
    list_id: ListId = "ofac_cons" if consolidated else "ofac_sdn"
    prim_path = _find(folder, names[0])
    if prim_path is None:
        raise ListFormatError(folder / names[0], "primary-name file is missing")
    file_hashes: dict[str, str] = {}
    texts: dict[str, tuple[Path, str]] = {}
    for name in names:
        found = _find(folder, name)
        if found is None:
            continue
        data = found.read_bytes()
        file_hashes[found.name] = sha256_bytes(data)
        texts[name] = (found, _decode(found, data))

    dropped = 0

    def rows(name: str, ncols: int) -> list[tuple[int, list[str]]]:
        nonlocal dropped
        if name not in texts:
            return []
        path, text = texts[name]
        parsed = _read_rows(path, text, ncols, allow_truncated_tail=allow_truncated_tail)
        dropped += parsed.truncated_dropped
        return parsed.rows

    primaries: dict[str, _Draft] = {}
    for line, row in rows(names[0], 12):
        ent = _ent_num(prim_path, line, row[0])
        name = _clean(row[1])
        if not name:
            raise ListFormatError(prim_path, f"entry {ent} has no name", line)
        raw_type = _clean(row[2]).lower()
        if raw_type not in _OFAC_TYPES:
            raise ListFormatError(prim_path, f"unknown SDN_Type {row[2].strip()!r}", line)
        if ent in primaries:
            raise ListFormatError(prim_path, f"ent_num {ent} appears twice", line)
        remarks = _clean(row[11])
        countries, ids = _parse_ofac_remarks(remarks)
        call_sign, flag = _clean(row[5]), _clean(row[9])
        if call_sign:
            ids.append(Identifier("Call Sign", call_sign))
        if flag and (code := to_iso2(flag)):
            countries.append(code)
        extra = [
            f"{label}: {v}"
            for label, v in (
                ("Title", _clean(row[4])),
                ("Vessel type", _clean(row[6])),
                ("Vessel owner", _clean(row[10])),
            )
            if v
        ]
        primaries[ent] = _Draft(
            type=_OFAC_TYPES[raw_type],
            name=name,
            programs=_ofac_programs(row[3]),
            remarks="; ".join([*extra, remarks] if remarks else extra),
            countries=countries,
            ids=ids,
        )
    if not primaries:
        raise ListFormatError(prim_path, "no entries")

    orphans = 0
    alias_rows = rows(names[1], 5)
    address_rows = rows(names[2], 6)
    for line, row in alias_rows:
        ent = _ent_num(texts[names[1]][0], line, row[0])
        alias = _clean(row[3])
        if ent not in primaries:
            orphans += 1
            continue
        if alias:
            primaries[ent].aliases.append(alias)
    for line, row in address_rows:
        ent = _ent_num(texts[names[2]][0], line, row[0])
        if ent not in primaries:
            orphans += 1
            continue
        street, city, country = _clean(row[2]), _clean(row[3]), _clean(row[4])
        text = ", ".join(p for p in (street, city, country) if p)
        code = to_iso2(country) if country else None
        if text:
            primaries[ent].addresses.append(Address(text, code))
        if code:
            primaries[ent].countries.append(code)
    for line, row in rows(names[3], 2):
        ent = _ent_num(texts[names[3]][0], line, row[0])
        more = _clean(row[1])
        if ent in primaries and more:
            draft = primaries[ent]
            draft.remarks = draft.remarks + more if draft.remarks else more
            countries, ids = _parse_ofac_remarks(more)
            draft.countries.extend(countries)
            draft.ids.extend(ids)

    entities = tuple(
        Entity(
            list_id=list_id,
            entity_id=ent,
            type=d.type,
            name=d.name,
            aliases=tuple(dict.fromkeys(d.aliases)),
            programs=d.programs,
            addresses=tuple(d.addresses),
            countries=tuple(dict.fromkeys(d.countries)),
            identifiers=tuple(dict.fromkeys(d.ids)),
            remarks=d.remarks,
            sub_list="Consolidated (non-SDN)" if consolidated else "SDN",
        )
        for ent, d in primaries.items()
    )
    counts = entity_counts(entities)
    counts["alias_rows"] = len(alias_rows)
    counts["address_rows"] = len(address_rows)
    counts["orphan_rows"] = orphans
    if dropped:
        counts["truncated_rows_dropped"] = dropped
    version = ListVersion(
        source=list_id,
        list_date=_date_from_path(prim_path) or _mtime_date(prim_path),
        sha256=_combined_digest(file_hashes),
        counts=counts,
        files=tuple(str(texts[n][0]) for n in names if n in texts),
        file_hashes=file_hashes,
        format="ofac_legacy_csv",
    )
    return LoadedList(version, entities)


# --------------------------------------------------------------- OFAC enhanced XML

_XML_TYPES: dict[str, EntityType] = {
    "individual": "person",
    "entity": "organization",
    "vessel": "vessel",
    "aircraft": "aircraft",
}
_XML_COUNTRY_FEATURES = (
    "nationality country",
    "citizenship country",
    "nationality of registration",
)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(elem: ET.Element, name: str) -> Iterator[ET.Element]:
    for child in elem:
        if _local(child.tag) == name:
            yield child


def _child(elem: ET.Element, name: str) -> ET.Element | None:
    return next(_children(elem, name), None)


def _text(elem: ET.Element | None) -> str:
    return (elem.text or "").strip() if elem is not None else ""


def load_ofac_enhanced_xml(path: str | Path) -> LoadedList:
    """Load an OFAC enhanced XML file (plain or as the single XML inside a ZIP)."""
    path = Path(path)
    raw = path.read_bytes()
    if not raw:
        raise ListFormatError(path, "file is empty")
    xml_bytes = raw
    if raw[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                members = [n for n in archive.namelist() if n.lower().endswith(".xml")]
                if len(members) != 1:
                    raise ListFormatError(
                        path, f"expected one XML file in the ZIP, found {members}"
                    )
                xml_bytes = archive.read(members[0])
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ListFormatError(path, f"corrupt or truncated ZIP: {exc}") from exc
    try:
        root = ET.fromstring(xml_bytes)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ListFormatError(path, f"XML is not well-formed ({exc})", line) from exc
    if _local(root.tag) != "sanctionsData":
        raise ListFormatError(path, f"root element is {_local(root.tag)!r}, not sanctionsData")

    pub = _child(root, "publicationInfo")
    as_of = _text(_child(pub, "dataAsOf")) if pub is not None else ""
    try:
        list_date = dt.date.fromisoformat(as_of[:10])
    except ValueError as exc:
        raise ListFormatError(path, f"publicationInfo/dataAsOf {as_of!r} is not a date") from exc
    list_names = " ".join(_text(e) for e in root.iter() if _local(e.tag) == "sanctionsList")
    list_id: ListId = (
        "ofac_sdn" if "SDN List" in list_names.split("Consolidated")[0] else "ofac_cons"
    )
    if pub is not None:
        filters = " ".join(_text(e) for e in pub.iter() if _local(e.tag) == "sanctionsList")
        list_id = "ofac_sdn" if "SDN" in filters and "Consolidated" not in filters else "ofac_cons"

    entities_elem = _child(root, "entities")
    if entities_elem is None:
        raise ListFormatError(path, "no <entities> element")
    entities: list[Entity] = []
    for elem in _children(entities_elem, "entity"):
        ent_id = elem.get("id", "").strip()
        if not ent_id:
            raise ListFormatError(path, "entity without id")
        info = _child(elem, "generalInfo")
        raw_type = _text(_child(info, "entityType")).lower() if info is not None else ""
        if raw_type not in _XML_TYPES:
            raise ListFormatError(path, f"entity {ent_id}: unknown entityType {raw_type!r}")
        primary = ""
        aliases: list[str] = []
        names_elem = _child(elem, "names")
        for name_elem in _children(names_elem, "name") if names_elem is not None else ():
            is_primary = _text(_child(name_elem, "isPrimary")) == "true"
            trans_elem = _child(name_elem, "translations")
            for trans in _children(trans_elem, "translation") if trans_elem is not None else ():
                full = _text(_child(trans, "formattedFullName"))
                if not full:
                    continue
                trans_primary = _text(_child(trans, "isPrimary")) == "true"
                if is_primary and trans_primary and not primary:
                    primary = full
                else:
                    aliases.append(full)
        if not primary:
            if not aliases:
                raise ListFormatError(path, f"entity {ent_id} has no name")
            primary = aliases.pop(0)
        programs = tuple(
            _text(p) for p in elem.iter() if _local(p.tag) == "sanctionsProgram" and _text(p)
        )
        sub_lists = [_text(s) for s in elem.iter() if _local(s.tag) == "sanctionsList"]
        countries: list[str] = []
        addresses: list[Address] = []
        addrs_elem = _child(elem, "addresses")
        for addr in _children(addrs_elem, "address") if addrs_elem is not None else ():
            country_name = _text(_child(addr, "country"))
            code = to_iso2(country_name) if country_name else None
            parts = [
                _text(_child(part, "value"))
                for part in addr.iter()
                if _local(part.tag) == "addressPart"
            ]
            text = ", ".join(p for p in [*parts, country_name] if p)
            if text:
                addresses.append(Address(text, code))
            if code:
                countries.append(code)
        feats_elem = _child(elem, "features")
        for feat in _children(feats_elem, "feature") if feats_elem is not None else ():
            kind = _text(_child(feat, "type")).lower()
            if kind in _XML_COUNTRY_FEATURES and (code := to_iso2(_text(_child(feat, "value")))):
                countries.append(code)
        identifiers: list[Identifier] = []
        docs_elem = _child(elem, "identityDocuments")
        for doc in _children(docs_elem, "identityDocument") if docs_elem is not None else ():
            number = _text(_child(doc, "documentNumber"))
            if number:
                identifiers.append(
                    Identifier(
                        _text(_child(doc, "type")),
                        number,
                        to_iso2(_text(_child(doc, "issuingCountry"))),
                    )
                )
        remarks = _text(_child(info, "remarks")) if info is not None else ""
        entities.append(
            Entity(
                list_id=list_id,
                entity_id=ent_id,
                type=_XML_TYPES[raw_type],
                name=primary,
                aliases=tuple(a for a in dict.fromkeys(aliases) if a != primary),
                programs=tuple(dict.fromkeys(programs)),
                addresses=tuple(addresses),
                countries=tuple(dict.fromkeys(countries)),
                identifiers=tuple(dict.fromkeys(identifiers)),
                remarks=remarks,
                sub_list="; ".join(dict.fromkeys(sub_lists)),
            )
        )
    if not entities:
        raise ListFormatError(path, "no entities")
    version = ListVersion(
        source=list_id,
        list_date=list_date,
        sha256=sha256_bytes(raw),
        counts=entity_counts(entities),
        files=(str(path),),
        file_hashes={path.name: sha256_bytes(raw)},
        format="ofac_enhanced_xml",
    )
    return LoadedList(version, tuple(entities))


# ------------------------------------------------------------------ trade.gov CSL

_CSL_REQUIRED = (
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "addresses",
    "alt_names",
)
_CSL_TYPES: dict[str, EntityType] = {
    "individual": "person",
    "entity": "organization",
    "vessel": "vessel",
    "aircraft": "aircraft",
    "": "unknown",
}
_SOURCE_CODE = re.compile(r"\(([A-Za-z-]+)(?: List)?\)")


def _split(value: str, sep: str = ";") -> list[str]:
    return [p.strip() for p in value.split(sep) if p.strip()]


def load_csl(path: str | Path, *, allow_truncated_tail: bool = False) -> LoadedList:
    """Load a trade.gov Consolidated Screening List CSV export."""
    path = Path(path)
    raw = path.read_bytes()
    text = _decode(path, raw)
    parsed = _read_rows(
        path, text, None, header=_CSL_REQUIRED, allow_truncated_tail=allow_truncated_tail
    )
    if not parsed.rows:
        raise ListFormatError(path, "no header")
    header = parsed.rows[0][1]
    col = {name: i for i, name in enumerate(header)}

    def get(row: list[str], name: str) -> str:
        i = col.get(name)
        return row[i].strip() if i is not None else ""

    entities: list[Entity] = []
    seen: dict[str, int] = {}
    for line, row in parsed.rows[1:]:
        if [c.strip() for c in row] == header:
            continue  # the export repeats its header line
        native = get(row, "entity_number") or get(row, "_id")
        name = get(row, "name")
        if not native:
            raise ListFormatError(path, "row has neither entity_number nor _id", line)
        if not name:
            raise ListFormatError(path, f"row {native} has no name", line)
        raw_type = get(row, "type").lower()
        if raw_type not in _CSL_TYPES:
            raise ListFormatError(path, f"unknown type {get(row, 'type')!r}", line)
        addresses: list[Address] = []
        countries: list[str] = []
        for addr in _split(get(row, "addresses")):
            last = addr.rsplit(",", 1)[-1].strip()
            code = to_iso2(last) if len(last) == 2 else None
            addresses.append(Address(addr, code))
            if code:
                countries.append(code)
        for field_name in ("citizenships", "nationalities"):
            for value in _split(get(row, field_name), ","):
                for part in _split(value):
                    if code := to_iso2(part):
                        countries.append(code)
        identifiers: list[Identifier] = []
        for item in _split(get(row, "ids")):
            parts = [p.strip() for p in item.split(",")]
            if len(parts) >= 2 and parts[1]:
                country = to_iso2(parts[2]) if len(parts) >= 3 and len(parts[2]) == 2 else None
                identifiers.append(Identifier(parts[0], parts[1], country))
        source = get(row, "source")
        remarks = "; ".join(
            f"{label}: {v}" if label else v
            for label, v in (
                ("", get(row, "remarks")),
                ("Title", get(row, "title")),
                ("Federal Register", get(row, "federal_register_notice")),
                ("License requirement", get(row, "license_requirement")),
            )
            if v
        )
        record_id = ""
        seen[native] = seen.get(native, 0) + 1
        if seen[native] > 1:
            code_match = _SOURCE_CODE.search(source)
            record_id = f"{native}@{code_match[1] if code_match else seen[native]}"
        entities.append(
            Entity(
                list_id="csl",
                entity_id=native,
                type=_CSL_TYPES[raw_type],
                name=name,
                aliases=tuple(a for a in dict.fromkeys(_split(get(row, "alt_names"))) if a != name),
                programs=tuple(_split(get(row, "programs"))),
                addresses=tuple(addresses),
                countries=tuple(dict.fromkeys(countries)),
                identifiers=tuple(dict.fromkeys(identifiers)),
                remarks=remarks,
                sub_list=source,
                record_id=record_id,
            )
        )
    if not entities:
        raise ListFormatError(path, "no entries")
    counts = entity_counts(entities)
    if parsed.truncated_dropped:
        counts["truncated_rows_dropped"] = parsed.truncated_dropped
    starts = [
        get(r, "start_date")[:10] for _, r in parsed.rows[1:] if get(r, "start_date")[:4].isdigit()
    ]
    list_date = _date_from_path(path)
    if list_date is None and starts:
        list_date = dt.date.fromisoformat(max(starts))
    version = ListVersion(
        source="csl",
        list_date=list_date or _mtime_date(path),
        sha256=sha256_bytes(raw),
        counts=counts,
        files=(str(path),),
        file_hashes={path.name: sha256_bytes(raw)},
        format="trade_gov_csl_csv",
    )
    return LoadedList(version, tuple(entities))


# ----------------------------------------------------------------- BIS Denied Persons

_DPL_HEADER = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)


def load_bis_dpl(path: str | Path, *, allow_truncated_tail: bool = False) -> LoadedList:
    """Load the BIS Denied Persons List (tab-separated, header row).

    The list has no ids; ``entity_id`` is the 1-based data row number. It gives no type
    either, so entities are ``unknown`` (persons and companies are mixed).
    """
    path = Path(path)
    raw = path.read_bytes()
    text = _decode(path, raw)
    parsed = _read_rows(
        path,
        text,
        None,
        delimiter="\t",
        header=_DPL_HEADER,
        allow_truncated_tail=allow_truncated_tail,
    )
    header = parsed.rows[0][1]
    col = {name: i for i, name in enumerate(header)}
    entities: list[Entity] = []
    updates: list[str] = []
    for number, (line, row) in enumerate(parsed.rows[1:], start=1):

        def get(name: str, row: list[str] = row) -> str:
            return row[col[name]].strip()

        name = get("Name")
        if not name:
            raise ListFormatError(path, f"data row {number} has no name", line)
        country = get("Country")
        code = to_iso2(country) if country else None
        addr = ", ".join(
            p
            for p in (get("Street_Address"), get("City"), get("State"), get("Postal_Code"), country)
            if p
        )
        if get("Last_Update")[:4].isdigit():
            updates.append(get("Last_Update")[:10])
        remarks = "; ".join(
            f"{label} {v}"
            for label, v in (
                ("Effective", get("Effective_Date")),
                ("Expires", get("Expiration_Date")),
                ("Action:", get("Action")),
                ("Federal Register:", get("FR_Citation")),
            )
            if v
        )
        entities.append(
            Entity(
                list_id="bis_dpl",
                entity_id=str(number),
                type="unknown",
                name=name,
                programs=("Denied Persons List",),
                addresses=(Address(addr, code),) if addr else (),
                countries=(code,) if code else (),
                remarks=remarks,
                sub_list="Denied Persons List (DPL) - BIS",
            )
        )
    if not entities:
        raise ListFormatError(path, "no entries")
    counts = entity_counts(entities)
    if parsed.truncated_dropped:
        counts["truncated_rows_dropped"] = parsed.truncated_dropped
    list_date = _date_from_path(path)
    if list_date is None and updates:
        list_date = dt.date.fromisoformat(max(updates))
    version = ListVersion(
        source="bis_dpl",
        list_date=list_date or _mtime_date(path),
        sha256=sha256_bytes(raw),
        counts=counts,
        files=(str(path),),
        file_hashes={path.name: sha256_bytes(raw)},
        format="bis_dpl_txt",
    )
    return LoadedList(version, tuple(entities))


# ------------------------------------------------------------------ directory scan


@dataclass
class DirectoryLoad:
    """What :func:`load_directory` found: loaded versions, refused files, skipped folders."""

    loaded: list[LoadedList] = field(default_factory=list)
    errors: list[ListFormatError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def newest_per_source(self) -> list[LoadedList]:
        """One version per list: the newest list date (later file path breaks ties)."""
        best: dict[str, LoadedList] = {}
        for item in self.loaded:
            cur = best.get(item.version.source)
            if cur is None or (item.version.list_date, item.version.files) > (
                cur.version.list_date,
                cur.version.files,
            ):
                best[item.version.source] = item
        return [best[k] for k in sorted(best)]


_OFAC_LEGACY_FILES = frozenset(
    {
        "sdn.csv",
        "alt.csv",
        "add.csv",
        "sdn_comments.csv",
        "cons_prim.csv",
        "cons_alt.csv",
        "cons_add.csv",
        "cons_comments.csv",
    }
)


def _is_csl_file(path: Path) -> bool:
    if not path.name.lower().endswith(".csv"):
        return False
    with path.open("rb") as fh:
        head = fh.read(200)
    return head.lstrip(b"\xef\xbb\xbf").startswith(b"_id,source,entity_number")


def _is_dpl_file(path: Path) -> bool:
    if not path.name.lower().endswith(".txt"):
        return False
    with path.open("rb") as fh:
        head = fh.read(200)
    return head.lstrip(b"\xef\xbb\xbf").replace(b'"', b"").startswith(b"Name\tStreet_Address")


def _is_enhanced_xml(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith(".zip"):
        return "enhanced" in name
    if name.endswith(".xml"):
        with path.open("rb") as fh:
            return b"sanctionsData" in fh.read(2000)
    return False


def load_path(path: str | Path, *, allow_truncated_tail: bool = False) -> LoadedList:
    """Load one list file (or an OFAC legacy folder), choosing the loader by name/content."""
    path = Path(path)
    if path.is_dir():
        return load_ofac_legacy(path, allow_truncated_tail=allow_truncated_tail)
    lower = path.name.lower()
    if lower in {"sdn.csv", "cons_prim.csv"}:
        return load_ofac_legacy(path.parent, allow_truncated_tail=allow_truncated_tail)
    if _is_enhanced_xml(path):
        return load_ofac_enhanced_xml(path)
    if _is_csl_file(path):
        return load_csl(path, allow_truncated_tail=allow_truncated_tail)
    if _is_dpl_file(path):
        return load_bis_dpl(path, allow_truncated_tail=allow_truncated_tail)
    raise ListFormatError(path, "not a recognised watchlist file")


def load_directory(directory: str | Path, *, allow_truncated_tail: bool = False) -> DirectoryLoad:
    """Load every list file found under ``directory`` (recursively).

    A refused file is reported in ``errors`` and does not stop the others; a folder with
    OFAC alias/address files but no primary-name file cannot form entities and is
    reported in ``skipped``.
    """
    directory = Path(directory)
    result = DirectoryLoad()
    if not directory.is_dir():
        result.errors.append(ListFormatError(directory, "not a directory"))
        return result
    seen: set[str] = set()
    # Deployments often link list folders in from where they are downloaded: follow
    # symlinked folders, but visit each real folder once (a link loop ends there).
    for folder, dirnames, filenames in os.walk(directory, followlinks=True):
        dirnames.sort()
        real = os.path.realpath(folder)
        if real in seen:
            dirnames.clear()
            continue
        seen.add(real)
        here = Path(folder)
        lower = {f.lower(): f for f in filenames}
        targets: list[tuple[str, Path]] = []
        for kind, prim, companion in (
            ("ofac_sdn", "sdn.csv", "alt.csv"),
            ("ofac_cons", "cons_prim.csv", "cons_alt.csv"),
        ):
            if prim in lower:
                targets.append((kind, here))
            elif companion in lower:
                result.skipped.append(
                    f"{here}: {lower[companion]} without {prim} (no primary names), not loaded"
                )
        for fname in sorted(filenames):
            path = here / fname
            if fname.lower() in _OFAC_LEGACY_FILES:
                continue
            try:
                if _is_enhanced_xml(path) or _is_csl_file(path) or _is_dpl_file(path):
                    targets.append(("file", path))
            except OSError as exc:
                result.errors.append(ListFormatError(path, f"cannot read: {exc}"))
        for kind, target in targets:
            try:
                if kind == "file":
                    loaded = load_path(target, allow_truncated_tail=allow_truncated_tail)
                else:
                    loaded = load_ofac_legacy(
                        target,
                        consolidated=kind == "ofac_cons",
                        allow_truncated_tail=allow_truncated_tail,
                    )
                result.loaded.append(loaded)
            except ListFormatError as exc:
                result.errors.append(exc)
            except OSError as exc:
                result.errors.append(ListFormatError(target, f"cannot read: {exc}"))
    return result
