from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from simpatik.accounts import services
from simpatik.accounts.commands import add_operator_argument, operator_from
from simpatik.accounts.models import Opd, Role
from simpatik.accounts.permissions import can
from simpatik.core.context import request_id_scope
from simpatik.core.errors import SimpatikError


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
        add_operator_argument(parser)

    def handle(
        self, *args, action, username, role, opd, nip, nama, jabatan, pangkat, password, **options
    ):
        actor = None
        if get_user_model().objects.filter(is_superuser=True, is_active=True).exists():
            # Once an administrator exists, user changes are made by a named one; the very first
            # account of an installation is made from the server's shell.
            actor = operator_from(options)
            if not can(actor, "administrasi"):
                raise CommandError(f"Pengguna '{actor.username}' bukan administrator.")
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
        try:
            with request_id_scope():
                saved = services.save_user(
                    username,
                    password=password,
                    roles=roles,
                    opd=opd_obj,
                    nip=nip,
                    nama=nama,
                    jabatan=jabatan,
                    pangkat=pangkat,
                    actor=actor,
                    via="cli",
                )
        except SimpatikError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{'Dibuat' if saved.created else 'Diperbarui'}: {username}")
