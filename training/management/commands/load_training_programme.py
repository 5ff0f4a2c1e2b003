"""`ctpat load_training_programme`: give companies the standard roles and courses."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from companies.models import Company
from training.programme import ProgrammeFileError, load_programme, seed_company


class Command(BaseCommand):
    help = (
        "Create the standard security roles and training courses (training/data/programme.toml) "
        "for one company or all of them. Roles and courses a company already has are kept as "
        "they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--company", type=int, help="the company's id")
        target.add_argument("--all", action="store_true", help="every company")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            programme = load_programme()
        except ProgrammeFileError as exc:
            raise CommandError(f"programme file refused: {exc}") from exc
        if options["all"]:
            companies = list(Company.objects.all())
        else:
            companies = list(Company.objects.filter(pk=options["company"]))
            if not companies:
                raise CommandError(f"no company with id {options['company']}")
        for company in companies:
            result = seed_company(company, programme)
            self.stdout.write(
                f"{company}: {result.roles_created} role(s) and "
                f"{result.courses_created} course(s) created"
            )
