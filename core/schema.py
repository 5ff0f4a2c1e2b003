"""The API schema's view of error answers: every operation documents the 4xx answers it can
give, with the body DRF sends, so a client (or schemathesis) can rely on the schema."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

# Every write goes through a workflow function that may refuse it (409, `core.refusals`).
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """`{"detail": "..."}`: DRF's answer for refusals that concern the whole request."""

    detail = serializers.CharField(read_only=True)


class RefusalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """`{"code": "...", "detail": "..."}`: a workflow refusal (`core.refusals.Refused`).
    `code` is stable (branch on it); `detail` says why and what to do, in the caller's
    language."""

    code = serializers.CharField(read_only=True, help_text="Stable reason, e.g. audit_closed.")
    detail = serializers.CharField(read_only=True)


VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Field name (or `non_field_errors`) to the messages about it.",
    "additionalProperties": {},
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema plus the error answers every operation can give.

    - 400 when the operation reads a body or query parameters (validation errors),
    - 401 (no or refused credentials) and, unless the view is public, 403 (MFA or role),
    - 404 when a parameter or body field can name an object (or a page) the caller cannot see,
    - 409 on every write, whose workflow can refuse the object's current state or the
      caller's role (`core.refusals`: `{"code", "detail"}`),
    - 429 when the view is throttled.

    An operation that documents a code itself (`@extend_schema(responses=...)`) keeps its
    own description; only a missing body is filled in.
    """

    def _resolve_path_parameters(self, variables: list[str]) -> list[dict[str, Any]]:
        # `TenantViewSet.lookup_value_regex` makes ids digits only; say so as an integer
        # (what the model's primary key is) rather than a patterned string.
        parameters: list[dict[str, Any]] = super()._resolve_path_parameters(variables)  # type: ignore[no-untyped-call]
        for parameter in parameters:
            if parameter.get("schema") == {"type": "string", "pattern": "^[0-9]+$"}:
                parameter["schema"] = {"type": "integer", "minimum": 0}
        return parameters

    def get_override_parameters(self) -> list[Any]:
        # The `Idempotency-Key` header on the POST operations that honour it.
        from core import idempotency

        return [*super().get_override_parameters(), *idempotency.schema_parameters(self)]

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses: dict[str, Any] = operation.setdefault("responses", {})
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        refusal = self.resolve_serializer(RefusalSerializer, "response").ref
        for code, description in self._error_codes(operation).items():
            schema = {"400": VALIDATION_ERROR_SCHEMA, "409": refusal}.get(code, error)
            content = {"application/json": {"schema": schema}}
            if code not in responses:
                responses[code] = {"description": description, "content": content}
        # An error a view documents by description only (`OpenApiResponse(description=...)`)
        # still has the body DRF sends.
        for code, response in responses.items():
            if code >= "400" and not response.get("content"):
                schema = {"400": VALIDATION_ERROR_SCHEMA, "409": refusal}.get(code, error)
                response["content"] = {"application/json": {"schema": schema}}
        return operation

    def _error_codes(self, operation: dict[str, Any]) -> dict[str, str]:
        view: Any = self.view
        locations = {p.get("in") for p in operation.get("parameters", [])}
        codes: dict[str, str] = {}
        # A header parameter (the `Idempotency-Key`) is checked as strictly as the body.
        if "requestBody" in operation or locations & {"query", "header"}:
            codes["400"] = "The input was refused; the body names each field and why."
        # A public view still refuses a wrong token: DRF authenticates every request.
        codes["401"] = "No valid credentials were sent."
        if not self._is_public():
            codes["403"] = "Your role, token or sign-in (second factor) does not allow this."
        # A path or query parameter, or a body field, may name an object the caller cannot
        # see (creates check the company: 404), or a page past the end of a list.
        if locations & {"path", "query"} or "requestBody" in operation:
            codes["404"] = "No such object among those you may see (or no such page)."
        if self.method in WRITE_METHODS:
            codes["409"] = (
                "Refused: the object's current state or your role does not allow this step; "
                "`code` names the reason."
            )
        if any(p.get("name") == "Idempotency-Key" for p in operation.get("parameters", [])):
            codes["422"] = "This Idempotency-Key was already used with another request."
        if view.get_throttles():
            codes["429"] = "Too many requests from this address; retry later."
        return codes

    def _is_public(self) -> bool:
        from rest_framework.permissions import AllowAny

        permissions = self.view.get_permissions()
        return bool(permissions) and all(isinstance(p, AllowAny) for p in permissions)
