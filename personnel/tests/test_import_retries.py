"""The employee import under retries and at the same time: a re-sent form imports once,
and two imports into one company at the same moment neither fail nor duplicate people."""

from __future__ import annotations

import threading
import unittest
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

from personnel.models import Employee
from portal.testing import PersonaTestCase, add_member, make_company, make_user

WITH_NUMBERS = (
    "employee_number,first_name,last_name\nE-10,Ana,Ruiz\nE-11,Luis,Gómez\nE-12,Eva,Luna\n"
).encode()
WITHOUT_NUMBERS = b"first_name,last_name\nAna,Ruiz\nLuis,Gomez\n"


def form(content: bytes, key: str) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("people.csv", content), "submission_key": key}


class ReSentImportTests(PersonaTestCase):
    def test_the_import_form_carries_a_submission_key(self) -> None:
        self.login("user")
        page = self.client.get(reverse("personnel:employee-import", args=[self.company.pk]))
        self.assertContains(page, 'name="submission_key"')

    def test_a_re_sent_import_form_adds_no_one_twice(self) -> None:
        self.login("user")
        url = reverse("personnel:employee-import", args=[self.company.pk])
        key = str(uuid.uuid4())
        first = self.client.post(url, form(WITHOUT_NUMBERS, key))
        again = self.client.post(url, form(WITHOUT_NUMBERS, key))
        self.assertEqual((first.status_code, again.status_code), (302, 302))
        self.assertEqual(again["Location"], first["Location"])
        self.assertEqual(Employee.objects.filter(company=self.company).count(), 2)

    def test_a_refused_file_leaves_the_form_usable_again(self) -> None:
        self.login("user")
        url = reverse("personnel:employee-import", args=[self.company.pk])
        key = str(uuid.uuid4())
        refused = self.client.post(url, form(b"first_name,last_name\n,Ruiz\n", key))
        self.assertEqual(refused.status_code, 400)
        fixed = self.client.post(url, form(WITHOUT_NUMBERS, key))
        self.assertEqual(fixed.status_code, 302)
        self.assertEqual(Employee.objects.filter(company=self.company).count(), 2)


@unittest.skipUnless(
    connection.vendor == "postgresql", "threads need a database server (in-memory SQLite)"
)
class ParallelImportTests(TransactionTestCase):
    """Two real threads post the import at the same moment."""

    def run_in_parallel(self, bodies: list[dict[str, Any]]) -> list[int]:
        company = make_company()
        user = make_user("user@acme.test")
        add_member(company, user, "user")
        url = reverse("personnel:employee-import", args=[company.pk])
        barrier = threading.Barrier(len(bodies))
        statuses: list[int] = []

        def post(body: dict[str, Any]) -> None:
            client = Client(raise_request_exception=False)
            client.force_login(user)
            barrier.wait()
            try:
                statuses.append(client.post(url, body).status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=post, args=(b,)) for b in bodies]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return statuses

    def test_two_imports_of_one_file_at_once_update_instead_of_failing(self) -> None:
        statuses = self.run_in_parallel(
            [form(WITH_NUMBERS, str(uuid.uuid4())), form(WITH_NUMBERS, str(uuid.uuid4()))]
        )
        self.assertEqual(statuses, [302, 302])
        self.assertEqual(Employee.objects.count(), 3)

    def test_one_form_sent_twice_at_once_imports_once(self) -> None:
        key = str(uuid.uuid4())
        statuses = self.run_in_parallel([form(WITHOUT_NUMBERS, key), form(WITHOUT_NUMBERS, key)])
        self.assertEqual(statuses, [302, 302])
        self.assertEqual(Employee.objects.count(), 2)
