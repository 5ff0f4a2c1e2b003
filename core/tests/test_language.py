"""English and Spanish: the language switch in the header and the browser's
Accept-Language both turn the portal Spanish."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from portal.testing import PersonaTestCase

FAST = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST
class SpanishTests(PersonaTestCase):
    def test_sign_in_page_follows_accept_language(self) -> None:
        page = self.client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
        self.assertContains(page, '<html lang="es">')
        self.assertContains(page, "Iniciar sesión")
        self.assertContains(page, "Contraseña")
        english = self.client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(english, "Sign In")

    def test_language_switch_turns_the_company_list_spanish(self) -> None:
        self.login("consultant")
        url = reverse("companies:company-list")
        self.assertContains(self.client.get(url), "Your companies")
        switched = self.client.post(reverse("set_language"), {"language": "es", "next": url})
        self.assertRedirects(switched, url, fetch_redirect_response=False)
        page = self.client.get(url)
        for spanish in (
            "Sus empresas",
            "Registrar una empresa",
            "Consultor",
            "Agente aduanal con licencia de EE. UU.",
            "Todas mis empresas",
            "Cerrar sesión",
        ):
            self.assertContains(page, spanish)
        self.assertNotContains(page, "Your companies")

    def test_company_pages_and_their_errors_speak_spanish(self) -> None:
        self.login("user")
        self.client.post(reverse("set_language"), {"language": "es"})
        page = self.client.post(
            reverse("companies:identifier-list", args=[self.company.pk]),
            {"kind": "scac", "value": "AB12"},
        )
        self.assertContains(page, "Identificadores")
        self.assertContains(page, "Agregar")
        self.assertContains(page, "Un SCAC tiene exactamente 4 letras")
