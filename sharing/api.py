"""REST API of profile sharing: the shares your companies gave and received, and the
scoped summary of a share you received. Decisions are made on the pages, where the
sharing company's officer or administrator sees what it is consenting to."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import TenantViewSet
from sharing import workflow
from sharing.filters import ShareFilter
from sharing.models import Share, ShareView


class ShareSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    requester_name = serializers.CharField(source="requester.legal_name", read_only=True)
    sharer_name = serializers.CharField(source="sharer.legal_name", read_only=True)
    parts = serializers.SerializerMethodField()
    active = serializers.SerializerMethodField()

    class Meta:
        model = Share
        fields = [
            "id",
            "requester",
            "requester_name",
            "sharer",
            "sharer_name",
            "status",
            "active",
            "parts",
            "expires_on",
            "message",
            "created_at",
            "decided_at",
            "revoked_at",
        ]
        read_only_fields = fields

    def get_parts(self, share: Share) -> list[str]:
        return share.parts()

    def get_active(self, share: Share) -> bool:
        return share.is_active()


DIRECTION = OpenApiParameter(
    "direction",
    str,
    enum=["given", "received"],
    description="`given`: shares your companies were asked for; `received`: shares they asked for.",
)


@extend_schema_view(list=extend_schema(parameters=[DIRECTION]))
class ShareViewSet(TenantViewSet):
    """Profile shares of your companies, given and received (read only)."""

    queryset = Share.objects.select_related("requester", "sharer")
    serializer_class = ShareSerializer
    http_method_names = ["get", "head", "options"]
    filterset_class = ShareFilter

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def summary(self, request: Request, pk: str | None = None) -> Response:
        """The summary of a share your company received, limited to its scope; 404 once
        revoked or expired. Each call is logged in the sharer's trail."""
        share = (
            Share.objects.received_by(request.user)
            .active()
            .select_related("sharer__certification")
            .filter(pk=int(pk or 0))
            .first()
        )
        if share is None:
            raise Http404
        workflow.record_view(share, by=request.user, channel=ShareView.Channel.API)  # type: ignore[arg-type]
        return Response(workflow.summary(share))
