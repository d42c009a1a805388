"""`simpatik letters sign-pending`: sign letters still waiting for the remote TTE (menunggu TTE).

With the national signing service each signer's passphrase is needed, so the command signs the
letters of one signer (`--username`), with the passphrase typed or read from standard input.
A scheduler (cron, later the job runner) may run it; failures are recorded on each letter.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from simpatik.core.context import request_id_scope
from simpatik.core.errors import SimpatikError
from simpatik.letters import services
from simpatik.letters.signing import get_signer


class Command(BaseCommand):
    help = "Tandatangani naskah dinas yang masih menunggu TTE."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["sign-pending"])
        parser.add_argument("--username", help="hanya naskah penanda tangan ini")
        parser.add_argument(
            "--passphrase-stdin", action="store_true", help="baca passphrase TTE dari stdin"
        )

    def handle(self, *args, action, username=None, passphrase_stdin=False, **options):
        letters = services.pending_letters()
        passphrase = None
        if get_signer().needs_passphrase:
            if not username:
                raise CommandError("Layanan TTE memerlukan passphrase: sebutkan --username.")
            if passphrase_stdin:
                passphrase = (options.get("stdin") or sys.stdin).readline().strip()
            else:
                import getpass

                passphrase = getpass.getpass("Passphrase TTE: ")
        if username:
            letters = letters.filter(signer__username=username)
        signed = failed = 0
        for letter in letters.order_by("id"):
            actor = letter.signer
            if username and actor.username != username:
                continue
            try:
                with request_id_scope():
                    services.sign_letter(letter, actor=actor, passphrase=passphrase, via="cli")
            except SimpatikError as error:
                failed += 1
                self.stderr.write(f"Gagal {letter.number}: {error.message}")
            else:
                signed += 1
                self.stdout.write(f"Ditandatangani: {letter.number}")
        self.stdout.write(f"{signed} ditandatangani, {failed} gagal.")
        if failed:
            raise CommandError(f"{failed} naskah belum ditandatangani; lihat pesan di atas.")
