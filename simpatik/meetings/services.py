"""Scheduling presentations (with invitations) and the personal calendar feeds."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import can
from simpatik.audit.services import record
from simpatik.core.errors import Conflict, PermissionDenied, ValidationError
from simpatik.jobs import services as jobs
from simpatik.jobs.registry import job
from simpatik.meetings import ical
from simpatik.meetings.models import CalendarFeed, Presentation
from simpatik.notifications.services import notify
from simpatik.projects.models import StepRun
from simpatik.sop import hooks


def presentation_steps(definition) -> set[int]:
    """Steps whose Output is minutes of a meeting (a generated document that takes attendance)."""
    return {
        step.number
        for step in definition.steps
        if any(
            item.generate and hooks.generator(item.generate).get("attendance")
            for item in step.hasil
        )
    }


def attendance_keys(step) -> set[str]:
    """The fields of a step that hold a berita acara's attendance list."""
    return {
        hooks.generator(item.generate).get("attendance_key")
        for item in step.hasil
        if item.generate and hooks.generator(item.generate).get("attendance")
    }


def suggested_attendance(run, item) -> str | None:
    """The attendance list of a berita acara is who the presentation invited (and its guests),
    'Nama — Jabatan' a line, offered in the empty field of the open step."""
    if not run.is_open or item.key not in attendance_keys(run.step):
        return None
    presentation = (
        run.presentations.filter(cancelled_at__isnull=True).order_by("-starts_at").first()
    )
    if presentation is None:
        return None
    lines = [
        f"{user.display_name} — {user.jabatan or _role_names(run, user)}".rstrip(" —")
        for user in presentation.attendees.order_by("first_name", "username")
    ]
    lines += [line.strip() for line in presentation.guests.splitlines() if line.strip()]
    return "\n".join(lines)


def _role_names(run, user) -> str:
    names = run.project.definition.role_names
    return ", ".join(names[key] for key in sorted(user.role_keys()) if key in names)


def title_of(presentation) -> str:
    run = presentation.step_run
    step = run.project.definition.step(run.step_number)
    return _("Presentasi %(output)s: %(project)s") % {
        "output": step.output.replace("berita acara presentasi ", ""),
        "project": run.project.nama,
    }


def _check(run: StepRun, actor, *, starts_at, duration_minutes, place, attendees):
    if not can(actor, "jadwalkan_presentasi"):
        raise PermissionDenied(
            _("Anda tidak berwenang menjadwalkan presentasi."), code="wrong_role"
        )
    if run.status != StepRun.Status.BERJALAN:
        raise Conflict(_("Langkah ini tidak sedang berjalan."), code="step_not_open")
    if run.step_number not in presentation_steps(run.project.definition):
        raise ValidationError(_("Langkah ini bukan presentasi."), code="not_a_presentation_step")
    if starts_at is None or timezone.is_naive(starts_at):
        raise ValidationError(_("Waktu presentasi wajib diisi."), code="starts_at_required")
    if not 15 <= (duration_minutes or 0) <= 8 * 60:
        raise ValidationError(
            _("Lama presentasi antara 15 menit dan 8 jam."), code="invalid_duration"
        )
    if not (place or "").strip():
        raise ValidationError(_("Tempat presentasi wajib diisi."), code="place_required")
    if not attendees:
        raise ValidationError(_("Pilih paling sedikit satu peserta."), code="attendees_required")


def schedule(
    run: StepRun,
    *,
    actor,
    starts_at: dt.datetime,
    place: str,
    attendees,
    duration_minutes: int = 60,
    notes: str = "",
    guests: str = "",
    via: str = "",
) -> Presentation:
    attendees = list(attendees)
    _check(
        run,
        actor,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        attendees=attendees,
    )
    with transaction.atomic():
        presentation = Presentation.objects.create(
            step_run=run,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            place=place.strip()[:200],
            notes=notes.strip(),
            guests=guests.strip(),
            scheduled_by=actor,
        )
        presentation.attendees.set(attendees)
        record(
            "meeting.scheduled",
            actor=actor,
            project=run.project,
            step_number=run.step_number,
            obj=presentation,
            via=via,
            data={
                "starts_at": timezone.localtime(starts_at).isoformat(),
                "place": presentation.place,
                "attendees": [user.username for user in attendees],
            },
        )
        _invite(presentation, attendees)
    return presentation


def cancel(presentation: Presentation, *, actor, reason: str, via: str = "") -> Presentation:
    if not can(actor, "jadwalkan_presentasi"):
        raise PermissionDenied(_("Anda tidak berwenang membatalkan presentasi."), code="wrong_role")
    if not (reason or "").strip():
        raise ValidationError(_("Alasan pembatalan wajib diisi."), code="reason_required")
    with transaction.atomic():
        presentation = Presentation.objects.select_for_update().get(pk=presentation.pk)
        if presentation.cancelled_at:
            raise Conflict(_("Presentasi ini sudah dibatalkan."), code="already_cancelled")
        presentation.cancelled_at = timezone.now()
        presentation.sequence += 1
        presentation.save(update_fields=["cancelled_at", "sequence"])
        run = presentation.step_run
        record(
            "meeting.cancelled",
            actor=actor,
            project=run.project,
            step_number=run.step_number,
            obj=presentation,
            via=via,
            reason=reason.strip(),
        )
        _invite(presentation, list(presentation.attendees.all()))
    return presentation


def _invite(presentation: Presentation, attendees) -> None:
    run = presentation.step_run
    when = timezone.localtime(presentation.starts_at).strftime("%d-%m-%Y %H:%M")
    if presentation.cancelled_at:
        message = _("Presentasi %(title)s pada %(when)s dibatalkan.")
    else:
        message = _("%(title)s, %(when)s WITA di %(place)s.")
    notify(
        "presentasi.dijadwalkan",
        attendees,
        key=f"presentasi:{presentation.pk}:{presentation.sequence}",
        message=message
        % {"title": title_of(presentation), "when": when, "place": presentation.place},
        project=run.project,
        step_number=run.step_number,
        url=run.project.get_absolute_url(),
        email=False,  # the invitation below is the e-mail, with its .ics
    )
    for user in attendees:
        if user.email:
            jobs.enqueue(
                "meetings.send_invitation",
                kwargs={
                    "presentation_id": presentation.pk,
                    "user_id": user.pk,
                    "sequence": presentation.sequence,
                },
                key=f"undangan:{presentation.pk}:{presentation.sequence}:{user.pk}",
                project=run.project,
            )


@job("meetings.send_invitation", title="Mengirim undangan presentasi", max_attempts=6)
def send_invitation(presentation_id: int, user_id: int, sequence: int) -> None:
    presentation = Presentation.objects.select_related("step_run__project").get(pk=presentation_id)
    if presentation.sequence != sequence:
        return  # a newer invitation (changed or cancelled) replaces this one
    user = get_user_model().objects.get(pk=user_id)
    title = title_of(presentation)
    subject = (_("Dibatalkan: %(t)s") if presentation.cancelled_at else _("Undangan: %(t)s")) % {
        "t": title
    }
    when = timezone.localtime(presentation.starts_at).strftime("%d-%m-%Y %H:%M")
    lines = [
        _("Yth. %(name)s,") % {"name": user.display_name},
        "",
        title,
        _("Waktu: %(when)s WITA") % {"when": when},
        _("Tempat: %(place)s") % {"place": presentation.place},
    ]
    body = "\n".join([*lines, "", presentation.notes] if presentation.notes else lines)
    email = EmailMessage(f"[SIMPATIK] {subject}", body, settings.DEFAULT_FROM_EMAIL, [user.email])
    method = "CANCEL" if presentation.cancelled_at else "REQUEST"
    email.attach(
        "undangan.ics", ical.invitation(presentation, title), f"text/calendar; method={method}"
    )
    email.send()


def feed_events(user):
    """The user's step deadlines and the presentations they attend."""
    from simpatik.projects.queries import tasks_for

    events = []
    for run in tasks_for(user):
        if run.due_date:
            step = run.project.definition.step(run.step_number)
            events.append(
                ical.deadline_event(
                    run,
                    _("Batas langkah %(n)d (%(output)s): %(project)s")
                    % {"n": run.step_number, "output": step.output, "project": run.project.nama},
                )
            )
    since = timezone.now() - dt.timedelta(days=90)
    for presentation in user.presentations.filter(starts_at__gte=since).select_related(
        "step_run__project__sop_version"
    ):
        events.append(ical.presentation_event(presentation, title_of(presentation)))
    return events


def create_feed(user) -> CalendarFeed:
    with transaction.atomic():
        feed = CalendarFeed.objects.create(user=user)
        record("calendar.feed_created", actor=user, obj=feed)
    return feed


def revoke_feed(user, feed_id: int) -> None:
    with transaction.atomic():
        changed = CalendarFeed.objects.filter(pk=feed_id, user=user, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        if changed:
            record("calendar.feed_revoked", actor=user, data={"feed": feed_id})
