"""The laporan bulanan kinerja: its PDF states a hand-built month's figures, it is numbered and
sealed like every letter, and the worker makes it once, on the first working day of a month."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils.html import strip_tags
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from simpatik.accounts.models import Opd
from simpatik.audit.models import AuditRecord
from simpatik.audit.sentences import describe
from simpatik.core.errors import PermissionDenied, ValidationError
from simpatik.core.workdays import working_days_between
from simpatik.jobs import services as jobs
from simpatik.jobs.models import Job
from simpatik.letters.models import Letter
from simpatik.letters.tests.helpers import pdf_bytes, raw_tokens, text_of
from simpatik.notifications.models import Notification
from simpatik.oversight import services
from simpatik.oversight.jobs import monthly_report
from simpatik.oversight.models import MonthlyReport
from simpatik.projects.models import Need, Project, StepRun
from simpatik.projects.services import start_project
from simpatik.sop.models import SopVersion
from simpatik.testing.runs import made_run

pytestmark = pytest.mark.django_db
WITA = dt.timezone(dt.timedelta(hours=8))
JANUARY = dt.date(2026, 1, 1)


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=WITA)


@pytest.fixture
def people(team):
    return {user.username: user for user in team}


@pytest.fixture
def in_use_since_2025(sop):
    """SIMPATIK has been in use since before the months these tests report."""
    SopVersion.objects.update(loaded_at=at(11, 1, year=2025))


@pytest.fixture
def january(in_use_since_2025, people, opd):
    """January 2026 with known durations (working days), built by hand.

    Step 1 took 1, 2 and 4 days (the last late); step 2 took 0 and 3 (late); step 3 took 2
    (late); step 11 sent one plan back to step 9; project C was suspended at step 7; project B
    finished on 20 January from a request of 10 December. At the end of January two steps were
    overdue: A's step 3 (due 22 January, held by the Kasie, completed only on 4 February) and A's
    step 9 in its second round (due 28 January, nobody assigned).
    """
    kadis, kasie = people["kadis"], people["kasie"]
    dinkes = Opd.objects.create(kode="dinkes", nama="Dinas Kesehatan", singkatan="Dinkes")
    b_need = Need.objects.create(
        nomor="U-0", judul="B", opd=opd, latar_belakang="x", created_by=kadis, status="diproses"
    )
    Need.objects.filter(pk=b_need.pk).update(created_at=at(12, 10, year=2025))
    a, b, c = (
        start_project(actor=kadis, nama=f"Aplikasi {name}", opd=agency)
        for name, agency in (("A", opd), ("B", opd), ("C", dinkes))
    )
    StepRun.objects.filter(project__in=[a, b, c]).delete()
    Project.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(created_at=at(1, 5))
    Project.objects.filter(pk=b.pk).update(
        need=b_need, status=Project.Status.SELESAI, finished_at=at(1, 20)
    )
    Project.objects.filter(pk=c.pk).update(status=Project.Status.DITANGGUHKAN)
    for project, days, in_time in ((a, 1, True), (b, 2, True), (c, 4, False)):
        made_run(project, 1, opened=at(1, 5), completed=at(1, 12), days=days, tepat_waktu=in_time,
             completed_by=kadis)  # fmt: skip
    made_run(a, 2, opened=at(1, 12), completed=at(1, 12, 15), days=0, tepat_waktu=True)
    made_run(b, 2, opened=at(1, 12), completed=at(1, 15), days=3, tepat_waktu=False)
    made_run(b, 3, opened=at(1, 15), completed=at(1, 21), days=2, tepat_waktu=False, completed_by=kasie)
    made_run(c, 7, opened=at(1, 14), completed=at(1, 15), days=1, tepat_waktu=True)
    made_run(
        a,
        11,
        opened=at(1, 20),
        completed=at(1, 21),
        days=1,
        tepat_waktu=True,
        decision="tidak_setuju",
    )
    made_run(b, 11, opened=at(1, 16), completed=at(1, 19), days=1, tepat_waktu=True, decision="setuju")
    made_run(a, 9, opened=at(1, 26), due_date=dt.date(2026, 1, 28), round=2)
    made_run(a, 3, opened=at(1, 19), completed=at(2, 4), days=12, tepat_waktu=False,
         due_date=dt.date(2026, 1, 22), assignee=kasie, completed_by=kasie)  # fmt: skip
    made_run(a, 1, opened=at(12, 1, year=2025), completed=at(12, 2, year=2025), days=30)  # December
    for nomor, status in (("U-1", "diproses"), ("U-2", "ditolak")):
        need = Need.objects.create(
            nomor=nomor, judul=nomor, opd=opd, latar_belakang="x", created_by=kadis, status=status
        )
        Need.objects.filter(pk=need.pk).update(created_at=at(1, 8))
    return {"a": a, "b": b, "c": c}


def test_the_monthly_report_states_the_months_figures(january, people):
    report, made = services.issue_monthly_report(JANUARY, actor=people["kabid"], via="web")
    assert made and report.month == JANUARY
    text = text_of(report.letter)
    assert "LAPORAN BULANAN KINERJA PENGEMBANGAN APLIKASI JANUARI 2026" in text
    assert f"Nomor: {report.letter.number}" in text
    assert "Kepada Yth. Kepala Dinas Komunikasi Informatika dan Persandian" in text
    assert "bulan Januari 2026 (1–31 Januari 2026)" in text
    # A. projects started, finished, suspended; request-to-approval lead time
    lead = working_days_between(dt.date(2025, 12, 10), dt.date(2026, 1, 20))
    assert "Proyek dimulai 3 Proyek selesai 1 Proyek ditangguhkan 1" in text
    assert f"(median / p90, hari kerja) {lead} / {lead}" in text
    assert "Langkah terlambat pada akhir bulan 2" in text
    # B. per step: Waktu, completed, median, p90 (decimal comma), share on time; * = bottleneck
    assert "Kadis Kominfo 1 3 2 3,6 67%" in text  # step 1 (the December run left out)
    assert "1,5 2,7 50%" in text  # step 2: 0 and 3 days
    assert "Government 2 1 2 2 0%" in text  # step 3 (Kasie): Waktu 2, one run of 2 days, late
    for number in (1, 2, 3):
        assert f" {number}* " in text
    # C. bottlenecks named with their figures
    assert "Langkah 3 (Kasie e-Government): 0% tepat waktu dari 1 diselesaikan" in text
    # D. loops: step 11 decided twice, sent back to 9 once, two rounds of step 9
    assert "11 Tidak setuju (susun ulang rencana) 9 2 1 2" in text
    # E. overdue at the end of January, with holders and working days late
    assert "Langkah terlambat pada akhir bulan (31 Januari 2026)" in text
    late_3 = working_days_between(dt.date(2026, 1, 22), dt.date(2026, 1, 31))
    late_9 = working_days_between(dt.date(2026, 1, 28), dt.date(2026, 1, 31))
    assert (late_3, late_9) == (6, 2)
    assert f"Aplikasi A 3 Sri Mokodompit 22 Januari 2026 {late_3}" in text
    assert f"Aplikasi A 9 Tim Pengembang 28 Januari 2026 {late_9}" in text
    # F. workload: open at the month's end, completed within it
    assert "Aang Wardiman 0 3" in text and "Sri Mokodompit 1 1" in text
    # G. requests per OPD and what became of them
    assert "Badan Kepegawaian dan PSDM 2 0 1 1 0 0" in text
    # Made when, by whom, and sealed by SIMPATIK with its verification code
    assert "WITA atas permintaan Rahmat Pontoh" in text
    assert "SIMPATIK (sistem)" in text and report.letter.verification_code in text
    assert raw_tokens(text) == []


def test_the_report_is_sealed_by_simpatik_and_verifiable(january, people, tmp_path):
    report, _made = services.issue_monthly_report(JANUARY, actor=people["kadis"], via="web")
    letter = report.letter
    assert (letter.ditandatangani, letter.status, letter.project_id) == (True, "berlaku", None)
    assert letter.signer.username == "simpatik-sistem"
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(Client().get("/pki/ca.pem").content)
    context = ValidationContext(
        trust_roots=[load_cert_from_pemder(str(ca_file))], allow_fetching=False
    )
    data = pdf_bytes(letter)
    (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    status = validate_pdf_signature(signature, context)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert "SIMPATIK" in status.signing_cert.subject.human_friendly

    page = Client().get(f"/verifikasi/{letter.verification_code}/").content.decode()
    assert letter.number in page and "Laporan Bulanan Kinerja" in page
    upload = io.BytesIO(data)
    upload.name = "laporan.pdf"
    checked = Client().post(f"/verifikasi/{letter.verification_code}/", {"file": upload})
    assert "Cocok" in checked.content.decode()

    issued = AuditRecord.objects.get(action="letter.issued", object_id=str(letter.pk))
    assert issued.actor == people["kadis"] and issued.data["month"] == "2026-01"
    (entry,) = describe([issued])
    assert f"Aang Wardiman menerbitkan Laporan bulanan nomor {letter.number}" in strip_tags(
        entry.sentence
    )


def test_a_month_has_one_report(january, people):
    first, made = services.issue_monthly_report(JANUARY, actor=people["kadis"])
    again, made_again = services.issue_monthly_report(dt.date(2026, 1, 17), actor=people["kasie"])
    assert made and not made_again and again.pk == first.pk
    assert Letter.objects.filter(kind="laporan_bulanan").count() == 1


def test_a_month_not_over_or_before_simpatik_or_a_non_holder_is_refused(in_use_since_2025, people):
    with pytest.raises(ValidationError) as refused:
        services.issue_monthly_report(dt.date.today(), actor=people["kadis"])
    assert refused.value.code == "month_not_over"
    with pytest.raises(ValidationError) as refused:
        services.issue_monthly_report(dt.date(2025, 9, 1), actor=people["kadis"])
    assert refused.value.code == "month_before_use"
    with pytest.raises(PermissionDenied):
        services.issue_monthly_report(JANUARY, actor=people["teknis"])
    for text in ("2026-13", "2026-1", "Januari", ""):
        with pytest.raises(ValidationError) as refused:
            services.parse_month(text)
        assert refused.value.code == "invalid_month"
    assert not Letter.objects.exists() and not MonthlyReport.objects.exists()


def test_the_worker_makes_it_on_the_first_working_day_once(in_use_since_2025, people):
    # 1 January 2026 is New Year's Day: December's report waits for Friday 2 January.
    assert monthly_report("2026-01-01") == "menunggu hari kerja pertama"
    assert not MonthlyReport.objects.exists()
    assert monthly_report("2026-01-02") == "dibuat; 3 diberi tahu"
    (december,) = MonthlyReport.objects.all()
    assert december.month == dt.date(2025, 12, 1) and december.requested_by is None
    told = Notification.objects.filter(event="laporan.bulanan")
    assert {n.recipient.username for n in told} == {"kadis", "kabid", "kasie"}
    assert all(december.letter.number in n.message for n in told)
    assert told[0].url == f"/naskah/{december.letter_id}/unduh/"
    # A second run (another worker, a retry) and the days after make and tell nothing more.
    assert monthly_report("2026-01-02") == "sudah ada; 0 diberi tahu"
    assert monthly_report("2026-01-05") == "sudah ada; 0 diberi tahu"
    assert MonthlyReport.objects.count() == 1 and told.count() == 3
    # 1 February 2026 is a Sunday: January's report comes on Monday 2 February.
    assert monthly_report("2026-02-01") == "menunggu hari kerja pertama"
    assert MonthlyReport.objects.count() == 1
    assert monthly_report("2026-02-02") == "dibuat; 3 diberi tahu"
    assert list(MonthlyReport.objects.values_list("month", flat=True)) == [
        dt.date(2026, 1, 1),
        dt.date(2025, 12, 1),
    ]


def test_a_first_working_day_the_worker_missed_is_made_up_the_next(in_use_since_2025, people):
    assert monthly_report("2026-02-03") == "dibuat; 3 diberi tahu"
    assert MonthlyReport.objects.get().month == JANUARY


def test_the_worker_leaves_alone_a_month_before_simpatik_was_used(sop, people):
    assert monthly_report("2026-02-02") == "month_before_use"
    assert not Letter.objects.exists()


def test_the_schedule_runs_the_report_daily_through_the_job_runner(in_use_since_2025, people):
    started = jobs.tick(at(2, 2, 7))
    (job,) = [j for j in started if j.name == "oversight.monthly_report"]
    assert jobs.run(job.pk) == "berhasil"  # on any real day: waiting, made or already there
    assert Job.objects.get(pk=job.pk).status == Job.Status.BERHASIL


def test_dashboard_holders_make_list_and_download_reports(client, january, people):
    client.force_login(people["teknis"])
    assert client.post("/pengawasan/laporan-bulanan/", {"bulan": "2026-01"}).status_code == 403
    client.force_login(people["kasie"])
    response = client.post("/pengawasan/laporan-bulanan/", {"bulan": "2026-01"}, follow=True)
    report = MonthlyReport.objects.get()
    page = response.content.decode()
    assert f"Laporan bulanan Januari 2026 diterbitkan dengan nomor {report.letter.number}" in page
    assert "Buat laporan bulanan" in page and f"/naskah/{report.letter_id}/unduh/" in page
    again = client.post("/pengawasan/laporan-bulanan/", {"bulan": "2026-01"}, follow=True)
    assert "sudah ada" in again.content.decode() and MonthlyReport.objects.count() == 1
    bad = client.post("/pengawasan/laporan-bulanan/", {"bulan": "2026-13"}, follow=True)
    assert "Bulan harus berformat TTTT-BB" in bad.content.decode()
    download = client.get(f"/naskah/{report.letter_id}/unduh/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes(report.letter)
    for outsider in (people["teknis"], people["pengembang"]):
        client.force_login(outsider)
        assert client.get(f"/naskah/{report.letter_id}/unduh/").status_code == 404


def test_the_plh_of_the_kadis_is_told_of_the_report_and_the_official_away_is_not(
    in_use_since_2025, people
):
    from django.utils import timezone

    from simpatik.accounts import services as accounts
    from simpatik.accounts.models import Role
    from simpatik.testing.personas import make_user

    # The Plh holds no role of their own: only the delegation gives them the dashboard.
    stand_in = make_user("plh-kadis", [], first_name="Rudi", last_name="Plh")
    today = timezone.localdate()
    accounts.delegate(
        people["kadis"],
        actor=people["kadis"],
        to_user=stand_in,
        role=Role.objects.get(key="kadis"),
        starts_on=today,
        ends_on=today + dt.timedelta(days=5),
        reason="Dinas luar",
    )
    assert monthly_report("2026-01-02") == "dibuat; 3 diberi tahu"
    told = Notification.objects.filter(event="laporan.bulanan")
    assert {n.recipient.username for n in told} == {"plh-kadis", "kabid", "kasie"}
