"""Pages for official documents: issue from a step, list, download, correct, verify publicly."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.core.errors import Conflict, NotFound, ValidationError
from simpatik.core.views import domain_errors
from simpatik.letters import pki, services
from simpatik.letters.models import Letter
from simpatik.projects import queries
from simpatik.projects.forms import fields_from_post
from simpatik.projects.models import Project
from simpatik.projects.services.engine import save_draft
from simpatik.projects.views import step_page


def _document_inputs(request) -> dict:
    """What a person adds to a generated document: notes, attendance, photos, a TTE passphrase."""
    return {
        "catatan": request.POST.get("catatan", ""),
        "attendees": request.POST.get("attendees", ""),
        "photos": request.FILES.getlist("photos"),
        "passphrase": request.POST.get("passphrase") or None,
        "via": "web",
    }


@login_required
@require_POST
@domain_errors
def issue(request, pk, number):
    project = queries.project_for(request.user, pk)
    number = queries.step_of(project, number)
    run = queries.open_run_of(project, number)
    try:
        typed = fields_from_post(run.step, request.POST)
        save_draft(run, actor=request.user, fields=typed, via="web")  # kept even if issuing fails
        fields = {k: v for k, v in typed.items() if v not in ("", [])}
        letter = services.issue_letter(
            run,
            actor=request.user,
            key=request.POST.get("key", ""),
            fields=fields,
            **_document_inputs(request),
        )
    except ValidationError as error:
        # The same rule as every step action: the form again, values kept, the error beside them.
        return step_page(request, project, error=error, focus=number, status=400)
    else:
        messages.success(
            request,
            _("%(title)s nomor %(number)s diterbitkan dan ditandatangani.")
            % {"title": letter.title, "number": letter.number},
        )
    return redirect(f"{project.get_absolute_url()}?langkah={number}")


@login_required
@domain_errors
def project_letters(request, pk):
    project = queries.project_for(request.user, pk)
    letters = (
        Letter.objects.filter(project=project)
        .select_related("replaces", "signer")
        .order_by("issued_at")
    )
    return render(request, "letters/project_letters.html", {"project": project, "letters": letters})


def _visible_letter(user, pk) -> Letter:
    letter = Letter.objects.filter(pk=pk, project__in=Project.objects.visible_to(user)).first()
    if letter is None:
        raise NotFound(_("Dokumen tidak ditemukan."))
    return letter


@login_required
@domain_errors
def download(request, pk):
    letter = _visible_letter(request.user, pk)
    return FileResponse(
        letter.open(),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{letter.kind}-{letter.sequence}-{letter.year}.pdf",
    )


@login_required
@require_POST
@domain_errors
def correct(request, pk):
    letter = _visible_letter(request.user, pk)
    try:
        new = services.correct_letter(
            letter,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            **_document_inputs(request),
        )
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Koreksi diterbitkan: %(number)s menggantikan %(old)s.")
            % {"number": new.number, "old": letter.number},
        )
    return redirect("letters:project", pk=letter.project_id)


def verify(request, code):
    """Public: anyone holding a document can check it is exactly the one SIMPATIK issued."""
    letter = (
        Letter.objects.filter(verification_code=code.strip().upper())
        .select_related("replaces")
        .first()
    )
    if letter is None:
        return render(request, "letters/verify.html", {"code": code}, status=404)
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size > 50 * 1024 * 1024:
            result = "invalid"
        else:
            result = "match" if services.verify_file(letter, upload.read()) else "mismatch"
    return render(
        request,
        "letters/verify.html",
        {"letter": letter, "result": result, "code": code},
        status=400 if result == "invalid" else 200,
    )


def ca_certificate(request):
    try:
        body = pki.ca_certificate_pem()
    except Conflict as error:
        return HttpResponse(error.message, status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="simpatik-ca.pem"'
    return response
