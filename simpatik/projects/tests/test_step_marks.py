"""Each item of a step says one thing by its mark and its words: made at completion, a new
version due this round, an optional field left empty, present or missing."""

import re

from django.test import Client

from simpatik.testing.walker import complete_current, walk_to


def _item(html: str, key: str) -> str:
    match = re.search(rf'<li data-key="{key}"[^>]*>.*?</li>', html, re.S)
    assert match, key
    return match.group(0)


def _page(user, project, number) -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/proyek/{project.pk}/?langkah={number}").content.decode()


def test_a_letter_made_at_completion_is_not_marked_complete(project, team):
    item = _item(_page(team[0], project, 1), "surat_perintah")
    assert 'class="pending"' in item and "○" in item
    assert "dibuat saat langkah selesai" in item and ">lengkap<" not in item


def test_an_optional_field_left_empty_says_so(project, team):
    walk_to(project, team, 5)
    item = _item(_page(team[2], project, 5), "layanan_spbe")
    assert 'class="optional"' in item and "opsional, tidak diisi" in item
    assert "✓" not in item and ">lengkap<" not in item


def test_an_optional_document_never_uploaded_says_so_not_complete(project, team):
    walk_to(project, team, 10)
    pengembang = next(user for user in team if user.username == "pengembang")
    item = _item(_page(pengembang, project, 10), "foto_presentasi_rencana")
    assert 'class="optional"' in item and "opsional, tidak diisi" in item
    assert "(hasil, dokumen, opsional)" in item
    assert "✓" not in item and ">lengkap<" not in item


def test_a_new_round_names_the_earlier_choice_by_the_person_and_asks_anew(project, team):
    walk_to(project, team, 11)
    complete_current(project, team, decision="tidak_setuju", reason="Jadwal belum realistis")
    walk_to(project, team, 10)  # the plan's new round
    pengembang = next(user for user in team if user.username == "pengembang")
    teknis = next(user for user in team if user.username == "teknis")
    item = _item(_page(pengembang, project, 10), "penerima_presentasi_rencana")
    assert "Putaran sebelumnya</span>" in item or "Putaran sebelumnya" in item
    assert teknis.display_name in item and ": teknis<" not in item
    minutes = _item(_page(pengembang, project, 10), "berita_acara_presentasi_rencana")
    assert "perlu versi baru" in minutes and "✓" not in minutes and ">lengkap<" not in minutes


def test_the_sop_tables_marks_say_their_state_in_words(project, team):
    html = _page(team[0], project, 1)
    titles = set(re.findall(r'<span class="sym[^"]*" title="([^"]*)"', html))
    assert titles and not titles & {"done", "current", "pending", "returned"}, titles
