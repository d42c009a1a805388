import json
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client

from simpatik.audit.models import AuditRecord
from simpatik.core import idempotency
from simpatik.core.models import IdempotencyKey
from simpatik.projects.models import Need

pytestmark = pytest.mark.django_db


def _token_client(user) -> Client:
    client = Client()
    answer = client.post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": "rahasia-123"},
        content_type="application/json",
    )
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {answer.json()['token']}"
    return client


def _need(opd, judul="Aplikasi Absensi"):
    return {"judul": judul, "opd": opd.pk, "deskripsi": "x", "latar_belakang": "y"}


def _submit(client, body, key="kunci-1"):
    return client.post(
        "/api/v1/needs/",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def _submitted():
    return AuditRecord.objects.filter(action="need.submitted").count()


def test_replay_returns_the_first_answer_and_acts_once(kabid, opd):
    client = _token_client(kabid)
    first = _submit(client, _need(opd))
    again = _submit(client, _need(opd))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Need.objects.count() == 1 and _submitted() == 1


def test_same_key_with_another_body_is_a_409_and_changes_nothing(kabid, opd):
    client = _token_client(kabid)
    _submit(client, _need(opd))
    other = _submit(client, _need(opd, judul="Aplikasi Lain"))
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert Need.objects.count() == 1 and _submitted() == 1


def test_key_expires_after_24_hours(kabid, opd):
    client = _token_client(kabid)
    _submit(client, _need(opd))
    IdempotencyKey.objects.update(
        created_at=IdempotencyKey.objects.get().created_at - timedelta(hours=24, seconds=1)
    )
    assert _submit(client, _need(opd)).status_code == 201
    assert Need.objects.count() == 2 and _submitted() == 2


def test_keys_belong_to_one_user(kabid, kasie, opd):
    assert _submit(_token_client(kabid), _need(opd)).status_code == 201
    answer = _submit(_token_client(kasie), _need(opd))
    assert answer.status_code == 201 and "Idempotent-Replayed" not in answer
    assert Need.objects.count() == 2


def test_without_the_header_every_call_acts(kabid, opd):
    client = _token_client(kabid)
    for _ in range(2):
        client.post("/api/v1/needs/", _need(opd), content_type="application/json")
    assert Need.objects.count() == 2 and not IdempotencyKey.objects.exists()


def test_a_refusal_is_replayed_too_and_a_bad_key_is_a_400(kabid, opd):
    client = _token_client(kabid)
    body = {"judul": "", "opd": opd.pk}
    assert _submit(client, body).status_code == 400
    assert _submit(client, body)["Idempotent-Replayed"] == "true"
    bad = _submit(client, _need(opd), key="kunci dengan spasi")
    assert bad.status_code == 400 and bad.json()["code"] == "idempotency_key_invalid"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_duplicate_while_the_first_runs_is_a_409_in_progress(kabid, opd):
    assert connection.vendor == "postgresql"
    client = _token_client(kabid)
    holding, release = threading.Event(), threading.Event()

    def first_call_still_running():
        try:
            with transaction.atomic():
                assert idempotency.try_lock(kabid.pk, "kunci-1")
                holding.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    thread = threading.Thread(target=first_call_still_running)
    thread.start()
    holding.wait(timeout=10)
    try:
        answer = _submit(client, _need(opd))
    finally:
        release.set()
        thread.join()
    assert answer.status_code == 409 and answer.json()["code"] == "idempotency_in_progress"
    assert not Need.objects.exists()
    assert _submit(client, _need(opd)).status_code == 201


def test_an_upload_replayed_stores_one_document(project, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from simpatik.projects.models import Document
    from simpatik.testing.walker import sample_pdf, walk_to

    run = walk_to(project, team, 2)  # a step that takes an uploaded document (not a letter)
    uploader = next(user for user in team if run.role_key in user.role_keys())
    key = "daftar_kebutuhan"
    client = _token_client(uploader)

    def upload(content):
        return client.post(
            f"/api/v1/projects/{project.pk}/steps/{run.step_number}/documents/",
            {"key": key, "file": SimpleUploadedFile("a.pdf", content, "application/pdf")},
            HTTP_IDEMPOTENCY_KEY="unggah-1",
        )

    first, again = upload(sample_pdf("satu")), upload(sample_pdf("satu"))
    assert first.status_code == again.status_code == 201, first.content
    assert again.json() == first.json()
    assert Document.objects.filter(key=key).count() == 1
    assert upload(sample_pdf("dua")).json()["code"] == "idempotency_key_reused"
