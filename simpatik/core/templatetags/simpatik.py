from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from simpatik.core.files import DEFAULT_ACCEPT
from simpatik.core.files import accept_attribute as _accept_attribute

register = template.Library()


@register.filter
def sisa_waktu(days):
    """Remaining working days as people say it: late, due today, or days left."""
    if days is None:
        return _("tanpa batas waktu")
    if days < 0:
        return ngettext("terlambat %(n)d hari kerja", "terlambat %(n)d hari kerja", -days) % {
            "n": -days
        }
    if days == 0:
        return _("jatuh tempo hari ini")
    return ngettext("sisa %(n)d hari kerja", "sisa %(n)d hari kerja", days) % {"n": days}


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def getlist(querydict, key):
    try:
        return querydict.getlist(key)
    except AttributeError:
        return []


@register.filter
def remaining(run):
    from simpatik.projects.queries import remaining_days

    return remaining_days(run)


@register.filter
def http_url(value):
    """A link target only for http(s) addresses: a stored `javascript:` URL must never become a link."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""


@register.filter
def accept_attribute(kinds):
    """The file input's accept attribute for an item's kinds of file (its `accept:`)."""
    return _accept_attribute(kinds or DEFAULT_ACCEPT)
