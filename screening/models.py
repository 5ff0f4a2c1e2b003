"""Watchlist versions and their entities, stored so the screening index can be rebuilt.

The lists (OFAC SDN and consolidated, trade.gov CSL, BIS Denied Persons) are global
reference data, not tenant-owned: every signed-in user screens against the same lists.
Each load of a list file is a new `ListVersion`; at most one version per list is active.
A corrupt file never replaces the active version (the loader refuses it first).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from screening_engine import Entity, ListDiff, LoadedList, diff_entities


class ListSource(models.TextChoices):
    OFAC_SDN = "ofac_sdn", _("OFAC Specially Designated Nationals")
    OFAC_CONS = "ofac_cons", _("OFAC Consolidated (non-SDN)")
    CSL = "csl", _("trade.gov Consolidated Screening List")
    BIS_DPL = "bis_dpl", _("BIS Denied Persons List")


class ListVersionQuerySet(models.QuerySet["ListVersion"]):
    def active(self) -> ListVersionQuerySet:
        return self.filter(active=True).order_by("source")


class ListVersion(models.Model):
    """One published version of one watchlist, as loaded from its file(s)."""

    source = models.CharField(_("list"), max_length=20, choices=ListSource.choices)
    list_date = models.DateField(_("list date"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file_hashes = models.JSONField(_("file digests"), default=dict)
    files = models.JSONField(_("files"), default=list)
    file_format = models.CharField(_("format"), max_length=40)
    counts = models.JSONField(_("counts"), default=dict)
    diff = models.JSONField(
        _("changes from the previous version"), default=dict, blank=True,
        help_text=_("Entity ids added, removed and changed since the version active before."),
    )  # fmt: skip
    active = models.BooleanField(_("active"), default=False)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    objects = ListVersionQuerySet.as_manager()

    class Meta:
        ordering = ["source", "-list_date", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(active=True),
                name="one_active_version_per_list",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.list_date:%Y-%m-%d}"

    def entities(self) -> list[Entity]:
        return [
            Entity.from_dict(row) for row in self.listed_entities.values_list("data", flat=True)
        ]

    @classmethod
    @transaction.atomic
    def store(cls, loaded: LoadedList) -> tuple[ListVersion, ListDiff | None, bool]:
        """Save a loaded list as a new version; returns (version, diff, created).

        A file already loaded (same source and SHA-256) is not stored twice. The new
        version becomes active unless the active one has a later list date; the diff is
        computed against the version that was active.
        """
        v = loaded.version
        existing = cls.objects.filter(source=v.source, sha256=v.sha256).first()
        if existing is not None:
            return existing, None, False
        current = cls.objects.select_for_update().filter(source=v.source, active=True).first()
        diff = diff_entities(current.entities(), loaded.entities, v.source) if current else None
        version = cls.objects.create(
            source=v.source,
            list_date=v.list_date,
            sha256=v.sha256,
            file_hashes=dict(v.file_hashes),
            files=list(v.files),
            file_format=v.format,
            counts=dict(v.counts),
            diff=_diff_json(diff) if diff else {},
        )
        ListedEntity.objects.bulk_create(
            ListedEntity.build(version, loaded.entities), batch_size=2000
        )
        if current is None or current.list_date <= v.list_date:
            cls.objects.filter(source=v.source, active=True).update(active=False)
            version.active = True
            version.save(update_fields=["active"])
            if current is not None:
                from screening.signals import list_version_activated

                list_version_activated.send(sender=cls, version=version, previous=current)
        return version, diff, True


def _diff_json(diff: ListDiff) -> dict[str, Any]:
    return {"added": list(diff.added), "removed": list(diff.removed), "changed": list(diff.changed)}


class ListedEntity(models.Model):
    """One listed party of one list version (the engine's `Entity`, kept as JSON)."""

    version = models.ForeignKey(
        ListVersion, on_delete=models.CASCADE, related_name="listed_entities"
    )
    uid = models.CharField(_("record id"), max_length=80)
    entity_id = models.CharField(_("list id"), max_length=80, db_index=True)
    entity_type = models.CharField(_("type"), max_length=20)
    name = models.CharField(_("name"), max_length=500)
    fingerprint = models.CharField(max_length=64)
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "uid"], name="unique_entity_per_version"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def build(cls, version: ListVersion, entities: Iterable[Entity]) -> list[ListedEntity]:
        return [
            cls(
                version=version,
                uid=e.uid,
                entity_id=e.entity_id,
                entity_type=e.type,
                name=e.name[:500],
                fingerprint=e.fingerprint(),
                data=e.to_dict(),
            )
            for e in entities
        ]
