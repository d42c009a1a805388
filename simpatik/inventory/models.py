from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Longest description-like text a person may type: a catalogue entry, not a document.
TEXT_LIMIT = 5000


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Diskominfo staff see the whole inventory; OPD staff their own agency's (a vendor is
        not its staff: permissions.staff_opd); others none."""
        from simpatik.accounts.permissions import has, staff_opd

        if not user.is_authenticated:
            return self.none()
        if has(user, "lihat_inventaris"):
            return self
        opd_id = staff_opd(user)
        if opd_id:
            return self.filter(opd_id=opd_id)
        return self.none()

    def active(self):
        return self.filter(diarsipkan=False)

    def public(self):
        """What the public catalogue may show (UU 14/2008): active, public-facing, not archived."""
        return self.filter(diarsipkan=False, publik=True, status=Application.Status.AKTIF)


class Application(models.Model):
    """One application of the regency in the inventory (SOP Inventarisasi Aplikasi)."""

    class Jenis(models.TextChoices):
        UMUM = "umum", _("Aplikasi umum")
        KHUSUS = "khusus", _("Aplikasi khusus")

    class Kategori(models.TextChoices):
        PUBLIK = "publik", _("Layanan publik")
        ADMINISTRASI = "administrasi", _("Administrasi pemerintahan")

    class Pengembang(models.TextChoices):
        DISKOMINFO = "diskominfo", _("Internal Diskominfo")
        OPD = "opd", _("OPD")
        PIHAK_KETIGA = "pihak_ketiga", _("Pihak ketiga")
        PUSAT = "pusat", _("Pemerintah pusat (kementerian/lembaga)")
        KOMUNITAS = "komunitas", _("Produk komunitas/open source")

    class Status(models.TextChoices):
        PERENCANAAN = "perencanaan", _("Perencanaan")
        PENGEMBANGAN = "pengembangan", _("Pengembangan")
        AKTIF = "aktif", _("Aktif")
        TIDAK_AKTIF = "tidak_aktif", _("Tidak aktif")
        DIHENTIKAN = "dihentikan", _("Dihentikan")

    class Platform(models.TextChoices):
        WEB = "web", _("Web")
        MOBILE = "mobile", _("Mobile")
        DESKTOP = "desktop", _("Desktop")

    class Hosting(models.TextChoices):
        # The national catalogue's hosting locations; the regency's own data centre is Diskominfo's.
        PDN = "pdn", _("Pusat Data Nasional")
        DISKOMINFO = "diskominfo", _("Pusat data daerah (Diskominfo)")
        OPD = "opd", _("Server OPD")
        CLOUD = "cloud", _("Cloud")

    class Lisensi(models.TextChoices):
        SUMBER_TERBUKA = "sumber_terbuka", _("Sumber terbuka (open source)")
        BERPEMILIK = "berpemilik", _("Berpemilik (proprietary)")
        GRATIS = "gratis", _("Gratis (freeware)")
        LAINNYA = "lainnya", _("Lainnya")

    # Identity
    nama = models.CharField(_("nama aplikasi"), max_length=200)
    singkatan = models.CharField(_("singkatan"), max_length=50, blank=True)
    versi = models.CharField(_("versi"), max_length=50, blank=True)
    deskripsi = models.TextField(_("deskripsi"), max_length=TEXT_LIMIT, blank=True)
    # What the national application catalogue (Katalog Aplikasi SPBE) asks beyond the identity.
    fungsi = models.TextField(_("fungsi"), max_length=TEXT_LIMIT, blank=True)
    keluaran = models.TextField(_("keluaran"), max_length=TEXT_LIMIT, blank=True)
    layanan_spbe = models.CharField(_("layanan SPBE yang didukung"), max_length=300, blank=True)
    proses_bisnis = models.CharField(_("proses bisnis yang didukung"), max_length=300, blank=True)
    data_dikelola = models.TextField(_("data yang dikelola"), max_length=TEXT_LIMIT, blank=True)
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices, blank=True)
    kategori = models.CharField(
        _("kategori layanan"), max_length=20, choices=Kategori.choices, blank=True
    )
    urusan = models.CharField(_("urusan pemerintahan"), max_length=200, blank=True)
    dasar_hukum = models.TextField(_("dasar hukum"), blank=True)
    # Ownership
    opd = models.ForeignKey(
        "accounts.Opd",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("OPD pemilik"),
    )
    pengembang = models.CharField(
        _("pengembang"), max_length=20, choices=Pengembang.choices, blank=True
    )
    pengembang_nama = models.CharField(_("nama pengembang"), max_length=200, blank=True)
    unit_pengelola = models.CharField(_("unit pengelola"), max_length=200, blank=True)
    pj_nama = models.CharField(_("penanggung jawab"), max_length=200, blank=True)
    pj_jabatan = models.CharField(_("jabatan penanggung jawab"), max_length=200, blank=True)
    pj_nip = models.CharField(_("NIP penanggung jawab"), max_length=30, blank=True)
    pj_telepon = models.CharField(_("telepon penanggung jawab"), max_length=40, blank=True)
    pj_email = models.EmailField(_("email penanggung jawab"), blank=True)
    kontak_teknis = models.CharField(_("kontak teknis"), max_length=300, blank=True)
    # Lifecycle
    tahun_dibangun = models.PositiveIntegerField(_("tahun dibangun"), null=True, blank=True)
    tahun_pengembangan = models.PositiveIntegerField(
        _("tahun pengembangan terakhir"), null=True, blank=True
    )
    sumber_anggaran = models.CharField(_("sumber anggaran"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AKTIF, db_index=True
    )
    registrasi_ulang = models.DateField(_("registrasi ulang terakhir"), null=True, blank=True)
    # Technical
    url = models.CharField(_("URL/subdomain"), max_length=300, blank=True)
    platform = models.CharField(
        _("basis aplikasi"), max_length=20, choices=Platform.choices, blank=True
    )
    lisensi = models.CharField(
        _("jenis lisensi"), max_length=20, choices=Lisensi.choices, blank=True
    )
    bahasa_pemrograman = models.CharField(_("bahasa pemrograman"), max_length=100, blank=True)
    framework = models.CharField(_("framework"), max_length=100, blank=True)
    basis_data = models.CharField(_("basis data"), max_length=100, blank=True)
    hosting = models.CharField(
        _("lokasi hosting"), max_length=20, choices=Hosting.choices, blank=True
    )
    server = models.CharField(_("server"), max_length=200, blank=True)
    repositori = models.CharField(_("repositori kode sumber"), max_length=300, blank=True)
    # Governance
    project = models.OneToOneField(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
        verbose_name=_("proyek SIMPATIK"),
    )
    surat_rekomendasi = models.CharField(_("surat rekomendasi"), max_length=200, blank=True)
    disetujui_oleh = models.CharField(_("disetujui oleh"), max_length=200, blank=True)
    tanggal_persetujuan = models.DateField(_("tanggal persetujuan"), null=True, blank=True)
    # Publication and housekeeping
    publik = models.BooleanField(_("tampil di katalog publik"), default=False)
    catatan = models.TextField(_("catatan internal"), blank=True)
    diarsipkan = models.BooleanField(_("diarsipkan"), default=False, db_index=True)
    archived_reason = models.TextField(_("alasan pengarsipan"), blank=True)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("aplikasi")
        verbose_name_plural = _("aplikasi")
        ordering = ["nama", "id"]
        constraints = [
            # One live record per application name in an OPD; archived ones may repeat.
            models.UniqueConstraint(
                fields=["opd", "nama"],
                condition=Q(diarsipkan=False),
                name="application_name_per_opd",
            ),
        ]

    def __str__(self):
        return f"{self.nama} ({self.singkatan})" if self.singkatan else self.nama


class Integration(models.Model):
    """Two applications exchanging data: what, which way and how."""

    class Arah(models.TextChoices):
        KIRIM = "kirim", _("Sumber mengirim ke tujuan")
        DUA_ARAH = "dua_arah", _("Dua arah")

    class Metode(models.TextChoices):
        API = "api", _("API")
        FILE = "file", _("Berkas")
        MANUAL = "manual", _("Manual")

    source = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="integrations_out",
        verbose_name=_("aplikasi sumber"),
    )
    target = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="integrations_in",
        verbose_name=_("aplikasi tujuan"),
    )
    arah = models.CharField(_("arah"), max_length=20, choices=Arah.choices, default=Arah.KIRIM)
    data = models.CharField(_("data yang dipertukarkan"), max_length=300)
    metode = models.CharField(
        _("metode"), max_length=20, choices=Metode.choices, default=Metode.API
    )
    diarsipkan = models.BooleanField(_("diarsipkan"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("integrasi")
        verbose_name_plural = _("integrasi")
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="integration_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.source} → {self.target}: {self.data}"


class OpdAlias(models.Model):
    """Another way a spreadsheet writes an OPD's name, learnt when an import using it is confirmed."""

    opd = models.ForeignKey(
        "accounts.Opd", on_delete=models.CASCADE, related_name="aliases", verbose_name=_("OPD")
    )
    text = models.CharField(_("tulisan di berkas"), max_length=200)
    # The text without case, punctuation or spacing: what an import compares.
    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alias OPD")
        verbose_name_plural = _("alias OPD")
        ordering = ["key"]

    def __str__(self):
        return f"{self.text} → {self.opd}"


class IndexRevision(models.Model):
    """A token that changes with every change to the inventory, so search indexes know to rebuild.

    A random token, not a counter: a rolled-back change must never hand its stamp to a later one,
    or an index built inside the rolled-back transaction would pass for current.
    """

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token
