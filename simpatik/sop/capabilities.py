"""What a role may do outside the steps: the vocabulary an SOP file grants from (`kewenangan`).

The steps say who does each step (`role`); everything else a person may do in SIMPATIK is one of
these capabilities, granted to roles in the SOP file and checked only through
`simpatik.accounts.permissions`. Adding one here is a code change (something must check it);
granting one to a role is a change to the SOP file alone.
"""

from django.utils.translation import gettext_lazy as _

CAPABILITIES = {
    "mulai_proyek": _("memulai proyek pengembangan aplikasi"),
    "lihat_semua_proyek": _("melihat semua proyek, surat, dokumen dan subdomain"),
    "catat_usulan": _("mencatat usulan atas nama OPD"),
    "putuskan_usulan": _("menolak usulan"),
    "baca_repositori": _("membaca (clone) semua repositori kode"),
    "dorong_repositori": _("mengirim (push) kode ke repositori proyek yang ia anggotai"),
    "kelola_penyediaan": _("mengelola repositori, subdomain DNS dan hosting"),
    "sunting_dokumentasi": _("menyunting dokumentasi semua proyek"),
    "lihat_dasbor": _("melihat dasbor pengawasan"),
    "evaluasi_sop": _(
        "mengevaluasi penerapan SOP dan menandatangani laporan monitoring dan evaluasi"
    ),
    "jadwalkan_presentasi": _("menjadwalkan presentasi"),
    "lihat_inventaris": _("melihat seluruh inventaris aplikasi"),
    "kelola_inventaris": _("mengelola inventaris aplikasi"),
}
