"""REST API of security profiles: profiles (start, readiness, submit, annual review),
answers (optimistic concurrency: send the `version` you read; 409 if someone saved since),
evidence and its file versions (uploads checked as on the pages), and submissions with
the difference between two."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response as APIResponse

from accounts.reauth import totp_code_ok
from companies.models import Company
from core import refusals
from core.api import TenantViewSet, ValidatedModelSerializer
from core.clientip import client_address
from core.files import ProtectedFileURLField
from core.tenancy import get_for_user_or_404
from core.uploads import accepted_types_text, check_upload
from profiles import workflow
from profiles.choices import ResponseStatus
from profiles.filters import ResponseFilter, SubmissionFilter
from profiles.models import (
    EditConflict,
    Evidence,
    EvidenceFile,
    Response,
    SecurityProfile,
    Submission,
)
from profiles.snapshots import diff_snapshots

if TYPE_CHECKING:
    from accounts.models import User


# -- profiles ---------------------------------------------------------------------------


class SecurityProfileSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    catalogue_name = serializers.CharField(source="catalogue.name", read_only=True)
    catalogue_version = serializers.CharField(source="catalogue.version", read_only=True)

    class Meta:
        model = SecurityProfile
        fields = [
            "id",
            "company",
            "catalogue",
            "catalogue_name",
            "catalogue_version",
            "has_unsubmitted_changes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProfileStartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    company = serializers.IntegerField(help_text="The id of a company you may edit.")


class CategoryScoreSerializer(serializers.Serializer):  # type: ignore[type-arg]
    number = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    answered = serializers.IntegerField()
    total = serializers.IntegerField()
    musts_unmet = serializers.IntegerField()


class ReadinessSerializer(serializers.Serializer):  # type: ignore[type-arg]
    overall = serializers.IntegerField(
        allow_null=True,
        help_text="Σ(weight × credit) / Σ(weight) in percent; Must weighs 3, Should 1; "
        "implemented 1, partly ½, otherwise 0; not applicable left out.",
    )
    answered = serializers.IntegerField()
    total = serializers.IntegerField()
    musts_unmet = serializers.IntegerField()
    categories = CategoryScoreSerializer(many=True)


class SubmitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    full_name = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=200)
    attest = serializers.BooleanField(
        help_text="true: the profile is accurate and complete and I may submit it."
    )
    otp_code = serializers.CharField(max_length=12, help_text="Your authenticator's code.")

    def validate_attest(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(_("Must be true: submitting needs the attestation."))
        return value


class NoChangeResult(serializers.Serializer):  # type: ignore[type-arg]
    """What `review-no-change` answers: the yearly review it recorded."""

    due_date = serializers.DateField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    late = serializers.BooleanField(read_only=True)


class NoChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    attest = serializers.BooleanField(help_text="true: reviewed, nothing changed.")
    otp_code = serializers.CharField(max_length=12)

    def validate_attest(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(_("Must be true: the review needs the attestation."))
        return value


def _check_otp(user: User, code: str) -> APIResponse | None:
    try:
        ok = totp_code_ok(user, code)
    except DjangoValidationError as exc:
        return APIResponse({"otp_code": exc.messages}, status=400)
    if not ok:
        return APIResponse(
            {"otp_code": [_("This is not the current code of your authenticator app.")]},
            status=400,
        )
    return None


class BulkAnswersSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One change for many answers: only the keys given are changed (null clears)."""

    criteria = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=False, help_text="criterion ids"
    )
    status = serializers.ChoiceField(choices=ResponseStatus.choices, required=False)
    owner = serializers.IntegerField(required=False, allow_null=True, help_text="user id")
    due_date = serializers.DateField(required=False, allow_null=True)


class SecurityProfileViewSet(TenantViewSet):
    """Security profiles of your companies. `POST /profiles/` with a company starts (or
    returns) its profile for the catalogue in force; `readiness/` gives the scores;
    `submit/` is the company officer's signed submission; `review-no-change/` records the
    annual review as "reviewed, no change"."""

    queryset = SecurityProfile.objects.select_related("catalogue")
    serializer_class = SecurityProfileSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["company", "catalogue"]
    action_permissions = {
        "list": "view",
        "retrieve": "view",
        "create": "edit",
        "readiness": "view",
        "submit": "sign",
        "review_no_change": "sign",
        "bulk_answers": "edit",
    }

    def get_serializer_class(self) -> Any:
        return {
            "create": ProfileStartSerializer,
            "submit": SubmitSerializer,
            "review_no_change": NoChangeSerializer,
            "readiness": ReadinessSerializer,
            "bulk_answers": BulkAnswersSerializer,
        }.get(self.action or "", SecurityProfileSerializer)

    @extend_schema(
        request=ProfileStartSerializer,
        responses={200: SecurityProfileSerializer, 201: SecurityProfileSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> APIResponse:
        serializer = ProfileStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        company = get_for_user_or_404(
            Company, request.user, "edit", pk=serializer.validated_data["company"]
        )
        existed = SecurityProfile.current_for(company) is not None
        profile = SecurityProfile.start(company)
        return APIResponse(SecurityProfileSerializer(profile).data, status=200 if existed else 201)

    @extend_schema(responses=ReadinessSerializer)
    @action(detail=True, methods=["get"])
    def readiness(self, request: Request, pk: str | None = None) -> APIResponse:
        profile: SecurityProfile = self.get_object()
        return APIResponse(profile.readiness().as_dict())

    @extend_schema(
        request=SubmitSerializer,
        responses={
            201: OpenApiResponse(description="The new submission (see /submissions/)."),
            400: OpenApiResponse(description="Bad input or a wrong code."),
            409: OpenApiResponse(description="Nothing changed since the last one."),
        },
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> APIResponse:
        profile: SecurityProfile = self.get_object()
        user = cast("User", request.user)
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        last = profile.last_submission()
        if last is not None and not profile.has_unsubmitted_changes:
            # Said before the code is checked, so a retry does not use up a code.
            raise workflow.NothingToSubmit(last.number)
        refused = _check_otp(user, data["otp_code"])
        if refused is not None:
            return refused
        signature = workflow.Signature(
            full_name=" ".join(data["full_name"].split()),
            title=" ".join(data["title"].split()),
            attestation=str(SubmitSerializer().fields["attest"].help_text),
            ip_address=client_address(request),
        )
        submission = workflow.submit_profile(profile, user, signature)
        return APIResponse(SubmissionSerializer(submission).data, status=201)

    @extend_schema(request=NoChangeSerializer, responses={201: NoChangeResult})
    @action(detail=True, methods=["post"], url_path="review-no-change")
    def review_no_change(self, request: Request, pk: str | None = None) -> APIResponse:
        profile: SecurityProfile = self.get_object()
        user = cast("User", request.user)
        serializer = NoChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refused = _check_otp(user, serializer.validated_data["otp_code"])
        if refused is not None:
            return refused
        review = workflow.attest_no_change(profile.company, user)
        return APIResponse(
            {"due_date": review.due_date, "outcome": review.outcome, "late": review.late},
            status=201,
        )

    @extend_schema(
        request=BulkAnswersSerializer,
        responses={200: OpenApiResponse(description="The ids of the answers that changed.")},
    )
    @action(detail=True, methods=["post"], url_path="bulk-answers")
    def bulk_answers(self, request: Request, pk: str | None = None) -> APIResponse:
        """Set status, owner and/or due date of many answers at once (the answers grid)."""
        profile: SecurityProfile = self.get_object()
        serializer = BulkAnswersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        criteria = data.pop("criteria")
        if data.get("owner") is not None:
            owner = profile.company.memberships.filter(user_id=data["owner"]).first()
            if owner is None:
                raise workflow.BulkRefused(_("The owner must be a member of the company."))
            data["owner"] = owner.user
        changed = workflow.bulk_set(profile, criteria, data, by=cast("User", request.user))
        return APIResponse({"changed": [r.pk for r in changed]})


# -- answers ----------------------------------------------------------------------------


class ResponseSerializer(ValidatedModelSerializer):
    criterion_ref = serializers.CharField(source="criterion.ref_id", read_only=True)
    version = serializers.IntegerField(
        min_value=0,
        help_text="On update: the version you read. A different current version "
        "means someone saved in between: 409, nothing changed.",
    )

    class Meta:
        model = Response
        fields = [
            "id",
            "profile",
            "criterion",
            "criterion_ref",
            "status",
            "narrative",
            "na_reason",
            "owner",
            "due_date",
            "version",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = ["profile", "criterion", "updated_by", "updated_at"]
        clean_exclude = ["version"]


class ResponseViewSet(TenantViewSet):
    """Answers to the criteria. Filter with `profile`, `status` (`unanswered` for empty),
    `owner` and `requirement` (`must`/`should`, after per-type overrides)."""

    queryset = Response.objects.select_related("criterion", "profile__company")
    serializer_class = ResponseSerializer
    http_method_names = ["get", "put", "patch", "head", "options"]
    filterset_class = ResponseFilter

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["unanswered", *ResponseStatus.values[1:]]),
            OpenApiParameter("requirement", str, enum=["must", "should"]),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> APIResponse:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={
            200: ResponseSerializer,
            409: OpenApiResponse(description="Changed by someone else."),
        }
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> APIResponse:
        partial = kwargs.pop("partial", False)
        instance: Response = self.get_object()
        serializer = ResponseSerializer(
            instance, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            return APIResponse(
                {"version": [_("Send the version you read, so nobody's answer is overwritten.")]},
                status=400,
            )
        version = data.pop("version")
        try:
            saved = instance.save_edit(data, by=cast("User", request.user), base_version=version)
        except EditConflict as exc:
            # The refusal with the answer as it is now, so the client can merge.
            body = {**refusals.answer(exc), "current": ResponseSerializer(exc.current).data}
            return APIResponse(body, status=exc.status)
        return APIResponse(ResponseSerializer(saved).data)


# -- evidence ---------------------------------------------------------------------------


class EvidenceSerializer(ValidatedModelSerializer):
    file = serializers.FileField(
        write_only=True,
        required=False,
        help_text=f"On create: the first version. Accepted: {accepted_types_text()}.",
    )
    current_version = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "response",
            "title",
            "expires_on",
            "file",
            "current_version",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]

    def validate_file(self, value: Any) -> Any:
        check_upload(value)
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        upload = attrs.pop("file", None)
        attrs = super().validate(attrs)
        if self.instance is None and upload is None:
            raise serializers.ValidationError({"file": [_("Upload the file of the evidence.")]})
        if upload is not None:
            attrs["file"] = upload
        return attrs


class EvidenceViewSet(TenantViewSet):
    """Evidence documents of answers. Create with multipart form data (`response`, `title`,
    `expires_on`, `file`); a new version of the file goes to `/evidence-files/`."""

    queryset = Evidence.objects.with_current_file()
    serializer_class = EvidenceSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["response", "response__profile"]

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)
        fields = getattr(serializer, "fields", {})
        if "response" in fields:
            fields["response"].queryset = Response.objects.for_user(self.request.user, "edit")
            if self.action not in ("create", None):
                fields["response"].read_only = True
        return serializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> APIResponse:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evidence = workflow.add_evidence(
            data["response"],
            title=data["title"],
            expires_on=data.get("expires_on"),
            upload=data["file"],
            by=cast("User", request.user),
        )
        return APIResponse(EvidenceSerializer(evidence).data, status=201)


class EvidenceFileSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    file = serializers.FileField(write_only=True, help_text=f"Accepted: {accepted_types_text()}.")
    url = ProtectedFileURLField("file")

    class Meta:
        model = EvidenceFile
        fields = [
            "id",
            "evidence",
            "version",
            "file",
            "url",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = [
            "version",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
        ]

    def validate_file(self, value: Any) -> Any:
        check_upload(value)
        return value


class EvidenceFileViewSet(TenantViewSet):
    """Uploaded versions of evidence documents. `POST` adds a new version (the earlier ones
    stay); `download/` returns the file."""

    queryset = EvidenceFile.objects.all()
    serializer_class = EvidenceFileSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["evidence", "sha256"]
    action_permissions = {**TenantViewSet.action_permissions, "download": "view"}

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)
        fields = getattr(serializer, "fields", {})
        if "evidence" in fields:
            fields["evidence"].queryset = Evidence.objects.for_user(self.request.user, "edit")
        return serializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> APIResponse:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        file = workflow.add_evidence_version(
            serializer.validated_data["evidence"],
            upload=serializer.validated_data["file"],
            by=cast("User", request.user),
        )
        return APIResponse(EvidenceFileSerializer(file).data, status=201)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> Any:
        file: EvidenceFile = self.get_object()
        return file.download()


# -- submissions ------------------------------------------------------------------------


class SubmissionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Submission
        fields = [
            "id",
            "company",
            "profile",
            "number",
            "kind",
            "submitted_by",
            "submitted_at",
            "signer_name",
            "signer_title",
            "attestation",
            "overall_score",
            "snapshot",
        ]
        read_only_fields = fields


class SubmissionListSerializer(SubmissionSerializer):
    class Meta(SubmissionSerializer.Meta):
        fields = [f for f in SubmissionSerializer.Meta.fields if f != "snapshot"]
        read_only_fields = fields


class SubmissionViewSet(TenantViewSet):
    """Frozen profile submissions (read only). `diff/?against=<id>` lists what changed
    from another submission (default: the one before)."""

    queryset = Submission.objects.all()
    serializer_class = SubmissionSerializer
    http_method_names = ["get", "head", "options"]
    filterset_class = SubmissionFilter  # the submissions page's filters, same names
    action_permissions = {**TenantViewSet.action_permissions, "diff": "view"}

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        return queryset.defer("snapshot") if self.action == "list" else queryset

    def get_serializer_class(self) -> Any:
        return SubmissionListSerializer if self.action == "list" else SubmissionSerializer

    @extend_schema(parameters=[OpenApiParameter("against", int)])
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, pk: str | None = None) -> APIResponse:
        new: Submission = self.get_object()
        others = self.get_queryset().filter(company_id=new.company_id)
        against = request.query_params.get("against")
        try:
            old = (
                others.get(pk=int(against))
                if against
                else others.filter(number__lt=new.number).order_by("-number").first()
            )
        except (ValueError, Submission.DoesNotExist):
            return APIResponse(
                {"against": [_("Not a submission of the same company.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if old is None:
            return APIResponse({"from": None, "to": new.number, "changes": []})
        changes = diff_snapshots(old.snapshot, new.snapshot)
        return APIResponse(
            {"from": old.number, "to": new.number, "changes": [asdict(c) for c in changes]}
        )
