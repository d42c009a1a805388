"""Registers the notification jobs (deliver, role chat, daily digest) with the job runner."""

from simpatik.notifications import services  # noqa: F401
