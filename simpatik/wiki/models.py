from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpatik.projects.models import ProjectScopedQuerySet


class DocPage(models.Model):
    """A documentation page of a project (the SOP's wiki); its text lives in versions."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="doc_pages"
    )
    slug = models.SlugField(_("alamat"), max_length=80)
    title = models.CharField(_("judul"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("halaman dokumentasi")
        verbose_name_plural = _("halaman dokumentasi")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["project", "slug"], name="docpage_slug_per_project")
        ]

    def __str__(self):
        return self.title

    @property
    def current(self):
        return self.versions.order_by("-number").first()


class DocPageVersion(models.Model):
    """One saved text of a page: who wrote it, when and why. Never changed afterwards."""

    page = models.ForeignKey(DocPage, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versi"))
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi (Markdown)"))
    note = models.CharField(_("catatan perubahan"), max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("versi halaman")
        verbose_name_plural = _("versi halaman")
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="docpage_version_unique")
        ]

    def __str__(self):
        return f"{self.page} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("page versions are immutable; save a new version")
        super().save(*args, **kwargs)
