from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.views import APIView

from simpatik.accounts.permissions import can
from simpatik.core.errors import PermissionDenied
from simpatik.core.pages import Pagination, paginated_response
from simpatik.provisioning.dns.zonefile import zone_text
from simpatik.provisioning.models import Subdomain


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
    pagination_class = Pagination

    @extend_schema(
        responses=inline_serializer(
            "Subdomain",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "fqdn": serializers.CharField(),
                "record_type": serializers.CharField(),
                "content": serializers.CharField(),
                "status": serializers.CharField(),
                "application": serializers.IntegerField(allow_null=True),
                "project": serializers.IntegerField(allow_null=True),
            },
            many=True,
        )
    )
    def get(self, request):
        return paginated_response(
            self,
            request,
            Subdomain.objects.visible_to(request.user).order_by("name", "id"),
            lambda s: {
                "id": s.pk,
                "name": s.name,
                "fqdn": s.fqdn,
                "record_type": s.record_type,
                "content": s.content,
                "status": s.status,
                "application": s.application_id,
                "project": s.project_id,
            },
        )


class ZoneFile(APIView):
    @extend_schema(responses={(200, "text/plain"): OpenApiTypes.STR})
    def get(self, request):
        if not can(request.user, "lihat_semua_proyek"):
            raise PermissionDenied("Tidak berwenang.")
        return HttpResponse(zone_text(), content_type="text/plain; charset=utf-8")
