"""Which fields the inventory shows where: groups for pages, columns for spreadsheets, the public set."""

from django.utils.translation import gettext_lazy as _

GROUPS = [
    (
        _("Identitas"),
        ["nama", "singkatan", "versi", "deskripsi", "jenis", "kategori", "urusan", "dasar_hukum"],
    ),
    (
        _("Katalog SPBE"),
        ["fungsi", "keluaran", "layanan_spbe", "proses_bisnis", "data_dikelola"],
    ),
    (
        _("Kepemilikan"),
        [
            "opd",
            "pengembang",
            "pengembang_nama",
            "unit_pengelola",
            "pj_nama",
            "pj_jabatan",
            "pj_nip",
            "pj_telepon",
            "pj_email",
            "kontak_teknis",
        ],
    ),
    (
        _("Siklus hidup"),
        ["tahun_dibangun", "tahun_pengembangan", "sumber_anggaran", "status", "registrasi_ulang"],
    ),
    (
        _("Teknis"),
        [
            "url",
            "platform",
            "lisensi",
            "bahasa_pemrograman",
            "framework",
            "basis_data",
            "hosting",
            "server",
            "repositori",
        ],
    ),
    (
        _("Tata kelola"),
        [
            "project",
            "surat_rekomendasi",
            "disetujui_oleh",
            "tanggal_persetujuan",
            "publik",
            "catatan",
        ],
    ),
]
EDITABLE = [name for _title, names in GROUPS for name in names if name != "project"]

# The only fields the public catalogue and its open data may ever show (UU 14/2008). Contacts,
# servers, repositories and internal notes stay inside.
PUBLIC = [
    "nama",
    "singkatan",
    "versi",
    "opd",
    "deskripsi",
    "fungsi",
    "keluaran",
    "layanan_spbe",
    "jenis",
    "kategori",
    "platform",
    "url",
    "status",
]
# Of those, the ones that take a choice: the public sees the label, not the stored code.
PUBLIC_CHOICES = ["jenis", "kategori", "platform", "status"]

# Spreadsheet columns, in export order; import accepts these keys and the variants below.
COLUMNS = [
    "nama",
    "singkatan",
    "versi",
    "opd",
    "deskripsi",
    "fungsi",
    "keluaran",
    "layanan_spbe",
    "proses_bisnis",
    "data_dikelola",
    "jenis",
    "kategori",
    "urusan",
    "dasar_hukum",
    "pengembang",
    "pengembang_nama",
    "unit_pengelola",
    "pj_nama",
    "pj_jabatan",
    "pj_nip",
    "pj_telepon",
    "pj_email",
    "kontak_teknis",
    "tahun_dibangun",
    "tahun_pengembangan",
    "sumber_anggaran",
    "status",
    "registrasi_ulang",
    "url",
    "platform",
    "lisensi",
    "bahasa_pemrograman",
    "framework",
    "basis_data",
    "hosting",
    "server",
    "repositori",
    "publik",
]

HEADER_VARIANTS = {
    "nama": [
        "nama aplikasi",
        "nama",
        "aplikasi",
        "nama sistem",
        "nama sistem informasi",
        "nama aplikasi sistem",
        "nama aplikasi sistem informasi",
        "nama sistem elektronik",
        "judul aplikasi",
    ],
    "singkatan": ["singkatan", "akronim", "nama singkat", "singkatan aplikasi"],
    "versi": ["versi", "versi aplikasi", "nomor versi"],
    # "Fungsi" alone stays a description (hand-kept sheets use it so); these name the SPBE field.
    "fungsi": ["fungsi utama", "fungsi pokok", "fungsi spbe"],
    "keluaran": ["keluaran", "output", "keluaran aplikasi", "hasil keluaran"],
    "layanan_spbe": ["layanan spbe", "layanan spbe yang didukung", "layanan yang didukung"],
    "proses_bisnis": ["proses bisnis", "proses bisnis yang didukung"],
    "data_dikelola": ["data yang dikelola", "data dikelola"],
    "opd": [
        "opd",
        "opd pemilik",
        "opd pengelola",
        "perangkat daerah",
        "perangkat daerah pengelola",
        "nama perangkat daerah",
        "instansi",
        "instansi pengelola",
        "nama instansi",
        "nama opd",
        "pemilik",
        "unit kerja",
        "unit pengelola",
        "satuan kerja",
        "satker",
        "skpd",
    ],
    "deskripsi": [
        "deskripsi",
        "fungsi",
        "deskripsi fungsi",
        "keterangan fungsi",
        "uraian",
        "deskripsi aplikasi",
        "fungsi aplikasi",
        "deskripsi singkat",
        "kegunaan",
        "manfaat",
    ],
    "jenis": ["jenis", "jenis aplikasi"],
    "kategori": ["kategori", "kategori layanan", "jenis layanan"],
    "urusan": ["urusan", "urusan pemerintahan"],
    "dasar_hukum": ["dasar hukum", "regulasi"],
    # A spreadsheet's "Pengembang" holds who built it, in words ("Pusat", "Kemendagri", "CV Maju"):
    # the import classifies the words into `pengembang` and keeps them in `pengembang_nama`.
    "pengembang": [
        "pengembang",
        "pembuat",
        "penyedia",
        "developer",
        "dikembangkan oleh",
        "dibuat oleh",
        "tipe pengembang",
        "jenis pengembang",
        "sumber pengembang",
        "sumber aplikasi",
        "asal aplikasi",
    ],
    "pengembang_nama": ["nama pengembang", "vendor", "nama vendor", "nama penyedia"],
    "unit_pengelola": ["bidang pengelola", "unit pengelola aplikasi", "unit pengelola teknis"],
    "pj_nama": ["penanggung jawab", "nama penanggung jawab", "pic", "pj"],
    "pj_jabatan": ["jabatan", "jabatan penanggung jawab"],
    "pj_nip": ["nip", "nip penanggung jawab"],
    "pj_telepon": [
        "telepon",
        "no hp",
        "nomor telepon",
        "hp",
        "telepon penanggung jawab",
        "no telp",
    ],
    "pj_email": ["email", "e mail", "surel", "email penanggung jawab"],
    "kontak_teknis": ["kontak teknis", "admin teknis"],
    "tahun_dibangun": [
        "tahun dibangun",
        "tahun pembuatan",
        "tahun",
        "tahun dibuat",
        "tahun pembangunan",
        "tahun pengadaan",
    ],
    "tahun_pengembangan": ["tahun pengembangan", "tahun pengembangan terakhir", "tahun update"],
    "sumber_anggaran": ["sumber anggaran", "anggaran", "sumber dana"],
    "status": [
        "status",
        "status aplikasi",
        "keadaan",
        "kondisi",
        "status operasional",
        "status penggunaan",
    ],
    "registrasi_ulang": [
        "registrasi ulang",
        "tanggal registrasi ulang",
        "registrasi ulang terakhir",
    ],
    "url": [
        "url",
        "alamat",
        "alamat url",
        "link",
        "alamat aplikasi",
        "subdomain",
        "sub domain",
        "url subdomain",
        "website",
        "domain",
        "alamat domain",
        "tautan",
        "alamat web",
        "alamat website",
        "link aplikasi",
        "url aplikasi",
        "situs",
    ],
    "platform": ["basis aplikasi", "platform", "jenis platform", "berbasis"],
    "lisensi": ["jenis lisensi", "lisensi", "tipe lisensi"],
    "bahasa_pemrograman": ["bahasa pemrograman", "bahasa", "bahasa program"],
    "framework": ["framework", "kerangka kerja"],
    "basis_data": ["basis data", "database", "db", "dbms", "jenis database", "jenis basis data"],
    "hosting": ["lokasi hosting", "hosting", "server hosting", "lokasi server", "tempat hosting"],
    "server": ["server", "nama server", "ip server"],
    "repositori": ["repositori", "repository", "repositori kode sumber", "source code"],
    "publik": ["publik", "tampil di katalog", "katalog publik"],
}

# Headers of columns that carry no data of their own (a running number): read, then ignored.
IGNORED_HEADERS = {"no", "no urut", "nomor", "nomor urut", "nmr", "urut"}

# Values written the ways hand-kept sheets write them, for the fields that take a choice. A value
# is compared without case, punctuation or spacing; the stored value and its label always count.
CHOICE_SYNONYMS = {
    "status": {
        "aktif": ["aktif", "berjalan", "digunakan", "operasional", "online", "jalan", "dipakai"],
        "tidak_aktif": [
            "tidak aktif",
            "non aktif",
            "nonaktif",
            "tdk aktif",
            "tak aktif",
            "offline",
            "tidak digunakan",
            "tidak dipakai",
            "vakum",
        ],
        "pengembangan": [
            "dalam pengembangan",
            "sedang dikembangkan",
            "pengembangan",
            "development",
            "uji coba",
            "ujicoba",
            "dalam pembangunan",
        ],
        "perencanaan": ["perencanaan", "rencana", "direncanakan", "usulan"],
        "dihentikan": ["mati", "dihentikan", "berhenti", "ditutup", "tidak berfungsi"],
    },
    "platform": {
        "web": ["web", "website", "berbasis web", "web based", "situs"],
        "mobile": [
            "mobile",
            "android",
            "ios",
            "aplikasi mobile",
            "android ios",
            "berbasis android",
        ],
        "desktop": ["desktop", "windows", "berbasis desktop"],
    },
    "hosting": {
        "pdn": [
            "pdn",
            "pusat data nasional",
            "pdns",
            "pdn kominfo",
            "pusat data nasional sementara",
        ],
        "diskominfo": ["server diskominfo", "diskominfo", "kominfo", "pusat data daerah", "pdd"],
        "opd": ["server opd", "opd", "server sendiri"],
        "cloud": ["cloud", "awan", "vps", "hosting luar", "cloud publik"],
    },
    "jenis": {
        "umum": ["umum", "aplikasi umum"],
        "khusus": ["khusus", "aplikasi khusus"],
    },
    "lisensi": {
        "sumber_terbuka": ["open source", "opensource", "sumber terbuka", "oss", "gpl", "mit"],
        "berpemilik": ["proprietary", "proprietari", "berpemilik", "komersial", "berbayar"],
        "gratis": ["freeware", "gratis", "free"],
        "lainnya": ["lainnya", "lain lain", "lain"],
    },
    "kategori": {
        "publik": ["publik", "layanan publik", "pelayanan publik"],
        "administrasi": ["administrasi", "administrasi pemerintahan", "internal", "back office"],
    },
}

# Column headers used by exports; each is the first import variant, so an export re-imports.
# Acronyms stay upper case ("OPD", "Layanan SPBE", "URL"), not "Opd", "Layanan Spbe", "Url".
_ACRONYMS = {"opd", "spbe", "url", "nip", "tik", "api", "ip", "dns", "ssl"}
HEADER_LABELS = {
    f: " ".join(w.upper() if w in _ACRONYMS else w.capitalize() for w in names[0].split(" "))
    for f, names in HEADER_VARIANTS.items()
}


def nip_refusal(nip: str) -> str | None:
    """Why a responsible official's NIP is not one (18 digits 0-9, spaces allowed), or None."""
    digits = (nip or "").replace(" ", "")
    if nip and not (digits.isascii() and digits.isdigit() and len(digits) == 18):
        return _("NIP terdiri dari 18 angka 0-9 (boleh dengan spasi).")
    return None
