"""The daily deadline sweep: remind before the Waktu runs out, tell the holder each overdue day,
and escalate to the nearest supervising role, as the SOP's `eskalasi` says. Working days are the
engine's (public holidays and cuti bersama); a suspended project's steps are left alone."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.accounts.delegation import Roster
from simpatik.core.workdays import add_working_days, working_days_between
from simpatik.jobs.registry import job
from simpatik.notifications.services import notify
from simpatik.projects.models import Project, StepRun
from simpatik.projects.services.rules import team_members


class _People:
    """Active holders of each role on the day (delegations applied) and each project's team,
    fetched once per sweep."""

    def __init__(self, runs, today):
        self.roster = Roster(today)
        self.teams = team_members({run.project_id for run in runs})

    def holders(self, run) -> list:
        standing = self.roster.standing_in(run.role_key, run.assignee) if run.assignee_id else []
        if standing:
            return standing
        people = self.roster.of_team(run.role_key, self.teams.get((run.project_id, run.role_key)))
        if run.role_key in run.project.definition.opd_roles:  # `lingkup: opd`
            people = [user for user in people if user.opd_id == run.project.opd_id]
        return people

    def of_role(self, role_key: str) -> list:
        return self.roster.of_role(role_key)


def _label(run, step) -> str:
    return _("langkah %(n)d (%(output)s) proyek %(project)s") % {
        "n": run.step_number,
        "output": step.output,
        "project": run.project.nama,
    }


@job("notifications.deadline_sweep", title="Pemeriksaan batas waktu harian", max_attempts=3)
def sweep(today=None) -> dict:
    today = today or timezone.localdate()
    runs = list(
        StepRun.objects.filter(
            status=StepRun.Status.BERJALAN,
            project__status=Project.Status.BERJALAN,
            due_date__isnull=False,
            due_date__lte=add_working_days(today, 5),
        )
        .select_related("project__sop_version", "assignee")
        .order_by("due_date", "id")
    )
    people = _People(runs, today)
    counts = {"pengingat": 0, "terlambat": 0, "eskalasi": 0}
    for run in runs:
        definition = run.project.definition
        rules = definition.escalation
        step = definition.step(run.step_number)
        url = run.project.get_absolute_url()
        left = working_days_between(today, run.due_date)
        with transaction.atomic():
            if left == rules["pengingat_sebelum"] and left > 0:
                counts["pengingat"] += bool(
                    notify(
                        "tenggat.besok",
                        people.holders(run),
                        key=f"pengingat:{run.pk}:{run.due_date.isoformat()}",
                        message=_("Batas waktu %(what)s tinggal %(n)d hari kerja (%(date)s).")
                        % {
                            "what": _label(run, step),
                            "n": left,
                            "date": run.due_date.strftime("%d-%m-%Y"),
                        },
                        project=run.project,
                        step_number=run.step_number,
                        url=url,
                    )
                )
            if left >= 0:
                continue
            late = -left
            counts["terlambat"] += bool(
                notify(
                    "tenggat.lewat",
                    people.holders(run),
                    key=f"terlambat:{run.pk}:{today.isoformat()}",
                    message=_("%(what)s terlambat %(n)d hari kerja dari batasnya (%(date)s).")
                    % {
                        "what": _label(run, step),
                        "n": late,
                        "date": run.due_date.strftime("%d-%m-%Y"),
                    },
                    project=run.project,
                    step_number=run.step_number,
                    url=url,
                )
            )
            if late < rules["atasan_setelah"]:
                continue
            supervisors = definition.supervisors_of(run.role_key)
            if not supervisors:
                continue
            holders = ", ".join(user.display_name for user in people.holders(run)) or "—"
            counts["eskalasi"] += bool(
                notify(
                    "eskalasi",
                    people.of_role(supervisors[0]),
                    key=f"eskalasi:{run.pk}:{today.isoformat()}",
                    message=_("%(what)s terlambat %(n)d hari kerja; dipegang %(holders)s.")
                    % {"what": _label(run, step), "n": late, "holders": holders},
                    project=run.project,
                    step_number=run.step_number,
                    url=url,
                    role=supervisors[0],
                )
            )
    return counts
