"""Pages for provisioning: the repository panel, retries, the subdomain registry and the zone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.accounts.permissions import can
from simpatik.audit.models import AuditRecord
from simpatik.core.errors import NotFound, ValidationError
from simpatik.core.pages import paginate
from simpatik.core.views import domain_errors
from simpatik.projects import queries
from simpatik.provisioning import services
from simpatik.provisioning.dns.zonefile import zone_text
from simpatik.provisioning.models import Repository, Subdomain
from simpatik.provisioning.repos import ProvisioningError, get_provider


def repository_panel(project, detail, user):
    """The project page's repository panel; during an evidence step, the commits made since it opened."""
    repository = Repository.objects.filter(project=project).first()
    if repository is None:
        return None
    commits, activity = [], []
    if repository.status == Repository.Status.READY:
        try:
            commits = get_provider(repository.provider).recent_commits(repository.name, limit=10)
        except ProvisioningError:
            commits = []
    if detail and "repository" in detail.get("evidence", []) and detail.get("opened_at"):
        activity = [c for c in commits if c.when >= detail["opened_at"]]
    return {
        "repository": repository,
        "commits": commits,
        "activity": activity,
        "evidence": bool(detail and "repository" in detail.get("evidence", [])),
        "can_retry": can(user, "kelola_penyediaan"),
    }


@login_required
@require_POST
@domain_errors
def repository_retry(request, pk):
    project = queries.project_for(request.user, pk)
    repository = Repository.objects.filter(project=project).first()
    if repository is None:
        raise NotFound(_("Proyek ini belum punya repositori."))
    repository = services.retry_repository(repository, actor=request.user, via="web")
    if repository.status == Repository.Status.READY:
        messages.success(request, _("Repositori siap: %(url)s") % {"url": repository.clone_url})
    else:
        messages.error(request, _("Repositori masih gagal dibuat: %(e)s") % {"e": repository.error})
    return redirect("projects:project", pk=project.pk)


@login_required
def registry(request):
    subdomains = (
        Subdomain.objects.visible_to(request.user)
        .select_related("application__opd", "project__opd")
        .order_by("name", "-created_at", "-id")
    )
    return render(
        request,
        "provisioning/registry.html",
        {
            "page": paginate(request, subdomains),
            "can_manage": can(request.user, "kelola_penyediaan"),
        },
    )


@login_required
@domain_errors
def subdomain_detail(request, pk):
    subdomain = (
        Subdomain.objects.visible_to(request.user)
        .select_related("application__opd", "project")
        .filter(pk=pk)
        .first()
    )
    if subdomain is None:
        raise NotFound(_("Subdomain tidak ditemukan."))
    error = None
    if request.method == "POST":
        try:
            services.withdraw_subdomain(
                subdomain,
                actor=request.user,
                confirm=request.POST.get("confirm") == "ya",
                reason=request.POST.get("reason", ""),
                via="web",
            )
            messages.success(
                request, _("Rekaman %(fqdn)s ditarik dari DNS.") % {"fqdn": subdomain.fqdn}
            )
            return redirect("provisioning:registry")
        except ValidationError as exc:
            error = exc.message
    history = AuditRecord.objects.filter(
        object_type="provisioning.subdomain", object_id=str(subdomain.pk)
    )
    stopped = bool(subdomain.application and subdomain.application.status == "dihentikan")
    return render(
        request,
        "provisioning/subdomain.html",
        {
            "subdomain": subdomain,
            "history": history.order_by("-at"),
            "error": error,
            "stopped": stopped,
            "can_manage": can(request.user, "kelola_penyediaan"),
        },
        status=400 if error else 200,
    )


@login_required
def zonefile(request):
    if not can(request.user, "lihat_semua_proyek"):
        return HttpResponse(_("Tidak berwenang."), status=403)
    response = HttpResponse(zone_text(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="zona.txt"'
    return response
