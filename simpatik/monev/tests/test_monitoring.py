"""The monitoring form's figures, checked against a hand-built semester of known durations."""

import datetime as dt

import pytest

from simpatik.core.errors import ValidationError
from simpatik.monev.monitoring import monitoring_figures
from simpatik.monev.periods import parse_period
from simpatik.monev.recommendations import recommendations
from simpatik.sop.services import active_version

pytestmark = pytest.mark.django_db


def test_the_form_states_each_steps_figures(semester):
    figures = monitoring_figures(parse_period("2026-S1"), active_version())
    steps = {s["number"]: s for s in figures["steps"]}
    three = steps[3]
    assert (three["completed"], three["waktu"], three["median"], three["p90"]) == (3, 2, 4, 4.8)
    assert (three["on_time_share"], three["over_share"], three["dilaksanakan"]) == (
        0.333,
        0.667,
        True,
    )
    assert (steps[1]["completed"], steps[1]["over_share"]) == (2, 0.0)
    assert (steps[2]["completed"], steps[2]["dilaksanakan"]) == (0, False)
    assert (steps[11]["decided"], steps[11]["returned"]) == (3, 2)
    assert steps[9]["mean_rounds"] == 1.67
    assert (three["comments"], three["projects"]) == (1, 1)
    assert three["excerpts"] == [f"{semester['a'].kode}: Format usulan kebutuhan belum jelas."]
    assert steps[1]["comments"] == 0
    assert figures["projects"]["started"] == 3 and figures["projects"]["finished"] == 1
    assert figures["period"]["range_text"] == "1 Januari 2026 – 30 Juni 2026"
    kadis_row = next(r for r in figures["roles"] if r["role"] == "Kadis Kominfo")
    assert kadis_row["completed"] == 2


def test_a_later_semester_sees_none_of_it(semester):
    figures = monitoring_figures(parse_period("2026-S2"), active_version())
    assert all(s["completed"] == 0 for s in figures["steps"])
    assert recommendations(figures) == []


def test_recommendations_name_the_slow_step_and_the_loop(semester):
    found = recommendations(monitoring_figures(parse_period("2026"), active_version()))
    assert [r["key"] for r in found] == ["waktu-3", "kelengkapan-9"]
    waktu, loop = found
    assert (waktu["proposed_waktu"], waktu["revisable"], loop["revisable"]) == (5, True, False)
    assert "Tinjau Waktu langkah 3: 67% pelaksanaan melebihi Waktu 2 hari kerja" in waktu["text"]
    assert "(p90 4,8); usulan Waktu 5 hari kerja" in waktu["text"]
    assert loop["text"].startswith("Perjelas Kelengkapan langkah 9: keputusan langkah 11")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-S1", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        ("2026-s2", dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_periods_are_semesters_or_years(text, start, end):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["", "2026-S3", "26-S1", "2026-07", "2026 S1", "1999", "2999"])
def test_a_bad_or_future_period_is_refused(text):
    with pytest.raises(ValidationError) as caught:
        parse_period(text)
    assert caught.value.code in {"invalid_period", "period_not_started"}
