"""Inventory pages for Diskominfo and OPD staff; every change goes through inventory.services."""

import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.accounts.models import Opd
from simpatik.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from simpatik.core.pages import paginate
from simpatik.core.views import domain_errors
from simpatik.inventory import diagram, importing, queries, services, spbe
from simpatik.inventory.fields import COLUMNS, GROUPS
from simpatik.inventory.forms import ApplicationForm, FilterForm, ImportForm, IntegrationForm
from simpatik.inventory.models import Application, Integration
from simpatik.inventory.similarity import similar
from simpatik.inventory.spreadsheet import read_table, to_csv, to_xlsx
from simpatik.projects.models import Project

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ensure_editor(user):
    if not services.can_edit(user):
        raise PermissionDenied(
            _("Hanya pengelola inventaris (Kasie, Kabid, Kadis) yang dapat mengubahnya.")
        )


@login_required
def application_list(request):
    form = FilterForm(request.GET or None)
    applications = queries.filter_applications(
        Application.objects.visible_to(request.user), form.params()
    )
    page = paginate(request, applications)
    return render(
        request,
        "inventory/list.html",
        {"form": form, "page": page, "can_edit": services.can_edit(request.user)},
    )


@login_required
def similar_search(request):
    text = request.GET.get("q", "")[:500]
    visible = set(Application.objects.visible_to(request.user).values_list("id", flat=True))
    matches = [m for m in similar(text, limit=10) if m.id in visible] if text.strip() else []
    return render(request, "inventory/similar.html", {"q": text, "matches": matches})


@login_required
@domain_errors
def application_detail(request, pk):
    return _detail_page(request, queries.application_for(request.user, pk))


def _detail_page(request, application, *, integration_form=None, archive_error=None, status=200):
    """The application page; after a refused form, that form again with its values and errors."""
    groups = [
        (
            title,
            [
                (application._meta.get_field(n).verbose_name, _display(application, n))
                for n in names
            ],
        )
        for title, names in GROUPS
    ]
    integrations = Integration.objects.filter(diarsipkan=False).filter(
        source=application
    ) | Integration.objects.filter(diarsipkan=False, target=application)
    return render(
        request,
        "inventory/detail.html",
        {
            "application": application,
            "groups": groups,
            "history": queries.history(application),
            "integrations": integrations.select_related("source", "target"),
            "integration_form": integration_form or IntegrationForm(),
            "archive_error": archive_error,
            "archive_reason": request.POST.get("reason", "") if archive_error else "",
            "can_edit": services.can_edit(request.user),
            # The project is linked only for who may open it (an OPD's manager got a 404).
            "project_link": bool(
                application.project_id
                and Project.objects.visible_to(request.user)
                .filter(pk=application.project_id)
                .exists()
            ),
        },
        status=status,
    )


def _display(application, name):
    display = getattr(application, f"get_{name}_display", None)
    value = display() if display else getattr(application, name)
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return value if value not in (None, "") else "—"


@login_required
@domain_errors
def application_edit(request, pk=None):
    _ensure_editor(request.user)
    application = queries.application_for(request.user, pk) if pk else None
    form = ApplicationForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if application is None:
                application = services.register_application(
                    actor=request.user, data=data, via="web"
                )
            else:
                services.update_application(
                    application,
                    actor=request.user,
                    changes=data,
                    via="web",
                    reason=request.POST.get("reason", ""),
                )
        except (ValidationError, Conflict) as error:
            for name, message in error.data.get("fields", {}).items():
                form.add_error(name if name in form.fields else None, message)
            if not error.data.get("fields"):
                form.add_error(None, error.message)
        else:
            messages.success(request, _("Data aplikasi tersimpan."))
            return redirect("inventory:detail", pk=application.pk)
    return render(
        request,
        "inventory/form.html",
        {"form": form, "application": application},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@domain_errors
def application_archive(request, pk):
    application = queries.application_for(request.user, pk)
    try:
        if request.POST.get("action") == "restore":
            services.restore_application(
                application, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Aplikasi dipulihkan dari arsip."))
        else:
            services.archive_application(
                application, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Aplikasi diarsipkan."))
    except ValidationError as error:
        return _detail_page(request, application, archive_error=error.message, status=400)
    return redirect("inventory:detail", pk=application.pk)


@login_required
@require_POST
@domain_errors
def integration_add(request, pk):
    application = queries.application_for(request.user, pk)
    form = IntegrationForm(request.POST)
    if form.is_valid():
        try:
            services.add_integration(
                actor=request.user, source=application, via="web", **form.cleaned_data
            )
        except ValidationError as error:
            for name, message in error.data.get("fields", {}).items():
                form.add_error(name if name in form.fields else None, message)
            if not error.data.get("fields"):
                form.add_error(None, error.message)
        else:
            messages.success(request, _("Integrasi dicatat."))
            return redirect("inventory:detail", pk=application.pk)
    return _detail_page(request, application, integration_form=form, status=400)


IMPORT_CHOICES = "inventory_import_choices"  # session: {sha256: Choices.as_dict()}
_KEPT_IMPORTS = 5
_MAX_CHOICES = 1000  # per kind, so a forged form cannot grow the session without bound


@login_required
@domain_errors
def import_upload(request):
    _ensure_editor(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            # Read once now, so a broken, hostile or unsupported file is refused here, unsaved.
            kind = read_table(upload.name, content).kind
        except ValidationError as exc:
            error = exc.message
        else:
            digest = hashlib.sha256(content).hexdigest()
            path = f"imports/{digest}.{kind}"
            if not default_storage.exists(path):
                default_storage.save(path, ContentFile(content))
            return redirect("inventory:import-preview", sha=digest)
    return render(
        request,
        "inventory/import.html",
        {"form": form, "error": error},
        status=400 if error or form.errors else 200,
    )


def _stored_import(sha: str):
    for extension in ("xlsx", "ods", "csv"):
        path = f"imports/{sha}.{extension}"
        if len(sha) == 64 and default_storage.exists(path):
            with default_storage.open(path, "rb") as handle:
                return f"impor.{extension}", handle.read()
    raise NotFound(_("Berkas impor tidak ditemukan; unggah lagi."))


def _kept_choices(request, sha: str) -> importing.Choices:
    data = request.session.get(IMPORT_CHOICES, {}).get(sha)
    return importing.Choices.from_dict(data) if data else importing.Choices()


def _keep_choices(request, sha: str, choices: importing.Choices | None) -> None:
    """What a person chose stays with the file in their session: a reload or an error keeps it."""
    kept = dict(request.session.get(IMPORT_CHOICES, {}))
    kept.pop(sha, None)
    if choices is not None:
        kept[sha] = choices.as_dict()
    while len(kept) > _KEPT_IMPORTS:
        kept.pop(next(iter(kept)))
    request.session[IMPORT_CHOICES] = kept


def _posted_choices(request, kept: importing.Choices) -> importing.Choices:
    """The form's selects, over what was kept (answers for texts not on the page stay)."""
    post = request.POST
    choices = importing.Choices.from_dict(kept.as_dict())
    pairs = zip(post.getlist("kolom_index"), post.getlist("kolom"), strict=False)
    for index, value in list(pairs)[:_MAX_CHOICES]:
        if index.isascii() and index.isdigit() and len(index) < 4:
            choices.columns[int(index)] = value[:50]
    for name, kept_choices in (("opd", choices.opds), ("dev", choices.developers)):
        pairs = zip(post.getlist(f"{name}_key"), post.getlist(name), strict=False)
        for key, value in list(pairs)[:_MAX_CHOICES]:
            if key in kept_choices or len(kept_choices) < _MAX_CHOICES:
                kept_choices[key[:200]] = value[:50]
    return choices


def _fingerprint(preview) -> str:
    """What the person saw: mapping, matches, classes and every row's fate."""
    seen = {
        "columns": [(c.index, c.target) for c in preview.columns],
        "opds": [(m.key, m.opd.pk if m.opd else None, m.create) for m in preview.opds],
        "developers": [(d.key, d.klass) for d in preview.developers],
        "rows": [(r.number, r.status, sorted(r.changes)) for r in preview.rows],
    }
    return hashlib.sha256(json.dumps(seen, sort_keys=True).encode()).hexdigest()


def _preview_form(preview, choices: importing.Choices | None):
    """The selects of the preview page, showing `choices` (what was typed) where given."""
    opds = list(Opd.objects.order_by("nama"))
    columns = [
        (c, str(choices.columns.get(c.index, c.target)) if choices else c.target)
        for c in preview.columns
    ]
    matches = []
    for m in preview.opds:
        current = "baru" if m.create else (str(m.opd.pk) if m.opd else "")
        suggested = {opd.pk for opd, _score in m.suggestions}
        others = [opd for opd in opds if opd.pk not in suggested]
        selected = choices.opds.get(m.key, current) if choices else current
        matches.append((m, selected, others))
    sources = [
        (d, choices.developers.get(d.key, d.klass) if choices else d.klass)
        for d in preview.developers
    ]
    return {
        "columns": columns,
        "fields": [("", _("— abaikan —"))] + [(f, importing.field_label(f)) for f in COLUMNS],
        "matches": matches,
        "sources": sources,
        "classes": Application.Pengembang.choices,
    }


def _plan_or_typed(filename, content, choices):
    """(preview, error, typed): a refused set of choices comes back as typed, beside the
    preview SIMPATIK makes by itself, so nothing the person chose is lost."""
    try:
        return importing.plan(filename, content, choices), None, None
    except ValidationError as exc:
        if exc.code not in {"mapping_invalid", "no_header"} or choices == importing.Choices():
            raise
        return importing.plan(filename, content), exc.message, choices


@login_required
@domain_errors
def import_preview(request, sha):
    """GET shows the preview with the choices kept for this file; POST keeps new choices and
    shows them again (redirecting, so a reload never posts twice), or imports exactly the
    preview the person saw (the form carries its fingerprint)."""
    _ensure_editor(request.user)
    filename, content = _stored_import(sha)
    choices = _kept_choices(request, sha)
    if request.method == "POST":
        choices = _posted_choices(request, choices)
        _keep_choices(request, sha, choices)
    try:
        preview, error, typed = _plan_or_typed(filename, content, choices)
    except ValidationError as exc:
        return render(
            request,
            "inventory/import.html",
            {"form": ImportForm(), "error": exc.message},
            status=400,
        )
    fingerprint = _fingerprint(preview)
    if request.method == "POST":
        if request.POST.get("action") != "import" or error is not None:
            return redirect("inventory:import-preview", sha=sha)
        if request.POST.get("fingerprint") != fingerprint:
            messages.info(
                request, _("Pratinjau berubah sesuai pilihan Anda: periksa lagi, lalu simpan.")
            )
            return redirect("inventory:import-preview", sha=sha)
        try:
            summary = importing.apply(
                preview,
                actor=request.user,
                via="web",
                filename=filename,
                valid_only=request.POST.get("mode") == "valid_only",
            )
        except ValidationError as exc:
            error = exc.message
        else:
            _keep_choices(request, sha, None)
            messages.success(
                request,
                _("Impor selesai: %(c)d baru, %(u)d diperbarui, %(n)d tidak berubah.")
                % {"c": summary["created"], "u": summary["updated"], "n": summary["unchanged"]},
            )
            return redirect("inventory:list")
    return render(
        request,
        "inventory/import_preview.html",
        {
            "preview": preview,
            "error": error,
            "fingerprint": fingerprint,
            **_preview_form(preview, typed),
        },
        status=400 if error else 200,
    )


@login_required
def export(request, fmt):
    form = FilterForm(request.GET or None)
    applications = queries.filter_applications(
        Application.objects.visible_to(request.user), form.params()
    )
    if fmt == "json":
        body = json.dumps(queries.export_json(applications), ensure_ascii=False, indent=1).encode()
        response = HttpResponse(body, content_type="application/json")
    elif fmt == "csv":
        response = HttpResponse(
            to_csv(*queries.export_table(applications)), content_type="text/csv"
        )
    else:
        response = HttpResponse(to_xlsx(*queries.export_table(applications)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="inventaris-aplikasi.{fmt}"'
    return response


@login_required
def spbe_catalogue(request, fmt):
    """The catalogue in the national SPBE template, of what this person may see of the inventory."""
    applications = Application.objects.visible_to(request.user)
    if fmt == "json":
        body = json.dumps(spbe.as_json(applications), ensure_ascii=False, indent=1).encode()
        response = HttpResponse(body, content_type="application/json")
    else:
        response = HttpResponse(spbe.as_xlsx(applications), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="katalog-aplikasi-spbe.{fmt}"'
    return response


@login_required
def overview(request):
    data = queries.oversight(Application.objects.visible_to(request.user))
    nodes, edges = diagram.layout(list(data["integrations"]))
    return render(request, "inventory/overview.html", {**data, "nodes": nodes, "edges": edges})
