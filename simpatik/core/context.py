"""The request id of the current action, so audit records made anywhere can name it."""

import contextvars
import uuid
from contextlib import contextmanager

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def request_id_scope(value: str | None = None):
    token = _request_id.set(value or new_request_id())
    try:
        yield _request_id.get()
    finally:
        _request_id.reset(token)


# What one request reads many times and may not change under it (which SOP versions exist and
# which are in force): read once per request. Outside a request every call reads afresh.
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("request_memo", default=None)


@contextmanager
def request_memo_scope():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoized(key: str, compute):
    """`compute()` once per request under `key`; a write that changes it calls `forget(key)`."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def request_memo_active() -> bool:
    return _memo.get() is not None


def forget(key: str) -> None:
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)
