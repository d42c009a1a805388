"""Form parts every app shares."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from simpatik.core import held
from simpatik.core.errors import ValidationError
from simpatik.core.files import check_upload

HELD_SUFFIX = "__tersimpan"
_GONE = object()  # a token that holds nothing any more


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (2026-11-20) whatever the language's
    date format: given Indonesian's 20-11-2026 the browser shows an empty field, and saving the
    form then erases the stored date."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's own name
        super().__init__(attrs, format=format)


def digits_only(field: forms.Field) -> forms.Field:
    """A number field that takes the digits 0-9 only: Django's int() also reads "٢٠١٩" and
    "２０１９" as 2019, and saved them silently."""
    convert = field.to_python

    def to_python(value):
        if isinstance(value, str) and not value.isascii():
            raise forms.ValidationError(_("Tulis dengan angka 0-9."), code="not_ascii_digits")
        return convert(value)

    field.to_python = to_python
    return field


class HeldFileInput(forms.FileInput):
    """A file input that keeps the file chosen in a send that failed (core.held): beside the
    input, a hidden token and a line naming the file; a new file chosen replaces it."""

    template_name = "core/widgets/held_file.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.owner: int | None = None  # the person filling in the form (HoldsFiles sets it)
        self.held: held.Held | None = None
        self._taken: dict = {}

    def value_from_datadict(self, data, files, name):
        uploaded = files.get(name)
        if uploaded is not None:
            return uploaded
        token = data.get(name + HELD_SUFFIX)
        if not token or self.owner is None:
            return None
        if token not in self._taken:
            found = held.take(token, owner=self.owner)
            self._taken[token] = found or _GONE
            if found is not None:
                self.held = held.Held(token, found.name, found.size)
        found = self._taken[token]
        if found is not _GONE:
            found.seek(0)
        return found

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and not data.get(
            name + HELD_SUFFIX
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["held"] = self.held
        context["widget"]["held_name"] = name + HELD_SUFFIX
        return context


class HeldFileField(forms.FileField):
    widget = HeldFileInput
    default_error_messages = {
        "gone": _("Berkas yang Anda pilih sebelumnya tidak tersimpan lagi; pilih berkasnya lagi."),
    }

    def clean(self, data, initial=None):
        if data is _GONE:
            raise forms.ValidationError(self.error_messages["gone"], code="gone")
        return super().clean(data, initial)


class HoldsFiles:
    """A form whose HeldFileFields keep their files when a send fails: call `hold_files()` before
    rendering it again. `owner`: the person filling it in."""

    def set_owner(self, owner) -> None:
        for field in self.fields.values():
            if isinstance(field, HeldFileField):
                field.widget.owner = owner.pk if owner is not None else None

    def hold_files(self, refused=()) -> None:
        """Hold each chosen file that is a file we accept; not those named in `refused` (the
        service refused them) or marked with an error."""
        max_bytes = settings.SIMPATIK_MAX_UPLOAD_MB * 1024 * 1024
        for name, field in self.fields.items():
            widget = field.widget
            if not isinstance(field, HeldFileField) or widget.owner is None:
                continue
            value = self[name].data
            if name in refused or self.errors.get(name) or value in (None, _GONE):
                widget.held = None
                continue
            if widget.held is not None and value.name == widget.held.name:
                continue  # held already, and sent again unchanged
            value.seek(0)
            try:
                content, clean_name, _extension, mime = check_upload(value, max_bytes=max_bytes)
            except ValidationError:
                widget.held = None
                continue
            widget.held = held.hold(content, name=clean_name, mime=mime, owner=widget.owner)
