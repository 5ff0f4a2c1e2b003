"""`ctpat load_demo`: demo companies and people for a first look at the portal.

Idempotent: every record is looked up by a natural key and only written when it is missing
or differs, so a second run changes nothing (not even a timestamp or an audit entry).

All demo users share DEMO_PASSWORD. Company officers and program-office staff must use
two-factor authentication, so they get a TOTP authenticator with the fixed secret
DEMO_TOTP_SECRET: add it to any authenticator app, or print the current code with
`ctpat demo_totp EMAIL`. Because the password and secret are published, the command refuses
to run when DEBUG is off unless given --force.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt, encrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from companies.identifiers import validate_identifier
from companies.models import (
    Address,
    Company,
    Contact,
    Identifier,
    Invitation,
    Membership,
    ProgramParticipation,
    hash_invitation_token,
)
from companies.workflow import invitation_path
from demo import cases, operations
from eligibility.workflow import applicable_questions, run_check

DEMO_DOMAIN = "demo.openctpat.test"
DEMO_PASSWORD = "openctpat-demo"  # noqa: S105 - published on purpose, see the module docstring
# Base32 of the 20 bytes "openctpat-demo-totp!"; any authenticator app accepts it.
DEMO_TOTP_SECRET = "N5YGK3TDORYGC5BNMRSW23ZNORXXI4BB"
NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"


@dataclass(frozen=True)
class DemoCompany:
    key: str
    fields: dict[str, Any]
    addresses: list[dict[str, Any]]
    contacts: list[dict[str, Any]]
    identifiers: list[tuple[str, str]]
    programs: list[dict[str, Any]] = field(default_factory=list)
    # Record a passing eligibility check, so the officer can sign at once. The importer has
    # none: its officer walks through the eligibility wizard first, as a newcomer would.
    eligible: bool = True


@dataclass(frozen=True)
class DemoUser:
    local_part: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[str, str], ...] = ()  # (company key, role)
    program_role: str = ""

    @property
    def email(self) -> str:
        return f"{self.local_part}@{DEMO_DOMAIN}"


def _contacts(*rows: tuple[str, str, str, str]) -> list[dict[str, Any]]:
    return [
        {"kind": kind, "name": name, "title": title, "email": f"{local}@{DEMO_DOMAIN}"}
        for kind, name, title, local in rows
    ]


COMPANIES = [
    DemoCompany(
        key="importer",
        fields={
            "legal_name": "Great Lakes Home Goods Inc.",
            "dba": "GL Home",
            "business_type": "importer",
            "business_subtype": "",
            "country": "US",
            "language": "en",
            "parent_company": "Lakeshore Holdings LLC",
            "subsidiaries": "GL Home Canada Ltd.",
            "commodities": "Kitchenware, small household appliances, home textiles",
            "countries_of_origin": ["CN", "MX", "VN"],
            "transport_modes": ["ocean", "rail", "truck"],
            "yearly_shipments": 1800,
            "uses_ftz": True,
            "ftz_numbers": "22",
        },
        addresses=[
            {
                "kind": "headquarters",
                "name": "Head office",
                "street": "401 N Michigan Ave",
                "city": "Chicago",
                "region": "IL",
                "postal_code": "60611",
                "country": "US",
            },
            {
                "kind": "warehouse",
                "name": "Joliet distribution center",
                "street": "1200 Distribution Pkwy",
                "city": "Joliet",
                "region": "IL",
                "postal_code": "60431",
                "country": "US",
            },
        ],
        contacts=_contacts(
            ("security", "Marcus Reed", "Director of Supply Chain Security", "marcus.reed"),
            ("officer", "Dana Price", "Chief Operating Officer", "importer.officer"),
            ("senior_management", "Helen Brooks", "Chief Executive Officer", "helen.brooks"),
        ),
        identifiers=[("ior", "36-418250100"), ("bond", "GLH100427"), ("ein", "36-4182501")],
        eligible=False,
    ),
    DemoCompany(
        key="carrier",
        fields={
            "legal_name": "Transportes Fronterizos del Bravo, S.A. de C.V.",
            "dba": "TransBravo",
            "business_type": "highway_carrier",
            "business_subtype": "us_mexico",
            "country": "MX",
            "language": "es",
            "parent_company": "",
            "subsidiaries": "",
            "commodities": "Carga general, autopartes y electrodomésticos",
            "countries_of_origin": ["MX"],
            "transport_modes": ["truck"],
            "yearly_shipments": 9500,
            "uses_ftz": False,
            "ftz_numbers": "",
        },
        addresses=[
            {
                "kind": "headquarters",
                "name": "Oficinas centrales",
                "street": "Av. Tecnológico 1450, Parque Industrial",
                "city": "Ciudad Juárez",
                "region": "Chihuahua",
                "postal_code": "32599",
                "country": "MX",
            },
            {
                "kind": "terminal",
                "name": "Patio El Paso",
                "street": "9500 Railroad Dr",
                "city": "El Paso",
                "region": "TX",
                "postal_code": "79924",
                "country": "US",
            },
        ],
        contacts=_contacts(
            ("security", "Luis Hernández Ortega", "Gerente de Seguridad", "carrier.user"),
            ("officer", "María Fernanda López Ruiz", "Directora General", "carrier.officer"),
            (
                "senior_management",
                "Jorge Treviño Garza",
                "Director de Operaciones",
                "jorge.trevino",
            ),
        ),
        identifiers=[("scac", "TFBR"), ("usdot", "3120456"), ("rfc", "TFB050315AB1")],
        programs=[{"program": "oea", "country": "MX", "number": "OEA-2023-0457"}],
    ),
    DemoCompany(
        key="manufacturer",
        fields={
            "legal_name": "Manufacturas Industriales del Bajío, S.A. de C.V.",
            "dba": "MIBSA",
            "business_type": "foreign_manufacturer",
            "business_subtype": "",
            "country": "MX",
            "language": "es",
            "parent_company": "",
            "subsidiaries": "",
            "commodities": "Arneses eléctricos y componentes automotrices",
            "countries_of_origin": ["MX"],
            "transport_modes": ["rail", "truck"],
            "yearly_shipments": 2400,
            "uses_ftz": False,
            "ftz_numbers": "",
        },
        addresses=[
            {
                "kind": "headquarters",
                "name": "Oficinas corporativas",
                "street": "Blvd. Aeropuerto 2300",
                "city": "León",
                "region": "Guanajuato",
                "postal_code": "37545",
                "country": "MX",
            },
            {
                "kind": "manufacturing",
                "name": "Planta Silao",
                "street": "Parque Industrial Puerto Interior, Av. Japón 105",
                "city": "Silao",
                "region": "Guanajuato",
                "postal_code": "36275",
                "country": "MX",
            },
        ],
        contacts=_contacts(
            (
                "security",
                "Ricardo Mendoza Vega",
                "Jefe de Seguridad Patrimonial",
                "manufacturer.admin",
            ),
            (
                "officer",
                "Alejandra Ramírez Soto",
                "Directora de Operaciones",
                "manufacturer.officer",
            ),
            (
                "senior_management",
                "Fernando Castillo Ibarra",
                "Director General",
                "fernando.castillo",
            ),
        ),
        identifiers=[("mid", "MXMANIND2300LEO"), ("rfc", "MIB980720K45")],
        programs=[{"program": "oea", "country": "MX", "number": "OEA-2022-1290"}],
    ),
    DemoCompany(
        key="broker",
        fields={
            "legal_name": "Harbor Point Customs Brokerage LLC",
            "dba": "",
            "business_type": "customs_broker",
            "business_subtype": "",
            "country": "US",
            "language": "en",
            "parent_company": "",
            "subsidiaries": "",
            "commodities": "Entries for consumer goods, machinery and auto parts",
            "countries_of_origin": ["CN", "DE", "MX"],
            "transport_modes": ["air", "ocean", "truck"],
            "yearly_shipments": 14000,
            "uses_ftz": False,
            "ftz_numbers": "",
        },
        addresses=[
            {
                "kind": "headquarters",
                "name": "Main office",
                "street": "300 Oceangate, Suite 800",
                "city": "Long Beach",
                "region": "CA",
                "postal_code": "90802",
                "country": "US",
            },
        ],
        contacts=_contacts(
            ("security", "Sofia Alvarez", "Compliance and Security Manager", "broker.user"),
            ("officer", "Paul Chen", "President", "broker.officer"),
            ("senior_management", "Paul Chen", "President", "broker.officer"),
        ),
        identifiers=[("broker_license", "27514"), ("filer_code", "H7P"), ("ein", "95-3318842")],
    ),
]


def _stage_company(
    key: str,
    legal_name: str,
    business_type: str,
    country: str,
    city: str,
    officer: str,
    identifiers: list[tuple[str, str]],
    subtype: str = "",
) -> DemoCompany:
    """A member company of the program-office demo (demo/cases.py brings it to its stage)."""
    spanish = country == "MX"
    return DemoCompany(
        key=key,
        fields={
            "legal_name": legal_name,
            "dba": "",
            "business_type": business_type,
            "business_subtype": subtype,
            "country": country,
            "language": "es" if spanish else "en",
            "parent_company": "",
            "subsidiaries": "",
            "commodities": "Carga general" if spanish else "General merchandise",
            "countries_of_origin": [country],
            "transport_modes": ["truck"],
            "yearly_shipments": 600,
            "uses_ftz": False,
            "ftz_numbers": "",
        },
        addresses=[
            {
                "kind": "headquarters",
                "name": "Oficinas centrales" if spanish else "Head office",
                "street": "100 Main St" if not spanish else "Av. Juárez 100",
                "city": city,
                "region": "",
                "postal_code": "",
                "country": country,
            }
        ],
        contacts=_contacts(
            ("officer", officer, "Director" if spanish else "President", f"{key}.officer"),
            ("security", officer, "Security", f"{key}.officer"),
            ("senior_management", officer, "CEO", f"{key}.officer"),
        ),
        identifiers=identifiers,
        eligible=False,
    )


# One member company at each stage of the lifecycle, for the program office (demo/cases.py).
STAGE_COMPANIES = [
    _stage_company(
        "applied", "Pacific Rim Apparel Imports LLC", "importer", "US", "Seattle",
        "Grace Kim", [("ior", "91-204417700"), ("bond", "PRA200118")],
    ),
    _stage_company(
        "in_review", "Ferretera Industrial del Norte, S.A. de C.V.", "foreign_manufacturer",
        "MX", "Monterrey", "Héctor Salinas Garza",
        [("mid", "MXFERIND100MON"), ("rfc", "FIN010203AB4")],
    ),
    _stage_company(
        "certified", "Cascade Outdoor Gear Inc.", "importer", "US", "Portland",
        "Nora Lindqvist", [("ior", "93-117720500"), ("bond", "COG300245")],
    ),
    _stage_company(
        "validated", "Autopartes Maquiladora de Sonora, S.A. de C.V.", "foreign_manufacturer",
        "MX", "Hermosillo", "Patricia Valenzuela Ruiz",
        [("mid", "MXAUTMAQ100HER"), ("rfc", "AMS990817QW2")],
    ),
    _stage_company(
        "suspended", "Lone Star Freight Lines LLC", "highway_carrier", "US", "El Paso",
        "Wade Turner", [("scac", "LSFL"), ("usdot", "2298104")], subtype="us_mexico",
    ),
    _stage_company(
        "appeal", "Heartland Farm Equipment Exporters Inc.", "exporter", "US", "Des Moines",
        "Megan Olson", [("ein", "42-1187730")],
    ),
]  # fmt: skip
# Invited as a second officer of the carrier, never created by the loader: the demo of
# joining by invitation (set a password, the address is confirmed, then TOTP set-up).
INVITED_OFFICER = "carrier.invited-officer"
DEMO_INVITATION_TOKEN = "demo-invitation-carrier-officer-0000000000000"

USERS = [
    DemoUser("importer.officer", "Dana", "Price", (("importer", "officer"),)),
    DemoUser("importer.admin", "Kim", "Walsh", (("importer", "admin"),)),
    DemoUser("importer.viewer", "Owen", "Park", (("importer", "viewer"),)),
    DemoUser("carrier.officer", "María Fernanda", "López Ruiz", (("carrier", "officer"),)),
    DemoUser("carrier.user", "Luis", "Hernández Ortega", (("carrier", "user"),)),
    DemoUser("manufacturer.officer", "Alejandra", "Ramírez Soto", (("manufacturer", "officer"),)),
    DemoUser("manufacturer.admin", "Ricardo", "Mendoza Vega", (("manufacturer", "admin"),)),
    DemoUser("broker.officer", "Paul", "Chen", (("broker", "officer"),)),
    DemoUser("broker.user", "Sofia", "Alvarez", (("broker", "user"),)),
    DemoUser(
        "consultant", "Elena", "Vargas", (("carrier", "consultant"), ("manufacturer", "consultant"))
    ),
    DemoUser("specialist", "Tom", "Becker", program_role="specialist"),
    DemoUser("supervisor", "Ruth", "Okafor", program_role="supervisor"),
    *(
        DemoUser(
            f"{demo.key}.officer",
            demo.contacts[0]["name"].split(" ", 1)[0],
            demo.contacts[0]["name"].split(" ", 1)[1],
            ((demo.key, "officer"),),
        )
        for demo in STAGE_COMPANIES
    ),
]


def upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    """Find the row by `lookup`; create it (validated like a form would) or write only the
    fields that differ, so an unchanged row is not saved again."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        if any(f.name == "updated_at" for f in model._meta.fields):
            changed.append("updated_at")
        obj.save(update_fields=changed)
    return obj


class Command(BaseCommand):
    help = "Load demo companies and users (idempotent) and print their logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. The demo accounts have a published password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like a production site, and the demo accounts have a "
                "published password. Use --force if you really want them here."
            )
        # The demo's partners have invented addresses: the questionnaire links and copies
        # the workflow e-mails once the transaction commits go nowhere, not to the console
        # (or, with --force on a site that has SMTP, out of the building).
        with override_settings(EMAIL_BACKEND=NO_MAIL), transaction.atomic():
            companies = {demo.key: self.load_company(demo) for demo in COMPANIES}
            companies |= {demo.key: self.load_company(demo) for demo in STAGE_COMPANIES}
            rows = [row for demo in USERS for row in self.load_user(demo, companies)]
            for demo in COMPANIES:
                if demo.eligible:
                    self.pass_eligibility(companies[demo.key])
            invitation = self.invite_new_officer(companies["carrier"])
            specialist = User.objects.get(email=f"specialist@{DEMO_DOMAIN}")
            supervisor = User.objects.get(email=f"supervisor@{DEMO_DOMAIN}")
            cases.load(companies, specialist, supervisor)
            operations.load(companies)
        if options["verbosity"] > 0:
            self.print_logins(rows)
            if invitation:
                self.stdout.write(
                    f"An invited officer who has no account yet ({INVITED_OFFICER}@{DEMO_DOMAIN}) "
                    f"chooses a password here, then sets up the authenticator: {invitation}"
                )
            self.print_cases(companies)
            self.print_operations()

    def load_company(self, demo: DemoCompany) -> Company:
        fields = dict(demo.fields)
        company: Company = upsert(Company, {"legal_name": fields.pop("legal_name")}, fields)
        for address in demo.addresses:
            values = dict(address)
            upsert(
                Address,
                {"company": company, "kind": values.pop("kind"), "street": values.pop("street")},
                values,
            )
        for contact in demo.contacts:
            values = dict(contact)
            upsert(Contact, {"company": company, "kind": values.pop("kind")}, values)
        for kind, value in demo.identifiers:
            upsert(
                Identifier,
                {"company": company, "kind": kind, "value": validate_identifier(kind, value)},
                {},
            )
        for program in demo.programs:
            values = dict(program)
            upsert(
                ProgramParticipation,
                {
                    "company": company,
                    "program": values.pop("program"),
                    "country": values.pop("country"),
                },
                values,
            )
        Application.start(company)
        return company

    def load_user(self, demo: DemoUser, companies: dict[str, Company]) -> list[tuple[str, ...]]:
        """Create or align one demo user; returns their rows of the logins table."""
        names = {
            "first_name": demo.first_name,
            "last_name": demo.last_name,
            "program_role": demo.program_role,
        }
        user: User | None = User.objects.filter(email=demo.email).first()
        if user is None:
            user = User.objects.create_user(demo.email, DEMO_PASSWORD, **names)
        else:
            user = upsert(User, {"pk": user.pk}, names)
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
        upsert(
            EmailAddress, {"user": user, "email": demo.email}, {"verified": True, "primary": True}
        )
        for key, role in demo.memberships:
            upsert(Membership, {"company": companies[key], "user": user}, {"role": role})
        mfa = "yes" if user.requires_mfa() else "no"
        if mfa == "yes":
            self.give_demo_totp(user)
        if demo.program_role:
            return [(demo.email, demo.program_role, "(program office: every company)", mfa)]
        return [
            (demo.email, role, companies[key].legal_name, mfa) for key, role in demo.memberships
        ]

    def invite_new_officer(self, company: Company) -> str:
        """A pending invitation of a second company officer who has no account yet. Its link
        is published like the demo password (a fixed secret), so a second run changes
        nothing; an expired one is renewed. Nothing once the person joined."""
        email = f"{INVITED_OFFICER}@{DEMO_DOMAIN}"
        if User.objects.filter(email=email).exists():
            return ""
        officer = company.memberships.filter(role="officer").select_related("user").first()
        if officer is None:
            return ""
        now = timezone.now()
        valid = {
            "sent_at": now,
            "expires_at": now + datetime.timedelta(days=settings.CTPAT_INVITATION_DAYS),
            "revoked_at": None,
        }
        token_hash = hash_invitation_token(DEMO_INVITATION_TOKEN)
        invitation = Invitation.objects.filter(token_hash=token_hash).first()
        if invitation is None:
            Invitation.objects.create(
                company=company,
                email=email,
                role="officer",
                invited_by=officer.user,
                token_hash=token_hash,
                **valid,
            )
        elif not invitation.is_pending(now):
            upsert(Invitation, {"pk": invitation.pk}, valid)
        return settings.CTPAT_SITE_URL + invitation_path(DEMO_INVITATION_TOKEN)

    def pass_eligibility(self, company: Company) -> None:
        """Answer every eligibility question as a qualifying company would, once."""
        if company.eligibility_checks.exists():
            return
        questions = applicable_questions(
            company.business_type, company.business_subtype, company.country.code
        )
        officer = company.memberships.filter(role="officer").first()
        run_check(
            company,
            officer.user if officer else None,
            answers={q.id: q.qualifying_answer for q in questions},
        )

    def print_cases(self, companies: dict[str, Company]) -> None:
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS("Program-office cases (sign in as specialist or supervisor):"))
        for key, label in cases.STAGES:
            company = companies[key]
            out.write(f"  {company.legal_name}: {label} (officer: {key}.officer@{DEMO_DOMAIN})")
        out.write(
            f"specialist@{DEMO_DOMAIN} finds the review queue, a rejected criterion awaiting the "
            f"member and a suspension clock; supervisor@{DEMO_DOMAIN} finds a validation report "
            "to approve and an appeal to decide."
        )

    def print_operations(self) -> None:
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS("Day-to-day operations (demo/operations.py):"))
        for line in operations.SUMMARY:
            out.write(f"  {line}")

    def give_demo_totp(self, user: User) -> None:
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            TOTP.activate(user, DEMO_TOTP_SECRET)
        elif decrypt(authenticator.data["secret"]) != DEMO_TOTP_SECRET:
            authenticator.data = {**authenticator.data, "secret": encrypt(DEMO_TOTP_SECRET)}
            authenticator.save(update_fields=["data"])

    def print_logins(self, rows: list[tuple[str, ...]]) -> None:
        header = ("E-mail", "Role", "Company", "MFA")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS("Demo data loaded. Demo logins:"))
        out.write(line.format(*header))
        out.write(line.format(*("-" * w for w in widths)))
        for row in rows:
            out.write(line.format(*row))
        out.write("")
        out.write(f"Password for every demo user: {DEMO_PASSWORD}")
        out.write(
            f"Users with MFA = yes use the authenticator secret {DEMO_TOTP_SECRET} (add it to "
            "any authenticator app), or print the current code with: "
            "uv run ctpat demo_totp EMAIL"
        )
        out.write("importer.admin@demo.openctpat.test signs in without a second factor.")
        out.write(
            "The carrier, manufacturer and broker passed the eligibility check, so their "
            "officers can sign the partner agreement at once; the importer's officer runs the "
            "eligibility wizard first."
        )
