"""The evaluation questionnaire, the signed report it becomes, and what signing freezes."""

import io

import pytest
from django.test import Client
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import Conflict, PermissionDenied, ValidationError
from simpatik.letters.tests.helpers import pdf_bytes, raw_tokens, text_of
from simpatik.monev import services
from simpatik.monev.models import Evaluation
from simpatik.monev.questions import QUESTIONS

pytestmark = pytest.mark.django_db
KEYS = [key for key, _text in QUESTIONS]


def all_yes(**changes) -> dict:
    answers = {key: {"jawaban": "ya", "catatan": ""} for key in KEYS}
    answers.update(changes)
    return answers


@pytest.fixture
def evaluation(semester, people):
    evaluation, made = services.start_evaluation("2026-S1", actor=people["kabid"], via="web")
    assert made
    return evaluation


def test_every_question_needs_an_answer_and_a_no_needs_a_note(evaluation, people):
    wrong = all_yes(
        mendorong_kinerja={"jawaban": "", "catatan": ""},
        mudah_dipahami={"jawaban": "mungkin", "catatan": ""},
        mudah_dilaksanakan={"jawaban": "tidak", "catatan": "  "},
        sinergi={"jawaban": "ya", "catatan": "x" * 1001},
    )
    del wrong["peran_jelas"]
    with pytest.raises(ValidationError) as caught:
        services.save_answers(evaluation, wrong, actor=people["kabid"])
    assert caught.value.code == "answers_invalid"
    assert set(caught.value.data["errors"]) == {
        "mendorong_kinerja",
        "mudah_dipahami",
        "mudah_dilaksanakan",
        "sinergi",
        "peran_jelas",
    }
    evaluation.refresh_from_db()
    assert evaluation.answers == {}
    assert not AuditRecord.objects.filter(action="monev.evaluation.answered").exists()

    note = {"jawaban": "tidak", "catatan": "Langkah 3 sering lewat Waktu."}
    services.save_answers(evaluation, all_yes(mudah_dilaksanakan=note), actor=people["kabid"])
    evaluation.refresh_from_db()
    assert evaluation.answers["mudah_dilaksanakan"] == note
    record = AuditRecord.objects.get(action="monev.evaluation.answered")
    assert (record.data["ya"], record.data["tidak"]) == (6, 1)


def test_the_page_keeps_typed_values_on_errors_and_shows_the_evidence(evaluation, people):
    client = Client()
    client.force_login(people["kabid"])
    page = client.get(f"/monev/{evaluation.pk}/").content.decode()
    assert "Langkah yang sebagian besar pelaksanaannya melebihi Waktu: 3" in page
    assert "Pekerjaan dikembalikan 2 kali dari 3 keputusan" in page
    assert "Tinjau Waktu langkah 3" in page
    form = {f"{key}-jawaban": "ya" for key in KEYS}
    form["sinergi-jawaban"] = "tidak"
    form["mudah_dipahami-catatan"] = "Kelengkapan langkah 9 membingungkan"
    response = client.post(f"/monev/{evaluation.pk}/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kelengkapan langkah 9 membingungkan</textarea>" in page
    assert 'name="sinergi-jawaban" value="tidak" checked' in page
    assert "Jawaban Tidak perlu catatan" in page
    evaluation.refresh_from_db()
    assert evaluation.answers == {}
    form["sinergi-catatan"] = "Belum terhubung dengan SOP Inventarisasi"
    assert client.post(f"/monev/{evaluation.pk}/", form).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.answers["sinergi"]["catatan"] == "Belum terhubung dengan SOP Inventarisasi"


def test_signing_needs_every_answer(evaluation, people):
    with pytest.raises(ValidationError) as caught:
        services.finish_evaluation(evaluation, actor=people["kabid"])
    assert caught.value.code == "answers_incomplete"
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.letter_id) == ("draf", None)


@pytest.fixture
def signed(evaluation, people):
    answers = all_yes(sinergi={"jawaban": "tidak", "catatan": "Belum selaras dengan SOP OPD."})
    services.save_answers(evaluation, answers, actor=people["kabid"])
    return services.finish_evaluation(evaluation, actor=people["kadis"], via="web")


def test_the_signed_report_states_the_form_and_the_answers(signed, semester):
    letter = signed.letter
    assert (signed.status, signed.evaluator.username) == ("selesai", "kadis")
    text = text_of(letter)
    assert "LAPORAN MONITORING DAN EVALUASI SOP SEMESTER I TAHUN 2026" in text
    assert f"Nomor: {letter.number}" in text
    assert "Kepada Yth. Kepala Dinas Komunikasi Informatika dan Persandian" in text
    assert "Semester I Tahun 2026 (1 Januari 2026 – 30 Juni 2026)" in text
    # A. the monitoring form: step 3 ran 3 times, median 4 / p90 4,8, a third within Waktu
    assert (
        "Membuat usulan kebutuhan aplikasi Kasie e- Government Ya 2 hari kerja 3 4 / 4,8 33%"
        in text
    )
    assert "Kabid Aptika Tidak 1 hari kerja 0 — / — —" in text  # step 2 did not run
    assert "Tim Teknis Kominfo Ya 2 hari kerja 3 1 / 1 100% 2/3" in text  # step 11: 2 of 3 back
    assert "Tim Pengembang Ya 5 hari kerja 5 1 / 1 100% — 1,67" in text  # step 9's rounds
    assert f"1 komentar diskusi {semester['a'].kode}: Format usulan kebutuhan belum jelas." in text
    # B. the questionnaire with its evidence and the answers
    assert "Mampu mendorong peningkatan kinerja" in text
    assert "Sistem berjalan dalam sinergi satu dengan lainnya SOP terkait:" in text
    assert "Tidak Belum selaras dengan SOP OPD." in text
    # C. recommendations
    assert "Tinjau Waktu langkah 3: 67% pelaksanaan melebihi Waktu 2 hari kerja" in text
    assert "Perjelas Kelengkapan langkah 9" in text
    assert "Jawaban evaluasi diberikan oleh Aang Wardiman" in text and "WITA" in text
    assert letter.verification_code in text
    assert raw_tokens(text) == []


def test_the_report_is_sealed_and_verifiable(signed, tmp_path):
    letter = signed.letter
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(Client().get("/pki/ca.pem").content)
    context = ValidationContext(
        trust_roots=[load_cert_from_pemder(str(ca_file))], allow_fetching=False
    )
    (signature,) = PdfFileReader(io.BytesIO(pdf_bytes(letter))).embedded_signatures
    status = validate_pdf_signature(signature, context)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    page = Client().get(f"/verifikasi/{letter.verification_code}/").content.decode()
    assert letter.number in page and "Laporan Monitoring dan Evaluasi SOP" in page
    finished = AuditRecord.objects.get(action="monev.evaluation.finished")
    assert finished.data == {"periode": "2026-S1", "number": letter.number}


def test_the_dashboards_holders_download_the_report_and_others_do_not(signed, people):
    for persona, allowed in (("kasie", True), ("kabid", True), ("pengembang", False)):
        client = Client()
        client.force_login(people[persona])
        response = client.get(f"/naskah/{signed.letter_id}/unduh/")
        assert (response.status_code == 200) is allowed, persona


def test_a_signed_evaluation_is_frozen(signed, people, semester):
    kept = dict(signed.figures)
    with pytest.raises(Conflict) as caught:
        services.save_answers(signed, all_yes(), actor=people["kabid"])
    assert caught.value.code == "evaluation_final"
    with pytest.raises(Conflict):
        services.finish_evaluation(signed, actor=people["kabid"])
    client = Client()
    client.force_login(people["kabid"])
    form = {f"{key}-jawaban": "ya" for key in KEYS}
    assert client.post(f"/monev/{signed.pk}/", form).status_code == 409
    assert client.post(f"/monev/{signed.pk}/tandatangani/").status_code == 409
    # Later records do not change what the signed evaluation shows.
    semester["a"].step_runs.filter(step_number=3).update(working_days=1)
    signed.refresh_from_db()
    assert signed.answers["sinergi"]["jawaban"] == "tidak" and signed.figures == kept
    assert services.figures_for(signed)["steps"][2]["median"] == 4


def test_a_period_has_one_evaluation(evaluation, people):
    again, made = services.start_evaluation("2026-s1", actor=people["kadis"])
    assert not made and again.pk == evaluation.pk
    assert Evaluation.objects.count() == 1


@pytest.mark.parametrize("persona", ["kasie", "pengembang", "teknis"])
def test_only_evaluators_answer_sign_or_revise(evaluation, people, persona):
    user = people[persona]
    for action in (
        lambda: services.start_evaluation("2026", actor=user),
        lambda: services.save_answers(evaluation, all_yes(), actor=user),
        lambda: services.finish_evaluation(evaluation, actor=user),
        lambda: services.make_revision(evaluation, "waktu-3", actor=user),
    ):
        with pytest.raises(PermissionDenied):
            action()
    client = Client()
    client.force_login(user)
    form = {f"{key}-jawaban": "ya" for key in KEYS}
    assert client.post(f"/monev/{evaluation.pk}/", form).status_code == 403
    assert client.post(f"/monev/{evaluation.pk}/tandatangani/").status_code == 403
    evaluation.refresh_from_db()
    assert (evaluation.answers, evaluation.status) == ({}, "draf")


@pytest.mark.parametrize(
    ("persona", "status"), [("kasie", 200), ("pengembang", 403), ("opd_user", 403)]
)
def test_who_reads_the_monitoring_form(evaluation, people, opd_user, persona, status):
    client = Client()
    client.force_login(opd_user if persona == "opd_user" else people[persona])
    assert client.get("/monev/").status_code == status
    page = client.get(f"/monev/{evaluation.pk}/")
    assert page.status_code == status
    if status == 200:
        assert 'id="tandatangani"' not in page.content.decode()  # reads, cannot sign


def test_the_anonymous_are_sent_to_sign_in(evaluation):
    response = Client().get(f"/monev/{evaluation.pk}/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]
