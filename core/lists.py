"""One way to show a list: filter with the list's FilterSet, sort by a column, page, export.

Every member-facing list page calls `list_page()` with a queryset that already starts from
`for_user`, the app's FilterSet (the same class its API viewset names as `filterset_class`)
and the columns a reader may sort by. It answers a `Listing` for the template (rendered
with the `{% list_part %}` tags of `core.templatetags.lists`) or, for `?export=csv`, the
CSV of exactly the filtered and sorted rows, written through `core.exports` so no cell
can run as a formula.

Guaranteed:
- sorting only by a declared column; an unknown or malformed `?sort=` is ignored (the
  default order applies), never an error. `pk` always breaks ties so pages do not overlap.
- a page costs at most one COUNT plus one query for its rows (`count=False` drops the
  COUNT for long logs: newer / older links instead of "page n of N"). A large list's
  COUNT is remembered for a minute (`ListPaginator`): paging through 50,000 partners
  counts them once, and a page that disagrees with the remembered total counts again,
  so "next" and the last page never hide rows.
- a filter value the form refuses is shown as an error and ignored, never a 500.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Paginator
from django.core.paginator import Page as CountedPage
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters.filterset import BaseFilterSet
from django_filters.widgets import BooleanWidget

from core.exports import safe_writer
from core.widgets import quick_selects

SORT = "sort"
PAGE = "page"
EXPORT = "export"
# Query parameters that steer the list rather than filter it.
CONTROLS = (SORT, PAGE, EXPORT)
NOTHING_YET = _("Nothing here yet.")


@dataclass(frozen=True)
class Column:
    """A table column. `order_by` names the model fields it sorts by (empty: not sortable);
    `key` is what `?sort=` carries, `-key` for descending."""

    key: str
    label: Any
    order_by: tuple[str, ...] = ()

    @property
    def sortable(self) -> bool:
        return bool(self.order_by)


def col(key: str, label: Any, *order_by: str, sortable: bool = True) -> Column:
    """`col("name", _("Name"))` sorts by the field `name`; extra names sort by those fields
    instead; `sortable=False` makes a plain header."""
    if not sortable:
        return Column(key, label)
    return Column(key, label, order_by or (key,))


@dataclass
class Header:
    """One `<th>` as the template draws it."""

    label: Any
    href: str = ""
    aria_sort: str = ""  # "ascending" / "descending" on the sorted column


@dataclass
class CountlessPage:
    """A page of a long log, found without counting the log."""

    rows: list[Any]
    number: int
    has_next: bool
    counted: bool = False

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


# The cache of large lists' row counts (`ListPaginator`): a memory cache of each process
# (settings.CACHES["list_counts"]), so reading it costs no query.
COUNT_CACHE = "list_counts"


class ListPaginator(Paginator):  # type: ignore[type-arg]
    """Django's paginator whose COUNT of a large list is remembered for a while.

    A list of at least `CTPAT_LIST_COUNT_CACHE_FROM` rows (default 5,000) keeps its count
    in the `list_counts` cache for `CTPAT_LIST_COUNT_SECONDS` (default 60), keyed by the
    SQL of the count (so by the tenant, the filters and the reader's scope). Smaller lists
    are counted every time: their COUNT is cheap and they stay exact.

    A remembered count can be stale (rows added or removed since). Each page read with a
    remembered count fetches one row more than it shows and checks the page against the
    count: a full page that should have been the last, a short page that should have been
    full, or a page number past the remembered last one makes it count again and page
    again. So the pager's "next" and "last" always lead to the rows that exist; only the
    total shown ("50,000 rows") may lag behind by the cache's lifetime.
    """

    def __init__(self, object_list: Any, per_page: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.remembered = False

    @staticmethod
    def cache_from() -> int:
        return int(getattr(settings, "CTPAT_LIST_COUNT_CACHE_FROM", 5000))

    def _key(self) -> str | None:
        if not isinstance(self.object_list, QuerySet):
            return None
        queryset = self.object_list.order_by()
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:  # `none()` or `pk__in=[]`: nothing to count or remember
            return None
        digest = hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()
        return f"count:{digest}"

    @cached_property
    def count(self) -> int:
        key = self._key()
        if key is not None:
            remembered = caches[COUNT_CACHE].get(key)
            if remembered is not None:
                self.remembered = True
                return int(remembered)
        return self._count_now(key)

    def _count_now(self, key: str | None) -> int:
        counted = int(super().count)  # Django's own: `object_list.count()` or `len()`
        if key is not None and counted >= self.cache_from():
            seconds = int(getattr(settings, "CTPAT_LIST_COUNT_SECONDS", 60))
            caches[COUNT_CACHE].set(key, counted, seconds)
        return counted

    def _recount(self) -> None:
        """Count again and forget the stale figure and the page total derived from it."""
        self.remembered = False
        self.__dict__.pop("num_pages", None)
        self.__dict__["count"] = self._count_now(self._key())

    def validate_number(self, number: Any) -> int:
        try:
            return super().validate_number(number)
        except EmptyPage:
            if not self.remembered:
                raise
            self._recount()  # a page past the remembered end: there may be more rows now
            return super().validate_number(number)

    def page(self, number: Any) -> CountedPage[Any]:
        number = self.validate_number(number)
        if self._from_the_end(number):
            if self.remembered:  # reading from the end needs the true total
                self._recount()
                number = min(number, self.num_pages)
            return self._page_from_the_end(number)
        page = super().page(number)
        if not self.remembered:
            return page
        bottom = (page.number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        expected = self.per_page if page.has_next() else self.count - bottom
        if (len(rows) > self.per_page) != page.has_next() or min(
            len(rows), self.per_page
        ) != expected:
            self._recount()
            return super().page(min(page.number, self.num_pages))
        page.object_list = rows[: self.per_page]
        return page

    def _from_the_end(self, number: int) -> bool:
        """Whether page `number` of a large list is nearer its end than its start, and the
        list's order can be read backwards exactly (a queryset ordered with `pk` last).
        Such a page is read in the reversed order from the end: `OFFSET count - top`
        instead of walking every row before it (the last of 1,000 pages skipped 49,950
        rows)."""
        if not isinstance(self.object_list, QuerySet) or self.count < self.cache_from():
            return False
        query = self.object_list.query
        order = list(query.order_by or (self.object_list.model._meta.ordering or ()))
        last = order[-1] if order else None
        if not isinstance(last, str) or last.lstrip("-") not in ("pk", "id"):
            return False
        if query.distinct or query.combinator or query.low_mark or query.high_mark is not None:
            return False
        return (number - 1) * self.per_page > self.count // 2

    def _page_from_the_end(self, number: int) -> CountedPage[Any]:
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        assert isinstance(queryset, QuerySet)  # checked by `_from_the_end`
        rows = list(queryset.reverse()[self.count - top : self.count - bottom])
        rows.reverse()
        return CountedPage(rows, number, self)


def page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def countless_page(queryset: QuerySet[Any], raw_number: str | None, size: int) -> CountlessPage:
    """One query: the page's rows and one more to know whether a next page exists."""
    number = page_number(raw_number)
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return CountlessPage(rows=rows[:size], number=number, has_next=len(rows) > size)


@dataclass
class Listing:
    """What a list template needs: the bound filter form, the page, the headers."""

    filterset: BaseFilterSet
    page: CountedPage[Any] | CountlessPage
    headers: list[Header]
    query: str  # the filters and sort, without the page: for pager and export links
    filter_query: str  # the filters only: for the sort links
    filtered: bool  # the reader set at least one filter
    sort: str = ""  # the `?sort=` in force, kept when the filter form is sent again
    empty_text: Any = ""
    export: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def form(self) -> Any:
        return self.filterset.form

    @property
    def rows(self) -> Any:
        return self.page

    @property
    def counted(self) -> bool:
        return not isinstance(self.page, CountlessPage)


def _query(data: QueryDict, drop: Iterable[str]) -> QueryDict:
    query = data.copy()
    for name in drop:
        query.pop(name, None)
    return query


def _sort_key(request: HttpRequest, columns: Sequence[Column]) -> tuple[Column | None, bool]:
    raw = request.GET.get(SORT, "")
    descending = raw.startswith("-")
    key = raw[1:] if descending else raw
    for column in columns:
        if column.sortable and column.key == key:
            return column, descending
    return None, False


def sorted_rows(
    request: HttpRequest, queryset: QuerySet[Any], columns: Sequence[Column], default: Sequence[str]
) -> QuerySet[Any]:
    """`queryset` in the order `?sort=` asks for when it names a sortable column, else in
    `default`; `pk` last so equal values keep a stable order across pages."""
    column, descending = _sort_key(request, columns)
    if column is None:
        order = list(default)
    else:
        order = [f"-{name}" if descending else name for name in column.order_by]
    if not any(name.lstrip("-") in ("pk", "id") for name in order):
        order.append("-pk" if order and order[0].startswith("-") else "pk")
    return queryset.order_by(*order)


def _headers(
    request: HttpRequest, columns: Sequence[Column], filter_query: QueryDict
) -> list[Header]:
    current, descending = _sort_key(request, columns)
    headers = []
    for column in columns:
        if not column.sortable:
            headers.append(Header(column.label))
            continue
        query = filter_query.copy()
        is_current = column is current
        query[SORT] = column.key if (not is_current or descending) else f"-{column.key}"
        aria = ("descending" if descending else "ascending") if is_current else ""
        headers.append(Header(column.label, "?" + query.urlencode(), aria))
    return headers


def bind(
    request: HttpRequest,
    queryset: QuerySet[Any],
    filterset_class: type[BaseFilterSet],
    hide: Iterable[str] = ("company",),
    company: Any = None,
    initial: dict[str, str] | None = None,
) -> BaseFilterSet:
    """The list's FilterSet bound to the request's query string, without the fields the
    page fixes by its address (the company in the URL); with `company`, a choice of a
    model that belongs to a company offers that company's rows only. `initial` holds the
    values a filter takes while the query string does not name it at all (a page that
    shows active employees until the reader chooses otherwise)."""
    data = request.GET.copy()
    for name, value in (initial or {}).items():
        if name not in data:
            data[name] = value
    filterset = filterset_class(data, queryset=queryset, request=request)
    for name in hide:
        filterset.filters.pop(name, None)
        filterset.form.fields.pop(name, None)
    # Ids of their own (`filter_status`): a list page often has a form to add a row below
    # its filters, with fields of the same names.
    filterset.form.auto_id = "filter_%s"
    quick_selects(filterset.form)
    for form_field in filterset.form.fields.values():
        if isinstance(form_field.widget, BooleanWidget):  # "Overdue: Any", not "Unknown"
            form_field.widget.choices = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]
        choices = getattr(form_field, "queryset", None)
        if company is not None and choices is not None and _has_company(choices.model):
            form_field.queryset = choices.filter(company=company)
    return filterset


def _has_company(model: Any) -> bool:
    return any(f.name == "company" for f in model._meta.get_fields())


def is_filtered(request: HttpRequest, filterset: BaseFilterSet) -> bool:
    return any(request.GET.get(name, "") != "" for name in filterset.form.fields)


@dataclass(frozen=True)
class ListSpec:
    """What one list is, declared once beside its view: its FilterSet (the API's
    `filterset_class` too), the columns a reader may sort by, the default order, and the
    CSV columns as attribute paths (`"owner.email"`; a `(header, path)` pair names the
    header). `hide` drops filters the page fixes or does not offer; `initial` gives a
    filter's value until the query string names it."""

    filterset: type[BaseFilterSet]
    columns: Sequence[Column]
    default_sort: Sequence[str] = ("-pk",)
    csv: Sequence[str | tuple[str, str]] = ()
    empty_text: Any = NOTHING_YET
    per_page: int = 50
    count: bool = True
    hide: Sequence[str] = ("company",)
    initial: dict[str, str] = field(default_factory=dict)

    @property
    def csv_header(self) -> list[str]:
        return [c if isinstance(c, str) else c[0] for c in self.csv]

    def csv_row(self, obj: Any) -> list[Any]:
        return [cell(obj, c if isinstance(c, str) else c[1]) for c in self.csv]


def cell(obj: Any, path: str) -> Any:
    """The CSV value at `path` of `obj`: relations followed (a missing one gives ""),
    methods called, dates in ISO form, a to-many relation as a comma-separated list."""
    value = obj
    for name in path.split("."):
        if value is None:
            return ""
        value = getattr(value, name)
        if callable(value) and hasattr(value, "all"):
            value = ", ".join(str(v) for v in value.all())
        elif callable(value):
            value = value()
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def list_page(
    request: HttpRequest,
    spec: ListSpec,
    queryset: QuerySet[Any],
    *,
    company: Any = None,
    filename: str = "list.csv",
) -> Listing | StreamingHttpResponse:
    """The filtered, sorted page of `queryset` (which must start from `for_user`), or its
    CSV when the request asks `?export=csv` and the list declares CSV columns. With
    `company`, a choice of company-owned rows (facility, role) offers that company's."""
    filterset = bind(request, queryset, spec.filterset, spec.hide, company, spec.initial)
    rows = sorted_rows(request, filterset.qs, spec.columns, spec.default_sort)
    if spec.csv and request.GET.get(EXPORT) == "csv":
        return csv_response(filename, spec.csv_header, rows, spec.csv_row)
    number = request.GET.get(PAGE)
    page: CountedPage[Any] | CountlessPage
    if spec.count:
        page = ListPaginator(rows, spec.per_page).get_page(number)
    else:
        page = countless_page(rows, number, spec.per_page)
    filter_query = _query(request.GET, CONTROLS)
    return Listing(
        filterset=filterset,
        page=page,
        headers=_headers(request, spec.columns, filter_query),
        query=_query(request.GET, (PAGE, EXPORT)).urlencode(),
        filter_query=filter_query.urlencode(),
        filtered=is_filtered(request, filterset),
        sort=request.GET.get(SORT, "") if _sort_key(request, spec.columns)[0] else "",
        empty_text=spec.empty_text,
        export=bool(spec.csv),
    )


def render_list(
    request: HttpRequest,
    spec: ListSpec,
    queryset: QuerySet[Any],
    template: str,
    context: dict[str, Any],
    *,
    company: Any = None,
    filename: str = "list.csv",
    status: int = 200,
) -> HttpResponseBase:
    """`list_page` drawn with `template` (the `Listing` as `listing` in `context`), or
    the CSV download."""
    listing = list_page(request, spec, queryset, company=company, filename=filename)
    if not isinstance(listing, Listing):
        return listing
    return render(request, template, {**context, "listing": listing}, status=status)


def export_page(
    request: HttpRequest, spec: ListSpec, queryset: QuerySet[Any], *, filename: str
) -> StreamingHttpResponse:
    """The CSV of the rows `list_page` would show for the same query string (all pages),
    for an export with an address of its own."""
    filterset = bind(request, queryset, spec.filterset, spec.hide, None, spec.initial)
    rows = sorted_rows(request, filterset.qs, spec.columns, spec.default_sort)
    return csv_response(filename, spec.csv_header, rows, spec.csv_row)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    filename: str,
    header: Sequence[Any],
    rows: QuerySet[Any],
    cells: Callable[[Any], Sequence[Any]],
) -> StreamingHttpResponse:
    """A streamed CSV download of `rows`, read in chunks; every cell goes through
    `core.exports.safe_cell`."""
    writer = safe_writer(_Echo())

    def lines() -> Iterator[Any]:
        yield writer.writerow([str(h) for h in header])
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow(cells(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
