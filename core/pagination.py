"""The API's page numbering (`REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]`), apart from
`core.api` because DRF reads this setting while `core.api` is still importing DRF."""

from __future__ import annotations

from rest_framework import pagination

from core.lists import ListPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's `?page=` numbering with `core.lists.ListPaginator`: the `count` of a list of
    thousands is counted about once a minute, as on the list pages, and `next` is
    checked against the rows."""

    django_paginator_class = ListPaginator
