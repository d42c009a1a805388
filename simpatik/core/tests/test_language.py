from django.test import Client


def test_indonesian_by_default_whatever_the_browser_asks(kadis):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(kadis)
    response = client.get("/tugas/")
    assert "Tugas Saya" in response.content.decode()
    assert response["Content-Language"] == "id"


def test_english_when_the_user_chooses_it(kadis):
    client = Client()
    client.force_login(kadis)
    client.post("/i18n/setlang/", {"language": "en", "next": "/tugas/"})
    page = client.get("/tugas/").content.decode()
    assert "My Tasks" in page and "Tugas Saya" not in page


def test_the_english_catalogue_has_no_untranslated_entry():
    from pathlib import Path

    import polib

    catalogue = polib.pofile(
        str(Path(__file__).resolve().parents[2] / "locale/en/LC_MESSAGES/django.po")
    )
    missing = [entry.msgid for entry in catalogue if not entry.msgstr or "fuzzy" in entry.flags]
    assert missing == [], f"run `make messages` and translate: {missing[:5]}"
