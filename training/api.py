"""REST API for courses, sessions, training records and the (read-only) training matrix."""

from __future__ import annotations

from typing import Any, cast

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from companies.models import Company
from core.api import TenantViewSet, ValidatedModelSerializer
from core.files import ProtectedFileURLField
from core.tenancy import get_for_user_or_404
from personnel.models import Employee
from training import workflow
from training.filters import CourseFilter, SessionFilter
from training.matrix import Row, State, course_summaries, page_matrix, people_on_matrix
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


class MatrixCourseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField(help_text="In the request's language.")
    criteria = serializers.ListField(child=serializers.CharField())


class MatrixSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    course = serializers.IntegerField()
    # A declared field shadows `Field.required` only in the type checker's eyes: DRF's
    # metaclass moves declared fields off the class.
    required = serializers.IntegerField(  # type: ignore[assignment]
        help_text="Active people whose roles require it."
    )
    current = serializers.IntegerField(help_text="Of those, done or due soon.")
    rate = serializers.IntegerField(allow_null=True, help_text="current / required, in %.")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="People per state: " + ", ".join(State.values)
    )


class MatrixPersonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField()
    employee_number = serializers.CharField()


class MatrixCellSerializer(serializers.Serializer):  # type: ignore[type-arg]
    course = serializers.IntegerField()
    state = serializers.ChoiceField(choices=State.choices)
    completed_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    retraining = serializers.CharField(help_text="The open retraining request's reason, if any.")


class MatrixRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    employee = MatrixPersonSerializer()
    cells = MatrixCellSerializer(many=True, help_text="The courses this person's roles require.")


class MatrixPageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    count = serializers.IntegerField(help_text="People listed, on every page.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    company = serializers.IntegerField()
    today = serializers.DateField()
    courses = MatrixCourseSerializer(many=True)
    summary = MatrixSummarySerializer(many=True, help_text="Every person, not only this page.")
    results = MatrixRowSerializer(many=True, help_text="This page's people, by name.")


@extend_schema(
    parameters=[
        OpenApiParameter("company", int, required=True),
        OpenApiParameter(
            "state",
            str,
            enum=State.values,
            description="Only people with a required course in this state.",
        ),
        OpenApiParameter("page", int, description="A page number within the results."),
    ],
    responses={200: MatrixPageSerializer},
)
class MatrixViewSet(viewsets.ViewSet):
    """The training matrix of one company (read only), paged like the other lists: each
    active person whose roles require a course × those courses, with state done /
    due_soon / overdue / missing and the due date; the courses and the per-course summary
    (of everyone) come with every page."""

    def list(self, request: Request) -> Response:
        query = MatrixQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        company = get_for_user_or_404(
            Company, request.user, "view", pk=query.validated_data["company"]
        )
        today = timezone.localdate()
        courses = list(
            Course.objects.filter(company=company, active=True).prefetch_related("roles")
        )
        people = people_on_matrix(
            Employee.objects.filter(company=company, active=True),
            courses,
            query.validated_data.get("state", ""),
            today,
        )
        paginator = cast(Any, api_settings.DEFAULT_PAGINATION_CLASS)()
        ids = list(paginator.paginate_queryset(people, request, view=self) or [])
        matrix = page_matrix(company, ids, courses, today)
        response: Response = paginator.get_paginated_response([_row(r) for r in matrix.rows])
        # The paging keys as on every list (count, next, previous), the matrix's own
        # keys, and this page's people last as `results`.
        page = {k: v for k, v in response.data.items() if k != "results"}
        response.data = {
            **page,
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
                for s in course_summaries(company, courses=courses, today=today)
                if s.course
            ],
            "results": response.data["results"],
        }
        return response


def _row(row: Row) -> dict[str, Any]:
    return {
        "employee": {
            "id": row.employee.pk,
            "name": row.employee.full_name,
            "employee_number": row.employee.employee_number,
        },
        "cells": [
            {
                "course": c.course.pk,
                "state": c.state.value,
                "completed_on": c.completed_on,
                "due_on": c.due_on,
                "retraining": c.retraining,
            }
            for c in row.required()
        ],
    }
