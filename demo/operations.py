"""Day-to-day operations of the demo's importer and carrier, so that every role finds work
at first sign-in (the homes, the task lists, the modules):

- the importer (Great Lakes Home Goods): a dozen business partners of various roles and
  countries, most with their CTPAT / AEO / OEA / PIP status and its proof; one whose name
  is on the OFAC SDN list, so an open screening alert waits for a reviewer; a security
  questionnaire out (due soon) and one submitted (a weak answer raised a corrective
  action for the officer); the year's risk assessment in progress with two supply
  chains; a site audit planned at the Vietnamese supplier (the administrator's visit);
- the carrier (TransBravo, Spanish free text): seals received and issued, three
  17-point inspections by the field inspector (the `carrier.user` login, whose employee
  record makes the field page their home), one with a failed point that opened an
  incident whose corrective action is overdue, a gate entry; employees with training
  records, one guard's refresher overdue.

Everything is written through the workflow functions the pages and the API call
(`partners.workflow.save_partner` screens the partner, `inspections.workflow.
record_inspection` checks the seal against the log, …), never by raw inserts.

Screening needs no `ctpat load_watchlists`: with no list version in the database the
screening index is built from the list files shipped in `../shared/data/watchlists` (and
cached on disk), the same fallback development and the tests use; so `save_partner`
raises the alert the way a real save does.

Idempotent like `demo/cases.py`: each part is loaded once, and a part whose records exist
(a partner of that name, the carrier's seals, an inspection's fixed phone key…) is left
alone, so a second `load_demo` adds nothing.

No Trade Compliance application: `tradecompliance.eligibility.check` admits a validated
(tier 2 or 3) U.S. importer only, and the demo importer has not even applied to CTPAT
(its officer walks through eligibility first); none of the stage companies is a
validated importer either.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actions.models import CorrectiveAction
from catalogue.models import Catalogue
from incidents.choices import IncidentKind
from incidents.workflow import open_incident, raise_action
from inspections.checklists import builtin
from inspections.choices import Direction, GateDirection, Result
from inspections.models import GateEntry
from inspections.workflow import PointAnswer, record_gate_entry, record_inspection
from partners.models import BusinessPartner
from partners.workflow import save_partner
from personnel.forms import EmployeeForm
from personnel.models import Employee
from questionnaires import workflow as questionnaires
from questionnaires.models import Questionnaire
from recognition.models import PartnerStatus
from recognition.workflow import record_status
from risk import workflow as risk
from risk.choices import NodeKind, TransportMode
from risk.forms import SupplyChainForm
from risk.models import Assessment, Node
from seals import workflow as seals
from seals.models import Seal
from siteaudits.models import SiteAudit
from siteaudits.workflow import plan_audit
from threats.models import Level
from training.models import Course, TrainingRecord
from training.programme import seed_company
from training.workflow import record_training

if TYPE_CHECKING:
    from accounts.models import User
    from companies.models import Company

# The keys of the phone app that "sent" the demo's inspections and gate entry: fixed, so
# a second run finds the records it made (record_inspection returns the existing one).
KEYS = uuid.UUID("6f1d7a52-0c1e-4c55-9a59-5d1e0de0c7a1")


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(KEYS, name)


@dataclass(frozen=True)
class DemoPartner:
    name: str
    role: str
    country: str
    city: str
    volume: int
    owner: str  # "officer" or "admin" of the importer
    # (program, issuing country, number, months since issue, months valid or 0 = no end)
    status: tuple[str, str, str, int, int] | None = None
    contact: str = ""


# The importer's partners. The Mexican warehouse's name is an entry of the OFAC SDN list
# shipped in shared/data/watchlists (SDN 7156), so screening it raises an alert.
PARTNERS = [
    DemoPartner("Ningbo Everbright Kitchenware Co., Ltd.", "manufacturer", "CN", "Ningbo",
                420, "officer", None, "Chen Wei"),
    DemoPartner("Shenzhen Golden Lotus Housewares Co., Ltd.", "manufacturer", "CN",
                "Shenzhen", 260, "admin", None, "Li Na"),
    DemoPartner("Hanoi Home Textiles JSC", "manufacturer", "VN", "Hanoi", 180, "admin",
                None, "Nguyen Thi Mai"),
    DemoPartner("Manufacturas Industriales del Bajío, S.A. de C.V.", "manufacturer", "MX",
                "Silao", 150, "officer", ("oea", "MX", "OEA-2022-1290", 30, 36),
                "Alejandra Ramírez Soto"),
    DemoPartner("Transportes Fronterizos del Bravo, S.A. de C.V.", "highway_carrier", "MX",
                "Ciudad Juárez", 600, "officer", ("ctpat", "US", "23615447", 40, 0),
                "Luis Hernández Ortega"),
    DemoPartner("Harbor Point Customs Brokerage LLC", "customs_broker", "US", "Long Beach",
                1800, "admin", ("ctpat", "US", "28840193", 52, 0), "Sofia Alvarez"),
    DemoPartner("Blue Meridian Container Line Pte. Ltd.", "sea_carrier", "SG", "Singapore",
                700, "admin", ("stp", "SG", "STP-0188-2021", 20, 36), "Tan Wei Ming"),
    DemoPartner("Hanseatische Spedition Nord GmbH", "forwarder", "DE", "Hamburg", 90,
                "admin", ("aeo", "DE", "DEAEOF1234567", 34, 36), "Jonas Becker"),
    DemoPartner("Great Plains Intermodal Railway Co.", "rail_carrier", "US", "Kansas City",
                300, "admin", ("ctpat", "US", "19927305", 70, 0), "Amy Jensen"),
    DemoPartner("Joliet Cross-Dock Services LLC", "warehouse", "US", "Joliet", 900,
                "officer", None, "Derek Novak"),
    DemoPartner("Maple Leaf Cartage Ltd.", "highway_carrier", "CA", "Windsor", 240,
                "admin", ("pip", "CA", "PIP-4471820", 28, 0), "Claire Tremblay"),
    DemoPartner("Distribuidora Imperial de Baja California, S.A. de C.V.", "warehouse",
                "MX", "Tijuana", 40, "admin", None, "Armando Cruz"),
]  # fmt: skip
ALERT_PARTNER = PARTNERS[-1].name
QUESTIONNAIRE_OUT = PARTNERS[1].name  # sent, due soon
QUESTIONNAIRE_IN = PARTNERS[0].name  # submitted, awaiting the importer's review
AUDITED = PARTNERS[2].name  # foreign supplier with a site audit planned
# The one answer below "yes" in the submitted questionnaire (a corrective action).
WEAK_ANSWER = "seal-photos"

# A one-page PDF: the "certificate" attached as proof of each partner's program status.
PROOF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# What each login finds, printed by load_demo.
SUMMARY = [
    "importer.officer: 12 business partners, an open screening alert (the SDN match "
    f"“{ALERT_PARTNER}”), a questionnaire out and one submitted whose weak answer raised "
    "a corrective action, the year's risk assessment in progress with two supply chains;",
    "importer.admin: the site audit of Hanoi Home Textiles JSC planned in three weeks;",
    "carrier.user (field inspector, no second factor): today's seals and three 17-point "
    "inspections, one failed at the fuel tank;",
    "carrier.officer: the overdue corrective action of that incident and a guard's overdue "
    "training; consultant: both on the client portfolio.",
]


def _member(company: Company, role: str) -> User:
    return company.memberships.select_related("user").filter(role=role).order_by("pk")[0].user


def _months_ago(today: datetime.date, months: int) -> datetime.date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return today.replace(year=year, month=month + 1, day=min(today.day, 28))


def load(companies: dict[str, Company]) -> list[str]:
    """Load each part once; returns the parts loaded now."""
    importer, carrier = companies["importer"], companies["carrier"]
    loaded = []
    if _partners(importer):
        loaded.append("partners")
    partners = {p.name: p for p in BusinessPartner.objects.filter(company=importer)}
    parts: list[tuple[str, Callable[[], bool]]] = [
        ("questionnaires", lambda: _questionnaires(importer, partners)),
        ("risk", lambda: _risk(importer, partners)),
        ("site audit", lambda: _site_audit(importer, partners[AUDITED])),
        ("personnel", lambda: _personnel(carrier)),
        ("seals", lambda: _seals(carrier)),
        ("inspections", lambda: _inspections(carrier)),
    ]
    for name, part in parts:
        if part():
            loaded.append(name)
    return loaded


# -- the importer ----------------------------------------------------------------------


def _partners(importer: Company) -> bool:
    """The partners not there yet, each saved (and so screened) by `save_partner`, with
    its program status recorded by `record_status` with a proof."""
    today = timezone.localdate()
    people = {role: _member(importer, role) for role in ("officer", "admin")}
    existing = set(BusinessPartner.objects.filter(company=importer).values_list("name", flat=True))
    added = False
    for demo in PARTNERS:
        if demo.name in existing:
            continue
        local = demo.contact.split()[0].lower()
        partner = BusinessPartner(
            company=importer,
            name=demo.name,
            role=demo.role,
            country=demo.country,
            city=demo.city,
            contact_name=demo.contact,
            contact_email=f"{local}@partner.example",
            relationship_owner=people[demo.owner],
            yearly_volume=demo.volume,
        )
        partner.full_clean()  # as its form does
        save_partner(partner)
        added = True
        if demo.status is not None:
            program, country, number, age, valid = demo.status
            issued = _months_ago(today, age)
            status = PartnerStatus(
                partner=partner,
                program=program,
                country=country,
                number=number,
                issued_on=issued,
                expires_on=_months_ago(issued, -valid) if valid else None,
            )
            status.full_clean()
            upload = SimpleUploadedFile(f"{program}-certificate.pdf", PROOF, "application/pdf")
            record_status(status, upload=upload, by=people[demo.owner])
    return added


def _questionnaires(importer: Company, partners: dict[str, BusinessPartner]) -> bool:
    """One questionnaire out (sent 20 days ago, its link expires in 10 days) and one the
    partner answered and submitted, awaiting the importer's review."""
    if Questionnaire.objects.filter(company=importer).exists():
        return False
    officer = _member(importer, "officer")
    now = timezone.now()
    out = partners[QUESTIONNAIRE_OUT]
    questionnaires.send(
        out,
        contact_email=out.contact_email,
        contact_name=out.contact_name,
        language="en",
        sent_by=officer,
        valid_days=30,
        now=now - datetime.timedelta(days=20),
    )
    back = partners[QUESTIONNAIRE_IN]
    questionnaire, _token = questionnaires.send(
        back,
        contact_email=back.contact_email,
        contact_name=back.contact_name,
        language="en",
        sent_by=officer,
        now=now - datetime.timedelta(days=12),
    )
    questions = questionnaire.question_set().questions
    answers = {
        q.id: ("partly", "Photos are taken at the dock, not yet of every seal.")
        if q.id == WEAK_ANSWER
        else ("yes", "")
        for q in questions
    }
    name = back.contact_name
    questionnaires.save_answers(questionnaire, name, answers, now=now - datetime.timedelta(days=3))
    questionnaires.submit(questionnaire, name, now=now - datetime.timedelta(days=2))
    return True


def _risk(importer: Company, partners: dict[str, BusinessPartner]) -> bool:
    """This year's assessment, in progress, with two supply chains mapped. Once: a run in
    a later year leaves the demo's assessment alone rather than start that year's."""
    if Assessment.objects.filter(company=importer).exists():
        return False
    assessment = risk.start_assessment(importer)
    chains = [
        (
            "Kitchenware from Ningbo by ocean",
            "Full container loads from the Ningbo factory, by sea to Chicago by rail.",
            [
                ("Everbright factory, Ningbo", NodeKind.ORIGIN, "CN", "CN-ZJ", TransportMode.ROAD,
                 QUESTIONNAIRE_IN, 0),
                ("Port of Ningbo-Zhoushan", NodeKind.PORT, "CN", "CN-ZJ", TransportMode.SEA,
                 "Blue Meridian Container Line Pte. Ltd.", 48),
                ("Port of Long Beach", NodeKind.PORT, "US", "US-CA", TransportMode.RAIL,
                 "Great Plains Intermodal Railway Co.", 24),
                ("Joliet distribution center", NodeKind.DESTINATION, "US", "US-IL",
                 TransportMode.NONE, "", 0),
            ],
        ),
        (
            "Appliances from the Bajío by truck",
            "Truckloads from the Silao plant across the Ciudad Juárez – El Paso border.",
            [
                ("MIBSA plant, Silao", NodeKind.ORIGIN, "MX", "MX-GUA", TransportMode.ROAD,
                 "Manufacturas Industriales del Bajío, S.A. de C.V.", 0),
                ("Ciudad Juárez yard", NodeKind.BORDER, "MX", "MX-CHH", TransportMode.ROAD,
                 "Transportes Fronterizos del Bravo, S.A. de C.V.", 12),
                ("Joliet distribution center", NodeKind.DESTINATION, "US", "US-IL",
                 TransportMode.NONE, "", 0),
            ],
        ),
    ]  # fmt: skip
    officer = _member(importer, "officer")
    for name, description, nodes in chains:
        form = SupplyChainForm({"name": name, "description": description}, assessment=assessment)
        chain = form.save() if form.is_valid() else None
        if chain is None:
            raise ValueError(form.errors.as_text())
        previous: list[Node] = []
        for order, (label, kind, country, region, mode, partner, rest) in enumerate(nodes):
            node = Node(
                chain=chain,
                order=order,
                name=label,
                kind=kind,
                country=country,
                region=region,
                mode=mode,
                partner=partners.get(partner),
                cargo_rests=bool(rest),
                rest_hours=rest or None,
            )
            previous = [risk.save_node(node, comes_from=previous, goes_to=[])]
        risk.rate_vulnerability(
            chain,
            3,
            level=Level.MEDIUM,
            override_reason="Partners vetted, but the factory's seal photos are not routine yet.",
            by=officer,
        )
    return True


def _site_audit(importer: Company, partner: BusinessPartner) -> bool:
    """A visit of the Vietnamese supplier in three weeks, the administrator auditing."""
    if SiteAudit.objects.filter(company=importer).exists():
        return False
    if Catalogue.objects.latest_published() is None:
        return False  # the MSC checklist comes from the catalogue (`make run` loads it)
    audit = SiteAudit(
        company=importer,
        partner=partner,
        planned_on=timezone.localdate() + datetime.timedelta(days=21),
        site="Lot B4, Quang Minh Industrial Park, Me Linh, Hanoi",
        auditor=_member(importer, "admin"),
    )
    plan_audit(audit, by=_member(importer, "officer"))
    return True


# -- the carrier (Spanish free text: its staff and consultant read it) -------------------

# (number, first name, last name, e-mail, job title, security roles, courses left out)
EMPLOYEES = [
    ("TB-101", "Luis", "Hernández Ortega", "carrier.user", "Gerente de Seguridad",
     ["inspector", "seal_custodian", "security_coordinator"], []),
    ("TB-114", "Ramón", "Aguilar Cisneros", "", "Operador de tractocamión", ["driver"], []),
    ("TB-127", "Verónica", "Salazar Peña", "", "Supervisora de patio", ["dock"], []),
    ("TB-133", "Julio César", "Domínguez Ríos", "", "Guardia de caseta",
     ["guard"], ["threat_awareness"]),
]  # fmt: skip


def _personnel(carrier: Company) -> bool:
    """The carrier's training programme, four employees (saved by the form the personnel
    page uses) and their training; the guard's threat-awareness refresher is overdue."""
    from demo.management.commands.load_demo import DEMO_DOMAIN  # it imports this module

    if Employee.objects.filter(company=carrier).exists():
        return False
    seed_company(carrier)
    today = timezone.localdate()
    officer = _member(carrier, "officer")
    yard = carrier.addresses.filter(kind="terminal").first()
    for number, first, last, local, title, roles, lapsed in EMPLOYEES:
        form = EmployeeForm(
            {
                "employee_number": number,
                "first_name": first,
                "last_name": last,
                "email": f"{local}@{DEMO_DOMAIN}" if local else "",
                "job_title": title,
                "facility": yard.pk if yard else "",
                "roles": list(
                    carrier.security_roles.filter(code__in=roles).values_list("pk", flat=True)
                ),
                "hire_date": _months_ago(today, 40).isoformat(),
            },
            company=carrier,
        )
        if not form.is_valid():
            raise ValueError(form.errors.as_text())
        employee = form.save()
        for course in Course.objects.filter(company=carrier, roles__code__in=roles).distinct():
            late = course.code in lapsed
            # Taken 14 months ago against a 12-month refresher: due two months ago.
            done = _months_ago(today, 14 if late else 3)
            record = TrainingRecord(
                company=carrier,
                employee=employee,
                course=course,
                completed_on=done,
                recorded_by=officer,
                notes="Curso presencial en el patio de Ciudad Juárez.",
            )
            record.full_clean(exclude=["signature"])
            record_training(record)
    return True


SEAL_PREFIX = "TFB"


def _seals(carrier: Company) -> bool:
    """A box of ten high-security seals received today, three issued to drivers."""
    if Seal.objects.filter(company=carrier).exists():
        return False
    custodian = _member(carrier, "user")
    seals.receive_range(
        carrier,
        numbers=seals.range_numbers(SEAL_PREFIX, 4501, 4510, 7),
        manufacturer="TydenBrooks",
        iso_class="H",
        certificate_ref="ISO 17712:2013 cert. TB-2025-0917",
        storage_location="Caja fuerte, oficina de seguridad, patio Ciudad Juárez",
        by=custodian,
    )
    for number, driver in (
        (4501, "Ramón Aguilar Cisneros"),
        (4502, "Ramón Aguilar Cisneros"),
        (4503, "Efraín Torres Lugo"),
    ):
        seal = Seal.objects.get(company=carrier, number=f"{SEAL_PREFIX}{number:07d}")
        seals.issue(seal, to=driver, by=custodian)
    return True


# (key, days ago, trailer, plate, failed point and what was found)
INSPECTIONS = [
    ("inspection-1", 12, "TFBU 482211", "94-AK-7J", "fuel_tanks",
     "Soldadura reciente en el tanque de combustible derecho; el nivel no coincide con la "
     "lectura del indicador. Posible compartimento oculto."),
    ("inspection-2", 4, "TFBU 482219", "94-AK-8C", "", ""),
    ("inspection-3", 0, "TFBU 482230", "17-AJ-2P", "", ""),
]  # fmt: skip


def _inspections(carrier: Company) -> bool:
    """Three truck-and-trailer 17-point inspections by the field inspector; the first
    failed at the fuel tank and opened an incident whose corrective action is overdue;
    today's sealed the trailer with an issued seal (so the seal log shows it affixed).
    Then the trailer's exit at the gate."""
    if not Seal.objects.filter(company=carrier).exists():
        return False  # the seal written on today's inspection must be in the log first
    checklist = builtin()["truck17"]
    inspector = _member(carrier, "user")
    officer = _member(carrier, "officer")
    now = timezone.now()
    made = False
    for key, days, trailer, plate, failed, note in INSPECTIONS:
        sealed = days == 0
        answers = {
            p.key: PointAnswer(Result.FAIL, note) if p.key == failed else PointAnswer(Result.PASS)
            for p in checklist.points
        }
        recorded = record_inspection(
            carrier,
            checklist,
            client_key=_key(key),
            fields={
                "iit_number": trailer,
                "plate": plate,
                "direction": Direction.OUTBOUND,
                "performed_at": now - datetime.timedelta(days=days, hours=2),
                "location_note": "Patio Ciudad Juárez, andén 3",
                "seal_number": f"{SEAL_PREFIX}{4501:07d}" if sealed else "",
                "vvtt_view": sealed,
                "vvtt_verify": sealed,
                "vvtt_tug": sealed,
                "vvtt_twist": sealed,
                "notes": "Carga de electrodomésticos para Joliet, IL." if not failed else "",
            },
            answers=answers,
            inspector=inspector,
        )
        if not recorded.created:
            continue
        made = True
        if failed:
            _incident(recorded.inspection, note, inspector, officer, days)
        if sealed:
            record_gate_entry(
                carrier,
                client_key=_key("gate-1"),
                fields={
                    "direction": GateDirection.OUT,
                    "at": now - datetime.timedelta(hours=1),
                    "driver_name": "Ramón Aguilar Cisneros",
                    "driver_licence": "CHIH-LF-0392817",
                    "tractor_plate": plate,
                    "trailer_plate": "87-UW-4K",
                    "iit_number": trailer,
                    "seal_number": f"{SEAL_PREFIX}{4501:07d}",
                    "seal_intact": True,
                    "notes": "Salida hacia el puente Zaragoza; sello verificado en caseta.",
                },
                by=inspector,
            )
    return made


def _incident(inspection: Any, note: str, inspector: User, officer: User, days: int) -> None:
    """The incident the failed point opened, and the corrective action raised from its
    investigation, due five days ago (so it is overdue)."""
    incident = open_incident(
        inspection.company,
        kind=IncidentKind.TAMPERING,
        title=f"Posible compartimento oculto en {inspection.iit_number}",
        description=note,
        occurred_at=inspection.performed_at,
        location="Patio Ciudad Juárez, andén 3",
        inspection=inspection,
        reporter=inspector,
    )
    raise_action(
        incident,
        by=officer,
        owner=officer,
        title="Revisar tanques de combustible en la inspección de 17 puntos de toda la flotilla",
        description="Capacitar a los inspectores en la medición del tanque y revisar las "
        "unidades que usaron el mismo taller de soldadura.",
        criterion_ref="5.3",
        due_date=timezone.localdate() - datetime.timedelta(days=max(days - 7, 1)),
    )


def counts(companies: dict[str, Company]) -> dict[str, int]:
    """What the operations hold, for the tests and the load_demo summary."""
    importer, carrier = companies["importer"], companies["carrier"]
    return {
        "partners": BusinessPartner.objects.filter(company=importer).count(),
        "questionnaires": Questionnaire.objects.filter(company=importer).count(),
        "site audits": SiteAudit.objects.filter(company=importer).count(),
        "seals": Seal.objects.filter(company=carrier).count(),
        "inspections": carrier.inspections.count(),
        "gate entries": GateEntry.objects.filter(company=carrier).count(),
        "employees": Employee.objects.filter(company=carrier).count(),
        "corrective actions": CorrectiveAction.objects.filter(
            company__in=[importer, carrier]
        ).count(),
    }
