"""Which fields the inventory shows where: groups for pages, columns for spreadsheets, the public set."""

from django.utils.translation import gettext_lazy as _

GROUPS = [
    (
        _("Identitas"),
        ["nama", "singkatan", "deskripsi", "jenis", "kategori", "urusan", "dasar_hukum"],
    ),
    (
        _("Kepemilikan"),
        [
            "opd",
            "pengembang",
            "pengembang_nama",
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
PUBLIC = ["nama", "singkatan", "opd", "deskripsi", "kategori", "url", "status"]

# Spreadsheet columns, in export order; import accepts these keys and the variants below.
COLUMNS = [
    "nama",
    "singkatan",
    "opd",
    "deskripsi",
    "jenis",
    "kategori",
    "urusan",
    "dasar_hukum",
    "pengembang",
    "pengembang_nama",
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
    "bahasa_pemrograman",
    "framework",
    "basis_data",
    "hosting",
    "server",
    "repositori",
    "publik",
]

HEADER_VARIANTS = {
    "nama": ["nama aplikasi", "nama", "aplikasi", "nama sistem", "nama sistem informasi"],
    "singkatan": ["singkatan", "akronim", "nama singkat"],
    "opd": ["opd", "opd pemilik", "perangkat daerah", "instansi", "pemilik", "unit kerja", "skpd"],
    "deskripsi": [
        "deskripsi",
        "fungsi",
        "deskripsi fungsi",
        "keterangan fungsi",
        "uraian",
        "deskripsi aplikasi",
    ],
    "jenis": ["jenis", "jenis aplikasi"],
    "kategori": ["kategori", "kategori layanan", "jenis layanan"],
    "urusan": ["urusan", "urusan pemerintahan"],
    "dasar_hukum": ["dasar hukum", "regulasi"],
    "pengembang": ["pengembang", "dikembangkan oleh", "tipe pengembang"],
    "pengembang_nama": ["nama pengembang", "vendor", "penyedia"],
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
    "tahun_dibangun": ["tahun dibangun", "tahun pembuatan", "tahun"],
    "tahun_pengembangan": ["tahun pengembangan", "tahun pengembangan terakhir", "tahun update"],
    "sumber_anggaran": ["sumber anggaran", "anggaran", "sumber dana"],
    "status": ["status", "status aplikasi", "keadaan"],
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
        "url subdomain",
        "website",
    ],
    "platform": ["platform", "jenis platform"],
    "bahasa_pemrograman": ["bahasa pemrograman", "bahasa"],
    "framework": ["framework", "kerangka kerja"],
    "basis_data": ["basis data", "database", "db"],
    "hosting": ["hosting", "lokasi hosting", "server hosting"],
    "server": ["server", "nama server", "ip server"],
    "repositori": ["repositori", "repository", "repositori kode sumber", "source code"],
    "publik": ["publik", "tampil di katalog", "katalog publik"],
}

# Column headers used by exports; each is the first import variant, so an export re-imports.
HEADER_LABELS = {f: names[0].title() for f, names in HEADER_VARIANTS.items()}
