"""The frame of every page (base.html), built once and reused: it is rendered on every request.

Profiling a page that only extends base.html showed most of its template time in the header:
fifteen `{% translate %}` tags, a `{% blocktranslate %}`, the language list and the menu's
conditions, all giving the same text for the same language and menu. `{% page_header %}` renders
simpatik/_header.html once per (language, visible menu, signed in, unread or not) with markers in
place of the per-request values (unread count, name, CSRF token, path), keeps the text between the
markers, and on later requests only fills the markers in. The key is computed per request from the
user's capabilities, so a cached header can never show a menu the user may no longer see.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.base import render_value_in_context
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from simpatik.accounts.permissions import staff_opd
from simpatik.core.kept import Kept

register = template.Library()

HEADER = "simpatik/_header.html"
MARK = "\x00"  # never in a translation, a URL or an escaped value: splits the rendered header
SLOTS = ("unread", "display_name", "csrf_token", "full_path")
MAX_HEADERS = 256  # languages x menus x signed in x unread: a few dozen in practice

_headers = Kept(MAX_HEADERS)


@register.simple_tag
def static_url(path):
    """`{% static %}` asked of the storage once per process and STATIC_URL."""
    return _static(path, settings.STATIC_URL)


@lru_cache(maxsize=64)
def _static(path, _static_url):
    return static(path)


@register.simple_tag(takes_context=True)
def page_header(context):
    request = context.get("request")
    user = context.get("user")
    token = context.get("csrf_token")
    facts = _facts(context, user)
    if request is None or user is None or not token or str(token) == "NOTPROVIDED":
        # Rendered outside a request (error pages, mails): the plain way, nothing cached.
        values = {
            "unread": facts["unread"],
            "display_name": getattr(user, "display_name", ""),
            "full_path": request.get_full_path() if request is not None else "",
        }
        if token:
            values["csrf_token"] = token
        return _render(context, facts, values)
    key = (
        get_language(),
        facts["signed_in"],
        facts["show_dashboard"],
        facts["show_needs"],
        facts["show_admin"],
        facts["show_delegations"],
        facts["has_unread"],
        str(context.get("ORGANISATION", "")),
        get_script_prefix(),
        get_urlconf(),
    )
    parts = _headers.get(key)
    if parts is None:
        marked = _render(context, facts, {slot: f"{MARK}{slot}{MARK}" for slot in SLOTS})
        parts = _headers.put(key, tuple(marked.split(MARK)))
    values = {
        "unread": render_value_in_context(facts["unread"], context),
        "display_name": render_value_in_context(getattr(user, "display_name", ""), context),
        "csrf_token": conditional_escape(token),
        "full_path": render_value_in_context(request.get_full_path(), context),
    }
    # parts alternate: fixed text, slot name, fixed text, ... (split on the markers)
    return mark_safe("".join(part if i % 2 == 0 else values[part] for i, part in enumerate(parts)))


def _facts(context, user):
    signed_in = bool(user is not None and user.is_authenticated)
    can = context.get("can")
    unread = context.get("unread_notifications", 0)
    admin = bool(signed_in and can["administrasi"])
    return {
        "signed_in": signed_in,
        "show_dashboard": bool(signed_in and can["lihat_dasbor"]),
        # The usulan list, for who sees some or may record one (not a vendor: staff_opd).
        "show_needs": bool(
            signed_in and (can["lihat_semua_proyek"] or can["catat_usulan"] or staff_opd(user))
        ),
        "show_admin": admin,
        "show_delegations": bool(signed_in and (user.role_keys() or admin)),
        "unread": unread,
        "has_unread": bool(signed_in and unread),
    }


def _render(context, facts, values):
    from django.template.loader import get_template

    data = {
        "ORGANISATION": context.get("ORGANISATION"),
        "nav": context.get("nav"),
        "LANG": get_language(),
        **facts,
        **values,
    }
    return get_template(HEADER).render(data)


def clear():
    """For tests: forget the built headers."""
    _headers.clear()
