"""The rows of Tugas Saya and of the project list, built once per row in Python.

Measured (bench/pages_cpu.py, Python calls of one request): a row that reads `run.project.opd`,
tests a few `{% if %}`s and translates a phrase cost the template engine about 450 calls, so 50
rows cost more than the page's queries. Here a row is one `html_row` (every value escaped, as
the template would) with what is the same for every row (the link pattern, the translated words,
the active language, the status labels) worked out once per page. The tables, their headings and
everything else of the pages stay in the templates (tasks.html, _project_rows.html).
"""

from django.db import connection
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from simpatik.accounts.models import Opd
from simpatik.core.precompiled import Precompiled
from simpatik.core.rows import days_left, html_row, short_date, url_pattern
from simpatik.core.sql import quote
from simpatik.projects.models import RUN_ROW_COLUMNS

# The columns Tugas Saya's rows read, as values (the OPDs joined): `TaskRow`s. The JSON of the
# step's values and draft, the project's description and the assignee's account are neither
# read nor decoded for a list.
TASK_ROW_FIELDS = (
    "id",
    "project_id",
    "step_number",
    "round",
    "opened_at",
    "due_date",
    "opd_id",
    "project__kode",
    "project__nama",
    "project__sop_version_id",
    "project__opd__nama",
    "project__opd__singkatan",
    "opd__nama",
    "opd__singkatan",
)


class TaskProject:
    """What Tugas Saya prints of a step's project (read as values: no model instances)."""

    __slots__ = ("pk", "kode", "nama", "sop_version_id", "opd")

    @property
    def definition(self):
        from simpatik.sop.models import definitions_by_version

        return definitions_by_version()[self.sop_version_id]


class TaskRow:
    """An open step as Tugas Saya lists it (`TASK_ROW_FIELDS`): what queries.task_rows and
    add_task_rows read of a StepRun, without making a StepRun, a Project and an Opd per row."""

    # The run's own columns ("id" as pk), then what the row is given and works out.
    __slots__ = (
        *("pk", *TASK_ROW_FIELDS[1:7]),
        *("opd", "project", "days", "overdue", "uraian", "returned", "row"),
    )
    completed_at = None  # an open step

    def __init__(self, pk, project_id, step_number, round_, opened_at, due_date, opd_id, *rest):
        kode, nama, sop_version_id, opd_nama, opd_singkatan, part_nama, part_singkatan = rest
        self.pk, self.project_id, self.step_number, self.round = pk, project_id, step_number, round_
        self.opened_at, self.due_date, self.opd_id = opened_at, due_date, opd_id
        self.opd = Opd.label(part_singkatan, part_nama) if opd_id else None
        project = self.project = TaskProject()
        project.pk, project.kode, project.nama = project_id, kode, nama
        project.sop_version_id, project.opd = sop_version_id, Opd.label(opd_singkatan, opd_nama)

    @property
    def step(self):
        return self.project.definition.step(self.step_number)


# The project list's columns (as values), and those of the open runs shown beside each project.
PROJECT_ROW_FIELDS = (
    "id",
    "kode",
    "nama",
    "status",
    "sop_version_id",
    "opd__nama",
    "opd__singkatan",
)
OPEN_RUN_FIELDS = ("project_id", "step_number", "due_date", "completed_at")
API_OPEN_RUN_FIELDS = ("project_id", *RUN_ROW_COLUMNS)


class ProjectRow:
    """What the project list prints of a project (read as values: no model instances)."""

    __slots__ = ("pk", "kode", "nama", "status", "sop_version_id", "opd", "open_runs", "now", "row")

    def __init__(self, pk, kode, nama, status, sop_version_id, opd_nama, opd_singkatan):
        self.pk, self.kode, self.nama, self.status = pk, kode, nama, status
        self.sop_version_id = sop_version_id
        self.opd = Opd.label(opd_singkatan, opd_nama)
        self.open_runs = self.now = self.row = None


class OpenRun:
    """What the project list prints of an open run (read as values: no model instances)."""

    __slots__ = ("project_id", "step_number", "due_date", "completed_at", "days", "late", "parts")

    def __init__(self, project_id, step_number, due_date, completed_at):
        self.project_id, self.step_number = project_id, step_number
        self.due_date, self.completed_at = due_date, completed_at
        self.days = self.late = self.parts = None


def for_project_rows(projects):
    """The project list's query as the values its rows print (the OPD joined): `ProjectRow`s."""
    return projects.values_list(*PROJECT_ROW_FIELDS)


class ApiOpenRun:
    """What the projects API writes of an open run (read as values: no model instances)."""

    __slots__ = API_OPEN_RUN_FIELDS

    def __init__(self, *values):
        for name, value in zip(API_OPEN_RUN_FIELDS, values, strict=True):
            setattr(self, name, value)


def _open_runs_of(fields, any_of: bool):
    """The open runs of some projects: `project_id = ANY(ids)` with one array of ids on
    PostgreSQL (one statement for every page, planned once per connection: an IN list of 50
    parameters was planned again on every request), an IN list of n ids elsewhere."""

    def build(**ids):
        from simpatik.projects.models import StepRun

        runs = StepRun.objects.filter(status=StepRun.Status.BERJALAN)
        if any_of:
            column = f"{quote(StepRun._meta.db_table)}.{quote('project_id')}"
            runs = runs.extra(where=[f"{column} = ANY(%s)"], params=[ids["ids"]])
        else:
            runs = runs.filter(project_id__in=list(ids.values()))
        return runs.order_by("step_number", "id").values_list(*fields)

    return build


# The open runs of a page of projects: one statement per columns (and, but on PostgreSQL, per
# number of projects), compiled once (core.precompiled).
_OPEN_RUNS: dict[tuple, Precompiled] = {}


def _open_runs_query(fields: tuple, n: int) -> tuple[Precompiled, bool]:
    any_of = connection.vendor == "postgresql"
    key = (fields, None if any_of else n)
    found = _OPEN_RUNS.get(key)
    if found is None:
        if any_of:
            stand_ins = {"ids": [-1_000_000_007, -1_000_000_008]}
        else:
            stand_ins = {f"p{i}": -1_000_000_007 - i for i in range(n)}
        found = _OPEN_RUNS.setdefault(key, Precompiled(_open_runs_of(fields, any_of), **stand_ins))
    return found, any_of


def add_open_runs(projects, fields: tuple = OPEN_RUN_FIELDS, make=OpenRun) -> None:
    """Each project's open runs by step (`project.open_runs`), in one query of plain values
    (what `queries.with_open_runs` gives as models, at a third of the Python calls): `make(*row)`
    of `fields`, the first of which is the project's id."""
    projects = list(projects)
    by_project = {project.pk: [] for project in projects}
    if by_project:
        query, any_of = _open_runs_query(fields, len(by_project))
        if any_of:
            ids = {"ids": list(by_project)}
        else:
            ids = {f"p{i}": pk for i, pk in enumerate(by_project)}
        for row in query.values(**ids):
            by_project[row[0]].append(make(*row))
    for project in projects:
        project.open_runs = by_project[project.pk]


def for_task_rows(runs):
    """`queries.task_runs` without its joins for display: Tugas Saya counts it as it is and reads
    its page as `TASK_ROW_FIELDS` (`TaskRow`; the OPDs joined for the page's 50 rows only)."""
    return runs.select_related(None)


def _sop_badge(definition):
    return html_row(
        '<span class="badge sop" title="{}">{}</span>',
        definition.identitas.get("judul") or "",
        definition.short_name,
    )


TASK_ROW = (
    "<tr>\n"
    '    <td><a href="{}">{}</a><br><span class="small">{} · {}</span>{}</td>\n'
    '    <td data-label="{}">{}{}</td>\n'
    "    <td>{}{}</td>\n"
    '    <td data-label="{}">{}<br><span class="{}">{}</span></td>\n'
    "  </tr>\n"
)


def add_task_rows(rows, *, show_sop: bool) -> None:
    """Tugas Saya: each run's table row (`run.row`): the project (link, name, whose part, SOP),
    the step (and its round), its description (and why it came back), the due date and the
    working days left."""
    language = get_language()
    project_url = url_pattern("projects:project")
    opd_part, step_label, due_label = _("Bagian OPD"), _("Langkah"), _("Batas waktu")
    returned = get_template("projects/_returned.html") if any(r.returned for r in rows) else None
    for run in rows:
        project = run.project
        url = project_url.format(run.project_id)
        if run.opd_id:
            url = f"{url}?opd={run.opd_id}"
            where = html_row("{} {}", opd_part, run.opd)
        else:
            where = project.opd
        badge = html_row(" {}", _sop_badge(project.definition)) if show_sop else ""
        round_badge = (
            html_row(' <span class="badge">{}</span>', _("putaran %(r)s") % {"r": run.round})
            if run.round > 1
            else ""
        )
        came_back = (
            html_row(
                '<div class="returned-task">{}</div>',
                returned.render({"returned": run.returned, "brief": True}),
            )
            if run.returned
            else ""
        )
        run.row = html_row(
            TASK_ROW,
            url,
            project.kode,
            project.nama,
            where,
            badge,
            step_label,
            run.step_number,
            round_badge,
            run.uraian,
            came_back,
            due_label,
            short_date(run.due_date, language),
            "late" if run.overdue else "",
            days_left(run.days, language),
        )


NOW_LINE = '{}{} · <span class="{}">{}</span>'
PROJECT_ROW = (
    '<tr><td><a href="{}">{}</a></td><td>{}</td><td data-label="{}">{}</td>{}\n'
    '    <td data-label="{}"><span class="badge {}">{}</span></td>\n'
    '    <td data-label="{}">{}</td></tr>\n'
)


def add_project_rows(projects, *, show_sop: bool) -> None:
    """The project list: each project's table row (`project.row`): link, name, OPD, SOP, status
    and the current steps (one line per step; a step run per OPD as its most urgent part and
    how many parts are open)."""
    from simpatik.projects.models import Project
    from simpatik.sop.models import definitions_by_version

    language = get_language()
    project_url = url_pattern("projects:project")
    statuses = {value: str(label) for value, label in Project.Status.choices}
    definitions = definitions_by_version() if show_sop else {}
    # Each cell's heading, which a phone prints beside it (table.stack).
    opd_label, sop_label = _("OPD"), _("SOP")
    status_label, now_label = _("Status"), _("Langkah saat ini")
    for project in projects:
        lines = [
            (
                run.step_number,
                html_row(" ({})", _("%(n)s bagian OPD") % {"n": run.parts}) if run.parts else "",
                "late" if run.late else "",
                days_left(run.days, language),
            )
            for run in project.now
        ]
        sop = (
            html_row(
                '<td data-label="{}">{}</td>',
                sop_label,
                _sop_badge(definitions[project.sop_version_id]),
            )
            if show_sop
            else ""
        )
        project.row = html_row(
            PROJECT_ROW,
            project_url.format(project.pk),
            project.kode,
            project.nama,
            opd_label,
            project.opd,
            sop,
            status_label,
            project.status,
            statuses.get(project.status, project.status),
            now_label,
            mark_safe("<br>".join(html_row(NOW_LINE, *line) for line in lines)) if lines else "—",
        )
