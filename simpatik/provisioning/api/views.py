from django.http import HttpResponse
from rest_framework.response import Response
from rest_framework.views import APIView

from simpatik.core.errors import PermissionDenied
from simpatik.provisioning.dns.zonefile import zone_text
from simpatik.provisioning.views import _visible_subdomains


def repository_dict(project) -> dict | None:
    repository = getattr(project, "repository", None)
    if repository is None:
        return None
    return {
        "provider": repository.provider,
        "clone_url": repository.clone_url,
        "status": repository.status,
        "name": repository.name,
        "error": repository.error or None,
    }


class SubdomainList(APIView):
    def get(self, request):
        return Response(
            [
                {
                    "id": s.pk,
                    "name": s.name,
                    "fqdn": s.fqdn,
                    "record_type": s.record_type,
                    "content": s.content,
                    "status": s.status,
                    "application": s.application_id,
                    "project": s.project_id,
                }
                for s in _visible_subdomains(request.user).order_by("name")
            ]
        )


class ZoneFile(APIView):
    def get(self, request):
        if not request.user.is_oversight():
            raise PermissionDenied("Tidak berwenang.")
        return HttpResponse(zone_text(), content_type="text/plain; charset=utf-8")
