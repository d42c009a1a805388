"""Notifikasi: the bell's page, marking read, and each person's channel settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.core.pages import paginate
from simpatik.core.views import domain_errors
from simpatik.notifications import services
from simpatik.notifications.events import title
from simpatik.notifications.forms import PreferenceForm
from simpatik.notifications.models import Notification


@login_required
def notification_list(request):
    notifications = (
        Notification.objects.filter(recipient=request.user)
        .select_related("project")
        .prefetch_related("deliveries")
    )
    page = paginate(request, notifications)
    for item in page:
        item.title = title(item.event)
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
@domain_errors
def notification_open(request, pk):
    notification = services.mark_read(request.user, pk)
    target = notification.url or "/notifikasi/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/notifikasi/"
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request):
    services.mark_all_read(request.user)
    return redirect("notifications:list")


@login_required
def preferences(request):
    current = services.preference_of(request.user)
    initial = {"email": current.email, "chat": current.chat, "mode": current.mode}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_preference(request.user, **form.cleaned_data)
        messages.success(request, _("Pengaturan notifikasi tersimpan."))
        return redirect("notifications:preferences")
    masked = ""
    if current.chat_url:
        scheme = current.chat_url.split("://", 1)[0]
        masked = f"{scheme}://…"
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "masked_url": masked, "has_email": bool(request.user.email)},
        status=400 if form.errors else 200,
    )
