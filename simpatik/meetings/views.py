"""Presentations of a step, and each person's calendar subscription."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.accounts.permissions import can
from simpatik.core.errors import ValidationError
from simpatik.core.views import domain_errors
from simpatik.meetings import services
from simpatik.meetings.forms import PresentationForm
from simpatik.meetings.models import CalendarFeed, Presentation
from simpatik.projects import queries


@login_required
@domain_errors
def presentations(request, pk, number):
    project = queries.project_for(request.user, pk)
    run = queries.latest_run(project, queries.step_of(project, number))
    if run is None or number not in services.presentation_steps(project.definition):
        raise Http404
    form = PresentationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.schedule(run, actor=request.user, via="web", **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Presentasi dijadwalkan; undangan dikirim kepada peserta.")
                )
                return redirect("meetings:presentations", pk=project.pk, number=number)
        status = 400
    items = Presentation.objects.filter(
        step_run__project=project, step_run__step_number=number
    ).prefetch_related("attendees")
    context = {
        "project": project,
        "number": number,
        "step": project.definition.step(number),
        "form": form,
        "items": items,
        "can_schedule": can(request.user, "jadwalkan_presentasi") and run.is_open,
    }
    return render(request, "meetings/presentations.html", context, status=status)


@login_required
@require_POST
@domain_errors
def presentation_cancel(request, pk):
    presentation = get_object_or_404(
        Presentation.objects.select_related("step_run__project"), pk=pk
    )
    project = queries.project_for(request.user, presentation.step_run.project_id)
    try:
        services.cancel(
            presentation, actor=request.user, reason=request.POST.get("reason", ""), via="web"
        )
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Presentasi dibatalkan; peserta diberi tahu."))
    return redirect(
        "meetings:presentations", pk=project.pk, number=presentation.step_run.step_number
    )


@login_required
def calendar(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_feed(request.user, _int(request.POST.get("feed")))
            messages.success(
                request,
                _("Alamat langganan dicabut; kalender yang memakainya berhenti diperbarui."),
            )
        else:
            services.create_feed(request.user)
            messages.success(request, _("Alamat langganan kalender dibuat."))
        return redirect("meetings:calendar")
    feeds = CalendarFeed.objects.filter(user=request.user, revoked_at=None)
    return render(request, "meetings/calendar.html", {"feeds": feeds})


def _int(value) -> int:
    return (
        int(value)
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 12
        else 0
    )


def feed(request, token):
    found = CalendarFeed.objects.select_related("user").filter(token=token, revoked_at=None).first()
    if found is None or not found.user.is_active:
        raise Http404
    body = services.ical.feed(services.feed_events(found.user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
