"""`simpatik demo load`: demo OPDs, users and projects. Never run it on a production server."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from simpatik.accounts.models import Opd
from simpatik.accounts.services import check_password
from simpatik.core.context import request_id_scope
from simpatik.projects import services
from simpatik.projects.models import Need, Project
from simpatik.sop.models import SopVersion, definitions_in_force
from simpatik.testing.personas import PERSONAS, make_user
from simpatik.testing.walker import complete_current, walk_to

# Complies with both password policies (ASVS and BSSN); _load checks it against the active one.
PASSWORD = "Demo-Simpatik-2026"
SAMPLE_INVENTORY = Path(settings.REPO_DIR) / "contoh" / "inventaris-contoh.csv"
# A regency's own sheet: title rows, a "No." column, OPDs written out, "Pusat" and product names.
REGENCY_INVENTORY = Path(settings.REPO_DIR) / "contoh" / "inventaris-kabupaten.csv"
OPDS = [
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM"),
    ("dinkes", "Dinas Kesehatan", "Dinkes"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
]
# (nama aplikasi, OPD, the step the demo leaves open, decisions on the way)
PROJECTS = [
    ("Sistem Informasi Cuti Pegawai", "bkpsdm", 3, {}),
    ("Aplikasi Antrean Puskesmas", "dinkes", 11, {}),
    ("Layanan Akta Kelahiran Daring", "disdukcapil", 13, {11: "setuju"}),
]


class Command(BaseCommand):
    help = "Muat data contoh (OPD, pengguna demo, usulan, tiga proyek). Aman dijalankan berulang."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])

    def handle(self, *args, **options):
        if not SopVersion.objects.filter(berlaku=True).exists():
            raise CommandError("SOP belum dimuat: jalankan dulu `simpatik sop load FILE`.")
        with request_id_scope():
            self._load()

    def _role_users(self, opd):
        """A user for every other role of the SOPs in force, named after its key; a role scoped
        to the requesting OPD (`lingkup: opd`) is held by a user of that OPD."""
        known = {key for _first, _last, roles in PERSONAS.values() for key in roles}
        for definition in definitions_in_force():
            for role in definition.roles:
                if role["key"] not in known:
                    known.add(role["key"])
                    scoped = role["key"] in definition.opd_roles
                    make_user(
                        role["key"],
                        [role["key"]],
                        opd=opd if scoped else None,
                        first_name=role["nama"],
                        password=PASSWORD,
                    )

    @transaction.atomic
    def _load(self):
        check_password(PASSWORD)
        opds = {}
        for kode, nama, singkatan in OPDS:
            opds[kode], _ = Opd.objects.get_or_create(
                kode=kode, defaults={"nama": nama, "singkatan": singkatan}
            )
        users = [
            make_user(name, roles, first_name=first, last_name=last, password=PASSWORD)
            for name, (first, last, roles) in PERSONAS.items()
        ]
        opd_user = make_user(
            "opd", [], opd=opds["bkpsdm"], first_name="Staf", last_name="BKPSDM", password=PASSWORD
        )
        self._role_users(opds["bkpsdm"])
        self._inventory(users[2])
        if Project.objects.filter(nama__in=[p[0] for p in PROJECTS]).exists():
            self.stdout.write("Data demo sudah ada; tidak ada yang diubah.")
            return
        for judul, latar in [
            ("Aplikasi Kepegawaian", "Data kepegawaian ASN tersebar di berkas dan spreadsheet."),
            (
                "Aplikasi Absensi Pegawai",
                "Rekap kehadiran pegawai masih manual dari mesin sidik jari.",
            ),
        ]:
            if not Need.objects.filter(judul=judul).exists():
                services.submit_need(
                    actor=opd_user,
                    judul=judul,
                    latar_belakang=latar,
                    nomor_surat="800/45/BKPSDM/2026",
                    via="demo",
                )
        kadis = users[0]
        for nama, opd_kode, step, decisions in PROJECTS:
            need = services.submit_need(
                actor=opd_user if opd_kode == "bkpsdm" else users[1],
                opd=opds[opd_kode],
                judul=nama,
                latar_belakang=f"Kebutuhan {nama.lower()}.",
                via="demo",
            )
            project = services.start_project(
                actor=kadis, nama=nama, opd=opds[opd_kode], need=need, via="demo"
            )
            walk_to(project, users, step, decisions=decisions)
        # One project has been through a rejected plan: it shows round 2 at step 9 onward.
        loop = Project.objects.get(nama=PROJECTS[1][0])
        complete_current(
            loop, users, decision="tidak_setuju", reason="Mockup belum memuat alur antrean"
        )
        walk_to(loop, users, 11)
        self._other_sops(kadis, opds["bkpsdm"])
        self.stdout.write(
            f"Data demo dimuat: {Project.objects.count()} proyek, pengguna dengan kata sandi '{PASSWORD}'."
        )

    def _other_sops(self, kadis, opd):
        """One project under every other SOP in force (the draft SOPs), left at its first
        decision or at its first step run per OPD (each OPD then has its task), so the demo shows
        its steps and its OPD-scoped roles at work."""
        from django.contrib.auth import get_user_model

        people = list(get_user_model().objects.filter(is_active=True).order_by("pk"))
        for definition in definitions_in_force():
            if definition.kode == settings.SIMPATIK_SOP_KODE:
                continue
            stop = next(
                (s.number for s in definition.steps if s.is_decision or s.untuk_setiap), None
            )
            project = services.start_project(
                actor=kadis,
                nama=f"Contoh: {definition.short_name}",
                opd=opd,
                via="demo",
                sop=definition.kode,
            )
            if stop is not None:
                walk_to(project, people, stop)

    def _inventory(self, kasie):
        """The sample regency spreadsheet, imported as a user would; again it changes nothing."""
        from simpatik.inventory import importing
        from simpatik.inventory import services as inventory
        from simpatik.inventory.models import Application

        content = SAMPLE_INVENTORY.read_bytes()
        preview = importing.plan(SAMPLE_INVENTORY.name, content)
        summary = importing.apply(preview, actor=kasie, via="demo", filename=SAMPLE_INVENTORY.name)
        # OPDs it names that the demo lacks are made; the row whose developer nobody can
        # classify is left for the import page to ask about.
        regency = importing.plan(
            REGENCY_INVENTORY.name,
            REGENCY_INVENTORY.read_bytes(),
            importing.Choices(create_opds=True),
        )
        importing.apply(
            regency, actor=kasie, via="demo", valid_only=True, filename=REGENCY_INVENTORY.name
        )
        if summary["created"]:
            inventory.add_integration(
                actor=kasie,
                source=Application.objects.get(singkatan="SIMPEG"),
                target=Application.objects.get(nama="E-Kinerja"),
                data="Data pegawai dan jabatan",
                via="demo",
            )
