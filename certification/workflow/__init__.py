"""The certification workflow: the only code that changes a member account's status, and the
program office's review verbs around it, one module per sub-area:

- `lifecycle`: the transition table, `perform()`, and the entry points other apps call;
- `review`: assigning a case and the per-criterion profile review;
- `vetting`: vetting items and list screening of the company's names;
- `validation`: the worksheet, the report and its approval;
- `appeals`: the response to a suspension and appeals with their windows.

Callers use `from certification import workflow` and the names below.
"""

from __future__ import annotations

from certification.workflow.appeals import (
    APPEALABLE as APPEALABLE,
)
from certification.workflow.appeals import (
    appeal_window as appeal_window,
)
from certification.workflow.appeals import (
    decide_appeal as decide_appeal,
)
from certification.workflow.appeals import (
    file_appeal as file_appeal,
)
from certification.workflow.appeals import (
    respond_to_suspension as respond_to_suspension,
)
from certification.workflow.documents import (
    upload_document as upload_document,
)
from certification.workflow.lifecycle import (
    LABELS as LABELS,
)
from certification.workflow.lifecycle import (
    PRIOR as PRIOR,
)
from certification.workflow.lifecycle import (
    REASON as REASON,
)
from certification.workflow.lifecycle import (
    TABLE as TABLE,
)
from certification.workflow.lifecycle import (
    A as A,
)
from certification.workflow.lifecycle import (
    Effect as Effect,
)
from certification.workflow.lifecycle import (
    S as S,
)
from certification.workflow.lifecycle import (
    Transition as Transition,
)
from certification.workflow.lifecycle import (
    TransitionNotAllowed as TransitionNotAllowed,
)
from certification.workflow.lifecycle import (
    actor_role as actor_role,
)
from certification.workflow.lifecycle import (
    allowed_transitions as allowed_transitions,
)
from certification.workflow.lifecycle import (
    application_submitted as application_submitted,
)
from certification.workflow.lifecycle import (
    certification_anniversary as certification_anniversary,
)
from certification.workflow.lifecycle import (
    certification_for as certification_for,
)
from certification.workflow.lifecycle import (
    pending_close_out as pending_close_out,
)
from certification.workflow.lifecycle import (
    perform as perform,
)
from certification.workflow.lifecycle import (
    sync_submitted_applications as sync_submitted_applications,
)
from certification.workflow.review import (
    assign as assign,
)
from certification.workflow.review import (
    respond_to_criterion as respond_to_criterion,
)
from certification.workflow.review import (
    review_criterion as review_criterion,
)
from certification.workflow.review import (
    save_criterion_note as save_criterion_note,
)
from certification.workflow.review import (
    send_profile_response as send_profile_response,
)
from certification.workflow.validation import (
    accept_report_response as accept_report_response,
)
from certification.workflow.validation import (
    decide_report as decide_report,
)
from certification.workflow.validation import (
    plan_report as plan_report,
)
from certification.workflow.validation import (
    record_worksheet_entry as record_worksheet_entry,
)
from certification.workflow.validation import (
    respond_to_report as respond_to_report,
)
from certification.workflow.validation import (
    submit_report as submit_report,
)
from certification.workflow.validation import (
    worksheet_criteria as worksheet_criteria,
)
from certification.workflow.validation import (
    worksheet_findings as worksheet_findings,
)
from certification.workflow.vetting import (
    SCREENING_TOP_HITS as SCREENING_TOP_HITS,
)
from certification.workflow.vetting import (
    override_vetting as override_vetting,
)
from certification.workflow.vetting import (
    record_vetting as record_vetting,
)
from certification.workflow.vetting import (
    screen_for_vetting as screen_for_vetting,
)
from certification.workflow.vetting import (
    vetting_names as vetting_names,
)
