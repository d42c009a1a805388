"""SPBE pages: each SOP's mapping to the national frameworks (administrators load a new version)
and the evidence bundles per SOP and indicator for the holders of the oversight dashboard. Both
pages take `?sop=<kode>` (the seed SOP without it) and offer the choice while more than one SOP
is in force."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import can
from simpatik.core.errors import NotFound, PermissionDenied, ValidationError
from simpatik.core.input_guard import is_number
from simpatik.core.views import domain_errors, error_page
from simpatik.sop.definition import DefinitionError
from simpatik.sop.services import version_in_force, versions_in_force
from simpatik.spbe import services
from simpatik.spbe.models import MappingVersion

MAX_MAPPING_BYTES = 1024 * 1024


def _mapping_rows(mapping, definition):
    return [
        {
            "step": step,
            "stage": mapping.stage_name(step.number),
            "indicators": mapping.step_indicators.get(step.number, ()),
            "outputs": [
                (definition.label_of(key), codes)
                for (number, key), codes in mapping.output_indicators.items()
                if number == step.number
            ],
        }
        for step in definition.steps
    ]


def _uploaded_text(request) -> str:
    upload = request.FILES.get("mapping")
    if upload is None or upload.size > MAX_MAPPING_BYTES:
        return ""
    try:
        return upload.read().decode("utf-8")
    except UnicodeDecodeError:
        return ""


@login_required
def mapping_page(request):
    """The mapping in force and its versions; an administrator uploads a new version here (the
    same check as `simpatik spbe load-mapping`)."""
    problems, status = [], 200
    if request.method == "POST":
        if not can(request.user, "administrasi"):
            return error_page(
                request, PermissionDenied(_("Hanya administrator yang dapat memuat pemetaan SPBE."))
            )
        text = _uploaded_text(request)
        if not text:
            problems, status = [_("Unggah berkas YAML (UTF-8, paling besar 1 MB).")], 400
        else:
            try:
                result = services.load_mapping(
                    text, actor=request.user, note=request.POST.get("note", ""), via="web"
                )
            except DefinitionError as exc:
                problems, status = exc.problems, 400
            else:
                messages.success(
                    request,
                    _("Pemetaan versi %(n)s dimuat.") % {"n": result.version.version}
                    if result.created
                    else _("Tidak berubah: isi yang sama sudah dimuat."),
                )
                return redirect(reverse("spbe:mapping") + f"?sop={result.version.sop_version.kode}")
    try:
        sop_version = version_in_force(request.GET.get("sop"))
    except ValidationError as exc:
        return error_page(request, exc)
    try:
        _version, row, mapping = services.mapping_in_force(sop_version.kode)
    except NotFound:
        row = mapping = None
    context = {
        "versions": MappingVersion.objects.select_related("sop_version"),
        "row": row,
        "mapping": mapping,
        "sop_version": sop_version,
        "sops": versions_in_force(),
        "rows": _mapping_rows(mapping, sop_version.definition) if mapping else [],
        "problems": problems,
    }
    return render(request, "spbe/mapping.html", context, status=status)


@login_required
@domain_errors
def bundle_page(request):
    """Choose an indicator and a year; the bundle comes back as a ZIP download."""
    if not can(request.user, "lihat_dasbor"):
        raise PermissionDenied(_("Bundel bukti SPBE hanya untuk pemegang dasbor pengawasan."))
    # The SOP: posted with the form, else chosen in the address; the seed SOP without either.
    sop = request.POST.get("sop") or request.GET.get("sop") or None
    try:
        sop_version, row, mapping = services.mapping_in_force(sop)
    except ValidationError as unknown:  # an SOP not in force: bad input, not a missing page
        return error_page(request, unknown)
    this_year = timezone.localdate().year
    error, status = None, 200
    if request.method == "POST":
        year = request.POST.get("tahun", "")
        try:
            if not is_number(year):
                raise ValidationError(_("Tahun harus berupa angka."), code="invalid_year")
            made = services.make_bundle(
                request.POST.get("indikator", ""),
                int(year),
                actor=request.user,
                via="web",
                sop=sop_version.kode,
            )
        except ValidationError as refused:
            error, status = refused.message, 400
        else:
            response = HttpResponse(made.content, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
            return response
    return render(
        request,
        "spbe/bundle.html",
        {
            "row": row,
            "sop_version": sop_version,
            "sops": versions_in_force(),
            "indicators": list(mapping.indicators.values()),
            "years": list(range(this_year, this_year - 6, -1)),
            "mapping": mapping,
            "error": error,
            "posted": request.POST,
        },
        status=status,
    )
