"""REST API of partner questionnaires: read-only list and detail with answers and score.
Sending and answering go through the pages (the link token is shown only once)."""

from __future__ import annotations

from rest_framework import serializers

from core.api import TenantViewSet, ValidatedModelSerializer
from questionnaires.filters import QuestionnaireFilter
from questionnaires.models import Answer, AnswerEvidence, Questionnaire


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
            "answers",
        ]
        read_only_fields = fields

    def get_overdue(self, obj: Questionnaire) -> bool:
        return obj.is_overdue()


class QuestionnaireViewSet(TenantViewSet):
    queryset = Questionnaire.objects.prefetch_related("answers__evidence")
    serializer_class = QuestionnaireSerializer
    filterset_class = QuestionnaireFilter
    http_method_names = ["get", "head", "options"]
