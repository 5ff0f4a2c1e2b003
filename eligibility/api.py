"""REST API for eligibility: the questions that apply to a business type, running and
reading eligibility checks, and checking one identifier's format."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from companies.choices import BusinessSubtype, BusinessType
from companies.identifiers import IdentifierType, required_identifiers, validate_identifier
from companies.models import Company
from core.api import TenantViewSet
from core.tenancy import get_for_user_or_404
from eligibility.models import EligibilityCheck, Reason
from eligibility.questions import load_questions
from eligibility.workflow import applicable_questions, clean_profile, run_check


def _choice(choices: Any, what: Promise, **kwargs: Any) -> serializers.ChoiceField:
    """A choice field whose error lists what would be accepted."""
    values = ", ".join(value for value, _label in choices if value)
    message = format_lazy(
        _("“{{input}}” is not {what}; use one of: {values}."), what=what, values=values
    )
    return serializers.ChoiceField(
        choices=choices, error_messages={"invalid_choice": message}, **kwargs
    )


def _country_field(**kwargs: Any) -> serializers.ChoiceField:
    message = _("“{input}” is not a country code; use a two-letter ISO code such as US, MX or CA.")
    return serializers.ChoiceField(
        choices=list(countries), error_messages={"invalid_choice": message}, **kwargs
    )


class QuestionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.CharField()
    text = serializers.CharField(source="label")
    qualifying_answer = serializers.CharField()
    severity = serializers.CharField(
        help_text="disqualifies: the company cannot apply until it is fixed; concern: CBP "
        "judges it case by case."
    )
    why = serializers.CharField(source="why_text")
    remedy = serializers.CharField(source="remedy_text")


class QuestionListSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What the question list answers (documentation of the response)."""

    business_type = serializers.CharField()
    subtype = serializers.CharField()
    country = serializers.CharField()
    language = serializers.CharField()
    version = serializers.CharField(help_text="Version of the question file.")
    required_identifiers = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Identifier kinds the type needs; any one kind of an inner list meets it.",
    )
    questions = QuestionSerializer(many=True)


class QuestionQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    business_type = _choice(BusinessType.choices, _("a business type"))
    subtype = _choice(BusinessSubtype.choices, _("a sub-type"), required=False, default="")
    country = _country_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _check_profile(attrs["business_type"], attrs["subtype"], attrs["country"], "subtype")
        return attrs


def _check_profile(business_type: str, subtype: str, country: str, subtype_field: str) -> None:
    try:
        clean_profile(business_type, subtype, country)
    except DjangoValidationError as exc:
        errors = {
            (subtype_field if name == "business_subtype" else name): messages
            for name, messages in exc.message_dict.items()
        }
        raise serializers.ValidationError(errors) from exc


@extend_schema(
    parameters=[
        OpenApiParameter("business_type", str, required=True, enum=BusinessType.values),
        OpenApiParameter("subtype", str, enum=[v for v in BusinessSubtype.values if v]),
        OpenApiParameter("country", str, required=True, description="ISO code, e.g. MX"),
    ],
    responses=QuestionListSerializer,
)
@api_view(["GET"])
def question_list(request: Request) -> Response:
    """The eligibility questions for a business type, sub-type and country, in the request's
    language (Accept-Language: es for Spanish), with the identifiers the type needs."""
    query = QuestionQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    params = query.validated_data
    questions = applicable_questions(params["business_type"], params["subtype"], params["country"])
    return Response(
        {
            **params,
            "language": get_language(),
            "version": load_questions().version,
            "required_identifiers": required_identifiers(
                params["business_type"], params["country"]
            ),
            "questions": QuestionSerializer(questions, many=True).data,
        }
    )


class ReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.CharField()
    question = serializers.CharField()
    answer = serializers.CharField()
    why = serializers.CharField()
    remedy = serializers.CharField()


class EligibilityCheckSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    country = serializers.CharField(source="country.code")
    created_by = serializers.EmailField(source="created_by.email", default=None)
    disqualified = serializers.SerializerMethodField(
        help_text="Each answer that disqualifies, with why it matters and what to do."
    )
    concerns = serializers.SerializerMethodField(
        help_text="Answers CBP will look at; they do not disqualify by themselves."
    )
    identifiers = serializers.SerializerMethodField(
        help_text="Each identifier the business type needs: the kinds that satisfy it and "
        "whether the company holds one now."
    )

    class Meta:
        model = EligibilityCheck
        fields = [
            "id",
            "company",
            "business_type",
            "business_subtype",
            "country",
            "questions_version",
            "answers",
            "qualifies",
            "disqualified_ids",
            "disqualified",
            "concern_ids",
            "concerns",
            "identifiers",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def _reasons(self, reasons: list[Reason]) -> Any:
        return ReasonSerializer(reasons, many=True).data

    def get_disqualified(self, obj: EligibilityCheck) -> Any:
        return self._reasons(obj.disqualifying_reasons())

    def get_concerns(self, obj: EligibilityCheck) -> Any:
        return self._reasons(obj.concerns())

    def get_identifiers(self, obj: EligibilityCheck) -> list[dict[str, Any]]:
        missing = set(obj.missing_identifiers())
        return [
            {"kinds": list(group), "held": group not in missing}
            for group in obj.required_identifiers()
        ]


class CheckRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    company = serializers.IntegerField(
        help_text="The company checked; you must be able to edit it."
    )
    answers = serializers.JSONField(
        help_text='One answer per applicable question: {"question id": "yes" or "no"}.'
    )
    business_type = _choice(
        BusinessType.choices,
        _("a business type"),
        required=False,
        help_text="Defaults to the company's business type.",
    )
    business_subtype = _choice(
        BusinessSubtype.choices,
        _("a sub-type"),
        required=False,
        help_text="Defaults to the company's sub-type.",
    )
    country = _country_field(required=False, help_text="Defaults to the company's country.")


class EligibilityCheckViewSet(TenantViewSet):
    """Eligibility checks of the companies you may see. Running one (POST) judges the
    answers to the questions for the company's business type (or the type given) and
    stores the result; it does not change the company. Send an `Idempotency-Key` header
    (a UUID) to make a retried POST return the first result instead of a second check."""

    queryset = EligibilityCheck.objects.select_related("company", "created_by").prefetch_related(
        "company__identifiers"
    )
    serializer_class = EligibilityCheckSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["company", "business_type", "qualifies"]

    @extend_schema(request=CheckRequestSerializer, responses={201: EligibilityCheckSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = CheckRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        company = get_for_user_or_404(Company, request.user, "edit", pk=data["company"])
        profile = {
            "business_type": data.get("business_type", company.business_type),
            "subtype": data.get("business_subtype", company.business_subtype),
            "country": data.get("country", company.country.code),
        }
        # A retry with the same `Idempotency-Key` is answered by TenantViewSet's mixin.
        result = run_check(company, request.user, answers=data["answers"], **profile)
        body = self.get_serializer(result).data
        return Response(body, status=201)


class IdentifierCheckSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = _choice(IdentifierType.choices, _("an identifier type"))
    value = serializers.CharField(trim_whitespace=False)


@extend_schema(request=IdentifierCheckSerializer, responses=IdentifierCheckSerializer)
@api_view(["POST"])
def identifier_validate(request: Request) -> Response:
    """Check one identifier's format. Answers 200 with the value in its canonical form, or
    400 with a message on `value` saying what an acceptable value looks like."""
    incoming = IdentifierCheckSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    kind = incoming.validated_data["kind"]
    try:
        value = validate_identifier(kind, incoming.validated_data["value"])
    except DjangoValidationError as exc:
        return Response({"value": exc.messages}, status=400)
    return Response({"kind": kind, "value": value})
