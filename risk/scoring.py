"""Risk of each supply chain: threat × vulnerability on the company's scale (step 3-4).

- Threat of a chain = the highest threat level among the places its nodes touch, from the
  company's own country ratings (`threats.services.country_threats`). A place nobody
  rated has no level; a chain with no rated place is "not rated" — never a default.
- Vulnerability of a chain = the highest level among its rated MSC categories.
- Score = value(threat) × value(vulnerability) (H/M/L = 5/3/1 by default); the level
  follows the company's thresholds (high from 15, medium from 5 by default).

A completed assessment reads the levels frozen on its chains when it was completed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from risk.choices import LEVEL_ORDER, Level, highest
from risk.models import Assessment, Node, RiskSettings, SupplyChain


@dataclass
class ChainRisk:
    chain: SupplyChain
    threat: str | None
    vulnerability: str | None
    score: int | None
    level: str | None
    node_threats: dict[int, Any] = field(default_factory=dict)

    @property
    def rated(self) -> bool:
        return self.score is not None


def place_threats(company: Any, nodes: list[Node]) -> dict[tuple[str, str], Any]:
    """The threat picture of every place the nodes touch, in one query."""
    try:
        from threats.services import country_threats
    except ImportError:  # an installation without threat ratings: nothing is rated
        return {}
    return dict(country_threats(company, {n.place for n in nodes}))


def _sort_key(risk: ChainRisk) -> tuple[int, int, str]:
    return (-LEVEL_ORDER.get(risk.level or "", 0), -(risk.score or 0), risk.chain.name.lower())


def chain_risks(
    assessment: Assessment,
    settings: RiskSettings,
    only: SupplyChain | None = None,
    *,
    nodes_shown: bool = True,
) -> list[ChainRisk]:
    """Every chain of the assessment (or `only` that one) with its risk, high risk first,
    unrated last. Each chain comes with its vulnerabilities and its nodes with their
    partners; a reader that shows no node (`nodes_shown=False`: the comparison of two
    assessments, which read 100 chains' 300 nodes and partners twice for nothing) gets
    the nodes only where the threat is worked out from them (a draft), without partners."""
    chosen = assessment.chains.all() if only is None else assessment.chains.filter(pk=only.pk)
    related = ["vulnerabilities"]
    if nodes_shown:
        related.append("nodes__partner")
    elif not assessment.is_completed:
        related.append("nodes")
    chains = list(chosen.prefetch_related(*related).order_by("name"))
    risks: list[ChainRisk] = []
    if assessment.is_completed:
        for chain in chains:
            risks.append(
                ChainRisk(
                    chain,
                    chain.threat_level or None,
                    chain.vulnerability_level or None,
                    chain.risk_score,
                    chain.risk_level or None,
                )
            )
        return sorted(risks, key=_sort_key)
    nodes = [n for chain in chains for n in chain.nodes.all()]
    threats = place_threats(assessment.company, nodes)
    for chain in chains:
        per_node = {n.pk: threats.get(n.place) for n in chain.nodes.all()}
        threat = highest([t.level for t in per_node.values() if t is not None and t.level])
        vulnerability = highest([v.level for v in chain.vulnerabilities.all() if v.level])
        score = settings.score(threat, vulnerability)
        risks.append(
            ChainRisk(chain, threat, vulnerability, score, settings.risk_level(score), per_node)
        )
    return sorted(risks, key=_sort_key)


ROWS = (Level.HIGH.value, Level.MEDIUM.value, Level.LOW.value)  # threat, top to bottom
COLUMNS = (Level.LOW.value, Level.MEDIUM.value, Level.HIGH.value)  # vulnerability


def heat_map(risks: list[ChainRisk], settings: RiskSettings) -> list[list[dict[str, Any]]]:
    """A 3 × 3 grid, threat rows (High on top) by vulnerability columns (Low on the
    left); each cell has its score, the risk level that score gives, and its chains."""
    grid = []
    for threat in ROWS:
        row = []
        for vulnerability in COLUMNS:
            score = settings.score(threat, vulnerability)
            row.append(
                {
                    "threat": threat,
                    "vulnerability": vulnerability,
                    "score": score,
                    "level": settings.risk_level(score),
                    "chains": [
                        r.chain
                        for r in risks
                        if r.threat == threat and r.vulnerability == vulnerability
                    ],
                }
            )
        grid.append(row)
    return grid
