from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Evaluation(models.Model):
    """One monitoring and evaluation of an SOP for a semester or a year: the evaluator's answers
    to the questionnaire and, once signed, the sealed report it became (frozen from then on)."""

    class Status(models.TextChoices):
        DRAF = "draf", _("draf")
        SELESAI = "selesai", _("selesai")

    kode = models.SlugField(_("kode SOP"), max_length=80)
    # "2026-S1", "2026-S2" (a semester) or "2026" (a year), as Permen PANRB 35/2012 asks.
    periode = models.CharField(_("periode"), max_length=7)
    start = models.DateField(_("awal periode"))
    end = models.DateField(_("akhir periode"))
    sop_version = models.ForeignKey(
        "sop.SopVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("versi SOP")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAF
    )
    # {question key: {"jawaban": "ya"|"tidak", "catatan": "..."}}
    answers = models.JSONField(_("jawaban"), default=dict, blank=True)
    # The monitoring form's figures as the report printed them (kept when the report is signed).
    figures = models.JSONField(_("angka monitoring"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evaluator"),
    )
    finished_at = models.DateTimeField(_("ditandatangani"), null=True, blank=True)
    letter = models.OneToOneField(
        "letters.Letter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monev_evaluation",
        verbose_name=_("laporan"),
    )

    class Meta:
        verbose_name = _("evaluasi SOP")
        verbose_name_plural = _("evaluasi SOP")
        ordering = ["-start", "-end", "kode"]
        constraints = [
            # One evaluation per SOP and period: a second click finds the first.
            models.UniqueConstraint(fields=["kode", "periode"], name="monev_evaluation_unique"),
        ]

    def __str__(self):
        return f"Evaluasi SOP {self.periode}"

    @property
    def final(self) -> bool:
        return self.status == self.Status.SELESAI


class Revision(models.Model):
    """A draft SOP revision made from one recommendation of an evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="revisions")
    recommendation = models.CharField(_("rekomendasi"), max_length=40)
    sop_version = models.ForeignKey(
        "sop.SopVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("draf versi")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("draf revisi SOP")
        verbose_name_plural = _("draf revisi SOP")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "recommendation"], name="monev_revision_unique"
            ),
        ]

    def __str__(self):
        return f"{self.recommendation} → versi {self.sop_version_id}"
