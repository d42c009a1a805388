from django.utils import timezone
from rest_framework import serializers

from simpatik.accounts.models import Opd
from simpatik.core.api import PlainDate, RecordId, WholeNumber
from simpatik.projects.models import Need, Project, StepRun
from simpatik.projects.queries import open_runs, remaining_days


class NeedSerializer(serializers.ModelSerializer):
    opd = RecordId(queryset=Opd.objects.filter(aktif=True), required=False)
    tanggal_surat = PlainDate(required=False, allow_null=True)
    opd_nama = serializers.CharField(source="opd.nama", read_only=True)
    project = serializers.SerializerMethodField()
    shown_status = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Need
        fields = [
            "id",
            "nomor",
            "judul",
            "opd",
            "opd_nama",
            "latar_belakang",
            "tujuan",
            "pengguna_sasaran",
            "nomor_surat",
            "tanggal_surat",
            "status",
            "status_reason",
            "created_at",
            "project",
            "shown_status",
            "attachments",
        ]
        read_only_fields = ["id", "nomor", "status", "status_reason", "created_at", "project"]

    def get_shown_status(self, need) -> dict:
        """The status as the OPD reads it: once taken up, the project's."""
        code, label = need.shown_status
        return {"code": code, "label": str(label)}

    def get_attachments(self, need) -> list[dict]:
        return [
            {
                "id": a.pk,
                "key": a.key,
                "name": a.name,
                "sha256": a.sha256,
                "uploaded_at": a.uploaded_at,
            }
            for a in need.attachments.all()
        ]

    def get_project(self, need) -> int | None:
        project = getattr(need, "project", None)
        return project.pk if project else None


class ProjectCreateSerializer(serializers.Serializer):
    nama = serializers.CharField(max_length=200, required=False, allow_blank=True)
    opd = RecordId(queryset=Opd.objects.all(), required=False)
    deskripsi = serializers.CharField(required=False, allow_blank=True)
    need = WholeNumber(required=False)
    rujukan = serializers.CharField(required=False, allow_blank=True, max_length=300)
    # The code of the SOP the project runs (GET /api/v1/sop/); the seed SOP when absent.
    sop = serializers.CharField(required=False, allow_blank=True, max_length=80)


class CurrentStepSerializer(serializers.ModelSerializer):
    """The shape of `current` (for the schema); rows are built by `_current` below."""

    number = serializers.IntegerField(source="step_number")
    remaining_working_days = serializers.IntegerField(allow_null=True)

    class Meta:
        model = StepRun
        fields = ["number", "round", "role_key", "opened_at", "due_date", "remaining_working_days"]


# One field object each, reused for every row: a list of 50 projects must not build 50 nested
# serializers (that cost more than the page's queries); the output is the same as the fields'.
_DATE = serializers.DateField()


def _moment(value):
    """What DateTimeField() writes (ISO 8601 in the current time zone, UTC as `Z`), without
    its per-call lookups: a list writes three a row."""
    if value is None:
        return None
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _day(value):
    return None if value is None else _DATE.to_representation(value)


def _current(run, today) -> dict:
    return {
        "number": run.step_number,
        "round": run.round,
        "role_key": run.role_key,
        "opened_at": _moment(run.opened_at),
        "due_date": _day(run.due_date),
        "remaining_working_days": remaining_days(run, today),
    }


class ProjectSerializer(serializers.ModelSerializer):
    """A project as the API shows it. The declared fields describe it (schema, validation of
    nothing: projects are made by services); `to_representation` builds each row by hand from
    what the list prefetched (`queries.with_open_runs`, `repository` by select_related)."""

    opd_nama = serializers.CharField(source="opd.nama", read_only=True)
    sop = serializers.CharField(source="sop_version.kode", read_only=True)
    sop_version = serializers.IntegerField(source="sop_version.version")
    sop_version_id = serializers.IntegerField()
    current_steps = serializers.ListField(child=serializers.IntegerField())
    current = CurrentStepSerializer(many=True)
    need = serializers.IntegerField(source="need_id", allow_null=True)
    repository = serializers.JSONField(allow_null=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "kode",
            "nama",
            "deskripsi",
            "opd",
            "opd_nama",
            "status",
            "need",
            "sop",
            "sop_version",
            "sop_version_id",
            "created_at",
            "finished_at",
            "current_steps",
            "current",
            "repository",
        ]

    def to_representation(self, project) -> dict:
        from simpatik.provisioning.api.views import repository_dict

        today = self.context.get("today") or self.context.setdefault("today", timezone.localdate())
        # A list prefetches the open runs (queries.with_open_runs); a single project reads its own.
        runs = getattr(project, "open_runs", None)
        if runs is None:
            runs = open_runs(project)
        return {
            "id": project.pk,
            "kode": project.kode,
            "nama": project.nama,
            "deskripsi": project.deskripsi,
            "opd": project.opd_id,
            "opd_nama": project.opd.nama,
            "status": project.status,
            "need": project.need_id,
            "sop": project.sop_version.kode,
            "sop_version": project.sop_version.version,
            "sop_version_id": project.sop_version_id,
            "created_at": _moment(project.created_at),
            "finished_at": _moment(project.finished_at),
            "current_steps": [run.step_number for run in runs],
            "current": [_current(run, today) for run in runs],
            "repository": repository_dict(project),
        }


class CompleteSerializer(serializers.Serializer):
    fields = serializers.DictField(required=False, default=dict)
    decision = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    passphrase = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        write_only=True,
        help_text="TTE passphrase, when the step generates a document and the signer needs one",
    )


class DraftSerializer(serializers.Serializer):
    fields = serializers.DictField(
        help_text="Isian yang diketik, per kunci isian langkah: teks, angka, atau daftar pilihan."
    )
    decision = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Langkah keputusan: pilihan yang sedang dipertimbangkan (bukan pilihan: kosong).",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=20000, help_text="Alasan yang diketik."
    )


class DraftResponseSerializer(serializers.Serializer):
    fields = serializers.DictField(help_text="Isian draf persis seperti diketik.")
    errors = serializers.DictField(
        child=serializers.CharField(), help_text="Isian yang belum valid, per kunci, dengan pesan."
    )
    saved_at = serializers.DateTimeField(allow_null=True)
    decision = serializers.CharField(help_text="Pilihan keputusan dalam draf, atau kosong.")
    reason = serializers.CharField(help_text="Alasan dalam draf, atau kosong.")
