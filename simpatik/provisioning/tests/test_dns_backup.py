import json
import tarfile

import dns.resolver
import pytest
from django.core.management import call_command

from simpatik.core.backup import archive
from simpatik.provisioning import services
from simpatik.provisioning.dns import get_provider


@pytest.mark.django_db(transaction=True)
def test_backup_carries_powerdns_rrsets_and_puts_them_back(
    project, kasie, powerdns, settings, tmp_path
):
    settings.SIMPATIK_GIT_ROOT = tmp_path / "git"
    subdomain = services.request_subdomain(
        project, actor=kasie, name="cuti", record_type="A", content="10.10.1.20"
    )
    services.publish_subdomain(subdomain, actor=kasie)
    backup = tmp_path / "b.tar.gz"
    call_command("backup", str(backup))
    stage = tmp_path / "isi"
    with tarfile.open(backup) as tar:
        tar.extractall(stage, filter="data")
    exported = json.loads((stage / "dns" / "powerdns.json").read_text())
    assert any(r["name"] == "cuti.bolmutkab.go.id." for r in exported["rrsets"])

    get_provider("powerdns").withdraw(subdomain)  # PowerDNS lost the record
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers, resolver.port = ["127.0.0.1"], powerdns["dns_port"]
    with pytest.raises(dns.resolver.NXDOMAIN):
        resolver.resolve("cuti.bolmutkab.go.id", "A")
    archive.restore_dns(stage)
    assert [r.address for r in resolver.resolve("cuti.bolmutkab.go.id", "A")] == ["10.10.1.20"]
