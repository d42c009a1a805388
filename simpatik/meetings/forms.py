from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class PresentationForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Waktu mulai (WITA)"),
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Lama (menit)"), min_value=15, max_value=480, initial=60
    )
    place = forms.CharField(label=_("Tempat"), max_length=200)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Peserta dari SIMPATIK"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    guests = forms.CharField(
        label=_("Tamu lain (Nama — Jabatan, satu per baris)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    notes = forms.CharField(
        label=_("Catatan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, roles__isnull=False)
            .distinct()
            .order_by("first_name", "username")
        )
        self.fields["attendees"].label_from_instance = lambda user: user.display_name
