"""SOP pages: versions, the official SOP sheet (HTML and PDF) and BPMN export.

The SOP itself is a public document of the regency; a project's progress marked on it is not,
so `?proyek=` needs a user who may see that project.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from simpatik.accounts.permissions import can
from simpatik.core.errors import NotFound, PermissionDenied
from simpatik.core.input_guard import is_number
from simpatik.core.views import error_page
from simpatik.projects.models import Project, StepRun
from simpatik.sop.capabilities import CAPABILITIES
from simpatik.sop.definition import DefinitionError
from simpatik.sop.models import SopVersion
from simpatik.sop.services import load_definition
from simpatik.sop.sheet.backends import to_pdf, to_svg
from simpatik.sop.sheet.bpmn import to_bpmn
from simpatik.sop.sheet.layout import sheet_pages


def _project_statuses(request, version):
    project_id = request.GET.get("proyek")
    if not project_id:
        return None, None
    project = (
        Project.objects.visible_to(request.user).filter(pk=project_id, sop_version=version).first()
        if is_number(project_id)
        else None
    )
    if project is None:
        raise NotFound("Proyek tidak ditemukan.", code="project_not_found")
    statuses = {}
    for run in project.step_runs.order_by("opened_at", "id"):
        statuses[run.step_number] = "current" if run.status == StepRun.Status.BERJALAN else "done"
    return project, statuses


def version_list(request):
    """The SOP's versions; administrators load a revision here (the same check as `simpatik sop load`)."""
    problems, status = [], 200
    if request.method == "POST":
        if not can(request.user, "administrasi"):
            return error_page(
                request, PermissionDenied("Hanya administrator yang dapat memuat revisi SOP.")
            )
        named = request.POST.get("draf", "")
        upload = request.FILES.get("definition")
        try:
            text = upload.read().decode("utf-8") if upload and upload.size <= 1024 * 1024 else ""
        except UnicodeDecodeError:
            text = ""
        draft = SopVersion.objects.filter(pk=named, draf=True).first() if is_number(named) else None
        if draft is not None:
            text = draft.source  # "Berlakukan": the draft's own text, loaded as any revision
        if not text:
            problems, status = ["Unggah berkas YAML (UTF-8, paling besar 1 MB)."], 400
        else:
            try:
                result = load_definition(
                    text, actor=request.user, note=request.POST.get("note", ""), via="web"
                )
            except DefinitionError as exc:
                problems, status = exc.problems, 400
            else:
                messages.success(
                    request,
                    f"Versi {result.version.version} dimuat."
                    if result.created
                    else "Tidak berubah: isi yang sama sudah dimuat.",
                )
                return redirect("sop:versions")
    return render(
        request,
        "sop/versions.html",
        {"versions": SopVersion.objects.all(), "problems": problems},
        status=status,
    )


def sheet(request, pk):
    version = get_object_or_404(SopVersion, pk=pk)
    try:
        project, statuses = _project_statuses(request, version)
    except NotFound as error:
        return error_page(request, error)
    pages = [to_svg(page) for page in sheet_pages(version, statuses)]
    definition = version.definition
    return render(
        request,
        "sop/sheet.html",
        {
            "version": version,
            "pages": pages,
            "project": project,
            "definition": definition,
            "authority": _authority(definition),
        },
    )


def _authority(definition) -> list[tuple[str, list[str]]]:
    """Each role (and SIMPATIK itself) with what the file lets it do outside the steps."""

    def labels(granted):
        return [str(label) for key, label in CAPABILITIES.items() if key in granted]

    rows = [(role["nama"], labels(definition.grants[role["key"]])) for role in definition.roles]
    system = (definition.raw.get("sistem") or {}).get("nama")
    if system:
        rows.append((system, labels(definition.system_grants)))
    return rows


def sheet_pdf(request, pk):
    version = get_object_or_404(SopVersion, pk=pk)
    try:
        project, statuses = _project_statuses(request, version)
    except NotFound as error:
        return error_page(request, error)
    title = f"SOP {version.judul} versi {version.version}"
    response = HttpResponse(
        to_pdf(sheet_pages(version, statuses), title), content_type="application/pdf"
    )
    name = f"sop-{version.kode}-v{version.version}{f'-{project.kode}' if project else ''}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def bpmn(request, pk):
    version = SopVersion.objects.filter(pk=pk).first()
    if version is None:
        raise Http404
    response = HttpResponse(to_bpmn(version), content_type="application/xml")
    response["Content-Disposition"] = (
        f'attachment; filename="sop-{version.kode}-v{version.version}.bpmn"'
    )
    return response
