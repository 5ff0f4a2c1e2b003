"""REST API for threat ratings: list, read, add and change a company's ratings."""

from __future__ import annotations

from typing import Any, cast

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from actions.api import company_or_404
from core.api import TenantViewSet, ValidatedModelSerializer
from threats import workflow
from threats.filters import ThreatRatingFilter
from threats.models import ThreatRating


class ThreatRatingSerializer(ValidatedModelSerializer):
    stale = serializers.SerializerMethodField()

    class Meta:
        model = ThreatRating
        fields = [
            "id",
            "company",
            "country",
            "region",
            "category",
            "level",
            "source",
            "source_url",
            "rated_on",
            "rated_by",
            "note",
            "stale",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["rated_by", "stale", "created_at", "updated_at"]

    def get_stale(self, rating: ThreatRating) -> bool:
        return rating.is_stale()


class ThreatRatingViewSet(TenantViewSet):
    """Ratings are changed, not deleted, through the API; the pages delete with a confirmation."""

    queryset = ThreatRating.objects.select_related("rated_by")
    serializer_class = ThreatRatingSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_class = ThreatRatingFilter

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)
        fields = getattr(serializer, "fields", {})
        if "company" in fields and self.action not in ("create", None):
            fields["company"].read_only = True  # a rating never moves to another company
        return serializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        company_or_404(request)  # another company, or a role without "edit": 404, not 400
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        rating = ThreatRating(**serializer.validated_data)
        serializer.instance = workflow.save_rating(rating, cast(Any, self.request.user))

    def perform_update(self, serializer: Any) -> None:
        rating = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(rating, name, value)
        workflow.save_rating(rating, cast(Any, self.request.user))
