"""The checklist an audit walks, frozen when the audit is planned.

From the MSC: the criteria of the catalogue in force that apply to the partner's business
type, each with its English summary and the shipped Spanish wording (the same table the
`msc_summary` filter reads), so the on-site form and the report read in either language and
a later catalogue version does not change an audit already planned. Or the member's own
checklist, as written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from catalogue import translations
from catalogue.models import Catalogue
from core.refusals import Invalid
from partners.models import PartnerRole
from siteaudits.models import OwnChecklist

# Partner role → the CTPAT business type whose MSC a site audit of that partner checks.
# A warehouse is audited on the third-party-logistics criteria (our choice: CTPAT has no
# warehouse sector); an agent matches no sector, so its audit needs the member's own list.
ROLE_BUSINESS_TYPE: dict[str, str] = {
    PartnerRole.MANUFACTURER: "foreign_manufacturer",
    PartnerRole.HIGHWAY_CARRIER: "highway_carrier",
    PartnerRole.RAIL_CARRIER: "rail_carrier",
    PartnerRole.AIR_CARRIER: "air_carrier",
    PartnerRole.SEA_CARRIER: "sea_carrier",
    PartnerRole.CUSTOMS_BROKER: "customs_broker",
    PartnerRole.FORWARDER: "consolidator",
    PartnerRole.THIRD_PARTY_LOGISTICS: "third_party_logistics",
    PartnerRole.WAREHOUSE: "third_party_logistics",
}


class NoChecklist(Invalid):
    code = "site_audit_no_checklist"


@dataclass(frozen=True)
class Line:
    ref: str
    text: str
    text_es: str


def business_type_for(role: str) -> str:
    return ROLE_BUSINESS_TYPE.get(role, "")


def msc_lines(role: str) -> tuple[Catalogue, str, list[Line]]:
    """(catalogue in force, business type, its applicable criteria as lines). Refused when
    no catalogue is loaded or the role has no CTPAT business type."""
    business_type = business_type_for(role)
    if not business_type:
        raise NoChecklist(
            _(
                "No CTPAT business type matches this partner's role; "
                "choose one of your own checklists."
            )
        )
    catalogue = Catalogue.objects.latest_published()
    if catalogue is None:
        raise NoChecklist(_("No criteria catalogue is loaded; choose one of your own checklists."))
    criteria = catalogue.criteria_for(business_type).order_by("category_number", "sequence")
    lines = [
        Line(c.ref_id, c.summary, translations.spanish_summary(c.summary) or c.text_es)
        for c in criteria
    ]
    return catalogue, business_type, lines


def own_lines(checklist: OwnChecklist) -> list[Line]:
    return [
        Line(str(i.get("ref", "")), str(i["text"]), str(i.get("text_es", "")))
        for i in checklist.items
    ]


def parse_lines(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """The items written in the own-checklist form, one per line as
    `criterion | English | Spanish` (criterion and Spanish optional), and the errors, each
    naming its line."""
    items: list[dict[str, str]] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) == 1:
            parts = ["", parts[0], ""]
        elif len(parts) == 2:
            parts = [*parts, ""]
        ref, english, spanish = parts[0], parts[1], "|".join(parts[2:]).strip()
        if not english:
            errors.append(
                _("Line %(n)d: write the item's English text after the first |.") % {"n": number}
            )
        elif len(ref) > 10:
            errors.append(
                _(
                    "Line %(n)d: “%(ref)s” is not a criterion number (e.g. 3.5); "
                    "leave it empty or shorten it."
                )
                % {"n": number, "ref": ref[:20]}
            )
        else:
            items.append({"ref": ref, "text": english, "text_es": spanish})
    return items, errors


def as_text(items: list[dict[str, str]]) -> str:
    return "\n".join(
        " | ".join([i.get("ref", ""), i.get("text", ""), i.get("text_es", "")]).rstrip(" |")
        for i in items
    )
