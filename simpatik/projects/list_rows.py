"""The cells of Tugas Saya's and the project list's rows, built once per row in Python.

Measured (bench/cpu_pages.py): a row that reads `run.project.opd`, tests a few `{% if %}`s and
translates a phrase cost the template engine about 450 Python calls, so 50 rows cost more than
the page's queries. The cells that combine several values and conditions are put together here
with `format_html` (every value escaped, as the template would); the table, its headings and the
simple cells stay in the templates.
"""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from simpatik.core.rows import days_left, short_date, url_of

# The columns Tugas Saya's rows read: the JSON of the step's values and draft, the project's
# description and the assignee's account are neither read nor decoded for a list.
TASK_ROW_FIELDS = (
    "id",
    "project_id",
    "step_number",
    "round",
    "role_key",
    "status",
    "opened_at",
    "due_date",
    "completed_at",
    "assignee_id",
    "opd_id",
    "project__id",
    "project__kode",
    "project__nama",
    "project__status",
    "project__opd_id",
    "project__sop_version_id",
    "project__opd__id",
    "project__opd__nama",
    "project__opd__singkatan",
    "opd__id",
    "opd__nama",
    "opd__singkatan",
)
# The project list's columns, and those of the open runs shown beside each project.
PROJECT_ROW_FIELDS = (
    "id",
    "kode",
    "nama",
    "status",
    "created_at",
    "opd_id",
    "sop_version_id",
    "opd__id",
    "opd__nama",
    "opd__singkatan",
)
OPEN_RUN_FIELDS = (
    "id",
    "project_id",
    "step_number",
    "status",
    "due_date",
    "completed_at",
    "opd_id",
)


def for_task_rows(runs):
    """`queries.task_runs` narrowed to what the page's rows print (the part's OPD joined too)."""
    return runs.select_related(None).select_related("project__opd", "opd").only(*TASK_ROW_FIELDS)


def _sop_badge(definition):
    return format_html(
        '<span class="badge sop" title="{}">{}</span>',
        definition.identitas.get("judul") or "",
        definition.kode,
    )


def add_task_cells(rows, *, show_sop: bool) -> None:
    """Tugas Saya: the project cell (link, name, whose part), the step cell (and its round), the
    due date and working days left."""
    opd_part = _("Bagian OPD")
    for run in rows:
        project = run.project
        url = url_of("projects:project", run.project_id)
        if run.opd_id:
            link = format_html('<a href="{}?opd={}">{}</a>', url, run.opd_id, project.kode)
            where = format_html("{} {}", opd_part, run.opd)
        else:
            link = format_html('<a href="{}">{}</a>', url, project.kode)
            where = project.opd
        badge = format_html(" {}", _sop_badge(project.definition)) if show_sop else ""
        run.project_cell = format_html(
            '{}<br><span class="small">{} · {}</span>{}', link, project.nama, where, badge
        )
        if run.round > 1:
            run.step_cell = format_html(
                '{} <span class="badge">{}</span>',
                run.step_number,
                _("putaran %(r)s") % {"r": run.round},
            )
        else:
            run.step_cell = run.step_number
        run.due_label = short_date(run.due_date)
        run.days_label = days_left(run.days)
        run.late_class = "late" if run.overdue else ""


def add_project_cells(projects, *, show_sop: bool) -> None:
    """The project list: the link, the SOP badge, and the current steps (one line per step, a
    step run per OPD as its most urgent part and how many parts are open)."""
    for project in projects:
        project.url = url_of("projects:project", project.pk)
        project.sop_cell = _sop_badge(project.definition) if show_sop else ""
        lines = []
        for run in project.now:
            parts = (
                format_html(" ({})", _("%(n)s bagian OPD") % {"n": run.parts}) if run.parts else ""
            )
            lines.append((run.step_number, parts, "late" if run.late else "", days_left(run.days)))
        project.now_cell = (
            format_html_join("<br>", '{}{} · <span class="{}">{}</span>', lines) if lines else "—"
        )
