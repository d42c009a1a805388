from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from simpatik.accounts.permissions import can
from simpatik.core.errors import PermissionDenied
from simpatik.oversight.params import filters_from
from simpatik.oversight.stats import compute

_PARAMS = [
    OpenApiParameter(
        "dari", OpenApiTypes.DATE, description="awal periode (default: awal bulan ini)"
    ),
    OpenApiParameter("sampai", OpenApiTypes.DATE, description="akhir periode (default: hari ini)"),
    OpenApiParameter("opd", OpenApiTypes.INT, description="id OPD"),
    OpenApiParameter("versi", OpenApiTypes.INT, description="id versi SOP"),
    OpenApiParameter("sop", OpenApiTypes.STR, description="kode SOP (default: semua SOP)"),
    OpenApiParameter("langkah", OpenApiTypes.INT, description="nomor langkah"),
    OpenApiParameter("orang", OpenApiTypes.INT, description="id pengguna"),
]

_STEP_FIELDS = {
    "number": serializers.IntegerField(),
    "uraian": serializers.CharField(),
    "role": serializers.CharField(),
    "waktu": serializers.IntegerField(allow_null=True),
    "completed": serializers.IntegerField(),
    "median": serializers.FloatField(allow_null=True),
    "p90": serializers.FloatField(allow_null=True),
    "on_time_share": serializers.FloatField(allow_null=True),
    "over_standard": serializers.BooleanField(),
    "bottleneck": serializers.BooleanField(),
}

_STATS = inline_serializer(
    "Stats",
    {
        "period": inline_serializer(
            "StatsPeriod", {"start": serializers.DateField(), "end": serializers.DateField()}
        ),
        # The SOP whose steps `steps` and `loops` describe (the `sop` filter, else the seed SOP).
        "sop": serializers.CharField(),
        "projects": inline_serializer(
            "StatsProjects",
            {
                "started": serializers.IntegerField(),
                "finished": serializers.IntegerField(),
                "running": serializers.IntegerField(),
                "suspended": serializers.IntegerField(),
                "suspended_in_period": serializers.IntegerField(),
                "lead_time_median": serializers.FloatField(allow_null=True),
                "lead_time_p90": serializers.FloatField(allow_null=True),
            },
        ),
        "steps": inline_serializer("StatsStep", _STEP_FIELDS, many=True),
        "loops": serializers.ListField(child=serializers.DictField()),
        "overdue": serializers.ListField(child=serializers.DictField()),
        "overdue_total": serializers.IntegerField(),
        "workload": serializers.ListField(child=serializers.DictField()),
        "requests": serializers.ListField(child=serializers.DictField()),
    },
)


class Stats(APIView):
    """The oversight dashboard's figures for a period (working days; shares between 0 and 1)."""

    @extend_schema(parameters=_PARAMS, responses=_STATS)
    def get(self, request):
        if not can(request.user, "lihat_dasbor"):
            raise PermissionDenied(_("Dasbor pengawasan hanya untuk Kadis, Kabid dan Kasie."))
        return Response(compute(filters_from(request.query_params)))
