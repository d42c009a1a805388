"""Work belongs to the step that made it: who may write an item, and what an approval froze.

Read-only checks, used by every service that writes a step's fields or documents, so the web
pages, the API and the commands refuse the same things with the same codes.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from simpatik.core.errors import ValidationError
from simpatik.projects.models import Project, StepRun
from simpatik.sop.definition import Step


def blank(value) -> bool:
    return (
        value is None
        or value is False
        or value == []
        or (isinstance(value, str) and not value.strip())
    )


def frozen_keys(project: Project, step: Step, opened=None) -> dict[str, StepRun]:
    """Keys an approval froze, with the approving run; a new round of their own step thaws them.

    The SOP data says what each approval rests on (`freezes:` on a decision option). A change
    after the approval must go back through the loop: only a run of a step that may write the
    key, opened after the approval, can make a new version. `opened`: when the step's latest run
    was opened, if the caller holds it (its open run), else it is looked up.
    """
    definition = project.definition
    approvals = StepRun.objects.filter(project=project, status=StepRun.Status.SELESAI).exclude(
        decision=""
    )
    if opened is None:
        opened = (
            StepRun.objects.filter(project=project, step_number=step.number)
            .order_by("-opened_at")
            .values_list("opened_at", flat=True)
            .first()
        )
    frozen: dict[str, StepRun] = {}
    for approval in approvals.order_by("completed_at"):
        option = definition.step(approval.step_number).decision(approval.decision)
        for key in option.freezes if option else ():
            thawed = (
                definition.writable(step.number, key)
                and opened is not None
                and opened > approval.completed_at
            )
            if thawed:
                frozen.pop(key, None)
            else:
                frozen[key] = approval
    return frozen


def ensure_writable(project: Project, step: Step, keys, *, opened=None) -> None:
    """Work belongs to the step that made it: refuse writing another step's Output or a frozen value.

    `opened`: when the step's open run was opened (see frozen_keys)."""
    keys = [key for key in keys if step.requirement(key) is not None]
    if not keys:
        return
    definition = project.definition
    # Only a key some approval rests on can be frozen: for others the history needs no reading.
    freezable = definition.freezable_keys.intersection(keys)
    frozen = frozen_keys(project, step, opened) if freezable else {}
    for key in keys:
        item = step.requirement(key)
        if key in frozen:
            approval = frozen[key]
            option = definition.step(approval.step_number).decision(approval.decision)
            raise ValidationError(
                _(
                    '%(label)s sudah menjadi dasar keputusan "%(decision)s" pada langkah %(n)d '
                    "dan tidak dapat diubah lagi; perubahan hanya melalui putaran baru langkah "
                    "yang membuatnya."
                )
                % {"label": item.label, "decision": option.label, "n": approval.step_number},
                code="frozen_by_approval",
                data={"key": key, "step": approval.step_number},
            )
        if not definition.writable(step.number, key):
            source = definition.sources[step.number][key]
            raise ValidationError(
                _(
                    "%(label)s adalah hasil langkah %(n)d; langkah %(here)d membacanya dan "
                    "tidak dapat mengubahnya."
                )
                % {"label": item.label, "n": source, "here": step.number},
                code="output_of_other_step",
                data={"key": key, "step": source},
            )
