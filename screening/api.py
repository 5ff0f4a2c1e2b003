"""Screening API: `GET /api/v1/screening/search?name=&country=&type=` for signed-in users."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from screening.search import SearchForm, hit_to_dict, run_search


class SearchResponseSerializer(serializers.Serializer[dict[str, object]]):
    threshold = serializers.FloatField()
    lists = serializers.ListField(child=serializers.DictField())
    hits = serializers.ListField(child=serializers.DictField())


class ScreeningSearchView(APIView):
    """Screen one name against the active watchlists; hits best first, with explanations.

    Every hit carries `score` (0-100), `alert` (score at or above the calibrated
    threshold), the list and the list's own id, and an `explanation` (matched tokens,
    coverage of both names, qualifier adjustments, programs, addresses).
    """

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("name", str, required=True),
            OpenApiParameter("country", str, description="ISO code or country name"),
            OpenApiParameter("type", str, enum=["person", "organization", "vessel", "aircraft"]),
            OpenApiParameter("top", int, description="hits to return (1-50, default 10)"),
        ],
        responses=SearchResponseSerializer,
    )
    def get(self, request: Request) -> Response:
        form = SearchForm(request.query_params)
        if not form.is_valid():
            return Response({"errors": form.errors.get_json_data()}, status=400)
        result = run_search(form.cleaned_data)
        return Response(
            {
                "threshold": result.threshold,
                "lists": [
                    {"list": v.source, "list_date": v.list_date.isoformat(), "sha256": v.sha256}
                    for v in result.versions
                ],
                "hits": [hit_to_dict(h, result.threshold) for h in result.hits],
            }
        )
