"""One registry of what becomes due for whom, one sent-log, one daily run.

Each app says, from its `AppConfig.ready()`, what waits on people: a *kind* (a name, the
stages at which to remind, how long an overdue item is still reminded) and a *provider*,
a function that takes a `Scope` and returns the open `Task`s in it — one per person it
waits on, with the object, the due date and the page that resolves it. Providers answer
for a whole scope from a few querysets (never one query per object), so the same
registration serves:

- `tasks_for(user)`: everything due or waiting on one person, across every app and every
  company they belong to, overdue first then by due date, in a number of queries that
  does not grow with the rows;
- `send_reminders(today)` (`ctpat send_reminders`, daily by cron): every task that reached
  a stage today is written once to `core.models.SentReminder` (unique kind + key + stage
  + recipient) and e-mailed by a worker, one e-mail per person and company, in the
  person's language, with a link to the page (`SITE_URL`).

`core` imports no app: providers come in through `register()`; the few models it reads
(memberships, companies, users) it finds by name, as `core.tenancy` does.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone, translation
from django_stubs_ext import StrOrPromise

from core.models import SentReminder

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

OVERDUE = "overdue"
MANAGER_ROLES = ("officer", "admin")
# How many keys one look-up of the sent-log carries (SQLite's parameter limit is far above).
CHUNK = 500

log = logging.getLogger(__name__)
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Task:
    """One thing due or waiting on one person.

    `key` names the object and its due date ("12:2026-06-30"), so a new due date starts a
    new series of reminders. `due` None means "now" (a course never taken): it sorts and
    reminds as overdue. `title` is translated when it is shown (a lazy string), `url` is
    the path of the page that resolves it (a lazy one, `reverse_lazy`, where a provider
    answers many rows: only the tasks shown pay for reversing it).

    `open_ended`: nobody set a due date and nothing is late (criteria still to answer):
    such a task is never overdue, lists after the dated ones and is never reminded by
    e-mail — it is only shown."""

    kind: str
    key: str
    company_id: int | None
    email: str
    due: datetime.date | None
    title: StrOrPromise
    url: StrOrPromise
    open_ended: bool = False

    def overdue(self, today: datetime.date) -> bool:
        if self.open_ended:
            return False
        return self.due is None or self.due < today


@dataclass
class Scope:
    """Whose tasks a provider is asked for: those of `company_ids` (None: every company,
    the daily run), plus, for `user` on the program office, the clocks assigned to them.
    Audiences are loaded once per scope and shared by every provider.

    `personal` (`tasks_for`): only the tasks that wait on `user` — providers narrow their
    queries with `waiting_on_user()` (owned by the user, or owned by nobody in a company
    in `managed`, where the user is an officer or administrator) instead of building
    everyone's tasks and throwing most away. `limit`: at most that many tasks per
    provider, the earliest due first (`first()`), for a page that shows a few. A
    provider may gather in a personal scope what the daily run tells person by person
    (training: the people nobody manages, one task per course instead of one each)."""

    today: datetime.date
    company_ids: frozenset[int] | None = None
    user: Any = None
    personal: bool = False
    managed: frozenset[int] = frozenset()
    limit: int | None = None
    _managers: dict[int, list[str]] | None = field(default=None, repr=False)
    _supervisors: list[str] | None = field(default=None, repr=False)

    @property
    def email(self) -> str:
        """The user's address as tasks carry it (lower case), "" without a user."""
        return str(getattr(self.user, "email", "") or "").lower()

    def waiting_on_user(self, owner: str, company: str) -> models.Q:
        """A filter for the rows whose task waits on the user (everything when the scope
        is not personal): `owner` leads to the owning user's pk, `company` to the company.
        Rows owned by nobody wait on the company's officers and administrators."""
        if not self.personal:
            return models.Q()
        return models.Q(**{owner: self.user.pk}) | models.Q(
            **{f"{owner}__isnull": True, f"{company}__in": self.managed}
        )

    def first(self, queryset: models.QuerySet[M], *order: str) -> models.QuerySet[M]:
        """`queryset` in `order` (earliest due first), cut at the scope's limit."""
        queryset = queryset.order_by(*order)
        return queryset[: self.limit] if self.limit is not None else queryset

    def covers(self, company_id: int) -> bool:
        return self.company_ids is None or company_id in self.company_ids

    def companies(self, queryset: models.QuerySet[M], path: str = "company") -> models.QuerySet[M]:
        """`queryset` narrowed to the scope's companies (`path` leads to the company)."""
        if self.company_ids is None:
            return queryset
        return queryset.filter(**{f"{path}__in": self.company_ids})

    def managers(self, company_id: int) -> list[str]:
        """E-mail addresses of the company's officers and administrators (for a personal
        scope: the user's, where they are one — no query)."""
        if self.personal:
            return [self.email] if company_id in self.managed else []
        if self._managers is None:
            membership = apps.get_model("companies", "Membership")
            rows = self.companies(
                membership.objects.filter(role__in=MANAGER_ROLES).order_by(), "company"
            ).values_list("company_id", "user__email")
            found: dict[int, list[str]] = defaultdict(list)
            for company, email in rows:
                found[company].append(email.lower())
            self._managers = {k: sorted(set(v)) for k, v in found.items()}
        return self._managers.get(company_id, [])

    def people(self, company_id: int, owner_email: str | None) -> list[str]:
        """The owner when there is one, else the company's officers and administrators."""
        return [owner_email.lower()] if owner_email else self.managers(company_id)

    def supervisors(self) -> list[str]:
        """E-mail addresses of the program office's supervisors (for a personal scope:
        the user's, when a supervisor — no query)."""
        if self.personal:
            return [self.email] if getattr(self.user, "program_role", "") == "supervisor" else []
        if self._supervisors is None:
            self._supervisors = sorted(
                e.lower()
                for e in get_user_model()
                .objects.filter(program_role="supervisor")
                .values_list("email", flat=True)
            )
        return self._supervisors


Provider = Callable[[Scope], Iterable[Task]]


@dataclass(frozen=True)
class Kind:
    """A registered kind of task: who provides it and when it is reminded.

    `stages` are days before the due date ("7" is sent from 7 days before, once);
    `overdue_for` is how many days after the due date the one "overdue" reminder may still
    go (None: whenever, e.g. on the first run after an upgrade). `email` False: the kind is
    listed (task list, homes, digest) but never reminded by e-mail — its event already
    sent a notice, and the same matter is not told twice."""

    name: str
    provider: Provider
    stages: tuple[int, ...]
    overdue_for: int | None = None
    email: bool = True

    def stage(self, task: Task, today: datetime.date) -> str | None:
        if not self.email or task.open_ended:
            return None
        if task.due is None:
            return OVERDUE
        days_left = (task.due - today).days
        if days_left < 0:
            if self.overdue_for is not None and -days_left > self.overdue_for:
                return None
            return OVERDUE
        return stage_for(days_left, self.stages)


_kinds: dict[str, Kind] = {}
_daily_steps: list[Callable[[datetime.date], object]] = []


def register(
    name: str,
    provider: Provider,
    *,
    stages: tuple[int, ...],
    overdue_for: int | None = None,
    email: bool = True,
) -> None:
    """Register a kind of task (call from the app's `AppConfig.ready()`)."""
    if name in _kinds and _kinds[name].provider is not provider:
        raise ValueError(f"reminder kind {name!r} is registered twice")
    _kinds[name] = Kind(name, provider, tuple(sorted(stages)), overdue_for, email)


def register_daily_step(step: Callable[[datetime.date], object]) -> None:
    """Something the daily run must do before it looks for what is due (a clock that
    changes state when it runs out, so no reminder goes about a closed matter)."""
    if step not in _daily_steps:
        _daily_steps.append(step)


def kinds() -> list[Kind]:
    return [_kinds[name] for name in sorted(_kinds)]


def stage_for(days_left: int, stages: tuple[int, ...]) -> str | None:
    """The stage reached with `days_left` days to the due date: the smallest stage not
    below it ("90", "60", … "1"), OVERDUE after the date, None before the first stage.
    A missed daily run therefore sends the stage reached, not every stage it missed."""
    if days_left < 0:
        return OVERDUE
    for stage in sorted(stages):
        if days_left <= stage:
            return str(stage)
    return None


def _ordered(tasks: Iterable[Task]) -> list[Task]:
    # Overdue first (a missing due date counts as overdue), then by due date; open-ended
    # tasks last.
    return sorted(
        tasks,
        key=lambda t: (
            t.open_ended,
            t.due or (datetime.date.max if t.open_ended else datetime.date.min),
            t.kind,
            t.key,
        ),
    )


def tasks(scope: Scope) -> list[Task]:
    """Every registered kind's open tasks in `scope` (a personal scope: the user's only),
    overdue first, then by due date (the first `scope.limit` of them when it has one)."""
    found: Iterable[Task] = (t for kind in kinds() for t in kind.provider(scope))
    if scope.personal:
        email = scope.email
        found = (t for t in found if t.email == email)
    ordered = _ordered(found)
    return ordered[: scope.limit] if scope.limit is not None else ordered


def tasks_for(
    user: AbstractBaseUser,
    today: datetime.date | None = None,
    *,
    companies: Iterable[int] | None = None,
    limit: int | None = None,
) -> list[Task]:
    """Everything due or waiting on `user`, across every app and company they belong to
    (and, on the program office, the clocks assigned to them), overdue first; narrowed to
    `companies` (of theirs) and to the first `limit` when given. Each provider asks the
    database for this person's rows only, so the cost follows their tasks, not the
    company's size; one query here, then each provider's own (tests pin the total)."""
    membership = apps.get_model("companies", "Membership")
    roles = dict(
        membership.objects.filter(user_id=user.pk).order_by().values_list("company_id", "role")
    )
    if companies is not None:
        wanted = set(companies)
        roles = {pk: role for pk, role in roles.items() if pk in wanted}
    scope = Scope(
        today or timezone.localdate(),
        frozenset(roles),
        user,
        personal=True,
        managed=frozenset(pk for pk, role in roles.items() if role in MANAGER_ROLES),
        limit=limit,
    )
    return tasks(scope)


# The daily run ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A task that reached a stage today and has no sent-log row yet."""

    task: Task
    stage: str

    def describe(self) -> str:
        return f"{self.task.kind} {self.task.key} ({self.stage}) → {self.task.email}"


def due_today(today: datetime.date) -> list[Due]:
    """The reminders that reached a stage on `today` and were never recorded."""
    found: list[Due] = []
    for kind in kinds():
        reached = [
            Due(t, stage) for t in kind.provider(Scope(today)) if (stage := kind.stage(t, today))
        ]
        keys = sorted({d.task.key for d in reached})
        sent: set[tuple[str, str, str]] = set()
        for start in range(0, len(keys), CHUNK):
            sent.update(
                SentReminder.objects.filter(
                    kind=kind.name, key__in=keys[start : start + CHUNK]
                ).values_list("key", "stage", "recipient")
            )
        found += [d for d in reached if (d.task.key, d.stage, d.task.email) not in sent]
    return found


def languages(items: Iterable[Task]) -> dict[tuple[str, int | None], str]:
    """The language each (person, company) is written to in: the person's own preference
    when the user model has one, else the company's preferred language, else English."""
    items = list(items)
    by_company = dict(
        apps.get_model("companies", "Company")
        .objects.filter(pk__in={t.company_id for t in items if t.company_id})
        .values_list("pk", "language")
    )
    user_model = get_user_model()
    own: dict[str, str] = {}
    if any(f.name == "language" for f in user_model._meta.get_fields()):
        for user in user_model.objects.filter(email__in={t.email for t in items}):
            if language := getattr(user, "language", ""):
                own[str(getattr(user, "email", "")).lower()] = language
    return {
        (t.email, t.company_id): own.get(t.email)
        or (by_company.get(t.company_id) if t.company_id else None)
        or "en"
        for t in items
    }


def site_url(path: StrOrPromise) -> str:
    """An absolute link for an e-mail sent outside a request."""
    return f"{settings.CTPAT_SITE_URL}{path}"


def send_reminders(today: datetime.date | None = None, *, dry_run: bool = False) -> list[Due]:
    """Run the daily steps, record every reminder due `today` once, and queue one e-mail
    per person and company for the recorded reminders not sent yet (a failed e-mail is
    tried again by the next run). Returns the reminders recorded now (with `dry_run`,
    those that would be, and nothing is written or sent)."""
    today = today or timezone.localdate()
    if not dry_run:
        for step in _daily_steps:
            step(today)
    due = due_today(today)
    if dry_run:
        return due
    language = languages(d.task for d in due)
    rows = []
    for d in due:
        lang = language[(d.task.email, d.task.company_id)]
        with translation.override(lang):
            title = str(d.task.title)[:300]
        rows.append(
            SentReminder(
                kind=d.task.kind,
                key=d.task.key,
                stage=d.stage,
                recipient=d.task.email,
                company_id=d.task.company_id,
                due_date=d.task.due,
                title=title,
                url=site_url(d.task.url),
                language=lang,
            )
        )
    with transaction.atomic():
        # A run at the same moment elsewhere may have written some rows: the unique
        # constraint keeps one, and the e-mail goes from whichever row exists.
        SentReminder.objects.bulk_create(rows, ignore_conflicts=True)
        groups: dict[tuple[str, int | None], list[int]] = defaultdict(list)
        for pk, recipient, company in SentReminder.objects.filter(sent_at__isnull=True).values_list(
            "pk", "recipient", "company_id"
        ):
            groups[(recipient, company)].append(pk)
        for ids in groups.values():
            transaction.on_commit(_enqueue(ids))
    for d in due:
        log.info("reminder recorded: %s", d.describe())
    return due


def _enqueue(ids: list[int]) -> Callable[[], object]:
    # Imported here: a task module imported while apps load would fix the tasks backend
    # before the settings (the test run's) are final.
    from core.reminder_mail import send_reminder_email

    return lambda: send_reminder_email.enqueue(ids)
