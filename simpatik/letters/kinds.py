"""The kinds of official document the SOP produces, and what each one says.

Each kind names its template (letters/<kind>.html, overridable per installation), its
classification code for the letter number, and whether it lists attendance (berita acara).
The context builders read only what the project recorded.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    code: str  # kode klasifikasi arsip, configurable through SIMPATIK_LETTER_CODES
    attendance: bool = False


KINDS = {
    kind.key: kind
    for kind in [
        Kind("surat_perintah", "Surat Perintah Pengembangan Aplikasi", "800.1.11.1"),
        Kind(
            "laporan_ketidaktersediaan",
            "Laporan Ketidaktersediaan Infrastruktur, SDM dan/atau Anggaran",
            "000.5.2",
        ),
        Kind(
            "berita_acara_rencana",
            "Berita Acara Presentasi Rencana Pengembangan Aplikasi",
            "000.5.3",
            attendance=True,
        ),
        Kind(
            "berita_acara_hasil",
            "Berita Acara Presentasi Hasil Pengembangan Aplikasi",
            "000.5.3",
            attendance=True,
        ),
        Kind(
            "laporan_instalasi",
            "Laporan Instalasi dan Pengujian Aplikasi di Server Kominfo",
            "000.5.2",
        ),
        Kind(
            "surat_rekomendasi",
            "Surat Rekomendasi Pembuatan Subdomain dan/atau Penyediaan Layanan Hosting",
            "500.12.2",
        ),
        Kind("laporan_pengembangan", "Laporan dan Dokumentasi Pengembangan Aplikasi", "000.5.2"),
    ]
}

ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def format_number(pattern: str, *, kode_klasifikasi: str, nomor: int, kode_unit: str, date) -> str:
    """A letter number in the style of the regional tata naskah dinas."""
    return pattern.format(
        kode_klasifikasi=kode_klasifikasi,
        nomor=nomor,
        kode_unit=kode_unit,
        bulan_romawi=ROMAN_MONTHS[date.month - 1],
        bulan=f"{date.month:02d}",
        tahun=date.year,
    )


def tanggal_indonesia(date) -> str:
    return f"{date.day} {MONTHS_ID[date.month - 1]} {date.year}"
