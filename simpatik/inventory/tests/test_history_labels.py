"""The inventory's history and forms speak in labels: field names and choices, never keys or dashes."""

from datetime import date

from simpatik.audit.tests.test_sentences import assert_plain, visible_text
from simpatik.inventory import services
from simpatik.testing.forms import browser_form


def test_history_names_fields_and_choices_by_their_labels(client, inventory, kabid):
    app = inventory["SIMPEG"]
    services.update_application(
        app, actor=kabid, changes={"platform": "web", "pj_nama": "Budi"}, reason="Registrasi ulang"
    )
    client.force_login(kabid)
    html = client.get(f"/inventaris/{app.pk}/").content.decode()
    history = html[html.index('id="history"') :]
    text = visible_text(history)
    assert "mengubah data aplikasi" in text
    assert "Basis aplikasi : — → Web" in text
    assert "Penanggung jawab : — → Budi" in text
    assert_plain(text, ["platform", "pj_nama", "changes"])


def test_the_edit_form_shows_an_empty_choice_as_a_dash(client, inventory, kabid):
    client.force_login(kabid)
    html = client.get("/inventaris/baru/").content.decode()
    assert "---------" not in html
    assert '<option value="" selected>—</option>' in html


def test_a_year_out_of_range_is_refused_naming_the_range_and_kept(client, inventory, kabid):
    from django.utils import timezone

    from simpatik.inventory.forms import ApplicationForm

    app = inventory["SIMPEG"]
    data = {
        name: ("" if value is None else value)
        for name, value in ApplicationForm(instance=app).initial.items()
    }
    data["opd"] = app.opd_id
    data.update(tahun_dibangun="1" + "0" * 30, reason="uji")
    client.force_login(kabid)
    response = client.post(f"/inventaris/{app.pk}/ubah/", data)
    assert response.status_code == 400
    html = response.content.decode()
    last = timezone.localdate().year + 1
    field_error = html.split('id="id_tahun_dibangun_error"')[1].split("</span>")[0]
    assert f"Tahun harus antara 1970 dan {last}." in field_error
    assert 'value="1' + "0" * 30 + '"' in html
    assert "9223372036854775807" not in html
    app.refresh_from_db()
    assert app.tahun_dibangun is None


def test_an_edit_that_leaves_the_dates_alone_keeps_them(client, inventory, kabid):
    """Both date fields reach the browser as ISO; in the language's format they showed empty and
    an edit of another field erased them."""
    app = inventory["SIMPEG"]
    dates = {"registrasi_ulang": date(2026, 10, 1), "tanggal_persetujuan": date(2026, 9, 2)}
    services.update_application(app, actor=kabid, changes=dates, reason="Registrasi ulang")
    client.force_login(kabid)
    form = browser_form(client.get(f"/inventaris/{app.pk}/ubah/"))
    assert (form.values["registrasi_ulang"], form.values["tanggal_persetujuan"]) == (
        "2026-10-01",
        "2026-09-02",
    )
    changed = {**form.values, "tahun_dibangun": "2019", "reason": "Tahun dibangun"}
    assert client.post(f"/inventaris/{app.pk}/ubah/", changed).status_code == 302
    app.refresh_from_db()
    assert (app.tahun_dibangun, app.registrasi_ulang, app.tanggal_persetujuan) == (
        2019,
        *dates.values(),
    )


def test_acronyms_keep_their_capitals_in_the_history_and_the_public_csv(client, inventory, kabid):
    app = inventory["SIMPEG"]
    services.update_application(
        app,
        actor=kabid,
        changes={"url": "simpeg.bolmutkab.go.id", "pj_nip": "198001012005011001", "publik": True},
        reason="Registrasi ulang",
    )
    client.force_login(kabid)
    text = visible_text(client.get(f"/inventaris/{app.pk}/").content.decode())
    assert "URL/subdomain :" in text and "NIP penanggung jawab :" in text
    assert "Url/subdomain" not in text and "Nip penanggung" not in text
    header = client.get("/katalog/data.csv").content.decode("utf-8-sig").splitlines()[0]
    assert "OPD" in header.split(",") and "URL" in header.split(",")
    assert "Opd" not in header.split(",") and "Url" not in header.split(",")


def test_a_year_in_other_digits_and_a_nip_that_is_not_one_are_refused_and_kept(
    client, inventory, kabid
):
    """ "２０１９" and "٢٠١٩" were saved as 2019 without a word, and "abc" as a NIP."""
    from simpatik.inventory.forms import ApplicationForm

    app = inventory["SIMPEG"]
    data = {
        name: ("" if value is None else value)
        for name, value in ApplicationForm(instance=app).initial.items()
    }
    data.update(opd=app.opd_id, reason="uji", tahun_dibangun="٢٠١٩", pj_nip="abc")
    client.force_login(kabid)
    response = client.post(f"/inventaris/{app.pk}/ubah/", data)
    assert response.status_code == 400
    slots = browser_form(response).slots
    assert slots["id_tahun_dibangun_error"] == "Tulis dengan angka 0-9."
    assert "18 angka" in slots["id_pj_nip_error"]
    assert 'value="٢٠١٩"' in response.content.decode()
    app.refresh_from_db()
    assert app.tahun_dibangun is None and app.pj_nip != "abc"
    data.update(tahun_dibangun="2019", pj_nip="19800101 200501 1 001")
    assert client.post(f"/inventaris/{app.pk}/ubah/", data).status_code == 302
    app.refresh_from_db()
    assert (app.tahun_dibangun, app.pj_nip) == (2019, "19800101 200501 1 001")
