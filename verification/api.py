"""The public status look-up: JSON by account number for consenting members, throttled
per client. Every account that cannot be shown (no consent, removed, never certified,
unknown) gets the same answer, so the API never reveals that an account exists."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from core.throttling import ClientAddressThrottle
from verification import workflow

DEFAULT_RATE = "60/min"
NOT_FOUND = {"detail": "Not found."}


class LookupThrottle(ClientAddressThrottle):
    """Per client address (`core.clientip`); the rate comes from `STATUS_LOOKUP_RATE`
    (default 60/min)."""

    scope = "status_lookup"

    def get_rate(self) -> str:
        return str(getattr(settings, "STATUS_LOOKUP_RATE", DEFAULT_RATE))


class StatusCardSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What the look-up shows of a consenting member (documentation of the answer)."""

    account_number = serializers.CharField()
    legal_name = serializers.CharField()
    dba = serializers.CharField()
    business_type = serializers.CharField()
    status = serializers.CharField(help_text="certified, validated or suspended")
    tier = serializers.IntegerField(allow_null=True)
    certified_since = serializers.DateField(allow_null=True)


@extend_schema(
    responses={
        200: StatusCardSerializer,
        404: OpenApiResponse(
            description="Not found: unknown, non-consenting, removed or never certified "
            "accounts all get this same answer."
        ),
        429: OpenApiResponse(description="Too many look-ups from this client; retry later."),
    },
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([LookupThrottle])
def status_lookup(request: Request, account_number: str) -> Response:
    card = workflow.lookup_card(account_number)
    if card is None:
        return Response(NOT_FOUND, status=404)
    return Response(card)
