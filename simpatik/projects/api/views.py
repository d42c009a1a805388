"""API views: thin wrappers around projects.services and projects.queries."""

import html

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from simpatik.accounts import delegation
from simpatik.audit import sentences
from simpatik.audit.models import AuditRecord
from simpatik.core.errors import NotFound, ValidationError
from simpatik.core.input_guard import is_number
from simpatik.core.pages import CountedPagination, Pagination, SubqueryCountedPagination
from simpatik.projects import list_rows, queries, services
from simpatik.projects.api.serializers import (
    CompleteSerializer,
    DraftResponseSerializer,
    DraftSerializer,
    NeedSerializer,
    ProjectCreateSerializer,
    ProjectSerializer,
)
from simpatik.projects.models import RUN_ROW_COLUMNS, Need, Project
from simpatik.sop.models import definitions_by_version, stored_versions

# A step describes itself (requirements, states, decisions, runs): one JSON object.
STEP = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Langkah: syarat, isian, keputusan, putaran."
)
REASON = inline_serializer("Reason", {"reason": serializers.CharField(required=False)})


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ValidationError(
            _("Data yang dikirim tidak valid."), code="invalid", data={"errors": serializer.errors}
        )
    return serializer.validated_data


def _need_files(request) -> dict:
    """Attachments sent as multipart parts named by their SOP key (e.g. `daftar_kebutuhan`)."""
    return {
        item.key: request.FILES.get(item.key)
        for item in services.needs.attachment_items()
        if item.key in request.FILES
    }


class NeedList(generics.ListCreateAPIView):
    serializer_class = NeedSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            Need.objects.visible_to(self.request.user)
            .select_related("opd", "project")
            .prefetch_related("attachments")
        )

    def create(self, request, *args, **kwargs):
        data = _valid(NeedSerializer, request.data)
        need = services.submit_need(
            actor=request.user, attachments=_need_files(request), via="api", **data
        )
        return Response(NeedSerializer(need).data, status=status.HTTP_201_CREATED)


class NeedDetail(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=NeedSerializer)
    def get(self, request, pk):
        return Response(NeedSerializer(queries.need_for(request.user, pk)).data)

    @extend_schema(request=NeedSerializer, responses=NeedSerializer)
    def patch(self, request, pk):
        """Change an usulan (and add attachments) until the Kadis takes it up."""
        need = queries.need_for(request.user, pk)
        serializer = NeedSerializer(need, data=request.data, partial=True)
        if not serializer.is_valid():
            raise ValidationError(
                _("Data yang dikirim tidak valid."),
                code="invalid",
                data={"errors": serializer.errors},
            )
        values = {k: v for k, v in serializer.validated_data.items() if k != "opd"}
        need = services.needs.update_need(
            need, actor=request.user, attachments=_need_files(request), via="api", **values
        )
        return Response(NeedSerializer(need).data)


class NeedWithdraw(APIView):
    @extend_schema(request=None, responses=NeedSerializer)
    def post(self, request, pk):
        need = queries.need_for(request.user, pk)
        need = services.needs.withdraw_need(
            need, actor=request.user, reason=str(request.data.get("reason", "")), via="api"
        )
        return Response(NeedSerializer(need).data)


# What a row of the tasks list reads: the run, its project's code and name; the columns the
# page does not print (values and drafts as JSON, the OPD, the assignee) are not read or built.
TASK_COLUMNS = (
    *RUN_ROW_COLUMNS,
    "project__kode",
    "project__nama",
    "project__status",
    "project__sop_version",
)

# A project row (ProjectSerializer.to_representation): the project and the few columns of its
# OPD, SOP version and repository it prints; its open runs with what `current` shows.
PROJECT_COLUMNS = (
    "kode",
    "nama",
    "deskripsi",
    "opd",
    "need",
    "sop_version",
    "status",
    "created_at",
    "finished_at",
    "opd__nama",
    "sop_version__kode",
    "sop_version__version",
    "repository__provider",
    "repository__clone_url",
    "repository__status",
    "repository__name",
    "repository__error",
)
OPEN_RUN_COLUMNS = ("project", *RUN_ROW_COLUMNS)


class ProjectList(generics.ListCreateAPIView):
    serializer_class = ProjectSerializer
    # Every project may be listed: the total is a COUNT subquery of the page's own query, or
    # (compiled: `list`) a narrow query of the list's conditions alone.
    pagination_class = SubqueryCountedPagination

    def get_queryset(self):
        queryset = (
            Project.objects.visible_to(self.request.user)
            .select_related("opd", "sop_version", "repository")
            .only(*PROJECT_COLUMNS)
        )
        return queries.with_open_runs(
            queries.filter_projects(queryset, self.request.query_params), columns=OPEN_RUN_COLUMNS
        )

    def list(self, request, *args, **kwargs):
        """The list's statements compiled once per process for everything they depend on (as the
        /proyek/ page's): the total counted from the list's conditions alone, the page read
        without it, the open runs of its projects in one statement. A text search or an unknown
        SOP code is built every time instead (no statement kept for what is seldom asked twice)."""
        params = _project_filters(request.query_params)
        if params is None:
            return super().list(request, *args, **kwargs)
        user = request.user

        def listed():
            return queries.filter_projects(Project.objects.visible_to(user), params)

        def page_rows():
            return (
                listed().select_related("opd", "sop_version", "repository").only(*PROJECT_COLUMNS)
            )

        key = (
            "api-projects",
            delegation.standing(user),
            stored_versions(),
            tuple(sorted(params.items())),
            timezone.localdate(),
        )
        page = self.paginator.paginate_compiled(request, page_rows, count=listed, key=key)
        list_rows.add_open_runs(page, list_rows.API_OPEN_RUN_FIELDS, list_rows.ApiOpenRun)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

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
            sop=data.get("sop") or None,
        )
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)


def _project_filters(query) -> dict | None:
    """The list's filters as `queries.filter_projects` reads them, each in one spelling (so that
    "07" and "7" are one compiled statement); None for a text search or an SOP code that is not
    stored."""
    if (query.get("q") or "").strip():
        return None
    params = {}
    if query.get("status") in Project.Status.values:
        params["status"] = query["status"]
    for name in ("opd", "step"):
        value = query.get(name)
        if value and is_number(str(value)):
            params[name] = int(value)
    sop = query.get("sop")
    if sop:
        if not _stored_sop(sop):
            return None
        params["sop"] = sop
    if str(query.get("overdue", "")).lower() in {"1", "true", "ya"}:
        params["overdue"] = "1"
    return params


def _stored_sop(code: str) -> bool:
    """Whether an SOP of this code is stored: a list filtered by any other lists nothing, and no
    compiled statement is kept for it."""
    return code in {definition.kode for definition in definitions_by_version().values()}


class ProjectDetail(APIView):
    @extend_schema(responses=ProjectSerializer)
    def get(self, request, pk):
        return Response(ProjectSerializer(queries.project_for(request.user, pk)).data)


class StepDetail(APIView):
    @extend_schema(responses=STEP)
    def get(self, request, pk, number):
        project = queries.project_for(request.user, pk)
        return Response(
            queries.step_detail(
                project,
                queries.step_of(project, number),
                request.user,
                opd_id=request.query_params.get("opd"),
            )
        )


class StepDocuments(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "DocumentUpload", {"key": serializers.CharField(), "file": serializers.FileField()}
            )
        },
        responses={
            201: inline_serializer(
                "Document",
                {
                    "id": serializers.IntegerField(),
                    "key": serializers.CharField(),
                    "version": serializers.IntegerField(),
                    "name": serializers.CharField(),
                    "sha256": serializers.CharField(),
                    "size": serializers.IntegerField(),
                    "uploaded_at": serializers.DateTimeField(),
                },
            )
        },
    )
    def post(self, request, pk, number):
        project = queries.project_for(request.user, pk)
        run = queries.open_part_run(
            project, queries.step_of(project, number), request.user, request.query_params.get("opd")
        )
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

    @extend_schema(request=CompleteSerializer, responses=ProjectSerializer)
    def post(self, request, pk, number):
        project = queries.project_for(request.user, pk)
        number = queries.step_of(project, number)
        data = _valid(CompleteSerializer, request.data)
        services.complete_step(
            queries.open_part_run(project, number, request.user, request.query_params.get("opd")),
            actor=request.user,
            fields=data.get("fields") or {},
            decision=data.get("decision"),
            reason=data.get("reason") or "",
            via="api",
            passphrase=data.get("passphrase") or None,
        )
        project.refresh_from_db()
        return Response(ProjectSerializer(project).data)


class StepDraft(APIView):
    """The draft of an open step: what its actor typed, kept as typed, invalid values flagged."""

    parser_classes = [JSONParser]

    def _run(self, request, pk, number):
        project = queries.project_for(request.user, pk)
        return queries.open_part_run(
            project, queries.step_of(project, number), request.user, request.query_params.get("opd")
        )

    @extend_schema(responses=DraftResponseSerializer)
    def get(self, request, pk, number):
        return Response(queries.draft_for(self._run(request, pk, number), request.user))

    @extend_schema(request=DraftSerializer, responses=DraftResponseSerializer)
    def put(self, request, pk, number):
        run = self._run(request, pk, number)
        data = _valid(DraftSerializer, request.data)
        run = services.engine.save_draft(
            run,
            actor=request.user,
            fields=data["fields"],
            replace=True,
            via="api",
            decision=data.get("decision"),
            reason=data.get("reason"),
        )
        return Response(queries.draft_for(run, request.user))


class StepClaim(APIView):
    @extend_schema(request=None, responses=STEP)
    def post(self, request, pk, number):
        project = queries.project_for(request.user, pk)
        run = queries.open_part_run(
            project, queries.step_of(project, number), request.user, request.query_params.get("opd")
        )
        services.claim_step(run, actor=request.user, via="api")
        return Response(
            queries.step_detail(project, run.step_number, request.user, opd_id=run.opd_id)
        )


class StepReassign(APIView):
    @extend_schema(
        request=inline_serializer(
            "Reassign",
            {"username": serializers.CharField(), "reason": serializers.CharField()},
        ),
        responses=STEP,
    )
    def post(self, request, pk, number):
        project = queries.project_for(request.user, pk)
        run = queries.open_part_run(
            project, queries.step_of(project, number), request.user, request.query_params.get("opd")
        )
        target = get_user_model().objects.filter(username=request.data.get("username", "")).first()
        services.reassign_step(
            run,
            actor=request.user,
            to_user=target,
            reason=str(request.data.get("reason", "")),
            via="api",
        )
        return Response(
            queries.step_detail(project, run.step_number, request.user, opd_id=run.opd_id)
        )


class ProjectResume(APIView):
    @extend_schema(request=REASON, responses=ProjectSerializer)
    def post(self, request, pk):
        project = queries.project_for(request.user, pk)
        services.resume_project(
            project, actor=request.user, reason=str(request.data.get("reason", "")), via="api"
        )
        project.refresh_from_db()
        return Response(ProjectSerializer(project).data)


class ProjectHistory(APIView):
    """A project's audit trail, oldest first, a page at a time."""

    pagination_class = Pagination

    @extend_schema(
        responses=inline_serializer(
            "ProjectHistoryEntry",
            {
                "at": serializers.DateTimeField(),
                "actor": serializers.CharField(),
                "action": serializers.CharField(),
                "sentence": serializers.CharField(),
                "step": serializers.IntegerField(allow_null=True),
                "data": serializers.JSONField(),
                "reason": serializers.CharField(),
                "request_id": serializers.CharField(),
                "via": serializers.CharField(),
            },
            many=True,
        )
    )
    def get(self, request, pk):
        project = queries.project_for(request.user, pk)
        paginator = self.pagination_class()
        records = AuditRecord.objects.filter(project=project).order_by("at", "id")
        records = list(paginator.paginate_queryset(records, request, view=self))
        for r in records:
            r.project = project  # one definition for all, not a query per record
        return paginator.get_paginated_response(
            [
                {
                    "at": r.at,
                    "actor": r.actor_label,
                    "action": r.action,
                    "sentence": html.unescape(strip_tags(entry.sentence)),
                    "step": r.step_number,
                    "data": r.data,
                    "reason": r.reason,
                    "request_id": r.request_id,
                    "via": r.via,
                }
                for r, entry in zip(records, sentences.describe(records, request.user), strict=True)
            ]
        )


class TaskList(APIView):
    """Open steps the caller may act on now, a page at a time: overdue first, then by due date.

    Its statements are compiled once per user standing, SOP versions, filter and date, as Tugas
    Saya's: the total counted from the list's conditions alone, the page read without it."""

    pagination_class = CountedPagination

    @extend_schema(
        responses=inline_serializer(
            "Task",
            {
                "project": serializers.IntegerField(),
                "project_kode": serializers.CharField(),
                "project_nama": serializers.CharField(),
                "sop": serializers.CharField(),
                "step": serializers.IntegerField(),
                "round": serializers.IntegerField(),
                "role": serializers.CharField(),
                "uraian": serializers.CharField(),
                "due_date": serializers.DateField(allow_null=True),
                "remaining_working_days": serializers.IntegerField(allow_null=True),
                "overdue": serializers.BooleanField(),
                "returned": serializers.JSONField(allow_null=True),
            },
            many=True,
        )
    )
    def get(self, request):
        paginator = self.pagination_class()
        sop = request.query_params.get("sop") or None
        today = timezone.localdate()

        def runs():
            return queries.task_runs(request.user, sop=sop)

        def page_rows():
            # The SOP's code joined in (one column): `project.sop_version` would be a query a row.
            return (
                runs()
                .select_related(None)
                .select_related("project")
                .only(*TASK_COLUMNS)
                .annotate(sop_kode=F("project__sop_version__kode"))
            )

        if sop is None or _stored_sop(sop):
            # Compiled once per everything the list depends on, as Tugas Saya's page.
            key = ("api-tasks", delegation.standing(request.user), stored_versions(), sop, today)
            page = paginator.paginate_compiled(request, page_rows, count=runs, key=key)
        else:  # an unknown SOP lists nothing: no statement is kept for it
            page = paginator.paginate_queryset(page_rows(), request, view=self)
        return paginator.get_paginated_response(
            [
                {
                    "project": run.project_id,
                    "project_kode": run.project.kode,
                    "project_nama": run.project.nama,
                    "sop": run.sop_kode,
                    "step": run.step_number,
                    "round": run.round,
                    "role": run.role_key,
                    "uraian": run.step.uraian,
                    "due_date": run.due_date,
                    "remaining_working_days": run.days,
                    "overdue": run.overdue,
                    "returned": run.returned,
                }
                for run in queries.task_rows(page, today)
            ]
        )


@extend_schema(exclude=True)  # the catch-all is no endpoint: keep it out of the API docs
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
def not_found(request, *args, **kwargs):
    raise NotFound(_("Alamat API tidak ditemukan."))
