"""The project page's swimlane as HTML, written in Python (as core.rows does for list rows).

Through the template engine the grid (a row per step, a cell per role, and the list shown on
narrow screens) cost more than every query of the page together. What a step shows that is the
same for every project of its SOP version (its link, description, items, Waktu, Output and the
place of its mark) is built once per definition and language and kept; a request adds only its
runs: status, who, when, the working days and the documents. The markup is the one the
template wrote."""

from html import escape

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from simpatik.core.kept import Kept
from simpatik.core.rows import days_left, short_date, url_pattern

MARKS = {"done": "✓", "current": "●"}


def _local_date(moment) -> str:
    return short_date(timezone.localtime(moment).date())


_kept = Kept(64)  # (SOP version, language) -> (its definition, parts)


def _static(version_id, definition, language) -> dict:
    """Per step number: the parts of its table row and list item that no project changes;
    kept per SOP version (whose text never changes) and language (labels are translated)."""
    kept = _kept.get((version_id, language))
    if kept is None or kept[0] is not definition:
        kept = _kept.put((version_id, language), (definition, _parts(definition)))
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
                step.waktu_text(),
                step.output,
            ),
            "item": format_html(
                '\n    <a href="?langkah={n}#step-panel" hx-get="?langkah={n}"'
                ' hx-target="#step-panel"><strong>{n}.</strong> {uraian}</a>'
                '\n    <div class="small">{role} · {waktu}',
                n=n,
                uraian=step.uraian,
                role=definition.role_names[step.role],
                waktu=step.waktu_text(),
            ),
        }
    return parts


def _e(value) -> str:
    """conditional_escape without its lazy-string checks (core.rows.html_row's rule)."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def _words() -> dict:
    """The phrases every row may print, translated once per page."""
    return {
        "tahap": _e(_("Tahap")),
        "running": _e(_("sedang berjalan")),
        "done": _e(_("selesai")),
        "current": _e(_("berjalan")),
        "pending": _e(_("belum dimulai")),
    }


def _run_line(run, words) -> str:
    round_label = ""
    if run.round > 1:  # translated only where shown: most runs are a first round
        named = _("Putaran %(r)s") % {"r": run.round}
        round_label = f"<strong>{_e(named)}:</strong> "
    if run.status == "selesai":
        name = run.completed_by.display_name if run.completed_by_id else ""
        decision = f" — <em>{_e(run.decision_label)}</em>" if run.decision else ""
        reason = f" ({_e(run.reason)})" if run.reason else ""
        text = f"{_e(name)}, {_e(_local_date(run.completed_at))}{decision}{reason}\n        "
    else:
        text = words["running"]
        if run.assignee_id:
            text += f", {_e(run.assignee.display_name)}"
    return f"\n        <div>{round_label}\n        {text}</div>\n        "


def _done_by(run) -> str:
    """The list item's note of the latest run: who finished it and when, or who holds it."""
    if run is None or run.status != "selesai":
        return ""
    name = run.completed_by.display_name if run.completed_by_id else ""
    decision = f" — <em>{_e(run.decision_label)}</em>" if run.decision else ""
    return f" · {_e(name)}, {_e(_local_date(run.completed_at))}{decision}\n      "


def _row(row, static, words, document_url) -> tuple[str, str]:
    status = _e(row.status)
    mark = _e(MARKS.get(row.status, row.step.number))
    # The tooltip in words ("selesai"), not the status key ("done").
    said = _e(words[row.status] if row.status in MARKS else words["pending"])
    cells = (
        f'{static["before"]}{static["sym"]} title="{said}"><span>{mark}</span></span></td>'
        f"{static['after']}"
    )
    notes = "".join(
        f'<div class="small step-note" data-note="tahap">{words["tahap"]}: {_e(note)}</div>'
        for note in row.notes
    )
    if row.latest is not None:
        work = "".join(_run_line(run, words) for run in row.runs)
        if row.duration is not None:
            took = ngettext("%(d)s hari kerja", "%(d)s hari kerja", row.duration or 0)
            work += f"<div>{_e(took % {'d': row.duration})}</div>"
        work += "\n        "
        if row.status == "current":
            late = "late" if row.late else ""
            work += f'<div class="{late}">{_e(days_left(row.remaining))}</div>'
        work += "\n        "
        work += "".join(
            f'<div><a href="{_e(document_url.format(int(document.pk)))}">{_e(document.name)}</a>'
            f" v{_e(document.version)}</div>"
            for document in row.documents
        )
        work = "\n        " + work + "\n      "
    else:
        work = "—"
    table_row = (
        f'  <tr class="{status}" id="langkah-{_e(row.step.number)}" data-status="{status}">'
        f"\n    {static['head']}{notes}</td>\n    {cells}{static['tail']}{work}\n    </td>"
        "\n  </tr>\n  "
    )
    return table_row, _item(row, static, words)


def _item(row, static, words) -> str:
    run = row.latest
    status = _e(row.status)
    label = words[row.status] if row.status in MARKS else words["pending"]
    notes = "".join(f" · {_e(note)}" for note in row.notes)
    if run is not None and run.status == "selesai":
        state = _done_by(run)
    elif run is not None:
        who = f"{_e(run.assignee.display_name)}, " if run.assignee_id else ""
        late = "late" if row.late else ""
        state = f' · {who}<span class="{late}">{_e(days_left(row.remaining))}</span>'
    else:
        state = ""
    return (
        f'\n  <li class="{status}" data-step="{_e(row.step.number)}" data-status="{status}">'
        f'{static["item"]}{notes} · <span class="badge {status}">{label}</span>\n      '
        f"{state}</div>\n  </li>"
    )


def render(project, lanes) -> dict:
    """The table's rows and the list's items for the page (`lane_rows`, `lane_items`)."""
    static = _static(project.sop_version_id, project.definition, get_language())
    words, document_url = _words(), url_pattern("projects:document")
    rows, items = [], []
    for row in lanes:
        table_row, item = _row(row, static[row.step.number], words, document_url)
        rows.append(table_row)
        items.append(item)
    return {"lane_rows": mark_safe("".join(rows)), "lane_items": mark_safe("".join(items))}
