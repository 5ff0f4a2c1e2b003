"""REST API of partner questionnaires: list and detail with answers and score, and the
member's `reviewed` step on a submitted one. Sending and answering go through the pages
(the link token is shown only once).

Members' own question sets: list and read them with their versions, import one (TOML or
YAML text, the same file as the page's import), publish its draft as a new version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import TenantViewSet, ValidatedModelSerializer
from core.schema import RefusalSerializer
from core.tenancy import get_for_user_or_404
from questionnaires import builder, workflow
from questionnaires.filters import QuestionnaireFilter
from questionnaires.models import (
    Answer,
    AnswerEvidence,
    MemberQuestionSet,
    Questionnaire,
    QuestionSetVersion,
)


class AnswerSerializer(ValidatedModelSerializer):
    evidence: serializers.SlugRelatedField[AnswerEvidence] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="original_name"
    )

    class Meta:
        model = Answer
        fields = [
            "question_id",
            "criterion_ref",
            "option",
            "value",
            "comment",
            "answered_by",
            "answered_at",
            "from_last_year",
            "evidence",
        ]
        read_only_fields = fields


class QuestionnaireSerializer(ValidatedModelSerializer):
    answers = AnswerSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "company",
            "partner",
            "template_key",
            "template_version",
            "set_version",
            "language",
            "contact_name",
            "contact_email",
            "status",
            "overdue",
            "sent_at",
            "expires_at",
            "revoked_at",
            "submitted_at",
            "submitted_by_name",
            "score",
            "band",
            "reviewed_at",
            "reviewed_by",
            "answers",
        ]
        read_only_fields = fields

    def get_overdue(self, obj: Questionnaire) -> bool:
        return obj.is_overdue()


class QuestionnaireViewSet(TenantViewSet):
    queryset = Questionnaire.objects.prefetch_related("answers__evidence")
    serializer_class = QuestionnaireSerializer
    filterset_class = QuestionnaireFilter
    # POST only for the `reviewed` step; questionnaires are sent from the partner's page.
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {**TenantViewSet.action_permissions, "reviewed": "edit"}

    @extend_schema(exclude=True)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise MethodNotAllowed("POST")

    @extend_schema(
        request=None,
        responses={
            200: QuestionnaireSerializer,
            404: OpenApiResponse(description="Not found"),
            409: RefusalSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def reviewed(self, request: Request, pk: str | None = None) -> Response:
        """Mark a submitted questionnaire as reviewed (the page's "Mark as reviewed")."""
        questionnaire = workflow.mark_reviewed(self.get_object(), by=_caller(request))
        return Response(self.get_serializer(questionnaire).data)


if TYPE_CHECKING:
    from accounts.models import User


def _caller(request: Request) -> User:
    """The signed-in caller (every endpoint here requires authentication)."""
    return cast("User", request.user)


class QuestionSetVersionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = QuestionSetVersion
        fields = ["number", "published_at", "content"]
        read_only_fields = fields


class QuestionSetSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    title = serializers.SerializerMethodField()
    versions = QuestionSetVersionSerializer(many=True, read_only=True)

    class Meta:
        model = MemberQuestionSet
        fields = ["id", "company", "key", "title", "based_on", "draft", "versions"]
        read_only_fields = fields

    def get_title(self, obj: MemberQuestionSet) -> str:
        return obj.title()


class QuestionSetImportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    company = serializers.IntegerField(min_value=1, help_text="A company you may edit.")
    format = serializers.ChoiceField(choices=builder.FORMATS, default="toml")
    text = serializers.CharField(max_length=1_000_000, trim_whitespace=False)


class QuestionSetViewSet(TenantViewSet):
    """A member's own partner question sets."""

    queryset = MemberQuestionSet.objects.prefetch_related("versions")
    serializer_class = QuestionSetSerializer
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {**TenantViewSet.action_permissions, "publish": "edit"}

    @extend_schema(
        request=QuestionSetImportSerializer,
        responses={
            200: QuestionSetSerializer,
            201: QuestionSetSerializer,
            400: OpenApiResponse(description="The file's problems: {detail, code}."),
            404: OpenApiResponse(description="No company of yours that you may edit"),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Import a set (TOML or YAML text). A set of the company with the file's key gets
        it as its draft (200); otherwise a new set is made (201). A bad file changes
        nothing and answers 400 naming every problem."""
        serializer = QuestionSetImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Another company, or one the caller may only read: 404, as for its objects.
        company = get_for_user_or_404(
            apps.get_model("companies", "Company"), request.user, "edit", pk=data["company"]
        )
        found, new = workflow.import_set(
            company.pk, data["text"], data["format"], by=_caller(request), source="text"
        )
        return Response(
            QuestionSetSerializer(found).data,
            status=status.HTTP_201_CREATED if new else status.HTTP_200_OK,
        )

    @extend_schema(
        request=None,
        responses={
            201: QuestionSetVersionSerializer,
            404: OpenApiResponse(description="Not found"),
            409: RefusalSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish the draft as the next version; questionnaires already sent keep theirs."""
        version = workflow.publish(self.get_object(), by=_caller(request))
        return Response(QuestionSetVersionSerializer(version).data, status=status.HTTP_201_CREATED)
