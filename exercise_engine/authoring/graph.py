"""The scenario as a picture: phases, transitions, injects and where each choice leads.

``exercise-engine graph`` renders :func:`build_flow` as a mermaid flowchart or a Graphviz dot
graph, both plain text (no Graphviz needed to produce them). One drawing model, two renderers,
so the two formats always show the same thing:

- each phase is a box (cluster) holding its phase node and the injects bound to it; injects with
  no phase sit in "any phase", manual ones in "by hand";
- phase transitions are thick edges labelled with their conditions; endings are hexagons, joined
  to the phases their conditions name;
- an inject's ``after`` is a dotted edge from the inject it follows; every ``chose``, ``decided``,
  ``expired`` or ``delivered`` in a condition is a dotted edge from the inject it names to what
  the condition guards (an inject, a phase transition or an ending): that is where a choice leads.

:func:`phases_mermaid` draws the phase machine alone with ``transitions``' own mermaid engine
(``GraphMachine``, ``graph_engine="mermaid"``), from the same data the engine's phase machine uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from exercise_engine.authoring.refs import condition_names, condition_phases, condition_refs
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.model import ALL, Inject
from exercise_engine.model.times import format_duration

Shape = Literal["start", "phase", "inject", "manual", "ending"]
Style = Literal["flow", "transition", "link"]


@dataclass(frozen=True)
class Node:
    id: str
    lines: tuple[str, ...]
    shape: Shape


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    label: str
    style: Style


@dataclass
class Cluster:
    id: str
    title: str
    nodes: list[str] = field(default_factory=list)


@dataclass
class Flow:
    """What to draw, independent of the output format."""

    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    clusters: list[Cluster] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def node(self, node: Node, cluster: Cluster | None = None) -> None:
        self.nodes[node.id] = node
        if cluster is not None:
            cluster.nodes.append(node.id)

    def edge(self, edge: Edge) -> None:
        if edge not in self.edges:
            self.edges.append(edge)


def _safe(prefix: str, ident: str) -> str:
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', ident)}"


def phase_node(pid: str) -> str:
    return _safe("p", pid)


def inject_node(iid: str) -> str:
    return _safe("i", iid)


def ending_node(eid: str) -> str:
    return _safe("e", eid)


def trigger_text(inject: Inject) -> str:
    """The inject's triggers in a few words: ``at 00:10``, ``after tut-02 +00:05``, ..."""
    if inject.manual:
        return "by hand"
    parts: list[str] = []
    if inject.at is not None:
        parts.append(f"at {format_duration(inject.at)}")
    if inject.after is not None:
        parts.append(f"after {inject.after.inject} +{format_duration(inject.after.delay)}")
    if inject.when is not None:
        parts.append(f"when {inject.when}")
    if inject.phase is not None and not parts:
        parts.append(f"on entering {inject.phase}")
    return ", ".join(parts)


def _inject_lines(scenario: LoadedScenario, inject: Inject) -> tuple[str, ...]:
    to = "all" if ALL in inject.to else ", ".join(scenario.audience(inject))
    lines = [f"{inject.id} · {trigger_text(inject)}", inject.title, f"to {to}"]
    for point in inject.decisions:
        answers = [o.id for o in point.options] or ["written answer"]
        if point.respond_within is not None:
            answers.append(f"expire {format_duration(point.respond_within)}")
        lines.append(f"? {point.id} ({point.role}): {' / '.join(answers)}")
    return tuple(lines)


def build_flow(scenario: LoadedScenario) -> Flow:
    """Everything the graph shows, as nodes, clusters and edges."""
    file = scenario.file
    flow = Flow(f"{scenario.id}: {scenario.title}")
    flow.node(Node("start", ("start",), "start"))
    clusters: dict[str, Cluster] = {}
    for phase in file.phases:
        cluster = Cluster(_safe("c", phase.id), f"Phase {phase.id}: {phase.title}")
        clusters[phase.id] = cluster
        flow.clusters.append(cluster)
        notes = [f"phase {phase.id}"]
        if phase.advance:
            notes.append(f"on entry: clock +{format_duration(phase.advance)}")
        if phase.gate:
            notes.append("gated: waits for its decisions")
        flow.node(Node(phase_node(phase.id), tuple(notes), "phase"), cluster)
    anywhere = Cluster("c_any_phase", "Any phase")
    by_hand = Cluster("c_by_hand", "By hand (contingency)")
    for inject in scenario.injects.values():
        if inject.manual:
            home = by_hand
        elif inject.phase in clusters:
            home = clusters[inject.phase]
        else:
            home = anywhere
        shape: Shape = "manual" if inject.manual else "inject"
        flow.node(Node(inject_node(inject.id), _inject_lines(scenario, inject), shape), home)
    flow.clusters += [c for c in (anywhere, by_hand) if c.nodes]

    flow.edge(Edge("start", phase_node(file.start_phase), "", "flow"))
    for i, transition in enumerate(file.transitions):
        dst = phase_node(transition.to)
        flow.edge(Edge(phase_node(transition.from_), dst, transition.when, "transition"))
        _links(flow, scenario, f"transition:{i}", dst)
    for iid, inject in scenario.injects.items():
        if inject.after is not None:
            delay = f"+{format_duration(inject.after.delay)}"
            flow.edge(Edge(inject_node(inject.after.inject), inject_node(iid), delay, "link"))
        if inject.when is not None:
            _links(flow, scenario, f"inject:{iid}", inject_node(iid))
    leaves = {t.from_ for t in file.transitions}
    terminal = [p.id for p in file.phases if p.id not in leaves]
    for index, ending in enumerate(file.end):
        eid = scenario.ending_id(index)
        node = ending_node(eid)
        title = f"end {eid}" + (f": {ending.title}" if ending.title else "")
        flow.node(Node(node, (title,), "ending"))
        condition = scenario.conditions.get(f"end:{index}")
        named = condition_phases(condition) if condition is not None else []
        for pid in named or terminal:
            flow.edge(Edge(phase_node(pid), node, ending.when, "flow"))
        _links(flow, scenario, f"end:{index}", node)
    return flow


def _links(flow: Flow, scenario: LoadedScenario, key: str, dst: str) -> None:
    """Dotted edges into ``dst`` from every inject its condition waits on.

    Functions name their inject directly; a flag names the injects whose options ``set`` it
    (``calm-and-facts: statement_issued = true``), because that is where the choice leads too.
    """
    condition = scenario.conditions.get(key)
    if condition is None:
        return
    for ref in condition_refs(condition):
        if ref.inject in scenario.injects:
            flow.edge(Edge(inject_node(ref.inject), dst, ref.label(), "link"))
    flags = set(scenario.file.flags)
    for name in condition_names(condition):
        if name not in flags:
            continue
        for inject, point in scenario.decision_points():
            outcomes = [(o.id, o.set) for o in point.options]
            if point.on_expire is not None:
                outcomes.append(("expired", point.on_expire.set))
            for answer, sets in outcomes:
                if name in sets:
                    value = (
                        "true"
                        if sets[name] is True
                        else "false"
                        if sets[name] is False
                        else f"{sets[name]:g}"
                    )
                    label = f"{answer}: {name} = {value}"
                    flow.edge(Edge(inject_node(inject.id), dst, label, "link"))


# --- mermaid ---------------------------------------------------------------------------------


def _mm(text: str) -> str:
    """Text safe inside a mermaid quoted label."""
    return (
        text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )


_MM_SHAPES = {
    "start": ('(("', '"))'),
    "phase": ('(["', '"])'),
    "inject": ('["', '"]'),
    "manual": ('[/"', '"/]'),
    "ending": ('{{"', '"}}'),
}
_MM_ARROWS = {"flow": "-->", "transition": "==>", "link": "-.->"}


def to_mermaid(flow: Flow) -> str:
    """A mermaid flowchart (paste into a Markdown ```mermaid block, or mermaid.live)."""
    out = ["flowchart TD", f"    %% {flow.title}"]
    placed = {n for c in flow.clusters for n in c.nodes}

    def node_line(node: Node, indent: str) -> str:
        left, right = _MM_SHAPES[node.shape]
        return f"{indent}{node.id}{left}{'<br/>'.join(_mm(x) for x in node.lines)}{right}"

    for node in flow.nodes.values():
        if node.id not in placed and node.shape != "ending":
            out.append(node_line(node, "    "))
    for cluster in flow.clusters:
        out.append(f'    subgraph {cluster.id}["{_mm(cluster.title)}"]')
        out += [node_line(flow.nodes[n], "        ") for n in cluster.nodes]
        out.append("    end")
    for node in flow.nodes.values():
        if node.shape == "ending":
            out.append(node_line(node, "    "))
    for edge in flow.edges:
        arrow = _MM_ARROWS[edge.style]
        label = f'|"{_mm(edge.label)}"|' if edge.label else ""
        out.append(f"    {edge.src} {arrow}{label} {edge.dst}")
    return "\n".join(out) + "\n"


# --- dot -------------------------------------------------------------------------------------


def _dot(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


_DOT_SHAPES = {
    "start": 'shape=circle, label="start"',
    "phase": 'shape=box, style="rounded,bold"',
    "inject": "shape=note",
    "manual": 'shape=note, style="dashed"',
    "ending": "shape=hexagon",
}
_DOT_EDGES = {"flow": "", "transition": "penwidth=2", "link": 'style="dashed"'}


def to_dot(flow: Flow) -> str:
    """A Graphviz digraph (render with ``dot -Tsvg``)."""
    out = [
        f'digraph "{_dot(flow.title)}" {{',
        f'    graph [label="{_dot(flow.title)}", labelloc=t, rankdir=TB, fontname="Helvetica"];',
        '    node [fontname="Helvetica", fontsize=10];',
        '    edge [fontname="Helvetica", fontsize=9];',
    ]
    placed = {n for c in flow.clusters for n in c.nodes}

    def node_line(node: Node, indent: str) -> str:
        attrs = _DOT_SHAPES[node.shape]
        if node.shape != "start":
            label = "\\n".join(_dot(x) for x in node.lines)
            attrs += f', label="{label}"'
        return f"{indent}{node.id} [{attrs}];"

    for node in flow.nodes.values():
        if node.id not in placed:
            out.append(node_line(node, "    "))
    for cluster in flow.clusters:
        out.append(f"    subgraph cluster_{cluster.id} {{")
        out.append(f'        label="{_dot(cluster.title)}";')
        out += [node_line(flow.nodes[n], "        ") for n in cluster.nodes]
        out.append("    }")
    for edge in flow.edges:
        attrs = [a for a in (_DOT_EDGES[edge.style],) if a]
        if edge.label:
            attrs.insert(0, f'label="{_dot(edge.label)}"')
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        out.append(f"    {edge.src} -> {edge.dst}{suffix};")
    out.append("}")
    return "\n".join(out) + "\n"


# --- the phase machine alone -----------------------------------------------------------------


class _PhaseModel:
    """The model object ``transitions`` attaches the drawable machine to."""


def phases_mermaid(scenario: LoadedScenario) -> str:
    """The phase machine as a mermaid state diagram, drawn by ``transitions``' mermaid engine."""
    from transitions.extensions import GraphMachine

    file = scenario.file
    model = _PhaseModel()
    GraphMachine(
        model=model,
        states=[p.id for p in file.phases],
        transitions=[
            {"trigger": "when", "source": t.from_, "dest": t.to, "conditions": [t.when]}
            for t in file.transitions
        ],
        initial=file.start_phase,
        auto_transitions=False,
        graph_engine="mermaid",
        show_conditions=True,
        title=f"{scenario.id}: {scenario.title}",
    )
    text = str(model.get_graph().draw(None))  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines()) + "\n"


def phases_dot(scenario: LoadedScenario) -> str:
    """The phase machine alone as a Graphviz digraph (written here: no Graphviz library needed)."""
    file = scenario.file
    title = f"{scenario.id}: {scenario.title}"
    out = [
        f'digraph "{_dot(title)}" {{',
        f'    graph [label="{_dot(title)}", labelloc=t, rankdir=LR, fontname="Helvetica"];',
        '    node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];',
        '    edge [fontname="Helvetica", fontsize=9];',
        '    start [shape=point, label=""];',
    ]
    out += [f'    {phase_node(p.id)} [label="{_dot(p.id)}"];' for p in file.phases]
    out.append(f"    start -> {phase_node(file.start_phase)};")
    out += [
        f'    {phase_node(t.from_)} -> {phase_node(t.to)} [label="{_dot(t.when)}"];'
        for t in file.transitions
    ]
    out.append("}")
    return "\n".join(out) + "\n"
