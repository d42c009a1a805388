from django.conf import settings


def simpatik(request):
    user = getattr(request, "user", None)
    role_keys = user.role_keys() if user is not None and user.is_authenticated else set()
    return {"ORGANISATION": settings.SIMPATIK_ORGANISATION, "user_roles": role_keys}
