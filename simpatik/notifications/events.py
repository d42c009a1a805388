"""The events SIMPATIK tells people about: a stable code and an Indonesian title for each."""

from django.utils.translation import gettext_lazy as _

EVENTS = {
    "tugas.baru": _("Tugas baru"),
    "langkah.dikembalikan": _("Langkah dikembalikan"),
    "usulan.diajukan": _("Usulan baru"),
    "usulan.diproses": _("Usulan diproses"),
    "usulan.ditolak": _("Usulan ditolak"),
    "proyek.selesai": _("Proyek selesai"),
    "proyek.ditangguhkan": _("Proyek ditangguhkan"),
    "proyek.dilanjutkan": _("Proyek dilanjutkan"),
    "surat.terbit": _("Naskah dinas terbit"),
    "surat.menunggu_tte": _("Naskah menunggu tanda tangan"),
    "tenggat.besok": _("Batas waktu besok"),
    "tenggat.lewat": _("Batas waktu terlewati"),
    "eskalasi": _("Eskalasi keterlambatan"),
    "diskusi.sebutan": _("Anda disebut dalam diskusi"),
    "presentasi.dijadwalkan": _("Presentasi"),
    "delegasi": _("Delegasi peran (Plh./Plt.)"),
    "laporan.bulanan": _("Laporan bulanan terbit"),
    "penyediaan.gagal": _("Penyediaan layanan gagal"),
}


def title(event: str) -> str:
    return str(EVENTS.get(event, event))
