"""The project page's swimlane as HTML, written in Python (as core.rows does for list rows).

Through the template engine the grid (a row per step, a cell per role, and the list shown on
narrow screens) cost more than every query of the page together. What a step shows that is the
same for every project of its SOP version (its link, description, items, Waktu, Output and the
place of its mark) is built once per definition and language and kept; a request adds only its
runs: status, who, when, the working days and the documents. The markup is the one the
template wrote."""

from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from simpatik.core.rows import days_left, short_date, url_of

MARKS = {"done": "✓", "current": "●"}


def _local_date(moment) -> str:
    return short_date(timezone.localtime(moment).date())


_kept: dict = {}  # (SOP version, language) -> (its definition, parts)


def _static(version_id, definition, language) -> dict:
    """Per step number: the parts of its table row and list item that no project changes;
    kept per SOP version (whose text never changes) and language (labels are translated)."""
    kept = _kept.get((version_id, language))
    if kept is None or kept[0] is not definition:
        if len(_kept) > 64:
            _kept.clear()
        kept = _kept[(version_id, language)] = (definition, _parts(definition))
    return kept[1]


def _parts(definition) -> dict:
    roles = [role["key"] for role in definition.roles]
    first = definition.steps[0].number if definition.steps else None
    parts = {}
    for step in definition.steps:
        n = step.number
        lane = roles.index(step.role)
        kind = " decision" if step.is_decision else (" terminal" if n == first or step.end else "")
        items = (
            format_html(
                '<ul class="small">{}</ul>',
                mark_safe("".join(format_html("<li>{}</li>", item) for item in step.items)),
            )
            if step.items
            else ""
        )
        link = format_html(
            '<td><a href="?langkah={n}#step-panel" hx-get="?langkah={n}" hx-target="#step-panel"'
            ' aria-label="{label}">{n}</a></td>\n    <td class="uraian">{uraian}{items}',
            n=n,
            label=_("Rincian langkah %(n)s") % {"n": n},
            uraian=step.uraian,
            items=items,
        )
        parts[n] = {
            "head": link,
            "before": mark_safe('<td class="mark"></td>' * lane),
            "after": mark_safe('<td class="mark"></td>' * (len(roles) - lane - 1)),
            "sym": f'<td class="mark"><span class="sym{kind}"',
            "tail": format_html(
                '\n    <td>{}</td>\n    <td class="small">{}</td>\n    <td class="small">\n      ',
                step.waktu_label,
                step.output,
            ),
            "item": format_html(
                '\n    <a href="?langkah={n}#step-panel" hx-get="?langkah={n}"'
                ' hx-target="#step-panel"><strong>{n}.</strong> {uraian}</a>'
                '\n    <div class="small">{role} · {waktu}',
                n=n,
                uraian=step.uraian,
                role=definition.role_names[step.role],
                waktu=step.waktu_label,
            ),
        }
    return parts


def _run_line(run) -> str:
    round_label = (
        format_html("<strong>{}:</strong> ", _("Putaran %(r)s") % {"r": run.round})
        if run.round > 1
        else ""
    )
    if run.status == "selesai":
        text = format_html(
            "{}, {}{}{}\n        ",
            run.completed_by.display_name if run.completed_by_id else "",
            _local_date(run.completed_at),
            format_html(" — <em>{}</em>", run.decision_label) if run.decision else "",
            format_html(" ({})", run.reason) if run.reason else "",
        )
    else:
        text = conditional_escape(_("sedang berjalan"))
        if run.assignee_id:
            text += format_html(", {}", run.assignee.display_name)
    return format_html("\n        <div>{}\n        {}</div>\n        ", round_label, text)


def _done_by(run) -> str:
    """The list item's note of the latest run: who finished it and when, or who holds it."""
    if run is None:
        return ""
    if run.status == "selesai":
        return format_html(
            " · {}, {}{}\n      ",
            run.completed_by.display_name if run.completed_by_id else "",
            _local_date(run.completed_at),
            format_html(" — <em>{}</em>", run.decision_label) if run.decision else "",
        )
    return ""


def _row(row, static, roles_count) -> tuple[str, str]:
    status = row.status
    mark = MARKS.get(status, row.step.number)
    cells = format_html(
        '{}{} title="{}"><span>{}</span></span></td>{}',
        static["before"],
        mark_safe(static["sym"]),
        status,
        mark,
        static["after"],
    )
    notes = "".join(
        format_html('<div class="small step-note" data-note="tahap">{}: {}</div>', _("Tahap"), note)
        for note in row.notes
    )
    if row.latest is not None:
        work = "".join(_run_line(run) for run in row.runs)
        if row.duration is not None:
            work += format_html("<div>{}</div>", _("%(d)s hari kerja") % {"d": row.duration})
        work += "\n        "
        if status == "current":
            work += format_html(
                '<div class="{}">{}</div>', "late" if row.late else "", days_left(row.remaining)
            )
        work += "\n        "
        work += "".join(
            format_html(
                '<div><a href="{}">{}</a> v{}</div>',
                url_of("projects:document", document.pk),
                document.name,
                document.version,
            )
            for document in row.documents
        )
        work = "\n        " + work + "\n      "
    else:
        work = "—"
    table_row = format_html(
        '  <tr class="{s}" id="langkah-{n}" data-status="{s}">\n    {head}{notes}</td>\n    '
        "{cells}{tail}{work}\n    </td>\n  </tr>\n  ",
        s=status,
        n=row.step.number,
        head=static["head"],
        notes=mark_safe(notes),
        cells=cells,
        tail=static["tail"],
        work=mark_safe(work),
    )
    return table_row, _item(row, static)


def _item(row, static) -> str:
    run = row.latest
    status_label = {"done": _("selesai"), "current": _("berjalan")}.get(
        row.status, _("belum dimulai")
    )
    notes = "".join(format_html(" · {}", note) for note in row.notes)
    if run is not None and run.status == "selesai":
        state = _done_by(run)
    elif run is not None:
        state = format_html(
            ' · {}<span class="{}">{}</span>',
            format_html("{}, ", run.assignee.display_name) if run.assignee_id else "",
            "late" if row.late else "",
            days_left(row.remaining),
        )
    else:
        state = ""
    return format_html(
        '\n  <li class="{s}" data-step="{n}" data-status="{s}">{item}{notes}'
        ' · <span class="badge {s}">{label}</span>\n      {state}</div>\n  </li>',
        s=row.status,
        n=row.step.number,
        item=static["item"],
        notes=mark_safe(notes),
        label=status_label,
        state=mark_safe(state),
    )


def render(project, lanes) -> dict:
    """The table's rows and the list's items for the page (`lane_rows`, `lane_items`)."""
    static = _static(project.sop_version_id, project.definition, get_language())
    roles_count = len(project.definition.roles)
    rows, items = [], []
    for row in lanes:
        table_row, item = _row(row, static[row.step.number], roles_count)
        rows.append(table_row)
        items.append(item)
    return {"lane_rows": mark_safe("".join(rows)), "lane_items": mark_safe("".join(items))}
