"""The SOP editor: administrators change an SOP in the browser and save it as a new version.

Saving never touches a version in use: it stores a new one, shows its difference from the
version in force, and putting it in force is a separate, audited act. Everything typed is kept
as a draft in the session (each live check stores it), so an error or a reload loses nothing.
"""

from functools import lru_cache

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.accounts.permissions import can
from simpatik.core.errors import PermissionDenied
from simpatik.core.views import domain_errors, error_page
from simpatik.sop import diff
from simpatik.sop.definition import DefinitionError
from simpatik.sop.editor import (
    add_choices,
    all_groups,
    apply_form,
    dom_id,
    dump_tree,
    errors_by_place,
    layout,
    posted_fields,
    read_tree,
    role_choices,
    step_choices,
    tree_copy,
)
from simpatik.sop.editor_steps import (
    ShapeRefused,
    add_row,
    change_way,
    insert_step,
    remove_row,
    remove_step,
)
from simpatik.sop.models import SopVersion
from simpatik.sop.services import (
    activate_version,
    check_definition_text,
    previous_version,
    save_draft,
)
from simpatik.sop.sheet.backends import to_svg
from simpatik.sop.sheet.layout import definition_pages

MAX_UPLOAD = 1024 * 1024
WAY_DECISION = "jadikan_keputusan"
# Buttons that change a step's way onward: op kind -> the way it becomes.
WAYS = {WAY_DECISION: "decision", "jadikan_penangguhan": "suspend", "jadikan_lanjut": "next"}


def _refused(request):
    if can(request.user, "administrasi"):
        return None
    return error_page(
        request, PermissionDenied(_("Hanya administrator yang dapat menyunting SOP."))
    )


def _draft_key(version) -> str:
    return f"sop-draft-{version.pk}"


@lru_cache(maxsize=4)
def _check(text: str):
    """The real loader's verdict on a text: (definition, None) or (None, DefinitionError).
    Kept for the last few texts: the preview asks about the text the live check just checked.
    Callers only read what it returns."""
    try:
        return check_definition_text(text), None
    except DefinitionError as error:
        if error.problems[0].startswith("YAML tidak dapat dibaca"):
            error.paths[0] = ("yaml",)  # shown at the YAML textarea, with its line
        return None, error


def _preview(definition):
    if definition is None:
        return None
    return [to_svg(page) for page in definition_pages(definition, _("draf (belum disimpan)"))]


def _blocks(groups) -> list[dict]:
    """The steps section's groups, one block a step (its head, rows, decision, suspension):
    an htmx answer for a row added or removed in a step sends that block alone."""
    blocks = []
    for group in groups:
        if group.step is not None or not blocks:
            blocks.append({"index": group.step, "groups": []})
        blocks[-1]["groups"].append(group)
    return blocks


def _context(
    version,
    base: str,
    yaml_text: str,
    error=None,
    overrides=None,
    definition=None,
    focus="",
    preview=True,
):
    tree = read_tree(base)
    sections = layout(tree)
    add_choices(tree, sections)
    for group in all_groups(sections):
        for item in group.fields:
            if overrides and item.path in overrides:
                item.value = overrides[item.path]
    errors, general = errors_by_place(error, sections)
    for group in all_groups(sections):
        group.errors = errors.get(group.path, [])
        for item in group.fields:
            item.errors = errors.get(item.path, [])
    return {
        "version": version,
        "sections": sections,
        "step_blocks": _blocks(sections["langkah"]),
        # Only the places with a problem: an htmx answer clears every slot, then fills these.
        "error_slots": [
            ("e-yaml" if path == "yaml" else f"e-{dom_id(path)}", found)
            for path, found in errors.items()
        ],
        "base": base,
        "yaml_text": yaml_text,
        "yaml_errors": errors.get("yaml", []),
        "general": general,
        "problem_count": len(error.problems) if error else 0,
        "pages": _preview(definition) if preview else None,
        "focus": focus,
        "new_after": step_choices(tree),
        "new_roles": role_choices(tree),
    }


def _reshape(text: str, post) -> tuple[str, ShapeRefused | None, str]:
    """Apply the change of shape a button asked for (`op`, "kind:target") to the YAML the form
    made: (new text, a refusal, the path of the field to put the cursor in)."""
    kind, _sep, target = post.get("op", "").partition(":")
    data = tree_copy(text)
    focus = ""
    try:
        if kind == "tambah_langkah":
            after = post.get("baru-setelah", "")
            if not (after.isascii() and after.isdigit()) or len(after) > 6:
                raise ShapeRefused([_("Pilih setelah langkah mana langkah baru ditambahkan.")])
            values = {name: post.get(f"baru-{name}", "") for name in ("role", "uraian", "waktu")}
            values["output"] = post.get("baru-output", "")
            focus = f"steps.{insert_step(data, after=int(after), values=values)}.uraian"
        elif kind == "hapus_langkah" and target.isascii() and target.isdigit() and len(target) < 6:
            remove_step(data, int(target))
        elif kind == "tambah_baris":
            row = add_row(data, target)
            focus = f"{target}.{row}.{'value' if target.endswith('options') else 'key'}"
        elif kind == "hapus_baris":
            remove_row(data, target)
        elif kind in WAYS and target.isascii() and target.isdigit() and len(target) < 6:
            change_way(data, int(target), WAYS[kind])
            focus = f"steps.{target}.decision.options.0.value" if kind == WAY_DECISION else ""
        else:
            raise ShapeRefused([_("Perubahan itu tidak dikenal.")])
    except ShapeRefused as refusal:
        return text, refusal, ""
    return dump_tree(data), None, focus


def _region(op: str) -> tuple[str, int | None]:
    """The part of the form an htmx change of shape redraws: one step's block for a row of that
    step, the steps section when steps are renumbered, the "other" section for its rows."""
    kind, _sep, target = op.partition(":")
    if kind in ("tambah_langkah", "hapus_langkah"):
        return "langkah", None
    if kind in WAYS and target.isascii() and target.isdigit():
        return "blok", int(target)
    parts = target.split(".")
    if parts[0] == "steps" and len(parts) > 1 and parts[1].isascii() and parts[1].isdigit():
        return "blok", int(parts[1])
    return "lainnya", None


def _reshaped(request, context):
    """The htmx answer to a change of shape: the redrawn region, and out of band the texts the
    form is drawn from (base, YAML), the problem list and each problem at its field. The
    identity and roles sections are not sent: what was typed there is already in the text."""
    region, index = _region(request.POST.get("op", ""))
    context["region"] = region
    context["block"] = next(
        (b for b in context["step_blocks"] if b["index"] == index),
        None,
    )
    if region == "blok" and context["block"] is None:
        context["region"] = "langkah"  # the step is gone or renumbered: send them all
    response = render(request, "sop/_editor_reshaped.html", context)
    response["HX-Retarget"] = {
        "langkah": "#bagian-langkah",
        "lainnya": "#bagian-lainnya",
        "blok": f"#langkah-{index}",
    }[context["region"]]
    response["HX-Reswap"] = "outerHTML"
    response["HX-Trigger-After-Settle"] = "sop-preview"  # the sheet preview, redrawn apart
    return response


def _merged(first: DefinitionError | None, second: DefinitionError | None):
    if first is None or second is None:
        return first or second
    return DefinitionError(first.problems + second.problems, first.paths + second.paths)


def _readable(text: str, version, fallback: str | None = None) -> str:
    """`text` if it parses, else what the form can be drawn from instead (the version's own)."""
    try:
        read_tree(text)
    except DefinitionError:
        return fallback or version.source
    return text


def _read_upload(upload) -> str | None:
    if upload is None or upload.size > MAX_UPLOAD:
        return None
    try:
        return upload.read().decode("utf-8")
    except UnicodeDecodeError:
        return None


def editor(request, pk):
    version = get_object_or_404(SopVersion, pk=pk)
    if refused := _refused(request):
        return refused
    key = _draft_key(version)
    if request.method == "GET":
        if request.GET.get("buang"):
            request.session.pop(key, None)
            return redirect("sop:edit", version.pk)
        text = request.session.get(key) or version.source
        definition, error = _check(text)
        context = _context(version, _readable(text, version), text, error, definition=definition)
        context["restored"] = key in request.session
        return render(request, "sop/editor.html", context)
    base = _readable(request.POST.get("base", ""), version)
    yaml_text = request.POST.get("yaml", base)
    posted = posted_fields(request.POST)
    if "berkas" in request.FILES:
        uploaded = _read_upload(request.FILES["berkas"])
        if uploaded is None:
            error = DefinitionError(
                [_("Unggah berkas YAML (UTF-8, paling besar 1 MB).")], [("yaml",)]
            )
            return render(
                request, "sop/editor.html", _context(version, base, yaml_text, error), status=400
            )
        yaml_text, posted = uploaded, {}
        base = _readable(uploaded, version, fallback=base)
    try:
        text = apply_form(base, yaml_text, posted)
        read_tree(text)
    except DefinitionError as error:
        context = _context(version, base, yaml_text, error, overrides=posted)
        if request.POST.get("op") and request.headers.get("HX-Request"):
            # The YAML textarea does not parse: the whole form, with the problem at it (htmx
            # swaps only a 2xx answer).
            response = render(request, "sop/_editor_form.html", context)
            response["HX-Retarget"] = "#sop-editor"
            response["HX-Reswap"] = "outerHTML"
            return response
        return render(request, "sop/editor.html", context, status=400)
    if request.POST.get("op"):
        text, refusal, focus = _reshape(text, request.POST)
        request.session[key] = text
        definition, error = _check(text)
        htmx = bool(request.headers.get("HX-Request"))
        context = _context(
            version,
            text,
            text,
            _merged(refusal, error),
            definition=definition,
            focus=focus,
            preview=not htmx,
        )
        if htmx:
            # htmx swaps only a 2xx answer: a refusal is shown in the region it replaces.
            return _reshaped(request, context)
        return render(request, "sop/editor.html", context, status=400 if refusal else 200)
    request.session[key] = text
    if request.POST.get("aksi") == "simpan":
        newest = SopVersion.objects.filter(kode=version.kode).order_by("-version").first()
        try:
            saved = save_draft(
                text, actor=request.user, note=request.POST.get("note", ""), via="web"
            )
        except DefinitionError as error:
            context = _context(version, text, text, error)
            return render(request, "sop/editor.html", context, status=400)
        request.session.pop(key, None)
        if saved != newest:
            messages.success(
                request,
                _("Versi %(n)s disimpan; belum berlaku sampai diberlakukan.")
                % {"n": saved.version},
            )
        else:
            messages.info(request, _("Tidak berubah: isi yang sama sudah tersimpan."))
        return redirect("sop:diff", saved.pk)
    definition, error = _check(text)
    status = 400 if error else 200
    context = _context(version, text, text, error, definition=definition)
    return render(request, "sop/editor.html", context, status=status)


def _checked_form(request, version, store: bool):
    base = _readable(request.POST.get("base", ""), version)
    yaml_text = request.POST.get("yaml", base)
    try:
        text = apply_form(base, yaml_text, posted_fields(request.POST))
    except DefinitionError as exc:  # the YAML textarea does not parse
        return base, yaml_text, None, exc
    if store:
        request.session[_draft_key(version)] = text
    definition, error = _check(text)
    return base, yaml_text, definition, error


@require_POST
def check(request, pk):
    """The live check (htmx): the real loader on the YAML the form would produce; each problem
    is swapped into the slot next to its field. Only the problems are sent (every slot is
    cleared, then those with a problem filled); the sheet preview is redrawn by its own,
    slower-paced request (`preview`), not at each keystroke."""
    version = get_object_or_404(SopVersion, pk=pk)
    if refused := _refused(request):
        return refused
    base, yaml_text, definition, error = _checked_form(request, version, store=True)
    context = _context(version, base, yaml_text, error, preview=False)
    return render(request, "sop/_editor_feedback.html", context)


@require_POST
def preview(request, pk):
    """The SOP sheet and swimlane of what the form would save (htmx, after typing pauses)."""
    version = get_object_or_404(SopVersion, pk=pk)
    if refused := _refused(request):
        return refused
    _base, _yaml, definition, _error = _checked_form(request, version, store=False)
    context = {"version": version, "pages": _preview(definition)}
    return render(request, "sop/_editor_preview.html", context)


def version_diff(request, pk):
    """A version against the one it would replace, with the button that puts it in force."""
    version = get_object_or_404(SopVersion, pk=pk)
    previous = previous_version(version)
    context = {"version": version, "previous": previous, "changes": [], "unified": ""}
    if previous is not None:
        context["changes"] = diff.changes(previous.data, version.data)
        context["unified"] = diff.unified(
            previous.source,
            version.source,
            f"versi {previous.version}",
            f"versi {version.version}",
        )
    return render(request, "sop/diff.html", context)


@require_POST
@domain_errors
def activate(request, pk):
    version = get_object_or_404(SopVersion, pk=pk)
    if refused := _refused(request):
        return refused
    activate_version(version, actor=request.user, via="web")
    messages.success(request, _("Versi %(n)s berlaku untuk proyek baru.") % {"n": version.version})
    return redirect("sop:versions")


def download(request, pk):
    """The version's YAML exactly as stored: the exchange format, byte for byte."""
    version = get_object_or_404(SopVersion, pk=pk)
    response = HttpResponse(version.source.encode(), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{version.kode}-v{version.version}.yaml"'
    )
    return response
