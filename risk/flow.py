"""The cargo flow of a supply chain as a graph: the cycle check that keeps it a flow from
origin to destination, and the Mermaid flowchart text the chain page draws.

Cargo moves forward; a loop (A → B → A) is a data-entry mistake, not a supply chain, and
would make "upstream" and "downstream" meaningless, so an edit that closes one is refused
with the loop spelled out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from risk.models import Node


def find_cycle(edges: Mapping[int, Iterable[int]]) -> list[int] | None:
    """A list of node ids that closes a loop (first id repeated at the end), or None."""
    white, grey, black = 0, 1, 2
    colour: dict[int, int] = {}
    nodes = set(edges) | {t for targets in edges.values() for t in targets}
    for start in sorted(nodes):
        if colour.get(start, white) != white:
            continue
        path: list[int] = []
        stack: list[tuple[int, list[int]]] = [(start, sorted(edges.get(start, ())))]
        colour[start] = grey
        path.append(start)
        while stack:
            node, pending = stack[-1]
            if not pending:
                stack.pop()
                path.pop()
                colour[node] = black
                continue
            nxt = pending.pop(0)
            state = colour.get(nxt, white)
            if state == grey:
                return [*path[path.index(nxt) :], nxt]
            if state == white:
                colour[nxt] = grey
                path.append(nxt)
                stack.append((nxt, sorted(edges.get(nxt, ()))))
    return None


def cycle_message(cycle: list[int], names: Mapping[int, str]) -> str:
    loop = " → ".join(names.get(pk, "?") for pk in cycle)
    return _(
        "Cargo cannot flow in a circle (%(loop)s). Remove one of these links so the flow "
        "runs from origin to destination."
    ) % {"loop": loop}


# Characters Mermaid reads as syntax inside a label are written as entity codes (#35;),
# which Mermaid turns back into the character; nothing a user types can end the label.
_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-_/()")


def escape_label(text: str) -> str:
    return "".join(ch if ch in _SAFE else f"#{ord(ch)};" for ch in text.replace("\n", " "))


def mermaid_flowchart(nodes: list[Node], edges: Mapping[int, Iterable[int]]) -> str:
    """Flowchart text for Mermaid: one box per node (name, kind, country, partner, rest
    time), one arrow per link, resting nodes outlined."""
    lines = ["flowchart LR"]
    for node in nodes:
        parts = [
            escape_label(node.name),
            escape_label(f"{node.get_kind_display()} · {node.country}"),
        ]
        if node.region:
            parts[-1] += escape_label(f" {node.region}")
        if node.partner is not None:
            parts.append(escape_label(node.partner.name))
        if node.cargo_rests:
            parts.append(escape_label(_("rests %(hours)s h") % {"hours": node.rest_hours or 0}))
        lines.append(f'  n{node.pk}["{"<br/>".join(parts)}"]')
    for source in nodes:
        for target in sorted(edges.get(source.pk, ())):
            lines.append(f"  n{source.pk} --> n{target}")
    resting = [f"n{n.pk}" for n in nodes if n.cargo_rests]
    if resting:
        lines.append("  classDef rests stroke:#b45309,stroke-width:3px")
        lines.append(f"  class {','.join(resting)} rests")
    return "\n".join(lines)


def chain_edges(chain_id: int) -> dict[int, set[int]]:
    """The links of one chain: node id → ids of the nodes cargo goes on to."""
    through = Node.next_nodes.through
    edges: dict[int, set[int]] = {}
    for source, target in through.objects.filter(from_node__chain_id=chain_id).values_list(
        "from_node_id", "to_node_id"
    ):
        edges.setdefault(source, set()).add(target)
    return edges
