"""Panels other apps add to the project page (repository, documentation), without projects knowing them."""

from collections.abc import Callable

_panels: list[tuple[str, Callable]] = []


def register(template: str, context: Callable) -> None:
    """context(project, detail, user) -> dict for the template, or None to show nothing."""
    _panels.append((template, context))


def render_list(project, detail, user) -> list[tuple[str, dict]]:
    shown = []
    for template, context in _panels:
        data = context(project, detail, user)
        if data is not None:
            shown.append((template, data))
    return shown
