"""An SOP version as BPMN 2.0 XML: a lane per pelaksana, a user task per step, gateways for decisions."""

from xml.etree import ElementTree as ET

NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def to_bpmn(version) -> bytes:
    definition = version.definition
    ET.register_namespace("bpmn", NS)
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
    collaboration = ET.SubElement(root, f"{{{NS}}}collaboration", {"id": "kolaborasi"})
    ET.SubElement(
        collaboration,
        f"{{{NS}}}participant",
        {
            "id": "diskominfo",
            "name": str(definition.identitas.get("judul", "")),
            "processRef": process_id,
        },
    )
    process = ET.SubElement(
        root,
        f"{{{NS}}}process",
        {
            "id": process_id,
            "isExecutable": "false",
            "name": str(definition.identitas.get("judul", "")),
        },
    )
    lane_set = ET.SubElement(process, f"{{{NS}}}laneSet", {"id": "pelaksana"})
    lanes = {
        role["key"]: ET.SubElement(
            lane_set, f"{{{NS}}}lane", {"id": f"lane_{role['key']}", "name": role["nama"]}
        )
        for role in definition.roles
    }
    flows = []

    def node(tag, node_id, name, role):
        element = ET.SubElement(process, f"{{{NS}}}{tag}", {"id": node_id, "name": name})
        ET.SubElement(lanes[role], f"{{{NS}}}flowNodeRef").text = node_id
        return element

    first = definition.steps[0]
    node("startEvent", "mulai", "Mulai", first.role)
    flows.append(("mulai", f"langkah_{first.number}", ""))
    for step in definition.steps:
        task = node(
            "userTask", f"langkah_{step.number}", f"{step.number}. {step.uraian}", step.role
        )
        documentation = ET.SubElement(task, f"{{{NS}}}documentation")
        documentation.text = f"Kelengkapan: {', '.join(i.label for i in step.kelengkapan)}; Waktu: {step.waktu_label}; Output: {step.output}"
        source = f"langkah_{step.number}"
        if step.is_decision:
            gateway = f"keputusan_{step.number}"
            node(
                "exclusiveGateway",
                gateway,
                step.decision_label or f"Keputusan langkah {step.number}",
                step.role,
            )
            flows.append((source, gateway, ""))
            flows.extend((gateway, f"langkah_{o.next}", o.label) for o in step.decisions)
        elif step.next is not None:
            flows.append((source, f"langkah_{step.next}", ""))
        elif step.suspend:
            end_id = f"ditangguhkan_{step.number}"
            node("endEvent", end_id, "Proyek ditangguhkan", step.role)
            flows.append((source, end_id, ""))
        elif step.end:
            end_id = f"selesai_{step.number}"
            node("endEvent", end_id, "Selesai", step.role)
            flows.append((source, end_id, ""))
    for index, (source, target, name) in enumerate(flows, start=1):
        ET.SubElement(
            process,
            f"{{{NS}}}sequenceFlow",
            {
                "id": f"alur_{index}",
                "sourceRef": source,
                "targetRef": target,
                **({"name": name} if name else {}),
            },
        )
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
