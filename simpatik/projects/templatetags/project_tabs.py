"""`{% project_tabs project current %}`: the tabs over every page of a project, in Python.

Through the template each tab cost a `{% url %}` (a reverse) and a `{% translate %}`; the
markup is the one projects/_tabs.html wrote."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from simpatik.core.rows import url_pattern

register = template.Library()
_CURRENT = ' aria-current="page"'


def _e(value) -> str:
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


@register.simple_tag
def project_tabs(project, current):
    pk = int(project.pk)
    tabs = [
        ("alur", url_pattern("projects:project").format(pk), _("Alur SOP")),
        ("riwayat", url_pattern("projects:project-history").format(pk), _("Riwayat")),
        ("dokumentasi", url_pattern("wiki:list").format(pk), _("Dokumentasi")),
        ("naskah", url_pattern("letters:project").format(pk), _("Naskah dinas")),
        (
            "lembar",
            f"{url_pattern('sop:sheet').format(int(project.sop_version_id))}?proyek={pk}",
            _("Lembar SOP"),
        ),
    ]
    links = "".join(
        f'\n  <a href="{_e(url)}"{_CURRENT if key == current else ""}>{_e(label)}</a>'
        for key, url, label in tabs
    )
    label = _("Bagian proyek")  # outside the f-string, where makemessages finds it
    return mark_safe(f'<nav class="tabs" aria-label="{_e(label)}">{links}\n</nav>')
