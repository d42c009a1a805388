import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Presentation(models.Model):
    """A scheduled presentation of a step (the plan at step 10, the result at step 13)."""

    step_run = models.ForeignKey(
        "projects.StepRun", on_delete=models.PROTECT, related_name="presentations"
    )
    starts_at = models.DateTimeField(_("waktu mulai"))
    duration_minutes = models.PositiveIntegerField(_("lama (menit)"), default=60)
    place = models.CharField(_("tempat"), max_length=200)
    notes = models.TextField(_("catatan"), blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="presentations", verbose_name=_("peserta")
    )
    # Guests from outside SIMPATIK (the OPD, a vendor): "Nama — Jabatan", one per line.
    guests = models.TextField(_("tamu"), blank=True)
    # iCalendar SEQUENCE: a changed or cancelled invitation replaces the earlier one.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("presentasi")
        verbose_name_plural = _("presentasi")
        ordering = ["starts_at", "id"]

    def __str__(self):
        return f"{self.step_run} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def uid(self) -> str:
        return f"presentasi-{self.pk}@simpatik"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A secret address a person's calendar subscribes to; revoked, it answers 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("langganan kalender")
        verbose_name_plural = _("langganan kalender")

    def __str__(self):
        return f"{self.user} ({'dicabut' if self.revoked_at else 'aktif'})"
