"""REST API for companies, memberships and what describes a company."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_countries import countries
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from companies.choices import Role, TransportMode
from companies.models import Address, Company, Contact, Identifier, Membership, ProgramParticipation
from core.api import TenantViewSet, ValidatedModelSerializer


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
        with transaction.atomic():
            company: Company = super().create(validated_data)
            Membership.objects.create(company=company, user=self.context["request"].user, role=role)
        return company

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
    filterset_fields = ["business_type", "country"]

    def get_queryset(self) -> Any:
        if self.action == "create":
            return Company.objects.none()
        return super().get_queryset()


class MembershipSerializer(ValidatedModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "company", "user", "email", "role", "created_at"]
        read_only_fields = ["created_at"]


class MembershipViewSet(TenantViewSet):
    """Who belongs to which company with which role; changing them needs the manage right."""

    queryset = Membership.objects.select_related("user")
    serializer_class = MembershipSerializer
    filterset_fields = ["company", "role"]
    action_permissions = {
        **TenantViewSet.action_permissions,
        "create": "manage",
        "update": "manage",
        "partial_update": "manage",
        "destroy": "manage",
    }

    def perform_update(self, serializer: Any) -> None:
        with transaction.atomic():
            stored = Membership.objects.get(pk=serializer.instance.pk)
            data = serializer.validated_data
            moved = "company" in data and data["company"].pk != stored.company_id
            stored.check_keeps_an_officer(None if moved else data.get("role", stored.role))
            serializer.save()

    def perform_destroy(self, instance: Membership) -> None:
        with transaction.atomic():
            instance.check_keeps_an_officer(None)
            instance.delete()


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
