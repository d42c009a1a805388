"""DNS providers for published subdomains, chosen by SIMPATIK_DNS_PROVIDER."""

from django.conf import settings


class DnsError(Exception):
    """The DNS provider refused or could not be reached; the message is for people."""


def get_provider(name: str | None = None):
    from simpatik.provisioning.dns.powerdns import PowerDnsProvider
    from simpatik.provisioning.dns.zonefile import ZoneFileProvider

    name = name or settings.SIMPATIK_DNS_PROVIDER
    return {"zonefile": ZoneFileProvider, "powerdns": PowerDnsProvider}[name]()
