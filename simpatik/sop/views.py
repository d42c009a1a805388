"""SOP pages: versions, the official SOP sheet (HTML and PDF) and BPMN export.

The SOP itself is a public document of the regency; a project's progress marked on it is not,
so `?proyek=` needs a user who may see that project.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from simpatik.core.errors import NotFound
from simpatik.core.views import error_page
from simpatik.projects.models import Project, StepRun
from simpatik.sop.models import SopVersion
from simpatik.sop.sheet.backends import to_pdf, to_svg
from simpatik.sop.sheet.bpmn import to_bpmn
from simpatik.sop.sheet.layout import sheet_pages


def _project_statuses(request, version):
    project_id = request.GET.get("proyek")
    if not project_id:
        return None, None
    project = (
        Project.objects.visible_to(request.user).filter(pk=project_id, sop_version=version).first()
        if str(project_id).isdigit()
        else None
    )
    if project is None:
        raise NotFound("Proyek tidak ditemukan.", code="project_not_found")
    statuses = {}
    for run in project.step_runs.order_by("opened_at", "id"):
        statuses[run.step_number] = "current" if run.status == StepRun.Status.OPEN else "done"
    return project, statuses


def version_list(request):
    return render(request, "sop/versions.html", {"versions": SopVersion.objects.all()})


def sheet(request, pk):
    version = get_object_or_404(SopVersion, pk=pk)
    try:
        project, statuses = _project_statuses(request, version)
    except NotFound as error:
        return error_page(request, error)
    pages = [to_svg(page) for page in sheet_pages(version, statuses)]
    return render(
        request,
        "sop/sheet.html",
        {"version": version, "pages": pages, "project": project, "definition": version.definition},
    )


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
