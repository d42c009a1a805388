import pytest
from django.test import Client

from simpatik.core.errors import PermissionDenied, ValidationError
from simpatik.testing.personas import make_user
from simpatik.testing.walker import open_run, walk_to
from simpatik.wiki import services
from simpatik.wiki.markdown import render

ATTACKS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    '<a href="javascript:alert(1)">a</a>',
    "<iframe src='https://evil'></iframe>",
    '<div style="background:url(javascript:alert(1))" onclick="alert(1)">x</div>',
    "<svg onload=alert(1)>",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_markdown_is_rendered_without_any_way_to_run_script(attack):
    html = render(f"# Judul\n\n{attack}\n\nTeks **tebal**.").lower()
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html
    assert (
        "onload" not in html
        and "onclick" not in html
        and "<iframe" not in html
        and "style=" not in html
    )
    assert "<strong>tebal</strong>" in html


def test_markdown_keeps_tables_code_and_safe_links():
    html = render(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nkode\n```\n\n[Pemda](https://bolmutkab.go.id)"
    )
    assert "<table>" in html and "<pre><code>" in html
    assert 'href="https://bolmutkab.go.id"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_every_save_is_a_version_with_its_author_and_the_old_text_stays(project, kasie, teknis):
    first = services.save_page(
        project, actor=kasie, title="Petunjuk Instalasi", body="Langkah 1", note="awal"
    )
    second = services.save_page(
        project,
        actor=teknis,
        title="Petunjuk Instalasi",
        body="Langkah 1\nLangkah 2",
        slug=first.page.slug,
        note="tambah langkah 2",
    )
    assert (first.number, second.number) == (1, 2) and first.page == second.page
    assert [v.author for v in first.page.versions.order_by("number")] == [kasie, teknis]
    first.refresh_from_db()
    assert first.body == "Langkah 1"
    with pytest.raises(RuntimeError):
        first.save()
    assert project.audit_records.filter(action="wiki.page.saved").count() == 2


def test_only_diskominfo_and_the_team_edit(project, opd_user):
    with pytest.raises(PermissionDenied):
        services.save_page(project, actor=opd_user, title="X", body="Y")
    with pytest.raises(ValidationError):
        services.save_page(project, actor=make_user("k2", ["kasie"]), title=" ", body="Y")


def test_a_page_is_attached_to_a_step_as_a_pdf_snapshot(project, team):
    walk_to(project, team, 13)
    developer = team[3]
    version = services.save_page(
        project, actor=developer, title="Petunjuk Pengguna", body="# Masuk\n\nBuka aplikasi."
    )
    document = services.attach_as_evidence(
        version, open_run(project), actor=developer, key="petunjuk_pengguna"
    )
    assert document.key == "petunjuk_pengguna" and document.mime == "application/pdf"
    assert document.name == "petunjuk-pengguna-v1.pdf"
    with document.open() as handle:
        assert handle.read().startswith(b"%PDF")


PERSONAS = ["kadis", "kabid", "kasie", "pengembang", "teknis", "opd_user", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_documentation_pages_as_every_persona(project, team, opd_user, outsider, persona):
    users = {u.username: u for u in team} | {"opd_user": opd_user, "outsider": outsider}
    version = services.save_page(project, actor=team[2], title="Alur Bisnis", body="Isi")
    client = Client()
    client.force_login(users[persona])
    sees = persona in {"kadis", "kabid", "kasie", "teknis", "opd_user"}
    edits = persona in {"kadis", "kabid", "kasie", "teknis"}
    base = f"/proyek/{project.pk}/dokumentasi/"
    assert client.get(base).status_code == (200 if sees else 404)
    assert client.get(f"{base}{version.page.slug}/").status_code == (200 if sees else 404)
    assert client.get(f"{base}{version.page.slug}/ubah/").status_code == (
        200 if edits else 403 if sees else 404
    )
    saved = client.post(f"{base}baru/", {"title": f"Halaman {persona}", "body": "x"})
    assert saved.status_code == (302 if edits else 403 if sees else 404)
