"""The main menu: grouped by area, the current page marked, and only links the person's
role can open, checked two ways: each link shown is opened and answers, and the menu's
actions agree with the permission matrix (`<app>/tests/permissions.py`)."""

from __future__ import annotations

import re

from django.urls import resolve, reverse

from core.tests.test_permission_matrix import all_cases
from portal.navigation import GROUPS
from portal.testing import PERSONAS, PersonaTestCase


def _menu(html: str) -> str:
    start = html.index('<nav class="main-nav"')
    return html[start : html.index("</nav>", start)]


def _links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', _menu(html))


class NavigationTests(PersonaTestCase):
    def test_every_link_shown_opens_for_that_persona(self) -> None:
        for persona in PERSONAS:
            if persona == "anonymous":
                continue
            self.login(persona)
            pages = [reverse("home")]
            if persona not in ("other", "specialist", "supervisor"):
                pages.append(reverse("companies:company-detail", args=[self.company.pk]))
            for page in pages:
                links = _links(self.client.get(page).content.decode())
                self.assertTrue(links, persona)
                for url in links:
                    with self.subTest(persona=persona, url=url):
                        answer = self.client.get(url)
                        self.assertIn(answer.status_code, (200, 302), url)
                        if answer.status_code == 302:
                            self.assertNotIn("/accounts/login/", answer["Location"])

    def test_the_menu_agrees_with_the_permission_matrix(self) -> None:
        allow: dict[str, set[str]] = {}
        for case in all_cases():
            if case.method == "get" and not case.api:
                allow.setdefault(case.name, set()).update(case.allow)
        roles = ("viewer", "user", "admin", "officer", "consultant")
        from portal.navigation import allowed

        for group in GROUPS:
            for item in group.items:
                if not item.company or item.url_name not in allow:
                    continue
                for role in roles:
                    with self.subTest(item=item.url_name, role=role):
                        if allowed(item, role, False):
                            self.assertIn(role, allow[item.url_name])

    def test_the_areas_are_grouped_and_the_current_page_is_marked(self) -> None:
        self.login("officer")
        page = self.client.get(reverse("seals:seal-list", args=[self.company.pk])).content.decode()
        menu = _menu(page)
        for area in ("Program", "Security profile", "Risk", "Partners", "Operations", "People"):
            self.assertIn(f">{area}</summary>", menu)
        self.assertNotIn(">Program office</summary>", menu)
        current = re.findall(r'<a href="([^"]+)" aria-current="page"', menu)
        self.assertEqual(current, [reverse("seals:seal-list", args=[self.company.pk])])
        self.assertIn('<summary class="current">Operations</summary>', menu)
        self.assertIn('class="skip-link" href="#main"', page)

    def test_a_viewer_is_not_offered_what_needs_editing_or_managing(self) -> None:
        self.login("viewer")
        menu = _menu(self.client.get(reverse("home")).content.decode())
        self.assertNotIn(reverse("partners:alert-list", args=[self.company.pk]), menu)
        self.assertNotIn(reverse("companies:member-list", args=[self.company.pk]), menu)
        self.assertNotIn("Program office", menu)

    def test_the_program_office_sees_its_own_area_and_no_deadlines_for_members(self) -> None:
        self.login("specialist")
        menu = _menu(self.client.get(reverse("home")).content.decode())
        self.assertIn(">Program office</summary>", menu)
        self.login("admin")
        menu = _menu(self.client.get(reverse("home")).content.decode())
        self.assertNotIn(reverse("certification:deadline-list"), menu)

    def test_switching_clients_keeps_the_section(self) -> None:
        self.login("consultant")
        page = self.client.get(reverse("partners:partner-list", args=[self.company.pk]))
        menu = _menu(page.content.decode())
        self.assertIn(reverse("partners:partner-list", args=[self.third_company.pk]), menu)
        # The company named by the address is the one being worked on.
        other = self.client.get(reverse("seals:seal-list", args=[self.third_company.pk]))
        menu = _menu(other.content.decode())
        self.assertIn(reverse("seals:seal-list", args=[self.company.pk]), menu)
        self.assertIn(f'data-testid="company-switcher">{self.third_company.legal_name}<', menu)
        self.assertEqual(resolve(reverse("home")).url_name, "home")

    def test_the_portfolio_opens_each_client_at_the_section_last_worked_in(self) -> None:
        self.login("consultant")
        self.client.get(reverse("risk:assessment-list", args=[self.company.pk]))
        home = self.client.get(reverse("home")).content.decode()
        portfolio = home[home.index('data-testid="portfolio"') :]
        for company in (self.company, self.third_company):
            self.assertIn(reverse("risk:assessment-list", args=[company.pk]), portfolio)
