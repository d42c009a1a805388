"""iCalendar (RFC 5545) for invitations and subscription feeds, made with the icalendar library."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//SIMPATIK//Diskominfo//ID")
    calendar.add("version", "2.0")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if method:
        calendar.add("method", method)
    return calendar


def presentation_event(presentation, title: str) -> Event:
    event = Event()
    event.add("uid", presentation.uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", presentation.starts_at)
    event.add("dtend", presentation.starts_at + dt.timedelta(minutes=presentation.duration_minutes))
    event.add("summary", title)
    event.add("location", presentation.place)
    event.add("sequence", presentation.sequence)
    event.add("status", "CANCELLED" if presentation.cancelled_at else "CONFIRMED")
    project = presentation.step_run.project
    lines = [f"{project.kode} {project.nama}"]
    if presentation.notes:
        lines.append(presentation.notes)
    lines.append(settings.SIMPATIK_PUBLIC_URL + project.get_absolute_url())
    event.add("description", "\n".join(lines))
    return event


def deadline_event(run, title: str) -> Event:
    event = Event()
    event.add("uid", f"batas-{run.pk}@simpatik")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", run.due_date)
    event.add("dtend", run.due_date + dt.timedelta(days=1))
    event.add("summary", title)
    event.add("transp", "TRANSPARENT")
    event.add("description", settings.SIMPATIK_PUBLIC_URL + run.project.get_absolute_url())
    return event


def invitation(presentation, title: str) -> bytes:
    calendar = _calendar("CANCEL" if presentation.cancelled_at else "REQUEST")
    calendar.add_component(presentation_event(presentation, title))
    return calendar.to_ical()


def feed(events) -> bytes:
    calendar = _calendar()
    calendar.add("x-wr-calname", "SIMPATIK")
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()
