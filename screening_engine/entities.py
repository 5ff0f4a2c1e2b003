"""The data the loaders produce: list versions, listed entities, and version diffs.

Everything here is plain data (frozen dataclasses) so that it pickles cheaply to worker
processes and can be stored as JSON by the Django wrapper and rebuilt from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

ListId = Literal["ofac_sdn", "ofac_cons", "csl", "bis_dpl"]
LIST_IDS: tuple[ListId, ...] = ("ofac_sdn", "ofac_cons", "csl", "bis_dpl")

EntityType = Literal["person", "organization", "vessel", "aircraft", "unknown"]
ENTITY_TYPES: tuple[EntityType, ...] = ("person", "organization", "vessel", "aircraft", "unknown")


class ListFormatError(ValueError):
    """A list file is corrupt, truncated or not in the expected format.

    The message names the file and, when known, the line, so an operator can look at it.
    The loader never returns a partial list: the caller keeps the version it had.
    """

    def __init__(self, path: str | Path, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class Address:
    """One published address; ``country`` is an ISO 3166-1 alpha-2 code when known."""

    text: str
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier published with the entity (passport, registration number, IMO, ...)."""

    kind: str
    value: str
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """One listed party as published by one list (its native id is ``entity_id``)."""

    list_id: ListId
    entity_id: str
    type: EntityType
    name: str
    aliases: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    addresses: tuple[Address, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    remarks: str = ""
    sub_list: str = ""
    record_id: str = ""

    @property
    def uid(self) -> str:
        """Unique within one list version (the native id, unless the list repeats it).

        The trade.gov CSL repeats an ``entity_number`` when one party is on two of its
        sub-lists; those records get ``record_id`` = ``<id>@<sub-list code>``.
        """
        return self.record_id or self.entity_id

    @property
    def key(self) -> tuple[str, str]:
        return (self.list_id, self.uid)

    @property
    def names(self) -> tuple[str, ...]:
        """Primary name first, then aliases, without duplicates."""
        seen: dict[str, None] = {self.name: None}
        for alias in self.aliases:
            seen.setdefault(alias, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "list_id": self.list_id,
            "entity_id": self.entity_id,
            "type": self.type,
            "name": self.name,
            "aliases": list(self.aliases),
            "programs": list(self.programs),
            "addresses": [[a.text, a.country] for a in self.addresses],
            "countries": list(self.countries),
            "identifiers": [[i.kind, i.value, i.country] for i in self.identifiers],
            "remarks": self.remarks,
            "sub_list": self.sub_list,
            "record_id": self.record_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Entity:
        list_id = data["list_id"]
        etype = data["type"]
        if list_id not in LIST_IDS:
            raise ValueError(f"unknown list id {list_id!r}")
        if etype not in ENTITY_TYPES:
            raise ValueError(f"unknown entity type {etype!r}")
        return cls(
            list_id=list_id,
            entity_id=str(data["entity_id"]),
            type=etype,
            name=str(data["name"]),
            aliases=tuple(data.get("aliases", ())),
            programs=tuple(data.get("programs", ())),
            addresses=tuple(Address(str(t), c) for t, c in data.get("addresses", ())),
            countries=tuple(data.get("countries", ())),
            identifiers=tuple(
                Identifier(str(k), str(v), c) for k, v, c in data.get("identifiers", ())
            ),
            remarks=str(data.get("remarks", "")),
            sub_list=str(data.get("sub_list", "")),
            record_id=str(data.get("record_id", "")),
        )

    def fingerprint(self) -> str:
        """A digest of everything screening-relevant; equal digests mean 'unchanged'."""
        payload = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ListVersion:
    """One published version of one list, as loaded from its files.

    ``sha256`` is the digest of the single file, or for multi-file sets (OFAC legacy CSV)
    the digest of the sorted ``name:digest`` lines of all its files; ``file_hashes`` keeps
    each file's own digest.
    """

    source: ListId
    list_date: dt.date
    sha256: str
    counts: Mapping[str, int]
    files: tuple[str, ...]
    file_hashes: Mapping[str, str] = field(default_factory=dict)
    format: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "list_date": self.list_date.isoformat(),
            "sha256": self.sha256,
            "counts": dict(self.counts),
            "files": list(self.files),
            "file_hashes": dict(self.file_hashes),
            "format": self.format,
        }


@dataclass(frozen=True, slots=True)
class LoadedList:
    """A list version and its entities."""

    version: ListVersion
    entities: tuple[Entity, ...]


def entity_counts(entities: Sequence[Entity]) -> dict[str, int]:
    """The counts stored with a version: entities by type, aliases, addresses."""
    counts = {"entities": len(entities)}
    for etype in ENTITY_TYPES:
        counts[etype] = sum(1 for e in entities if e.type == etype)
    counts["aliases"] = sum(len(e.aliases) for e in entities)
    counts["addresses"] = sum(len(e.addresses) for e in entities)
    return counts


@dataclass(frozen=True, slots=True)
class ListDiff:
    """Entity ids added, removed and changed between two versions of the same list."""

    source: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def touched(self) -> tuple[str, ...]:
        """Ids whose screening result may differ: re-screen partners against these only."""
        return tuple(sorted(set(self.added) | set(self.changed), key=_id_sort_key))

    def summary(self) -> str:
        return (
            f"{self.source}: +{len(self.added)} added, -{len(self.removed)} removed, "
            f"~{len(self.changed)} changed"
        )


def _id_sort_key(value: str) -> tuple[int, int, str]:
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


def diff_entities(
    old: Iterable[Entity], new: Iterable[Entity], source: str | None = None
) -> ListDiff:
    """Compare two versions' entities by native id and content fingerprint."""
    old_map = {e.uid: e.fingerprint() for e in old}
    new_map = {e.uid: e.fingerprint() for e in new}
    added = sorted(new_map.keys() - old_map.keys(), key=_id_sort_key)
    removed = sorted(old_map.keys() - new_map.keys(), key=_id_sort_key)
    changed = sorted(
        (k for k in new_map.keys() & old_map.keys() if new_map[k] != old_map[k]),
        key=_id_sort_key,
    )
    return ListDiff(source or "", tuple(added), tuple(removed), tuple(changed))


def diff_versions(old: LoadedList, new: LoadedList) -> ListDiff:
    """The difference between two loaded versions of the same list."""
    if old.version.source != new.version.source:
        raise ValueError(
            f"cannot diff {old.version.source} against {new.version.source}: different lists"
        )
    return diff_entities(old.entities, new.entities, new.version.source)
