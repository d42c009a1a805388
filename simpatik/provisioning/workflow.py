"""Hooks the SOP definition names: step 8 asks for a repository, 16 for a subdomain, 18 publishes.

The field keys read here (subdomain, tipe_rekaman, isi_rekaman, server_hosting,
sumber_daya_hosting) are the SOP definition's.
"""

from django.db import transaction

from simpatik.provisioning import services
from simpatik.provisioning.models import Subdomain


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
    """Step 18: the approved application's subdomain goes to DNS after the approval commits."""
    from simpatik.inventory.models import Application

    application = Application.objects.filter(project=project).first()
    values = _values(project, run)
    for subdomain in Subdomain.objects.filter(project=project, status=Subdomain.Status.REQUESTED):
        if application is not None:
            Subdomain.objects.filter(pk=subdomain.pk).update(application=application)
        transaction.on_commit(
            lambda s=subdomain: services.publish_subdomain(s, actor=actor, via=via)
        )
    if application is not None:
        services.record_hosting(
            application,
            actor=actor,
            project=project,
            via=via,
            server=values.get("server_hosting", ""),
            resources=values.get("sumber_daya_hosting", ""),
        )
