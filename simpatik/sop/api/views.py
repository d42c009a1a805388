from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from simpatik.core.errors import NotFound
from simpatik.sop.models import SopVersion

SUMMARY = {
    "id": serializers.IntegerField(),
    "kode": serializers.CharField(),
    "version": serializers.IntegerField(),
    "judul": serializers.CharField(),
    "berlaku": serializers.BooleanField(),
    "loaded_at": serializers.DateTimeField(),
    "sha256": serializers.CharField(),
    "note": serializers.CharField(),
    "steps": serializers.IntegerField(),
}


def _summary(version: SopVersion) -> dict:
    return {
        "id": version.pk,
        "kode": version.kode,
        "version": version.version,
        "judul": version.judul,
        "berlaku": version.berlaku,
        "loaded_at": version.loaded_at,
        "sha256": version.sha256,
        "note": version.note,
        "steps": len(version.definition.steps),
    }


class SopVersionList(APIView):
    @extend_schema(responses=inline_serializer("SopVersion", SUMMARY, many=True))
    def get(self, request):
        return Response([_summary(version) for version in SopVersion.objects.all()])


class SopVersionDetail(APIView):
    @extend_schema(
        responses=inline_serializer(
            "SopVersionDetail", {**SUMMARY, "definition": serializers.JSONField()}
        )
    )
    def get(self, request, pk):
        version = SopVersion.objects.filter(pk=pk).first()
        if version is None:
            raise NotFound("Versi SOP tidak ditemukan.")
        return Response({**_summary(version), "definition": version.data})
