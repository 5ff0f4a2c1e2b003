"""Business verbs of the risk assessment: start (or copy for the annual review), map the
flow, rate a vulnerability, complete. Each runs in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from companies.models import Company
from risk import suggestions
from risk.choices import AssessmentStatus
from risk.flow import chain_edges, cycle_message, find_cycle
from risk.models import (
    Assessment,
    AssessmentRefused,
    AssessmentWithoutChains,
    Node,
    RiskSettings,
    SupplyChain,
    VulnerabilityRating,
)
from risk.scoring import chain_risks


def generated_method(company: Company, settings: RiskSettings) -> str:
    """The written "how we assess risk" (step 5), from the company's settings; the
    assessor edits it freely afterwards."""
    who = settings.assessors.strip() or _("the company's CTPAT point of contact and security team")
    sources = settings.sources.strip() or _(
        "U.S. State Department travel advisories and terrorism reports, OSAC country reports, "
        "corruption indices, news, and our own incident history"
    )
    return "\n\n".join(
        [
            _("How %(company)s assesses supply chain security risk") % {"company": company},
            _("Who: %(who)s.") % {"who": who},
            _(
                "How often: at least once a year, and whenever risk factors change "
                "(a new supplier, route, country or incident) (MSC 2.3)."
            ),
            _(
                "Method: CBP's five-step risk assessment. 1) We map each supply chain from "
                "origin to destination with every partner, transport mode and place where "
                "cargo rests. 2) We rate the threats (terrorism, contraband and human "
                "smuggling, organized crime, theft, agricultural contamination, country "
                "conditions) of every country and region the cargo touches as High, Medium "
                "or Low. 3) We rate each chain's vulnerability per MSC category against the "
                "evidence we hold. 4) Risk = threat × vulnerability with High = %(high)s, "
                "Medium = %(medium)s, Low = %(low)s; a score of %(high_from)s or more is high "
                "risk, %(medium_from)s or more medium. High-risk chains are assessed in depth "
                "first and get corrective actions with an owner and a due date. 5) This "
                "document records how we do it."
            )
            % {
                "high": settings.high_value,
                "medium": settings.medium_value,
                "low": settings.low_value,
                "high_from": settings.high_threshold,
                "medium_from": settings.medium_threshold,
            },
            _("Sources: %(sources)s.") % {"sources": sources},
        ]
    )


def start_assessment(
    company: Company,
    today: datetime.date | None = None,
    *,
    year: int | None = None,
    method: str = "",
) -> Assessment:
    """The year's assessment (this year's unless the API names one): the existing one, else
    a copy of the latest earlier one (its supply chains, nodes, links, vulnerability ratings
    and method), else an empty one. A `method` given replaces the copied or generated one."""
    today = today or timezone.localdate()
    year = year or today.year
    with transaction.atomic():
        Company.objects.select_for_update().filter(pk=company.pk).first()
        existing = Assessment.objects.filter(company=company, year=year).first()
        if existing is not None:
            return existing
        previous = (
            Assessment.objects.filter(company=company, year__lt=year).order_by("-year").first()
        )
        settings = RiskSettings.for_company(company)
        if not method:
            method = previous.method if previous else generated_method(company, settings)
        assessment = Assessment.objects.create(
            company=company,
            year=year,
            assessed_on=today,
            method=method,
            copied_from=previous,
        )
        if previous is not None:
            _copy_chains(previous, assessment)
    return assessment


def _copy_chains(source: Assessment, target: Assessment) -> None:
    for chain in source.chains.prefetch_related("nodes", "vulnerabilities"):
        old_edges = chain_edges(chain.pk)
        copy = SupplyChain.objects.create(
            assessment=target, name=chain.name, description=chain.description
        )
        new_pk: dict[int, Node] = {}
        for node in chain.nodes.all():
            old_pk = node.pk
            node.pk = None
            node.id = None
            node.chain = copy
            node._state.adding = True
            node.save()
            new_pk[old_pk] = node
        for source_pk, targets in old_edges.items():
            new_pk[source_pk].next_nodes.set([new_pk[t] for t in targets])
        VulnerabilityRating.objects.bulk_create(
            VulnerabilityRating(
                chain=copy,
                category=r.category,
                suggested_level=r.suggested_level,
                reasons=r.reasons,
                level=r.level,
                override_reason=r.override_reason,
                rated_by_id=r.rated_by_id,
                rated_at=r.rated_at,
            )
            for r in chain.vulnerabilities.all()
        )


def remove_chain(chain: SupplyChain) -> None:
    """Remove a supply chain (with its nodes and ratings) from an assessment that is still
    open; the assessment row is locked so a parallel completion cannot slip between the
    check and the delete (`AssessmentCompleted` otherwise)."""
    with transaction.atomic():
        Assessment.objects.select_for_update().get(pk=chain.assessment_id).ensure_editable()
        chain.delete()


def remove_node(node: Node) -> None:
    """Remove one node of a chain of an open assessment (locked as `remove_chain`)."""
    with transaction.atomic():
        chain = SupplyChain.objects.only("assessment_id").get(pk=node.chain_id)
        Assessment.objects.select_for_update().get(pk=chain.assessment_id).ensure_editable()
        node.delete()


def save_node(node: Node, comes_from: Iterable[Node], goes_to: Iterable[Node]) -> Node:
    """Save a node with the links into and out of it; refuses a link that closes a loop."""
    node.chain.assessment.ensure_editable()
    before = [n.pk for n in comes_from]
    after = [n.pk for n in goes_to]
    node.full_clean()
    key = node.pk or 0  # a new node has no id yet; 0 is never one
    with transaction.atomic():
        edges = chain_edges(node.chain_id)
        for targets in edges.values():
            targets.discard(key)
        edges[key] = set(after)
        for pk in before:
            edges.setdefault(pk, set()).add(key)
        cycle = find_cycle(edges)
        if cycle is not None:
            names = dict(Node.objects.filter(chain_id=node.chain_id).values_list("pk", "name"))
            names[key] = node.name
            raise ValidationError(cycle_message(cycle, names))
        node.save()
        node.next_nodes.set(after)
        through = Node.next_nodes.through
        through.objects.filter(to_node_id=node.pk).exclude(from_node_id__in=before).delete()
        for pk in before:
            through.objects.get_or_create(from_node_id=pk, to_node_id=node.pk)
    return node


def rate_vulnerability(
    chain: SupplyChain,
    category: int,
    *,
    level: str,
    override_reason: str,
    by: User,
    evidence: suggestions.Evidence | None = None,
) -> VulnerabilityRating:
    """Record the assessor's level for one category, with the suggestion as it stands now."""
    chain.assessment.ensure_editable()
    partner_ids = chain_partner_ids(chain)
    evidence = evidence or suggestions.gather(chain.assessment.company, partner_ids=partner_ids)
    suggested, reasons = suggestions.suggest(evidence, partner_ids, category)
    with transaction.atomic():
        rating = (
            VulnerabilityRating.objects.select_for_update()
            .filter(chain=chain, category=category)
            .first()
        ) or VulnerabilityRating(chain=chain, category=category)
        rating.suggested_level = suggested
        rating.reasons = reasons
        rating.level = level
        rating.override_reason = override_reason if level != suggested else ""
        rating.rated_by = by
        rating.rated_at = timezone.now()
        rating.full_clean()
        rating.save()
    return rating


def chain_partner_ids(chain: SupplyChain) -> set[int]:
    return {n.partner_id for n in chain.nodes.all() if n.partner_id is not None}


def complete_assessment(assessment: Assessment, by: User) -> Assessment:
    """Freeze each chain's threat, vulnerability and risk and date the record."""
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.is_completed:
            raise AssessmentRefused(
                _("This assessment is already completed."), code="assessment_completed"
            )
        if not locked.chains.exists():
            raise AssessmentWithoutChains
        settings = RiskSettings.for_company(locked.company)
        for risk in chain_risks(locked, settings):
            chain = risk.chain
            chain.threat_level = risk.threat or ""
            chain.vulnerability_level = risk.vulnerability or ""
            chain.risk_score = risk.score
            chain.risk_level = risk.level or ""
            chain.save(
                update_fields=[
                    "threat_level",
                    "vulnerability_level",
                    "risk_score",
                    "risk_level",
                    "updated_at",
                ]
            )
        locked.status = AssessmentStatus.COMPLETED
        locked.completed_by = by
        locked.completed_at = timezone.now()
        locked.save(update_fields=["status", "completed_by", "completed_at", "updated_at"])
    return locked


def changes(old: Assessment, new: Assessment, settings: RiskSettings) -> list[dict[str, Any]]:
    """What moved between two assessments, chain by chain (matched by name): threat,
    vulnerability per category and risk. Chains only in one of them are listed too."""
    before = {r.chain.name: r for r in chain_risks(old, settings, nodes_shown=False)}
    after = {r.chain.name: r for r in chain_risks(new, settings, nodes_shown=False)}
    rows: list[dict[str, Any]] = []
    for name in sorted(set(before) | set(after), key=str.lower):
        a, b = before.get(name), after.get(name)
        moved: list[dict[str, Any]] = []
        if a is not None and b is not None:
            for what, x, y in (
                (_("Threat"), a.threat, b.threat),
                (_("Vulnerability"), a.vulnerability, b.vulnerability),
                (_("Risk"), a.level, b.level),
            ):
                if x != y:
                    moved.append({"what": what, "before": x, "after": y})
            old_levels = {v.category: v.level for v in a.chain.vulnerabilities.all()}
            new_levels = {v.category: v.level for v in b.chain.vulnerabilities.all()}
            for category in sorted(set(old_levels) | set(new_levels)):
                if old_levels.get(category) != new_levels.get(category):
                    moved.append(
                        {
                            "what": suggestions.category_name(category),
                            "before": old_levels.get(category),
                            "after": new_levels.get(category),
                        }
                    )
        rows.append(
            {
                "name": name,
                "added": a is None,
                "removed": b is None,
                "moved": moved,
            }
        )
    return [r for r in rows if r["added"] or r["removed"] or r["moved"]]
