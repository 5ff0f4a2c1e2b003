"""REST API of CTPAT Trade Compliance: the application (start, answers, the officer's
signature with an authenticator code, the program office's review, approval and
refusal), forced-labor evidence uploads and Annual Notification Letters. Every write calls
the same `tradecompliance.workflow` function as the pages."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.reauth import totp_code_ok
from actions.api import company_or_404
from companies.models import Company
from core.api import TenantViewSet
from core.clientip import client_address
from core.file_fields import ProtectedFileURLField
from core.tenancy import get_for_user_or_404
from tradecompliance import eligibility, workflow
from tradecompliance.catalogue import program
from tradecompliance.filters import ApplicationFilter
from tradecompliance.models import (
    AnnualNotification,
    ForcedLaborEvidence,
    GrantedBenefit,
    TradeComplianceApplication,
)


class TradeComplianceBenefitSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    title = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta:
        model = GrantedBenefit
        fields = ["benefit", "title", "source", "granted_on"]
        read_only_fields = fields

    def get_title(self, obj: GrantedBenefit) -> str:
        return obj.detail.title if obj.detail else obj.benefit

    def get_source(self, obj: GrantedBenefit) -> str:
        return obj.detail.source if obj.detail else ""


class TradeComplianceApplicationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    company_name = serializers.CharField(source="company.legal_name", read_only=True)
    eligible = serializers.SerializerMethodField()
    not_eligible_because = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField(help_text="What a draft lacks before signing.")
    benefits = serializers.SerializerMethodField()
    statement = serializers.SerializerMethodField(
        help_text="While a draft: the statement to sign (?language=es for Spanish) and its SHA-256."
    )

    class Meta:
        model = TradeComplianceApplication
        fields = [
            "id",
            "company",
            "company_name",
            "status",
            "eligible",
            "not_eligible_because",
            "answers",
            "missing",
            "statement",
            "signer_name",
            "signer_title",
            "signed_at",
            "submitted_at",
            "reviewer",
            "review_started_at",
            "decided_at",
            "decision_note",
            "approved_on",
            "benefits",
        ]
        read_only_fields = fields

    def _verdict(self, obj: TradeComplianceApplication) -> eligibility.Verdict:
        cache: dict[int, eligibility.Verdict] = self.__dict__.setdefault("_verdicts", {})
        if obj.company_id not in cache:
            cache[obj.company_id] = eligibility.check(obj.company)
        return cache[obj.company_id]

    def get_eligible(self, obj: TradeComplianceApplication) -> bool:
        return self._verdict(obj).eligible

    def get_not_eligible_because(self, obj: TradeComplianceApplication) -> list[str]:
        return [str(r) for r in self._verdict(obj).reasons]

    def get_missing(self, obj: TradeComplianceApplication) -> list[str]:
        return [str(m) for m in workflow.missing_items(obj)] if obj.is_draft else []

    def get_benefits(self, obj: TradeComplianceApplication) -> list[dict[str, Any]]:
        rows = GrantedBenefit.objects.filter(application=obj)
        return cast(list[dict[str, Any]], TradeComplianceBenefitSerializer(rows, many=True).data)

    def get_statement(self, obj: TradeComplianceApplication) -> dict[str, str] | None:
        if not obj.is_draft:
            return None
        request = self.context.get("request")
        language = (request.query_params.get("language") if request else None) or get_language()
        text, sha = workflow.statement(str(language or "en"))
        return {
            "language": "es" if str(language).startswith("es") else "en",
            "text": text,
            "sha256": sha,
        }


class TradeComplianceStartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    company = serializers.IntegerField(help_text="The id of a company you may edit.")


class TradeComplianceAnswersSerializer(serializers.Serializer):  # type: ignore[type-arg]
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text='Question key → "yes" / "no", or {"answer": "no", "explanation": "..."}.',
    )


class TradeComplianceSignSerializer(serializers.Serializer):  # type: ignore[type-arg]
    full_name = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=200)
    attest = serializers.BooleanField(help_text="true: I have read the statement and sign it.")
    language = serializers.CharField(max_length=8)
    statement_sha256 = serializers.RegexField(r"^[0-9a-f]{64}$")
    otp_code = serializers.CharField(
        max_length=12, help_text="The current code of your authenticator app."
    )

    def validate_attest(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(_("Must be true: signing needs the attestation."))
        return value


class TradeComplianceDecisionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TradeComplianceRefuseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(allow_blank=True, help_text="Why; the company reads it.")


class ApplicationViewSet(TenantViewSet):
    """Trade Compliance applications of your companies (all of them for the program office).

    `POST /trade-compliance-applications/` starts the draft of an eligible importer (or
    returns the one in play); `answers/` saves questionnaire answers; `sign/` is the company
    officer's signature (with an authenticator code), which submits it; `review/`,
    `approve/` and `refuse/` are the program office's steps.
    """

    queryset = TradeComplianceApplication.objects.select_related("company")
    serializer_class = TradeComplianceApplicationSerializer
    filterset_class = ApplicationFilter
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {
        "list": "view",
        "retrieve": "view",
        "create": "edit",
        "answers": "edit",
        "sign": "sign",
        "review": "view",
        "approve": "view",
        "refuse": "view",
    }

    def get_serializer_class(self) -> Any:
        return {
            "create": TradeComplianceStartSerializer,
            "answers": TradeComplianceAnswersSerializer,
            "sign": TradeComplianceSignSerializer,
            "approve": TradeComplianceDecisionSerializer,
            "refuse": TradeComplianceRefuseSerializer,
            "review": TradeComplianceDecisionSerializer,
        }.get(self.action or "", TradeComplianceApplicationSerializer)

    def _detail(self, application: TradeComplianceApplication, code: int = 200) -> Response:
        fresh = TradeComplianceApplication.objects.select_related("company").get(pk=application.pk)
        return Response(
            TradeComplianceApplicationSerializer(fresh, context=self.get_serializer_context()).data,
            code,
        )

    @extend_schema(
        request=TradeComplianceStartSerializer,
        responses={
            200: TradeComplianceApplicationSerializer,
            201: TradeComplianceApplicationSerializer,
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = TradeComplianceStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        company = get_for_user_or_404(
            Company, request.user, "edit", pk=data.validated_data["company"]
        )
        existed = workflow.open_application(company) is not None
        application = workflow.start(company)
        return self._detail(application, 200 if existed else 201)

    @extend_schema(
        request=TradeComplianceAnswersSerializer,
        responses={200: TradeComplianceApplicationSerializer},
    )
    @action(detail=True, methods=["post"])
    def answers(self, request: Request, pk: str | None = None) -> Response:
        application: TradeComplianceApplication = self.get_object()
        data = TradeComplianceAnswersSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = workflow.save_answers(
            application.company, data.validated_data["answers"], by=cast(Any, request.user)
        )
        return self._detail(saved)

    @extend_schema(
        request=TradeComplianceSignSerializer,
        responses={
            200: TradeComplianceApplicationSerializer,
            400: OpenApiResponse(description="Bad input, wrong code, or what is missing."),
        },
    )
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        application: TradeComplianceApplication = self.get_object()
        user: Any = request.user
        data = TradeComplianceSignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            code_ok = totp_code_ok(user, values["otp_code"])
        except DjangoValidationError as exc:
            return Response({"otp_code": exc.messages}, status=400)
        if not code_ok:
            return Response(
                {"otp_code": [_("This is not the current code of your authenticator app.")]},
                status=400,
            )
        signing = workflow.Signing(
            full_name=values["full_name"],
            title=values["title"],
            language=values["language"],
            shown_sha256=values["statement_sha256"],
            ip_address=client_address(request),
        )
        return self._detail(workflow.sign_and_submit(application.company, user, signing))

    def _office(self) -> TradeComplianceApplication:
        if not getattr(self.request.user, "is_program_office", False):
            raise Http404
        return cast(TradeComplianceApplication, self.get_object())

    @extend_schema(request=None, responses={200: TradeComplianceApplicationSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        application = self._office()
        return self._detail(workflow.start_review(application, by=cast(Any, request.user)))

    @extend_schema(
        request=TradeComplianceDecisionSerializer,
        responses={200: TradeComplianceApplicationSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        application = self._office()
        data = TradeComplianceDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(
            workflow.approve(
                application, by=cast(Any, request.user), note=data.validated_data["note"]
            )
        )

    @extend_schema(
        request=TradeComplianceRefuseSerializer,
        responses={200: TradeComplianceApplicationSerializer},
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str | None = None) -> Response:
        application = self._office()
        data = TradeComplianceRefuseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(
            workflow.refuse(
                application, by=cast(Any, request.user), reason=data.validated_data["reason"]
            )
        )


class ForcedLaborEvidenceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    url = ProtectedFileURLField("file")
    file = serializers.FileField(write_only=True, help_text="PDF, image or Office document.")
    requirement = serializers.ChoiceField(choices=[])

    class Meta:
        model = ForcedLaborEvidence
        fields = [
            "id",
            "company",
            "requirement",
            "note",
            "file",
            "url",
            "original_name",
            "sha256",
            "uploaded_at",
        ]
        read_only_fields = ["id", "url", "original_name", "sha256", "uploaded_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["requirement"]
        field.choices = [r.key for r in program().requirements]


class EvidenceViewSet(TenantViewSet):
    """Forced-labor evidence of your companies; POST (multipart) attaches one file to one
    requirement (`requirement` is a key of the program's forced-labor requirements)."""

    queryset = ForcedLaborEvidence.objects.select_related("company")
    serializer_class = ForcedLaborEvidenceSerializer
    filterset_fields = ["company", "requirement"]
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": ForcedLaborEvidenceSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        company_or_404(request)  # another company, or a role without "edit": 404, not 400
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        try:
            serializer.instance = workflow.attach_evidence(
                data["company"],
                data["requirement"],
                data["file"],
                by=cast(Any, self.request.user),
                note=data.get("note", ""),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"file": exc.messages}) from exc


class AnnualNotificationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    full_name = serializers.CharField(write_only=True, max_length=200)
    title = serializers.CharField(write_only=True, max_length=200)

    class Meta:
        model = AnnualNotification
        fields = [
            "id",
            "company",
            "cycle",
            "due_on",
            "still_meets_requirements",
            "self_testing",
            "organisational_changes",
            "contact_changes",
            "full_name",
            "title",
            "signer_name",
            "signer_title",
            "submitted_at",
        ]
        read_only_fields = ["id", "cycle", "due_on", "signer_name", "signer_title", "submitted_at"]
        extra_kwargs = {"self_testing": {"allow_blank": True}}


class LetterViewSet(TenantViewSet):
    """Annual Notification Letters of your companies; POST sends the next year's letter
    (company officers and administrators)."""

    queryset = AnnualNotification.objects.select_related("company")
    serializer_class = AnnualNotificationSerializer
    filterset_fields = ["company"]
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {**TenantViewSet.action_permissions, "create": "manage"}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        company_or_404(request, "manage")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        letter = workflow.Letter(
            still_meets_requirements=data["still_meets_requirements"],
            self_testing=data.get("self_testing", ""),
            organisational_changes=data.get("organisational_changes", ""),
            contact_changes=data.get("contact_changes", ""),
            full_name=data["full_name"],
            title=data["title"],
        )
        serializer.instance = workflow.submit_annual_notification(
            data["company"], letter, by=cast(Any, self.request.user)
        )
