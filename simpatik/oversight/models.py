from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpatik.letters.kinds import MONTHS_ID


class MonthlyReport(models.Model):
    """The laporan bulanan kinerja of one SOP and month: the sealed letter it is, and who had it
    made."""

    # The SOP reported (its code: a report covers every version of it in force that month).
    sop = models.SlugField(_("kode SOP"), max_length=80)
    # The first day of the month reported. Unique with the SOP: a second worker or a second
    # click finds the report already there instead of numbering another.
    month = models.DateField(_("bulan"))
    letter = models.OneToOneField(
        "letters.Letter",
        on_delete=models.PROTECT,
        related_name="monthly_report",
        verbose_name=_("naskah"),
    )
    # The person who asked for it on the dashboard; empty when the periodic job made it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diminta oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("laporan bulanan")
        verbose_name_plural = _("laporan bulanan")
        ordering = ["-month", "sop"]
        constraints = [
            models.UniqueConstraint(fields=["sop", "month"], name="oversight_report_sop_month"),
        ]

    def __str__(self):
        return f"Laporan bulanan {self.sop} {self.month_text}"

    @property
    def month_text(self) -> str:
        return f"{MONTHS_ID[self.month.month - 1]} {self.month.year}"
