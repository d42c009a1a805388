"""The people of the SOP, as used by tests and the demo data."""

from django.contrib.auth import get_user_model

from simpatik.accounts.models import Opd, Role

PERSONAS = {
    "kadis": ("Aang", "Wardiman", ["kadis"]),
    "kabid": ("Rahmat", "Pontoh", ["kabid"]),
    "kasie": ("Sri", "Mokodompit", ["kasie"]),
    "pengembang": ("Dimas", "Lasabuda", ["pengembang"]),
    "teknis": ("Nur", "Paputungan", ["teknis"]),
}


def make_user(
    username: str,
    roles=(),
    *,
    opd: Opd | None = None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name, "opd": opd}
    )
    if password:
        user.set_password(password)
        user.save()
    for key in roles:
        role, _ = Role.objects.get_or_create(key=key, defaults={"nama": key})
        user.roles.add(role)
    user._role_keys = None
    user.__dict__.pop("_role_keys", None)
    return user
