"""The audit actions of monitoring and evaluation (registered when the app is ready)."""

from django.utils.translation import gettext_lazy as _

from simpatik.audit.actions import Action, register

register(
    Action(
        "monev.evaluation.started",
        _("%(actor)s memulai evaluasi SOP periode %(periode)s"),
        rows=("sop_version",),
        example={"periode": "2026-S2", "sop_version": 1},
        authority="evaluasi_sop",
    ),
    Action(
        "monev.evaluation.answered",
        _("%(actor)s menyimpan jawaban evaluasi SOP periode %(periode)s"),
        rows=("ya", "tidak"),
        example={"periode": "2026-S2", "ya": 5, "tidak": 2},
        authority="evaluasi_sop",
    ),
    Action(
        "monev.evaluation.finished",
        _(
            "%(actor)s menandatangani laporan monitoring dan evaluasi SOP %(periode)s, nomor %(number)s"
        ),
        example={"periode": "2026-S2", "number": "000.5.2/7/DISKOMINFO/2026"},
        authority="evaluasi_sop",
    ),
    Action(
        "monev.revision.drafted",
        _("%(actor)s membuat draf revisi SOP versi %(version)s dari evaluasi %(periode)s"),
        rows=("note",),
        example={
            "periode": "2026-S2",
            "version": 2,
            "note": "Waktu langkah 3: 2 menjadi 4 hari kerja (evaluasi 2026-S2)",
        },
        authority="evaluasi_sop",
    ),
)
