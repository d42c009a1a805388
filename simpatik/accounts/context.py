"""The user acting in the current request, for audit records written by model signals."""

import contextvars

_actor: contextvars.ContextVar = contextvars.ContextVar("simpatik_actor", default=None)


def current_actor():
    return _actor.get()


def set_actor(user):
    return _actor.set(user)


def reset_actor(token) -> None:
    _actor.reset(token)
