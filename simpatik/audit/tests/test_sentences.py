"""Every audit action reads as an Indonesian sentence: no codes, keys or Python values on the page."""

import ast
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from simpatik.audit import actions
from simpatik.audit.models import AuditRecord
from simpatik.audit.sentences import describe, rows_html
from simpatik.audit.services import record
from simpatik.testing.walker import complete_current, open_run

SOURCE = Path(__file__).resolve().parents[2]
# A snake_case word, unless it is a file name people uploaded (followed by its extension).
SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b(?!\.\w)")
RAW = ("{", "}", "[", "]", "None", "True", "False", "project.", "'")


def recorded_codes() -> set[str]:
    """Every action code a `record(...)` call in the code base can write (both arms of an `if`)."""
    codes = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "record":
                continue
            found = [
                n.value
                for n in ast.walk(node.args[0])
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
            assert found, f"{path}:{node.lineno}: record() with a code that is not a literal"
            codes.update(found)
    return codes


def visible_text(html: str) -> str:
    """What a reader sees without opening "rincian": the details toggle and tags removed."""
    html = re.sub(r"<details.*?</details>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def assert_plain(text: str, data_keys=()) -> None:
    assert not SNAKE.findall(text), SNAKE.findall(text)
    for raw in RAW:
        assert raw not in text, (raw, text)
    for key in data_keys:
        assert not re.search(rf"\b{re.escape(key)}\s*:", text), (key, text)


def test_every_code_the_source_records_is_registered():
    codes = recorded_codes()
    assert {"project.step.completed", "letter.corrected", "inventory.import"} <= codes
    assert codes - set(actions.ACTIONS) == set()


@pytest.mark.django_db
def test_record_refuses_an_unregistered_code():
    with transaction.atomic(), pytest.raises(ValueError, match="not registered"):
        record("project.something_new")
    assert not AuditRecord.objects.exists()


@pytest.mark.parametrize("code", sorted(actions.ACTIONS))
def test_every_action_reads_as_a_sentence_with_labels(code, project, kasie):
    action = actions.ACTIONS[code]
    entry = AuditRecord(
        at=timezone.now(),
        actor=kasie,
        actor_label=kasie.display_name,
        action=code,
        project=project,
        step_number=action.step,
        data=action.example,
        via="web",
    )
    html = render_to_string("audit/_entries.html", {"entries": describe([entry])})
    text = visible_text(html)
    assert_plain(text, action.example)
    assert "Sri" in text or not re_actor(action)
    assert "rincian" in html


def re_actor(action) -> bool:
    return "%(actor)s" in str(action.sentence)


def test_a_completed_step_names_its_step_fields_and_decision(project, team, kasie):
    from simpatik.testing.walker import walk_to

    walk_to(project, team, 7, decisions={6: "tidak_tersedia"})
    entries = describe(
        AuditRecord.objects.filter(project=project, action="project.step.completed", step_number=6)
    )
    html = render_to_string("audit/_entries.html", {"entries": entries})
    text = visible_text(html)
    assert "menyelesaikan langkah 6 — Bidang Aptika memeriksa ketersediaan" in text
    assert "Keputusan : Tidak tersedia" in text
    assert "Hasil pemeriksaan ketersediaan infrastruktur, SDM dan anggaran : Isian" in text
    assert_plain(text)


def _completed_html(project, step_number: int, fields: dict) -> str:
    """The history entry of a step completed with these fields, as the page renders it."""
    entry = AuditRecord(
        at=timezone.now(),
        actor_label="Sri",
        action="project.step.completed",
        project=project,
        step_number=step_number,
        data={"round": 1, "decision": None, "fields": fields},
    )
    return render_to_string("audit/_entries.html", {"entries": describe([entry])})


def test_similar_applications_show_by_name_as_links(project, team):
    from simpatik.inventory.models import Application

    app = Application.objects.create(nama="SIMPEG Lama", opd=project.opd, status="aktif")
    html = _completed_html(project, 5, {"aplikasi_sejenis_inventaris": [str(app.pk)]})
    assert f'<a href="/inventaris/{app.pk}/">SIMPEG Lama</a>' in html
    assert "Aplikasi sejenis di inventaris" in visible_text(html)


def test_a_record_written_before_a_field_was_renamed_still_reads_with_its_label(project, kasie):
    """Old rows keep `archived` (the hash chain forbids rewriting them); the label still shows."""
    from simpatik.inventory.models import Application

    app = Application.objects.create(nama="SIMPEG Lama", opd=project.opd, status="aktif")
    entries = [
        AuditRecord(
            at=timezone.now(),
            actor_label="Sri",
            action="inventory.application.updated",
            object_type="inventory.application",
            object_id=str(app.pk),
            data={"changes": {key: [False, True], "status": ["pengembangan", "aktif"]}},
        )
        for key in ("archived", "diarsipkan")
    ]
    old, new = (visible_text(rows_html(entry.rows)) for entry in describe(entries))
    assert old == new
    assert "Diarsipkan : tidak → ya" in old and "Status : Pengembangan → Aktif" in old
    assert_plain(old)


def test_riwayat_of_a_project_walked_to_the_end_has_no_raw_key(client, project, team, kadis):
    while open_run(project) is not None:
        complete_current(project, team)
        project.refresh_from_db()
    assert project.status == "selesai"
    client.force_login(kadis)
    url, pages = f"/proyek/{project.pk}/riwayat/", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        main = html[html.index("<main") :] if "<main" in html else html
        text = visible_text(main)
        assert_plain(text)
        assert "menyelesaikan langkah 18" in text or pages > 0 or "Proyek selesai" in text
        pages += 1
        nxt = re.search(r'href="(\?page=\d+)">Berikutnya', html)
        url = f"/proyek/{project.pk}/riwayat/{nxt.group(1)}" if nxt else None
    assert pages >= 1


def test_step_panel_shows_status_decision_and_applications_by_label(client, project, team, kabid):
    from simpatik.inventory.services import register_application
    from simpatik.testing.walker import walk_to

    app = register_application(
        actor=kabid,
        data={
            "nama": "SIMPEG Lama",
            "deskripsi": "Sistem informasi kepegawaian",
            "opd": project.opd,
        },
        via="cli",
    )
    walk_to(project, team, 5)
    complete_current(project, team, extra_fields={"aplikasi_sejenis_inventaris": [str(app.pk)]})
    complete_current(project, team, decision="tidak_tersedia")
    client.force_login(kabid)
    html = client.get(f"/proyek/{project.pk}/?langkah=5").content.decode()
    panel = visible_text(html[html.index('id="step-panel"') : html.index("Alur SOP</h2>")])
    assert "SIMPEG Lama" in panel and "['" not in panel
    assert f'<a href="/inventaris/{app.pk}/">SIMPEG Lama</a>' in html
    assert "Putaran 1: selesai" in panel and ": done" not in panel
    html = client.get(f"/proyek/{project.pk}/?langkah=6").content.decode()
    panel = visible_text(html[html.index('id="step-panel"') : html.index("Alur SOP</h2>")])
    assert "— Tidak tersedia" in panel and "tidak_tersedia" not in panel


def test_the_api_history_carries_the_sentence_beside_the_code(client, project, kadis):
    from simpatik.accounts.services import create_api_token

    _row, token = create_api_token(kadis)
    response = client.get(
        f"/api/v1/projects/{project.pk}/history/", HTTP_AUTHORIZATION=f"Token {token}"
    )
    started = next(r for r in response.json()["results"] if r["action"] == "project.started")
    assert started["sentence"].startswith("Aang Wardiman memulai proyek PRJ-")
    assert "<" not in started["sentence"] and "&" not in started["sentence"]


def test_every_choice_a_provider_offers_reads_by_its_label_in_the_history(project, team):
    """The history names a recorded choice through the provider's labels: a provider without
    them showed a valid choice, step 16's hosting "diskominfo", as "(terhapus)"."""
    from simpatik.inventory.models import Application
    from simpatik.sop import hooks

    offering = set()
    for provider in sorted(hooks._choices):
        labels = hooks.choice_labels(provider)
        assert labels is not None, f"{provider} has no labels for the history"
        offered = dict(hooks.choices(provider)(project))
        assert set(labels(list(offered))) == set(offered), provider
        offering |= {provider} if offered else set()
    assert {"inventory.hosting", "inventory.platform"} <= offering
    fields = {"lokasi_hosting": "diskominfo", "basis_aplikasi": "web"}
    text = visible_text(_completed_html(project, 16, fields))
    assert "(terhapus)" not in text
    assert f"Lokasi hosting : {Application.Hosting('diskominfo').label}" in text


def test_the_details_name_each_document_by_its_label(project, team):
    from simpatik.testing.walker import walk_to

    walk_to(project, team, 3)  # step 2 read the daftar kebutuhan and its own check
    (entry,) = describe(
        AuditRecord.objects.filter(project=project, action="project.step.completed", step_number=2)
    )
    labels = [label for label, _value in entry.details if label.startswith("SHA-256")]
    assert labels and all("_" not in label for label in labels), labels
    assert "SHA-256 Surat Perintah pengembangan aplikasi" in labels


def test_an_sop_and_a_repository_provider_read_by_name_not_by_code(project):
    """The history showed "SOP: pengembangan-aplikasi-diskominfo" and "Penyedia: local"."""
    started = AuditRecord.objects.get(project=project, action="project.started")
    made = AuditRecord(
        at=timezone.now(),
        actor_label="SIMPATIK",
        action="repository.requested",
        project=project,
        data={"provider": "local", "name": "prj-2026-0001"},
    )
    text = visible_text(
        render_to_string("audit/_entries.html", {"entries": describe([started, made])})
    )
    assert "SOP : Pengembangan oleh Diskominfo" in text
    assert "Penyedia : server Git SIMPATIK" in text
    assert "pengembangan-aplikasi-diskominfo" not in text and "local" not in text
