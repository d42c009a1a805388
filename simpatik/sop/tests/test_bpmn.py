"""The BPMN export runs on an independent engine (SpiffWorkflow) the way SIMPATIK's engine runs the SOP."""

from django.test import Client
from SpiffWorkflow.bpmn.parser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from simpatik.sop.sheet.bpmn import decision_variable


def _choose(step, visits):
    """First visit of a decision: the option that goes back (loop or suspension); then onward."""
    options = sorted(step.decisions, key=lambda option: option.next)
    return options[0] if visits == 1 else options[-1]


def _expected_walk(definition):
    """Walk the definition itself: (task id, lane name, decision value set by the task)."""
    walk, visits, step = [], {}, definition.first_step
    while True:
        visits[step.number] = visits.get(step.number, 0) + 1
        lane = definition.role_names[step.role]
        if step.is_decision:
            option = _choose(step, visits[step.number])
            walk.append((f"langkah_{step.number}", lane, option.value))
            step = definition.step(option.next)
        elif step.suspend:
            walk.append((f"langkah_{step.number}", lane, None))
            resume_lane = definition.role_names[step.suspend["resume_role"]]
            walk.append((f"ditangguhkan_{step.number}", resume_lane, None))
            step = definition.step(step.suspend["resume_to"])
        else:
            walk.append((f"langkah_{step.number}", lane, None))
            if step.end:
                return walk
            step = definition.step(step.next)


def test_spiffworkflow_runs_the_export_through_both_loops_and_the_suspension(sop):
    definition = sop.definition
    expected = _expected_walk(definition)
    visited = [task for task, _lane, _value in expected]
    assert visited.count("langkah_9") == 2 and visited.count("langkah_12") == 2  # 11→9, 15→12
    assert visited.count("ditangguhkan_7") == 1 and visited[-1] == "langkah_18"

    response = Client().get(f"/sop/{sop.pk}/bpmn.xml")
    assert response.status_code == 200
    parser = BpmnParser(validator=BpmnValidator())  # the XSD check of BPMN 2.0
    parser.add_bpmn_str(response.content)
    (process_id,) = parser.get_process_ids()
    workflow = BpmnWorkflow(parser.get_spec(process_id))
    workflow.do_engine_steps()
    seen = []
    for task_id, _lane, value in expected:
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        assert [task.task_spec.name for task in ready] == [task_id], seen
        task = ready[0]
        seen.append((task.task_spec.name, task.task_spec.lane, value))
        if value is not None:
            step = definition.step(int(task_id.rsplit("_", 1)[1]))
            task.data[decision_variable(step)] = value
        task.run()
        workflow.do_engine_steps()
    assert seen == expected
    assert workflow.is_completed()


def test_each_gateway_has_a_default_flow_and_conditions_on_the_others(sop):
    from xml.etree import ElementTree as ET

    bpmn = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
    process = ET.fromstring(Client().get(f"/sop/{sop.pk}/bpmn.xml").content).find(f"{bpmn}process")
    assert process.get("isExecutable") == "true"
    flows = process.findall(f"{bpmn}sequenceFlow")
    for gateway in process.findall(f"{bpmn}exclusiveGateway"):
        outgoing = [f for f in flows if f.get("sourceRef") == gateway.get("id")]
        default = [f for f in outgoing if f.get("id") == gateway.get("default")]
        assert len(default) == 1 and default[0].find(f"{bpmn}conditionExpression") is None
        others = [f for f in outgoing if f is not default[0]]
        assert others and all(
            "keputusan_" in f.find(f"{bpmn}conditionExpression").text for f in others
        )
