"""Database lookups that keep bad input a 4xx rather than a database error."""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """`__in` on an integer column ignores values the column cannot hold.

    Django already does this for `exact`, `lt`, `gt`... (an id past 2**63 matches nothing),
    but not for `in`: on SQLite such a value raised `OverflowError` (a 500 from any list
    filter given several ids, `?roles=1&roles=99999999999999999999`). No stored row can
    have such a value, so dropping it gives the same rows.
    """

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
