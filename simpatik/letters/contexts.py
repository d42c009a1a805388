"""What each kind of document says, built only from what the project recorded.

Everything reaches the template as text for people: choice values by their labels, lists joined,
dates in Indonesian, times in the regency's zone (Asia/Makassar); never a key or a Python repr.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from simpatik.accounts import delegation
from simpatik.core.workdays import working_days_between
from simpatik.discussions import services as discussions
from simpatik.inventory import census
from simpatik.letters import photos
from simpatik.letters.kinds import KINDS, tanggal_indonesia
from simpatik.projects.models import Document, StepRun
from simpatik.projects.services.rules import choice_options, earlier_values

AGENDA = {
    "berita_acara_rencana": "presentasi rencana pengembangan aplikasi",
    "berita_acara_hasil": "presentasi hasil pengembangan aplikasi beserta hasil pengujiannya",
}
MAX_PHOTOS = 6


def _role_position(definition, key: str) -> str:
    role = next((r for r in definition.roles if r["key"] == key), None)
    return (role.get("jabatan") or role["nama"]) if role else ""


def signer_block(user, definition, role_key: str) -> dict:
    """Jabatan, nama, NIP and pangkat/golongan as the user's profile records them; one who
    holds the role by delegation signs as "Plh."/"Plt." of the post, as the tata naskah dinas
    writes it, above their own name."""
    if user is None:
        return {"name": "", "position": _role_position(definition, role_key), "nip": "", "rank": ""}
    acting = delegation.acting_for(user, role_key)
    if acting is not None:
        post = (acting.from_user.jabatan if acting.from_user_id else "") or _role_position(
            definition, role_key
        )
        position = f"{acting.prefix} {post}"[:200]  # Letter.signer_position holds 200
    else:
        position = user.jabatan or _role_position(definition, role_key)
    return {
        "name": user.display_name,
        "position": position,
        "nip": user.nip,
        "rank": getattr(user, "pangkat_golongan", ""),
    }


def _text(item, value, project) -> str:
    """One recorded value as people read it."""
    if value in (None, "", []):
        return ""
    if item is not None and item.type == "choice":
        labels = dict(choice_options(item, project))
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(v, v)) for v in values)
    if item is not None and item.type == "date":
        try:
            return tanggal_indonesia(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def display_values(project, values: dict) -> dict:
    items = {}
    for step in project.definition.steps:
        for item in step.requirements:
            items.setdefault(item.key, item)
    return {key: _text(items.get(key), value, project) for key, value in values.items()}


def parse_attendees(text: str) -> list[tuple[str, str]]:
    """'Nama — Jabatan' per line (also '-', ';' or ',' between them)."""
    people = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        for separator in (" — ", " – ", " - ", ";", ","):
            if separator in line:
                name, role = line.split(separator, 1)
                people.append((name.strip(), role.strip()))
                break
        else:
            people.append((line, ""))
    return people


def _photos(run: StepRun, key: str) -> tuple[list[str], list[str]]:
    """The images uploaded under `key` in this round, oldest first, as printed (reduced, upright,
    without EXIF; see letters/photos.py), and a note for each one that cannot be printed."""
    if not key:
        return [], []
    found, notes = [], []
    documents = Document.objects.filter(step_run=run, key=key, mime__startswith="image/")
    for document in documents.order_by("version")[:MAX_PHOTOS]:
        kind, text = photos.embedded(document)
        (found if kind == "photo" else notes).append(text)
    return found, notes


def _latest_documents(project) -> dict[str, Document]:
    latest: dict[str, Document] = {}
    for document in Document.objects.filter(project=project).order_by("key", "-version"):
        latest.setdefault(document.key, document)
    return latest


def _steps(project) -> list[dict]:
    definition = project.definition
    rows = []
    runs = project.step_runs.filter(status=StepRun.Status.SELESAI).select_related("completed_by")
    for run in runs.order_by("completed_at", "id"):
        step = definition.step(run.step_number)
        opened, completed = timezone.localdate(run.opened_at), timezone.localdate(run.completed_at)
        option = step.decision(run.decision) if run.decision else None
        waktu = step.waktu_label
        if step.waktu_from_field and run.due_date:  # the approved schedule, in days
            waktu = f"{working_days_between(opened, run.due_date)} hari kerja (jadwal)"
        rows.append(
            {
                "number": run.step_number,
                "uraian": step.uraian,
                "round": run.round,
                "by": run.completed_by.display_name if run.completed_by_id else "—",
                "completed": tanggal_indonesia(completed),
                "duration": f"{working_days_between(opened, completed)} hari kerja",
                "waktu": waktu,
                "decision": option.label if option else "",
                "reason": run.reason,
            }
        )
    return rows


def _documents(project) -> list[dict]:
    rows = Document.objects.filter(project=project).select_related("step_run")
    return [
        {
            "name": document.name,
            "version": document.version,
            "step": document.step_run.step_number,
            "sha256": document.sha256,
            "short": document.sha256[:12],
            "note": index,
        }
        for index, document in enumerate(
            rows.order_by("step_run__opened_at", "key", "version"), start=1
        )
    ]


def _countersigner(kind, project, values, definition):
    """The second party named in the step's fields, with their signature block."""
    if not kind.countersigner_key:
        return None, None
    username = values.get(kind.countersigner_key)
    user = get_user_model().objects.filter(username=username).first() if username else None
    role = countersigner_roles(definition).get(kind.countersigner_key, "")
    return user, signer_block(user, definition, role) | {"role": role}


def countersigner_roles(definition) -> dict[str, str]:
    """{field naming a second party: the role that party is chosen from} in this SOP.

    Asked on every step completion; a parsed definition never changes (one per SOP version per
    process) and the letter kinds are fixed, so it is worked out once and kept on the definition.
    The dict returned is shared: read it, do not change it."""
    found = definition.__dict__.get("_countersigner_roles")
    if found is None:
        keys = {kind.countersigner_key for kind in KINDS.values() if kind.countersigner_key}
        found = {
            item.key: item.choices_from_role
            for step in definition.steps
            for item in step.hasil
            if item.key in keys and item.choices_from_role
        }
        definition.__dict__["_countersigner_roles"] = found
    return found


def build(kind_key: str, run: StepRun, actor, *, values: dict | None = None) -> dict:
    """The template's context, in Indonesian whatever language its reader's pages are in (the
    labels of choices, role names and the like read here are translatable). Not the decorator
    form of override: one instance shared by every thread keeps one language to restore."""
    with translation.override("id"):
        return _build(kind_key, run, actor, values=values)


def _build(kind_key: str, run: StepRun, actor, *, values: dict | None = None) -> dict:
    """The template's context; `values` (a draft) overrides what the run recorded."""
    kind = KINDS[kind_key]
    project = run.project
    definition = project.definition
    recorded = {**earlier_values(project, before=run), **(run.values or {}), **(values or {})}
    documents = _latest_documents(project)
    step = definition.step(run.step_number)
    shown = display_values(project, recorded)
    countersigner, second = _countersigner(kind, project, recorded, definition)
    printed, photo_notes = _photos(run, kind.photos_key)
    context = {
        "project": project,
        "values": shown,
        "catatan": shown.get(kind.notes_key, "") if kind.notes_key else "",
        "attendees": parse_attendees(str(recorded.get(kind.attendance_key) or "")),
        "photos": printed,
        "photo_notes": photo_notes,
        "signer": signer_block(actor, definition, run.role_key),
        "second_signer": second,
        "first_heading": "Yang menyampaikan," if second else "",
        "second_heading": "Yang menerima," if second else "",
        "countersigner": countersigner,
        "addressee": _role_position(definition, definition.addressee_of(kind.key) or ""),
        "presented": [
            (item.label, documents.get(item.key))
            for item in step.kelengkapan
            if item.kind == "document"
        ],
        "agenda": AGENDA.get(kind.key, ""),
    }
    decided = (
        project.step_runs.filter(status=StepRun.Status.SELESAI)
        .exclude(decision="")
        .order_by("-completed_at")
    )
    last = decided.first()
    context["decision_reason"] = last.reason if last else ""
    subdomain = str(recorded.get("subdomain") or "").strip().lower()
    if subdomain:
        context["fqdn"] = (
            subdomain if "." in subdomain else f"{subdomain}.{settings.SIMPATIK_APPS_DOMAIN}"
        )
    if kind.key == "rekapitulasi_sensus":
        context["census"] = census.summary(project)
    if kind.key == "laporan_pengembangan":
        context["steps"] = _steps(project)
        context["documents"] = _documents(project)
        context["discussions"] = [
            {**entry, "when": f"{tanggal_indonesia(entry['at'])} {entry['at']:%H.%M} WITA"}
            for entry in discussions.for_report(project)
        ]
    return context
