"""Permission cases for the threat rating pages and API (walked by core's permission matrix)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.testing import ANY_USER, EDITORS, VIEWERS, PermissionCase
from threats.models import ThreatImport, ThreatRating

C = PermissionCase


def _url(name: str, *args: Any) -> Any:
    return lambda t: reverse(name, args=[a(t) if callable(a) else a for a in args])


def company(t: Any) -> int:
    return int(t.company.pk)


def rating(t: Any) -> int:
    return int(t.rating.pk)


def batch(t: Any) -> int:
    return int(t.batch.pk)


def _make(t: Any) -> None:
    t.rating = ThreatRating.objects.create(
        company=t.company,
        country="MX",
        category="theft",
        level="H",
        source="OSAC Mexico Country Security Report",
        rated_on=datetime.date(2026, 1, 15),
    )
    t.batch = ThreatImport.objects.create(
        company=t.company,
        filename="ratings.csv",
        status="preview",
        rows=[
            {
                "country": "GT",
                "region": "",
                "category": "contraband",
                "level": "M",
                "source": "U.S. State Department INCSR 2025",
                "source_url": "",
                "rated_on": "2026-01-10",
                "note": "",
                "replaces": None,
            }
        ],
    )


def _form(t: Any) -> dict[str, Any]:
    return {
        "country": "MX",
        "region": "MX-CHH",
        "category": "terrorism",
        "level": "L",
        "source": "U.S. State Department Country Reports on Terrorism",
        "rated_on": "2026-01-15",
    }


def _upload(t: Any) -> dict[str, Any]:
    content = (
        b"country,region,category,level,source,source_url,rated_on\n"
        b"MX,,terrorism,L,U.S. State Department Country Reports on Terrorism,,2026-01-15\n"
    )
    return {"file": SimpleUploadedFile("ratings.csv", content)}


def _api_payload(t: Any) -> dict[str, Any]:
    return {**_form(t), "company": t.company.pk}


CASES = [
    C("threats:rating-grid", _url("threats:rating-grid", company), VIEWERS, setup=_make),
    C("threats:rating-create", _url("threats:rating-create", company), EDITORS),
    C(
        "threats:rating-create",
        _url("threats:rating-create", company),
        EDITORS,
        method="post",
        data=_form,
    ),
    C(
        "threats:rating-edit",
        _url("threats:rating-edit", company, rating),
        EDITORS,
        setup=_make,
    ),
    C(
        "threats:rating-edit",
        _url("threats:rating-edit", company, rating),
        EDITORS,
        method="post",
        setup=_make,
        data=lambda t: {**_form(t), "region": "", "category": "theft", "level": "M"},
    ),
    C(
        "threats:rating-delete",
        _url("threats:rating-delete", company, rating),
        EDITORS,
        setup=_make,
    ),
    C(
        "threats:rating-delete",
        _url("threats:rating-delete", company, rating),
        EDITORS,
        method="post",
        setup=_make,
    ),
    C(
        "threats:country-detail",
        _url("threats:country-detail", company, "MX"),
        VIEWERS,
        setup=_make,
    ),
    C("threats:template-csv", _url("threats:template-csv", company), VIEWERS),
    C("threats:import-create", _url("threats:import-create", company), EDITORS),
    C(
        "threats:import-create",
        _url("threats:import-create", company),
        EDITORS,
        method="post",
        data=_upload,
    ),
    C(
        "threats:import-detail",
        _url("threats:import-detail", company, batch),
        EDITORS,
        setup=_make,
    ),
    C(
        "threats:import-confirm",
        _url("threats:import-confirm", company, batch),
        EDITORS,
        method="post",
        setup=_make,
    ),
    C("api:threat-rating-list", _url("api:threat-rating-list"), ANY_USER, api=True),
    C(
        "api:threat-rating-list",
        _url("api:threat-rating-list"),
        EDITORS,
        api=True,
        method="post",
        data=_api_payload,
    ),
    C(
        "api:threat-rating-detail",
        _url("api:threat-rating-detail", rating),
        VIEWERS,
        api=True,
        setup=_make,
    ),
    C(
        "api:threat-rating-detail",
        _url("api:threat-rating-detail", rating),
        EDITORS,
        api=True,
        method="patch",
        setup=_make,
        data=lambda t: {"level": "M"},
    ),
]
