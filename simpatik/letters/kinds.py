"""The kinds of official document SIMPATIK issues, and what each one says.

Each kind names its template (letters/<kind>.html, overridable per installation), its
classification code for the letter number, the Kelengkapan/Hasil items it quotes (checked before
its step may complete) and, for a berita acara, the fields holding attendance, notes, photos and
the second party who countersigns. The context builders read only what the project recorded.
A kind with an `audience` is made by no step (the monthly report): SIMPATIK seals it, and the
holders of that capability read it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    code: str  # kode klasifikasi arsip, configurable through SIMPATIK_LETTER_CODES
    # Kelengkapan/Hasil keys the document quotes: all must be present before the step completes.
    draws_on: tuple[str, ...] = ()
    attendance_key: str = ""  # field with the attendance list, "Nama — Jabatan" per line
    notes_key: str = ""  # field with the notes/conclusion printed in the document
    photos_key: str = ""  # document item whose images of the same round are printed
    # Field naming the second party of a meeting, who countersigns (berita acara).
    countersigner_key: str = ""
    # For a document no step makes: the capability whose holders may read it. Empty for a
    # step's document, which those who see its project read.
    audience: str = ""

    @property
    def attendance(self) -> bool:
        return bool(self.attendance_key)


KINDS = {
    kind.key: kind
    for kind in [
        Kind(
            "surat_perintah",
            "Surat Perintah Pengembangan Aplikasi",
            "800.1.11.1",
            draws_on=("rujukan_usulan",),
        ),
        Kind(
            "laporan_ketidaktersediaan",
            "Laporan Ketidaktersediaan Infrastruktur, SDM dan/atau Anggaran",
            "000.5.2",
            draws_on=("hasil_pemeriksaan_ketersediaan",),
        ),
        Kind(
            "berita_acara_rencana",
            "Berita Acara Presentasi Rencana Pengembangan Aplikasi",
            "000.5.3",
            draws_on=(
                "mockup",
                "aplikasi_sejenis_dibangun",
                "alur_bisnis",
                "jadwal_pengerjaan",
                "daftar_hadir_rencana",
                "penerima_presentasi_rencana",
            ),
            attendance_key="daftar_hadir_rencana",
            notes_key="kesimpulan_presentasi_rencana",
            photos_key="foto_presentasi_rencana",
            countersigner_key="penerima_presentasi_rencana",
        ),
        Kind(
            "berita_acara_hasil",
            "Berita Acara Presentasi Hasil Pengembangan Aplikasi",
            "000.5.3",
            draws_on=(
                "hasil_uat",
                "hasil_pentest",
                "hasil_usability",
                "petunjuk_pengguna",
                "system_requirement",
                "petunjuk_instalasi",
                "daftar_hadir_hasil",
                "penerima_presentasi_hasil",
            ),
            attendance_key="daftar_hadir_hasil",
            notes_key="kesimpulan_presentasi_hasil",
            photos_key="foto_presentasi_hasil",
            countersigner_key="penerima_presentasi_hasil",
        ),
        Kind(
            "laporan_instalasi",
            "Laporan Instalasi dan Pengujian Aplikasi di Server Kominfo",
            "000.5.2",
            draws_on=("paket_instalasi", "berita_acara_presentasi_hasil", "hasil_instalasi"),
            notes_key="hasil_instalasi",
        ),
        Kind(
            "surat_rekomendasi",
            "Surat Rekomendasi Pembuatan Subdomain dan/atau Penyediaan Layanan Hosting",
            "500.12.2",
            draws_on=("tanggapan_hasil", "subdomain", "kebutuhan_hosting"),
        ),
        Kind(
            "laporan_pengembangan",
            "Laporan dan Dokumentasi Pengembangan Aplikasi",
            "000.5.2",
            draws_on=(
                "rencana_pengembangan",
                "berita_acara_presentasi_hasil",
                "laporan_instalasi_pengujian",
                "surat_rekomendasi",
            ),
            notes_key="catatan_laporan",
        ),
        Kind(
            "persetujuan_aplikasi",
            "Surat Persetujuan Aplikasi",
            "000.5.2",
            draws_on=("laporan_pengembangan", "catatan_persetujuan"),
            notes_key="catatan_persetujuan",
        ),
        Kind(
            "laporan_bulanan",
            "Laporan Bulanan Kinerja Pengembangan Aplikasi",
            "000.5.2",
            audience="lihat_dasbor",
        ),
        Kind(
            "laporan_monitoring_evaluasi",
            "Laporan Monitoring dan Evaluasi SOP",
            "000.5.2",
            audience="lihat_dasbor",
        ),
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
