import pytest

from simpatik.accounts.models import Opd
from simpatik.inventory import services
from simpatik.inventory.models import Application

# A small inventory where the right answers to "what is similar" are known.
CATALOGUE = [
    (
        "Sistem Informasi Manajemen Kepegawaian",
        "SIMPEG",
        "bkpsdm",
        "Pengelolaan data ASN, riwayat jabatan dan pangkat",
    ),
    ("E-Kinerja", "", "bkpsdm", "Penilaian kinerja pegawai setiap bulan"),
    ("Absensi Online", "", "bkpsdm", "Presensi harian dengan sidik jari dan lokasi"),
    (
        "Sistem Informasi Manajemen Puskesmas",
        "SIMPUS",
        "dinkes",
        "Rekam medis pasien dan antrean poli",
    ),
    ("Antrean Online RSUD", "", "dinkes", "Pendaftaran dan antrian pasien rumah sakit"),
    ("Srikandi", "", "setda", "Persuratan dan naskah dinas elektronik"),
    ("Sistem Informasi Barang Daerah", "SIMBADA", "bpkad", "Pencatatan aset barang milik daerah"),
    ("Perizinan Online", "", "dpmptsp", "Layanan perizinan berusaha dan non berusaha"),
    ("Layanan Pengaduan Masyarakat", "LAPOR", "diskominfo", "Aduan dan aspirasi warga"),
    ("Jaringan Dokumentasi dan Informasi Hukum", "JDIH", "setda", "Publikasi peraturan daerah"),
]


@pytest.fixture
def opds(opd):
    found = {"bkpsdm": opd}
    for kode in ["dinkes", "setda", "bpkad", "dpmptsp", "diskominfo"]:
        found[kode] = Opd.objects.create(
            kode=kode, nama=f"OPD {kode.upper()}", singkatan=kode.upper()
        )
    return found


@pytest.fixture
def inventory(opds, kasie):
    apps = {}
    for nama, singkatan, opd, deskripsi in CATALOGUE:
        apps[singkatan or nama] = services.register_application(
            actor=kasie,
            via="web",
            data={
                "nama": nama,
                "singkatan": singkatan,
                "opd": opds[opd],
                "deskripsi": deskripsi,
                "status": Application.Status.AKTIF,
            },
        )
    return apps


@pytest.fixture
def regency(kasie):
    """The regency's OPDs as SIMPATIK knows them (full names, abbreviations) and SIMPEG."""
    opds = {
        kode: Opd.objects.create(kode=kode, nama=nama, singkatan=singkatan)
        for kode, nama, singkatan in [
            ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM"),
            ("dinkes", "Dinas Kesehatan", "Dinkes"),
            ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
            ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
            ("diskominfo", "Dinas Komunikasi dan Informatika", "Diskominfo"),
            ("bkad", "Badan Keuangan dan Aset Daerah", "BKAD"),
        ]
    }
    services.register_application(
        actor=kasie,
        data={
            "nama": "Sistem Informasi Manajemen Kepegawaian",
            "singkatan": "SIMPEG",
            "opd": opds["bkpsdm"],
            "deskripsi": "Pengelolaan data ASN, riwayat jabatan, pangkat dan kenaikan gaji berkala",
            "url": "https://simpeg.bolmutkab.go.id",
            "tahun_dibangun": 2017,
            "status": "aktif",
        },
    )
    return opds
