"""What the certification lifecycle tells the apps above it.

`status_changed` is sent by `certification.workflow.lifecycle.apply` inside the
transition's transaction, after the status, tier and dates are saved and the event row is
written, with `certification=` the locked row. Receivers run in that transaction: what
they write commits or rolls back with the transition. Status verification is the one
receiver today (notices to monitoring members, the cached public status card); it
connects in its `AppConfig.ready()`, so certification imports nothing above it.
"""

from __future__ import annotations

from django.dispatch import Signal

status_changed = Signal()
