"""An SOP version as executable BPMN 2.0 XML that another engine can run.

A lane per pelaksana, a user task per step, and for a decision step an exclusive gateway whose
outgoing flows test the decision variable the task sets (`keputusan_<n>` = the option's value);
the first option of the definition is the gateway's default flow. A suspending step waits in a
user task of the role that may resume it, then goes back to the step the definition names.
"""

import json
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def decision_variable(step) -> str:
    """The process variable a decision step's task sets; its gateway's conditions read it."""
    return f"keputusan_{step.number}"


@dataclass
class _Node:
    tag: str
    id: str
    name: str
    role: str
    documentation: str = ""
    default: str = ""
    incoming: list = field(default_factory=list)
    outgoing: list = field(default_factory=list)


@dataclass
class _Flow:
    id: str
    source: str
    target: str
    name: str = ""
    condition: str = ""


class _Graph:
    def __init__(self):
        self.nodes: dict[str, _Node] = {}
        self.flows: list[_Flow] = []

    def node(self, tag, node_id, name, role, documentation="") -> _Node:
        self.nodes[node_id] = _Node(tag, node_id, name, role, documentation)
        return self.nodes[node_id]

    def flow(self, source, target, name="", condition="") -> _Flow:
        flow = _Flow(f"alur_{len(self.flows) + 1}", source, target, name, condition)
        self.flows.append(flow)
        self.nodes[source].outgoing.append(flow.id)
        return flow


def _graph(definition) -> _Graph:
    graph = _Graph()
    first = definition.steps[0]
    graph.node("startEvent", "mulai", "Mulai", first.role)
    for step in definition.steps:
        graph.node(
            "userTask",
            f"langkah_{step.number}",
            f"{step.number}. {step.uraian}",
            step.role,
            f"Kelengkapan: {', '.join(i.label for i in step.kelengkapan)}; "
            f"Waktu: {step.waktu_label}; Output: {step.output}",
        )
    graph.flow("mulai", f"langkah_{first.number}")
    for step in definition.steps:
        source = f"langkah_{step.number}"
        if step.is_decision:
            gateway = graph.node(
                "exclusiveGateway",
                f"keputusan_{step.number}",
                step.decision_label or f"Keputusan langkah {step.number}",
                step.role,
            )
            graph.flow(source, gateway.id)
            variable = decision_variable(step)
            for index, option in enumerate(step.decisions):
                condition = "" if index == 0 else f"{variable} == {json.dumps(option.value)}"
                flow = graph.flow(gateway.id, f"langkah_{option.next}", option.label, condition)
                if index == 0:
                    gateway.default = flow.id
        elif step.next is not None:
            graph.flow(source, f"langkah_{step.next}")
        elif step.suspend:
            waiting = graph.node(
                "userTask",
                f"ditangguhkan_{step.number}",
                f"Proyek ditangguhkan: melanjutkan ke langkah {step.suspend['resume_to']}",
                step.suspend["resume_role"],
            )
            graph.flow(source, waiting.id)
            graph.flow(waiting.id, f"langkah_{step.suspend['resume_to']}")
        elif step.end:
            end = graph.node("endEvent", f"selesai_{step.number}", "Selesai", step.role)
            graph.flow(source, end.id)
    for flow in graph.flows:
        graph.nodes[flow.target].incoming.append(flow.id)
    return graph


def to_bpmn(version) -> bytes:
    definition = version.definition
    ET.register_namespace("bpmn", NS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(
        f"{{{NS}}}definitions",
        {
            "id": f"sop_{version.pk}",
            "targetNamespace": "https://simpatik/sop",
            "exporter": "SIMPATIK",
            "exporterVersion": str(version.version),
        },
    )
    process_id = f"proses_{definition.kode.replace('-', '_')}"
    title = str(definition.identitas.get("judul", ""))
    collaboration = ET.SubElement(root, f"{{{NS}}}collaboration", {"id": "kolaborasi"})
    ET.SubElement(
        collaboration,
        f"{{{NS}}}participant",
        {"id": "diskominfo", "name": title, "processRef": process_id},
    )
    process = ET.SubElement(
        root, f"{{{NS}}}process", {"id": process_id, "isExecutable": "true", "name": title}
    )
    graph = _graph(definition)
    lane_set = ET.SubElement(process, f"{{{NS}}}laneSet", {"id": "pelaksana"})
    for role in definition.roles:
        lane = ET.SubElement(
            lane_set, f"{{{NS}}}lane", {"id": f"lane_{role['key']}", "name": role["nama"]}
        )
        for node in graph.nodes.values():
            if node.role == role["key"]:
                ET.SubElement(lane, f"{{{NS}}}flowNodeRef").text = node.id
    for node in graph.nodes.values():
        attributes = {"id": node.id, "name": node.name}
        if node.default:
            attributes["default"] = node.default
        element = ET.SubElement(process, f"{{{NS}}}{node.tag}", attributes)
        if node.documentation:
            ET.SubElement(element, f"{{{NS}}}documentation").text = node.documentation
        for flow_id in node.incoming:
            ET.SubElement(element, f"{{{NS}}}incoming").text = flow_id
        for flow_id in node.outgoing:
            ET.SubElement(element, f"{{{NS}}}outgoing").text = flow_id
    for flow in graph.flows:
        attributes = {"id": flow.id, "sourceRef": flow.source, "targetRef": flow.target}
        if flow.name:
            attributes["name"] = flow.name
        element = ET.SubElement(process, f"{{{NS}}}sequenceFlow", attributes)
        if flow.condition:
            ET.SubElement(
                element,
                f"{{{NS}}}conditionExpression",
                {f"{{{XSI}}}type": "bpmn:tFormalExpression"},
            ).text = flow.condition
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
