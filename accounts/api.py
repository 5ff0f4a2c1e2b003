"""The API's view of the signed-in person."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from companies.models import Membership


class MembershipBriefSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    company_name = serializers.CharField(source="company.legal_name")

    class Meta:
        model = Membership
        fields = ["company", "company_name", "role"]


class MeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    email = serializers.EmailField()
    program_role = serializers.CharField()
    memberships = MembershipBriefSerializer(many=True)


@api_view(["GET"])
def me(request: Request) -> Response:
    """Who the token or session belongs to and their companies and roles."""
    data: dict[str, Any] = {
        "email": request.user.email,  # type: ignore[union-attr]
        "program_role": request.user.program_role,  # type: ignore[union-attr]
        "memberships": Membership.objects.filter(user=request.user).select_related("company"),
    }
    return Response(MeSerializer(data).data)
