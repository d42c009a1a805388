from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from simpatik.accounts.models import Delegation, Role
from simpatik.core.widgets import DateInput


def _people(exclude=None):
    people = get_user_model().objects.filter(is_active=True, opd__isnull=True)
    people = people.exclude(username=settings.SIMPATIK_SYSTEM_USERNAME)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return people.order_by("first_name", "last_name", "username")


class DelegationForm(forms.Form):
    """A Plh named by the official (their own roles), or, for an administrator, a Plh or Plt."""

    kind = forms.ChoiceField(label=_("Jenis"), choices=Delegation.Kind.choices)
    from_user = forms.ModelChoiceField(
        label=_("Pejabat yang digantikan"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Kosongkan untuk Plt. jabatan yang lowong."),
    )
    role = forms.ModelChoiceField(label=_("Peran"), queryset=Role.objects.none())
    to_user = forms.ModelChoiceField(label=_("Pelaksana"), queryset=get_user_model().objects.none())
    starts_on = forms.DateField(label=_("Mulai"), widget=DateInput)
    ends_on = forms.DateField(label=_("Sampai (hari terakhir)"), widget=DateInput)
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("misalnya cuti tahunan")}),
    )

    def __init__(self, *args, official=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.official = official
        if official is not None:
            # The official's own form: a Plh of one of their own roles.
            del self.fields["kind"], self.fields["from_user"]
            self.fields["role"].queryset = official.roles.all()
            self.fields["to_user"].queryset = _people(exclude=official)
        else:
            self.fields["from_user"].queryset = _people()
            self.fields["role"].queryset = Role.objects.all()
            self.fields["to_user"].queryset = _people()
        for name in ("from_user", "to_user"):
            if name in self.fields:
                self.fields[name].label_from_instance = lambda user: user.display_name

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        if self.official is not None:
            data["from_user"], data["kind"] = self.official, Delegation.Kind.PLH
        return data
