from datetime import timedelta

import dns.name
import dns.rdatatype
import dns.resolver
import dns.zone
import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from simpatik.accounts.permissions import system_actor
from simpatik.audit.models import AuditRecord
from simpatik.core.errors import ValidationError
from simpatik.jobs import services as jobs
from simpatik.jobs.models import Job
from simpatik.provisioning import services
from simpatik.provisioning.dns.zonefile import zone_text
from simpatik.provisioning.models import Subdomain
from simpatik.testing.walker import complete_current, walk_to


@pytest.fixture(autouse=True)
def _zone(settings):
    settings.SIMPATIK_DNS_ZONE = "bolmutkab.go.id"
    settings.SIMPATIK_DNS_NAMESERVERS = ["ns1.bolmutkab.go.id.", "ns2.bolmutkab.go.id."]


def _serial(text):
    zone = dns.zone.from_text(text, origin="bolmutkab.go.id.", relativize=False)
    soa = zone.find_rdataset("bolmutkab.go.id.", dns.rdatatype.SOA)[0]
    return zone, soa.serial


def _due(job):
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now() - timedelta(seconds=1))


def _resolver(powerdns):
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = powerdns["dns_port"]
    return resolver


def test_zone_file_parses_and_its_serial_rises_with_every_change(project, kasie, run_jobs_now):
    first = services.request_subdomain(
        project, actor=kasie, name="cuti", record_type="A", content="10.10.1.20"
    )
    _zone0, serial0 = _serial(zone_text())
    services.publish_subdomain(first, actor=kasie)
    zone, serial1 = _serial(zone_text())
    assert serial1 > serial0
    assert zone.find_rdataset("cuti.bolmutkab.go.id.", dns.rdatatype.A)[0].address == "10.10.1.20"
    with run_jobs_now():  # the withdrawal's job raises the serial
        services.withdraw_subdomain(first, actor=kasie, confirm=True, reason="Aplikasi dihentikan")
    zone, serial2 = _serial(zone_text())
    assert serial2 > serial1
    assert zone.get_rdataset("cuti.bolmutkab.go.id.", dns.rdatatype.A) is None


def test_zone_file_is_written_to_the_configured_path(project, kasie, settings, tmp_path):
    settings.SIMPATIK_DNS_ZONEFILE_PATH = str(tmp_path / "bolmutkab.go.id.zone")
    cname = services.request_subdomain(
        project, actor=kasie, name="antrean", record_type="CNAME", content="app.bolmutkab.go.id"
    )
    services.publish_subdomain(cname, actor=kasie)
    zone, _serial_now = _serial((tmp_path / "bolmutkab.go.id.zone").read_text())
    target = zone.find_rdataset("antrean.bolmutkab.go.id.", dns.rdatatype.CNAME)[0].target
    assert target == dns.name.from_text("app.bolmutkab.go.id.")


@pytest.mark.parametrize(
    ("name", "record_type", "content", "code", "message"),
    [
        ("www", "A", "10.0.0.1", "subdomain_invalid", "dicadangkan"),
        ("Bad_Name", "A", "10.0.0.1", "subdomain_invalid", "bukan nama DNS yang sah"),
        ("-awal", "A", "10.0.0.1", "subdomain_invalid", "bukan nama DNS yang sah"),
        ("x" * 64, "A", "10.0.0.1", "subdomain_invalid", "bukan nama DNS yang sah"),
        ("cuti", "A", "2001:db8::1", "record_invalid", "A butuh alamat IPv4"),
        ("cuti", "AAAA", "10.0.0.1", "record_invalid", "AAAA butuh alamat IPv6"),
        ("cuti", "CNAME", "bukan host", "subdomain_invalid", "isi rekaman harus"),
    ],
)
def test_invalid_subdomains_and_records_are_refused_with_clear_messages(
    project, kasie, name, record_type, content, code, message
):
    with pytest.raises(ValidationError) as caught:
        services.request_subdomain(
            project, actor=kasie, name=name, record_type=record_type, content=content
        )
    assert caught.value.code == code and message in caught.value.message
    assert not Subdomain.objects.exists()


def test_a_taken_subdomain_is_refused_for_another_project(project, team, opd, kasie):
    from simpatik.projects import services as project_services

    services.request_subdomain(
        project, actor=kasie, name="cuti", record_type="A", content="10.0.0.1"
    )
    other = project_services.start_project(actor=team[0], nama="Lain", opd=opd)
    with pytest.raises(ValidationError) as caught:
        services.request_subdomain(
            other, actor=kasie, name="cuti", record_type="A", content="10.0.0.2"
        )
    assert "sudah dipakai" in caught.value.message
    services.request_subdomain(
        project, actor=kasie, name="cuti", record_type="A", content="10.0.0.9"
    )
    assert (
        Subdomain.objects.get(status="diminta").content == "10.0.0.9"
    )  # the same project may change it


def test_step_16_refuses_a_bad_subdomain_and_changes_nothing(project, team):
    run = walk_to(project, team, 16)
    with pytest.raises(ValidationError) as caught:
        complete_current(project, team, extra_fields={"subdomain": "mail"})
    assert caught.value.code == "field_invalid" and "dicadangkan" in caught.value.message
    run.refresh_from_db()
    assert run.status == "berjalan" and not Subdomain.objects.exists()


def test_approval_at_step_18_publishes_the_subdomain_through_a_job_and_records_hosting(
    project, team
):
    from simpatik.inventory.models import Application

    walk_to(project, team, 16)
    complete_current(
        project,
        team,
        extra_fields={
            "subdomain": "cuti",
            "isi_rekaman": "10.10.1.20",
            "server_hosting": "srv-apps-01",
        },
    )
    assert Subdomain.objects.get().status == "diminta"
    walk_to(project, team, 18)
    complete_current(project, team)
    # The approval committed with its job; until a worker runs it the name is on its way.
    job = Job.objects.get(name=services.PUBLISH_SUBDOMAIN)
    assert job.status == "menunggu" and job.project == project
    assert Subdomain.objects.get().status == "diminta"
    assert "cuti 3600" not in zone_text()
    client = Client()
    client.force_login(team[4])  # the Tim Teknis follows the project
    page = client.get(f"/proyek/{project.pk}/").content.decode()
    assert 'id="subdomain-panel"' in page and 'data-dns-state="penerbitan"' in page
    assert jobs.run(job.pk) == "berhasil"
    subdomain = Subdomain.objects.get()
    assert subdomain.status == "terbit" and subdomain.application == Application.objects.get(
        project=project
    )
    assert "cuti 3600 IN A 10.10.1.20" in zone_text()
    published = AuditRecord.objects.get(action="dns.subdomain.published")
    assert published.actor == system_actor() and published.via == "worker"
    page = client.get(f"/proyek/{project.pk}/").content.decode()
    assert 'data-dns-state="terbit"' in page
    hosting = subdomain.application.hosting_records.get()
    assert hosting.server == "srv-apps-01"

    client = Client()
    client.force_login(team[2])
    page = client.get(f"/inventaris/{subdomain.application.pk}/").content.decode()
    assert "cuti.bolmutkab.go.id" in page and "srv-apps-01" in page  # kept with the application


def test_powerdns_publishes_a_name_that_resolves_and_withdraws_it(
    project, kasie, powerdns, run_jobs_now
):
    subdomain = services.request_subdomain(
        project, actor=kasie, name="cuti", record_type="A", content="10.10.1.20"
    )
    services.publish_subdomain(subdomain, actor=kasie)
    assert Subdomain.objects.get().status == "terbit"
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = powerdns["dns_port"]
    answer = resolver.resolve("cuti.bolmutkab.go.id", "A")
    assert [r.address for r in answer] == ["10.10.1.20"]
    with run_jobs_now():
        services.withdraw_subdomain(subdomain, actor=kasie, confirm=True)
    with pytest.raises(dns.resolver.NXDOMAIN):
        resolver.resolve("cuti.bolmutkab.go.id", "A")


def test_a_powerdns_failure_is_recorded_and_can_be_published_later(project, kasie, settings):
    subdomain = services.request_subdomain(
        project, actor=kasie, name="cuti", record_type="A", content="10.0.0.1"
    )
    settings.SIMPATIK_DNS_PROVIDER = "powerdns"
    settings.SIMPATIK_POWERDNS_URL = "http://127.0.0.1:9"  # nothing listens there
    failed = services.publish_subdomain(subdomain, actor=kasie)
    assert failed.status == "gagal" and "PowerDNS tidak dapat dihubungi" in failed.error
    settings.SIMPATIK_DNS_PROVIDER = "zonefile"
    assert services.publish_subdomain(failed, actor=kasie).status == "terbit"


def test_withdrawal_needs_confirmation_and_an_operator(project, kasie, teknis):
    from simpatik.core.errors import PermissionDenied

    subdomain = services.request_subdomain(
        project, actor=kasie, name="cuti", record_type="A", content="10.0.0.1"
    )
    services.publish_subdomain(subdomain, actor=kasie)
    with pytest.raises(ValidationError):
        services.withdraw_subdomain(subdomain, actor=kasie, confirm=False)
    with pytest.raises(PermissionDenied):
        services.withdraw_subdomain(subdomain, actor=teknis, confirm=True)
    assert Subdomain.objects.get().status == "terbit"


def _refused(project, name):
    with pytest.raises(ValidationError) as caught:
        services.request_subdomain(
            project, actor=None, name=name, record_type="A", content="10.0.0.9"
        )
    assert caught.value.code == "subdomain_invalid"
    return caught.value.message


def test_a_name_an_inventory_application_answers_at_is_taken(project, opd, kadis):
    from simpatik.inventory.models import Application

    Application.objects.create(nama="SIMPEG", opd=opd, url="https://simpeg.bolmutkab.go.id/login")
    Application.objects.create(nama="Lain", opd=opd, url="http://simpegx.bolmutkab.go.id")
    assert "SIMPEG di inventaris" in _refused(project, "simpeg")
    services.request_subdomain(
        project, actor=kadis, name="simpe", record_type="A", content="10.0.0.9"
    )  # a prefix of a used name is free


def test_a_hand_written_record_in_the_zone_file_is_taken(project, kadis, settings, tmp_path):
    path = tmp_path / "bolmutkab.go.id.zone"
    path.write_text(
        "$ORIGIN bolmutkab.go.id.\n$TTL 3600\n"
        "@ IN SOA ns1 hostmaster 1 10800 3600 604800 3600\n@ IN NS ns1\n"
        "ppid IN A 10.0.0.5\n_sip._tcp.voip IN SRV 0 5 5060 pbx\n"
    )
    settings.SIMPATIK_DNS_ZONEFILE_PATH = str(path)
    assert "rekaman di zona DNS" in _refused(project, "ppid")
    assert "rekaman di zona DNS" in _refused(project, "voip")  # a name with records under it
    services.request_subdomain(
        project, actor=kadis, name="cuti", record_type="A", content="10.0.0.9"
    )


def test_a_record_made_in_powerdns_outside_simpatik_is_taken(project, kadis, powerdns):
    import requests

    headers = {"X-API-Key": powerdns["key"]}
    base = f"{powerdns['url']}/api/v1/servers/localhost/zones"
    created = requests.post(
        base,
        headers=headers,
        json={
            "name": "bolmutkab.go.id.",
            "kind": "Native",
            "nameservers": ["ns1.bolmutkab.go.id."],
        },
        timeout=10,
    )
    assert created.status_code == 201, created.text
    rrset = {"name": "ppid.bolmutkab.go.id.", "type": "A", "changetype": "REPLACE", "ttl": 300}
    rrset["records"] = [{"content": "10.0.0.5", "disabled": False}]
    patched = requests.patch(
        f"{base}/bolmutkab.go.id.", headers=headers, json={"rrsets": [rrset]}, timeout=10
    )
    assert patched.status_code == 204, patched.text
    assert "rekaman di zona DNS" in _refused(project, "ppid")
    assert (
        services.request_subdomain(
            project, actor=kadis, name="cuti", record_type="A", content="10.0.0.9"
        ).name
        == "cuti"
    )


def test_an_unreachable_zone_refuses_the_name_with_a_clear_message(project, settings):
    settings.SIMPATIK_DNS_PROVIDER = "powerdns"
    settings.SIMPATIK_POWERDNS_URL = "http://127.0.0.1:9"  # nothing listens there
    assert "zona DNS tidak dapat diperiksa" in _refused(project, "cuti")


def test_publication_is_retried_with_a_growing_wait_until_powerdns_answers(
    project, kasie, teknis, powerdns, settings, run_jobs_now
):
    subdomain = services.request_subdomain(
        project, actor=kasie, name="cuti", record_type="A", content="10.10.1.20"
    )
    settings.SIMPATIK_POWERDNS_URL = "http://127.0.0.1:9"  # PowerDNS is down for a while
    with run_jobs_now(), transaction.atomic():
        services.enqueue_publication(subdomain, actor=kasie)  # what step 18's approval does
    job = Job.objects.get(name=services.PUBLISH_SUBDOMAIN)
    subdomain.refresh_from_db()
    assert job.status == "menunggu" and job.attempts == 1
    assert subdomain.status == "diminta" and "PowerDNS tidak dapat dihubungi" in subdomain.error
    assert not AuditRecord.objects.filter(action="dns.subdomain.failed").exists()  # not final
    client = Client()
    client.force_login(teknis)
    page = client.get(f"/dns/{subdomain.pk}/").content.decode()
    assert 'data-dns-state="penerbitan"' in page and "PowerDNS tidak dapat dihubungi" in page
    assert 'id="dns-retry"' not in page  # seeing is not operating
    first_wait = job.run_after - timezone.now()
    _due(job)
    assert jobs.run(job.pk) == "diulang"
    job.refresh_from_db()
    assert job.run_after - timezone.now() > first_wait
    settings.SIMPATIK_POWERDNS_URL = powerdns["url"]
    assert jobs.run(job.pk) == "dilewati"  # still waiting out its backoff
    _due(job)
    assert jobs.run(job.pk) == "berhasil"
    subdomain.refresh_from_db()
    assert subdomain.status == "terbit" and subdomain.error == ""
    answer = _resolver(powerdns).resolve("cuti.bolmutkab.go.id", "A")
    assert [r.address for r in answer] == ["10.10.1.20"]


def test_a_withdrawal_counts_at_once_and_its_dns_removal_is_retried_until_it_succeeds(
    project, kasie, teknis, powerdns, settings, run_jobs_now
):
    subdomain = services.request_subdomain(
        project, actor=kasie, name="cuti", record_type="A", content="10.10.1.20"
    )
    services.publish_subdomain(subdomain, actor=kasie)
    resolver = _resolver(powerdns)
    settings.SIMPATIK_POWERDNS_URL = "http://127.0.0.1:9"
    operator = Client()
    operator.force_login(kasie)
    with run_jobs_now():
        response = operator.post(
            f"/dns/{subdomain.pk}/", {"confirm": "ya", "reason": "Aplikasi dihentikan"}
        )
    assert response.status_code == 302 and response["Location"] == f"/dns/{subdomain.pk}/"
    subdomain.refresh_from_db()
    assert subdomain.status == "ditarik" and "PowerDNS tidak dapat dihubungi" in subdomain.error
    withdrawn = AuditRecord.objects.get(action="dns.subdomain.withdrawn")
    assert withdrawn.actor == kasie and withdrawn.reason == "Aplikasi dihentikan"
    assert [r.address for r in resolver.resolve("cuti.bolmutkab.go.id", "A")] == ["10.10.1.20"]
    job = services.subdomain_job(subdomain, services.REMOVE_RECORD)
    assert job.status == "menunggu" and job.attempts == 1
    page = operator.get(f"/dns/{subdomain.pk}/").content.decode()
    assert 'data-dns-state="penghapusan"' in page and "PowerDNS tidak dapat dihubungi" in page
    assert 'id="dns-retry"' in page
    listed = operator.get("/dns/").content.decode()
    assert 'data-dns-state="penghapusan"' in listed
    watcher = Client()
    watcher.force_login(teknis)
    assert watcher.post(f"/dns/{subdomain.pk}/ulang/").status_code == 403
    # The job's last attempt fails: the page says so and an operator runs it again.
    Job.objects.filter(pk=job.pk).update(max_attempts=2)
    _due(job)
    assert jobs.run(job.pk) == "gagal"
    page = operator.get(f"/dns/{subdomain.pk}/").content.decode()
    assert 'data-dns-state="penghapusan-gagal"' in page and 'id="dns-retry"' in page
    assert AuditRecord.objects.get(action="job.failed").project == project
    settings.SIMPATIK_POWERDNS_URL = powerdns["url"]
    with run_jobs_now():
        assert operator.post(f"/dns/{subdomain.pk}/ulang/").status_code == 302
    job.refresh_from_db()
    subdomain.refresh_from_db()
    assert job.status == "berhasil" and subdomain.error == ""
    with pytest.raises(dns.resolver.NXDOMAIN):
        resolver.resolve("cuti.bolmutkab.go.id", "A")
    removed = AuditRecord.objects.get(action="dns.subdomain.removed")
    assert removed.actor == system_actor() and removed.via == "worker"
    assert AuditRecord.objects.get(action="job.retried").actor == kasie
    page = operator.get(f"/dns/{subdomain.pk}/").content.decode()
    assert 'data-dns-state="ditarik"' in page and 'id="dns-retry"' not in page


def test_a_zone_file_that_cannot_be_written_fails_the_removal_visibly(
    project, kasie, settings, tmp_path, run_jobs_now
):
    settings.SIMPATIK_DNS_ZONEFILE_PATH = str(tmp_path / "bolmutkab.go.id.zone")
    subdomain = services.request_subdomain(
        project, actor=kasie, name="cuti", record_type="A", content="10.10.1.20"
    )
    services.publish_subdomain(subdomain, actor=kasie)
    blocker = tmp_path / "berkas"
    blocker.write_text("x")
    settings.SIMPATIK_DNS_ZONEFILE_PATH = str(blocker / "zona")  # under a file: not writable
    with run_jobs_now():
        services.withdraw_subdomain(subdomain, actor=kasie, confirm=True)
    subdomain.refresh_from_db()
    assert subdomain.status == "ditarik" and "tidak dapat ditulis" in subdomain.error
    assert "cuti 3600" not in zone_text()  # the zone SIMPATIK serves drops it at once
    settings.SIMPATIK_DNS_ZONEFILE_PATH = str(tmp_path / "bolmutkab.go.id.zone")
    with run_jobs_now():
        services.retry_subdomain(subdomain, actor=kasie)
    on_disk = (tmp_path / "bolmutkab.go.id.zone").read_text()
    assert "cuti" not in on_disk and "bolmutkab.go.id." in on_disk
