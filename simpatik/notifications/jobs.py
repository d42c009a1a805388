"""Registers the notification jobs (deliver, role chat, daily digest) with the job runner."""

from simpatik.notifications import (
    deadlines,  # noqa: E402,F401
    services,  # noqa: F401
)
