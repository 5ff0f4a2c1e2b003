"""A person's own pages: the inbox of notices, the task list (everything due or waiting
on them, `core.reminders.tasks_for`), the notice settings, and the counts the header
loads. Everything here belongs to the signed-in person; another person's notice is 404."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.models import Company
from core.http import AuthenticatedHttpRequest
from core.reminders import Task, tasks_for
from notices import workflow
from notices.forms import NoticeSettingsForm
from notices.models import Notice

PAGE_SIZE = 30
SOON = 7
# The header shows the task count on every page: kept for a short while so that a page
# load does not ask every reminder provider.
TASK_COUNT_SECONDS = 120
# At most this many rows of each group of the task list (the earliest due first): an
# officer of a company with thousands of employees has a training task for each of them,
# and a page of ten thousand rows took seconds to build and is no list to work through.
# The counts stay whole; the rest are on the pages the tasks link to.
TASKS_SHOWN = 100


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    notices = Notice.objects.filter(user=request.user).select_related("company")
    if unread_only:
        notices = notices.unread()
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/inbox.html",
        {"page": page, "unread_only": unread_only, "unread": unread_count(request.user)},
    )


@login_required
def notice_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.select_related("company"), pk=pk, user=request.user)
    was_unread = not notice.is_read
    workflow.mark_read(notice)
    return render(
        request, "notices/notice_detail.html", {"notice": notice, "was_unread": was_unread}
    )


@login_required
@require_POST
def read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = workflow.mark_all_read(request.user)
    messages.success(request, _("%(count)d notices marked as read.") % {"count": count})
    return redirect("notices:inbox")


@login_required
def notice_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    own = workflow.settings_for(request.user)
    form = NoticeSettingsForm(request.POST or None, instance=own)
    if request.method == "POST" and form.is_valid():
        workflow.save_settings(
            request.user,
            email=form.cleaned_data["email"],
            digest=form.cleaned_data["digest"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your notice settings are saved."))
        return redirect("notices:settings")
    return render(request, "notices/settings.html", {"form": form})


@login_required
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    tasks = tasks_for(request.user, today)
    names = dict(
        Company.objects.filter(pk__in={t.company_id for t in tasks if t.company_id}).values_list(
            "pk", "legal_name"
        )
    )
    soon = today + datetime.timedelta(days=SOON)
    grouped: list[list[Task]] = [[], [], []]
    for task in tasks:
        grouped[0 if task.overdue(today) else 1 if task.due and task.due <= soon else 2].append(
            task
        )
    headings = [("overdue", _("Overdue")), ("soon", _("Due within a week")), ("later", _("Later"))]
    groups = [
        {
            "code": code,
            "heading": heading,
            "count": len(found),
            "rows": [_row(task, names, today) for task in found[:TASKS_SHOWN]],
        }
        for (code, heading), found in zip(headings, grouped, strict=True)
    ]
    return render(
        request,
        "notices/task_list.html",
        {"groups": groups, "total": len(tasks), "today": today, "shown": TASKS_SHOWN},
    )


def _row(task: Task, names: dict[int, str], today: datetime.date) -> dict[str, Any]:
    days = (task.due - today).days if task.due else None
    return {
        "title": task.title,
        "url": task.url,
        "due": task.due,
        "open_ended": task.open_ended,
        "days": days,
        "late": -days if days is not None and days < 0 else None,
        "company": names.get(task.company_id) if task.company_id else None,
    }


@login_required
def counts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The header's links with their counts (loaded by HTMX after the page, so no page
    pays for the task providers)."""
    return render(
        request,
        "includes/header_notices.html",
        {
            "notice_counts": {
                "tasks": task_count(request.user),
                "unread": unread_count(request.user),
            }
        },
    )


def unread_count(user: Any) -> int:
    """How many notices of `user` are not read yet."""
    return Notice.objects.filter(user=user).unread().count()


def _task_count_key(user: Any) -> str:
    return f"notices:task-count:{user.pk}"


def forget_task_count(user: Any) -> None:
    """The next header asks the providers again (`notices.middleware`)."""
    cache.delete(_task_count_key(user))


def task_count(user: Any) -> int:
    """How many tasks wait on `user` (cached a short while)."""
    key = _task_count_key(user)
    count = cache.get(key)
    if count is None:
        count = len(tasks_for(user))
        cache.set(key, count, TASK_COUNT_SECONDS)
    return int(count)
