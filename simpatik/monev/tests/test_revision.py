"""A recommendation of a signed evaluation becomes a draft SOP revision in one action."""

import pytest
from django.test import Client

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import Conflict, NotFound
from simpatik.monev import services
from simpatik.monev.questions import QUESTIONS
from simpatik.sop.models import SopVersion
from simpatik.sop.services import active_version, check_definition_text, load_definition


@pytest.fixture
def evaluation(semester, people):
    evaluation, _made = services.start_evaluation("2026-S1", actor=people["kabid"])
    answers = {key: {"jawaban": "ya", "catatan": ""} for key, _text in QUESTIONS}
    return services.save_answers(evaluation, answers, actor=people["kabid"])


@pytest.mark.django_db
def test_the_slow_step_becomes_a_draft_with_its_waktu_raised(evaluation, people, sop):
    signed = services.finish_evaluation(evaluation, actor=people["kabid"])
    client = Client()
    client.force_login(people["kabid"])
    page = client.get(f"/monev/{signed.pk}/").content.decode()
    assert 'name="rekomendasi" value="waktu-3"' in page
    assert 'value="kelengkapan-9"' not in page  # needs a person to say what to clarify
    response = client.post(f"/monev/{signed.pk}/revisi/", {"rekomendasi": "waktu-3"})
    assert response.status_code == 302
    (revision,) = signed.revisions.all()
    draft = revision.sop_version
    assert (draft.version, draft.draf, draft.berlaku) == (2, True, False)
    assert active_version().pk == sop.pk  # the version in force is untouched
    assert draft.definition.step(3).waktu == 5 and sop.definition.step(3).waktu == 2
    assert check_definition_text(draft.source).step(3).waktu == 5  # passes the loader
    changed = [
        (old, new)
        for old, new in zip(sop.source.splitlines(), draft.source.splitlines()[1:], strict=True)
        if old != new
    ]
    assert changed == [("    waktu: 2", "    waktu: 5")]
    assert draft.source.startswith(f"# Draf revisi dari {signed.letter.number}: Waktu langkah 3")
    assert draft.note == "Waktu langkah 3: 2 menjadi 5 hari kerja (evaluasi 2026-S1)"
    assert AuditRecord.objects.filter(action="sop.version.drafted").count() == 1
    audit = AuditRecord.objects.get(action="monev.revision.drafted")
    assert audit.actor == people["kabid"] and audit.data["version"] == 2
    # One action, once: again gives the same draft.
    assert services.make_revision(signed, "waktu-3", actor=people["kadis"]).pk == revision.pk
    assert SopVersion.objects.count() == 2
    assert "draf revisi versi 2" in client.get(f"/monev/{signed.pk}/").content.decode()
    # Loading the draft's text puts it in force, as any revision.
    assert load_definition(draft.source, actor=people["kadis"]).version.pk == draft.pk
    assert active_version().pk == draft.pk


@pytest.mark.django_db
def test_what_cannot_become_a_revision(evaluation, people):
    with pytest.raises(Conflict) as caught:
        services.make_revision(evaluation, "waktu-3", actor=people["kabid"])
    assert caught.value.code == "evaluation_not_final"
    signed = services.finish_evaluation(evaluation, actor=people["kabid"])
    for key in ("kelengkapan-9", "waktu-99", ""):
        with pytest.raises(NotFound):
            services.make_revision(signed, key, actor=people["kabid"])
    client = Client()
    client.force_login(people["kabid"])
    assert client.post(f"/monev/{signed.pk}/revisi/", {"rekomendasi": "x"}).status_code == 404
    assert SopVersion.objects.count() == 1


@pytest.mark.django_db
def test_a_waktu_already_raised_is_not_drafted_again(evaluation, people, sop):
    signed = services.finish_evaluation(evaluation, actor=people["kabid"])
    raised = sop.source.replace(
        "    waktu: 2\n    output: usulan kebutuhan", "    waktu: 6\n    output: usulan kebutuhan"
    )
    assert raised != sop.source
    load_definition(raised, actor=people["kadis"])
    with pytest.raises(Conflict) as caught:
        services.make_revision(signed, "waktu-3", actor=people["kabid"])
    assert caught.value.code == "already_revised"


@pytest.mark.django_db
def test_the_command_prints_the_form_and_writes_the_signed_report(evaluation, people, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("monev", "laporan", "--periode", "2026-S1", "--as", "kasie", stdout=out)
    text = out.getvalue()
    assert "      3  Ya                2        3       4  4,8          33%" in text
    assert "- Tinjau Waktu langkah 3" in text and "belum ditandatangani" in text
    with pytest.raises(CommandError):
        call_command("monev", "laporan", "--periode", "2026-S1", "--as", "pengembang")
    signed = services.finish_evaluation(evaluation, actor=people["kabid"])
    target = tmp_path / "laporan.pdf"
    out = StringIO()
    call_command(
        "monev", "laporan", "--periode", "2026-S1", "--as", "kabid", "--keluaran", str(target),
        stdout=out,
    )  # fmt: skip
    assert f"Laporan nomor {signed.letter.number}." in out.getvalue()
    assert (
        target.read_bytes().startswith(b"%PDF") and len(target.read_bytes()) == signed.letter.size
    )
