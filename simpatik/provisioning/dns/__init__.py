"""DNS providers for published subdomains, chosen by SIMPATIK_DNS_PROVIDER."""

from django.conf import settings


class DnsError(Exception):
    """The DNS provider refused or could not be reached; the message is for people."""


def label_under(name: str, zone: str) -> str | None:
    """The label directly under the zone of an absolute or relative name: x.cuti.zone. -> cuti."""
    name, zone = name.rstrip(".").lower(), zone.rstrip(".").lower()
    if name == zone or name in ("", "@"):
        return None
    if name.endswith("." + zone):
        name = name[: -len(zone) - 1]
    label = name.rsplit(".", 1)[-1]
    return None if label == "*" else label


NAMES = ("zonefile", "powerdns")  # SIMPATIK_DNS_PROVIDER (checked at start-up)


def get_provider(name: str | None = None):
    from simpatik.provisioning.dns.powerdns import PowerDnsProvider
    from simpatik.provisioning.dns.zonefile import ZoneFileProvider

    name = name or settings.SIMPATIK_DNS_PROVIDER
    return {"zonefile": ZoneFileProvider, "powerdns": PowerDnsProvider}[name]()
