"""REST API of a person's inbox: their notices (newest first, unread ones counted), marking
one or all read, the counts the header shows, and their notice settings. The same workflow
functions as the inbox pages (`notices.workflow`).

Everything here is the caller's own: another person's notice answers 404, whatever the
caller's role or companies."""

from __future__ import annotations

from typing import Any

import django_filters
from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.idempotency import IdempotentPostMixin
from notices import workflow
from notices.models import Notice, NoticeSettings
from notices.views import task_count, unread_count


class NoticeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    is_read = serializers.BooleanField(read_only=True)
    company_name = serializers.CharField(
        source="company.legal_name", read_only=True, allow_null=True, default=None
    )
    url = serializers.SerializerMethodField(
        help_text="The page that resolves it (absolute), or empty."
    )

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "key",
            "company",
            "company_name",
            "title",
            "body",
            "url",
            "language",
            "created_at",
            "read_at",
            "is_read",
            "emailed_at",
        ]
        read_only_fields = fields

    def get_url(self, notice: Notice) -> str:
        request = self.context.get("request")
        if not notice.url or request is None or not notice.url.startswith("/"):
            return notice.url
        return str(request.build_absolute_uri(notice.url))


class CountsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    unread = serializers.IntegerField(read_only=True, help_text="Notices not read yet.")
    tasks = serializers.IntegerField(
        read_only=True, help_text="Tasks due or waiting on you (as on the task list)."
    )


class MarkedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    marked = serializers.IntegerField(read_only=True, help_text="Notices marked read now.")


class NoticeSettingsSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    language = serializers.ChoiceField(
        choices=[("", "")] + list(settings.LANGUAGES),
        required=False,
        allow_blank=True,
        help_text="Language of notices and e-mails; empty: the company's preferred language.",
    )

    class Meta:
        model = NoticeSettings
        fields = ["email", "digest", "language"]


class NoticeFilter(django_filters.FilterSet):  # type: ignore[misc]
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="Only unread (true) or only read (false)"
    )

    class Meta:
        model = Notice
        fields = ["company", "kind"]


class NoticeViewSet(
    IdempotentPostMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Your notices, newest first. Filter with `unread=true`, `company` and `kind`. Reading
    one here does not mark it read: `POST …/read/` does (as opening it on its page), and
    `POST read-all/` marks every one."""

    queryset = Notice.objects.select_related("company")
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Notice]:
        return Notice.objects.filter(user_id=self.request.user.pk or 0).select_related("company")

    @extend_schema(request=None, responses={200: NoticeSerializer})
    @action(detail=True, methods=["post"], url_path="read", url_name="read")
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark the notice read (already read: unchanged)."""
        notice = workflow.mark_read(self.get_object())
        return Response(self.get_serializer(notice).data)

    @extend_schema(request=None, responses={200: MarkedSerializer})
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread notice of yours read."""
        return Response({"marked": workflow.mark_all_read(request.user)})

    @extend_schema(responses={200: CountsSerializer})
    @action(detail=False, methods=["get"], url_path="counts", url_name="counts")
    def counts(self, request: Request) -> Response:
        """Unread notices and open tasks, as the header shows them."""
        return Response({"unread": unread_count(request.user), "tasks": task_count(request.user)})

    @extend_schema(methods=["GET"], request=None, responses={200: NoticeSettingsSerializer})
    @extend_schema(
        methods=["PUT", "PATCH"],
        request=NoticeSettingsSerializer,
        responses={200: NoticeSettingsSerializer},
    )
    @action(
        detail=False,
        methods=["get", "put", "patch"],
        url_path="settings",
        url_name="settings",
        filterset_class=None,
        pagination_class=None,
    )
    def notice_settings(self, request: Request) -> Response:
        """How you hear of notices: an e-mail for each, a daily digest, their language.
        Never saved: both e-mails on, the company's language."""
        own = workflow.settings_for(request.user)
        if request.method == "GET":
            return Response(NoticeSettingsSerializer(own).data)
        payload = NoticeSettingsSerializer(
            own, data=request.data, partial=request.method == "PATCH"
        )
        payload.is_valid(raise_exception=True)
        values: dict[str, Any] = {
            "email": own.email,
            "digest": own.digest,
            "language": own.language,
            **payload.validated_data,
        }
        saved = workflow.save_settings(request.user, **values)
        return Response(NoticeSettingsSerializer(saved).data)
