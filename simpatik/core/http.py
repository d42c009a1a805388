"""Calling an outside service's HTTP API: one place for timeouts, the 'cannot be reached' message,
and the rule that requests go only to the address configured in settings.

A path may carry names that came from users (a repository, a subdomain); whatever they hold, the
request stays on the configured host, and a redirect is never followed (it could point anywhere).
"""

from urllib.parse import urlsplit

import requests


class UnsafeURL(ValueError):
    pass


def service_url(base: str, path: str) -> str:
    """`base` (from settings) joined with `path`; refuses anything that would change the host."""
    base = base.rstrip("/")
    target = urlsplit(base)
    if target.scheme not in ("http", "https") or not target.netloc:
        raise UnsafeURL(f"Alamat layanan di pengaturan tidak sah: {base!r}")
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        raise UnsafeURL(f"Jalur layanan tidak sah: {path[:100]!r}")
    url = base + path
    joined = urlsplit(url)
    if (joined.scheme, joined.netloc) != (target.scheme, target.netloc):
        raise UnsafeURL(f"Jalur layanan mengubah tujuan: {path[:100]!r}")
    return url


def call(
    method: str, base: str, path: str, *, service: str, error, timeout: float = 30, **kwargs
) -> requests.Response:
    """The response, whatever its status; `error(message)` is raised when the service is unreachable."""
    try:
        url = service_url(base, path)
    except UnsafeURL as exc:
        raise error(f"{service}: {exc}") from exc
    try:
        return requests.request(method, url, timeout=timeout, allow_redirects=False, **kwargs)
    except requests.RequestException as exc:
        raise error(f"{service} tidak dapat dihubungi: {exc}") from exc
