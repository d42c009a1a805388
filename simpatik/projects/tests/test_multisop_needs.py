"""A usulan taken up while several SOPs are in force starts a project under the SOP the person
taking it up chooses, on the web page as through the API (the same service); the seed SOP when
none is chosen."""

import pytest
from django.test import Client

from simpatik.projects import services
from simpatik.projects.models import Need, Project
from simpatik.projects.tests.test_api import client_for
from simpatik.projects.tests.test_multisop import SECOND, SEED


def _need(opd_user, judul):
    return services.submit_need(actor=opd_user, judul=judul, latar_belakang="Perlu.")


@pytest.fixture
def browser(kadis):
    client = Client()
    client.force_login(kadis)
    return client


def test_web_need_page_offers_the_sop_and_starts_under_it(second_sop, browser, opd_user):
    need = _need(opd_user, "Aplikasi Dinas")
    page = browser.get(f"/usulan/{need.pk}/")
    assert 'name="sop"' in page.text and f'value="{SEED}" selected' in page.text
    response = browser.post(f"/usulan/{need.pk}/", {"action": "start", "sop": SECOND})
    assert response.status_code == 302
    project = Project.objects.get(need=need)
    assert project.sop_version.kode == SECOND and project.nama == "Aplikasi Dinas"

    plain = _need(opd_user, "Aplikasi Biasa")
    assert browser.post(f"/usulan/{plain.pk}/", {"action": "start"}).status_code == 302
    assert Project.objects.get(need=plain).sop_version.kode == SEED


def test_web_refuses_an_unknown_sop_and_starts_nothing(second_sop, browser, opd_user):
    need = _need(opd_user, "Aplikasi Dinas")
    response = browser.post(f"/usulan/{need.pk}/", {"action": "start", "sop": "tidak-ada"})
    assert response.status_code == 400
    assert "tidak dikenal" in response.text
    need.refresh_from_db()
    assert need.status == Need.Status.DIAJUKAN and not Project.objects.filter(need=need).exists()


def test_need_page_offers_no_sop_while_one_runs(sop, browser, opd_user):
    need = _need(opd_user, "Aplikasi Dinas")
    assert 'name="sop"' not in browser.get(f"/usulan/{need.pk}/").text


def test_api_takes_up_a_need_under_the_named_sop(second_sop, kadis, opd_user):
    need = _need(opd_user, "Aplikasi Dinas")
    api = client_for(kadis)
    started = api.post("/api/v1/projects/", {"need": need.pk, "sop": SECOND}, format="json")
    assert started.status_code == 201
    assert started.json()["sop"] == SECOND and started.json()["need"] == need.pk
    other = _need(opd_user, "Aplikasi Lain")
    unknown = api.post("/api/v1/projects/", {"need": other.pk, "sop": "x"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "sop_unknown"
    other.refresh_from_db()
    assert other.status == Need.Status.DIAJUKAN
