"""Certification API: a member reads its own account (status, tier, clocks, history) and
its officer withdraws, re-applies, answers a suspension or appeals; the program office
reads every account and runs review steps. Steps call `workflow` and answer 409 when
refused."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from certification import workflow
from certification.filters import CertificationFilter
from certification.models import (
    Certification,
    CertificationEvent,
    CriterionReview,
    ValidationReport,
)
from core.api import TenantViewSet


class CertificationEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CertificationEvent
        fields = [
            "id",
            "transition",
            "from_status",
            "to_status",
            "actor_role",
            "reason",
            "created_at",
        ]


class CertificationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    account_number = serializers.CharField(source="company.account_number", read_only=True)
    certification_due = serializers.DateField(read_only=True)
    validation_due = serializers.DateField(read_only=True)
    suspension_response_due = serializers.DateField(read_only=True)
    reapply_allowed_from = serializers.DateField(read_only=True)
    allowed_transitions = serializers.SerializerMethodField()
    events = CertificationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Certification
        fields = [
            "id",
            "company",
            "account_number",
            "status",
            "tier",
            "applied_at",
            "certified_at",
            "last_validated_at",
            "suspension_reason",
            "certification_due",
            "validation_due",
            "suspension_response_due",
            "reapply_allowed_from",
            "allowed_transitions",
            "events",
        ]
        read_only_fields = fields

    def get_allowed_transitions(self, obj: Certification) -> list[str]:
        user = self.context["request"].user
        return [t.name for t in workflow.allowed_transitions(obj, user)]


class TransitionInput(serializers.Serializer):  # type: ignore[type-arg]
    transition = serializers.ChoiceField(choices=list(workflow.TABLE))
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    suspension_reason = serializers.CharField(required=False, allow_blank=True, default="")
    self_reported = serializers.BooleanField(required=False, default=False)
    joint_review_failed = serializers.BooleanField(required=False, default=False)


class TextInput(serializers.Serializer):  # type: ignore[type-arg]
    text = serializers.CharField()


class AppealInput(serializers.Serializer):  # type: ignore[type-arg]
    event = serializers.IntegerField()
    grounds = serializers.CharField()


class AppealResult(serializers.Serializer):  # type: ignore[type-arg]
    """What `appeal` answers: the appeal filed and when its decision is due."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    decision_due = serializers.DateField(read_only=True)


class CertificationViewSet(TenantViewSet):
    queryset = Certification.objects.select_related("company").prefetch_related("events")
    serializer_class = CertificationSerializer
    filterset_class = CertificationFilter
    http_method_names = ["get", "post", "head", "options"]
    # Steps a member takes need the officer's "sign"; the program office acts on any account.
    action_permissions = {
        "list": "view",
        "retrieve": "view",
        "transition": "sign",
        "respond_to_suspension": "sign",
        "appeal": "sign",
    }

    def get_queryset(self) -> Any:
        user = self.request.user
        if self.tenant_action() == "sign" and getattr(user, "is_program_office", False):
            return type(self).queryset.all()
        return super().get_queryset()

    # POST is allowed only for the steps below; the list itself cannot be created through.
    @extend_schema(exclude=True)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(status=405)

    @extend_schema(request=TransitionInput, responses=CertificationSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        certification = self.get_object()
        user: Any = request.user
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        result = workflow.perform(
            values.pop("transition"),
            certification,
            by=user,
            reason=values.pop("reason"),
            **values,
        )
        return Response(self.get_serializer(result).data)

    @extend_schema(request=TextInput, responses=CertificationSerializer)
    @action(detail=True, methods=["post"], url_path="respond-to-suspension")
    def respond_to_suspension(self, request: Request, pk: str | None = None) -> Response:
        certification = self.get_object()
        user: Any = request.user
        data = TextInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = workflow.respond_to_suspension(
            certification,
            by=user,
            response=data.validated_data["text"],
        )
        return Response(self.get_serializer(result).data)

    @extend_schema(request=AppealInput, responses={201: AppealResult})
    @action(detail=True, methods=["post"])
    def appeal(self, request: Request, pk: str | None = None) -> Response:
        certification = self.get_object()
        user: Any = request.user
        data = AppealInput(data=request.data)
        data.is_valid(raise_exception=True)
        event = certification.events.filter(pk=data.validated_data["event"]).first()
        if event is None:
            return Response({"event": ["No such decision on this account."]}, status=400)
        appeal = workflow.file_appeal(
            event,
            by=user,
            grounds=data.validated_data["grounds"],
        )
        return Response(
            {"id": appeal.pk, "kind": appeal.kind, "decision_due": appeal.decision_due()},
            status=201,
        )


class CriterionReviewSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    ref_id = serializers.CharField(source="criterion.ref_id", read_only=True)

    class Meta:
        model = CriterionReview
        fields = [
            "id",
            "certification",
            "criterion",
            "ref_id",
            "accepted",
            "comment",
            "member_response",
            "responded_at",
        ]
        read_only_fields = fields


class CriterionReviewViewSet(TenantViewSet):
    """The profile review as the member sees it: rejected criteria and their answers."""

    queryset = CriterionReview.objects.select_related("criterion")
    serializer_class = CriterionReviewSerializer
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"list": "view", "retrieve": "view", "respond": "edit"}

    # POST is allowed only for the steps below; the list itself cannot be created through.
    @extend_schema(exclude=True)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(status=405)

    @extend_schema(request=TextInput, responses=CriterionReviewSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        user: Any = request.user
        data = TextInput(data=request.data)
        data.is_valid(raise_exception=True)
        review = workflow.respond_to_criterion(
            review,
            by=user,
            response=data.validated_data["text"],
        )
        return Response(self.get_serializer(review).data)


class ValidationReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    response_due = serializers.DateField(read_only=True)

    class Meta:
        model = ValidationReport
        fields = [
            "id",
            "certification",
            "with_visit",
            "planned_start",
            "planned_end",
            "sites",
            "summary",
            "required_actions",
            "recommendations",
            "tier_outcome",
            "status",
            "decided_at",
            "response_due",
            "member_response",
            "responded_at",
            "response_accepted_at",
        ]
        read_only_fields = fields


class ValidationReportViewSet(TenantViewSet):
    """Approved validation reports as the member sees them, and the member's response to
    the required actions. Drafts stay inside the program office."""

    queryset = ValidationReport.objects.all()
    serializer_class = ValidationReportSerializer
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"list": "view", "retrieve": "view", "respond": "manage"}

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        if getattr(self.request.user, "is_program_office", False):
            return queryset
        return queryset.filter(status="approved")

    # POST is allowed only for the steps below; the list itself cannot be created through.
    @extend_schema(exclude=True)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(status=405)

    @extend_schema(request=TextInput, responses=ValidationReportSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        user: Any = request.user
        data = TextInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = workflow.respond_to_report(report, by=user, response=data.validated_data["text"])
        return Response(self.get_serializer(report).data)
