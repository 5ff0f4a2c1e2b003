"""REST API for the partner directory."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from core.api import TenantViewSet, ValidatedModelSerializer
from partners import workflow
from partners.filters import AlertFilter, PartnerFilter
from partners.models import BusinessPartner, PartnerScreening


class BusinessPartnerSerializer(ValidatedModelSerializer):
    class Meta:
        model = BusinessPartner
        fields = [
            "id",
            "company",
            "name",
            "role",
            "country",
            "street",
            "city",
            "postal_code",
            "contact_name",
            "contact_email",
            "contact_phone",
            "tax_id",
            "other_identifiers",
            "relationship_owner",
            "yearly_volume",
            "computed_tier",
            "tier_override",
            "tier_override_reason",
            "tier",
            "on_hold",
            "hold_since",
            "hold_screening",
            "hold_lifted_at",
            "hold_lifted_by",
            "hold_lift_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "computed_tier",
            "tier",
            "on_hold",
            "hold_since",
            "hold_screening",
            "hold_lifted_at",
            "hold_lifted_by",
            "hold_lift_reason",
            "created_at",
            "updated_at",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        company = attrs.get("company") or getattr(self.instance, "company", None)
        owner = attrs.get("relationship_owner")
        if (
            owner is not None
            and company is not None
            and not company.memberships.filter(user=owner).exists()
        ):
            raise serializers.ValidationError(
                {"relationship_owner": "Must be a member of the partner's company."}
            )
        return attrs


class LiftHoldSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class BusinessPartnerViewSet(TenantViewSet):
    """Business partners. Creating one, or changing its name or country, screens it against
    the watchlists, as the partner pages do (`partners.workflow.partner_saved`)."""

    queryset = BusinessPartner.objects.select_related("relationship_owner")
    serializer_class = BusinessPartnerSerializer
    filterset_class = PartnerFilter

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = workflow.save_partner(BusinessPartner(**serializer.validated_data))

    def perform_update(self, serializer: Any) -> None:
        partner = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(partner, name, value)
        workflow.save_partner(partner)

    action_permissions = {**TenantViewSet.action_permissions, "lift_hold": "edit"}

    @extend_schema(request=LiftHoldSerializer, responses={200: BusinessPartnerSerializer})
    @action(detail=True, methods=["post"], url_path="lift-hold")
    def lift_hold(self, request: Request, pk: str | None = None) -> Response:
        """Lift the hold a confirmed watchlist match put on the partner (company officers
        and administrators; a reason is required). Refusals: `not_on_hold`,
        `hold_role_required` (409), `hold_reason_required` (400)."""
        body = LiftHoldSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        by = cast("User", request.user)
        partner = workflow.lift_hold(self.get_object(), by, body.validated_data["reason"])
        return Response(BusinessPartnerSerializer(partner, context={"request": request}).data)


class PartnerScreeningSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    decided_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email", read_only=True
    )
    first_reviewer: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email", read_only=True
    )

    class Meta:
        model = PartnerScreening
        fields = [
            "id",
            "partner",
            "screened_at",
            "trigger",
            "list_versions",
            "threshold",
            "status",
            "hits",
            "first_verdict",
            "first_reviewer",
            "first_reviewed_at",
            "first_reason",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields


class PartnerScreeningViewSet(TenantViewSet):
    """Screenings of partners and reviewers' decisions, read only (`?partner=<id>`,
    `?status=alert`). Decisions are taken on the alert page, where four eyes apply."""

    queryset = PartnerScreening.objects.select_related("decided_by", "first_reviewer")
    serializer_class = PartnerScreeningSerializer
    http_method_names = ["get", "head", "options"]
    # The alert page's filters (`?state=open|decided|all`, `?partner=`, `?status=`, `?q=`).
    filterset_class = AlertFilter
