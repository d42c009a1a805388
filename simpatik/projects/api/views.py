"""API views: thin wrappers around projects.services and projects.queries."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import NotFound, ValidationError
from simpatik.projects import queries, services
from simpatik.projects.api.serializers import (
    CompleteSerializer,
    NeedSerializer,
    ProjectCreateSerializer,
    ProjectSerializer,
)
from simpatik.projects.models import Need, Project


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ValidationError(
            _("Data yang dikirim tidak valid."), code="invalid", data={"errors": serializer.errors}
        )
    return serializer.validated_data


class NeedList(generics.ListCreateAPIView):
    serializer_class = NeedSerializer

    def get_queryset(self):
        return Need.objects.visible_to(self.request.user).select_related("opd", "project")

    def create(self, request, *args, **kwargs):
        data = _valid(NeedSerializer, request.data)
        need = services.submit_need(actor=request.user, via="api", **data)
        return Response(NeedSerializer(need).data, status=status.HTTP_201_CREATED)


class ProjectList(generics.ListCreateAPIView):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        queryset = Project.objects.visible_to(self.request.user).select_related(
            "opd", "sop_version"
        )
        return queries.filter_projects(queryset, self.request.query_params)

    @extend_schema(request=ProjectCreateSerializer, responses=ProjectSerializer)
    def create(self, request, *args, **kwargs):
        data = _valid(ProjectCreateSerializer, request.data)
        need = queries.need_for(request.user, data["need"]) if data.get("need") else None
        project = services.start_project(
            actor=request.user,
            nama=data.get("nama") or (need.judul if need else ""),
            opd=data.get("opd") or (need.opd if need else None),
            deskripsi=data.get("deskripsi", ""),
            need=need,
            rujukan=data.get("rujukan", ""),
            via="api",
        )
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)


class ProjectDetail(APIView):
    @extend_schema(responses=ProjectSerializer)
    def get(self, request, pk):
        return Response(ProjectSerializer(queries.project_for(request.user, pk)).data)


class StepDetail(APIView):
    def get(self, request, pk, number):
        project = queries.project_for(request.user, pk)
        return Response(
            queries.step_detail(project, queries.step_of(project, number), request.user)
        )


class StepDocuments(APIView):
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request, pk, number):
        project = queries.project_for(request.user, pk)
        run = queries.open_run_of(project, queries.step_of(project, number))
        document = services.upload_document(
            run,
            actor=request.user,
            key=request.data.get("key", ""),
            uploaded=request.FILES.get("file"),
            via="api",
        )
        return Response(queries.document_dict(document), status=status.HTTP_201_CREATED)


class StepComplete(APIView):
    parser_classes = [JSONParser]

    @extend_schema(request=CompleteSerializer)
    def post(self, request, pk, number):
        project = queries.project_for(request.user, pk)
        number = queries.step_of(project, number)
        data = _valid(CompleteSerializer, request.data)
        services.complete_step(
            queries.open_run_of(project, number),
            actor=request.user,
            fields=data.get("fields") or {},
            decision=data.get("decision"),
            reason=data.get("reason") or "",
            via="api",
            passphrase=data.get("passphrase") or None,
        )
        project.refresh_from_db()
        return Response(ProjectSerializer(project).data)


class StepClaim(APIView):
    def post(self, request, pk, number):
        project = queries.project_for(request.user, pk)
        run = queries.open_run_of(project, queries.step_of(project, number))
        services.claim_step(run, actor=request.user, via="api")
        return Response(queries.step_detail(project, run.step_number, request.user))


class StepReassign(APIView):
    def post(self, request, pk, number):
        project = queries.project_for(request.user, pk)
        run = queries.open_run_of(project, queries.step_of(project, number))
        target = get_user_model().objects.filter(username=request.data.get("username", "")).first()
        services.reassign_step(
            run,
            actor=request.user,
            to_user=target,
            reason=str(request.data.get("reason", "")),
            via="api",
        )
        return Response(queries.step_detail(project, run.step_number, request.user))


class ProjectResume(APIView):
    def post(self, request, pk):
        project = queries.project_for(request.user, pk)
        services.resume_project(
            project, actor=request.user, reason=str(request.data.get("reason", "")), via="api"
        )
        project.refresh_from_db()
        return Response(ProjectSerializer(project).data)


class ProjectHistory(APIView):
    def get(self, request, pk):
        project = queries.project_for(request.user, pk)
        records = AuditRecord.objects.filter(project=project).order_by("at", "id")
        return Response(
            [
                {
                    "at": r.at,
                    "actor": r.actor_label,
                    "action": r.action,
                    "step": r.step_number,
                    "data": r.data,
                    "reason": r.reason,
                    "request_id": r.request_id,
                    "via": r.via,
                }
                for r in records
            ]
        )


class TaskList(APIView):
    def get(self, request):
        return Response(
            [
                {
                    "project": run.project_id,
                    "project_kode": run.project.kode,
                    "project_nama": run.project.nama,
                    "step": run.step_number,
                    "round": run.round,
                    "role": run.role_key,
                    "uraian": run.step.uraian,
                    "due_date": run.due_date,
                    "remaining_working_days": queries.remaining_days(run),
                }
                for run in queries.tasks_for(request.user)
            ]
        )


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
def not_found(request, *args, **kwargs):
    raise NotFound(_("Alamat API tidak ditemukan."))
