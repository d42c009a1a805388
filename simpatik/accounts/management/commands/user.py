from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from simpatik.accounts.models import Opd, Role
from simpatik.audit.services import record
from simpatik.core.context import request_id_scope


class Command(BaseCommand):
    help = "Tambah atau ubah pengguna: simpatik user add NAMA --role kasie [--opd KODE]."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add"])
        parser.add_argument("username")
        parser.add_argument("--role", action="append", default=[], help="kunci peran SOP")
        parser.add_argument("--opd", help="kode OPD untuk staf OPD")
        parser.add_argument("--nip", default="")
        parser.add_argument("--nama", default="", help="nama lengkap")
        parser.add_argument("--jabatan", default="", help="jabatan pada blok tanda tangan")
        parser.add_argument("--pangkat", default="", help="pangkat/golongan, mis. 'Pembina, IV/a'")
        parser.add_argument("--password", help="kata sandi (jika kosong, ditanyakan)")

    def handle(
        self, *args, action, username, role, opd, nip, nama, jabatan, pangkat, password, **options
    ):
        roles = list(Role.objects.filter(key__in=role))
        unknown = sorted(set(role) - {r.key for r in roles})
        if unknown:
            raise CommandError(f"Peran tidak dikenal: {', '.join(unknown)} (muat SOP dulu)")
        opd_obj = None
        if opd:
            opd_obj = Opd.objects.filter(kode=opd).first()
            if opd_obj is None:
                raise CommandError(f"OPD '{opd}' tidak ditemukan")
        if not password:
            import getpass

            password = getpass.getpass("Kata sandi: ")
        first, _, last = nama.partition(" ")
        with request_id_scope(), transaction.atomic():
            user, created = get_user_model().objects.get_or_create(username=username)
            user.first_name, user.last_name = first or user.first_name, last or user.last_name
            user.nip, user.opd = nip or user.nip, opd_obj or user.opd
            user.jabatan = jabatan or user.jabatan
            user.pangkat_golongan = pangkat or user.pangkat_golongan
            user.set_password(password)
            user.save()
            user.roles.add(*roles)
            record(
                "account.user.saved",
                obj=user,
                via="cli",
                data={"username": username, "created": created, "roles": role, "opd": opd},
            )
        self.stdout.write(f"{'Dibuat' if created else 'Diperbarui'}: {username}")
