"""Calling an outside service's HTTP API: one place for timeouts and the 'cannot be reached' message."""

import requests


def call(
    method: str, url: str, *, service: str, error, timeout: float = 30, **kwargs
) -> requests.Response:
    """The response, whatever its status; `error(message)` is raised when the service is unreachable."""
    try:
        return requests.request(method, url, timeout=timeout, **kwargs)
    except requests.RequestException as exc:
        raise error(f"{service} tidak dapat dihubungi: {exc}") from exc
