"""REST API for applications: list, detail with completeness, signature and events, start a
draft, and sign the partner agreement (company officers, with a code from their
authenticator app)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.reauth import totp_code_ok
from applications import workflow
from applications.models import (
    AgreementSignature,
    Application,
    ApplicationEvent,
    ChecklistItem,
    current_agreement,
)
from companies.models import Company
from core import refusals
from core.api import TenantViewSet
from core.clientip import client_address
from core.tenancy import get_for_user_or_404

if TYPE_CHECKING:
    from accounts.models import User


class ChecklistItemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    done = serializers.BooleanField()
    missing = serializers.CharField(help_text="What is missing; empty when done.")
    url = serializers.CharField(help_text="The page where it is fixed.")


class SignatureSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    signer_email = serializers.EmailField(source="signer.email")

    class Meta:
        model = AgreementSignature
        fields = [
            "signer",
            "signer_email",
            "full_name",
            "title",
            "signed_at",
            "ip_address",
            "agreement_version",
            "language",
            "text_sha256",
        ]
        read_only_fields = fields


class ApplicationEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor_email = serializers.EmailField(source="actor.email", default=None)

    class Meta:
        model = ApplicationEvent
        fields = ["from_status", "to_status", "event", "actor", "actor_email", "note", "created_at"]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    company_name = serializers.CharField(source="company.legal_name", read_only=True)
    account_number = serializers.CharField(source="company.account_number", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "company", "company_name", "account_number", "status", "submitted_at"]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    complete = serializers.SerializerMethodField()
    checklist = serializers.SerializerMethodField()
    agreement = serializers.SerializerMethodField(
        help_text="While a draft: the agreement text to sign (pass ?language=es for Spanish) "
        "with its version and SHA-256, to send back when signing."
    )
    signature = SignatureSerializer(read_only=True, allow_null=True)
    events = ApplicationEventSerializer(many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "complete",
            "checklist",
            "agreement",
            "signature",
            "events",
            "snapshot",
        ]
        read_only_fields = fields

    def _checklist(self, obj: Application) -> list[ChecklistItem]:
        # `complete` and `checklist` share one computation per application.
        cache: dict[int, list[ChecklistItem]] = self.__dict__.setdefault("_checklists", {})
        if obj.pk not in cache:
            cache[obj.pk] = obj.checklist() if obj.is_draft else []
        return cache[obj.pk]

    def get_complete(self, obj: Application) -> bool:
        return all(item.done for item in self._checklist(obj))

    def get_checklist(self, obj: Application) -> list[dict[str, Any]]:
        return cast(
            list[dict[str, Any]], ChecklistItemSerializer(self._checklist(obj), many=True).data
        )

    def get_agreement(self, obj: Application) -> dict[str, Any] | None:
        if not obj.is_draft:
            return None
        request = self.context.get("request")
        language = (request.query_params.get("language") if request else None) or get_language()
        text = current_agreement(language)
        return {
            "version": text.version,
            "language": text.language,
            "sha256": text.sha256,
            "text": text.text,
        }


class ApplicationCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    company = serializers.IntegerField(help_text="The id of a company you may edit.")


class SignSerializer(serializers.Serializer):  # type: ignore[type-arg]
    full_name = serializers.CharField(max_length=200, help_text="Typed as the signature.")
    title = serializers.CharField(max_length=200, help_text="The signer's position.")
    attest = serializers.BooleanField(
        help_text="true: I have read the agreement, may commit the company to it and sign it."
    )
    agreement_version = serializers.IntegerField(min_value=1)
    language = serializers.CharField(max_length=8)
    agreement_sha256 = serializers.RegexField(
        r"^[0-9a-f]{64}$", help_text="The `agreement.sha256` of the text read."
    )
    otp_code = serializers.CharField(
        max_length=12, help_text="The current code of your authenticator app."
    )

    def validate_attest(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(_("Must be true: signing needs the attestation."))
        return value


class ApplicationViewSet(TenantViewSet):
    """CTPAT applications of your companies (every company's for program-office staff).

    `POST /applications/` starts the draft of a company (or returns the existing one);
    `POST /applications/{id}/sign/` is the company officer's signature of the partner
    agreement, which submits the application.
    """

    queryset = Application.objects.select_related("company")
    serializer_class = ApplicationDetailSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["company", "status"]
    action_permissions = {"list": "view", "retrieve": "view", "create": "edit", "sign": "sign"}

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.select_related("signature__signer")
        return queryset

    def get_serializer_class(self) -> Any:
        return {
            "list": ApplicationSerializer,
            "create": ApplicationCreateSerializer,
            "sign": SignSerializer,
        }.get(self.action or "", ApplicationDetailSerializer)

    def _detail(self, application: Application, status_code: int = 200) -> Response:
        serializer = ApplicationDetailSerializer(application, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)

    @extend_schema(
        request=ApplicationCreateSerializer,
        responses={200: ApplicationDetailSerializer, 201: ApplicationDetailSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        company = get_for_user_or_404(
            Company, request.user, "edit", pk=serializer.validated_data["company"]
        )
        existed = company.current_application() is not None
        application = Application.start(company)
        return self._detail(application, 200 if existed else 201)

    @extend_schema(
        request=SignSerializer,
        responses={
            200: ApplicationDetailSerializer,
            400: OpenApiResponse(description="Bad input, wrong code, or what is missing."),
            409: OpenApiResponse(description="The application was already submitted."),
        },
    )
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        application: Application = self.get_object()
        user = cast("User", request.user)
        if not application.is_draft:
            raise workflow.AlreadySubmitted(application)
        serializer = SignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        missing = application.missing_items()
        if missing:
            return _incomplete(workflow.ApplicationIncomplete(missing))
        try:
            code_ok = totp_code_ok(user, data["otp_code"])
        except DjangoValidationError as exc:
            return Response({"otp_code": exc.messages}, status=400)
        if not code_ok:
            return Response(
                {"otp_code": [_("This is not the current code of your authenticator app.")]},
                status=400,
            )
        signing = workflow.Signing(
            full_name=" ".join(data["full_name"].split()),
            title=" ".join(data["title"].split()),
            agreement_version=data["agreement_version"],
            language=data["language"],
            shown_sha256=data["agreement_sha256"],
            ip_address=client_address(request),
        )
        try:
            application = workflow.sign_and_submit(application.company, user, signing)
        except workflow.ApplicationIncomplete as exc:
            return _incomplete(exc)
        return self._detail(Application.objects.get(pk=application.pk))


def _incomplete(exc: workflow.ApplicationIncomplete) -> Response:
    return Response(
        {**refusals.answer(exc), "missing": ChecklistItemSerializer(exc.missing, many=True).data},
        status=status.HTTP_400_BAD_REQUEST,
    )
