"""What each kind of document says, built only from what the project recorded."""

from django.conf import settings

from simpatik.core.workdays import working_days_between
from simpatik.letters.kinds import tanggal_indonesia
from simpatik.projects.models import Document, StepRun
from simpatik.projects.services.rules import earlier_values

# Who a document goes to, by the SOP role of its addressee.
ADDRESSEE_ROLE = {
    "surat_perintah": "kabid",
    "laporan_ketidaktersediaan": "kadis",
    "laporan_instalasi": "kabid",
    "surat_rekomendasi": "kadis",
    "laporan_pengembangan": "kadis",
}
AGENDA = {
    "berita_acara_rencana": "presentasi rencana pengembangan aplikasi",
    "berita_acara_hasil": "presentasi hasil pengembangan aplikasi beserta hasil pengujiannya",
}


def _role_position(definition, key: str) -> str:
    role = next((r for r in definition.roles if r["key"] == key), None)
    return (role.get("jabatan") or role["nama"]) if role else key


def signer_block(user, definition, role_key: str) -> dict:
    return {
        "name": user.display_name,
        "position": user.jabatan or _role_position(definition, role_key),
        "nip": user.nip,
    }


def _latest_documents(project) -> dict[str, Document]:
    latest: dict[str, Document] = {}
    for document in Document.objects.filter(project=project).order_by("key", "-version"):
        latest.setdefault(document.key, document)
    return latest


def _steps(project) -> list[dict]:
    definition = project.definition
    rows = []
    runs = project.step_runs.filter(status=StepRun.Status.DONE).select_related("completed_by")
    for run in runs.order_by("completed_at", "id"):
        step = definition.step(run.step_number)
        rows.append(
            {
                "number": run.step_number,
                "uraian": step.uraian,
                "round": run.round,
                "by": run.completed_by.display_name if run.completed_by_id else "—",
                "completed": tanggal_indonesia(run.completed_at.date()),
                "duration": f"{working_days_between(run.opened_at.date(), run.completed_at.date())} hk",
                "waktu": step.waktu_label,
                "decision": run.decision,
                "reason": run.reason,
            }
        )
    return rows


def build(kind: str, run: StepRun, actor, *, catatan: str, attendees: list, photos: list) -> dict:
    project = run.project
    definition = project.definition
    values = {**earlier_values(project), **(run.values or {})}
    documents = _latest_documents(project)
    step = definition.step(run.step_number)
    context = {
        "project": project,
        "values": values,
        "catatan": catatan,
        "attendees": attendees,
        "photos": photos,
        "signer": signer_block(actor, definition, run.role_key),
        "addressee": _role_position(definition, ADDRESSEE_ROLE.get(kind, "kadis")),
        "presented": [
            (item.label, documents.get(item.key))
            for item in step.kelengkapan
            if item.kind == "document"
        ],
        "agenda": AGENDA.get(kind, ""),
    }
    decided = (
        project.step_runs.filter(status=StepRun.Status.DONE)
        .exclude(decision="")
        .order_by("-completed_at")
    )
    last = decided.first()
    context["decision_reason"] = last.reason if last else ""
    subdomain = str(values.get("subdomain") or "").strip().lower()
    if subdomain:
        context["fqdn"] = (
            subdomain if "." in subdomain else f"{subdomain}.{settings.SIMPATIK_APPS_DOMAIN}"
        )
    if kind == "laporan_pengembangan":
        context["steps"] = _steps(project)
        context["documents"] = (
            Document.objects.filter(project=project)
            .select_related("step_run")
            .order_by("step_run__opened_at", "key", "version")
        )
    return context
