"""Session lifetime and the account's standing requirements (MFA, password validity)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from simpatik.accounts import mfa, passwords
from simpatik.accounts.context import reset_actor, set_actor

# Refresh "last seen" at most this often, so an active user does not write the session on
# every request.
SEEN_RESOLUTION = 60


class SessionLifetimeMiddleware:
    """Ends a web session after SIMPATIK_SESSION_IDLE_MINUTES without a request, and in any
    case SIMPATIK_SESSION_MAX_HOURS after login (ASVS: idle and absolute timeouts)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        user = getattr(request, "user", None)
        token = set_actor(user if user is not None and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            reset_actor(token)

    def _check(self, request):
        session, now = request.session, time.time()
        started = session.get("simpatik_auth_at")
        seen = session.get("simpatik_seen_at")
        if started is None or seen is None:
            session["simpatik_auth_at"] = session["simpatik_seen_at"] = now
            return
        if now - seen > settings.SIMPATIK_SESSION_IDLE_MINUTES * 60:
            self._end(
                request,
                "idle",
                _(
                    "Sesi Anda berakhir karena tidak ada aktivitas selama %(n)s menit. Silakan masuk lagi."
                )
                % {"n": settings.SIMPATIK_SESSION_IDLE_MINUTES},
            )
        elif now - started > settings.SIMPATIK_SESSION_MAX_HOURS * 3600:
            self._end(
                request,
                "max_age",
                _("Sesi Anda berakhir setelah %(n)s jam. Silakan masuk lagi.")
                % {"n": settings.SIMPATIK_SESSION_MAX_HOURS},
            )
        elif now - seen > SEEN_RESOLUTION:
            session["simpatik_seen_at"] = now

    def _end(self, request, reason, message):
        request.simpatik_logout_reason = reason
        logout(request)
        messages.info(request, message)


def _exempt_prefixes():
    return tuple(
        [
            "/akun/",
            reverse("account_login"),
            reverse("account_logout"),
            settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL,
            "/i18n/",
        ]
    )


class AccountRequirementsMiddleware:
    """Officials must set up a second factor once their grace period is over; under the BSSN
    policy everyone must change an expired password. Until then, a banner says how long is left.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        request.simpatik_banners = []
        if user is not None and user.is_authenticated:
            if self._exempt is None:
                self._exempt = _exempt_prefixes()
            redirect = self._requirements(request, user)
            if redirect is not None:
                return redirect
        return self.get_response(request)

    def _requirements(self, request, user):
        exempt = request.path.startswith(self._exempt)
        if mfa.mfa_required(user) and not mfa.mfa_enabled(user):
            left = mfa.grace_days_left(user)
            if left <= 0:
                if not exempt:
                    return self._go(
                        request,
                        "mfa_index",
                        "mfa_enrolment_required",
                        _(
                            "Peran Anda mewajibkan verifikasi dua langkah. Aktifkan dulu untuk melanjutkan."
                        ),
                    )
            else:
                request.simpatik_banners.append(("mfa", left))
        left = passwords.days_until_expiry(user)
        if left is not None:
            if left <= 0:
                if not exempt:
                    return self._go(
                        request,
                        "account_change_password",
                        "password_expired",
                        _(
                            "Masa berlaku kata sandi Anda sudah habis. Ganti kata sandi untuk melanjutkan."
                        ),
                    )
            elif left <= settings.SIMPATIK_PASSWORD_WARN_DAYS:
                request.simpatik_banners.append(("password", left))
        return None

    def _go(self, request, url_name, code, message):
        if request.path.startswith("/api/"):
            # The API used with a browser session: the same rule, as the API's error shape.
            return JsonResponse({"code": code, "detail": message}, status=403)
        messages.warning(request, message)
        url = reverse(url_name)
        if getattr(request, "htmx", False):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return HttpResponseRedirect(url)
