"""One search, shared by the page and the API: validate the parameters, screen, shape hits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from screening.index import active_index
from screening.models import ListVersion
from screening_engine import DEFAULT_THRESHOLD, Hit

TYPE_CHOICES = [
    ("", _("any type")),
    ("person", _("person")),
    ("organization", _("organization")),
    ("vessel", _("vessel")),
    ("aircraft", _("aircraft")),
]


class SearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    country = forms.CharField(
        label=_("Country"), max_length=100, required=False,
        help_text=_("ISO code (MX) or name (Mexico); optional."),
    )  # fmt: skip
    type = forms.ChoiceField(label=_("Type"), choices=TYPE_CHOICES, required=False)
    top = forms.IntegerField(label=_("Hits"), min_value=1, max_value=50, required=False)


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    versions: list[ListVersion]
    threshold: float


def run_search(data: dict[str, Any]) -> SearchResult:
    """Screen one cleaned `SearchForm` (name, country, type, top)."""
    index, versions = active_index()
    hits = index.search(
        data["name"],
        country=data.get("country") or None,
        type=data.get("type") or None,
        top=data.get("top") or 10,
        min_score=0.0,
    )
    return SearchResult(hits=hits, versions=versions, threshold=DEFAULT_THRESHOLD)


def hit_to_dict(hit: Hit, threshold: float) -> dict[str, Any]:
    ent = hit.entity
    return {
        "score": hit.score,
        "alert": hit.score >= threshold,
        "list": ent.list_id,
        "entity_id": ent.entity_id,
        "matched_name": hit.matched_name,
        "name": ent.name,
        "aliases": list(ent.aliases),
        "type": ent.type,
        "sub_list": ent.sub_list,
        "programs": list(ent.programs),
        "countries": list(ent.countries),
        "addresses": [a.text for a in ent.addresses],
        "identifiers": [{"kind": i.kind, "value": i.value} for i in ent.identifiers],
        "remarks": ent.remarks,
        "explanation": hit.explanation.to_dict() if hit.explanation else None,
    }
