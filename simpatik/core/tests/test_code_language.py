"""One language for stored codes: choice values and boolean field names are Indonesian words.

English is allowed only for technical values, each listed below with the reason. A new code is
a word added to one of these lists in review, so `status = "open"` beside `berjalan` cannot
slip back in unnoticed. Labels are translated separately (gettext); this is about what is stored
and what API clients see as field names and values.
"""

from django.apps import apps
from django.contrib.auth.models import AbstractUser
from django.db import models

# Domain words, as the SOP and the regency's staff say them.
INDONESIAN_VALUES = {
    # Status of projects, steps, needs, jobs, letters, deliveries, repositories, subdomains
    "berjalan",
    "ditangguhkan",
    "selesai",
    "diajukan",
    "diproses",
    "ditolak",
    "ditarik",
    "menunggu",
    "berhasil",
    "gagal",
    "terkirim",
    "siap",
    "diminta",
    "terbit",
    "menunggu_tte",
    "menunggu_pihak_kedua",
    "berlaku",
    "draf",  # an evaluation not yet signed (monev)
    # Inventory of applications
    "umum",
    "khusus",
    "publik",
    "administrasi",
    "diskominfo",
    "opd",
    "pihak_ketiga",
    "pusat",  # pemerintah pusat: a ministry's or national agency's application
    "komunitas",  # produk komunitas / sumber terbuka
    "plh",  # Pelaksana Harian: stands in for an official on leave
    "plt",  # Pelaksana Tugas: acts in a vacant post
    "perencanaan",
    "pengembangan",
    "aktif",
    "tidak_aktif",
    "dihentikan",
    "kirim",
    "dua_arah",
    "manual",
    "pdn",  # Pusat Data Nasional: the national data centre, as the SPBE catalogue abbreviates it
    "sumber_terbuka",  # lisensi: open source
    "berpemilik",  # lisensi: proprietary
    "gratis",  # lisensi: freeware
    "lainnya",
    # Notification preferences
    "segera",
    "harian",
}

# English on purpose, per field: (app_label.Model, field) -> values, with the reason.
TECHNICAL_VALUES = {
    # Rate-limit buckets of the login guard, keyed like the security literature (OWASP ASVS).
    ("accounts.AuthFailure", "scope"): {"account", "address"},
    # Channel names are the transports' own names, used in settings and apprise URLs.
    ("notifications.Delivery", "channel"): {"email", "chat"},
    # DNS record types are defined by RFC 1035/3596 and written in upper case in zone files.
    ("provisioning.Subdomain", "record_type"): {"A", "AAAA", "CNAME"},
    # Platform and hosting kinds as the national application catalogue (SPBE) spells them.
    ("inventory.Application", "platform"): {"web", "mobile", "desktop"},
    ("inventory.Application", "hosting"): {"cloud"},
    # Integration methods are protocol words (an API, a file exchange).
    ("inventory.Integration", "metode"): {"api", "file"},
}

INDONESIAN_BOOLEANS = {
    "aktif",
    "publik",
    "diarsipkan",
    "tepat_waktu",
    "ditandatangani",
    "berlaku",
    "ringkasan",
    "draf",
}
TECHNICAL_BOOLEANS = {
    # A person's channel switches, named after Delivery.Channel's technical values above.
    ("notifications.Preference", "email"),
    ("notifications.Preference", "chat"),
}
# Django's own user fields (is_active, is_staff, is_superuser) keep Django's names: the admin,
# auth backends and third-party code read them.
DJANGO_FIELDS = {f.name for f in AbstractUser._meta.get_fields()}


def simpatik_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("simpatik."):
            continue
        label = model._meta.label
        for field in model._meta.get_fields(include_parents=True):
            if field.concrete and not field.auto_created:
                yield label, field


def offending_values():
    found = []
    for label, field in simpatik_fields():
        if not field.choices:
            continue
        technical = TECHNICAL_VALUES.get((label, field.name), set())
        for value, _label in field.flatchoices:
            if value not in INDONESIAN_VALUES and value not in technical:
                found.append(f"{label}.{field.name} = {value!r}")
    return found


def offending_booleans():
    found = []
    for label, field in simpatik_fields():
        if not isinstance(field, models.BooleanField):
            continue
        if label == "accounts.User" and field.name in DJANGO_FIELDS:
            continue
        if field.name not in INDONESIAN_BOOLEANS and (label, field.name) not in TECHNICAL_BOOLEANS:
            found.append(f"{label}.{field.name}")
    return found


def test_every_stored_choice_value_is_an_indonesian_word_or_a_listed_technical_one():
    assert offending_values() == []


def test_every_boolean_field_has_an_indonesian_name_or_a_listed_technical_one():
    assert offending_booleans() == []


def test_the_rule_sees_every_kind_of_code():
    """The checks above look at the fields that matter (not an empty list that always passes)."""
    labels = {(label, field.name) for label, field in simpatik_fields()}
    assert {
        ("projects.StepRun", "status"),
        ("provisioning.Repository", "status"),
        ("provisioning.Subdomain", "status"),
        ("projects.ProjectMember", "aktif"),
        ("letters.Letter", "ditandatangani"),
        ("sop.SopVersion", "berlaku"),
        ("notifications.Delivery", "ringkasan"),
    } <= labels
    assert ("accounts.User", "is_active") in labels  # Django's, skipped by name, not unseen


def test_an_english_status_or_boolean_is_refused(monkeypatch):
    """Adding `OPEN = "open"` back to StepRun.Status, or a boolean `archived`, fails the rule."""
    from simpatik.inventory.models import Integration
    from simpatik.projects.models import StepRun

    status = StepRun._meta.get_field("status")
    monkeypatch.setattr(status, "choices", [*status.choices, ("open", "Berjalan")])
    assert offending_values() == ["projects.StepRun.status = 'open'"]
    monkeypatch.setattr(Integration._meta.get_field("diarsipkan"), "name", "archived")
    assert offending_booleans() == ["inventory.Integration.archived"]
