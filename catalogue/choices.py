"""Choices shared with the apps that answer the catalogue (security profiles, audits)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from companies.choices import BusinessType


class Requirement(models.TextChoices):
    """How binding a criterion is: "Must" is mandatory, "Should" a recommended practice."""

    MUST = "must", _("Must")
    SHOULD = "should", _("Should")


# Business types in the plural, lower case, for sentences such as "verified for importers;
# inferred for highway carriers". Keys are the BusinessType slugs.
BUSINESS_TYPE_PLURALS: dict[str, StrOrPromise] = {
    BusinessType.IMPORTER: _("importers"),
    BusinessType.EXPORTER: _("exporters"),
    BusinessType.FOREIGN_MANUFACTURER: _("foreign manufacturers"),
    BusinessType.HIGHWAY_CARRIER: _("highway carriers"),
    BusinessType.MEXICO_LONG_HAUL_CARRIER: _("Mexican long-haul carriers"),
    BusinessType.AIR_CARRIER: _("air carriers"),
    BusinessType.SEA_CARRIER: _("sea carriers"),
    BusinessType.RAIL_CARRIER: _("rail carriers"),
    BusinessType.CONSOLIDATOR: _("consolidators"),
    BusinessType.CUSTOMS_BROKER: _("customs brokers"),
    BusinessType.MARINE_PORT_TERMINAL: _("marine port terminal operators"),
    BusinessType.THIRD_PARTY_LOGISTICS: _("third-party logistics providers"),
}
