"""Provisioning from the workflow: the repository (step 8), the subdomain and hosting (16 and 18).

Work with outside systems (the forge, the DNS server) runs as background jobs, never in the
request: the step's transaction records the request together with its job, so neither a slow
provider nor a worker crash can lose it, and a worker calls the provider as SIMPATIK's system
actor. A failed call is retried with a growing wait; its state and last error are shown on the
project page and the subdomain page, and an operator can retry it there. Withdrawing a subdomain
marks it withdrawn at once; removing the record from DNS is a job retried until it succeeds.
Commands (`simpatik repo provision`, `simpatik dns publish`) still call the provider directly:
an operator at the console wants the answer now.
"""

import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import require
from simpatik.audit.services import record
from simpatik.core.errors import Conflict, ValidationError
from simpatik.jobs import registry
from simpatik.jobs import services as jobs
from simpatik.jobs.models import Job
from simpatik.provisioning.dns import DnsError
from simpatik.provisioning.dns import get_provider as dns_provider
from simpatik.provisioning.dns.validation import check_content, check_label, check_record
from simpatik.provisioning.models import HostingRecord, Repository, Subdomain
from simpatik.provisioning.repos import ProvisioningError
from simpatik.provisioning.repos import get_provider as repo_provider

# The jobs (simpatik.provisioning.jobs) that talk to the forge and the DNS server.
CREATE_REPOSITORY = "provisioning.create_repository"
PUBLISH_SUBDOMAIN = "provisioning.publish_subdomain"
REMOVE_RECORD = "provisioning.remove_record"


def _ensure_operator(actor):
    """Provisioning is done by holders of `kelola_penyediaan`: operators, the named user a command
    runs as, or SIMPATIK's system actor acting for a step. `via` is only recorded."""
    require(
        actor, "kelola_penyediaan", message=_("Anda tidak berwenang mengelola penyediaan layanan.")
    )


def repository_name(project) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", project.nama.lower()).strip("-")[:60] or "aplikasi"
    return f"{project.kode.lower()}-{slug}"


def request_repository(project, *, actor, via: str = "") -> Repository:
    """Inside the step's transaction: record the request and the job that calls the provider."""
    repository, created = Repository.objects.get_or_create(
        project=project,
        defaults={"provider": settings.SIMPATIK_REPO_PROVIDER, "name": repository_name(project)},
    )
    if created:
        record(
            "repository.requested",
            actor=actor,
            project=project,
            obj=repository,
            via=via,
            data={"provider": repository.provider, "name": repository.name},
        )
    if repository.status != Repository.Status.SIAP:
        jobs.enqueue(
            CREATE_REPOSITORY,
            kwargs={"repository_id": repository.pk},
            key=f"repositori:{repository.pk}",
            project=project,
            actor=actor,
        )
    return repository


# The jobs whose giving up the project page shows (failures_panel).
GIVEN_UP_NAMES = (CREATE_REPOSITORY, PUBLISH_SUBDOMAIN, REMOVE_RECORD)


def given_up_jobs():
    """Provisioning jobs that gave up (of every project)."""
    return Job.objects.filter(status=Job.Status.GAGAL, name__in=GIVEN_UP_NAMES)


def given_up(project) -> list[Job]:
    """The project's provisioning jobs that gave up and were not run again, newest first, each
    with its title and the names of the people told (`told`)."""
    from simpatik.notifications.workflow import told_of_failures

    found = list(given_up_jobs().filter(project=project).order_by("-finished_at", "-id"))
    told = told_of_failures(found)
    for job in found:
        job.told, job.title = told[job.pk], registry.get(job.name).title
    return found


def repository_job(repository: Repository) -> Job | None:
    """The latest job that makes this repository (its state is what people see while it runs)."""
    return (
        Job.objects.filter(
            project_id=repository.project_id,
            name=CREATE_REPOSITORY,
            kwargs__repository_id=repository.pk,
        )
        .order_by("-created_at", "-id")
        .first()
    )


def provision_repository(
    repository: Repository, *, actor, via: str = "", final: bool = True
) -> Repository:
    """Call the provider. A failure is kept on the repository; unless `final` (a job with
    attempts left) it stays 'menunggu', and only the last failure is written to the history."""
    _ensure_operator(actor)
    repository.refresh_from_db()
    if repository.status == Repository.Status.SIAP:
        return repository
    members = [m.user for m in repository.project.members.filter(aktif=True).select_related("user")]
    try:
        created = repo_provider(repository.provider).create(
            name=repository.name,
            description=f"{repository.project.kode} {repository.project.nama}",
            members=members,
        )
    except ProvisioningError as exc:
        status = Repository.Status.GAGAL if final else Repository.Status.MENUNGGU
        with transaction.atomic():
            # A run that succeeded meanwhile (a command beside the job) is never undone.
            Repository.objects.filter(pk=repository.pk).exclude(
                status=Repository.Status.SIAP
            ).update(status=status, error=str(exc), attempts=repository.attempts + 1)
            if final:
                record(
                    "repository.failed",
                    actor=actor,
                    project=repository.project,
                    obj=repository,
                    via=via,
                    data={
                        "provider": repository.provider,
                        "error": str(exc),
                        "attempts": repository.attempts + 1,
                    },
                )
        repository.refresh_from_db()
        return repository
    with transaction.atomic():
        Repository.objects.filter(pk=repository.pk).update(
            status=Repository.Status.SIAP,
            clone_url=created.clone_url,
            web_url=created.web_url,
            error="",
            attempts=repository.attempts + 1,
        )
        record(
            "repository.provisioned",
            actor=actor,
            project=repository.project,
            obj=repository,
            via=via,
            data={
                "provider": repository.provider,
                "clone_url": created.clone_url,
                "members": [m.username for m in members],
            },
        )
        from simpatik.inventory.workflow import record_repository

        record_repository(repository.project, created.web_url or created.clone_url, actor)
    repository.refresh_from_db()
    return repository


def _again(job: Job | None, *, name: str, kwargs: dict, project, actor, via: str) -> Job:
    """Run a provider job again now: a failed one with fresh attempts, a waiting one without
    waiting out its backoff, or a new one where there is none. Inside the caller's transaction."""
    if job is not None and job.status == Job.Status.BERJALAN:
        raise Conflict(_("Pekerjaan ini sedang berjalan; tunggu hasilnya."), code="job_running")
    if job is not None and job.status == Job.Status.GAGAL:
        return jobs.retry(job, actor=actor, via=via)
    if job is not None and job.status == Job.Status.MENUNGGU:
        jobs.bring_forward(job)
        return job
    return jobs.enqueue(name, kwargs=kwargs, project=project, actor=actor)


def retry_repository(repository: Repository, *, actor, via: str = "") -> Repository:
    """An operator asks again: the job runs now (the worker answers; the page shows its state)."""
    _ensure_operator(actor)
    with transaction.atomic():
        repository = Repository.objects.select_for_update().get(pk=repository.pk)
        if repository.status == Repository.Status.SIAP:
            raise Conflict(_("Repositori sudah siap."), code="already_ready")
        job = repository_job(repository)
        if job is None or job.status == Job.Status.BERHASIL:
            record(
                "repository.requested",
                actor=actor,
                project=repository.project,
                obj=repository,
                via=via,
                data={"provider": repository.provider, "name": repository.name},
            )
        _again(
            job,
            name=CREATE_REPOSITORY,
            kwargs={"repository_id": repository.pk},
            project=repository.project,
            actor=actor,
            via=via,
        )
        Repository.objects.filter(pk=repository.pk).update(status=Repository.Status.MENUNGGU)
    repository.refresh_from_db()
    return repository


def request_subdomain(
    project, *, actor, name: str, record_type: str, content: str, via: str = ""
) -> Subdomain:
    """Step 16: reserve the name with its record; it reaches DNS when step 18 approves."""
    name = (name or "").strip().lower()
    content = (content or "").strip().lower()
    try:
        check_label(name, project)
        check_content(content)
    except ValueError as exc:
        raise ValidationError(
            _("Subdomain ditolak: %(e)s.") % {"e": exc}, code="subdomain_invalid"
        ) from exc
    problem = check_record(record_type, content)
    if problem:
        raise ValidationError(
            _("Rekaman DNS ditolak: %(e)s.") % {"e": problem}, code="record_invalid"
        )
    zone = settings.SIMPATIK_DNS_ZONE
    with transaction.atomic():
        Subdomain.objects.filter(project=project, status=Subdomain.Status.DIMINTA).exclude(
            name=name
        ).update(status=Subdomain.Status.DITARIK)
        subdomain, _created = Subdomain.objects.update_or_create(
            zone=zone,
            name=name,
            project=project,
            status=Subdomain.Status.DIMINTA,
            defaults={"record_type": record_type, "content": content},
        )
        record(
            "dns.subdomain.requested",
            actor=actor,
            project=project,
            obj=subdomain,
            via=via,
            data={"fqdn": subdomain.fqdn, "type": record_type, "content": content},
        )
    return subdomain


def subdomain_job(subdomain: Subdomain, name: str) -> Job | None:
    """The latest job of `name` (publish or remove) for this subdomain."""
    return (
        Job.objects.filter(
            project_id=subdomain.project_id, name=name, kwargs__subdomain_id=subdomain.pk
        )
        .order_by("-created_at", "-id")
        .first()
    )


def dns_jobs(subdomains) -> dict[int, Job]:
    """For each subdomain, the latest job that matters to its state now: the publication while
    it is not yet in DNS, the removal once it is withdrawn. One query for a whole list."""
    subdomains = list(subdomains)
    wanted = {
        s.pk: REMOVE_RECORD if s.status == Subdomain.Status.DITARIK else PUBLISH_SUBDOMAIN
        for s in subdomains
        if s.status != Subdomain.Status.TERBIT
    }
    if not wanted:
        return {}
    found: dict[int, Job] = {}
    candidates = Job.objects.filter(
        name__in=[PUBLISH_SUBDOMAIN, REMOVE_RECORD], kwargs__subdomain_id__in=list(wanted)
    ).order_by("created_at", "id")
    for job in candidates:
        pk = job.kwargs.get("subdomain_id")
        if wanted.get(pk) == job.name:
            found[pk] = job  # ordered oldest first: the latest one stays
    return found


def enqueue_publication(subdomain: Subdomain, *, actor) -> Job:
    """Inside the approval's transaction: the job that puts the record in DNS."""
    return jobs.enqueue(
        PUBLISH_SUBDOMAIN,
        kwargs={"subdomain_id": subdomain.pk},
        key=f"dns-terbit:{subdomain.pk}",
        project=subdomain.project,
        actor=actor,
    )


def publish_subdomain(
    subdomain: Subdomain, *, actor, via: str = "", final: bool = True
) -> Subdomain:
    """Put the record in DNS through the configured provider. A failure is kept on the subdomain:
    'gagal' when `final`, still 'diminta' while a job has attempts left (history: the last one)."""
    _ensure_operator(actor)
    subdomain.refresh_from_db()
    if subdomain.status == Subdomain.Status.DITARIK:
        raise Conflict(_("Subdomain ini sudah ditarik."), code="withdrawn")
    try:
        with transaction.atomic():
            # Conditional: a withdrawal that committed since the read above wins.
            if (
                not Subdomain.objects.filter(pk=subdomain.pk)
                .exclude(status=Subdomain.Status.DITARIK)
                .update(status=Subdomain.Status.TERBIT, error="")
            ):
                raise Conflict(_("Subdomain ini sudah ditarik."), code="withdrawn")
            subdomain.status = Subdomain.Status.TERBIT
            dns_provider().publish(subdomain)
            record(
                "dns.subdomain.published",
                actor=actor,
                project=subdomain.project,
                obj=subdomain,
                via=via,
                data={
                    "fqdn": subdomain.fqdn,
                    "type": subdomain.record_type,
                    "content": subdomain.content,
                    "provider": settings.SIMPATIK_DNS_PROVIDER,
                },
            )
    except DnsError as exc:
        status = Subdomain.Status.GAGAL if final else Subdomain.Status.DIMINTA
        with transaction.atomic():
            Subdomain.objects.filter(pk=subdomain.pk).exclude(
                status=Subdomain.Status.DITARIK
            ).update(status=status, error=str(exc))
            if final:
                record(
                    "dns.subdomain.failed",
                    actor=actor,
                    project=subdomain.project,
                    obj=subdomain,
                    via=via,
                    data={"fqdn": subdomain.fqdn, "error": str(exc)},
                )
    subdomain.refresh_from_db()
    return subdomain


def withdraw_subdomain(
    subdomain: Subdomain, *, actor, confirm: bool, reason: str = "", via: str = ""
) -> Subdomain:
    """Mark the subdomain withdrawn now (the name is free again) and leave removing its record
    from DNS to a job, retried until the provider confirms."""
    _ensure_operator(actor)
    if not confirm:
        raise ValidationError(
            _("Penarikan rekaman DNS harus dikonfirmasi."), code="confirmation_required"
        )
    with transaction.atomic():
        locked = Subdomain.objects.select_for_update().filter(pk=subdomain.pk).first()
        if locked is None or locked.status == Subdomain.Status.DITARIK:
            raise Conflict(_("Subdomain ini sudah ditarik."), code="withdrawn")
        # A failed publication may still have reached the server (an answer lost on the way).
        in_dns = locked.status in (Subdomain.Status.TERBIT, Subdomain.Status.GAGAL)
        Subdomain.objects.filter(pk=locked.pk).update(status=Subdomain.Status.DITARIK, error="")
        record(
            "dns.subdomain.withdrawn",
            actor=actor,
            project=locked.project,
            obj=locked,
            via=via,
            reason=reason,
            data={"fqdn": locked.fqdn},
        )
        if in_dns:
            jobs.enqueue(
                REMOVE_RECORD,
                kwargs={"subdomain_id": locked.pk},
                key=f"dns-tarik:{locked.pk}",
                project=locked.project,
                actor=actor,
            )
    subdomain.refresh_from_db()
    return subdomain


def remove_record(subdomain: Subdomain, *, actor, via: str = "") -> Subdomain:
    """Remove a withdrawn subdomain's record from DNS; a failure is kept on it and raised."""
    _ensure_operator(actor)
    subdomain.refresh_from_db()
    if subdomain.status != Subdomain.Status.DITARIK:
        raise Conflict(_("Subdomain ini belum ditarik."), code="not_withdrawn")
    # The name may be live again for someone else: their record replaced ours; keep it.
    taken = (
        Subdomain.objects.filter(zone=subdomain.zone, name=subdomain.name)
        .exclude(status=Subdomain.Status.DITARIK)
        .exists()
    )
    if not taken:
        try:
            dns_provider().withdraw(subdomain)
        except DnsError as exc:
            Subdomain.objects.filter(pk=subdomain.pk).update(error=str(exc))
            raise
    with transaction.atomic():
        Subdomain.objects.filter(pk=subdomain.pk).update(error="")
        record(
            "dns.subdomain.removed",
            actor=actor,
            project=subdomain.project,
            obj=subdomain,
            via=via,
            data={"fqdn": subdomain.fqdn, "provider": settings.SIMPATIK_DNS_PROVIDER},
        )
    subdomain.refresh_from_db()
    return subdomain


def retry_subdomain(subdomain: Subdomain, *, actor, via: str = "") -> Job:
    """An operator asks again: the publication (not yet in DNS) or the removal (withdrawn)."""
    _ensure_operator(actor)
    with transaction.atomic():
        subdomain = Subdomain.objects.select_for_update().get(pk=subdomain.pk)
        if subdomain.status == Subdomain.Status.TERBIT:
            raise Conflict(_("Subdomain ini sudah terbit."), code="already_published")
        name = REMOVE_RECORD if subdomain.status == Subdomain.Status.DITARIK else PUBLISH_SUBDOMAIN
        job = subdomain_job(subdomain, name)
        if job is None and name == PUBLISH_SUBDOMAIN and subdomain.status != Subdomain.Status.GAGAL:
            raise Conflict(
                _("Subdomain ini diterbitkan saat langkah persetujuan selesai."),
                code="not_approved",
            )
        if name == REMOVE_RECORD and (job is None or job.status == Job.Status.BERHASIL):
            raise Conflict(_("Rekaman ini sudah dihapus dari DNS."), code="already_removed")
        return _again(
            job,
            name=name,
            kwargs={"subdomain_id": subdomain.pk},
            project=subdomain.project,
            actor=actor,
            via=via,
        )


def record_hosting(
    application, *, actor, project=None, server: str, resources: str = "", via: str = ""
):
    if not (server or "").strip():
        return None
    hosting = HostingRecord.objects.create(
        application=application,
        project=project,
        server=server.strip()[:200],
        resources=(resources or "")[:300],
        date=timezone.localdate(),
        responsible=application.pj_nama or actor.display_name,
        created_by=actor,
    )
    record(
        "hosting.recorded",
        actor=actor,
        project=project,
        obj=hosting,
        via=via,
        data={
            "application": application.nama,
            "server": hosting.server,
            "resources": hosting.resources,
        },
    )
    return hosting
