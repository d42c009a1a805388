"""Every action the audit trail may record, with the sentence people read for it.

`record()` refuses a code that is not registered here, so no action reaches the trail without a
readable sentence. Adding one is one `Action(...)` entry below, or `register(Action(...))` from the
app that writes it (in its AppConfig.ready). The sentence is an Indonesian msgid whose
placeholders are `actor`, `step` ("langkah 3 — Membuat usulan …"), `object` (the record's object,
by name) or keys of the record's data; `rows` are data keys shown as labelled lines under it;
every other data key is shown only behind the "rincian" toggle. `example` is representative data:
the test suite renders every action with it and fails on any raw key in the output.

`authority` names what the action is done under when it is not the step's role: a capability
(`kewenangan`) or "lanjutkan_proyek". A record made by someone who holds that role only by
delegation (Plh/Plt) then names the official too (simpatik.accounts.delegation.on_behalf).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Action:
    code: str
    sentence: str
    rows: tuple[str, ...] = ()
    example: dict = field(default_factory=dict)
    step: int | None = None  # the step the example happens at, for the test
    authority: str = ""


ACTIONS: dict[str, Action] = {}


def register(*actions: Action) -> None:
    for action in actions:
        ACTIONS[action.code] = action


def get(code: str) -> Action | None:
    return ACTIONS.get(code)


register(
    # Projects and their steps (simpatik.projects.services)
    Action(
        "project.started",
        _("%(actor)s memulai proyek %(kode)s — %(nama)s untuk %(opd)s"),
        rows=("need", "sop", "sop_version"),
        example={
            "kode": "PRJ-2026-0001",
            "nama": "SIMPEG",
            "opd": "BKPSDM",
            "need": None,
            "sop": "pengembangan-aplikasi-diskominfo",
            "sop_version": 1,
        },
        authority="mulai_proyek",
    ),
    Action(
        "project.step.opened",
        _("%(step)s dibuka untuk %(role)s"),
        rows=("opd", "round", "due_date"),
        example={"round": 2, "role": "verifikator", "due_date": "2026-12-03"},
        step=5,
    ),
    Action(
        "project.step.completed",
        _("%(actor)s menyelesaikan %(step)s"),
        rows=("opd", "decision", "round", "fields", "documents"),
        example={
            "round": 1,
            "decision": "tidak_tersedia",
            "fields": {"hasil_pemeriksaan_ketersediaan": "Anggaran belum ada"},
            "documents": {"dokumen_analisis": "ab" * 32},
        },
        step=6,
    ),
    Action(
        "project.step.draft_saved",
        _("%(actor)s menyimpan draf %(step)s"),
        rows=("fields", "decision", "alasan"),
        example={"fields": {"tipe_rekaman": "A", "subdomain": "cuti"}},
        step=16,
    ),
    Action("project.step.claimed", _("%(actor)s mengambil %(step)s"), step=3),
    Action(
        "project.step.reassigned",
        _("%(actor)s mengalihkan %(step)s dari %(from)s kepada %(to)s"),
        example={"from": None, "to": "sri"},
        step=3,
    ),
    Action(
        "project.document.uploaded",
        _("%(actor)s mengunggah %(key)s (%(name)s, versi %(version)s) pada %(step)s"),
        example={
            "key": "dokumen_analisis",
            "version": 2,
            "name": "analisis.pdf",
            "sha256": "cd" * 32,
            "size": 1200,
        },
        step=5,
    ),
    Action(
        "project.document.attached_from_need",
        _("%(key)s (%(name)s) dari usulan %(need)s menjadi dokumen proyek"),
        example={
            "key": "daftar_kebutuhan",
            "name": "daftar-kebutuhan.pdf",
            "need": "USL-2026-0001",
            "sha256": "ab" * 32,
        },
        step=1,
    ),
    Action(
        "project.suspended",
        _("Proyek ditangguhkan setelah %(step)s"),
        step=7,
    ),
    Action("project.finished", _("Proyek selesai dengan %(step)s"), step=18),
    Action(
        "project.resumed",
        _("%(actor)s melanjutkan proyek yang ditangguhkan; %(reopens)s dibuka kembali"),
        example={"reopens": 6},
        authority="lanjutkan_proyek",
    ),
    # Needs (usulan) of the OPDs
    Action(
        "need.submitted",
        _("%(actor)s mengajukan usulan %(nomor)s — %(judul)s dari %(opd)s"),
        rows=("attachments",),
        example={
            "nomor": "USL-2026-0001",
            "judul": "SIMPEG",
            "opd": "BKPSDM",
            "attachments": ["daftar-kebutuhan.pdf"],
        },
    ),
    Action(
        "need.updated",
        _("%(actor)s mengubah usulan %(nomor)s"),
        rows=("changes", "attachments"),
        example={
            "nomor": "USL-2026-0001",
            "changes": {"judul": ["SIMPEG", "SIMPEG Daerah"]},
            "attachments": ["daftar-kebutuhan-2.pdf"],
        },
    ),
    Action(
        "need.withdrawn",
        _("%(actor)s menarik usulan %(nomor)s"),
        example={"nomor": "USL-2026-0001"},
    ),
    Action("need.rejected", _("%(actor)s menolak usulan %(object)s"), authority="putuskan_usulan"),
    # Official letters
    Action(
        "letter.issued",
        _("%(actor)s menerbitkan %(kind)s nomor %(number)s"),
        example={
            "number": "000.1/1/DISKOMINFO/2026",
            "kind": "surat_perintah",
            "sha256": "ef" * 32,
            "replaces": None,
        },
        step=1,
    ),
    Action(
        "letter.corrected",
        _("%(actor)s menerbitkan koreksi %(kind)s nomor %(number)s, menggantikan %(replaces)s"),
        example={
            "number": "000.1/2/DISKOMINFO/2026",
            "kind": "surat_perintah",
            "sha256": "ef" * 32,
            "replaces": "000.1/1/DISKOMINFO/2026",
        },
        step=1,
    ),
    # Project documentation (wiki)
    Action(
        "wiki.page.saved",
        _("%(actor)s menyimpan halaman dokumentasi %(title)s (versi %(version)s)"),
        example={"page": "arsitektur", "version": 3, "title": "Arsitektur", "created": False},
        authority="sunting_dokumentasi",
    ),
    # Inventory of applications
    Action(
        "inventory.application.created",
        _("%(actor)s mencatat aplikasi %(object)s di inventaris"),
        rows=("fields",),
        example={
            "fields": {
                "nama": "SIMPEG",
                "status": "pengembangan",
                "opd": "BKPSDM",
                "hosting": "",
                "publik": False,
            }
        },
        authority="kelola_inventaris",
    ),
    Action(
        "inventory.application.updated",
        _("%(actor)s mengubah data aplikasi %(object)s"),
        rows=("changes",),
        example={
            "changes": {
                "status": ["pengembangan", "aktif"],
                "platform": ["", "web"],
                "url": [None, "https://simpeg.bolmutkab.go.id"],
            }
        },
        authority="kelola_inventaris",
    ),
    Action(
        "inventory.application.archived",
        _("%(actor)s mengarsipkan aplikasi %(object)s"),
        authority="kelola_inventaris",
    ),
    Action(
        "inventory.application.restored",
        _("%(actor)s memulihkan aplikasi %(object)s"),
        authority="kelola_inventaris",
    ),
    Action(
        "inventory.integration.added",
        _("%(actor)s mencatat integrasi %(source)s dengan %(target)s"),
        rows=("data", "arah", "metode"),
        example={
            "source": "SIMPEG",
            "target": "e-Kinerja",
            "data": "data pegawai",
            "arah": "kirim",
            "metode": "api",
        },
        authority="kelola_inventaris",
    ),
    Action(
        "inventory.integration.archived",
        _("%(actor)s mengarsipkan integrasi %(object)s"),
        authority="kelola_inventaris",
    ),
    Action(
        "inventory.import",
        _("%(actor)s mengimpor daftar aplikasi dari %(file)s"),
        rows=("created", "updated", "unchanged", "skipped_errors", "opds_created", "aliases"),
        example={
            "file": "inventaris.xlsx",
            "sha256": "12" * 32,
            "created": 3,
            "updated": 1,
            "unchanged": 10,
            "skipped_errors": 0,
            "opds_created": ["Dinas Pertanian"],
            "aliases": ["Dinas Kesehatan Kab. Bolmut → Dinkes"],
        },
        authority="kelola_inventaris",
    ),
    Action(
        "inventory.opd.created",
        _("%(actor)s menambahkan OPD %(nama)s dari impor inventaris"),
        rows=("kode",),
        example={"nama": "Dinas Pertanian", "kode": "dp"},
    ),
    Action(
        "inventory.opd.alias_learnt",
        _("%(actor)s mencatat “%(alias)s” sebagai nama lain OPD %(opd)s"),
        rows=("before",),
        example={"alias": "Dinas Kesehatan Kab. Bolmut", "opd": "Dinkes", "before": ""},
    ),
    # The SOP, accounts and provisioning
    Action(
        "sop.version.loaded",
        _("%(actor)s memuat SOP %(kode)s versi %(version)s"),
        rows=("steps",),
        example={
            "kode": "pengembangan-aplikasi-diskominfo",
            "version": 2,
            "sha256": "34" * 32,
            "steps": 18,
        },
    ),
    Action(
        "sop.version.drafted",
        _("%(actor)s menyimpan draf revisi SOP %(kode)s versi %(version)s"),
        rows=("note",),
        example={
            "kode": "pengembangan-aplikasi-diskominfo",
            "version": 3,
            "sha256": "35" * 32,
            "note": "Waktu langkah 3 menjadi 4 hari kerja",
        },
    ),
    Action(
        "sop.version.activated",
        _("%(actor)s memberlakukan SOP %(kode)s versi %(version)s"),
        rows=("previous",),
        example={"kode": "pengembangan-aplikasi-diskominfo", "version": 3, "previous": 2},
    ),
    Action(
        "account.user.saved",
        _("%(actor)s menyimpan pengguna %(username)s"),
        rows=("roles", "opd"),
        example={"username": "budi", "created": True, "roles": ["verifikator"], "opd": None},
    ),
    Action("auth.token.created", _("%(actor)s membuat token API")),
    Action(
        "repository.requested",
        _("%(actor)s meminta repositori kode sumber %(name)s"),
        rows=("provider",),
        example={"provider": "local", "name": "simpeg"},
    ),
    Action(
        "repository.provisioned",
        _("Repositori kode sumber %(clone_url)s dibuat"),
        rows=("members",),
        example={
            "provider": "local",
            "clone_url": "https://git.example/simpeg.git",
            "members": ["dimas"],
        },
    ),
    Action(
        "repository.failed",
        _("Repositori kode sumber gagal dibuat"),
        rows=("error", "attempts"),
        example={"provider": "local", "error": "nama sudah dipakai", "attempts": 8},
    ),
    Action(
        "dns.subdomain.requested",
        _("%(actor)s meminta subdomain %(fqdn)s"),
        rows=("type", "content"),
        example={"fqdn": "cuti.bolmutkab.go.id", "type": "A", "content": "10.10.1.20"},
    ),
    Action(
        "dns.subdomain.published",
        _("Subdomain %(fqdn)s diterbitkan di DNS"),
        rows=("type", "content"),
        example={
            "fqdn": "cuti.bolmutkab.go.id",
            "type": "A",
            "content": "10.10.1.20",
            "provider": "powerdns",
        },
    ),
    Action(
        "dns.subdomain.failed",
        _("Subdomain %(fqdn)s gagal diterbitkan di DNS"),
        rows=("error",),
        example={"fqdn": "cuti.bolmutkab.go.id", "error": "server DNS tidak menjawab"},
    ),
    Action(
        "dns.subdomain.withdrawn",
        _("%(actor)s menarik subdomain %(fqdn)s dari DNS"),
        example={"fqdn": "cuti.bolmutkab.go.id"},
        authority="kelola_penyediaan",
    ),
    Action(
        "dns.subdomain.removed",
        _("Rekaman subdomain %(fqdn)s dihapus dari DNS"),
        example={"fqdn": "cuti.bolmutkab.go.id", "provider": "powerdns"},
    ),
    Action(
        "hosting.recorded",
        _("%(actor)s mencatat hosting aplikasi %(application)s"),
        rows=("server", "resources"),
        example={"application": "SIMPEG", "server": "srv-01", "resources": "2 CPU, 4 GB"},
    ),
)

register(
    # Authentication and accounts (simpatik.accounts)
    Action(
        "auth.login.succeeded",
        _("%(actor)s masuk ke SIMPATIK"),
        rows=("address",),
        example={"address": "10.0.0.8"},
    ),
    Action(
        "auth.login.failed",
        _("Upaya masuk sebagai %(username)s gagal"),
        rows=("address", "reason"),
        example={"username": "sri", "address": "10.0.0.8", "reason": "invalid_credentials"},
    ),
    Action(
        "auth.login.refused",
        _("Upaya masuk sebagai %(username)s ditolak karena terlalu banyak kegagalan"),
        rows=("address",),
        example={"username": "sri", "address": "10.0.0.8"},
    ),
    Action(
        "auth.logout", _("%(actor)s keluar"), rows=("address",), example={"address": "10.0.0.8"}
    ),
    Action(
        "auth.session.expired",
        _("Sesi %(actor)s berakhir"),
        rows=("address",),
        example={"address": "10.0.0.8"},
    ),
    Action(
        "auth.password.changed",
        _("Kata sandi %(username)s diganti"),
        example={"username": "sri"},
    ),
    Action(
        "auth.password.reset",
        _("%(actor)s mengatur ulang kata sandi lewat surel"),
        rows=("address",),
        example={"address": "10.0.0.8"},
    ),
    Action(
        "auth.mfa.enabled",
        _("%(actor)s memasang verifikasi dua langkah"),
        rows=("type",),
        example={"type": "totp", "address": "10.0.0.8"},
    ),
    Action(
        "auth.mfa.disabled",
        _("%(actor)s mencabut verifikasi dua langkah"),
        rows=("type",),
        example={"type": "webauthn", "address": "10.0.0.8"},
    ),
    Action(
        "auth.mfa.reset",
        _("%(actor)s membuat ulang kode pemulihan"),
        rows=("type",),
        example={"type": "recovery_codes", "address": "10.0.0.8"},
    ),
    Action(
        "auth.token.revoked",
        _("Token API dicabut"),
        rows=("count",),
        example={"username": "sri", "count": 2},
    ),
    Action(
        "account.roles.changed",
        _("%(actor)s mengubah peran %(username)s"),
        rows=("before", "after"),
        example={
            "username": "budi",
            "before": ["verifikator"],
            "after": ["verifikator", "penyetuju"],
        },
    ),
    Action(
        "account.delegation.created",
        _("%(actor)s menunjuk %(to)s sebagai %(title)s dari %(mulai)s sampai %(sampai)s"),
        rows=("pejabat",),
        example={
            "to": "rahmat",
            "pejabat": "aang",
            "title": "Plh. Kadis Kominfo",
            "kind": "plh",
            "role": "penyetuju",
            "mulai": "2026-12-01",
            "sampai": "2026-12-12",
        },
    ),
    Action(
        "account.delegation.ended",
        _("%(actor)s mengakhiri penunjukan %(to)s sebagai %(title)s"),
        rows=("pejabat", "mulai", "sampai"),
        example={
            "to": "rahmat",
            "pejabat": None,
            "title": "Plt. Kadis Kominfo",
            "kind": "plt",
            "role": "penyetuju",
            "mulai": "2026-12-01",
            "sampai": "2026-12-12",
        },
    ),
    Action(
        "account.opd.changed",
        _("%(actor)s mengubah OPD %(username)s"),
        rows=("before", "after"),
        example={"username": "budi", "before": "BKPSDM", "after": "Dinkes"},
    ),
    # Background jobs (simpatik.jobs)
    Action(
        "job.failed",
        _("Pekerjaan latar %(job)s gagal setelah %(attempts)s percobaan"),
        rows=("error",),
        example={
            "job": "provisioning.create_repository",
            "attempts": 5,
            "error": "Gitea tidak menjawab",
        },
    ),
    Action(
        "job.retried",
        _("%(actor)s mengulang pekerjaan latar %(job)s"),
        rows=("error",),
        example={
            "job": "notifications.deliver",
            "attempts": 6,
            "error": "Server surel tidak menjawab",
        },
    ),
    # Notifications, presentations, calendars, discussions
    Action(
        "notification.preference_changed",
        _("%(actor)s mengubah pengaturan pemberitahuannya"),
        rows=("email", "chat", "mode"),
        example={"email": True, "chat": False, "mode": "harian", "chat_url_changed": False},
    ),
    Action(
        "meeting.scheduled",
        _("%(actor)s menjadwalkan presentasi %(step)s di %(place)s"),
        rows=("starts_at", "attendees"),
        example={
            "starts_at": "2026-12-03T09:30:00+08:00",
            "place": "Ruang rapat Diskominfo",
            "attendees": ["dimas", "nur"],
        },
        step=10,
        authority="jadwalkan_presentasi",
    ),
    Action(
        "meeting.cancelled",
        _("%(actor)s membatalkan presentasi %(step)s"),
        step=10,
        authority="jadwalkan_presentasi",
    ),
    Action("calendar.feed_created", _("%(actor)s membuat alamat langganan kalender")),
    Action("calendar.feed_revoked", _("%(actor)s mencabut alamat langganan kalender")),
    Action(
        "project.step.commented",
        _("%(actor)s menulis di diskusi %(step)s"),
        rows=("mentions", "attachments"),
        example={"round": 1, "mentions": ["sri"], "attachments": ["notulen.pdf"]},
        step=11,
    ),
)

register(
    # Signing of official documents (simpatik.letters)
    Action(
        "letter.signed",
        _("%(actor)s menandatangani %(title)s nomor %(number)s secara elektronik"),
        example={
            "number": "000.1/3/DISKOMINFO/2026",
            "title": "Berita Acara Presentasi Rencana",
            "signer": "Dimas Lasabuda",
            "sha256": "ab" * 32,
            "status": "berlaku",
        },
        step=10,
    ),
    Action(
        "letter.countersigned",
        _("%(actor)s menandatangani %(title)s nomor %(number)s sebagai pihak kedua"),
        example={
            "number": "000.1/3/DISKOMINFO/2026",
            "title": "Berita Acara Presentasi Rencana",
            "signer": "Nur Paputungan",
            "sha256": "cd" * 32,
            "status": "berlaku",
        },
        step=11,
    ),
    Action(
        "letter.signing_failed",
        _("Tanda tangan elektronik %(title)s nomor %(number)s gagal"),
        rows=("error",),
        example={
            "number": "000.1/4/DISKOMINFO/2026",
            "title": "Surat Rekomendasi",
            "error": "Layanan TTE tidak dapat dihubungi",
        },
        step=16,
    ),
    # The SOP mapped to the national SPBE frameworks, and its evidence bundles (simpatik.spbe)
    Action(
        "spbe.mapping.loaded",
        _("%(actor)s memuat pemetaan SPBE %(kode)s versi %(version)s"),
        rows=("sop", "sop_version"),
        example={
            "kode": "pemetaan-spbe",
            "version": 2,
            "sop": "pengembangan-aplikasi-diskominfo",
            "sop_version": 1,
            "sha256": "ab" * 32,
            "indicators": 5,
        },
    ),
    Action(
        "spbe.bundle.made",
        _("%(actor)s membuat bundel bukti SPBE indikator %(indicator)s tahun %(year)s"),
        rows=("sop", "items"),
        example={
            "sop": "pengembangan-aplikasi-diskominfo",
            "indicator": "I.15",
            "year": 2026,
            "items": 12,
            "mapping_version": 1,
        },
        authority="lihat_dasbor",
    ),
)
