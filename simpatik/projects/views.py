"""Web pages for needs, projects and steps; every change goes through projects.services."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.accounts import delegation
from simpatik.accounts.permissions import can
from simpatik.audit import sentences
from simpatik.audit.models import AuditRecord
from simpatik.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from simpatik.core.input_guard import is_number
from simpatik.core.pages import paginate, paginate_counted, paginate_listed
from simpatik.core.rows import url_pattern
from simpatik.core.views import domain_errors
from simpatik.inventory import census_form
from simpatik.projects import journey, lanes, list_rows, panels, queries, services
from simpatik.projects.forms import (
    ATTACHMENT_PREFIX,
    NeedForm,
    ProjectFilterForm,
    ProjectForm,
    SopChoiceForm,
    TaskFilterForm,
    fields_from_post,
    step_form,
)
from simpatik.projects.models import Document, Need, NeedAttachment, NeedQuerySet, Project
from simpatik.projects.swimlane import swimlane
from simpatik.sop.models import stored_versions


@login_required
def home(request):
    """Each person lands where their work is: OPD staff on their usulan, SOP roles on their tasks."""
    if queries.is_requester(request.user):
        return redirect("projects:needs")
    return redirect("projects:tasks")


@login_required
def tasks(request):
    """Tugas Saya: 50 open steps a page, the overdue first, and what else waits for this user."""
    form = TaskFilterForm(request.GET or None)
    sop = form.cleaned_data.get("sop") if form.is_valid() else None
    today = timezone.localdate()
    # The permission-scoped query is compiled once per everything it depends on (who, their
    # roles and delegations today, the SOP versions, the filter, the date): see core.precompiled.
    page, counts = paginate_counted(
        request,
        lambda: list_rows.for_task_rows(queries.task_runs(request.user, sop=sop)),
        queries.task_totals(today),
        key=("tasks", delegation.standing(request.user), stored_versions(), sop, today),
        fields=list_rows.TASK_ROW_FIELDS,
        make=list_rows.TaskRow,
    )
    rows = queries.task_rows(page.object_list, today)
    list_rows.add_task_rows(rows, show_sop="sop" in form.fields)
    groups = [
        ("late", _("Terlambat"), [run for run in rows if run.overdue]),
        ("due", _("Belum lewat batas waktu"), [run for run in rows if not run.overdue]),
    ]
    return render(
        request,
        "projects/tasks.html",
        {
            "page": page,
            "groups": [group for group in groups if group[2]],
            "overdue": counts["overdue"],
            "waiting": queries.waiting_for(request.user),
            "form": form,
        },
    )


@login_required
def need_list(request):
    needs = Need.objects.visible_to(request.user).select_related("opd", "project")
    status = request.GET.get("status")
    if status in Need.Status.values:
        needs = needs.filter(status=status)
    page = paginate(request, needs)
    return render(
        request,
        "projects/need_list.html",
        {
            "page": page,
            # A taken-up usulan shows its project's state (Need.shown_status): the filter that
            # finds them names those states, not a word the rows never show.
            "statuses": [
                (value, _("Menjadi proyek (dikerjakan, ditangguhkan atau selesai)"))
                if value == Need.Status.DIPROSES
                else (value, label)
                for value, label in Need.Status.choices
            ],
            "status": status,
            "mine": queries.is_requester(request.user),
            "can_submit": services.needs.can_submit_need(request.user),
        },
    )


@login_required
@domain_errors
def need_create(request):
    if not services.needs.can_submit_need(request.user):
        raise PermissionDenied(_("Anda tidak berwenang mengajukan usulan."))
    form = NeedForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        attachments=services.needs.attachment_items(),
    )
    if request.method == "POST" and form.is_valid():
        values, files = form.split()
        try:
            need = services.submit_need(actor=request.user, attachments=files, via="web", **values)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Usulan %(nomor)s tersimpan.") % {"nomor": need.nomor})
            return redirect("projects:need", pk=need.pk)
    return _need_form(request, form, {"editing": False})


def _refused(form, error) -> None:
    """The service's refusal beside its field: a refused attachment by its own field, with the
    reason alone (the field names the document)."""
    field = (error.data or {}).get("field")
    if field and error.code.startswith("file"):
        form.add_error(f"{ATTACHMENT_PREFIX}{field}", error.data.get("reason", error.message))
    else:
        form.add_error(None, error.message)


def _need_form(request, form, context):
    """The usulan form again after a failed send keeps the files chosen (core.held)."""
    if form.is_bound and form.errors:
        form.hold_files()
    return render(
        request,
        "projects/need_form.html",
        {"form": form, **context},
        status=400 if form.errors else 200,
    )


@login_required
@domain_errors
def need_edit(request, pk):
    need = queries.need_for(request.user, pk)
    if not services.needs.can_change_need(request.user, need):
        raise PermissionDenied(_("Usulan ini tidak dapat diubah lagi."))
    form = NeedForm(
        request.POST or None,
        request.FILES or None,
        instance=need,
        user=request.user,
        editing=True,
        attachments=services.needs.attachment_items(),
    )
    if request.method == "POST" and form.is_valid():
        values, files = form.split()
        try:
            services.needs.update_need(
                need, actor=request.user, attachments=files, via="web", **values
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Perubahan usulan tersimpan."))
            return redirect("projects:need", pk=need.pk)
    return _need_form(request, form, {"editing": True, "need": need})


@login_required
@require_POST
@domain_errors
def need_withdraw(request, pk):
    need = queries.need_for(request.user, pk)
    if request.POST.get("confirm") != "ya":
        # The page again, the reason typed kept and the refusal beside the box left unticked.
        return _need_page(
            request,
            need,
            withdraw={
                "error": _("Usulan belum ditarik: centang konfirmasi lebih dulu."),
                "reason": request.POST.get("reason", ""),
            },
        )
    services.needs.withdraw_need(
        need, actor=request.user, reason=request.POST.get("reason", ""), via="web"
    )
    messages.success(request, _("Usulan ditarik. Catatannya tetap tersimpan."))
    return redirect("projects:need", pk=need.pk)


@login_required
@domain_errors
def need_attachment(request, pk):
    attachment = NeedAttachment.objects.filter(
        pk=pk, need__in=Need.objects.visible_to(request.user)
    ).first()
    if attachment is None:
        raise NotFound(_("Lampiran tidak ditemukan."))
    return _download(attachment)


@login_required
@domain_errors
def need_detail(request, pk):
    need = queries.need_for(request.user, pk)
    error = reject = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "start":
                # The service checks the code, as it does for the API (sop_unknown).
                project = services.start_project(
                    actor=request.user,
                    nama=need.judul,
                    opd=need.opd,
                    need=need,
                    via="web",
                    sop=request.POST.get("sop") or None,
                )
                messages.success(request, _("Proyek %(kode)s dimulai.") % {"kode": project.kode})
                return redirect("projects:project", pk=project.pk)
            services.reject_need(
                need, actor=request.user, reason=request.POST.get("reason", ""), via="web"
            )
            messages.success(request, _("Usulan ditolak."))
            return redirect("projects:need", pk=need.pk)
        except ValidationError as exc:
            if exc.code == "reason_required":  # beside the reason, what was typed kept
                reject = {"error": exc.message, "reason": request.POST.get("reason", "")}
            else:
                error = exc.message
    return _need_page(request, need, error=error, reject=reject)


def _need_page(request, need, *, error=None, reject=None, withdraw=None):
    """The usulan's page; `reject`/`withdraw`: that form's refusal and the reason typed."""
    open_need = need.status == Need.Status.DIAJUKAN
    return render(
        request,
        "projects/need_detail.html",
        {
            "need": need,
            "error": error,
            "reject": reject,
            "withdraw": withdraw,
            "timeline": journey.timeline(need),
            "attachments": list(services.needs.latest_attachments(need).values()),
            "can_change": services.needs.can_change_need(request.user, need),
            "can_start": open_need and services.engine.can_start_project(request.user),
            "start_form": SopChoiceForm(per_application=True),
            "first_step": services.engine.first_step(),
            "can_reject": open_need and can(request.user, "putuskan_usulan"),
        },
        status=400 if error or reject or withdraw else 200,
    )


@login_required
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    params = {}
    if form.is_valid():
        params = {k: v.pk if hasattr(v, "pk") else v for k, v in form.cleaned_data.items() if v}
    today = timezone.localdate()
    # The permission-scoped list is compiled once per everything it depends on (who, their roles
    # and delegations today, their OPD, the SOP versions, the filters, the date): core.precompiled.
    # A text search, typed a letter at a time, is compiled each time instead.
    key = (
        "projects",
        delegation.standing(request.user),
        stored_versions(),
        tuple(sorted(params.items())),
        today,
    )
    page = paginate_listed(
        request,
        lambda: queries.filter_projects(
            list_rows.for_project_rows(Project.objects.visible_to(request.user)), params
        ),
        key=None if params.get("q") else key,
        counted=lambda: queries.filter_projects(Project.objects.visible_to(request.user), params),
    )
    page.object_list = [list_rows.ProjectRow(*row) for row in page.object_list]
    list_rows.add_open_runs(page.object_list)
    for project in page:
        for run in project.open_runs:
            run.days = queries.remaining_days(run, today)
            run.late = run.days is not None and run.days < 0
        project.now = _one_per_step(project.open_runs)
    list_rows.add_project_rows(page, show_sop="sop" in form.fields)
    template = "projects/_project_rows.html" if request.htmx else "projects/project_list.html"
    return render(request, template, {"form": form, "page": page})


def _one_per_step(runs) -> list:
    """A step run once per OPD is one line: its most urgent part, with how many parts are open."""
    ordered = sorted(runs, key=lambda run: (run.step_number, run.days is None, run.days or 0))
    lines = []
    for _number, group in groupby(ordered, key=lambda run: run.step_number):
        group = list(group)
        group[0].parts = len(group) if len(group) > 1 else None
        lines.append(group[0])
    return lines


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
                sop=data.get("sop"),
            )
        except ValidationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("projects:project", pk=project.pk)
    return render(
        request, "projects/project_form.html", {"form": form}, status=400 if form.errors else 200
    )


def step_page(request, project, *, error=None, focus=None, status=200):
    """The project page around one step; after a failed action, with what was sent and why."""
    runs = queries.all_runs(project)
    current = sorted((run for run in runs if run.is_open), key=lambda run: run.step_number)
    suspension = queries.suspension(project)
    opd_id = request.GET.get("opd")
    if focus is None and opd_id:  # an OPD's part of a step run per OPD: where that OPD is now
        focus = next((run.step_number for run in current if str(run.opd_id) == opd_id), None)
    focus_number = focus or (current[0].step_number if current else None)
    # Read once for the focused step's requirements and the swimlane.
    documents = queries.project_documents(project)
    detail = (
        queries.step_detail(
            project, focus_number, request.user, runs=runs, opd_id=opd_id, documents=documents
        )
        if focus_number
        else None
    )
    census_form.add_rows(detail)
    posted = request.POST if error is not None else None
    form = None
    if detail and detail["can_act"]:
        open_here = [run for run in current if run.step_number == focus_number]
        if project.definition.step(focus_number).untuk_setiap or len(open_here) != 1:
            run = queries.open_part_run(project, focus_number, request.user, opd_id)
        else:  # already read with the page's runs
            run = open_here[0]
        form = step_form(
            detail, draft=queries.draft_for(run, request.user), posted=posted, error=error
        )
    context = {
        "project": project,
        **lanes.render(project, swimlane(project, runs, documents)),
        "roles": project.definition.roles,
        "current": current,
        "detail": detail,
        "form": form,
        "error": getattr(error, "message", error),
        "error_code": getattr(error, "code", None),
        "posted": posted or {},
        # Only those who may act on the step see whom it could go to (the panel's rule).
        "assignees": _assignee_choices(detail) if detail and detail["eligible"] else [],
        "panels": panels.render_list(project, detail, request.user),
        "actions": step_actions(project.pk, focus_number) if detail else {},
        "suspension": suspension,
        "can_resume": bool(suspension and can(request.user, "lanjutkan_proyek", project)),
        # The usulan is linked only for who may open it (a developer got a 404).
        "need_link": bool(project.need_id and NeedQuerySet.sees(request.user, project.need)),
    }
    template = (
        "projects/_step_panel.html" if request.htmx and focus else "projects/project_detail.html"
    )
    return render(request, template, context, status=status)


def step_actions(pk: int, number: int) -> dict:
    """The step panel's form actions (as `{% url 'projects:step-action' ... %}` wrote them), from
    patterns reversed once per process."""
    return {
        action: url_pattern("projects:step-action", action, ids=2).format(int(pk), int(number))
        for action in ("selesai", "draf", "ambil", "alihkan")
    }


def _assignee_choices(detail):
    if not detail or detail["status"] != "berjalan":
        return []
    return [
        (
            user.username,
            _("%(name)s (%(n)d langkah terbuka)")
            % {"name": user.display_name, "n": user.open_steps},
        )
        for user in queries.assignable(detail["role"])
    ]


@login_required
@domain_errors
def project_detail(request, pk):
    project = queries.project_for(request.user, pk, page=True)
    focus = request.GET.get("langkah")
    focus = queries.step_of(project, focus) if focus else None
    return step_page(request, project, focus=focus)


@login_required
@domain_errors
def project_history(request, pk):
    project = queries.project_for(request.user, pk)
    records = AuditRecord.objects.filter(project=project).order_by("-at", "-id")
    # Drafts saved while typing (each autosave that changed something) are kept in the trail
    # but shown only on request: dozens of them hid the project's real events.
    drafts = records.filter(action="project.step.draft_saved")
    show_drafts = request.GET.get("draf") == "1"
    if not show_drafts:
        records = records.exclude(action="project.step.draft_saved")
    page = paginate(request, records, per_page=100)
    for record in page.object_list:
        record.project = project  # one definition for the page, not a query per record
    entries = sentences.describe(page.object_list, request.user)
    template = "projects/_history.html" if request.htmx else "projects/project_history.html"
    context = {
        "project": project,
        "page": page,
        "entries": entries,
        "show_drafts": show_drafts,
        "draft_count": drafts.count(),
    }
    return render(request, template, context)


# Actions sent by the step form: each first keeps what was typed and the files chosen.
FORM_ACTIONS = {"unggah", "draf", "selesai"}


@login_required
@domain_errors
def step_action(request, pk, number, action):
    if request.method != "POST":
        # After a refused action the address bar keeps this address: a reload, or the language
        # switch, opens the step it was sent from.
        where = f"?langkah={int(number)}"
        if is_number(request.GET.get("opd", "")):
            where += f"&opd={int(request.GET['opd'])}"
        return redirect(f"{reverse('projects:project', args=[pk])}{where}#step-panel")
    project = queries.project_for(request.user, pk)
    number = queries.step_of(project, number)
    run = queries.open_part_run(project, number, request.user, request.GET.get("opd"))
    if action in FORM_ACTIONS:
        return _step_form_action(request, project, run, action)
    try:
        if action == "ambil":
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
        else:
            raise NotFound(_("Tindakan tidak dikenal."))
    except ValidationError as error:
        return step_page(request, project, error=error, focus=number, status=400)
    return redirect(f"{project.get_absolute_url()}?langkah={number}")


def _chosen_files(request, step) -> list[tuple[str, object]]:
    """Files picked in the step form (one input per document), or a single key + file pair."""
    chosen = [
        (item.key, request.FILES[f"file-{item.key}"])
        for item in step.requirements
        if item.kind == "document" and f"file-{item.key}" in request.FILES
    ]
    if "file" in request.FILES:
        chosen.append((request.POST.get("key", ""), request.FILES["file"]))
    return chosen


def _draft_status(request, run, error=None):
    """The autosave's answer: when the draft was kept, and each field's flag, swapped in place."""
    run.refresh_from_db()
    draft = queries.draft_for(run, request.user)
    errors = dict(draft["errors"])
    if error is not None and isinstance(error.data.get("fields"), dict):
        errors.update(error.data["fields"])
    keys = [item.key for item in run.step.requirements if item.kind == "field"]
    return render(
        request,
        "projects/_draft_status.html",
        {
            "draft": draft,
            "error": getattr(error, "message", None),
            "flags": [(key, errors.get(key, "")) for key in keys],
        },
    )


def _step_form_action(request, project, run, action):
    """Save the draft (committed on its own, so a failure after it loses nothing), store the
    chosen files, then do the action; a failure re-renders the form with everything kept."""
    number = run.step_number
    try:
        services.engine.save_draft(
            run,
            actor=request.user,
            fields=fields_from_post(run.step, request.POST),
            via="web",
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
        stored = []
        for key, upload in _chosen_files(request, run.step):
            try:
                stored.append(
                    services.upload_document(
                        run, actor=request.user, key=key, uploaded=upload, via="web"
                    )
                )
            except ValidationError as error:
                error.data = {**error.data, "documents": {key: error.message}}
                raise
        if action == "unggah" and not stored:
            key = request.POST.get("key", "")
            raise ValidationError(
                _("Pilih berkas yang akan diunggah terlebih dahulu."),
                code="file_required",
                data={"documents": {key: _("Pilih berkas terlebih dahulu.")}},
            )
        if action == "selesai":
            services.complete_step(
                run,
                actor=request.user,
                fields=fields_from_post(run.step, request.POST),
                decision=request.POST.get("decision") or None,
                reason=request.POST.get("reason", ""),
                via="web",
                passphrase=request.POST.get("passphrase") or None,
            )
            messages.success(request, _("Langkah %(n)d selesai.") % {"n": number})
            return redirect("projects:project", pk=project.pk)
    except ValidationError as error:
        if action == "draf" and request.htmx:
            return _draft_status(request, run, error=error)
        return step_page(request, project, error=error, focus=number, status=400)
    if action == "draf" and request.htmx:
        return _draft_status(request, run)
    if stored:
        messages.success(request, _("Dokumen tersimpan."))
    else:
        messages.success(request, _("Draf tersimpan."))
    return redirect(f"{project.get_absolute_url()}?langkah={number}#step-panel")


@login_required
@require_POST
@domain_errors
def project_resume(request, pk):
    project = queries.project_for(request.user, pk)
    suspension = queries.suspension(project)
    if suspension is None:
        raise Conflict(_("Proyek tidak sedang ditangguhkan."), code="project_not_suspended")
    if not can(request.user, "lanjutkan_proyek", project):
        raise PermissionDenied(
            _("Hanya %(role)s yang dapat melanjutkan proyek.")
            % {"role": suspension["resume_role_name"]},
            code="wrong_role",
        )
    try:
        if request.POST.get("confirm") != "ya":
            raise ValidationError(
                _("Centang konfirmasi untuk melanjutkan proyek."), code="confirm_required"
            )
        services.resume_project(
            project, actor=request.user, reason=request.POST.get("reason", ""), via="web"
        )
    except ValidationError as error:
        return step_page(request, project, error=error, status=400)
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
    return _download(document)


def _download(stored) -> FileResponse:
    """A stored file (document or attachment) as a download, never sniffed as a page."""
    response = FileResponse(
        stored.open(), content_type=stored.mime, as_attachment=True, filename=stored.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
