from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpatik.accounts.models import Opd
from simpatik.core.widgets import DateInput, digits_only
from simpatik.inventory.fields import EDITABLE, nip_refusal
from simpatik.inventory.models import Application, Integration

YEAR_FIELDS = ("tahun_dibangun", "tahun_pengembangan")
FIRST_YEAR = 1970


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = EDITABLE
        widgets = {
            "deskripsi": forms.Textarea(attrs={"rows": 3}),
            "fungsi": forms.Textarea(attrs={"rows": 3}),
            "keluaran": forms.Textarea(attrs={"rows": 2}),
            "data_dikelola": forms.Textarea(attrs={"rows": 2}),
            "dasar_hukum": forms.Textarea(attrs={"rows": 2}),
            "catatan": forms.Textarea(attrs={"rows": 2}),
            "registrasi_ulang": DateInput(),
            "tanggal_persetujuan": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = Opd.objects.filter(aktif=True)
        # An empty choice reads as a dash, as everywhere else, not Django's "---------".
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = "—"
                digits_only(field)  # an id "٣" is not the record 3
            elif isinstance(field, forms.DateField):
                digits_only(field)  # "٢٠٢٦-01-01" is not a date here
            elif isinstance(field, forms.ChoiceField):
                field.choices = [(v, "—" if v == "" else label) for v, label in field.choices]
        # A year is a year: one message naming the range, not the database's integer limit.
        last = timezone.localdate().year + 1
        message = _("Tahun harus antara %(first)d dan %(last)d.") % {
            "first": FIRST_YEAR,
            "last": last,
        }
        for name in YEAR_FIELDS:
            field = digits_only(self.fields[name])
            field.validators = [
                MinValueValidator(FIRST_YEAR, message=message),
                MaxValueValidator(last, message=message),
            ]
            field.widget.attrs.update(min=FIRST_YEAR, max=last)

    def clean_pj_nip(self):
        """A civil servant's NIP is 18 digits, written with or without its spaces."""
        nip = self.cleaned_data.get("pj_nip", "")
        refused = nip_refusal(nip)
        if refused:
            raise forms.ValidationError(refused, code="nip_invalid")
        return nip

    def _post_clean(self):
        # Model validation (uniqueness included) happens in the service, in its transaction.
        pass


class IntegrationForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Aplikasi tujuan"), queryset=Application.objects.active()
    )
    data = forms.CharField(label=_("Data yang dipertukarkan"), max_length=300)
    arah = forms.ChoiceField(label=_("Arah"), choices=Integration.Arah.choices)
    metode = forms.ChoiceField(label=_("Metode"), choices=Integration.Metode.choices)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas inventaris (.xlsx, .ods atau .csv)"))


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False)
    opd = forms.ModelChoiceField(
        label=_("OPD"), queryset=Opd.objects.all(), required=False, empty_label=_("Semua OPD")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status"))] + list(Application.Status.choices),
    )
    kategori = forms.ChoiceField(
        label=_("Kategori"),
        required=False,
        choices=[("", _("Semua kategori"))] + list(Application.Kategori.choices),
    )
    arsip = forms.BooleanField(label=_("Termasuk yang diarsipkan"), required=False)

    def params(self):
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            **{k: v for k, v in data.items() if v and k != "opd"},
            "opd": data["opd"].pk if data.get("opd") else None,
        }
