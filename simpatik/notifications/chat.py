"""Where a chat message may go (apprise URLs).

A chat address is typed by any user (their preferences) and by administrators (a role's group),
and the worker posts to it: an address aimed at the server's own network (`json://127.0.0.1/…`,
a cloud's metadata address) would make SIMPATIK call what nobody outside may call. So a hosted
service (Telegram, Discord, Slack…: apprise posts to its fixed public endpoint) is taken as it
is, and any other must name a host whose every address is public, or one the installation
trusts (SIMPATIK_CHAT_ALLOWED_HOSTS, e.g. its own WhatsApp gateway). Checked when the address is
saved and again before each message (an address saved earlier, a name that now resolves
elsewhere).
"""

from __future__ import annotations

import ipaddress
import socket

from django.conf import settings
from django.utils.translation import gettext as _

# Services whose endpoint apprise fixes (the URL holds tokens, not a host to call).
HOSTED = frozenset({"tgram", "discord", "slack", "msteams", "whatsapp", "pover", "pbul", "line"})


def refusal(url: str) -> str | None:
    """Why SIMPATIK will not send to this address, or None."""
    import apprise

    sender = apprise.Apprise()
    if not url or not sender.add(url):
        return _("Alamat ini tidak dikenali sebagai alamat chat.")
    scheme = url.split("://", 1)[0].lower()
    if scheme in HOSTED:
        return None
    host = str(getattr(sender[0], "host", "") or "").strip("[]").lower()
    if not host:
        return _("Alamat chat ini tidak menyebut server tujuannya.")
    if host in {h.strip().lower() for h in settings.SIMPATIK_CHAT_ALLOWED_HOSTS if h.strip()}:
        return None
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return _("Server chat %(host)s tidak dapat ditemukan.") % {"host": host}
    addresses = [ipaddress.ip_address(address.split("%", 1)[0]) for address in found]
    if not addresses or not all(address.is_global for address in addresses):
        return _(
            "Alamat chat ini menuju jaringan internal (%(host)s); SIMPATIK hanya mengirim ke "
            "layanan chat di internet atau server yang diizinkan pengelola."
        ) % {"host": host}
    return None
