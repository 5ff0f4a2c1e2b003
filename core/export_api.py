"""REST API of background exports (`core.export_jobs`): the caller's own jobs, their
progress, and the download address once the file is ready.

A job is its requester's alone, in a company they still belong to: another person's job,
or one of a company they left, answers 404 as on the job's page. Exports are started from
the pages that offer them (or their list's `?export=csv`); the API follows them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from core import export_jobs
from core.file_fields import ProtectedFileURLField
from core.models import ExportJob


class ExportJobSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    percent = serializers.IntegerField(read_only=True, help_text="0–100; 100 when ready.")
    finished = serializers.BooleanField(
        read_only=True, help_text="Ready or failed: the state will not change again."
    )
    expires_at = serializers.SerializerMethodField(
        help_text="When the job and its file are removed."
    )
    page_url = serializers.SerializerMethodField(
        help_text="The job's page in the portal (progress, then the download)."
    )
    download_url = ProtectedFileURLField(
        "file", help_text="The file, once the job is ready (null before); same token."
    )

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "company",
            "kind",
            "title",
            "language",
            "state",
            "done",
            "total",
            "percent",
            "finished",
            "error",
            "filename",
            "content_type",
            "size",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "page_url",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateTimeField())
    def get_expires_at(self, job: ExportJob) -> Any:
        return serializers.DateTimeField().to_representation(export_jobs.expires_at(job))

    @extend_schema_field(serializers.URLField())
    def get_page_url(self, job: ExportJob) -> str:
        path = reverse("exports:job", args=[job.company_id, job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ExportJobViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Your background exports, newest first (kept `CTPAT_EXPORT_KEEP_HOURS`). Filter by
    `company` and `state`. Poll a job until `finished`; when its `state` is `done`,
    `download_url` serves the file with the same token."""

    queryset = ExportJob.objects.select_related("company")
    serializer_class = ExportJobSerializer
    filterset_fields = ["company", "state"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ExportJob]:
        user = self.request.user
        jobs: QuerySet[ExportJob] = (
            ExportJob.objects.for_user(user, "view")
            .filter(requested_by_id=user.pk)
            .select_related("company")
            .order_by("-created_at", "-pk")
        )
        return jobs
