"""Panels other apps add to the project page (repository, documentation), without projects knowing them."""

from collections.abc import Callable

_panels: list[tuple[str, Callable]] = []
_hints: dict[str, Callable] = {}


def register(template: str, context: Callable, hints: dict[str, Callable] | None = None) -> None:
    """context(project, detail, user) -> dict for the template, or None to show nothing.

    hints: {name: function() -> an expression over the project row}, e.g. an Exists of the
    panel's rows for OuterRef("pk"). The project page reads them with the project itself
    (`project.<name>`), so a panel with nothing to show returns None without a query of its
    own; `context` reads `getattr(project, name, True)` (other callers read no hints)."""
    _panels.append((template, context))
    _hints.update(hints or {})


def hints() -> dict:
    """The panels' hints as annotations for the project page's query."""
    return {name: make() for name, make in _hints.items()}


def render_list(project, detail, user) -> list[tuple[str, dict]]:
    shown = []
    for template, context in _panels:
        data = context(project, detail, user)
        if data is not None:
            shown.append((template, data))
    return shown
