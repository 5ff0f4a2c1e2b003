"""The training matrix: people × the courses their roles require, and each cell's state.

A cell is
- `missing` when the person never completed the course,
- `overdue` when the due date has passed,
- `due_soon` when it falls within `DUE_SOON_DAYS` (today included),
- `done` otherwise.

The due date is the last completion plus the course's refresher period (none when the
course never expires), brought forward to the request date when a retraining was
requested after that completion (MSC 12.2). Only active employees and active courses
appear; a course is required when it lists one of the person's roles.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from personnel.models import Employee
from training.kept import kept
from training.models import Course, Retraining, TrainingRecord

DUE_SOON_DAYS = 30


class State(models.TextChoices):
    DONE = "done", _("Done")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    MISSING = "missing", _("Missing")


CURRENT = frozenset({State.DONE, State.DUE_SOON})
# Not done: what a reminder is about. The matrix filters on it as the state "open".
OPEN = frozenset({State.DUE_SOON, State.OVERDUE, State.MISSING})
OPEN_FILTER = "open"
# The matrix's `manager` filter for the people nobody manages (their reminders go to the
# company's officers and administrators).
NO_MANAGER = "none"


def states_of(wanted: str) -> frozenset[str]:
    """The cell states a state filter keeps: one state, or every state not done ("open")."""
    return frozenset(OPEN) if wanted == OPEN_FILTER else frozenset({wanted})


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass(frozen=True)
class Cell:
    course: Course
    state: State
    completed_on: datetime.date | None = None
    due_on: datetime.date | None = None
    retraining: str = ""

    @property
    def current(self) -> bool:
        return self.state in CURRENT


def judge(
    course: Course,
    completed_on: datetime.date | None,
    retrainings: Iterable[tuple[datetime.date, str]],
    today: datetime.date,
) -> Cell:
    """The state of one person's course on `today`, given the last completion and the
    retraining requests (date, reason) for it."""
    open_requests = sorted(r for r in retrainings if completed_on is None or r[0] > completed_on)
    reason = open_requests[0][1] if open_requests else ""
    if completed_on is None:
        return Cell(course, State.MISSING, retraining=reason)
    due: datetime.date | None = None
    if course.refresher_months:
        due = add_months(completed_on, course.refresher_months)
    if open_requests:
        due = open_requests[0][0] if due is None else min(due, open_requests[0][0])
    if due is None:
        state = State.DONE
    elif due < today:
        state = State.OVERDUE
    elif due <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        state = State.DUE_SOON
    else:
        state = State.DONE
    return Cell(course, state, completed_on, due, reason)


@dataclass
class Row:
    employee: Employee
    cells: list[Cell | None]

    def required(self) -> list[Cell]:
        return [c for c in self.cells if c is not None]


@dataclass
class CourseSummary:
    course: Course | None
    required: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in State})

    @property
    def current(self) -> int:
        return sum(self.counts[s] for s in CURRENT)

    @property
    def rate(self) -> int | None:
        """Percentage of required people whose training is current (done or due soon)."""
        return round(100 * self.current / self.required) if self.required else None


@dataclass
class Matrix:
    courses: list[Course]
    rows: list[Row]
    today: datetime.date

    def summaries(self) -> list[CourseSummary]:
        result = [CourseSummary(c) for c in self.courses]
        for row in self.rows:
            for summary, cell in zip(result, row.cells, strict=True):
                if cell is not None:
                    summary.required += 1
                    summary.counts[cell.state] += 1
        return result

    def totals(self) -> CourseSummary:
        return totals_of(self.summaries())


def _pks(objects: Iterable[Any]) -> Any:
    """A subquery for a queryset, a list of primary keys otherwise (objects or keys)."""
    if isinstance(objects, models.QuerySet):
        return objects.values("pk")
    return [o if isinstance(o, int) else o.pk for o in objects]


History = tuple[
    dict[tuple[int, int], datetime.date], dict[tuple[int, int], list[tuple[datetime.date, str]]]
]


def _history(employee_ids: Any) -> History:
    """Last completion and retraining requests per (employee, course), in two queries."""
    last_done: dict[tuple[int, int], datetime.date] = {
        (r["employee_id"], r["course_id"]): r["last"]
        for r in TrainingRecord.objects.filter(employee_id__in=employee_ids)
        .values("employee_id", "course_id")
        .annotate(last=Max("completed_on"))
    }
    retrain: dict[tuple[int, int], list[tuple[datetime.date, str]]] = defaultdict(list)
    for r in Retraining.objects.filter(employee_id__in=employee_ids).order_by("requested_on", "pk"):
        retrain[(r.employee_id, r.course_id)].append((r.requested_on, r.reason))
    return last_done, retrain


def active_courses(courses: models.QuerySet[Course]) -> list[Course]:
    """The active `courses` that some role requires, their roles prefetched: what
    `open_cells` and `open_by_course` judge (one query, two when there is a course)."""
    return [c for c in courses.filter(active=True).prefetch_related("roles") if c.roles.all()]


def open_cells(
    course_list: list[Course], employees: models.QuerySet[Employee], today: datetime.date
) -> Iterator[tuple[Employee, Cell]]:
    """Every required cell that is not done — due soon, overdue or never taken — of the
    active `employees` and the courses of `active_courses` of any number of companies, in
    at most four queries whatever their number (one when nobody holds a role a course
    requires): only the people a course requires are read."""
    if not course_list:
        return
    course_roles = {c.pk: {r.pk for r in c.roles.all()} for c in course_list}
    by_company: dict[int, list[tuple[Course, set[int]]]] = defaultdict(list)
    for course in course_list:
        by_company[course.company_id].append((course, course_roles[course.pk]))
    needed = set().union(*course_roles.values())
    holding = Employee.roles.through.objects.filter(
        employee__in=employees.filter(active=True).values("pk"), securityrole_id__in=needed
    )
    held: dict[int, set[int]] = defaultdict(set)
    for employee_id, role_id in holding.values_list("employee_id", "securityrole_id"):
        held[employee_id].add(role_id)
    if not held:
        return
    # The same filter as a subquery, so no query carries one parameter per person.
    required_ids = holding.values("employee_id")
    required = Employee.objects.filter(pk__in=required_ids).only(
        "pk", "company_id", "first_name", "last_name", "manager_email"
    )
    last_done, retrain = _history(required_ids)
    for employee in required.order_by("last_name", "first_name", "pk"):
        role_ids = held[employee.pk]
        for course, roles in by_company.get(employee.company_id, []):
            if role_ids & roles:
                key = (employee.pk, course.pk)
                cell = judge(course, last_done.get(key), retrain.get(key, ()), today)
                if cell.state != State.DONE:
                    yield employee, cell


def build_matrix(
    company: Company,
    *,
    employees: Iterable[Employee | int] | None = None,
    courses: Iterable[Course] | None = None,
    today: datetime.date | None = None,
) -> Matrix:
    """The matrix of `company` on `today` (the local date by default). `employees` and
    `courses` narrow it (they must belong to the company; employees may be given by
    primary key); by default all active ones."""
    today = today or timezone.localdate()
    course_qs = Course.objects.filter(company=company, active=True)
    if courses is not None:
        course_qs = course_qs.filter(pk__in=_pks(courses))
    course_list = list(course_qs.prefetch_related("roles"))
    employee_qs = Employee.objects.filter(company=company, active=True)
    if employees is not None:
        employee_qs = employee_qs.filter(pk__in=_pks(employees))
    employee_list = list(employee_qs.select_related("facility").prefetch_related("roles"))
    if employees is None or isinstance(employees, models.QuerySet):
        # The same filter as a subquery, so no query carries one parameter per person.
        last_done, retrain = _history(employee_qs.values("pk"))
    else:
        # A page of people: their keys as values. Nested under the employee filter,
        # PostgreSQL without fresh statistics walked the whole company once per key
        # (seconds at 5,000 people).
        last_done, retrain = _history([e.pk for e in employee_list])
    course_roles = {c.pk: {r.pk for r in c.roles.all()} for c in course_list}
    rows: list[Row] = []
    for employee in employee_list:
        role_ids = {r.pk for r in employee.roles.all()}
        cells: list[Cell | None] = []
        for course in course_list:
            if not role_ids & course_roles[course.pk]:
                cells.append(None)
                continue
            key = (employee.pk, course.pk)
            cells.append(judge(course, last_done.get(key), retrain.get(key, ()), today))
        rows.append(Row(employee, cells))
    return Matrix(course_list, rows, today)


def people_on_matrix(
    employees: models.QuerySet[Employee],
    course_list: list[Course],
    state: str = "",
    today: datetime.date | None = None,
) -> models.QuerySet[Employee, int]:
    """The keys of the `employees` the matrix of `course_list` (roles prefetched) lists,
    in the matrix's order: those with a required course, or with a required course in
    `state` when one is given ("open": any state but done, `states_of`). The database
    filters, orders and pages them; only a page's people are then judged in Python
    (`build_matrix`)."""
    if state:
        annotated, names = state_columns(employees, course_list, today or timezone.localdate())
        wanted = models.Q(pk__in=[])
        for name in names:
            wanted |= models.Q(**{f"{name}__in": sorted(states_of(state))})
    else:
        # Someone with a role one of the courses requires: no state needs computing.
        annotated = employees
        roles = {role.pk for course in course_list for role in course.roles.all()}
        wanted = models.Q(
            pk__in=Employee.roles.through.objects.filter(securityrole_id__in=roles).values(
                "employee_id"
            )
        )
    return (
        annotated.filter(wanted)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", flat=True)
    )


def page_matrix(
    company: Company, ids: list[int], courses: list[Course], today: datetime.date
) -> Matrix:
    """The matrix of the people `ids` (a page of `people_on_matrix`), in that order."""
    matrix = build_matrix(company, employees=ids, courses=courses, today=today)
    position = {pk: n for n, pk in enumerate(ids)}
    matrix.rows.sort(key=lambda row: position[row.employee.pk])
    return matrix


def required_pairs(matrix: Matrix) -> dict[str, list[tuple[Employee, Cell]]]:
    """Cells by state, for reminders and exports."""
    by_state: dict[str, list[tuple[Employee, Cell]]] = defaultdict(list)
    for row in matrix.rows:
        for cell in row.required():
            by_state[cell.state].append((row.employee, cell))
    return by_state


SEAL_COURSE = "seal_handling"


def person_course_state(
    company: Company, *, email: str, code: str, today: datetime.date | None = None
) -> Cell | None:
    """The state of one course for the active employee whose e-mail is `email` (a signed-in
    user's), as the training matrix shows it; None when the company has no such employee
    or no such active course, so nobody is judged untrained on a missing record."""
    if not email:
        return None
    employee = (
        Employee.objects.filter(company=company, active=True, email__iexact=email)
        .order_by("pk")
        .first()
    )
    courses = Course.objects.filter(company=company, active=True, code=code)
    if employee is None or not courses.exists():
        return None
    matrix = build_matrix(company, employees=[employee], courses=courses, today=today)
    (row,) = matrix.rows
    (cell,) = row.cells
    # The course is not required for this person's roles: judge the record anyway, since
    # whoever affixes a seal must be trained for it.
    if cell is None:
        course = matrix.courses[0]
        last = TrainingRecord.objects.filter(employee=row.employee, course=course).aggregate(
            last=Max("completed_on")
        )["last"]
        retrainings = Retraining.objects.filter(employee=row.employee, course=course)
        cell = judge(
            course,
            last,
            [(r.requested_on, r.reason) for r in retrainings],
            matrix.today,
        )
    return cell


# --- The same states in SQL -----------------------------------------------------------
# A company with thousands of people cannot build the whole matrix in Python for a page:
# the summaries are counted and the matrix page filtered and paged by the database, with
# the rules of `judge` written as SQL. A refresher period becomes two date thresholds (a
# completion before the first is overdue today, before the second due soon), since
# adding months to a date is not portable SQL but is monotonic.


def _first_day_due_after(months: int, limit: datetime.date, *, strictly: bool) -> datetime.date:
    """The earliest completion date whose due date (completion + `months`) is on or after
    `limit` (after it when `strictly`)."""
    day = add_months(limit, -months) - datetime.timedelta(days=4)
    while True:
        due = add_months(day, months)
        if due > limit or (due == limit and not strictly):
            return day
        day += datetime.timedelta(days=1)


def _state_expression(course: Course, role_ids: set[int], today: datetime.date) -> Any:
    """A CASE giving, for an Employee row, the state of `course` (NULL: not required)."""
    from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When

    soon_day = today + datetime.timedelta(days=DUE_SOON_DAYS)
    records = TrainingRecord.objects.filter(employee=OuterRef("pk"), course=course)
    # `judge`'s open requests: retraining asked after the last completion, i.e. with no
    # completion on or after the request.
    open_requests = Retraining.objects.filter(employee=OuterRef("pk"), course=course).exclude(
        Exists(
            TrainingRecord.objects.filter(
                employee=OuterRef("employee"),
                course=course,
                completed_on__gte=OuterRef("requested_on"),
            )
        )
    )
    overdue = Q(Exists(open_requests.filter(requested_on__lt=today)))
    due_soon = Q(Exists(open_requests.filter(requested_on__lte=soon_day)))
    if course.refresher_months:
        # The last completion is before a day when no completion is on or after it.
        months = course.refresher_months
        overdue_before = _first_day_due_after(months, today, strictly=False)
        soon_before = _first_day_due_after(months, soon_day, strictly=True)
        overdue |= ~Q(Exists(records.filter(completed_on__gte=overdue_before)))
        due_soon |= ~Q(Exists(records.filter(completed_on__gte=soon_before)))
    required = Exists(
        Employee.roles.through.objects.filter(
            employee_id=OuterRef("pk"), securityrole_id__in=sorted(role_ids) or [0]
        )
    )
    return Case(
        When(~Q(required), then=Value(None)),
        When(~Q(Exists(records)), then=Value(State.MISSING.value)),
        When(overdue, then=Value(State.OVERDUE.value)),
        When(due_soon, then=Value(State.DUE_SOON.value)),
        default=Value(State.DONE.value),
        output_field=CharField(),
    )


def state_columns(
    employees: models.QuerySet[Employee], courses: list[Course], today: datetime.date
) -> tuple[models.QuerySet[Employee], list[str]]:
    """`employees` annotated with one state column per course (`prefetch_related("roles")`
    must have been done on the courses), and the columns' names."""
    names = [f"state_{course.pk}" for course in courses]
    annotated = employees.annotate(
        **{
            name: _state_expression(course, {r.pk for r in course.roles.all()}, today)
            for name, course in zip(names, courses, strict=True)
        }
    )
    return annotated, names


def course_summaries(
    company: Company,
    *,
    employees: models.QuerySet[Employee] | None = None,
    courses: Iterable[Course] | None = None,
    today: datetime.date | None = None,
) -> list[CourseSummary]:
    """The summaries `build_matrix(...).summaries()` gives, counted by the database in one
    query whatever the number of people."""
    from django.db.models import Count, Exists, OuterRef

    today = today or timezone.localdate()
    course_qs = Course.objects.filter(company=company, active=True)
    if courses is not None:
        course_qs = course_qs.filter(pk__in=_pks(courses))
    course_list = list(course_qs.prefetch_related("roles"))
    people = employees if employees is not None else Employee.objects.all()
    people = people.filter(company=company, active=True)
    if not course_list:
        return []
    # Only people holding a role some course requires can count anywhere.
    roles = {role.pk for course in course_list for role in course.roles.all()}
    people = people.filter(
        Exists(
            Employee.roles.through.objects.filter(
                employee_id=OuterRef("pk"), securityrole_id__in=sorted(roles) or [0]
            )
        )
    )
    annotated, names = state_columns(people, course_list, today)
    # Grouped by the states, each person's states are worked out once (counting each
    # state with a FILTER evaluated every CASE four times), giving at most 5^courses rows.
    groups = annotated.order_by().values(*names).annotate(people=Count("pk"))
    if employees is None:  # the whole company's figures: kept a short while (training.kept)
        courses_key = [c.pk for c in course_list]
        groups = kept("summaries", [company.pk], today, courses_key, lambda: list(groups))
    result = [CourseSummary(course) for course in course_list]
    for group in groups:
        for summary, name in zip(result, names, strict=True):
            if group[name] is not None:
                summary.counts[group[name]] += group["people"]
                summary.required += group["people"]
    return result


def totals_of(summaries: Iterable[CourseSummary]) -> CourseSummary:
    total = CourseSummary(course=None)
    for summary in summaries:
        total.required += summary.required
        for state, count in summary.counts.items():
            total.counts[state] += count
    return total


@dataclass(frozen=True)
class OpenCourse:
    """How many of the people a course requires are not done with it (due soon, overdue
    or never taken), and the earliest due date among them (None when one never took it,
    which counts as overdue)."""

    course: Course
    people: int
    due_on: datetime.date | None


# Compound SELECTs per statement: SQLite refuses more than 500.
OPEN_COURSES_PER_QUERY = 100
# Stands for "never taken" among the last completions (earlier than any real one).
NEVER_TAKEN = datetime.date(1, 1, 1)


def open_by_course(
    course_list: list[Course],
    employees: models.QuerySet[Employee],
    today: datetime.date,
    *,
    kept_as: str = "",
) -> list[OpenCourse]:
    """For each course of `active_courses` that some of the active `employees` (of any
    number of companies) have not done, how many and the earliest due date — counted by
    the database in one query for every hundred courses, whatever the number of people
    (what `open_cells` gives, grouped by course, without judging each person in Python).

    Not done is `judge`'s rule turned round: no completion on or after the day whose
    refresher falls due within `DUE_SOON_DAYS` (any completion, for a course that never
    expires), or a retraining asked by then and not completed since. The required people
    and the current ones are subqueries read once (PostgreSQL hashes them; a CASE of the
    four states a person cost twice as long), and each person's last completion is read
    once: its minimum, with a person who never took the course counted as year 1, gives
    both whether anyone is missing and the earliest refresher due date.

    `kept_as` names the set `employees` stands for within the courses' companies (such as
    "unmanaged"): the counts are then kept a short while (`training.kept`)."""
    from django.db.models import Count, DateField, Exists, Min, OuterRef, Q, Subquery, Value
    from django.db.models.functions import Coalesce

    soon_day = today + datetime.timedelta(days=DUE_SOON_DAYS)
    pieces = []
    for course in course_list:
        records = TrainingRecord.objects.filter(course=course)
        open_requests = Retraining.objects.filter(course=course).exclude(
            Exists(
                records.filter(
                    employee=OuterRef("employee"), completed_on__gte=OuterRef("requested_on")
                )
            )
        )
        current = records
        if course.refresher_months:
            current = records.filter(
                completed_on__gte=_first_day_due_after(
                    course.refresher_months, soon_day, strictly=True
                )
            )
        required = Employee.roles.through.objects.filter(
            securityrole_id__in=sorted(r.pk for r in course.roles.all())
        )
        last = records.filter(employee=OuterRef("pk")).order_by("-completed_on")
        first_request = open_requests.filter(employee=OuterRef("pk")).order_by("requested_on")
        pieces.append(
            employees.filter(
                ~Q(pk__in=current.values("employee_id"))
                | Q(pk__in=open_requests.filter(requested_on__lte=soon_day).values("employee_id")),
                company_id=course.company_id,
                active=True,
                pk__in=required.values("employee_id"),
            )
            .order_by()
            .values(course_pk=Value(course.pk))
            .annotate(
                people=Count("pk"),
                last=Min(
                    Coalesce(
                        Subquery(last.values("completed_on")[:1]),
                        Value(NEVER_TAKEN),
                        output_field=DateField(),
                    )
                ),
                request=Min(Subquery(first_request.values("requested_on")[:1])),
            )
        )

    def count() -> dict[int, dict[str, Any]]:
        rows: dict[int, dict[str, Any]] = {}
        for start in range(0, len(pieces), OPEN_COURSES_PER_QUERY):
            first, *rest = pieces[start : start + OPEN_COURSES_PER_QUERY]
            for counted in first.union(*rest, all=True) if rest else first:
                rows[counted["course_pk"]] = dict(counted)
        return rows

    if kept_as:
        companies = {c.company_id for c in course_list}
        rows = kept(f"open:{kept_as}", companies, today, [c.pk for c in course_list], count)
    else:
        rows = count()
    result = []
    for course in course_list:
        row = rows.get(course.pk)
        if not row or not row["people"]:
            continue
        due: datetime.date | None = None
        if row["last"] != NEVER_TAKEN:
            candidates = [row["request"]] if row["request"] else []
            if course.refresher_months:
                candidates.append(add_months(row["last"], course.refresher_months))
            due = min(candidates)
        result.append(OpenCourse(course, row["people"], due))
    return result
