"""Reading a step the SOP runs once per OPD (`untuk_setiap: opd`): which OPD's part a request
means, and the parts a step detail lists so that a client can walk them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from simpatik.accounts.models import Opd
from simpatik.accounts.permissions import has
from simpatik.core.errors import NotFound
from simpatik.core.input_guard import is_number
from simpatik.projects.models import Project, StepRun


def part_of(project: Project, number: int, user, opd_id=None) -> Opd | None:
    """The OPD of the part meant: `?opd=<id>` (the API's OPD parameter), else the user's own
    OPD, else the first open part by OPD name; None for a step that is not run per OPD."""
    if project.definition.step(number).untuk_setiap != "opd":
        return None
    if opd_id:
        opd = Opd.objects.filter(pk=int(opd_id)).first() if is_number(str(opd_id)) else None
        # An OPD's staff read their own part only: another OPD's answer lists that OPD's
        # applications (and staff of the office, who see every project, read any part).
        own = getattr(user, "opd_id", None)
        if opd is None or (own and opd.pk != own and not has(user, "lihat_semua_proyek")):
            raise NotFound(_("OPD tidak dikenal."), code="opd_unknown")
        return opd
    if getattr(user, "opd_id", None):
        return user.opd
    first = (
        project.step_runs.filter(
            step_number=number, status=StepRun.Status.BERJALAN, opd__isnull=False
        )
        .select_related("opd")
        .order_by("opd__nama", "id")
        .first()
    )
    return first.opd if first is not None else None


def detail(project: Project, number: int, run) -> dict:
    """What a step detail adds for a step run per OPD: the part shown and every OPD's part."""
    if project.definition.step(number).untuk_setiap != "opd":
        return {}
    from simpatik.projects.services.fanout import parts

    return {
        "untuk_setiap": "opd",
        "opd": run.opd_id if run is not None else None,
        "parts": [
            {
                "opd": part.opd_id,
                "opd_kode": part.opd.kode,
                "opd_nama": part.opd.nama,
                "status": part.status,
                "round": part.round,
                "decision": part.decision,
            }
            for part in parts(project, number)
        ],
    }
