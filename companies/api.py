"""REST API for companies, memberships and what describes a company."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django_countries import countries
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from companies import workflow
from companies.choices import Role, TransportMode
from companies.filters import CompanyFilter
from companies.models import (
    Address,
    Company,
    Contact,
    Identifier,
    Invitation,
    Membership,
    ProgramParticipation,
)
from core.api import TenantViewSet, ValidatedModelSerializer
from core.schema import RefusalSerializer

if TYPE_CHECKING:
    from accounts.models import User


def _caller(request: Request) -> User:
    """The signed-in caller (every endpoint here requires authentication)."""
    return cast("User", request.user)


class CompanySerializer(ValidatedModelSerializer):
    account_number = serializers.CharField(read_only=True)
    my_role = serializers.ChoiceField(
        choices=[Role.OFFICER, Role.ADMIN, Role.CONSULTANT],
        write_only=True,
        required=False,
        help_text="Your role in a company you create (default admin).",
    )
    # A list of country codes; each item must be a country (the model field allows the list
    # to be empty, not an item to be blank).
    countries_of_origin = serializers.ListField(
        child=CountryField(),  # type: ignore[no-untyped-call]
        required=False,
        max_length=len(countries),
    )
    transport_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=TransportMode.choices), required=False
    )

    class Meta:
        model = Company
        fields = [
            "id",
            "account_number",
            "legal_name",
            "dba",
            "business_type",
            "business_subtype",
            "country",
            "language",
            "parent_company",
            "subsidiaries",
            "commodities",
            "countries_of_origin",
            "transport_modes",
            "yearly_shipments",
            "uses_ftz",
            "ftz_numbers",
            "my_role",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        role = attrs.pop("my_role", None)
        attrs = super().validate(attrs)
        if role:
            attrs["my_role"] = role
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Company:
        role = validated_data.pop("my_role", Role.ADMIN)
        return workflow.create_company(
            Company(**validated_data), by=self.context["request"].user, role=role
        )

    def update(self, instance: Company, validated_data: dict[str, Any]) -> Company:
        validated_data.pop("my_role", None)
        result: Company = super().update(instance, validated_data)
        return result


class CompanyViewSet(TenantViewSet):
    """Companies you belong to (all companies for program-office staff). Creating a company
    makes you a member with `my_role`. Companies are never deleted through the API."""

    queryset = Company.objects.all()
    serializer_class = CompanySerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_class = CompanyFilter

    def get_queryset(self) -> Any:
        if self.action == "create":
            return Company.objects.none()
        return super().get_queryset()


class MembershipSerializer(ValidatedModelSerializer):
    # People join only by accepting an invitation (`/api/v1/invitations/`); a membership's
    # person and company never change here, only its role.
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "company", "user", "email", "role", "created_at"]
        read_only_fields = ["company", "user", "created_at"]


class MembershipViewSet(TenantViewSet):
    """Who belongs to which company with which role. Changing a role or removing someone
    needs the manage right; people are added only through invitations."""

    queryset = Membership.objects.select_related("user")
    serializer_class = MembershipSerializer
    filterset_fields = ["company", "role"]
    http_method_names = ["get", "put", "patch", "delete", "head", "options"]
    action_permissions = {
        **TenantViewSet.action_permissions,
        "update": "manage",
        "partial_update": "manage",
        "destroy": "manage",
    }

    def perform_update(self, serializer: Any) -> None:
        role = serializer.validated_data.get("role", serializer.instance.role)
        serializer.instance = workflow.change_role(
            serializer.instance, role, by=_caller(self.request)
        )

    def perform_destroy(self, instance: Membership) -> None:
        workflow.remove_member(instance, by=_caller(self.request))


class InvitationSerializer(ValidatedModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="pending, accepted, revoked or expired"
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "company",
            "email",
            "role",
            "status",
            "invited_by",
            "created_at",
            "sent_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = [
            "invited_by",
            "created_at",
            "sent_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        # Set by the workflow, never by the caller.
        clean_exclude = ["token_hash", "expires_at", "sent_at"]


class AcceptInvitationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(max_length=200, help_text="The secret from the e-mailed link.")


REFUSAL = RefusalSerializer
# A 400 is either a field-named validation error or a refusal with a code.
BAD_REQUEST = OpenApiResponse(
    description="A field-named validation error, or a refusal: {detail, code}."
)


class InvitationViewSet(TenantViewSet):
    """Invitations to join a company, for its officer and administrators. Creating one
    e-mails the link; the answer is the same whether or not the address has an account.
    The invited person accepts with `accept`, signed in with the invited address."""

    queryset = Invitation.objects.select_related("company")
    serializer_class = InvitationSerializer
    filterset_fields = ["company", "role"]
    http_method_names = ["get", "post", "delete", "head", "options"]
    action_permissions = {
        "list": "manage",
        "retrieve": "manage",
        "create": "manage",
        "destroy": "manage",
        "resend": "manage",
    }

    @extend_schema(responses={201: InvitationSerializer, 400: BAD_REQUEST, 409: REFUSAL})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        invitation = workflow.invite(
            data["company"], data["email"], data["role"], by=_caller(request)
        )
        return Response(self.get_serializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={204: None, 404: OpenApiResponse(description="Not found"), 409: REFUSAL}
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Revoke the invitation: its link stops working. The record stays as history."""
        workflow.revoke(self.get_object(), by=_caller(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: InvitationSerializer, 409: REFUSAL})
    @action(detail=True, methods=["post"])
    def resend(self, request: Request, pk: str | None = None) -> Response:
        """E-mail a new link valid for a fresh period; the old link stops working."""
        invitation = workflow.resend(self.get_object(), by=_caller(request))
        return Response(self.get_serializer(invitation).data)

    @extend_schema(
        request=AcceptInvitationSerializer,
        responses={200: MembershipSerializer, 400: BAD_REQUEST, 404: REFUSAL},
    )
    @action(detail=False, methods=["post"])
    def accept(self, request: Request) -> Response:
        """Accept an invitation sent to your account's e-mail address; you become a member
        with its role. Accepting again answers the same membership. Unknown, expired,
        revoked and used links answer 404; another account's invitation 400."""
        serializer = AcceptInvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = workflow.accept(serializer.validated_data["token"], by=_caller(request))
        return Response(MembershipSerializer(membership).data)


def _part_serializer(model_: type, fields_: list[str]) -> type[ValidatedModelSerializer]:
    class Serializer(ValidatedModelSerializer):
        class Meta:
            model = model_
            fields = ["id", "company", *fields_]

    Serializer.__name__ = f"{model_.__name__}Serializer"
    return Serializer


AddressSerializer = _part_serializer(
    Address, ["kind", "name", "street", "city", "region", "postal_code", "country", "staffed"]
)
ContactSerializer = _part_serializer(Contact, ["kind", "name", "title", "email", "phone"])
IdentifierSerializer = _part_serializer(Identifier, ["kind", "value"])
ProgramSerializer = _part_serializer(
    ProgramParticipation, ["program", "country", "number", "valid_until"]
)


class AddressViewSet(TenantViewSet):
    queryset = Address.objects.all()
    serializer_class = AddressSerializer
    filterset_fields = ["company", "kind"]


class ContactViewSet(TenantViewSet):
    queryset = Contact.objects.all()
    serializer_class = ContactSerializer
    filterset_fields = ["company", "kind"]


class IdentifierViewSet(TenantViewSet):
    queryset = Identifier.objects.all()
    serializer_class = IdentifierSerializer
    filterset_fields = ["company", "kind"]


class ProgramViewSet(TenantViewSet):
    queryset = ProgramParticipation.objects.all()
    serializer_class = ProgramSerializer
    filterset_fields = ["company", "program"]


# Who the caller is: the user with their companies and roles (memberships live here).
class MembershipBriefSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    company_name = serializers.CharField(source="company.legal_name")

    class Meta:
        model = Membership
        fields = ["company", "company_name", "role"]


class MeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    email = serializers.EmailField()
    program_role = serializers.CharField()
    memberships = MembershipBriefSerializer(many=True)


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """Who the token or session belongs to and their companies and roles."""
    user = cast("User", request.user)
    data: dict[str, Any] = {
        "email": user.email,
        "program_role": user.program_role,
        "memberships": Membership.objects.filter(user=user).select_related("company"),
    }
    return Response(MeSerializer(data).data)
