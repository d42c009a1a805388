"""The provisioning jobs: they call the forge and the DNS server as SIMPATIK's system actor.

Each is safe to run twice (a killed worker's job runs again): a ready repository, a published or
withdrawn subdomain, a record already removed are left as they are. A failure raises, so the job
runner tries again after a growing wait; on its last attempt the failure is final and recorded.
"""

from datetime import timedelta

from django.utils.translation import gettext as _

from simpatik.accounts.permissions import system_actor
from simpatik.jobs import services as jobs
from simpatik.jobs.registry import job
from simpatik.notifications.workflow import provisioning_failed
from simpatik.provisioning import services
from simpatik.provisioning.dns import DnsError
from simpatik.provisioning.models import Repository, Subdomain
from simpatik.provisioning.repos import ProvisioningError

VIA = "worker"


def _repository_failed(job) -> None:
    name = Repository.objects.filter(pk=job.kwargs["repository_id"]).values_list("name", flat=True)
    what = _("Pembuatan repositori %(name)s") % {"name": name.first() or "—"}
    provisioning_failed(job, what=what)


def _subdomain_failed(job) -> None:
    subdomain = Subdomain.objects.filter(pk=job.kwargs["subdomain_id"]).first()
    fqdn = subdomain.fqdn if subdomain is not None else "—"
    if job.name == services.REMOVE_RECORD:
        what = _("Penghapusan subdomain %(fqdn)s dari DNS") % {"fqdn": fqdn}
    else:
        what = _("Penerbitan subdomain %(fqdn)s di DNS") % {"fqdn": fqdn}
    provisioning_failed(job, what=what)


@job(
    services.CREATE_REPOSITORY,
    title="Membuat repositori kode sumber",
    max_attempts=8,
    on_failure=_repository_failed,
)
def create_repository(repository_id: int) -> str:
    repository = Repository.objects.get(pk=repository_id)
    repository = services.provision_repository(
        repository, actor=system_actor(), via=VIA, final=jobs.last_attempt()
    )
    if repository.status != Repository.Status.SIAP:
        raise ProvisioningError(repository.error)
    return repository.clone_url


@job(
    services.PUBLISH_SUBDOMAIN,
    title="Menerbitkan subdomain di DNS",
    max_attempts=8,
    on_failure=_subdomain_failed,
)
def publish_subdomain(subdomain_id: int) -> str:
    subdomain = Subdomain.objects.get(pk=subdomain_id)
    if subdomain.status in (Subdomain.Status.TERBIT, Subdomain.Status.DITARIK):
        return subdomain.status  # done before, or withdrawn before it reached DNS
    subdomain = services.publish_subdomain(
        subdomain, actor=system_actor(), via=VIA, final=jobs.last_attempt()
    )
    if subdomain.status != Subdomain.Status.TERBIT:
        raise DnsError(subdomain.error)
    return subdomain.fqdn


# A withdrawn name must leave DNS: after the first hour the wait stays at an hour (the runner's
# longest), so 72 attempts keep trying for about three days before an operator is needed.
@job(
    services.REMOVE_RECORD,
    title="Menghapus rekaman DNS yang ditarik",
    max_attempts=72,
    max_runtime=timedelta(minutes=5),
    on_failure=_subdomain_failed,
)
def remove_record(subdomain_id: int) -> str:
    subdomain = Subdomain.objects.get(pk=subdomain_id)
    services.remove_record(subdomain, actor=system_actor(), via=VIA)
    return subdomain.fqdn
