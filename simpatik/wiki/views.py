"""Project documentation pages (the SOP's wiki), readable by whoever may see the project."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.core.errors import NotFound, PermissionDenied, ValidationError
from simpatik.core.input_guard import is_number
from simpatik.core.views import domain_errors
from simpatik.projects import queries
from simpatik.wiki import services
from simpatik.wiki.markdown import render as render_markdown
from simpatik.wiki.models import DocPage


def _page(project, slug) -> DocPage:
    page = DocPage.objects.filter(project=project, slug=slug).first()
    if page is None:
        raise NotFound(_("Halaman dokumentasi tidak ditemukan."))
    return page


@login_required
@domain_errors
def page_list(request, pk):
    project = queries.project_for(request.user, pk)
    return render(
        request,
        "wiki/list.html",
        {
            "project": project,
            "pages": project.doc_pages.all(),
            "can_edit": services.can_edit(request.user, project),
        },
    )


@login_required
@domain_errors
def page_view(request, pk, slug):
    project = queries.project_for(request.user, pk)
    page = _page(project, slug)
    number = request.GET.get("versi")
    version = page.versions.filter(number=number).first() if number else page.current
    if version is None:
        raise NotFound(_("Versi tidak ditemukan."))
    open_runs = [
        run
        for run in queries.open_runs(project)
        if any(item.kind == "document" for item in run.step.requirements)
    ]
    return render(
        request,
        "wiki/page.html",
        {
            "project": project,
            "page": page,
            "version": version,
            "html": render_markdown(version.body),
            "versions": page.versions.order_by("-number").select_related("author"),
            "can_edit": services.can_edit(request.user, project),
            "open_runs": open_runs,
        },
    )


@login_required
@domain_errors
def page_edit(request, pk, slug=None):
    project = queries.project_for(request.user, pk)
    if not services.can_edit(request.user, project):
        raise PermissionDenied(_("Anda tidak berwenang mengubah dokumentasi proyek ini."))
    page = _page(project, slug) if slug else None
    current = page.current if page else None
    error = None
    if request.method == "POST":
        try:
            version = services.save_page(
                project,
                actor=request.user,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                slug=slug,
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            error = exc.message
        else:
            messages.success(
                request, _("Halaman tersimpan sebagai versi %(n)d.") % {"n": version.number}
            )
            return redirect("wiki:page", pk=project.pk, slug=version.page.slug)
    return render(
        request,
        "wiki/edit.html",
        {
            "project": project,
            "page": page,
            "error": error,
            "title": request.POST.get("title", current.title if current else ""),
            "body": request.POST.get("body", current.body if current else ""),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
@domain_errors
def attach(request, pk, slug):
    project = queries.project_for(request.user, pk)
    page = _page(project, slug)
    step_key = request.POST.get("target", "")
    number, _sep, key = step_key.partition(":")
    run = queries.open_run_of(project, int(number) if is_number(number) else 0)
    try:
        services.attach_as_evidence(page.current, run, actor=request.user, key=key)
    except ValidationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Halaman dilampirkan ke langkah %(n)d.") % {"n": run.step_number}
        )
    return redirect(f"{project.get_absolute_url()}?langkah={run.step_number}")
