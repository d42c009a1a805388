"""Web pages for needs, projects and steps; every change goes through projects.services."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import NotFound, PermissionDenied, ValidationError
from simpatik.core.views import domain_errors
from simpatik.projects import panels, queries, services
from simpatik.projects.forms import NeedForm, ProjectFilterForm, ProjectForm, fields_from_post
from simpatik.projects.models import Document, Need, Project, StepRun
from simpatik.projects.swimlane import swimlane


@login_required
def home(request):
    return redirect("projects:tasks")


@login_required
def tasks(request):
    return render(request, "projects/tasks.html", {"runs": queries.tasks_for(request.user)})


@login_required
def need_list(request):
    needs = Need.objects.visible_to(request.user).select_related("opd", "project")
    status = request.GET.get("status")
    if status in Need.Status.values:
        needs = needs.filter(status=status)
    page = Paginator(needs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/need_list.html",
        {"page": page, "statuses": Need.Status.choices, "status": status},
    )


@login_required
@domain_errors
def need_create(request):
    if not services.needs.can_submit_need(request.user):
        raise PermissionDenied(_("Anda tidak berwenang mengajukan usulan."))
    form = NeedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.submit_need(actor=request.user, via="web", **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Usulan %(nomor)s tersimpan.") % {"nomor": need.nomor})
            return redirect("projects:need", pk=need.pk)
    return render(
        request, "projects/need_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@domain_errors
def need_detail(request, pk):
    need = queries.need_for(request.user, pk)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "start":
                project = services.start_project(
                    actor=request.user, nama=need.judul, opd=need.opd, need=need, via="web"
                )
                messages.success(request, _("Proyek %(kode)s dimulai.") % {"kode": project.kode})
                return redirect("projects:project", pk=project.pk)
            services.reject_need(
                need, actor=request.user, reason=request.POST.get("reason", ""), via="web"
            )
            messages.success(request, _("Usulan ditolak."))
            return redirect("projects:need", pk=need.pk)
        except ValidationError as exc:
            error = exc.message
    return render(
        request,
        "projects/need_detail.html",
        {"need": need, "error": error},
        status=400 if error else 200,
    )


@login_required
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    projects = Project.objects.visible_to(request.user).select_related("opd")
    if form.is_valid():
        params = {k: v.pk if hasattr(v, "pk") else v for k, v in form.cleaned_data.items() if v}
        projects = queries.filter_projects(projects, params)
    page = Paginator(projects, 25).get_page(request.GET.get("page"))
    runs = StepRun.objects.filter(project__in=page.object_list, status=StepRun.Status.OPEN)
    current = {}
    for run in runs:
        current.setdefault(run.project_id, []).append(run)
    rows = [(project, current.get(project.pk, [])) for project in page]
    template = "projects/_project_rows.html" if request.htmx else "projects/project_list.html"
    return render(request, template, {"form": form, "page": page, "rows": rows})


@login_required
@domain_errors
def project_create(request):
    if not services.engine.can_start_project(request.user):
        raise PermissionDenied(_("Hanya Kadis Kominfo yang dapat memulai proyek."))
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.start_project(
                actor=request.user,
                nama=data["nama"],
                opd=data["opd"],
                deskripsi=data["deskripsi"],
                rujukan=data["rujukan"],
                via="web",
            )
        except ValidationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("projects:project", pk=project.pk)
    return render(
        request, "projects/project_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _project_page(request, project, *, error=None, focus=None, status=200):
    current = queries.open_runs(project)
    focus_number = focus or (current[0].step_number if current else None)
    detail = queries.step_detail(project, focus_number, request.user) if focus_number else None
    context = {
        "project": project,
        "lanes": swimlane(project),
        "roles": project.definition.roles,
        "current": current,
        "detail": detail,
        "error": error,
        "posted": request.POST if error else {},
        "assignees": _assignee_choices(detail) if detail else [],
        "panels": panels.render_list(project, detail, request.user),
    }
    template = (
        "projects/_step_panel.html" if request.htmx and focus else "projects/project_detail.html"
    )
    return render(request, template, context, status=status)


def _assignee_choices(detail):
    if not detail or detail["status"] != "open":
        return []
    users = get_user_model().objects.filter(roles__key=detail["role"], is_active=True)
    return [(user.username, user.display_name) for user in users.order_by("username")]


@login_required
@domain_errors
def project_detail(request, pk):
    project = queries.project_for(request.user, pk)
    focus = request.GET.get("langkah")
    focus = queries.step_of(project, focus) if focus else None
    return _project_page(request, project, focus=focus)


@login_required
@domain_errors
def project_history(request, pk):
    project = queries.project_for(request.user, pk)
    records = (
        AuditRecord.objects.filter(project=project).select_related("actor").order_by("-at", "-id")
    )
    page = Paginator(records, 100).get_page(request.GET.get("page"))
    template = "projects/_history.html" if request.htmx else "projects/project_history.html"
    return render(request, template, {"project": project, "page": page})


@login_required
@require_POST
@domain_errors
def step_action(request, pk, number, action):
    project = queries.project_for(request.user, pk)
    number = queries.step_of(project, number)
    run = queries.open_run_of(project, number)
    try:
        if action == "unggah":
            services.upload_document(
                run,
                actor=request.user,
                key=request.POST.get("key", ""),
                uploaded=request.FILES.get("file"),
                via="web",
            )
            messages.success(request, _("Dokumen tersimpan."))
        elif action == "ambil":
            services.claim_step(run, actor=request.user, via="web")
        elif action == "alihkan":
            target = (
                get_user_model().objects.filter(username=request.POST.get("username", "")).first()
            )
            services.reassign_step(
                run,
                actor=request.user,
                to_user=target,
                reason=request.POST.get("reason", ""),
                via="web",
            )
        elif action == "selesai":
            fields = fields_from_post(run.step, request.POST)
            services.complete_step(
                run,
                actor=request.user,
                fields=fields,
                decision=request.POST.get("decision") or None,
                reason=request.POST.get("reason", ""),
                via="web",
                passphrase=request.POST.get("passphrase") or None,
            )
            messages.success(request, _("Langkah %(n)d selesai.") % {"n": number})
            return redirect("projects:project", pk=project.pk)
        else:
            raise NotFound(_("Tindakan tidak dikenal."))
    except ValidationError as error:
        return _project_page(request, project, error=error.message, focus=number, status=400)
    return redirect(f"{project.get_absolute_url()}?langkah={number}")


@login_required
@require_POST
@domain_errors
def project_resume(request, pk):
    project = queries.project_for(request.user, pk)
    services.resume_project(
        project, actor=request.user, reason=request.POST.get("reason", ""), via="web"
    )
    messages.success(request, _("Proyek dilanjutkan."))
    return redirect("projects:project", pk=project.pk)


@login_required
@domain_errors
def document_download(request, pk):
    document = Document.objects.filter(
        pk=pk, project__in=Project.objects.visible_to(request.user)
    ).first()
    if document is None:
        raise NotFound(_("Dokumen tidak ditemukan."))
    response = FileResponse(
        document.open(), content_type=document.mime, as_attachment=True, filename=document.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
