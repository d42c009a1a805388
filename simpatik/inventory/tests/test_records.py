import pytest

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import Conflict, PermissionDenied, ValidationError
from simpatik.inventory import queries, services
from simpatik.inventory.models import Application


def test_every_change_is_recorded_with_before_and_after(inventory, kasie, kabid):
    app = inventory["SIMPEG"]
    diff = services.update_application(
        app,
        actor=kabid,
        changes={"url": "https://simpeg.bolmutkab.go.id", "pj_nama": "Budi"},
        reason="Registrasi ulang",
    )
    assert diff == {"url": ["", "https://simpeg.bolmutkab.go.id"], "pj_nama": ["", "Budi"]}
    assert services.update_application(app, actor=kabid, changes={"pj_nama": "Budi"}) == {}
    records = queries.history(app)
    assert [r.action for r in records] == [
        "inventory.application.updated",
        "inventory.application.created",
    ]
    assert records[0].actor == kabid and records[0].reason == "Registrasi ulang"
    assert records[0].data["changes"]["pj_nama"] == ["", "Budi"]


def test_records_are_archived_never_deleted(inventory, kasie):
    app = inventory["E-Kinerja"]
    with pytest.raises(ValidationError):
        services.archive_application(app, actor=kasie, reason=" ")
    services.archive_application(app, actor=kasie, reason="Diganti aplikasi nasional")
    app.refresh_from_db()
    assert app.diarsipkan and Application.objects.filter(pk=app.pk).exists()
    with pytest.raises(Conflict):
        services.update_application(app, actor=kasie, changes={"url": "x"})
    services.restore_application(app, actor=kasie)
    assert not Application.objects.get(pk=app.pk).diarsipkan
    actions = list(
        AuditRecord.objects.filter(
            object_id=str(app.pk), object_type="inventory.application"
        ).values_list("action", flat=True)
    )
    assert (
        "inventory.application.archived" in actions and "inventory.application.restored" in actions
    )


def test_only_inventory_keepers_may_change_it(inventory, teknis, opd_user):
    for user in (teknis, opd_user):
        with pytest.raises(PermissionDenied):
            services.update_application(inventory["SIMPEG"], actor=user, changes={"url": "x"})


def test_same_name_in_same_opd_is_refused_and_nothing_is_written(inventory, kasie, opds):
    before = Application.objects.count()
    with pytest.raises(Conflict) as caught:
        services.register_application(
            actor=kasie, data={"nama": "E-Kinerja", "opd": opds["bkpsdm"]}
        )
    assert caught.value.code == "duplicate"
    with pytest.raises(Conflict):  # names differ only in case: still the same application
        services.register_application(
            actor=kasie, data={"nama": "e-kinerja", "opd": opds["bkpsdm"]}
        )
    assert Application.objects.count() == before


def test_bad_values_give_field_errors(kasie, opds):
    with pytest.raises(ValidationError) as caught:
        services.register_application(
            actor=kasie,
            data={"nama": "", "opd": opds["setda"], "status": "entah", "pj_email": "bukan-email"},
        )
    assert caught.value.code == "application_invalid"
    assert {"nama", "status", "pj_email"} <= set(caught.value.data["fields"])
    assert not Application.objects.exists()


def test_integrations_are_recorded_and_not_with_itself(inventory, kasie):
    simpeg, kinerja = inventory["SIMPEG"], inventory["E-Kinerja"]
    with pytest.raises(ValidationError):
        services.add_integration(actor=kasie, source=simpeg, target=simpeg, data="x")
    integration = services.add_integration(
        actor=kasie,
        source=simpeg,
        target=kinerja,
        data="Data pegawai",
        arah="dua_arah",
        metode="api",
    )
    overview = queries.oversight(Application.objects.all())
    assert list(overview["integrations"]) == [integration]


def test_oversight_lists_due_reregistration_and_missing_owner(inventory, kasie):
    import datetime as dt

    services.update_application(
        inventory["SIMPEG"],
        actor=kasie,
        changes={"registrasi_ulang": dt.date.today(), "pj_nama": "Budi"},
    )
    services.update_application(inventory["JDIH"], actor=kasie, changes={"status": "tidak_aktif"})
    data = queries.oversight(Application.objects.all())
    due = {app.nama for app in data["due"]}
    assert "Sistem Informasi Manajemen Kepegawaian" not in due and "E-Kinerja" in due
    assert (
        "Jaringan Dokumentasi dan Informasi Hukum" not in due
    )  # not active: nothing to re-register
    assert "Sistem Informasi Manajemen Kepegawaian" not in {a.nama for a in data["no_owner"]}
    bkpsdm = next(row for row in data["table"] if row[0] == "Badan Kepegawaian dan PSDM")
    assert bkpsdm[2] == 3


def test_integration_map_is_an_svg_with_whole_number_coordinates(inventory, kasie):
    import re

    from django.test import Client

    services.add_integration(
        actor=kasie, source=inventory["SIMPEG"], target=inventory["E-Kinerja"], data="Data pegawai"
    )
    client = Client()
    client.force_login(kasie)
    page = client.get("/inventaris/ringkasan/").content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count("<circle") == 2 and svg.count("<line") == 1
    coordinates = re.findall(r'\b(?:cx|cy|x1|y1|x2|y2)="([^"]+)"', svg)
    assert coordinates and all(value.lstrip("-").isdigit() for value in coordinates), coordinates
