"""The oversight figures against a hand-built set of projects with known durations."""

import datetime as dt
import io
import math
import random
import re
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from simpatik.accounts.models import Opd
from simpatik.core.workdays import working_days_between
from simpatik.oversight.stats import Filters, compute, percentile, percentile_of_counts
from simpatik.projects.models import Need, Project, StepRun
from simpatik.projects.services import start_project
from simpatik.testing.walker import complete_current, open_run

pytestmark = pytest.mark.django_db
WITA = dt.timezone(dt.timedelta(hours=8))


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=WITA)


def run(
    project,
    step,
    *,
    opened,
    completed=None,
    days=None,
    tepat_waktu=None,
    due=None,
    decision="",
    round_=1,
):
    return StepRun.objects.create(
        project=project,
        step_number=step,
        round=round_,
        role_key="kasie",
        status="selesai" if completed else "berjalan",
        opened_at=opened,
        completed_at=completed,
        working_days=days,
        tepat_waktu=tepat_waktu,
        due_date=due,
        decision=decision,
    )


@pytest.fixture
def office(kadis, kasie, opd, sop):
    """Three projects; step 1 took 1, 2 and 4 working days (the last one late)."""
    other = Opd.objects.create(kode="dinkes", nama="=HYPERLINK(1)", singkatan="")
    projects = []
    for index, agency in enumerate([opd, opd, other]):
        project = start_project(actor=kadis, nama=f"Aplikasi {index}", opd=agency)
        StepRun.objects.filter(project=project).delete()
        projects.append(project)
    for project, days, tepat_waktu in zip(projects, [1, 2, 4], [True, True, False], strict=True):
        run(
            project,
            1,
            opened=at(2),
            completed=at(9),
            days=days,
            tepat_waktu=tepat_waktu,
            due=dt.date(2026, 11, 5),
        )
    run(projects[0], 2, opened=at(10), completed=at(11), days=0, tepat_waktu=True)
    run(projects[1], 2, opened=at(10), completed=at(13), days=3, tepat_waktu=False)
    run(
        projects[2],
        1,
        opened=at(2) - dt.timedelta(days=60),
        completed=at(2) - dt.timedelta(days=59),
        days=30,
    )
    run(projects[0], 11, opened=at(12), completed=at(13), days=1, decision="tidak_setuju")
    run(projects[0], 9, opened=at(13), round_=2, due=None)
    run(projects[1], 11, opened=at(12), completed=at(13), days=1, decision="setuju")
    late = run(projects[2], 3, opened=at(16), due=dt.date(2026, 11, 18))
    late.assignee = kasie
    late.save()
    Project.objects.filter(pk=projects[1].pk).update(status="selesai", finished_at=at(20))
    Need.objects.create(
        nomor="U-1", judul="A", opd=opd, latar_belakang="x", created_by=kadis, status="diproses"
    )
    Need.objects.create(
        nomor="U-2", judul="B", opd=opd, latar_belakang="x", created_by=kadis, status="ditolak"
    )
    return projects


def test_percentiles_interpolate_like_postgresql():
    assert percentile([1, 2, 4], 0.5) == 2
    assert percentile([1, 2, 4], 0.9) == 3.6
    assert percentile([], 0.5) is None


def test_histogram_percentiles_are_percentile_cont():
    """The figures read percentiles off a histogram of working days: the same numbers as
    interpolating the sorted list, and (on PostgreSQL) as percentile_cont itself."""
    rng = random.Random(7)
    samples = [[rng.randint(0, 40) for _ in range(rng.randint(1, 80))] for _ in range(60)]
    samples += [[3], [0, 0], [5, 1], [2, 2, 2, 9]]
    for values in samples:
        ordered = sorted(values)
        for share in (0.5, 0.9):
            position = (len(ordered) - 1) * share
            low, high = math.floor(position), math.ceil(position)
            expected = round(ordered[low] + (ordered[high] - ordered[low]) * (position - low), 1)
            assert percentile_of_counts(Counter(values), share) == expected, (values, share)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT percentile_cont(%s) WITHIN GROUP (ORDER BY v) "
                        "FROM unnest(%s::int[]) AS v",
                        [share, values],
                    )
                    assert round(cursor.fetchone()[0], 1) == expected
    assert percentile_of_counts({}, 0.5) is None


def test_step_figures_against_known_durations(office, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 11, 23))
    figures = compute(Filters(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30)))
    steps = {s["number"]: s for s in figures["steps"]}
    assert steps[1]["completed"] == 3  # the run from September is outside the period
    assert (steps[1]["median"], steps[1]["p90"]) == (2, 3.6)
    assert steps[1]["on_time_share"] == pytest.approx(2 / 3, abs=0.001)
    assert steps[1]["over_standard"] is True  # median 2 against a Waktu of 1
    assert (steps[2]["median"], steps[2]["on_time_share"]) == (1.5, 0.5)
    assert steps[1]["bottleneck"] and steps[2]["bottleneck"]
    assert steps[5]["completed"] == 0 and steps[5]["median"] is None
    loops = {loop["step"]: loop for loop in figures["loops"]}
    assert (loops[11]["decided"], loops[11]["returned"], loops[11]["returns_to"]) == (2, 1, 9)
    assert loops[11]["mean_rounds"] == 2
    (late,) = figures["overdue"]
    assert late["step"] == 3 and late["holder"] == "Sri Mokodompit"
    assert late["late_working_days"] == working_days_between(
        dt.date(2026, 11, 18), dt.date(2026, 11, 23)
    )
    assert figures["projects"]["finished"] == 1 and figures["projects"]["started"] == 3
    (kasie_load,) = [w for w in figures["workload"] if w["username"] == "kasie"]
    assert kasie_load["open"] == 1
    (requests,) = figures["requests"]
    assert (requests["total"], requests["diproses"], requests["ditolak"]) == (2, 1, 1)


def test_filters_narrow_the_figures(office, opd):
    figures = compute(
        Filters(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), opd_id=opd.pk, step=1)
    )
    assert [s["number"] for s in figures["steps"]] == [1]
    assert figures["steps"][0]["completed"] == 2


def test_completing_a_step_records_its_working_days(project, team):
    opened = timezone.now() - dt.timedelta(days=9)
    StepRun.objects.filter(project=project).update(opened_at=opened)
    done = complete_current(project, team)
    done.refresh_from_db()
    assert done.working_days == working_days_between(
        timezone.localdate(opened), timezone.localdate()
    )
    assert done.tepat_waktu is (timezone.localdate() <= done.due_date)
    assert open_run(project).working_days is None


def test_dashboard_is_for_kadis_kabid_and_kasie_only(client, office, kasie, teknis, opd_user):
    for user, status in [(kasie, 200), (teknis, 403), (opd_user, 403)]:
        client.force_login(user)
        assert client.get("/pengawasan/?dari=2026-11-01&sampai=2026-11-30").status_code == status
        assert client.get("/api/v1/stats/?dari=2026-11-01&sampai=2026-11-30").status_code == status
    client.force_login(kasie)
    page = client.get("/pengawasan/?dari=2026-11-01&sampai=2026-11-30").content.decode()
    assert "<svg" in page and "Waktu baku" in page and "hambatan" in page
    # The overdue row: a link to its project, the step, who holds it, and the working days late.
    late, today = office[2], timezone.localdate()
    days = working_days_between(dt.date(2026, 11, 18), today)
    assert (
        f'<tr><td><a href="/proyek/{late.pk}/">{late.kode}</a> Aplikasi 2</td><td>3</td>'
        f'<td>Sri Mokodompit</td><td>18 Nov 2026</td><td class="late">{days} hari kerja</td></tr>'
    ) in page
    assert "Ringkasan (1 Nov 2026 – 30 Nov 2026)" in page  # not 2026-11-01 – 2026-11-30
    # Each chart says what it shows and what its colours are, in words people see.
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page, re.S)
    assert len(captions) == 2 and all("chart-key" in caption for caption in captions)
    assert "Waktu baku" in captions[0] and "Median" in captions[0]
    # Each language is named in its own language in the selector ("English", not "Inggris").
    assert ">English</option>" in page and ">Bahasa Indonesia</option>" in page
    # The SOP version filter names versions in words, not by the SOP's code.
    assert ">versi 1</option>" in page and "pengembangan-aplikasi-diskominfo 1<" not in page


@pytest.mark.parametrize(
    "query,code",
    [
        ("dari=2026-13-01", "invalid_date"),
        ("dari=2026-11-31", "invalid_date"),
        ("langkah=%C2%B2", "not_a_number"),
        ("dari=2026-11-05&sampai=2026-11-01", "invalid_period"),
        ("orang=99999999999999999999", "invalid_number"),
    ],
)
def test_bad_filters_are_a_clear_400(client, kasie, query, code):
    client.force_login(kasie)
    response = client.get(f"/api/v1/stats/?{query}")
    assert response.status_code == 400 and response.json()["code"] == code
    assert client.get(f"/pengawasan/?{query}").status_code == 400


def test_the_xlsx_export_has_every_table_and_no_formula(client, office, kasie):
    client.force_login(kasie)
    response = client.get("/pengawasan/ekspor.xlsx?dari=2026-11-01&sampai=2026-11-30")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Ringkasan",
        "Langkah",
        "Putaran",
        "Terlambat",
        "Beban kerja",
        "Usulan per OPD",
    ]
    cells = [cell for row in book["Terlambat"].iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert any(cell.value == "Aplikasi 2" for cell in cells)


def test_the_dashboard_spans_every_sop_and_filters_by_one(client, second_sop, kasie, kadis, opd):
    seed = start_project(actor=kadis, nama="Aplikasi Benih", opd=opd)
    start_project(actor=kadis, nama="Aplikasi OPD", opd=opd, sop=second_sop.kode)
    client.force_login(kasie)
    both = client.get("/api/v1/stats/").json()
    assert both["projects"]["started"] == 2
    # Step figures read one SOP: the seed's unless another is chosen.
    assert both["sop"] == seed.sop_version.kode and len(both["steps"]) == 18
    one = client.get(f"/api/v1/stats/?sop={second_sop.kode}").json()
    assert one["projects"]["started"] == 1
    assert one["sop"] == second_sop.kode
    assert [s["number"] for s in one["steps"]] == [1, 2, 3]
    unknown = client.get("/api/v1/stats/?sop=tidak-ada")
    assert unknown.status_code == 400 and unknown.json()["code"] == "sop_unknown"
    page = client.get(f"/pengawasan/?sop={second_sop.kode}").content.decode()
    assert 'name="sop"' in page
