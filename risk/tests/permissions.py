"""Permission cases for the risk assessment pages and API (walked by core's matrix)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from portal.testing import ANY_USER, EDITORS, MANAGERS, VIEWERS, PermissionCase
from risk.models import VulnerabilityRating
from risk.tests.factories import make_assessment, make_chain

C = PermissionCase


def _url(name: str, *args: Any) -> Any:
    return lambda t: reverse(name, args=[a(t) if callable(a) else a for a in args])


def company(t: Any) -> int:
    return int(t.company.pk)


def assessment(t: Any) -> int:
    return int(t.assessment.pk)


def chain(t: Any) -> int:
    return int(t.chain.pk)


def node(t: Any) -> int:
    return int(t.node.pk)


def _make(t: Any) -> None:
    t.assessment = make_assessment(t.company, 2025)
    t.chain = make_chain(t.assessment)
    t.node = t.chain.nodes.get(order=2)
    t.rating = VulnerabilityRating.objects.create(
        chain=t.chain, category=3, suggested_level="M", level="M"
    )


def _node_data(t: Any) -> dict[str, Any]:
    return {
        "name": "Laredo crossing",
        "kind": "border",
        "country": "US",
        "mode": "road",
        "order": 3,
    }


CASES = [
    C("risk:assessment-list", _url("risk:assessment-list", company), VIEWERS),
    C("risk:assessment-start", _url("risk:assessment-start", company), EDITORS, method="post"),
    C("risk:settings-edit", _url("risk:settings-edit", company), MANAGERS),
    C(
        "risk:settings-edit",
        _url("risk:settings-edit", company),
        MANAGERS,
        method="post",
        data=lambda t: {
            "high_value": 5,
            "medium_value": 3,
            "low_value": 1,
            "high_threshold": 15,
            "medium_threshold": 5,
        },
    ),
    C(
        "risk:assessment-detail",
        _url("risk:assessment-detail", company, assessment),
        VIEWERS,
        setup=_make,
    ),
    C(
        "risk:assessment-edit",
        _url("risk:assessment-edit", company, assessment),
        EDITORS,
        setup=_make,
    ),
    C(
        "risk:assessment-edit",
        _url("risk:assessment-edit", company, assessment),
        EDITORS,
        method="post",
        setup=_make,
        data=lambda t: {"assessed_on": "2025-03-02", "method": "Our method."},
    ),
    C(
        "risk:assessment-complete",
        _url("risk:assessment-complete", company, assessment),
        MANAGERS,
        method="post",
        setup=_make,
    ),
    C(
        "risk:assessment-compare",
        _url("risk:assessment-compare", company, assessment),
        VIEWERS,
        setup=_make,
    ),
    C(
        "risk:assessment-pdf",
        _url("risk:assessment-pdf", company, assessment),
        VIEWERS,
        setup=_make,
    ),
    C("risk:chain-create", _url("risk:chain-create", company, assessment), EDITORS, setup=_make),
    C(
        "risk:chain-create",
        _url("risk:chain-create", company, assessment),
        EDITORS,
        method="post",
        setup=_make,
        data=lambda t: {"name": "Shenzhen to Long Beach"},
    ),
    C("risk:action-create", _url("risk:action-create", company, assessment), EDITORS, setup=_make),
    C(
        "risk:action-create",
        _url("risk:action-create", company, assessment),
        EDITORS,
        method="post",
        setup=_make,
        data=lambda t: {"title": "Audit the maquila's seals", "criterion_ref": "6.1"},
    ),
    C("risk:chain-detail", _url("risk:chain-detail", company, chain), VIEWERS, setup=_make),
    C("risk:chain-edit", _url("risk:chain-edit", company, chain), EDITORS, setup=_make),
    C(
        "risk:chain-edit",
        _url("risk:chain-edit", company, chain),
        EDITORS,
        method="post",
        setup=_make,
        data=lambda t: {"name": "Monterrey to Dallas by road"},
    ),
    C(
        "risk:chain-delete",
        _url("risk:chain-delete", company, chain),
        EDITORS,
        method="post",
        setup=_make,
    ),
    C("risk:node-create", _url("risk:node-create", company, chain), EDITORS, setup=_make),
    C(
        "risk:node-create",
        _url("risk:node-create", company, chain),
        EDITORS,
        method="post",
        setup=_make,
        data=_node_data,
    ),
    C("risk:node-edit", _url("risk:node-edit", company, chain, node), EDITORS, setup=_make),
    C(
        "risk:node-edit",
        _url("risk:node-edit", company, chain, node),
        EDITORS,
        method="post",
        setup=_make,
        data=lambda t: {
            "name": "Dallas DC",
            "kind": "destination",
            "country": "US",
            "mode": "none",
            "order": 2,
        },
    ),
    C(
        "risk:node-delete",
        _url("risk:node-delete", company, chain, node),
        EDITORS,
        method="post",
        setup=_make,
    ),
    C(
        "risk:vulnerability-rate",
        _url("risk:vulnerability-rate", company, chain, 9),
        EDITORS,
        setup=_make,
    ),
    C(
        "risk:vulnerability-rate",
        _url("risk:vulnerability-rate", company, chain, 9),
        EDITORS,
        method="post",
        setup=_make,
        data=lambda t: {"level": "H", "override_reason": "Fence down at the plant"},
    ),
    C("api:risk-assessment-list", _url("api:risk-assessment-list"), ANY_USER, api=True),
    C(
        "api:risk-assessment-detail",
        _url("api:risk-assessment-detail", assessment),
        VIEWERS,
        api=True,
        setup=_make,
    ),
    C(
        "api:risk-assessment-detail",
        _url("api:risk-assessment-detail", assessment),
        EDITORS,
        api=True,
        method="patch",
        setup=_make,
        data=lambda t: {"method": "Revised method."},
    ),
    C("api:supply-chain-list", _url("api:supply-chain-list"), ANY_USER, api=True),
    C(
        "api:supply-chain-detail",
        _url("api:supply-chain-detail", chain),
        VIEWERS,
        api=True,
        setup=_make,
    ),
    C(
        "api:supply-chain-detail",
        _url("api:supply-chain-detail", chain),
        EDITORS,
        api=True,
        method="patch",
        setup=_make,
        data=lambda t: {"description": "By road through Laredo"},
    ),
    C("api:supply-chain-node-list", _url("api:supply-chain-node-list"), ANY_USER, api=True),
    C(
        "api:supply-chain-node-detail",
        _url("api:supply-chain-node-detail", node),
        VIEWERS,
        api=True,
        setup=_make,
    ),
    C(
        "api:supply-chain-node-detail",
        _url("api:supply-chain-node-detail", node),
        EDITORS,
        api=True,
        method="patch",
        setup=_make,
        data=lambda t: {"rest_hours": None, "cargo_rests": False},
    ),
]
