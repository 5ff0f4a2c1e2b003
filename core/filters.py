"""List filters that never reveal another tenant's ids.

A django-filter `ModelChoiceFilter` validates the id it is given against its queryset. Built
from `filterset_fields`, that queryset is *every* row of the model, so another company's id
passed validation (200, empty list) while an id that does not exist was refused (400): the
difference told a caller which ids exist elsewhere. Every FilterSet used by the API goes
through `tighten()` (the filter backend below does it for any FilterSet class, and
`TenantFilterSet` does it for page use), which narrows each model choice to what the user
may see, so another tenant's id answers exactly like an id that does not exist.

`tighten()` also makes an unknown enum value (`?status=bogus`) a 400 that names the
parameter and lists the allowed values, instead of django's generic "not one of the
available choices".
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as drf_filters
from django_filters.filterset import BaseFilterSet
from rest_framework.request import Request

from core import trigram


def visible_choices(
    choices: QuerySet[Any], user: Any, listed: QuerySet[Any] | None = None, path: str = ""
) -> QuerySet[Any]:
    """Narrow a filter's model choices to the rows `user` may see.

    Guaranteed: a row of a tenant-owned model is a choice only when `for_user(user, "view")`
    returns it or when it appears under `path` in a row of `listed` (the list the user is
    filtering, already scoped; a share names the other party's company, for instance). A
    user is a choice only when they share a visible company with `user` (or are `user`).
    Models that are not tenant data (published catalogues) keep all their rows.
    """
    model = choices.model
    if hasattr(choices, "for_user"):
        allowed = Q(pk__in=choices.for_user(user, "view").values("pk"))
    elif model is get_user_model():
        # By app label, as core.tenancy does: the tenant models live in companies, above core.
        company = apps.get_model("companies", "Company")
        membership = apps.get_model("companies", "Membership")
        companies = company.objects.for_user(user, "view").values("pk")
        members = membership.objects.filter(company__in=companies).values("user_id")
        allowed = Q(pk=user.pk or 0) | Q(pk__in=members)
    else:
        return choices
    if listed is not None and path:
        try:
            allowed |= Q(pk__in=listed.values(path))
        except FieldError:
            pass  # a method filter whose name is not a path of the listed model
    return choices.filter(allowed)


def _allowed_values(field: forms.ChoiceField) -> list[str]:
    values: list[str] = []
    choices: Any = field.choices
    for value, label in choices:
        if isinstance(label, list | tuple):  # an option group
            values.extend(str(v) for v, _label in label)
        elif value not in ("", None):
            values.append(str(value))
    return values


def tighten(filterset: BaseFilterSet, user: Any) -> BaseFilterSet:
    """Scope every model choice of `filterset` to `user` and make unknown enum values name
    the allowed ones. Returns the same FilterSet; call it before `is_valid()`."""
    user = user if user is not None else AnonymousUser()
    listed = getattr(filterset, "queryset", None)
    for name, field in filterset.form.fields.items():
        if isinstance(field, forms.ModelChoiceField):  # also ModelMultipleChoiceField
            flt = filterset.filters.get(name)
            path = getattr(flt, "field_name", "") if flt is not None and not flt.method else ""
            if field.queryset is not None:
                field.queryset = visible_choices(field.queryset, user, listed, path)
        elif isinstance(field, forms.ChoiceField):  # also MultipleChoiceField
            allowed = ", ".join(_allowed_values(field)).replace("%", "%%")
            message = _("“%(value)s” is not one of the allowed values: %(allowed)s.")
            field.error_messages = {
                **field.error_messages,
                "invalid_choice": message.replace("%(allowed)s", allowed),
            }
    return filterset


class TenantFilterSet(drf_filters.FilterSet):  # type: ignore[misc]
    """A FilterSet whose model choices are limited to what the request's user may see."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tighten(self, getattr(self.request, "user", None))


class TenantFilterBackend(drf_filters.DjangoFilterBackend):  # type: ignore[misc]
    """The project's default filter backend: viewsets with `filterset_fields` get a
    `TenantFilterSet`, and a hand-written `filterset_class` is tightened the same way, so
    no list can forget to scope its filters."""

    filterset_base = TenantFilterSet

    def get_filterset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None and not isinstance(filterset, TenantFilterSet):
            tighten(filterset, request.user)
        return filterset


class Search(django_filters.CharFilter):  # type: ignore[misc]
    """`?q=` matching any of `fields` (case-insensitive, part of the value). `index` names
    a search index over the fields (core.trigram) that answers it from the index instead
    of reading every row. With `via` (a foreign key of the list's model) the fields and
    the index are the related model's: a list of screenings searched by partner name finds
    the partners through the partners' index, then their screenings."""

    def __init__(self, *fields: str, index: str = "", via: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Search"))
        super().__init__(**kwargs)
        self.search_fields = fields
        self.search_index = index
        self.search_via = via

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        value = (value or "").strip()
        if not value:
            return qs
        found = trigram.contains_all(self.search_fields, [value], self.search_index)
        if not self.search_via:
            return qs.filter(found)
        related = qs.model._meta.get_field(self.search_via).related_model
        matching = related._default_manager.filter(found).values("pk")
        return qs.filter(**{f"{self.search_via}__in": matching})


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class DateRangeFilterSet(TenantFilterSet):
    """`date_from` / `date_to` (inclusive days, in the portal's time zone) on the field each
    list names in `date_field`, turned into a range on the indexed timestamp."""

    date_field = "created_at"

    date_from = django_filters.DateFilter(
        method="filter_from",
        label=gettext_lazy("From (YYYY-MM-DD)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        method="filter_to",
        label=gettext_lazy("To, inclusive (YYYY-MM-DD)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def filter_from(self, queryset: QuerySet[Any], name: str, value: datetime.date) -> Any:
        return queryset.filter(**{f"{self.date_field}__gte": day_start(value)})

    def filter_to(self, queryset: QuerySet[Any], name: str, value: datetime.date) -> Any:
        following = day_start(value + datetime.timedelta(days=1))
        return queryset.filter(**{f"{self.date_field}__lt": following})
