from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise RuntimeError("audit records are append-only")

    def bulk_update(self, *args, **kwargs):
        raise RuntimeError("audit records are append-only")

    def delete(self):
        raise RuntimeError("audit records are append-only")


class AuditRecord(models.Model):
    """One recorded action: who did what, when, to which project and step, and why."""

    # Set when the record is made (not on save), so the chain hash covers the stored time.
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    actor_label = models.CharField(_("nama pelaku"), max_length=200, blank=True)
    action = models.CharField(_("tindakan"), max_length=80, db_index=True)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_records",
        verbose_name=_("proyek"),
    )
    step_number = models.PositiveIntegerField(_("langkah"), null=True, blank=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    request_id = models.CharField(_("id permintaan"), max_length=64, blank=True, db_index=True)
    via = models.CharField(_("melalui"), max_length=20, blank=True)
    # The hash chain (simpatik.audit.chain): the previous row's hash and this row's own.
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["project", "at"]),
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_history"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit records are append-only")
