"""Who hears about what happens in a project: called by the engine and the request services,
inside their transactions, so a rolled-back action tells nobody."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from simpatik.accounts import delegation
from simpatik.accounts.permissions import is_system
from simpatik.core.rows import short_date
from simpatik.core.sql import Columns, Read, table
from simpatik.notifications.models import Notification, Preference, RoleChannel
from simpatik.notifications.services import notify
from simpatik.projects.models import StepRun


def _active(users, *, exclude=None):
    return [user for user in users if user.is_active and (exclude is None or user.pk != exclude.pk)]


User = get_user_model()
# Holders with their notification settings, and whether the role has a chat group, in one
# statement written out: the busiest path (each step opened) spent more building it with the ORM
# than running it.
_USER, _PREFERENCE = Columns(User, "u"), Columns(Preference, "np")


def holders_read(role_key: str) -> Read:
    """Who holds the role today (delegations applied), read with their notification settings
    and whether the role has a chat group: role_holders' rows. The engine reads them in the
    statement that opens a step (core.sql.written)."""
    holders, params = delegation.holder_ids([role_key])
    return Read(
        columns=(
            f"{_USER.sql}, {_PREFERENCE.sql}, "
            f"EXISTS (SELECT 1 FROM {table(RoleChannel)} WHERE role_key = %s)"
        ),
        column_params=[role_key],
        source=f"{table(User)} u LEFT JOIN {table(Preference)} np ON np.user_id = u.id",
        condition=f"u.is_active = %s AND u.id IN ({holders})",
        params=[True, *params],
        parts=(_USER, _PREFERENCE),
        order="u.id",
    )


def role_holders(role_key: str, project=None, *, rows=None):
    """Active holders of a role today (a Plh/Plt instead of the official away); for a team role
    with a team on the project, only that team and whoever stands in for its members; for a role
    scoped to the requesting OPD, only that OPD's holders. `rows`: holders_read's, when the
    caller read them already.

    Each comes with `role_chat` = (role_key, whether the role has a chat group), read in the same
    query, so notifying them needs no second look-up (notify)."""
    users = []
    for user, preference, has_role_chat in holders_read(role_key).rows() if rows is None else rows:
        # As select_related leaves them: the preference known, or known to be missing (None).
        User.notification_preference.related.set_cached_value(user, preference)
        user.role_chat = (role_key, bool(has_role_chat))
        users.append(user)
    if project is not None and role_key in project.definition.opd_roles:
        # `lingkup: opd`: only the holders of the project's own OPD act on it.
        users = [user for user in users if user.opd_id == project.opd_id]
    if project is not None and role_key in project.definition.team_roles:
        from simpatik.projects.services.rules import team_user_ids  # the engine imports us

        team = delegation.with_cover(role_key, team_user_ids(project, role_key))
        if team:
            users = [user for user in users if user.pk in team]
    return users


def step_holders(project) -> list:
    """Who holds the project's open steps today: the person a step is assigned to (or whoever
    stands in for them), else the step's role on the project's team."""
    people = {}
    for run in StepRun.objects.filter(project=project, status=StepRun.Status.BERJALAN):
        if run.assignee_id:
            cover = delegation.with_cover(run.role_key, {run.assignee_id})
            found = delegation.holders(run.role_key).filter(pk__in=cover)
        else:
            found = role_holders(run.role_key, project)
        people |= {user.pk: user for user in found}
    return list(people.values())


def failure_key(job) -> str:
    return f"penyediaan-gagal:{job.pk}:{job.attempts}"


def told_of_failures(jobs) -> dict[int, list[str]]:
    """For each failed job, the names of the people told that it gave up."""
    by_key = {failure_key(job): job.pk for job in jobs}
    told = {job.pk: [] for job in jobs}
    notes = Notification.objects.filter(key__in=by_key).select_related("recipient")
    for note in notes.order_by("recipient__username"):
        told[by_key[note.key]].append(note.recipient.display_name)
    return told


def provisioning_failed(job, *, what: str) -> None:
    """A provisioning job gave up after its attempts: those who manage provisioning
    (`kelola_penyediaan`, delegations applied) and the holders of the project's open step
    hear of it with the last error. Once per failure: a failed retry tells them again."""
    people = {user.pk: user for user in delegation.capability_holders("kelola_penyediaan")}
    if job.project_id:
        people |= {user.pk: user for user in step_holders(job.project)}
    notify(
        "penyediaan.gagal",
        [user for user in people.values() if not is_system(user)],
        key=failure_key(job),
        message=_("%(what)s gagal setelah %(n)d percobaan: %(error)s")
        % {"what": what, "n": job.attempts, "error": job.last_error},
        project=job.project,
        url=job.project.get_absolute_url() if job.project_id else reverse("jobs:list"),
    )


def opd_people(project=None, need=None):
    """The requesting agency: who sent the request and the OPD's staff without an SOP role."""
    need = need or (project.need if project is not None else None)
    opd_id = need.opd_id if need is not None else (project.opd_id if project else None)
    people = {}
    if need is not None and need.created_by.is_active:
        people[need.created_by_id] = need.created_by
    for user in get_user_model().objects.filter(opd_id=opd_id, is_active=True, roles__isnull=True):
        people[user.pk] = user
    return list(people.values())


def _returned_by(run: StepRun):
    """The completed run whose decision sent work back to this step, if a loop reopened it."""
    if run.round <= 1:
        return None
    last = (
        StepRun.objects.filter(project=run.project, status=StepRun.Status.SELESAI)
        .exclude(decision="")
        .select_related("completed_by")
        .order_by("-completed_at", "-id")
        .first()
    )
    if last is None:
        return None
    option = run.project.definition.step(last.step_number).decision(last.decision)
    if option is None or option.next != run.step_number or last.step_number <= run.step_number:
        return None
    return last, option


def _part_holders(run: StepRun):
    """For an OPD's part of a step run once per OPD by an OPD-scoped role: that OPD's holders."""
    if not run.opd_id or run.role_key not in run.project.definition.opd_roles:
        return None
    users = delegation.holders(run.role_key).select_related("notification_preference")
    return list(users.filter(opd_id=run.opd_id))


def step_opened(run: StepRun, *, actor=None, holder_rows=None) -> None:
    """`holder_rows`: holders_read(run.role_key)'s rows, read with the run's INSERT."""
    project = run.project
    step = project.definition.step(run.step_number)
    holders = _part_holders(run) or role_holders(run.role_key, project, rows=holder_rows)
    people = _active(holders, exclude=actor)
    url = project.get_absolute_url()
    returned = _returned_by(run)
    if returned is not None:
        last, option = returned
        who = last.completed_by.display_name if last.completed_by else "—"
        notify(
            "langkah.dikembalikan",
            people,
            key=f"tugas:{run.pk}",
            message=_(
                "Langkah %(n)d proyek %(project)s dikembalikan oleh %(who)s: %(output)s. "
                "Keputusan: %(decision)s. Alasan: %(reason)s"
            )
            % {
                "n": run.step_number,
                "output": step.output,
                "project": project.nama,
                "who": who,
                "decision": option.label,
                "reason": last.reason or "—",
            },
            project=project,
            step_number=run.step_number,
            url=url,
            role=run.role_key,
            new_key=True,
        )
        return
    # As every page writes a date (2 Des 2026), not 02-12-2026; kept per date and language.
    due = short_date(run.due_date)
    notify(
        "tugas.baru",
        people,
        key=f"tugas:{run.pk}",
        # The step's Output after a colon: it may hold brackets of its own.
        message=_("Langkah %(n)d proyek %(project)s menunggu Anda: %(output)s; batas %(due)s.")
        % {"n": run.step_number, "output": step.output, "project": project.nama, "due": due},
        project=project,
        step_number=run.step_number,
        url=url,
        role=run.role_key,
        new_key=True,
    )


def need_submitted(need, *, definition) -> None:
    notify(
        "usulan.diajukan",
        role_holders(definition.first_step.role),
        key=f"usulan:{need.pk}",
        message=_("Usulan %(nomor)s dari %(opd)s: %(judul)s.")
        % {"nomor": need.nomor, "opd": need.opd.nama, "judul": need.judul},
        url=reverse("projects:need", args=[need.pk]),
        role=definition.first_step.role,
    )


def need_rejected(need) -> None:
    notify(
        "usulan.ditolak",
        opd_people(need=need),
        key=f"usulan-ditolak:{need.pk}",
        message=_("Usulan %(nomor)s (%(judul)s) tidak dilanjutkan: %(reason)s")
        % {"nomor": need.nomor, "judul": need.judul, "reason": need.status_reason},
        url=reverse("projects:need", args=[need.pk]),
    )


def project_started(project) -> None:
    if project.need_id is None:
        return
    notify(
        "usulan.diproses",
        opd_people(project=project),
        key=f"usulan-diproses:{project.need_id}",
        message=_("Usulan %(nomor)s mulai dikerjakan sebagai proyek %(kode)s.")
        % {"nomor": project.need.nomor, "kode": project.kode},
        project=project,
        url=reverse("projects:need", args=[project.need_id]),
    )


def project_suspended(project, *, step, reason: str) -> None:
    resume_role = step.suspend["resume_role"]
    notify(
        "proyek.ditangguhkan",
        [*opd_people(project=project), *role_holders(resume_role)],
        key=f"ditangguhkan:{project.pk}:{step.number}:{project.step_runs.count()}",
        message=_("Proyek %(kode)s %(nama)s ditangguhkan: %(reason)s")
        % {"kode": project.kode, "nama": project.nama, "reason": reason or step.output},
        project=project,
        url=project.get_absolute_url(),
    )


def project_resumed(project, *, reason: str) -> None:
    notify(
        "proyek.dilanjutkan",
        opd_people(project=project),
        key=f"dilanjutkan:{project.pk}:{project.step_runs.count()}",
        message=_("Proyek %(kode)s %(nama)s dilanjutkan: %(reason)s")
        % {"kode": project.kode, "nama": project.nama, "reason": reason},
        project=project,
        url=project.get_absolute_url(),
    )


def project_finished(project) -> None:
    from simpatik.inventory.models import Application

    application = Application.objects.filter(project=project).only("url").first()
    address = getattr(application, "url", "") or "—"
    notify(
        "proyek.selesai",
        opd_people(project=project),
        key=f"selesai:{project.pk}",
        message=_("Aplikasi %(nama)s disetujui; alamatnya: %(address)s")
        % {"nama": project.nama, "address": address},
        project=project,
        url=project.get_absolute_url(),
    )


def letter_waits_for_signature(letter, signer, error: str) -> None:
    """The remote TTE failed after the step committed: its signer signs again with the passphrase
    (which SIMPATIK never keeps), so they are told. Once per letter."""
    notify(
        "surat.menunggu_tte",
        [signer],
        key=f"surat-tte:{letter.pk}",
        message=_(
            "%(number)s belum ditandatangani (%(error)s). Tandatangani ulang di halaman "
            "Naskah dinas."
        )
        % {"number": letter.number, "error": error.rstrip(". ")},
        project=letter.project,
        step_number=letter.step_number,
        url=reverse("letters:project", args=[letter.project_id]),
    )


def letter_waits_for_second_party(letter) -> None:
    """A berita acara signed by its first party waits for the second's signature: they are told
    where to sign it. Once per letter."""
    notify(
        "surat.menunggu_tte",
        [letter.countersigner],
        key=f"pihak-kedua:{letter.pk}",
        message=_(
            "%(title)s %(number)s menunggu tanda tangan Anda sebagai pihak kedua. Tandatangani "
            "di halaman Naskah dinas proyek %(project)s, atau dengan menyelesaikan langkah Anda "
            "berikutnya pada proyek itu."
        )
        % {"title": letter.title, "number": letter.number, "project": letter.project.nama},
        project=letter.project,
        step_number=letter.step_number,
        url=reverse("letters:project", args=[letter.project_id]),
    )
