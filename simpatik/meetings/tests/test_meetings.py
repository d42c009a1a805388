"""Presentations scheduled by the Kasie with invitations (.ics over real SMTP), and calendar feeds."""

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from simpatik.core.errors import PermissionDenied, ValidationError
from simpatik.meetings import services
from simpatik.meetings.models import CalendarFeed
from simpatik.notifications.models import Notification
from simpatik.testing.walker import open_run, walk_to

pytestmark = pytest.mark.django_db
WITA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def at_presentation(project, team, pengembang, teknis):
    pengembang.email, teknis.email = "dimas@kominfo.test", "nur@kominfo.test"
    pengembang.save()
    teknis.save()
    run = walk_to(project, team, 10)
    assert run.step_number == 10
    return run


def _schedule(run, actor, **extra):
    values = {
        "starts_at": dt.datetime(2026, 12, 3, 9, 30, tzinfo=WITA),
        "place": "Ruang rapat Diskominfo",
        "attendees": [],
        "duration_minutes": 90,
    }
    values.update(extra)
    return services.schedule(run, actor=actor, **values)


def _ics(message):
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return part.get_param("method"), Calendar.from_ical(part.get_payload(decode=True))


def test_the_kasie_schedules_and_attendees_get_an_invitation(
    at_presentation, kasie, pengembang, teknis, smtpd, run_jobs_now
):
    with run_jobs_now():
        presentation = _schedule(
            at_presentation, kasie, attendees=[pengembang, teknis], notes="Bawa mockup"
        )
    assert {m[1][0] for m in smtpd.messages} == {"dimas@kominfo.test", "nur@kominfo.test"}
    method, calendar = _ics(smtpd.messages[0][2])
    (event,) = calendar.walk("VEVENT")
    assert method == "REQUEST" and str(event["uid"]) == presentation.uid
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 3, 1, 30, tzinfo=dt.UTC)
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=90)
    assert str(event["location"]) == "Ruang rapat Diskominfo" and event["sequence"] == 0
    assert Notification.objects.filter(event="presentasi.dijadwalkan").count() == 2

    smtpd.messages.clear()
    with run_jobs_now():
        services.cancel(presentation, actor=kasie, reason="Tim Teknis berhalangan")
    method, calendar = _ics(smtpd.messages[0][2])
    (event,) = calendar.walk("VEVENT")
    assert method == "CANCEL" and event["sequence"] == 1 and str(event["status"]) == "CANCELLED"


def test_only_the_scheduling_role_and_only_presentation_steps(
    at_presentation, project, pengembang, kasie, team
):
    with pytest.raises(PermissionDenied):
        _schedule(at_presentation, pengembang, attendees=[pengembang])
    with pytest.raises(ValidationError) as missing:
        _schedule(at_presentation, kasie, attendees=[])
    assert missing.value.code == "attendees_required"
    with pytest.raises(ValidationError) as place:
        _schedule(at_presentation, kasie, attendees=[pengembang], place="  ")
    assert place.value.code == "place_required"
    steps = services.presentation_steps(project.definition)
    assert at_presentation.step_number in steps and 1 not in steps


def test_the_schedule_page_keeps_values_and_shows_errors(
    client, at_presentation, project, kasie, pengembang
):
    client.force_login(kasie)
    url = f"/proyek/{project.pk}/langkah/10/presentasi/"
    response = client.post(
        url, {"starts_at": "2026-12-03T09:30", "duration_minutes": "5", "place": "Aula"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Aula"' in page and 'value="2026-12-03T09:30"' in page and 'class="error"' in page
    response = client.post(
        url,
        {
            "starts_at": "2026-12-03T09:30",
            "duration_minutes": "60",
            "place": "Aula",
            "attendees": [pengembang.pk],
        },
    )
    assert response.status_code == 302
    client.force_login(pengembang)
    assert "Jadwalkan presentasi" not in client.get(url).content.decode()


def test_a_calendar_feed_lists_deadlines_and_presentations_until_revoked(
    client, at_presentation, kasie, pengembang
):
    _schedule(at_presentation, kasie, attendees=[pengembang])
    feed = services.create_feed(pengembang)
    response = client.get(f"/kalender/{feed.token}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    deadline = events[f"batas-{open_run(at_presentation.project).pk}@simpatik"]
    assert deadline.decoded("dtstart") == open_run(at_presentation.project).due_date
    assert any(uid.startswith("presentasi-") for uid in events)
    services.revoke_feed(pengembang, feed.pk)
    assert client.get(f"/kalender/{feed.token}.ics").status_code == 404
    assert client.get("/kalender/tidak-ada.ics").status_code == 404
    assert CalendarFeed.objects.get(pk=feed.pk).revoked_at <= timezone.now()


def test_the_invited_attendees_are_offered_as_the_berita_acara_attendance(
    client, at_presentation, project, kasie, pengembang, teknis
):
    teknis.jabatan = "Pranata Komputer"
    teknis.save()
    _schedule(at_presentation, kasie, attendees=[pengembang, teknis], guests="Budi — Kepala BKPSDM")
    holder = pengembang if at_presentation.role_key in pengembang.role_keys() else teknis
    client.force_login(holder)
    page = client.get(f"/proyek/{project.pk}/?langkah={at_presentation.step_number}")
    text = page.content.decode()
    assert "Nur Paputungan — Pranata Komputer" in text
    assert "Dimas Lasabuda — Tim Pengembang" in text and "Budi — Kepala BKPSDM" in text
    services.cancel(at_presentation.presentations.get(), actor=kasie, reason="Batal")
    again = client.get(f"/proyek/{project.pk}/?langkah={at_presentation.step_number}")
    assert "Budi — Kepala BKPSDM" not in again.content.decode()
