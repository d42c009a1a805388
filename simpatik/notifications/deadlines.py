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
from simpatik.notifications.services import Notice, notify_many
from simpatik.projects.models import Project, StepRun
from simpatik.projects.services.rules import team_members
from simpatik.sop.models import definitions_by_version

# Steps per transaction: a crash loses at most one batch's work, and the rerun (same keys)
# writes only what that batch had not committed.
BATCH = 500
COUNTED = {"tenggat.besok": "pengingat", "tenggat.lewat": "terlambat", "eskalasi": "eskalasi"}


class _People:
    """Active holders of each role on the day (delegations applied), fetched once per sweep, and
    the teams of one batch's projects."""

    def __init__(self, roster, runs):
        self.roster = roster
        self.teams = team_members({run.project_id for run in runs})

    def holders(self, run) -> list:
        standing = self.roster.standing_in(run.role_key, run.assignee) if run.assignee_id else []
        if standing:
            return standing
        return self.roster.of_team(run.role_key, self.teams.get((run.project_id, run.role_key)))


def _label(run, step) -> str:
    return _("langkah %(n)d (%(output)s) proyek %(project)s") % {
        "n": run.step_number,
        "output": step.output,
        "project": run.project.nama,
    }


def _notices(run, definition, people: _People, today) -> list[Notice]:
    """What the sweep has to say about one open step today (nothing, a reminder, or the overdue
    notice and perhaps the escalation), each under the key that makes it once a period."""
    rules = definition.escalation
    step = definition.step(run.step_number)
    left = working_days_between(today, run.due_date)
    where = {"project": run.project, "step_number": run.step_number}
    where["url"] = run.project.get_absolute_url()
    words = {"what": _label(run, step), "date": run.due_date.strftime("%d-%m-%Y")}
    if left >= 0:
        if left != rules["pengingat_sebelum"] or left == 0:
            return []
        message = _("Batas waktu %(what)s tinggal %(n)d hari kerja (%(date)s).")
        key = f"pengingat:{run.pk}:{run.due_date.isoformat()}"
        return [
            Notice(
                "tenggat.besok", people.holders(run), key, message % (words | {"n": left}), **where
            )
        ]
    late = -left
    message = _("%(what)s terlambat %(n)d hari kerja dari batasnya (%(date)s).")
    key = f"terlambat:{run.pk}:{today.isoformat()}"
    found = [
        Notice("tenggat.lewat", people.holders(run), key, message % (words | {"n": late}), **where)
    ]
    supervisors = definition.supervisors_of(run.role_key)
    if late < rules["atasan_setelah"] or not supervisors:
        return found
    holders = ", ".join(user.display_name for user in people.holders(run)) or "—"
    message = _("%(what)s terlambat %(n)d hari kerja; dipegang %(holders)s.") % {
        "what": words["what"],
        "n": late,
        "holders": holders,
    }
    key = f"eskalasi:{run.pk}:{today.isoformat()}"
    recipients = people.roster.of_role(supervisors[0])
    found.append(Notice("eskalasi", recipients, key, message, role=supervisors[0], **where))
    return found


@job("notifications.deadline_sweep", title="Pemeriksaan batas waktu harian", max_attempts=3)
def sweep(today=None) -> dict:
    """Every open step near or past its deadline, a batch of steps per transaction: a fixed
    number of statements per batch whatever it holds (bulk inserts keyed for idempotency;
    e-mail and chat go out through the delivery jobs)."""
    today = today or timezone.localdate()
    definitions = definitions_by_version()
    ahead = max((d.escalation["pengingat_sebelum"] for d in definitions.values()), default=0)
    open_runs = (
        StepRun.objects.filter(
            status=StepRun.Status.BERJALAN,
            project__status=Project.Status.BERJALAN,
            due_date__isnull=False,
            due_date__lte=add_working_days(today, max(ahead, 1)),
        )
        .select_related("project", "assignee")
        .order_by("id")
    )
    roster = Roster(today)
    counts = dict.fromkeys(COUNTED.values(), 0)
    last = 0
    while runs := list(open_runs.filter(pk__gt=last)[:BATCH]):
        last = runs[-1].pk
        people = _People(roster, runs)
        notices = [
            notice
            for run in runs
            for notice in _notices(run, definitions[run.project.sop_version_id], people, today)
        ]
        with transaction.atomic():
            told = notify_many(notices)
        for key in {(n.event, n.key) for n in told}:
            counts[COUNTED[key[0]]] += 1
    return counts
