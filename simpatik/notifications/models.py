from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something a person should know (a new task, a returned step), shown in-app and sent out."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    event = models.CharField(_("peristiwa"), max_length=40)  # a code of notifications.events
    # The same event never reaches the same person twice (retries, several workers).
    key = models.CharField(_("kunci"), max_length=200)
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    step_number = models.PositiveIntegerField(_("langkah"), null=True, blank=True)
    message = models.TextField(_("pesan"))
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="notification_once")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The bell's list: a person's newest first, a page at a time.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_newest"),
        ]

    def __str__(self):
        return f"{self.event} → {self.recipient}"


class Delivery(models.Model):
    """One notification sent on one channel (e-mail, chat), or the reason it was not."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Surel")
        CHAT = "chat", _("Pesan (chat)")

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu")
        TERKIRIM = "terkirim", _("Terkirim")
        GAGAL = "gagal", _("Gagal")

    notification = models.ForeignKey(
        Notification, on_delete=models.PROTECT, related_name="deliveries"
    )
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.MENUNGGU
    )
    ringkasan = models.BooleanField(_("dalam ringkasan harian"), default=False)
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    error = models.TextField(_("kesalahan"), blank=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("pengiriman")
        verbose_name_plural = _("pengiriman")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once")
        ]

    def __str__(self):
        return f"{self.notification_id} {self.channel} {self.status}"


class Preference(models.Model):
    """How a person wants to be told: which channels, and at once or in a daily digest."""

    class Mode(models.TextChoices):
        SEGERA = "segera", _("Segera")
        HARIAN = "harian", _("Ringkasan harian")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("kirim surel"), default=True)
    chat = models.BooleanField(_("kirim pesan chat"), default=False)
    # An apprise URL (tgram://…, json://…, a WhatsApp gateway…): a secret, never shown back whole.
    chat_url = models.CharField(_("alamat chat (apprise)"), max_length=500, blank=True)
    mode = models.CharField(_("cara"), max_length=10, choices=Mode.choices, default=Mode.SEGERA)

    class Meta:
        verbose_name = _("pengaturan notifikasi")
        verbose_name_plural = _("pengaturan notifikasi")

    def __str__(self):
        return f"{self.user} ({self.mode})"


class RoleChannel(models.Model):
    """A chat address for everyone holding a role (e.g. the Tim Teknis group on Telegram)."""

    role_key = models.SlugField(_("peran"), max_length=30, unique=True)
    chat_url = models.CharField(_("alamat chat (apprise)"), max_length=500)

    class Meta:
        verbose_name = _("saluran chat peran")
        verbose_name_plural = _("saluran chat peran")

    def __str__(self):
        return self.role_key
