"""Criteria filters shared by the criteria page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from catalogue.choices import Requirement
from catalogue.models import Catalogue, CriterionQuerySet
from companies.choices import BusinessType


class CriterionFilter(django_filters.FilterSet):  # type: ignore[misc]
    """`business_type` keeps the criteria that apply to that type and annotates each with
    its effective level; `requirement` then filters on that effective level (after the
    type's overrides), or on the default level when no type is chosen."""

    catalogue = django_filters.ModelChoiceFilter(
        queryset=Catalogue.objects.published(), label=_("Catalogue version")
    )
    business_type = django_filters.ChoiceFilter(
        choices=BusinessType.choices, method="filter_business_type", label=_("Business type")
    )
    category = django_filters.NumberFilter(field_name="category_number", label=_("Category"))
    requirement = django_filters.ChoiceFilter(
        choices=Requirement.choices, method="filter_requirement", label=_("Must / Should")
    )

    def filter_business_type(
        self, queryset: CriterionQuerySet, name: str, value: str
    ) -> CriterionQuerySet:
        return queryset.for_business_type(value)

    def filter_requirement(
        self, queryset: CriterionQuerySet, name: str, value: str
    ) -> CriterionQuerySet:
        # Filters run in the order declared, so business_type has annotated the rows.
        if self.form.cleaned_data.get("business_type"):
            # The annotation is unknown to the type checker's model of the queryset.
            return queryset.filter(**{"effective_requirement": value})
        return queryset.filter(requirement=value)
