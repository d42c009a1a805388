from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from simpatik.letters import pki


class Command(BaseCommand):
    help = "Siapkan PKI lokal: CA dan sertifikat penanda tangan untuk pengguna yang memegang peran SOP."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["init"])
        parser.add_argument(
            "--users", nargs="*", help="hanya pengguna ini (bawaan: semua pemegang peran)"
        )

    def handle(self, *args, users=None, **options):
        made = pki.init_ca()
        self.stdout.write(f"CA {'dibuat' if made else 'sudah ada'}: {pki.ca_paths()[1]}")
        people = get_user_model().objects.filter(is_active=True)
        people = (
            people.filter(username__in=users)
            if users
            else people.filter(roles__isnull=False).distinct()
        )
        for user in people:
            path, _secret = pki.enroll(user)
            self.stdout.write(f"Penanda tangan: {user.username} ({path.name})")
