import secrets

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from simpatik.projects.models import ProjectScopedQuerySet

# Letters people read aloud or type from paper: no 0/O or 1/I to confuse.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def file_name(title: str, sequence: int, year: int) -> str:
    """A letter's file name, the same on the project page and when downloaded: its title's
    words ("dan/atau" as "dan-atau"), its number in the register and its year."""
    return f"{slugify(title.replace('/', ' '))}-{sequence}-{year}.pdf"


def new_verification_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


class Letter(models.Model):
    """An issued official document (surat, berita acara, laporan): numbered, signed, never changed.

    Its wording is fixed when it is numbered at the step's completion. Signatures are added to
    the same PDF as incremental PAdES revisions, so earlier signatures stay valid: a remote
    signature after the commit (menunggu TTE), and the second party of a berita acara when they
    act at the following step. These moves change `status` by conditional UPDATE only.
    """

    class Status(models.TextChoices):
        MENUNGGU_TTE = "menunggu_tte", _("menunggu TTE")
        MENUNGGU_PIHAK_KEDUA = "menunggu_pihak_kedua", _("menunggu tanda tangan pihak kedua")
        BERLAKU = "berlaku", _("berlaku")

    kind = models.SlugField(_("jenis"), max_length=40)
    title = models.CharField(_("judul"), max_length=300)
    number = models.CharField(_("nomor"), max_length=120, unique=True)
    year = models.PositiveIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("nomor urut"))
    date = models.DateField(_("tanggal"))
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("proyek"),
    )
    step_number = models.PositiveIntegerField(_("langkah"), null=True, blank=True)
    step_run = models.ForeignKey(
        "projects.StepRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("putaran langkah"),
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.BERLAKU
    )
    sign_error = models.TextField(_("galat penandatanganan terakhir"), blank=True)
    sign_attempts = models.PositiveIntegerField(_("percobaan penandatanganan"), default=0)
    countersigner_role = models.CharField(_("peran pihak kedua"), max_length=30, blank=True)
    countersigner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("penanda tangan pihak kedua"),
    )
    countersigned_at = models.DateTimeField(_("ditandatangani pihak kedua"), null=True, blank=True)
    document = models.OneToOneField(
        "projects.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="letter"
    )
    path = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    ditandatangani = models.BooleanField(_("ditandatangani elektronik"), default=False)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("penanda tangan"),
    )
    signer_name = models.CharField(_("nama penanda tangan"), max_length=200)
    signer_position = models.CharField(_("jabatan penanda tangan"), max_length=200)
    signer_nip = models.CharField(_("NIP penanda tangan"), max_length=30, blank=True)
    verification_code = models.CharField(max_length=11, unique=True, default=new_verification_code)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("menggantikan"),
    )
    correction_reason = models.TextField(_("alasan koreksi"), blank=True)
    issued_at = models.DateTimeField(_("diterbitkan"), auto_now_add=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("naskah dinas")
        verbose_name_plural = _("naskah dinas")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="letter_sequence_unique"),
            # One document of a kind per step and round; only a correction adds another.
            models.UniqueConstraint(
                fields=["step_run", "kind"],
                condition=models.Q(replaces__isnull=True),
                name="letter_one_per_round",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        # An issued document is final: a correction is a new Letter that names this one.
        if self.pk is not None:
            raise RuntimeError("issued letters are immutable; issue a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("issued letters are archived, never deleted")

    def open(self):
        from django.core.files.storage import default_storage

        return default_storage.open(self.path, "rb")

    @property
    def is_replaced(self) -> bool:
        return hasattr(self, "replaced_by")


class LetterTemplate(models.Model):
    """An installation's own wording for a kind of document, overriding the shipped template."""

    kind = models.SlugField(_("jenis"), max_length=40, unique=True)
    body = models.TextField(_("templat (bahasa templat Django)"))
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("templat naskah")
        verbose_name_plural = _("templat naskah")

    def __str__(self):
        return self.kind
