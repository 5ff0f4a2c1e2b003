"""List filters never tell a caller which ids exist in another company.

The tests walk every list endpoint under /api/v1/ from the URL resolver, build the filters
each one accepts as the default filter backend does, and try every id-typed parameter with
an id of the caller's own company, one of another company and one that does not exist. A
new endpoint is covered without editing this file; a filter over a model the world below
has no row of fails loudly instead of being skipped.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.db import models
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from accounts.models import User
from audits.models import MockAudit
from companies.models import Company
from core.filters import TenantFilterBackend
from portal.testing import PersonaTestCase
from profiles.models import Evidence
from profiles.tests.factories import make_catalogue, start_profile
from recognition.tests.factories import partner
from siteaudits.models import SiteAudit
from training.tests import factories as training


def list_endpoints() -> Iterator[tuple[str, type[Any]]]:
    """(URL name, viewset class) of every list route under /api/v1/."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, Any]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner.strip(":"))
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}:{pattern.name}", pattern

    for name, pattern in walk(get_resolver().url_patterns, ""):
        actions = getattr(pattern.callback, "actions", None) or {}
        if name.startswith("api:") and actions.get("get") == "list":
            yield name, pattern.callback.cls


def filter_fields(viewset: type[Any], user: User) -> dict[str, forms.Field]:
    """The form fields of the list's filters, as `user` would get them."""
    view = viewset()
    view.action, view.format_kwarg, view.kwargs = "list", None, {}
    request = Request(APIRequestFactory().get("/"))
    request.user = user
    view.request = request
    if getattr(viewset, "queryset", None) is None:
        return {}
    filterset = TenantFilterBackend().get_filterset(request, view.get_queryset(), view)
    return dict(filterset.form.fields) if filterset is not None else {}


class ListFilterWorld(PersonaTestCase):
    """Both member companies hold one row of every model a list filter can name."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        catalogue = make_catalogue()
        for company, user in ((cls.company, "admin"), (cls.other_company, "other")):
            profile = start_profile(company)
            response = profile.responses.first()
            assert response is not None
            response.owner = cls.users[user]
            response.save()
            Evidence.objects.create(response=response, title="Security policy")
            MockAudit.objects.create(
                company=company, profile=profile, title="Mock audit", auditor=cls.users[user]
            )
            role = training.role(company)
            course = training.course(company, roles=[role])
            training.session(course, datetime.date(2026, 1, 5))
            training.employee(company, roles=[role], facility=training.facility(company))
            SiteAudit.objects.create(
                company=company,
                partner=partner(company),
                planned_on=datetime.date(2026, 3, 2),
                auditor=cls.users[user],
            )
        assert catalogue.pk


class ApiListFiltersTests(ListFilterWorld):
    def setUp(self) -> None:
        self.api = APIClient()
        self.api.force_authenticate(self.users["admin"])

    def own_and_foreign(self, model: type[models.Model]) -> tuple[Any, Any]:
        admin, other = self.users["admin"], self.users["other"]
        if model is User:
            return admin.pk, other.pk
        manager: Any = model._default_manager
        own = manager.for_user(admin, "view").order_by("pk").first()
        foreign = manager.exclude(pk__in=manager.for_user(admin, "view").values("pk")).first()
        self.assertIsNotNone(own, f"the test world has no {model.__name__} of the company")
        self.assertIsNotNone(foreign, f"the test world has no {model.__name__} of another company")
        return own.pk, foreign.pk

    def test_another_companys_id_answers_exactly_like_an_id_that_does_not_exist(self) -> None:
        checked = 0
        for name, viewset in list_endpoints():
            url = reverse(name)
            for param, field in filter_fields(viewset, self.users["admin"]).items():
                if not isinstance(field, forms.ModelChoiceField):
                    continue
                model = cast(Any, field.queryset).model
                if not hasattr(model._default_manager, "for_user") and model is not User:
                    continue  # shared reference data, such as published catalogues
                own, foreign = self.own_and_foreign(model)
                missing = (model._default_manager.order_by("-pk").first().pk or 0) + 1000
                with self.subTest(url=url, param=param):
                    mine = self.api.get(url, {param: own})
                    theirs = self.api.get(url, {param: foreign})
                    nobody = self.api.get(url, {param: missing})
                    self.assertEqual(mine.status_code, 200, mine.content)
                    self.assertEqual(theirs.status_code, nobody.status_code)
                    self.assertEqual(
                        theirs.content.decode().replace(str(foreign), "ID"),
                        nobody.content.decode().replace(str(missing), "ID"),
                    )
                    checked += 1
        self.assertGreater(checked, 30)  # the walk found the filters, not nothing

    def test_an_unknown_enum_value_is_refused_naming_the_parameter_and_allowed_values(
        self,
    ) -> None:
        checked = 0
        for name, viewset in list_endpoints():
            url = reverse(name)
            for param, field in filter_fields(viewset, self.users["admin"]).items():
                if not isinstance(field, forms.ChoiceField) or isinstance(
                    field, forms.ModelChoiceField
                ):
                    continue
                choices: Any = field.choices
                allowed = [str(v) for v, _label in choices if v not in ("", None)]
                with self.subTest(url=url, param=param):
                    answer = self.api.get(url, {param: "bogus"})
                    self.assertEqual(answer.status_code, 400, answer.content)
                    message = answer.json()[param][0]
                    self.assertIn("bogus", message.lower())
                    self.assertIn(allowed[0], message)
                    self.assertIn(allowed[-1], message)
                    checked += 1
        self.assertGreater(checked, 25)

    def test_a_share_can_be_filtered_by_the_other_party_it_names(self) -> None:
        from sharing.models import Share

        Share.objects.create(
            requester=self.company, sharer=self.other_company, requested_by=self.users["admin"]
        )
        answer = self.api.get(reverse("api:share-list"), {"sharer": self.other_company.pk})
        self.assertEqual(answer.status_code, 200, answer.content)
        self.assertEqual(answer.json()["count"], 1)

    def test_program_office_may_filter_by_any_company(self) -> None:
        self.api.force_authenticate(self.users["specialist"])
        answer = self.api.get(reverse("api:address-list"), {"company": self.other_company.pk})
        self.assertEqual(answer.status_code, 200, answer.content)


def _filter_form(page: Any) -> Any:
    """A list page's filter form: its `Listing`'s, or the page's own `filters`."""
    listing = page.context.get("listing")
    return listing.form if listing is not None else page.context["filters"]


@override_settings(LANGUAGE_CODE="en")
class PageListFiltersTests(ListFilterWorld):
    """The page lists' filter forms take ids too; another company's answer like none."""

    def test_page_filters_treat_another_companys_id_like_a_missing_one(self) -> None:
        self.login("admin")
        company: Company = self.company
        theirs = training.facility(self.other_company, city="Monterrey")
        their_role = training.role(self.other_company, code="driver")
        their_course = training.course(self.other_company, code="seal_check")
        pages = [
            (reverse("personnel:employee-list", args=[company.pk]), "facility", theirs.pk),
            (reverse("personnel:employee-list", args=[company.pk]), "roles", their_role.pk),
            (reverse("training:matrix", args=[company.pk]), "course", their_course.pk),
            (reverse("actions:action-list", args=[company.pk]), "owner", self.users["other"].pk),
            (
                reverse("profiles:profile-detail", args=[company.pk]),
                "owner",
                self.users["other"].pk,
            ),
        ]
        for url, param, foreign in pages:
            with self.subTest(url=url, param=param):
                theirs_page = self.client.get(url, {param: foreign})
                missing_page = self.client.get(url, {param: foreign + 1000})
                self.assertEqual(theirs_page.status_code, missing_page.status_code)
                self.assertEqual(theirs_page.status_code, 200)
                theirs_form, missing_form = (_filter_form(p) for p in (theirs_page, missing_page))
                self.assertEqual(theirs_form.errors.keys(), missing_form.errors.keys())
                self.assertIn(param, theirs_form.errors)
