"""Permission cases for the seal log pages and its read-only API."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from portal.testing import ANY_USER, EDITORS, MANAGERS, VIEWERS, PermissionCase
from seals.models import Seal

C = PermissionCase


def _seal(status: str = "in_stock") -> Any:
    def setup(t: Any) -> None:
        t.seal = Seal.objects.create(
            company=t.company,
            number="MX0000001",
            manufacturer="TydenBrooks",
            certificate_ref="ISO17712-2013-H-778",
            storage_location="Caja fuerte, oficina de embarques",
            status=status,
            iit_number="MSCU1234565" if status == "affixed" else "",
        )

    return setup


def _url(name: str, with_seal: bool = False) -> Any:
    def build(t: Any) -> str:
        args = [t.company.pk] + ([t.seal.pk] if with_seal else [])
        return reverse(f"seals:{name}", args=args)

    return build


VVTT = {"vvtt_view": "on", "vvtt_verify": "on", "vvtt_tug": "on", "vvtt_twist": "on"}

CASES = [
    C("seals:seal-list", _url("seal-list"), VIEWERS),
    C("seals:seal-lookup", _url("seal-lookup"), VIEWERS),
    C("seals:seal-receive", _url("seal-receive"), EDITORS),
    C(
        "seals:seal-receive",
        _url("seal-receive"),
        EDITORS,
        method="post",
        data=lambda t: {
            "letters": "MX",
            "first": 10,
            "last": 12,
            "width": 7,
            "manufacturer": "TydenBrooks",
            "iso_class": "H",
            "certificate_ref": "CERT-1",
            "storage_location": "Safe",
        },
    ),
    C("seals:seal-audit", _url("seal-audit"), MANAGERS),
    C(
        "seals:seal-audit",
        _url("seal-audit"),
        MANAGERS,
        method="post",
        data=lambda t: {"counted": "MX0000001"},
        setup=_seal(),
    ),
    C("seals:seal-detail", _url("seal-detail", True), VIEWERS, setup=_seal()),
    C(
        "seals:seal-issue",
        _url("seal-issue", True),
        MANAGERS,
        method="post",
        data=lambda t: {"person_name": "Ana Ruiz"},
        setup=_seal(),
    ),
    C(
        "seals:seal-affix",
        _url("seal-affix", True),
        EDITORS,
        method="post",
        data=lambda t: {"iit_number": "MSCU1234565", **VVTT},
        setup=_seal(),
    ),
    C(
        "seals:seal-check",
        _url("seal-check", True),
        EDITORS,
        method="post",
        data=lambda t: {
            "observed_number": "MX0000001",
            "document_number": "MX0000001",
            **VVTT,
        },
        setup=_seal("affixed"),
    ),
    C(
        "seals:seal-void",
        _url("seal-void", True),
        MANAGERS,
        method="post",
        data=lambda t: {"reason": "Damaged in storage"},
        setup=_seal(),
    ),
    C("api:seal-list", lambda t: reverse("api:seal-list"), ANY_USER, api=True),
    C(
        "api:seal-detail",
        lambda t: reverse("api:seal-detail", args=[t.seal.pk]),
        VIEWERS,
        api=True,
        setup=_seal(),
    ),
    C(
        "api:seal-verify",
        lambda t: reverse("api:seal-verify", args=[t.seal.pk]),
        EDITORS,
        method="post",
        api=True,
        data=lambda t: {
            "observed_number": "MX0000001",
            "document_number": "MX0000001",
            "vvtt_view": True,
            "vvtt_verify": True,
            "vvtt_tug": True,
            "vvtt_twist": True,
            "at_destination": True,
        },
        setup=_seal("affixed"),
    ),
]
