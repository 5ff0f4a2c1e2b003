"""Shared REST API pieces: the base serializer that runs model validation, and an
exception handler that turns Django validation errors into field-named 400 answers and a
workflow refusal (`core.refusals.Refused`) into its status with `{"code", "detail"}`."""

from __future__ import annotations

from typing import Any

from auditlog.context import auditlog_value
from django.apps import apps
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core import idempotency, refusals


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, refusals.Refused):
        # A workflow refusal: nothing the request began is kept.
        set_rollback()
        return Response(refusals.answer(exc), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(detail, status=400)
    if isinstance(exc, Http404):
        return Response({"detail": "Not found."}, status=404)
    return drf_exception_handler(exc, context)


class ValidatedModelSerializer(CountryFieldMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    """Runs the model's `full_clean()` so the API enforces the same rules as the forms.

    Country fields are django-countries' own serializer fields (a list of codes for
    `CountryField(multiple=True)`); DRF's default mapping cannot serialise those.
    """

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model: Any = self.Meta.model
        instance = self.instance if self.instance is not None else model()
        m2m = {f.name for f in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in m2m:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=self._clean_exclude())
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        # `clean()` may put a value in its canonical form (an identifier in upper case);
        # save that form, as the page forms do.
        return {
            name: value if name in m2m else getattr(instance, name) for name, value in attrs.items()
        }

    def build_standard_field(self, field_name: str, model_field: Any) -> Any:
        field_class, kwargs = super().build_standard_field(field_name, model_field)  # type: ignore[no-untyped-call]
        # DRF stops mapping a non-editable model field at `read_only`, so a computed choice
        # that may be blank (a risk level not rated yet) was documented as never blank.
        if kwargs.get("read_only") and "choices" in kwargs and model_field.blank:
            kwargs["allow_blank"] = True
        return field_class, kwargs

    def _clean_exclude(self) -> list[str]:
        """Fields the caller does not send (set by the view, e.g. `company`)."""
        return [f for f in getattr(self.Meta, "clean_exclude", [])]


def _audit_as(user: Any) -> None:
    """Name the API caller in the audit trail.

    auditlog's middleware captures the actor before DRF has read the `Authorization`
    header, so a token-authenticated change would be logged without one. The middleware's
    context is updated in place; a nested `auditlog.context.set_actor()` would leave a
    signal receiver connected after the request.
    """
    if not getattr(user, "is_authenticated", False):
        return
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    if context.get("actor") is None:
        context["actor"] = user


class TenantViewSet(idempotency.IdempotentPostMixin, viewsets.ModelViewSet):  # type: ignore[type-arg]
    """Base viewset for tenant-owned resources.

    Every query starts from `for_user()` with the action the request needs, so another
    company's object answers 404; a `company` field in the payload only accepts companies
    where the user may perform the write action. Every POST (create or action) honours the
    `Idempotency-Key` header.
    """

    # Our primary keys are integers; a fixed word in the same place (another app's
    # `identifiers/validate/` under /api/v1/) must not be taken for an object's id.
    lookup_value_regex = r"[0-9]+"

    action_permissions: dict[str, str] = {
        "list": "view",
        "retrieve": "view",
        "create": "edit",
        "update": "edit",
        "partial_update": "edit",
        "destroy": "edit",
    }

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _audit_as(request.user)

    def tenant_action(self) -> str:
        return self.action_permissions.get(self.action or "", "view")

    def get_queryset(self) -> Any:
        queryset: Any = type(self).queryset
        if self.action == "list" and hasattr(queryset, "for_user_listing"):
            company = self.request.query_params.get("company")
            return queryset.for_user_listing(self.request.user, self.tenant_action(), company)
        return queryset.for_user(self.request.user, self.tenant_action())

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)
        fields = getattr(serializer, "fields", {})
        if "company" in fields and not fields["company"].read_only:
            # By app label, as core.tenancy does: Company lives in companies, above core.
            company = apps.get_model("companies", "Company")
            write_action = self.action_permissions.get("create", "edit")
            fields["company"].queryset = company.objects.for_user(self.request.user, write_action)
        return serializer
