"""Provisioning from the workflow: the repository (step 8), the subdomain and hosting (16 and 18).

Work with outside systems happens after the step's transaction commits, so a slow or failing
provider never blocks or undoes the step record; a failure is recorded and can be retried.
"""

import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import require, system_actor
from simpatik.audit.services import record
from simpatik.core.errors import Conflict, ValidationError
from simpatik.provisioning.dns import DnsError
from simpatik.provisioning.dns import get_provider as dns_provider
from simpatik.provisioning.dns.validation import check_content, check_label, check_record
from simpatik.provisioning.models import HostingRecord, Repository, Subdomain
from simpatik.provisioning.repos import ProvisioningError
from simpatik.provisioning.repos import get_provider as repo_provider


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
    """Inside the step's transaction: record the request; the provider is called after commit."""
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
    transaction.on_commit(lambda: provision_repository(repository, actor=system_actor(), via=via))
    return repository


def provision_repository(repository: Repository, *, actor, via: str = "") -> Repository:
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
        with transaction.atomic():
            Repository.objects.filter(pk=repository.pk).update(
                status=Repository.Status.GAGAL, error=str(exc), attempts=repository.attempts + 1
            )
            record(
                "repository.failed",
                actor=actor,
                project=repository.project,
                obj=repository,
                via=via,
                data={"provider": repository.provider, "error": str(exc)},
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


def retry_repository(repository: Repository, *, actor, via: str = "") -> Repository:
    _ensure_operator(actor)
    if repository.status == Repository.Status.SIAP:
        raise Conflict(_("Repositori sudah siap."), code="already_ready")
    return provision_repository(repository, actor=actor, via=via)


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


def publish_subdomain(subdomain: Subdomain, *, actor, via: str = "") -> Subdomain:
    """Put the record in DNS through the configured provider; a failure is recorded for a retry."""
    _ensure_operator(actor)
    subdomain.refresh_from_db()
    if subdomain.status == Subdomain.Status.DITARIK:
        raise Conflict(_("Subdomain ini sudah ditarik."), code="withdrawn")
    try:
        with transaction.atomic():
            Subdomain.objects.filter(pk=subdomain.pk).update(
                status=Subdomain.Status.TERBIT, error=""
            )
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
        with transaction.atomic():
            Subdomain.objects.filter(pk=subdomain.pk).update(
                status=Subdomain.Status.GAGAL, error=str(exc)
            )
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
    _ensure_operator(actor)
    if not confirm:
        raise ValidationError(
            _("Penarikan rekaman DNS harus dikonfirmasi."), code="confirmation_required"
        )
    subdomain.refresh_from_db()
    if subdomain.status == Subdomain.Status.DITARIK:
        raise Conflict(_("Subdomain ini sudah ditarik."), code="withdrawn")
    was_published = subdomain.status == Subdomain.Status.TERBIT
    try:
        with transaction.atomic():
            Subdomain.objects.filter(pk=subdomain.pk).update(status=Subdomain.Status.DITARIK)
            subdomain.status = Subdomain.Status.DITARIK
            if was_published:
                dns_provider().withdraw(subdomain)
            record(
                "dns.subdomain.withdrawn",
                actor=actor,
                project=subdomain.project,
                obj=subdomain,
                via=via,
                reason=reason,
                data={"fqdn": subdomain.fqdn},
            )
    except DnsError as exc:
        raise Conflict(
            _("Rekaman DNS tidak dapat ditarik: %(e)s") % {"e": exc}, code="dns_failed"
        ) from exc
    subdomain.refresh_from_db()
    return subdomain


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
