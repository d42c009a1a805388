"""`{% requirement_items %}`: the step panel's list of requirements, written in Python.

Through the template engine each item walked some fifteen tags, a `{% url %}` and a `{% with %}`
per requirement; the panel's own CPU went mostly there. The markup is the one the template
wrote (projects/_step_panel.html kept it before); the rare census tables inside an item still
come from their templates."""

import datetime as dt

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import join, truncatechars
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from simpatik.core.rows import short_date, url_of
from simpatik.core.templatetags.simpatik import accept_attribute

register = template.Library()


def _documents(form):
    """The template's `form.documents|get_item:key`: errors by document key, or nothing."""
    documents = form.get("documents") if isinstance(form, dict) else None
    return documents if hasattr(documents, "get") else {}


@register.simple_tag(takes_context=True)
def requirement_items(context, detail, form, project):
    value = lambda v: render_value_in_context(v, context)  # noqa: E731  escaped, localized
    status = detail.get("status")
    errors = _documents(form)
    upload_url = None
    if detail.get("can_act"):
        upload_url = value(
            reverse("projects:step-action", args=[project.pk, detail["number"], "unggah"])
        )
        if detail.get("opd"):
            upload_url += "?opd=" + value(detail["opd"])
    words = {
        "hasil": _("hasil"), "kelengkapan": _("kelengkapan"), "dokumen": _("dokumen"),
        "isian": _("isian"), "wajib": _("wajib bila"), "lengkap": _("lengkap"),
        "belum": _("belum ada"), "opsional": _("opsional"),
        "dibuat": _("dibuat saat langkah selesai"), "baru": _("perlu versi baru"),
        "kosong": _("opsional, tidak diisi"),
    }  # fmt: skip
    out = []
    for req in detail.get("requirements") or ():
        out.append(
            _item(context, value, req, status, errors.get(req.get("key")), upload_url, words)
        )
    return mark_safe("".join(out))


def _item(context, value, req, status, doc_error, upload_url, words):
    get = req.get
    key = value(get("key"))
    pending = (get("generate") and get("group") == "hasil" and status == "berjalan") or (
        get("generated") and not get("document")
    )
    # Each mark says one thing: made at completion, a new version due this round, an optional
    # item left empty (an optional photo never uploaded showed ✓), present, or missing (a ✓
    # beside "perlu versi baru" said both).
    if get("kind") == "field":
        empty = get("value") in (None, "", [])
    else:
        empty = not get("document")
    if pending:
        state, sym, said = "pending", "○", words["dibuat"]
    elif get("needs_new_version"):
        state, sym, said = "missing", "↻", words["baru"]
    elif get("optional") and empty:
        state, sym, said = "optional", "–", words["kosong"]
    elif get("satisfied"):
        state, sym, said = "ok", "✓", words["lengkap"]
    else:
        state, sym, said = "missing", "✗", words["belum"]
    parts = [f'\n    <li data-key="{key}" class="{state}{" invalid" if doc_error else ""}"']
    if get("generate"):
        parts.append(f' data-generate="{value(get("generate").get("kind"))}"')
    group = words["hasil"] if get("group") == "hasil" else words["kelengkapan"]
    kind = words["dokumen"] if get("kind") == "document" else words["isian"]
    needed = f", {value(words['opsional'])}" if get("optional") else ""
    if get("required_for_decisions"):
        labels = join(get("required_for_labels") or [], ", ", autoescape=context.autoescape)
        needed += f"; {value(words['wajib'])} {labels}"
    parts.append(
        f'>\n      <span aria-hidden="true">{sym}</span>\n      <strong>{value(get("label"))}</strong>'
        f' <span class="small">({value(group)}, {value(kind)}{needed})</span>'
        f'\n      <span class="sr-only">{value(said)}</span>'
    )
    if get("needs_new_version"):
        renew = _("perlu versi baru pada putaran ini")
        parts.append(f'\n      <span class="badge new-version">{value(renew)}</span>')
    if get("from_step"):
        text = _("dari langkah %(n)s") % {"n": value(get("from_step"))}
        parts.append(f'\n      <span class="small from-step">{text}</span>')
    document = get("document")
    if document:
        parts.append(
            format_html(
                '\n      <div class="small"><a href="{}">{}</a> v{} · SHA-256 {}</div>',
                url_of("projects:document", document["id"]),
                value(document.get("name")),
                value(document.get("version")),
                truncatechars(document.get("sha256"), 17),
            )
        )
    if get("kind") == "field" and get("value") and get("satisfied"):
        parts.append(f'\n      <div class="small">{_field_value(context, value, req)}</div>')
    if get("previous_value"):
        earlier = (
            _labels(value, get("previous_labels"))
            if get("previous_labels")
            else value(get("previous_value"))
        )
        before = _("Putaran sebelumnya")  # outside the f-string, where makemessages finds it
        parts.append(f'\n      <div class="small">{value(before)}: {earlier}</div>')
    if pending:
        note = _("Dibuat dan ditandatangani oleh SIMPATIK saat langkahnya selesai.")
        parts.append(f'\n      <div class="small">{value(note)}</div>')
    if upload_url and get("kind") == "document" and get("writable") and not get("generated"):
        parts.append(_upload(value, req, key, doc_error, upload_url))
    elif doc_error:
        parts.append(f'\n      <span class="field-error">{value(doc_error)}</span>')
    parts.append("\n    </li>")
    return "".join(parts)


def _field_value(context, value, req):
    get = req.get
    if get("type") == "boolean":
        return value(_("ya"))
    if get("type") == "date":  # as every page writes a date (30 Nov 2026), not ISO
        try:
            return value(short_date(dt.date.fromisoformat(str(get("value")))))
        except ValueError:
            return value(get("value"))
    if get("rows") is not None:  # a census answer: its applications, or that it has none
        if not get("rows"):
            return value(_("Tidak ada aplikasi."))
        return _included(context, "inventory/_census_rows.html", rows=get("rows"))
    if get("notes"):
        return _included(context, "inventory/_census_note_list.html", notes=get("notes"))
    if get("value_labels"):
        return _labels(value, get("value_labels"))
    return value(get("value"))


def _labels(value, labels) -> str:
    """Chosen values by their labels, linked to their pages where they have one."""
    shown = [
        format_html('<a href="{}">{}</a>', v.get("url"), value(v.get("label")))
        if v.get("url")
        else value(v.get("label"))
        for v in labels
    ]
    return ", ".join(shown)


def _included(context, name, **extra):
    """As `{% include name with ... %}`: that template with the page's context and `extra`."""
    with context.push(**extra):
        return get_template(name).template.render(context)


def _upload(value, req, key, doc_error, upload_url):
    label = _("Berkas %(l)s") % {"l": value(req.get("label"))}
    invalid = (
        f' class="invalid" aria-invalid="true" aria-describedby="doc-err-{key}"'
        if doc_error
        else ""
    )
    button = _("Unggah versi baru") if req.get("document") else _("Unggah")
    error = (
        f'\n        <span class="field-error" id="doc-err-{key}">{value(doc_error)}</span>'
        if doc_error
        else ""
    )
    return (
        f'\n      <div class="upload">\n        <label for="file-{key}" class="sr-only">{label}</label>'
        f'\n        <input id="file-{key}" type="file" name="file-{key}" form="complete-form"'
        f' accept="{value(accept_attribute(req.get("accept")))}"{invalid}>'
        f'\n        <button class="secondary" type="submit" form="complete-form"'
        f' formaction="{upload_url}" formnovalidate name="key" value="{key}"'
        f' data-upload="{key}">{value(button)}</button>{error}\n      </div>'
    )
