from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Opd(models.Model):
    """A regency agency (Organisasi Perangkat Daerah) that asks for applications."""

    kode = models.SlugField(_("kode"), max_length=30, unique=True)
    nama = models.CharField(_("nama"), max_length=200, unique=True)
    singkatan = models.CharField(_("singkatan"), max_length=40, blank=True)
    aktif = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        ordering = ["nama"]

    def __str__(self):
        return self.singkatan or self.nama


class Role(models.Model):
    """A role of the SOP (pelaksana) such as Kadis Kominfo; keys match the SOP definition."""

    key = models.SlugField(_("kunci"), max_length=30, unique=True)
    nama = models.CharField(_("nama"), max_length=100)
    jabatan = models.CharField(_("jabatan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("peran")
        verbose_name_plural = _("peran")
        ordering = ["id"]

    def __str__(self):
        return self.nama


class User(AbstractUser):
    """A person using SIMPATIK: Diskominfo staff holding SOP roles, OPD staff, administrators."""

    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    # NIK is what the national signing service (BSrE) identifies a signer by.
    nik = models.CharField(_("NIK"), max_length=20, blank=True)
    jabatan = models.CharField(_("jabatan"), max_length=200, blank=True)
    # Printed under the name in signature blocks of official documents (e.g. "Pembina, IV/a").
    pangkat_golongan = models.CharField(_("pangkat/golongan"), max_length=100, blank=True)
    opd = models.ForeignKey(
        Opd,
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("peran"), blank=True, related_name="users")
    # The MFA grace period runs from the first login after MFA became required (else date_joined).
    mfa_grace_from = models.DateTimeField(_("masa tenggang MFA sejak"), null=True, blank=True)
    # The BSSN policy's validity period counts from here (else date_joined).
    password_changed_at = models.DateTimeField(_("kata sandi diganti"), null=True, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def role_keys(self) -> set[str]:
        """The SOP roles this user holds (data: what they permit is simpatik.accounts.permissions)."""
        cached = getattr(self, "_role_keys", None)
        if cached is None:
            cached = set(self.roles.values_list("key", flat=True)) if self.pk else set()
            self._role_keys = cached
        return cached

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class AuthFailure(models.Model):
    """One failed sign-in, counted per account and per client address by every process."""

    class Scope(models.TextChoices):
        ACCOUNT = "account", _("akun")
        ADDRESS = "address", _("alamat")

    scope = models.CharField(max_length=10, choices=Scope.choices)
    key = models.CharField(max_length=150)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("kegagalan masuk")
        verbose_name_plural = _("kegagalan masuk")
        indexes = [models.Index(fields=["scope", "key", "at"], name="auth_failure_lookup")]

    def __str__(self):
        return f"{self.scope}:{self.key} {self.at:%Y-%m-%d %H:%M}"
