"""One monthly report per SOP in force: with the seed SOP and the OPD SOP running side by side,
each report counts its own SOP's projects and steps only and says which SOP it is about; the
worker makes one of each per month, once."""

import datetime as dt

import pytest

from simpatik.letters.models import Letter
from simpatik.letters.tests.helpers import text_of
from simpatik.notifications.models import Notification
from simpatik.oversight import services
from simpatik.oversight.jobs import monthly_report
from simpatik.oversight.models import MonthlyReport
from simpatik.projects.models import Project, StepRun
from simpatik.projects.services import start_project
from simpatik.sop.models import SopVersion
from simpatik.sop.services import load_definition
from simpatik.testing.personas import make_user
from simpatik.testing.runs import made_run
from simpatik.testing.sopfile import OPD_SOP

pytestmark = pytest.mark.django_db
WITA = dt.timezone(dt.timedelta(hours=8))
JANUARY = dt.date(2026, 1, 1)
SEED = "pengembangan-aplikasi-diskominfo"
OPD_KODE = "pengembangan-aplikasi-oleh-opd"


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=WITA)


@pytest.fixture
def people(sop, team, opd):
    opd_sop = load_definition(OPD_SOP.read_text()).version
    for role in opd_sop.definition.roles:
        if role["key"] in opd_sop.definition.opd_roles:
            make_user(role["key"], [role["key"]], opd=opd, first_name=role["nama"])
    SopVersion.objects.update(loaded_at=at(11, 1, year=2025))
    return {user.username: user for user in team}


@pytest.fixture
def january(people, opd):
    """Two seed projects (step 1 done in 1 and 3 days) and one OPD project (its step 1 done in
    2 days, its step 2 open and overdue at the end of January), all started in January."""
    kadis = people["kadis"]
    seed = [start_project(actor=kadis, nama=f"Aplikasi Induk {n}", opd=opd) for n in (1, 2)]
    own = start_project(actor=kadis, nama="Aplikasi Milik OPD", opd=opd, sop=OPD_KODE)
    projects = [*seed, own]
    StepRun.objects.filter(project__in=projects).delete()
    Project.objects.filter(pk__in=[p.pk for p in projects]).update(created_at=at(1, 5))
    for project, days in zip(seed, (1, 3), strict=True):
        made_run(project, 1, opened=at(1, 5), completed=at(1, 9), days=days, tepat_waktu=True)
    made_run(own, 1, opened=at(1, 5), completed=at(1, 7), days=2, tepat_waktu=True)
    made_run(own, 2, opened=at(1, 7), due_date=dt.date(2026, 1, 20), assignee=people["kasie"])
    return {"seed": seed, "own": own}


def test_each_sops_report_has_only_its_own_figures_and_title(january, people):
    seed_report, made = services.issue_monthly_report(JANUARY, actor=people["kadis"])
    own_report, made_too = services.issue_monthly_report(
        JANUARY, actor=people["kadis"], sop=OPD_KODE
    )
    assert made and made_too and (seed_report.sop, own_report.sop) == (SEED, OPD_KODE)
    seed_text, own_text = text_of(seed_report.letter), text_of(own_report.letter)

    assert "KINERJA SOP PENGEMBANGAN APLIKASI OLEH DISKOMIFO JANUARI 2026" in seed_text
    assert "Proyek dimulai 2 " in seed_text
    assert "Kadis Kominfo 1 2 2 2,8 100%" in seed_text  # step 1: 1 and 3 days, both in time
    assert "Tidak ada langkah yang terlambat pada akhir bulan." in seed_text
    assert "Milik OPD" not in seed_text and "OPD pemohon" not in seed_text

    assert "KINERJA SOP PENGEMBANGAN APLIKASI OLEH OPD JANUARI 2026" in own_text
    assert "SOP PENGEMBANGAN APLIKASI OLEH OPD (versi 1)" in own_text
    assert "Proyek dimulai 1 " in own_text
    assert "OPD pemohon menyampaikan rencana" in own_text  # its own steps, not the seed's
    assert "surat perintah pengembangan" not in own_text
    assert f"{january['own'].kode} Aplikasi Milik OPD 2 Sri Mokodompit 20 Januari 2026" in (
        own_text
    )
    assert "Aplikasi Induk" not in own_text
    # Both are in the one yearly register, each titled with its SOP.
    titles = sorted(Letter.objects.values_list("title", flat=True))
    assert titles == [
        "Laporan Bulanan Kinerja SOP PENGEMBANGAN APLIKASI OLEH DISKOMIFO Januari 2026",
        "Laporan Bulanan Kinerja SOP PENGEMBANGAN APLIKASI OLEH OPD Januari 2026",
    ]


def test_the_worker_makes_one_report_per_sop_and_month_once(people):
    outcome = monthly_report("2026-01-02")
    assert outcome == (f"{SEED}: dibuat; 3 diberi tahu · {OPD_KODE}: dibuat; 3 diberi tahu")
    assert sorted(MonthlyReport.objects.values_list("sop", "month")) == [
        (SEED, dt.date(2025, 12, 1)),
        (OPD_KODE, dt.date(2025, 12, 1)),
    ]
    # Again (a second worker, a retry, a later day): nothing made, nobody told twice.
    assert monthly_report("2026-01-02") == (
        f"{SEED}: sudah ada; 0 diberi tahu · {OPD_KODE}: sudah ada; 0 diberi tahu"
    )
    assert MonthlyReport.objects.count() == 2 and Letter.objects.count() == 2
    told = Notification.objects.filter(event="laporan.bulanan", recipient=people["kadis"])
    assert sorted(n.message.split(" terbit")[0] for n in told) == [
        "Laporan bulanan kinerja SOP PENGEMBANGAN APLIKASI OLEH DISKOMIFO Desember 2025",
        "Laporan bulanan kinerja SOP PENGEMBANGAN APLIKASI OLEH OPD Desember 2025",
    ]


def test_an_sop_loaded_after_the_month_gets_no_report_of_it(people):
    SopVersion.objects.filter(kode=OPD_KODE).update(loaded_at=at(1, 15))
    assert monthly_report("2026-01-02") == (
        f"{SEED}: dibuat; 3 diberi tahu · {OPD_KODE}: month_before_use"
    )
    assert list(MonthlyReport.objects.values_list("sop", flat=True)) == [SEED]


def test_the_dashboard_makes_the_chosen_sops_report_and_lists_its_sop(client, january, people):
    client.force_login(people["kadis"])
    page = client.get("/pengawasan/").content.decode()
    assert 'id="f-laporan-sop"' in page and f'<option value="{OPD_KODE}"' in page
    response = client.post(
        "/pengawasan/laporan-bulanan/", {"bulan": "2026-01", "sop": OPD_KODE}, follow=True
    )
    report = MonthlyReport.objects.get()
    assert report.sop == OPD_KODE
    page = response.content.decode()
    assert f"Laporan bulanan SOP {OPD_KODE} Januari 2026 diterbitkan" in page
    # The form keeps the SOP just reported on chosen.
    assert f'<option value="{OPD_KODE}" selected>' in page
    row = page.split(f'<tr data-sop="{OPD_KODE}">')[1].split("</tr>")[0]
    assert "PENGEMBANGAN APLIKASI OLEH OPD" in row and report.letter.number in row
    # Without a choice the seed SOP's report is made, as before; an unknown SOP makes nothing.
    client.post("/pengawasan/laporan-bulanan/", {"bulan": "2026-01"})
    assert sorted(MonthlyReport.objects.values_list("sop", flat=True)) == [SEED, OPD_KODE]
    refused = client.post(
        "/pengawasan/laporan-bulanan/", {"bulan": "2026-01", "sop": "tidak-ada"}, follow=True
    )
    assert "SOP &#x27;tidak-ada&#x27; tidak dikenal" in refused.content.decode()
    assert MonthlyReport.objects.count() == 2 and Letter.objects.count() == 2
