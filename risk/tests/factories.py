"""Test data for the risk assessment: an assessment with one mapped supply chain."""

from __future__ import annotations

import datetime
from typing import Any

from companies.models import Company
from partners.models import BusinessPartner
from risk.models import Assessment, Node, SupplyChain


def make_assessment(company: Company, year: int = 2026, **fields: Any) -> Assessment:
    return Assessment.objects.create(
        company=company, year=year, assessed_on=datetime.date(year, 3, 1), **fields
    )


def make_chain(assessment: Assessment, name: str = "Monterrey to Dallas") -> SupplyChain:
    """Two nodes: a Mexican manufacturer (a business partner) → a U.S. distribution centre."""
    chain = SupplyChain.objects.create(assessment=assessment, name=name)
    partner, _ = BusinessPartner.objects.get_or_create(
        company=assessment.company,
        name="Maquila Norte",
        country="MX",
        defaults={"role": "manufacturer"},
    )
    origin = Node.objects.create(
        chain=chain,
        order=1,
        name="Maquila Norte plant",
        kind="origin",
        partner=partner,
        country="MX",
        region="MX-NLE",
        mode="road",
        cargo_rests=True,
        rest_hours=12,
    )
    dc = Node.objects.create(
        chain=chain, order=2, name="Dallas DC", kind="destination", country="US", mode="none"
    )
    origin.next_nodes.set([dc])
    return chain
