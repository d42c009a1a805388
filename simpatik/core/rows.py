"""What list rows print, computed once per value instead of once per template tag a row.

A page of 50 rows spent more on `{% url %}`, `|date` and translated phrases than on its
queries: each of these is the same for many rows (one URL pattern, a few due dates, a few
day counts), so it is worked out once and reused (per process for URL patterns, keyed by the
active language for words)."""

from functools import lru_cache
from html import escape

from django import forms
from django.forms.utils import flatatt
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from simpatik.core.templatetags.simpatik import sisa_waktu

_MARKER = 2147483647  # an id no row has: replaced by each row's own


@lru_cache(maxsize=128)
def _pattern(name: str, prefix: str, urlconf, ids: int, fixed: tuple) -> str:
    markers = [str(_MARKER - i) for i in range(ids)]  # ids no row has, none inside another
    url = reverse(name, args=[*markers, *fixed])
    for position, marker in enumerate(markers):
        url = url.replace(marker, f"{{{position}}}")
    return url


def url_of(name: str, pk: int) -> str:
    """reverse(name, args=[pk]), one reverse per URL name (URLs are fixed once the app runs)."""
    return url_pattern(name).format(int(pk))


def url_pattern(name: str, *fixed, ids: int = 1) -> str:
    """`url_of`'s pattern for a whole page of rows: `url_pattern(name).format(pk)`; with `ids`
    numbers and then the `fixed` arguments, `url_pattern(name, "x", ids=2).format(a, b)` is
    reverse(name, args=[a, b, "x"])."""
    return _pattern(name, get_script_prefix(), get_urlconf(), ids, fixed)


@lru_cache(maxsize=2048)
def _short_date(value, language) -> str:
    return formats.date_format(value, "j M Y")


def short_date(value, language: str | None = None) -> str:
    """A date as `j M Y` in the active language (what `|date:"j M Y"` prints); "—" without.

    `language`: the active language when the caller already has it (a page of rows)."""
    return "—" if value is None else _short_date(value, language or get_language())


@lru_cache(maxsize=1024)
def _days_left(days, language) -> str:
    return sisa_waktu(days)


def days_left(days, language: str | None = None) -> str:
    """`|sisa_waktu` for a row: late, due today, days left or no due date."""
    return _days_left(days, language or get_language())


def html_row(template: str, *values) -> str:
    """`format_html` for the rows of a long list: each value escaped the same way
    (`conditional_escape`: safe strings as they are, anything else as text, quotes included),
    without the lazy-string checks Django's `escape` makes for every value (a tenth of a list
    page's Python calls)."""
    return mark_safe(
        template.format(
            *[
                value.__html__() if hasattr(value, "__html__") else escape(str(value))
                for value in values
            ]
        )
    )


class QuickSelect(forms.Select):
    """A filter bar's select written in Python: the same element and options as `Select`, but
    without rendering a template per option (a list page's OPD filter cost more than its rows)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        selected = mark_safe(" selected")
        options = mark_safe(
            "\n".join(
                html_row(
                    '<option value="{}"{}>{}</option>',
                    key,
                    selected if str(key) in chosen else "",
                    label,
                )
                for key, label in self.choices
            )
        )
        attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(attrs), options)


class _QuickInput:
    """An input written in Python: what Django's input.html template prints (type, name, value,
    then the attributes), without rendering two templates per field."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            shown,
            flatatt(widget["attrs"]),
        )


class QuickTextInput(_QuickInput, forms.TextInput):
    pass


class QuickNumberInput(_QuickInput, forms.NumberInput):
    pass


class QuickCheckboxInput(_QuickInput, forms.CheckboxInput):
    pass
