"""Pekerjaan latar: what runs in the background, what failed and why; administrators retry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.accounts.permissions import can
from simpatik.core.errors import PermissionDenied
from simpatik.core.pages import paginate
from simpatik.core.views import domain_errors
from simpatik.jobs import registry, services
from simpatik.jobs.models import Job


def _ensure_admin(user):
    if not can(user, "administrasi"):
        raise PermissionDenied(_("Hanya administrator yang dapat melihat pekerjaan latar."))


@login_required
@domain_errors
def job_list(request):
    _ensure_admin(request.user)
    jobs = Job.objects.select_related("project", "created_by")
    status = request.GET.get("status", "")
    if status in Job.Status.values:
        jobs = jobs.filter(status=status)
    page = paginate(request, jobs)
    titles = {name: job_type.title for name, job_type in registry.all_types().items()}
    rows = [(job, titles.get(job.name, job.name)) for job in page]
    return render(
        request,
        "jobs/list.html",
        {"page": page, "rows": rows, "statuses": Job.Status.choices, "status": status},
    )


@login_required
@require_POST
@domain_errors
def job_retry(request, pk):
    _ensure_admin(request.user)
    job = get_object_or_404(Job, pk=pk)
    services.retry(job, actor=request.user, via="web")
    messages.success(request, _("Pekerjaan #%(id)d dijadwalkan ulang.") % {"id": job.pk})
    return redirect("jobs:list")
