"""An usulan's journey as its OPD reads it: received, taken up, where the project is, and how it ended."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from simpatik.audit.models import AuditRecord
from simpatik.projects.models import Need, Project, StepRun


@dataclass
class Event:
    """One line of the timeline; `current` marks where the request stands now."""

    at: object
    title: str
    text: str = ""
    url: str = ""
    url_label: str = ""
    current: bool = False


def _date(value) -> str:
    return formats.date_format(value, "j M Y") if value else "—"


def step_phrase(project: Project, run: StepRun) -> str:
    """'Langkah 5 — Kepala Seksi … melakukan analisis oleh Kasie e-Government, batas 3 Des 2026'."""
    definition = project.definition
    step = definition.step(run.step_number)
    uraian = step.uraian.rstrip(" :")
    text = _("Langkah %(n)d — %(uraian)s, oleh %(role)s") % {
        "n": step.number,
        "uraian": uraian,
        "role": definition.role_names.get(step.role, step.role),
    }
    if run.due_date:
        text += _(", batas %(date)s") % {"date": _date(run.due_date)}
    return text


def timeline(need: Need) -> list[Event]:
    records = list(
        AuditRecord.objects.filter(object_type="projects.need", object_id=str(need.pk))
        .filter(action__in=["need.updated", "need.rejected", "need.withdrawn"])
        .order_by("at", "id")
    )
    events = [
        Event(
            need.created_at,
            _("Usulan diterima"),
            _("Nomor %(nomor)s, diajukan oleh %(name)s.")
            % {"nomor": need.nomor, "name": need.created_by.display_name},
        )
    ]
    for r in records:
        if r.action == "need.updated":
            events.append(Event(r.at, _("Usulan diubah oleh %(name)s") % {"name": r.actor_label}))
        elif r.action == "need.rejected":
            events.append(Event(r.at, _("Usulan ditolak"), r.reason, current=True))
        elif r.action == "need.withdrawn":
            events.append(Event(r.at, _("Usulan ditarik oleh pengusul"), r.reason, current=True))
    project = getattr(need, "project", None)
    if project is None:
        if need.status == Need.Status.DIAJUKAN:
            events[-1].current = True
            events.append(
                Event(
                    None,
                    _("Menunggu ditindaklanjuti"),
                    _(
                        "Kadis Kominfo akan memulai proyek dari usulan ini atau menjelaskan alasannya."
                    ),
                )
            )
        return events
    return events + _project_events(project)


def _project_events(project: Project) -> list[Event]:
    events = [
        Event(
            project.created_at,
            _("Proyek %(kode)s dimulai") % {"kode": project.kode},
            _("Diskominfo mulai mengembangkan aplikasi ini sesuai SOP."),
            url=project.get_absolute_url(),
            url_label=_("Lihat alur proyek"),
        )
    ]
    runs = list(project.step_runs.order_by("opened_at", "id"))
    reasons = sorted(
        (r.completed_at, r.reason)
        for r in runs
        if r.status == StepRun.Status.SELESAI and r.reason and r.completed_at
    )
    for r in AuditRecord.objects.filter(
        project=project, action__in=["project.suspended", "project.resumed", "project.finished"]
    ).order_by("at", "id"):
        if r.action == "project.suspended":
            # Why then: the last reason given up to the suspension (a later round's are not).
            why = next((reason for at, reason in reversed(reasons) if at <= r.at), "")
            events.append(Event(r.at, _("Proyek ditangguhkan"), why))
        elif r.action == "project.resumed":
            events.append(Event(r.at, _("Proyek dilanjutkan"), r.reason))
        else:
            events.append(_finished(project, r.at))
    # Steps done at least once: a step done again in a later round counts once.
    done = len({r.step_number for r in runs if r.status == StepRun.Status.SELESAI})
    if project.status == Project.Status.BERJALAN:
        for run in (r for r in runs if r.status == StepRun.Status.BERJALAN):
            events.append(
                Event(
                    timezone.localtime(run.opened_at),
                    _("Sedang dikerjakan"),
                    step_phrase(project, run),
                    current=True,
                )
            )
        if done:
            total = len(project.definition.steps)
            events[-1].text += " " + ngettext(
                "(%(n)d dari %(total)d langkah sudah pernah diselesaikan)",
                "(%(n)d dari %(total)d langkah sudah pernah diselesaikan)",
                done,
            ) % {"n": done, "total": total}
    else:
        events[-1].current = True
    return events


def _finished(project: Project, at) -> Event:
    from simpatik.inventory.models import Application

    application = Application.objects.filter(project=project).only("nama", "url").first()
    url = application.url if application and application.url else ""
    return Event(
        at,
        _("Aplikasi selesai dan disetujui"),
        _("Aplikasi dapat dibuka di alamat berikut.") if url else "",
        url=url,
        url_label=url,
    )
