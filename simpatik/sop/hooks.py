"""Named hooks an SOP definition may use, registered by the apps that implement them.

- effects: run when a step completes, inside its transaction (`effects: [inventory.register]`);
- choice providers: compute a choice field's options for a project (`choices_from: ...`);
- generators: kinds of official document an output can be issued as (`generate: ...`);
- validators: check a field's value beyond its type (`validate: ...`);
- completion listeners: an app's check before, and its work after, every step completion (the
  letters app issues the step's `generate:` documents there, in the completion's transaction);
- suggestions: a value an app offers for an empty field of an open step (the presentation's
  attendees for a berita acara's attendance list); the person still sees and submits it;
- step notes: a short label per step an app shows beside it on the SOP sheet and the project
  page (the national development stage a step belongs to, from simpatik.spbe's mapping).
A definition naming a hook that no app registered is refused when it is loaded.
"""

from collections.abc import Callable

_effects: dict[str, Callable] = {}
_choices: dict[str, Callable] = {}
_choice_labels: dict[str, Callable] = {}
_generators: dict[str, dict] = {}
_validators: dict[str, Callable] = {}
_completion: list[tuple[Callable | None, Callable | None]] = []
_suggestions: list[Callable] = []
_step_notes: list[Callable] = []


def register_step_notes(function: Callable) -> None:
    """function(sop_version) -> {step number: short label} for that SOP version."""
    if function not in _step_notes:
        _step_notes.append(function)


def step_notes(sop_version) -> dict[int, list[str]]:
    notes: dict[int, list[str]] = {}
    for function in _step_notes:
        for number, label in function(sop_version).items():
            notes.setdefault(number, []).append(label)
    return notes


def register_suggestion(function: Callable) -> None:
    """function(run, item) -> a value for the empty field `item` of the open `run`, or None."""
    if function not in _suggestions:
        _suggestions.append(function)


def suggestion(run, item):
    for function in _suggestions:
        value = function(run, item)
        if value not in (None, "", []):
            return value
    return None


def register_effect(name: str, function: Callable) -> None:
    """function(project, run, actor, via) runs in the step's transaction after it completes."""
    _effects[name] = function


def register_choices(name: str, function: Callable) -> None:
    """function(project) -> list of (value, label) for a choice field."""
    _choices[name] = function


def register_choice_labels(name: str, function: Callable) -> None:
    """function(values) -> {value: (label, url or "")} for values a provider once offered.

    The history shows a recorded choice by its name even when the provider no longer offers it.
    """
    _choice_labels[name] = function


def choice_labels(name: str) -> Callable | None:
    return _choice_labels.get(name)


def register_generator(kind: str, **info) -> None:
    """A kind of official document an output item may be generated as (`generate: kind`)."""
    _generators[kind] = info


def generator(kind: str) -> dict:
    """What people and API clients are told about a kind; a callable value is asked now."""
    return {k: v() if callable(v) else v for k, v in _generators.get(kind, {}).items()}


def register_completion(*, check: Callable | None = None, after: Callable | None = None) -> None:
    """check(run, values=, decision=, passphrase=) may refuse before a step completes;
    after(run, actor=, via=, decision=, passphrase=) runs in its transaction once it completed."""
    if (check, after) not in _completion:
        _completion.append((check, after))


def completion_checks() -> list[Callable]:
    return [check for check, _after in _completion if check is not None]


def completion_listeners() -> list[Callable]:
    return [after for _check, after in _completion if after is not None]


def register_validator(name: str, function: Callable) -> None:
    """function(value, project) raises ValueError with a message for people when value is bad."""
    _validators[name] = function


def validator(name: str) -> Callable:
    return _validators[name]


def effect(name: str) -> Callable:
    return _effects[name]


def choices(name: str) -> Callable:
    return _choices[name]


def unknown_hooks(definition) -> list[str]:
    problems = []
    for step in definition.steps:
        for name in step.effects:
            if name not in _effects:
                problems.append(f"langkah {step.number}: efek '{name}' tidak dikenal")
        for item in step.requirements:
            if item.validate and item.validate not in _validators:
                problems.append(
                    f"langkah {step.number} '{item.key}': validate '{item.validate}' tidak dikenal"
                )
            if item.generate and item.generate not in _generators:
                problems.append(
                    f"langkah {step.number} '{item.key}': generate '{item.generate}' tidak dikenal"
                )
            if item.choices_from and item.choices_from not in _choices:
                problems.append(
                    f"langkah {step.number} '{item.key}': choices_from '{item.choices_from}' tidak dikenal"
                )
    return problems
