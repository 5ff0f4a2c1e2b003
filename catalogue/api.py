"""Read-only REST API of the criteria catalogues (global reference data: every signed-in
user may read it; imports happen through `ctpat load_catalogue` or the admin's page)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from catalogue.filters import CriterionFilter
from catalogue.models import Catalogue, Criterion


class CatalogueSerializer(serializers.ModelSerializer[Catalogue]):
    criteria_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Catalogue
        fields = [
            "id", "slug", "version", "name", "publisher", "effective_date", "published",
            "source_file_name", "source_sha256", "imported_at", "criteria_count",
        ]  # fmt: skip


class CategorySerializer(serializers.Serializer[tuple[int, str, str]]):
    number = serializers.IntegerField(source="0")
    name = serializers.CharField(source="1")
    focus_area = serializers.CharField(source="2")


class CatalogueDetailSerializer(CatalogueSerializer):
    categories = serializers.SerializerMethodField()

    class Meta(CatalogueSerializer.Meta):
        fields = [*CatalogueSerializer.Meta.fields, "categories"]

    @extend_schema_field(CategorySerializer(many=True))
    def get_categories(self, obj: Catalogue) -> list[dict[str, Any]]:
        return [
            {"number": number, "name": name, "focus_area": focus}
            for number, name, focus in obj.categories()
        ]


class CatalogueViewSet(viewsets.ReadOnlyModelViewSet[Catalogue]):
    """Published versions of the criteria catalogues, newest effective date first."""

    queryset = (
        Catalogue.objects.published()
        .annotate(criteria_count=Count("criteria"))
        .order_by("-effective_date", "-imported_at")
    )
    filterset_fields = ["slug", "version"]

    def get_serializer_class(self) -> type[CatalogueSerializer]:
        return CatalogueDetailSerializer if self.action == "retrieve" else CatalogueSerializer


class CriterionSerializer(serializers.ModelSerializer[Criterion]):
    provenance = serializers.CharField(read_only=True, help_text="Verified/inferred, in words.")
    effective_requirement = serializers.SerializerMethodField(
        help_text="The level for the `business_type` filter, after overrides; null without it."
    )
    verified_for_type = serializers.SerializerMethodField(
        help_text="Whether the `business_type` filter's applicability is verified (false = "
        "inferred); null without the filter."
    )

    class Meta:
        model = Criterion
        fields = [
            "id", "catalogue", "ref_id", "focus_area", "category_number", "category_name",
            "requirement", "entity_types", "requirement_overrides", "verified_for",
            "effective_requirement", "verified_for_type", "summary", "guidance", "sources",
            "evidence", "msc_documents", "notes", "provenance",
        ]  # fmt: skip

    def get_effective_requirement(self, obj: Criterion) -> str | None:
        return getattr(obj, "effective_requirement", None)

    def get_verified_for_type(self, obj: Criterion) -> bool | None:
        return getattr(obj, "verified_for_type", None)


class CriterionViewSet(viewsets.ReadOnlyModelViewSet[Criterion]):
    """Criteria of the published catalogues. Filter by `catalogue` (id; without it every
    published version is listed), `business_type` (only the criteria that apply, with
    `effective_requirement`), `category` (number) and `requirement` (`must`/`should`,
    the effective level when `business_type` is given)."""

    queryset = Criterion.objects.filter(catalogue__published=True)
    serializer_class = CriterionSerializer
    filterset_class = CriterionFilter
