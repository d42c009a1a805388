"""allauth, fitted to SIMPATIK: no self sign-up, the shared failure counter, our client address."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from simpatik.accounts import lockout
from simpatik.core.net import client_address


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False  # accounts are made by an administrator (`simpatik user add`, /admin/)

    def pre_authenticate(self, request, **credentials):
        # Replaces allauth's per-process login_failed limit with the counter all doors share.
        username = credentials.get("username", "")
        try:
            lockout.check(request, username)
        except lockout.TooManyFailures as exc:
            lockout.refused(request, username, via="web")
            raise forms.ValidationError(exc.message, code=exc.code) from exc

    def authentication_failed(self, request, **credentials):
        lockout.failed(request, credentials.get("username", ""), via="web")

    def get_client_ip(self, request):
        return client_address(request)
