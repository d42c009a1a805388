"""The inventory's history and forms speak in labels: field names and choices, never keys or dashes."""

from simpatik.audit.tests.test_sentences import assert_plain, visible_text
from simpatik.inventory import services


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
