from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from simpatik.accounts.commands import add_operator_argument, operator_from
from simpatik.core.context import request_id_scope
from simpatik.core.errors import SimpatikError
from simpatik.provisioning import services
from simpatik.provisioning.dns.zonefile import zone_text
from simpatik.provisioning.models import Subdomain


class Command(BaseCommand):
    help = "simpatik dns publish SUBDOMAIN | simpatik dns export [BERKAS]"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["publish", "export"])
        parser.add_argument(
            "target", nargs="?", help="subdomain (publish) atau berkas tujuan (export)"
        )
        add_operator_argument(parser)

    def handle(self, *args, action, target, **options):
        if action == "export":
            text = zone_text()
            if target:
                Path(target).write_text(text)
                self.stdout.write(f"Zona {settings.SIMPATIK_DNS_ZONE} ditulis ke {target}")
            else:
                self.stdout.write(text, ending="")
            return
        actor = operator_from(options, "kelola_penyediaan")
        name = (target or "").split(".")[0].lower()
        subdomain = (
            Subdomain.objects.filter(name=name, zone=settings.SIMPATIK_DNS_ZONE)
            .exclude(status=Subdomain.Status.DITARIK)
            .first()
        )
        if subdomain is None:
            raise CommandError(f"Subdomain '{target}' tidak ditemukan (atau sudah ditarik).")
        try:
            with request_id_scope():
                subdomain = services.publish_subdomain(subdomain, actor=actor, via="cli")
        except SimpatikError as exc:
            raise CommandError(exc.message) from exc
        if subdomain.status != Subdomain.Status.TERBIT:
            raise CommandError(f"Gagal: {subdomain.error}")
        self.stdout.write(f"Terbit: {subdomain.fqdn} {subdomain.record_type} {subdomain.content}")
