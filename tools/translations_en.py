"""English for the interface: `python tools/translations_en.py` fills locale/en from this table.

Source strings are Indonesian (the interface's first language); run `simpatik makemessages -l en`
first, then this script, then `simpatik compilemessages`.
"""

import sys
from pathlib import Path

EN = {
    "Nama pengguna dan kata sandi wajib diisi.": "User name and password are required.",
    "Nama pengguna atau kata sandi salah.": "Wrong user name or password.",
    "kode": "code",
    "nama": "name",
    "singkatan": "abbreviation",
    "aktif": "active",
    "OPD": "Agency",
    "kunci": "key",
    "jabatan": "position",
    "peran": "role",
    "NIP": "NIP",
    "pengguna": "user",
    "Masuk": "Log in",
    "Masuk ke SIMPATIK": "Log in to SIMPATIK",
    "Nama pengguna": "User name",
    "Kata sandi": "Password",
    "waktu": "time",
    "pelaku": "actor",
    "nama pelaku": "actor name",
    "tindakan": "action",
    "proyek": "project",
    "langkah": "step",
    "data": "data",
    "alasan": "reason",
    "id permintaan": "request id",
    "melalui": "via",
    "catatan audit": "audit record",
    "Data tidak ditemukan.": "Not found.",
    "Anda harus masuk (login) terlebih dahulu.": "You must log in first.",
    "Anda tidak berwenang.": "You are not allowed to do this.",
    "Data yang dikirim tidak valid.": "The data sent is not valid.",
    "Permintaan tidak dapat dibaca.": "The request cannot be read.",
    "Berkas tidak dikirim.": "No file was sent.",
    "Berkas terlalu besar: paling besar %(mb)d MB.": "The file is too large: at most %(mb)d MB.",
    "Berkas kosong.": "The file is empty.",
    "Jenis berkas tidak diterima: unggah PDF, dokumen Office/ODF, atau gambar.": "File type not accepted: upload a PDF, an Office/ODF document or an image.",
    "tanpa batas waktu": "no deadline",
    "terlambat %(n)d hari kerja": "%(n)d working days late",
    "jatuh tempo hari ini": "due today",
    "sisa %(n)d hari kerja": "%(n)d working days left",
    "Langkah %(n)d tidak sedang terbuka.": "Step %(n)d is not open.",
    "Alamat API tidak ditemukan.": "API address not found.",
    "Semua status": "All statuses",
    "Nama aplikasi": "Application name",
    "Deskripsi": "Description",
    "Rujukan usulan/permintaan": "Proposal/request reference",
    "Cari": "Search",
    "Status": "Status",
    "Semua OPD": "All agencies",
    "Langkah saat ini": "Current step",
    "Hanya yang terlambat": "Late only",
    "Diajukan": "Submitted",
    "Diproses menjadi proyek": "Taken up as a project",
    "Ditolak": "Rejected",
    "nomor usulan": "proposal number",
    "nama aplikasi yang diusulkan": "proposed application name",
    "OPD pengusul": "proposing agency",
    "latar belakang dan kebutuhan": "background and need",
    "tujuan dan manfaat": "aims and benefits",
    "pengguna sasaran": "intended users",
    "nomor surat permohonan": "request letter number",
    "tanggal surat": "letter date",
    "status": "status",
    "diajukan": "submitted",
    "usulan kebutuhan aplikasi": "application proposal",
    "Berjalan": "Running",
    "Ditangguhkan": "Suspended",
    "Selesai": "Finished",
    "kode proyek": "project code",
    "nama aplikasi": "application name",
    "deskripsi": "description",
    "usulan": "proposal",
    "versi SOP": "SOP version",
    "dimulai": "started",
    "selesai": "finished",
    "anggota tim": "team member",
    "putaran": "round",
    "pelaksana": "role",
    "dibuka": "opened",
    "batas waktu": "due date",
    "dikerjakan oleh": "taken by",
    "diselesaikan": "completed",
    "keputusan": "decision",
    "isian": "fields",
    "pelaksanaan langkah": "step run",
    "versi": "version",
    "nama berkas": "file name",
    "ukuran": "size",
    "diunggah": "uploaded",
    "dokumen": "document",
    "Proyek tidak ditemukan.": "Project not found.",
    "Usulan tidak ditemukan.": "Proposal not found.",
    "Langkah tidak ada dalam SOP proyek ini.": "This project's SOP has no such step.",
    "Dokumen '%(key)s' tidak diminta pada langkah ini.": "Document '%(key)s' is not asked for in this step.",
    "Hanya %(role)s yang dapat memulai proyek.": "Only %(role)s can start a project.",
    "Nama aplikasi wajib diisi.": "The application name is required.",
    "OPD wajib dipilih.": "Choose an agency.",
    "Usulan ini sudah diproses atau ditolak.": "This proposal was already taken up or rejected.",
    "Langkah tidak ditemukan.": "Step not found.",
    "Langkah %(n)d sudah diselesaikan oleh orang lain. Muat ulang halaman.": "Step %(n)d was already completed by someone else. Reload the page.",
    "Proyek tidak sedang berjalan.": "The project is not running.",
    "Keputusan wajib dipilih.": "Choose a decision.",
    "Keputusan tidak dikenal.": "Unknown decision.",
    'Alasan wajib diisi untuk keputusan "%(label)s".': 'A reason is required for the decision "%(label)s".',
    "Langkah ini tidak memerlukan keputusan.": "This step takes no decision.",
    "Kelengkapan belum lengkap: %(items)s.": "Required inputs are missing: %(items)s.",
    "Langkah sudah diselesaikan oleh orang lain.": "The step was already completed by someone else.",
    "Proyek tidak sedang ditangguhkan.": "The project is not suspended.",
    "Proyek tidak dapat dilanjutkan.": "The project cannot be resumed.",
    "Hanya %(role)s yang dapat melanjutkan proyek.": "Only %(role)s can resume the project.",
    "Anda tidak berwenang mengalihkan langkah ini.": "You may not reassign this step.",
    "Pengguna tujuan tidak memegang peran pelaksana langkah ini.": "That user does not hold this step's role.",
    "Anda tidak berwenang mengajukan usulan.": "You may not submit proposals.",
    "OPD pengusul wajib dipilih.": "Choose the proposing agency.",
    "%(field)s wajib diisi.": "%(field)s is required.",
    "Anda tidak berwenang menolak usulan.": "You may not reject proposals.",
    "Alasan penolakan wajib diisi.": "A reason for the rejection is required.",
    "Langkah %(n)d hanya dapat dikerjakan oleh %(role)s.": "Step %(n)d can only be done by %(role)s.",
    "Langkah ini sedang dikerjakan oleh %(name)s.": "%(name)s has taken this step.",
    "harus berupa teks (paling panjang 10.000 huruf)": "must be text (10,000 characters at most)",
    "harus berupa angka": "must be a number",
    "harus berupa angka yang wajar": "must be a sensible number",
    "harus berupa tanggal (TTTT-BB-HH)": "must be a date (YYYY-MM-DD)",
    "hanya satu pilihan": "one choice only",
    "pilihan tidak dikenal": "unknown choice",
    "tipe isian tidak dikenal": "unknown field type",
    "Isian harus berupa pemetaan kunci ke nilai.": "Fields must map keys to values.",
    "Isian tidak dikenal untuk langkah ini: %(keys)s": "Unknown fields for this step: %(keys)s",
    "Isian tidak valid: %(errors)s": "Invalid fields: %(errors)s",
    "Waktu": "Time",
    "Pelaku": "Actor",
    "Tindakan": "Action",
    "Langkah": "Step",
    "Rincian": "Details",
    "Alasan": "Reason",
    "Belum ada catatan.": "No records yet.",
    "Halaman": "Pages",
    "Sebelumnya": "Previous",
    "Halaman %(n)s dari %(t)s": "Page %(n)s of %(t)s",
    "Berikutnya": "Next",
    "Kode": "Code",
    "Aplikasi": "Application",
    "Tidak ada proyek yang cocok.": "No matching projects.",
    "Langkah %(n)s": "Step %(n)s",
    "berjalan": "running",
    "belum dimulai": "not started",
    "putaran %(r)s": "round %(r)s",
    "Output": "Output",
    "Batas": "Due",
    "Dikerjakan oleh": "Taken by",
    "Mutu Baku: kelengkapan dan hasil": "Quality standard: required inputs and outputs",
    "hasil": "output",
    "kelengkapan": "required input",
    "wajib bila": "required when",
    "lengkap": "present",
    "belum ada": "missing",
    "Berkas %(l)s": "File for %(l)s",
    "Unggah versi baru": "Upload a new version",
    "Unggah": "Upload",
    "Selesaikan langkah": "Complete step",
    "Keputusan": "Decision",
    "langkah %(n)s": "step %(n)s",
    "Alasan (wajib bila menolak)": "Reason (required when rejecting)",
    "Ambil atau alihkan langkah": "Take or reassign the step",
    "Ambil langkah ini": "Take this step",
    "Alihkan kepada": "Reassign to",
    "Alihkan": "Reassign",
    "Pelaksanaan": "Runs",
    "Putaran %(r)s": "Round %(r)s",
    "hari kerja": "working days",
    "Latar belakang": "Background",
    "Tujuan dan manfaat": "Aims and benefits",
    "Pengguna sasaran": "Intended users",
    "Surat permohonan": "Request letter",
    "Proyek": "Projects",
    "Mulai proyek": "Start project",
    "Mulai proyek dari usulan ini": "Start a project from this proposal",
    "Langkah 1: Kadis Kominfo mengeluarkan surat perintah pengembangan aplikasi.": "Step 1: the head of office issues the order to develop the application.",
    "Tolak usulan": "Reject proposal",
    "Alasan penolakan": "Reason for rejection",
    "Tolak": "Reject",
    "Ajukan usulan": "Submit a proposal",
    "Usulan kebutuhan aplikasi": "Application proposals",
    "Kirim usulan": "Send proposal",
    "Semua": "All",
    "Saring": "Filter",
    "Nomor": "Number",
    "Belum ada usulan.": "No proposals yet.",
    "Bagian proyek": "Project sections",
    "Alur SOP": "SOP flow",
    "Riwayat": "History",
    "SOP": "SOP",
    "Usulan": "Proposals",
    "Dimulai": "Started",
    "Proyek ditangguhkan": "Project suspended",
    "Infrastruktur, SDM atau anggaran belum tersedia (langkah 7).": "Infrastructure, staff or budget is not available (step 7).",
    "Catatan": "Note",
    "Lanjutkan proyek": "Resume project",
    "Uraian Prosedur": "Procedure",
    "Rincian langkah %(n)s": "Details of step %(n)s",
    "sedang berjalan": "in progress",
    "%(d)s hari kerja": "%(d)s working days",
    "Mulai proyek baru": "Start a new project",
    "Proyek pengembangan aplikasi": "Application development projects",
    "Tugas Saya": "My Tasks",
    "Uraian": "Description",
    "Batas waktu": "Due date",
    "Tidak ada langkah yang menunggu Anda.": "No step is waiting for you.",
    "Usulan %(nomor)s tersimpan.": "Proposal %(nomor)s saved.",
    "Proyek %(kode)s dimulai.": "Project %(kode)s started.",
    "Usulan ditolak.": "Proposal rejected.",
    "Hanya Kadis Kominfo yang dapat memulai proyek.": "Only the head of office can start a project.",
    "Langkah %(n)d tidak sedang terbuka. Muat ulang halaman.": "Step %(n)d is not open. Reload the page.",
    "Dokumen tersimpan.": "Document saved.",
    "Langkah %(n)d selesai.": "Step %(n)d completed.",
    "Tindakan tidak dikenal.": "Unknown action.",
    "Proyek dilanjutkan.": "Project resumed.",
    "Dokumen tidak ditemukan.": "Document not found.",
    "kode SOP": "SOP code",
    "judul": "title",
    "definisi": "definition",
    "sumber (YAML)": "source (YAML)",
    "berlaku untuk proyek baru": "used for new projects",
    "dimuat": "loaded",
    "catatan revisi": "revision note",
    "Tidak berwenang": "Not allowed",
    "Anda tidak berwenang membuka halaman ini.": "You may not open this page.",
    "Tidak ditemukan": "Not found",
    "Halaman yang Anda cari tidak ada.": "The page you asked for does not exist.",
    "Langsung ke isi": "Skip to content",
    "Menu utama": "Main menu",
    "Admin": "Admin",
    "Keluar": "Log out",
    "Bahasa": "Language",
    "Tidak dapat diproses": "Cannot be processed",
    "Terjadi benturan": "Conflict",
    "Kembali": "Back",
    "Beranda": "Home",
}


# Messages that count (ngettext): English for one and for several. Indonesian has one form.
PLURAL = {
    "sisa %(n)d hari kerja": ("%(n)d working day left", "%(n)d working days left"),
    "%(d)s hari kerja": ("%(d)s working day", "%(d)s working days"),
    "%(n)d hari kerja": ("%(n)d working day", "%(n)d working days"),
    "terlambat %(n)d hari kerja": ("%(n)d working day late", "%(n)d working days late"),
    "Termasuk %(n)s penyimpanan draf.": (
        "Including %(n)s draft save.",
        "Including %(n)s draft saves.",
    ),
    "%(n)s penyimpanan draf tidak ditampilkan.": (
        "%(n)s draft save not shown.",
        "%(n)s draft saves not shown.",
    ),
    "(%(n)d dari %(total)d langkah sudah pernah diselesaikan)": (
        "(%(n)d of %(total)d steps done at least once)",
        "(%(n)d of %(total)d steps done at least once)",
    ),
    "Batas waktu %(what)s tinggal %(n)d hari kerja (%(date)s).": (
        "%(n)d working day left until the deadline of %(what)s (%(date)s).",
        "%(n)d working days left until the deadline of %(what)s (%(date)s).",
    ),
    "%(what)s terlambat %(n)d hari kerja dari batasnya (%(date)s).": (
        "%(what)s is %(n)d working day past its deadline (%(date)s).",
        "%(what)s is %(n)d working days past its deadline (%(date)s).",
    ),
    "%(what)s terlambat %(n)d hari kerja; dipegang %(holders)s.": (
        "%(what)s is %(n)d working day late; held by %(holders)s.",
        "%(what)s is %(n)d working days late; held by %(holders)s.",
    ),
}


def _table() -> dict:
    """The table above, and the longer lists kept as data beside it.

    translations_en.tsv, then every translations_en.d/*.tsv (one file per piece of work, so that
    work done side by side never edits the same lines). Tab-separated: Indonesian, English.
    """
    table = dict(EN)
    here = Path(__file__)
    files = [here.with_suffix(".tsv"), *sorted(here.with_suffix(".d").glob("*.tsv"))]
    for tsv in files:
        for line in tsv.read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                msgid, msgstr = line.split("\t", 1)
                table[msgid] = msgstr
    return table


def main(path: str) -> int:
    import polib

    catalogue = polib.pofile(path)
    table = _table()
    missing = []
    for entry in catalogue:
        if entry.msgid_plural:
            forms = PLURAL.get(entry.msgid)
            if forms is None:
                missing.append(entry.msgid)
                continue
            entry.msgstr_plural = dict(enumerate(forms))
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            continue
        # A message with a context (pgettext, {% translate ... context "menu" %}) is written
        # "context|message" in the tables.
        english = table.get(f"{entry.msgctxt}|{entry.msgid}") if entry.msgctxt else None
        english = english or table.get(entry.msgid)
        if english is None:
            missing.append(entry.msgid)
            continue
        entry.msgstr = english
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save(path)
    for msgid in missing:
        print(f"untranslated: {msgid}")
    return 0


if __name__ == "__main__":
    sys.exit(
        main(
            sys.argv[1]
            if len(sys.argv) > 1
            else str(
                Path(__file__).resolve().parents[1] / "simpatik/locale/en/LC_MESSAGES/django.po"
            )
        )
    )
