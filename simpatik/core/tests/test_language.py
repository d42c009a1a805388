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
    missing = [
        entry.msgid
        for entry in catalogue
        if "fuzzy" in entry.flags
        or (
            not all(entry.msgstr_plural.values()) or len(entry.msgstr_plural) < 2
            if entry.msgid_plural
            else not entry.msgstr
        )
    ]
    assert missing == [], f"run `make messages` and translate: {missing[:5]}"


def test_english_counts_its_days_and_steps_indonesian_does_not():
    from django.utils import translation

    from simpatik.core.templatetags.simpatik import sisa_waktu

    with translation.override("en"):
        assert sisa_waktu(1) == "1 working day left" and sisa_waktu(3) == "3 working days left"
        assert sisa_waktu(-1) == "1 working day late"
    with translation.override("id"):
        assert sisa_waktu(1) == "sisa 1 hari kerja" and sisa_waktu(-2) == "terlambat 2 hari kerja"


def test_no_translated_text_is_hidden_inside_an_f_string():
    """makemessages (xgettext) does not look inside f-strings: a `_("…")` there was never in the
    English catalogue, and English pages showed Indonesian ("Bagian proyek", "hari kerja")."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names = {"_", "gettext", "ngettext", "gettext_lazy", "ngettext_lazy", "pgettext"}
    hidden = []
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and getattr(inner.func, "id", None) in names:
                    hidden.append(f"{path.relative_to(root)}:{inner.lineno}")
    assert hidden == []


def test_a_steps_time_standard_reads_in_the_pages_language(client, project, kabid):
    """The Waktu of each step (the SOP table and the step panel) stayed "2 hari kerja" in
    English; the official SOP sheet and letters keep the Indonesian."""
    client.force_login(kabid)
    client.post("/i18n/setlang/", {"language": "en", "next": "/tugas/"})
    page = client.get(f"/proyek/{project.pk}/").content.decode()
    step = project.definition.step(2)
    assert f"{step.waktu} working day" in page and f"{step.waktu} hari kerja" not in page
    assert step.waktu_label == f"{step.waktu} hari kerja"
