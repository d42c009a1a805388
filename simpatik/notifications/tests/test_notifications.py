"""Notifications: in-app, over a real SMTP server and a real HTTP chat endpoint, never twice."""

import pytest
from django.db import transaction

from simpatik.jobs.models import Job
from simpatik.notifications import services
from simpatik.notifications.models import Delivery, Notification, Preference

pytestmark = pytest.mark.django_db


def _notify(users, key="tugas:1", message="Langkah 5 menunggu Anda.", jobs=None):
    """Notify in a transaction; with `jobs` (the run_jobs_now fixture) its jobs run at commit."""
    from contextlib import nullcontext

    with jobs() if jobs else nullcontext(), transaction.atomic():
        return services.notify(
            "tugas.baru", users, key=key, message=message, url="/tugas/", step_number=5
        )


@pytest.fixture
def kasie_mail(kasie):
    kasie.email = "sri@kominfo.test"
    kasie.save()
    return kasie


def test_a_notification_is_sent_by_email_as_text_and_html(kasie_mail, smtpd, run_jobs_now):
    _notify([kasie_mail], jobs=run_jobs_now)
    ((sender, recipients, message),) = smtpd.messages
    assert recipients == ["sri@kominfo.test"]
    assert message["Subject"] == "[SIMPATIK] Tugas baru"
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }
    assert "Langkah 5 menunggu Anda." in parts["text/plain"]
    assert "http://" in parts["text/plain"] and "/tugas/" in parts["text/plain"]
    assert "<strong>Tugas baru</strong>" in parts["text/html"]
    delivery = Delivery.objects.get()
    assert delivery.status == "terkirim" and delivery.sent_at is not None


def test_chat_goes_to_the_users_apprise_address(kasie, chat_endpoint, run_jobs_now):
    url, received = chat_endpoint
    Preference.objects.create(user=kasie, email=False, chat=True, chat_url=url)
    _notify([kasie], jobs=run_jobs_now)
    ((path, body),) = received
    assert path == "/hooks/simpatik"
    assert body["title"] == "Tugas baru" and "Langkah 5 menunggu Anda." in body["message"]


def test_the_same_event_never_reaches_a_person_twice(kasie_mail, smtpd, run_jobs_now):
    first = _notify([kasie_mail], jobs=run_jobs_now)
    again = _notify([kasie_mail], jobs=run_jobs_now)
    assert len(first) == 1 and again == []
    assert Notification.objects.count() == 1
    delivery = Delivery.objects.get()
    assert services.deliver(delivery.pk) == "sudah terkirim"  # a retried job sends nothing
    assert len(smtpd.messages) == 1


def test_a_failed_send_is_retried_by_the_job_and_its_error_kept(kasie, run_jobs_now, settings):
    settings.SIMPATIK_CHAT_ALLOWED_HOSTS = ["127.0.0.1"]  # trusted, and nobody listens on port 9
    Preference.objects.create(user=kasie, email=False, chat=True, chat_url="json://127.0.0.1:9/x")
    _notify([kasie], jobs=run_jobs_now)
    delivery = Delivery.objects.get()
    assert delivery.status == "menunggu" and "RuntimeError" in delivery.error
    job = Job.objects.get(name="notifications.deliver")
    assert job.status == "menunggu" and job.attempts == 1  # waiting for its backoff retry


def test_daily_digest_collects_the_days_notifications_in_one_message(
    kasie_mail, smtpd, run_jobs_now
):
    Preference.objects.create(user=kasie_mail, email=True, mode="harian")
    _notify([kasie_mail], key="a", message="Pertama.")
    _notify([kasie_mail], key="b", message="Kedua.")
    assert smtpd.messages == []
    assert services.send_digests() == 1
    ((_s, _r, message),) = smtpd.messages
    text = (
        next(p for p in message.walk() if p.get_content_type() == "text/plain")
        .get_payload(decode=True)
        .decode()
    )
    assert "Pertama." in text and "Kedua." in text
    assert services.send_digests() == 0


@pytest.mark.django_db(transaction=True)
def test_notify_outside_a_transaction_is_refused(kasie):
    with pytest.raises(RuntimeError):
        services.notify("tugas.baru", [kasie], key="x", message="m")


def test_api_lists_own_notifications_newest_first_and_marks_read(client, kasie, kabid):
    _notify([kasie], key="one", message="Satu")
    _notify([kasie, kabid], key="two", message="Dua")
    client.force_login(kasie)
    body = client.get("/api/v1/notifications/").json()
    assert [item["message"] for item in body["results"]] == ["Dua", "Satu"]
    first = body["results"][0]
    assert set(first) == {"id", "event", "project", "step", "message", "url", "created_at", "read"}
    assert first["event"] == "tugas.baru" and first["step"] == 5 and first["read"] is False
    marked = client.post(f"/api/v1/notifications/{first['id']}/read/").json()
    assert marked["read"] is True
    others = Notification.objects.get(recipient=kabid).pk
    response = client.post(f"/api/v1/notifications/{others}/read/")
    assert response.status_code == 404 and response.json()["code"] == "notification_not_found"


def test_the_bell_counts_unread_and_opening_one_marks_it_read(client, kasie):
    _notify([kasie], key="one")
    client.force_login(kasie)
    page = client.get("/notifikasi/").content.decode()
    assert 'class="count">1<' in page and "Langkah 5 menunggu Anda." in page
    notification = Notification.objects.get()
    response = client.post(f"/notifikasi/{notification.pk}/buka/")
    assert response.status_code == 302 and response["Location"] == "/tugas/"
    assert 'class="count"' not in client.get("/notifikasi/").content.decode()


def test_preferences_refuse_an_unknown_chat_address_and_never_show_a_stored_one(client, kasie):
    client.force_login(kasie)
    response = client.post(
        "/notifikasi/pengaturan/", {"chat": "on", "chat_url": "bukan-alamat", "mode": "segera"}
    )
    assert response.status_code == 400
    assert "tidak dikenali" in response.content.decode()
    assert not Preference.objects.filter(user=kasie).exists()
    client.post(
        "/notifikasi/pengaturan/",
        {"chat": "on", "chat_url": "tgram://123456789:ABCdefGHI/987654", "mode": "harian"},
    )
    preference = Preference.objects.get(user=kasie)
    assert (
        preference.chat
        and preference.mode == "harian"
        and preference.chat_url.startswith("tgram://")
    )
    page = client.get("/notifikasi/pengaturan/").content.decode()
    assert "tgram://…" in page and "ABCdefGHI" not in page
    client.post("/notifikasi/pengaturan/", {"chat": "on", "chat_url": "", "mode": "segera"})
    assert Preference.objects.get(user=kasie).chat_url.startswith("tgram://")  # kept


@pytest.mark.parametrize(
    "url",
    [
        "json://127.0.0.1:8999/ssrf",
        "jsons://169.254.169.254/latest/meta-data",
        "xml://10.0.0.5/hook",
        "form://[::1]:8080/x",
        "json://localhost/x",
    ],
)
def test_a_chat_address_aimed_at_the_servers_own_network_is_refused(client, kasie, url):
    """Anyone may set their chat address and the worker posts to it: an internal one would make
    SIMPATIK call what nobody outside may."""
    client.force_login(kasie)
    response = client.post(
        "/notifikasi/pengaturan/", {"chat": "on", "chat_url": url, "mode": "segera"}
    )
    assert response.status_code == 400
    assert "jaringan internal" in response.content.decode()
    assert not Preference.objects.filter(user=kasie, chat_url=url).exists()


def test_a_public_or_trusted_chat_server_is_taken(client, kasie, settings):
    client.force_login(kasie)
    public = "json://93.184.215.14/hook"  # a public address, no name to resolve
    sent = {"chat": "on", "chat_url": public, "mode": "segera"}
    assert client.post("/notifikasi/pengaturan/", sent).status_code == 302
    settings.SIMPATIK_CHAT_ALLOWED_HOSTS = ["gateway.internal"]
    sent["chat_url"] = "json://gateway.internal/wa"
    assert client.post("/notifikasi/pengaturan/", sent).status_code == 302
    assert Preference.objects.get(user=kasie).chat_url == "json://gateway.internal/wa"


def test_an_internal_address_saved_earlier_receives_nothing(
    kasie, chat_endpoint, run_jobs_now, settings
):
    url, received = chat_endpoint
    Preference.objects.create(user=kasie, email=False, chat=True, chat_url=url)
    settings.SIMPATIK_CHAT_ALLOWED_HOSTS = []  # no longer trusted: checked again at each send
    _notify([kasie], jobs=run_jobs_now)
    assert received == []
    assert "jaringan internal" in Delivery.objects.get().error
