"""REST API for partners' program statuses and the mutual recognition arrangements.

`/api/v1/partner-statuses/`: the statuses of your companies' partners; `counts` says
whether a status meets the status requirement today (recognised program, current, proof
on file). A status is created with its proof, as on the page (`recognition.workflow.
record_status`): multipart, the fields plus `file`. Further proofs go to
`/api/v1/partner-statuses/<id>/proof/` as multipart `file`, checked like every evidence
file. `.../verify/` and `.../revoke/` (`revoked_on`, `reason`) are the page's verbs
(`recognition.workflow.verify_status` / `revoke_status`). `/api/v1/arrangements/`: the
arrangements.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import TenantViewSet, ValidatedModelSerializer
from core.files import absolute_url
from core.uploads import check_upload
from partners.models import BusinessPartner
from recognition import workflow
from recognition.arrangements import load_arrangements
from recognition.models import PROOF_KINDS, PartnerStatus

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


class PartnerStatusSerializer(ValidatedModelSerializer):
    counts = serializers.SerializerMethodField()
    proofs = serializers.SerializerMethodField()

    class Meta:
        model = PartnerStatus
        fields = [
            "id",
            "partner",
            "program",
            "program_name",
            "country",
            "number",
            "issued_on",
            "expires_on",
            "revoked_on",
            "revoked_reason",
            "verified_by",
            "verified_at",
            "counts",
            "proofs",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["verified_by", "verified_at", "created_at", "updated_at"]

    def get_counts(self, obj: PartnerStatus) -> bool:
        return obj.counts()

    def get_proofs(self, obj: PartnerStatus) -> list[dict[str, Any]]:
        request = self.context.get("request")
        return [
            {
                "id": p.pk,
                "name": p.original_name,
                "sha256": p.sha256,
                "size": p.size,
                "url": absolute_url(p, "file", request),
            }
            for p in obj.proofs.all()
        ]


class ProofUploadField(serializers.FileField):
    """The proof file, checked by content like the page's proof field."""

    def to_internal_value(self, data: Any) -> Any:
        upload = super().to_internal_value(data)
        try:
            check_upload(cast("UploadedFile[bytes]", upload), PROOF_KINDS)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return upload


class PartnerStatusCreateSerializer(PartnerStatusSerializer):
    file = ProofUploadField(
        write_only=True,
        help_text="The proof (certificate or letter; PDF, PNG or JPEG), sent as multipart "
        "with the other fields. Required: a status is never recorded without its proof.",
    )

    class Meta(PartnerStatusSerializer.Meta):
        fields = [*PartnerStatusSerializer.Meta.fields, "file"]


class RevokeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    revoked_on = serializers.DateField()
    reason = serializers.CharField()


class PartnerStatusViewSet(TenantViewSet):
    """Program statuses of your companies' partners. Filter by `partner`, `program`."""

    queryset = PartnerStatus.objects.prefetch_related("proofs")
    serializer_class = PartnerStatusSerializer
    filterset_fields = ["partner", "program"]
    # A status that ends is revoked (kept as evidence), never deleted.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    action_permissions = {
        **TenantViewSet.action_permissions,
        "proof": "edit",
        "verify": "edit",
        "revoke": "edit",
    }

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)
        fields = getattr(serializer, "fields", {})
        if "partner" in fields:
            if self.action == "create":
                # Only partners of companies where the caller may edit.
                fields["partner"].queryset = BusinessPartner.objects.for_user(
                    self.request.user, "edit"
                )
            else:
                fields["partner"].read_only = True
        return serializer

    def get_serializer_class(self) -> Any:
        return PartnerStatusCreateSerializer if self.action == "create" else PartnerStatusSerializer

    def perform_create(self, serializer: Any) -> None:
        fields = dict(serializer.validated_data)
        upload = fields.pop("file", None)
        serializer.instance = workflow.record_status(
            PartnerStatus(**fields), upload=upload, by=cast(Any, self.request.user)
        )

    @extend_schema(request={"multipart/form-data": PartnerStatusCreateSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Another company's partner (or one the caller may only read) answers 404, as
        # everywhere; a value that is no id at all gets the serializer's 400.
        raw = request.data.get("partner") if hasattr(request.data, "get") else None
        if isinstance(raw, int | str) and str(raw).isdigit():
            editable = BusinessPartner.objects.for_user(request.user, "edit")
            if not editable.filter(pk=int(raw)).exists():
                raise Http404
        return super().create(request, *args, **kwargs)

    @action(detail=True, methods=["post"])
    def proof(self, request: Request, pk: str | None = None) -> Response:
        """Upload the proof document (multipart field `file`)."""
        item = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            return Response({"file": ["Send the proof as a multipart field named file."]}, 400)
        try:
            proof = workflow.add_proof(item, upload=upload, by=cast(Any, request.user))
        except ValidationError as exc:
            return Response({"file": exc.messages}, 400)
        return Response({"id": proof.pk, "name": proof.original_name, "sha256": proof.sha256}, 201)

    @extend_schema(request=None, responses=PartnerStatusSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """Record that you checked the proof with the issuing customs administration (as the
        page's "Mark verified"); 409 `proof_missing` while no proof is on file."""
        item = workflow.verify_status(self.get_object(), by=cast(Any, request.user))
        return Response(PartnerStatusSerializer(item, context={"request": request}).data)

    @extend_schema(request=RevokeSerializer, responses=PartnerStatusSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        """Record that the status was revoked (`revoked_on`, `reason`), as the page does; the
        status is kept as evidence of the time it held."""
        item = self.get_object()
        body = RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = workflow.revoke_status(
            item,
            revoked_on=body.validated_data["revoked_on"],
            reason=body.validated_data["reason"],
            by=cast(Any, request.user),
        )
        return Response(PartnerStatusSerializer(item, context={"request": request}).data)


@extend_schema(
    responses=inline_serializer(
        "ArrangementList",
        {
            "version": serializers.CharField(),
            "results": inline_serializer(
                "Arrangement",
                {
                    "id": serializers.CharField(),
                    "partner": serializers.CharField(),
                    "countries": serializers.ListField(child=serializers.CharField()),
                    "programs": serializers.ListField(child=serializers.CharField()),
                    "program_name": serializers.CharField(),
                    "signed": serializers.CharField(help_text="YYYY-MM"),
                    "in_force": serializers.BooleanField(),
                    "source": serializers.CharField(),
                    "note": serializers.CharField(),
                },
                many=True,
            ),
        },
    )
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def arrangement_list(request: Request) -> Response:
    """The mutual recognition arrangements CBP signed: partner, program, countries covered,
    signing month, whether in force, and the source."""
    data = load_arrangements()
    return Response(
        {
            "version": data.version,
            "results": [
                {
                    "id": a.id,
                    "partner": a.partner_name,
                    "countries": sorted(a.countries),
                    "programs": sorted(a.programs),
                    "program_name": a.program_name,
                    "signed": a.signed.strftime("%Y-%m"),
                    "in_force": a.in_force,
                    "source": a.source,
                    "note": a.note,
                }
                for a in data.arrangements
            ],
        }
    )
