"""Form widgets every app shares."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (2026-11-20) whatever the language's
    date format: given Indonesian's 20-11-2026 the browser shows an empty field, and saving the
    form then erases the stored date."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's own name
        super().__init__(attrs, format=format)
