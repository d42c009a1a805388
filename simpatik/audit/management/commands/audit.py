from django.core.management.base import BaseCommand, CommandError

from simpatik.audit.services import verify_chain


class Command(BaseCommand):
    help = "Periksa rantai hash jejak audit: setiap baris harus utuh dan tersambung ke baris sebelumnya."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        count, broken, why = verify_chain()
        if broken is not None:
            part = "isinya berubah" if why == "hash" else "tidak tersambung ke baris sebelumnya"
            raise CommandError(
                f"Jejak audit rusak mulai baris id={broken} ({part}); {count - 1} baris sebelumnya utuh."
            )
        self.stdout.write(f"Jejak audit utuh: {count} baris diperiksa.")
