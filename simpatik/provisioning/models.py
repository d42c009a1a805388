from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simpatik.projects.models import ProjectScopedQuerySet


class Repository(models.Model):
    """A project's source-code repository, made by a provider after step 8 commits."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu")
        SIAP = "siap", _("Siap")
        GAGAL = "gagal", _("Gagal")

    project = models.OneToOneField(
        "projects.Project", on_delete=models.PROTECT, related_name="repository"
    )
    provider = models.CharField(_("penyedia"), max_length=20)
    name = models.SlugField(_("nama"), max_length=100, unique=True)
    clone_url = models.CharField(_("alamat clone"), max_length=300, blank=True)
    web_url = models.CharField(_("alamat web"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.MENUNGGU
    )
    error = models.TextField(_("galat terakhir"), blank=True)
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("repositori")
        verbose_name_plural = _("repositori")

    def __str__(self):
        return self.name


class Subdomain(models.Model):
    """A name under the regency's domain for an application: requested at step 16, published at 18."""

    class Status(models.TextChoices):
        DIMINTA = "diminta", _("Diminta")
        TERBIT = "terbit", _("Terbit")
        GAGAL = "gagal", _("Gagal diterbitkan")
        DITARIK = "ditarik", _("Ditarik")

    class RecordType(models.TextChoices):
        A = "A", "A (IPv4)"
        AAAA = "AAAA", "AAAA (IPv6)"
        CNAME = "CNAME", "CNAME"

    name = models.CharField(_("subdomain"), max_length=63)
    zone = models.CharField(_("zona"), max_length=200)
    record_type = models.CharField(_("jenis rekaman"), max_length=5, choices=RecordType.choices)
    content = models.CharField(_("isi rekaman"), max_length=255)
    ttl = models.PositiveIntegerField(default=3600)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DIMINTA
    )
    error = models.TextField(_("galat terakhir"), blank=True)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subdomains",
    )
    application = models.ForeignKey(
        "inventory.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subdomains",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("subdomain")
        verbose_name_plural = _("subdomain")
        ordering = ["name"]
        constraints = [
            # A name is taken while it is requested, published or failed; a withdrawn one is free.
            models.UniqueConstraint(
                fields=["zone", "name"], condition=~Q(status="ditarik"), name="subdomain_live_name"
            ),
        ]

    def __str__(self):
        return self.fqdn

    @property
    def fqdn(self) -> str:
        return f"{self.name}.{self.zone}"


class ZoneState(models.Model):
    """The SOA serial of a zone SIMPATIK keeps: YYYYMMDDnn, raised on every change."""

    zone = models.CharField(max_length=200, unique=True)
    serial = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.zone} {self.serial}"


class HostingRecord(models.Model):
    """Where an application runs: server, resources, since when, who answers for it."""

    application = models.ForeignKey(
        "inventory.Application", on_delete=models.PROTECT, related_name="hosting_records"
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosting_records",
    )
    server = models.CharField(_("server"), max_length=200)
    resources = models.CharField(_("sumber daya"), max_length=300, blank=True)
    date = models.DateField(_("tanggal"))
    responsible = models.CharField(_("penanggung jawab"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("catatan hosting")
        verbose_name_plural = _("catatan hosting")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.application} @ {self.server}"
