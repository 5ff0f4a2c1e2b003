"""The API's view of the signed-in person."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from companies.models import Membership

if TYPE_CHECKING:
    from accounts.models import User


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
