"""Permission cases for the partner pages and API (walked by core's permission matrix)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import BusinessPartner, PartnerImport, PartnerScreening
from portal.testing import ANY_USER, EDITORS, MANAGERS, VIEWERS, PermissionCase

C = PermissionCase


def _url(name: str, *args: Any) -> Any:
    return lambda t: reverse(name, args=[a(t) if callable(a) else a for a in args])


def company(t: Any) -> int:
    return int(t.company.pk)


def _make(t: Any) -> None:
    t.partner = BusinessPartner.objects.create(
        company=t.company, name="Maquila Norte", role="manufacturer", country="MX"
    )
    t.batch = PartnerImport.objects.create(
        company=t.company,
        filename="p.csv",
        status="preview",
        rows=[
            {
                "name": "Fletes Rápidos",
                "role": "highway_carrier",
                "country": "MX",
                "street": "",
                "city": "",
                "postal_code": "",
                "contact_name": "",
                "contact_email": "",
                "contact_phone": "",
                "tax_id": "",
                "other_identifiers": "",
                "yearly_volume": 10,
                "relationship_owner_id": None,
            }
        ],
    )


def _make_alert(t: Any) -> None:
    _make(t)
    t.screening = PartnerScreening.objects.create(
        partner=t.partner,
        threshold=88.0,
        status="alert",
        hits=[{"alert": True, "list": "ofac_sdn", "entity_id": "1", "score": 95.0}],
    )


def _make_hold(t: Any) -> None:
    _make_alert(t)
    BusinessPartner.objects.filter(pk=t.partner.pk).update(on_hold=True)


def partner(t: Any) -> int:
    return int(t.partner.pk)


def batch(t: Any) -> int:
    return int(t.batch.pk)


def _upload(t: Any) -> dict[str, Any]:
    return {
        "file": SimpleUploadedFile("p.csv", b"name,role,country\nAduanas Sur,customs_broker,MX\n")
    }


CASES = [
    C("partners:partner-list", _url("partners:partner-list", company), VIEWERS),
    C("partners:partner-export", _url("partners:partner-export", company), VIEWERS),
    C("partners:partner-create", _url("partners:partner-create", company), EDITORS),
    C(
        "partners:partner-lookup",
        lambda t: reverse("partners:partner-lookup", args=[company(t)]) + "?q=maquila",
        VIEWERS,
        setup=_make,
    ),
    C(
        "partners:partner-create",
        _url("partners:partner-create", company),
        EDITORS,
        method="post",
        data=lambda t: {"name": "Bodega Central", "role": "warehouse", "country": "MX"},
    ),
    C(
        "partners:partner-detail",
        _url("partners:partner-detail", company, partner),
        VIEWERS,
        setup=_make,
    ),
    C(
        "partners:partner-edit",
        _url("partners:partner-edit", company, partner),
        EDITORS,
        setup=_make,
    ),
    C(
        "partners:partner-edit",
        _url("partners:partner-edit", company, partner),
        EDITORS,
        method="post",
        setup=_make,
        data=lambda t: {
            "name": "Maquila Norte",
            "role": "manufacturer",
            "country": "MX",
            "yearly_volume": 5,
        },
    ),
    C(
        "partners:partner-screening-pdf",
        _url("partners:partner-screening-pdf", company, partner),
        VIEWERS,
        setup=_make_alert,
    ),
    C(
        "partners:partner-screening-csv",
        _url("partners:partner-screening-csv", company, partner),
        VIEWERS,
        setup=_make_alert,
    ),
    C(
        "partners:screening-evidence-export",
        _url("partners:screening-evidence-export", company),
        VIEWERS,
        setup=_make_alert,
    ),
    C("partners:import-create", _url("partners:import-create", company), EDITORS),
    C("partners:import-template", _url("partners:import-template", company, "csv"), EDITORS),
    C(
        "partners:import-create",
        _url("partners:import-create", company),
        EDITORS,
        method="post",
        data=_upload,
    ),
    C(
        "partners:import-detail",
        _url("partners:import-detail", company, batch),
        EDITORS,
        setup=_make,
    ),
    C(
        "partners:import-confirm",
        _url("partners:import-confirm", company, batch),
        EDITORS,
        method="post",
        setup=_make,
    ),
    C(
        "partners:import-progress",
        _url("partners:import-progress", company, batch),
        EDITORS,
        setup=_make,
    ),
    C(
        "partners:import-restart",
        _url("partners:import-restart", company, batch),
        EDITORS,
        method="post",
        setup=_make,
    ),
    C("partners:alert-list", _url("partners:alert-list", company), EDITORS),
    C(
        "partners:alert-decide",
        _url("partners:alert-decide", company, lambda t: t.screening.pk),
        EDITORS,
        method="post",
        setup=_make_alert,
        data=lambda t: {"verdict": "false_positive", "reason": "Different company"},
    ),
    C(
        "partners:alert-detail",
        _url("partners:alert-detail", company, lambda t: t.screening.pk),
        EDITORS,
        setup=_make_alert,
    ),
    C(
        "partners:hold-lift",
        _url("partners:hold-lift", company, partner),
        EDITORS,
        setup=_make_hold,
    ),
    # Editors who may not lift it are told so (400, the hold stays); managers lift it.
    C(
        "partners:hold-lift",
        _url("partners:hold-lift", company, partner),
        EDITORS,
        method="post",
        setup=_make_hold,
        data=lambda t: {"reason": "Licence on file"},
        ok=(302, 400),
    ),
    C(
        "api:partner-lift-hold",
        _url("api:partner-lift-hold", partner),
        EDITORS,
        api=True,
        method="post",
        setup=_make_hold,
        data=lambda t: {"reason": "Licence on file"},
        ok=(200, 409),
    ),
    C("partners:screening-policy", _url("partners:screening-policy", company), EDITORS),
    C(
        "partners:screening-policy",
        _url("partners:screening-policy", company),
        MANAGERS,
        method="post",
        data=lambda t: {"four_eyes": "on"},
    ),
    C("api:partner-list", _url("api:partner-list"), ANY_USER, api=True),
    C("api:partner-screening-list", _url("api:partner-screening-list"), ANY_USER, api=True),
    C(
        "api:partner-screening-detail",
        _url("api:partner-screening-detail", lambda t: t.screening.pk),
        VIEWERS,
        api=True,
        setup=_make_alert,
    ),
    C("api:partner-detail", _url("api:partner-detail", partner), VIEWERS, api=True, setup=_make),
    C(
        "api:partner-detail",
        _url("api:partner-detail", partner),
        EDITORS,
        api=True,
        method="patch",
        setup=_make,
        data=lambda t: {"yearly_volume": 900},
    ),
]
