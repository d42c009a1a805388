"""API tokens: django-rest-knox (hashed, expiring), with the `Token` prefix clients already send."""

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.signals import token_expired
from rest_framework import exceptions

_TOKEN = re.compile(rb"^[0-9a-f]{64}$")


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token):
        # Anything but knox's 64 hex characters is refused before it reaches a query: a NUL or
        # a non-UTF-8 byte would otherwise become a database error.
        if not _TOKEN.match(token):
            raise exceptions.AuthenticationFailed(_("Token tidak valid."))
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token) -> bool:
        """Refuse (and delete) this token when expired. knox also reads every other token of
        the user on every request to delete the expired ones: a query per API call for rows
        that can never sign in; create_api_token deletes them when the user makes a new one."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=type(self), username=username, source="auth_token")
            return True
        return False


def user_for_token(token: str):
    """The active user owning this API token, or None (git accepts tokens as passwords)."""
    try:
        user, _auth = ApiTokenAuthentication().authenticate_credentials(token.encode())
    except exceptions.AuthenticationFailed:
        return None
    return user


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme of these tokens: `Authorization: Token <token>`."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
