from django import forms
from django.utils.translation import gettext_lazy as _

from simpatik.notifications import chat
from simpatik.notifications.models import Preference


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Kirim lewat surel"), required=False)
    chat = forms.BooleanField(label=_("Kirim lewat pesan chat"), required=False)
    chat_url = forms.CharField(
        label=_("Alamat chat baru (apprise, mis. tgram://token/chat_id)"),
        required=False,
        max_length=500,
        help_text=_("Kosongkan untuk tetap memakai alamat yang tersimpan."),
    )
    mode = forms.ChoiceField(label=_("Cara pengiriman"), choices=Preference.Mode.choices)

    def clean_chat_url(self):
        url = self.cleaned_data["chat_url"].strip()
        if not url:
            return None
        problem = chat.refusal(url)
        if problem:
            raise forms.ValidationError(problem)
        return url
