"""An item's `accept:` (kinds of file) and `widget:` (one line or a paragraph) are data, checked on load."""

import io
import zipfile

import pytest
import yaml
from django.conf import settings
from rest_framework.test import APIClient

from simpatik.sop.definition import DefinitionError
from simpatik.sop.services import check_definition_text
from simpatik.testing.walker import walk_to

SEED = yaml.safe_load(settings.SIMPATIK_SOP_DEFINITION.read_text())


def _item(data, key):
    for step in data["steps"]:
        for item in (step.get("kelengkapan") or []) + (step.get("hasil") or []):
            if item["key"] == key:
                return step, item
    raise KeyError(key)


def _problems_after(change) -> str:
    data = yaml.safe_load(settings.SIMPATIK_SOP_DEFINITION.read_text())
    change(data)
    with pytest.raises(DefinitionError) as caught:
        check_definition_text(yaml.safe_dump(data, allow_unicode=True))
    return "\n".join(caught.value.problems)


def test_unknown_file_kinds_and_misplaced_options_are_refused_naming_the_item():
    def bad_kind(data):
        _item(data, "paket_instalasi")[1]["accept"] = ["pdf", "rar"]

    assert "'paket_instalasi': jenis berkas rar tidak dikenal" in _problems_after(bad_kind)

    def accept_on_field(data):
        _item(data, "subdomain")[1]["accept"] = ["zip"]

    assert "'subdomain': accept hanya untuk dokumen" in _problems_after(accept_on_field)

    def widget_on_document(data):
        _item(data, "paket_instalasi")[1]["widget"] = "line"

    assert "widget hanya untuk isian teks" in _problems_after(widget_on_document)

    def unknown_widget(data):
        _item(data, "subdomain")[1]["widget"] = "besar"

    assert "widget 'besar' tidak dikenal" in _problems_after(unknown_widget)


def test_the_seed_takes_archives_only_for_the_installation_package():
    definition = check_definition_text(settings.SIMPATIK_SOP_DEFINITION.read_text())
    takes_archives = [
        item.key
        for step in definition.steps
        for item in step.requirements
        if item.kind == "document" and "zip" in item.accept
    ]
    assert takes_archives == ["paket_instalasi"]


def test_the_installation_package_step_takes_a_zip_through_the_api_and_refuses_a_bomb(
    project, team, teknis
):
    step, _raw = _item(SEED, "paket_instalasi")
    run = walk_to(project, team, step["number"])
    client = APIClient()
    client.force_authenticate(teknis)
    base = f"/api/v1/projects/{project.pk}/steps/{run.step_number}/"
    detail = client.get(base).json()
    accepts = {r["key"]: r.get("accept") for r in detail["requirements"] if r["kind"] == "document"}
    assert accepts["paket_instalasi"] == ["pdf", "zip", "tar.gz"]
    assert all(
        v == ["pdf", "office", "image"] for k, v in accepts.items() if k != "paket_instalasi"
    )

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("app/index.php", "<?php echo 'halo';")
    package = io.BytesIO(buffer.getvalue())
    package.name = "rilis-1.0.zip"
    response = client.post(
        f"{base}documents/", {"key": "paket_instalasi", "file": package}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "rilis-1.0.zip"

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.bin", bytes(8 * 1024 * 1024))
    bomb = io.BytesIO(buffer.getvalue())
    bomb.name = "rilis-2.0.zip"
    response = client.post(
        f"{base}documents/", {"key": "paket_instalasi", "file": bomb}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["code"] == "archive_ratio"

    other = next(k for k in accepts if k != "paket_instalasi")
    package.seek(0)
    response = client.post(f"{base}documents/", {"key": other, "file": package}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "file_type"


def test_the_step_page_offers_archives_for_the_package_and_one_line_for_the_subdomain(
    project, team, teknis
):
    from django.test import Client

    client = Client()
    client.force_login(teknis)
    step, _raw = _item(SEED, "paket_instalasi")
    walk_to(project, team, step["number"])
    html = client.get(f"/proyek/{project.pk}/").content.decode()
    assert (
        'id="file-paket_instalasi" type="file" name="file-paket_instalasi" form="complete-form" '
        'accept=".pdf,application/pdf,.zip,application/zip,.tar.gz,.tgz,application/gzip"'
    ) in html
    step, _raw = _item(SEED, "subdomain")
    walk_to(project, team, step["number"])
    html = client.get(f"/proyek/{project.pk}/").content.decode()
    assert '<input id="f-subdomain" name="subdomain" type="text"' in html
    assert '<textarea id="f-subdomain"' not in html
    assert '<textarea id="f-kebutuhan_hosting"' in html  # a paragraph stays a paragraph
