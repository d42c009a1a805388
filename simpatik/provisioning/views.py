"""Pages for provisioning: the repository panel, retries, the subdomain registry and the zone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.accounts.permissions import can
from simpatik.audit.models import AuditRecord
from simpatik.core.errors import NotFound, PermissionDenied, ValidationError
from simpatik.core.pages import paginate
from simpatik.core.views import domain_errors
from simpatik.jobs.models import Job
from simpatik.projects import queries
from simpatik.provisioning import services
from simpatik.provisioning.dns.zonefile import zone_text
from simpatik.provisioning.models import Repository, Subdomain
from simpatik.provisioning.repos import ProvisioningError, get_provider


def repository_state(repository: Repository, job: Job | None) -> str:
    """What people read: siap, gagal (given up; an operator may retry) or dibuat (a job is on it)."""
    if repository.status == Repository.Status.SIAP:
        return "siap"
    if repository.status == Repository.Status.GAGAL or (job and job.status == Job.Status.GAGAL):
        return "gagal"
    return "dibuat"


# The project page reads these with the project (projects.panels hints): most projects have
# no subdomain and no failed job, and a panel with nothing to show then costs no query. Written
# as SQL: the ORM spent more building and compiling three EXISTS than the queries they save.
def _exists(model, condition: str = "", params=()):
    from simpatik.projects.models import Project

    table, projects = model._meta.db_table, Project._meta.db_table
    return RawSQL(
        f"EXISTS (SELECT 1 FROM {table} WHERE {table}.project_id = {projects}.id{condition})",
        params,
        output_field=BooleanField(),
    )


def has_repository():
    return _exists(Repository)


def has_subdomains():
    return _exists(Subdomain)


def has_failed_jobs():
    names = services.GIVEN_UP_NAMES
    return _exists(
        Job,
        f" AND status = %s AND name IN ({', '.join(['%s'] * len(names))})",
        [Job.Status.GAGAL, *names],
    )


def repository_panel(project, detail, user):
    """The project page's repository panel: its state while a job makes it, then its commits."""
    if not getattr(project, "has_repository", True):
        return None
    repository = Repository.objects.filter(project=project).first()
    if repository is None:
        return None
    job = None
    if repository.status != Repository.Status.SIAP:
        job = services.repository_job(repository)
    state = repository_state(repository, job)
    commits, activity = [], []
    if state == "siap":
        try:
            commits = get_provider(repository.provider).recent_commits(repository.name, limit=10)
        except ProvisioningError:
            commits = []
    if detail and "repository" in detail.get("evidence", []) and detail.get("opened_at"):
        activity = [c for c in commits if c.when >= detail["opened_at"]]
    # Retry: after the job gave up, while it waits out a backoff, or when no job exists (a
    # repository requested before provisioning ran as jobs).
    stuck = job is None or (job.status == Job.Status.MENUNGGU and job.attempts)
    return {
        "repository": repository,
        "job": job,
        "state": state,
        "commits": commits,
        "activity": activity,
        "evidence": bool(detail and "repository" in detail.get("evidence", [])),
        "can_retry": state != "siap"
        and (state == "gagal" or stuck)
        and can(user, "kelola_penyediaan"),
    }


def failures_panel(project, detail, user):
    """The project page: provisioning that gave up, its last error and who was told."""
    if not getattr(project, "has_failed_jobs", True):
        return None
    failed = services.given_up(project)
    return {"jobs": failed} if failed else None


def _with_dns_state(subdomains):
    """Each subdomain with its state as people read it and the job behind that state."""
    subdomains = list(subdomains)
    found = services.dns_jobs(subdomains)
    for subdomain in subdomains:
        job = found.get(subdomain.pk)
        subdomain.dns_job = job
        subdomain.dns_state = dns_state(subdomain, job)
    return subdomains


def dns_state(subdomain: Subdomain, job: Job | None) -> str:
    status = Subdomain.Status
    if subdomain.status == status.TERBIT:
        return "terbit"
    if subdomain.status == status.DITARIK:
        if job is None or job.status == Job.Status.BERHASIL:
            return "ditarik"
        return "penghapusan-gagal" if job.status == Job.Status.GAGAL else "penghapusan"
    if subdomain.status == status.GAGAL or (job and job.status == Job.Status.GAGAL):
        return "gagal"
    return "diminta" if job is None else "penerbitan"


def subdomain_panel(project, detail, user):
    """The project page: the project's subdomains, published, on their way, or failed."""
    if not getattr(project, "has_subdomains", True):
        return None
    subdomains = (
        Subdomain.objects.visible_to(user).filter(project=project).order_by("-created_at", "-id")
    )
    if not subdomains.exists():
        return None
    return {"subdomains": _with_dns_state(subdomains), "project": project}


@login_required
@require_POST
@domain_errors
def repository_retry(request, pk):
    project = queries.project_for(request.user, pk)
    repository = Repository.objects.filter(project=project).first()
    if repository is None:
        raise NotFound(_("Proyek ini belum punya repositori."))
    services.retry_repository(repository, actor=request.user, via="web")
    messages.success(
        request, _("Pembuatan repositori dijadwalkan ulang; hasilnya tampil di halaman ini.")
    )
    return redirect("projects:project", pk=project.pk)


@login_required
def registry(request):
    subdomains = (
        Subdomain.objects.visible_to(request.user)
        .select_related("application__opd", "project__opd")
        .order_by("name", "-created_at", "-id")
    )
    page = paginate(request, subdomains)
    page.object_list = _with_dns_state(list(page.object_list))  # this page's rows only
    return render(
        request,
        "provisioning/registry.html",
        {
            "page": page,
            "can_manage": can(request.user, "kelola_penyediaan"),
            "can_read_zone": can(request.user, "lihat_semua_proyek"),
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
            if services.subdomain_job(subdomain, services.REMOVE_RECORD):
                done = _("%(fqdn)s ditarik; rekamannya dihapus dari DNS oleh pekerjaan latar.")
            else:  # it never reached DNS
                done = _("Subdomain %(fqdn)s ditarik.")
            messages.success(request, done % {"fqdn": subdomain.fqdn})
            return redirect("provisioning:subdomain", pk=subdomain.pk)
        except ValidationError as exc:
            error = exc.message
    history = AuditRecord.objects.filter(
        object_type="provisioning.subdomain", object_id=str(subdomain.pk)
    )
    stopped = bool(subdomain.application and subdomain.application.status == "dihentikan")
    (subdomain,) = _with_dns_state([subdomain])
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
@require_POST
@domain_errors
def subdomain_retry(request, pk):
    """An operator runs the publication or the removal again (the worker answers)."""
    subdomain = Subdomain.objects.visible_to(request.user).filter(pk=pk).first()
    if subdomain is None:
        raise NotFound(_("Subdomain tidak ditemukan."))
    services.retry_subdomain(subdomain, actor=request.user, via="web")
    messages.success(request, _("Pekerjaan DNS dijadwalkan ulang; hasilnya tampil di halaman ini."))
    return redirect("provisioning:subdomain", pk=subdomain.pk)


@login_required
@domain_errors
def zonefile(request):
    if not can(request.user, "lihat_semua_proyek"):
        raise PermissionDenied(_("Berkas zona hanya untuk staf Diskominfo."), code="forbidden")
    response = HttpResponse(zone_text(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="zona.txt"'
    return response
