"""Permission cases for this app's pages and API (walked by core's permission matrix)."""

from __future__ import annotations

from core.testing import PermissionCase

CASES: list[PermissionCase] = []
