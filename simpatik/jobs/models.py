from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One piece of background work (a repository to create, a letter to sign), with its fate."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu")
        BERJALAN = "berjalan", _("Berjalan")
        BERHASIL = "berhasil", _("Berhasil")
        GAGAL = "gagal", _("Gagal")

    name = models.CharField(_("pekerjaan"), max_length=100)
    kwargs = models.JSONField(_("masukan"), default=dict, blank=True)
    # Enqueueing the same key twice gives the same job: work is never doubled by a retry.
    key = models.CharField(_("kunci"), max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.MENUNGGU
    )
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    max_attempts = models.PositiveIntegerField(_("batas percobaan"), default=5)
    run_after = models.DateTimeField(_("dijalankan setelah"))
    last_error = models.TextField(_("kesalahan terakhir"), blank=True)
    claimed_by = models.CharField(_("pekerja"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
        verbose_name=_("proyek"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("pekerjaan latar")
        verbose_name_plural = _("pekerjaan latar")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "run_after"])]

    def __str__(self):
        return f"{self.name} #{self.pk} ({self.status})"


class PeriodicRun(models.Model):
    """That a periodic job was started for one period: the unique key lets only one worker do it."""

    name = models.CharField(max_length=100)
    period_start = models.DateTimeField()
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jadwal yang dijalankan")
        verbose_name_plural = _("jadwal yang dijalankan")
        constraints = [
            models.UniqueConstraint(fields=["name", "period_start"], name="one_run_per_period")
        ]

    def __str__(self):
        return f"{self.name} {self.period_start:%Y-%m-%d %H:%M}"
