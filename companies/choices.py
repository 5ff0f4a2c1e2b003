"""Choices shared across apps: the CTPAT business entity types and their sub-types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessType(models.TextChoices):
    """The twelve CTPAT enrolment sectors (domain.md §1). The slugs match the
    `entity_types` column of the MSC catalogue."""

    IMPORTER = "importer", _("U.S. importer")
    EXPORTER = "exporter", _("U.S. exporter")
    FOREIGN_MANUFACTURER = "foreign_manufacturer", _("Foreign manufacturer")
    HIGHWAY_CARRIER = "highway_carrier", _("Highway carrier")
    MEXICO_LONG_HAUL_CARRIER = "mexico_long_haul_carrier", _("Mexican long-haul highway carrier")
    AIR_CARRIER = "air_carrier", _("Air carrier")
    SEA_CARRIER = "sea_carrier", _("Sea carrier")
    RAIL_CARRIER = "rail_carrier", _("Rail carrier")
    CONSOLIDATOR = "consolidator", _("Consolidator (air freight consolidator, OTI, NVOCC)")
    CUSTOMS_BROKER = "customs_broker", _("Licensed U.S. customs broker")
    MARINE_PORT_TERMINAL = "marine_port_terminal", _("Marine port authority / terminal operator")
    THIRD_PARTY_LOGISTICS = "third_party_logistics", _("Third-party logistics provider (3PL)")


class BusinessSubtype(models.TextChoices):
    NONE = "", _("None")
    HIGHWAY_US_CANADA = "us_canada", _("U.S./Canada border")
    HIGHWAY_US_MEXICO = "us_mexico", _("U.S./Mexico border")
    AIR_FREIGHT_CONSOLIDATOR = "air_freight_consolidator", _("Air freight consolidator")
    OTI = "oti", _("Ocean transportation intermediary")
    NVOCC = "nvocc", _("NVOCC")
    MPTO_US = "mpto_us", _("U.S.-based")
    MPTO_FOREIGN = "mpto_foreign", _("Foreign-based")


# Which sub-types belong to which business type; a type absent here has none.
SUBTYPES: dict[str, tuple[str, ...]] = {
    BusinessType.HIGHWAY_CARRIER: (
        BusinessSubtype.HIGHWAY_US_CANADA,
        BusinessSubtype.HIGHWAY_US_MEXICO,
    ),
    BusinessType.CONSOLIDATOR: (
        BusinessSubtype.AIR_FREIGHT_CONSOLIDATOR,
        BusinessSubtype.OTI,
        BusinessSubtype.NVOCC,
    ),
    BusinessType.MARINE_PORT_TERMINAL: (BusinessSubtype.MPTO_US, BusinessSubtype.MPTO_FOREIGN),
}


class Role(models.TextChoices):
    """A person's role in one company. What each role may do is in core.tenancy.ROLE_ACTIONS."""

    OFFICER = "officer", _("Company officer")
    ADMIN = "admin", _("Administrator")
    USER = "user", _("User")
    VIEWER = "viewer", _("Viewer")
    CONSULTANT = "consultant", _("Consultant")


class TransportMode(models.TextChoices):
    OCEAN = "ocean", _("Ocean")
    AIR = "air", _("Air")
    TRUCK = "truck", _("Truck")
    RAIL = "rail", _("Rail")
    COURIER = "courier", _("Courier / express")
    PIPELINE = "pipeline", _("Pipeline")
