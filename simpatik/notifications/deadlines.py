"""The daily deadline sweep: remind before the Waktu runs out, tell the holder each overdue day,
and escalate to the nearest supervising role, as the SOP's `eskalasi` says. Working days are the
engine's (public holidays and cuti bersama); a suspended project's steps are left alone."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from simpatik.accounts.delegation import Roster
from simpatik.core.rows import short_date
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


# Only what the notices need is read for each open step (tens of thousands of rows a day).
FIELDS = (
    *("id", "project_id", "step_number", "role_key", "due_date", "assignee_id"),
    *("project__id", "project__nama", "project__sop_version_id", "project__opd_id"),
    *("assignee__id", "assignee__username", "assignee__first_name", "assignee__last_name"),
    *("assignee__email", "assignee__is_active"),
)


class _Day:
    """What one sweep knows: the day, every SOP version's rules, the holders of each role on the
    day (delegations applied), the texts in the installation's language; and the teams of the
    batch at hand."""

    def __init__(self, today):
        self.today = today
        self.definitions = definitions_by_version()
        self.roster = Roster(today)
        self.teams = {}
        # Translated once a sweep, not once a step.
        self.label = _("langkah %(n)d (%(output)s) proyek %(project)s")
        # Each with its forms for one day and for several, chosen by its `n` when filled in
        # (English counts days; Indonesian does not).
        self.soon = ngettext_lazy(
            "Batas waktu %(what)s tinggal %(n)d hari kerja (%(date)s).",
            "Batas waktu %(what)s tinggal %(n)d hari kerja (%(date)s).",
            "n",
        )
        self.late = ngettext_lazy(
            "%(what)s terlambat %(n)d hari kerja dari batasnya (%(date)s).",
            "%(what)s terlambat %(n)d hari kerja dari batasnya (%(date)s).",
            "n",
        )
        self.escalated = ngettext_lazy(
            "%(what)s terlambat %(n)d hari kerja; dipegang %(holders)s.",
            "%(what)s terlambat %(n)d hari kerja; dipegang %(holders)s.",
            "n",
        )

    def holders(self, run) -> list:
        standing = self.roster.standing_in(run.role_key, run.assignee) if run.assignee_id else []
        if standing:
            return standing
        people = self.roster.of_team(run.role_key, self.teams.get((run.project_id, run.role_key)))
        definition = self.definitions[run.project.sop_version_id]
        if run.role_key in definition.opd_roles:  # `lingkup: opd`
            people = [user for user in people if user.opd_id == run.project.opd_id]
        return people

    def notices(self, run) -> list[Notice]:
        """What to say about one open step today (nothing, a reminder, or the overdue notice and
        perhaps the escalation), each under the key that makes it once a period."""
        definition = self.definitions[run.project.sop_version_id]
        rules = definition.escalation
        left = working_days_between(self.today, run.due_date)
        if left >= 0 and (left != rules["pengingat_sebelum"] or left == 0):
            return []
        output = definition.step(run.step_number).output
        what = self.label % {"n": run.step_number, "output": output, "project": run.project.nama}
        words = {"what": what, "date": short_date(run.due_date), "n": abs(left)}
        where = {"project": run.project, "step_number": run.step_number}
        where["url"] = run.project.get_absolute_url()
        holders = self.holders(run)
        if left > 0:
            key = f"pengingat:{run.pk}:{run.due_date.isoformat()}"
            return [Notice("tenggat.besok", holders, key, self.soon % words, **where)]
        key = f"terlambat:{run.pk}:{self.today.isoformat()}"
        found = [Notice("tenggat.lewat", holders, key, self.late % words, **where)]
        supervisors = definition.supervisors_of(run.role_key)
        if -left < rules["atasan_setelah"] or not supervisors:
            return found
        words["holders"] = ", ".join(user.display_name for user in holders) or "—"
        key = f"eskalasi:{run.pk}:{self.today.isoformat()}"
        found.append(
            Notice(
                "eskalasi",
                self.roster.of_role(supervisors[0]),
                key,
                self.escalated % words,
                role=supervisors[0],
                **where,
            )
        )
        return found


@job("notifications.deadline_sweep", title="Pemeriksaan batas waktu harian", max_attempts=3)
def sweep(today=None) -> dict:
    """Every open step near or past its deadline, a batch of steps per transaction: a fixed
    number of statements per batch whatever it holds (bulk inserts keyed for idempotency;
    e-mail and chat go out through the delivery jobs)."""
    day = _Day(today or timezone.localdate())
    ahead = max((d.escalation["pengingat_sebelum"] for d in day.definitions.values()), default=0)
    open_runs = (
        StepRun.objects.filter(
            status=StepRun.Status.BERJALAN,
            project__status=Project.Status.BERJALAN,
            due_date__isnull=False,
            due_date__lte=add_working_days(day.today, max(ahead, 1)),
        )
        .select_related("project", "assignee")
        .only(*FIELDS)
        .order_by("id")
    )
    counts = dict.fromkeys(COUNTED.values(), 0)
    last = 0
    while runs := list(open_runs.filter(pk__gt=last)[:BATCH]):
        last = runs[-1].pk
        day.teams = team_members({run.project_id for run in runs})
        notices = [notice for run in runs for notice in day.notices(run)]
        with transaction.atomic():
            told = notify_many(notices)
        for key in {(n.event, n.key) for n in told}:
            counts[COUNTED[key[0]]] += 1
    return counts
