"""Read-only seal log API: seals are changed through the portal's verbs and never deleted."""

from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from seals.models import Seal, SealEvent


class SealEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = SealEvent
        fields = [
            "kind",
            "at",
            "person_name",
            "iit_number",
            "document_number",
            "observed_number",
            "vvtt_view",
            "vvtt_verify",
            "vvtt_tug",
            "vvtt_twist",
            "note",
            "incident",
        ]


class SealSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Seal
        fields = [
            "id",
            "company",
            "number",
            "manufacturer",
            "iso_class",
            "certificate_ref",
            "storage_location",
            "status",
            "holder_name",
            "iit_number",
            "void_reason",
        ]


class SealViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Seals the caller may view. There is no delete: a seal is voided in the portal."""

    serializer_class = SealSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Seal.objects.for_user(self.request.user, "view").order_by("company_id", "number")
