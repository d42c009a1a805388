"""SIMPATIK keeps the zone: its records are the published subdomains, written as a BIND zone file."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from simpatik.provisioning.dns import DnsError, label_under
from simpatik.provisioning.models import Subdomain, ZoneState


def next_serial(zone: str) -> int:
    """YYYYMMDDnn, always higher than the last (RFC 1912): lock the zone row in this transaction."""
    ZoneState.objects.bulk_create([ZoneState(zone=zone)], ignore_conflicts=True)
    state = ZoneState.objects.select_for_update().get(zone=zone)
    today = int(timezone.localdate().strftime("%Y%m%d")) * 100
    serial = max(state.serial + 1, today + 1)
    ZoneState.objects.filter(pk=state.pk).update(serial=serial)
    return serial


def current_serial(zone: str) -> int:
    return ZoneState.objects.filter(zone=zone).values_list("serial", flat=True).first() or 1


def zone_text(zone: str | None = None) -> str:
    zone = zone or settings.SIMPATIK_DNS_ZONE
    origin = zone.rstrip(".") + "."
    nameservers = settings.SIMPATIK_DNS_NAMESERVERS
    lines = [
        f"; Zona {origin} dari SIMPATIK. Jangan diubah dengan tangan: perubahan dicatat di SIMPATIK.",
        f"$ORIGIN {origin}",
        "$TTL 3600",
        f"@ IN SOA {nameservers[0]} hostmaster.{origin} ({current_serial(zone)} 10800 3600 604800 3600)",
    ]
    lines += [f"@ IN NS {ns}" for ns in nameservers]
    published = Subdomain.objects.filter(zone=zone, status=Subdomain.Status.TERBIT).order_by("name")
    for record in published:
        content = record.content
        if record.record_type == "CNAME" and not content.endswith("."):
            content += "."
        lines.append(f"{record.name} {record.ttl} IN {record.record_type} {content}")
    return "\n".join(lines) + "\n"


class ZoneFileProvider:
    name = "zonefile"

    def _changed(self, subdomain):
        with transaction.atomic():
            next_serial(subdomain.zone)
        path = settings.SIMPATIK_DNS_ZONEFILE_PATH
        if path:
            target = Path(path)
            temporary = target.with_suffix(".tmp")
            try:
                temporary.write_text(zone_text(subdomain.zone))
                temporary.replace(target)  # readers never see half a zone file
            except OSError as exc:
                raise DnsError(f"Berkas zona {path} tidak dapat ditulis: {exc}") from exc

    def names(self, zone: str) -> set[str]:
        """Every name in the zone file as it is on disk, hand-written records included."""
        import dns.exception
        import dns.zone

        path = settings.SIMPATIK_DNS_ZONEFILE_PATH
        if not path or not Path(path).exists():
            return set()
        try:
            parsed = dns.zone.from_file(
                str(path), origin=zone.rstrip(".") + ".", relativize=False, check_origin=False
            )
        except (dns.exception.DNSException, OSError, UnicodeDecodeError) as exc:
            raise DnsError(f"Berkas zona {path} tidak dapat dibaca: {exc}") from exc
        return {label_under(name.to_text(), zone) for name in parsed.nodes} - {None}

    def publish(self, subdomain):
        self._changed(subdomain)

    def withdraw(self, subdomain):
        self._changed(subdomain)
