from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MappingVersion(models.Model):
    """One immutable version of the SOP's mapping to the national SPBE frameworks."""

    kode = models.SlugField(_("kode pemetaan"), max_length=80)
    version = models.PositiveIntegerField(_("versi"))
    # The SOP version the file was checked against when it was loaded.
    sop_version = models.ForeignKey(
        "sop.SopVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("versi SOP")
    )
    data = models.JSONField(_("pemetaan"))
    source = models.TextField(_("sumber (YAML)"))
    sha256 = models.CharField(max_length=64)
    berlaku = models.BooleanField(_("berlaku"), default=False)
    loaded_at = models.DateTimeField(_("dimuat"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("catatan revisi"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("versi pemetaan SPBE")
        verbose_name_plural = _("versi pemetaan SPBE")
        ordering = ["kode", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kode", "version"], name="spbe_mapping_version_unique"),
        ]

    def __str__(self):
        return f"{self.kode} (versi {self.version})"

    def save(self, *args, **kwargs):
        # Like an SOP version: a revision is a new row; only `berlaku` moves, by queryset update.
        if self.pk is not None:
            raise RuntimeError("mapping versions are immutable; load a revision as a new version")
        super().save(*args, **kwargs)
