"""REST API for courses, sessions, training records and the (read-only) training matrix."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from companies.models import Company
from core.api import TenantViewSet, ValidatedModelSerializer
from core.files import ProtectedFileURLField
from core.tenancy import get_for_user_or_404
from training import workflow
from training.filters import CourseFilter, SessionFilter
from training.matrix import State, build_matrix
from training.models import Course, TrainingRecord, TrainingSession


def _same_company(attrs: dict[str, Any], instance: Any, *names: str) -> None:
    company = attrs.get("company") or getattr(instance, "company", None)
    if instance is not None and "company" in attrs and attrs["company"] != instance.company:
        raise serializers.ValidationError({"company": "A record cannot move to another company."})
    for name in names:
        values = attrs.get(name)
        related = values if isinstance(values, list) else [values] if values else []
        if company and any(r.company_id != company.pk for r in related):
            raise serializers.ValidationError(
                {name: "Choose one that belongs to the same company."}
            )


class CourseSerializer(ValidatedModelSerializer):
    title = serializers.CharField(read_only=True, help_text="In the request's language.")

    class Meta:
        model = Course
        fields = [
            "id",
            "company",
            "code",
            "title",
            "title_en",
            "title_es",
            "description_en",
            "description_es",
            "criteria",
            "refresher_months",
            "roles",
            "pass_mark",
            "active",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        _same_company(attrs, self.instance, "roles")
        company = attrs.get("company") or getattr(self.instance, "company", None)
        code = attrs.get("code")
        if company and code:
            taken = Course.objects.filter(company=company, code=code)
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise serializers.ValidationError({"code": "This company already has this code."})
        return attrs


class CourseViewSet(TenantViewSet):
    """Security training courses: MSC criteria met, refresher period, roles that need them."""

    queryset = Course.objects.prefetch_related("roles")
    serializer_class = CourseSerializer
    filterset_class = CourseFilter


class SessionSerializer(ValidatedModelSerializer):
    has_sign_in_sheet = serializers.SerializerMethodField()
    sign_in_sheet_url = ProtectedFileURLField("sign_in_sheet")

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "company",
            "course",
            "held_on",
            "trainer",
            "topics",
            "facility",
            "notes",
            "has_sign_in_sheet",
            "sign_in_sheet_url",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_has_sign_in_sheet(self, obj: TrainingSession) -> bool:
        return bool(obj.sign_in_sheet)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        _same_company(attrs, self.instance)
        return attrs


class SessionViewSet(TenantViewSet):
    """Training sessions (date, trainer, topics). Files are uploaded on the session page."""

    queryset = TrainingSession.objects.all()
    serializer_class = SessionSerializer
    filterset_class = SessionFilter


class RecordSerializer(ValidatedModelSerializer):
    class Meta:
        model = TrainingRecord
        fields = [
            "id",
            "company",
            "employee",
            "course",
            "session",
            "completed_on",
            "quiz_score",
            "observation",
            "notes",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        _same_company(attrs, self.instance)
        return attrs


class RecordViewSet(TenantViewSet):
    """Individual training records; a record cannot be dated before its session."""

    queryset = TrainingRecord.objects.all()
    serializer_class = RecordSerializer
    filterset_fields = ["company", "employee", "course", "session"]

    def perform_create(self, serializer: Any) -> None:
        record = TrainingRecord(
            **serializer.validated_data, recorded_by=cast(Any, self.request.user)
        )
        serializer.instance = workflow.record_training(record)


class MatrixQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    company = serializers.IntegerField(help_text="The id of a company you may view.")
    state = serializers.ChoiceField(choices=State.choices, required=False)


@extend_schema(
    parameters=[
        OpenApiParameter("company", int, required=True),
        OpenApiParameter(
            "state",
            str,
            enum=State.values,
            description="Only people with a required course in this state.",
        ),
    ],
    responses={200: dict},
)
class MatrixViewSet(viewsets.ViewSet):
    """The training matrix of one company (read only): each active person × the courses
    their roles require, with state done / due_soon / overdue / missing and the due date."""

    def list(self, request: Request) -> Response:
        query = MatrixQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        company = get_for_user_or_404(
            Company, request.user, "view", pk=query.validated_data["company"]
        )
        matrix = build_matrix(company)
        state = query.validated_data.get("state")
        rows = [
            r
            for r in matrix.rows
            if r.required() and (not state or any(c.state == state for c in r.required()))
        ]
        return Response(
            {
                "company": company.pk,
                "today": matrix.today.isoformat(),
                "courses": [
                    {"id": c.pk, "code": c.code, "title": c.title, "criteria": c.criteria}
                    for c in matrix.courses
                ],
                "summary": [
                    {
                        "course": s.course.pk,
                        "required": s.required,
                        "current": s.current,
                        "rate": s.rate,
                        "counts": s.counts,
                    }
                    for s in matrix.summaries()
                    if s.course
                ],
                "rows": [
                    {
                        "employee": {
                            "id": r.employee.pk,
                            "name": r.employee.full_name,
                            "employee_number": r.employee.employee_number,
                        },
                        "cells": [
                            {
                                "course": c.course.pk,
                                "state": c.state.value,
                                "completed_on": c.completed_on,
                                "due_on": c.due_on,
                                "retraining": c.retraining,
                            }
                            for c in r.required()
                        ],
                    }
                    for r in rows
                ],
            }
        )
