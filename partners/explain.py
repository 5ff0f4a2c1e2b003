"""What a compliance officer reads on an alert: the list entry beside the partner, the
matched words marked in both names, and why it alerted in plain words.

Everything here works from the hit as stored on the screening (`PartnerScreening.hits`),
so drawing an alert costs no query. The engine's scoring detail (coverages, name score)
stays in the stored JSON and the evidence exports; the page says it in words:
"Same name apart from a legal form; different country".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from screening.models import ListSource
from screening_engine.normalize import is_legal_form, normalize

# Where a reviewer reads the entry at its source. OFAC entries have a page of their own;
# the CSL and the DPL are searched on their publisher's site.
SOURCE_PAGES = {
    "ofac_sdn": "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={id}",
    "ofac_cons": "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={id}",
    "csl": "https://www.trade.gov/data-visualization/csl-search",
    "bis_dpl": "https://www.bis.gov/licensing/guidance-end-user-screening/denied-persons-list",
}
# A CSL record without an entity number carries a 40-character hash as its id: useful to
# find the row again, meaningless to a reader.
_HASH_ID = re.compile(r"^[0-9a-f]{24,}$", re.IGNORECASE)
_WORD = re.compile(r"\w[\w'.&-]*", re.UNICODE)
EXACT = 0.999
ENTITY_TYPES = {
    "person": _("person"),
    "organization": _("organization"),
    "vessel": _("vessel"),
    "aircraft": _("aircraft"),
    "unknown": _("not stated"),
}


def list_name(list_id: str) -> str:
    try:
        return str(ListSource(list_id).label)
    except ValueError:
        return list_id


def readable_reference(entity_id: str) -> str:
    """The entry's id when a person can use it (OFAC's numbers), else ""."""
    return "" if not entity_id or _HASH_ID.match(entity_id) else entity_id


def source_url(hit: dict[str, Any]) -> str:
    page = SOURCE_PAGES.get(hit.get("list", ""), "")
    entity_id = str(hit.get("entity_id", ""))
    if "{id}" in page:
        return page.format(id=entity_id) if entity_id.isdigit() else ""
    return page


@lru_cache(maxsize=8192)
def _tokens(word: str) -> tuple[str, ...]:
    return normalize(word).tokens


def highlight(name: str, matched: set[str]) -> SafeString:
    """`name` with each word whose normalised form was matched wrapped in <mark>."""
    out: list[str] = []
    last = 0
    for m in _WORD.finditer(name):
        out.append(escape(name[last : m.start()]))
        word = m.group(0)
        hit = any(t in matched for t in _tokens(word)) if matched else False
        out.append(f"<mark>{escape(word)}</mark>" if hit else escape(word))
        last = m.end()
    out.append(escape(name[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def _country_names(codes: list[str]) -> str:
    return ", ".join(str(countries.name(c) or c) for c in codes)


def _country_matches(partner_country: str, listed: list[str]) -> bool:
    wanted = {partner_country.upper(), str(countries.name(partner_country) or "").upper()}
    return any(str(c).strip().upper() in wanted for c in listed)


@dataclass
class Reading:
    """One alerting hit as the adjudication page shows it."""

    hit: dict[str, Any]
    list_name: str
    reference: str
    source_url: str
    partner_name: SafeString
    listed_name: SafeString
    sentences: list[str] = field(default_factory=list)
    countries: str = ""
    entity_type: str = ""
    list_date: str = ""

    @property
    def summary(self) -> str:
        return summary_of(self.sentences)


def name_sentences(tokens: list[dict[str, Any]], unmatched_listed: list[str]) -> list[str]:
    """The name comparison in words, from the explanation's token pairs."""
    exact = [t for t in tokens if t.get("listed_token") and t["similarity"] >= EXACT]
    spelled = [t for t in tokens if t.get("listed_token") and t["similarity"] < EXACT]
    missing = [t["query_token"] for t in tokens if not t.get("listed_token")]
    legal_missing = [w for w in missing if is_legal_form(w)]
    other_missing = [w for w in missing if not is_legal_form(w)]
    legal_extra = [w for w in unmatched_listed if is_legal_form(w)]
    other_extra = [w for w in unmatched_listed if not is_legal_form(w)]
    out: list[str] = []
    if not exact and not spelled:
        return [str(_("no word of the names matches"))]
    if not spelled and not other_missing and not other_extra:
        if legal_missing or legal_extra:
            out.append(str(_("same name apart from a legal form")))
        else:
            out.append(str(_("same name")))
        return out
    if spelled:
        pairs = ", ".join(f"{t['query_token']} / {t['listed_token']}" for t in spelled)
        out.append(str(_("similar name, spelled differently (%(pairs)s)") % {"pairs": pairs}))
    else:
        out.append(str(_("same words in both names")))
    if other_missing:
        words = ", ".join(other_missing)
        out.append(str(_("the partner's name also has %(words)s") % {"words": words}))
    if other_extra:
        words = ", ".join(other_extra)
        out.append(str(_("the list entry also has %(words)s") % {"words": words}))
    if legal_missing or legal_extra:
        out.append(str(_("legal forms differ")))
    return out


def hit_sentences(hit: dict[str, Any], partner_country: str) -> list[str]:
    """Why the hit alerted, in words: the names, the other name matched, the country, the
    kind of party."""
    explanation = hit.get("explanation") or {}
    tokens: list[dict[str, Any]] = explanation.get("tokens") or []
    unmatched: list[str] = explanation.get("unmatched_listed_tokens") or []
    sentences = name_sentences(tokens, unmatched) if tokens else []
    if hit.get("matched_name") and hit.get("name") and hit["matched_name"] != hit["name"]:
        sentences.append(str(_("matched on one of the entry's other names")))
    listed_countries = list(hit.get("countries") or [])
    if not listed_countries:
        sentences.append(str(_("the list entry names no country")))
    elif _country_matches(partner_country, listed_countries):
        sentences.append(str(_("same country")))
    else:
        sentences.append(
            str(_("different country (listed: %(c)s)") % {"c": _country_names(listed_countries)})
        )
    if hit.get("type") == "person":
        sentences.append(str(_("the list entry is a person")))
    elif hit.get("type") in ("vessel", "aircraft"):
        sentences.append(str(_("the list entry is a vessel or an aircraft")))
    return sentences


def summary_of(sentences: list[str]) -> str:
    text = "; ".join(sentences)
    return text[:1].upper() + text[1:] + "." if text else ""


def read_hit(hit: dict[str, Any], partner_name: str, partner_country: str) -> Reading:
    tokens: list[dict[str, Any]] = (hit.get("explanation") or {}).get("tokens") or []
    matched_query = {t["query_token"] for t in tokens if t.get("listed_token")}
    matched_listed = {t["listed_token"] for t in tokens if t.get("listed_token")}
    listed_name = hit.get("matched_name") or hit.get("name", "")
    return Reading(
        hit=hit,
        list_name=list_name(hit.get("list", "")),
        reference=readable_reference(str(hit.get("entity_id", ""))),
        source_url=source_url(hit),
        partner_name=highlight(partner_name, matched_query),
        listed_name=highlight(listed_name, matched_listed),
        sentences=hit_sentences(hit, partner_country),
        countries=_country_names(list(hit.get("countries") or [])),
        entity_type=str(ENTITY_TYPES.get(hit.get("type", ""), hit.get("type", ""))),
    )


def _alerting(screening: Any) -> list[dict[str, Any]]:
    return [h for h in screening.hits if h.get("alert")] or screening.hits[:1]


def readings(screening: Any) -> list[Reading]:
    """The alerting hits of a screening, read for the page (the partner is preloaded)."""
    partner = screening.partner
    dates = {v.get("source"): v.get("list_date", "") for v in screening.list_versions or []}
    found = [read_hit(h, partner.name, partner.country.code) for h in _alerting(screening)]
    for reading in found:
        reading.list_date = str(dates.get(reading.hit.get("list"), "") or "")
    return found


def short_summary(screening: Any) -> str:
    """One line for the alert list: the best alerting hit in words (no highlighting, so a
    page of 50 alerts stays cheap)."""
    hits = _alerting(screening)
    if not hits:
        return ""
    best = hits[0]
    sentences = hit_sentences(best, screening.partner.country.code)
    return f"{list_name(best.get('list', ''))}: {summary_of(sentences)}"
