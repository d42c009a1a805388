"""Publishing subdomains through the PowerDNS Authoritative Server's HTTP API."""

from django.conf import settings

from simpatik.core.http import call
from simpatik.provisioning.dns import DnsError, label_under


class PowerDnsProvider:
    name = "powerdns"

    def __init__(self):
        self.base = f"{settings.SIMPATIK_POWERDNS_URL.rstrip('/')}/api/v1/servers/{settings.SIMPATIK_POWERDNS_SERVER}"
        self.headers = {"X-API-Key": settings.SIMPATIK_POWERDNS_API_KEY}

    def _call(self, method, path, **kwargs):
        return call(
            method,
            self.base,
            path,
            service="PowerDNS",
            error=DnsError,
            timeout=15,
            headers=self.headers,
            **kwargs,
        )

    def ensure_zone(self, zone: str) -> None:
        name = zone.rstrip(".") + "."
        if self._call("GET", f"/zones/{name}").status_code == 200:
            return
        created = self._call(
            "POST",
            "/zones",
            json={
                "name": name,
                "kind": "Native",
                "nameservers": settings.SIMPATIK_DNS_NAMESERVERS,
                "soa_edit_api": "DEFAULT",
            },
        )
        if created.status_code not in (201, 409):
            raise DnsError(
                f"PowerDNS menolak membuat zona ({created.status_code}): {created.text[:200]}"
            )

    def names(self, zone: str) -> set[str]:
        """Every name that has a record in the zone, however it got there."""
        response = self._call("GET", f"/zones/{zone.rstrip('.')}.")
        if response.status_code == 404:
            return set()
        if response.status_code != 200:
            raise DnsError(f"PowerDNS tidak memberikan isi zona ({response.status_code}).")
        labels = {label_under(rrset["name"], zone) for rrset in response.json().get("rrsets", [])}
        return labels - {None}

    def _patch(self, subdomain, changetype: str, records=None):
        zone = subdomain.zone.rstrip(".") + "."
        rrset = {
            "name": f"{subdomain.name}.{zone}",
            "type": subdomain.record_type,
            "changetype": changetype,
        }
        if records is not None:
            rrset.update({"ttl": subdomain.ttl, "records": records})
        response = self._call("PATCH", f"/zones/{zone}", json={"rrsets": [rrset]})
        if response.status_code != 204:
            raise DnsError(
                f"PowerDNS menolak perubahan ({response.status_code}): {response.text[:200]}"
            )

    def publish(self, subdomain):
        self.ensure_zone(subdomain.zone)
        content = subdomain.content
        if subdomain.record_type == "CNAME" and not content.endswith("."):
            content += "."
        self._patch(subdomain, "REPLACE", [{"content": content, "disabled": False}])

    def withdraw(self, subdomain):
        self._patch(subdomain, "DELETE")

    def export_zone(self, zone: str) -> dict:
        """The zone as PowerDNS holds it (every rrset), for backups."""
        name = zone.rstrip(".") + "."
        response = self._call("GET", f"/zones/{name}")
        if response.status_code == 404:
            return {"name": name, "rrsets": []}
        if response.status_code != 200:
            raise DnsError(f"PowerDNS menolak ekspor zona ({response.status_code})")
        return response.json()

    def import_zone(self, exported: dict) -> None:
        """Put back a zone's rrsets from `export_zone` (the SOA is PowerDNS' own to keep)."""
        self.ensure_zone(exported["name"])
        rrsets = [
            {**{k: r[k] for k in ("name", "type", "ttl", "records")}, "changetype": "REPLACE"}
            for r in exported.get("rrsets", [])
            if r["type"] != "SOA"
        ]
        if not rrsets:
            return
        response = self._call("PATCH", f"/zones/{exported['name']}", json={"rrsets": rrsets})
        if response.status_code != 204:
            raise DnsError(f"PowerDNS menolak pemulihan zona ({response.status_code})")
