"""The training lists' filters: each is the page's filter form and the API's
`filterset_class` (courses: `company`, `active`, `roles`; sessions: `company`, `course`)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as drf_filters

from core.filters import Search, TenantFilterSet
from personnel.models import SecurityRole
from training.models import Course, TrainingSession


class CourseFilter(TenantFilterSet):
    q = Search("code", "title_en", "title_es", label=_("Code or title contains"))
    active = drf_filters.BooleanFilter(label=pgettext_lazy("in use", "Active"))
    roles = django_filters.ModelChoiceFilter(
        queryset=SecurityRole.objects.order_by("code"), label=_("Required for role")
    )

    class Meta:
        model = Course
        fields = ["company", "q", "active", "roles"]


class SessionFilter(TenantFilterSet):
    q = Search("trainer", "topics", label=_("Trainer or topics contain"))
    course = django_filters.ModelChoiceFilter(
        queryset=Course.objects.order_by("code"), label=_("Course")
    )
    held_from = django_filters.DateFilter(
        field_name="held_on",
        lookup_expr="gte",
        label=_("Held from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    held_to = django_filters.DateFilter(
        field_name="held_on",
        lookup_expr="lte",
        label=_("Held until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = TrainingSession
        fields = ["company", "q", "course", "held_from", "held_to"]
