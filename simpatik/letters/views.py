"""Pages for official documents: draft preview, list, download, sign, correct, verify publicly."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.accounts.permissions import can
from simpatik.core.errors import Conflict, ValidationError
from simpatik.core.views import domain_errors
from simpatik.letters import pki, services
from simpatik.letters.models import Letter, file_name
from simpatik.letters.queries import visible_letter
from simpatik.letters.signing import get_signer
from simpatik.projects import queries
from simpatik.projects.forms import fields_from_post
from simpatik.projects.services.rules import clean_fields


@login_required
@domain_errors
def preview(request, pk, number, key):
    """The draft of a step's document as a PDF: GET from what is saved, POST from the open form."""
    project = queries.project_for(request.user, pk)
    run = queries.open_run_of(project, queries.step_of(project, number))
    values = {}
    if request.method == "POST":
        posted = fields_from_post(run.step, request.POST)
        values = clean_fields(
            run.step, {k: v for k, v in posted.items() if v not in ("", [])}, project
        )
    pdf = services.preview(run, key, user=request.user, values=values)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draf-{key}.pdf"'
    return response


@login_required
@domain_errors
def project_letters(request, pk):
    project = queries.project_for(request.user, pk)
    letters = list(
        Letter.objects.filter(project=project)
        .select_related("replaces", "signer", "countersigner", "step_run")
        .order_by("issued_at", "id")
    )
    for letter in letters:
        letter.waiting_for = services.expected_signer(letter)
        run = letter.step_run
        letter.can_correct = run is not None and can(request.user, "kerjakan_langkah", run)
        if letter.can_correct and (refused := services.correction_refused(letter)) is not None:
            letter.can_correct, letter.frozen = False, refused.message
    return render(
        request,
        "letters/project_letters.html",
        {
            "project": project,
            "letters": letters,
            "needs_passphrase": get_signer().needs_passphrase,
        },
    )


@login_required
@domain_errors
def download(request, pk):
    letter = visible_letter(request.user, pk)
    return FileResponse(
        letter.open(),
        content_type="application/pdf",
        as_attachment=True,
        filename=file_name(letter.title, letter.sequence, letter.year),
    )


@login_required
@require_POST
@domain_errors
def correct(request, pk):
    letter = visible_letter(request.user, pk)
    try:
        new = services.correct_letter(
            letter,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            passphrase=request.POST.get("passphrase") or None,
            via="web",
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


@login_required
@require_POST
@domain_errors
def sign(request, pk):
    """Sign what the letter waits for: a retry of the remote TTE, or the second party."""
    letter = visible_letter(request.user, pk)
    try:
        services.sign_letter(
            letter,
            actor=request.user,
            passphrase=request.POST.get("passphrase") or None,
            via="web",
        )
    except (ValidationError, Conflict) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(number)s ditandatangani.") % {"number": letter.number})
    return redirect("letters:project", pk=letter.project_id)


PANEL_COLUMNS = (
    "number",
    "title",
    "status",
    "sign_error",
    "issued_at",
    "step_run__round",
    "replaced_by__number",
)


def step_letters_panel(project, detail, user):
    """The project page: the letters the focused step made, with their state (projects.panels)."""
    # Letters are issued only for a step's generated items (services.after_completion): for
    # any other step there is nothing to read.
    if not detail or not any(item.get("generate") for item in detail["requirements"]):
        return None
    # ...and only in the transaction that completes one of its runs: a step none of whose runs
    # has completed (the usual open step) has none either. A step run per OPD shows one OPD's
    # runs, while its letters are the step's, so it is always read.
    if not detail.get("untuk_setiap") and not any(run["completed_at"] for run in detail["runs"]):
        return None
    # Only what the panel prints, sorted here: an ORDER BY over all three tables' columns cost
    # Django more to compile than the query took to run.
    letters = list(
        Letter.objects.filter(project=project, step_number=detail["number"])
        .select_related("step_run", "replaced_by")
        .only(*PANEL_COLUMNS)
        .order_by()
    )
    letters.sort(key=lambda letter: (letter.issued_at, letter.pk))
    return {"letters": letters, "project": project} if letters else None


def verify_lookup(request):
    """Public: the verification code printed under a document's QR code, typed in by hand (for
    a printed letter whose QR code cannot be scanned). Only the code finds a document: a number
    would let anyone list the register."""
    typed = request.GET.get("kode", "")
    # As printed (ABCDE-FGHIJ), with or without its dash, spaces and case as typed.
    code = "".join(ch for ch in typed.upper() if ch.isascii() and ch.isalnum())
    code = f"{code[:5]}-{code[5:]}" if len(code) == 10 else code
    error = None
    if code:
        if Letter.objects.filter(verification_code=code).exists():
            return redirect("letters:verify", code=code)
        error = _("Kode verifikasi %(code)s tidak dikenal: periksa lagi kode di bawah kode QR.") % {
            "code": code[:40]
        }
    return render(
        request,
        "letters/verify_lookup.html",
        {"typed": typed[:40], "error": error},
        status=404 if error else 200,
    )


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
