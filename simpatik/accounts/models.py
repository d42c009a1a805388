from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
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
        return self.label(self.singkatan, self.nama)

    @staticmethod
    def label(singkatan: str, nama: str) -> str:
        """How an OPD is named on a page (its abbreviation, else its name): for lists that read
        the two as values, without an Opd instance."""
        return singkatan or nama


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
        """The SOP roles this user holds today: their own, less those delegated away while a
        delegation runs, plus those delegated to them (simpatik.accounts.delegation). What the
        roles permit is simpatik.accounts.permissions. Cached on this object (one query)."""
        cached = getattr(self, "_role_keys", None)
        if cached is None:
            from simpatik.accounts import delegation

            cached = delegation.load_roles(self)
        return cached

    def own_role_keys(self) -> set[str]:
        """The roles given to this user, delegations aside."""
        from simpatik.accounts import delegation

        return delegation.loaded(self)._own_role_keys

    @property
    def display_name(self) -> str:
        return self.name_of(self.username, self.first_name, self.last_name)

    @staticmethod
    def name_of(username: str, first_name: str, last_name: str) -> str:
        """`display_name` from the three values (Django's get_full_name, else the username): for
        lists that read them as values, without a User instance."""
        return f"{first_name} {last_name}".strip() or username


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


class DelegationQuerySet(models.QuerySet):
    def in_force(self, on=None):
        """Delegations that apply on this date (today in the installation's zone, WITA)."""
        on = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, starts_on__lte=on, ends_on__gte=on)

    def overlapping(self, starts_on, ends_on):
        return self.filter(revoked_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on)

    def visible_to(self, user):
        """Administrators see every delegation; others those that name or were made by them."""
        from simpatik.accounts.permissions import can

        if can(user, "administrasi"):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(from_user=user) | Q(to_user=user) | Q(created_by=user))


class Delegation(models.Model):
    """A role held by someone else for a date range: Plh for an official away, Plt appointed."""

    class Kind(models.TextChoices):
        PLH = "plh", _("Plh. (pelaksana harian)")
        PLT = "plt", _("Plt. (pelaksana tugas)")

    kind = models.CharField(_("jenis"), max_length=3, choices=Kind.choices)
    role = models.ForeignKey(
        Role, verbose_name=_("peran"), on_delete=models.PROTECT, related_name="delegations"
    )
    # Empty only for a Plt of a vacant post: nobody holds the role to hand it over.
    from_user = models.ForeignKey(
        User,
        verbose_name=_("pejabat yang digantikan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    to_user = models.ForeignKey(
        User,
        verbose_name=_("pelaksana"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("sampai"))
    reason = models.CharField(_("alasan"), max_length=500)
    created_by = models.ForeignKey(
        User, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    revoked_at = models.DateTimeField(_("diakhiri"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("diakhiri oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegasi")
        verbose_name_plural = _("delegasi")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="delegation_dates_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(from_user=F("to_user")), name="delegation_not_to_oneself"
            ),
            models.CheckConstraint(
                condition=Q(kind="plt") | Q(from_user__isnull=False),
                name="delegation_plh_names_the_official",
            ),
        ]
        indexes = [
            models.Index(fields=["to_user", "ends_on"], name="delegation_to_user"),
            models.Index(fields=["from_user", "ends_on"], name="delegation_from_user"),
        ]

    def __str__(self):
        return f"{self.title} — {self.to_user}"

    @property
    def prefix(self) -> str:
        """How Indonesian official documents abbreviate it: "Plh." or "Plt."."""
        return "Plt." if self.kind == self.Kind.PLT else "Plh."

    @property
    def title(self) -> str:
        return f"{self.prefix} {self.role.nama}"

    STATES = {
        "akan_datang": _("akan datang"),
        "berjalan": _("berjalan"),
        "berakhir": _("sudah berakhir"),
        "diakhiri": _("diakhiri lebih awal"),
    }

    def state(self, on=None) -> str:
        """Where the delegation stands on a date: it starts and ends by itself."""
        on = on or timezone.localdate()
        if self.revoked_at is not None:
            return "diakhiri"
        if on < self.starts_on:
            return "akan_datang"
        return "berakhir" if on > self.ends_on else "berjalan"

    def state_label(self) -> str:
        return str(self.STATES[self.state()])
