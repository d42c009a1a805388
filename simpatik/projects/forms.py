from django import forms
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from simpatik.accounts.models import Opd
from simpatik.accounts.permissions import has
from simpatik.core.kept import Kept
from simpatik.core.precompiled import Precompiled
from simpatik.core.rows import (
    QuickCheckboxInput,
    QuickNumberInput,
    QuickSelect,
    QuickTextInput,
)
from simpatik.core.widgets import (
    DateInput,
    HeldFileField,
    HeldFileInput,
    HoldsFiles,
    digits_only,
)
from simpatik.inventory import census_form, census_notes
from simpatik.projects.models import Need, Project

ATTACHMENT_PREFIX = "lampiran__"
ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.odt,.ods,image/*"
FILTER_STATUS = [("", _("Semua status"))] + list(Project.Status.choices)


class NeedForm(HoldsFiles, forms.ModelForm):
    class Meta:
        model = Need
        fields = [
            "judul",
            "opd",
            "latar_belakang",
            "tujuan",
            "pengguna_sasaran",
            "nomor_surat",
            "tanggal_surat",
        ]
        widgets = {
            "latar_belakang": forms.Textarea(attrs={"rows": 4}),
            "tujuan": forms.Textarea(attrs={"rows": 3}),
            "tanggal_surat": DateInput(),
        }

    def __init__(self, *args, user=None, attachments=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = Opd.objects.filter(aktif=True)
        self.fields["opd"].required = False
        digits_only(self.fields["opd"])  # an id "٣" is not the OPD 3
        digits_only(self.fields["tanggal_surat"])  # "٢٠٢٦-01-01" is not a date here
        if editing or (user is not None and user.opd_id and not has(user, "catat_usulan")):
            del self.fields["opd"]
        # The documents the SOP asks of the OPD (usulan.lampiran), checked by the service.
        for item in attachments:
            self.fields[ATTACHMENT_PREFIX + item.key] = HeldFileField(
                label=item.label,
                required=False,
                help_text=_("PDF, dokumen Office/ODF atau gambar.")
                if not editing
                else _("Unggah bila ingin mengganti; berkas lama tetap tersimpan."),
                widget=HeldFileInput(attrs={"accept": ACCEPT}),
            )
        self.set_owner(user)

    def split(self) -> tuple[dict, dict]:
        """(values for the need, {attachment key: uploaded file})."""
        values, files = {}, {}
        for name, value in self.cleaned_data.items():
            if name.startswith(ATTACHMENT_PREFIX):
                files[name.removeprefix(ATTACHMENT_PREFIX)] = value or None
            else:
                values[name] = value
        return values, files


def sop_field(empty_label=None, *, per_application=False):
    """A choice of the SOPs in force by code, or None when only one runs (nothing to choose);
    `per_application`: only those about one application (an usulan takes one up)."""
    from simpatik.sop.models import definitions_in_force

    # From the versions read once per request (permissions read them too): no query of its own.
    versions = sorted(definitions_in_force(), key=lambda definition: definition.kode)
    if per_application:
        versions = [definition for definition in versions if definition.per_application]
    if len(versions) < 2:
        return None
    choices = [(d.kode, d.short_name) for d in versions]
    if empty_label is not None:
        choices = [("", empty_label), *choices]
    # Never required: in a filter the empty choice means every SOP (a required field made the
    # whole filter bar invalid, and its other filters ignored, whenever "Semua SOP" was left);
    # a form that starts a project takes the seed SOP for an empty one.
    return forms.ChoiceField(label=_("SOP"), choices=choices, required=False)


class ProjectForm(forms.Form):
    nama = forms.CharField(label=_("Nama aplikasi"), max_length=200)
    opd = forms.ModelChoiceField(label=_("OPD"), queryset=Opd.objects.filter(aktif=True))
    deskripsi = forms.CharField(
        label=_("Deskripsi"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    rujukan = forms.CharField(label=_("Rujukan usulan/permintaan"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        digits_only(self.fields["opd"])  # an id "٣" is not the OPD 3
        offer_sop(self)


def offer_sop(form, *, per_application=False) -> None:
    """Give a form that starts a project the choice of SOP (the seed SOP chosen), if there is one."""
    from django.conf import settings

    field = sop_field(per_application=per_application)
    if field is not None:
        field.initial = settings.SIMPATIK_SOP_KODE
        form.fields["sop"] = field


class SopChoiceForm(forms.Form):
    """Which SOP (taking up a need, evaluating, reporting): offered only while more than one is
    in force, the seed SOP chosen; `per_application`: only SOPs about one application."""

    def __init__(self, *args, per_application=False, **kwargs):
        super().__init__(*args, **kwargs)
        offer_sop(self, per_application=per_application)


def _opds_query():
    return Opd.objects.values_list("pk", "singkatan", "nama")


# The OPD filter's choices, read on every load of the project list: compiled once per process.
_OPDS = Precompiled(_opds_query)
_BARS = Kept(256)  # the filter bar's HTML by what it prints (see ProjectFilterForm.bar)


class ProjectFilterForm(forms.Form):
    # Widgets written in Python (core.rows): the bar is on every load of the project list.
    q = forms.CharField(label=_("Cari"), required=False, widget=QuickTextInput)
    status = forms.ChoiceField(
        label=_("Status"), choices=FILTER_STATUS, required=False, widget=QuickSelect
    )
    # The OPDs as (id, name) values, not model instances: the view filters by the id.
    opd = forms.ChoiceField(label=_("OPD"), required=False, widget=QuickSelect)
    step = forms.IntegerField(
        label=_("Langkah saat ini"), required=False, min_value=1, widget=QuickNumberInput
    )
    overdue = forms.BooleanField(
        label=_("Hanya yang terlambat"), required=False, widget=QuickCheckboxInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._opds = tuple(_OPDS.rows())
        self.fields["opd"].choices = [
            ("", _("Semua OPD")),
            *((pk, Opd.label(singkatan, nama)) for pk, singkatan, nama in self._opds),
        ]
        field = sop_field(_("Semua SOP"))
        if field is not None:
            self.fields["sop"] = field

    def bar(self) -> str:
        """The filter bar's fields as the page prints them (_project_filters.html), rendered once
        per process for the same OPDs, SOP versions, language and submitted values."""
        from simpatik.sop.models import stored_versions

        key = (
            get_language(),
            self._opds,
            stored_versions(),
            self.is_bound,
            tuple(self.data.get(name) for name in self.fields),
        )
        found = _BARS.get(key)
        if found is None:
            found = _BARS.put(
                key, get_template("projects/_project_filters.html").render({"form": self})
            )
        return mark_safe(found)


class TaskFilterForm(forms.Form):
    """Tugas Saya's one filter: the SOP, offered only while more than one runs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = sop_field(_("Semua SOP"))
        if field is not None:
            self.fields["sop"] = field


def fields_from_post(step, post) -> dict:
    """The step's field values from a submitted form (several values for a multiple choice).

    The form sends an empty value beside a multiple choice's boxes, so unticking every box is
    seen as a choice too, and before a yes/no box: its tick, when ticked, is the value after it.
    """
    fields = {}
    for item in step.requirements:
        if item.kind == "field" and census_notes.is_notes(item):
            assembled = census_notes.notes_json(post, item.key)
            if assembled is not None:
                fields[item.key] = assembled
                continue
        if item.kind == "field" and census_form.is_census(item):
            assembled = census_form.rows_json(post, item.key)
            if assembled is not None:
                fields[item.key] = assembled  # the table's cells, as the JSON the API takes
                continue
        if item.kind == "field" and item.key in post:
            values = post.getlist(item.key)
            fields[item.key] = (
                list(dict.fromkeys(v for v in values if v)) if item.multiple else values[-1]
            )
    return fields


DECISION_CODES = {"decision_required", "decision_invalid", "decision_not_expected"}


def step_form(detail: dict, *, draft=None, posted=None, error=None) -> dict:
    """What the step form shows: each field's value and the message next to it.

    One rule for every action on the form: a failed action shows what was posted, else the
    draft, else the recorded value; errors stand next to the field or document they concern.
    """
    data = getattr(error, "data", None) or {}
    fields = dict((draft or {}).get("errors") or {})
    if isinstance(data.get("fields"), dict):
        fields.update(data["fields"])
    documents = dict(data.get("documents") or {})
    code = getattr(error, "code", None)
    if code in DECISION_CODES:
        fields["decision"] = error.message
    elif code == "reason_required":
        fields["reason"] = error.message
    for item in data.get("missing") or []:
        if item.get("kind") == "document":
            documents.setdefault(item["key"], gettext("Belum ada; wajib sebelum langkah selesai."))
        else:
            fields.setdefault(item["key"], gettext("Wajib diisi sebelum langkah selesai."))
    typed = (draft or {}).get("fields") or {}
    # The answer being verified (a census part read at the Kasie's step), for the note boxes,
    # and the notes a returned part came back with, shown beside each application.
    answer = next((r["rows"] for r in detail["requirements"] if r.get("rows") is not None), None)
    returned_notes = (detail.get("returned") or {}).get("notes") or []
    entries = []
    for req in detail["requirements"]:
        if req["kind"] != "field" or not req.get("writable", True):
            continue  # an earlier step's Output is read here, never typed again
        key = req["key"]
        if posted is not None and key in posted:
            shown = posted.getlist(key) if req.get("multiple") else posted.get(key)
        elif key in typed:
            shown = typed[key]
        else:
            shown = req.get("value")
            if shown in (None, "", []) and req.get("suggested"):
                shown = req["suggested"]  # offered (the presentation's attendees), still editable
        chosen = [str(v) for v in shown] if isinstance(shown, list) else [str(shown)]
        if req.get("multiple"):
            shown = ""
        entries.append(
            {
                **req,
                "table": census_form.table(key, shown, posted, notes=returned_notes)
                if census_form.is_census(req)
                else None,
                "notes_table": census_notes.notes_table(key, answer, shown, posted)
                if census_notes.is_notes(req)
                else None,
                "shown": "" if shown is None else shown,
                "chosen": chosen,
                "error": fields.get(key),
            }
        )
    labels = {req["key"]: req["label"] for req in detail["requirements"]}
    labels.update(decision=gettext("Keputusan"), reason=gettext("Alasan"))
    summary = [
        (
            f"{prefix}-{key}",
            text if text.startswith(labels.get(key, "")) else f"{labels.get(key, key)}: {text}",
        )
        for prefix, found in (("f", fields), ("file", documents))
        for key, text in found.items()
    ]
    # A decision and its reason: as sent by a failed action, else as kept with the draft.
    kept = posted if posted is not None else draft or {}
    return {
        "fields": entries,
        "errors": fields,
        "documents": documents,
        "summary": summary,
        "draft_info": draft,
        "decision": kept.get("decision") or "",
        "reason": kept.get("reason") or "",
    }
