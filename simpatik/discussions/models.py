from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Comment(models.Model):
    """A message in a step run's discussion (questions and answers between roles); kept for good."""

    step_run = models.ForeignKey(
        "projects.StepRun", on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("isi"))  # Markdown, sanitised when shown
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("disebut")
    )
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("komentar")
        verbose_name_plural = _("komentar")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.author} di {self.step_run}"


class Attachment(models.Model):
    """A file attached to a comment, checked as step documents are and stored by its hash."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(_("nama berkas"), max_length=150)
    mime = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("ukuran"))
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("lampiran komentar")
        verbose_name_plural = _("lampiran komentar")

    def __str__(self):
        return self.name
