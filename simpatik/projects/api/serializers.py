from django.utils import timezone
from rest_framework import serializers

from simpatik.accounts.models import Opd
from simpatik.projects.models import Need, Project, StepRun
from simpatik.projects.queries import open_runs, remaining_days


class NeedSerializer(serializers.ModelSerializer):
    opd = serializers.PrimaryKeyRelatedField(
        queryset=Opd.objects.filter(aktif=True), required=False
    )
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
    opd = serializers.PrimaryKeyRelatedField(queryset=Opd.objects.all(), required=False)
    deskripsi = serializers.CharField(required=False, allow_blank=True)
    need = serializers.IntegerField(required=False)
    rujukan = serializers.CharField(required=False, allow_blank=True, max_length=300)
    # The code of the SOP the project runs (GET /api/v1/sop/); the seed SOP when absent.
    sop = serializers.CharField(required=False, allow_blank=True, max_length=80)


class CurrentStepSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="step_number")
    remaining_working_days = serializers.SerializerMethodField()

    class Meta:
        model = StepRun
        fields = ["number", "round", "role_key", "opened_at", "due_date", "remaining_working_days"]

    def get_remaining_working_days(self, run) -> int | None:
        return remaining_days(run, self.context.get("today"))


class ProjectSerializer(serializers.ModelSerializer):
    opd_nama = serializers.CharField(source="opd.nama", read_only=True)
    sop = serializers.CharField(source="sop_version.kode", read_only=True)
    sop_version = serializers.IntegerField(source="sop_version.version")
    sop_version_id = serializers.IntegerField()
    current_steps = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField()
    need = serializers.SerializerMethodField()
    repository = serializers.SerializerMethodField()

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

    def _runs(self, project):
        # A list prefetches them (queries.with_open_runs); a single project reads its own.
        prefetched = getattr(project, "open_runs", None)
        if prefetched is not None:
            return prefetched
        cache = self.context.setdefault("_runs", {})
        if project.pk not in cache:
            cache[project.pk] = open_runs(project)
        return cache[project.pk]

    def get_current_steps(self, project) -> list[int]:
        return [run.step_number for run in self._runs(project)]

    def get_current(self, project) -> list[dict]:
        today = self.context.setdefault("today", timezone.localdate())
        return CurrentStepSerializer(self._runs(project), many=True, context={"today": today}).data

    def get_need(self, project) -> int | None:
        return project.need_id

    def get_repository(self, project) -> dict | None:
        from simpatik.provisioning.api.views import repository_dict

        return repository_dict(project)


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


class DraftResponseSerializer(serializers.Serializer):
    fields = serializers.DictField(help_text="Isian draf persis seperti diketik.")
    errors = serializers.DictField(
        child=serializers.CharField(), help_text="Isian yang belum valid, per kunci, dengan pesan."
    )
    saved_at = serializers.DateTimeField(allow_null=True)
