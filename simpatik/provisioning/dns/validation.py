"""Checking a requested subdomain and its record before anything reaches DNS."""

import ipaddress
import re

from django.conf import settings

LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
HOSTNAME = re.compile(r"^(?=.{1,253}\.?$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$")
# Names the regency's own infrastructure uses or may use.
RESERVED = {
    "www",
    "mail",
    "smtp",
    "imap",
    "pop",
    "pop3",
    "ns",
    "ns1",
    "ns2",
    "ns3",
    "dns",
    "ftp",
    "mx",
    "webmail",
    "autodiscover",
    "localhost",
    "admin",
    "api",
    "vpn",
    "portal",
    "intranet",
    "cpanel",
    "_dmarc",
    "wpad",
}


def check_label(value, project=None) -> None:
    """Raises ValueError with an Indonesian message when the name cannot be requested."""
    from simpatik.provisioning.models import Subdomain

    name = str(value or "").strip().lower()
    if not LABEL.match(name):
        raise ValueError(
            "bukan nama DNS yang sah: 1–63 huruf kecil, angka atau tanda hubung, tidak diawali atau diakhiri tanda hubung"
        )
    if name in RESERVED:
        raise ValueError(f"'{name}' dicadangkan untuk layanan Pemda dan tidak dapat dipakai")
    taken = Subdomain.objects.filter(zone=settings.SIMPATIK_DNS_ZONE, name=name).exclude(
        status="ditarik"
    )
    if project is not None:
        taken = taken.exclude(project=project)
    if taken.exists():
        raise ValueError(f"'{name}.{settings.SIMPATIK_DNS_ZONE}' sudah dipakai")
    _check_inventory(name, project)
    _check_zone(name, project)


def _check_inventory(name: str, project) -> None:
    """An application in the inventory already answers at that address (typed or imported)."""
    import re

    from simpatik.inventory.models import Application

    fqdn = f"{name}.{settings.SIMPATIK_DNS_ZONE}".lower()
    pattern = r"^([a-z][a-z0-9+.-]*://)?" + re.escape(fqdn) + r"(:[0-9]+)?([/?#].*)?$"
    users = Application.objects.active().filter(url__iregex=pattern)
    if project is not None:
        users = users.exclude(project=project)
    user = users.first()
    if user is not None:
        raise ValueError(f"'{fqdn}' sudah dipakai oleh aplikasi {user.nama} di inventaris")


def _check_zone(name: str, project) -> None:
    """Any record already in the zone, also those not made through SIMPATIK."""
    from simpatik.provisioning.dns import DnsError, get_provider
    from simpatik.provisioning.models import Subdomain

    zone = settings.SIMPATIK_DNS_ZONE
    try:
        names = get_provider().names(zone)
    except DnsError as exc:
        raise ValueError(f"zona DNS tidak dapat diperiksa ({exc}); coba lagi nanti") from exc
    if project is not None and name in names:
        own = Subdomain.objects.filter(zone=zone, name=name, project=project)
        if own.filter(status=Subdomain.Status.TERBIT).exists():
            return  # the project's own published name
    if name in names:
        raise ValueError(f"'{name}.{zone}' sudah ada sebagai rekaman di zona DNS")


def check_content(value, project=None) -> None:
    text = str(value or "").strip().lower()
    try:
        ipaddress.ip_address(text)
        return
    except ValueError:
        pass
    if not HOSTNAME.match(text):
        raise ValueError("isi rekaman harus alamat IPv4, IPv6, atau nama host (untuk CNAME)")


def check_record(record_type: str, content: str) -> str | None:
    """A message when the record's content does not fit its type, else None."""
    text = content.strip().lower()
    if record_type == "A":
        try:
            return (
                None
                if isinstance(ipaddress.ip_address(text), ipaddress.IPv4Address)
                else "A butuh alamat IPv4"
            )
        except ValueError:
            return "A butuh alamat IPv4"
    if record_type == "AAAA":
        try:
            return (
                None
                if isinstance(ipaddress.ip_address(text), ipaddress.IPv6Address)
                else "AAAA butuh alamat IPv6"
            )
        except ValueError:
            return "AAAA butuh alamat IPv6"
    if record_type == "CNAME":
        return None if HOSTNAME.match(text) else "CNAME butuh nama host tujuan"
    return f"jenis rekaman '{record_type}' tidak dikenal"
