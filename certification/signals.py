"""What the certification lifecycle tells the apps above it.

`status_changed` is sent by `certification.workflow.lifecycle.apply` inside the
transition's transaction, after the status, tier and dates are saved and the event row is
written, with `certification=` the locked row and `transition=` the step's name (so a
reinstatement is told apart from a first certification). Receivers run in that
transaction: what they write commits or rolls back with the transition. Status
verification (notices to monitoring members, the cached public status card) and the
member's own notices (`certification.notices`) receive it; each
connects in its `AppConfig.ready()`, so certification imports nothing above it.
"""

from __future__ import annotations

from django.dispatch import Signal

status_changed = Signal()

# Something on the case concerns the member (or, for kind "document_from_member", the
# program office): sent with kind=, company=, title= (lazy or plain text), url= and,
# where it helps, certification= and the acting user by=. The notices app connects its
# inbox and e-mail receivers; certification builds no e-mail itself. Kinds today:
# "document_from_office", "document_from_member".
case_notice = Signal()
