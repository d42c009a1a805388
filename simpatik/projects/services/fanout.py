"""Steps run once per OPD (`untuk_setiap: opd`): one census project, one part per OPD.

Entering such a step from an ordinary one opens a run for every active OPD (`StepRun.opd`);
from one OPD's part the next step of the group opens for that OPD only (a return goes back
for that OPD alone); the ordinary step after the group opens once no OPD's part is open.
The engine asks `advance` first after a step completes, and moves on as usual when it declines.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from simpatik.accounts.models import Opd
from simpatik.core.errors import Conflict
from simpatik.projects.models import Project, StepRun
from simpatik.sop import hooks


def advance(run: StepRun, step, option, *, actor, via: str) -> bool:
    """Open what follows `run` when an OPD part is involved; False: the engine's usual way."""
    target = option.next if option is not None else step.next
    if target is None:
        return False
    project = run.project
    following = project.definition.step(target)
    if following.untuk_setiap == "opd":
        opds = [run.opd] if run.opd_id else list(Opd.objects.filter(aktif=True).order_by("nama"))
        if not opds:
            raise Conflict(_("Belum ada OPD aktif untuk pendataan."), code="no_opd")
        for opd in opds:
            open_part(project, target, opd, actor=actor, via=via)
        return True
    if not run.opd_id:
        return False
    _join(project, target, actor=actor, via=via)
    return True


def open_part(project: Project, number: int, opd, *, actor, via: str) -> StepRun:
    """Open one OPD's part; its fields start from what an app suggests for that OPD (the
    inventory's applications of the OPD, or the OPD's own answer of an earlier round)."""
    from simpatik.projects.services.engine import open_step  # the engine imports us

    probe = StepRun(project=project, step_number=number, opd=opd, role_key="")
    prefill = {}
    for item in project.definition.step(number).hasil:
        if item.kind == "field":
            value = hooks.suggestion(probe, item)
            if value not in (None, "", []):
                prefill[item.key] = value
    return open_step(project, number, actor=actor, via=via, prefill=prefill, opd=opd)


def _join(project: Project, target: int, *, actor, via: str) -> None:
    """The step after the OPD parts opens when the last part has finished. The project row is
    locked so that of two parts finishing at once, the later one sees the other done."""
    from simpatik.projects.services.engine import open_step  # the engine imports us

    Project.objects.select_for_update().filter(pk=project.pk).first()
    waiting = StepRun.objects.filter(
        project=project, status=StepRun.Status.BERJALAN, opd__isnull=False
    )
    if not waiting.exists():
        open_step(project, target, actor=actor, via=via)


def parts(project: Project, number: int) -> list[StepRun]:
    """The latest run of each OPD's part of a step, by OPD name."""
    latest: dict[int, StepRun] = {}
    runs = project.step_runs.filter(step_number=number, opd__isnull=False).select_related("opd")
    for part in runs.order_by("round", "id"):
        latest[part.opd_id] = part
    return sorted(latest.values(), key=lambda part: part.opd.nama)
