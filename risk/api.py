"""REST API of the risk assessment: assessments, supply chains and their nodes.

Completed assessments are records: their chains and nodes answer reads but refuse
writes (400 with the reason), as the pages do."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework import serializers

from core.api import TenantViewSet, ValidatedModelSerializer
from partners.models import BusinessPartner
from risk import workflow
from risk.filters import AssessmentFilter
from risk.models import Assessment, Node, SupplyChain


class AssessmentSerializer(ValidatedModelSerializer):
    class Meta:
        model = Assessment
        fields = [
            "id",
            "company",
            "year",
            "assessed_on",
            "status",
            "method",
            "copied_from",
            "completed_by",
            "completed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "copied_from",
            "completed_by",
            "completed_at",
            "created_at",
            "updated_at",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            _editable(self.instance)
            if "company" in attrs and attrs["company"] != self.instance.company:
                raise serializers.ValidationError({"company": "An assessment cannot move."})
        return super().validate(attrs)


def _editable(assessment: Assessment) -> None:
    """A completed assessment refuses every change: `AssessmentCompleted`, answered 409
    with its code by `core.api.exception_handler`."""
    assessment.ensure_editable()


class SupplyChainSerializer(ValidatedModelSerializer):
    class Meta:
        model = SupplyChain
        fields = [
            "id",
            "assessment",
            "name",
            "description",
            "threat_level",
            "vulnerability_level",
            "risk_score",
            "risk_level",
        ]

    def get_fields(self) -> Any:
        fields: Any = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["assessment"].queryset = Assessment.objects.for_user(request.user, "edit")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        assessment = attrs.get("assessment") or getattr(self.instance, "assessment", None)
        if assessment is not None:
            _editable(assessment)
        if self.instance is not None and attrs.get("assessment", assessment) != assessment:
            raise serializers.ValidationError({"assessment": "A supply chain cannot move."})
        return super().validate(attrs)


class NodeSerializer(ValidatedModelSerializer):
    next_nodes = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Node.objects.none(), required=False
    )

    class Meta:
        model = Node
        fields = [
            "id",
            "chain",
            "order",
            "name",
            "kind",
            "partner",
            "country",
            "region",
            "mode",
            "cargo_rests",
            "rest_hours",
            "next_nodes",
        ]

    def get_fields(self) -> Any:
        fields: Any = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["chain"].queryset = SupplyChain.objects.for_user(request.user, "edit")
            fields["next_nodes"].child_relation.queryset = Node.objects.for_user(
                request.user, "edit"
            )
            fields["partner"].queryset = BusinessPartner.objects.for_user(request.user, "edit")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        chain = attrs.get("chain") or getattr(self.instance, "chain", None)
        if chain is not None:
            _editable(chain.assessment)
            if self.instance is not None and chain != self.instance.chain:
                raise serializers.ValidationError({"chain": "A node cannot move to another chain."})
            others = [n for n in attrs.get("next_nodes", []) if n.chain_id != chain.pk]
            if others:
                raise serializers.ValidationError(
                    {"next_nodes": "Links must stay inside the node's own supply chain."}
                )
        next_nodes = attrs.pop("next_nodes", None)
        attrs = super().validate(attrs)
        if next_nodes is not None:
            attrs["next_nodes"] = next_nodes
        return attrs

    def _save(self, node: Node, attrs: dict[str, Any]) -> Node:
        next_nodes = attrs.pop("next_nodes", None)
        for name, value in attrs.items():
            setattr(node, name, value)
        goes_to = (
            next_nodes if next_nodes is not None else list(node.next_nodes.all()) if node.pk else []
        )
        comes_from = list(node.previous_nodes.all()) if node.pk else []
        try:
            return workflow.save_node(node, comes_from, goes_to)
        except ValidationError as exc:
            detail = (
                exc.message_dict if hasattr(exc, "error_dict") else {"next_nodes": exc.messages}
            )
            raise serializers.ValidationError(detail) from exc

    def create(self, validated_data: dict[str, Any]) -> Node:
        return self._save(Node(), validated_data)

    def update(self, instance: Node, validated_data: dict[str, Any]) -> Node:
        return self._save(instance, validated_data)


class AssessmentViewSet(TenantViewSet):
    """Risk assessments. Creating one starts it as the page does: a copy of the latest
    earlier year's supply chains and method when there is one (`risk.workflow`)."""

    queryset = Assessment.objects.all()
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter  # the history page's filters, same names

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = workflow.start_assessment(
            data["company"], data["assessed_on"], year=data["year"], method=data.get("method", "")
        )

    def perform_destroy(self, instance: Any) -> None:
        _editable(instance)
        instance.delete()


class SupplyChainViewSet(TenantViewSet):
    queryset = SupplyChain.objects.select_related("assessment")
    serializer_class = SupplyChainSerializer

    def perform_destroy(self, instance: Any) -> None:
        workflow.remove_chain(instance)


class NodeViewSet(TenantViewSet):
    queryset = Node.objects.select_related("chain__assessment").prefetch_related("next_nodes")
    serializer_class = NodeSerializer

    def perform_destroy(self, instance: Any) -> None:
        workflow.remove_node(instance)
