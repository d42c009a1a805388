from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from simpatik.core.errors import ValidationError
from simpatik.inventory import queries, services, spbe
from simpatik.inventory.api.serializers import ApplicationSerializer
from simpatik.inventory.models import Application
from simpatik.inventory.similarity import similar


def _valid(data, partial=False):
    serializer = ApplicationSerializer(data=data, partial=partial)
    if not serializer.is_valid():
        raise ValidationError(
            _("Data aplikasi tidak valid."), code="invalid", data={"errors": serializer.errors}
        )
    return serializer.validated_data


class ApplicationList(generics.ListCreateAPIView):
    serializer_class = ApplicationSerializer

    def get_queryset(self):
        return queries.filter_applications(
            Application.objects.visible_to(self.request.user), self.request.query_params
        )

    def create(self, request, *args, **kwargs):
        application = services.register_application(
            actor=request.user, data=_valid(request.data), via="api"
        )
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class ApplicationDetail(APIView):
    @extend_schema(responses=ApplicationSerializer)
    def get(self, request, pk):
        return Response(ApplicationSerializer(queries.application_for(request.user, pk)).data)

    @extend_schema(request=ApplicationSerializer, responses=ApplicationSerializer)
    def patch(self, request, pk):
        application = queries.application_for(request.user, pk)
        changes = _valid(request.data, partial=True)
        services.update_application(
            application,
            actor=request.user,
            changes=changes,
            via="api",
            reason=str(request.query_params.get("reason", "")),
        )
        application.refresh_from_db()
        return Response(ApplicationSerializer(application).data)


class ApplicationHistory(APIView):
    @extend_schema(
        responses=inline_serializer(
            "ApplicationHistoryEntry",
            {
                "at": serializers.DateTimeField(),
                "actor": serializers.CharField(),
                "action": serializers.CharField(),
                "data": serializers.JSONField(),
                "reason": serializers.CharField(),
            },
            many=True,
        )
    )
    def get(self, request, pk):
        application = queries.application_for(request.user, pk)
        return Response(
            [
                {
                    "at": r.at,
                    "actor": r.actor_label,
                    "action": r.action,
                    "data": r.data,
                    "reason": r.reason,
                }
                for r in queries.history(application)
            ]
        )


class ApplicationSimilar(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True),
            OpenApiParameter("limit", int, required=False),
        ],
        responses=inline_serializer(
            "SimilarApplication",
            {
                "id": serializers.IntegerField(),
                "nama": serializers.CharField(),
                "score": serializers.FloatField(),
                "matched": serializers.ListField(child=serializers.CharField()),
            },
            many=True,
        ),
    )
    def get(self, request):
        text = str(request.query_params.get("q", ""))[:500]
        if not text.strip():
            raise ValidationError(
                _("Parameter q (teks yang dicari) wajib diisi."), code="q_required"
            )
        try:
            limit = min(max(int(request.query_params.get("limit", 10)), 1), 50)
        except ValueError:
            limit = 10
        visible = set(Application.objects.visible_to(request.user).values_list("id", flat=True))
        return Response(
            [
                {"id": m.id, "nama": m.nama, "score": m.score, "matched": m.matched}
                for m in similar(text, limit=limit * 3)
                if m.id in visible
            ][:limit]
        )


class SpbeCatalogue(APIView):
    """The catalogue in the national SPBE template's column order, of what the caller may see."""

    @extend_schema(
        responses=inline_serializer(
            "SpbeCatalogue",
            {
                "kolom": inline_serializer(
                    "SpbeCatalogueColumn",
                    {"field": serializers.CharField(), "judul": serializers.CharField()},
                    many=True,
                ),
                "aplikasi": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request):
        return Response(spbe.as_json(Application.objects.visible_to(request.user)))
