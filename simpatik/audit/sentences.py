"""The audit trail as people read it: one Indonesian sentence per record, labels instead of keys.

`describe(records)` turns records into entries: local time, a sentence from the action registry
(simpatik.audit.actions), labelled rows (SOP field labels, choice labels, names of users,
applications, documents and letters, as links where they have a page) and, behind "rincian", the
hashes and raw values. References are looked up once per page, not once per record.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpatik.audit import actions
from simpatik.core.input_guard import is_number
from simpatik.sop import hooks

EMPTY = "—"
VIA_LABELS = {
    "web": gettext_lazy("halaman web"),
    "api": gettext_lazy("API"),
    "cli": gettext_lazy("baris perintah"),
    "workflow": gettext_lazy("alur SOP"),
}
# Labels of data keys shown as rows (the sentence names the others).
ROW_LABELS = {
    "need": gettext_lazy("Usulan"),
    "sop": gettext_lazy("SOP"),
    "sop_version": gettext_lazy("Versi SOP"),
    "round": gettext_lazy("Putaran"),
    "due_date": gettext_lazy("Batas waktu"),
    "decision": gettext_lazy("Keputusan"),
    "attachments": gettext_lazy("Lampiran"),
    "data": gettext_lazy("Data yang dipertukarkan"),
    "arah": gettext_lazy("Arah"),
    "metode": gettext_lazy("Metode"),
    "created": gettext_lazy("Baru dicatat"),
    "updated": gettext_lazy("Diperbarui"),
    "unchanged": gettext_lazy("Tidak berubah"),
    "skipped_errors": gettext_lazy("Baris bermasalah dilewati"),
    "opds_created": gettext_lazy("OPD baru"),
    "aliases": gettext_lazy("Nama lain OPD yang dipelajari"),
    "kode": gettext_lazy("Kode"),
    "steps": gettext_lazy("Jumlah langkah"),
    "previous": gettext_lazy("Versi sebelumnya"),
    "roles": gettext_lazy("Peran"),
    "opd": gettext_lazy("OPD"),
    "provider": gettext_lazy("Penyedia"),
    "members": gettext_lazy("Anggota"),
    "error": gettext_lazy("Galat"),
    "attempts": gettext_lazy("Percobaan"),
    "type": gettext_lazy("Jenis rekaman"),
    "content": gettext_lazy("Isi rekaman"),
    "server": gettext_lazy("Server"),
    "resources": gettext_lazy("Sumber daya"),
    "address": gettext_lazy("Alamat jaringan"),
    "reason": gettext_lazy("Sebab"),
    "count": gettext_lazy("Jumlah"),
    "before": gettext_lazy("Sebelum"),
    "after": gettext_lazy("Sesudah"),
    "email": gettext_lazy("Surel"),
    "chat": gettext_lazy("Lewat pesan"),
    "mode": gettext_lazy("Cara"),
    "starts_at": gettext_lazy("Waktu"),
    "attendees": gettext_lazy("Peserta"),
    "mentions": gettext_lazy("Disebut"),
    "pejabat": gettext_lazy("Pejabat yang digantikan"),
    "mulai": gettext_lazy("Mulai"),
    "sampai": gettext_lazy("Sampai"),
}
# Coded values that a row shows by their meaning.
VALUE_LABELS = {
    "reason": {
        "invalid_credentials": gettext_lazy("nama pengguna atau kata sandi salah"),
        "mfa_code": gettext_lazy("kode verifikasi dua langkah salah"),
        "password_changed": gettext_lazy("kata sandi diganti"),
    },
    "mode": {"segera": gettext_lazy("segera"), "harian": gettext_lazy("ringkasan harian")},
    "provider": {
        "local": gettext_lazy("server Git SIMPATIK"),
        "gitea": "Gitea",
        "gitlab": "GitLab",
    },
    "type": {
        "totp": gettext_lazy("aplikasi autentikator (TOTP)"),
        "webauthn": gettext_lazy("kunci keamanan / passkey"),
        "recovery_codes": gettext_lazy("kode pemulihan"),
    },
}
# Boolean fields renamed to Indonesian words (one language for codes): a record written before
# the rename keeps the old key (the hash chain forbids rewriting it) and still finds its label.
FORMER_FIELD_NAMES = {
    "active": "aktif",
    "archived": "diarsipkan",
    "digest": "ringkasan",
    "is_active": "berlaku",
    "on_time": "tepat_waktu",
    "signed": "ditandatangani",
}
DETAIL_LABELS = {"sha256": "SHA-256", "size": gettext_lazy("ukuran (bita)")}


@dataclass
class Entry:
    """One record as shown: when, the sentence, labelled rows and the raw details."""

    record: object
    at: dt.datetime
    sentence: SafeString
    rows: list[tuple[str, SafeString]]
    details: list[tuple[str, str]] = field(default_factory=list)

    def __getattr__(self, name):
        # action, actor, reason, data… read through to the record the entry shows.
        if name == "record":
            raise AttributeError(name)
        return getattr(self.record, name)


def local_date(value) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "j M Y H:i")
    if isinstance(value, dt.date):
        return formats.date_format(value, "j M Y")
    return EMPTY


def humanize(key: str) -> str:
    """A last resort for a key nobody labelled: words, not snake_case."""
    return str(key).replace("_", " ").replace(".", " ").strip().capitalize()


def plain(value) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if value is True:
        return _("ya")
    if value is False:
        return _("tidak")
    if isinstance(value, list | tuple):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{humanize(k)}: {plain(v)}" for k, v in value.items())
    return str(value)


def link(label, url: str = "") -> SafeString:
    if url:
        return format_html('<a href="{}">{}</a>', url, label)
    return conditional_escape(label)


def _url(name, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


class References:
    """Names and pages of everything the records of one page point at, fetched in a few queries."""

    def __init__(self, records, viewer=None):
        """`viewer`: the person reading; an usulan they may not open is named, not linked."""
        records = list(records)
        usernames, numbers, nomors, hashes = set(), set(), set(), set()
        choice_values: dict[str, set] = {}
        objects: dict[str, set] = {}
        for r in records:
            data = r.data or {}
            people = ("from", "to", "pejabat", "atas_nama")
            usernames.update(v for v in (data.get(key) for key in people) if isinstance(v, str))
            usernames.update(v for v in data.get("members") or [] if isinstance(v, str))
            numbers.update(v for v in (data.get("number"), data.get("replaces")) if v)
            nomors.update(v for v in (data.get("need"), data.get("nomor")) if v)
            hashes.update(v for v in (data.get("documents") or {}).values() if v)
            if r.object_type:
                objects.setdefault(r.object_type, set()).add(r.object_id)
            definition = self.definition(r)
            for key, value in (data.get("fields") or {}).items() if definition else ():
                item = _item(definition, key, r.step_number)
                if item is None or item.type != "choice":
                    continue
                values = value if isinstance(value, list) else [value]
                if item.choices_from_role:
                    usernames.update(str(v) for v in values)
                elif item.choices_from:
                    choice_values.setdefault(item.choices_from, set()).update(map(str, values))
        User = get_user_model()
        self.users = {
            u.username: u.display_name for u in User.objects.filter(username__in=usernames)
        }
        Letter = apps.get_model("letters", "Letter")
        self.letters = dict(Letter.objects.filter(number__in=numbers).values_list("number", "pk"))
        Need = apps.get_model("projects", "Need")
        needs = Need.objects.visible_to(viewer) if viewer is not None else Need.objects.all()
        self.needs = dict(needs.filter(nomor__in=nomors).values_list("nomor", "pk"))
        Document = apps.get_model("projects", "Document")
        project_ids = {r.project_id for r in records if r.project_id}
        self.documents = {}
        for pk, project_id, sha, name in Document.objects.filter(
            project_id__in=project_ids, sha256__in=hashes
        ).values_list("pk", "project_id", "sha256", "name"):
            self.documents[(project_id, sha)] = (name, pk)
        self.choices = {}
        for provider, values in choice_values.items():
            labels = hooks.choice_labels(provider)
            self.choices[provider] = labels(values) if labels else {}
        self.objects = {}
        for object_type, ids in objects.items():
            try:
                model = apps.get_model(object_type)
            except (LookupError, ValueError):
                continue
            for obj in model._default_manager.filter(pk__in=[i for i in ids if is_number(i)]):
                self.objects[(object_type, str(obj.pk))] = obj

    @staticmethod
    def definition(record):
        project = record.project if record.project_id else None
        return project.definition if project is not None else None

    def user(self, username) -> str:
        return self.users.get(username, username) if username else EMPTY

    def letter(self, number) -> SafeString:
        if not number:
            return conditional_escape(EMPTY)
        pk = self.letters.get(number)
        return link(number, _url("letters:download", pk) if pk else "")

    def need(self, nomor) -> SafeString:
        if not nomor:
            return conditional_escape(EMPTY)
        pk = self.needs.get(nomor)
        return link(nomor, _url("projects:need", pk) if pk else "")

    def object(self, record) -> SafeString:
        obj = self.objects.get((record.object_type, record.object_id))
        if obj is None:
            return conditional_escape(EMPTY)
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
        if not url and record.object_type == "projects.need":
            url = _url("projects:need", obj.pk)
        if not url and record.object_type == "inventory.application":
            url = _url("inventory:detail", obj.pk)
        name = getattr(obj, "nama", None) or getattr(obj, "nomor", None) or str(obj)
        return link(name, url)


def _item(definition, key, step_number=None):
    if step_number:
        try:
            found = definition.step(step_number).requirement(key)
        except KeyError:
            found = None
        if found is not None:
            return found
    for step in definition.steps:
        found = step.requirement(key)
        if found is not None:
            return found
    return None


def step_title(definition, number) -> str:
    if not number:
        return EMPTY
    try:
        step = definition.step(int(number)) if definition else None
    except (KeyError, ValueError, TypeError):
        step = None
    if step is None:
        return _("langkah %(n)s") % {"n": number}
    return _("langkah %(n)s — %(uraian)s") % {"n": step.number, "uraian": _short(step.uraian)}


def _short(text: str, limit: int = 90) -> str:
    text = text.rstrip(" :")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def field_value(refs: References, record, definition, key, value) -> tuple[str, SafeString]:
    """An SOP field as its label and its value, choices by their labels."""
    item = _item(definition, key, record.step_number) if definition else None
    label = item.label if item else humanize(key)
    if item is None or value in (None, "", []):
        return label, conditional_escape(plain(value))
    if item.type == "choice":
        values = value if isinstance(value, list) else [value]
        if item.choices_from_role:
            shown = [conditional_escape(refs.user(v)) for v in values]
        elif item.choices_from:
            known = refs.choices.get(item.choices_from, {})
            shown = [link(*known[str(v)]) if str(v) in known else _("(terhapus)") for v in values]
        else:
            named = dict(item.choice_labels)
            shown = [conditional_escape(named.get(str(v), v)) for v in values]
        return label, mark_safe(", ".join(shown))  # noqa: S308 - each part escaped above
    if item.type == "date":
        return label, conditional_escape(local_date(value))
    return label, conditional_escape(plain(value))


def _model_field_value(model, key, value) -> tuple[str, str]:
    try:
        model_field = model._meta.get_field(key)
    except Exception:  # noqa: BLE001 - a field removed or renamed since the record was written
        try:
            model_field = model._meta.get_field(FORMER_FIELD_NAMES[key])
        except Exception:  # noqa: BLE001
            return humanize(key), plain(value)
    label = capfirst(str(getattr(model_field, "verbose_name", key)))  # "OPD pemilik" stays
    if model_field.choices and value not in (None, ""):
        value = dict(model_field.flatchoices).get(value, value)
    elif isinstance(value, str) and getattr(model_field, "get_internal_type", None):
        if model_field.get_internal_type() == "DateField":
            value = local_date(value)
    return label, plain(value)


def _model_for(code: str):
    if code.startswith("inventory.integration"):
        return apps.get_model("inventory", "Integration")
    if code.startswith("inventory."):
        return apps.get_model("inventory", "Application")
    if code.startswith("need."):
        return apps.get_model("projects", "Need")
    return None


def rows_for(refs: References, record, definition, key, value) -> list[tuple[str, SafeString]]:
    """The labelled lines one data key makes (a dict of fields makes one line per field)."""
    code = record.action
    model = _model_for(code)
    if key == "fields" and isinstance(value, dict):
        if model is not None:
            return [
                tuple(conditional_escape(p) for p in _model_field_value(model, k, v))
                for k, v in value.items()
            ]
        return [field_value(refs, record, definition, k, v) for k, v in value.items()]
    if key == "changes" and isinstance(value, dict) and model is not None:
        lines = []
        for k, pair in value.items():
            before, after = (
                (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            )
            label, old = _model_field_value(model, k, before)
            _label, new = _model_field_value(model, k, after)
            lines.append((label, format_html("{} → {}", old, new)))
        return lines
    if key == "documents" and isinstance(value, dict):
        lines = []
        for doc_key, sha in value.items():
            item = _item(definition, doc_key, record.step_number) if definition else None
            name, pk = refs.documents.get((record.project_id, sha), (None, None))
            shown = link(name, _url("projects:document", pk)) if pk else conditional_escape(EMPTY)
            lines.append((item.label if item else humanize(doc_key), shown))
        return lines
    if key == "decision" and value is None:
        return []
    if key == "round" and value == 1:
        return []  # the first round is the normal case; only repeats are worth a line
    if model is not None and code.startswith("inventory.integration") and key in ("arah", "metode"):
        label, shown = _model_field_value(model, key, value)
        return [(label, conditional_escape(shown))]
    return [
        (
            str(ROW_LABELS.get(key) or humanize(key)),
            placeholder(refs, record, definition, key, value),
        )
    ]


def placeholder(refs: References, record, definition, key, value) -> SafeString:
    """A data value inside a sentence or row, by name and as a link where it has a page."""
    if key == "job" and isinstance(value, str):
        from simpatik.jobs import registry

        return conditional_escape(
            registry.get(value).title if registry.known(value) else humanize(value)
        )
    if isinstance(value, str) and value in VALUE_LABELS.get(key, {}):
        return conditional_escape(str(VALUE_LABELS[key][value]))
    if key in ("from", "to"):
        return conditional_escape(refs.user(value) if value else _("(belum ada)"))
    if key == "pejabat":
        return conditional_escape(refs.user(value) if value else _("(jabatan kosong)"))
    if key == "members":
        return conditional_escape(", ".join(refs.user(v) for v in value or []) or EMPTY)
    if key in ("number", "replaces"):
        return refs.letter(value)
    if key in ("need", "nomor") and record.action.startswith(("project.", "need.")):
        return refs.need(value)
    if key == "sop" and isinstance(value, str):  # by its name, not its code
        from simpatik.sop.models import definitions_in_force

        found = definition if definition is not None and definition.kode == value else None
        found = found or next((d for d in definitions_in_force() if d.kode == value), None)
        return conditional_escape(found.short_name if found else value)
    if key == "role" and definition is not None:
        return conditional_escape(definition.role_names.get(value, humanize(value)))
    if key == "roles" and definition is not None:
        return conditional_escape(plain([definition.role_names.get(v, v) for v in value or []]))
    if key == "reopens":
        return conditional_escape(step_title(definition, value))
    if key == "decision" and definition is not None and record.step_number:
        try:
            option = definition.step(record.step_number).decision(value)
        except KeyError:
            option = None
        return conditional_escape(option.label if option else humanize(value))
    if key == "kind":
        return conditional_escape(hooks.generator(value).get("title") or humanize(value))
    if key == "key" and definition is not None:
        item = _item(definition, value, record.step_number)
        return conditional_escape(item.label if item else humanize(value))
    if key in ("due_date", "mulai", "sampai"):
        return conditional_escape(local_date(value))
    return conditional_escape(plain(value))


class _Slots(dict):
    """Sentence placeholders: a value missing from old data reads as a dash, never a KeyError."""

    def __missing__(self, key):
        return EMPTY


def _acting(refs: References, record) -> str:
    """The actor, and the role and official they acted for when they held it by delegation."""
    name = record.actor_label if record.actor_label != "sistem" else _("Sistem")
    data = record.data or {}
    if not isinstance(data.get("sebagai"), str):
        return name
    if data.get("atas_nama"):
        return _("%(name)s (%(title)s, atas nama %(official)s)") % {
            "name": name,
            "title": data["sebagai"],
            "official": refs.user(data["atas_nama"]),
        }
    return _("%(name)s (%(title)s)") % {"name": name, "title": data["sebagai"]}


def describe(records, viewer=None) -> list[Entry]:
    records = list(records)
    refs = References(records, viewer)
    return [_entry(refs, r) for r in records]


def _entry(refs: References, record) -> Entry:
    action = actions.get(record.action)
    definition = refs.definition(record)
    data = record.data or {}
    slots = _Slots(
        actor=conditional_escape(_acting(refs, record)),
        step=conditional_escape(step_title(definition, record.step_number)),
        object=refs.object(record),
    )
    template = str(action.sentence) if action else _("%(actor)s mencatat sebuah tindakan")
    for name in re.findall(r"%\((\w+)\)s", template):
        if name not in slots:
            slots[name] = placeholder(refs, record, definition, name, data.get(name))
    sentence = template % slots
    sentence = sentence[:1].upper() + sentence[1:] if sentence and sentence[0] != "<" else sentence
    rows = []
    if "%(actor)s" not in template and isinstance(data.get("sebagai"), str):
        rows.append((str(_("Oleh")), slots["actor"]))
    for key in action.rows if action else ():
        if key in data:
            rows += rows_for(refs, record, definition, key, data[key])
    details = []
    if record.via:
        details.append((_("melalui"), str(VIA_LABELS.get(record.via, record.via))))
    for key, value in data.items():
        if key in DETAIL_LABELS:
            details.append((str(DETAIL_LABELS[key]), plain(value)))
    if isinstance(data.get("documents"), dict):
        named = definition.label_of if definition else humanize
        details += [(f"SHA-256 {named(str(k))}", v) for k, v in data["documents"].items()]
    if record.request_id:
        details.append((_("id permintaan"), record.request_id))
    details.append((_("kode tindakan"), record.action))
    if data:
        details.append((_("data tercatat"), json.dumps(data, ensure_ascii=False, default=str)))
    return Entry(
        record=record,
        at=timezone.localtime(record.at) if record.at else timezone.localtime(),
        sentence=mark_safe(sentence),  # noqa: S308 - the msgid is ours, every slot escaped
        rows=rows,
        details=details,
    )


def rows_html(rows) -> SafeString:
    return format_html_join("", "<div><strong>{}</strong>: {}</div>", rows)
