"""Delegations (Plh/Plt): each person's own page, and the administrators' page for all of them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.accounts import services
from simpatik.accounts.forms import DelegationForm
from simpatik.accounts.models import Delegation
from simpatik.accounts.permissions import can, require
from simpatik.core.errors import ValidationError
from simpatik.core.views import domain_errors

SHOWN = 200


@login_required
@domain_errors
def delegations(request):
    """Delegations given, received or made by the user; a Plh form for officials."""
    user = request.user
    may_delegate = can(user, "delegasikan_peran", user)
    form = DelegationForm(request.POST or None, official=user) if may_delegate else None
    if request.method == "POST":
        require(user, "delegasikan_peran", user)
        response = _create(request, form, "delegations")
        if response is not None:
            return response
    rows = Delegation.objects.filter(Q(from_user=user) | Q(to_user=user) | Q(created_by=user))
    context = {"form": form, "rows": _listed(user, rows), "administrator": False}
    return render(request, "accounts/delegations.html", context, status=_status(request))


@login_required
@domain_errors
def all_delegations(request):
    """Administrators: every delegation, and a Plt (or a Plh for an official who cannot)."""
    require(request.user, "administrasi")
    form = DelegationForm(request.POST or None)
    if request.method == "POST":
        response = _create(request, form, "delegations_all")
        if response is not None:
            return response
    context = {
        "form": form,
        "rows": _listed(request.user, Delegation.objects.visible_to(request.user)),
        "administrator": True,
    }
    return render(request, "accounts/delegations.html", context, status=_status(request))


@login_required
@require_POST
@domain_errors
def end_delegation(request, pk):
    found = Delegation.objects.visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    services.end_delegation(found, actor=request.user, via="web")
    messages.success(
        request,
        _("Delegasi %(title)s kepada %(name)s diakhiri.")
        % {"title": found.title, "name": found.to_user.display_name},
    )
    back = "delegations_all" if request.POST.get("from") == "semua" else "delegations"
    return redirect(back)


def _create(request, form, back: str):
    if not form.is_valid():
        return None
    try:
        made = services.delegate(actor=request.user, via="web", **form.service_arguments())
    except ValidationError as error:
        form.add_error(None, error.message)
        return None
    messages.success(
        request,
        _("%(name)s ditunjuk sebagai %(title)s dari %(start)s sampai %(end)s.")
        % {
            "name": made.to_user.display_name,
            "title": made.title,
            "start": made.starts_on.strftime("%d-%m-%Y"),
            "end": made.ends_on.strftime("%d-%m-%Y"),
        },
    )
    return redirect(back)


def _status(request) -> int:
    return 400 if request.method == "POST" else 200


def _listed(user, rows):
    rows = rows.select_related("role", "from_user", "to_user", "created_by", "revoked_by")
    shown = list(rows.order_by("-starts_on", "-id")[:SHOWN])
    for row in shown:
        row.may_end = row.state() in {"akan_datang", "berjalan"} and can(
            user, "akhiri_delegasi", row
        )
    return shown
