"""Hooks the SOP definition names: step 8 asks for a repository, 16 for a subdomain, 18 publishes.

The field keys read here (subdomain, tipe_rekaman, isi_rekaman, server_hosting,
sumber_daya_hosting) are the SOP definition's.
"""

from simpatik.provisioning import services
from simpatik.provisioning.models import Repository, Subdomain
from simpatik.provisioning.repos import ProvisioningError
from simpatik.provisioning.repos import get_provider as repo_provider


def _values(project, run):
    from simpatik.projects.services.rules import earlier_values

    return {**earlier_values(project), **(run.values or {})}


def request_repository(project, run, actor, via):
    services.request_repository(project, actor=actor, via=via)


def request_subdomain(project, run, actor, via):
    values = _values(project, run)
    if values.get("subdomain"):
        services.request_subdomain(
            project,
            actor=actor,
            name=values["subdomain"],
            record_type=values.get("tipe_rekaman") or "A",
            content=values.get("isi_rekaman", ""),
            via=via,
        )


def publish_approved(project, run, actor, via):
    """Step 18: the approved application's subdomain goes to DNS by a job the approval records."""
    from simpatik.inventory.models import Application

    application = Application.objects.filter(project=project).first()
    values = _values(project, run)
    for subdomain in Subdomain.objects.filter(project=project, status=Subdomain.Status.DIMINTA):
        if application is not None:
            Subdomain.objects.filter(pk=subdomain.pk).update(application=application)
        services.enqueue_publication(subdomain, actor=actor)
    if application is not None:
        services.record_hosting(
            application,
            actor=actor,
            project=project,
            via=via,
            server=values.get("server_hosting", ""),
            resources=values.get("sumber_daya_hosting", ""),
        )


def check_release(value, project=None) -> None:
    """`validate: git.ref`: the release named at step 12 exists in the project's repository."""
    ref = str(value or "").strip()
    repository = Repository.objects.filter(project=project).first() if project else None
    if repository is None or repository.status != Repository.Status.SIAP:
        raise ValueError("repositori proyek belum tersedia, sehingga rilis belum dapat diperiksa")
    if len(ref) > 200 or any(ch.isspace() or not ch.isprintable() for ch in ref):
        raise ValueError("tulis satu nama tag atau nomor commit, tanpa spasi")
    try:
        found = repo_provider(repository.provider).has_ref(repository, ref)
    except ProvisioningError as exc:
        raise ValueError(f"repositori tidak dapat diperiksa ({exc})") from exc
    if not found:
        raise ValueError(
            f"tag atau commit '{ref}' tidak ada di repositori {repository.name}; "
            "push dulu tag rilisnya (git push origin TAG)"
        )
